// Baseline for bench/run.sh: the smallest reasonable Boost.Beast HTTP/1.1 server.
// C++20 coroutines, one io_context run by one thread per core, keep-alive, and every request
// answered with the same small JSON body. No routing, no database, no logging: whatever Ratusha
// spends beyond this is the cost of its own work.
//
//   bench_hello [--listen 127.0.0.1:0] [--threads N] [--body-bytes N]
// --body-bytes: answer with N bytes instead (the loopback ceiling for large downloads).
// Prints "listening on http://ADDR:PORT" once it accepts connections; SIGINT/SIGTERM stop it.
// clang-format off
#include <utility>  // g++ 12 needs this before Asio
// clang-format on
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

std::string_view body = R"({"hello":"world","server":"bench_hello"})";

asio::awaitable<void> serve(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    stream.expires_after(std::chrono::seconds(30));
    http::request<http::string_body> req;
    auto [ec, n] = co_await http::async_read(stream, buffer, req, tuple_awaitable);
    if (ec) break;
    // A view of the one shared body: large bodies are not copied per request.
    http::response<http::span_body<const char>> res{http::status::ok, req.version()};
    res.set(http::field::server, "bench_hello");
    res.set(http::field::content_type, "application/json");
    res.keep_alive(req.keep_alive());
    res.body() = {body.data(), body.size()};
    res.prepare_payload();
    auto [wec, wn] = co_await http::async_write(stream, res, tuple_awaitable);
    if (wec || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
  for (;;) {
    // Each connection gets its own strand, as in Ratusha, so both servers pay the same price.
    auto strand = asio::make_strand(acceptor.get_executor());
    auto [ec, socket] = co_await acceptor.async_accept(strand, tuple_awaitable);
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(strand, serve(std::move(socket)), asio::detached);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:0";
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--listen" && i + 1 < argc) {
      listen = argv[++i];
    } else if (a == "--threads" && i + 1 < argc) {
      threads = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--body-bytes" && i + 1 < argc) {
      static std::string big(static_cast<std::size_t>(std::atoll(argv[++i])), 'x');
      body = big;
    } else {
      std::fprintf(stderr,
                   "usage: bench_hello [--listen ADDR:PORT] [--threads N] [--body-bytes N]\n");
      return 2;
    }
  }
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "--listen needs ADDR:PORT\n");
    return 2;
  }
  try {
    asio::io_context ioc(threads);
    tcp::endpoint ep{asio::ip::make_address(listen.substr(0, colon)),
                     static_cast<unsigned short>(std::atoi(listen.c_str() + colon + 1))};
    tcp::acceptor acceptor(ioc);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen(asio::socket_base::max_listen_connections);
    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code, int) {
      boost::system::error_code ignored;
      acceptor.close(ignored);
      ioc.stop();
    });
    asio::co_spawn(ioc, accept_loop(acceptor), asio::detached);
    std::printf("listening on http://%s:%u\n", ep.address().to_string().c_str(),
                acceptor.local_endpoint().port());
    std::fflush(stdout);
    std::vector<std::thread> pool;
    for (int i = 1; i < threads; ++i) pool.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_hello: %s\n", e.what());
    return 1;
  }
  return 0;
}
