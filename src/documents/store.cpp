#include "documents/store.hpp"

#include <map>

#include "core/json.hpp"
#include "core/text.hpp"

namespace ratusha::documents::db {

using store::Dialect;
using store::Row;
using store::Value;

std::string placeholders(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += i ? ", ?" : "?";
  return s;
}

namespace {

std::vector<Value> values(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}
void append(std::vector<Value>& to, const std::vector<std::string>& v) {
  to.insert(to.end(), v.begin(), v.end());
}

const char* kRank = "CASE g.access WHEN 'manage' THEN 3 WHEN 'edit' THEN 2 ELSE 1 END";

constexpr const char* kNodeCols =
    "n.id, n.space_id, n.parent_id, n.path, n.kind, n.name, n.current_version, n.size, "
    "n.content_type, n.sha256, n.created_at, n.updated_by, COALESCE(p.display_name, ''), "
    "n.updated_at, n.deleted_at, n.trashed_with, n.legal_hold, n.hold_reason";
constexpr const char* kNodeFrom = " FROM doc_nodes n LEFT JOIN people p ON p.id = n.updated_by ";

Node node_from(const Row& r, std::size_t i = 0) {
  Node n;
  n.id = r.int64(i + 0);
  n.space_id = r.int64(i + 1);
  n.parent_id = r.opt_int64(i + 2);
  n.path = r.text(i + 3);
  n.kind = r.text(i + 4);
  n.name = r.text(i + 5);
  n.version = r.int64(i + 6);
  n.size = r.int64(i + 7);
  n.content_type = r.text(i + 8);
  n.sha256 = r.text(i + 9);
  n.created_at = r.int64(i + 10);
  n.updated_by = r.opt_int64(i + 11);
  n.updated_by_name = r.text(i + 12);
  n.updated_at = r.int64(i + 13);
  n.deleted_at = r.opt_int64(i + 14);
  n.trashed_with = r.opt_int64(i + 15);
  n.legal_hold = r.int64(i + 16) != 0;
  n.hold_reason = r.opt_text(i + 17);
  return n;
}
constexpr std::size_t kNodeColCount = 18;

Space space_from(const Row& r) {
  Space s;
  s.id = r.int64(0);
  s.kind = r.text(1);
  s.owner_id = r.int64(2);
  s.name = r.text(3);
  s.root_id = r.opt_int64(4).value_or(0);
  s.quota_bytes = r.opt_int64(5);
  s.used_bytes = r.int64(6);
  if (r.size() > 7 && !r.is_null(7)) s.access = static_cast<Access>(r.int64(7));
  return s;
}
constexpr const char* kSpaceCols =
    "s.id, s.kind, s.owner_id, s.name, s.root_id, s.quota_bytes, s.used_bytes";

}  // namespace

std::vector<std::string> audiences_of(Tx& tx, std::int64_t person_id) {
  std::vector<std::string> out{"person:" + std::to_string(person_id)};
  auto p = tx.one("SELECT unit_id FROM people WHERE id = ? AND status <> 'disabled'", {person_id});
  if (!p) return {};
  std::optional<std::int64_t> unit = p->opt_int64(0);
  for (int depth = 0; unit && depth < 32; ++depth) {
    out.push_back("unit:" + std::to_string(*unit));
    auto u = tx.one("SELECT parent_id FROM units WHERE id = ?", {*unit});
    unit = u ? u->opt_int64(0) : std::nullopt;
  }
  for (auto& r :
       tx.query("SELECT role, scope_kind, scope_id FROM role_assignments WHERE person_id = ?",
                {person_id})) {
    if (r.text(1) == "body" && !r.is_null(2)) out.push_back("body:" + std::to_string(r.int64(2)));
    if (r.text(1) == "organisation") out.push_back("role:" + r.text(0));
  }
  for (auto& r :
       tx.query("SELECT group_id FROM person_group_members WHERE person_id = ?", {person_id}))
    out.push_back("group:" + std::to_string(r.int64(0)));
  return out;
}

std::optional<Space> space(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kSpaceCols + " FROM doc_spaces s WHERE s.id = ?", {id});
  if (!r) return std::nullopt;
  return space_from(*r);
}

