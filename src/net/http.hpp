#pragma once
// Plain request/response types: what modules see of HTTP. No Beast here.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.hpp"

namespace ratusha::net {

struct Request {
  std::string method;  // upper case
  std::string target;  // as received
  std::string path;    // percent-decoded path
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  // Routes added with Router::add_streamed: the body was written to this temporary file
  // instead (memory stays flat). The handler may rename it away; otherwise it is removed.
  std::string body_file;
  std::uint64_t body_size = 0;
  std::string body_sha256;  // of the streamed body, hex, computed while it arrived
  std::string remote_address;
  std::string request_id;
  bool secure = false;                        // arrived over TLS
  std::map<std::string, std::string> params;  // path parameters from the route pattern
  std::string route;                          // the matched pattern, for metrics and logs
  std::int64_t person_id = 0;                 // set once authenticated, for the request log

  std::optional<std::string_view> header(std::string_view lower_name) const;
  std::optional<std::string> query_param(std::string_view name) const;
  std::optional<std::string> cookie(std::string_view name) const;
  // A path parameter parsed as a positive id; throws 404 when it is not one.
  std::int64_t id_param(const std::string& name) const;
  // An id in the query string (?room_id=12); 400 when it is not one.
  std::optional<std::int64_t> id_query(std::string_view name) const;
  // The body as a JSON object; throws 415 unless Content-Type is JSON, 400 when malformed.
  json::object json_body() const;
};

// An open file streamed as the response body (downloads): `length` bytes from `offset`.
// Owns the descriptor, so the file may be renamed or removed while it is being sent.
struct FileBody {
  int fd = -1;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  explicit FileBody(int f) : fd(f) {}
  FileBody(const FileBody&) = delete;
  FileBody& operator=(const FileBody&) = delete;
  ~FileBody();
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::shared_ptr<FileBody> file;  // when set, sent instead of body

  bool has_header(std::string_view name) const;

  static Response json(const json::value& v, int status = 200);
  static Response no_content();
  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Single-range requests (RFC 9233) on a response whose `file` holds the whole entity of
// `total` bytes: narrows it and sets 206 + Content-Range, or 416 when unsatisfiable. Ignores
// the Range when If-Range names another entity tag, and multi-range requests (answered whole).
void apply_range(const Request& req, Response& res, std::uint64_t total, const std::string& etag);

// RFC 9457 problem document for an error.
Response problem_response(const class ::ratusha::Error& e, const std::string& request_id);

}  // namespace ratusha::net

namespace ratusha::net {
// Pagination: ?limit= (1..200, default 50) and an opaque ?cursor=.
int page_limit(const Request& req, int default_limit = 50);
std::optional<std::int64_t> page_cursor(const Request& req);
std::string make_cursor(std::int64_t position);
// {"items": [...], "next_cursor": ...}; next_cursor only when the page is full.
json::object page(json::array items, std::size_t limit, std::optional<std::int64_t> last);
}  // namespace ratusha::net
