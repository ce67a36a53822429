#include "documents/service.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <charconv>
#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "documents/content.hpp"
#include "documents/store.hpp"
#include "security/crypto.hpp"
#include "security/password.hpp"

namespace ratusha::documents {

namespace fs = std::filesystem;
using identity::Principal;
using store::Tx;

namespace {

audit::Actor actor_of(const Principal& who) {
  return {who.person_id, who.display_name, who.address};
}

std::string target(const Node& n) {
  return "document:" + std::to_string(n.id);
}

bool is_sha_hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

constexpr std::int64_t kLinkLockSeconds = 15 * 60;

// Removes a staged file unless it was handed over.
struct StagedFile {
  std::string path;
  ~StagedFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

// Grants decide what a person reaches; the permissions say whether this caller (a session still
// owing its TOTP enrolment, a token without the documents scopes) may use documents at all.
void require_documents(const Principal& who, bool write) {
  if (!who.can("documents.read")) throw forbidden("This session or token may not use documents.");
  if (write && !who.can("documents.write")) throw forbidden("This token may only read documents.");
}

}  // namespace

DocumentsService::DocumentsService(store::Database& db, audit::AuditLog& audit, events::Bus& bus,
                                   jobs::Queue& jobs, BlobStore& blobs, Options opts,
                                   std::string link_key)
    : db_(db),
      audit_(audit),
      bus_(bus),
      jobs_(jobs),
      blobs_(blobs),
      opts_(std::move(opts)),
      link_key_(std::move(link_key)) {
  jobs_.handle("documents.index", [this](const jobs::Job& j) { index_job(j); });
  jobs_.handle("documents.purge", [this](const jobs::Job& j) { purge_job(j); });
  jobs_.handle("documents.upload-expire", [this](const jobs::Job& j) { expire_upload_job(j); });
}

Caller DocumentsService::caller(Tx& tx, const Principal& who) {
  require_documents(who, false);
  return Caller{who, audiences_of(tx, who.person_id)};
}

std::vector<std::string> DocumentsService::audiences_of(Tx& tx, std::int64_t person_id) {
  auto out = db::audiences_of(tx, person_id);
  if (out.empty()) return out;  // disabled or unknown
  for (auto& s : sources_)
    for (auto id : s.of_person(tx, person_id)) out.push_back(s.kind + ":" + std::to_string(id));
  return out;
}

const AudienceSource* DocumentsService::source(const std::string& kind) const {
  for (auto& s : sources_)
    if (s.kind == kind) return &s;
  return nullptr;
}

void DocumentsService::name_grants(Tx& tx, std::vector<Grant>& grants) {
  for (auto& g : grants) {
    auto a = parse_audience(g.audience);
    if (!a) continue;
    if (auto* s = source(a->kind)) {
      std::int64_t id = 0;
      std::from_chars(a->id.data(), a->id.data() + a->id.size(), id);
      if (auto name = s->name_of(tx, id, 0)) g.audience_name = *name;
    }
  }
}

Node DocumentsService::visible(Tx& tx, const Caller& c, std::int64_t id, Access need,
                               bool deleted_ok) {
  auto n = db::node(tx, id);
  if (!n || (n->deleted_at && !deleted_ok)) throw not_found("No such document.");
  n->access = db::access_on(tx, n->path, c.audiences);
  if (n->access == Access::none) throw not_found("No such document.");
  if (need >= Access::edit) require_documents(c.who, true);
  if (n->access < need)
    throw forbidden(need == Access::manage ? "Only those who manage this may do that."
                                           : "You may only view this.");
  return *n;
}

void DocumentsService::changed(Tx& tx, const Node& n, const std::string& action, const Caller& c) {
  auto now = now_seconds();
  db::add_activity(tx, n, action, c.who.person_id, now);
  auto sp = db::space(tx, n.space_id);
  json::object data{{"action", action},
                    {"node_id", id_string(n.id)},
                    {"parent_id", n.parent_id ? json::value(id_string(*n.parent_id)) : nullptr},
                    {"name", n.name},
                    {"kind", n.kind},
                    {"space_id", id_string(n.space_id)},
                    {"space_name", sp ? sp->name : ""},
                    {"actor", c.who.display_name},
                    {"actor_id", id_string(c.who.person_id)}};
  // Everyone watching the node or any folder above it hears of it.
  for (auto id : path_ids(n.path))
    bus_.publish(tx, "documents:" + std::to_string(id), "documents.changed", data);
}

// ---------------------------------------------------------------- spaces

void DocumentsService::ensure_own_spaces(std::int64_t person_id,
                                         const std::vector<std::string>& audiences) {
  auto missing = db_.read([&](Tx& tx) {
    std::vector<std::string> m;
    if (!db::space_of(tx, "personal", person_id))
      m.push_back("person:" + std::to_string(person_id));
    for (auto& a : audiences) {
      auto au = parse_audience(a);
      if (!au || (au->kind != "unit" && au->kind != "body")) continue;
      if (!db::space_of(tx, au->kind, std::stoll(au->id))) m.push_back(a);
    }
    return m;
  });
  if (missing.empty()) return;
  db_.write([&](Tx& tx) {
    auto now = now_seconds();
    for (auto& a : missing) {
      auto au = *parse_audience(a);
      std::int64_t id = std::stoll(au.id);
      if (au.kind == "person") {
        if (db::space_of(tx, "personal", id)) continue;
        auto name = tx.one("SELECT display_name FROM people WHERE id = ?", {id});
        auto s = db::create_space(tx, "personal", id, name ? name->text(0) : a,
                                  opts_.personal_quota, now);
        auto root = *db::node(tx, s.root_id);
        db::upsert_grant(tx, root.id, root.path, a, Access::manage, true, std::nullopt, now);
        db::index_name(tx, root.id, root.path, root.name);
      } else {
        if (db::space_of(tx, au.kind, id)) continue;
        auto name = tx.one("SELECT name FROM units WHERE id = ?", {id});
        if (!name) continue;
        auto s = db::create_space(tx, au.kind, id, name->text(0), opts_.space_quota, now);
        auto root = *db::node(tx, s.root_id);
        db::upsert_grant(tx, root.id, root.path, a, Access::edit, true, std::nullopt, now);
        db::upsert_grant(tx, root.id, root.path, "role:administrator", Access::manage, true,
                         std::nullopt, now);
        if (au.kind == "body")
          db::upsert_grant(tx, root.id, root.path, "role:clerk", Access::manage, true, std::nullopt,
                           now);
      }
    }
  });
}

std::optional<Space> DocumentsService::space_of(Tx& tx, const std::string& kind,
                                                std::int64_t owner_id) {
  return db::space_of(tx, kind, owner_id);
}

Space DocumentsService::ensure_space(Tx& tx, const std::string& kind, std::int64_t owner_id,
                                     const std::string& name,
                                     const std::vector<std::pair<std::string, Access>>& grants) {
  auto now = now_seconds();
  auto s = db::space_of(tx, kind, owner_id);
  if (!s) s = db::create_space(tx, kind, owner_id, name, opts_.space_quota, now);
  auto root = *db::node(tx, s->root_id);
  tx.exec("DELETE FROM doc_grants WHERE node_id = ? AND implicit = 1", {root.id});
  for (auto& [aud, a] : grants)
    db::upsert_grant(tx, root.id, root.path, aud, a, true, std::nullopt, now);
  return *s;
}

std::vector<Space> DocumentsService::spaces(const Principal& who) {
  require_documents(who, false);
  auto aud = db_.read([&](Tx& tx) { return audiences_of(tx, who.person_id); });
  ensure_own_spaces(who.person_id, aud);
  return db_.read([&](Tx& tx) { return db::spaces_for(tx, aud); });
}

std::vector<Node> DocumentsService::shared_with_me(const Principal& who) {
  return db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    std::vector<std::int64_t> own;
    for (auto& s : db::spaces_for(tx, c.audiences)) own.push_back(s.id);
    auto nodes = db::shared_with(tx, c.audiences, own);
    for (auto& n : nodes) n.access = db::access_on(tx, n.path, c.audiences);
    return nodes;
  });
}

