#include "app/app.hpp"

#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "app/ops.hpp"
#include "audit/routes.hpp"
#include "core/time.hpp"
#include "council/routes.hpp"
#include "documents/routes.hpp"
#include "identity/routes.hpp"
#include "identity/store.hpp"
#include "jobs/routes.hpp"
#include "mail/routes.hpp"
#include "media/routes.hpp"
#include "net/server.hpp"
#include "security/access_code.hpp"
#include "security/crypto.hpp"
#include "store/migrations.hpp"
#include "workspace/routes.hpp"

namespace ratusha::app {

namespace {
// The SMTP settings, with the password read from its file (first line).
mail::Settings mail_settings(const Config& c) {
  mail::Settings s;
  s.smtp.url = c.smtp_url;
  s.smtp.username = c.smtp_username;
  s.smtp.starttls = c.smtp_starttls;
  s.from = c.smtp_from;
  if (!c.smtp_password_file.empty()) {
    std::ifstream in(c.smtp_password_file);
    if (!in) throw std::runtime_error("cannot read smtp_password_file " + c.smtp_password_file);
    std::getline(in, s.smtp.password);
    if (!s.smtp.password.empty() && s.smtp.password.back() == '\r') s.smtp.password.pop_back();
  }
  return s;
}

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= v.size()) {
    auto comma = v.find(',', start);
    auto item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto b = item.find_first_not_of(" \t"), e = item.find_last_not_of(" \t");
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string first_line(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Janus's three secrets; made (readable by us only) for a local Janus when missing.
media::JanusSecrets janus_secrets(const Config& c) {
  auto file = c.effective_janus_secret_file();
  namespace fs = std::filesystem;
  if (!fs::exists(file)) {
    if (c.janus != "local") throw std::runtime_error("janus_secret_file " + file + " is missing");
    fs::create_directories(fs::path(file).parent_path());
    std::ofstream out(file, std::ios::trunc);
    out << security::random_token(24) << "\n"
        << security::random_token(24) << "\n"
        << security::random_token(24) << "\n";
    out.close();
    fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace);
  }
  std::ifstream in(file);
  std::string lines[3];
  for (auto& l : lines) {
    std::getline(in, l);
    if (!l.empty() && l.back() == '\r') l.pop_back();
  }
  if (lines[0].empty() || lines[1].empty() || lines[2].empty())
    throw std::runtime_error(file +
                             " must hold three lines: token secret, admin key, admin secret");
  return {lines[0], lines[1], lines[2]};
}
}  // namespace

App::App(Config cfg, bool migrate) : cfg_(std::move(cfg)) {
  security::init_crypto();
  db_ = store::Database::open(cfg_.effective_database_url(), cfg_.db_readers);
  if (migrate) {
    auto st = store::migrate(*db_);
    for (const auto& m : st.newly_applied) spdlog::info("applied migration {}", m);
  } else {
    auto st = store::migration_status(*db_);
    if (st.pending > 0)
      throw std::runtime_error(std::to_string(st.pending) +
                               " migrations are pending: run 'ratusha migrate'");
  }
  auto key = security::SigningKey::load_or_create(cfg_.effective_signing_key_file());
  bus_ = std::make_unique<events::Bus>(cfg_.node_id);
  audit_ = std::make_unique<audit::AuditLog>(key, bus_.get());

  identity::IdentityOptions io;
  io.idle_timeout = cfg_.idle_timeout;
  io.absolute_timeout = cfg_.absolute_timeout;
  io.csrf_key = security::hmac_sha256(key.secret_key, "ratusha csrf v1");
  io.sealing_key = security::hmac_sha256(key.secret_key, "ratusha sealing v1");
  auto settings = db_->read([](store::Tx& tx) {
    return std::pair{identity::db::setting(tx, "code_prefix"),
                     identity::db::setting(tx, "organisation_name")};
  });
  io.code_prefix = !cfg_.code_prefix.empty() ? cfg_.code_prefix : settings.first.value_or("RAT");
  if (!security::valid_prefix(io.code_prefix))
    throw std::runtime_error("code_prefix must be 2 to 5 capital Latin letters");
  if (settings.second) io.issuer = "Ratusha " + *settings.second;
  identity_ = std::make_unique<identity::IdentityService>(*db_, *audit_, *bus_, io);
  auth_ = std::make_unique<identity::Auth>(*identity_, cfg_.cookie_secure);
  groups_ = std::make_unique<identity::GroupsService>(*db_, *audit_, *bus_);
  jobs_ = std::make_unique<jobs::Queue>(*db_, *audit_, cfg_.node_id);
  // Scheduled or started by hand: re-checks the whole audit chain and records the outcome.
  // Idempotent: a job that runs again after a lost lease records nothing new.
  jobs_->handle("audit.verify", [this](const jobs::Job& job) {
    auto res = audit::verify(*db_, audit_->public_key());
    std::string target = "job:" + std::to_string(job.id);
    db_->write([&](store::Tx& tx) {
      if (tx.one("SELECT 1 FROM audit_log WHERE action = 'audit.verified' AND target = ?",
                 {target}))
        return;
      audit_->append(tx, {std::nullopt, "system", "node:" + cfg_.node_id}, "audit.verified", target,
                     {{"ok", res.ok}, {"checked", res.checked}, {"problem", res.problem}});
    });
    if (!res.ok) spdlog::error("audit log verification failed: {}", res.problem);
  });
  mail_ = std::make_unique<mail::Outbox>(*db_, *jobs_, mail_settings(cfg_));
  blobs_ = documents::local_blob_store(cfg_.effective_files_dir());
  documents::Options dopt;
  dopt.max_upload = cfg_.max_upload;
  dopt.personal_quota = cfg_.personal_quota;
  dopt.space_quota = cfg_.space_quota;
  dopt.person_quota = cfg_.person_quota;
  dopt.trash_seconds = cfg_.trash_days * 86400;
  dopt.clamav_socket = cfg_.clamav_socket;
  documents_ = std::make_unique<documents::DocumentsService>(
      *db_, *audit_, *bus_, *jobs_, *blobs_, dopt,
      security::hmac_sha256(key.secret_key, "ratusha document links v1"));
  documents_->set_directory([](store::Tx& tx, const std::string& folded) {
    std::vector<documents::AudienceChoice> out;
    for (auto& e : identity::db::directory(tx, folded, 10))
      out.push_back({e.kind, id_string(e.id), e.name, e.detail});
    return out;
  });
  groups_->on_deleted([this](store::Tx& tx, std::int64_t id) {
    documents_->forget_audience(tx, "group:" + std::to_string(id));
  });
  workspace_ = std::make_unique<workspace::WorkspaceService>(
      *db_, *audit_, *bus_, *jobs_, *mail_, *documents_, *identity_,
      workspace::WorkspaceOptions{
          cfg_.public_url.empty() ? "http://" + cfg_.listen : cfg_.public_url,
          cfg_.call_ring_seconds});
  chat_ = std::make_unique<workspace::ChatService>(*db_, *audit_, *bus_, *documents_);
  presence_ = std::make_unique<workspace::PresenceService>(*db_, *bus_, cfg_.node_id);
  council_ = std::make_unique<council::CouncilService>(*db_, *audit_, *bus_, *jobs_, *identity_,
                                                       *workspace_, *documents_, key);
  media::MediaOptions mo;
  if (cfg_.janus != "off") {
    mo.secrets = janus_secrets(cfg_);
    for (const auto& entry : split_list(cfg_.janus_instances)) {
      if (cfg_.janus != "external") break;
      auto a = entry.find('|'), b = entry.find('|', a == std::string::npos ? a : a + 1);
      if (a == std::string::npos || b == std::string::npos)
        throw std::runtime_error("janus_instances: each entry is API_URL|ADMIN_URL|WS_URL");
      mo.instances.push_back({entry.substr(0, a), entry.substr(0, a),
                              entry.substr(a + 1, b - a - 1), entry.substr(b + 1)});
    }
    if (cfg_.janus == "external" && mo.instances.empty())
      throw std::runtime_error("janus = external needs janus_instances");
  }
  mo.room_key = security::hmac_sha256(key.secret_key, "ratusha media rooms v1");
  mo.public_ws_url = cfg_.janus_public_url;
  mo.departed_after = cfg_.media_departed_after;
  mo.stun_urls = split_list(cfg_.stun_urls);
  mo.turn_urls = split_list(cfg_.turn_urls);
  if (!cfg_.turn_secret_file.empty()) mo.turn_secret = first_line(cfg_.turn_secret_file);
  if (cfg_.janus == "local")
    mo.recordings_dir = (std::filesystem::path(cfg_.data_dir) / "janus" / "recordings").string();
  mo.staging_dir = blobs_->staging_dir().string();
  media_ = std::make_unique<media::MediaService>(*db_, *audit_, *bus_, *jobs_, *workspace_,
                                                 std::move(mo));
  chat_->also_in_room(&media::MediaService::takes_part);
  // A finished recording goes into the meeting's folder, or the starter's own documents, as
  // the person who started it.
  media_->on_recording(
      [this](const media::Recording& r, const std::string& staged, std::int64_t size) {
        auto who = identity_->principal_of(r.started_by);
        if (!who) throw std::runtime_error("the person who started the recording is gone");
        std::optional<std::int64_t> folder;
        if (r.meeting_id) folder = workspace_->meeting(*who, *r.meeting_id).meeting.space_root_id;
        if (!folder)
          for (const auto& s : documents_->spaces(*who))
            if (s.kind == "personal" && s.owner_id == who->person_id) folder = s.root_id;
        if (!folder) throw std::runtime_error("no folder to store the recording in");
        auto started = rfc3339(r.started_at_ms / 1000);
        std::string name = "Recording " + started.substr(0, 10) + " " + started.substr(11, 2) +
                           "." + started.substr(14, 2) + " UTC.webm";
        return documents_->store_file(*who, *folder, name, staged, size, std::nullopt).node.id;
      });
  council_->set_camera_check(
      [this](std::int64_t person, std::int64_t room) { return media_->camera_on(person, room); });
  realtime_ = std::make_unique<events::Realtime>(*bus_, [this](net::Request& req) {
    if (!identity::Auth::same_origin(req))
      throw forbidden("WebSocket connections must come from this site.");
    auto who = auth_->require(req, false);
    std::function<bool()> still_valid;
    if (auto token = auth_->session_token(req); token && who.session_id)
      still_valid = [this, t = *token] {
        return identity_->authenticate_session(t, false).has_value();
      };
    return events::Caller{who.person_id, who.permissions, still_valid};
  });
  realtime_->add_topic("person", [](const events::Caller& c, const std::string& arg) {
    return arg == std::to_string(c.person_id);
  });
  realtime_->add_topic("audit", [](const events::Caller& c, const std::string& arg) {
    return arg.empty() && c.permissions.count("audit.read");
  });
  realtime_->add_topic("people", [](const events::Caller& c, const std::string& arg) {
    return arg.empty() && c.permissions.count("people.read");
  });
  // Checked again before every event: a share taken away stops the news at once.
  realtime_->add_topic(
      "documents",
      [this](const events::Caller& c, const std::string& arg) {
        std::int64_t id = 0;
        auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
        if (ec != std::errc{} || p != arg.data() + arg.size() || id <= 0) return false;
        return c.permissions.count("documents.read") && documents_->may_watch(c.person_id, id);
      },
      true);
  // Who is online: anyone who works here may watch; a socket opening or closing tells presence.
  realtime_->add_topic("presence", [](const events::Caller& c, const std::string& arg) {
    return arg.empty() && c.permissions.count("documents.read");
  });
  // A sitting's live changes: anyone who works here may follow a sitting (guests, who lack the
  // council permissions, may not).
  realtime_->add_topic("council", [](const events::Caller& c, const std::string& arg) {
    std::int64_t id = 0;
    auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
    return ec == std::errc{} && p == arg.data() + arg.size() && id > 0 &&
           c.permissions.count("council.vote");
  });
  // "media:7": those in room 7's live meeting (checked before every event: someone removed stops
  // hearing at once).
  realtime_->add_topic(
      "media",
      [this](const events::Caller& c, const std::string& arg) {
        std::int64_t id = 0;
        auto [p, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), id);
        return ec == std::errc{} && p == arg.data() + arg.size() && id > 0 &&
               media_->may_watch(c.person_id, id);
      },
      true);
  realtime_->on_presence(
      [this](std::int64_t person, bool online) { presence_->connection_changed(person, online); });
  // "chat:meeting:12", "chat:room:7": checked again before every message (someone taken off
  // the list, or a meeting that ended, stops hearing at once).
  realtime_->add_topic(
      "chat",
      [this](const events::Caller& c, const std::string& arg) {
        auto colon = arg.find(':');
        if (colon == std::string::npos) return false;
        std::string kind = arg.substr(0, colon);
        std::int64_t id = 0;
        auto [p, ec] = std::from_chars(arg.data() + colon + 1, arg.data() + arg.size(), id);
        if (ec != std::errc{} || p != arg.data() + arg.size() || id <= 0) return false;
        if (kind != "meeting" && kind != "room") return false;
        return chat_->may_take_part(c.person_id, {kind, id});
      },
      true);
  build_routes();
}

