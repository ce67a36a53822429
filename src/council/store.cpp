// All SQL of the council module.
#include "council/store.hpp"

#include <algorithm>

#include "core/json.hpp"

namespace ratusha::council::db {

namespace {

constexpr const char* kBodyCols =
    "b.unit_id, u.name, b.kind, b.jurisdiction, b.seats, b.term_start, b.term_end, b.time_zone, "
    "b.vote_change, b.camera_required, "
    "(SELECT pu.id FROM units pu WHERE pu.id = u.parent_id AND pu.kind = 'body'), b.created_at, "
    "b.updated_at";

Body body_from(const store::Row& r) {
  Body b;
  b.id = r.int64(0);
  b.name = r.text(1);
  b.kind = r.text(2);
  b.jurisdiction = r.text(3);
  b.seats = r.int64(4);
  b.term_start = r.text(5);
  b.term_end = r.opt_text(6);
  b.time_zone = r.text(7);
  b.vote_change = r.int64(8) != 0;
  b.camera_required = r.int64(9) != 0;
  b.parent_id = r.opt_int64(10);
  b.created_at = r.int64(11);
  b.updated_at = r.int64(12);
  return b;
}

constexpr const char* kMemberCols =
    "m.id, m.body_id, m.person_id, p.display_name, m.role, m.seat, m.group_id, "
    "COALESCE(g.name, ''), m.from_date, m.to_date";

Membership membership_from(const store::Row& r) {
  Membership m;
  m.id = r.int64(0);
  m.body_id = r.int64(1);
  m.person_id = r.int64(2);
  m.display_name = r.text(3);
  m.role = r.text(4);
  m.seat = r.text(5);
  m.group_id = r.opt_int64(6);
  m.group_name = r.text(7);
  m.from_date = r.text(8);
  m.to_date = r.opt_text(9);
  return m;
}

constexpr const char* kSittingCols =
    "s.id, s.body_id, u.name, b.jurisdiction, b.seats, s.number, s.kind, s.mode, s.title, "
    "s.place, s.time_zone, s.local_start, s.starts_at, s.duration, s.status, s.meeting_id, "
    "s.opened_at, s.closed_at, s.created_at, s.updated_at, mt.room_id";
constexpr const char* kSittingFrom =
    " FROM council_sittings s JOIN council_bodies b ON b.unit_id = s.body_id "
    "JOIN units u ON u.id = s.body_id LEFT JOIN meetings mt ON mt.id = s.meeting_id";

Sitting sitting_from(const store::Row& r) {
  Sitting s;
  s.id = r.int64(0);
  s.body_id = r.int64(1);
  s.body_name = r.text(2);
  s.jurisdiction = r.text(3);
  s.seats = r.int64(4);
  s.number = r.int64(5);
  s.kind = r.text(6);
  s.mode = r.text(7);
  s.title = r.text(8);
  s.place = r.text(9);
  s.time_zone = r.text(10);
  s.local_start = r.text(11);
  s.starts_at = r.int64(12);
  s.duration = r.int64(13);
  s.status = r.text(14);
  s.meeting_id = r.opt_int64(15);
  s.opened_at = r.opt_int64(16);
  s.closed_at = r.opt_int64(17);
  s.created_at = r.int64(18);
  s.updated_at = r.int64(19);
  s.room_id = r.opt_int64(20);
  return s;
}

constexpr const char* kItemCols =
    "id, sitting_id, position, title, rapporteur, draft, majority, base, num, den, strict, "
    "named_required, status, added_by_vote";

Item item_from(const store::Row& r) {
  Item i;
  i.id = r.int64(0);
  i.sitting_id = r.int64(1);
  i.position = r.int64(2);
  i.title = r.text(3);
  i.rapporteur = r.text(4);
  i.draft = r.text(5);
  i.majority.id = r.text(6);
  i.majority.base = base_from(r.text(7)).value_or(Base::present);
  i.majority.fraction = {r.int64(8), r.int64(9), r.int64(10) != 0};
  i.named_required = r.int64(11) != 0;
  i.status = r.text(12);
  i.added_by_vote = r.opt_int64(13);
  return i;
}

constexpr const char* kVoteCols =
    "id, sitting_id, item_id, agenda_change_id, number, title, kind, options, majority, base, "
    "num, den, strict, quorum_num, quorum_den, quorum_strict, seats, present, entitled, "
    "vote_change, manual, status, opened_at, closes_at, closed_at, opened_by, closed_by, result, "
    "tally, repeat_of, repeat_reason, ledger_seq, ledger_head, voted, "
    "(SELECT c.kind FROM council_agenda_changes c WHERE c.id = council_votes.agenda_change_id)";

Vote vote_from(const store::Row& r) {
  Vote v;
  v.id = r.int64(0);
  v.sitting_id = r.int64(1);
  v.item_id = r.opt_int64(2);
  v.agenda_change_id = r.opt_int64(3);
  v.number = r.int64(4);
  v.title = r.text(5);
  v.kind = r.text(6);
  try {
    auto options = json::parse(r.text(7));
    for (auto& o : options.as_array()) v.options.emplace_back(o.as_string());
  } catch (...) {
  }
  v.majority.id = r.text(8);
  v.majority.base = base_from(r.text(9)).value_or(Base::present);
  v.majority.fraction = {r.int64(10), r.int64(11), r.int64(12) != 0};
  v.quorum = {r.int64(13), r.int64(14), r.int64(15) != 0};
  v.seats = r.int64(16);
  v.present = r.int64(17);
  v.entitled = r.int64(18);
  v.vote_change = r.int64(19) != 0;
  v.manual = r.int64(20) != 0;
  v.status = r.text(21);
  v.opened_at = r.int64(22);
  v.closes_at = r.opt_int64(23);
  v.closed_at = r.opt_int64(24);
  v.opened_by = r.opt_int64(25);
  v.closed_by = r.opt_int64(26);
  v.result = r.opt_text(27);
  v.tally = r.text(28);
  v.repeat_of = r.opt_int64(29);
  v.repeat_reason = r.text(30);
  v.ledger_seq = r.int64(31);
  v.ledger_head = r.text(32);
  v.voted = r.int64(33);
  v.agenda_change_kind = r.opt_text(34);
  return v;
}

Voter voter_from(const store::Row& r) {
  Voter v;
  v.person_id = r.int64(0);
  v.name = r.text(1);
  v.group_name = r.text(2);
  v.status = r.text(3);
  v.voted = r.int64(4) != 0;
  return v;
}

constexpr const char* kLedgerCols =
    "vote_id, seq, kind, payload, prev_hash, hash, signature, receipt";

LedgerEntry entry_from(const store::Row& r) {
  LedgerEntry e;
  e.vote_id = r.int64(0);
  e.seq = r.int64(1);
  e.kind = r.text(2);
  e.payload = r.text(3);
  e.prev_hash = r.text(4);
  e.hash = r.text(5);
  e.signature = r.text(6);
  e.receipt = r.opt_text(7);
  return e;
}

}  // namespace

// At most this many rows in one INSERT: PostgreSQL takes at most 65,535 parameters.
constexpr std::size_t kRowsPerInsert = 500;

// ---------------------------------------------------------------- bodies

std::vector<Body> bodies(Tx& tx) {
  std::vector<Body> out;
  for (auto& r :
       tx.query(std::string("SELECT ") + kBodyCols +
                " FROM council_bodies b JOIN units u ON u.id = b.unit_id "
                "ORDER BY CASE WHEN b.kind = 'council' THEN 0 ELSE 1 END, u.name, b.unit_id"))
    out.push_back(body_from(r));
  return out;
}

std::optional<Body> body(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kBodyCols +
                      " FROM council_bodies b JOIN units u ON u.id = b.unit_id WHERE b.unit_id = ?",
                  {id});
  if (!r) return std::nullopt;
  return body_from(*r);
}

