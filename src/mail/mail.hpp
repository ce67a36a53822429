#pragma once
// Outgoing e-mail, durable and retried. A module queues a message inside its own transaction:
// the whole MIME message is built then and stored in `mail_outbox` with a `mail.send` job, so
// it goes out only if that transaction commits, and is never lost afterwards (SMTP down:
// the job retries with backoff for about three days; the row keeps attempts and last_error).
//
//   app.mail().queue(tx, mail::Message{.to = "ivan@example.org", .to_name = "Иван Петров",
//                                      .subject = "Покана", .text = "...",
//                                      .calendar = ics, .calendar_method = "REQUEST",
//                                      .dedupe_key = "meeting:12:invite:7:v3"});
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mail/model.hpp"
#include "mail/smtp.hpp"

namespace ratusha::store {
class Database;
class Tx;
}  // namespace ratusha::store
namespace ratusha::jobs {
class Queue;
struct Job;
}  // namespace ratusha::jobs

namespace ratusha::mail {

struct Settings {
  SmtpSettings smtp;  // smtp.url empty: mail is off
  std::string from;   // "Ратуша <ratusha@example.org>"; required when smtp.url is set
};

// One outbox row as listed for administrators (no body).
struct OutboxEntry {
  std::int64_t id = 0;
  std::optional<std::string> dedupe_key;
  std::string to, subject, message_id;
  std::string status;  // queued | sent | failed
  std::int64_t attempts = 0, created_at = 0;
  std::optional<std::int64_t> sent_at;
  std::optional<std::string> last_error;
};

// Hands a finished message to the mail server: (envelope from, envelope to, MIME).
using Transport =
    std::function<void(const std::string& from, const std::string& to, const std::string& mime)>;

class Outbox {
 public:
  // Attempts of one message before its row is `failed` and its job dead (~3 days of backoff).
  static constexpr std::int64_t kMaxAttempts = 80;

  // Registers the `mail.send` job handler (also when mail is off, so that messages queued
  // earlier wait rather than vanish). Throws std::runtime_error for an unusable setting.
  Outbox(store::Database& db, jobs::Queue& jobs, Settings settings);

  // Queues the message inside the caller's transaction (a row in mail_outbox + a "mail.send"
  // job), so it is sent only if the transaction commits, and never lost afterwards.
  // Returns the outbox id (for a dedupe_key queued before: that earlier row's id), or nullopt
  // when mail is off. Throws ratusha::Error (422, field "to") for an address that is not
  // valid (check with valid_address() first to skip such people) and for a calendar_method
  // that contradicts the calendar's METHOD.
  std::optional<std::int64_t> queue(store::Tx& tx, const Message& m);
  // False when no SMTP server is configured: queue() then does nothing.
  bool enabled() const { return !settings_.smtp.url.empty(); }
  const Mailbox& from() const { return from_; }

  // Newest first; `before`: the cursor (an id).
  std::vector<OutboxEntry> list(const std::optional<std::string>& status,
                                std::optional<std::int64_t> before, int limit);
  std::optional<OutboxEntry> get(std::int64_t id);

  // The `mail.send` job: sends the row unless it is already sent (then nothing happens),
  // records the outcome; throws on failure so that the job is retried.
  void send_job(const jobs::Job& job);
  // For tests: replaces the SMTP client.
  void set_transport(Transport t) { transport_ = std::move(t); }

 private:
  store::Database& db_;
  jobs::Queue& jobs_;
  Settings settings_;
  Mailbox from_;
  Transport transport_;
};

// The message of `POST /api/v1/mail/test` and `ratusha mail test`: a short text in English,
// Bulgarian and Polish; with `calendar`, also an invitation (METHOD:REQUEST) to a test event
// tomorrow at 10:00 UTC.
Message test_message(const std::string& to, const std::string& to_name, bool calendar,
                     const Mailbox& from, std::int64_t now);

}  // namespace ratusha::mail
