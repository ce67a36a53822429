#pragma once
// The HTTP/1.1 + WebSocket server (Beast lives only in net/*.cpp).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/metrics.hpp"
#include "net/router.hpp"

namespace ratusha::net {

// A WebSocket path relayed to a server behind us (Janus's WebSocket API), so that browsers
// reach it on our own origin, over our TLS. `allow` runs on a worker thread before the upgrade
// and throws ratusha::Error to refuse it.
struct WsRelay {
  std::string path;  // e.g. /janus
  std::string host;  // 127.0.0.1
  unsigned short port = 0;
  std::string subprotocol;  // offered upstream and answered to the browser (janus-protocol)
  std::function<void(Request&)> allow;
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;
  int io_threads = 0;      // 0: one per core
  int worker_threads = 8;  // blocking work (database) runs here, never on I/O threads
  std::string web_dir;     // built web app; empty: none
  std::string upload_dir;  // where streamed request bodies are written (same disk as the blobs)
  std::size_t header_limit = 16 * 1024;
  std::chrono::seconds header_timeout{15};  // whole header must arrive within this
  std::chrono::seconds body_timeout{60};    // whole body; for streamed bodies: between chunks
  std::chrono::seconds write_timeout{30};
  std::size_t ws_message_limit = 64 * 1024;
  std::size_t ws_queue_limit = 256;  // messages; beyond this a slow client is dropped
  std::string tls_certificate;       // PEM files; both set: TLS on the same port
  std::string tls_private_key;
  std::vector<WsRelay> relays;
  std::string csp_connect;  // more sources for the pages' connect-src (an external Janus)
};

// What a WebSocket connection offers to the application.
class WsPeer {
 public:
  virtual ~WsPeer() = default;
  // Thread-safe; queues a text message. A full queue closes the connection.
  virtual void send(std::string text) = 0;
  virtual void close(std::uint16_t code) = 0;
};

class WsSession {
 public:
  virtual ~WsSession() = default;
  virtual void on_message(std::string_view text) = 0;  // on a worker thread, in order
  virtual void on_close() = 0;
};

class WsEndpoint {
 public:
  virtual ~WsEndpoint() = default;
  // On a worker thread. Throws ratusha::Error to refuse the upgrade with a problem response.
  virtual std::shared_ptr<WsSession> open(Request& req, std::shared_ptr<WsPeer> peer) = 0;
};

class Server {
 public:
  Server(ServerOptions opts, const Router& router, Metrics& metrics, WsEndpoint* ws);
  ~Server();
  // Binds the listening socket; returns the actual port (useful with port 0).
  unsigned short bind();
  // Serves until SIGINT/SIGTERM or stop(); then finishes in-flight requests and returns.
  void run(std::function<void()> on_ready = {});
  void stop();
  std::size_t open_websockets() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Serves a file of the built web app (GET/HEAD); SPA fallback to index.html. Throws 404.
Response serve_static(const std::string& web_dir, const Request& req);

}  // namespace ratusha::net