DocumentsService::NodeView DocumentsService::node(const Principal& who, std::int64_t id) {
  return db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    NodeView v;
    v.node = visible(tx, c, id, Access::view);
    v.space = *db::space(tx, v.node.space_id);
    v.space.access = db::access_on(tx, "/" + std::to_string(v.space.root_id) + "/", c.audiences);
    // Ancestors the caller can see (someone with a shared folder does not see above it).
    for (auto pid : path_ids(v.node.path)) {
      if (pid == v.node.id) break;
      auto p = db::node(tx, pid);
      if (p && db::access_on(tx, p->path, c.audiences) != Access::none)
        v.path.emplace_back(p->id, p->name);
    }
    return v;
  });
}

std::vector<Node> DocumentsService::children(const Principal& who, std::int64_t id, int offset,
                                             int limit) {
  return db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    auto parent = visible(tx, c, id, Access::view);
    if (!parent.is_folder()) throw not_found("No such folder.");
    auto kids = db::children(tx, id, offset, limit);
    for (auto& k : kids) k.access = parent.access;  // rights below only add (max over grants)
    for (auto& k : kids)
      if (k.access < Access::manage) k.access = db::access_on(tx, k.path, c.audiences);
    return kids;
  });
}

Node DocumentsService::create_folder(const Principal& who, std::int64_t parent_id,
                                     const std::string& raw_name) {
  auto name = clean_name(raw_name);
  return db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto parent = visible(tx, c, parent_id, Access::edit);
    if (!parent.is_folder()) throw not_found("No such folder.");
    if (db::live_child(tx, parent.id, fold_case(name)))
      throw Error(ErrorKind::conflict, "name-taken", "Something with this name is already here.");
    auto now = now_seconds();
    Node n;
    n.space_id = parent.space_id;
    n.parent_id = parent.id;
    n.path = parent.path;
    n.kind = "folder";
    n.name = name;
    n.created_at = n.updated_at = now;
    n.updated_by = who.person_id;
    auto id = db::create_node(tx, n, fold_case(name));
    auto created = *db::node(tx, id);
    created.access = parent.access;
    db::index_name(tx, id, created.path, name);
    audit_.append(tx, actor_of(who), "documents.folder_created", target(created),
                  {{"name", name}, {"parent", id_string(parent.id)}});
    changed(tx, created, "folder", c);
    return created;
  });
}

// ---------------------------------------------------------------- uploads

Stored DocumentsService::store_file(const Principal& who, std::int64_t folder_id,
                                    const std::string& name, const std::string& staged,
                                    std::int64_t size,
                                    const std::optional<std::string>& expected_sha256,
                                    const std::optional<std::string>& sha256) {
  return commit_file(who, folder_id, name, staged, size, expected_sha256, sha256, std::nullopt);
}