void insert_body(Tx& tx, const Body& b) {
  tx.exec(
      "INSERT INTO council_bodies (unit_id, kind, jurisdiction, seats, term_start, term_end, "
      "time_zone, vote_change, camera_required, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {b.id, b.kind, b.jurisdiction, b.seats, b.term_start, store::opt(b.term_end), b.time_zone,
       std::int64_t{b.vote_change}, std::int64_t{b.camera_required}, b.created_at, b.updated_at});
}

void update_body(Tx& tx, const Body& b) {
  tx.exec(
      "UPDATE council_bodies SET kind = ?, jurisdiction = ?, seats = ?, term_start = ?, "
      "term_end = ?, time_zone = ?, vote_change = ?, camera_required = ?, updated_at = ? "
      "WHERE unit_id = ?",
      {b.kind, b.jurisdiction, b.seats, b.term_start, store::opt(b.term_end), b.time_zone,
       std::int64_t{b.vote_change}, std::int64_t{b.camera_required}, b.updated_at, b.id});
  tx.exec("UPDATE units SET name = ? WHERE id = ?", {b.name, b.id});
}

std::vector<Group> groups(Tx& tx, std::int64_t body_id) {
  std::vector<Group> out;
  for (auto& r : tx.query("SELECT id, body_id, name, short_name FROM council_groups WHERE "
                          "body_id = ? ORDER BY name",
                          {body_id}))
    out.push_back({r.int64(0), r.int64(1), r.text(2), r.text(3)});
  return out;
}

