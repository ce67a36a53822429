#include "net/http.hpp"

#include <unistd.h>

#include <boost/url/grammar/ci_string.hpp>
#include <charconv>

#include "core/error.hpp"

namespace ratusha::net {

FileBody::~FileBody() {
  if (fd >= 0) ::close(fd);
}

bool Response::has_header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (boost::urls::grammar::ci_is_equal(k, name)) return true;
  return false;
}

namespace {
bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}
}  // namespace

void apply_range(const Request& req, Response& res, std::uint64_t total, const std::string& etag) {
  res.header("Accept-Ranges", "bytes");
  auto range = req.header("range");
  if (!range || !res.file) return;
  if (auto if_range = req.header("if-range"); if_range && *if_range != etag) return;
  std::string_view r = *range;
  if (!r.starts_with("bytes=")) return;
  r.remove_prefix(6);
  if (r.find(',') != std::string_view::npos) return;  // several ranges: send it whole
  auto dash = r.find('-');
  if (dash == std::string_view::npos) return;
  auto first_s = r.substr(0, dash), last_s = r.substr(dash + 1);
  std::uint64_t first = 0, last = 0;
  if (first_s.empty()) {  // suffix: the last N bytes
    std::uint64_t n = 0;
    if (!parse_u64(last_s, n)) return;
    if (n == 0 || total == 0) {
      res.status = 416;
    } else {
      first = n >= total ? 0 : total - n;
      last = total - 1;
    }
  } else {
    if (!parse_u64(first_s, first)) return;
    if (last_s.empty()) {
      last = total == 0 ? 0 : total - 1;
    } else if (!parse_u64(last_s, last) || last < first) {
      return;  // syntactically invalid: ignore the header
    }
    if (first >= total) res.status = 416;
    if (last >= total) last = total - 1;
  }
  if (res.status == 416) {
    res.file.reset();
    res.body.clear();
    res.content_type.clear();
    res.header("Content-Range", "bytes */" + std::to_string(total));
    return;
  }
  res.status = 206;
  res.file->offset += first;
  res.file->length = last - first + 1;
  res.header("Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" +
                                  std::to_string(total));
}

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return std::string_view(v);
  return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  for (const auto& [k, v] : query)
    if (k == name) return v;
  return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k != "cookie") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      auto part = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      auto eq = part.find('=');
      if (eq == std::string_view::npos) continue;
      if (part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> Request::id_query(std::string_view name) const {
  auto v = query_param(name);
  if (!v) return std::nullopt;
  std::int64_t n = 0;
  bool ok = !v->empty() && v->size() <= 18;
  for (char c : *v) {
    if (c < '0' || c > '9') ok = false;
    n = n * 10 + (c - '0');
  }
  if (!ok || n <= 0) throw field_error(std::string(name), "invalid", "Not a valid id.");
  return n;
}

std::int64_t Request::id_param(const std::string& name) const {
  auto it = params.find(name);
  if (it == params.end() || it->second.empty() || it->second.size() > 18) throw not_found();
  std::int64_t n = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9') throw not_found();
    n = n * 10 + (c - '0');
  }
  if (n <= 0) throw not_found();
  return n;
}

json::object Request::json_body() const {
  auto ct = header("content-type");
  std::string_view type = ct ? ct->substr(0, ct->find(';')) : std::string_view{};
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (!boost::urls::grammar::ci_is_equal(type, "application/json")) {
    throw Error(ErrorKind::unsupported_media, "unsupported-media-type",
                "Send the body as application/json.");
  }
  return parse_object(body);
}

Response Response::json(const json::value& v, int status) {
  Response r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

Response Response::no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Response problem_response(const Error& e, const std::string& request_id) {
  json::object p;
  p["type"] = "https://ratusha.eu/problems/" + e.slug();
  p["title"] = problem_title(e.slug(), e.kind());
  p["status"] = http_status(e.kind());
  p["detail"] = e.what();
  p["request_id"] = request_id;
  if (!e.errors().empty()) {
    json::array errs;
    for (const auto& fe : e.errors()) {
      json::object o{{"field", fe.field}, {"code", fe.code}, {"message", fe.message}};
      if (fe.row >= 0) o["row"] = fe.row;
      errs.push_back(std::move(o));
    }
    p["errors"] = std::move(errs);
  }
  for (const auto& [key, value] : e.extensions)
    if (!p.contains(key)) p[key] = value;
  Response r = Response::json(p, http_status(e.kind()));
  r.content_type = "application/problem+json";
  if (e.retry_after > 0) r.header("Retry-After", std::to_string(e.retry_after));
  return r;
}

}  // namespace ratusha::net

namespace ratusha::net {

int page_limit(const Request& req, int default_limit) {
  auto v = req.query_param("limit");
  if (!v) return default_limit;
  int n = 0;
  if (v->empty() || v->size() > 3) throw field_error("limit", "out_of_range", "Use 1 to 200.");
  for (char c : *v) {
    if (c < '0' || c > '9') throw field_error("limit", "out_of_range", "Use 1 to 200.");
    n = n * 10 + (c - '0');
  }
  if (n < 1 || n > 200) throw field_error("limit", "out_of_range", "Use 1 to 200.");
  return n;
}

std::optional<std::int64_t> page_cursor(const Request& req) {
  auto v = req.query_param("cursor");
  if (!v || v->empty()) return std::nullopt;
  // The cursor is "c" + the position in base 36; anything else is refused.
  if (v->size() < 2 || v->size() > 14 || (*v)[0] != 'c')
    throw field_error("cursor", "invalid", "This cursor is not valid.");
  std::int64_t n = 0;
  for (std::size_t i = 1; i < v->size(); ++i) {
    char c = (*v)[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : -1;
    if (d < 0) throw field_error("cursor", "invalid", "This cursor is not valid.");
    n = n * 36 + d;
  }
  return n;
}

std::string make_cursor(std::int64_t position) {
  std::string s;
  do {
    int d = static_cast<int>(position % 36);
    s.insert(s.begin(), static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10));
    position /= 36;
  } while (position > 0);
  return "c" + s;
}

json::object page(json::array items, std::size_t limit, std::optional<std::int64_t> last) {
  bool full = items.size() >= limit;
  json::object o(items.storage());  // the items' arena, if they were built in one
  o["items"] = std::move(items);
  o["next_cursor"] = full && last ? json::value(make_cursor(*last)) : json::value(nullptr);
  return o;
}

}  // namespace ratusha::net
