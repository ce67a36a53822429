#pragma once
#include "audit/audit.hpp"
#include "identity/auth.hpp"
#include "mail/mail.hpp"
#include "net/router.hpp"
#include "store/db.hpp"

namespace ratusha::mail {
// POST /api/v1/mail/test and GET /api/v1/mail/outbox (settings.manage).
void register_routes(net::Router& router, Outbox& outbox, store::Database& db,
                     audit::AuditLog& audit, identity::Auth& auth);
// Queues the test message (audited as mail.test); returns the outbox id. Throws 422 for a bad
// address and 503 when mail is off.
std::int64_t queue_test_message(Outbox& outbox, store::Database& db, audit::AuditLog& audit,
                                const audit::Actor& actor, const std::string& to,
                                const std::string& to_name, bool calendar,
                                const std::string& dedupe_key = {});
}  // namespace ratusha::mail