std::optional<Space> space_of(Tx& tx, const std::string& kind, std::int64_t owner_id) {
  auto r = tx.one(std::string("SELECT ") + kSpaceCols +
                      " FROM doc_spaces s WHERE s.kind = ? AND s.owner_id = ?",
                  {kind, owner_id});
  if (!r) return std::nullopt;
  return space_from(*r);
}

Space create_space(Tx& tx, const std::string& kind, std::int64_t owner_id, const std::string& name,
                   std::optional<std::int64_t> quota, std::int64_t now) {
  auto id = tx.insert(
      "INSERT INTO doc_spaces (kind, owner_id, name, quota_bytes, created_at) VALUES (?, ?, ?, ?, "
      "?)",
      {kind, owner_id, name, store::opt(quota), now});
  auto root = tx.insert(
      "INSERT INTO doc_nodes (space_id, parent_id, path, kind, name, name_key, created_at, "
      "updated_at) VALUES (?, NULL, '', 'folder', ?, ?, ?, ?)",
      {id, name, fold_case(name), now, now});
  tx.exec("UPDATE doc_nodes SET path = ? WHERE id = ?", {"/" + std::to_string(root) + "/", root});
  tx.exec("UPDATE doc_spaces SET root_id = ? WHERE id = ?", {root, id});
  return *space(tx, id);
}

std::vector<Space> spaces_for(Tx& tx, const std::vector<std::string>& audiences) {
  if (audiences.empty()) return {};
  std::vector<Space> out;
  for (auto& r : tx.query(std::string("SELECT ") + kSpaceCols + ", MAX(" + kRank +
                              ") FROM doc_spaces s JOIN doc_grants g ON g.node_id = s.root_id "
                              "WHERE g.audience IN (" +
                              placeholders(audiences.size()) +
                              ") GROUP BY s.id, s.kind, s.owner_id, s.name, s.root_id, "
                              "s.quota_bytes, s.used_bytes ORDER BY CASE s.kind WHEN 'personal' "
                              "THEN 0 WHEN 'unit' THEN 1 WHEN 'body' THEN 2 ELSE 3 END, s.name",
                          values(audiences)))
    out.push_back(space_from(r));
  return out;
}

std::optional<Node> node(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kNodeCols + kNodeFrom + "WHERE n.id = ?", {id});
  if (!r) return std::nullopt;
  return node_from(*r);
}

std::vector<Node> children(Tx& tx, std::int64_t parent_id, int offset, int limit) {
  std::vector<Node> out;
  for (auto& r : tx.query(std::string("SELECT ") + kNodeCols + kNodeFrom +
                              "WHERE n.parent_id = ? AND n.deleted_at IS NULL ORDER BY CASE n.kind "
                              "WHEN 'folder' THEN 0 ELSE 1 END, n.name_key, n.id LIMIT ? OFFSET ?",
                          {parent_id, std::int64_t{limit}, std::int64_t{offset}}))
    out.push_back(node_from(r));
  return out;
}

std::optional<Node> live_child(Tx& tx, std::int64_t parent_id, const std::string& name_key) {
  auto r = tx.one(std::string("SELECT ") + kNodeCols + kNodeFrom +
                      "WHERE n.parent_id = ? AND n.name_key = ? AND n.deleted_at IS NULL",
                  {parent_id, name_key});
  if (!r) return std::nullopt;
  return node_from(*r);
}

std::int64_t create_node(Tx& tx, const Node& n, const std::string& name_key) {
  auto id = tx.insert(
      "INSERT INTO doc_nodes (space_id, parent_id, path, kind, name, name_key, content_type, "
      "created_by, created_at, updated_by, updated_at) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)",
      {n.space_id, store::opt(n.parent_id), n.kind, n.name, name_key, n.content_type,
       store::opt(n.updated_by), n.created_at, store::opt(n.updated_by), n.updated_at});
  tx.exec("UPDATE doc_nodes SET path = ? WHERE id = ?", {n.path + std::to_string(id) + "/", id});
  return id;
}