App::~App() = default;

void App::build_routes() {
  register_ops_routes(router_, *db_, metrics_);
  identity::register_routes(router_, *identity_, *auth_);
  identity::register_group_routes(router_, *groups_, *auth_);
  audit::register_routes(router_, *audit_, *db_, *auth_);
  jobs::register_routes(router_, *jobs_, *auth_);
  mail::register_routes(router_, *mail_, *db_, *audit_, *auth_);
  documents::register_routes(router_, *documents_, *auth_);
  workspace::register_routes(router_, *workspace_, *chat_, *auth_);
  workspace::register_presence_routes(router_, *presence_, *auth_);
  council::register_routes(router_, *council_, *auth_,
                           cfg_.public_url.empty() ? "http://" + cfg_.listen : cfg_.public_url);
  media::register_routes(router_, *media_, *auth_);
  register_openapi_route(router_);
  // The upgrade itself is taken by net/ before routing; a plain GET lands here.
  router_.add("GET", "/api/v1/ws", [](net::Request& req) -> net::Response {
    auto res = net::problem_response(
        Error(ErrorKind::bad_request, "upgrade-required", "Connect with a WebSocket."),
        req.request_id);
    res.status = 426;
    res.header("Upgrade", "websocket");
    return res;
  });
}

void App::start_media() {
  if (cfg_.janus == "local") {
    media::LocalJanusOptions lo;
    lo.binary = cfg_.janus_binary;
    lo.dir = std::filesystem::path(cfg_.data_dir) / "janus";
    auto colon = cfg_.janus_ws_listen.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("janus_ws_listen must be HOST:PORT");
    lo.ws_ip = cfg_.janus_ws_listen.substr(0, colon);
    lo.ws_port = static_cast<unsigned short>(std::stoi(cfg_.janus_ws_listen.substr(colon + 1)));
    lo.rtp_ports = cfg_.janus_rtp_ports;
    lo.ice_enforce = cfg_.janus_ice_interfaces;
    lo.nat_1_1 = cfg_.janus_nat_1_1;
    auto stun = split_list(cfg_.stun_urls);
    if (!stun.empty() && stun[0].rfind("stun:", 0) == 0) lo.stun = stun[0].substr(5);
    lo.secrets = janus_secrets(cfg_);
    local_janus_ = std::make_unique<media::LocalJanus>(lo);
    local_janus_->on_restart([this] { media_->forget_rooms("local"); });
    try {
      media_->add_instance(local_janus_->start());
    } catch (const std::exception& e) {
      // Everything else works without video; joining says so clearly.
      spdlog::error("video and audio are off: {}", e.what());
      local_janus_.reset();
    }
  }
  media_->start();
}

