#pragma once
// The one error type every layer throws; net/ maps it to an RFC 9457 problem.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace ratusha {

enum class ErrorKind {
  bad_request,           // 400
  unauthenticated,       // 401
  forbidden,             // 403
  not_found,             // 404
  method_not_allowed,    // 405
  conflict,              // 409
  gone,                  // 410
  payload_too_large,     // 413
  unsupported_media,     // 415
  validation,            // 422
  too_many_requests,     // 429
  unavailable,           // 503
  insufficient_storage,  // 507 (quota exceeded)
  internal,              // 500
};

struct FieldError {
  std::string field;
  std::string code;     // stable machine code: required, too_short, ...
  std::string message;  // English, for developers; the UI translates `code`
  long row = -1;        // for CSV imports; -1 when not applicable
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string slug, std::string detail, std::vector<FieldError> errors = {})
      : std::runtime_error(detail),
        kind_(kind),
        slug_(std::move(slug)),
        errors_(std::move(errors)) {}

  ErrorKind kind() const { return kind_; }
  const std::string& slug() const { return slug_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  int retry_after = 0;  // seconds, for too_many_requests and unavailable
  // More members of the problem, e.g. {"opens_at", "2026-11-29T09:45:00Z"}.
  std::vector<std::pair<std::string, std::string>> extensions;

 private:
  ErrorKind kind_;
  std::string slug_;
  std::vector<FieldError> errors_;
};

int http_status(ErrorKind kind);
const char* default_title(ErrorKind kind);
// A title for the problem type where it says more than the status (e.g. "Login failed").
const char* problem_title(const std::string& slug, ErrorKind kind);

inline Error not_found(std::string what = "The resource does not exist.") {
  return Error(ErrorKind::not_found, "not-found", std::move(what));
}
inline Error forbidden(std::string what = "You are not allowed to do this.") {
  return Error(ErrorKind::forbidden, "forbidden", std::move(what));
}
inline Error validation_error(std::vector<FieldError> errors) {
  return Error(ErrorKind::validation, "validation", "Some fields are not valid.",
               std::move(errors));
}
inline Error field_error(std::string field, std::string code, std::string message) {
  return validation_error({FieldError{std::move(field), std::move(code), std::move(message)}});
}

}  // namespace ratusha
