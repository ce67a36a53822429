#include "mail/routes.hpp"

#include "core/time.hpp"
#include "mail/mime.hpp"

namespace ratusha::mail {

namespace {
json::object entry_json(const OutboxEntry& e) {
  return json::object{{"id", id_string(e.id)},
                      {"to", e.to},
                      {"subject", e.subject},
                      {"message_id", e.message_id},
                      {"status", e.status},
                      {"attempts", e.attempts},
                      {"last_error", nullable(e.last_error)},
                      {"dedupe_key", nullable(e.dedupe_key)},
                      {"created_at", rfc3339(e.created_at)},
                      {"sent_at", nullable_time(e.sent_at)}};
}
}  // namespace

std::int64_t queue_test_message(Outbox& outbox, store::Database& db, audit::AuditLog& audit,
                                const audit::Actor& actor, const std::string& to,
                                const std::string& to_name, bool calendar,
                                const std::string& dedupe_key) {
  if (!valid_address(to))
    throw field_error("to", "invalid", "This is not an e-mail address one can send to.");
  if (!outbox.enabled())
    throw Error(ErrorKind::unavailable, "mail-off",
                "No SMTP server is configured (smtp_url), so no mail can be sent.");
  auto m = test_message(to, to_name, calendar, outbox.from(), now_seconds());
  m.dedupe_key = dedupe_key;
  return db.write([&](store::Tx& tx) {
    auto id = outbox.queue(tx, m).value_or(0);
    audit.append(tx, actor, "mail.test", "mail:" + std::to_string(id),
                 {{"to", to}, {"calendar", calendar}});
    return id;
  });
}

void register_routes(net::Router& r, Outbox& outbox, store::Database& db, audit::AuditLog& audit,
                     identity::Auth& auth) {
  r.add("POST", "/api/v1/mail/test", [&](net::Request& req) {
    auto who = auth.require(req);
    if (!who.can("settings.manage")) throw forbidden();
    auto body = req.body.empty() ? json::object{} : req.json_body();
    Input in(body, {"to", "calendar"});
    auto to = in.optional_text("to", 254);
    auto calendar = in.boolean("calendar", false).value_or(false);
    in.finish();
    std::string address = to ? *to : who.self.email.value_or("");
    if (address.empty())
      throw field_error("to", "required", "Give an address: you have none on record.");
    auto id = queue_test_message(outbox, db, audit, {who.person_id, who.display_name, who.address},
                                 address, to ? std::string() : who.display_name, calendar);
    return net::Response::json(
        json::object{{"id", id_string(id)}, {"status", "queued"}, {"to", address}}, 202);
  });
  r.add("GET", "/api/v1/mail/outbox", [&](net::Request& req) {
    auto who = auth.require(req);
    if (!who.can("settings.manage")) throw forbidden();
    auto status = req.query_param("status");
    if (status && *status != "queued" && *status != "sent" && *status != "failed")
      throw field_error("status", "invalid", "Use queued, sent or failed.");
    int limit = net::page_limit(req);
    auto rows = outbox.list(status, net::page_cursor(req), limit);
    json::array items;
    for (const auto& e : rows) items.push_back(entry_json(e));
    return net::Response::json(
        net::page(std::move(items), static_cast<std::size_t>(limit),
                  rows.empty() ? std::nullopt : std::optional(rows.back().id)));
  });
}

}  // namespace ratusha::mail
