#pragma once
#include "identity/auth.hpp"
#include "media/service.hpp"
#include "net/router.hpp"

namespace ratusha::media {
void register_routes(net::Router& router, MediaService& svc, identity::Auth& auth);
}  // namespace ratusha::media
