#pragma once
// /api/v1/ws: clients subscribe to topics; each subscription is checked by the topic's owner.
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "events/bus.hpp"
#include "net/server.hpp"

namespace ratusha::events {

struct Caller {
  std::int64_t person_id = 0;
  std::set<std::string> permissions;
  // Asks again whether the session behind the socket is still valid (expiry, logout).
  std::function<bool()> still_valid;
};

// Topic "kind:arg" (or just "kind"): returns whether the caller may watch it.
using TopicCheck = std::function<bool(const Caller&, const std::string& arg)>;
// Authenticates the upgrade request; throws ratusha::Error to refuse.
using Authenticate = std::function<Caller(net::Request&)>;

class Realtime : public net::WsEndpoint {
 public:
  Realtime(Bus& bus, Authenticate auth) : bus_(bus), auth_(std::move(auth)) {}
  // `each_event`: ask again before every event, not only on subscribe (for rights that can be
  // taken away at any moment, like a document's shares).
  void add_topic(std::string kind, TopicCheck check, bool each_event = false) {
    if (each_event) recheck_.insert(kind);
    topics_[std::move(kind)] = std::move(check);
  }
  bool allowed(const Caller& c, const std::string& topic) const;
  bool rechecked(const std::string& topic) const {
    return recheck_.count(topic.substr(0, topic.find(':'))) > 0;
  }
  std::shared_ptr<net::WsSession> open(net::Request& req,
                                       std::shared_ptr<net::WsPeer> peer) override;

  // Told when a person's first socket on this node opens (true) and their last one closes
  // (false). Called on whatever thread the socket lives on: it must not block.
  void on_presence(std::function<void(std::int64_t person_id, bool online)> f) {
    presence_ = std::move(f);
  }
  void socket_closed(std::int64_t person_id);

  static constexpr std::size_t kMaxSubscriptions = 100;

 private:
  std::function<void(std::int64_t, bool)> presence_;
  std::mutex sockets_mu_;
  std::map<std::int64_t, int> sockets_;  // person -> open sockets on this node

  Bus& bus_;
  Authenticate auth_;
  std::map<std::string, TopicCheck> topics_;
  std::set<std::string> recheck_;
};

}  // namespace ratusha::events