Stored DocumentsService::commit_file(const Principal& who, std::int64_t folder_id,
                                     const std::string& raw_name, const std::string& staged,
                                     std::int64_t size,
                                     const std::optional<std::string>& expected_sha256,
                                     const std::optional<std::string>& known_sha256,
                                     const std::optional<std::string>& upload_id) {
  StagedFile cleanup{staged};
  auto name = clean_name(raw_name);
  if (size <= 0 || staged.empty())
    throw Error(ErrorKind::validation, "empty-file", "The file is empty.",
                {{"file", "empty", "The file has no content."}});
  if (size > opts_.max_upload)
    throw Error(ErrorKind::payload_too_large, "payload-too-large",
                "The file is larger than this server accepts (" + std::to_string(opts_.max_upload) +
                    " bytes).");
  check_can_add(who, folder_id);  // cheap, before hashing and scanning
  auto sha = known_sha256 ? *known_sha256 : sha256_file(staged);
  if (expected_sha256 && *expected_sha256 != sha)
    throw Error(ErrorKind::validation, "checksum-mismatch",
                "The file's SHA-256 is not the one announced; it was damaged on the way.",
                {{"sha256", "mismatch", "Expected " + *expected_sha256 + ", received " + sha}});
  auto type = detect_content_type(staged);
  std::string scan = "off";
  if (!opts_.clamav_socket.empty()) {
    ScanResult r;
    try {
      r = clamav_scan(opts_.clamav_socket, staged);
    } catch (const std::exception& e) {
      spdlog::error("virus scan failed: {}", e.what());
      throw Error(ErrorKind::unavailable, "scanner-unavailable",
                  "Files cannot be checked for viruses right now; try again later.");
    }
    if (r.verdict == ScanResult::Verdict::infected) {
      db_.write([&](Tx& tx) {
        audit_.append(tx, actor_of(who), "documents.infected_refused",
                      "folder:" + std::to_string(folder_id),
                      {{"name", name}, {"signature", r.signature}, {"sha256", sha}});
      });
      throw Error(ErrorKind::validation, "infected",
                  "The file contains malware (" + r.signature + ") and was refused.",
                  {{"file", "infected", r.signature}});
    }
    scan = r.verdict == ScanResult::Verdict::clean ? "clean" : "not scanned: " + r.signature;
  }

  auto result = db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto folder = visible(tx, c, folder_id, Access::edit);
    if (!folder.is_folder()) throw not_found("No such folder.");
    check_quota(tx, folder.space_id, who.person_id, size);
    auto now = now_seconds();
    auto key = fold_case(name);
    auto existing = db::live_child(tx, folder.id, key);
    Stored out;
    std::int64_t node_id;
    if (existing) {
      if (existing->is_folder())
        throw Error(ErrorKind::conflict, "name-taken", "A folder with this name is already here.");
      node_id = existing->id;
      if (db::access_on(tx, existing->path, c.audiences) < Access::edit)
        throw forbidden("You may only view this file.");
    } else {
      Node n;
      n.space_id = folder.space_id;
      n.parent_id = folder.id;
      n.path = folder.path;
      n.kind = "file";
      n.name = name;
      n.content_type = type;
      n.created_at = n.updated_at = now;
      n.updated_by = who.person_id;
      node_id = db::create_node(tx, n, key);
      out.created = true;
    }
    if (db::add_blob_ref(tx, sha, size, now)) blobs_.put(sha, staged);
    auto number = (existing ? existing->version : 0) + 1;
    tx.exec(
        "INSERT INTO doc_versions (node_id, number, sha256, size, content_type, created_by, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {node_id, number, sha, size, type, who.person_id, now});
    tx.exec(
        "UPDATE doc_nodes SET current_version = ?, size = ?, content_type = ?, sha256 = ?, "
        "name = ?, updated_by = ?, updated_at = ? WHERE id = ?",
        {number, size, type, sha, name, who.person_id, now, node_id});
    tx.exec("UPDATE doc_spaces SET used_bytes = used_bytes + ? WHERE id = ?",
            {size, folder.space_id});
    if (upload_id) tx.exec("DELETE FROM doc_uploads WHERE id = ?", {*upload_id});
    out.node = *db::node(tx, node_id);
    out.node.access = db::access_on(tx, out.node.path, c.audiences);
    db::index_name(tx, node_id, out.node.path, name);
    jobs_.enqueue(tx, "documents.index", {{"node_id", node_id}, {"version", number}});
    audit_.append(tx, actor_of(who), out.created ? "documents.uploaded" : "documents.version_added",
                  target(out.node),
                  {{"name", name},
                   {"version", number},
                   {"size", size},
                   {"sha256", sha},
                   {"content_type", type},
                   {"scan", scan}});
    changed(tx, out.node, out.created ? "uploaded" : "version", c);
    return out;
  });
  return result;
}

void DocumentsService::check_quota(Tx& tx, std::int64_t space_id, std::int64_t person_id,
                                   std::int64_t more) {
  auto space = *db::space(tx, space_id);
  if (space.quota_bytes && space.used_bytes + more > *space.quota_bytes)
    throw Error(ErrorKind::insufficient_storage, "space-quota",
                "This space is full (" + std::to_string(*space.quota_bytes) + " bytes).");
  if (db::person_usage(tx, person_id) + more > opts_.person_quota)
    throw Error(ErrorKind::insufficient_storage, "person-quota",
                "You have used all the storage you are allowed.");
}

void DocumentsService::check_can_add(const Principal& who, std::int64_t folder_id) {
  db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    auto folder = visible(tx, c, folder_id, Access::edit);
    if (!folder.is_folder()) throw not_found("No such folder.");
  });
}

std::string DocumentsService::staged_upload_path(const std::string& id) const {
  return (blobs_.staging_dir() / ("upload-" + id)).string();
}

Upload DocumentsService::begin_upload(const Principal& who, std::int64_t folder_id,
                                      const std::string& raw_name, std::int64_t size,
                                      const std::optional<std::string>& sha256) {
  auto name = clean_name(raw_name);
  if (size <= 0)
    throw Error(ErrorKind::validation, "empty-file", "The file is empty.",
                {{"size", "too_small", "The size must be at least 1 byte."}});
  if (size > opts_.max_upload)
    throw Error(ErrorKind::payload_too_large, "payload-too-large",
                "The file is larger than this server accepts (" + std::to_string(opts_.max_upload) +
                    " bytes).");
  if (sha256 && !is_sha_hex(*sha256))
    throw field_error("sha256", "invalid", "Give the SHA-256 as 64 lower-case hex digits.");
  return db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto folder = visible(tx, c, folder_id, Access::edit);
    if (!folder.is_folder()) throw not_found("No such folder.");
    check_quota(tx, folder.space_id, who.person_id, size);
    Upload u;
    u.id = security::random_token(18);
    u.person_id = who.person_id;
    u.folder_id = folder_id;
    u.name = name;
    u.size = size;
    u.sha256 = sha256;
    u.created_at = now_seconds();
    int fd =
        ::open(staged_upload_path(u.id).c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
      throw Error(ErrorKind::unavailable, "storage-unavailable", "Cannot store files right now.");
    ::close(fd);
    tx.exec(
        "INSERT INTO doc_uploads (id, person_id, folder_id, name, size, received, sha256, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)",
        {u.id, u.person_id, folder_id, name, size, store::opt(sha256), u.created_at, u.created_at});
    jobs_.enqueue(tx, "documents.upload-expire", {{"id", u.id}},
                  u.created_at + opts_.upload_ttl_seconds);
    return u;
  });
}

