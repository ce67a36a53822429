#include "workspace/store.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace ratusha::workspace::db {

using store::Row;
using store::Value;

namespace {

constexpr const char* kRoomCols =
    "r.id, r.kind, r.name, r.description, r.owner_id, r.unit_id, r.capacity, u.name, r.lobby, "
    "r.created_at, r.updated_at, r.archived_at, (SELECT COUNT(*) FROM room_members x WHERE "
    "x.room_id = r.id)";
constexpr const char* kRoomFrom = " FROM rooms r LEFT JOIN units u ON u.id = r.unit_id ";

Room room_from(const Row& r) {
  Room o;
  o.id = r.int64(0);
  o.kind = r.text(1);
  o.name = r.text(2);
  o.description = r.text(3);
  o.owner_id = r.opt_int64(4);
  o.unit_id = r.opt_int64(5);
  o.capacity = r.opt_int64(6);
  o.unit_name = r.opt_text(7);
  o.lobby = r.int64(8) != 0;
  o.created_at = r.int64(9);
  o.updated_at = r.int64(10);
  o.archived_at = r.opt_int64(11);
  o.member_count = r.int64(12);
  return o;
}

constexpr const char* kMeetingCols =
    "m.id, m.uid, m.room_id, m.organiser_id, m.title, m.agenda, m.time_zone, m.local_start, "
    "m.duration, m.starts_at, m.ends_at, m.rrule, m.expanded_until, m.status, m.sequence, "
    "m.created_at, m.updated_at, r.name, p.display_name";
constexpr const char* kMeetingFrom =
    " FROM meetings m JOIN rooms r ON r.id = m.room_id JOIN people p ON p.id = m.organiser_id ";

Meeting meeting_from(const Row& r) {
  Meeting m;
  m.id = r.int64(0);
  m.uid = r.text(1);
  m.room_id = r.int64(2);
  m.organiser_id = r.int64(3);
  m.title = r.text(4);
  m.agenda = r.text(5);
  m.time_zone = r.text(6);
  m.local_start = r.text(7);
  m.duration = r.int64(8);
  m.starts_at = r.int64(9);
  m.ends_at = r.int64(10);
  m.rrule = r.opt_text(11);
  m.expanded_until = r.int64(12);
  m.status = r.text(13);
  m.sequence = static_cast<int>(r.int64(14));
  m.created_at = r.int64(15);
  m.updated_at = r.int64(16);
  m.room_name = r.text(17);
  m.organiser_name = r.text(18);
  return m;
}

constexpr const char* kInviteeCols =
    "i.person_id, p.display_name, i.via, i.response, i.comment, p.email, i.responded_at";

Invitee invitee_from(const Row& r) {
  return Invitee{r.int64(0), r.text(1),     r.text(2),     r.text(3),
                 r.text(4),  r.opt_text(5), r.opt_int64(6)};
}

}  // namespace

// ---------------------------------------------------------------- rooms

std::optional<Room> room(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kRoomCols + kRoomFrom + "WHERE r.id = ?", {id});
  if (!r) return std::nullopt;
  return room_from(*r);
}

std::optional<Room> personal_room(Tx& tx, std::int64_t person_id) {
  auto r = tx.one(std::string("SELECT ") + kRoomCols + kRoomFrom +
                      "WHERE r.kind = 'personal' AND r.owner_id = ?",
                  {person_id});
  if (!r) return std::nullopt;
  return room_from(*r);
}

std::int64_t create_personal_room(Tx& tx, std::int64_t person_id, const std::string& name,
                                  std::int64_t now) {
  auto id = tx.insert(
      "INSERT INTO rooms (kind, name, owner_id, created_at, updated_at) VALUES ('personal', ?, "
      "?, ?, ?)",
      {name, person_id, now, now});
  tx.exec("INSERT INTO room_members (room_id, person_id, added_at) VALUES (?, ?, ?)",
          {id, person_id, now});
  return id;
}

std::int64_t create_room(Tx& tx, const std::string& name, const std::string& description,
                         std::optional<std::int64_t> unit_id, std::optional<std::int64_t> capacity,
                         bool lobby, std::int64_t now) {
  return tx.insert(
      "INSERT INTO rooms (kind, name, description, unit_id, capacity, lobby, created_at, "
      "updated_at) VALUES ('meeting', ?, ?, ?, ?, ?, ?, ?)",
      {name, description, store::opt(unit_id), store::opt(capacity), std::int64_t{lobby ? 1 : 0},
       now, now});
}

