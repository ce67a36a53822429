// WebSocket fan-out benchmark for bench/run.sh: many clients from one process.
//
//   bench_ws_clients --port P --cookie 'NAME=VALUE' [--host 127.0.0.1] [--origin URL]
//                    [--clients 10000] [--topic audit] [--parallel 128] [--server-pid PID]
//                    [--trigger-code CODE | --trigger-presence CSRF |
//                     --trigger-post PATH --bearer TOKEN --expect EVENT]
//                    [--connect-timeout 180] [--event-timeout 10]
//
// 1. Opens --clients WebSocket connections to /api/v1/ws (at most --parallel handshakes at a
//    time), each with the session cookie and the Origin header, sends
//    {"type":"subscribe","topic":TOPIC,"id":"1"} and waits for {"type":"subscribed",...}.
// 2. Reads the server's resident memory (VmRSS of /proc/PID/status) before and once all clients
//    are subscribed.
// 3'. With --trigger-presence CSRF: PUTs {"status":"busy"} to /api/v1/me/presence with the
//    cookie and that CSRF token; the change goes to every subscriber of "presence".
// 3''. With --trigger-post PATH: POSTs {} to PATH with "Authorization: Bearer TOKEN" (closing a
//    council vote) and waits for the event named --expect on every client.
// 3. With --trigger-code: POSTs a wrong password for that access code to /api/v1/session. The
//    failure is written to the audit log and published as "audit.appended" to every subscriber;
//    each client notes when the frame arrived. Reported: the time from just before the POST is
//    written until the first / median / 99th percentile / last client had it.
// Progress goes to stderr; the result is one JSON object on stdout.
//
// Everything runs on one thread (one io_context), so there is no locking. Every wait is bounded.
// clang-format off
#include <utility>  // g++ 12 needs this before Asio
// clang-format on
#include <sys/resource.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using clk = std::chrono::steady_clock;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  std::string cookie;
  std::string origin;  // default: http://HOST:PORT
  std::string topic = "audit";
  int clients = 10000;
  int parallel = 128;
  long server_pid = 0;
  std::string trigger_code;
  std::string trigger_csrf;                  // presence mode
  std::string trigger_post, bearer, expect;  // post mode
  int connect_timeout = 180;                 // seconds for the whole connect phase
  int event_timeout = 10;                    // seconds to wait for the event after the trigger
};

struct Shared {
  Options opt;
  asio::io_context& ioc;
  tcp::endpoint endpoint;
  std::string host_header;
  int started = 0;
  int connected = 0;   // WebSocket handshake done
  int subscribed = 0;  // "subscribed" received
  int failed = 0;
  int settled = 0;  // subscribed or failed
  int dropped = 0;  // closed by the server after subscribing
  bool stopping = false;
  bool triggered = false;
  clk::time_point t_trigger{};
  clk::time_point t_response{};
  int trigger_status = 0;
  std::string trigger_error;
  std::vector<clk::time_point> got;  // per client: when the event arrived
  int received = 0;
  std::map<std::string, int> errors;
  Shared(Options o, asio::io_context& io) : opt(std::move(o)), ioc(io) {}
};

