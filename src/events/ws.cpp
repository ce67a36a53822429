#include "events/ws.hpp"

#include <chrono>

#include "core/error.hpp"

namespace ratusha::events {

namespace {

class Client : public net::WsSession,
               public Subscriber,
               public std::enable_shared_from_this<Client> {
 public:
  Client(Bus& bus, Realtime& rt, Caller caller, std::shared_ptr<net::WsPeer> peer)
      : bus_(bus), rt_(rt), caller_(std::move(caller)), peer_(std::move(peer)) {}

  void deliver(const std::string& topic, const std::string& message) override {
    if (topic.starts_with("access:")) {
      peer_->close(1008);  // policy: access changed; the client reconnects if still allowed
      return;
    }
    if (rt_.rechecked(topic) && !rt_.allowed(caller_, topic)) return;
    peer_->send(message);
  }

  void on_message(std::string_view text) override {
    // Re-check the session now and then (clients ping every 30 s), so an expired session
    // does not keep a socket alive.
    auto now = std::chrono::steady_clock::now();
    if (now - last_check_ > std::chrono::seconds(60)) {
      last_check_ = now;
      if (caller_.still_valid && !caller_.still_valid()) {
        peer_->close(1008);
        return;
      }
    }
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return reply_error(nullptr, "malformed-json", "Send a JSON object.");
    auto& o = v.as_object();
    json::value id = o.contains("id") ? o.at("id") : json::value(nullptr);
    auto* type = o.if_contains("type");
    if (!type || !type->is_string()) return reply_error(id, "validation", "A type is required.");
    if (type->as_string() == "ping") return peer_->send(R"({"type":"pong"})");
    auto* topic_v = o.if_contains("topic");
    if (!topic_v || !topic_v->is_string() || topic_v->as_string().size() > 100)
      return reply_error(id, "validation", "A topic is required.");
    std::string topic(topic_v->as_string());
    if (type->as_string() == "subscribe") {
      if (!rt_.allowed(caller_, topic))
        return reply_error(id, "not-found", "No such topic, or you may not watch it.");
      if (topics_.size() >= Realtime::kMaxSubscriptions && !topics_.count(topic))
        return reply_error(id, "validation", "Too many subscriptions.");
      topics_.insert(topic);
      bus_.subscribe(topic, shared_from_this());
      peer_->send(
          json::serialize(json::object{{"type", "subscribed"}, {"topic", topic}, {"id", id}}));
    } else if (type->as_string() == "unsubscribe") {
      topics_.erase(topic);
      bus_.unsubscribe(topic, this);
      peer_->send(
          json::serialize(json::object{{"type", "unsubscribed"}, {"topic", topic}, {"id", id}}));
    } else {
      reply_error(id, "validation", "Unknown message type.");
    }
  }

  void on_close() override {
    bus_.unsubscribe_all(this);
    if (!closed_) {
      closed_ = true;
      rt_.socket_closed(caller_.person_id);
    }
  }

 private:
  void reply_error(json::value id, const char* slug, const char* detail) {
    peer_->send(json::serialize(json::object{
        {"type", "error"},
        {"id", id},
        {"problem", json::object{{"type", std::string("https://ratusha.eu/problems/") + slug},
                                 {"detail", detail}}}}));
  }

  Bus& bus_;
  Realtime& rt_;
  bool closed_ = false;
  Caller caller_;
  std::shared_ptr<net::WsPeer> peer_;
  std::set<std::string> topics_;
  std::chrono::steady_clock::time_point last_check_ = std::chrono::steady_clock::now();
};

}  // namespace

bool Realtime::allowed(const Caller& c, const std::string& topic) const {
  auto colon = topic.find(':');
  std::string kind = topic.substr(0, colon);
  std::string arg = colon == std::string::npos ? "" : topic.substr(colon + 1);
  auto it = topics_.find(kind);
  return it != topics_.end() && it->second(c, arg);
}

std::shared_ptr<net::WsSession> Realtime::open(net::Request& req,
                                               std::shared_ptr<net::WsPeer> peer) {
  Caller caller = auth_(req);
  auto person = caller.person_id;
  auto client = std::make_shared<Client>(bus_, *this, std::move(caller), std::move(peer));
  bus_.subscribe(access_topic(person), client);
  bool first = false;
  {
    std::lock_guard lock(sockets_mu_);
    first = ++sockets_[person] == 1;
  }
  if (first && presence_) presence_(person, true);
  return client;
}

void Realtime::socket_closed(std::int64_t person_id) {
  bool last = false;
  {
    std::lock_guard lock(sockets_mu_);
    auto it = sockets_.find(person_id);
    if (it == sockets_.end()) return;
    last = --it->second == 0;
    if (last) sockets_.erase(it);
  }
  if (last && presence_) presence_(person_id, false);
}

}  // namespace ratusha::events