std::vector<Room> rooms_for(Tx& tx, std::int64_t person_id, bool all_meeting_rooms,
                            const std::vector<std::int64_t>& headed_units) {
  std::vector<Room> out;
  std::vector<Value> params{person_id};
  std::string units;
  for (auto u : headed_units) {
    units += units.empty() ? "?" : ", ?";
    params.emplace_back(u);
  }
  for (auto& r : tx.query(
           std::string("SELECT ") + kRoomCols + kRoomFrom +
               "WHERE r.archived_at IS NULL AND (EXISTS (SELECT 1 FROM room_members x WHERE "
               "x.room_id = r.id AND x.person_id = ?)" +
               (all_meeting_rooms ? " OR r.kind = 'meeting'" : "") +
               (units.empty() ? "" : " OR (r.kind = 'meeting' AND r.unit_id IN (" + units + "))") +
               ") ORDER BY CASE r.kind WHEN 'personal' THEN 0 ELSE 1 END, r.name LIMIT 500",
           params))
    out.push_back(room_from(r));
  return out;
}

bool is_room_member(Tx& tx, std::int64_t room_id, std::int64_t person_id) {
  return tx
      .one("SELECT 1 FROM room_members WHERE room_id = ? AND person_id = ?", {room_id, person_id})
      .has_value();
}

bool invited_in_room_now(Tx& tx, std::int64_t room_id, std::int64_t person_id, std::int64_t now,
                         std::int64_t early) {
  return tx
      .one(
          "SELECT 1 FROM meetings m JOIN meeting_invitees i ON i.meeting_id = m.id AND "
          "i.person_id = ? JOIN meeting_occurrences o ON o.meeting_id = m.id WHERE m.room_id = ? "
          "AND m.status = 'scheduled' AND o.starts_at <= ? AND o.ends_at > ?",
          {person_id, room_id, now + early, now})
      .has_value();
}

std::vector<Invitee> room_members(Tx& tx, std::int64_t room_id) {
  std::vector<Invitee> out;
  for (auto& r :
       tx.query("SELECT p.id, p.display_name, 'member', '', '', p.email, NULL FROM room_members x "
                "JOIN people p ON p.id = x.person_id WHERE x.room_id = ? ORDER BY p.display_name",
                {room_id}))
    out.push_back(invitee_from(r));
  return out;
}

std::optional<std::vector<std::int64_t>> unit_people(Tx& tx, std::int64_t unit_id) {
  if (!tx.one("SELECT 1 FROM units WHERE id = ?", {unit_id})) return std::nullopt;
  std::vector<std::int64_t> out;
  for (auto& r : tx.query(
           "SELECT id FROM people WHERE unit_id = ? AND status <> 'disabled' ORDER BY id LIMIT "
           "5000",
           {unit_id}))
    out.push_back(r.int64(0));
  return out;
}

std::optional<std::vector<std::int64_t>> group_people(Tx& tx, std::int64_t group_id) {
  if (!tx.one("SELECT 1 FROM person_groups WHERE id = ?", {group_id})) return std::nullopt;
  std::vector<std::int64_t> out;
  for (auto& r :
       tx.query("SELECT p.id FROM person_group_members m JOIN people p ON p.id = m.person_id WHERE "
                "m.group_id = ? AND p.status <> 'disabled' ORDER BY p.id LIMIT 5000",
                {group_id}))
    out.push_back(r.int64(0));
  return out;
}

std::optional<std::vector<std::int64_t>> body_people(Tx& tx, std::int64_t body_id) {
  if (!tx.one("SELECT 1 FROM units WHERE id = ? AND kind = 'body'", {body_id})) return std::nullopt;
  std::vector<std::int64_t> out;
  for (auto& r : tx.query(
           "SELECT DISTINCT p.id FROM role_assignments a JOIN people p ON p.id = a.person_id "
           "WHERE a.scope_kind = 'body' AND a.scope_id = ? AND p.status <> 'disabled' ORDER BY "
           "p.id LIMIT 5000",
           {body_id}))
    out.push_back(r.int64(0));
  return out;
}

// ---------------------------------------------------------------- meetings

std::int64_t insert_meeting(Tx& tx, const Meeting& m) {
  return tx.insert(
      "INSERT INTO meetings (uid, room_id, organiser_id, title, agenda, time_zone, local_start, "
      "duration, starts_at, ends_at, rrule, expanded_until, status, sequence, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.uid, m.room_id, m.organiser_id, m.title, m.agenda, m.time_zone, m.local_start, m.duration,
       m.starts_at, m.ends_at, store::opt(m.rrule), m.expanded_until, m.status,
       std::int64_t{m.sequence}, m.created_at, m.updated_at});
}

void update_meeting(Tx& tx, const Meeting& m) {
  tx.exec(
      "UPDATE meetings SET room_id = ?, title = ?, agenda = ?, time_zone = ?, local_start = ?, "
      "duration = ?, starts_at = ?, ends_at = ?, rrule = ?, status = ?, sequence = ?, "
      "updated_at = ? WHERE id = ?",
      {m.room_id, m.title, m.agenda, m.time_zone, m.local_start, m.duration, m.starts_at, m.ends_at,
       store::opt(m.rrule), m.status, std::int64_t{m.sequence}, m.updated_at, m.id});
}

