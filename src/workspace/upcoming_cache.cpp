#include "workspace/upcoming_cache.hpp"

namespace ratusha::workspace {

std::optional<std::vector<Upcoming>> UpcomingCache::get(std::int64_t person, std::int64_t from,
                                                        std::int64_t to, int limit) const {
  Rows rows;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(person);
    if (it == entries_.end() || from < it->second.from || to > it->second.to ||
        std::chrono::steady_clock::now() >= it->second.expires)
      return std::nullopt;
    rows = it->second.rows;
  }
  // The same rows the query gives: started before `to`, not over at `from`, in start order (a
  // meeting lasts at most a day, so the query's lower bound on the start adds nothing here).
  std::vector<Upcoming> out;
  for (auto& u : *rows) {
    if (static_cast<int>(out.size()) >= limit || u.starts_at >= to) break;
    if (u.ends_at > from) out.push_back(u);
  }
  return out;
}

std::uint64_t UpcomingCache::epoch() const {
  std::lock_guard lock(mu_);
  return epoch_;
}

void UpcomingCache::put(std::int64_t person, std::int64_t from, std::int64_t to,
                        std::vector<Upcoming> rows, std::uint64_t epoch_before) {
  if (rows.size() >= kMaxRows) return;
  auto shared = std::make_shared<const std::vector<Upcoming>>(std::move(rows));
  std::lock_guard lock(mu_);
  if (epoch_ != epoch_before) return;
  entries_[person] = {from, to, std::move(shared), std::chrono::steady_clock::now() + kLifetime};
}

void UpcomingCache::forget(std::int64_t person) {
  std::lock_guard lock(mu_);
  ++epoch_;
  entries_.erase(person);
}

void UpcomingCache::forget_all() {
  std::lock_guard lock(mu_);
  ++epoch_;
  entries_.clear();
}

std::size_t UpcomingCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace ratusha::workspace