Access access_on(Tx& tx, const std::string& path, const std::vector<std::string>& audiences) {
  auto ids = path_ids(path);
  if (ids.empty() || audiences.empty()) return Access::none;
  std::vector<Value> params(ids.begin(), ids.end());
  append(params, audiences);
  auto r = tx.one(std::string("SELECT MAX(") + kRank + ") FROM doc_grants g WHERE g.node_id IN (" +
                      placeholders(ids.size()) + ") AND g.audience IN (" +
                      placeholders(audiences.size()) + ")",
                  params);
  if (!r || r->is_null(0)) return Access::none;
  return static_cast<Access>(r->int64(0));
}

std::vector<Version> versions(Tx& tx, std::int64_t node_id) {
  std::vector<Version> out;
  for (auto& r : tx.query(
           "SELECT v.number, v.size, v.sha256, v.content_type, v.created_at, v.created_by, "
           "COALESCE(p.display_name, ''), v.restored_from FROM doc_versions v LEFT JOIN people p "
           "ON p.id = v.created_by WHERE v.node_id = ? ORDER BY v.number DESC",
           {node_id})) {
    Version v;
    v.number = r.int64(0);
    v.size = r.int64(1);
    v.sha256 = r.text(2);
    v.content_type = r.text(3);
    v.created_at = r.int64(4);
    v.created_by = r.opt_int64(5);
    v.created_by_name = r.text(6);
    v.restored_from = r.opt_int64(7);
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<Version> version(Tx& tx, std::int64_t node_id, std::int64_t number) {
  for (auto& v : versions(tx, node_id))
    if (v.number == number) return v;
  return std::nullopt;
}

bool add_blob_ref(Tx& tx, const std::string& sha, std::int64_t size, std::int64_t now) {
  if (tx.exec("UPDATE doc_blobs SET refs = refs + 1 WHERE sha256 = ?", {sha}) > 0) return false;
  tx.exec("INSERT INTO doc_blobs (sha256, size, refs, created_at) VALUES (?, ?, 1, ?)",
          {sha, size, now});
  return true;
}

bool drop_blob_ref(Tx& tx, const std::string& sha) {
  tx.exec("UPDATE doc_blobs SET refs = refs - 1 WHERE sha256 = ?", {sha});
  return tx.exec("DELETE FROM doc_blobs WHERE sha256 = ? AND refs <= 0", {sha}) > 0;
}

namespace {
Grant grant_from(const Row& r) {
  Grant g;
  g.id = r.int64(0);
  g.node_id = r.int64(1);
  g.node_path = r.text(2);
  g.audience = r.text(3);
  g.access = parse_access(r.text(4)).value_or(Access::view);
  g.implicit = r.int64(5) != 0;
  g.created_at = r.int64(6);
  return g;
}
constexpr const char* kGrantCols =
    "id, node_id, node_path, audience, access, implicit, created_at FROM doc_grants ";
}  // namespace

std::vector<Grant> grants_on(Tx& tx, std::int64_t node_id) {
  std::vector<Grant> out;
  for (auto& r :
       tx.query(std::string("SELECT ") + kGrantCols + "WHERE node_id = ? ORDER BY id", {node_id})) {
    auto g = grant_from(r);
    g.audience_name = audience_name(tx, g.audience);
    out.push_back(std::move(g));
  }
  return out;
}

std::optional<Grant> grant(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kGrantCols + "WHERE id = ?", {id});
  if (!r) return std::nullopt;
  auto g = grant_from(*r);
  g.audience_name = audience_name(tx, g.audience);
  return g;
}

std::int64_t upsert_grant(Tx& tx, std::int64_t node_id, const std::string& path,
                          const std::string& audience, Access a, bool implicit,
                          std::optional<std::int64_t> by, std::int64_t now) {
  if (auto r = tx.one("SELECT id FROM doc_grants WHERE node_id = ? AND audience = ?",
                      {node_id, audience})) {
    tx.exec("UPDATE doc_grants SET access = ? WHERE id = ?",
            {std::string(access_name(a)), r->int64(0)});
    return r->int64(0);
  }
  return tx.insert(
      "INSERT INTO doc_grants (node_id, node_path, audience, access, implicit, created_by, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {node_id, path, audience, std::string(access_name(a)), std::int64_t{implicit ? 1 : 0},
       store::opt(by), now});
}

