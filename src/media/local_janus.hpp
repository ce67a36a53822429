#pragma once
// The Janus that `ratusha serve` starts itself (the default of `make run`): a configuration
// generated from ours, one process watched by a thread that starts it again when it dies.
#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "media/janus.hpp"

namespace ratusha::media {

struct LocalJanusOptions {
  std::string binary = "/usr/bin/janus";
  std::string lib_dir;        // plugins, transports...; empty: looked for where Debian puts it
  std::filesystem::path dir;  // configuration, log and recordings
  std::string api_ip = "127.0.0.1";
  unsigned short api_port = 0;  // HTTP API and Admin API (0: free ports are chosen)
  unsigned short admin_port = 0;
  std::string ws_ip = "127.0.0.1";  // its WebSocket API, which Ratusha relays to browsers
  unsigned short ws_port = 0;
  std::string rtp_ports = "20000-40000";
  std::string ice_enforce;  // interfaces or address prefixes media may use; empty: all
  std::string nat_1_1;      // the public address of a server behind 1:1 NAT
  std::string stun;         // host:port; empty: none
  JanusSecrets secrets;
};

// The files of the configuration folder, by name (pure; `plugins` etc.: what lib_dir holds).
struct JanusLibraries {
  std::string dir;
  std::vector<std::string> plugins, transports, events, loggers;
};
std::vector<std::pair<std::string, std::string>> janus_config_files(const LocalJanusOptions& o,
                                                                    const JanusLibraries& libs);

class LocalJanus {
 public:
  explicit LocalJanus(LocalJanusOptions options);
  ~LocalJanus();
  LocalJanus(const LocalJanus&) = delete;
  LocalJanus& operator=(const LocalJanus&) = delete;

  // Writes the configuration, starts Janus and waits until it answers (at most 15 s); throws
  // std::runtime_error when it does not. Then keeps it running until stop().
  JanusInstance start();
  void stop();
  // Called on the watching thread after Janus was started again (rooms must be made anew).
  void on_restart(std::function<void()> f) { on_restart_ = std::move(f); }
  std::int64_t restarts() const { return restarts_; }
  pid_t pid() const { return pid_; }
  unsigned short ws_port() const { return opts_.ws_port; }  // known once started
  bool running() const { return pid_ > 0; }

 private:
  void watch();
  pid_t spawn();

  LocalJanusOptions opts_;
  JanusInstance instance_;
  std::function<void()> on_restart_;
  std::thread watcher_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stopping_{false};
  bool spawned_ = false;
  std::atomic<pid_t> pid_{0};
  std::atomic<std::int64_t> restarts_{0};
  std::string spawn_error_;
};

}  // namespace ratusha::media
