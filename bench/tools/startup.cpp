// Start-up benchmark for bench/run.sh: how long until a freshly spawned server is ready, and how
// much resident memory it holds then.
//
//   bench_startup [--runs 7] [--idle-ms 2000] -- PROGRAM ARGS...
//
// Each run spawns PROGRAM (which must print "listening on http://ADDR:PORT" on stdout), then asks
// GET /readyz every millisecond until it answers 200. Reported per run: the time from just before
// fork() until that 200, VmRSS right then, and VmRSS after --idle-ms of idleness. The server is
// then stopped with SIGTERM (SIGKILL after 10 s). Every wait is bounded. One JSON object on stdout.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace json = boost::json;
using clk = std::chrono::steady_clock;

namespace {

long rss_kib(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

// One GET /readyz on a fresh connection; the status code, or 0 when there is no answer.
int probe(const std::string& host, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &sa.sin_addr);
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int status = 0;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
    std::string req = "GET /readyz HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                      "\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[64] = {};
      ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
      if (n >= 12 && std::strncmp(buf, "HTTP/1.1 ", 9) == 0) status = std::atoi(buf + 9);
    }
  }
  ::close(fd);
  return status;
}

void stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  auto deadline = clk::now() + std::chrono::seconds(10);
  while (clk::now() < deadline) {
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

struct Run {
  double ready_ms = -1;
  long rss_ready = -1;
  long rss_idle = -1;
  std::string error;
};

Run run_once(char** argv, int idle_ms) {
  Run r;
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    r.error = "pipe failed";
    return r;
  }
  auto t0 = clk::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    r.error = "fork failed";
    return r;
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive this tool
    ::dup2(out[1], STDOUT_FILENO);
    ::execvp(argv[0], argv);
    std::perror("exec");
    std::_Exit(127);
  }
  ::close(out[1]);
  // Read stdout until the "listening on" line tells the port.
  std::string text, host;
  int port = 0;
  auto deadline = t0 + std::chrono::seconds(10);
  while (port == 0 && clk::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    auto at = text.find("listening on http://");
    auto eol = at == std::string::npos ? at : text.find('\n', at);
    if (eol != std::string::npos) {
      std::string addr = text.substr(at + 20, eol - at - 20);
      auto colon = addr.rfind(':');
      host = addr.substr(0, colon);
      port = std::atoi(addr.c_str() + colon + 1);
    }
  }
  if (port == 0) {
    r.error = "no 'listening on' line within 10 s";
    stop(pid);
    ::close(out[0]);
    return r;
  }
  while (clk::now() < deadline) {
    if (probe(host, port) == 200) {
      r.ready_ms = std::chrono::duration<double, std::milli>(clk::now() - t0).count();
      r.rss_ready = rss_kib(pid);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (r.ready_ms < 0)
    r.error = "/readyz did not answer 200 within 10 s";
  else {
    std::this_thread::sleep_for(std::chrono::milliseconds(idle_ms));
    r.rss_idle = rss_kib(pid);
  }
  stop(pid);
  ::close(out[0]);
  return r;
}

double median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 7, idle_ms = 2000, i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--runs" && i + 1 < argc)
      runs = std::clamp(std::atoi(argv[++i]), 1, 50);
    else if (a == "--idle-ms" && i + 1 < argc)
      idle_ms = std::clamp(std::atoi(argv[++i]), 0, 60000);
    else {
      std::fprintf(stderr, "usage: bench_startup [--runs N] [--idle-ms MS] -- PROGRAM ARGS...\n");
      return 2;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr, "usage: bench_startup [--runs N] [--idle-ms MS] -- PROGRAM ARGS...\n");
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  json::array ready, rss_ready, rss_idle, errors;
  std::vector<double> rv, rr, ri;
  for (int k = 0; k < runs; ++k) {
    Run r = run_once(argv + i, idle_ms);
    ready.push_back(r.ready_ms);
    rss_ready.push_back(r.rss_ready);
    rss_idle.push_back(r.rss_idle);
    if (!r.error.empty())
      errors.push_back(json::value(r.error));
    else {
      rv.push_back(r.ready_ms);
      rr.push_back(static_cast<double>(r.rss_ready));
      ri.push_back(static_cast<double>(r.rss_idle));
    }
    std::fprintf(
        stderr, "  run %d: ready in %.1f ms, VmRSS %ld kB (after %d ms idle: %ld kB)%s%s\n", k + 1,
        r.ready_ms, r.rss_ready, idle_ms, r.rss_idle, r.error.empty() ? "" : " ", r.error.c_str());
  }
  json::object out{{"runs", runs},
                   {"ok", rv.size()},
                   {"ready_ms", ready},
                   {"rss_ready_kib", rss_ready},
                   {"rss_idle_kib", rss_idle},
                   {"ready_ms_median", median(rv)},
                   {"rss_ready_kib_median", median(rr)},
                   {"rss_idle_kib_median", median(ri)},
                   {"errors", errors}};
  std::cout << json::serialize(out) << std::endl;
  return rv.empty() ? 1 : 0;
}
