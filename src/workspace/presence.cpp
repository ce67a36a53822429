#include "workspace/presence.hpp"

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace ratusha::workspace {

using store::Tx;

PresenceService::PresenceService(store::Database& db, events::Bus& bus, std::string node_id)
    : db_(db), bus_(bus), node_id_(std::move(node_id)) {}

PresenceService::~PresenceService() {
  stop();
}

void PresenceService::start() {
  db_.write([&](Tx& tx) { tx.exec("DELETE FROM presence_sockets WHERE node_id = ?", {node_id_}); });
  worker_ = std::thread([this] { run(); });
}

void PresenceService::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void PresenceService::connection_changed(std::int64_t person_id, bool online) {
  {
    std::lock_guard lock(mu_);
    queue_.emplace_back(person_id, online);
  }
  cv_.notify_one();
}

void PresenceService::run() {
  auto confirmed = std::chrono::steady_clock::now();
  for (;;) {
    // Confirm this node's connections every minute, however busy the queue is.
    if (std::chrono::steady_clock::now() - confirmed >= std::chrono::seconds(kConfirmSeconds)) {
      confirm();
      confirmed = std::chrono::steady_clock::now();
    }
    std::pair<std::int64_t, bool> change;
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait_for(lock, std::chrono::seconds(kConfirmSeconds),
                        [&] { return stop_ || !queue_.empty(); }))
        continue;
      if (queue_.empty()) return;  // stopping, nothing left
      change = queue_.front();
      queue_.pop_front();
    }
    auto [person, online] = change;
    try {
      db_.write([&](Tx& tx) {
        auto now = now_seconds();
        if (online)
          tx.exec(
              "INSERT INTO presence_sockets (node_id, person_id, seen_at) VALUES (?, ?, ?) ON "
              "CONFLICT (node_id, person_id) DO UPDATE SET seen_at = excluded.seen_at",
              {node_id_, person, now});
        else
          tx.exec("DELETE FROM presence_sockets WHERE node_id = ? AND person_id = ?",
                  {node_id_, person});
        publish(tx, current(tx, person, now));
      });
    } catch (const std::exception& e) {
      spdlog::warn("presence of {}: {}", person, e.what());
    }
  }
}

void PresenceService::confirm() {
  try {
    db_.write([&](Tx& tx) {
      auto now = now_seconds();
      tx.exec("UPDATE presence_sockets SET seen_at = ? WHERE node_id = ?", {now, node_id_});
      tx.exec("DELETE FROM presence_sockets WHERE seen_at < ?", {now - 3600});
    });
  } catch (const std::exception& e) {
    spdlog::warn("presence: {}", e.what());
  }
}

Presence PresenceService::current(Tx& tx, std::int64_t person_id, std::int64_t now) {
  Presence p{person_id, "offline", false};
  auto own = tx.one("SELECT status, dnd FROM presence WHERE person_id = ?", {person_id});
  if (own) p.dnd = own->int64(1) != 0;
  if (!tx.one("SELECT 1 FROM presence_sockets WHERE person_id = ? AND seen_at > ?",
              {person_id, now - kStaleSeconds}))
    return p;
  std::string said = own ? own->text(0) : "available";
  if (said != "available") {
    p.state = said;
  } else if (tx.one("SELECT 1 FROM meeting_attendance a JOIN meeting_invitees i ON i.meeting_id = "
                    "a.meeting_id AND i.person_id = a.person_id JOIN meetings m ON m.id = "
                    "a.meeting_id WHERE a.person_id = ? AND a.starts_at <= ? AND a.ends_at > ? "
                    "AND a.starts_at > ? AND i.response = 'accepted' AND m.status = 'scheduled'",
                    {person_id, now, now, now - 86400})) {
    p.state = "in-meeting";
  } else {
    p.state = "available";
  }
  return p;
}

void PresenceService::publish(Tx& tx, const Presence& p) {
  bus_.publish(
      tx, "presence", "presence.changed",
      json::object{{"person_id", id_string(p.person_id)}, {"state", p.state}, {"dnd", p.dnd}});
}

std::vector<Presence> PresenceService::of(const identity::Principal& who,
                                          const std::vector<std::int64_t>& ids) {
  if (who.totp_enrolment_required) throw forbidden("Set up two-step verification first.");
  if (ids.size() > 200) throw field_error("ids", "too_many", "At most 200 people at once.");
  return db_.read([&](Tx& tx) {
    auto now = now_seconds();
    std::vector<Presence> out;
    for (auto id : ids) out.push_back(current(tx, id, now));
    return out;
  });
}

Presence PresenceService::set_mine(const identity::Principal& who, const std::string& status,
                                   bool dnd) {
  if (status != "available" && status != "busy" && status != "away")
    throw field_error("status", "invalid", "Say available, busy or away.");
  return db_.write([&](Tx& tx) {
    auto now = now_seconds();
    if (tx.exec("UPDATE presence SET status = ?, dnd = ?, updated_at = ? WHERE person_id = ?",
                {status, std::int64_t{dnd ? 1 : 0}, now, who.person_id}) == 0)
      tx.exec("INSERT INTO presence (person_id, status, dnd, updated_at) VALUES (?, ?, ?, ?)",
              {who.person_id, status, std::int64_t{dnd ? 1 : 0}, now});
    auto p = current(tx, who.person_id, now);
    publish(tx, p);
    return p;
  });
}

}  // namespace ratusha::workspace
