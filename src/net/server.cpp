// clang-format off
#include <utility>  // g++ 12 needs this before Asio
// clang-format on
#include "net/server.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/url.hpp>

#include <ctime>
#include <deque>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

#include "core/error.hpp"
#include "core/text.hpp"
#include "net/convert.hpp"

namespace ratusha::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

std::string new_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// RFC 9110 IMF-fixdate, formatted once per second per thread.
std::string http_date() {
  thread_local std::time_t cached_at = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_at) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached = buf;
    cached_at = now;
  }
  return cached;
}

bool sane_request_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

std::string csp(const std::string& connect_more) {
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
         "media-src 'self' blob:; connect-src 'self'" +
         (connect_more.empty() ? std::string() : " " + connect_more) +
         "; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
         "frame-ancestors 'none'";
}

}  // namespace

// One accepted connection, registered so that shutdown can reach it.
struct Connection {
  asio::strand<asio::io_context::executor_type> strand;
  std::function<void()> on_shutdown;  // set while idle (cancel read) or a WebSocket (close 1001)
  bool alive = true;
  explicit Connection(asio::strand<asio::io_context::executor_type> s) : strand(std::move(s)) {}
};

struct Server::Impl {
  ServerOptions opts;
  const Router& router;
  Metrics& metrics;
  WsEndpoint* ws_endpoint;
  asio::io_context ioc;
  asio::thread_pool workers;
  tcp::acceptor acceptor{ioc};
  std::optional<ssl::context> tls;
  std::atomic<bool> stopping{false};
  std::mutex conns_mu;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> conns;
  std::atomic<std::size_t> websockets{0};
  std::string content_security_policy;

  Impl(ServerOptions o, const Router& r, Metrics& m, WsEndpoint* ws)
      : opts(std::move(o)),
        router(r),
        metrics(m),
        ws_endpoint(ws),
        workers(static_cast<std::size_t>(std::max(1, opts.worker_threads))),
        content_security_policy(csp(opts.csp_connect)) {
    if (!opts.tls_certificate.empty() && !opts.tls_private_key.empty()) {
      tls.emplace(ssl::context::tls_server);
      tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
      tls->use_certificate_chain_file(opts.tls_certificate);
      tls->use_private_key_file(opts.tls_private_key, ssl::context::pem);
    }
  }

  // Runs blocking work on the worker pool and resumes the caller's coroutine with the result.
  template <class F>
  awaitable<std::invoke_result_t<F>> on_workers(F f) {
    co_return co_await asio::co_spawn(
        workers,
        [f = std::move(f)]() mutable -> awaitable<std::invoke_result_t<F>> { co_return f(); },
        use_awaitable);
  }

  // Safe defaults; a handler may set its own (e.g. a stricter CSP for uploaded files, or a
  // preview that its own pages may frame).
  void finish_headers(Response& res, const Request& req) {
    res.header("X-Request-Id", req.request_id);
    res.header("X-Content-Type-Options", "nosniff");
    res.header("Referrer-Policy", "no-referrer");
    if (!res.has_header("X-Frame-Options")) res.header("X-Frame-Options", "DENY");
    if (!res.has_header("Content-Security-Policy"))
      res.header("Content-Security-Policy", content_security_policy);
    res.header("Cross-Origin-Opener-Policy", "same-origin");
    if (req.secure) res.header("Strict-Transport-Security", "max-age=31536000");
    if (!res.has_header("Cache-Control")) res.header("Cache-Control", "no-store");
  }

  Response handle(Request& req) {
    bool is_api = req.path.starts_with("/api/") || req.path == "/healthz" ||
                  req.path == "/readyz" || req.path == "/metrics";
    if (!is_api && (req.method == "GET" || req.method == "HEAD") && !opts.web_dir.empty()) {
      req.route = "static";
      try {
        return serve_static(opts.web_dir, req);
      } catch (const Error& e) {
        return problem_response(e, req.request_id);
      }
    }
    return router.dispatch(req);
  }

