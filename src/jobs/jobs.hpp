#pragma once
// Durable background jobs: a table with leases. Any node may claim a due job; a job whose
// node died is claimed again when its lease expires; failures retry with backoff and end in
// a dead-letter state that administrators see. Handlers must be idempotent.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit.hpp"
#include "core/json.hpp"
#include "store/db.hpp"

namespace ratusha::jobs {

struct Job {
  std::int64_t id = 0;
  std::string kind;
  std::string payload;  // JSON
  std::string status;   // queued | running | done | dead
  std::int64_t run_at = 0, attempts = 0, max_attempts = 5, created_at = 0, updated_at = 0;
  std::optional<std::string> lease_owner, last_error;
};

using JobHandler = std::function<void(const Job&)>;

// Pure: seconds to wait before attempt n+1 after n failed attempts (5 s, 10 s, 20 s, ... 1 h).
std::int64_t backoff_seconds(std::int64_t attempts);

class Queue {
 public:
  Queue(store::Database& db, audit::AuditLog& audit, std::string node_id,
        std::int64_t lease_seconds = 60);
  ~Queue();

  void handle(const std::string& kind, JobHandler h);
  // A job that runs again `seconds` after each run, one chain across all nodes (a second chain,
  // from nodes starting together, ends itself at its next run).
  void every(const std::string& kind, std::int64_t seconds, JobHandler h);
  bool knows(const std::string& kind) const;
  // Adds a job inside the caller's transaction.
  std::int64_t enqueue(store::Tx& tx, const std::string& kind, const json::object& payload,
                       std::int64_t run_at = 0, std::int64_t max_attempts = 5);
  // Queues a job on someone's request, in its own transaction, audited.
  Job enqueue_by(const audit::Actor& actor, const std::string& kind);
  // Claims and runs at most one due job; returns whether one ran. Used by the worker thread
  // and by tests.
  bool run_one();
  void start();
  void stop();
  void wake();

  std::vector<Job> list(const std::optional<std::string>& status,
                        std::optional<std::int64_t> before, int limit);
  std::optional<Job> get(std::int64_t id);
  // Puts a dead job back in the queue (audited); nullopt when it is not dead.
  std::optional<Job> retry(const audit::Actor& actor, std::int64_t id);

 private:
  std::optional<Job> claim();
  store::Database& db_;
  audit::AuditLog& audit_;
  std::string node_id_;
  std::int64_t lease_seconds_;
  std::map<std::string, JobHandler> handlers_;
  std::map<std::string, std::int64_t> recurring_;
  std::thread worker_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, woken_ = false;
};

}  // namespace ratusha::jobs
