#include "mail/smtp.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace ratusha::mail {

namespace {

struct Upload {
  const std::string* data;
  std::size_t pos = 0;
};

std::size_t read_body(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  std::size_t room = size * n, left = up->data->size() - up->pos;
  std::size_t k = left < room ? left : room;
  std::memcpy(buf, up->data->data() + up->pos, k);
  up->pos += k;
  return k;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

bool permanent_smtp_failure(long code) {
  return code == 550 || code == 551 || code == 553;
}

std::string smtp_scheme(const std::string& url) {
  if (url.rfind("smtp://", 0) == 0 && url.size() > 7) return "smtp";
  if (url.rfind("smtps://", 0) == 0 && url.size() > 8) return "smtps";
  return {};
}

void smtp_send(const SmtpSettings& s, const std::string& from, const std::string& to,
               const std::string& mime) {
  global_init();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw SmtpError("cannot start libcurl", 0, false);
  CURL* h = curl.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  std::string mail_from = "<" + from + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + to + ">").c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt_guard(rcpt, curl_slist_free_all);
  Upload up{&mime};
  curl_easy_setopt(h, CURLOPT_URL, s.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, s.connect_timeout);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, s.timeout);
  if (smtp_scheme(s.url) == "smtp") {
    if (s.starttls == "required")
      curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    else if (s.starttls == "try")
      curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  }
  if (!s.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, s.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, s.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_body);
  curl_easy_setopt(h, CURLOPT_READDATA, &up);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mime.size()));
  CURLcode rc = curl_easy_perform(h);
  long code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  if (rc != CURLE_OK) {
    // Never the URL or the credentials: only what went wrong.
    std::string what = curl_easy_strerror(rc);
    if (errbuf[0] && what != errbuf) what += ": " + std::string(errbuf);
    if (code) what += " (SMTP " + std::to_string(code) + ")";
    throw SmtpError(what, code, rc != CURLE_LOGIN_DENIED && permanent_smtp_failure(code));
  }
}

}  // namespace ratusha::mail
