#pragma once
// Pure rules of the documents module: names, rights, audiences, what may be shown inline.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ratusha::documents {

// Rights on a node and all below it; a higher right includes the lower ones.
enum class Access { none = 0, view = 1, edit = 2, manage = 3 };
std::optional<Access> parse_access(std::string_view s);
const char* access_name(Access a);

// A file or folder name as given by a person: surrounding spaces trimmed; refused (with a
// validation error on `field`) when empty, ".", "..", longer than 255 bytes, not UTF-8, or
// containing "/", "\", NUL or other control characters.
std::string clean_name(std::string_view raw, const std::string& field = "name");

// "AB12 CD34 EF56 7890 ..." : the first 128 bits of the SHA-256, for people to compare.
std::string fingerprint(std::string_view sha256_hex);

// Only these are ever shown inside our pages; everything else (HTML, SVG, XML, scripts...)
// is sent as an attachment so it can never run on our origin.
bool may_show_inline(std::string_view content_type);

// Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 8187).
std::string content_disposition(std::string_view name, bool inline_);

// An audience is who a right is granted to: "person:5", "unit:2", "body:7", "role:administrator",
// later "meeting:12"... kind and id are checked by the service.
struct Audience {
  std::string kind;
  std::string id;
  std::string key() const { return kind + ":" + id; }
};
std::optional<Audience> parse_audience(std::string_view key);

// The ids on a node's path ("/1/7/12/" -> 1, 7, 12), root first.
std::vector<std::int64_t> path_ids(std::string_view path);

}  // namespace ratusha::documents
