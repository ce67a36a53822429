#include "identity/store.hpp"

#include "core/text.hpp"

namespace ratusha::identity::db {

namespace {
constexpr const char* kPersonColumns =
    "p.id, p.access_code, p.display_name, p.email, p.kind, p.unit_id, u.name, p.locale, p.status, "
    "p.totp_secret, p.created_at";

Person person_from(const store::Row& r) {
  Person p;
  p.id = r.int64(0);
  p.access_code = r.text(1);
  p.display_name = r.text(2);
  p.email = r.opt_text(3);
  p.kind = r.text(4);
  p.unit_id = r.opt_int64(5);
  p.unit_name = r.opt_text(6);
  p.locale = r.text(7);
  p.status = r.text(8);
  p.totp_enabled = !r.is_null(9);
  p.created_at = r.int64(10);
  return p;
}

std::optional<Credentials> credentials_where(Tx& tx, const std::string& where, store::Value v) {
  auto r = tx.one(std::string("SELECT ") + kPersonColumns +
                      ", p.password_hash, p.activation_hash, p.activation_expires_at, "
                      "p.totp_pending_secret, p.totp_last_step FROM people p LEFT JOIN units u ON "
                      "u.id = p.unit_id WHERE " +
                      where,
                  {v});
  if (!r) return std::nullopt;
  Credentials c;
  c.person = person_from(*r);
  c.totp_secret = r->opt_text(9);
  c.password_hash = r->opt_text(11);
  c.activation_hash = r->opt_text(12);
  c.activation_expires_at = r->opt_int64(13);
  c.totp_pending_secret = r->opt_text(14);
  c.totp_last_step = r->int64(15);
  c.person.roles = roles_of(tx, c.person.id);
  return c;
}
}  // namespace

std::vector<RoleAssignment> roles_of(Tx& tx, std::int64_t person_id) {
  std::vector<RoleAssignment> out;
  for (const auto& r : tx.query("SELECT role, scope_kind, scope_id FROM role_assignments WHERE "
                                "person_id = ? ORDER BY id",
                                {person_id}))
    out.push_back({r.text(0), r.text(1), r.opt_int64(2)});
  return out;
}

void set_roles(Tx& tx, std::int64_t person_id, const std::vector<RoleAssignment>& roles) {
  tx.exec("DELETE FROM role_assignments WHERE person_id = ?", {person_id});
  for (const auto& r : roles)
    tx.exec(
        "INSERT INTO role_assignments (person_id, role, scope_kind, scope_id) VALUES (?, ?, ?, ?)",
        {person_id, r.role, r.scope_kind, store::opt(r.scope_id)});
}

std::optional<Person> person(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kPersonColumns +
                      " FROM people p LEFT JOIN units u ON u.id = p.unit_id WHERE p.id = ?",
                  {id});
  if (!r) return std::nullopt;
  Person p = person_from(*r);
  p.roles = roles_of(tx, id);
  return p;
}

std::optional<Credentials> credentials_by_code(Tx& tx, const std::string& code) {
  return credentials_where(tx, "p.access_code = ?", code);
}

std::optional<Credentials> credentials_by_id(Tx& tx, std::int64_t id) {
  return credentials_where(tx, "p.id = ?", id);
}

namespace {
// LIKE wildcards in the search text are matched literally.
std::string like_pattern(const std::string& text) {
  std::string like;
  for (char c : fold_case(text)) {
    if (c == '%' || c == '_' || c == '\\') like += '\\';
    like += c;
  }
  return "%" + like + "%";
}

}  // namespace

std::vector<Person> people(Tx& tx, const PeopleFilter& f) {
  std::string sql = std::string("SELECT ") + kPersonColumns +
                    " FROM people p LEFT JOIN units u ON u.id = p.unit_id WHERE 1=1";
  std::vector<store::Value> params;
  if (f.q && !f.q->empty()) {
    sql += " AND p.search_key LIKE ? ESCAPE '\\'";
    params.push_back(like_pattern(*f.q));
  }
  if (f.status) {
    sql += " AND p.status = ?";
    params.push_back(*f.status);
  }
  if (f.unit_id) {
    sql += " AND p.unit_id = ?";
    params.push_back(*f.unit_id);
  }
  if (f.after_id) {
    sql += " AND p.id > ?";
    params.push_back(*f.after_id);
  }
  sql += " ORDER BY p.id LIMIT " + std::to_string(f.limit);
  std::vector<Person> out;
  for (const auto& r : tx.query(sql, params)) out.push_back(person_from(r));
  for (auto& p : out) p.roles = roles_of(tx, p.id);
  return out;
}

