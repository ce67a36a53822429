#pragma once
// Each person's coming days, kept on this node: the dashboard and the calendar read "my meetings"
// far more often than they change. An entry covers a window a little longer than what was asked,
// so the next read (a second later, "from now") is still inside it. It is dropped when the
// person hears `meetings.changed` or a notification (every change to their meetings publishes
// one, on every node through the bus), everything is dropped when a room or a person record
// changes (names in the rows), and nothing lives longer than a few minutes whatever happens.
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "workspace/model.hpp"

namespace ratusha::workspace {

class UpcomingCache {
 public:
  using Rows = std::shared_ptr<const std::vector<Upcoming>>;
  static constexpr std::int64_t kMargin = 86400;  // how far past `to` a window is filled
  static constexpr std::size_t kMaxRows = 2000;   // a longer window is not kept
  static constexpr std::chrono::seconds kLifetime{300};

  // What a read would return, or nullopt when no window covers [from, to).
  std::optional<std::vector<Upcoming>> get(std::int64_t person, std::int64_t from, std::int64_t to,
                                           int limit) const;
  // Taken before reading the database; `put` keeps the rows only if nothing was dropped since
  // (a change committed meanwhile may not be in them).
  std::uint64_t epoch() const;
  void put(std::int64_t person, std::int64_t from, std::int64_t to, std::vector<Upcoming> rows,
           std::uint64_t epoch_before);
  void forget(std::int64_t person);
  void forget_all();
  std::size_t size() const;

 private:
  struct Entry {
    std::int64_t from = 0, to = 0;
    Rows rows;
    std::chrono::steady_clock::time_point expires;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::int64_t, Entry> entries_;
  std::uint64_t epoch_ = 0;
};

}  // namespace ratusha::workspace