std::optional<Meeting> meeting(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kMeetingCols + kMeetingFrom + "WHERE m.id = ?", {id});
  if (!r) return std::nullopt;
  return meeting_from(*r);
}

void add_invitee(Tx& tx, std::int64_t meeting_id, std::int64_t person_id, const std::string& via,
                 const std::string& response) {
  tx.exec(
      "INSERT INTO meeting_invitees (meeting_id, person_id, via, response) VALUES (?, ?, ?, ?) "
      "ON CONFLICT DO NOTHING",
      {meeting_id, person_id, via, response});
  tx.exec(
      "INSERT INTO meeting_attendance (person_id, starts_at, meeting_id, ends_at) SELECT ?, "
      "starts_at, meeting_id, ends_at FROM meeting_occurrences WHERE meeting_id = ? ON CONFLICT "
      "DO NOTHING",
      {person_id, meeting_id});
}

void remove_invitee(Tx& tx, std::int64_t meeting_id, std::int64_t person_id) {
  tx.exec("DELETE FROM meeting_attendance WHERE meeting_id = ? AND person_id = ?",
          {meeting_id, person_id});
  tx.exec("DELETE FROM reminder_offsets WHERE meeting_id = ? AND person_id = ?",
          {meeting_id, person_id});
  tx.exec("DELETE FROM meeting_invitees WHERE meeting_id = ? AND person_id = ?",
          {meeting_id, person_id});
}

void add_occurrences(Tx& tx, std::int64_t meeting_id,
                     const std::vector<std::pair<std::int64_t, std::int64_t>>& spans) {
  for (auto [start, end] : spans)
    tx.exec(
        "INSERT INTO meeting_occurrences (meeting_id, starts_at, ends_at) VALUES (?, ?, ?) ON "
        "CONFLICT DO NOTHING",
        {meeting_id, start, end});
  if (spans.empty()) return;
  tx.exec(
      "INSERT INTO meeting_attendance (person_id, starts_at, meeting_id, ends_at) SELECT "
      "i.person_id, o.starts_at, o.meeting_id, o.ends_at FROM meeting_invitees i JOIN "
      "meeting_occurrences o ON o.meeting_id = i.meeting_id WHERE i.meeting_id = ? AND "
      "o.starts_at >= ? ON CONFLICT DO NOTHING",
      {meeting_id, spans.front().first});
}

void remove_occurrence(Tx& tx, std::int64_t meeting_id, std::int64_t starts_at) {
  tx.exec("DELETE FROM meeting_attendance WHERE meeting_id = ? AND starts_at = ?",
          {meeting_id, starts_at});
  tx.exec("DELETE FROM meeting_occurrences WHERE meeting_id = ? AND starts_at = ?",
          {meeting_id, starts_at});
}

std::optional<std::int64_t> occurrence_end(Tx& tx, std::int64_t meeting_id,
                                           std::int64_t starts_at) {
  auto r = tx.one("SELECT ends_at FROM meeting_occurrences WHERE meeting_id = ? AND starts_at = ?",
                  {meeting_id, starts_at});
  return r ? std::optional(r->int64(0)) : std::nullopt;
}

std::optional<std::pair<std::int64_t, std::int64_t>> occurrence_open(Tx& tx,
                                                                     std::int64_t meeting_id,
                                                                     std::int64_t now,
                                                                     std::int64_t early) {
  auto r = tx.one(
      "SELECT starts_at, ends_at FROM meeting_occurrences WHERE meeting_id = ? AND starts_at <= ? "
      "AND ends_at > ? ORDER BY starts_at LIMIT 1",
      {meeting_id, now + early, now});
  return r ? std::optional(std::pair{r->int64(0), r->int64(1)}) : std::nullopt;
}

std::optional<std::pair<std::int64_t, std::int64_t>> next_occurrence(Tx& tx,
                                                                     std::int64_t meeting_id,
                                                                     std::int64_t now) {
  auto r = tx.one(
      "SELECT starts_at, ends_at FROM meeting_occurrences WHERE meeting_id = ? AND ends_at > ? "
      "ORDER BY starts_at LIMIT 1",
      {meeting_id, now});
  return r ? std::optional(std::pair{r->int64(0), r->int64(1)}) : std::nullopt;
}

std::vector<OccurrenceException> exceptions(Tx& tx, std::int64_t meeting_id) {
  std::vector<OccurrenceException> out;
  for (auto& r : tx.query(
           "SELECT original_start, starts_at, ends_at FROM meeting_exceptions WHERE meeting_id = "
           "? ORDER BY original_start",
           {meeting_id}))
    out.push_back({r.int64(0), r.opt_int64(1), r.opt_int64(2)});
  return out;
}

void put_exception(Tx& tx, std::int64_t meeting_id, const OccurrenceException& e,
                   std::int64_t now) {
  tx.exec("DELETE FROM meeting_exceptions WHERE meeting_id = ? AND original_start = ?",
          {meeting_id, e.original_start});
  tx.exec(
      "INSERT INTO meeting_exceptions (meeting_id, original_start, starts_at, ends_at, "
      "created_at) VALUES (?, ?, ?, ?, ?)",
      {meeting_id, e.original_start, store::opt(e.starts_at), store::opt(e.ends_at), now});
}