std::string audience_name(Tx& tx, const std::string& audience) {
  auto a = parse_audience(audience);
  if (!a) return audience;
  std::int64_t id = 0;
  try {
    id = std::stoll(a->id);
  } catch (...) {
  }
  if (a->kind == "person") {
    auto r = tx.one("SELECT display_name FROM people WHERE id = ?", {id});
    return r ? r->text(0) : audience;
  }
  if (a->kind == "unit" || a->kind == "body") {
    auto r = tx.one("SELECT name FROM units WHERE id = ?", {id});
    return r ? r->text(0) : audience;
  }
  if (a->kind == "group") {
    auto r = tx.one("SELECT name FROM person_groups WHERE id = ?", {id});
    return r ? r->text(0) : audience;
  }
  return audience;
}

std::vector<Node> shared_with(Tx& tx, const std::vector<std::string>& audiences,
                              const std::vector<std::int64_t>& own_spaces) {
  if (audiences.empty()) return {};
  std::vector<Value> params = values(audiences);
  std::string not_own;
  if (!own_spaces.empty()) {
    not_own = " AND n.space_id NOT IN (" + placeholders(own_spaces.size()) + ")";
    params.insert(params.end(), own_spaces.begin(), own_spaces.end());
  }
  std::vector<Node> out;
  for (auto& r : tx.query(std::string("SELECT DISTINCT ") + kNodeCols + kNodeFrom +
                              "JOIN doc_grants g ON g.node_id = n.id WHERE g.audience IN (" +
                              placeholders(audiences.size()) +
                              ") AND n.parent_id IS NOT NULL AND n.deleted_at IS NULL" + not_own +
                              " ORDER BY n.updated_at DESC LIMIT 200",
                          params))
    out.push_back(node_from(r));
  return out;
}

namespace {
Link link_from(const Row& r) {
  Link l;
  l.id = r.int64(0);
  l.node_id = r.int64(1);
  l.password_hash = r.opt_text(2);
  l.has_password = l.password_hash.has_value();
  l.expires_at = r.int64(3);
  l.revoked_at = r.opt_int64(4);
  l.created_at = r.int64(5);
  l.downloads = r.int64(6);
  return l;
}
constexpr const char* kLinkCols =
    "SELECT id, node_id, password_hash, expires_at, revoked_at, created_at, downloads FROM "
    "doc_links ";
}  // namespace

std::vector<Link> links_on(Tx& tx, std::int64_t node_id) {
  std::vector<Link> out;
  for (auto& r : tx.query(
           std::string(kLinkCols) + "WHERE node_id = ? AND revoked_at IS NULL ORDER BY id DESC",
           {node_id}))
    out.push_back(link_from(r));
  return out;
}

std::optional<Link> link_by_hash(Tx& tx, const std::string& token_hash) {
  auto r = tx.one(std::string(kLinkCols) + "WHERE token_hash = ?", {token_hash});
  if (!r) return std::nullopt;
  return link_from(*r);
}

std::optional<Link> link(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string(kLinkCols) + "WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return link_from(*r);
}

std::optional<Upload> upload(Tx& tx, const std::string& id) {
  auto r = tx.one(
      "SELECT id, person_id, folder_id, name, size, received, sha256, created_at FROM doc_uploads "
      "WHERE id = ?",
      {id});
  if (!r) return std::nullopt;
  Upload u;
  u.id = r->text(0);
  u.person_id = r->int64(1);
  u.folder_id = r->int64(2);
  u.name = r->text(3);
  u.size = r->int64(4);
  u.received = r->int64(5);
  u.sha256 = r->opt_text(6);
  u.created_at = r->int64(7);
  return u;
}

namespace {
// The ids on a path as the scope column holds them: "a1 a7 a12" (FTS5) or "{1,7,12}" (an array).
std::string scope_of(Tx& tx, const std::string& path) {
  bool sqlite = tx.dialect() == Dialect::sqlite;
  std::string out;
  for (auto id : path_ids(path)) {
    if (!out.empty()) out += sqlite ? " " : ",";
    out += (sqlite ? "a" : "") + std::to_string(id);
  }
  return sqlite ? out : "{" + out + "}";
}
}  // namespace