Upload DocumentsService::upload_state(const Principal& who, const std::string& id) {
  require_documents(who, true);
  return db_.read([&](Tx& tx) {
    auto u = db::upload(tx, id);
    if (!u || u->person_id != who.person_id) throw not_found("No such upload.");
    return *u;
  });
}

Upload DocumentsService::append_chunk(const Principal& who, const std::string& id,
                                      std::int64_t offset, const std::string& chunk_file,
                                      std::int64_t chunk_size) {
  StagedFile cleanup{chunk_file};
  require_documents(who, true);
  if (chunk_size <= 0 || chunk_file.empty())
    throw Error(ErrorKind::validation, "empty-chunk", "The chunk is empty.");
  // Serialised per upload by the write transaction; the bytes are appended inside it so that
  // `received` and the file never disagree.
  return db_.write([&](Tx& tx) {
    auto u = db::upload(tx, id);
    if (!u || u->person_id != who.person_id) throw not_found("No such upload.");
    if (offset < u->received && offset + chunk_size <= u->received)
      return *u;  // a chunk sent again after a lost answer: already have it
    if (offset != u->received) {
      Error e(ErrorKind::conflict, "wrong-offset",
              "This upload continues at byte " + std::to_string(u->received) + ".");
      throw e;
    }
    if (u->received + chunk_size > u->size)
      throw Error(ErrorKind::validation, "too-much-data",
                  "The chunk goes beyond the announced size of the file.");
    int in = ::open(chunk_file.c_str(), O_RDONLY | O_CLOEXEC);
    int out = ::open(staged_upload_path(id).c_str(), O_WRONLY | O_CLOEXEC);
    if (in < 0 || out < 0) {
      if (in >= 0) ::close(in);
      if (out >= 0) ::close(out);
      throw Error(ErrorKind::unavailable, "storage-unavailable", "Cannot store files right now.");
    }
    // Cut anything a failed earlier attempt left after `received`.
    bool ok = ::ftruncate(out, u->received) == 0;
    loff_t off_in = 0, off_out = u->received;
    std::int64_t left = chunk_size;
    while (ok && left > 0) {
      ssize_t n = ::copy_file_range(in, &off_in, out, &off_out, static_cast<std::size_t>(left), 0);
      if (n <= 0)
        ok = false;
      else
        left -= n;
    }
    ::close(in);
    ::close(out);
    if (!ok) throw Error(ErrorKind::unavailable, "storage-error", "Could not store the chunk.");
    u->received += chunk_size;
    tx.exec("UPDATE doc_uploads SET received = ?, updated_at = ? WHERE id = ?",
            {u->received, now_seconds(), id});
    return *u;
  });
}

Stored DocumentsService::complete_upload(const Principal& who, const std::string& id) {
  auto u = upload_state(who, id);
  if (u.received != u.size)
    throw Error(ErrorKind::conflict, "upload-incomplete",
                "The upload has " + std::to_string(u.received) + " of " + std::to_string(u.size) +
                    " bytes.");
  // A second name for the received bytes is handed over (it becomes the blob or is removed).
  // A file that fails a check (checksum, malware, empty) ends the upload; other failures
  // (the scanner is down, the space is full) keep it so that the client can try again.
  auto original = staged_upload_path(id);
  auto handed = original + ".complete-" + security::random_token(6);
  if (::link(original.c_str(), handed.c_str()) != 0)
    throw Error(ErrorKind::unavailable, "storage-unavailable", "Cannot store files right now.");
  try {
    auto stored = commit_file(who, u.folder_id, u.name, handed, u.size, u.sha256, std::nullopt, id);
    ::unlink(original.c_str());
    return stored;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::validation) {
      db_.write([&](Tx& tx) { tx.exec("DELETE FROM doc_uploads WHERE id = ?", {id}); });
      ::unlink(original.c_str());
    }
    throw;
  }
}

void DocumentsService::abort_upload(const Principal& who, const std::string& id) {
  require_documents(who, true);
  db_.write([&](Tx& tx) {
    auto u = db::upload(tx, id);
    if (!u || u->person_id != who.person_id) throw not_found("No such upload.");
    tx.exec("DELETE FROM doc_uploads WHERE id = ?", {id});
    tx.on_commit([p = staged_upload_path(id)] { ::unlink(p.c_str()); });
  });
}

void DocumentsService::expire_upload_job(const jobs::Job& job) {
  auto payload = json::parse(job.payload).as_object();
  std::string id(payload.at("id").as_string());
  db_.write([&](Tx& tx) {
    auto u = db::upload(tx, id);
    if (u) {
      auto row = tx.one("SELECT updated_at FROM doc_uploads WHERE id = ?", {id});
      auto idle_until = row->int64(0) + opts_.upload_ttl_seconds;
      if (idle_until > now_seconds()) {  // still in use: look again later
        jobs_.enqueue(tx, "documents.upload-expire", {{"id", id}}, idle_until);
        return;
      }
      tx.exec("DELETE FROM doc_uploads WHERE id = ?", {id});
    }
    tx.on_commit([p = staged_upload_path(id)] { ::unlink(p.c_str()); });
  });
}

// ---------------------------------------------------------------- reading

Download DocumentsService::open_content(const Principal& who, std::int64_t id,
                                        std::optional<std::int64_t> version) {
  auto [n, v] = db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    auto node = visible(tx, c, id, Access::view);
    if (node.is_folder()) throw not_found("A folder has no content to download.");
    auto ver = db::version(tx, id, version.value_or(node.version));
    if (!ver) throw not_found("No such version.");
    return std::pair{node, *ver};
  });
  auto opened = blobs_.open(v.sha256);
  if (!opened) {
    spdlog::error("blob {} of document {} is missing", v.sha256, id);
    throw Error(ErrorKind::unavailable, "content-missing",
                "The content of this document cannot be read; the administrators were told.");
  }
  return Download{opened->fd, v.size, v.number, n.name, v.content_type, v.sha256};
}

