#pragma once
// The documents module: spaces, folders, files and their versions, sharing, guest links,
// trash and legal holds, search and activity. Every operation checks the caller's right on
// the node here; a node the caller may not see does not exist for them (404).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "documents/blobs.hpp"
#include "documents/model.hpp"
#include "events/bus.hpp"
#include "identity/model.hpp"
#include "jobs/jobs.hpp"
#include "store/db.hpp"

namespace ratusha::documents {

struct Options {
  std::int64_t max_upload = std::int64_t{2} << 30;       // bytes per file
  std::int64_t chunk_size = std::int64_t{8} << 20;       // resumable upload chunks
  std::int64_t personal_quota = std::int64_t{10} << 30;  // per personal space
  std::int64_t space_quota = std::int64_t{100} << 30;    // per unit / body / meeting space
  std::int64_t person_quota = std::int64_t{50} << 30;    // all a person uploaded, everywhere
  std::int64_t trash_seconds = 30 * 86400;
  std::int64_t upload_ttl_seconds = 86400;  // an unfinished resumable upload is dropped after
  std::string clamav_socket;                // empty: no scanning
};

// Who asks, with what they are for grants.
struct Caller {
  const identity::Principal& who;
  std::vector<std::string> audiences;
};

struct Stored {
  Node node;
  bool created = false;  // false: a new version of an existing file
};

struct Download {
  int fd = -1;  // the caller owns it
  std::int64_t size = 0, version = 0;
  std::string name, content_type, sha256;
};

struct CreatedLink {
  Link link;
  std::string token;
};

struct PublicLink {
  std::string name, content_type;
  std::int64_t size = 0, expires_at = 0;
  bool needs_password = false;
};

struct VerifyReport {
  std::int64_t checked = 0;
  std::vector<std::string> missing, damaged, unreferenced;
  bool ok() const { return missing.empty() && damaged.empty(); }
};

struct AudienceChoice {
  std::string kind, id, name, detail;
};

// Another module's kind of audience (a meeting: its invitees), so that documents can be shared
// with it without documents reading that module's tables.
struct AudienceSource {
  std::string kind;
  // The ids of this kind that a person belongs to.
  std::function<std::vector<std::int64_t>(store::Tx&, std::int64_t person_id)> of_person;
  // Its name, when it exists and the person may name it in a share.
  std::function<std::optional<std::string>(store::Tx&, std::int64_t id, std::int64_t person_id)>
      name_of;
  // Up to 10 (id, name) whose name contains the folded text, for the share dialog.
  std::function<std::vector<std::pair<std::int64_t, std::string>>(
      store::Tx&, std::int64_t person_id, const std::string& folded)>
      search;
};

class DocumentsService {
 public:
  DocumentsService(store::Database& db, audit::AuditLog& audit, events::Bus& bus, jobs::Queue& jobs,
                   BlobStore& blobs, Options opts, std::string link_key);

  const Options& options() const { return opts_; }
  void add_audience_source(AudienceSource s) { sources_.push_back(std::move(s)); }
  // Where people, units, bodies and groups are looked up for the share dialog (identity's).
  using Directory =
      std::function<std::vector<AudienceChoice>(store::Tx&, const std::string& folded)>;
  void set_directory(Directory d) { directory_ = std::move(d); }
  BlobStore& blobs() { return blobs_; }

  // Spaces the person can enter; their personal space and those of their units and bodies are
  // created on first use.
  std::vector<Space> spaces(const identity::Principal& who);
  std::vector<Node> shared_with_me(const identity::Principal& who);
  // The node with the caller's right, its space and the visible path from the root.
  struct NodeView {
    Node node;
    Space space;
    std::vector<std::pair<std::int64_t, std::string>> path;
  };
  NodeView node(const identity::Principal& who, std::int64_t id);
  std::vector<Node> children(const identity::Principal& who, std::int64_t id, int offset,
                             int limit);
  Node create_folder(const identity::Principal& who, std::int64_t parent_id,
                     const std::string& name);

  // A finished upload in the staging area (the server wrote it there): checked, scanned and
  // stored as a new file, or as a new version when the folder has a file of that name.
  // `sha256`: the content's hash when the receiver computed it already (else it is computed).
  Stored store_file(const identity::Principal& who, std::int64_t folder_id, const std::string& name,
                    const std::string& staged_file, std::int64_t size,
                    const std::optional<std::string>& expected_sha256,
                    const std::optional<std::string>& sha256 = std::nullopt);

  // Throws unless the caller may add files to the folder (404 unseen, 403 view only).
  void check_can_add(const identity::Principal& who, std::int64_t folder_id);

  Upload begin_upload(const identity::Principal& who, std::int64_t folder_id,
                      const std::string& name, std::int64_t size,
                      const std::optional<std::string>& sha256);
  Upload upload_state(const identity::Principal& who, const std::string& id);
  Upload append_chunk(const identity::Principal& who, const std::string& id, std::int64_t offset,
                      const std::string& chunk_file, std::int64_t chunk_size);
  Stored complete_upload(const identity::Principal& who, const std::string& id);
  void abort_upload(const identity::Principal& who, const std::string& id);