void index_name(Tx& tx, std::int64_t node_id, const std::string& path, const std::string& name) {
  auto folded = fold_for_search(name);
  auto scope = scope_of(tx, path);
  bool sqlite = tx.dialect() == Dialect::sqlite;
  std::string cast = sqlite ? "?" : "CAST(? AS BIGINT[])";
  if (tx.exec("UPDATE doc_search SET name = ?, scope = " + cast + " WHERE rowid = ?",
              {folded, scope, node_id}) == 0)
    tx.exec("INSERT INTO doc_search (rowid, name, body, scope) VALUES (?, ?, '', " + cast + ")",
            {node_id, folded, scope});
}

void index_body(Tx& tx, std::int64_t node_id, const std::string& body) {
  tx.exec("UPDATE doc_search SET body = ? WHERE rowid = ?", {fold_for_search(body), node_id});
}

void unindex(Tx& tx, std::int64_t node_id) {
  tx.exec("DELETE FROM doc_search WHERE rowid = ?", {node_id});
}

std::vector<SearchHit> search(Tx& tx, const std::vector<std::string>& words,
                              const std::vector<std::string>& audiences, int limit) {
  if (words.empty() || audiences.empty()) return {};
  bool sqlite = tx.dialect() == Dialect::sqlite;
  std::string match;
  for (auto& w : words) {
    if (!match.empty()) match += sqlite ? " AND " : " & ";
    match += sqlite ? "\"" + w + "\"*" : w + ":*";
  }
  // The grant check decides what is shown; everything else only makes it fast.
  std::string visible =
      " AND n.deleted_at IS NULL AND EXISTS (SELECT 1 FROM doc_grants g WHERE "
      "g.audience IN (" +
      placeholders(audiences.size()) +
      ") AND substr(n.path, 1, length(g.node_path)) = g.node_path)";
  std::string select = std::string("SELECT ") + kNodeCols + ", sp.name" + kNodeFrom +
                       "JOIN doc_spaces sp ON sp.id = n.space_id ";

  // The nodes the caller holds grants on. The index's scope column keeps only what lies below
  // them, so a word found in every document costs no more than the documents one may see.
  std::vector<std::int64_t> roots;
  for (auto& r : tx.query("SELECT DISTINCT node_id FROM doc_grants WHERE audience IN (" +
                              placeholders(audiences.size()) + ")",
                          values(audiences)))
    roots.push_back(r.int64(0));
  if (roots.empty()) return {};

  std::vector<SearchHit> out;
  if (roots.size() > 500) {
    // So many grants that the list would outgrow the query: one join, filtered row by row.
    std::vector<Value> params{match};
    append(params, audiences);
    if (!sqlite) params.push_back(match);
    params.push_back(std::int64_t{limit});
    for (auto& r : tx.query(
             select + "JOIN doc_search f ON f.rowid = n.id " +
                 (sqlite ? "WHERE doc_search MATCH ?" : "WHERE f.tsv @@ to_tsquery('simple', ?)") +
                 visible +
                 (sqlite ? " ORDER BY f.rank"
                         : " ORDER BY ts_rank(f.tsv, to_tsquery('simple', ?)) DESC") +
                 " LIMIT ?",
             params))
      out.push_back({node_from(r), r.text(kNodeColCount)});
    return out;
  }

  std::string scope;
  for (auto id : roots) {
    if (!scope.empty()) scope += sqlite ? " OR " : ",";
    scope += (sqlite ? "a" : "") + std::to_string(id);
  }
  // The best-ranked candidates from the index alone, then their rows (in the trash? a grant
  // that changed since indexing?). Few candidates are normally dropped; if too many were, ask
  // the index for more.
  for (std::int64_t want = std::int64_t{limit} * 5 + 50;; want *= 8) {
    std::vector<std::int64_t> ids;
    if (sqlite)
      for (auto& r :
           tx.query("SELECT rowid FROM doc_search WHERE doc_search MATCH ? ORDER BY rank LIMIT ?",
                    {"{name body} : (" + match + ") AND scope : (" + scope + ")", want}))
        ids.push_back(r.int64(0));
    else
      for (auto& r : tx.query("SELECT rowid FROM doc_search WHERE tsv @@ to_tsquery('simple', ?) "
                              "AND scope && CAST(? AS BIGINT[]) ORDER BY ts_rank(tsv, "
                              "to_tsquery('simple', ?)) DESC LIMIT ?",
                              {match, "{" + scope + "}", match, want}))
        ids.push_back(r.int64(0));
    if (ids.empty()) return out;
    std::vector<Value> params;
    for (auto id : ids) params.push_back(id);
    append(params, audiences);
    std::map<std::int64_t, SearchHit> rows;
    for (auto& r :
         tx.query(select + "WHERE n.id IN (" + placeholders(ids.size()) + ")" + visible, params)) {
      auto n = node_from(r);
      rows.emplace(n.id, SearchHit{n, r.text(kNodeColCount)});
    }
    out.clear();
    for (auto id : ids) {
      if (out.size() >= static_cast<std::size_t>(limit)) break;
      if (auto it = rows.find(id); it != rows.end()) out.push_back(std::move(it->second));
    }
    bool exhausted = ids.size() < static_cast<std::size_t>(want);
    // (At most some 20,000 candidates: a query's parameters are limited, and so is patience.)
    if (exhausted || out.size() >= static_cast<std::size_t>(limit) || want * 8 > 20000) return out;
  }
}

