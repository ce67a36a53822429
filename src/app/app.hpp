#pragma once
// Wiring: builds the database, the services of every module and the routing table.
#include <memory>

#include "app/config.hpp"
#include "audit/audit.hpp"
#include "core/metrics.hpp"
#include "council/service.hpp"
#include "documents/blobs.hpp"
#include "documents/service.hpp"
#include "events/bus.hpp"
#include "events/ws.hpp"
#include "identity/auth.hpp"
#include "identity/groups.hpp"
#include "identity/service.hpp"
#include "jobs/jobs.hpp"
#include "mail/mail.hpp"
#include "media/local_janus.hpp"
#include "media/service.hpp"
#include "net/router.hpp"
#include "store/db.hpp"
#include "workspace/chat.hpp"
#include "workspace/presence.hpp"
#include "workspace/service.hpp"

namespace ratusha::app {

class App {
 public:
  // Opens the database (migrating it when `migrate` is set) and builds every service.
  App(Config cfg, bool migrate);
  ~App();

  const Config& config() const { return cfg_; }
  store::Database& db() { return *db_; }
  audit::AuditLog& audit() { return *audit_; }
  identity::IdentityService& identity() { return *identity_; }
  events::Bus& bus() { return *bus_; }
  jobs::Queue& jobs() { return *jobs_; }
  const net::Router& routes() const { return router_; }
  documents::DocumentsService& documents() { return *documents_; }
  // Outgoing e-mail: queue(tx, message) inside a transaction; enabled() when smtp_url is set.
  mail::Outbox& mail() { return *mail_; }
  workspace::WorkspaceService& workspace() { return *workspace_; }
  council::CouncilService& council() { return *council_; }

  // Runs the HTTP server until SIGTERM/SIGINT; prints "listening on URL" when ready.
  int serve();

 private:
  void build_routes();
  void start_media();

  Config cfg_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<events::Bus> bus_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::IdentityService> identity_;
  std::unique_ptr<identity::Auth> auth_;
  std::unique_ptr<identity::GroupsService> groups_;
  std::unique_ptr<jobs::Queue> jobs_;
  std::unique_ptr<mail::Outbox> mail_;
  std::unique_ptr<workspace::WorkspaceService> workspace_;
  std::unique_ptr<workspace::ChatService> chat_;
  std::unique_ptr<workspace::PresenceService> presence_;
  std::unique_ptr<council::CouncilService> council_;
  std::unique_ptr<media::MediaService> media_;
  std::unique_ptr<media::LocalJanus> local_janus_;
  std::unique_ptr<events::Realtime> realtime_;
  std::unique_ptr<documents::BlobStore> blobs_;
  std::unique_ptr<documents::DocumentsService> documents_;
  Metrics metrics_;
  net::Router router_;
};

}  // namespace ratusha::app