int App::serve() {
  net::ServerOptions so;
  so.address = cfg_.address();
  so.port = cfg_.port();
  so.io_threads = cfg_.io_threads;
  so.worker_threads = cfg_.worker_threads;
  so.web_dir = cfg_.web_dir.empty() ? RATUSHA_DEFAULT_WEB_DIR : cfg_.web_dir;
  so.upload_dir = blobs_->staging_dir().string();
  so.tls_certificate = cfg_.tls_certificate;
  so.tls_private_key = cfg_.tls_private_key;
  start_media();
  if (local_janus_ && local_janus_->running()) {
    // Browsers reach the local Janus through us: one origin, our TLS, signed-in people only.
    net::WsRelay relay;
    relay.path = media::kRelayPath;
    relay.host = "127.0.0.1";
    relay.port = local_janus_->ws_port();
    relay.subprotocol = "janus-protocol";
    relay.allow = [this](net::Request& req) {
      if (!identity::Auth::same_origin(req))
        throw forbidden("WebSocket connections must come from this site.");
      auth_->require(req, false);
    };
    so.relays.push_back(std::move(relay));
  }
  // An external Janus is reached directly: the pages may connect there.
  for (const auto& u : split_list(cfg_.janus_instances)) {
    auto ws = u.substr(u.rfind('|') + 1);
    if (ws.rfind("ws", 0) == 0) so.csp_connect += (so.csp_connect.empty() ? "" : " ") + ws;
  }
  if (!cfg_.janus_public_url.empty())
    so.csp_connect += (so.csp_connect.empty() ? "" : " ") + cfg_.janus_public_url;
  net::Server server(so, router_, metrics_, realtime_.get());
  metrics_.gauge("ratusha_websockets_open", "Open WebSocket connections.",
                 [&server] { return static_cast<double>(server.open_websockets()); });
  metrics_.gauge("ratusha_db_pool_size", "Database connections in the pool.",
                 [this] { return static_cast<double>(db_->pool_size()); });
  metrics_.gauge("ratusha_db_pool_in_use", "Database connections in use.",
                 [this] { return static_cast<double>(db_->pool_in_use()); });
  metrics_.gauge("ratusha_event_subscriptions", "WebSocket topic subscriptions on this node.",
                 [this] { return static_cast<double>(bus_->subscriptions()); });
  unsigned short port = server.bind();
  metrics_.gauge("ratusha_janus_up", "Janus instances that answered at the last check.", [this] {
    double n = 0;
    for (const auto& s : media_->last_status()) n += s.up ? 1 : 0;
    return n;
  });
  metrics_.gauge("ratusha_janus_restarts", "Times a Janus was found restarted (its rooms gone).",
                 [this] { return static_cast<double>(media_->restarts()); });
  // Janus's traffic: its handles walked at most every 15 s, however often /metrics is read.
  metrics_.gauge("ratusha_janus_sessions", "Janus sessions (browsers' and ours), all instances.",
                 [this] { return static_cast<double>(media_->traffic(15).sessions); });
  metrics_.gauge("ratusha_janus_receive_kbps", "What the Janus instances receive, kbit/s.",
                 [this] { return static_cast<double>(media_->traffic(15).in_kbps); });
  metrics_.gauge("ratusha_janus_send_kbps", "What the Janus instances send, kbit/s.",
                 [this] { return static_cast<double>(media_->traffic(15).out_kbps); });
  metrics_.gauge("ratusha_media_participants", "People in live meetings, on every node.", [this] {
    return static_cast<double>(db_->read([](store::Tx& tx) {
      auto r = tx.one("SELECT COUNT(*) FROM media_participants WHERE left_at IS NULL");
      return r ? r->int64(0) : 0;
    }));
  });
  if (db_->dialect() == store::Dialect::postgresql) bus_->start_listening(db_->conninfo());
  jobs_->start();
  presence_->start();
  std::string scheme = so.tls_certificate.empty() ? "http" : "https";
  std::string host =
      so.address.find(':') != std::string::npos ? "[" + so.address + "]" : so.address;
  server.run([&] {
    std::printf("listening on %s://%s:%u\n", scheme.c_str(), host.c_str(), port);
    std::fflush(stdout);
    spdlog::info("ratusha {} serving on {}://{}:{} ({} database)", RATUSHA_VERSION, scheme, host,
                 port, db_->dialect() == store::Dialect::sqlite ? "SQLite" : "PostgreSQL");
  });
  jobs_->stop();
  presence_->stop();
  media_->stop();
  if (local_janus_) local_janus_->stop();
  bus_->stop_listening();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace ratusha::app
