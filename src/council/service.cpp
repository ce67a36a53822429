#include "council/service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "workspace/calendar.hpp"

namespace ratusha::council {

using identity::Principal;
using store::Tx;

namespace {

audit::Actor actor_of(const Principal& who) {
  return {who.person_id, who.display_name, who.address};
}

Error conflict(std::string slug, std::string what) {
  return Error(ErrorKind::conflict, std::move(slug), std::move(what));
}

bool valid_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  auto t = parse_rfc3339(s);
  return t && rfc3339(*t).substr(0, 10) == s;  // 2026-02-30 does not come back the same
}

const std::set<std::string> kBodyKinds = {"council", "standing_committee", "temporary_committee"};
const std::set<std::string> kRoles = {"member", "chair", "deputy_chair", "clerk"};

std::string default_majority(const std::string& jurisdiction, bool election) {
  if (election) return jurisdiction == "pl" ? "PL-E" : "BG-E";
  return jurisdiction == "pl" ? "PL-M1" : "BG-M1";
}

Majority majority_from(const MajorityInput& in, const std::string& field) {
  if (in.id != "custom") {
    auto p = preset(in.id);
    if (!p) throw field_error(field + ".id", "invalid", "Choose a rule of LAW.md or \"custom\".");
    return *p;
  }
  Majority m;
  m.id = "custom";
  auto base = in.base ? base_from(*in.base) : std::nullopt;
  if (!base)
    throw field_error(field + ".base", "invalid",
                      "Choose composition, present, cast or for_against.");
  m.base = *base;
  m.fraction = {in.num.value_or(0), in.den.value_or(0), in.strict.value_or(true)};
  if (auto why = custom_problem(m)) throw field_error(field, "invalid", *why);
  return m;
}

// The calendar day of a sitting where it is held: memberships are kept by such days.
std::string sitting_day(const Sitting& s) {
  return workspace::format_local(workspace::to_local(s.starts_at, s.time_zone)).substr(0, 10);
}

std::string text_of(const json::object& o) {
  return json::serialize(o);
}

}  // namespace

CouncilService::CouncilService(store::Database& db, audit::AuditLog& audit, events::Bus& bus,
                               jobs::Queue& jobs, identity::IdentityService& identity,
                               workspace::WorkspaceService& workspace,
                               documents::DocumentsService& documents, security::SigningKey key)
    : db_(db),
      audit_(audit),
      bus_(bus),
      jobs_(jobs),
      identity_(identity),
      workspace_(workspace),
      documents_(documents),
      key_(std::move(key)) {
  jobs_.handle("council.vote-timeout", [this](const jobs::Job&) { close_due_votes(); });
  // A sitting's meeting is changed by any of the body's clerks and chairs, not only by whoever
  // scheduled it.
  workspace_.add_meeting_keeper([this](Tx& tx, std::int64_t person, std::int64_t meeting) {
    auto s = db::sitting_of_meeting(tx, meeting);
    if (!s) return false;
    for (auto& r : db::roles_on(tx, s->body_id, person, sitting_day(*s)))
      if (r == "clerk" || r == "chair" || r == "deputy_chair") return true;
    return false;
  });
  // Memberships end and begin by date: the identity roles they give follow each day.
  jobs_.every("council.roles", 3600, [this](const jobs::Job&) { sync_all_roles(); });
  progress_thread_ = std::thread([this] { publish_progress(); });
}

void CouncilService::sync_all_roles() {
  db_.write([&](Tx& tx) {
    // Only those whose place ended or began in the last days (in any zone) can have changed.
    auto now = now_seconds();
    auto day = [&](std::int64_t d) { return rfc3339(now + d * 86400).substr(0, 10); };
    for (auto& [body, person] : db::places_changing(tx, day(-3), day(1)))
      sync_roles(tx, body, person);
  });
}

CouncilService::~CouncilService() {
  {
    std::lock_guard lock(progress_mu_);
    stopping_ = true;
  }
  progress_cv_.notify_all();
  progress_thread_.join();
}

void CouncilService::progress_changed(std::int64_t vote_id) {
  {
    std::lock_guard lock(progress_mu_);
    progress_dirty_.insert(vote_id);
  }
  progress_cv_.notify_all();
}

// How many have voted goes out at once after a quiet spell and then at most four times a
// second per vote, not once per ballot: with thousands watching, one message per ballot would be
// millions of messages.
void CouncilService::publish_progress() {
  std::unique_lock lock(progress_mu_);
  while (true) {
    progress_cv_.wait(lock, [&] { return stopping_ || !progress_dirty_.empty(); });
    if (stopping_) return;
    auto dirty = std::move(progress_dirty_);
    progress_dirty_.clear();
    lock.unlock();
    for (auto id : dirty) {
      try {
        db_.write([&](Tx& tx) {
          auto v = db::vote(tx, id);
          if (!v || v->status != "open") return;
          bus_.publish(tx, "council:" + std::to_string(v->sitting_id), "council.vote_progress",
                       json::object{{"vote_id", id_string(id)}, {"voted", v->voted}});
        });
      } catch (const std::exception& e) {
        spdlog::warn("council: progress of vote {} not published: {}", id, e.what());
      }
    }
    lock.lock();
    progress_cv_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stopping_; });
  }
}

std::string CouncilService::today(const std::string& zone) const {
  auto t = workspace::to_local(now_seconds(), zone);
  return workspace::format_local(t).substr(0, 10);
}

static void require_scope(const Principal& who, const char* permission) {
  if (!who.can(permission))
    throw forbidden(std::string("This needs the ") + permission +
                    " permission (a token needs it as a scope; a session still owing two-step "
                    "verification has none).");
}

void CouncilService::require_admin(const Principal& who) {
  require_scope(who, "council.manage");
  if (who.can("people.manage")) return;
  for (auto& r : who.roles)
    if (r.role == "clerk" && r.scope_kind == "organisation") return;
  throw forbidden("Only administrators and the organisation's clerks set up council bodies.");
}

Standing CouncilService::standing(Tx& tx, const Principal& who, const Body& b,
                                  const std::string& day) {
  Standing s;
  s.roles = db::roles_on(tx, b.id, who.person_id, day);
  s.administers = who.can("people.manage");
  for (auto& r : who.roles)
    if (r.role == "clerk" && r.scope_kind == "organisation") s.administers = true;
  for (auto& r : s.roles) {
    if (r == "chair" || r == "deputy_chair") s.presides = true;
    if (r == "clerk") s.clerks = true;
    if (votes(r)) s.votes = true;
  }
  return s;
}

Standing CouncilService::standing(const Principal& who, std::int64_t body_id) {
  return db_.read([&](Tx& tx) {
    auto b = db::body(tx, body_id);
    if (!b) throw not_found("No such body.");
    return standing(tx, who, *b, today(b->time_zone));
  });
}

void CouncilService::changed(Tx& tx, std::int64_t sitting_id, const std::string& what) {
  bus_.publish(tx, "council:" + std::to_string(sitting_id), "council.changed",
               json::object{{"sitting_id", id_string(sitting_id)}, {"what", what}});
}

// ---------------------------------------------------------------- bodies

std::vector<Body> CouncilService::bodies(const Principal& who) {
  if (who.guest()) throw forbidden();
  return db_.read([&](Tx& tx) { return db::bodies(tx); });
}

Body CouncilService::body(const Principal& who, std::int64_t id) {
  if (who.guest()) throw forbidden();
  return db_.read([&](Tx& tx) {
    auto b = db::body(tx, id);
    if (!b) throw not_found("No such body.");
    return *b;
  });
}

namespace {

void check_body(Tx& tx, Body& b, std::vector<FieldError>& errors) {
  if (b.name.empty() || utf8_length(b.name) > 200)
    errors.push_back({"name", "invalid", "Give a name of 1 to 200 characters."});
  if (!kBodyKinds.count(b.kind))
    errors.push_back(
        {"kind", "invalid", "Choose council, standing_committee or temporary_committee."});
  if (b.jurisdiction != "bg" && b.jurisdiction != "pl")
    errors.push_back({"jurisdiction", "invalid", "Choose bg or pl."});
  if (b.seats < 1 || b.seats > 100000)
    errors.push_back({"seats", "out_of_range", "Give the statutory number of members."});
  if (!valid_date(b.term_start))
    errors.push_back({"term_start", "invalid", "Give a date, e.g. 2023-11-06."});
  if (b.term_end && (!valid_date(*b.term_end) || *b.term_end < b.term_start))
    errors.push_back({"term_end", "invalid", "Give a date after the start of the term."});
  if (!workspace::known_zone(b.time_zone))
    errors.push_back({"time_zone", "invalid", "Give a time zone such as Europe/Sofia."});
  if (b.parent_id) {
    auto p = db::body(tx, *b.parent_id);
    if (!p || *b.parent_id == b.id)
      errors.push_back({"parent_id", "not_found", "A committee belongs to an existing body."});
  }
  if (b.kind == "council" && b.parent_id)
    errors.push_back({"parent_id", "invalid", "A council belongs to no other body."});
}

void apply(Body& b, const BodyInput& in) {
  if (in.name) b.name = *in.name;
  if (in.kind) b.kind = *in.kind;
  if (in.jurisdiction) b.jurisdiction = *in.jurisdiction;
  if (in.seats) b.seats = *in.seats;
  if (in.term_start) b.term_start = *in.term_start;
  if (in.term_end) b.term_end = *in.term_end;
  if (in.time_zone) b.time_zone = *in.time_zone;
  if (in.vote_change) b.vote_change = *in.vote_change;
  if (in.camera_required) b.camera_required = *in.camera_required;
  if (in.parent_id) b.parent_id = *in.parent_id;
}

json::object body_audit(const Body& b) {
  return {{"name", b.name},
          {"kind", b.kind},
          {"jurisdiction", b.jurisdiction},
          {"seats", b.seats},
          {"term_start", b.term_start},
          {"term_end", b.term_end ? json::value(*b.term_end) : nullptr},
          {"vote_change", b.vote_change},
          {"camera_required", b.camera_required}};
}

}  // namespace