long rss_kib(long pid) {
  std::ifstream f(pid > 0 ? "/proc/" + std::to_string(pid) + "/status" : "/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

void raise_fd_limit(int need) {
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rlim_t want = static_cast<rlim_t>(need) + 1024;
  if (rl.rlim_cur >= want) return;
  rlimit nl = rl;
  nl.rlim_cur = std::max(want, rl.rlim_cur);
  if (nl.rlim_max < nl.rlim_cur) nl.rlim_max = nl.rlim_cur;  // only root may raise the hard limit
  if (setrlimit(RLIMIT_NOFILE, &nl) != 0) {
    nl.rlim_cur = rl.rlim_max;
    nl.rlim_max = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nl);
  }
  getrlimit(RLIMIT_NOFILE, &rl);
  std::fprintf(stderr, "RLIMIT_NOFILE: %llu\n", static_cast<unsigned long long>(rl.rlim_cur));
}

void launch(Shared& sh);

void settle(Shared& sh, bool ok, const std::string& err) {
  ++sh.settled;
  if (ok) {
    ++sh.subscribed;
  } else {
    ++sh.failed;
    ++sh.errors[err];
  }
  launch(sh);  // keep --parallel handshakes in flight
}

asio::awaitable<void> client(Shared& sh, int idx) {
  websocket::stream<beast::tcp_stream> ws(sh.ioc);
  auto& tcp_layer = beast::get_lowest_layer(ws);
  tcp_layer.expires_after(std::chrono::seconds(30));
  auto [cec] = co_await tcp_layer.async_connect(sh.endpoint, tuple_awaitable);
  if (cec) {
    settle(sh, false, "connect: " + cec.message());
    co_return;
  }
  tcp_layer.socket().set_option(tcp::no_delay(true), cec);
  tcp_layer.expires_never();
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::client);
  ws.set_option(timeouts);  // handshake 30 s; no idle timeout (the server pings us)
  ws.set_option(websocket::stream_base::decorator([&sh](websocket::request_type& r) {
    r.set(http::field::cookie, sh.opt.cookie);
    r.set(http::field::origin, sh.opt.origin);
    r.set(http::field::user_agent, "bench_ws_clients");
  }));
  websocket::response_type hres;
  auto [hec] = co_await ws.async_handshake(hres, sh.host_header, "/api/v1/ws", tuple_awaitable);
  if (hec) {
    settle(sh, false,
           "handshake: " + hec.message() +
               (hres.result_int() ? " (HTTP " + std::to_string(hres.result_int()) + ")" : ""));
    co_return;
  }
  ++sh.connected;
  ws.text(true);
  std::string sub =
      json::serialize(json::object{{"type", "subscribe"}, {"topic", sh.opt.topic}, {"id", "1"}});
  auto [wec, wn] = co_await ws.async_write(asio::buffer(sub), tuple_awaitable);
  if (wec) {
    settle(sh, false, "subscribe write: " + wec.message());
    co_return;
  }
  beast::flat_buffer buf;
  bool ok = false;
  for (int i = 0; i < 8 && !ok; ++i) {  // a few unrelated messages may come first
    auto [rec, rn] = co_await ws.async_read(buf, tuple_awaitable);
    if (rec) {
      settle(sh, false, "subscribe read: " + rec.message());
      co_return;
    }
    boost::system::error_code pec;
    auto v = json::parse(beast::buffers_to_string(buf.data()), pec);
    buf.consume(buf.size());
    if (pec || !v.is_object()) continue;
    auto* type = v.as_object().if_contains("type");
    if (type && type->is_string() && type->as_string() == "subscribed") ok = true;
    if (type && type->is_string() && type->as_string() == "error") break;
  }
  if (!ok) {
    settle(sh, false, "subscribe refused");
    co_return;
  }
  settle(sh, true, "");
  // Hold the connection; note when the triggered event arrives.
  for (;;) {
    auto [rec, rn] = co_await ws.async_read(buf, tuple_awaitable);
    auto now = clk::now();
    if (rec) {
      if (!sh.stopping) ++sh.dropped;
      co_return;
    }
    if (sh.triggered && sh.got[idx] == clk::time_point{}) {
      std::string_view text(static_cast<const char*>(buf.data().data()), buf.size());
      bool presence = !sh.opt.trigger_csrf.empty();
      if (!sh.opt.trigger_post.empty()
              ? text.find("\"" + sh.opt.expect + "\"") != std::string_view::npos
          : presence ? text.find("\"presence.changed\"") != std::string_view::npos &&
                           text.find("\"busy\"") != std::string_view::npos
                     : text.find("\"audit.appended\"") != std::string_view::npos &&
                           text.find("session.login_failed") != std::string_view::npos) {
        sh.got[idx] = now;
        ++sh.received;
      }
    }
    buf.consume(buf.size());
  }
}

