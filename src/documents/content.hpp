#pragma once
// What is inside a file: its type (libmagic, never the client's word), whether ClamAV finds
// malware in it, and its text for search (pdftotext for PDFs, plain text as it is).
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace ratusha::documents {

// MIME type with charset for text ("text/plain; charset=utf-8"), from the first bytes.
std::string detect_content_type(const std::filesystem::path& file);

struct ScanResult {
  enum class Verdict { clean, infected, not_scanned } verdict = Verdict::not_scanned;
  std::string signature;  // infected: what was found; not_scanned: why
};

// clamd's INSTREAM over its Unix socket (or "host:port"). Throws std::runtime_error when clamd
// cannot be reached, so that the caller refuses the upload instead of storing it unscanned.
ScanResult clamav_scan(const std::string& socket, const std::filesystem::path& file,
                       std::chrono::seconds timeout = std::chrono::seconds(60));

// Text for the search index, at most `max_bytes`; empty when the type has none we can read.
// PDFs through pdftotext, OpenDocument and Office Open XML through `unzip -p`, text as it is.
std::string extract_text(const std::filesystem::path& file, const std::string& content_type,
                         std::size_t max_bytes = 1 << 20);

// The words in an office document's XML: tags dropped (paragraphs and cells become spaces,
// runs do not), entities decoded.
std::string office_xml_text(std::string_view xml);

}  // namespace ratusha::documents
