#pragma once
// Beast request -> our Request; only for net/*.cpp (includes Beast).
#include <boost/beast/http.hpp>

#include "net/http.hpp"

namespace ratusha::net {
// False when the target is not a valid origin-form URL or the path decodes to a NUL.
bool to_request(boost::beast::http::request<boost::beast::http::string_body>&& in, Request& out);
}  // namespace ratusha::net