void launch(Shared& sh) {
  if (sh.started >= sh.opt.clients) return;
  int idx = sh.started++;
  asio::co_spawn(sh.ioc, client(sh, idx), asio::detached);
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(d);
  co_await t.async_wait(tuple_awaitable);
}

// Polls pred every 5 ms until it holds or the deadline passes. (Arrival times are taken by the
// clients themselves, so the polling interval does not affect what is measured.)
asio::awaitable<bool> wait_until(std::function<bool()> pred, clk::time_point deadline) {
  while (!pred()) {
    if (clk::now() >= deadline) co_return false;
    co_await sleep_for(std::chrono::milliseconds(5));
  }
  co_return true;
}

asio::awaitable<void> trigger(Shared& sh) {
  beast::tcp_stream s(sh.ioc);
  s.expires_after(std::chrono::seconds(30));
  auto [cec] = co_await s.async_connect(sh.endpoint, tuple_awaitable);
  if (cec) {
    sh.trigger_error = "connect: " + cec.message();
    co_return;
  }
  bool presence = !sh.opt.trigger_csrf.empty();
  bool post = !sh.opt.trigger_post.empty();
  http::request<http::string_body> req{presence ? http::verb::put : http::verb::post,
                                       post       ? sh.opt.trigger_post
                                       : presence ? "/api/v1/me/presence"
                                                  : "/api/v1/session",
                                       11};
  req.set(http::field::host, sh.host_header);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "bench_ws_clients");
  if (post) {
    req.set(http::field::authorization, "Bearer " + sh.opt.bearer);
    req.body() = "{}";
  } else if (presence) {
    req.set(http::field::cookie, sh.opt.cookie);
    req.set("X-CSRF-Token", sh.opt.trigger_csrf);
    req.body() = json::serialize(json::object{{"status", "busy"}});
  } else {
    req.body() = json::serialize(json::object{{"access_code", sh.opt.trigger_code},
                                              {"password", "not the password, a benchmark"}});
  }
  req.prepare_payload();
  req.keep_alive(false);
  sh.triggered = true;
  sh.t_trigger = clk::now();
  auto [wec, wn] = co_await http::async_write(s, req, tuple_awaitable);
  if (wec) {
    sh.trigger_error = "write: " + wec.message();
    co_return;
  }
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  auto [rec, rn] = co_await http::async_read(s, buf, res, tuple_awaitable);
  sh.t_response = clk::now();
  if (rec) {
    sh.trigger_error = "read: " + rec.message();
    co_return;
  }
  sh.trigger_status = res.result_int();
}