void drop_exceptions(Tx& tx, std::int64_t meeting_id, std::int64_t from) {
  tx.exec("DELETE FROM meeting_exceptions WHERE meeting_id = ? AND original_start >= ?",
          {meeting_id, from});
}

void clear_occurrences(Tx& tx, std::int64_t meeting_id) {
  tx.exec("DELETE FROM meeting_attendance WHERE meeting_id = ?", {meeting_id});
  tx.exec("DELETE FROM meeting_occurrences WHERE meeting_id = ?", {meeting_id});
}

std::vector<Invitee> invitees(Tx& tx, std::int64_t meeting_id) {
  std::vector<Invitee> out;
  for (auto& r : tx.query(std::string("SELECT ") + kInviteeCols +
                              " FROM meeting_invitees i JOIN people p ON p.id = i.person_id "
                              "WHERE i.meeting_id = ? ORDER BY p.display_name, p.id",
                          {meeting_id}))
    out.push_back(invitee_from(r));
  return out;
}

std::optional<Invitee> invitee(Tx& tx, std::int64_t meeting_id, std::int64_t person_id) {
  auto r = tx.one(std::string("SELECT ") + kInviteeCols +
                      " FROM meeting_invitees i JOIN people p ON p.id = i.person_id WHERE "
                      "i.meeting_id = ? AND i.person_id = ?",
                  {meeting_id, person_id});
  if (!r) return std::nullopt;
  return invitee_from(*r);
}

std::vector<std::int64_t> next_starts(Tx& tx, std::int64_t meeting_id, std::int64_t from, int n) {
  std::vector<std::int64_t> out;
  for (auto& r :
       tx.query("SELECT starts_at FROM meeting_occurrences WHERE meeting_id = ? AND starts_at >= ? "
                "ORDER BY starts_at LIMIT ?",
                {meeting_id, from, std::int64_t{n}}))
    out.push_back(r.int64(0));
  return out;
}

std::vector<Conflict> conflicts(Tx& tx, std::int64_t meeting_id, int occurrences) {
  std::vector<Conflict> out;
  // The same room.
  for (auto& r : tx.query(
           "SELECT 'room', m2.room_id, rm.name, m2.id, m2.title, o2.starts_at, o2.ends_at FROM "
           "(SELECT starts_at, ends_at FROM meeting_occurrences WHERE meeting_id = ? ORDER BY "
           "starts_at LIMIT ?) o JOIN meetings m ON m.id = ? JOIN meetings m2 ON m2.room_id = "
           "m.room_id AND m2.id <> m.id AND m2.status = 'scheduled' JOIN meeting_occurrences o2 "
           "ON o2.meeting_id = m2.id AND o2.starts_at < o.ends_at AND o2.ends_at > o.starts_at "
           "JOIN rooms rm ON rm.id = m2.room_id ORDER BY o2.starts_at LIMIT 20",
           {meeting_id, std::int64_t{occurrences}, meeting_id}))
    out.push_back(
        {r.text(0), r.int64(1), r.text(2), r.int64(3), r.text(4), r.int64(5), r.int64(6)});
  // The same people (who have not declined the other meeting).
  for (auto& r : tx.query(
           "SELECT 'person', p.id, p.display_name, m2.id, m2.title, o2.starts_at, o2.ends_at "
           "FROM (SELECT starts_at, ends_at FROM meeting_occurrences WHERE meeting_id = ? ORDER "
           "BY starts_at LIMIT ?) o JOIN meeting_invitees i ON i.meeting_id = ? JOIN "
           "meeting_invitees i2 ON i2.person_id = i.person_id AND i2.meeting_id <> i.meeting_id "
           "AND i2.response <> 'declined' JOIN meetings m2 ON m2.id = i2.meeting_id AND "
           "m2.status = 'scheduled' JOIN meeting_occurrences o2 ON o2.meeting_id = m2.id AND "
           "o2.starts_at < o.ends_at AND o2.ends_at > o.starts_at JOIN people p ON p.id = "
           "i.person_id ORDER BY o2.starts_at, p.display_name LIMIT 50",
           {meeting_id, std::int64_t{occurrences}, meeting_id}))
    out.push_back(
        {r.text(0), r.int64(1), r.text(2), r.int64(3), r.text(4), r.int64(5), r.int64(6)});
  return out;
}

