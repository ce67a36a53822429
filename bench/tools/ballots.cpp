// Ballot burst for bench/council.sh: every member casts one ballot, as fast as the server takes
// them, over a fixed number of keep-alive connections.
//
//   bench_ballots --port P --vote ID --tokens FILE [--host 127.0.0.1] [--connections 64]
//
// FILE holds one API token per line (each a member's, with the council.vote scope). Each
// connection takes the next token, POSTs {"choice": yes|no|abstain} to
// /api/v1/council/votes/ID/ballots with "Authorization: Bearer TOKEN", waits for the answer and
// notes how long the acknowledgement took. Reported as one JSON object on stdout: ballots,
// acknowledged (201), refused (by status), the wall time from the first request to the last
// answer, and the acknowledgement latency (median, p99, max). One thread, one io_context.
// clang-format off
#include <utility>  // g++ 12 needs this before Asio
// clang-format on
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "load.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using bench::clk;
using bench::ms;
constexpr auto tuple_awaitable = asio::as_tuple(asio::use_awaitable);

namespace {

struct Shared {
  std::string host = "127.0.0.1", host_header, vote;
  unsigned short port = 0;
  int connections = 64;
  std::vector<std::string> tokens;
  std::size_t next = 0;
  std::vector<double> latency_ms;
  bench::Tally tally;
  int running = 0;
};

asio::awaitable<void> connection(Shared& sh, tcp::endpoint ep) {
  auto ex = co_await asio::this_coro::executor;
  beast::tcp_stream s(ex);
  s.expires_after(std::chrono::seconds(30));
  auto [cec] = co_await s.async_connect(ep, tuple_awaitable);
  if (cec) {
    ++sh.tally.errors["connect: " + cec.message()];
    --sh.running;
    co_return;
  }
  s.socket().set_option(tcp::no_delay(true), cec);
  beast::flat_buffer buf;
  static const char* choices[] = {"yes", "yes", "no", "abstain"};
  while (sh.next < sh.tokens.size()) {
    std::size_t i = sh.next++;
    http::request<http::string_body> req{http::verb::post,
                                         "/api/v1/council/votes/" + sh.vote + "/ballots", 11};
    req.set(http::field::host, sh.host_header);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::authorization, "Bearer " + sh.tokens[i]);
    req.body() = json::serialize(json::object{{"choice", choices[i % 4]}});
    req.prepare_payload();
    req.keep_alive(true);
    s.expires_after(std::chrono::seconds(30));
    auto t0 = clk::now();
    auto [wec, wn] = co_await http::async_write(s, req, tuple_awaitable);
    if (wec) {
      ++sh.tally.errors["write: " + wec.message()];
      break;
    }
    http::response<http::string_body> res;
    auto [rec, rn] = co_await http::async_read(s, buf, res, tuple_awaitable);
    if (rec) {
      ++sh.tally.errors["read: " + rec.message()];
      break;
    }
    sh.latency_ms.push_back(ms(clk::now() - t0));
    ++sh.tally.statuses[res.result_int()];
    if (res.result_int() != 201 && sh.tally.errors.size() < 5)
      ++sh.tally.errors[res.body().substr(0, 200)];
  }
  --sh.running;
}

}  // namespace

int main(int argc, char** argv) {
  Shared sh;
  std::string tokens_file;
  if (!bench::parse_options(
          argc, argv,
          {{"--host", [&](const std::string& v) { sh.host = v; }},
           {"--port",
            [&](const std::string& v) { sh.port = static_cast<unsigned short>(std::stoi(v)); }},
           {"--vote", [&](const std::string& v) { sh.vote = v; }},
           {"--tokens", [&](const std::string& v) { tokens_file = v; }},
           {"--connections", [&](const std::string& v) { sh.connections = std::stoi(v); }}}))
    return 2;
  std::ifstream in(tokens_file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) sh.tokens.push_back(line);
  if (sh.port == 0 || sh.vote.empty() || sh.tokens.empty()) {
    std::cerr << "usage: bench_ballots --port P --vote ID --tokens FILE [--connections N]\n";
    return 2;
  }
  sh.host_header = sh.host + ":" + std::to_string(sh.port);
  asio::io_context ioc;
  tcp::endpoint ep(asio::ip::make_address(sh.host), sh.port);
  auto t0 = clk::now();
  sh.running = sh.connections;
  for (int c = 0; c < sh.connections; ++c) asio::co_spawn(ioc, connection(sh, ep), asio::detached);
  ioc.run();
  double wall = ms(clk::now() - t0);
  // The acknowledgement latency's summary at the top level, beside the tallies.
  json::object out = bench::summary(sh.latency_ms);
  for (auto& [k, v] : sh.tally.json()) out[k] = v;
  out["ballots"] = static_cast<std::int64_t>(sh.tokens.size());
  out["acknowledged"] = sh.tally.statuses[201];
  out["wall_ms"] = wall;
  std::cout << json::serialize(out) << "\n";
  return sh.tally.statuses[201] == static_cast<int>(sh.tokens.size()) ? 0 : 1;
}
