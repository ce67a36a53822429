#pragma once
// The routing table: method + pattern ("/api/v1/people/{id}") -> handler and limits.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "net/http.hpp"

namespace ratusha::net {

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method;
  std::string pattern;
  Handler handler;
  std::size_t max_body = 64 * 1024;  // bytes
  bool blocking = true;   // false: never waits (no database, no files), runs on the I/O thread
  bool streamed = false;  // the body is streamed to a temporary file (Request::body_file)
  // Streamed routes: checks (authentication, rights) run on the header alone, before a large
  // body is accepted; throwing refuses the request without reading the body.
  std::function<void(Request&)> precheck;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler h, std::size_t max_body = 64 * 1024,
           bool blocking = true);
  // A handler that never blocks, run where the request was read (health, metrics, documents).
  void add_inline(std::string method, std::string pattern, Handler h) {
    add(std::move(method), std::move(pattern), std::move(h), 0, false);
  }
  // Uploads: the body (up to max_body) is written to a file while it arrives.
  void add_streamed(std::string method, std::string pattern, Handler h, std::size_t max_body,
                    std::function<void(Request&)> precheck = {}) {
    add(std::move(method), std::move(pattern), std::move(h), max_body, true);
    routes_.back().streamed = true;
    routes_.back().precheck = std::move(precheck);
  }
  bool runs_inline(const std::string& method, const std::string& path) const;
  // Finds the route for a request and fills req.params/req.route. Returns nullptr when none
  // matches; sets `path_known` when the path exists under another method (-> 405).
  const Route* match(Request& req, bool& path_known) const;
  // Looks up the body limit before the body is read (header-only match).
  std::size_t body_limit(const std::string& method, const std::string& path) const;
  bool streams_body(const std::string& method, const std::string& path) const;
  // Runs the route's precheck (if any) on a header-only request; returns the refusal, if any.
  std::optional<Response> precheck(Request& req) const;
  // Runs the handler; every exception becomes a problem response.
  Response dispatch(Request& req) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

bool match_pattern(const std::string& pattern, const std::string& path,
                   std::map<std::string, std::string>* params);

}  // namespace ratusha::net
