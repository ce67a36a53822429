#include "app/config.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <functional>
#include <limits>
#include <stdexcept>
#include <toml.hpp>

namespace ratusha::app {

std::string Config::effective_database_url() const {
  return database_url.empty() ? "sqlite:" + data_dir + "/ratusha.db" : database_url;
}

std::string Config::effective_signing_key_file() const {
  return signing_key_file.empty() ? data_dir + "/keys/signing.key" : signing_key_file;
}

std::string Config::effective_janus_secret_file() const {
  return janus_secret_file.empty() ? data_dir + "/keys/janus.secret" : janus_secret_file;
}

std::string Config::effective_files_dir() const {
  return files_dir.empty() ? data_dir + "/files" : files_dir;
}

std::int64_t parse_size(const std::string& v) {
  std::size_t used = 0;
  long long n = -1;
  try {
    n = std::stoll(v, &used);
  } catch (const std::exception&) {
  }
  std::string unit = v.substr(used);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
  if (!unit.empty() && unit.back() == 'i') unit.pop_back();
  int shift = -1;
  if (unit.size() <= 1) {
    char u = unit.empty() ? ' ' : static_cast<char>(std::toupper(unit[0]));
    shift = u == ' ' ? 0 : u == 'K' ? 10 : u == 'M' ? 20 : u == 'G' ? 30 : u == 'T' ? 40 : -1;
  }
  if (shift < 0 || n < 0 || n > (std::numeric_limits<std::int64_t>::max() >> shift))
    throw std::runtime_error("expected a size like 2G, 500M or 1024: " + v);
  return static_cast<std::int64_t>(n) << shift;
}

std::string Config::address() const {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("listen must be ADDR:PORT");
  std::string a = listen.substr(0, colon);
  if (a.size() > 2 && a.front() == '[') a = a.substr(1, a.size() - 2);
  return a;
}

unsigned short Config::port() const {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("listen must be ADDR:PORT");
  int p = std::stoi(listen.substr(colon + 1));
  if (p < 0 || p > 65535) throw std::runtime_error("port out of range");
  return static_cast<unsigned short>(p);
}

namespace {

struct Option {
  const char* key;
  const char* env;
  const char* def;
  const char* help;
  std::function<void(Config&, const std::string&)> set;
};

bool parse_bool(const std::string& v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  throw std::runtime_error("expected true or false, got " + v);
}

const std::vector<Option>& options() {
  static const std::vector<Option> opts = {
      {"listen", "RATUSHA_LISTEN", "127.0.0.1:8080",
       "address and port to listen on (port 0: any free)",
       [](Config& c, const std::string& v) { c.listen = v; }},
      {"data_dir", "RATUSHA_DATA_DIR", "var", "directory for the SQLite database, keys and files",
       [](Config& c, const std::string& v) { c.data_dir = v; }},
      {"database_url", "RATUSHA_DATABASE_URL", "sqlite:<data_dir>/ratusha.db",
       "sqlite:PATH or postgresql://user:pass@host:port/db",
       [](Config& c, const std::string& v) { c.database_url = v; }},
      {"web_dir", "RATUSHA_WEB_DIR", "<source>/web/dist", "the built web app",
       [](Config& c, const std::string& v) { c.web_dir = v; }},
      {"signing_key_file", "RATUSHA_SIGNING_KEY_FILE", "<data_dir>/keys/signing.key",
       "Ed25519 key that signs the audit log (share it between nodes)",
       [](Config& c, const std::string& v) { c.signing_key_file = v; }},
      {"tls_certificate", "RATUSHA_TLS_CERTIFICATE", "",
       "PEM certificate chain: enables TLS on the same port",
       [](Config& c, const std::string& v) { c.tls_certificate = v; }},
      {"tls_private_key", "RATUSHA_TLS_PRIVATE_KEY", "", "PEM private key for TLS",
       [](Config& c, const std::string& v) { c.tls_private_key = v; }},
      {"cookie_secure", "RATUSHA_COOKIE_SECURE", "true",
       "mark the session cookie Secure (__Host- prefix); browsers accept it on https and on "
       "localhost",
       [](Config& c, const std::string& v) { c.cookie_secure = parse_bool(v); }},
      {"io_threads", "RATUSHA_IO_THREADS", "0", "network threads (0: one per core)",
       [](Config& c, const std::string& v) { c.io_threads = std::stoi(v); }},
      {"worker_threads", "RATUSHA_WORKER_THREADS", "8", "threads for database work",
       [](Config& c, const std::string& v) { c.worker_threads = std::stoi(v); }},
      {"db_readers", "RATUSHA_DB_READERS", "8", "database connections for reading",
       [](Config& c, const std::string& v) { c.db_readers = std::stoi(v); }},
      {"idle_timeout", "RATUSHA_IDLE_TIMEOUT", "1800",
       "seconds without activity before a session ends",
       [](Config& c, const std::string& v) { c.idle_timeout = std::stoll(v); }},
      {"absolute_timeout", "RATUSHA_ABSOLUTE_TIMEOUT", "43200",
       "seconds after which every session ends",
       [](Config& c, const std::string& v) { c.absolute_timeout = std::stoll(v); }},
      {"code_prefix", "RATUSHA_CODE_PREFIX", "(the organisation's)",
       "prefix of new access codes, 2-5 letters",
       [](Config& c, const std::string& v) { c.code_prefix = v; }},
      {"log_level", "RATUSHA_LOG_LEVEL", "info", "trace, debug, info, warn, error",
       [](Config& c, const std::string& v) { c.log_level = v; }},
      {"log_format", "RATUSHA_LOG_FORMAT", "text", "text or json",
       [](Config& c, const std::string& v) { c.log_format = v; }},
      {"node_id", "RATUSHA_NODE_ID", "<hostname>-<pid>", "name of this node among several",
       [](Config& c, const std::string& v) { c.node_id = v; }},
      {"migrate_on_start", "RATUSHA_MIGRATE_ON_START", "true",
       "apply pending migrations when serving",
       [](Config& c, const std::string& v) { c.migrate_on_start = parse_bool(v); }},
      {"files_dir", "RATUSHA_FILES_DIR", "<data_dir>/files",
       "where document contents are stored (blobs by SHA-256, uploads in progress)",
       [](Config& c, const std::string& v) { c.files_dir = v; }},
      {"max_upload", "RATUSHA_MAX_UPLOAD", "2G", "largest file a person may upload",
       [](Config& c, const std::string& v) { c.max_upload = parse_size(v); }},
      {"personal_quota", "RATUSHA_PERSONAL_QUOTA", "10G", "size of each personal space",
       [](Config& c, const std::string& v) { c.personal_quota = parse_size(v); }},
      {"space_quota", "RATUSHA_SPACE_QUOTA", "100G", "size of each unit, body or meeting space",
       [](Config& c, const std::string& v) { c.space_quota = parse_size(v); }},
      {"person_quota", "RATUSHA_PERSON_QUOTA", "50G",
       "all that one person may upload, in every space (versions count)",
       [](Config& c, const std::string& v) { c.person_quota = parse_size(v); }},
      {"trash_days", "RATUSHA_TRASH_DAYS", "30",
       "days deleted documents stay in the trash before they are purged",
       [](Config& c, const std::string& v) { c.trash_days = std::stoll(v); }},
      {"clamav_socket", "RATUSHA_CLAMAV_SOCKET", "",
       "clamd socket (/run/clamav/clamd.ctl or HOST:PORT): every upload is scanned; empty: off",
       [](Config& c, const std::string& v) { c.clamav_socket = v; }},
      {"public_url", "RATUSHA_PUBLIC_URL", "http://<listen>",
       "the address people use to reach Ratusha, e.g. https://ratusha.gabrovo.bg (links in mails)",
       [](Config& c, const std::string& v) { c.public_url = v; }},
      {"call_ring_seconds", "RATUSHA_CALL_RING_SECONDS", "45",
       "how long a call rings before it is a missed call (5 to 600)",
       [](Config& c, const std::string& v) {
         c.call_ring_seconds = std::stoll(v);
         if (c.call_ring_seconds < 5 || c.call_ring_seconds > 600)
           throw std::runtime_error("call_ring_seconds must be 5 to 600");
       }},
      {"janus", "RATUSHA_JANUS", "local",
       "video and audio: local (start and watch Janus here), external (janus_instances), off",
       [](Config& c, const std::string& v) {
         if (v != "local" && v != "external" && v != "off")
           throw std::runtime_error("janus must be local, external or off");
         c.janus = v;
       }},
      {"janus_binary", "RATUSHA_JANUS_BINARY", "/usr/bin/janus", "the Janus program (local)",
       [](Config& c, const std::string& v) { c.janus_binary = v; }},
      {"janus_ws_listen", "RATUSHA_JANUS_WS_LISTEN", "127.0.0.1:0",
       "local: address and port of Janus's WebSocket API, which Ratusha relays to browsers at "
       "/janus (port 0: any free)",
       [](Config& c, const std::string& v) { c.janus_ws_listen = v; }},
      {"janus_rtp_ports", "RATUSHA_JANUS_RTP_PORTS", "20000-40000",
       "local: UDP ports for media (open them in the firewall)",
       [](Config& c, const std::string& v) { c.janus_rtp_ports = v; }},
      {"janus_ice_interfaces", "RATUSHA_JANUS_ICE_INTERFACES", "",
       "local: interfaces or address prefixes media may use, e.g. eth0 (empty: all)",
       [](Config& c, const std::string& v) { c.janus_ice_interfaces = v; }},
      {"janus_nat_1_1", "RATUSHA_JANUS_NAT_1_1", "",
       "local: the public address of a server behind 1:1 NAT",
       [](Config& c, const std::string& v) { c.janus_nat_1_1 = v; }},
      {"janus_instances", "RATUSHA_JANUS_INSTANCES", "",
       "external: API_URL|ADMIN_URL|WS_URL for each Janus, comma-separated, e.g. "
       "http://10.0.0.5:8088/janus|http://10.0.0.5:7088/admin|wss://media1.example.org/janus",
       [](Config& c, const std::string& v) { c.janus_instances = v; }},
      {"janus_secret_file", "RATUSHA_JANUS_SECRET_FILE", "<data_dir>/keys/janus.secret",
       "three lines: Janus's token_auth_secret, the VideoRoom admin_key, the Admin API secret "
       "(made for a local Janus; shared with external ones)",
       [](Config& c, const std::string& v) { c.janus_secret_file = v; }},
      {"janus_public_url", "RATUSHA_JANUS_PUBLIC_URL", "",
       "the WebSocket address browsers use for Janus instead of our relay at /janus, e.g. "
       "wss://media.example.org/janus",
       [](Config& c, const std::string& v) { c.janus_public_url = v; }},
      {"stun_urls", "RATUSHA_STUN_URLS", "", "STUN servers for browsers, comma-separated",
       [](Config& c, const std::string& v) { c.stun_urls = v; }},
      {"turn_urls", "RATUSHA_TURN_URLS", "",
       "TURN servers (coturn), comma-separated, e.g. turn:turn.example.org:3478?transport=udp",
       [](Config& c, const std::string& v) { c.turn_urls = v; }},
      {"turn_secret_file", "RATUSHA_TURN_SECRET_FILE", "",
       "file holding coturn's static-auth-secret: browsers get credentials valid for their meeting",
       [](Config& c, const std::string& v) { c.turn_secret_file = v; }},
      {"media_departed_after", "RATUSHA_MEDIA_DEPARTED_AFTER", "60",
       "seconds someone may be gone from Janus (a closed tab, a lost connection) before the "
       "meeting's list shows them as left (5 to 3600)",
       [](Config& c, const std::string& v) {
         c.media_departed_after = std::stoll(v);
         if (c.media_departed_after < 5 || c.media_departed_after > 3600)
           throw std::runtime_error("media_departed_after must be 5 to 3600");
       }},
      {"smtp_url", "RATUSHA_SMTP_URL", "",
       "mail server: smtp://HOST:587 (STARTTLS per smtp_starttls) or smtps://HOST:465; empty: "
       "mail is off",
       [](Config& c, const std::string& v) { c.smtp_url = v; }},
      {"smtp_from", "RATUSHA_SMTP_FROM", "",
       "sender of every mail, e.g. \"Ратуша <ratusha@example.org>\" (required with smtp_url)",
       [](Config& c, const std::string& v) { c.smtp_from = v; }},
      {"smtp_username", "RATUSHA_SMTP_USERNAME", "", "SMTP login; empty: no authentication",
       [](Config& c, const std::string& v) { c.smtp_username = v; }},
      {"smtp_password_file", "RATUSHA_SMTP_PASSWORD_FILE", "",
       "file holding the SMTP password (one line; never logged)",
       [](Config& c, const std::string& v) { c.smtp_password_file = v; }},
      {"smtp_starttls", "RATUSHA_SMTP_STARTTLS", "try",
       "smtp:// only: try (STARTTLS when offered), required, off",
       [](Config& c, const std::string& v) { c.smtp_starttls = v; }},
  };
  return opts;
}

}  // namespace

void load_file_and_env(Config& c) {
  if (c.config_file.empty())
    if (const char* f = std::getenv("RATUSHA_CONFIG")) c.config_file = f;
  if (!c.config_file.empty()) {
    auto data = toml::parse(c.config_file);
    for (const auto& [key, value] : data.as_table()) {
      const Option* opt = nullptr;
      for (const auto& o : options())
        if (key == o.key) opt = &o;
      if (!opt) throw std::runtime_error(c.config_file + ": unknown setting '" + key + "'");
      std::string s;
      if (value.is_string())
        s = value.as_string();
      else if (value.is_integer())
        s = std::to_string(value.as_integer());
      else if (value.is_boolean())
        s = value.as_boolean() ? "true" : "false";
      else
        throw std::runtime_error(c.config_file + ": '" + key + "' has an unsupported type");
      opt->set(c, s);
    }
  }
  for (const auto& o : options())
    if (const char* v = std::getenv(o.env)) o.set(c, v);
  if (c.node_id.empty()) {
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    c.node_id = std::string(host) + "-" + std::to_string(getpid());
  }
}

std::string describe_options() {
  std::string out = "Settings (TOML key / environment variable / default):\n";
  for (const auto& o : options())
    out += "  " + std::string(o.key) + " / " + o.env + " / " + (*o.def ? o.def : "(none)") +
           "\n      " + o.help + "\n";
  return out;
}

}  // namespace ratusha::app
