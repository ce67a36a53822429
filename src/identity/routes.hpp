#pragma once
#include "identity/auth.hpp"
#include "identity/groups.hpp"
#include "identity/service.hpp"
#include "net/router.hpp"

namespace ratusha::identity {
void register_routes(net::Router& router, IdentityService& svc, Auth& auth);
// For routes of other modules that start a session (a guest's meeting link).
std::string user_agent(const net::Request& req);
json::object session_body(IdentityService& svc, const Principal& who, const Person& p);
void register_group_routes(net::Router& router, GroupsService& svc, Auth& auth);
}  // namespace ratusha::identity