Body CouncilService::create_body(const Principal& who, const BodyInput& in) {
  require_admin(who);
  return db_.write([&](Tx& tx) {
    Body b;
    b.kind = "council";
    b.jurisdiction = "bg";
    b.time_zone = "Europe/Sofia";
    apply(b, in);
    std::vector<FieldError> errors;
    if (!in.seats) errors.push_back({"seats", "required", "Give the statutory number of members."});
    if (!in.term_start) errors.push_back({"term_start", "required", "Give the start of the term."});
    check_body(tx, b, errors);
    if (!errors.empty()) throw validation_error(errors);
    auto now = now_seconds();
    // A council's unit hangs under the municipality, so that what is shared with the whole
    // municipality reaches its members too; a committee's under its council.
    auto unit_parent = b.parent_id;
    if (!unit_parent)
      if (auto root = tx.one("SELECT id FROM units WHERE kind = 'municipality' AND parent_id IS "
                             "NULL ORDER BY id LIMIT 1"))
        unit_parent = root->int64(0);
    b.id = identity_.create_body_unit(tx, actor_of(who), b.name, unit_parent);
    b.created_at = b.updated_at = now;
    db::insert_body(tx, b);
    audit_.append(tx, actor_of(who), "council.body_created", "body:" + id_string(b.id),
                  body_audit(b));
    return *db::body(tx, b.id);
  });
}

Body CouncilService::update_body(const Principal& who, std::int64_t id, const BodyInput& in) {
  require_admin(who);
  return db_.write([&](Tx& tx) {
    auto old = db::body(tx, id);
    if (!old) throw not_found("No such body.");
    Body b = *old;
    apply(b, in);
    if (in.parent_id && *in.parent_id != old->parent_id)
      throw field_error("parent_id", "read_only", "A body does not move to another.");
    std::vector<FieldError> errors;
    check_body(tx, b, errors);
    if (!errors.empty()) throw validation_error(errors);
    b.updated_at = now_seconds();
    db::update_body(tx, b);
    audit_.append(tx, actor_of(who), "council.body_changed", "body:" + id_string(b.id),
                  body_audit(b));
    return *db::body(tx, id);
  });
}

std::vector<Group> CouncilService::groups(const Principal& who, std::int64_t body_id) {
  body(who, body_id);
  return db_.read([&](Tx& tx) { return db::groups(tx, body_id); });
}

Group CouncilService::create_group(const Principal& who, std::int64_t body_id,
                                   const std::string& name, const std::string& short_name) {
  require_admin(who);
  return db_.write([&](Tx& tx) {
    if (!db::body(tx, body_id)) throw not_found("No such body.");
    for (auto& g : db::groups(tx, body_id))
      if (g.name == name) throw field_error("name", "taken", "This body has a group of that name.");
    auto id = db::insert_group(tx, body_id, name, short_name, now_seconds());
    audit_.append(tx, actor_of(who), "council.group_created", "body:" + id_string(body_id),
                  {{"group_id", id_string(id)}, {"name", name}, {"short_name", short_name}});
    return *db::group(tx, id);
  });
}

std::vector<Membership> CouncilService::members(const Principal& who, std::int64_t body_id,
                                                const std::string& on_in) {
  auto b = body(who, body_id);
  // "today" is the body's day, not UTC's.
  auto on = on_in == "today" ? today(b.time_zone) : on_in;
  if (!on.empty() && !valid_date(on)) throw field_error("on", "invalid", "Give a date.");
  return db_.read([&](Tx& tx) { return db::memberships(tx, body_id, on); });
}

void CouncilService::sync_roles(Tx& tx, std::int64_t body_id, std::int64_t person_id) {
  // Identity's body roles (documents, meeting invitations) follow the memberships in force now
  // or later.
  auto b = db::body(tx, body_id);
  auto day = today(b->time_zone);
  std::set<std::string> roles;
  for (auto& m : db::places_of(tx, body_id, person_id)) {
    if (m.to_date && *m.to_date < day) continue;
    if (votes(m.role)) roles.insert("councillor");
    if (m.role == "chair") roles.insert("chair");
    if (m.role == "clerk") roles.insert("clerk");
  }
  identity_.set_body_roles(tx, person_id, body_id, roles);
}

namespace {

// Overlapping days of two memberships (ends included; none: open-ended).
bool overlaps(const Membership& a, const Membership& b) {
  std::string a_end = a.to_date.value_or("9999-12-31"), b_end = b.to_date.value_or("9999-12-31");
  return a.from_date <= b_end && b.from_date <= a_end;
}

void check_membership(Tx& tx, const Body& body, const Membership& m) {
  std::vector<FieldError> errors;
  if (!kRoles.count(m.role))
    errors.push_back({"role", "invalid", "Choose member, chair, deputy_chair or clerk."});
  if (!valid_date(m.from_date))
    errors.push_back({"from_date", "invalid", "Give the first day, e.g. 2023-11-06."});
  if (m.to_date && (!valid_date(*m.to_date) || *m.to_date < m.from_date))
    errors.push_back({"to_date", "invalid", "Give the last day, not before the first."});
  if (utf8_length(m.seat) > 50) errors.push_back({"seat", "too_long", "At most 50 characters."});
  if (m.group_id) {
    auto g = db::group(tx, *m.group_id);
    if (!g || g->body_id != body.id)
      errors.push_back({"group_id", "not_found", "Choose one of this body's groups."});
  }
  auto p = tx.one("SELECT kind, status FROM people WHERE id = ?", {m.person_id});
  if (!p)
    errors.push_back({"person_id", "not_found", "There is no such person."});
  else if (p->text(0) == "guest" || p->text(1) == "disabled")
    errors.push_back({"person_id", "invalid", "Guests and disabled accounts cannot be members."});
  if (!errors.empty()) throw validation_error(errors);
  // One place at a time: a person does not hold two voting places in the same body at once, and
  // the voting places never outnumber the seats.
  auto all = db::memberships(tx, body.id, "");
  for (auto& o : all) {
    if (o.id == m.id || !overlaps(o, m)) continue;
    if (o.person_id == m.person_id && (votes(o.role) == votes(m.role)))
      throw conflict("membership-overlaps",
                     "This person already has such a place in this body on some of these days.");
  }
  if (votes(m.role)) {
    // The voting places never outnumber the seats on any day of the new membership: the count
    // can only rise on a day some place begins, so those days are enough to look at.
    std::set<std::string> days{m.from_date};
    for (auto& o : all)
      if (o.id != m.id && votes(o.role) && overlaps(o, m) && o.from_date > m.from_date)
        days.insert(o.from_date);
    for (auto& day : days) {
      std::int64_t taken = 0;
      for (auto& o : all)
        if (o.id != m.id && votes(o.role) && o.from_date <= day &&
            (!o.to_date || *o.to_date >= day))
          ++taken;
      if (taken + 1 > body.seats)
        throw conflict("seats-taken", "All " + std::to_string(body.seats) +
                                          " seats of this body are taken on " + day + ".");
    }
  }
}

json::object membership_audit(const Membership& m) {
  return {{"person_id", id_string(m.person_id)},
          {"role", m.role},
          {"seat", m.seat},
          {"group_id", nullable_id(m.group_id)},
          {"from_date", m.from_date},
          {"to_date", m.to_date ? json::value(*m.to_date) : nullptr}};
}

}  // namespace

Membership CouncilService::add_member(const Principal& who, std::int64_t body_id,
                                      const MembershipInput& in) {
  require_admin(who);
  return db_.write([&](Tx& tx) {
    auto b = db::body(tx, body_id);
    if (!b) throw not_found("No such body.");
    std::vector<FieldError> errors;
    if (!in.person_id) errors.push_back({"person_id", "required", "Choose the person."});
    if (!in.role) errors.push_back({"role", "required", "Choose the role."});
    if (!errors.empty()) throw validation_error(errors);
    Membership m;
    m.body_id = body_id;
    m.person_id = *in.person_id;
    m.role = *in.role;
    m.seat = in.seat.value_or("");
    m.group_id = in.group_id.value_or(std::nullopt);
    m.from_date = in.from_date.value_or(today(b->time_zone));
    m.to_date = in.to_date.value_or(std::nullopt);
    check_membership(tx, *b, m);
    m.id = db::insert_membership(tx, m, now_seconds());
    sync_roles(tx, body_id, m.person_id);
    audit_.append(tx, actor_of(who), "council.member_added", "body:" + id_string(body_id),
                  membership_audit(m));
    bus_.publish(tx, "council-body:" + std::to_string(body_id), "council.members", json::object{});
    return *db::membership(tx, m.id);
  });
}

Membership CouncilService::update_member(const Principal& who, std::int64_t id,
                                         const MembershipInput& in) {
  require_admin(who);
  return db_.write([&](Tx& tx) {
    auto old = db::membership(tx, id);
    if (!old) throw not_found("No such membership.");
    if (in.person_id && *in.person_id != old->person_id)
      throw field_error("person_id", "read_only", "Add a new membership for another person.");
    auto b = db::body(tx, old->body_id);
    Membership m = *old;
    if (in.role) m.role = *in.role;
    if (in.seat) m.seat = *in.seat;
    if (in.group_id) m.group_id = *in.group_id;
    if (in.from_date) m.from_date = *in.from_date;
    if (in.to_date) m.to_date = *in.to_date;
    check_membership(tx, *b, m);
    db::update_membership(tx, m, now_seconds());
    sync_roles(tx, m.body_id, m.person_id);
    auto details = membership_audit(m);
    details["membership_id"] = id_string(id);
    audit_.append(tx, actor_of(who), "council.member_changed", "body:" + id_string(m.body_id),
                  details);
    bus_.publish(tx, "council-body:" + std::to_string(m.body_id), "council.members",
                 json::object{});
    return *db::membership(tx, id);
  });
}

// ---------------------------------------------------------------- sittings

std::vector<Sitting> CouncilService::sittings(const Principal& who, const db::SittingFilter& f) {
  if (who.guest()) throw forbidden();
  return db_.read([&](Tx& tx) { return db::sittings(tx, f); });
}

Quorum CouncilService::quorum_of(Tx& tx, const Sitting& s) {
  auto day = workspace::format_local(workspace::to_local(s.starts_at, s.time_zone)).substr(0, 10);
  std::set<std::int64_t> voting;
  for (auto& m : db::memberships(tx, s.body_id, day))
    if (votes(m.role)) voting.insert(m.person_id);
  Quorum q;
  q.seats = s.seats;
  for (auto p : db::present_people(tx, s.id))
    if (voting.count(p)) ++q.present;
  auto rule = quorum_rule(s.jurisdiction == "pl" ? Jurisdiction::pl : Jurisdiction::bg);
  q.needed = quorum_needed(rule, q.seats);
  q.quorate = quorate(rule, q.seats, q.present);
  return q;
}