std::optional<Group> group(Tx& tx, std::int64_t id) {
  auto r = tx.one("SELECT id, body_id, name, short_name FROM council_groups WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return Group{r->int64(0), r->int64(1), r->text(2), r->text(3)};
}

std::int64_t insert_group(Tx& tx, std::int64_t body_id, const std::string& name,
                          const std::string& short_name, std::int64_t now) {
  return tx.insert(
      "INSERT INTO council_groups (body_id, name, short_name, created_at) VALUES (?, ?, ?, ?)",
      {body_id, name, short_name, now});
}

// ---------------------------------------------------------------- memberships

std::vector<Membership> memberships(Tx& tx, std::int64_t body_id, const std::string& on) {
  std::string sql = std::string("SELECT ") + kMemberCols +
                    " FROM council_memberships m JOIN people p ON p.id = m.person_id "
                    "LEFT JOIN council_groups g ON g.id = m.group_id WHERE m.body_id = ?";
  std::vector<store::Value> params{body_id};
  if (!on.empty()) {
    sql += " AND m.from_date <= ? AND (m.to_date IS NULL OR m.to_date >= ?)";
    params.push_back(on);
    params.push_back(on);
  }
  sql += " ORDER BY p.display_name, m.person_id, m.from_date";
  std::vector<Membership> out;
  for (auto& r : tx.query(sql, params)) out.push_back(membership_from(r));
  return out;
}

std::optional<Membership> membership(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kMemberCols +
                      " FROM council_memberships m JOIN people p ON p.id = m.person_id "
                      "LEFT JOIN council_groups g ON g.id = m.group_id WHERE m.id = ?",
                  {id});
  if (!r) return std::nullopt;
  return membership_from(*r);
}

std::int64_t insert_membership(Tx& tx, const Membership& m, std::int64_t now) {
  return tx.insert(
      "INSERT INTO council_memberships (body_id, person_id, role, seat, group_id, from_date, "
      "to_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {m.body_id, m.person_id, m.role, m.seat, store::opt(m.group_id), m.from_date,
       store::opt(m.to_date), now, now});
}

void update_membership(Tx& tx, const Membership& m, std::int64_t now) {
  tx.exec(
      "UPDATE council_memberships SET role = ?, seat = ?, group_id = ?, from_date = ?, "
      "to_date = ?, updated_at = ? WHERE id = ?",
      {m.role, m.seat, store::opt(m.group_id), m.from_date, store::opt(m.to_date), now, m.id});
}

std::vector<Membership> places_of(Tx& tx, std::int64_t body_id, std::int64_t person_id) {
  std::vector<Membership> out;
  for (auto& r : tx.query("SELECT role, from_date, to_date FROM council_memberships WHERE "
                          "body_id = ? AND person_id = ?",
                          {body_id, person_id})) {
    Membership m;
    m.body_id = body_id;
    m.person_id = person_id;
    m.role = r.text(0);
    m.from_date = r.text(1);
    m.to_date = r.opt_text(2);
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::pair<std::int64_t, std::int64_t>> places_changing(Tx& tx, const std::string& from,
                                                                   const std::string& to) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (auto& r : tx.query("SELECT DISTINCT body_id, person_id FROM council_memberships WHERE "
                          "(to_date >= ? AND to_date <= ?) OR (from_date >= ? AND from_date <= ?) "
                          "ORDER BY body_id, person_id",
                          {from, to, from, to}))
    out.emplace_back(r.int64(0), r.int64(1));
  return out;
}

std::vector<std::string> roles_on(Tx& tx, std::int64_t body_id, std::int64_t person_id,
                                  const std::string& on) {
  std::vector<std::string> out;
  for (auto& r : tx.query("SELECT role FROM council_memberships WHERE body_id = ? AND "
                          "person_id = ? AND from_date <= ? AND (to_date IS NULL OR to_date >= ?)",
                          {body_id, person_id, on, on}))
    out.push_back(r.text(0));
  return out;
}

// ---------------------------------------------------------------- sittings

std::optional<Sitting> sitting(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kSittingCols + kSittingFrom + " WHERE s.id = ?", {id});
  if (!r) return std::nullopt;
  return sitting_from(*r);
}

std::vector<Sitting> sittings(Tx& tx, const SittingFilter& f) {
  std::string sql = std::string("SELECT ") + kSittingCols + kSittingFrom + " WHERE 1 = 1";
  std::vector<store::Value> p;
  if (f.body_id) {
    sql += " AND s.body_id = ?";
    p.push_back(*f.body_id);
  }
  if (f.status) {
    sql += " AND s.status = ?";
    p.push_back(*f.status);
  }
  if (f.from) {
    sql += " AND s.starts_at >= ?";
    p.push_back(*f.from);
  }
  if (f.before_start) {
    sql += " AND s.starts_at < ?";
    p.push_back(*f.before_start);
  }
  sql += f.from ? " ORDER BY s.starts_at, s.id" : " ORDER BY s.starts_at DESC, s.id DESC";
  sql += " LIMIT " + std::to_string(f.limit);
  std::vector<Sitting> out;
  for (auto& r : tx.query(sql, p)) out.push_back(sitting_from(r));
  return out;
}

