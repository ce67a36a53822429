// OpenDocument text (ODF 1.2): mimetype (first, stored), content.xml, styles.xml, meta.xml and
// the manifest, in a ZIP.
#include "core/text.hpp"
#include "core/zip.hpp"
#include "render/document.hpp"

namespace ratusha::render {

namespace {

// Text with line breaks as <text:line-break/>.
std::string lines(const std::string& s) {
  std::string out, line;
  for (char c : s) {
    if (c == '\n') {
      out += xml_escape(line) + "<text:line-break/>";
      line.clear();
    } else {
      line += c;
    }
  }
  return out + xml_escape(line);
}

constexpr const char* kNs =
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" "
    "xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.2\"";

std::string styles(const std::string& lang) {
  std::string language = lang.substr(0, 2);
  auto para = [&](const char* name, const char* display, const char* size, bool bold,
                  const char* above, const char* below, const char* align) {
    return std::string("<style:style style:name=\"") + name + "\" style:display-name=\"" + display +
           "\" style:family=\"paragraph\"><style:paragraph-properties fo:margin-top=\"" + above +
           "\" fo:margin-bottom=\"" + below + "\" fo:text-align=\"" + align +
           "\"/><style:text-properties style:font-name=\"DejaVu Sans\" fo:font-size=\"" + size +
           "\"" + (bold ? " fo:font-weight=\"bold\"" : "") + " fo:language=\"" + language +
           "\"/></style:style>";
  };
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles ") + kNs +
         "><office:font-face-decls><style:font-face style:name=\"DejaVu Sans\" "
         "svg:font-family=\"'DejaVu Sans'\" "
         "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\"/>"
         "</office:font-face-decls><office:styles>" +
         para("Standard", "Standard", "10pt", false, "0cm", "0.2cm", "start") +
         para("Title", "Title", "16pt", true, "0cm", "0.4cm", "center") +
         para("Heading_20_1", "Heading 1", "13pt", true, "0.4cm", "0.2cm", "start") +
         para("Heading_20_2", "Heading 2", "11pt", true, "0.3cm", "0.15cm", "start") +
         para("Text_20_body", "Text body", "10pt", false, "0cm", "0.2cm", "justify") +
         para("Table_20_Contents", "Table Contents", "9pt", false, "0cm", "0cm", "start") +
         para("Table_20_Heading", "Table Heading", "9pt", true, "0cm", "0cm", "start") +
         "</office:styles><office:automatic-styles><style:page-layout style:name=\"pm1\">"
         "<style:page-layout-properties fo:page-width=\"21cm\" fo:page-height=\"29.7cm\" "
         "fo:margin-top=\"2cm\" fo:margin-bottom=\"2cm\" fo:margin-left=\"2cm\" "
         "fo:margin-right=\"2cm\"/></style:page-layout></office:automatic-styles>"
         "<office:master-styles><style:master-page style:name=\"Standard\" "
         "style:page-layout-name=\"pm1\"/></office:master-styles></office:document-styles>";
}

}  // namespace

std::string to_odt(const Document& d) {
  std::string body;
  bool in_list = false;
  int table_no = 0;
  for (const auto& b : d.blocks) {
    if (in_list && b.kind != Block::Kind::item) {
      body += "</text:list>";
      in_list = false;
    }
    switch (b.kind) {
      case Block::Kind::title:
        body += "<text:p text:style-name=\"Title\">" + lines(b.text) + "</text:p>";
        break;
      case Block::Kind::heading:
        body += "<text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">" +
                lines(b.text) + "</text:h>";
        break;
      case Block::Kind::subheading:
        body += "<text:h text:style-name=\"Heading_20_2\" text:outline-level=\"2\">" +
                lines(b.text) + "</text:h>";
        break;
      case Block::Kind::paragraph:
        body += "<text:p text:style-name=\"Text_20_body\">" + lines(b.text) + "</text:p>";
        break;
      case Block::Kind::item:
        if (!in_list) {
          body += "<text:list>";
          in_list = true;
        }
        body += "<text:list-item><text:p text:style-name=\"Text_20_body\">" + lines(b.text) +
                "</text:p></text:list-item>";
        break;
      case Block::Kind::table: {
        if (b.rows.empty()) break;
        std::size_t cols = b.rows.front().size();
        body += "<table:table table:name=\"Table" + std::to_string(++table_no) +
                "\"><table:table-column table:number-columns-repeated=\"" + std::to_string(cols) +
                "\"/>";
        for (std::size_t r = 0; r < b.rows.size(); ++r) {
          body += r == 0 ? "<table:table-header-rows><table:table-row>" : "<table:table-row>";
          for (std::size_t c = 0; c < cols; ++c)
            body += std::string(
                        "<table:table-cell office:value-type=\"string\"><text:p "
                        "text:style-name=\"") +
                    (r == 0 ? "Table_20_Heading" : "Table_20_Contents") + "\">" +
                    lines(c < b.rows[r].size() ? b.rows[r][c] : "") +
                    "</text:p></table:table-cell>";
          body += r == 0 ? "</table:table-row></table:table-header-rows>" : "</table:table-row>";
        }
        body += "</table:table>";
        break;
      }
    }
  }
  if (in_list) body += "</text:list>";

  std::string content = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") +
                        "<office:document-content " + kNs + "><office:body><office:text>" + body +
                        "</office:text></office:body></office:document-content>";
  std::string meta = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n") +
                     "<office:document-meta " + kNs + "><office:meta><dc:title>" +
                     xml_escape(d.title) + "</dc:title><dc:language>" + xml_escape(d.language) +
                     "</dc:language><meta:generator>Ratusha</meta:generator></office:meta>"
                     "</office:document-meta>";
  std::string manifest =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest "
      "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
      "manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" "
      "manifest:version=\"1.2\" manifest:media-type=\"application/"
      "vnd.oasis.opendocument.text\"/><manifest:file-entry manifest:full-path=\"content.xml\" "
      "manifest:media-type=\"text/xml\"/><manifest:file-entry manifest:full-path=\"styles.xml\" "
      "manifest:media-type=\"text/xml\"/><manifest:file-entry manifest:full-path=\"meta.xml\" "
      "manifest:media-type=\"text/xml\"/></manifest:manifest>";
  ZipWriter zip;
  zip.add("mimetype", "application/vnd.oasis.opendocument.text");
  zip.add("content.xml", content);
  zip.add("styles.xml", styles(d.language));
  zip.add("meta.xml", meta);
  zip.add("META-INF/manifest.xml", manifest);
  return zip.finish();
}

}  // namespace ratusha::render
