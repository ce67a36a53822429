#pragma once
// A plain document (title, headings, paragraphs, bulleted items, tables) and two ways to write
// it: an OpenDocument text (.odt) that people edit in LibreOffice or Word, and a PDF laid out
// with Pango and Cairo (fonts from fontconfig, so Cyrillic and Polish letters come out right and
// the text stays searchable). Draft minutes use it; reports of other modules can.
#include <string>
#include <vector>

namespace ratusha::render {

struct Block {
  enum class Kind { title, heading, subheading, paragraph, item, table };
  Kind kind = Kind::paragraph;
  std::string text;
  std::vector<std::vector<std::string>> rows;  // tables: the first row is the header
};

struct Document {
  std::string title;
  std::string language = "bg";  // BCP 47, for the file's metadata and hyphenation
  std::vector<Block> blocks;

  Document& title_line(std::string t) { return add(Block::Kind::title, std::move(t)); }
  Document& heading(std::string t) { return add(Block::Kind::heading, std::move(t)); }
  Document& subheading(std::string t) { return add(Block::Kind::subheading, std::move(t)); }
  Document& paragraph(std::string t) { return add(Block::Kind::paragraph, std::move(t)); }
  Document& item(std::string t) { return add(Block::Kind::item, std::move(t)); }
  Document& table(std::vector<std::vector<std::string>> rows) {
    Block b;
    b.kind = Block::Kind::table;
    b.rows = std::move(rows);
    blocks.push_back(std::move(b));
    return *this;
  }

 private:
  Document& add(Block::Kind k, std::string t) {
    Block b;
    b.kind = k;
    b.text = std::move(t);
    blocks.push_back(std::move(b));
    return *this;
  }
};

std::string to_odt(const Document& d);
std::string to_pdf(const Document& d);

}  // namespace ratusha::render
