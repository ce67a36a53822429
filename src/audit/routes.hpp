#pragma once
#include "audit/audit.hpp"
#include "identity/auth.hpp"
#include "net/router.hpp"

namespace ratusha::audit {
void register_routes(net::Router& router, AuditLog& log, store::Database& db, identity::Auth& auth);
}
