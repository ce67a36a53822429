#pragma once
// The event bus: topics ("person:3", "audit") with subscribers. Events published inside a
// transaction are delivered only after it commits; on PostgreSQL they also travel through
// NOTIFY so that every node delivers them to its own WebSocket clients.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/json.hpp"
#include "store/db.hpp"

namespace ratusha::events {

class Subscriber {
 public:
  virtual ~Subscriber() = default;
  // The full JSON text for the client, and the topic it was published on.
  virtual void deliver(const std::string& topic, const std::string& message) = 0;
};

inline constexpr const char* kEventsMissed = "*";

class Bus {
 public:
  explicit Bus(std::string node_id) : node_id_(std::move(node_id)) {}
  ~Bus();

  void subscribe(const std::string& topic, const std::shared_ptr<Subscriber>& s);
  void unsubscribe(const std::string& topic, Subscriber* s);
  void unsubscribe_all(Subscriber* s);
  // Delivered after `tx` commits (and to the other nodes on PostgreSQL).
  void publish(store::Tx& tx, const std::string& topic, const std::string& event,
               const json::value& data);
  // Delivers on this node only, now.
  void deliver_local(const std::string& topic, const std::string& message);
  // Called for every event this node delivers, whatever its topic (e.g. to drop caches), and
  // with kEventsMissed after the link to the other nodes was lost and is back (events of that
  // time were not seen: drop everything kept). Register listeners before events flow.
  void add_listener(std::function<void(const std::string& topic)> f) {
    listeners_.push_back(std::move(f));
  }
  std::size_t subscriptions() const;
  const std::string& node_id() const { return node_id_; }

  // PostgreSQL: LISTEN on a dedicated connection in a background thread.
  void start_listening(const std::string& postgres_url);
  void stop_listening();
  bool listening() const { return listening_; }

 private:
  void listen_loop(std::string url);
  std::string node_id_;
  mutable std::mutex mu_;
  std::map<std::string, std::map<Subscriber*, std::weak_ptr<Subscriber>>> topics_;
  std::vector<std::function<void(const std::string&)>> listeners_;
  std::thread listener_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
};

// Topic on which identity announces that a person's access changed (disabled, logged out,
// roles or code changed): their open WebSockets close, and reconnect only if still allowed.
std::string access_topic(std::int64_t person_id);
// Topic on which identity announces that a person's record changed (name, language, TOTP):
// caches of that person are dropped on every node. Not open to WebSocket clients.
std::string person_changed_topic(std::int64_t person_id);

std::string event_message(const std::string& topic, const std::string& event,
                          const json::value& data);

}  // namespace ratusha::events