namespace {
// An occurrence as lists show it, from the columns upcoming() and room_occurrences() select
// (m.id … p.display_name, then the occurrence's start and end).
constexpr const char* kOccurrenceCols =
    "m.id, m.room_id, m.organiser_id, m.title, m.time_zone, m.duration, m.rrule, m.status, "
    "r.name, p.display_name";

Upcoming upcoming_from(const Row& r) {
  Upcoming u;
  u.meeting.id = r.int64(0);
  u.meeting.room_id = r.int64(1);
  u.meeting.organiser_id = r.int64(2);
  u.meeting.title = r.text(3);
  u.meeting.time_zone = r.text(4);
  u.meeting.duration = r.int64(5);
  u.meeting.rrule = r.opt_text(6);
  u.meeting.status = r.text(7);
  u.meeting.room_name = r.text(8);
  u.meeting.organiser_name = r.text(9);
  u.starts_at = r.int64(10);
  u.ends_at = r.int64(11);
  return u;
}
}  // namespace

std::vector<Upcoming> upcoming(Tx& tx, std::int64_t person_id, std::int64_t from, std::int64_t to,
                               int limit, const ListFilter& f) {
  std::vector<Upcoming> out;
  // One range of the person's attendance index (a meeting lasts at most a day, which bounds
  // how early one still running may have started), and only what the list shows. The words
  // are matched folded in C++ (SQLite's LOWER() knows only ASCII), so with words the SQL has
  // no limit and the range is bounded by the caller instead.
  std::string sql =
      std::string("SELECT ") + kOccurrenceCols +
      ", a.starts_at, a.ends_at, i.response FROM "
      "meeting_attendance a JOIN meetings m ON m.id = a.meeting_id JOIN rooms r ON r.id = "
      "m.room_id JOIN people p ON p.id = m.organiser_id JOIN meeting_invitees i ON "
      "i.meeting_id = a.meeting_id AND i.person_id = a.person_id WHERE a.person_id = ? AND "
      "a.starts_at > ? AND a.starts_at < ? AND a.ends_at > ?";
  std::vector<Value> params{person_id, from - 86400, to, from};
  if (f.room_id) {
    sql += " AND m.room_id = ?";
    params.emplace_back(*f.room_id);
  }
  if (f.response) {
    sql += " AND i.response = ?";
    params.emplace_back(*f.response);
  }
  if (f.organised) sql += " AND m.organiser_id = a.person_id";
  if (f.status) {
    sql += " AND m.status = ?";
    params.emplace_back(*f.status);
  }
  sql += f.newest_first ? " ORDER BY a.starts_at DESC, a.meeting_id DESC"
                        : " ORDER BY a.starts_at, a.meeting_id";
  const auto& words = f.words;
  if (words.empty()) {
    sql += " LIMIT ?";
    params.emplace_back(std::int64_t{limit} + f.skip);
  }
  std::int64_t skipped = 0;
  for (auto& r : tx.query(sql, params)) {
    if (!words.empty()) {
      auto hay = " " + fold_for_search(r.text(3) + " " + r.text(8) + " " + r.text(9));
      bool all = true;
      for (auto& w : words)
        if (hay.find(" " + w) == std::string::npos) all = false;
      if (!all) continue;
    }
    if (skipped++ < f.skip) continue;
    if (static_cast<int>(out.size()) >= limit) break;
    auto u = upcoming_from(r);
    u.response = r.text(12);
    out.push_back(std::move(u));
  }
  return out;
}

std::vector<std::pair<Meeting, std::string>> feed_meetings(Tx& tx, std::int64_t person_id,
                                                           std::int64_t since) {
  std::vector<std::pair<Meeting, std::string>> out;
  for (auto& r : tx.query(std::string("SELECT ") + kMeetingCols +
                              ", i.response FROM meeting_invitees i JOIN meetings m ON m.id = "
                              "i.meeting_id JOIN rooms r ON r.id = m.room_id JOIN people p ON "
                              "p.id = m.organiser_id WHERE i.person_id = ? AND i.response <> "
                              "'declined' AND (m.ends_at >= ? OR m.rrule IS NOT NULL) ORDER BY "
                              "m.starts_at DESC LIMIT 2000",
                          {person_id, since}))
    out.emplace_back(meeting_from(r), r.text(19));
  return out;
}

std::vector<Upcoming> room_occurrences(Tx& tx, std::int64_t room_id, std::int64_t from,
                                       std::int64_t to, int limit) {
  std::vector<Upcoming> out;
  for (auto& r :
       tx.query(std::string("SELECT ") + kOccurrenceCols +
                    ", o.starts_at, o.ends_at FROM meetings m JOIN "
                    "meeting_occurrences o ON o.meeting_id = m.id AND o.starts_at > ? AND "
                    "o.starts_at < ? "
                    "AND o.ends_at > ? JOIN rooms r ON r.id = m.room_id JOIN people p ON p.id = "
                    "m.organiser_id WHERE m.room_id = ? ORDER BY o.starts_at, m.id LIMIT ?",
                {from - 86400, to, from, room_id, std::int64_t{limit}})) {
    out.push_back(upcoming_from(r));
  }
  return out;
}

