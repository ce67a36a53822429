#pragma once
// Parses one raw HTTP/1.1 request (as bytes) into a Request, with the server's limits.
// The server reads from sockets; this entry point serves the fuzzer and tests.
#include <string_view>

#include "net/http.hpp"

namespace ratusha::net {

enum class ParseResult { ok, incomplete, too_large_header, too_large_body, bad };

ParseResult parse_request(std::string_view raw, std::size_t header_limit, std::size_t body_limit,
                          Request& out);
// Beast request -> Request conversion shared with the server lives in parse.cpp too.

}  // namespace ratusha::net
