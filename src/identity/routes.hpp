#pragma once
#include "identity/auth.hpp"
#include "identity/groups.hpp"
#include "identity/service.hpp"
#include "net/router.hpp"

namespace ratusha::identity {
void register_routes(net::Router& router, IdentityService& svc, Auth& auth);
void register_group_routes(net::Router& router, GroupsService& svc, Auth& auth);
}  // namespace ratusha::identity