SittingView CouncilService::view(Tx& tx, const Principal& who, const Sitting& s) {
  SittingView v;
  v.sitting = s;
  v.items = db::items(tx, s.id);
  find_materials(tx, v.items);
  auto day = sitting_day(s);
  auto b = db::body(tx, s.body_id);
  v.me = standing(tx, who, *b, day);
  std::map<std::int64_t, Attendee> by_person;
  for (auto& m : db::memberships(tx, s.body_id, day)) {
    if (!votes(m.role)) continue;
    auto& a = by_person[m.person_id];
    a.person_id = m.person_id;
    a.display_name = m.display_name;
    a.role = m.role;
    a.group_name = m.group_name;
  }
  for (auto& [id, a] : by_person) {
    if (auto p = db::presence(tx, s.id, id)) {
      a.present = p->present;
      a.remote = p->remote;
    }
    v.attendees.push_back(a);
  }
  std::sort(v.attendees.begin(), v.attendees.end(),
            [](const Attendee& x, const Attendee& y) { return x.display_name < y.display_name; });
  if (auto p = db::presence(tx, s.id, who.person_id)) v.i_am_present = p->present;
  v.quorum = quorum_of(tx, s);
  v.votes = db::votes(tx, s.id);
  v.conflicts = db::conflicts(tx, s.id);
  v.speakers = db::speakers(tx, s.id);
  for (auto& vt : v.votes)
    if (vt.agenda_change_id && vt.status == "open")
      if (auto c = db::agenda_change(tx, *vt.agenda_change_id)) v.pending_changes.push_back(*c);
  return v;
}

SittingView CouncilService::sitting(const Principal& who, std::int64_t id) {
  if (who.guest()) throw forbidden();
  return db_.read([&](Tx& tx) {
    auto s = db::sitting(tx, id);
    if (!s) throw not_found("No such sitting.");
    return view(tx, who, *s);
  });
}

namespace {

void check_sitting(Sitting& s, std::vector<FieldError>& errors) {
  if (s.kind != "regular" && s.kind != "extraordinary")
    errors.push_back({"kind", "invalid", "Choose regular or extraordinary."});
  if (s.mode != "in_person" && s.mode != "remote" && s.mode != "hybrid")
    errors.push_back({"mode", "invalid", "Choose in_person, remote or hybrid."});
  if (s.title.empty() || utf8_length(s.title) > 300)
    errors.push_back({"title", "invalid", "Give a title of 1 to 300 characters."});
  if (utf8_length(s.place) > 300)
    errors.push_back({"place", "too_long", "At most 300 characters."});
  if (s.duration < 900 || s.duration > 86400)
    errors.push_back({"duration", "out_of_range", "From 15 minutes to 24 hours."});
  if (!workspace::known_zone(s.time_zone)) {
    errors.push_back({"time_zone", "invalid", "Give a time zone such as Europe/Sofia."});
    return;
  }
  auto local = workspace::parse_local(s.local_start);
  if (!local) {
    errors.push_back({"start", "invalid", "Give a wall time such as 2026-12-10T10:00."});
    return;
  }
  auto utc = workspace::to_utc(*local, s.time_zone);
  if (!utc) {
    errors.push_back({"start", "nonexistent", "This time does not exist (the clocks go forward)."});
    return;
  }
  s.local_start = workspace::format_local(*local);
  s.starts_at = *utc;
}

}  // namespace

SittingView CouncilService::create_sitting(const Principal& who, const SittingInput& in) {
  require_scope(who, "council.manage");
  if (!in.body_id) throw field_error("body_id", "required", "Choose the body.");
  Sitting s;
  auto b = db_.read([&](Tx& tx) { return db::body(tx, *in.body_id); });
  if (!b) throw field_error("body_id", "not_found", "There is no such body.");
  auto me = standing(who, b->id);
  if (!me.administers && !me.clerks && !me.presides)
    throw forbidden("Only the body's clerks and chairs schedule its sittings.");
  s.body_id = b->id;
  s.kind = in.kind.value_or("regular");
  s.mode = in.mode.value_or("in_person");
  s.title = in.title.value_or("");
  s.place = in.place.value_or("");
  s.time_zone = in.time_zone.value_or(b->time_zone);
  s.local_start = in.start.value_or("");
  s.duration = in.duration.value_or(4 * 3600);
  std::vector<FieldError> errors;
  if (!in.start) errors.push_back({"start", "required", "Give the start."});
  check_sitting(s, errors);
  if (!errors.empty()) throw validation_error(errors);

  // The members' invitation, reminders and (remote or hybrid) video room come from a workspace
  // meeting of the whole body.
  workspace::MeetingInput mi;
  mi.title = s.title;
  mi.agenda = s.place;
  mi.time_zone = s.time_zone;
  mi.start = s.local_start;
  mi.duration = s.duration;
  mi.invitees = std::vector<workspace::Audience>{{"body", b->id}};
  auto meeting = workspace_.create_meeting(who, mi);
  try {
    return db_.write([&](Tx& tx) {
      auto now = now_seconds();
      s.number = db::next_sitting_number(tx, s.body_id);
      s.status = "scheduled";
      s.meeting_id = meeting.meeting.id;
      s.created_at = s.updated_at = now;
      s.id = db::insert_sitting(tx, s, who.person_id);
      audit_.append(tx, actor_of(who), "council.sitting_created", "sitting:" + id_string(s.id),
                    {{"body_id", id_string(s.body_id)},
                     {"number", s.number},
                     {"title", s.title},
                     {"starts_at", rfc3339(s.starts_at)},
                     {"mode", s.mode}});
      bus_.publish(tx, "council-body:" + std::to_string(s.body_id), "council.sittings",
                   json::object{});
      return view(tx, who, *db::sitting(tx, s.id));
    });
  } catch (...) {
    try {
      workspace_.cancel_meeting(who, meeting.meeting.id, "");
    } catch (...) {
    }
    throw;
  }
}

SittingView CouncilService::update_sitting(const Principal& who, std::int64_t id,
                                           const SittingInput& in) {
  require_scope(who, "council.manage");
  auto s = db_.read([&](Tx& tx) { return db::sitting(tx, id); });
  if (!s) throw not_found("No such sitting.");
  auto me = standing(who, s->body_id);
  if (!me.administers && !me.clerks && !me.presides)
    throw forbidden("Only the body's clerks and chairs change its sittings.");
  if (s->status != "scheduled")
    throw conflict("sitting-started", "Only a sitting that has not begun can be changed.");
  if (in.body_id && *in.body_id != s->body_id)
    throw field_error("body_id", "read_only", "A sitting does not move to another body.");
  if (in.kind) s->kind = *in.kind;
  if (in.mode) s->mode = *in.mode;
  if (in.title) s->title = *in.title;
  if (in.place) s->place = *in.place;
  if (in.time_zone) s->time_zone = *in.time_zone;
  if (in.start) s->local_start = *in.start;
  if (in.duration) s->duration = *in.duration;
  std::vector<FieldError> errors;
  check_sitting(*s, errors);
  if (!errors.empty()) throw validation_error(errors);
  if (s->meeting_id && (in.title || in.start || in.duration || in.time_zone || in.place)) {
    workspace::MeetingInput mi;
    mi.title = s->title;
    mi.agenda = s->place;
    mi.time_zone = s->time_zone;
    mi.start = s->local_start;
    mi.duration = s->duration;
    workspace_.update_meeting(who, *s->meeting_id, mi);
  }
  return db_.write([&](Tx& tx) {
    s->updated_at = now_seconds();
    db::update_sitting(tx, *s);
    audit_.append(tx, actor_of(who), "council.sitting_changed", "sitting:" + id_string(id),
                  {{"title", s->title},
                   {"starts_at", rfc3339(s->starts_at)},
                   {"mode", s->mode},
                   {"kind", s->kind}});
    changed(tx, id, "sitting");
    return view(tx, who, *s);
  });
}

SittingView CouncilService::set_sitting_status(const Principal& who, std::int64_t id,
                                               const std::string& action) {
  require_scope(who, "council.manage");
  auto result = db_.write([&](Tx& tx) {
    auto s = db::sitting(tx, id);
    if (!s) throw not_found("No such sitting.");
    auto b = db::body(tx, s->body_id);
    auto me = standing(tx, who, *b, sitting_day(*s));
    auto now = now_seconds();
    if (action == "open") {
      if (!me.presides) throw forbidden("Only the chair or a deputy chair opens the sitting.");
      if (s->status != "scheduled")
        throw conflict("sitting-not-scheduled", "Only a scheduled sitting can be opened.");
      s->status = "open";
      s->opened_at = now;
    } else if (action == "close") {
      if (!me.presides) throw forbidden("Only the chair or a deputy chair closes the sitting.");
      if (s->status != "open") throw conflict("sitting-not-open", "The sitting is not open.");
      if (db::open_vote_in(tx, id))
        throw conflict("vote-open", "Close the open vote before closing the sitting.");
      s->status = "closed";
      s->closed_at = now;
      for (auto p : db::present_people(tx, id)) {
        auto pr = db::presence(tx, id, p);
        db::set_presence(tx, id, p, false, pr && pr->remote, now);
        db::log_attendance(tx, id, p, "left", pr && pr->remote, "closing", who.person_id, now);
      }
    } else if (action == "cancel") {
      if (!me.presides && !me.clerks && !me.administers)
        throw forbidden("Only the body's clerks and chairs cancel its sittings.");
      if (s->status != "scheduled")
        throw conflict("sitting-started", "Only a sitting that has not begun can be cancelled.");
      s->status = "cancelled";
    } else {
      throw field_error("action", "invalid", "Choose open, close or cancel.");
    }
    s->updated_at = now;
    db::update_sitting(tx, *s);
    audit_.append(tx, actor_of(who), "council.sitting_" + action + (action == "open" ? "ed" : "d"),
                  "sitting:" + id_string(id), {{"status", s->status}});
    changed(tx, id, "status");
    bus_.publish(tx, "council-body:" + std::to_string(s->body_id), "council.sittings",
                 json::object{});
    return view(tx, who, *s);
  });
  if (action == "cancel" && result.sitting.meeting_id) {
    try {
      workspace_.cancel_meeting(who, *result.sitting.meeting_id, "");
    } catch (const Error&) {
      // The clerk may not be the meeting's organiser; the sitting is cancelled all the same.
    }
  }
  return result;
}

// ---------------------------------------------------------------- agenda

