#pragma once
// Small helpers the workspace's service files share.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "identity/model.hpp"
#include "security/crypto.hpp"
#include "store/db.hpp"
#include "workspace/calendar.hpp"
#include "workspace/model.hpp"
#include "workspace/store.hpp"

namespace ratusha::workspace::detail {

inline audit::Actor actor_of(const identity::Principal& who) {
  return {who.person_id, who.display_name, who.address};
}

inline std::string target(const Meeting& m) {
  return "meeting:" + std::to_string(m.id);
}

inline bool is_admin(const identity::Principal& who) {
  return who.can("people.manage");
}

// The units whose head the person is (an administrator's role scoped to the unit).
inline std::vector<std::int64_t> headed_units(const identity::Principal& who) {
  std::vector<std::int64_t> out;
  for (const auto& r : who.roles)
    if (r.role == "administrator" && r.scope_kind == "unit" && r.scope_id)
      out.push_back(*r.scope_id);
  return out;
}

// Who looks after a meeting room of `unit_id`: administrators, and the head of that unit.
inline bool keeps_room(const identity::Principal& who, std::optional<std::int64_t> unit_id) {
  if (is_admin(who)) return true;
  if (!unit_id) return false;
  auto heads = headed_units(who);
  return std::find(heads.begin(), heads.end(), *unit_id) != heads.end();
}

inline std::string when_text(const Meeting& m, std::int64_t starts_at) {
  auto t = to_local(starts_at, m.time_zone);
  return format_local(t).replace(10, 1, " ") + " (" + m.time_zone + ")";
}

// What a notification about an occurrence carries, so the app can word it in any language.
inline json::object occurrence_data(const Meeting& m, std::int64_t starts_at,
                                    const std::string& actor) {
  return {{"starts_at", rfc3339(starts_at)},
          {"time_zone", m.time_zone},
          {"room", m.room_name},
          {"actor", actor}};
}

// The person's own room, made on first use.
inline Room own_room(store::Tx& tx, const identity::Principal& who, std::int64_t now) {
  if (auto r = db::personal_room(tx, who.person_id)) return *r;
  return *db::room(tx, db::create_personal_room(tx, who.person_id, who.display_name, now));
}

// A new meeting of `who` in `r`, with its own UID; the caller fills in the time and the text.
inline Meeting draft_meeting(const identity::Principal& who, const Room& r, std::string title,
                             std::int64_t now) {
  Meeting m;
  m.uid = security::random_token(16) + "@ratusha";
  m.room_id = r.id;
  m.room_name = r.name;
  m.organiser_id = who.person_id;
  m.organiser_name = who.display_name;
  m.title = std::move(title);
  m.status = "scheduled";
  m.created_at = m.updated_at = now;
  return m;
}

}  // namespace ratusha::workspace::detail