void add_activity(Tx& tx, const Node& n, const std::string& action,
                  std::optional<std::int64_t> actor, std::int64_t now) {
  tx.exec(
      "INSERT INTO doc_activity (space_id, node_id, node_path, action, name, actor_id, at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?)",
      {n.space_id, n.id, n.path, action, n.name, store::opt(actor), now});
}

std::vector<Activity> activity(Tx& tx, const std::vector<std::string>& audiences,
                               std::optional<std::int64_t> before, int limit) {
  if (audiences.empty()) return {};
  std::vector<Value> params;
  std::string cond;
  if (before) {
    cond = " AND a.id < ?";
    params.push_back(*before);
  }
  append(params, audiences);
  params.push_back(std::int64_t{limit});
  std::vector<Activity> out;
  for (auto& r : tx.query(
           "SELECT a.id, a.space_id, sp.name, a.node_id, a.action, a.name, a.actor_id, "
           "COALESCE(p.display_name, ''), a.at FROM doc_activity a JOIN doc_spaces sp ON sp.id = "
           "a.space_id LEFT JOIN people p ON p.id = a.actor_id WHERE 1 = 1" +
               cond + " AND EXISTS (SELECT 1 FROM doc_grants g WHERE g.audience IN (" +
               placeholders(audiences.size()) +
               ") AND substr(a.node_path, 1, length(g.node_path)) = g.node_path) ORDER BY a.id "
               "DESC LIMIT ?",
           params)) {
    Activity a;
    a.id = r.int64(0);
    a.space_id = r.int64(1);
    a.space_name = r.text(2);
    a.node_id = r.int64(3);
    a.action = r.text(4);
    a.name = r.text(5);
    a.actor_id = r.opt_int64(6);
    a.actor_name = r.text(7);
    a.at = r.int64(8);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<Node> trash_for(Tx& tx, const std::vector<std::string>& audiences) {
  if (audiences.empty()) return {};
  std::vector<Node> out;
  for (auto& r : tx.query(std::string("SELECT ") + kNodeCols + kNodeFrom +
                              "WHERE n.deleted_at IS NOT NULL AND n.trashed_with = n.id AND "
                              "EXISTS (SELECT 1 FROM doc_grants g WHERE g.audience IN (" +
                              placeholders(audiences.size()) +
                              ") AND g.access IN ('edit', 'manage') AND substr(n.path, 1, "
                              "length(g.node_path)) = g.node_path) ORDER BY n.deleted_at DESC "
                              "LIMIT 500",
                          values(audiences)))
    out.push_back(node_from(r));
  return out;
}

std::int64_t person_usage(Tx& tx, std::int64_t person_id) {
  auto r =
      tx.one("SELECT COALESCE(SUM(size), 0) FROM doc_versions WHERE created_by = ?", {person_id});
  return r ? r->int64(0) : 0;
}

}  // namespace ratusha::documents::db
