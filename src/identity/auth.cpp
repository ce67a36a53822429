#include "identity/auth.hpp"

#include "security/crypto.hpp"

namespace ratusha::identity {

std::string client_address(const net::Request& req) {
  return req.remote_address;
}

std::optional<std::string> Auth::session_token(const net::Request& req) const {
  return req.cookie(cookie_name_);
}

std::optional<Principal> Auth::optional(net::Request& req, bool touch) {
  if (auto h = req.header("authorization"); h && h->starts_with("Bearer ")) {
    auto who = svc_.authenticate_token(std::string(h->substr(7)));
    if (!who) return std::nullopt;
    who->address = client_address(req);
    req.person_id = who->person_id;
    return who;
  }
  auto token = session_token(req);
  if (!token) return std::nullopt;
  auto who = svc_.authenticate_session(*token, touch);
  if (!who) return std::nullopt;
  bool unsafe = req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
  if (unsafe) {
    auto sent = req.header("x-csrf-token");
    if (!sent || !security::constant_time_equal(*sent, who->csrf_token))
      throw Error(ErrorKind::forbidden, "csrf",
                  "The request lacks a valid CSRF token. Reload the page and try again.");
  }
  who->address = client_address(req);
  req.person_id = who->person_id;
  return who;
}

Principal Auth::require(net::Request& req, bool touch) {
  auto who = optional(req, touch);
  if (!who)
    throw Error(ErrorKind::unauthenticated, "unauthenticated",
                "Log in first; your session may have expired.");
  return *who;
}

std::string Auth::set_cookie(const std::string& token) const {
  // No Max-Age: the cookie ends with the browser; the server ends the session on its own clock.
  return cookie_name_ + "=" + token + "; Path=/; HttpOnly; SameSite=Lax" +
         (secure_ ? "; Secure" : "");
}

std::string Auth::clear_cookie() const {
  return cookie_name_ + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" +
         (secure_ ? "; Secure" : "");
}

bool Auth::same_origin(const net::Request& req) {
  auto origin = req.header("origin");
  auto host = req.header("host");
  if (!origin || !host) return false;
  return *origin == "http://" + std::string(*host) || *origin == "https://" + std::string(*host);
}

}  // namespace ratusha::identity
