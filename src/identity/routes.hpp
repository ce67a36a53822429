#pragma once
#include "identity/auth.hpp"
#include "identity/service.hpp"
#include "net/router.hpp"

namespace ratusha::identity {
void register_routes(net::Router& router, IdentityService& svc, Auth& auth);
}
