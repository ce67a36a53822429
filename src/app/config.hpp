#pragma once
// Configuration: defaults < TOML file < RATUSHA_* environment < command-line flags.
#include <cstdint>
#include <string>
#include <vector>

namespace ratusha::app {

struct Config {
  std::string config_file;                // --config, RATUSHA_CONFIG
  std::string listen = "127.0.0.1:8080";  // RATUSHA_LISTEN
  std::string data_dir = "var";           // RATUSHA_DATA_DIR
  std::string database_url;      // RATUSHA_DATABASE_URL; default sqlite:<data_dir>/ratusha.db
  std::string web_dir;           // RATUSHA_WEB_DIR; default: the source tree's web/dist
  std::string signing_key_file;  // default <data_dir>/keys/signing.key
  std::string tls_certificate, tls_private_key;
  bool cookie_secure = true;  // false only behind plain HTTP for testing
  int io_threads = 0;         // 0: one per core
  int worker_threads = 8;
  int db_readers = 8;
  std::int64_t idle_timeout = 1800;
  std::int64_t absolute_timeout = 43200;
  std::string code_prefix;  // access-code prefix; default from the organisation
  std::string log_level = "info";
  std::string log_format = "text";  // text | json
  std::string node_id;              // default hostname-pid
  bool migrate_on_start = true;
  // Documents
  std::string files_dir;  // default <data_dir>/files
  std::int64_t max_upload = std::int64_t{2} << 30;
  std::int64_t personal_quota = std::int64_t{10} << 30;
  std::int64_t space_quota = std::int64_t{100} << 30;
  std::int64_t person_quota = std::int64_t{50} << 30;
  std::int64_t trash_days = 30;
  std::string clamav_socket;  // empty: uploads are not scanned
  // Workspace
  std::int64_t call_ring_seconds = 45;
  // Mail
  std::string public_url;  // how people reach this server (links in mails); default http://<listen>
  std::string smtp_url;    // smtp://host:587 or smtps://host:465; empty: mail is off
  std::string smtp_from;   // "Ратуша <ratusha@example.org>"
  std::string smtp_username;
  std::string smtp_password_file;     // the password is read from this file, never logged
  std::string smtp_starttls = "try";  // smtp:// only: try | required | off

  // Video and audio (Janus)
  std::string janus = "local";  // local | external | off
  std::string janus_binary = "/usr/bin/janus";
  std::string janus_ws_listen = "127.0.0.1:0";  // local: Janus's WebSocket API (relayed at /janus)
  std::string janus_rtp_ports = "20000-40000";
  std::string janus_ice_interfaces;  // local: ice_enforce_list
  std::string janus_nat_1_1;         // local: public address behind 1:1 NAT
  std::string janus_instances;    // external: "API_URL|ADMIN_URL|WS_URL" entries, comma-separated
  std::string janus_secret_file;  // default <data_dir>/keys/janus.secret (made for local)
  std::string janus_public_url;   // what browsers connect to, when a proxy stands in front
  std::string stun_urls,
      turn_urls;                 // comma-separated; stun:HOST:PORT, turn:HOST:PORT?transport=udp
  std::string turn_secret_file;  // coturn's static-auth-secret
  std::int64_t media_departed_after = 60;  // seconds gone from Janus before marked as left

  std::string effective_database_url() const;
  std::string effective_janus_secret_file() const;
  std::string effective_signing_key_file() const;
  std::string effective_files_dir() const;
  std::string address() const;
  unsigned short port() const;
};

// "2G", "500M", "64K" or plain bytes.
std::int64_t parse_size(const std::string& v);

// Reads the file named by config_file (if any) and the environment into `c`.
void load_file_and_env(Config& c);
// Every option with its environment variable, default and meaning (for --help and docs).
std::string describe_options();

}  // namespace ratusha::app
