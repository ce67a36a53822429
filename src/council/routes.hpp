#pragma once
#include "council/service.hpp"
#include "identity/auth.hpp"
#include "net/router.hpp"

namespace ratusha::council {
void register_routes(net::Router& router, CouncilService& svc, identity::Auth& auth);
}  // namespace ratusha::council