std::optional<Sitting> sitting_of_meeting(Tx& tx, std::int64_t meeting_id) {
  auto r = tx.one(std::string("SELECT ") + kSittingCols + kSittingFrom + " WHERE s.meeting_id = ?",
                  {meeting_id});
  if (!r) return std::nullopt;
  return sitting_from(*r);
}

std::int64_t next_sitting_number(Tx& tx, std::int64_t body_id) {
  auto r = tx.one("SELECT COALESCE(MAX(number), 0) + 1 FROM council_sittings WHERE body_id = ?",
                  {body_id});
  return r->int64(0);
}

std::int64_t insert_sitting(Tx& tx, const Sitting& s, std::optional<std::int64_t> by) {
  return tx.insert(
      "INSERT INTO council_sittings (body_id, number, kind, mode, title, place, time_zone, "
      "local_start, starts_at, duration, status, meeting_id, created_by, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {s.body_id, s.number, s.kind, s.mode, s.title, s.place, s.time_zone, s.local_start,
       s.starts_at, s.duration, s.status, store::opt(s.meeting_id), store::opt(by), s.created_at,
       s.updated_at});
}

void update_sitting(Tx& tx, const Sitting& s) {
  tx.exec(
      "UPDATE council_sittings SET kind = ?, mode = ?, title = ?, place = ?, time_zone = ?, "
      "local_start = ?, starts_at = ?, duration = ?, status = ?, meeting_id = ?, opened_at = ?, "
      "closed_at = ?, updated_at = ? WHERE id = ?",
      {s.kind, s.mode, s.title, s.place, s.time_zone, s.local_start, s.starts_at, s.duration,
       s.status, store::opt(s.meeting_id), store::opt(s.opened_at), store::opt(s.closed_at),
       s.updated_at, s.id});
}

// ---------------------------------------------------------------- agenda

std::vector<Item> items(Tx& tx, std::int64_t sitting_id) {
  std::vector<Item> out;
  for (auto& r : tx.query(std::string("SELECT ") + kItemCols +
                              " FROM council_items WHERE sitting_id = ? ORDER BY position, id",
                          {sitting_id}))
    out.push_back(item_from(r));
  return out;
}

std::optional<Item> item(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kItemCols + " FROM council_items WHERE id = ?", {id});
  if (!r) return std::nullopt;
  return item_from(*r);
}

std::int64_t insert_item(Tx& tx, const Item& i, std::int64_t now) {
  return tx.insert(
      "INSERT INTO council_items (sitting_id, position, title, rapporteur, draft, majority, base, "
      "num, den, strict, named_required, status, added_by_vote, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {i.sitting_id, i.position, i.title, i.rapporteur, i.draft, i.majority.id,
       std::string(to_string(i.majority.base)), i.majority.fraction.num, i.majority.fraction.den,
       std::int64_t{i.majority.fraction.strict}, std::int64_t{i.named_required}, i.status,
       store::opt(i.added_by_vote), now, now});
}

void update_item(Tx& tx, const Item& i, std::int64_t now) {
  tx.exec(
      "UPDATE council_items SET position = ?, title = ?, rapporteur = ?, draft = ?, majority = ?, "
      "base = ?, num = ?, den = ?, strict = ?, named_required = ?, status = ?, updated_at = ? "
      "WHERE id = ?",
      {i.position, i.title, i.rapporteur, i.draft, i.majority.id,
       std::string(to_string(i.majority.base)), i.majority.fraction.num, i.majority.fraction.den,
       std::int64_t{i.majority.fraction.strict}, std::int64_t{i.named_required}, i.status, now,
       i.id});
}

std::optional<AgendaChange> agenda_change(Tx& tx, std::int64_t id) {
  auto r = tx.one(
      "SELECT id, sitting_id, kind, status, item_id, position, payload FROM "
      "council_agenda_changes WHERE id = ?",
      {id});
  if (!r) return std::nullopt;
  AgendaChange c;
  c.id = r->int64(0);
  c.sitting_id = r->int64(1);
  c.kind = r->text(2);
  c.status = r->text(3);
  c.item_id = r->opt_int64(4);
  c.position = r->opt_int64(5);
  c.payload = r->text(6);
  return c;
}

