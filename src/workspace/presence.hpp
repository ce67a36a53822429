#pragma once
// Who is online, busy, in a meeting or away, and who does not want to be disturbed. Online
// comes from the WebSocket connections (any node); busy and away are what a person says; "in a
// meeting" is an accepted meeting going on now. Changes go to everyone watching "presence".
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "events/bus.hpp"
#include "identity/model.hpp"
#include "store/db.hpp"

namespace ratusha::workspace {

struct Presence {
  std::int64_t person_id = 0;
  std::string state;  // offline | available | busy | away | in-meeting
  bool dnd = false;
};

class PresenceService {
 public:
  static constexpr int kConfirmSeconds = 60;  // a node confirms its connections this often
  static constexpr int kStaleSeconds = 150;   // unconfirmed for longer: that node is gone

  PresenceService(store::Database& db, events::Bus& bus, std::string node_id);
  ~PresenceService();

  // From the realtime endpoint: a person's first socket on this node opened / last one closed.
  // Never blocks: the database is written by this service's own thread.
  void connection_changed(std::int64_t person_id, bool online);
  // Forgets this node's connections of an earlier run; starts the writer thread.
  void start();
  void stop();

  std::vector<Presence> of(const identity::Principal& who, const std::vector<std::int64_t>& ids);
  Presence set_mine(const identity::Principal& who, const std::string& status, bool dnd);

 private:
  Presence current(store::Tx& tx, std::int64_t person_id, std::int64_t now);
  void publish(store::Tx& tx, const Presence& p);
  void run();
  void confirm();

  store::Database& db_;
  events::Bus& bus_;
  std::string node_id_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::int64_t, bool>> queue_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace ratusha::workspace