  template <class Stream>
  awaitable<void> write_response(Stream& stream, const Request& req, Response& res,
                                 unsigned version, bool keep_alive) {
    finish_headers(res, req);
    http::response<http::string_body> out{static_cast<http::status>(res.status), version};
    out.set(http::field::server, "ratusha");
    out.set(http::field::date, http_date());
    if (!res.content_type.empty()) out.set(http::field::content_type, res.content_type);
    for (auto& [k, v] : res.headers) out.insert(k, v);
    out.keep_alive(keep_alive);
    if (res.file) {
      co_await write_file_response(stream, req, res, out);
      co_return;
    }
    if (req.method == "HEAD") {
      out.content_length(res.body.size());
    } else {
      out.body() = std::move(res.body);
      out.prepare_payload();
    }
    beast::get_lowest_layer(stream).expires_after(opts.write_timeout);
    http::response_serializer<http::string_body> sr{out};
    if (req.method == "HEAD") sr.split(true);
    if (req.method == "HEAD")
      co_await http::async_write_header(stream, sr, tuple_awaitable);
    else
      co_await http::async_write(stream, out, tuple_awaitable);
  }

  // A file body: the header, then the bytes read in slices, so memory stays flat.
  template <class Stream>
  awaitable<void> write_file_response(Stream& stream, const Request& req, Response& res,
                                      http::response<http::string_body>& out) {
    out.content_length(res.file->length);
    http::response_serializer<http::string_body> sr{out};
    sr.split(true);
    beast::get_lowest_layer(stream).expires_after(opts.write_timeout);
    auto [ec, n] = co_await http::async_write_header(stream, sr, tuple_awaitable);
    if (ec || req.method == "HEAD") co_return;
    std::vector<char> buf(256 * 1024);
    std::uint64_t pos = res.file->offset, left = res.file->length;
    while (left > 0) {
      auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size()));
      ssize_t got = ::pread(res.file->fd, buf.data(), want, static_cast<off_t>(pos));
      if (got <= 0) {
        // The file shrank or failed under us: cut the connection, the length was promised.
        beast::get_lowest_layer(stream).close();
        co_return;
      }
      beast::get_lowest_layer(stream).expires_after(opts.write_timeout);
      auto [wec, wn] = co_await asio::async_write(
          stream, asio::buffer(buf.data(), static_cast<std::size_t>(got)), tuple_awaitable);
      if (wec) co_return;
      pos += static_cast<std::uint64_t>(got);
      left -= static_cast<std::uint64_t>(got);
    }
  }

  // Streams the body of an upload route into a new file under upload_dir, hashing it on the
  // way (SHA-256), so the bytes are touched once. With a Content-Length the socket is read
  // straight into a large buffer; a chunked body goes through the parser. Returns an error
  // response to send instead, or nullopt when the file is complete.
  template <class Stream>
  awaitable<std::optional<Response>> read_body_to_file(
      Stream& stream, beast::flat_buffer& buffer, http::request_parser<http::string_body>& parser,
      std::size_t limit, const std::string& rid, http::request<http::string_body>& header_out,
      std::string& file_out, std::uint64_t& size_out, std::string& sha_out) {
    std::string path = opts.upload_dir + "/body-XXXXXX";
    int fd = ::mkstemp(path.data());
    if (fd < 0) {
      spdlog::error("cannot create an upload file in {}: {}", opts.upload_dir,
                    std::strerror(errno));
      co_return problem_response(Error(ErrorKind::unavailable, "storage-unavailable",
                                       "The server cannot store files right now."),
                                 rid);
    }
    struct Sink {
      int fd;
      std::string path;
      EVP_MD_CTX* sha = EVP_MD_CTX_new();
      std::uint64_t total = 0, synced = 0;
      bool kept = false;
      Sink(int f, std::string p) : fd(f), path(std::move(p)) {
        EVP_DigestInit_ex(sha, EVP_sha256(), nullptr);
      }
      ~Sink() {
        EVP_MD_CTX_free(sha);
        if (fd >= 0) ::close(fd);
        if (!kept) ::unlink(path.c_str());
      }
      // Appends; false with errno set when the disk refuses.
      bool write(const char* p, std::size_t n) {
        EVP_DigestUpdate(sha, p, n);
        total += n;
        while (n > 0) {
          ssize_t w = ::write(fd, p, n);
          if (w < 0) {
            if (errno == EINTR) continue;
            return false;
          }
          p += w;
          n -= static_cast<std::size_t>(w);
        }
        // Start writing back early, so the final fsync has little left to wait for.
        if (total - synced >= (32u << 20)) {
          ::sync_file_range(fd, static_cast<off_t>(synced), static_cast<off_t>(total - synced),
                            SYNC_FILE_RANGE_WRITE);
          synced = total;
        }
        return true;
      }
      std::string hex() {
        unsigned char md[32];
        unsigned int len = 0;
        EVP_DigestFinal_ex(sha, md, &len);
        return to_hex(std::string_view(reinterpret_cast<const char*>(md), len));
      }
    } sink(fd, path);
    auto disk_error = [&] {
      bool full = errno == ENOSPC || errno == EDQUOT;
      return problem_response(
          Error(ErrorKind::unavailable, full ? "storage-full" : "storage-error",
                full ? "The server's storage is full." : "Could not store the file."),
          rid);
    };
    auto too_large = [&] {
      return problem_response(Error(ErrorKind::payload_too_large, "payload-too-large",
                                    "The file is larger than this server accepts (" +
                                        std::to_string(limit) + " bytes)."),
                              rid);
    };
    Response gone;
    gone.status = 0;  // the client went away: nothing to answer

    std::vector<char> buf(1 << 20);
    if (auto len = parser.content_length(); len && !parser.chunked()) {
      // Whatever of the body arrived with the header is already in `buffer`.
      std::uint64_t left = *len;
      auto head = std::min<std::uint64_t>(left, buffer.size());
      if (head > 0) {
        if (!sink.write(static_cast<const char*>(buffer.data().data()), head))
          co_return disk_error();
        buffer.consume(head);
        left -= head;
      }
      while (left > 0) {
        beast::get_lowest_layer(stream).expires_after(opts.body_timeout);
        auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buf.size()));
        auto [ec, n] =
            co_await stream.async_read_some(asio::buffer(buf.data(), want), tuple_awaitable);
        if (ec) co_return gone;
        if (!sink.write(buf.data(), n)) co_return disk_error();
        left -= n;
      }
      header_out = http::request<http::string_body>(std::move(parser.get().base()));
    } else {
      http::request_parser<http::buffer_body> p{std::move(parser)};
      p.body_limit(limit);
      while (!p.is_done()) {
        p.get().body().data = buf.data();
        p.get().body().size = buf.size();
        beast::get_lowest_layer(stream).expires_after(opts.body_timeout);
        auto [ec, n] = co_await http::async_read_some(stream, buffer, p, tuple_awaitable);
        if (ec == http::error::body_limit) co_return too_large();
        if (ec && ec != http::error::need_buffer) co_return gone;
        if (!sink.write(buf.data(), buf.size() - p.get().body().size)) co_return disk_error();
      }
      header_out = http::request<http::string_body>(std::move(p.get().base()));
    }
    ::close(sink.fd);
    sink.fd = -1;
    sink.kept = true;
    file_out = path;
    size_out = sink.total;
    sha_out = sink.hex();
    co_return std::nullopt;
  }

  void log_and_measure(const Request& req, int status, std::chrono::steady_clock::time_point t0) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    metrics.observe_request(req.method, req.route.empty() ? "unmatched" : req.route, status, secs);
    spdlog::info("{} {} {} {} {:.2f}ms rid={} person={}", req.remote_address, req.method,
                 req.route.empty() ? req.path : req.route, status, secs * 1000, req.request_id,
                 req.person_id);
  }

  // After refusing a request whose body is still arriving: stop sending, read and drop what
  // the client is still uploading for a moment, so that it sees our answer instead of a reset.
  template <class Stream>
  awaitable<void> drain(Stream& stream) {
    boost::system::error_code ec;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ec);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    std::array<char, 16384> sink;
    std::size_t total = 0;
    while (total < 8 * 1024 * 1024) {
      auto [rec, n] = co_await beast::get_lowest_layer(stream).async_read_some(asio::buffer(sink),
                                                                               tuple_awaitable);
      if (rec) break;
      total += n;
    }
  }

  // Returns true when the connection became a WebSocket (the stream has been moved away).
  template <class Stream>
  awaitable<bool> serve_http(Stream& stream, beast::flat_buffer& buffer,
                             std::shared_ptr<Connection> conn, std::string remote, bool secure) {
    for (;;) {
      if (stopping) co_return false;
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
      // No limit while reading the header (Beast would refuse a large Content-Length there
      // without an answer); the route's limit is set right after.
      parser.body_limit(boost::none);
      beast::get_lowest_layer(stream).expires_after(opts.header_timeout);
      conn->on_shutdown = [&stream] { beast::get_lowest_layer(stream).cancel(); };
      auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, tuple_awaitable);
      conn->on_shutdown = nullptr;
      auto t0 = std::chrono::steady_clock::now();
      if (ec == http::error::header_limit) {
        Request r;
        r.request_id = new_request_id();
        r.remote_address = remote;
        auto res = problem_response(
            Error(ErrorKind::bad_request, "header-too-large", "The request headers are too large."),
            r.request_id);
        res.status = 431;
        co_await write_response(stream, r, res, 11, false);
        log_and_measure(r, 431, t0);
        co_return false;
      }
      if (ec) co_return false;  // closed, timed out (slow client) or garbage: drop the connection

      auto& hdr = parser.get();
      std::string method(hdr.method_string());
      std::string target(hdr.target());
      std::string path = target.substr(0, target.find('?'));
      std::size_t limit = router.body_limit(method, path);
      parser.body_limit(limit);
      if (auto len = parser.content_length(); len && *len > limit) {
        Request r;
        r.request_id = new_request_id();
        r.remote_address = remote;
        r.method = method;
        r.path = path;
        auto res = problem_response(Error(ErrorKind::payload_too_large, "payload-too-large",
                                          "The request body is too large."),
                                    r.request_id);
        co_await write_response(stream, r, res, hdr.version(), false);
        log_and_measure(r, 413, t0);
        co_await drain(stream);
        co_return false;
      }
      bool streamed =
          !parser.is_done() && router.streams_body(method, path) && !opts.upload_dir.empty();
      if (streamed) {
        // Who is sending, and may they? Asked before a possibly huge body is accepted.
        http::request<http::string_body> head_only{parser.get().base()};
        Request pre;
        pre.remote_address = remote;
        pre.secure = secure;
        pre.request_id = new_request_id();
        std::optional<Response> refusal;
        if (to_request(std::move(head_only), pre))
          refusal = co_await on_workers([this, &pre] { return router.precheck(pre); });
        if (refusal) {
          int st = refusal->status;
          co_await write_response(stream, pre, *refusal, hdr.version(), false);
          log_and_measure(pre, st, t0);
          co_await drain(stream);
          co_return false;
        }
      }
      // A client that waits for "100 Continue" before sending a body (curl does for large
      // uploads) would otherwise stall for a second: the limits passed, so tell it to go on.
      if (!parser.is_done() && beast::iequals(hdr[http::field::expect], "100-continue")) {
        http::response<http::empty_body> cont{http::status::continue_, hdr.version()};
        beast::get_lowest_layer(stream).expires_after(opts.write_timeout);
        auto [cec, cn] = co_await http::async_write(stream, cont, tuple_awaitable);
        if (cec) co_return false;
      }
      std::string body_file, body_sha256;
      std::uint64_t body_size = 0;
      std::optional<http::request<http::string_body>> streamed_header;
      if (streamed) {
        streamed_header.emplace();
        std::string rid = new_request_id();
        auto refusal =
            co_await read_body_to_file(stream, buffer, parser, limit, rid, *streamed_header,
                                       body_file, body_size, body_sha256);
        if (refusal) {
          if (refusal->status == 0) co_return false;
          Request r;
          r.request_id = rid;
          r.remote_address = remote;
          r.method = method;
          r.path = path;
          int st = refusal->status;
          co_await write_response(stream, r, *refusal, 11, false);
          log_and_measure(r, st, t0);
          co_await drain(stream);
          co_return false;
        }
      } else if (!parser.is_done()) {
        beast::get_lowest_layer(stream).expires_after(opts.body_timeout);
        auto [ec2, n2] = co_await http::async_read(stream, buffer, parser, tuple_awaitable);
        if (ec2 == http::error::body_limit) {
          Request r;
          r.request_id = new_request_id();
          auto res = problem_response(Error(ErrorKind::payload_too_large, "payload-too-large",
                                            "The request body is too large."),
                                      r.request_id);
          co_await write_response(stream, r, res, 11, false);
          log_and_measure(r, 413, t0);
          co_await drain(stream);
          co_return false;
        }
        if (ec2) co_return false;
      }
      auto beast_req = streamed_header ? std::move(*streamed_header) : parser.release();
      // Whatever the handler does, the temporary body file does not outlive the request.
      struct RemoveFile {
        std::string path;
        ~RemoveFile() {
          if (!path.empty()) ::unlink(path.c_str());
        }
      } remove_body{body_file};
      bool keep_alive = beast_req.keep_alive();
      unsigned version = beast_req.version();
      bool upgrade = websocket::is_upgrade(beast_req);
      Request req;
      req.remote_address = remote;
      req.secure = secure;
      req.body_file = body_file;
      req.body_size = body_size;
      req.body_sha256 = body_sha256;
      auto rid = beast_req["X-Request-Id"];
      req.request_id = sane_request_id(rid) ? std::string(rid) : new_request_id();
      http::request<http::string_body> upgrade_req;
      if (upgrade) upgrade_req = beast_req;  // Beast needs it for the handshake
      if (!to_request(std::move(beast_req), req)) {
        auto res = problem_response(
            Error(ErrorKind::bad_request, "bad-target", "The request target is not valid."),
            req.request_id);
        co_await write_response(stream, req, res, version, false);
        log_and_measure(req, 400, t0);
        co_return false;
      }

      if (upgrade && ws_endpoint && req.path == "/api/v1/ws") {
        co_await serve_websocket(stream, std::move(upgrade_req), std::move(req), conn);
        co_return true;
      }
      if (upgrade)
        for (const auto& relay : opts.relays)
          if (req.path == relay.path) {
            co_await serve_relay(stream, std::move(upgrade_req), std::move(req), conn, relay);
            co_return true;
          }

      // Not a conditional expression: g++ 12 miscompiles co_await inside ?:.
      Response res;
      if (router.runs_inline(req.method, req.path))
        res = handle(req);
      else
        res = co_await on_workers([this, &req] { return handle(req); });
      bool keep = keep_alive && !stopping;
      // Counted before the answer leaves, so a client that reads /metrics next sees it.
      log_and_measure(req, res.status, t0);
      co_await write_response(stream, req, res, version, keep);
      if (!keep) co_return false;
    }
  }

  // ---- WebSocket ----
  template <class Stream>
  struct Peer : WsPeer, std::enable_shared_from_this<Peer<Stream>> {
    // The peer owns the stream so that operations still pending keep it alive.
    websocket::stream<Stream> ws;
    asio::strand<asio::io_context::executor_type> strand;
    asio::steady_timer signal;
    std::deque<std::string> queue;
    std::size_t limit;
    bool closed = false;

    Peer(Stream&& s, asio::strand<asio::io_context::executor_type> st, std::size_t lim)
        : ws(std::move(s)), strand(st), signal(st), limit(lim) {
      signal.expires_at(asio::steady_timer::time_point::max());
    }
    void send(std::string text) override {
      asio::post(strand, [self = this->shared_from_this(), t = std::move(text)]() mutable {
        if (self->closed) return;
        if (self->queue.size() >= self->limit) {
          spdlog::warn("websocket client too slow, disconnecting");
          self->begin_close(websocket::close_code::policy_error);
          return;
        }
        self->queue.push_back(std::move(t));
        self->signal.cancel();
      });
    }
    void close(std::uint16_t code) override {
      asio::post(strand, [self = this->shared_from_this(), code] { self->begin_close(code); });
    }
    void begin_close(std::uint16_t code) {
      if (closed) return;
      closed = true;
      queue.clear();
      signal.cancel();
      asio::co_spawn(
          strand,
          [self = this->shared_from_this(), code]() -> awaitable<void> {
            websocket::close_reason reason(static_cast<websocket::close_code>(code));
            co_await self->ws.async_close(reason, tuple_awaitable);
          },
          asio::detached);
    }
    awaitable<void> writer() {
      auto self = this->shared_from_this();
      while (!closed) {
        while (!queue.empty() && !closed) {
          std::string msg = std::move(queue.front());
          queue.pop_front();
          ws.text(true);
          auto [ec, n] = co_await ws.async_write(asio::buffer(msg), tuple_awaitable);
          if (ec) {
            closed = true;
            co_return;
          }
        }
        if (closed) break;
        signal.expires_at(asio::steady_timer::time_point::max());
        co_await signal.async_wait(tuple_awaitable);
      }
    }
  };

  template <class Stream>
  awaitable<void> serve_websocket(Stream& stream, http::request<http::string_body> upgrade_req,
                                  Request req, std::shared_ptr<Connection> conn) {
    auto t0 = std::chrono::steady_clock::now();
    auto peer =
        std::make_shared<Peer<Stream>>(std::move(stream), conn->strand, opts.ws_queue_limit);
    std::shared_ptr<WsSession> session;
    std::optional<Response> refusal;
    req.route = "/api/v1/ws";
    try {
      session = co_await on_workers([&] { return ws_endpoint->open(req, peer); });
    } catch (const Error& e) {
      refusal = problem_response(e, req.request_id);
    }
    if (refusal) {
      int st = refusal->status;
      co_await write_response(peer->ws.next_layer(), req, *refusal, upgrade_req.version(), false);
      log_and_measure(req, st, t0);
      co_return;
    }
    // The stream now lives in the peer: the header timeout must be lifted there (the WebSocket
    // keeps its own idle timeout and pings).
    beast::get_lowest_layer(peer->ws).expires_never();
    auto& ws = peer->ws;
    ws.set_option(
        websocket::stream_base::timeout{std::chrono::seconds(10), std::chrono::seconds(60), true});
    ws.read_message_max(opts.ws_message_limit);
    ws.set_option(
        websocket::stream_base::decorator([rid = req.request_id](websocket::response_type& r) {
          r.set(http::field::server, "ratusha");
          r.set("X-Request-Id", rid);
        }));
    auto [ec] = co_await ws.async_accept(upgrade_req, tuple_awaitable);
    log_and_measure(req, ec ? 400 : 101, t0);
    if (ec) {
      session->on_close();
      co_return;
    }
    ++websockets;
    conn->on_shutdown = [peer] { peer->begin_close(websocket::close_code::going_away); };
    asio::co_spawn(conn->strand, peer->writer(), asio::detached);
    beast::flat_buffer in;
    for (;;) {
      auto [rec, n] = co_await ws.async_read(in, tuple_awaitable);
      if (rec) break;
      std::string text = beast::buffers_to_string(in.data());
      in.consume(in.size());
      if (!ws.got_text()) {
        peer->begin_close(websocket::close_code::bad_payload);
        continue;
      }
      co_await on_workers([&] {
        try {
          session->on_message(text);
        } catch (const std::exception& e) {
          spdlog::warn("websocket message failed: {}", e.what());
        }
        return 0;
      });
    }
    conn->on_shutdown = nullptr;
    peer->closed = true;
    peer->queue.clear();
    peer->signal.cancel();
    --websockets;
    co_await on_workers([&] {
      session->on_close();
      return 0;
    });
  }

  template <class From, class To>
  static awaitable<void> relay_pump(From& from, To& to, std::function<void()> done) {
    beast::flat_buffer buf;
    for (;;) {
      auto [rec, n] = co_await from.async_read(buf, tuple_awaitable);
      if (rec) break;
      to.text(from.got_text());
      auto [wec, m] = co_await to.async_write(buf.data(), tuple_awaitable);
      buf.consume(buf.size());
      if (wec) break;
    }
    done();
  }

  // Relays one browser WebSocket to the server behind us, message for message, until either
  // side closes. Both streams live on the connection's strand; each direction has one reader
  // and one writer.
  template <class Stream>
  awaitable<void> serve_relay(Stream& stream, http::request<http::string_body> upgrade_req,
                              Request req, std::shared_ptr<Connection> conn, const WsRelay& relay) {
    auto t0 = std::chrono::steady_clock::now();
    req.route = relay.path;
    std::optional<Response> refusal;
    if (relay.allow) {
      try {
        co_await on_workers([&] {
          relay.allow(req);
          return 0;
        });
      } catch (const Error& e) {
        refusal = problem_response(e, req.request_id);
      }
    }
    using Upstream = websocket::stream<beast::tcp_stream>;
    auto up = std::make_shared<Upstream>(conn->strand);
    if (!refusal) {
      beast::get_lowest_layer(*up).expires_after(std::chrono::seconds(5));
      tcp::endpoint ep{asio::ip::make_address(relay.host), relay.port};
      auto [cec] = co_await beast::get_lowest_layer(*up).async_connect(ep, tuple_awaitable);
      if (!cec) {
        up->set_option(websocket::stream_base::decorator([&relay](websocket::request_type& r) {
          r.set(http::field::sec_websocket_protocol, relay.subprotocol);
        }));
        auto [hec] = co_await up->async_handshake(relay.host + ":" + std::to_string(relay.port),
                                                  "/", tuple_awaitable);
        cec = hec;
      }
      if (cec)
        refusal =
            problem_response(Error(ErrorKind::unavailable, "media-unavailable",
                                   "The media server does not answer; try again in a moment."),
                             req.request_id);
    }
    if (refusal) {
      int st = refusal->status;
      co_await write_response(stream, req, *refusal, upgrade_req.version(), false);
      log_and_measure(req, st, t0);
      co_return;
    }
    beast::get_lowest_layer(*up).expires_never();
    up->set_option(
        websocket::stream_base::timeout{std::chrono::seconds(10), std::chrono::seconds(90), true});
    up->read_message_max(4 << 20);
    beast::get_lowest_layer(stream).expires_never();
    auto down = std::make_shared<websocket::stream<Stream>>(std::move(stream));
    down->set_option(
        websocket::stream_base::timeout{std::chrono::seconds(10), std::chrono::seconds(90), true});
    down->read_message_max(4 << 20);
    down->set_option(websocket::stream_base::decorator(
        [rid = req.request_id, proto = relay.subprotocol](websocket::response_type& r) {
          r.set(http::field::server, "ratusha");
          r.set("X-Request-Id", rid);
          r.set(http::field::sec_websocket_protocol, proto);
        }));
    auto [aec] = co_await down->async_accept(upgrade_req, tuple_awaitable);
    log_and_measure(req, aec ? 400 : 101, t0);
    if (aec) co_return;
    ++websockets;
    // Closing one side ends the other's read, and so both loops.
    auto close_both = [up, down] {
      boost::system::error_code ignored;
      beast::get_lowest_layer(*up).socket().close(ignored);
      beast::get_lowest_layer(*down).socket().close(ignored);
    };
    conn->on_shutdown = close_both;
    // The handler keeps both streams alive until the spawned direction has ended too.
    asio::co_spawn(conn->strand, relay_pump(*up, *down, close_both),
                   [up, down](std::exception_ptr) {});
    co_await relay_pump(*down, *up, close_both);
    conn->on_shutdown = nullptr;
    --websockets;
  }

  awaitable<void> run_connection(tcp::socket socket, std::shared_ptr<Connection> conn) {
    boost::system::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    std::string remote = ec ? "" : ep.address().to_string();
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    try {
      if (tls) {
        stream.expires_after(opts.header_timeout);
        auto [dec, is_tls] = co_await beast::async_detect_ssl(stream, buffer, tuple_awaitable);
        if (dec) co_return;
        if (is_tls) {
          beast::ssl_stream<beast::tcp_stream> tls_stream(std::move(stream), *tls);
          auto [hec, used] = co_await tls_stream.async_handshake(ssl::stream_base::server,
                                                                 buffer.data(), tuple_awaitable);
          if (hec) co_return;
          buffer.consume(used);
          if (co_await serve_http(tls_stream, buffer, conn, remote, true)) co_return;
          beast::get_lowest_layer(tls_stream).expires_after(std::chrono::seconds(5));
          co_await tls_stream.async_shutdown(tuple_awaitable);
          co_return;
        }
      }
      if (co_await serve_http(stream, buffer, conn, remote, false)) co_return;
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    } catch (const std::exception& e) {
      spdlog::warn("connection from {} ended: {}", remote, e.what());
    }
  }

  void start_connection(tcp::socket socket) {
    auto strand = asio::make_strand(ioc);
    auto conn = std::make_shared<Connection>(strand);
    {
      std::lock_guard lock(conns_mu);
      conns[conn.get()] = conn;
    }
    // Re-home the socket on the connection's strand.
    tcp::socket s(strand);
    boost::system::error_code ec;
    auto proto = socket.local_endpoint(ec).protocol();
    s.assign(proto, socket.release(), ec);
    asio::co_spawn(strand, run_connection(std::move(s), conn), [this, conn](std::exception_ptr) {
      conn->alive = false;
      std::lock_guard lock(conns_mu);
      conns.erase(conn.get());
    });
  }

  awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(tuple_awaitable);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        continue;  // e.g. too many open files: keep serving the others
      }
      socket.set_option(tcp::no_delay(true), ec);
      start_connection(std::move(socket));
    }
  }

  void begin_shutdown() {
    if (stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections, finishing requests in flight");
    asio::post(ioc, [this] {
      boost::system::error_code ec;
      acceptor.close(ec);
    });
    std::vector<std::shared_ptr<Connection>> live;
    {
      std::lock_guard lock(conns_mu);
      for (auto& [p, w] : conns)
        if (auto c = w.lock()) live.push_back(c);
    }
    for (auto& c : live) {
      asio::post(c->strand, [c] {
        if (c->alive && c->on_shutdown) c->on_shutdown();
      });
    }
  }
};

