#include "core/error.hpp"

namespace ratusha {

int http_status(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_request:
      return 400;
    case ErrorKind::unauthenticated:
      return 401;
    case ErrorKind::forbidden:
      return 403;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::method_not_allowed:
      return 405;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::gone:
      return 410;
    case ErrorKind::payload_too_large:
      return 413;
    case ErrorKind::unsupported_media:
      return 415;
    case ErrorKind::validation:
      return 422;
    case ErrorKind::too_many_requests:
      return 429;
    case ErrorKind::unavailable:
      return 503;
    case ErrorKind::insufficient_storage:
      return 507;
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

const char* default_title(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_request:
      return "Bad request";
    case ErrorKind::unauthenticated:
      return "Authentication required";
    case ErrorKind::forbidden:
      return "Forbidden";
    case ErrorKind::not_found:
      return "Not found";
    case ErrorKind::method_not_allowed:
      return "Method not allowed";
    case ErrorKind::conflict:
      return "Conflict";
    case ErrorKind::gone:
      return "Gone";
    case ErrorKind::payload_too_large:
      return "Payload too large";
    case ErrorKind::unsupported_media:
      return "Unsupported media type";
    case ErrorKind::validation:
      return "Validation failed";
    case ErrorKind::too_many_requests:
      return "Too many requests";
    case ErrorKind::unavailable:
      return "Service unavailable";
    case ErrorKind::insufficient_storage:
      return "Insufficient storage";
    case ErrorKind::internal:
      return "Internal error";
  }
  return "Error";
}

const char* problem_title(const std::string& slug, ErrorKind kind) {
  if (slug == "login-failed") return "Login failed";
  if (slug == "totp-required") return "Authentication code required";
  if (slug == "csrf") return "CSRF token missing or wrong";
  if (slug == "rate-limited") return "Too many attempts";
  if (slug == "activation-invalid") return "Activation secret not valid";
  if (slug == "malformed-json") return "Malformed JSON";
  if (slug == "header-too-large") return "Request header fields too large";
  if (slug == "upgrade-required") return "Upgrade required";
  return default_title(kind);
}

}  // namespace ratusha