void DocumentsService::record_download(const Principal& who, std::int64_t id, const Download& d) {
  db_.write([&](Tx& tx) {
    audit_.append(tx, actor_of(who), "documents.downloaded", "document:" + std::to_string(id),
                  {{"version", d.version}, {"sha256", d.sha256}});
  });
}

std::vector<Version> DocumentsService::versions(const Principal& who, std::int64_t id) {
  return db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    auto n = visible(tx, c, id, Access::view);
    if (n.is_folder()) throw not_found("A folder has no versions.");
    return db::versions(tx, id);
  });
}

Node DocumentsService::restore_version(const Principal& who, std::int64_t id, std::int64_t number) {
  return db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto n = visible(tx, c, id, Access::edit);
    if (n.is_folder()) throw not_found("A folder has no versions.");
    auto v = db::version(tx, id, number);
    if (!v) throw not_found("No such version.");
    if (number == n.version)
      throw Error(ErrorKind::conflict, "already-current", "This is the current version.");
    check_quota(tx, n.space_id, who.person_id, v->size);
    auto now = now_seconds();
    db::add_blob_ref(tx, v->sha256, v->size, now);
    auto next = n.version + 1;
    tx.exec(
        "INSERT INTO doc_versions (node_id, number, sha256, size, content_type, created_by, "
        "created_at, restored_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {id, next, v->sha256, v->size, v->content_type, who.person_id, now, number});
    tx.exec(
        "UPDATE doc_nodes SET current_version = ?, size = ?, content_type = ?, sha256 = ?, "
        "updated_by = ?, updated_at = ? WHERE id = ?",
        {next, v->size, v->content_type, v->sha256, who.person_id, now, id});
    tx.exec("UPDATE doc_spaces SET used_bytes = used_bytes + ? WHERE id = ?",
            {v->size, n.space_id});
    jobs_.enqueue(tx, "documents.index", {{"node_id", id}, {"version", next}});
    auto out = *db::node(tx, id);
    out.access = n.access;
    audit_.append(tx, actor_of(who), "documents.version_restored", target(out),
                  {{"restored", number}, {"version", next}, {"sha256", v->sha256}});
    changed(tx, out, "version-restored", c);
    return out;
  });
}

Node DocumentsService::rename(const Principal& who, std::int64_t id, const std::string& raw) {
  auto name = clean_name(raw);
  return db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto n = visible(tx, c, id, Access::edit);
    if (!n.parent_id) throw forbidden("A space's own folder cannot be renamed.");
    auto key = fold_case(name);
    if (auto other = db::live_child(tx, *n.parent_id, key); other && other->id != id)
      throw Error(ErrorKind::conflict, "name-taken", "Something with this name is already here.");
    tx.exec(
        "UPDATE doc_nodes SET name = ?, name_key = ?, updated_by = ?, updated_at = ? WHERE "
        "id = ?",
        {name, key, who.person_id, now_seconds(), id});
    db::index_name(tx, id, n.path, name);
    auto out = *db::node(tx, id);
    out.access = n.access;
    audit_.append(tx, actor_of(who), "documents.renamed", target(out),
                  {{"from", n.name}, {"to", name}});
    changed(tx, out, "renamed", c);
    return out;
  });
}

// ---------------------------------------------------------------- trash and holds

void DocumentsService::trash(const Principal& who, std::int64_t id) {
  db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto n = visible(tx, c, id, Access::edit);
    if (!n.parent_id) throw forbidden("A space's own folder cannot be deleted.");
    if (tx.one("SELECT 1 FROM doc_nodes WHERE path LIKE ? AND legal_hold = 1 AND deleted_at IS "
               "NULL",
               {n.path + "%"}))
      throw Error(ErrorKind::conflict, "legal-hold",
                  "A legal hold keeps this (or something in it) from being deleted.");
    auto now = now_seconds();
    tx.exec(
        "UPDATE doc_nodes SET deleted_at = ?, deleted_by = ?, trashed_with = ? WHERE path LIKE ? "
        "AND deleted_at IS NULL",
        {now, who.person_id, id, n.path + "%"});
    jobs_.enqueue(tx, "documents.purge", {{"node_id", id}}, now + opts_.trash_seconds);
    audit_.append(tx, actor_of(who), "documents.deleted", target(n),
                  {{"name", n.name}, {"purge_at", rfc3339(now + opts_.trash_seconds)}});
    changed(tx, n, "deleted", c);
  });
}

std::vector<Node> DocumentsService::trash_list(const Principal& who) {
  return db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    auto nodes = db::trash_for(tx, c.audiences);
    for (auto& n : nodes) n.access = db::access_on(tx, n.path, c.audiences);
    return nodes;
  });
}

Node DocumentsService::restore(const Principal& who, std::int64_t id) {
  return db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto n = visible(tx, c, id, Access::edit, true);
    if (!n.deleted_at || n.trashed_with != n.id) throw not_found("This is not in the trash.");
    auto parent = db::node(tx, *n.parent_id);
    if (!parent || parent->deleted_at)
      throw Error(ErrorKind::conflict, "parent-deleted", "Restore the folder it was in first.");
    if (db::live_child(tx, parent->id, fold_case(n.name)))
      throw Error(ErrorKind::conflict, "name-taken",
                  "Something with this name is already in the folder; rename it first.");
    tx.exec(
        "UPDATE doc_nodes SET deleted_at = NULL, deleted_by = NULL, trashed_with = NULL "
        "WHERE trashed_with = ?",
        {id});
    auto out = *db::node(tx, id);
    out.access = n.access;
    audit_.append(tx, actor_of(who), "documents.restored", target(out), {{"name", out.name}});
    changed(tx, out, "restored", c);
    return out;
  });
}

Node DocumentsService::set_hold(const Principal& who, std::int64_t id, bool held,
                                const std::string& reason) {
  if (held && reason.empty())
    throw field_error("reason", "required", "Say why the hold is placed.");
  if (reason.size() > 500) throw field_error("reason", "too_long", "At most 500 characters.");
  return db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto n = visible(tx, c, id, Access::manage, true);
    tx.exec("UPDATE doc_nodes SET legal_hold = ?, hold_reason = ? WHERE id = ?",
            {std::int64_t{held ? 1 : 0}, held ? store::Value(reason) : store::Value(nullptr), id});
    // Lifting a hold on something whose time in the trash is over lets it be purged now.
    if (!held && n.deleted_at && n.trashed_with)
      jobs_.enqueue(tx, "documents.purge", {{"node_id", *n.trashed_with}});
    auto out = *db::node(tx, id);
    out.access = n.access;
    audit_.append(tx, actor_of(who), held ? "documents.hold_placed" : "documents.hold_lifted",
                  target(out), {{"reason", reason}});
    return out;
  });
}