double ms(clk::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

asio::awaitable<void> run(Shared& sh, json::object& out) {
  const auto& o = sh.opt;
  out["clients"] = o.clients;
  out["server_rss_before_kib"] = rss_kib(o.server_pid);
  auto t0 = clk::now();
  for (int i = 0; i < std::max(1, o.parallel); ++i) launch(sh);
  auto deadline = t0 + std::chrono::seconds(o.connect_timeout);
  int last_report = -1;
  for (;;) {
    bool done = co_await wait_until([&] { return sh.settled >= o.clients; },
                                    std::min(deadline, clk::now() + std::chrono::seconds(1)));
    if (sh.settled / 1000 != last_report || done) {
      last_report = sh.settled / 1000;
      std::fprintf(stderr, "  %.1fs: %d subscribed, %d failed\n", ms(clk::now() - t0) / 1000,
                   sh.subscribed, sh.failed);
    }
    if (done || clk::now() >= deadline) break;
  }
  out["connect_seconds"] = ms(clk::now() - t0) / 1000;
  out["connected"] = sh.connected;
  out["subscribed"] = sh.subscribed;
  out["failed"] = sh.failed;
  out["server_rss_subscribed_kib"] = rss_kib(o.server_pid);
  co_await sleep_for(std::chrono::milliseconds(1000));  // let the server settle
  out["server_rss_held_kib"] = rss_kib(o.server_pid);
  out["client_rss_kib"] = rss_kib(0);

  if ((!o.trigger_code.empty() || !o.trigger_csrf.empty() || !o.trigger_post.empty()) &&
      sh.subscribed > 0) {
    int expected = sh.subscribed - sh.dropped;
    asio::co_spawn(sh.ioc, trigger(sh), asio::detached);
    co_await wait_until([&] { return sh.received >= expected && sh.trigger_status != 0; },
                        clk::now() + std::chrono::seconds(o.event_timeout));
    std::vector<double> lat;
    for (auto& t : sh.got)
      if (t != clk::time_point{}) lat.push_back(ms(t - sh.t_trigger));
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) -> json::value {
      if (lat.empty()) return nullptr;
      auto i = static_cast<std::size_t>(p * static_cast<double>(lat.size() - 1) + 0.5);
      return lat[std::min(i, lat.size() - 1)];
    };
    out["expected"] = expected;
    out["received"] = sh.received;
    out["trigger_status"] = sh.trigger_status;
    if (!sh.trigger_error.empty()) out["trigger_error"] = sh.trigger_error;
    if (sh.t_response != clk::time_point{})
      out["trigger_response_ms"] = ms(sh.t_response - sh.t_trigger);
    out["event_first_ms"] = pct(0);
    out["event_p50_ms"] = pct(0.5);
    out["event_p99_ms"] = pct(0.99);
    out["event_last_ms"] = pct(1);
    out["server_rss_after_event_kib"] = rss_kib(o.server_pid);
  }
  out["dropped"] = sh.dropped;
  json::object errs;
  for (auto& [k, v] : sh.errors) errs[k] = v;
  out["errors"] = std::move(errs);
  sh.stopping = true;
  sh.ioc.stop();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", argv[i]);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--host")
      o.host = next();
    else if (a == "--port")
      o.port = static_cast<unsigned short>(std::stoi(next()));
    else if (a == "--cookie")
      o.cookie = next();
    else if (a == "--origin")
      o.origin = next();
    else if (a == "--topic")
      o.topic = next();
    else if (a == "--clients")
      o.clients = std::max(1, std::stoi(next()));
    else if (a == "--parallel")
      o.parallel = std::max(1, std::stoi(next()));
    else if (a == "--server-pid")
      o.server_pid = std::stol(next());
    else if (a == "--trigger-code")
      o.trigger_code = next();
    else if (a == "--trigger-presence")
      o.trigger_csrf = next();
    else if (a == "--trigger-post")
      o.trigger_post = next();
    else if (a == "--bearer")
      o.bearer = next();
    else if (a == "--expect")
      o.expect = next();
    else if (a == "--connect-timeout")
      o.connect_timeout = std::max(1, std::stoi(next()));
    else if (a == "--event-timeout")
      o.event_timeout = std::max(1, std::stoi(next()));
    else {
      std::fprintf(stderr, "unknown argument %s (see the comment at the top of ws_clients.cpp)\n",
                   argv[i]);
      return 2;
    }
  }
  if (o.port == 0 || o.cookie.empty()) {
    std::fprintf(stderr, "--port and --cookie are required\n");
    return 2;
  }
  std::string host_header = o.host + ":" + std::to_string(o.port);
  if (o.origin.empty()) o.origin = "http://" + host_header;
  raise_fd_limit(o.clients + 16);

  asio::io_context ioc(1);
  Shared sh(o, ioc);
  sh.endpoint = tcp::endpoint(asio::ip::make_address(o.host), o.port);
  sh.host_header = host_header;
  sh.got.assign(static_cast<std::size_t>(o.clients), clk::time_point{});
  json::object out;
  asio::co_spawn(ioc, run(sh, out), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      std::fprintf(stderr, "bench_ws_clients: %s\n", ex.what());
    }
  });
  ioc.run();
  std::cout << json::serialize(out) << std::endl;
  // The open connections are simply dropped with the process; the server sees them close.
  std::fflush(stdout);
  std::_Exit(out.contains("subscribed") ? 0 : 1);
}
