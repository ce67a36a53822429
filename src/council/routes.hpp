#pragma once
#include "council/service.hpp"
#include "identity/auth.hpp"
#include "net/router.hpp"

namespace ratusha::council {
// public_url: the site's address, for links in the Atom feed.
void register_routes(net::Router& router, CouncilService& svc, identity::Auth& auth,
                     const std::string& public_url);
}  // namespace ratusha::council