void DocumentsService::purge_job(const jobs::Job& job) {
  auto payload = json::parse(job.payload).as_object();
  std::int64_t id = payload.at("node_id").as_int64();
  std::vector<std::string> hidden;
  try {
    db_.write([&](Tx& tx) {
      auto n = db::node(tx, id);
      if (!n || !n->deleted_at || n->trashed_with != id) return;         // restored or gone already
      if (*n->deleted_at + opts_.trash_seconds > now_seconds()) return;  // a later job will come
      if (tx.one("SELECT 1 FROM doc_nodes WHERE trashed_with = ? AND legal_hold = 1", {id}))
        return;  // held: purged when the hold is lifted
      auto rows = tx.query(
          "SELECT id, space_id FROM doc_nodes WHERE trashed_with = ? ORDER BY length(path) DESC",
          {id});
      std::int64_t freed = 0;
      for (auto& r : rows) {
        auto nid = r.int64(0);
        auto versions = db::versions(tx, nid);
        tx.exec("DELETE FROM doc_versions WHERE node_id = ?", {nid});
        for (auto& v : versions) {
          freed += v.size;
          if (db::drop_blob_ref(tx, v.sha256)) hidden.push_back(blobs_.hide(v.sha256));
        }
        for (auto& u : tx.query("SELECT id FROM doc_uploads WHERE folder_id = ?", {nid}))
          tx.on_commit([p = staged_upload_path(u.text(0))] { ::unlink(p.c_str()); });
        tx.exec("DELETE FROM doc_uploads WHERE folder_id = ?", {nid});
        tx.exec("DELETE FROM doc_grants WHERE node_id = ?", {nid});
        tx.exec("DELETE FROM doc_links WHERE node_id = ?", {nid});
        db::unindex(tx, nid);
        tx.exec("DELETE FROM doc_nodes WHERE id = ?", {nid});
      }
      tx.exec("UPDATE doc_spaces SET used_bytes = used_bytes - ? WHERE id = ?",
              {freed, n->space_id});
      audit_.append(
          tx, {std::nullopt, "system", "job:" + std::to_string(job.id)}, "documents.purged",
          target(*n),
          {{"name", n->name}, {"nodes", static_cast<std::int64_t>(rows.size())}, {"bytes", freed}});
    });
  } catch (...) {
    for (auto& t : hidden) blobs_.unhide(t);
    throw;
  }
  for (auto& t : hidden) blobs_.forget(t);
}

// ---------------------------------------------------------------- sharing

std::vector<Grant> DocumentsService::shares(const Principal& who, std::int64_t id) {
  return db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    visible(tx, c, id, Access::view);
    auto grants = db::grants_on(tx, id);
    name_grants(tx, grants);
    return grants;
  });
}

Grant DocumentsService::share(const Principal& who, std::int64_t id, const std::string& kind,
                              const std::string& audience_id, Access access) {
  std::int64_t aid = 0;
  {
    auto [p, ec] =
        std::from_chars(audience_id.data(), audience_id.data() + audience_id.size(), aid);
    if (ec != std::errc{} || p != audience_id.data() + audience_id.size() || aid <= 0)
      throw field_error("audience.id", "invalid", "Give the id of a person, unit or body.");
  }
  return db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto n = visible(tx, c, id, Access::manage);
    if (kind == "person") {
      auto p = tx.one("SELECT status FROM people WHERE id = ?", {aid});
      if (!p) throw field_error("audience.id", "not_found", "There is no such person.");
      if (p->text(0) == "disabled")
        throw field_error("audience.id", "disabled", "This person's account is disabled.");
    } else if (kind == "unit" || kind == "body") {
      auto u = tx.one("SELECT kind FROM units WHERE id = ?", {aid});
      bool is_body = u && u->text(0) == "body";
      if (!u || (kind == "body") != is_body)
        throw field_error("audience.id", "not_found", "There is no such " + kind + ".");
    } else if (kind == "group") {
      if (!tx.one("SELECT 1 FROM person_groups WHERE id = ?", {aid}))
        throw field_error("audience.id", "not_found", "There is no such group.");
    } else if (auto* s = source(kind)) {
      if (!s->name_of(tx, aid, who.person_id))
        throw field_error("audience.id", "not_found", "There is no such " + kind + ".");
    } else {
      throw field_error("audience.kind", "invalid",
                        "Share with a person, a unit, a body or a group.");
    }
    auto key = kind + ":" + std::to_string(aid);
    // Access that comes with the space is not changed by sharing (it would lower or outlive it).
    if (tx.one("SELECT 1 FROM doc_grants WHERE node_id = ? AND audience = ? AND implicit = 1",
               {n.id, key}))
      throw Error(ErrorKind::conflict, "implicit-grant",
                  "They already have access here with the space; it is not changed by sharing.");
    auto now = now_seconds();
    auto gid = db::upsert_grant(tx, n.id, n.path, key, access, false, who.person_id, now);
    std::vector<Grant> one{*db::grant(tx, gid)};
    name_grants(tx, one);
    auto g = one.front();
    audit_.append(tx, actor_of(who), "documents.shared", target(n),
                  {{"audience", key}, {"access", access_name(access)}});
    changed(tx, n, "shared", c);
    return g;
  });
}

void DocumentsService::unshare(const Principal& who, std::int64_t grant_id) {
  db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto g = db::grant(tx, grant_id);
    if (!g) throw not_found("No such share.");
    auto n = visible(tx, c, g->node_id, Access::manage);
    if (g->implicit)
      throw Error(ErrorKind::conflict, "implicit-grant",
                  "This access comes with the space and cannot be removed here.");
    tx.exec("DELETE FROM doc_grants WHERE id = ?", {grant_id});
    audit_.append(tx, actor_of(who), "documents.unshared", target(n),
                  {{"audience", g->audience}, {"access", access_name(g->access)}});
    changed(tx, n, "unshared", c);
  });
}

