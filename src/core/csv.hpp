#pragma once
// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; a UTF-8 BOM is skipped.
#include <string>
#include <string_view>
#include <vector>

namespace ratusha {

using CsvTable = std::vector<std::vector<std::string>>;
// Throws a 422 (field "csv") for malformed input, invalid UTF-8 or more than max_rows rows.
// Header cells are trimmed and lower-cased; blank lines are skipped.
CsvTable parse_csv(std::string_view text, std::size_t max_rows);
// RFC 4180 with CRLF, every cell quoted. A cell that a spreadsheet would take for a formula
// (=, +, -, @ first) gets a leading apostrophe, so open data cannot run anything.
std::string write_csv(const CsvTable& rows);

}  // namespace ratusha
