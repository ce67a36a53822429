#include "audit/routes.hpp"

#include "core/time.hpp"

namespace ratusha::audit {

void register_routes(net::Router& r, AuditLog& log, store::Database& db, identity::Auth& auth) {
  r.add("GET", "/api/v1/audit", [&](net::Request& req) {
    auto who = auth.require(req);
    if (!who.can("audit.read")) throw forbidden();
    Filter f;
    f.limit = net::page_limit(req);
    f.before_seq = net::page_cursor(req);
    f.action = req.query_param("action");
    if (f.action && (f.action->size() > 80 || has_control_chars(*f.action, false)))
      throw field_error("action", "invalid", "Not a valid action name.");
    if (auto a = req.query_param("actor_id")) {
      try {
        f.actor_id = std::stoll(*a);
      } catch (...) {
        throw field_error("actor_id", "invalid", "Not a valid id.");
      }
    }
    for (auto [name, slot] : {std::pair{"from", &f.from_ms}, std::pair{"to", &f.to_ms}}) {
      if (auto v = req.query_param(name)) {
        auto t = parse_rfc3339_millis(*v);
        if (!t)
          throw field_error(name, "invalid", "Use a date like 2026-11-22 or an RFC 3339 time.");
        // A plain date as "to" means the whole of that day.
        *slot = *t + (std::string(name) == "to" && v->size() == 10 ? 86400000 : 0);
      }
    }
    auto entries = log.list(db, f);
    json::array items;
    for (const auto& e : entries) items.push_back(to_json(e));
    return net::Response::json(
        net::page(std::move(items), static_cast<std::size_t>(f.limit),
                  entries.empty() ? std::nullopt : std::optional(entries.back().seq)));
  });
}

}  // namespace ratusha::audit
