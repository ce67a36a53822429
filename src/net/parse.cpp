// clang-format off
#include <utility>
// clang-format on
#include "net/parse.hpp"

#include <boost/beast/http.hpp>
#include <boost/url.hpp>

#include "net/convert.hpp"

namespace ratusha::net {

namespace http = boost::beast::http;

bool to_request(http::request<http::string_body>&& in, Request& out) {
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  auto parsed = boost::urls::parse_origin_form(out.target);
  if (!parsed) return false;
  out.path = parsed->encoded_path().decode();
  if (out.path.find('\0') != std::string::npos) return false;
  out.query.clear();
  for (auto p : parsed->params()) out.query.emplace_back(p.key, p.has_value ? p.value : "");
  out.headers.clear();
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  out.body = std::move(in.body());
  return true;
}

ParseResult parse_request(std::string_view raw, std::size_t header_limit, std::size_t body_limit,
                          Request& out) {
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(header_limit));
  parser.body_limit(body_limit);
  parser.eager(true);
  boost::system::error_code ec;
  std::size_t used = parser.put(boost::asio::buffer(raw.data(), raw.size()), ec);
  (void)used;
  if (ec == http::error::need_more) return ParseResult::incomplete;
  if (ec == http::error::header_limit) return ParseResult::too_large_header;
  if (ec == http::error::body_limit) return ParseResult::too_large_body;
  if (ec) return ParseResult::bad;
  if (!parser.is_done()) return ParseResult::incomplete;
  return to_request(parser.release(), out) ? ParseResult::ok : ParseResult::bad;
}

}  // namespace ratusha::net
