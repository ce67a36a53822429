#pragma once
#include "core/metrics.hpp"
#include "net/router.hpp"
#include "store/db.hpp"

namespace ratusha::app {
// /healthz, /readyz, /metrics
void register_ops_routes(net::Router& router, store::Database& db, Metrics& metrics);
// /api/v1/openapi.json (the document in docs/openapi.json, compiled in)
void register_openapi_route(net::Router& router);
}  // namespace ratusha::app
