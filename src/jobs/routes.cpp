#include "jobs/routes.hpp"

#include "core/time.hpp"

namespace ratusha::jobs {

namespace {
json::object job_json(const Job& j) {
  boost::system::error_code ec;
  auto payload = json::parse(j.payload, ec);
  return json::object{{"id", id_string(j.id)},
                      {"kind", j.kind},
                      {"status", j.status},
                      {"payload", ec ? json::value(json::object{}) : payload},
                      {"attempts", j.attempts},
                      {"max_attempts", j.max_attempts},
                      {"run_at", rfc3339(j.run_at)},
                      {"created_at", rfc3339(j.created_at)},
                      {"updated_at", rfc3339(j.updated_at)},
                      {"last_error", nullable(j.last_error)}};
}
}  // namespace

void register_routes(net::Router& r, Queue& q, identity::Auth& auth) {
  r.add("GET", "/api/v1/jobs", [&](net::Request& req) {
    auto who = auth.require(req);
    if (!who.can("jobs.manage")) throw forbidden();
    auto status = req.query_param("status");
    if (status && *status != "queued" && *status != "running" && *status != "done" &&
        *status != "dead")
      throw field_error("status", "invalid", "Use queued, running, done or dead.");
    int limit = net::page_limit(req);
    auto jobs = q.list(status, net::page_cursor(req), limit);
    json::array items;
    for (const auto& j : jobs) items.push_back(job_json(j));
    return net::Response::json(
        net::page(std::move(items), static_cast<std::size_t>(limit),
                  jobs.empty() ? std::nullopt : std::optional(jobs.back().id)));
  });
  r.add("POST", "/api/v1/jobs", [&](net::Request& req) {
    auto who = auth.require(req);
    if (!who.can("jobs.manage")) throw forbidden();
    auto body = req.json_body();
    Input in(body, {"kind"});
    auto kind = in.required_text("kind", 60);
    in.finish();
    // Only kinds meant to be started by hand (maintenance) may be queued from outside.
    if (kind != "audit.verify" && kind != "workspace.reminders" &&
        kind != "workspace.occurrences" && kind != "council.roles")
      throw field_error("kind", "invalid", "This job cannot be started by hand.");
    return net::Response::json(
        job_json(q.enqueue_by({who.person_id, who.display_name, who.address}, kind)), 201);
  });
  r.add("POST", "/api/v1/jobs/{id}/retry", [&](net::Request& req) {
    auto who = auth.require(req);
    if (!who.can("jobs.manage")) throw forbidden();
    auto id = req.id_param("id");
    if (!q.get(id)) throw not_found();
    auto job = q.retry({who.person_id, who.display_name, who.address}, id);
    if (!job) throw Error(ErrorKind::conflict, "conflict", "Only a dead job can be retried.");
    return net::Response::json(job_json(*job));
  });
}

}  // namespace ratusha::jobs
