#include "jobs/jobs.hpp"

#include <spdlog/spdlog.h>

#include "core/time.hpp"

namespace ratusha::jobs {

namespace {
constexpr const char* kColumns =
    "id, kind, payload, status, run_at, attempts, max_attempts, created_at, updated_at, "
    "lease_owner, last_error";
Job job_from(const store::Row& r) {
  Job j;
  j.id = r.int64(0);
  j.kind = r.text(1);
  j.payload = r.text(2);
  j.status = r.text(3);
  j.run_at = r.int64(4);
  j.attempts = r.int64(5);
  j.max_attempts = r.int64(6);
  j.created_at = r.int64(7);
  j.updated_at = r.int64(8);
  j.lease_owner = r.opt_text(9);
  j.last_error = r.opt_text(10);
  return j;
}
}  // namespace

std::int64_t backoff_seconds(std::int64_t attempts) {
  if (attempts < 1) return 0;
  if (attempts > 10) return 3600;
  return std::min<std::int64_t>(3600, std::int64_t{5} << (attempts - 1));
}

Queue::Queue(store::Database& db, audit::AuditLog& audit, std::string node_id,
             std::int64_t lease_seconds)
    : db_(db), audit_(audit), node_id_(std::move(node_id)), lease_seconds_(lease_seconds) {}

Queue::~Queue() {
  stop();
}

void Queue::handle(const std::string& kind, JobHandler h) {
  handlers_[kind] = std::move(h);
}

bool Queue::knows(const std::string& kind) const {
  return handlers_.count(kind) > 0;
}

std::int64_t Queue::enqueue(store::Tx& tx, const std::string& kind, const json::object& payload,
                            std::int64_t run_at, std::int64_t max_attempts) {
  auto now = now_seconds();
  auto id = tx.insert(
      "INSERT INTO jobs (kind, payload, status, run_at, attempts, max_attempts, created_at, "
      "updated_at) VALUES (?, ?, 'queued', ?, 0, ?, ?, ?)",
      {kind, json::serialize(payload), run_at ? run_at : now, max_attempts, now, now});
  tx.on_commit([this] { wake(); });
  return id;
}

Job Queue::enqueue_by(const audit::Actor& actor, const std::string& kind) {
  return db_.write([&](store::Tx& tx) {
    auto id = enqueue(tx, kind, {});
    audit_.append(tx, actor, "job.queued", "job:" + std::to_string(id), {{"kind", kind}});
    return job_from(*tx.one(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?", {id}));
  });
}

std::optional<Job> Queue::claim() {
  auto now = now_seconds();
  return db_.write([&](store::Tx& tx) -> std::optional<Job> {
    // Several nodes: each takes different rows without waiting for the others.
    std::string skip = tx.dialect() == store::Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : "";
    // A job whose node died on its last allowed attempt goes to the dead letters.
    for (const auto& r :
         tx.query("SELECT id, kind, attempts FROM jobs WHERE status = 'running' AND "
                  "lease_expires_at < ? AND attempts >= max_attempts LIMIT 20" +
                      skip,
                  {now})) {
      std::string error = "the node running it stopped; no attempts left";
      tx.exec(
          "UPDATE jobs SET status = 'dead', lease_expires_at = NULL, last_error = ?, "
          "updated_at = ? WHERE id = ?",
          {error, now, r.int64(0)});
      audit_.append(tx, {std::nullopt, "system", "node:" + node_id_}, "job.dead",
                    "job:" + std::to_string(r.int64(0)),
                    {{"kind", r.text(1)}, {"attempts", r.int64(2)}, {"error", error}});
    }
    auto row = tx.one(
        "SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= ?) OR (status = 'running' AND "
        "lease_expires_at < ? AND attempts < max_attempts) ORDER BY run_at, id LIMIT 1" +
            skip,
        {now, now});
    if (!row) return std::nullopt;
    auto id = row->int64(0);
    tx.exec(
        "UPDATE jobs SET status = 'running', lease_owner = ?, lease_expires_at = ?, attempts = "
        "attempts + 1, updated_at = ? WHERE id = ?",
        {node_id_, now + lease_seconds_, now, id});
    auto r = tx.one(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?", {id});
    return job_from(*r);
  });
}

bool Queue::run_one() {
  auto job = claim();
  if (!job) return false;
  auto it = handlers_.find(job->kind);
  std::string error;
  if (it == handlers_.end()) {
    error = "no handler for job kind " + job->kind;
  } else {
    try {
      it->second(*job);
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "failed";
    }
  }
  auto now = now_seconds();
  auto again = recurring_.find(job->kind);
  db_.write([&](store::Tx& tx) {
    if (again != recurring_.end()) {
      // A recurring job is not retried: its next run comes soon and does the same work.
      if (!tx.one("SELECT 1 FROM jobs WHERE kind = ? AND status = 'queued' AND id <> ?",
                  {job->kind, job->id}))
        enqueue(tx, job->kind, json::object{}, now + again->second, 1000);
      // Its rows would pile up every minute: a run that went well leaves none.
      if (error.empty())
        tx.exec("DELETE FROM jobs WHERE id = ? AND lease_owner = ?", {job->id, node_id_});
      else
        tx.exec(
            "UPDATE jobs SET status = 'done', lease_expires_at = NULL, updated_at = ?, "
            "last_error = ? WHERE id = ? AND lease_owner = ?",
            {now, error.substr(0, 2000), job->id, node_id_});
    } else if (error.empty()) {
      tx.exec(
          "UPDATE jobs SET status = 'done', lease_expires_at = NULL, updated_at = ?, "
          "last_error = NULL WHERE id = ? AND lease_owner = ?",
          {now, job->id, node_id_});
    } else if (job->attempts >= job->max_attempts) {
      // Only the node that still holds the lease records the outcome.
      if (tx.exec("UPDATE jobs SET status = 'dead', lease_expires_at = NULL, updated_at = ?, "
                  "last_error = ? WHERE id = ? AND lease_owner = ? AND status = 'running'",
                  {now, error.substr(0, 2000), job->id, node_id_}) != 1)
        return;
      audit_.append(
          tx, {std::nullopt, "system", "node:" + node_id_}, "job.dead",
          "job:" + std::to_string(job->id),
          {{"kind", job->kind}, {"attempts", job->attempts}, {"error", error.substr(0, 500)}});
    } else {
      tx.exec(
          "UPDATE jobs SET status = 'queued', run_at = ?, lease_expires_at = NULL, updated_at "
          "= ?, last_error = ? WHERE id = ? AND lease_owner = ?",
          {now + backoff_seconds(job->attempts), now, error.substr(0, 2000), job->id, node_id_});
    }
  });
  if (!error.empty()) spdlog::warn("job {} ({}) failed: {}", job->id, job->kind, error);
  return true;
}

void Queue::every(const std::string& kind, std::int64_t seconds, JobHandler h) {
  handle(kind, std::move(h));
  recurring_[kind] = seconds;
}

void Queue::start() {
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  for (const auto& [kind, seconds] : recurring_) {
    (void)seconds;
    db_.write([&](store::Tx& tx) {
      if (!tx.one("SELECT 1 FROM jobs WHERE kind = ? AND status IN ('queued', 'running')", {kind}))
        enqueue(tx, kind, json::object{}, now_seconds(), 1000);
    });
  }
  worker_ = std::thread([this] {
    for (;;) {
      bool ran = false;
      try {
        ran = run_one();
      } catch (const std::exception& e) {
        spdlog::warn("job runner: {}", e.what());
      }
      std::unique_lock lock(mu_);
      if (stop_) return;
      if (!ran) {
        cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stop_ || woken_; });
        woken_ = false;
        if (stop_) return;
      }
    }
  });
}

void Queue::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void Queue::wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

std::vector<Job> Queue::list(const std::optional<std::string>& status,
                             std::optional<std::int64_t> before, int limit) {
  auto rows = db_.read([&](store::Tx& tx) {
    return store::newest_first(tx, kColumns, "jobs", status, before, limit);
  });
  std::vector<Job> out;
  for (const auto& r : rows) out.push_back(job_from(r));
  return out;
}

std::optional<Job> Queue::get(std::int64_t id) {
  auto r = db_.read([&](store::Tx& tx) {
    return tx.one(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?", {id});
  });
  if (!r) return std::nullopt;
  return job_from(*r);
}

std::optional<Job> Queue::retry(const audit::Actor& actor, std::int64_t id) {
  auto job = db_.write([&](store::Tx& tx) -> std::optional<Job> {
    if (tx.exec("UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?, updated_at = ? "
                "WHERE id = ? AND status = 'dead'",
                {now_seconds(), now_seconds(), id}) != 1)
      return std::nullopt;
    audit_.append(tx, actor, "job.retried", "job:" + std::to_string(id));
    return job_from(*tx.one(std::string("SELECT ") + kColumns + " FROM jobs WHERE id = ?", {id}));
  });
  if (job) wake();
  return job;
}

}  // namespace ratusha::jobs