namespace {

void apply_item(Item& i, const ItemInput& in, const std::string& jurisdiction) {
  if (in.title) i.title = *in.title;
  if (in.rapporteur) i.rapporteur = *in.rapporteur;
  if (in.draft) i.draft = *in.draft;
  if (in.majority) i.majority = majority_from(*in.majority, "majority");
  if (i.majority.id.empty()) i.majority = *preset(default_majority(jurisdiction, false));
  if (in.named_required) i.named_required = *in.named_required;
  // BG-M2 decisions are always taken by named vote (ZMSMA art. 27(5)).
  if (i.majority.id == "BG-M2") i.named_required = true;
  std::vector<FieldError> errors;
  if (i.title.empty() || utf8_length(i.title) > 500)
    errors.push_back({"title", "invalid", "Give a title of 1 to 500 characters."});
  if (utf8_length(i.rapporteur) > 200)
    errors.push_back({"rapporteur", "too_long", "At most 200 characters."});
  if (utf8_length(i.draft) > 20000)
    errors.push_back({"draft", "too_long", "At most 20,000 characters."});
  if (!errors.empty()) throw validation_error(errors);
}

json::object item_audit(const Item& i) {
  return {{"item_id", id_string(i.id)},
          {"position", i.position},
          {"title", i.title},
          {"majority", majority_json(i.majority)},
          {"named_required", i.named_required},
          {"status", i.status}};
}

}  // namespace

void CouncilService::open_materials(Tx& tx, Item& i, const Sitting& s) {
  // Materials are published: anyone may read them without login, like the agenda.
  std::vector<std::pair<std::string, documents::Access>> grants{
      {"body:" + std::to_string(s.body_id), documents::Access::view},
      {"public", documents::Access::view},
      {"role:administrator", documents::Access::manage}};
  for (auto& m : db::memberships(tx, s.body_id, sitting_day(s)))
    if (m.role == "clerk" || m.role == "chair" || m.role == "deputy_chair")
      grants.emplace_back("person:" + std::to_string(m.person_id), documents::Access::manage);
  auto space = documents_.ensure_space(tx, "item", i.id,
                                       std::to_string(i.position) + ". " + i.title, grants);
  i.materials_folder_id = space.root_id;
}

void CouncilService::find_materials(Tx& tx, std::vector<Item>& items) {
  for (auto& i : items)
    if (auto space = documents_.space_of(tx, "item", i.id)) i.materials_folder_id = space->root_id;
}

void CouncilService::require_agenda_editable(Tx& tx, const Principal& who, const Sitting& s) {
  auto me = standing(tx, who, *db::body(tx, s.body_id), sitting_day(s));
  if (!me.administers && !me.clerks && !me.presides)
    throw forbidden("Only the body's clerks and chairs prepare its agenda.");
  if (s.status == "open")
    throw conflict("agenda-locked",
                   "The sitting is open: the agenda changes only by a vote on the change.");
  if (s.status != "scheduled")
    throw conflict("sitting-over", "The sitting is over; its agenda stays as it was.");
}

Item CouncilService::add_item(const Principal& who, std::int64_t sitting_id, const ItemInput& in) {
  require_scope(who, "council.manage");
  return db_.write([&](Tx& tx) {
    auto s = db::sitting(tx, sitting_id);
    if (!s) throw not_found("No such sitting.");
    require_agenda_editable(tx, who, *s);
    Item i;
    i.sitting_id = sitting_id;
    i.status = "pending";
    apply_item(i, in, s->jurisdiction);
    auto list = db::items(tx, sitting_id);
    if (list.size() >= 500) throw conflict("agenda-full", "An agenda has at most 500 items.");
    i.position = static_cast<std::int64_t>(list.size()) + 1;
    auto now = now_seconds();
    i.id = db::insert_item(tx, i, now);
    if (in.position && *in.position >= 1 && *in.position < i.position) {
      // Make room: the new item takes the place asked for.
      for (auto& o : list)
        if (o.position >= *in.position) {
          ++o.position;
          db::update_item(tx, o, now);
        }
      i.position = *in.position;
      db::update_item(tx, i, now);
    }
    open_materials(tx, i, *s);
    audit_.append(tx, actor_of(who), "council.item_added", "sitting:" + id_string(sitting_id),
                  item_audit(i));
    changed(tx, sitting_id, "agenda");
    auto out = *db::item(tx, i.id);
    out.materials_folder_id = i.materials_folder_id;
    return out;
  });
}

Item CouncilService::update_item(const Principal& who, std::int64_t item_id, const ItemInput& in) {
  require_scope(who, "council.manage");
  return db_.write([&](Tx& tx) {
    auto i = db::item(tx, item_id);
    if (!i) throw not_found("No such agenda item.");
    auto s = db::sitting(tx, i->sitting_id);
    require_agenda_editable(tx, who, *s);
    apply_item(*i, in, s->jurisdiction);
    auto now = now_seconds();
    if (in.position && *in.position != i->position) {
      auto list = db::items(tx, s->id);
      auto to = std::clamp<std::int64_t>(*in.position, 1, static_cast<std::int64_t>(list.size()));
      std::vector<Item> order;
      for (auto& o : list)
        if (o.id != i->id) order.push_back(o);
      order.insert(order.begin() + (to - 1), *i);
      for (std::size_t k = 0; k < order.size(); ++k) {
        order[k].position = static_cast<std::int64_t>(k) + 1;
        if (order[k].id == i->id) i->position = order[k].position;
        db::update_item(tx, order[k].id == i->id ? *i : order[k], now);
      }
    } else {
      db::update_item(tx, *i, now);
    }
    audit_.append(tx, actor_of(who), "council.item_changed", "sitting:" + id_string(s->id),
                  item_audit(*i));
    changed(tx, s->id, "agenda");
    std::vector<Item> out{*db::item(tx, item_id)};
    find_materials(tx, out);
    return out.front();
  });
}

Vote CouncilService::propose_agenda_change(const Principal& who, std::int64_t sitting_id,
                                           const std::string& kind,
                                           std::optional<std::int64_t> item_id,
                                           std::optional<std::int64_t> position,
                                           const ItemInput& new_item) {
  require_scope(who, "council.manage");
  return db_.write([&](Tx& tx) {
    auto s = db::sitting(tx, sitting_id);
    if (!s) throw not_found("No such sitting.");
    auto me = standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s));
    if (!me.presides) throw forbidden("Only the chair or a deputy chair puts a change to a vote.");
    if (s->status != "open")
      throw conflict("sitting-not-open",
                     "Before the sitting opens, the clerk changes the agenda directly.");
    AgendaChange c;
    c.sitting_id = sitting_id;
    c.kind = kind;
    std::string title;
    auto list = db::items(tx, sitting_id);
    if (kind == "add") {
      Item probe;
      apply_item(probe, new_item, s->jurisdiction);
      c.position = position.value_or(static_cast<std::int64_t>(list.size()) + 1);
      c.payload = text_of({{"title", probe.title},
                           {"rapporteur", probe.rapporteur},
                           {"draft", probe.draft},
                           {"majority", majority_json(probe.majority)},
                           {"named_required", probe.named_required}});
      title = probe.title;
    } else if (kind == "withdraw" || kind == "move") {
      if (!item_id) throw field_error("item_id", "required", "Choose the item.");
      auto it = db::item(tx, *item_id);
      if (!it || it->sitting_id != sitting_id)
        throw field_error("item_id", "not_found", "The item is not on this agenda.");
      if (it->status == "withdrawn" || it->status == "done")
        throw conflict("item-over", "This item is already dealt with.");
      if (kind == "move") {
        if (!position || *position < 1 || *position > static_cast<std::int64_t>(list.size()))
          throw field_error("position", "out_of_range", "Give the new place on the agenda.");
        c.position = position;
      }
      c.item_id = item_id;
      title = it->title;
    } else {
      throw field_error("kind", "invalid", "Choose add, withdraw or move.");
    }
    auto now = now_seconds();
    c.id = db::insert_agenda_change(tx, c, who.person_id, now);
    audit_.append(tx, actor_of(who), "council.agenda_change_proposed",
                  "sitting:" + id_string(sitting_id),
                  {{"change_id", id_string(c.id)}, {"kind", kind}, {"title", title}});
    VoteInput vi;
    vi.title = title;  // the vote's agenda_change says what is to happen to it
    vi.kind = "named";
    return open_vote_tx(tx, who, *s, vi, c.id);
  });
}

void CouncilService::apply_agenda_change(Tx& tx, const AgendaChange& c, std::int64_t vote_id) {
  auto now = now_seconds();
  auto list = db::items(tx, c.sitting_id);
  auto renumber = [&](std::vector<Item>& order) {
    for (std::size_t k = 0; k < order.size(); ++k)
      if (order[k].position != static_cast<std::int64_t>(k) + 1) {
        order[k].position = static_cast<std::int64_t>(k) + 1;
        db::update_item(tx, order[k], now);
      }
  };
  if (c.kind == "add") {
    auto p = json::parse(c.payload).as_object();
    Item i;
    i.sitting_id = c.sitting_id;
    i.title = p.at("title").as_string();
    i.rapporteur = p.at("rapporteur").as_string();
    i.draft = p.at("draft").as_string();
    auto& mj = p.at("majority").as_object();
    i.majority.id = mj.at("id").as_string();
    i.majority.base = base_from(mj.at("base").as_string()).value_or(Base::present);
    i.majority.fraction = {mj.at("num").as_int64(), mj.at("den").as_int64(),
                           mj.at("strict").as_bool()};
    i.named_required = p.at("named_required").as_bool();
    i.status = "pending";
    i.added_by_vote = vote_id;
    i.position = static_cast<std::int64_t>(list.size()) + 1;
    i.id = db::insert_item(tx, i, now);
    open_materials(tx, i, *db::sitting(tx, c.sitting_id));
    auto to = std::clamp<std::int64_t>(c.position.value_or(i.position), 1, i.position);
    list.insert(list.begin() + (to - 1), i);
    renumber(list);
  } else if (c.kind == "withdraw") {
    std::vector<Item> rest;
    for (auto& o : list) {
      if (o.id == c.item_id) {
        o.status = "withdrawn";
        db::update_item(tx, o, now);
      }
      rest.push_back(o);
    }
  } else if (c.kind == "move") {
    std::vector<Item> order;
    std::optional<Item> moving;
    for (auto& o : list)
      if (o.id == c.item_id)
        moving = o;
      else
        order.push_back(o);
    if (moving) {
      auto to =
          std::clamp<std::int64_t>(*c.position, 1, static_cast<std::int64_t>(order.size()) + 1);
      order.insert(order.begin() + (to - 1), *moving);
      renumber(order);
    }
  }
}