  // Opens the bytes of the current (or a given) version.
  Download open_content(const identity::Principal& who, std::int64_t id,
                        std::optional<std::int64_t> version);
  // The audit entry for a download that is actually sent (not a 304, not a later range).
  void record_download(const identity::Principal& who, std::int64_t id, const Download& d);
  std::vector<Version> versions(const identity::Principal& who, std::int64_t id);
  Node restore_version(const identity::Principal& who, std::int64_t id, std::int64_t number);
  Node rename(const identity::Principal& who, std::int64_t id, const std::string& name);
  void trash(const identity::Principal& who, std::int64_t id);
  std::vector<Node> trash_list(const identity::Principal& who);
  Node restore(const identity::Principal& who, std::int64_t id);
  Node set_hold(const identity::Principal& who, std::int64_t id, bool held,
                const std::string& reason);

  std::vector<Grant> shares(const identity::Principal& who, std::int64_t id);
  Grant share(const identity::Principal& who, std::int64_t id, const std::string& kind,
              const std::string& audience_id, Access access);
  void unshare(const identity::Principal& who, std::int64_t grant_id);
  // An audience that no longer exists (a deleted group) loses every grant it had.
  void forget_audience(store::Tx& tx, const std::string& audience);
  std::vector<AudienceChoice> audiences(const identity::Principal& who, const std::string& q);

  CreatedLink create_link(const identity::Principal& who, std::int64_t id, std::int64_t expires_at,
                          const std::optional<std::string>& password);
  std::vector<Link> links(const identity::Principal& who, std::int64_t id);
  void revoke_link(const identity::Principal& who, std::int64_t link_id);
  PublicLink public_link(const std::string& token);
  // Checks the password; returns a key valid for 10 minutes for public_content().
  std::string unlock_link(const std::string& token, const std::string& password,
                          const std::string& address);
  Download public_content(const std::string& token, const std::optional<std::string>& key);
  void record_link_download(const std::string& token, const std::string& address,
                            const Download& d);

  // Published without login: what lies under a grant to the audience "public" (a council
  // item's materials). Files under the folder, depth first, named by their path below it (at
  // most `limit`); and their bytes. Anything else: 404.
  std::vector<Node> published_files(std::int64_t folder_id, int limit);
  Download published_content(std::int64_t id);

  std::vector<SearchHit> search(const identity::Principal& who, const std::string& q, int limit);
  std::vector<Activity> activity(const identity::Principal& who, std::optional<std::int64_t> before,
                                 int limit);

  // For the WebSocket topic "documents:<node id>"; asked again before every event.
  bool may_watch(std::int64_t person_id, std::int64_t node_id);

  // Re-hashes every blob the database knows and reports damage (`ratusha documents verify`).
  VerifyReport verify();

  // For other modules: the space of a meeting, sitting or agenda item, created on first use,
  // with the given audiences' rights on its root (replacing earlier implicit ones).
  std::optional<Space> space_of(store::Tx& tx, const std::string& kind, std::int64_t owner_id);
  Space ensure_space(store::Tx& tx, const std::string& kind, std::int64_t owner_id,
                     const std::string& name,
                     const std::vector<std::pair<std::string, Access>>& grants);

 private:
  Caller caller(store::Tx& tx, const identity::Principal& who);
  std::vector<std::string> audiences_of(store::Tx& tx, std::int64_t person_id);
  const AudienceSource* source(const std::string& kind) const;
  void name_grants(store::Tx& tx, std::vector<Grant>& grants);
  Node visible(store::Tx& tx, const Caller& c, std::int64_t id, Access need,
               bool deleted_ok = false);
  Stored commit_file(const identity::Principal& who, std::int64_t folder_id,
                     const std::string& name, const std::string& staged, std::int64_t size,
                     const std::optional<std::string>& expected_sha256,
                     const std::optional<std::string>& known_sha256,
                     const std::optional<std::string>& upload_id);
  void changed(store::Tx& tx, const Node& n, const std::string& action, const Caller& c);
  void check_quota(store::Tx& tx, std::int64_t space_id, std::int64_t person_id, std::int64_t more);
  void ensure_own_spaces(std::int64_t person_id, const std::vector<std::string>& audiences);
  Link live_link(store::Tx& tx, const std::string& token, Node& node_out);
  void index_job(const jobs::Job& job);
  void purge_job(const jobs::Job& job);
  void expire_upload_job(const jobs::Job& job);
  std::string staged_upload_path(const std::string& id) const;

  store::Database& db_;
  audit::AuditLog& audit_;
  events::Bus& bus_;
  jobs::Queue& jobs_;
  BlobStore& blobs_;
  Options opts_;
  std::string link_key_;
  std::vector<AudienceSource> sources_;
  Directory directory_;
};

}  // namespace ratusha::documents
