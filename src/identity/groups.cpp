#include "identity/groups.hpp"

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "identity/store.hpp"

namespace ratusha::identity {

using store::Tx;

namespace {

audit::Actor actor(const Principal& who) {
  return {who.person_id, who.display_name, who.address};
}

void require(const Principal& who, const char* permission) {
  if (!who.can(permission)) throw forbidden();
}

std::string target(std::int64_t id) {
  return "group:" + id_string(id);
}

std::string clean_group_name(const std::string& raw) {
  auto first = raw.find_first_not_of(" \t");
  auto name = first == std::string::npos
                  ? std::string()
                  : raw.substr(first, raw.find_last_not_of(" \t") - first + 1);
  if (name.empty()) throw field_error("name", "required", "Give the group a name.");
  if (utf8_length(name) > 200) throw field_error("name", "too_long", "At most 200 characters.");
  if (has_control_chars(name, false))
    throw field_error("name", "invalid", "The name has control characters.");
  return name;
}

void check_description(const std::string& d) {
  if (utf8_length(d) > 1000)
    throw field_error("description", "too_long", "At most 1,000 characters.");
  if (has_control_chars(d, true))
    throw field_error("description", "invalid", "The description has control characters.");
}

Error name_taken() {
  return Error(ErrorKind::conflict, "name-taken", "There is already a group with this name.",
               {{"name", "taken", "There is already a group with this name."}});
}

}  // namespace

void GroupsService::changed(Tx& tx, std::int64_t id) {
  bus_.publish(tx, "people", "group.changed", json::object{{"id", id_string(id)}});
}

std::vector<Group> GroupsService::list(const Principal& who, const std::optional<std::string>& q,
                                       std::optional<std::int64_t> after_id, int limit) {
  require(who, "people.read");
  return db_.read([&](Tx& tx) { return db::groups(tx, q, after_id, limit); });
}

Group GroupsService::get(const Principal& who, std::int64_t id) {
  require(who, "people.read");
  return db_.read([&](Tx& tx) {
    auto g = db::group(tx, id);
    if (!g) throw not_found("No such group.");
    return *g;
  });
}

Group GroupsService::create(const Principal& who, const std::string& raw_name,
                            const std::string& description) {
  require(who, "people.manage");
  auto name = clean_group_name(raw_name);
  check_description(description);
  return db_.write([&](Tx& tx) {
    auto key = fold_case(name);
    if (db::group_by_name(tx, key)) throw name_taken();
    auto now = now_seconds();
    auto id = tx.insert(
        "INSERT INTO person_groups (name, name_key, description, created_by, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        {name, key, description, who.person_id, now, now});
    audit_.append(tx, actor(who), "group.created", target(id), {{"name", name}});
    changed(tx, id);
    return *db::group(tx, id);
  });
}

Group GroupsService::update(const Principal& who, std::int64_t id,
                            const std::optional<std::string>& raw_name,
                            const std::optional<std::string>& description) {
  require(who, "people.manage");
  std::optional<std::string> name;
  if (raw_name) name = clean_group_name(*raw_name);
  if (description) check_description(*description);
  return db_.write([&](Tx& tx) {
    auto g = db::group(tx, id);
    if (!g) throw not_found("No such group.");
    json::object details;
    if (name && *name != g->name) {
      auto key = fold_case(*name);
      if (auto other = db::group_by_name(tx, key); other && *other != id) throw name_taken();
      tx.exec("UPDATE person_groups SET name = ?, name_key = ? WHERE id = ?", {*name, key, id});
      details["name"] = json::object{{"from", g->name}, {"to", *name}};
    }
    if (description && *description != g->description) {
      tx.exec("UPDATE person_groups SET description = ? WHERE id = ?", {*description, id});
      details["description"] = true;
    }
    if (details.empty()) return *g;
    tx.exec("UPDATE person_groups SET updated_at = ? WHERE id = ?", {now_seconds(), id});
    audit_.append(tx, actor(who), "group.updated", target(id), std::move(details));
    changed(tx, id);
    return *db::group(tx, id);
  });
}

void GroupsService::remove(const Principal& who, std::int64_t id) {
  require(who, "people.manage");
  db_.write([&](Tx& tx) {
    auto g = db::group(tx, id);
    if (!g) throw not_found("No such group.");
    for (auto& f : on_deleted_) f(tx, id);
    tx.exec("DELETE FROM person_group_members WHERE group_id = ?", {id});
    tx.exec("DELETE FROM person_groups WHERE id = ?", {id});
    audit_.append(tx, actor(who), "group.deleted", target(id),
                  {{"name", g->name}, {"members", static_cast<std::int64_t>(g->members.size())}});
    changed(tx, id);
  });
}

std::pair<Group, bool> GroupsService::add_member(const Principal& who, std::int64_t id,
                                                 std::int64_t person_id) {
  require(who, "people.manage");
  return db_.write([&](Tx& tx) {
    if (!db::group(tx, id)) throw not_found("No such group.");
    auto p = db::person(tx, person_id);
    if (!p) throw field_error("person_id", "not_found", "There is no such person.");
    if (p->status == "disabled")
      throw field_error("person_id", "disabled", "This person's account is disabled.");
    if (tx.one("SELECT 1 FROM person_group_members WHERE group_id = ? AND person_id = ?",
               {id, person_id}))
      return std::pair{*db::group(tx, id), false};
    tx.exec(
        "INSERT INTO person_group_members (group_id, person_id, added_by, added_at) VALUES (?, ?, "
        "?, ?)",
        {id, person_id, who.person_id, now_seconds()});
    tx.exec("UPDATE person_groups SET updated_at = ? WHERE id = ?", {now_seconds(), id});
    audit_.append(tx, actor(who), "group.member_added", target(id),
                  {{"person", id_string(person_id)}, {"display_name", p->display_name}});
    changed(tx, id);
    return std::pair{*db::group(tx, id), true};
  });
}

Group GroupsService::remove_member(const Principal& who, std::int64_t id, std::int64_t person_id) {
  require(who, "people.manage");
  return db_.write([&](Tx& tx) {
    if (!db::group(tx, id)) throw not_found("No such group.");
    if (tx.exec("DELETE FROM person_group_members WHERE group_id = ? AND person_id = ?",
                {id, person_id}) != 1)
      throw not_found("This person is not in the group.");
    tx.exec("UPDATE person_groups SET updated_at = ? WHERE id = ?", {now_seconds(), id});
    audit_.append(tx, actor(who), "group.member_removed", target(id),
                  {{"person", id_string(person_id)}});
    changed(tx, id);
    return *db::group(tx, id);
  });
}

}  // namespace ratusha::identity
