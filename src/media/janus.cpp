#include "media/janus.hpp"

#include <curl/curl.h>

#include <optional>
#include <vector>

#include "core/time.hpp"
#include "media/tokens.hpp"
#include "security/crypto.hpp"

namespace ratusha::media {

namespace {
std::size_t collect(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::uint64_t id_of(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  if (!v) return 0;
  if (v->is_uint64()) return v->as_uint64();
  if (v->is_int64() && v->as_int64() > 0) return static_cast<std::uint64_t>(v->as_int64());
  return 0;
}
}  // namespace

struct JanusClient::Curl {
  CURL* h = nullptr;
  Curl() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    h = curl_easy_init();
    if (!h) throw JanusError(0, "cannot start libcurl");
  }
  ~Curl() { curl_easy_cleanup(h); }
};

JanusClient::JanusClient(JanusInstance instance, JanusSecrets secrets)
    : instance_(std::move(instance)),
      secrets_(std::move(secrets)),
      curl_(std::make_unique<Curl>()) {}

JanusClient::~JanusClient() = default;

json::object JanusClient::post(const std::string& url, json::object body) {
  bool get = body.empty();  // GET /info
  if (!get) body["transaction"] = security::random_token(9);
  std::string payload = get ? std::string() : json::serialize(body), answer;
  CURL* h = curl_->h;
  curl_easy_reset(h);
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  if (get) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
  }
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  CURLcode rc = curl_easy_perform(h);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK)
    throw JanusError(0, "Janus at " + url + " is unreachable: " +
                            (errbuf[0] ? std::string(errbuf) : curl_easy_strerror(rc)));
  json::object out;
  try {
    out = parse_object(answer);
  } catch (const std::exception&) {
    throw JanusError(0, "Janus at " + url + " answered something that is not JSON");
  }
  if (auto* j = out.if_contains("janus"); j && j->is_string() && j->as_string() == "error") {
    int code = 0;
    std::string reason = "Janus refused the request";
    if (auto* e = out.if_contains("error"); e && e->is_object()) {
      if (auto* c = e->as_object().if_contains("code"); c && c->is_int64())
        code = static_cast<int>(c->as_int64());
      if (auto* r = e->as_object().if_contains("reason"); r && r->is_string())
        reason = std::string(r->as_string());
    }
    throw JanusError(code, reason);
  }
  return out;
}

void JanusClient::ensure_session() {
  if (session_ && handle_) return;
  // Ratusha's own core token; a day is plenty, a new session gets a new one.
  std::string token = core_token(secrets_.token_secret, now_seconds() + 86400);
  auto created = post(instance_.api_url, {{"janus", "create"}, {"token", token}});
  auto* data = created.if_contains("data");
  std::uint64_t session = data && data->is_object() ? id_of(data->as_object(), "id") : 0;
  if (!session) throw JanusError(0, "Janus did not create a session");
  auto attached = post(instance_.api_url + "/" + std::to_string(session),
                       {{"janus", "attach"}, {"plugin", kVideoRoomPlugin}, {"token", token}});
  data = attached.if_contains("data");
  std::uint64_t handle = data && data->is_object() ? id_of(data->as_object(), "id") : 0;
  if (!handle) throw JanusError(0, "Janus did not attach the VideoRoom plugin");
  session_ = session;
  handle_ = handle;
}

void JanusClient::lost() {
  if (session_) lost_pending_ = true;
  session_ = handle_ = 0;
}

json::object JanusClient::videoroom(json::object body) {
  auto* req = body.if_contains("request");
  if (req && req->is_string() && req->as_string() == "create")
    body["admin_key"] = secrets_.admin_key;
  std::unique_lock lock(mu_);
  // Tells the owner after the lock is released, whatever happens below.
  struct Notify {
    JanusClient& c;
    std::unique_lock<std::mutex>& lock;
    ~Notify() {
      bool tell = c.lost_pending_;
      c.lost_pending_ = false;
      lock.unlock();
      if (tell && c.on_lost_) c.on_lost_();
    }
  } notify{*this, lock};
  for (int attempt = 0;; ++attempt) {
    ensure_session();
    std::string token = core_token(secrets_.token_secret, now_seconds() + 600);
    json::object answer;
    try {
      answer =
          post(instance_.api_url + "/" + std::to_string(session_) + "/" + std::to_string(handle_),
               {{"janus", "message"}, {"body", body}, {"token", token}});
    } catch (const JanusError& e) {
      // 458 no such session, 459 no such handle: Janus restarted; once more with a new one.
      if (e.code == 458 || e.code == 459 || e.code == 0) lost();
      if ((e.code == 458 || e.code == 459) && attempt == 0) continue;
      throw;
    }
    auto* pd = answer.if_contains("plugindata");
    auto* data = pd && pd->is_object() ? pd->as_object().if_contains("data") : nullptr;
    if (!data || !data->is_object()) throw JanusError(0, "Janus's VideoRoom gave no answer");
    auto& d = data->as_object();
    if (auto* code = d.if_contains("error_code"); code && code->is_int64()) {
      auto* msg = d.if_contains("error");
      throw JanusError(static_cast<int>(code->as_int64()),
                       msg && msg->is_string() ? std::string(msg->as_string()) : "VideoRoom error");
    }
    return d;
  }
}

