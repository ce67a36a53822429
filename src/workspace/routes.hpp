#pragma once
#include "identity/auth.hpp"
#include "net/router.hpp"
#include "workspace/chat.hpp"
#include "workspace/service.hpp"

namespace ratusha::workspace {
void register_routes(net::Router& router, WorkspaceService& svc, ChatService& chat,
                     identity::Auth& auth);
}
