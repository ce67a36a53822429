#pragma once
// Small helpers the workspace's service files share.
#include <string>

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

inline std::string when_text(const Meeting& m, std::int64_t starts_at) {
  auto t = to_local(starts_at, m.time_zone);
  return format_local(t).replace(10, 1, " ") + " (" + m.time_zone + ")";
}

// What a notification about an occurrence carries, so the app can word it in any language.
inline json::object occurrence_data(const Meeting& m, std::int64_t starts_at, const std::string& actor) {
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
