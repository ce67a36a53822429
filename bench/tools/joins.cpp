// Join load for bench/media.sh: tickets for live meetings at a fixed rate (open loop), so the
// latency of Ratusha's control path (check who may enter, make the Janus room the first time,
// sign the tokens) is measured from when each join was due, not from when a connection was free.
//
//   bench_joins --port P --people FILE [--rate 200] [--seconds 10] [--connections 32]
//
// FILE: one "TOKEN ROOM_ID" per line (a person's API token and their personal room). First,
// untimed, everyone opens their room's page (GET …/media: what a browser does before "join"),
// so that the timed part is the control path, not a cold cache of who the person is. Then join
// i uses line i mod N: the first join of each room makes its VideoRoom in Janus, later ones
// only issue a ticket. One JSON object on stdout: joins, statuses, and latency (p50, p99, max) of
// the first joins and of the others.
// clang-format off
#include <utility>  // g++ 12 needs this before Asio
// clang-format on
#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
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

struct Person {
  std::string token, room;
};

struct Shared {
  std::string host = "127.0.0.1", host_header;
  unsigned short port = 0;
  int connections = 32;
  double rate = 200, seconds = 10;
  std::vector<Person> people;
  std::size_t next = 0, total = 0;
  clk::time_point start;
  std::vector<double> first_ms, again_ms;
  bench::Tally tally;
};

// Untimed: every person's GET of their room's live state, as fast as the server answers.
asio::awaitable<void> warm(Shared& sh, tcp::endpoint ep, std::size_t& next) {
  auto ex = co_await asio::this_coro::executor;
  beast::tcp_stream s(ex);
  auto [cec] = co_await s.async_connect(ep, tuple_awaitable);
  if (cec) co_return;
  beast::flat_buffer buf;
  while (next < sh.people.size()) {
    const auto& p = sh.people[next++];
    http::request<http::empty_body> req{http::verb::get, "/api/v1/rooms/" + p.room + "/media", 11};
    req.set(http::field::host, sh.host_header);
    req.set(http::field::authorization, "Bearer " + p.token);
    req.keep_alive(true);
    auto [wec, wn] = co_await http::async_write(s, req, tuple_awaitable);
    if (wec) co_return;
    http::response<http::string_body> res;
    auto [rec, rn] = co_await http::async_read(s, buf, res, tuple_awaitable);
    if (rec) co_return;
  }
}

asio::awaitable<void> connection(Shared& sh, tcp::endpoint ep) {
  auto ex = co_await asio::this_coro::executor;
  beast::tcp_stream s(ex);
  auto [cec] = co_await s.async_connect(ep, tuple_awaitable);
  if (cec) {
    ++sh.tally.errors["connect: " + cec.message()];
    co_return;
  }
  s.socket().set_option(tcp::no_delay(true), cec);
  beast::flat_buffer buf;
  asio::steady_timer timer(ex);
  while (sh.next < sh.total) {
    std::size_t i = sh.next++;
    auto due = sh.start + std::chrono::duration_cast<clk::duration>(
                              std::chrono::duration<double>(static_cast<double>(i) / sh.rate));
    timer.expires_at(due);
    co_await timer.async_wait(tuple_awaitable);
    const auto& p = sh.people[i % sh.people.size()];
    http::request<http::string_body> req{http::verb::post,
                                         "/api/v1/rooms/" + p.room + "/media/join", 11};
    req.set(http::field::host, sh.host_header);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::authorization, "Bearer " + p.token);
    req.body() = "{}";
    req.prepare_payload();
    req.keep_alive(true);
    s.expires_after(std::chrono::seconds(30));
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
    (i < sh.people.size() ? sh.first_ms : sh.again_ms).push_back(ms(clk::now() - due));
    ++sh.tally.statuses[res.result_int()];
    if (res.result_int() != 200 && sh.tally.errors.size() < 5)
      ++sh.tally.errors[res.body().substr(0, 200)];
  }
}

}  // namespace

int main(int argc, char** argv) {
  Shared sh;
  std::string people_file;
  if (!bench::parse_options(
          argc, argv,
          {{"--host", [&](const std::string& v) { sh.host = v; }},
           {"--port",
            [&](const std::string& v) { sh.port = static_cast<unsigned short>(std::stoi(v)); }},
           {"--people", [&](const std::string& v) { people_file = v; }},
           {"--rate", [&](const std::string& v) { sh.rate = std::stod(v); }},
           {"--seconds", [&](const std::string& v) { sh.seconds = std::stod(v); }},
           {"--connections", [&](const std::string& v) { sh.connections = std::stoi(v); }}}))
    return 2;
  std::ifstream in(people_file);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    Person p;
    if (words >> p.token >> p.room) sh.people.push_back(p);
  }
  if (sh.port == 0 || sh.people.empty() || sh.rate <= 0) {
    std::cerr << "usage: bench_joins --port P --people FILE [--rate R] [--seconds S]\n";
    return 2;
  }
  sh.total = static_cast<std::size_t>(sh.rate * sh.seconds);
  sh.host_header = sh.host + ":" + std::to_string(sh.port);
  asio::io_context ioc;
  tcp::endpoint ep(asio::ip::make_address(sh.host), sh.port);
  {
    asio::io_context warm_ioc;
    std::size_t next = 0;
    for (int c = 0; c < 8; ++c) asio::co_spawn(warm_ioc, warm(sh, ep, next), asio::detached);
    warm_ioc.run();
  }
  sh.start = clk::now() + std::chrono::milliseconds(100);
  for (int c = 0; c < sh.connections; ++c) asio::co_spawn(ioc, connection(sh, ep), asio::detached);
  ioc.run();
  double wall = ms(clk::now() - sh.start);
  json::object out = sh.tally.json();
  out["joins"] = static_cast<std::int64_t>(sh.total);
  out["rate"] = sh.rate;
  out["wall_ms"] = wall;
  out["first_join"] = bench::summary(sh.first_ms);
  out["again"] = bench::summary(sh.again_ms);
  std::cout << json::serialize(out) << "\n";
  return sh.tally.statuses[200] == static_cast<int>(sh.total) ? 0 : 1;
}
