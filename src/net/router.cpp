#include "net/router.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"

namespace ratusha::net {

void Router::add(std::string method, std::string pattern, Handler h, std::size_t max_body,
                 bool blocking) {
  routes_.push_back(
      {std::move(method), std::move(pattern), std::move(h), max_body, blocking, false, {}});
}

bool Router::runs_inline(const std::string& method, const std::string& path) const {
  for (const auto& r : routes_)
    if ((r.method == method || (r.method == "GET" && method == "HEAD")) &&
        match_pattern(r.pattern, path, nullptr))
      return !r.blocking;
  return false;
}

bool match_pattern(const std::string& pattern, const std::string& path,
                   std::map<std::string, std::string>* params) {
  std::size_t i = 0, j = 0;
  while (i < pattern.size() && j <= path.size()) {
    if (pattern[i] == '{') {
      auto close = pattern.find('}', i);
      auto name = pattern.substr(i + 1, close - i - 1);
      auto end = path.find('/', j);
      if (end == std::string::npos) end = path.size();
      if (end == j) return false;  // empty segment
      if (params) (*params)[name] = path.substr(j, end - j);
      i = close + 1;
      j = end;
    } else {
      if (j >= path.size() || pattern[i] != path[j]) return false;
      ++i;
      ++j;
    }
  }
  return i == pattern.size() && j == path.size();
}

const Route* Router::match(Request& req, bool& path_known) const {
  path_known = false;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> params;
    if (!match_pattern(r.pattern, req.path, &params)) continue;
    bool method_ok = r.method == req.method || (r.method == "GET" && req.method == "HEAD");
    if (!method_ok) {
      path_known = true;
      continue;
    }
    req.params = std::move(params);
    req.route = r.pattern;
    return &r;
  }
  return nullptr;
}

std::size_t Router::body_limit(const std::string& method, const std::string& path) const {
  for (const auto& r : routes_)
    if (r.method == method && match_pattern(r.pattern, path, nullptr)) return r.max_body;
  return 64 * 1024;
}

bool Router::streams_body(const std::string& method, const std::string& path) const {
  for (const auto& r : routes_)
    if (r.method == method && match_pattern(r.pattern, path, nullptr)) return r.streamed;
  return false;
}

std::optional<Response> Router::precheck(Request& req) const {
  bool path_known = false;
  const Route* r = match(req, path_known);
  if (!r || !r->precheck) return std::nullopt;
  try {
    r->precheck(req);
    return std::nullopt;
  } catch (const Error& e) {
    return problem_response(e, req.request_id);
  } catch (const std::exception& e) {
    spdlog::error("precheck {} {} failed: {}", req.method, req.path, e.what());
    return problem_response(Error(ErrorKind::internal, "internal", "Something went wrong."),
                            req.request_id);
  }
}

Response Router::dispatch(Request& req) const {
  try {
    bool path_known = false;
    const Route* r = match(req, path_known);
    if (!r) {
      if (path_known)
        throw Error(ErrorKind::method_not_allowed, "method-not-allowed",
                    "This method is not allowed here.");
      throw not_found("No such endpoint.");
    }
    if (req.body.size() > r->max_body || req.body_size > r->max_body)
      throw Error(ErrorKind::payload_too_large, "payload-too-large",
                  "The request body is too large.");
    return r->handler(req);
  } catch (const Error& e) {
    return problem_response(e, req.request_id);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {} failed: {}", req.request_id, req.method, req.path, e.what());
    return problem_response(Error(ErrorKind::internal, "internal",
                                  "Something went wrong on our side. Quote the request id."),
                            req.request_id);
  }
}

}  // namespace ratusha::net