std::vector<std::int64_t> to_extend(Tx& tx, std::int64_t until) {
  std::vector<std::int64_t> out;
  for (auto& r :
       tx.query("SELECT id FROM meetings WHERE rrule IS NOT NULL AND status = 'scheduled' AND "
                "expanded_until < ? ORDER BY id LIMIT 10000",
                {until}))
    out.push_back(r.int64(0));
  return out;
}

std::vector<std::int64_t> meetings_of(Tx& tx, std::int64_t person_id) {
  std::vector<std::int64_t> out;
  for (auto& r :
       tx.query("SELECT meeting_id FROM meeting_invitees WHERE person_id = ?", {person_id}))
    out.push_back(r.int64(0));
  return out;
}

std::optional<std::string> meeting_title_for(Tx& tx, std::int64_t id, std::int64_t person_id) {
  auto r = person_id == 0
               ? tx.one("SELECT title FROM meetings WHERE id = ?", {id})
               : tx.one(
                     "SELECT m.title FROM meetings m JOIN meeting_invitees i ON i.meeting_id = "
                     "m.id AND i.person_id = ? WHERE m.id = ?",
                     {person_id, id});
  if (!r) return std::nullopt;
  return r->text(0);
}

std::vector<std::pair<std::int64_t, std::string>> search_meetings(Tx& tx, std::int64_t person_id,
                                                                  const std::string& folded) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  // Titles are compared folded in C++ (SQLite's LOWER() knows only ASCII); recent ones first.
  for (auto& r : tx.query(
           "SELECT m.id, m.title FROM meetings m JOIN meeting_invitees i ON i.meeting_id = m.id "
           "AND i.person_id = ? ORDER BY m.starts_at DESC LIMIT 500",
           {person_id}))
    if (fold_case(r.text(1)).find(folded) != std::string::npos && out.size() < 10)
      out.emplace_back(r.int64(0), r.text(1));
  return out;
}

// ---------------------------------------------------------------- guests

namespace {
constexpr const char* kGuestCols =
    "SELECT g.id, g.meeting_id, g.person_id, p.email, p.display_name, g.created_at, "
    "g.expires_at, g.used_at, g.revoked_at, g.starts_at FROM meeting_guest_links g JOIN people p "
    "ON p.id = g.person_id ";

GuestLink guest_from(const Row& r) {
  GuestLink g;
  g.id = r.int64(0);
  g.meeting_id = r.int64(1);
  g.person_id = r.int64(2);
  g.email = r.opt_text(3).value_or("");
  g.display_name = r.text(4);
  g.created_at = r.int64(5);
  g.expires_at = r.int64(6);
  g.used_at = r.opt_int64(7);
  g.revoked_at = r.opt_int64(8);
  g.starts_at = r.int64(9);
  return g;
}
}  // namespace

std::int64_t insert_guest_link(Tx& tx, const GuestLink& g, const std::string& token_hash) {
  return tx.insert(
      "INSERT INTO meeting_guest_links (meeting_id, person_id, token_hash, created_at, "
      "starts_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
      {g.meeting_id, g.person_id, token_hash, g.created_at, g.starts_at, g.expires_at});
}

std::vector<GuestLink> guest_links(Tx& tx, std::int64_t meeting_id) {
  std::vector<GuestLink> out;
  for (auto& r :
       tx.query(std::string(kGuestCols) + "WHERE g.meeting_id = ? ORDER BY g.id", {meeting_id}))
    out.push_back(guest_from(r));
  return out;
}

std::optional<GuestLink> guest_link(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string(kGuestCols) + "WHERE g.id = ?", {id});
  return r ? std::optional(guest_from(*r)) : std::nullopt;
}

std::optional<GuestLink> guest_link_by_token(Tx& tx, const std::string& token_hash) {
  auto r = tx.one(std::string(kGuestCols) + "WHERE g.token_hash = ?", {token_hash});
  return r ? std::optional(guest_from(*r)) : std::nullopt;
}

bool use_guest_link(Tx& tx, std::int64_t id, std::int64_t now) {
  return tx.exec(
             "UPDATE meeting_guest_links SET used_at = ? WHERE id = ? AND used_at IS NULL AND "
             "revoked_at IS NULL AND expires_at > ?",
             {now, id, now}) == 1;
}

// ---------------------------------------------------------------- calls

std::int64_t insert_call(Tx& tx, const Call& c) {
  return tx.insert(
      "INSERT INTO calls (meeting_id, caller_id, callee_id, state, created_at) VALUES (?, ?, ?, "
      "?, ?)",
      {c.meeting_id, c.caller_id, c.callee_id, c.state, c.created_at});
}