// ---------------------------------------------------------------- attendance

SittingView CouncilService::register_presence(const Principal& who, std::int64_t sitting_id,
                                              bool remote, const std::string& password,
                                              const std::optional<std::string>& totp) {
  require_scope(who, "council.vote");
  auto s = db_.read([&](Tx& tx) { return db::sitting(tx, sitting_id); });
  if (!s || who.guest()) throw not_found("No such sitting.");
  auto me = db_.read(
      [&](Tx& tx) { return standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s)); });
  if (!me.votes) throw forbidden("Only the body's members register as present.");
  if (s->status != "open") throw conflict("sitting-not-open", "The sitting is not open.");
  if (remote && s->mode == "in_person")
    throw field_error("remote", "not_allowed", "This sitting is held in person only.");
  if (!remote && s->mode == "remote")
    throw field_error("remote", "required", "This sitting is held remotely.");
  // A remote member proves again who they are before they count towards the quorum, and shows
  // their face when the body's rules say so.
  if (remote) identity_.confirm_identity(who, password, totp);
  if (remote && db_.read([&](Tx& tx) { return db::body(tx, s->body_id)->camera_required; }) &&
      !(s->room_id && camera_on_ && camera_on_(who.person_id, *s->room_id)))
    throw conflict("camera-required",
                   "The council's rules require your camera: join the video sitting with the "
                   "camera on, then register.");
  return db_.write([&](Tx& tx) {
    auto cur = db::sitting(tx, sitting_id);
    if (cur->status != "open") throw conflict("sitting-not-open", "The sitting is not open.");
    auto p = db::presence(tx, sitting_id, who.person_id);
    auto now = now_seconds();
    if (!p || !p->present || p->remote != remote) {
      if (p && p->present)
        db::log_attendance(tx, sitting_id, who.person_id, "left", p->remote, "self", who.person_id,
                           now);
      db::set_presence(tx, sitting_id, who.person_id, true, remote, now);
      db::log_attendance(tx, sitting_id, who.person_id, "arrived", remote, "self", who.person_id,
                         now);
      audit_.append(tx, actor_of(who), "council.registered", "sitting:" + id_string(sitting_id),
                    {{"remote", remote}});
      changed(tx, sitting_id, "attendance");
    }
    return view(tx, who, *cur);
  });
}

SittingView CouncilService::leave(const Principal& who, std::int64_t sitting_id) {
  require_scope(who, "council.vote");
  return db_.write([&](Tx& tx) {
    auto s = db::sitting(tx, sitting_id);
    if (!s || who.guest()) throw not_found("No such sitting.");
    auto p = db::presence(tx, sitting_id, who.person_id);
    if (p && p->present) {
      auto now = now_seconds();
      db::set_presence(tx, sitting_id, who.person_id, false, p->remote, now);
      db::log_attendance(tx, sitting_id, who.person_id, "left", p->remote, "self", who.person_id,
                         now);
      audit_.append(tx, actor_of(who), "council.left", "sitting:" + id_string(sitting_id));
      changed(tx, sitting_id, "attendance");
    }
    return view(tx, who, *s);
  });
}

SittingView CouncilService::mark_presence(const Principal& who, std::int64_t sitting_id,
                                          const std::vector<std::pair<std::int64_t, bool>>& marks,
                                          const std::string& how) {
  require_scope(who, "council.manage");
  return db_.write([&](Tx& tx) {
    auto s = db::sitting(tx, sitting_id);
    if (!s) throw not_found("No such sitting.");
    auto day = sitting_day(*s);
    auto me = standing(tx, who, *db::body(tx, s->body_id), day);
    if (how == "roll_call" && !me.presides)
      throw forbidden("Only the chair or a deputy chair calls the roll.");
    if (how == "clerk" && !me.clerks && !me.presides)
      throw forbidden("Only the body's clerks and chairs correct attendance.");
    if (s->status != "open") throw conflict("sitting-not-open", "The sitting is not open.");
    std::set<std::int64_t> voting;
    for (auto& m : db::memberships(tx, s->body_id, day))
      if (votes(m.role)) voting.insert(m.person_id);
    std::vector<FieldError> errors;
    for (std::size_t k = 0; k < marks.size(); ++k)
      if (!voting.count(marks[k].first))
        errors.push_back({"marks[" + std::to_string(k) + "].person_id", "not_member",
                          "Not a member of this body on the day of the sitting."});
    if (!errors.empty()) throw validation_error(errors);
    auto now = now_seconds();
    json::array changes;
    for (auto& [person, present] : marks) {
      auto p = db::presence(tx, sitting_id, person);
      bool was = p && p->present;
      if (was == present) continue;
      bool remote = p ? p->remote : s->mode == "remote";
      db::set_presence(tx, sitting_id, person, present, remote, now);
      db::log_attendance(tx, sitting_id, person, present ? "arrived" : "left", remote, how,
                         who.person_id, now);
      changes.push_back(json::object{{"person_id", id_string(person)}, {"present", present}});
    }
    audit_.append(tx, actor_of(who), "council.attendance_marked",
                  "sitting:" + id_string(sitting_id), {{"how", how}, {"changes", changes}});
    if (!changes.empty()) changed(tx, sitting_id, "attendance");
    return view(tx, who, *s);
  });
}

std::vector<AttendanceEvent> CouncilService::attendance_log(const Principal& who,
                                                            std::int64_t sitting_id) {
  if (who.guest()) throw forbidden();
  return db_.read([&](Tx& tx) {
    if (!db::sitting(tx, sitting_id)) throw not_found("No such sitting.");
    return db::attendance_log(tx, sitting_id);
  });
}

void CouncilService::declare_conflict(const Principal& who, std::int64_t item_id,
                                      const std::string& note) {
  require_scope(who, "council.vote");
  if (utf8_length(note) > 1000) throw field_error("note", "too_long", "At most 1,000 characters.");
  db_.write([&](Tx& tx) {
    auto i = db::item(tx, item_id);
    if (!i || who.guest()) throw not_found("No such agenda item.");
    auto s = db::sitting(tx, i->sitting_id);
    auto me = standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s));
    if (!me.votes) throw forbidden("Only the body's members declare conflicts of interest.");
    if (s->status == "closed" || s->status == "cancelled")
      throw conflict("sitting-over", "The sitting is over.");
    if (auto open = db::open_vote_in(tx, s->id)) {
      auto v = db::vote(tx, *open);
      if (v->item_id == item_id)
        throw conflict("vote-open", "Declare a conflict before the vote on the item opens.");
    }
    for (auto& x : db::votes(tx, s->id))
      if (x.item_id == item_id && x.status == "closed" && !x.repeat_of)
        throw conflict("vote-closed",
                       "The item has been voted on; a conflict is declared before the vote.");
    if (db::has_conflict(tx, item_id, who.person_id))
      throw conflict("already-declared", "You have declared a conflict on this item already.");
    db::insert_conflict(tx, item_id, who.person_id, note, now_seconds());
    audit_.append(tx, actor_of(who), "council.conflict_declared", "sitting:" + id_string(s->id),
                  {{"item_id", id_string(item_id)}, {"note", note}});
    changed(tx, s->id, "conflicts");
  });
}

// ---------------------------------------------------------------- speakers

Speaker CouncilService::request_floor(const Principal& who, std::int64_t sitting_id,
                                      const std::string& kind, std::optional<std::int64_t> item_id,
                                      std::optional<std::int64_t> person_id) {
  require_scope(who, "council.vote");
  if (!speaker_priority(kind))
    throw field_error("kind", "invalid", "Choose speech, reply or point_of_order.");
  return db_.write([&](Tx& tx) {
    auto s = db::sitting(tx, sitting_id);
    if (!s || who.guest()) throw not_found("No such sitting.");
    auto me = standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s));
    std::int64_t speaker = person_id.value_or(who.person_id);
    if (speaker != who.person_id) {
      if (!me.presides) throw forbidden("Only the chair puts someone else on the list.");
      auto p = tx.one("SELECT status FROM people WHERE id = ?", {speaker});
      if (!p || p->text(0) == "disabled")
        throw field_error("person_id", "not_found", "There is no such person.");
    } else if (!me.votes && !me.presides) {
      throw forbidden("Only the body's members ask for the floor.");
    }
    if (s->status != "open") throw conflict("sitting-not-open", "The sitting is not open.");
    if (item_id) {
      auto i = db::item(tx, *item_id);
      if (!i || i->sitting_id != sitting_id)
        throw field_error("item_id", "not_found", "The item is not on this agenda.");
    }
    for (auto& x : db::speakers(tx, sitting_id))
      if (x.person_id == speaker && x.kind == kind && x.status == "waiting")
        throw conflict("already-waiting", "This request is on the list already.");
    Speaker sp;
    sp.sitting_id = sitting_id;
    sp.item_id = item_id;
    sp.person_id = speaker;
    sp.kind = kind;
    sp.status = "waiting";
    sp.requested_at = now_seconds();
    sp.id = db::insert_speaker(tx, sp);
    audit_.append(
        tx, actor_of(who), "council.floor_requested", "sitting:" + id_string(sitting_id),
        {{"speaker_id", id_string(sp.id)}, {"person_id", id_string(speaker)}, {"kind", kind}});
    changed(tx, sitting_id, "speakers");
    return *db::speaker(tx, sp.id);
  });
}

void CouncilService::withdraw_request(const Principal& who, std::int64_t speaker_id) {
  require_scope(who, "council.vote");
  db_.write([&](Tx& tx) {
    auto sp = db::speaker(tx, speaker_id);
    if (!sp || who.guest()) throw not_found("No such request.");
    auto s = db::sitting(tx, sp->sitting_id);
    auto me = standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s));
    if (sp->person_id != who.person_id && !me.presides)
      throw forbidden("Only the speaker or the chair takes a request back.");
    if (sp->status != "waiting") throw conflict("not-waiting", "This request is not waiting.");
    sp->status = "withdrawn";
    db::update_speaker(tx, *sp);
    audit_.append(tx, actor_of(who), "council.floor_withdrawn", "sitting:" + id_string(s->id),
                  {{"speaker_id", id_string(speaker_id)}});
    changed(tx, s->id, "speakers");
  });
}