std::int64_t insert_agenda_change(Tx& tx, const AgendaChange& c, std::int64_t by,
                                  std::int64_t now) {
  return tx.insert(
      "INSERT INTO council_agenda_changes (sitting_id, kind, item_id, position, payload, status, "
      "created_by, created_at) VALUES (?, ?, ?, ?, ?, 'proposed', ?, ?)",
      {c.sitting_id, c.kind, store::opt(c.item_id), store::opt(c.position), c.payload, by, now});
}

void set_agenda_change_status(Tx& tx, std::int64_t id, const std::string& status) {
  tx.exec("UPDATE council_agenda_changes SET status = ? WHERE id = ?", {status, id});
}

// ---------------------------------------------------------------- attendance

std::optional<Presence> presence(Tx& tx, std::int64_t sitting_id, std::int64_t person_id) {
  auto r = tx.one(
      "SELECT present, remote FROM council_attendance WHERE sitting_id = ? AND person_id = ?",
      {sitting_id, person_id});
  if (!r) return std::nullopt;
  return Presence{r->int64(0) != 0, r->int64(1) != 0};
}

void set_presence(Tx& tx, std::int64_t sitting_id, std::int64_t person_id, bool present,
                  bool remote, std::int64_t now) {
  if (tx.exec("UPDATE council_attendance SET present = ?, remote = ?, since = ? WHERE "
              "sitting_id = ? AND person_id = ?",
              {std::int64_t{present}, std::int64_t{remote}, now, sitting_id, person_id}) == 0)
    tx.exec(
        "INSERT INTO council_attendance (sitting_id, person_id, present, remote, since) "
        "VALUES (?, ?, ?, ?, ?)",
        {sitting_id, person_id, std::int64_t{present}, std::int64_t{remote}, now});
}

