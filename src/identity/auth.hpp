#pragma once
// Who is calling: the session cookie (with CSRF for changes) or a bearer API token.
#include <optional>
#include <string>

#include "identity/service.hpp"
#include "net/http.hpp"

namespace ratusha::identity {

class Auth {
 public:
  Auth(IdentityService& svc, bool secure_cookie)
      : svc_(svc),
        cookie_name_(secure_cookie ? "__Host-ratusha_session" : "ratusha_session"),
        secure_(secure_cookie) {}

  // Throws 401 when nobody is logged in, 403 csrf when a cookie request lacks the token.
  // `touch` = false for requests that must not count as activity (session polling).
  Principal require(net::Request& req, bool touch = true);
  std::optional<Principal> optional(net::Request& req, bool touch = true);
  std::optional<std::string> session_token(const net::Request& req) const;
  std::string set_cookie(const std::string& token) const;
  std::string clear_cookie() const;
  const std::string& cookie_name() const { return cookie_name_; }
  IdentityService& identity() { return svc_; }
  // For WebSocket upgrades: same-origin only.
  static bool same_origin(const net::Request& req);

 private:
  IdentityService& svc_;
  std::string cookie_name_;
  bool secure_;
};

std::string client_address(const net::Request& req);

}  // namespace ratusha::identity
