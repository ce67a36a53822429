#include "documents/rules.hpp"

#include <charconv>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/text.hpp"

namespace ratusha::documents {

std::optional<Access> parse_access(std::string_view s) {
  if (s == "view") return Access::view;
  if (s == "edit") return Access::edit;
  if (s == "manage") return Access::manage;
  return std::nullopt;
}

const char* access_name(Access a) {
  switch (a) {
    case Access::view:
      return "view";
    case Access::edit:
      return "edit";
    case Access::manage:
      return "manage";
    default:
      return "none";
  }
}

std::string clean_name(std::string_view raw, const std::string& field) {
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t')) raw.remove_suffix(1);
  if (raw.empty()) throw field_error(field, "required", "A name is required.");
  if (raw.size() > 255) throw field_error(field, "too_long", "A name has at most 255 bytes.");
  if (!valid_utf8(raw)) throw field_error(field, "invalid", "A name must be UTF-8 text.");
  if (raw == "." || raw == "..") throw field_error(field, "invalid", "This name is reserved.");
  for (unsigned char c : raw) {
    if (c < 0x20 || c == 0x7F)
      throw field_error(field, "invalid", "A name cannot contain control characters.");
    if (c == '/' || c == '\\')
      throw field_error(field, "invalid", "A name cannot contain / or \\.");
  }
  // C1 controls (U+0080..U+009F) and bidirectional overrides that disguise extensions.
  for (std::size_t i = 0; i + 1 < raw.size(); ++i) {
    auto a = static_cast<unsigned char>(raw[i]), b = static_cast<unsigned char>(raw[i + 1]);
    if (a == 0xC2 && b >= 0x80 && b <= 0x9F)
      throw field_error(field, "invalid", "A name cannot contain control characters.");
    if (a == 0xE2 && b == 0x80 && i + 2 < raw.size()) {
      auto c = static_cast<unsigned char>(raw[i + 2]);
      if (c >= 0xAA && c <= 0xAE)
        throw field_error(field, "invalid", "A name cannot contain direction overrides.");
    }
    if (a == 0xE2 && b == 0x81 && i + 2 < raw.size()) {
      auto c = static_cast<unsigned char>(raw[i + 2]);
      if (c >= 0xA6 && c <= 0xA9)
        throw field_error(field, "invalid", "A name cannot contain direction overrides.");
    }
  }
  return std::string(raw);
}

std::string fingerprint(std::string_view sha) {
  std::string out;
  for (std::size_t i = 0; i < 32 && i < sha.size(); ++i) {
    if (i && i % 4 == 0) out += ' ';
    out += static_cast<char>(std::toupper(static_cast<unsigned char>(sha[i])));
  }
  return out;
}

bool may_show_inline(std::string_view ct) {
  auto semi = ct.find(';');
  auto type = ct.substr(0, semi);
  return type == "application/pdf" || type == "image/png" || type == "image/jpeg" ||
         type == "image/gif" || type == "image/webp" || type == "text/plain";
}

std::string content_disposition(std::string_view name, bool inline_) {
  std::string ascii, encoded;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : name) {
    bool plain = std::isalnum(c) || c == '.' || c == '-' || c == '_';
    ascii +=
        (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%') ? static_cast<char>(c) : '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += hex[c >> 4];
      encoded += hex[c & 15];
    }
  }
  return std::string(inline_ ? "inline" : "attachment") + "; filename=\"" + ascii +
         "\"; filename*=UTF-8''" + encoded;
}

std::optional<Audience> parse_audience(std::string_view key) {
  auto colon = key.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= key.size()) return std::nullopt;
  return Audience{std::string(key.substr(0, colon)), std::string(key.substr(colon + 1))};
}

std::vector<std::int64_t> path_ids(std::string_view path) {
  std::vector<std::int64_t> ids;
  std::size_t i = 0;
  while (i < path.size()) {
    auto slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > i) {
      std::int64_t v = 0;
      std::from_chars(path.data() + i, path.data() + slash, v);
      if (v > 0) ids.push_back(v);
    }
    i = slash + 1;
  }
  return ids;
}

}  // namespace ratusha::documents