void log_attendance(Tx& tx, std::int64_t sitting_id, std::int64_t person_id,
                    const std::string& event, bool remote, const std::string& how,
                    std::optional<std::int64_t> by, std::int64_t now) {
  tx.exec(
      "INSERT INTO council_attendance_log (sitting_id, person_id, event, remote, how, by_id, at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {sitting_id, person_id, event, std::int64_t{remote}, how, store::opt(by), now});
}

std::vector<std::int64_t> present_people(Tx& tx, std::int64_t sitting_id) {
  std::vector<std::int64_t> out;
  for (auto& r : tx.query("SELECT person_id FROM council_attendance WHERE sitting_id = ? AND "
                          "present = 1 ORDER BY person_id",
                          {sitting_id}))
    out.push_back(r.int64(0));
  return out;
}

std::vector<AttendanceEvent> attendance_log(Tx& tx, std::int64_t sitting_id) {
  std::vector<AttendanceEvent> out;
  for (auto& r : tx.query("SELECT l.id, l.person_id, p.display_name, l.event, l.how, l.remote, "
                          "l.at FROM council_attendance_log l JOIN people p ON p.id = l.person_id "
                          "WHERE l.sitting_id = ? ORDER BY l.id",
                          {sitting_id}))
    out.push_back(
        {r.int64(0), r.int64(1), r.text(2), r.text(3), r.text(4), r.int64(5) != 0, r.int64(6)});
  return out;
}

// ---------------------------------------------------------------- speakers

namespace {
constexpr const char* kSpeakerCols =
    "s.id, s.sitting_id, s.person_id, s.position, s.item_id, s.time_limit, s.started_at, "
    "s.ended_at, p.display_name, s.kind, s.status, s.requested_at";

Speaker speaker_from(const store::Row& r) {
  Speaker s;
  s.id = r.int64(0);
  s.sitting_id = r.int64(1);
  s.person_id = r.int64(2);
  s.position = r.int64(3);
  s.item_id = r.opt_int64(4);
  s.time_limit = r.opt_int64(5);
  s.started_at = r.opt_int64(6);
  s.ended_at = r.opt_int64(7);
  s.display_name = r.text(8);
  s.kind = r.text(9);
  s.status = r.text(10);
  s.requested_at = r.int64(11);
  return s;
}
}  // namespace

std::vector<Speaker> speakers(Tx& tx, std::int64_t sitting_id) {
  std::vector<Speaker> out;
  for (auto& r :
       tx.query(std::string("SELECT ") + kSpeakerCols +
                    " FROM council_speakers s JOIN people p ON p.id = s.person_id WHERE "
                    "s.sitting_id = ? AND s.status <> 'withdrawn' ORDER BY CASE s.status WHEN "
                    "'speaking' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, CASE s.kind WHEN "
                    "'point_of_order' THEN 0 WHEN 'reply' THEN 1 ELSE 2 END, s.position, s.id",
                {sitting_id}))
    out.push_back(speaker_from(r));
  return out;
}

std::optional<Speaker> speaker(Tx& tx, std::int64_t id) {
  auto r = tx.one(std::string("SELECT ") + kSpeakerCols +
                      " FROM council_speakers s JOIN people p ON p.id = s.person_id WHERE s.id = ?",
                  {id});
  if (!r) return std::nullopt;
  return speaker_from(*r);
}

std::int64_t insert_speaker(Tx& tx, const Speaker& s) {
  return tx.insert(
      "INSERT INTO council_speakers (sitting_id, item_id, person_id, kind, status, position, "
      "requested_at) VALUES (?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM "
      "council_speakers WHERE sitting_id = ?), ?)",
      {s.sitting_id, store::opt(s.item_id), s.person_id, s.kind, s.status, s.sitting_id,
       s.requested_at});
}

void update_speaker(Tx& tx, const Speaker& s) {
  tx.exec(
      "UPDATE council_speakers SET status = ?, position = ?, time_limit = ?, started_at = ?, "
      "ended_at = ? WHERE id = ?",
      {s.status, s.position, store::opt(s.time_limit), store::opt(s.started_at),
       store::opt(s.ended_at), s.id});
}

// ---------------------------------------------------------------- conflicts

std::vector<Conflict> conflicts(Tx& tx, std::int64_t sitting_id) {
  std::vector<Conflict> out;
  for (auto& r :
       tx.query("SELECT c.item_id, c.person_id, p.display_name, c.note, c.declared_at FROM "
                "council_conflicts c JOIN council_items i ON i.id = c.item_id JOIN people p ON "
                "p.id = c.person_id WHERE i.sitting_id = ? ORDER BY i.position, p.display_name",
                {sitting_id}))
    out.push_back({r.int64(0), r.int64(1), r.text(2), r.text(3), r.int64(4)});
  return out;
}

bool has_conflict(Tx& tx, std::int64_t item_id, std::int64_t person_id) {
  return tx
      .one("SELECT 1 FROM council_conflicts WHERE item_id = ? AND person_id = ?",
           {item_id, person_id})
      .has_value();
}

void insert_conflict(Tx& tx, std::int64_t item_id, std::int64_t person_id, const std::string& note,
                     std::int64_t now) {
  tx.exec(
      "INSERT INTO council_conflicts (item_id, person_id, note, declared_at) VALUES (?, ?, ?, ?)",
      {item_id, person_id, note, now});
}

// ---------------------------------------------------------------- votes

std::optional<Vote> vote(Tx& tx, std::int64_t id, bool for_update) {
  std::string sql = std::string("SELECT ") + kVoteCols + " FROM council_votes WHERE id = ?";
  // The row lock orders ballots and the close of one vote on PostgreSQL; SQLite has one writer.
  if (for_update && tx.dialect() == store::Dialect::postgresql) sql += " FOR UPDATE";
  auto r = tx.one(sql, {id});
  if (!r) return std::nullopt;
  return vote_from(*r);
}

std::vector<Vote> votes(Tx& tx, std::int64_t sitting_id) {
  std::vector<Vote> out;
  for (auto& r : tx.query(std::string("SELECT ") + kVoteCols +
                              " FROM council_votes WHERE sitting_id = ? ORDER BY number",
                          {sitting_id}))
    out.push_back(vote_from(r));
  return out;
}

std::optional<std::int64_t> open_vote_in(Tx& tx, std::int64_t sitting_id) {
  auto r =
      tx.one("SELECT id FROM council_votes WHERE sitting_id = ? AND status = 'open'", {sitting_id});
  if (!r) return std::nullopt;
  return r->int64(0);
}

std::int64_t insert_vote(Tx& tx, const Vote& v) {
  json::array options;
  for (auto& o : v.options) options.emplace_back(o);
  return tx.insert(
      "INSERT INTO council_votes (sitting_id, item_id, agenda_change_id, number, title, kind, "
      "options, majority, base, num, den, strict, quorum_num, quorum_den, quorum_strict, seats, "
      "present, entitled, vote_change, manual, status, opened_at, closes_at, opened_by, "
      "repeat_of, repeat_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, 'open', ?, ?, ?, ?, ?)",
      {v.sitting_id,
       store::opt(v.item_id),
       store::opt(v.agenda_change_id),
       v.number,
       v.title,
       v.kind,
       json::serialize(options),
       v.majority.id,
       std::string(to_string(v.majority.base)),
       v.majority.fraction.num,
       v.majority.fraction.den,
       std::int64_t{v.majority.fraction.strict},
       v.quorum.num,
       v.quorum.den,
       std::int64_t{v.quorum.strict},
       v.seats,
       v.present,
       v.entitled,
       std::int64_t{v.vote_change},
       std::int64_t{v.manual},
       v.opened_at,
       store::opt(v.closes_at),
       store::opt(v.opened_by),
       store::opt(v.repeat_of),
       v.repeat_reason});
}

void close_vote(Tx& tx, const Vote& v) {
  tx.exec(
      "UPDATE council_votes SET status = ?, closed_at = ?, closed_by = ?, result = ?, tally = ? "
      "WHERE id = ?",
      {v.status, store::opt(v.closed_at), store::opt(v.closed_by), store::opt(v.result), v.tally,
       v.id});
}

std::vector<std::int64_t> votes_due(Tx& tx, std::int64_t now) {
  std::vector<std::int64_t> out;
  for (auto& r : tx.query("SELECT id FROM council_votes WHERE status = 'open' AND closes_at IS "
                          "NOT NULL AND closes_at <= ? ORDER BY id",
                          {now}))
    out.push_back(r.int64(0));
  return out;
}

void insert_voters(Tx& tx, std::int64_t vote_id, const std::vector<Voter>& voters) {
  for (auto& v : voters)
    tx.exec(
        "INSERT INTO council_vote_voters (vote_id, person_id, name, group_name, status, voted) "
        "VALUES (?, ?, ?, ?, ?, 0)",
        {vote_id, v.person_id, v.name, v.group_name, v.status});
}

std::vector<Voter> voters(Tx& tx, std::int64_t vote_id) {
  std::vector<Voter> out;
  for (auto& r : tx.query("SELECT person_id, name, group_name, status, voted FROM "
                          "council_vote_voters WHERE vote_id = ? ORDER BY name, person_id",
                          {vote_id}))
    out.push_back(voter_from(r));
  return out;
}

std::optional<Voter> voter(Tx& tx, std::int64_t vote_id, std::int64_t person_id) {
  auto r = tx.one(
      "SELECT person_id, name, group_name, status, voted FROM council_vote_voters WHERE "
      "vote_id = ? AND person_id = ?",
      {vote_id, person_id});
  if (!r) return std::nullopt;
  return voter_from(*r);
}

std::optional<std::string> claim_vote(Tx& tx, std::int64_t vote_id, std::int64_t person_id) {
  auto r = tx.one(
      "UPDATE council_vote_voters SET voted = 1 WHERE vote_id = ? AND person_id = ? AND "
      "voted = 0 AND status = 'entitled' RETURNING name",
      {vote_id, person_id});
  if (!r) return std::nullopt;
  return r->text(0);
}

void insert_ballots(Tx& tx, std::int64_t vote_id, const std::vector<NewBallot>& ballots,
                    std::int64_t now) {
  for (std::size_t from = 0; from < ballots.size(); from += kRowsPerInsert) {
    std::string sql =
        "INSERT INTO council_ballots (vote_id, person_id, choice, seq, cast_at) VALUES ";
    std::vector<store::Value> params;
    for (std::size_t k = from; k < std::min(ballots.size(), from + kRowsPerInsert); ++k) {
      sql += k > from ? ", (?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
      params.insert(params.end(),
                    {vote_id, ballots[k].person_id, ballots[k].choice, ballots[k].seq, now});
    }
    tx.exec(sql, params);
  }
}

void change_ballot(Tx& tx, std::int64_t vote_id, std::int64_t person_id, const std::string& choice,
                   std::int64_t seq, std::int64_t now) {
  tx.exec(
      "UPDATE council_ballots SET choice = ?, seq = ?, cast_at = ? WHERE vote_id = ? AND "
      "person_id = ?",
      {choice, seq, now, vote_id, person_id});
}

std::vector<std::pair<std::int64_t, std::string>> ballots(Tx& tx, std::int64_t vote_id) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (auto& r : tx.query("SELECT person_id, choice FROM council_ballots WHERE vote_id = ? ORDER "
                          "BY person_id",
                          {vote_id}))
    out.emplace_back(r.int64(0), r.text(1));
  return out;
}

