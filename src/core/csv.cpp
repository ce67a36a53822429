#include "core/csv.hpp"

#include "core/error.hpp"
#include "core/json.hpp"

namespace ratusha {

CsvTable parse_csv(std::string_view text, std::size_t max_rows) {
  auto fail = [](std::string msg, long row) {
    throw validation_error({FieldError{"csv", "invalid", std::move(msg), row}});
  };
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (!valid_utf8(text)) fail("The file is not valid UTF-8 text.", -1);
  CsvTable table;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, cell_started = false;
  long line = 1;
  auto end_row = [&] {
    row.push_back(std::move(cell));
    cell.clear();
    bool blank = row.size() == 1 && row[0].empty();
    if (!blank) {
      if (table.size() >= max_rows + 1)
        fail("The file has more than " + std::to_string(max_rows) + " rows.", line);
      table.push_back(std::move(row));
    }
    row.clear();
    cell_started = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell += c;
      }
      continue;
    }
    if (c == '"') {
      if (cell_started && !cell.empty()) fail("A quote appears inside an unquoted field.", line);
      quoted = true;
      cell_started = true;
    } else if (c == ',') {
      row.push_back(std::move(cell));
      cell.clear();
      cell_started = false;
    } else if (c == '\r') {
      continue;
    } else if (c == '\n') {
      end_row();
      ++line;
    } else {
      cell += c;
      cell_started = true;
    }
  }
  if (quoted) fail("A quoted field is not closed.", line);
  if (!cell.empty() || !row.empty()) end_row();
  if (!table.empty()) {
    for (auto& h : table.front()) {
      while (!h.empty() && h.back() == ' ') h.pop_back();
      while (!h.empty() && h.front() == ' ') h.erase(0, 1);
      for (auto& ch : h) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    }
  }
  return table;
}

std::string write_csv(const CsvTable& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out += ',';
      out += '"';
      const auto& cell = row[i];
      if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@'))
        out += '\'';
      for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace ratusha