namespace {
constexpr const char* kCallCols =
    "SELECT c.id, c.meeting_id, m.room_id, c.caller_id, c.callee_id, a.display_name, "
    "b.display_name, c.state, c.message, c.created_at, c.answered_at, c.ended_at FROM calls c "
    "JOIN meetings m ON m.id = c.meeting_id JOIN people a ON a.id = c.caller_id JOIN people b "
    "ON b.id = c.callee_id ";

Call call_from(const Row& r) {
  Call c;
  c.id = r.int64(0);
  c.meeting_id = r.int64(1);
  c.room_id = r.int64(2);
  c.caller_id = r.int64(3);
  c.callee_id = r.int64(4);
  c.caller_name = r.text(5);
  c.callee_name = r.text(6);
  c.state = r.text(7);
  c.message = r.text(8);
  c.created_at = r.int64(9);
  c.answered_at = r.opt_int64(10);
  c.ended_at = r.opt_int64(11);
  return c;
}
}  // namespace

std::optional<Call> call(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string(kCallCols) + "WHERE c.id = ?", {id});
  if (!r) return std::nullopt;
  return call_from(*r);
}

std::vector<Call> calls_of(Tx& tx, std::int64_t person_id, bool live, std::int64_t now, int limit) {
  // Live: ringing, or accepted and its meeting (the room's time) not over.
  std::string states =
      live ? " AND (c.state = 'ringing' OR (c.state = 'accepted' AND m.ends_at > ?))" : "";
  std::vector<Value> params{person_id};
  if (live) params.emplace_back(now);
  params.emplace_back(person_id);
  if (live) params.emplace_back(now);
  params.emplace_back(std::int64_t{limit});
  std::vector<Call> out;
  // Two index ranges (made, received) rather than an OR that neither index serves.
  for (auto& r :
       tx.query(std::string(kCallCols) + "WHERE c.caller_id = ?" + states + " UNION ALL " +
                    kCallCols + "WHERE c.callee_id = ?" + states + " ORDER BY 1 DESC LIMIT ?",
                params))
    out.push_back(call_from(r));
  return out;
}

std::optional<std::int64_t> ringing_call_of(Tx& tx, std::int64_t caller_id) {
  auto r = tx.one("SELECT id FROM calls WHERE caller_id = ? AND state = 'ringing'", {caller_id});
  return r ? std::optional(r->int64(0)) : std::nullopt;
}

bool set_call_state(Tx& tx, std::int64_t id, const std::string& from, const std::string& state,
                    const std::string& message, std::optional<std::int64_t> answered_at,
                    std::optional<std::int64_t> ended_at) {
  return tx.exec(
             "UPDATE calls SET state = ?, message = ?, answered_at = COALESCE(answered_at, ?), "
             "ended_at = COALESCE(ended_at, ?) WHERE id = ? AND state = ?",
             {state, message, store::opt(answered_at), store::opt(ended_at), id, from}) == 1;
}

void end_meeting_at(Tx& tx, std::int64_t meeting_id, std::int64_t t, bool cancelled) {
  tx.exec(
      "UPDATE meetings SET ends_at = ?, duration = ? - starts_at, status = ?, sequence = sequence "
      "+ 1, updated_at = ? WHERE id = ?",
      {t, t, std::string(cancelled ? "cancelled" : "scheduled"), t, meeting_id});
  tx.exec("UPDATE meeting_occurrences SET ends_at = ? WHERE meeting_id = ?", {t, meeting_id});
  tx.exec("UPDATE meeting_attendance SET ends_at = ? WHERE meeting_id = ?", {t, meeting_id});
}

// ---------------------------------------------------------------- reminders

std::vector<int> reminder_rows(Tx& tx, std::int64_t person_id,
                               std::optional<std::int64_t> meeting_id) {
  std::vector<int> out;
  auto rows = meeting_id
                  ? tx.query(
                        "SELECT minutes FROM reminder_offsets WHERE person_id = ? AND meeting_id = "
                        "? ORDER BY minutes DESC",
                        {person_id, *meeting_id})
                  : tx.query(
                        "SELECT minutes FROM reminder_offsets WHERE person_id = ? AND meeting_id "
                        "IS NULL ORDER BY minutes DESC",
                        {person_id});
  for (auto& r : rows) out.push_back(static_cast<int>(r.int64(0)));
  return out;
}

void set_reminder_rows(Tx& tx, std::int64_t person_id, std::optional<std::int64_t> meeting_id,
                       const std::vector<int>& minutes) {
  if (meeting_id)
    tx.exec("DELETE FROM reminder_offsets WHERE person_id = ? AND meeting_id = ?",
            {person_id, *meeting_id});
  else
    tx.exec("DELETE FROM reminder_offsets WHERE person_id = ? AND meeting_id IS NULL", {person_id});
  // "None" is a row of its own (-1), so that it overrides the defaults.
  std::vector<int> rows = minutes.empty() ? std::vector<int>{-1} : minutes;
  for (auto m : rows)
    tx.exec("INSERT INTO reminder_offsets (person_id, meeting_id, minutes) VALUES (?, ?, ?)",
            {person_id, store::opt(meeting_id), std::int64_t{m}});
}