void insert_secret_ballots(Tx& tx, std::int64_t vote_id, const std::vector<SecretBallot>& ballots) {
  for (std::size_t from = 0; from < ballots.size(); from += kRowsPerInsert) {
    std::string sql =
        "INSERT INTO council_secret_ballots (vote_id, ballot, choice, receipt, signature) VALUES ";
    std::vector<store::Value> params;
    for (std::size_t k = from; k < std::min(ballots.size(), from + kRowsPerInsert); ++k) {
      sql += k > from ? ", (?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?)";
      params.insert(params.end(), {vote_id, ballots[k].ballot, ballots[k].choice,
                                   ballots[k].receipt, ballots[k].signature});
    }
    tx.exec(sql, params);
  }
}

std::vector<SecretBallot> secret_ballots(Tx& tx, std::int64_t vote_id) {
  std::vector<SecretBallot> out;
  for (auto& r : tx.query("SELECT ballot, choice, receipt, signature FROM council_secret_ballots "
                          "WHERE vote_id = ? ORDER BY ballot",
                          {vote_id}))
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3)});
  // Byte order, whatever the database's collation: the ledger and its checkers rely on it.
  std::sort(out.begin(), out.end(),
            [](const SecretBallot& a, const SecretBallot& b) { return a.ballot < b.ballot; });
  return out;
}

