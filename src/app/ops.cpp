#include "app/ops.hpp"

#include "store/embedded.hpp"
#include "store/migrations.hpp"

namespace ratusha::app {

void register_ops_routes(net::Router& r, store::Database& db, Metrics& metrics) {
  r.add_inline("GET", "/healthz", [](net::Request&) {
    return net::Response::json(json::object{{"status", "ok"}});
  });
  r.add("GET", "/readyz", [&db](net::Request&) {
    try {
      db.read([](store::Tx& tx) { tx.one("SELECT 1"); });
      auto st = store::migration_status(db);
      if (st.pending > 0)
        return net::Response::json(
            json::object{{"status", "migrations pending"}, {"pending", st.pending}}, 503);
      return net::Response::json(json::object{{"status", "ready"}, {"migrations", st.applied}});
    } catch (const std::exception&) {
      return net::Response::json(json::object{{"status", "database unreachable"}}, 503);
    }
  });
  r.add_inline("GET", "/metrics", [&metrics](net::Request&) {
    net::Response res;
    res.content_type = "text/plain; version=0.0.4; charset=utf-8";
    res.body = metrics.render();
    return res;
  });
}

void register_openapi_route(net::Router& r) {
  r.add_inline("GET", "/api/v1/openapi.json", [](net::Request&) {
    net::Response res;
    res.body = std::string(embedded::openapi());
    return res;
  });
}

}  // namespace ratusha::app