std::vector<int> offsets_in_use(Tx& tx, const std::vector<int>& defaults) {
  std::vector<int> out = defaults;
  for (auto& r : tx.query("SELECT DISTINCT minutes FROM reminder_offsets WHERE minutes >= 0"))
    if (std::find(out.begin(), out.end(), static_cast<int>(r.int64(0))) == out.end())
      out.push_back(static_cast<int>(r.int64(0)));
  return out;
}

std::vector<Due> due(Tx& tx, std::int64_t from, std::int64_t to, std::int64_t now, int minutes,
                     const std::vector<int>& defaults) {
  bool by_default = std::find(defaults.begin(), defaults.end(), minutes) != defaults.end();
  std::vector<Due> out;
  // One's choice for the meeting, else one's defaults, else the system's.
  for (auto& r : tx.query(
           "SELECT o.meeting_id, i.person_id, o.starts_at, p.email, p.display_name FROM "
           "meeting_occurrences o JOIN meetings m ON m.id = o.meeting_id AND m.status = "
           "'scheduled' JOIN meeting_invitees i ON i.meeting_id = o.meeting_id AND i.response <> "
           "'declined' JOIN people p ON p.id = i.person_id AND p.status <> 'disabled' WHERE "
           "o.starts_at > ? AND o.starts_at <= ? AND o.ends_at > ? AND NOT EXISTS (SELECT 1 FROM "
           "reminders_sent s "
           "WHERE s.meeting_id = o.meeting_id AND s.person_id = i.person_id AND "
           "s.occurrence_start = o.starts_at AND s.minutes = ?) AND (EXISTS (SELECT 1 FROM "
           "reminder_offsets r WHERE r.person_id = i.person_id AND r.meeting_id = o.meeting_id "
           "AND r.minutes = ?) OR (NOT EXISTS (SELECT 1 FROM reminder_offsets r WHERE "
           "r.person_id = i.person_id AND r.meeting_id = o.meeting_id) AND (EXISTS (SELECT 1 "
           "FROM reminder_offsets r WHERE r.person_id = i.person_id AND r.meeting_id IS NULL AND "
           "r.minutes = ?) OR (? = 1 AND NOT EXISTS (SELECT 1 FROM reminder_offsets r WHERE "
           "r.person_id = i.person_id AND r.meeting_id IS NULL))))) ORDER BY o.starts_at",
           {from, to, now, std::int64_t{minutes}, std::int64_t{minutes}, std::int64_t{minutes},
            std::int64_t{by_default ? 1 : 0}}))
    out.push_back({r.int64(0), r.int64(1), r.int64(2), r.opt_text(3), r.text(4)});
  return out;
}

bool mark_reminder_sent(Tx& tx, std::int64_t meeting_id, std::int64_t person_id,
                        std::int64_t starts_at, int minutes, std::int64_t now) {
  return tx.exec(
             "INSERT INTO reminders_sent (meeting_id, person_id, occurrence_start, minutes, "
             "sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
             {meeting_id, person_id, starts_at, std::int64_t{minutes}, now}) == 1;
}

std::optional<std::int64_t> swept_until(Tx& tx) {
  auto r = tx.one("SELECT value FROM workspace_state WHERE key = 'reminders_swept_until'");
  if (!r) return std::nullopt;
  return r->int64(0);
}

void set_swept_until(Tx& tx, std::int64_t t) {
  if (tx.exec("UPDATE workspace_state SET value = ? WHERE key = 'reminders_swept_until' AND "
              "value < ?",
              {t, t}) == 0)
    tx.exec(
        "INSERT INTO workspace_state (key, value) VALUES ('reminders_swept_until', ?) ON "
        "CONFLICT DO NOTHING",
        {t});
}

// ---------------------------------------------------------------- notifications

std::int64_t add_notification(Tx& tx, const Notification& n) {
  return tx.insert(
      "INSERT INTO notifications (person_id, kind, title, body, link, data, created_at) VALUES "
      "(?, ?, ?, ?, ?, ?, ?)",
      {n.person_id, n.kind, n.title, n.body, n.link, n.data, n.created_at});
}

std::vector<Notification> notifications(Tx& tx, std::int64_t person_id, bool unread_only,
                                        std::optional<std::int64_t> before, int limit) {
  std::string sql =
      "SELECT id, person_id, kind, title, body, link, data, created_at, read_at FROM "
      "notifications "
      "WHERE person_id = ?";
  std::vector<Value> params{person_id};
  if (unread_only) sql += " AND read_at IS NULL";
  if (before) {
    sql += " AND id < ?";
    params.push_back(*before);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.push_back(std::int64_t{limit});
  std::vector<Notification> out;
  for (auto& r : tx.query(sql, params))
    out.push_back({r.int64(0), r.int64(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6),
                   r.int64(7), r.opt_int64(8)});
  return out;
}

std::int64_t unread_count(Tx& tx, std::int64_t person_id) {
  return tx
      .one("SELECT COUNT(*) FROM notifications WHERE person_id = ? AND read_at IS NULL",
           {person_id})
      ->int64(0);
}

}  // namespace ratusha::workspace::db