std::optional<std::pair<std::int64_t, std::string>> secret_by_receipt(Tx& tx,
                                                                      const std::string& receipt) {
  auto r =
      tx.one("SELECT vote_id, choice FROM council_secret_ballots WHERE receipt = ?", {receipt});
  if (!r) return std::nullopt;
  return std::pair{r->int64(0), r->text(1)};
}

void count_voted(Tx& tx, std::int64_t vote_id, std::int64_t newly) {
  if (newly) tx.exec("UPDATE council_votes SET voted = voted + ? WHERE id = ?", {newly, vote_id});
}

void reshuffle_secret(Tx& tx, std::int64_t vote_id) {
  auto vs = tx.query(
      "SELECT person_id, name, group_name, status, voted FROM council_vote_voters WHERE "
      "vote_id = ? ORDER BY person_id",
      {vote_id});
  auto bs = secret_ballots(tx, vote_id);
  tx.exec("DELETE FROM council_vote_voters WHERE vote_id = ?", {vote_id});
  tx.exec("DELETE FROM council_secret_ballots WHERE vote_id = ?", {vote_id});
  for (auto& r : vs)
    tx.exec(
        "INSERT INTO council_vote_voters (vote_id, person_id, name, group_name, status, voted) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {vote_id, r.int64(0), r.text(1), r.text(2), r.text(3), r.int64(4)});
  insert_secret_ballots(tx, vote_id, bs);
}

// ---------------------------------------------------------------- ledger

std::vector<LedgerEntry> append_ledger(
    Tx& tx, const security::SigningKey& key, std::int64_t vote_id,
    const std::vector<std::pair<std::string, std::string>>& items, std::int64_t newly_voted) {
  auto head = tx.one("SELECT ledger_seq, ledger_head FROM council_votes WHERE id = ?", {vote_id});
  std::int64_t seq = head->int64(0);
  std::string prev = head->text(1).empty() ? genesis_hash() : head->text(1);
  std::vector<LedgerEntry> out;
  for (auto& [kind, payload] : items) {
    LedgerEntry e;
    e.vote_id = vote_id;
    e.seq = ++seq;
    e.kind = kind;
    e.payload = payload;
    e.prev_hash = prev;
    seal(e, key);
    prev = e.hash;
    out.push_back(std::move(e));
  }
  if (out.empty()) return out;
  // As few statements as can be: the vote's row lock is held for as little as can be.
  for (std::size_t from = 0; from < out.size(); from += kRowsPerInsert) {
    std::string sql =
        "INSERT INTO council_ledger (vote_id, seq, kind, payload, prev_hash, hash, signature, "
        "receipt) VALUES ";
    std::vector<store::Value> params;
    for (std::size_t k = from; k < std::min(out.size(), from + kRowsPerInsert); ++k) {
      const auto& e = out[k];
      sql += k > from ? ", (?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?)";
      params.insert(params.end(), {e.vote_id, e.seq, e.kind, e.payload, e.prev_hash, e.hash,
                                   e.signature, store::opt(e.receipt)});
    }
    tx.exec(sql, params);
  }
  tx.exec(
      "UPDATE council_votes SET ledger_seq = ?, ledger_head = ?, voted = voted + ? WHERE id = ?",
      {seq, prev, newly_voted, vote_id});
  return out;
}

LedgerEntry append_ledger(Tx& tx, const security::SigningKey& key, std::int64_t vote_id,
                          const std::string& kind, const std::string& payload) {
  return append_ledger(tx, key, vote_id, {{kind, payload}}, 0).front();
}

std::vector<LedgerEntry> ledger(Tx& tx, std::int64_t vote_id) {
  std::vector<LedgerEntry> out;
  for (auto& r : tx.query(std::string("SELECT ") + kLedgerCols +
                              " FROM council_ledger WHERE vote_id = ? ORDER BY seq",
                          {vote_id}))
    out.push_back(entry_from(r));
  return out;
}

std::optional<LedgerEntry> by_receipt(Tx& tx, const std::string& receipt) {
  auto r = tx.one(std::string("SELECT ") + kLedgerCols + " FROM council_ledger WHERE receipt = ?",
                  {receipt});
  if (!r) return std::nullopt;
  return entry_from(*r);
}

}  // namespace ratusha::council::db