Speaker CouncilService::give_floor(const Principal& who, std::int64_t speaker_id,
                                   std::optional<std::int64_t> seconds) {
  require_scope(who, "council.manage");
  if (seconds && (*seconds < 10 || *seconds > 3600))
    throw field_error("seconds", "out_of_range", "From 10 seconds to an hour.");
  return db_.write([&](Tx& tx) {
    auto sp = db::speaker(tx, speaker_id);
    if (!sp) throw not_found("No such request.");
    auto s = db::sitting(tx, sp->sitting_id);
    auto me = standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s));
    if (!me.presides) throw forbidden("Only the chair or a deputy chair gives the floor.");
    if (s->status != "open") throw conflict("sitting-not-open", "The sitting is not open.");
    if (sp->status != "waiting") throw conflict("not-waiting", "This request is not waiting.");
    auto now = now_seconds();
    // One speaker at a time: whoever had the floor is done.
    for (auto& x : db::speakers(tx, s->id))
      if (x.status == "speaking") {
        x.status = "done";
        x.ended_at = now;
        db::update_speaker(tx, x);
      }
    sp->status = "speaking";
    sp->started_at = now;
    sp->time_limit = seconds.value_or(default_speaking_time(sp->kind));
    db::update_speaker(tx, *sp);
    audit_.append(tx, actor_of(who), "council.floor_given", "sitting:" + id_string(s->id),
                  {{"speaker_id", id_string(speaker_id)},
                   {"person_id", id_string(sp->person_id)},
                   {"seconds", *sp->time_limit}});
    changed(tx, s->id, "speakers");
    return *db::speaker(tx, speaker_id);
  });
}

Speaker CouncilService::end_floor(const Principal& who, std::int64_t speaker_id) {
  require_scope(who, "council.vote");
  return db_.write([&](Tx& tx) {
    auto sp = db::speaker(tx, speaker_id);
    if (!sp || who.guest()) throw not_found("No such request.");
    auto s = db::sitting(tx, sp->sitting_id);
    auto me = standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s));
    if (sp->person_id != who.person_id && !me.presides)
      throw forbidden("Only the chair or the speaker ends a speech.");
    if (sp->status != "speaking")
      throw conflict("not-speaking", "This speaker does not have the floor.");
    sp->status = "done";
    sp->ended_at = now_seconds();
    db::update_speaker(tx, *sp);
    audit_.append(tx, actor_of(who), "council.floor_ended", "sitting:" + id_string(s->id),
                  {{"speaker_id", id_string(speaker_id)},
                   {"seconds", *sp->ended_at - sp->started_at.value_or(*sp->ended_at)}});
    changed(tx, s->id, "speakers");
    return *db::speaker(tx, speaker_id);
  });
}

std::vector<Speaker> CouncilService::order_speakers(const Principal& who, std::int64_t sitting_id,
                                                    const std::vector<std::int64_t>& ids) {
  require_scope(who, "council.manage");
  return db_.write([&](Tx& tx) {
    auto s = db::sitting(tx, sitting_id);
    if (!s) throw not_found("No such sitting.");
    auto me = standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s));
    if (!me.presides) throw forbidden("Only the chair or a deputy chair orders the speakers.");
    std::map<std::int64_t, Speaker> waiting;
    for (auto& x : db::speakers(tx, sitting_id))
      if (x.status == "waiting") waiting[x.id] = x;
    std::set<std::int64_t> given(ids.begin(), ids.end());
    if (given.size() != ids.size() || given.size() != waiting.size() ||
        !std::all_of(ids.begin(), ids.end(), [&](std::int64_t id) { return waiting.count(id); }))
      throw field_error("ids", "invalid", "Give every waiting request once.");
    std::int64_t position = 0;
    for (auto id : ids) {
      auto& x = waiting[id];
      x.position = ++position;
      db::update_speaker(tx, x);
    }
    audit_.append(tx, actor_of(who), "council.speakers_ordered", "sitting:" + id_string(sitting_id),
                  {{"count", position}});
    changed(tx, sitting_id, "speakers");
    return db::speakers(tx, sitting_id);
  });
}

// ---------------------------------------------------------------- votes

Vote CouncilService::open_vote(const Principal& who, std::int64_t sitting_id, const VoteInput& in) {
  require_scope(who, "council.manage");
  return db_.write([&](Tx& tx) {
    auto s = db::sitting(tx, sitting_id);
    if (!s) throw not_found("No such sitting.");
    return open_vote_tx(tx, who, *s, in, std::nullopt);
  });
}

Vote CouncilService::open_vote_tx(Tx& tx, const Principal& who, const Sitting& s,
                                  const VoteInput& in, std::optional<std::int64_t> change_id) {
  auto day = sitting_day(s);
  auto b = db::body(tx, s.body_id);
  auto me = standing(tx, who, *b, day);
  if (!me.presides) throw forbidden("Only the chair or a deputy chair opens a vote.");
  if (s.status != "open") throw conflict("sitting-not-open", "The sitting is not open.");
  // Two chairs opening votes at once: the sitting's row orders them (PostgreSQL; SQLite has one
  // writer), so the second hears that a vote is open instead of failing on the numbering.
  if (tx.dialect() == store::Dialect::postgresql)
    tx.query("SELECT id FROM council_sittings WHERE id = ? FOR UPDATE", {s.id});
  if (db::open_vote_in(tx, s.id))
    throw conflict("vote-open", "Another vote is open; close it first.");

  Vote v;
  v.sitting_id = s.id;
  v.agenda_change_id = change_id;
  std::optional<Item> item;
  if (in.item_id) {
    item = db::item(tx, *in.item_id);
    if (!item || item->sitting_id != s.id)
      throw field_error("item_id", "not_found", "The item is not on this agenda.");
    if (item->status == "withdrawn")
      throw conflict("item-withdrawn", "This item was withdrawn from the agenda.");
    v.item_id = item->id;
  }
  v.title = in.title.value_or(item ? item->title : "");
  if (v.title.empty() || utf8_length(v.title) > 500)
    throw field_error("title", "invalid",
                      "Give the question put to the vote (1 to 500 characters).");
  bool election = in.candidates.has_value();
  if (election) {
    auto& c = *in.candidates;
    std::set<std::string> seen;
    if (c.size() < 1 || c.size() > 50)
      throw field_error("candidates", "invalid", "Give 1 to 50 candidates.");
    for (std::size_t k = 0; k < c.size(); ++k) {
      if (c[k].empty() || utf8_length(c[k]) > 200 || has_control_chars(c[k], false) ||
          c[k] == "abstain" || c[k] == "yes" || c[k] == "no" || !seen.insert(c[k]).second)
        throw field_error("candidates[" + std::to_string(k) + "]", "invalid",
                          "Each candidate once, by name (1 to 200 characters).");
      v.options.push_back(c[k]);
    }
    v.options.push_back("abstain");
  } else {
    v.options = yes_no_abstain();
  }
  v.kind = in.kind.value_or(election ? "secret" : "named");
  if (v.kind != "named" && v.kind != "open" && v.kind != "secret")
    throw field_error("kind", "invalid", "Choose named, open or secret.");
  if (((item && item->named_required) || (in.majority && in.majority->id == "BG-M2")) &&
      v.kind != "named")
    throw field_error("kind", "named_required", "Decisions of this kind are taken by named vote.");
  if (in.majority)
    v.majority = majority_from(*in.majority, "majority");
  else if (item && !election)
    v.majority = item->majority;
  else
    v.majority = *preset(default_majority(s.jurisdiction, election));
  if (in.repeat_of) {
    auto r = db::vote(tx, *in.repeat_of);
    if (!r || r->sitting_id != s.id || r->status != "closed")
      throw field_error("repeat_of", "not_found", "Repeat a closed vote of this sitting.");
    auto reason = in.repeat_reason.value_or("");
    if (reason.empty() || utf8_length(reason) > 500)
      throw field_error("repeat_reason", "required", "Say why the vote is repeated.");
    v.repeat_of = r->id;
    v.repeat_reason = reason;
  }
  if (in.duration && (*in.duration < 10 || *in.duration > 3600))
    throw field_error("duration", "out_of_range", "From 10 seconds to an hour.");

  // Who may vote is fixed now: the members on the day, present and without a declared conflict.
  auto jurisdiction = s.jurisdiction == "pl" ? Jurisdiction::pl : Jurisdiction::bg;
  v.quorum = quorum_rule(jurisdiction);
  v.seats = s.seats;
  auto present = db::present_people(tx, s.id);
  std::set<std::int64_t> here(present.begin(), present.end());
  std::vector<Voter> voters;
  std::set<std::int64_t> seen;
  for (auto& m : db::memberships(tx, s.body_id, day)) {
    if (!votes(m.role) || !seen.insert(m.person_id).second) continue;
    Voter x;
    x.person_id = m.person_id;
    x.name = m.display_name;
    x.group_name = m.group_name;
    if (!here.count(m.person_id))
      x.status = "absent";
    else if (item && db::has_conflict(tx, item->id, m.person_id))
      x.status = "conflict";
    else
      x.status = "entitled";
    if (here.count(m.person_id)) ++v.present;
    if (x.status == "entitled") ++v.entitled;
    voters.push_back(std::move(x));
  }
  if (!quorate(v.quorum, v.seats, v.present))
    throw Error(ErrorKind::conflict, "no-quorum",
                "There is no quorum: " + std::to_string(v.present) + " present, " +
                    std::to_string(quorum_needed(v.quorum, v.seats)) + " needed.");
  auto now = now_seconds();
  v.number = static_cast<std::int64_t>(db::votes(tx, s.id).size()) + 1;
  v.vote_change = b->vote_change && v.kind != "secret";
  v.opened_at = now;
  if (in.duration) v.closes_at = now + *in.duration;
  v.opened_by = who.person_id;
  v.status = "open";
  v.id = db::insert_vote(tx, v);
  db::insert_voters(tx, v.id, voters);

  json::array options, voter_list;
  for (auto& o : v.options) options.emplace_back(o);
  for (auto& x : voters)
    voter_list.push_back(json::object{{"id", id_string(x.person_id)},
                                      {"name", x.name},
                                      {"group", x.group_name},
                                      {"status", x.status}});
  json::object opened{{"vote_id", id_string(v.id)},
                      {"sitting_id", id_string(s.id)},
                      {"body", s.body_name},
                      {"number", v.number},
                      {"title", v.title},
                      {"item_id", nullable_id(v.item_id)},
                      {"kind", v.kind},
                      {"options", options},
                      {"majority", majority_json(v.majority)},
                      {"quorum", fraction_json(v.quorum)},
                      {"seats", v.seats},
                      {"present", v.present},
                      {"entitled", v.entitled},
                      {"vote_change", v.vote_change},
                      {"voters", voter_list},
                      {"repeat_of", nullable_id(v.repeat_of)},
                      {"repeat_reason", v.repeat_reason},
                      {"opened_at", rfc3339(now)},
                      {"closes_at", nullable_time(v.closes_at)}};
  db::append_ledger(tx, key_, v.id, "opened", text_of(opened));
  if (item && item->status == "pending") {
    item->status = "current";
    db::update_item(tx, *item, now);
  }
  if (v.closes_at) jobs_.enqueue(tx, "council.vote-timeout", {{"vote_id", v.id}}, *v.closes_at, 3);
  audit_.append(tx, actor_of(who), "council.vote_opened", "vote:" + id_string(v.id),
                {{"sitting_id", id_string(s.id)},
                 {"title", v.title},
                 {"kind", v.kind},
                 {"majority", majority_json(v.majority)},
                 {"present", v.present},
                 {"entitled", v.entitled}});
  bus_.publish(tx, "council:" + std::to_string(s.id), "council.vote_opened",
               json::object{{"sitting_id", id_string(s.id)}, {"vote_id", id_string(v.id)}});
  return *db::vote(tx, v.id);
}