std::vector<AudienceChoice> DocumentsService::audiences(const Principal& who,
                                                        const std::string& q) {
  require_documents(who, true);
  auto key = fold_case(q);
  if (key.size() < 2) return {};
  return db_.read([&](Tx& tx) {
    std::vector<AudienceChoice> out;
    if (directory_) out = directory_(tx, key);
    for (auto& s : sources_)
      for (auto& [id, name] : s.search(tx, who.person_id, key))
        out.push_back({s.kind, id_string(id), name, ""});
    return out;
  });
}

void DocumentsService::forget_audience(Tx& tx, const std::string& audience) {
  tx.exec("DELETE FROM doc_grants WHERE audience = ?", {audience});
}

// ---------------------------------------------------------------- guest links

CreatedLink DocumentsService::create_link(const Principal& who, std::int64_t id,
                                          std::int64_t expires_at,
                                          const std::optional<std::string>& password) {
  auto now = now_seconds();
  if (expires_at <= now)
    throw field_error("expires_at", "in_past", "The link must expire in the future.");
  if (expires_at > now + 366 * 86400)
    throw field_error("expires_at", "too_far", "A link can live at most 366 days.");
  if (password && (password->size() < 8 || password->size() > 200))
    throw field_error("password", "too_short", "A link password has at least 8 characters.");
  std::optional<std::string> hash;
  if (password) hash = security::hash_password(*password);
  return db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto n = visible(tx, c, id, Access::manage);
    if (n.is_folder()) throw field_error("node", "folder", "Links can be made to files only.");
    CreatedLink out;
    out.token = security::random_token(24);
    auto lid = tx.insert(
        "INSERT INTO doc_links (node_id, token_hash, password_hash, expires_at, created_by, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {id, security::sha256_hex(out.token), store::opt(hash), expires_at, who.person_id, now});
    out.link = *db::link(tx, lid);
    audit_.append(tx, actor_of(who), "documents.link_created", target(n),
                  {{"link", id_string(lid)},
                   {"expires_at", rfc3339(expires_at)},
                   {"password", hash.has_value()}});
    return out;
  });
}

std::vector<Link> DocumentsService::links(const Principal& who, std::int64_t id) {
  return db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    visible(tx, c, id, Access::manage);
    return db::links_on(tx, id);
  });
}

void DocumentsService::revoke_link(const Principal& who, std::int64_t link_id) {
  db_.write([&](Tx& tx) {
    auto c = caller(tx, who);
    auto l = db::link(tx, link_id);
    if (!l || l->revoked_at) throw not_found("No such link.");
    auto n = visible(tx, c, l->node_id, Access::manage);
    tx.exec("UPDATE doc_links SET revoked_at = ? WHERE id = ?", {now_seconds(), link_id});
    audit_.append(tx, actor_of(who), "documents.link_revoked", target(n),
                  {{"link", id_string(link_id)}});
  });
}

Link DocumentsService::live_link(Tx& tx, const std::string& token, Node& node_out) {
  if (token.size() < 20 || token.size() > 64) throw not_found("No such link.");
  auto l = db::link_by_hash(tx, security::sha256_hex(token));
  if (!l || l->revoked_at) throw not_found("No such link.");
  auto n = db::node(tx, l->node_id);
  if (!n || n->deleted_at) throw not_found("No such link.");
  if (l->expires_at <= now_seconds())
    throw Error(ErrorKind::gone, "link-expired", "This link has expired.");
  node_out = *n;
  return *l;
}

PublicLink DocumentsService::public_link(const std::string& token) {
  return db_.read([&](Tx& tx) {
    Node n;
    auto l = live_link(tx, token, n);
    return PublicLink{n.name, n.content_type, n.size, l.expires_at, l.has_password};
  });
}

std::string DocumentsService::unlock_link(const std::string& token, const std::string& password,
                                          const std::string& address) {
  auto [l, blocked_until] = db_.read([&](Tx& tx) {
    Node n;
    auto link = live_link(tx, token, n);
    auto r = tx.one("SELECT unlock_blocked_until FROM doc_links WHERE id = ?", {link.id});
    return std::pair{link, r->opt_int64(0).value_or(0)};
  });
  if (!l.password_hash)
    throw Error(ErrorKind::conflict, "no-password",
                "This link has no password; the file can be downloaded directly.");
  auto now = now_seconds();
  if (blocked_until > now) {
    Error e(ErrorKind::too_many_requests, "rate-limited",
            "Too many wrong passwords for this link. Wait a while before trying again.");
    e.retry_after = static_cast<int>(blocked_until - now);
    throw e;
  }
  if (!security::verify_password(*l.password_hash, password)) {
    // Every fifth wrong password in a row shuts the link for a quarter of an hour (per link, so
    // it holds across addresses and nodes; Argon2 already makes each try slow).
    db_.write([&](Tx& tx) {
      tx.exec(
          "UPDATE doc_links SET unlock_failures = unlock_failures + 1, unlock_blocked_until = "
          "CASE WHEN (unlock_failures + 1) % 5 = 0 THEN ? ELSE unlock_blocked_until END WHERE "
          "id = ?",
          {now + kLinkLockSeconds, l.id});
      audit_.append(tx, {std::nullopt, "guest", address}, "documents.link_password_failed",
                    "link:" + std::to_string(l.id));
    });
    throw Error(ErrorKind::unauthenticated, "wrong-password", "The password is not right.");
  }
  db_.write([&](Tx& tx) {
    tx.exec("UPDATE doc_links SET unlock_failures = 0 WHERE id = ? AND unlock_failures <> 0",
            {l.id});
  });
  auto exp = now + 600;
  auto mac = security::hmac_sha256(link_key_, std::to_string(l.id) + "|" + std::to_string(exp));
  return security::base64url(mac) + "." + std::to_string(exp);
}

