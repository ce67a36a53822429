#pragma once
#include "identity/auth.hpp"
#include "net/router.hpp"
#include "workspace/chat.hpp"
#include "workspace/presence.hpp"
#include "workspace/service.hpp"

namespace ratusha::workspace {
void register_routes(net::Router& router, WorkspaceService& svc, ChatService& chat,
                     identity::Auth& auth);
void register_presence_routes(net::Router& router, PresenceService& presence, identity::Auth& auth);
}  // namespace ratusha::workspace
