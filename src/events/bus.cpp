#include "events/bus.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <vector>

namespace ratusha::events {

constexpr const char* kChannel = "ratusha_events";

std::string event_message(const std::string& topic, const std::string& event,
                          const json::value& data) {
  json::object o{{"type", "event"}, {"topic", topic}, {"event", event}, {"data", data}};
  return json::serialize(o);
}

std::string access_topic(std::int64_t person_id) {
  return "access:" + std::to_string(person_id);
}

std::string person_changed_topic(std::int64_t person_id) {
  return "person-changed:" + std::to_string(person_id);
}

Bus::~Bus() {
  stop_listening();
}

void Bus::subscribe(const std::string& topic, const std::shared_ptr<Subscriber>& s) {
  std::lock_guard lock(mu_);
  topics_[topic][s.get()] = s;
}

void Bus::unsubscribe(const std::string& topic, Subscriber* s) {
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  it->second.erase(s);
  if (it->second.empty()) topics_.erase(it);
}

void Bus::unsubscribe_all(Subscriber* s) {
  std::lock_guard lock(mu_);
  for (auto it = topics_.begin(); it != topics_.end();) {
    it->second.erase(s);
    it = it->second.empty() ? topics_.erase(it) : std::next(it);
  }
}

std::size_t Bus::subscriptions() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [t, subs] : topics_) n += subs.size();
  return n;
}

void Bus::deliver_local(const std::string& topic, const std::string& message) {
  for (const auto& l : listeners_) l(topic);
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return;
    targets.reserve(it->second.size());
    for (auto& [p, w] : it->second)
      if (auto s = w.lock()) targets.push_back(std::move(s));
  }
  for (auto& s : targets) s->deliver(topic, message);
}

void Bus::publish(store::Tx& tx, const std::string& topic, const std::string& event,
                  const json::value& data) {
  std::string message = event_message(topic, event, data);
  if (tx.dialect() == store::Dialect::postgresql) {
    json::object env{{"node", node_id_}, {"topic", topic}, {"message", message}};
    std::string payload = json::serialize(env);
    if (payload.size() > 7900) {  // NOTIFY's limit is 8000 bytes: send a pointer, clients re-read
      env["message"] = event_message(topic, event, json::object{{"truncated", true}});
      payload = json::serialize(env);
    }
    tx.exec("SELECT pg_notify(?, ?)", {std::string(kChannel), payload});
  }
  tx.on_commit([this, topic, message] { deliver_local(topic, message); });
}

void Bus::start_listening(const std::string& postgres_url) {
  stop_ = false;
  listener_ = std::thread([this, postgres_url] { listen_loop(postgres_url); });
}

void Bus::stop_listening() {
  stop_ = true;
  if (listener_.joinable()) listener_.join();
}

void Bus::listen_loop(std::string url) {
  bool reconnecting = false;
  while (!stop_) {
    PGconn* conn = PQconnectdb(url.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      spdlog::warn("event bridge: cannot connect to PostgreSQL: {}", PQerrorMessage(conn));
      PQfinish(conn);
      std::this_thread::sleep_for(std::chrono::seconds(1));
      continue;
    }
    PGresult* r = PQexec(conn, (std::string("LISTEN ") + kChannel).c_str());
    PQclear(r);
    listening_ = true;
    if (reconnecting)
      for (const auto& l : listeners_) l(kEventsMissed);
    reconnecting = true;
    while (!stop_) {
      pollfd pfd{PQsocket(conn), POLLIN, 0};
      int n = ::poll(&pfd, 1, 200);
      if (n < 0) break;
      if (n == 0) continue;
      if (!PQconsumeInput(conn)) {
        spdlog::warn("event bridge: connection lost: {}", PQerrorMessage(conn));
        break;
      }
      while (PGnotify* note = PQnotifies(conn)) {
        boost::system::error_code ec;
        auto v = json::parse(note->extra, ec);
        PQfreemem(note);
        if (ec || !v.is_object()) continue;
        auto& o = v.as_object();
        auto* node = o.if_contains("node");
        auto* topic = o.if_contains("topic");
        auto* message = o.if_contains("message");
        if (!node || !topic || !message || !topic->is_string() || !message->is_string()) continue;
        if (node->is_string() && node->as_string() == node_id_) continue;  // ours: delivered
        deliver_local(std::string(topic->as_string()), std::string(message->as_string()));
      }
    }
    listening_ = false;
    PQfinish(conn);
  }
}

}  // namespace ratusha::events
