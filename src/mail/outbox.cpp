#include <spdlog/spdlog.h>

#include <stdexcept>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "jobs/jobs.hpp"
#include "mail/mail.hpp"
#include "mail/mime.hpp"
#include "security/crypto.hpp"
#include "store/db.hpp"

namespace ratusha::mail {

namespace {

constexpr const char* kColumns =
    "id, dedupe_key, to_addr, subject, message_id, status, attempts, created_at, sent_at, "
    "last_error";

OutboxEntry entry_from(const store::Row& r) {
  OutboxEntry e;
  e.id = r.int64(0);
  e.dedupe_key = r.opt_text(1);
  e.to = r.text(2);
  e.subject = r.text(3);
  e.message_id = r.text(4);
  e.status = r.text(5);
  e.attempts = r.int64(6);
  e.created_at = r.int64(7);
  e.sent_at = r.opt_int64(8);
  e.last_error = r.opt_text(9);
  return e;
}

// RFC 5545 3.1: content lines of at most 75 octets, continued after CRLF and a space, never
// inside a UTF-8 character.
std::string ical_fold(const std::string& text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find("\r\n", pos);
    if (end == std::string::npos) end = text.size();
    std::size_t col = 0;
    for (std::size_t i = pos; i < end; ++i) {
      bool starts_char = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
      if (starts_char && col >= 71) {  // room for a 4-byte character
        out += "\r\n ";
        col = 1;
      }
      out += text[i];
      ++col;
    }
    out += "\r\n";
    pos = end + 2;
  }
  return out;
}

// A parameter value in quotes: no quotes, no control characters.
std::string ical_param(const std::string& text) {
  std::string out;
  for (char c : header_text(text))
    if (c != '"') out += c;
  return out;
}

}  // namespace

Outbox::Outbox(store::Database& db, jobs::Queue& jobs, Settings settings)
    : db_(db), jobs_(jobs), settings_(std::move(settings)) {
  if (enabled()) {
    if (smtp_scheme(settings_.smtp.url).empty())
      throw std::runtime_error("smtp_url must start with smtp:// or smtps://");
    auto from = parse_mailbox(settings_.from);
    if (!from)
      throw std::runtime_error(
          "smtp_from must be an address, e.g. \"Ratusha <ratusha@example.org>\"");
    from_ = *from;
    auto tls = settings_.smtp.starttls;
    if (tls != "try" && tls != "required" && tls != "off")
      throw std::runtime_error("smtp_starttls must be try, required or off");
  } else if (auto from = parse_mailbox(settings_.from)) {
    from_ = *from;
  }
  transport_ = [this](const std::string& f, const std::string& t, const std::string& mime) {
    smtp_send(settings_.smtp, f, t, mime);
  };
  jobs_.handle("mail.send", [this](const jobs::Job& job) { send_job(job); });
}

std::optional<std::int64_t> Outbox::queue(store::Tx& tx, const Message& m) {
  if (!enabled()) return std::nullopt;
  if (!valid_address(m.to))
    throw field_error("to", "invalid", "This is not an e-mail address one can send to.");
  for (const auto* s : {&m.to_name, &m.subject, &m.text})
    if (!valid_utf8(*s)) throw field_error("text", "invalid", "Mail text must be UTF-8.");
  if (m.calendar && !valid_utf8(*m.calendar))
    throw field_error("calendar", "invalid", "The calendar must be UTF-8.");
  auto now = now_seconds();
  std::string subject = header_text(m.subject);
  std::int64_t id = 0;
  if (m.dedupe_key.empty()) {
    id = tx.insert(
        "INSERT INTO mail_outbox (dedupe_key, to_addr, subject, message_id, mime, status, "
        "attempts, created_at) VALUES (NULL, ?, ?, '', '', 'queued', 0, ?)",
        {m.to, subject, now});
  } else {
    // Waits for a concurrent transaction with the same key instead of failing on it.
    auto added = tx.exec(
        "INSERT INTO mail_outbox (dedupe_key, to_addr, subject, message_id, mime, status, "
        "attempts, created_at) VALUES (?, ?, ?, '', '', 'queued', 0, ?) "
        "ON CONFLICT (dedupe_key) DO NOTHING",
        {m.dedupe_key, m.to, subject, now});
    auto row = tx.one("SELECT id FROM mail_outbox WHERE dedupe_key = ?", {m.dedupe_key});
    if (!row) throw std::runtime_error("mail_outbox: the deduplicated row is missing");
    id = row->int64(0);
    if (added != 1) return id;
  }
  auto message_id = make_message_id(id, security::hex(security::random_bytes(9)), from_.address);
  std::string mime;
  try {
    mime = build_message(m, from_, message_id, now, security::hex(security::random_bytes(8)));
  } catch (const std::invalid_argument& e) {
    throw field_error("calendar_method", "invalid", e.what());
  }
  tx.exec("UPDATE mail_outbox SET message_id = ?, mime = ? WHERE id = ?", {message_id, mime, id});
  jobs_.enqueue(tx, "mail.send", {{"outbox_id", id}}, 0, kMaxAttempts);
  return id;
}