void refresh_search_key(Tx& tx, std::int64_t person_id) {
  auto r = tx.one("SELECT display_name, email, access_code FROM people WHERE id = ?", {person_id});
  if (!r) return;
  tx.exec(
      "UPDATE people SET search_key = ? WHERE id = ?",
      {fold_case(r->text(0) + "\n" + r->opt_text(1).value_or("") + "\n" + r->text(2)), person_id});
}

// E-mail addresses are stored case-folded, so equality is enough.
bool email_taken(Tx& tx, const std::string& email, std::int64_t except_id) {
  return tx.one("SELECT 1 FROM people WHERE email = ? AND id <> ?", {fold_case(email), except_id})
      .has_value();
}

bool code_taken(Tx& tx, const std::string& code) {
  return tx.one("SELECT 1 FROM people WHERE access_code = ?", {code}).has_value();
}

std::vector<Unit> units(Tx& tx) {
  std::vector<Unit> out;
  for (const auto& r :
       tx.query("SELECT id, name, kind, parent_id FROM units ORDER BY id LIMIT 1000"))
    out.push_back({r.int64(0), r.text(1), r.text(2), r.opt_int64(3)});
  return out;
}

std::optional<Unit> unit(Tx& tx, std::int64_t id) {
  auto r = tx.one("SELECT id, name, kind, parent_id FROM units WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return Unit{r->int64(0), r->text(1), r->text(2), r->opt_int64(3)};
}

std::optional<Unit> unit_by_name(Tx& tx, const std::string& name) {
  // Compared case-folded in C++: SQLite's LOWER() knows only ASCII. Units are few.
  std::string want = fold_case(name);
  for (auto& u : units(tx))
    if (fold_case(u.name) == want) return u;
  return std::nullopt;
}

namespace {
constexpr const char* kGroupColumns =
    "g.id, g.name, g.description, g.created_at, g.updated_at, (SELECT COUNT(*) FROM "
    "person_group_members m WHERE m.group_id = g.id)";

Group group_from(const store::Row& r) {
  return Group{r.int64(0), r.text(1), r.text(2), r.int64(5), r.int64(3), r.int64(4), {}};
}
}  // namespace

std::vector<Group> groups(Tx& tx, const std::optional<std::string>& q,
                          std::optional<std::int64_t> after_id, int limit) {
  std::string sql = std::string("SELECT ") + kGroupColumns + " FROM person_groups g WHERE 1=1";
  std::vector<store::Value> params;
  if (q && !q->empty()) {
    sql += " AND g.name_key LIKE ? ESCAPE '\\'";
    params.push_back(like_pattern(*q));
  }
  if (after_id) {
    sql += " AND g.id > ?";
    params.push_back(*after_id);
  }
  sql += " ORDER BY g.id LIMIT " + std::to_string(limit);
  std::vector<Group> out;
  for (auto& r : tx.query(sql, params)) out.push_back(group_from(r));
  return out;
}

std::optional<Group> group(Tx& tx, std::int64_t id) {
  auto r =
      tx.one(std::string("SELECT ") + kGroupColumns + " FROM person_groups g WHERE g.id = ?", {id});
  if (!r) return std::nullopt;
  auto g = group_from(*r);
  for (auto& m : tx.query(
           "SELECT p.id, p.display_name, u.name, p.status FROM person_group_members m JOIN people "
           "p ON p.id = m.person_id LEFT JOIN units u ON u.id = p.unit_id WHERE m.group_id = ? "
           "ORDER BY p.display_name, p.id",
           {id}))
    g.members.push_back({m.int64(0), m.text(1), m.opt_text(2), m.text(3)});
  return g;
}

std::optional<std::int64_t> group_by_name(Tx& tx, const std::string& name_key) {
  auto r = tx.one("SELECT id FROM person_groups WHERE name_key = ?", {name_key});
  if (!r) return std::nullopt;
  return r->int64(0);
}

std::vector<DirectoryEntry> directory(Tx& tx, const std::string& folded, std::size_t limit) {
  std::vector<DirectoryEntry> out;
  auto like = like_pattern(folded);
  for (auto& r : tx.query(
           "SELECT p.id, p.display_name, COALESCE(u.name, '') FROM people p LEFT JOIN units u ON "
           "u.id = p.unit_id WHERE p.status <> 'disabled' AND p.search_key LIKE ? ESCAPE '\\' "
           "ORDER BY p.display_name LIMIT ?",
           {like, static_cast<std::int64_t>(limit)}))
    out.push_back({"person", r.int64(0), r.text(1), r.text(2)});
  // Units are few; compared folded in C++ (SQLite's LOWER() knows only ASCII).
  for (auto& u : units(tx))
    if (out.size() < limit * 2 && fold_case(u.name).find(folded) != std::string::npos)
      out.push_back({u.kind == "body" ? "body" : "unit", u.id, u.name, ""});
  for (auto& r : tx.query(
           "SELECT id, name FROM person_groups WHERE name_key LIKE ? ESCAPE '\\' ORDER BY name "
           "LIMIT ?",
           {like, static_cast<std::int64_t>(limit)}))
    out.push_back({"group", r.int64(0), r.text(1), ""});
  return out;
}

std::optional<std::string> setting(Tx& tx, const std::string& key) {
  auto r = tx.one("SELECT value FROM settings WHERE key = ?", {key});
  if (!r) return std::nullopt;
  return r->text(0);
}

void set_setting(Tx& tx, const std::string& key, const std::string& value) {
  if (tx.exec("UPDATE settings SET value = ? WHERE key = ?", {value, key}) == 0)
    tx.exec("INSERT INTO settings (key, value) VALUES (?, ?)", {key, value});
}

std::optional<SessionRow> session_by_hash(Tx& tx, const std::string& token_hash) {
  auto r = tx.one(
      "SELECT s.id, s.person_id, s.created_at, s.last_seen_at, s.absolute_expires_at, "
      "s.user_agent, s.address, p.status FROM sessions s JOIN people p ON p.id = s.person_id "
      "WHERE s.token_hash = ? AND s.ended_at IS NULL",
      {token_hash});
  if (!r) return std::nullopt;
  return SessionRow{r->int64(0), r->int64(1), r->int64(2), r->int64(3),
                    r->int64(4), r->text(5),  r->text(6),  r->text(7)};
}

std::vector<SessionRow> live_sessions(Tx& tx, std::int64_t person_id, std::int64_t idle_cutoff,
                                      std::int64_t now) {
  std::vector<SessionRow> out;
  for (const auto& r : tx.query(
           "SELECT id, person_id, created_at, last_seen_at, absolute_expires_at, user_agent, "
           "address FROM sessions WHERE person_id = ? AND ended_at IS NULL AND last_seen_at > ? "
           "AND absolute_expires_at > ? ORDER BY id DESC LIMIT 100",
           {person_id, idle_cutoff, now}))
    out.push_back(SessionRow{r.int64(0), r.int64(1), r.int64(2), r.int64(3), r.int64(4), r.text(5),
                             r.text(6), ""});
  return out;
}

std::int64_t end_sessions(Tx& tx, std::int64_t person_id, std::int64_t now) {
  return tx.exec("UPDATE sessions SET ended_at = ? WHERE person_id = ? AND ended_at IS NULL",
                 {now, person_id});
}

std::int64_t recent_failures_by_code(Tx& tx, const std::string& code, std::int64_t since) {
  return tx
      .one("SELECT COUNT(*) FROM login_attempts WHERE access_code = ? AND at >= ? AND ok = 0",
           {code, since})
      ->int64(0);
}

std::int64_t recent_failures_by_address(Tx& tx, const std::string& address, std::int64_t since) {
  return tx
      .one("SELECT COUNT(*) FROM login_attempts WHERE address = ? AND at >= ? AND ok = 0",
           {address, since})
      ->int64(0);
}

void record_attempt(Tx& tx, const std::string& code, const std::string& address, bool ok,
                    std::int64_t now) {
  tx.exec("INSERT INTO login_attempts (at, access_code, address, ok) VALUES (?, ?, ?, ?)",
          {now, code, address, std::int64_t{ok ? 1 : 0}});
}

}  // namespace ratusha::identity::db
