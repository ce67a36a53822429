#pragma once
#include "documents/service.hpp"
#include "identity/auth.hpp"
#include "net/router.hpp"

namespace ratusha::documents {
void register_routes(net::Router& router, DocumentsService& svc, identity::Auth& auth);
}