Server::Server(ServerOptions opts, const Router& router, Metrics& metrics, WsEndpoint* ws)
    : impl_(std::make_unique<Impl>(std::move(opts), router, metrics, ws)) {}

Server::~Server() = default;

unsigned short Server::bind() {
  auto& im = *impl_;
  auto addr = asio::ip::make_address(im.opts.address);
  tcp::endpoint ep{addr, im.opts.port};
  im.acceptor.open(ep.protocol());
  im.acceptor.set_option(asio::socket_base::reuse_address(true));
  im.acceptor.bind(ep);
  im.acceptor.listen(asio::socket_base::max_listen_connections);
  return im.acceptor.local_endpoint().port();
}

void Server::run(std::function<void()> on_ready) {
  auto& im = *impl_;
  asio::signal_set signals(im.ioc, SIGINT, SIGTERM);
  signals.async_wait([this](boost::system::error_code ec, int) {
    if (!ec) impl_->begin_shutdown();
  });
  asio::co_spawn(im.ioc, im.accept_loop(), asio::detached);
  if (on_ready) on_ready();
  int n = im.opts.io_threads > 0
              ? im.opts.io_threads
              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([&] { im.ioc.run(); });
  // The signal wait keeps run() alive; once shutting down, cancel it so the loop can drain.
  asio::co_spawn(
      im.ioc,
      [&]() -> awaitable<void> {
        asio::steady_timer t(im.ioc);
        while (!im.stopping) {
          t.expires_after(std::chrono::milliseconds(100));
          co_await t.async_wait(tuple_awaitable);
        }
        signals.cancel();
      },
      asio::detached);
  im.ioc.run();
  for (auto& t : threads) t.join();
  im.workers.join();
}

void Server::stop() {
  impl_->begin_shutdown();
}

std::size_t Server::open_websockets() const {
  return impl_->websockets.load();
}

}  // namespace ratusha::net