void Outbox::send_job(const jobs::Job& job) {
  boost::system::error_code ec;
  auto payload = json::parse(job.payload, ec);
  if (ec || !payload.is_object() || !payload.as_object().contains("outbox_id") ||
      !payload.as_object().at("outbox_id").is_int64())
    throw std::runtime_error("mail.send: the payload has no outbox_id");
  auto id = payload.as_object().at("outbox_id").as_int64();
  auto row = db_.read([&](store::Tx& tx) {
    return tx.one("SELECT status, to_addr, mime FROM mail_outbox WHERE id = ?", {id});
  });
  if (!row) return;                    // nothing to send (cannot happen: rows stay)
  if (row->text(0) == "sent") return;  // a second run after a lost lease: sent once already
  auto fail = [&](const std::string& error, bool final) {
    db_.write([&](store::Tx& tx) {
      tx.exec(
          "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, status = ? "
          "WHERE id = ? AND status <> 'sent'",
          {error.substr(0, 2000), std::string(final ? "failed" : "queued"), id});
    });
  };
  bool last_attempt = job.attempts >= job.max_attempts;
  if (!enabled()) {
    std::string error = "mail is off: no SMTP server is configured (smtp_url)";
    fail(error, last_attempt);
    throw std::runtime_error(error);
  }
  try {
    transport_(from_.address, row->text(1), row->text(2));
  } catch (const SmtpError& e) {
    fail(e.what(), last_attempt || e.permanent());
    spdlog::warn("mail {} to {} not sent: {}", id, row->text(1), e.what());
    if (e.permanent()) return;  // the server refuses this address; retrying will not help
    throw;
  } catch (const std::exception& e) {
    fail(e.what(), last_attempt);
    throw;
  }
  auto now = now_seconds();
  db_.write([&](store::Tx& tx) {
    tx.exec(
        "UPDATE mail_outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
        "last_error = NULL WHERE id = ? AND status <> 'sent'",
        {now, id});
  });
  spdlog::info("mail {} sent to {}", id, row->text(1));
}

std::vector<OutboxEntry> Outbox::list(const std::optional<std::string>& status,
                                      std::optional<std::int64_t> before, int limit) {
  auto rows = db_.read([&](store::Tx& tx) {
    return store::newest_first(tx, kColumns, "mail_outbox", status, before, limit);
  });
  std::vector<OutboxEntry> out;
  for (const auto& r : rows) out.push_back(entry_from(r));
  return out;
}

std::optional<OutboxEntry> Outbox::get(std::int64_t id) {
  auto r = db_.read([&](store::Tx& tx) {
    return tx.one(std::string("SELECT ") + kColumns + " FROM mail_outbox WHERE id = ?", {id});
  });
  if (!r) return std::nullopt;
  return entry_from(*r);
}

Message test_message(const std::string& to, const std::string& to_name, bool calendar,
                     const Mailbox& from, std::int64_t now) {
  Message m;
  m.to = to;
  m.to_name = to_name;
  m.subject = "Ратуша: пробно писмо / Ratusha can send e-mail";
  m.text =
      "Ratusha can send e-mail.\n"
      "Ратуша може да изпраща електронна поща.\n"
      "Ratusza może wysyłać pocztę elektroniczną.\n";
  if (calendar) {
    auto start = (now / 86400 + 1) * 86400 + 10 * 3600;
    auto stamp = [](std::int64_t t) {
      auto s = rfc3339(t);  // 2026-06-04T10:00:00Z -> 20260604T100000Z
      std::string out;
      for (char c : s)
        if (c != '-' && c != ':') out += c;
      return out;
    };
    auto attendee = to_name.empty() ? std::string() : ";CN=\"" + ical_param(to_name) + "\"";
    auto organizer = from.name.empty() ? std::string() : ";CN=\"" + ical_param(from.name) + "\"";
    m.calendar = ical_fold(
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//Ratusha//Mail test//EN\r\n"
        "METHOD:REQUEST\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:mail-test-" +
        std::to_string(now) + "-" + security::hex(security::random_bytes(6)) +
        "@ratusha\r\n"
        "DTSTAMP:" +
        stamp(now) + "\r\nDTSTART:" + stamp(start) + "\r\nDTEND:" + stamp(start + 1800) +
        "\r\n"
        "SUMMARY:Ratusha: пробна покана / test invitation\r\n"
        "ORGANIZER" +
        organizer + ":mailto:" + from.address + "\r\nATTENDEE" + attendee +
        ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:" + to +
        "\r\n"
        "SEQUENCE:0\r\n"
        "STATUS:CONFIRMED\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n");
    m.calendar_method = "REQUEST";
  }
  return m;
}

}  // namespace ratusha::mail
