#pragma once
// Delivery of one finished message to the configured SMTP server (libcurl).
#include <stdexcept>
#include <string>

namespace ratusha::mail {

struct SmtpSettings {
  std::string url;  // smtp://host[:port] (STARTTLS as `starttls` says) or smtps://host[:port]
  std::string username, password;  // both empty: no AUTH
  std::string starttls = "try";    // smtp:// only: try | required | off
  long connect_timeout = 30;       // seconds
  long timeout = 55;               // seconds for the whole exchange; below the job lease (60 s)
};

class SmtpError : public std::runtime_error {
 public:
  SmtpError(const std::string& what, long response_code, bool permanent)
      : std::runtime_error(what), response_code_(response_code), permanent_(permanent) {}
  long response_code() const { return response_code_; }
  // The server refused this recipient for good (550, 551, 553): trying again will not help.
  bool permanent() const { return permanent_; }

 private:
  long response_code_;
  bool permanent_;
};

// Pure: does this SMTP reply mean the address itself is refused for good?
bool permanent_smtp_failure(long response_code);
// "smtp", "smtps" or "" when the URL is not one we can send to.
std::string smtp_scheme(const std::string& url);

// Sends `mime` (CRLF, 7-bit) from `from` to `to` (addresses only). Throws SmtpError.
void smtp_send(const SmtpSettings& s, const std::string& from, const std::string& to,
               const std::string& mime);

}  // namespace ratusha::mail
