#pragma once
// Ratusha's side of the Janus HTTP API: one control session per Janus instance, with one
// VideoRoom handle through which every room is created, changed and destroyed (with the
// admin_key and the room's secret), and the Admin API for status. Janus restarts lose the
// session; the next request makes a new one.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/json.hpp"

namespace ratusha::media {

// `code`: Janus's error code (e.g. 426 no such room, 427 room exists, 433 unauthorized), or 0
// when Janus could not be reached or answered nonsense.
class JanusError : public std::runtime_error {
 public:
  JanusError(int c, const std::string& what) : std::runtime_error(what), code(c) {}
  int code;
};

inline constexpr int kJanusNoSuchRoom = 426;
inline constexpr int kJanusRoomExists = 427;

struct JanusInstance {
  std::string name;       // how rooms refer to it ("local", or the API address)
  std::string api_url;    // http://127.0.0.1:8088/janus
  std::string admin_url;  // http://127.0.0.1:7088/admin; empty: no Admin API
  std::string ws_url;     // what browsers connect to; empty: derived from the page's address
};

struct JanusSecrets {
  std::string token_secret;  // token_auth_secret of janus.jcfg
  std::string admin_key;     // the VideoRoom plugin's admin_key (creating rooms)
  std::string admin_secret;  // the Admin API's secret
};

// Bytes per second from an Admin API handle_info answer, summed over the handle's streams
// (with their simulcast layers): `direction` "in" is what Janus receives (a publisher's
// upload), "out" what it sends (a subscriber's download); `medium` "audio" or "video" counts
// only those streams (empty: all). Pure.
std::int64_t bytes_last_second(const json::value& info, std::string_view direction,
                               std::string_view medium = {});

class JanusClient {
 public:
  JanusClient(JanusInstance instance, JanusSecrets secrets);
  ~JanusClient();
  JanusClient(const JanusClient&) = delete;
  JanusClient& operator=(const JanusClient&) = delete;

  const JanusInstance& instance() const { return instance_; }

  // A synchronous VideoRoom request (create, destroy, edit, kick, moderate, listparticipants,
  // enable_recording, ...); returns the plugin's answer. The admin_key is added to "create".
  // Throws JanusError with the plugin's error code.
  json::object videoroom(json::object body);
  // An Admin API request ("list_sessions", "handle_info", ...), with the admin secret added.
  json::object admin(json::object request);
  // GET /info: Janus's version and settings. Throws JanusError(0) when unreachable.
  json::object info();
  // An Admin API request about one session (and handle, when not 0): list_handles,
  // handle_info, destroy_session.
  json::object admin_on(std::uint64_t session, std::uint64_t handle, json::object request);
  // Every handle Janus has (at most `limit`), with its handle_info.
  void each_handle(const std::function<void(std::uint64_t session, std::uint64_t handle,
                                            const json::object& info)>& f,
                   std::size_t limit = 2000);
  // Keeps the control session alive (Janus drops idle sessions after a minute), making one when
  // there is none. Throws JanusError(0) when Janus does not answer.
  void keepalive();
  // Called (without locks held) when the control session turns out to be gone: Janus was
  // restarted or could not be reached, and the rooms it held may be gone with it.
  void on_session_lost(std::function<void()> f) { on_lost_ = std::move(f); }

 private:
  json::object post(const std::string& url, json::object body);
  void ensure_session();  // with mu_ held
  void lost();            // with mu_ held: forget the session, tell the owner afterwards

  JanusInstance instance_;
  JanusSecrets secrets_;
  std::mutex mu_;  // one request at a time over one kept-alive connection
  struct Curl;
  std::unique_ptr<Curl> curl_;
  std::uint64_t session_ = 0, handle_ = 0;
  std::function<void()> on_lost_;
  bool lost_pending_ = false;
};

}  // namespace ratusha::media
