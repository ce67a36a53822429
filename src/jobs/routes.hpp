#pragma once
#include "identity/auth.hpp"
#include "jobs/jobs.hpp"
#include "net/router.hpp"

namespace ratusha::jobs {
void register_routes(net::Router& router, Queue& queue, identity::Auth& auth);
}