// Ballots are written in batches: whoever finds no batch being written writes everything
// queued so far in one transaction, and those who queued meanwhile wait for it. Each ballot is
// still committed before its answer goes out; many share one commit (one fsync on PostgreSQL,
// one hold of the vote's row lock) instead of queueing behind each other's.
Cast CouncilService::cast(const Principal& who, std::int64_t vote_id, const std::string& choice) {
  if (who.guest()) throw not_found("No such vote.");
  require_scope(who, "council.vote");
  PendingBallot mine;
  mine.person_id = who.person_id;
  mine.vote_id = vote_id;
  mine.choice = choice;
  std::unique_lock lock(box_mu_);
  box_queue_.push_back(&mine);
  while (!mine.done) {
    if (box_writing_) {
      box_cv_.wait(lock);
      continue;
    }
    box_writing_ = true;
    auto batch = std::move(box_queue_);
    box_queue_.clear();
    lock.unlock();
    write_ballots(batch);
    lock.lock();
    for (auto* p : batch) p->done = true;  // read by their waiters under this lock
    box_writing_ = false;
    box_cv_.notify_all();
  }
  if (mine.error) std::rethrow_exception(mine.error);
  return mine.cast;
}

void CouncilService::write_ballots(std::vector<PendingBallot*>& batch) {
  // One vote's row lock at a time, always in the same order: two nodes cannot deadlock.
  // Rows locked in one order (vote, then person) by every batch and every close: two nodes
  // cannot deadlock.
  std::stable_sort(batch.begin(), batch.end(), [](const PendingBallot* a, const PendingBallot* b) {
    return std::pair{a->vote_id, a->person_id} < std::pair{b->vote_id, b->person_id};
  });
  try {
    db_.write([&](Tx& tx) {
      for (std::size_t k = 0; k < batch.size();) {
        std::size_t end = k;
        while (end < batch.size() && batch[end]->vote_id == batch[k]->vote_id) ++end;
        write_ballots_of(tx, std::vector<PendingBallot*>(batch.begin() + k, batch.begin() + end));
        k = end;
      }
    });
  } catch (...) {
    for (auto* p : batch) p->error = std::current_exception();
  }
}

// The ballots of one vote in a batch. A ballot that is refused is refused before it writes
// anything, so the others go on.
void CouncilService::write_ballots_of(Tx& tx, const std::vector<PendingBallot*>& ballots) {
  auto vote_id = ballots.front()->vote_id;
  auto refuse_all = [&](const Error& e) {
    for (auto* p : ballots) p->error = std::make_exception_ptr(e);
  };
  auto v = db::vote(tx, vote_id);
  if (!v) return refuse_all(not_found("No such vote."));
  auto now = now_seconds();
  auto closed = [&](const Vote& x) {
    return x.status != "open" || (x.closes_at && *x.closes_at <= now);
  };
  if (closed(*v)) return refuse_all(conflict("vote-closed", "This vote is closed."));
  // The voters are claimed before the vote's row is locked: the lock (which orders the ledger)
  // is then held only for the few statements that need it and the commit. Should the vote close
  // in between, the savepoint takes the claims back.
  tx.exec("SAVEPOINT ballots");
  struct Accepted {
    PendingBallot* p;
    std::string ballot;  // a secret ballot's random id
    bool changed = false;
  };
  std::vector<Accepted> accepted;
  std::vector<std::pair<std::string, std::string>> entries;
  std::int64_t newly = 0;
  for (auto* p : ballots) {
    p->error = nullptr;
    try {
      if (std::find(v->options.begin(), v->options.end(), p->choice) == v->options.end())
        throw field_error("choice", "invalid", "Choose one of the options.");
      auto name = db::claim_vote(tx, vote_id, p->person_id);
      bool changed = false;
      if (!name) {
        // Why not: only then is the voter's row read.
        auto me = db::voter(tx, vote_id, p->person_id);
        if (!me) throw forbidden("Only the body's members vote.");
        if (me->status == "absent")
          throw Error(ErrorKind::forbidden, "not-present",
                      "You were not registered as present when the vote opened.");
        if (me->status == "conflict")
          throw Error(ErrorKind::forbidden, "conflict-of-interest",
                      "You declared a conflict of interest on this item.");
        if (!v->vote_change) throw conflict("already-voted", "You have voted in this vote.");
        changed = true;
        name = me->name;
      }
      Accepted a{p, "", changed};
      if (v->kind == "secret") {
        // Nothing here names the voter: a random ballot id, the choice, no time. It enters the
        // ledger at the close, in the order of the ids, so the chain does not tell who voted
        // when.
        a.ballot = security::random_token(16);
      } else {
        json::object payload{
            {"voter", id_string(p->person_id)}, {"name", *name}, {"choice", p->choice}};
        // PL-N: a named list the clerk entered when the devices failed says so, and by whom.
        if (p->entered_by) payload["entered_by"] = id_string(*p->entered_by);
        entries.emplace_back("ballot", text_of(payload));
      }
      if (!changed) ++newly;
      accepted.push_back(std::move(a));
    } catch (const Error&) {
      p->error = std::current_exception();
    }
  }
  if (accepted.empty()) {
    tx.exec("RELEASE SAVEPOINT ballots");
    return;
  }
  auto locked = db::vote(tx, vote_id, true);
  if (closed(*locked)) {
    tx.exec("ROLLBACK TO SAVEPOINT ballots");
    tx.exec("RELEASE SAVEPOINT ballots");
    for (auto& a : accepted)
      a.p->error = std::make_exception_ptr(conflict("vote-closed", "This vote is closed."));
    return;
  }
  // From here on nothing is refused: these writes commit together or not at all.
  if (v->kind == "secret") {
    std::vector<db::SecretBallot> secret;
    for (auto& a : accepted) {
      db::SecretBallot b{a.ballot, a.p->choice, secret_receipt(a.ballot), ""};
      b.signature = security::hex(key_.sign(secret_ballot_bytes(vote_id, a.ballot, b.choice)));
      a.p->cast = {vote_id, 0, b.receipt, b.choice, false};
      secret.push_back(std::move(b));
    }
    db::insert_secret_ballots(tx, vote_id, secret);
    db::count_voted(tx, vote_id, newly);
  } else {
    auto written = db::append_ledger(tx, key_, vote_id, entries, newly);
    std::vector<db::NewBallot> fresh;
    std::map<std::int64_t, std::size_t> fresh_of;  // person → their new ballot in this batch
    for (std::size_t k = 0; k < accepted.size(); ++k) {
      auto& a = accepted[k];
      const auto& e = written[k];
      auto mine = fresh_of.find(a.p->person_id);
      if (mine != fresh_of.end()) {
        // A second ballot of the same person in the same batch (a change): it replaces the
        // first before either is stored, as the ledger's order says.
        fresh[mine->second].choice = a.p->choice;
        fresh[mine->second].seq = e.seq;
      } else if (a.changed) {
        db::change_ballot(tx, vote_id, a.p->person_id, a.p->choice, e.seq, now);
      } else {
        fresh_of[a.p->person_id] = fresh.size();
        fresh.push_back({a.p->person_id, a.p->choice, e.seq});
      }
      a.p->cast = {vote_id, e.seq, *e.receipt, a.p->choice, a.changed};
    }
    db::insert_ballots(tx, vote_id, fresh, now);
  }
  if (ballots.front()->entered_by && !locked->manual)
    tx.exec("UPDATE council_votes SET manual = 1 WHERE id = ?", {vote_id});
  tx.exec("RELEASE SAVEPOINT ballots");
  tx.on_commit([this, vote_id] { progress_changed(vote_id); });
}

std::vector<ListedBallot> CouncilService::enter_named_list(
    const Principal& who, std::int64_t vote_id,
    const std::vector<std::pair<std::int64_t, std::string>>& list) {
  require_scope(who, "council.manage");
  auto v = db_.read([&](Tx& tx) { return db::vote(tx, vote_id); });
  if (!v || who.guest()) throw not_found("No such vote.");
  auto s = db_.read([&](Tx& tx) { return *db::sitting(tx, v->sitting_id); });
  auto me =
      db_.read([&](Tx& tx) { return standing(tx, who, *db::body(tx, s.body_id), sitting_day(s)); });
  if (!me.clerks && !me.presides)
    throw forbidden("Only the body's clerks and chairs enter a named list.");
  if (v->kind == "secret")
    throw conflict("secret-vote", "A secret vote cannot be taken by calling names.");
  if (list.empty() || list.size() > 100000)
    throw field_error("ballots", "required", "Give each member's choice.");
  std::set<std::int64_t> named;
  for (std::size_t k = 0; k < list.size(); ++k)
    if (!named.insert(list[k].first).second)
      throw field_error("ballots[" + std::to_string(k) + "].person_id", "duplicate",
                        "Each member once.");
  std::vector<PendingBallot> pending(list.size());
  std::vector<PendingBallot*> batch;
  for (std::size_t k = 0; k < list.size(); ++k) {
    pending[k].person_id = list[k].first;
    pending[k].vote_id = vote_id;
    pending[k].choice = list[k].second;
    pending[k].entered_by = who.person_id;
    batch.push_back(&pending[k]);
  }
  // The whole list as one batch of its own, after whatever members' ballots are being written.
  {
    std::unique_lock lock(box_mu_);
    box_cv_.wait(lock, [&] { return !box_writing_; });
    box_writing_ = true;
  }
  write_ballots(batch);
  {
    std::lock_guard lock(box_mu_);
    box_writing_ = false;
  }
  box_cv_.notify_all();
  std::vector<ListedBallot> out;
  std::int64_t entered = 0;
  for (auto& p : pending) {
    ListedBallot b{p.person_id, p.choice, std::nullopt, std::nullopt};
    if (p.error) {
      try {
        std::rethrow_exception(p.error);
      } catch (const Error& e) {
        b.problem = e.slug();
      } catch (...) {
        throw;  // the database failed: nothing was entered
      }
    } else {
      b.receipt = p.cast.receipt;
      ++entered;
    }
    out.push_back(std::move(b));
  }
  db_.write([&](Tx& tx) {
    audit_.append(
        tx, actor_of(who), "council.named_list_entered", "vote:" + id_string(vote_id),
        {{"entered", entered}, {"refused", static_cast<std::int64_t>(out.size()) - entered}});
  });
  return out;
}