json::object JanusClient::admin(json::object request) {
  if (instance_.admin_url.empty()) throw JanusError(0, "this Janus has no Admin API configured");
  std::lock_guard lock(mu_);
  request["admin_secret"] = secrets_.admin_secret;
  return post(instance_.admin_url, std::move(request));
}

json::object JanusClient::admin_on(std::uint64_t session, std::uint64_t handle,
                                   json::object request) {
  if (instance_.admin_url.empty()) throw JanusError(0, "this Janus has no Admin API configured");
  std::lock_guard lock(mu_);
  request["admin_secret"] = secrets_.admin_secret;
  std::string url = instance_.admin_url + "/" + std::to_string(session);
  if (handle) url += "/" + std::to_string(handle);
  return post(url, std::move(request));
}

namespace {
// Every "bytes_lastsec" in a subtree (a stream's own and its simulcast layers').
std::int64_t all_bytes(const json::value& v) {
  std::int64_t total = 0;
  if (v.is_object()) {
    for (const auto& [key, child] : v.as_object())
      total += key == "bytes_lastsec" && child.is_number() ? child.to_number<std::int64_t>()
                                                           : all_bytes(child);
  } else if (v.is_array()) {
    for (const auto& child : v.as_array()) total += all_bytes(child);
  }
  return total;
}

// Janus 1.1: webrtc.media.{mid}: {"type": "video", "stats": {"in": {...}, "out": {...}}}.
void add_streams(const json::value& v, std::string_view direction, std::string_view medium,
                 std::int64_t& total) {
  if (v.is_array()) {
    for (const auto& child : v.as_array()) add_streams(child, direction, medium, total);
    return;
  }
  if (!v.is_object()) return;
  const auto& o = v.as_object();
  auto* type = o.if_contains("type");
  auto* stats = o.if_contains("stats");
  if (type && type->is_string() && stats && stats->is_object()) {
    if (medium.empty() || type->as_string() == medium)
      if (auto* d = stats->as_object().if_contains(direction)) total += all_bytes(*d);
    return;
  }
  for (const auto& [key, child] : o) add_streams(child, direction, medium, total);
}
}  // namespace

std::int64_t bytes_last_second(const json::value& info, std::string_view direction,
                               std::string_view medium) {
  std::int64_t total = 0;
  add_streams(info, direction, medium, total);
  return total;
}

void JanusClient::each_handle(
    const std::function<void(std::uint64_t, std::uint64_t, const json::object&)>& f,
    std::size_t limit) {
  auto ids = [](const json::object& o, const char* key) {
    std::vector<std::uint64_t> out;
    if (auto* a = o.if_contains(key); a && a->is_array())
      for (auto& v : a->as_array())
        if (v.is_uint64() || v.is_int64()) out.push_back(v.to_number<std::uint64_t>());
    return out;
  };
  std::size_t seen = 0;
  for (auto sid : ids(admin({{"janus", "list_sessions"}}), "sessions")) {
    for (auto hid : ids(admin_on(sid, 0, {{"janus", "list_handles"}}), "handles")) {
      if (++seen > limit) return;
      json::object answer;
      try {
        answer = admin_on(sid, hid, {{"janus", "handle_info"}});
      } catch (const JanusError& e) {
        if (e.code == 0) throw;
        continue;  // gone meanwhile
      }
      if (auto* i = answer.if_contains("info"); i && i->is_object()) f(sid, hid, i->as_object());
    }
  }
}

json::object JanusClient::info() {
  std::lock_guard lock(mu_);
  return post(instance_.api_url + "/info", {});
}

void JanusClient::keepalive() {
  bool tell = false;
  std::optional<JanusError> failure;
  {
    std::lock_guard lock(mu_);
    try {
      if (!session_) {
        ensure_session();
      } else {
        post(instance_.api_url + "/" + std::to_string(session_),
             {{"janus", "keepalive"},
              {"token", core_token(secrets_.token_secret, now_seconds() + 600)}});
      }
    } catch (const JanusError& e) {
      lost();
      tell = lost_pending_;
      lost_pending_ = false;
      if (e.code == 0) failure = e;
    }
  }
  if (tell && on_lost_) on_lost_();
  if (failure) throw *failure;
}

}  // namespace ratusha::media