Download DocumentsService::public_content(const std::string& token,
                                          const std::optional<std::string>& key) {
  Node n;
  auto l = db_.read([&](Tx& tx) { return live_link(tx, token, n); });
  if (l.has_password) {
    bool ok = false;
    if (key) {
      auto dot = key->find('.');
      if (dot != std::string::npos) {
        auto exp_s = key->substr(dot + 1);
        std::int64_t exp = 0;
        auto [p, ec] = std::from_chars(exp_s.data(), exp_s.data() + exp_s.size(), exp);
        auto mac = security::base64url(
            security::hmac_sha256(link_key_, std::to_string(l.id) + "|" + exp_s));
        ok = ec == std::errc{} && exp > now_seconds() && mac.size() == dot &&
             security::constant_time_equal(mac, key->substr(0, dot));
      }
    }
    if (!ok) throw Error(ErrorKind::unauthenticated, "password-required", "Enter the password.");
  }
  auto opened = blobs_.open(n.sha256);
  if (!opened)
    throw Error(ErrorKind::unavailable, "content-missing", "The content cannot be read.");
  return Download{opened->fd, n.size, n.version, n.name, n.content_type, n.sha256};
}

namespace {
// Nobody signed in: sees only what is granted to "public".
const Principal& anonymous() {
  static const Principal p;
  return p;
}
}  // namespace

std::vector<Node> DocumentsService::published_files(std::int64_t folder_id, int limit) {
  return db_.read([&](Tx& tx) {
    Caller c{anonymous(), {"public"}};
    auto root = visible(tx, c, folder_id, Access::view);
    if (!root.is_folder()) throw not_found("No such folder.");
    std::vector<Node> out;
    // Depth first, folders' names joined into each file's name.
    std::vector<std::pair<std::int64_t, std::string>> to_walk{{root.id, ""}};
    while (!to_walk.empty() && static_cast<int>(out.size()) < limit) {
      auto [id, prefix] = to_walk.back();
      to_walk.pop_back();
      auto kids = db::children(tx, id, 0, 500);
      for (auto it = kids.rbegin(); it != kids.rend(); ++it) {
        if (it->is_folder()) to_walk.emplace_back(it->id, prefix + it->name + "/");
      }
      for (auto& k : kids) {
        if (k.is_folder() || static_cast<int>(out.size()) >= limit) continue;
        k.name = prefix + k.name;
        k.access = Access::view;
        out.push_back(std::move(k));
      }
    }
    return out;
  });
}

Download DocumentsService::published_content(std::int64_t id) {
  auto n = db_.read([&](Tx& tx) {
    Caller c{anonymous(), {"public"}};
    auto node = visible(tx, c, id, Access::view);
    if (node.is_folder()) throw not_found("A folder has no content to download.");
    return node;
  });
  auto opened = blobs_.open(n.sha256);
  if (!opened)
    throw Error(ErrorKind::unavailable, "content-missing", "The content cannot be read.");
  return Download{opened->fd, n.size, n.version, n.name, n.content_type, n.sha256};
}

void DocumentsService::record_link_download(const std::string& token, const std::string& address,
                                            const Download& d) {
  db_.write([&](Tx& tx) {
    auto l = db::link_by_hash(tx, security::sha256_hex(token));
    if (!l) return;
    tx.exec("UPDATE doc_links SET downloads = downloads + 1 WHERE id = ?", {l->id});
    audit_.append(tx, {std::nullopt, "guest", address}, "documents.link_downloaded",
                  "document:" + std::to_string(l->node_id),
                  {{"link", id_string(l->id)}, {"version", d.version}});
  });
}

// ---------------------------------------------------------------- search and activity

std::vector<SearchHit> DocumentsService::search(const Principal& who, const std::string& q,
                                                int limit) {
  auto words = search_words(q);
  if (words.empty()) throw field_error("q", "required", "Type what to search for.");
  return db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    auto hits = db::search(tx, words, c.audiences, limit);
    for (auto& h : hits) h.node.access = db::access_on(tx, h.node.path, c.audiences);
    return hits;
  });
}

std::vector<Activity> DocumentsService::activity(const Principal& who,
                                                 std::optional<std::int64_t> before, int limit) {
  return db_.read([&](Tx& tx) {
    auto c = caller(tx, who);
    return db::activity(tx, c.audiences, before, limit);
  });
}

bool DocumentsService::may_watch(std::int64_t person_id, std::int64_t node_id) {
  return db_.read([&](Tx& tx) {
    auto n = db::node(tx, node_id);
    if (!n || n->deleted_at) return false;
    return db::access_on(tx, n->path, audiences_of(tx, person_id)) != Access::none;
  });
}

void DocumentsService::index_job(const jobs::Job& job) {
  auto payload = json::parse(job.payload).as_object();
  std::int64_t id = payload.at("node_id").as_int64();
  std::int64_t version = payload.at("version").as_int64();
  auto n = db_.read([&](Tx& tx) { return db::node(tx, id); });
  if (!n || n->version != version) return;  // changed since; a newer job indexes it
  std::string text;
  if (n->size <= (std::int64_t{200} << 20))
    if (auto p = blobs_.local_path(n->sha256)) text = extract_text(*p, n->content_type);
  db_.write([&](Tx& tx) {
    auto now_n = db::node(tx, id);
    if (!now_n || now_n->version != version) return;
    db::index_name(tx, id, now_n->path, now_n->name);
    db::index_body(tx, id, text);
  });
}

VerifyReport DocumentsService::verify() {
  VerifyReport r;
  auto rows =
      db_.read([](Tx& tx) { return tx.query("SELECT sha256 FROM doc_blobs ORDER BY sha256"); });
  std::set<std::string> known;
  for (auto& row : rows) {
    auto sha = row.text(0);
    known.insert(sha);
    ++r.checked;
    auto o = blobs_.open(sha);
    if (!o) {
      r.missing.push_back(sha);
      continue;
    }
    std::string actual;
    try {
      actual = sha256_fd(o->fd);
    } catch (...) {
    }
    ::close(o->fd);
    if (actual != sha) r.damaged.push_back(sha);
  }
  blobs_.each([&](const std::string& sha) {
    if (!known.count(sha)) r.unreferenced.push_back(sha);
  });
  return r;
}

}  // namespace ratusha::documents