// A close takes the rows in the order ballots do (the voters, then the vote), so that a close and
// a batch of ballots cannot wait for each other on PostgreSQL.
std::optional<Vote> CouncilService::lock_for_close(Tx& tx, std::int64_t vote_id) {
  if (tx.dialect() == store::Dialect::postgresql)
    tx.query(
        "SELECT person_id FROM council_vote_voters WHERE vote_id = ? ORDER BY person_id FOR "
        "UPDATE",
        {vote_id});
  return db::vote(tx, vote_id, true);
}

Vote CouncilService::close_vote(const Principal& who, std::int64_t vote_id) {
  require_scope(who, "council.manage");
  return db_.write([&](Tx& tx) {
    auto v = lock_for_close(tx, vote_id);
    if (!v) throw not_found("No such vote.");
    auto s = db::sitting(tx, v->sitting_id);
    auto me = standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s));
    if (!me.presides) throw forbidden("Only the chair or a deputy chair closes a vote.");
    if (v->status != "open") throw conflict("vote-closed", "This vote is closed already.");
    auto closed = close_vote_tx(tx, who.person_id, vote_id);
    audit_.append(tx, actor_of(who), "council.vote_closed", "vote:" + id_string(vote_id),
                  {{"result", closed.result.value_or("")}, {"tally", json::parse(closed.tally)}});
    return closed;
  });
}

void CouncilService::close_due_votes() {
  auto due = db_.read([&](Tx& tx) { return db::votes_due(tx, now_seconds()); });
  for (auto id : due) {
    db_.write([&](Tx& tx) {
      auto v = lock_for_close(tx, id);
      if (!v || v->status != "open") return;
      auto closed = close_vote_tx(tx, std::nullopt, id);
      audit_.append(tx, {std::nullopt, "system", "council"}, "council.vote_closed",
                    "vote:" + id_string(id),
                    {{"result", closed.result.value_or("")},
                     {"tally", json::parse(closed.tally)},
                     {"reason", "time"}});
    });
  }
}

Vote CouncilService::close_vote_tx(Tx& tx, std::optional<std::int64_t> by, std::int64_t vote_id) {
  auto v = *db::vote(tx, vote_id, true);
  std::map<std::string, std::int64_t> counts;
  for (auto& o : v.options) counts[o] = 0;
  std::vector<db::SecretBallot> secret;
  if (v.kind == "secret") {
    secret = db::secret_ballots(tx, vote_id);
    for (auto& b : secret) {
      // Each was signed when cast: one changed or added with only the database is found here.
      auto sig = security::unhex(b.signature);
      if (!sig ||
          !security::verify_signature(key_.public_key,
                                      secret_ballot_bytes(vote_id, b.ballot, b.choice), *sig) ||
          std::find(v.options.begin(), v.options.end(), b.choice) == v.options.end())
        throw Error(ErrorKind::conflict, "ballots-damaged",
                    "A stored ballot of this vote does not bear the server's signature; the vote "
                    "is not counted. Check the database.");
      ++counts[b.choice];
    }
    if (static_cast<std::int64_t>(secret.size()) != v.voted)
      throw Error(
          ErrorKind::conflict, "ballots-damaged",
          "The stored ballots are not as many as those who voted; the vote is not counted.");
  } else {
    for (auto& [person, c] : db::ballots(tx, vote_id)) ++counts[c];
  }
  auto count = tally_for(v.options, counts);
  auto outcome = decide(v.majority, v.quorum, v.seats, v.present, count.tally);
  auto now = now_seconds();
  json::object tally;
  for (auto& o : v.options) tally[o] = counts[o];
  v.status = "closed";
  v.closed_at = now;
  v.closed_by = by;
  v.result = std::string(to_string(outcome));
  v.tally = json::serialize(tally);
  std::optional<std::string> winner;
  if (outcome == Outcome::adopted) winner = count.winner;
  db::close_vote(tx, v);
  // A secret vote's ballots go into its ledger now, in the order of their random ids.
  std::vector<std::pair<std::string, std::string>> published;
  for (auto& b : secret)
    published.emplace_back("ballot", text_of({{"ballot", b.ballot}, {"choice", b.choice}}));
  db::append_ledger(tx, key_, vote_id, published, 0);
  db::append_ledger(tx, key_, vote_id, "closed",
                    text_of({{"result", *v.result},
                             {"winner", winner.value_or("")},
                             {"tally", tally},
                             {"voted", v.voted},
                             {"closed_at", rfc3339(now)}}));
  if (v.kind == "secret") db::reshuffle_secret(tx, vote_id);
  if (v.item_id) {
    if (auto i = db::item(tx, *v.item_id); i && i->status == "current") {
      i->status = "done";
      db::update_item(tx, *i, now);
    }
  }
  if (v.agenda_change_id) {
    auto c = db::agenda_change(tx, *v.agenda_change_id);
    if (outcome == Outcome::adopted) {
      apply_agenda_change(tx, *c, vote_id);
      db::set_agenda_change_status(tx, c->id, "adopted");
    } else {
      db::set_agenda_change_status(tx, c->id, "rejected");
    }
  }
  // The result itself travels with the news, so thousands of screens need not ask for it.
  bus_.publish(tx, "council:" + std::to_string(v.sitting_id), "council.vote_closed",
               json::object{{"sitting_id", id_string(v.sitting_id)},
                            {"vote_id", id_string(vote_id)},
                            {"number", v.number},
                            {"title", v.title},
                            {"result", *v.result},
                            {"winner", winner ? json::value(*winner) : json::value(nullptr)},
                            {"tally", tally},
                            {"voted", v.voted}});
  bus_.publish(
      tx, "council-public", "council.vote_closed",
      json::object{{"sitting_id", id_string(v.sitting_id)}, {"vote_id", id_string(vote_id)}});
  return *db::vote(tx, vote_id);
}

Vote CouncilService::vote(const Principal& who, std::int64_t vote_id) {
  if (who.guest()) throw not_found("No such vote.");
  return db_.read([&](Tx& tx) {
    auto v = db::vote(tx, vote_id);
    if (!v) throw not_found("No such vote.");
    return *v;
  });
}

std::vector<Voter> CouncilService::voters(const Principal& who, std::int64_t vote_id) {
  if (who.guest()) throw not_found("No such vote.");
  return db_.read([&](Tx& tx) {
    auto v = db::vote(tx, vote_id);
    if (!v) throw not_found("No such vote.");
    auto list = db::voters(tx, vote_id);
    if (v->status == "open") {
      // While the vote is open, who has voted is the chair's and the clerk's to see (and each
      // member's own); nobody else can note the order in which people vote.
      auto s = db::sitting(tx, v->sitting_id);
      auto me = standing(tx, who, *db::body(tx, s->body_id), sitting_day(*s));
      if (!me.presides && !me.clerks)
        for (auto& x : list)
          if (x.person_id != who.person_id) x.voted = false;
    }
    if (v->status == "closed" && v->kind != "secret") {
      std::map<std::int64_t, std::string> choice;
      for (auto& [p, c] : db::ballots(tx, vote_id)) choice[p] = c;
      for (auto& x : list)
        if (auto it = choice.find(x.person_id); it != choice.end()) x.choice = it->second;
    }
    return list;
  });
}

// ---------------------------------------------------------------- public checks

std::vector<LedgerEntry> CouncilService::ledger(std::int64_t vote_id) {
  return db_.read([&](Tx& tx) {
    auto v = db::vote(tx, vote_id);
    if (!v) throw not_found("No such vote.");
    if (v->status == "open")
      throw conflict("vote-open", "The ledger is published when the vote closes.");
    return db::ledger(tx, vote_id);
  });
}

ReceiptView CouncilService::receipt(const std::string& text) {
  auto r = normalize_receipt(text);
  if (!r) throw field_error("receipt", "invalid", "A receipt has 16 letters and digits.");
  return db_.read([&](Tx& tx) {
    auto e = db::by_receipt(tx, *r);
    if (!e) {
      // A secret ballot of a vote still open: kept, not yet in the ledger.
      auto secret = db::secret_by_receipt(tx, *r);
      if (!secret) throw not_found("No ballot has this receipt.");
      auto v = db::vote(tx, secret->first);
      ReceiptView out;
      out.vote_id = v->id;
      out.sitting_id = v->sitting_id;
      out.vote_title = v->title;
      out.vote_status = v->status;
      out.result = v->result;
      out.choice = secret->second;
      return out;
    }
    auto v = db::vote(tx, e->vote_id);
    ReceiptView out;
    out.vote_id = v->id;
    out.seq = e->seq;
    out.sitting_id = v->sitting_id;
    out.vote_title = v->title;
    out.vote_status = v->status;
    out.result = v->result;
    try {
      out.choice = json::parse(e->payload).as_object().at("choice").as_string();
    } catch (...) {
    }
    return out;
  });
}

Replay CouncilService::verify(std::int64_t vote_id) {
  auto entries = db_.read([&](Tx& tx) {
    if (!db::vote(tx, vote_id)) throw not_found("No such vote.");
    return db::ledger(tx, vote_id);
  });
  return replay(entries, key_.public_key);
}

std::vector<std::int64_t> CouncilService::all_votes() {
  return db_.read([&](Tx& tx) {
    std::vector<std::int64_t> out;
    for (auto& r : tx.query("SELECT id FROM council_votes ORDER BY id")) out.push_back(r.int64(0));
    return out;
  });
}

}  // namespace ratusha::council
