#include "workspace/service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "mail/mime.hpp"
#include "security/crypto.hpp"
#include "workspace/calendar.hpp"
#include "workspace/rules.hpp"
#include "workspace/service_util.hpp"
#include "workspace/store.hpp"

namespace ratusha::workspace {

using identity::Principal;
using store::Tx;

using detail::actor_of;
using detail::is_admin;
using detail::keeps_room;
using detail::occurrence_data;
using detail::target;
using detail::when_text;

namespace {

std::string partstat(const std::string& response) {
  if (response == "accepted") return "ACCEPTED";
  if (response == "tentative") return "TENTATIVE";
  if (response == "declined") return "DECLINED";
  return "NEEDS-ACTION";
}

// A meeting as a VEVENT (without attendees), and a series with its changed occurrences: the
// cancelled ones as EXDATE, a VEVENT with RECURRENCE-ID for each moved one.
CalendarEvent event_of(const Meeting& m, const std::string& url, std::int64_t stamp) {
  CalendarEvent e;
  e.uid = m.uid;
  e.title = m.title;
  e.description = m.agenda;
  e.location = m.room_name;
  e.url = url;
  e.starts_at = m.starts_at;
  e.ends_at = m.ends_at;
  e.stamp = stamp;
  e.rrule = m.rrule;
  e.zone = m.time_zone;
  e.sequence = m.sequence;
  e.cancelled = m.status == "cancelled";
  e.organiser_name = m.organiser_name;
  return e;
}

void add_series(std::vector<CalendarEvent>& out, const CalendarEvent& e,
                const std::vector<OccurrenceException>& changed) {
  out.push_back(e);
  auto& series = out.back();
  std::vector<CalendarEvent> moved;
  for (auto& x : changed) {
    if (!x.starts_at) {
      series.exdates.push_back(x.original_start);
      continue;
    }
    auto one = e;
    one.rrule.reset();
    one.recurrence_id = x.original_start;
    one.starts_at = *x.starts_at;
    one.ends_at = *x.ends_at;
    moved.push_back(std::move(one));
  }
  for (auto& one : moved) out.push_back(std::move(one));
}

// Checks the text fields of a meeting; all errors at once.
void check_texts(const MeetingInput& in, bool creating) {
  std::vector<FieldError> errors;
  if (creating && !in.title) errors.push_back({"title", "required", "Give the meeting a title."});
  if (in.title && (in.title->empty() || utf8_length(*in.title) > 200))
    errors.push_back(
        {"title", in.title->empty() ? "required" : "too_long", "1 to 200 characters."});
  if (in.agenda && utf8_length(*in.agenda) > 10000)
    errors.push_back({"agenda", "too_long", "At most 10,000 characters."});
  if (in.agenda && has_control_chars(*in.agenda, true))
    errors.push_back({"agenda", "invalid", "Control characters are not allowed."});
  if (creating && !in.start) errors.push_back({"start", "required", "When does it start?"});
  if (creating && !in.duration)
    errors.push_back({"duration", "required", "How long does it last (seconds)?"});
  if (in.duration && (*in.duration < kMinDuration || *in.duration > kMaxDuration))
    errors.push_back({"duration", "out_of_range", "From 5 minutes to 24 hours."});
  if (in.time_zone && !known_zone(*in.time_zone))
    errors.push_back({"time_zone", "invalid", "Not a known time zone (e.g. Europe/Sofia)."});
  if (in.rrule && *in.rrule)
    if (auto why = rrule_problem(**in.rrule)) errors.push_back({"rrule", "invalid", *why});
  if (in.invitees && in.invitees->size() > 500)
    errors.push_back({"invitees", "too_many", "At most 500 invitees (use a unit or a group)."});
  if (!errors.empty()) throw validation_error(errors);
}

}  // namespace

WorkspaceService::WorkspaceService(store::Database& db, audit::AuditLog& audit, events::Bus& bus,
                                   jobs::Queue& jobs, mail::Outbox& mail,
                                   documents::DocumentsService& documents,
                                   identity::IdentityService& identity, WorkspaceOptions options)
    : db_(db),
      audit_(audit),
      bus_(bus),
      jobs_(jobs),
      mail_(mail),
      documents_(documents),
      identity_(identity),
      public_url_(std::move(options.public_url)),
      ring_seconds_(options.ring_seconds) {
  // Drop the kept weeks a change touches, whichever node made it.
  bus_.add_listener([this](const std::string& topic) {
    if (topic.starts_with("person:")) {
      try {
        upcoming_cache_.forget(std::stoll(topic.substr(7)));
      } catch (const std::exception&) {
        upcoming_cache_.forget_all();
      }
    } else if (topic == kRoomsTopic || topic == events::kEventsMissed ||
               topic.starts_with("person-changed:")) {
      upcoming_cache_.forget_all();
    }
  });
  jobs_.handle("workspace.call-timeout", [this](const jobs::Job& j) {
    expire_call(json::parse(j.payload).as_object().at("call_id").to_number<std::int64_t>());
  });
  jobs_.every("workspace.reminders", 30,
              [this](const jobs::Job&) { send_due_reminders(now_seconds()); });
  jobs_.every("workspace.occurrences", 6 * 3600,
              [this](const jobs::Job&) { extend_occurrences(now_seconds()); });
  // Documents can be shared with a meeting: everyone invited to it.
  documents::AudienceSource meetings;
  meetings.kind = "meeting";
  meetings.of_person = [](Tx& tx, std::int64_t person) { return db::meetings_of(tx, person); };
  meetings.name_of = [](Tx& tx, std::int64_t id, std::int64_t person) {
    return db::meeting_title_for(tx, id, person);
  };
  meetings.search = [](Tx& tx, std::int64_t person, const std::string& folded) {
    return db::search_meetings(tx, person, folded);
  };
  documents_.add_audience_source(std::move(meetings));
}

// ---------------------------------------------------------------- rooms

std::vector<Room> WorkspaceService::rooms(const Principal& who) {
  auto own = db_.read([&](Tx& tx) { return db::personal_room(tx, who.person_id); });
  if (!own) db_.write([&](Tx& tx) { detail::own_room(tx, who, now_seconds()); });
  auto rooms = db_.read([&](Tx& tx) {
    return db::rooms_for(tx, who.person_id, is_admin(who), detail::headed_units(who));
  });
  for (auto& r : rooms) r.may_manage = r.kind == "meeting" && keeps_room(who, r.unit_id);
  return rooms;
}

Room WorkspaceService::room(const Principal& who, std::int64_t id) {
  return db_.read([&](Tx& tx) {
    auto r = db::room(tx, id);
    // Members, those who keep meeting rooms, and invitees while their meeting is on.
    bool keeps = r && r->kind == "meeting" && keeps_room(who, r->unit_id);
    if (!r || !(keeps || db::is_room_member(tx, id, who.person_id) ||
                db::invited_in_room_now(tx, id, who.person_id, now_seconds(), kJoinEarly)))
      throw not_found("No such room.");
    r->may_manage = keeps;
    return *r;
  });
}

WorkspaceService::RoomAccess WorkspaceService::room_access(const Principal& who,
                                                           std::int64_t room_id) {
  return db_.read([&](Tx& tx) {
    auto now = now_seconds();
    auto r = db::room(tx, room_id);
    if (!r || r->archived_at) throw not_found("No such room.");
    RoomAccess a;
    a.room = *r;
    bool keeps = r->kind == "meeting" && keeps_room(who, r->unit_id);
    a.room.may_manage = keeps;
    a.host = keeps || (r->kind == "personal" && r->owner_id == who.person_id);
    bool member = db::is_room_member(tx, room_id, who.person_id);
    // The meetings on there now (or within the quarter hour before) that the caller is part of.
    bool invited_now = false;
    for (auto& row : tx.query(
             "SELECT DISTINCT m.id FROM meetings m JOIN meeting_occurrences o ON o.meeting_id = "
             "m.id WHERE m.room_id = ? AND m.status = 'scheduled' AND o.starts_at <= ? AND "
             "o.ends_at > ?",
             {room_id, now + kJoinEarly, now})) {
      auto m = db::meeting(tx, row.int64(0));
      if (!m) continue;
      bool invited = db::invitee(tx, m->id, who.person_id).has_value();
      bool organises = may_edit(tx, who, *m);
      if (invited || organises) {
        invited_now = true;
        if (!a.meeting_id || organises) a.meeting_id = m->id;
      }
      if (organises) a.host = true;
    }
    if (keeps || member || invited_now) return a;
    // Invited to a meeting there that is not on now: say when, or that it is over.
    auto next = tx.one(
        "SELECT MIN(o.starts_at) FROM meetings m JOIN meeting_invitees i ON i.meeting_id = m.id "
        "AND i.person_id = ? JOIN meeting_occurrences o ON o.meeting_id = m.id WHERE m.room_id = ? "
        "AND m.status = 'scheduled' AND o.ends_at > ?",
        {who.person_id, room_id, now});
    if (next && !next->is_null(0)) {
      auto opens = next->int64(0) - kJoinEarly;
      Error e(ErrorKind::conflict, "meeting-not-open",
              "The meeting opens at " + rfc3339(opens) + ", 15 minutes before it starts.");
      e.extensions.emplace_back("opens_at", rfc3339(opens));
      throw e;
    }
    if (tx.one("SELECT 1 FROM meetings m JOIN meeting_invitees i ON i.meeting_id = m.id WHERE "
               "m.room_id = ? AND i.person_id = ?",
               {room_id, who.person_id}))
      throw Error(ErrorKind::gone, "meeting-ended", "Your meeting in this room has ended.");
    throw not_found("No such room.");
  });
}

Room WorkspaceService::kept_room(Tx& tx, const Principal& who, std::int64_t id) {
  auto r = db::room(tx, id);
  if (!r || r->kind != "meeting") throw not_found("No such meeting room.");
  if (!keeps_room(who, r->unit_id)) {
    // Those who may see it learn why; others learn nothing.
    if (db::is_room_member(tx, id, who.person_id))
      throw forbidden("Only administrators, or the head of the room's unit, change it.");
    throw not_found("No such meeting room.");
  }
  return *r;
}

namespace {
void check_room(const NewRoom& r) {
  std::vector<FieldError> errors;
  if (r.name.empty() || utf8_length(r.name) > 200)
    errors.push_back({"name", r.name.empty() ? "required" : "too_long", "1 to 200 characters."});
  if (utf8_length(r.description) > 2000)
    errors.push_back({"description", "too_long", "At most 2,000 characters."});
  if (r.capacity && (*r.capacity < 1 || *r.capacity > 10000))
    errors.push_back({"capacity", "out_of_range", "From 1 to 10,000."});
  if (!errors.empty()) throw validation_error(errors);
}
}  // namespace

Room WorkspaceService::create_room(const Principal& who, const NewRoom& r) {
  if (!keeps_room(who, r.unit_id))
    throw forbidden("Only administrators, or the head of the room's unit, set up meeting rooms.");
  check_room(r);
  return db_.write([&](Tx& tx) {
    if (r.unit_id && !tx.one("SELECT 1 FROM units WHERE id = ?", {*r.unit_id}))
      throw field_error("unit_id", "not_found", "There is no such unit.");
    auto id =
        db::create_room(tx, r.name, r.description, r.unit_id, r.capacity, r.lobby, now_seconds());
    audit_.append(tx, actor_of(who), "room.created", "room:" + std::to_string(id),
                  {{"name", r.name}});
    auto made = *db::room(tx, id);
    made.may_manage = true;
    return made;
  });
}

Room WorkspaceService::update_room(const Principal& who, std::int64_t id, const NewRoom& r) {
  check_room(r);
  return db_.write([&](Tx& tx) {
    auto old = kept_room(tx, who, id);
    // Moving a room to another unit needs the right over both.
    if (!keeps_room(who, r.unit_id))
      throw field_error("unit_id", "forbidden", "You do not look after that unit's rooms.");
    if (r.unit_id && !tx.one("SELECT 1 FROM units WHERE id = ?", {*r.unit_id}))
      throw field_error("unit_id", "not_found", "There is no such unit.");
    tx.exec(
        "UPDATE rooms SET name = ?, description = ?, unit_id = ?, capacity = ?, lobby = ?, "
        "updated_at = ? WHERE id = ?",
        {r.name, r.description, store::opt(r.unit_id), store::opt(r.capacity),
         std::int64_t{r.lobby ? 1 : 0}, now_seconds(), id});
    audit_.append(tx, actor_of(who), "room.updated", "room:" + std::to_string(id),
                  {{"name", r.name}});
    bus_.publish(tx, kRoomsTopic, "room.changed", json::object{{"id", id}});
    auto changed = *db::room(tx, id);
    changed.may_manage = true;
    return changed;
  });
}

std::vector<Invitee> WorkspaceService::room_members(const Principal& who, std::int64_t id) {
  room(who, id);
  return db_.read([&](Tx& tx) { return db::room_members(tx, id); });
}

std::vector<Upcoming> WorkspaceService::room_calendar(const Principal& who, std::int64_t id,
                                                      std::int64_t from, std::int64_t to,
                                                      int limit) {
  if (to <= from) throw field_error("to", "before_from", "The end must come after the start.");
  if (to - from > 400 * 86400) throw field_error("to", "too_far", "At most 400 days at once.");
  room(who, id);
  return db_.read([&](Tx& tx) { return db::room_occurrences(tx, id, from, to, limit); });
}

void WorkspaceService::add_room_member(const Principal& who, std::int64_t id,
                                       std::int64_t person_id) {
  db_.write([&](Tx& tx) {
    kept_room(tx, who, id);
    auto p = tx.one("SELECT status FROM people WHERE id = ?", {person_id});
    if (!p) throw field_error("person_id", "not_found", "There is no such person.");
    if (p->text(0) == "disabled")
      throw field_error("person_id", "disabled", "This person's account is disabled.");
    if (db::is_room_member(tx, id, person_id)) return;
    tx.exec("INSERT INTO room_members (room_id, person_id, added_at) VALUES (?, ?, ?)",
            {id, person_id, now_seconds()});
    audit_.append(tx, actor_of(who), "room.member_added", "room:" + std::to_string(id),
                  {{"person", id_string(person_id)}});
  });
}

void WorkspaceService::remove_room_member(const Principal& who, std::int64_t id,
                                          std::int64_t person_id) {
  db_.write([&](Tx& tx) {
    kept_room(tx, who, id);
    if (tx.exec("DELETE FROM room_members WHERE room_id = ? AND person_id = ?", {id, person_id}) !=
        1)
      throw not_found("This person is not a member of the room.");
    audit_.append(tx, actor_of(who), "room.member_removed", "room:" + std::to_string(id),
                  {{"person", id_string(person_id)}});
  });
}

bool WorkspaceService::may_book(Tx& tx, const Principal& who, const Room& r) {
  if (r.archived_at) return false;
  if (r.kind == "personal") return r.owner_id == who.person_id;
  return keeps_room(who, r.unit_id) || db::is_room_member(tx, r.id, who.person_id);
}

// ---------------------------------------------------------------- meetings

std::vector<std::pair<std::int64_t, std::string>> WorkspaceService::expand_audiences(
    Tx& tx, const std::vector<Audience>& invitees) {
  std::vector<FieldError> errors;
  std::vector<std::pair<std::int64_t, std::string>> people;  // person, via
  std::set<std::int64_t> seen;
  auto add = [&](std::int64_t p, const std::string& via) {
    if (seen.insert(p).second) people.emplace_back(p, via);
  };
  for (std::size_t i = 0; i < invitees.size(); ++i) {
    const auto& a = invitees[i];
    std::string field = "invitees[" + std::to_string(i) + "]";
    std::string via = a.kind + ":" + std::to_string(a.id);
    if (a.kind == "person") {
      auto p = tx.one("SELECT status FROM people WHERE id = ?", {a.id});
      if (!p)
        errors.push_back({field, "not_found", "There is no such person."});
      else if (p->text(0) == "disabled")
        errors.push_back({field, "disabled", "This person's account is disabled."});
      else
        add(a.id, via);
    } else if (a.kind == "unit" || a.kind == "group" || a.kind == "body") {
      auto members = a.kind == "unit"    ? db::unit_people(tx, a.id)
                     : a.kind == "group" ? db::group_people(tx, a.id)
                                         : db::body_people(tx, a.id);
      if (!members) {
        errors.push_back({field, "not_found", "There is no such " + a.kind + "."});
        continue;
      }
      for (auto p : *members) add(p, via);
    } else {
      errors.push_back({field, "invalid", "Invite a person, a unit, a body or a group."});
    }
  }
  if (!errors.empty()) throw validation_error(errors);
  if (people.size() > 2000)
    throw field_error("invitees", "too_many", "More than 2,000 people would be invited.");
  return people;
}

void WorkspaceService::write_occurrences(Tx& tx, Meeting& m, std::int64_t from, std::int64_t now) {
  auto until = std::max(now, m.starts_at) + kHorizon;
  std::vector<std::int64_t> starts;
  if (!m.rrule) {
    if (m.starts_at >= from) starts.push_back(m.starts_at);
    until = m.starts_at + 1;
  } else {
    auto e =
        expand(*m.rrule, *parse_local(m.local_start), m.time_zone, from, until, kMaxOccurrences);
    starts = std::move(e.starts);
    if (!e.more)
      until = std::numeric_limits<std::int64_t>::max() / 2;
    else if (starts.size() >= kMaxOccurrences)
      until = starts.back() + 1;
  }
  // The rule's starts, with its moved and cancelled occurrences applied.
  std::vector<std::pair<std::int64_t, std::int64_t>> spans;
  auto changed = m.rrule ? db::exceptions(tx, m.id) : std::vector<OccurrenceException>{};
  for (auto s : starts) {
    auto e = std::find_if(changed.begin(), changed.end(),
                          [&](const OccurrenceException& x) { return x.original_start == s; });
    if (e == changed.end())
      spans.emplace_back(s, s + m.duration);
    else if (e->starts_at)
      spans.emplace_back(*e->starts_at, *e->ends_at);
  }
  std::sort(spans.begin(), spans.end());
  db::add_occurrences(tx, m.id, spans);
  m.expanded_until = until;
  tx.exec("UPDATE meetings SET expanded_until = ? WHERE id = ?", {until, m.id});
}

std::vector<Conflict> WorkspaceService::conflicts(Tx& tx, const Meeting& m) {
  // The next ten occurrences are checked: enough to warn, bounded whatever the rule.
  return db::conflicts(tx, m.id, 10);
}

void WorkspaceService::open_space(Tx& tx, Meeting& m) {
  // Its documents: the organiser manages, everyone invited may add material.
  auto space = documents_.ensure_space(
      tx, "meeting", m.id, m.title,
      {{"person:" + std::to_string(m.organiser_id), documents::Access::manage},
       {"meeting:" + std::to_string(m.id), documents::Access::edit}});
  m.space_root_id = space.root_id;
}

void WorkspaceService::notify(Tx& tx, std::int64_t person_id, const std::string& kind,
                              const std::string& title, const std::string& body,
                              const std::string& link, json::object data) {
  Notification n;
  n.data = json::serialize(data);
  n.person_id = person_id;
  n.kind = kind;
  n.title = title;
  n.body = body;
  n.link = link;
  n.created_at = now_seconds();
  n.id = db::add_notification(tx, n);
  bus_.publish(tx, "person:" + std::to_string(person_id), "notification",
               json::object{{"id", id_string(n.id)},
                            {"kind", kind},
                            {"title", title},
                            {"body", body},
                            {"link", link},
                            {"data", std::move(data)},
                            {"created_at", rfc3339(n.created_at)}});
}

void WorkspaceService::announce(Tx& tx, const Meeting& m, const std::vector<std::int64_t>& people) {
  for (auto p : people)
    bus_.publish(tx, "person:" + std::to_string(p), "meetings.changed",
                 json::object{{"meeting_id", id_string(m.id)}});
}

void WorkspaceService::mail_invitation(Tx& tx, const Meeting& m, const std::string& method,
                                       const std::vector<std::int64_t>& people,
                                       const std::string& guest_url) {
  if (!mail_.enabled() || people.empty()) return;
  auto invitees = db::invitees(tx, m.id);
  auto e = event_of(m, public_url_ + "/meetings/" + std::to_string(m.id), now_seconds());
  e.cancelled = method == "CANCEL";
  for (auto& i : invitees) {
    if (i.person_id == m.organiser_id) {
      if (i.email && mail::valid_address(*i.email)) e.organiser_email = *i.email;
      continue;
    }
    if (i.email && mail::valid_address(*i.email))
      e.attendees.push_back({i.display_name, *i.email, partstat(i.response)});
  }
  if (e.organiser_email.empty()) e.organiser_email = "noreply@ratusha.invalid";
  std::vector<CalendarEvent> events;
  add_series(events, e, m.rrule ? db::exceptions(tx, m.id) : std::vector<OccurrenceException>{});
  auto ics = calendar_object(method, events);
  for (auto& i : invitees) {
    if (!i.email || !mail::valid_address(*i.email) ||
        std::find(people.begin(), people.end(), i.person_id) == people.end())
      continue;
    mail::Message msg;
    msg.to = *i.email;
    msg.to_name = i.display_name;
    msg.subject = (method == "CANCEL" ? "Cancelled: "
                   : m.sequence > 0   ? "Changed: "
                                      : "Invitation: ") +
                  m.title;
    // A guest gets their own way in (the link that works once) instead of the meeting's page.
    // (Other mails to a guest carry no link: they cannot log in to the meeting's page.)
    auto link = !guest_url.empty() ? guest_url : i.via == "guest" ? std::string() : e.url;
    msg.text = m.title + "\n" + when_text(m, m.starts_at) + "\n" + m.room_name + "\n\n" + m.agenda +
               (link.empty() ? "" : "\n\n" + link) + "\n";
    msg.calendar = ics;
    msg.calendar_method = method;
    msg.dedupe_key = "meeting:" + std::to_string(m.id) + ":" + std::to_string(m.sequence) + ":" +
                     method + ":" + std::to_string(i.person_id) +
                     (guest_url.empty() ? "" : ":" + security::sha256_hex(guest_url).substr(0, 16));
    mail_.queue(tx, msg);
  }
}

// Administrators look after meeting rooms, so they see (and may change) the meetings held in
// them; a meeting in someone's personal room is its invitees' business only.
static bool administered(Tx& tx, const Principal& who, const Meeting& m) {
  if (!is_admin(who)) return false;
  auto r = db::room(tx, m.room_id);
  return r && r->kind == "meeting";
}

Meeting WorkspaceService::editable_meeting(Tx& tx, const Principal& who, std::int64_t id) {
  auto m = visible_meeting(tx, who, id);
  if (!may_edit(tx, who, m)) throw forbidden("Only the organiser changes the meeting.");
  if (m.status == "cancelled")
    throw Error(ErrorKind::conflict, "cancelled", "The meeting was cancelled.");
  return m;
}

Meeting WorkspaceService::visible_meeting(Tx& tx, const Principal& who, std::int64_t id) {
  auto m = db::meeting(tx, id);
  if (!m || !(db::invitee(tx, id, who.person_id) || administered(tx, who, *m)))
    throw not_found("No such meeting.");
  return *m;
}

bool WorkspaceService::may_edit(Tx& tx, const Principal& who, const Meeting& m) {
  if (m.organiser_id == who.person_id || administered(tx, who, m)) return true;
  for (auto& keeper : keepers_)
    if (keeper(tx, who.person_id, m.id)) return true;
  return false;
}

std::vector<int> WorkspaceService::effective_reminders(Tx& tx, std::int64_t person,
                                                       std::int64_t meeting, bool* custom) {
  auto own = db::reminder_rows(tx, person, meeting);
  if (custom) *custom = !own.empty();
  if (!own.empty()) {
    std::vector<int> out;
    for (auto m : own)
      if (m >= 0) out.push_back(m);
    return out;
  }
  auto d = db::reminder_rows(tx, person, std::nullopt);
  if (d.empty()) return default_reminders();
  std::vector<int> out;
  for (auto m : d)
    if (m >= 0) out.push_back(m);
  return out;
}

MeetingView WorkspaceService::view(Tx& tx, const Principal& who, const Meeting& m,
                                   std::int64_t now) {
  MeetingView v;
  v.meeting = m;
  v.invitees = db::invitees(tx, m.id);
  v.next_starts = db::next_starts(tx, m.id, now - m.duration, 5);
  if (auto me = db::invitee(tx, m.id, who.person_id)) v.my_response = me->response;
  v.my_reminders = effective_reminders(tx, who.person_id, m.id, &v.my_reminders_custom);
  v.may_edit = may_edit(tx, who, m);
  if (auto space = documents_.space_of(tx, "meeting", m.id))
    v.meeting.space_root_id = space->root_id;
  return v;
}

MeetingView WorkspaceService::create_meeting(const Principal& who, const MeetingInput& in) {
  if (who.guest()) throw forbidden("Guests take part in the meeting they were invited to.");
  check_texts(in, true);
  auto zone = in.time_zone.value_or("Europe/Sofia");
  auto local = parse_local(*in.start);
  if (!local) throw field_error("start", "invalid", "Give the start as 2026-12-01T10:00.");
  auto starts_at = to_utc(*local, zone);
  if (!starts_at)
    throw field_error(
        "start", "nonexistent_time",
        "That time does not exist on that day in " + zone + " (the clocks go forward then).");
  auto now = now_seconds();
  if (*starts_at > now + kMaxYearsAhead * 366 * 86400)
    throw field_error("start", "too_far", "At most five years ahead.");
  if (*starts_at + *in.duration < now - 86400)
    throw field_error("start", "in_past", "The meeting would be over already.");
  return db_.write([&](Tx& tx) {
    // The room: the organiser's own unless another is named.
    std::optional<Room> r;
    if (in.room_id) {
      r = db::room(tx, *in.room_id);
      if (!r ||
          !(db::is_room_member(tx, r->id, who.person_id) ||
            (r->kind == "meeting" && keeps_room(who, r->unit_id)) || r->owner_id == who.person_id))
        throw field_error("room_id", "not_found", "There is no such room you may book.");
    } else {
      r = detail::own_room(tx, who, now);
    }
    if (!may_book(tx, who, *r))
      throw field_error("room_id", "forbidden", "You may not book this room.");
    auto people = expand_audiences(tx, in.invitees.value_or(std::vector<Audience>{}));
    auto m = detail::draft_meeting(who, *r, *in.title, now);
    m.agenda = in.agenda.value_or("");
    m.time_zone = zone;
    m.local_start = format_local(*local);
    m.duration = *in.duration;
    m.starts_at = *starts_at;
    m.ends_at = *starts_at + *in.duration;
    if (in.rrule) m.rrule = *in.rrule;
    m.id = db::insert_meeting(tx, m);
    write_occurrences(tx, m, m.starts_at, now);
    if (!tx.one("SELECT 1 FROM meeting_occurrences WHERE meeting_id = ?", {m.id}))
      throw field_error("rrule", "no_occurrences", "The rule gives no meeting at all.");
    db::add_invitee(tx, m.id, who.person_id, "organiser", "accepted");
    std::vector<std::int64_t> invited;
    for (auto& [p, via] : people)
      if (p != who.person_id) {
        db::add_invitee(tx, m.id, p, via, "needs-action");
        invited.push_back(p);
      }
    open_space(tx, m);
    for (auto p : invited)
      notify(
          tx, p, "meeting.invited", m.title, who.display_name + " · " + when_text(m, m.starts_at),
          "/meetings/" + std::to_string(m.id), occurrence_data(m, m.starts_at, who.display_name));
    mail_invitation(tx, m, "REQUEST", invited);
    auto all = invited;
    all.push_back(who.person_id);
    announce(tx, m, all);
    audit_.append(tx, actor_of(who), "meeting.created", target(m),
                  {{"title", m.title},
                   {"starts_at", rfc3339(m.starts_at)},
                   {"rrule", m.rrule ? json::value(*m.rrule) : json::value(nullptr)},
                   {"invitees", static_cast<std::int64_t>(invited.size())}});
    auto v = view(tx, who, *db::meeting(tx, m.id), now);
    v.conflicts = conflicts(tx, m);
    return v;
  });
}

MeetingView WorkspaceService::meeting(const Principal& who, std::int64_t id) {
  return db_.read(
      [&](Tx& tx) { return view(tx, who, visible_meeting(tx, who, id), now_seconds()); });
}

MeetingView WorkspaceService::update_meeting(const Principal& who, std::int64_t id,
                                             const MeetingInput& in) {
  check_texts(in, false);
  auto now = now_seconds();
  return db_.write([&](Tx& tx) {
    auto m = editable_meeting(tx, who, id);
    bool timing = false;
    json::object changes;
    if (in.title && *in.title != m.title) {
      changes["title"] = *in.title;
      m.title = *in.title;
    }
    if (in.agenda && *in.agenda != m.agenda) {
      changes["agenda"] = true;
      m.agenda = *in.agenda;
    }
    if (in.room_id && *in.room_id != m.room_id) {
      auto r = db::room(tx, *in.room_id);
      if (!r || !may_book(tx, who, *r))
        throw field_error("room_id", "not_found", "There is no such room you may book.");
      m.room_id = r->id;
      m.room_name = r->name;
      changes["room"] = id_string(r->id);
    }
    if (in.time_zone && *in.time_zone != m.time_zone) {
      m.time_zone = *in.time_zone;
      timing = true;
    }
    if (in.start) {
      auto local = parse_local(*in.start);
      if (!local) throw field_error("start", "invalid", "Give the start as 2026-12-01T10:00.");
      if (format_local(*local) != m.local_start) timing = true;
      m.local_start = format_local(*local);
    }
    if (in.duration && *in.duration != m.duration) {
      m.duration = *in.duration;
      timing = true;
    }
    if (in.rrule && *in.rrule != m.rrule) {
      m.rrule = *in.rrule;
      timing = true;
    }
    if (timing) {
      auto s = to_utc(*parse_local(m.local_start), m.time_zone);
      if (!s)
        throw field_error("start", "nonexistent_time",
                          "That time does not exist on that day in " + m.time_zone + ".");
      m.starts_at = *s;
      m.ends_at = *s + m.duration;
      changes["starts_at"] = rfc3339(m.starts_at);
    }
    std::vector<std::int64_t> removed, added;
    if (in.invitees) {
      auto people = expand_audiences(tx, *in.invitees);
      std::set<std::int64_t> want;
      for (auto& [p, via] : people) want.insert(p);
      for (auto& i : db::invitees(tx, m.id))
        if (i.person_id != m.organiser_id && !want.count(i.person_id))
          removed.push_back(i.person_id);
      for (auto& [p, via] : people)
        if (p != m.organiser_id && !db::invitee(tx, m.id, p)) {
          db::add_invitee(tx, m.id, p, via, "needs-action");
          added.push_back(p);
        }
      if (!removed.empty() || !added.empty())
        changes["invitees"] = json::object{{"added", static_cast<std::int64_t>(added.size())},
                                           {"removed", static_cast<std::int64_t>(removed.size())}};
    }
    if (changes.empty()) return view(tx, who, m, now);
    // Those taken off the list hear that it is cancelled for them.
    if (!removed.empty()) {
      auto before = m;
      before.sequence = m.sequence + 1;
      mail_invitation(tx, before, "CANCEL", removed);
      for (auto p : removed) {
        notify(tx, p, "meeting.uninvited", m.title, "You are no longer invited.", "",
               {{"actor", who.display_name}});
        db::remove_invitee(tx, m.id, p);
      }
      announce(tx, m, removed);
    }
    m.sequence += 1;
    m.updated_at = now;
    db::update_meeting(tx, m);
    if (timing) {
      // A new time or rule for the series replaces its changed occurrences too.
      db::drop_exceptions(tx, m.id);
      db::clear_occurrences(tx, m.id);
      write_occurrences(tx, m, m.starts_at, now);
      if (!tx.one("SELECT 1 FROM meeting_occurrences WHERE meeting_id = ?", {m.id}))
        throw field_error("rrule", "no_occurrences", "The rule gives no meeting at all.");
      // A new time asks everyone again.
      tx.exec(
          "UPDATE meeting_invitees SET response = 'needs-action', responded_at = NULL WHERE "
          "meeting_id = ? AND person_id <> ?",
          {m.id, m.organiser_id});
    }
    std::vector<std::int64_t> everyone;
    for (auto& i : db::invitees(tx, m.id))
      if (i.person_id != who.person_id) everyone.push_back(i.person_id);
    for (auto p : everyone)
      notify(tx, p,
             std::find(added.begin(), added.end(), p) != added.end() ? "meeting.invited"
                                                                     : "meeting.changed",
             m.title, who.display_name + " · " + when_text(m, m.starts_at),
             "/meetings/" + std::to_string(m.id),
             occurrence_data(m, m.starts_at, who.display_name));
    mail_invitation(tx, m, "REQUEST", everyone);
    everyone.push_back(who.person_id);
    announce(tx, m, everyone);
    audit_.append(tx, actor_of(who), "meeting.updated", target(m), std::move(changes));
    auto v = view(tx, who, *db::meeting(tx, m.id), now);
    if (timing || in.room_id || !added.empty()) v.conflicts = conflicts(tx, m);
    return v;
  });
}

MeetingView WorkspaceService::cancel_meeting(const Principal& who, std::int64_t id,
                                             const std::string& reason) {
  if (utf8_length(reason) > 1000)
    throw field_error("reason", "too_long", "At most 1,000 characters.");
  auto now = now_seconds();
  return db_.write([&](Tx& tx) {
    auto m = visible_meeting(tx, who, id);
    if (!may_edit(tx, who, m)) throw forbidden("Only the organiser cancels the meeting.");
    if (m.status == "cancelled")
      throw Error(ErrorKind::conflict, "cancelled", "Already cancelled.");
    m.status = "cancelled";
    m.sequence += 1;
    m.updated_at = now;
    db::update_meeting(tx, m);
    std::vector<std::int64_t> others;
    for (auto& i : db::invitees(tx, m.id))
      if (i.person_id != who.person_id) others.push_back(i.person_id);
    for (auto p : others)
      notify(tx, p, "meeting.cancelled", m.title,
             reason.empty() ? when_text(m, m.starts_at) : reason,
             "/meetings/" + std::to_string(m.id), [&] {
               auto d = occurrence_data(m, m.starts_at, who.display_name);
               d["reason"] = reason;
               return d;
             }());
    mail_invitation(tx, m, "CANCEL", others);
    others.push_back(who.person_id);
    announce(tx, m, others);
    audit_.append(tx, actor_of(who), "meeting.cancelled", target(m), {{"reason", reason}});
    return view(tx, who, m, now);
  });
}

MeetingView WorkspaceService::respond(const Principal& who, std::int64_t id,
                                      const std::string& response, const std::string& comment) {
  if (!valid_response(response))
    throw field_error("response", "invalid", "Answer accepted, tentative or declined.");
  if (utf8_length(comment) > 500)
    throw field_error("comment", "too_long", "At most 500 characters.");
  auto now = now_seconds();
  return db_.write([&](Tx& tx) {
    auto m = db::meeting(tx, id);
    auto me = m ? db::invitee(tx, id, who.person_id) : std::nullopt;
    if (!m || !me) throw not_found("No such meeting.");
    if (m->organiser_id == who.person_id)
      throw Error(ErrorKind::conflict, "organiser",
                  "The organiser does not answer their own invitation.");
    if (m->status == "cancelled")
      throw Error(ErrorKind::conflict, "cancelled", "The meeting was cancelled.");
    tx.exec(
        "UPDATE meeting_invitees SET response = ?, comment = ?, responded_at = ? WHERE "
        "meeting_id = ? AND person_id = ?",
        {response, comment, now, id, who.person_id});
    notify(tx, m->organiser_id, "meeting.response", m->title,
           who.display_name + ": " + response + (comment.empty() ? "" : " — " + comment),
           "/meetings/" + std::to_string(id),
           {{"actor", who.display_name}, {"response", response}, {"comment", comment}});
    announce(tx, *m, {m->organiser_id, who.person_id});
    audit_.append(tx, actor_of(who), "meeting.responded", target(*m), {{"response", response}});
    return view(tx, who, *m, now);
  });
}

std::vector<Upcoming> WorkspaceService::upcoming(const Principal& who, std::int64_t from,
                                                 std::int64_t to, int limit,
                                                 const ListFilter& filter) {
  if (to <= from) throw field_error("to", "before_from", "The end must come after the start.");
  if (to - from > 400 * 86400) throw field_error("to", "too_far", "At most 400 days at once.");
  if (filter.response && !valid_response(filter.response.value()) &&
      filter.response != "needs-action")
    throw field_error("response", "invalid", "Use needs-action, accepted, tentative or declined.");
  if (filter.status && filter.status != "scheduled" && filter.status != "cancelled")
    throw field_error("status", "invalid", "Use scheduled or cancelled.");
  if (filter.narrows())
    return db_.read(
        [&](Tx& tx) { return db::upcoming(tx, who.person_id, from, to, limit, filter); });
  if (auto kept = upcoming_cache_.get(who.person_id, from, to, limit)) return std::move(*kept);
  auto epoch = upcoming_cache_.epoch();
  auto window_to = to + UpcomingCache::kMargin;
  auto rows = db_.read([&](Tx& tx) {
    return db::upcoming(tx, who.person_id, from, window_to,
                        static_cast<int>(UpcomingCache::kMaxRows));
  });
  std::vector<Upcoming> out;
  for (auto& u : rows) {
    if (static_cast<int>(out.size()) >= limit || u.starts_at >= to) break;
    out.push_back(u);
  }
  upcoming_cache_.put(who.person_id, from, window_to, std::move(rows), epoch);
  return out;
}

// ---------------------------------------------------------------- reminders

std::vector<int> WorkspaceService::reminder_defaults(const Principal& who) {
  return db_.read([&](Tx& tx) {
    auto rows = db::reminder_rows(tx, who.person_id, std::nullopt);
    if (rows.empty()) return default_reminders();
    std::vector<int> out;
    for (auto m : rows)
      if (m >= 0) out.push_back(m);
    return out;
  });
}

std::vector<int> WorkspaceService::set_reminder_defaults(const Principal& who,
                                                         const std::vector<std::int64_t>& given) {
  auto minutes = reminder_minutes(given, "minutes");
  return db_.write([&](Tx& tx) {
    db::set_reminder_rows(tx, who.person_id, std::nullopt, minutes);
    return minutes;
  });
}

MeetingView WorkspaceService::set_meeting_reminders(
    const Principal& who, std::int64_t id, const std::optional<std::vector<std::int64_t>>& given) {
  std::optional<std::vector<int>> minutes;
  if (given) minutes = reminder_minutes(*given, "minutes");
  return db_.write([&](Tx& tx) {
    auto m = db::meeting(tx, id);
    if (!m || !db::invitee(tx, id, who.person_id)) throw not_found("No such meeting.");
    if (!minutes)
      tx.exec("DELETE FROM reminder_offsets WHERE person_id = ? AND meeting_id = ?",
              {who.person_id, id});
    else
      db::set_reminder_rows(tx, who.person_id, id, *minutes);
    return view(tx, who, *m, now_seconds());
  });
}

std::int64_t WorkspaceService::send_due_reminders(std::int64_t now) {
  // Everything due after the last sweep (at most a day back, so a long outage does not ring
  // yesterday's meetings) and up to now.
  auto since = db_.read([&](Tx& tx) { return db::swept_until(tx); });
  if (!since || *since < now - 86400) since = now - 86400;
  if (*since >= now) return 0;
  auto offsets = db_.read([&](Tx& tx) { return db::offsets_in_use(tx, default_reminders()); });
  std::int64_t sent = 0;
  for (auto minutes : offsets) {
    auto due = db_.read([&](Tx& tx) {
      return db::due(tx, *since + minutes * 60, now + minutes * 60, now, minutes,
                     default_reminders());
    });
    // In slices, each its own transaction: a crash loses nothing (the key makes a resend a
    // no-op) and one slow slice does not hold the writer long.
    std::map<std::int64_t, Meeting> meetings;  // many reminders share a meeting
    for (std::size_t i = 0; i < due.size(); i += 500) {
      db_.write([&](Tx& tx) {
        for (std::size_t k = i; k < std::min(due.size(), i + 500); ++k) {
          const auto& d = due[k];
          if (!db::mark_reminder_sent(tx, d.meeting_id, d.person_id, d.starts_at, minutes, now))
            continue;
          auto found = meetings.find(d.meeting_id);
          if (found == meetings.end()) {
            auto loaded = db::meeting(tx, d.meeting_id);
            if (!loaded) continue;
            found = meetings.emplace(d.meeting_id, *loaded).first;
          }
          const Meeting* m = &found->second;
          auto in = minutes == 0   ? std::string("now")
                    : minutes < 60 ? std::to_string(minutes) + " min"
                                   : std::to_string(minutes / 60) + " h";
          notify(tx, d.person_id, "meeting.reminder", m->title,
                 when_text(*m, d.starts_at) + " · " + m->room_name + " · " + in,
                 "/meetings/" + std::to_string(m->id), [&] {
                   auto data = occurrence_data(*m, d.starts_at, "");
                   data["minutes"] = minutes;
                   return data;
                 }());
          if (mail_.enabled() && d.email && mail::valid_address(*d.email)) {
            mail::Message msg;
            msg.to = *d.email;
            msg.to_name = d.display_name;
            msg.subject = "Reminder: " + m->title + " — " + when_text(*m, d.starts_at);
            msg.text = m->title + "\n" + when_text(*m, d.starts_at) + "\n" + m->room_name + "\n\n" +
                       public_url_ + "/meetings/" + std::to_string(m->id) + "\n";
            msg.dedupe_key = "reminder:" + std::to_string(d.meeting_id) + ":" +
                             std::to_string(d.person_id) + ":" + std::to_string(d.starts_at) + ":" +
                             std::to_string(minutes);
            mail_.queue(tx, msg);
          }
          ++sent;
        }
      });
    }
  }
  db_.write([&](Tx& tx) { db::set_swept_until(tx, now); });
  if (sent) spdlog::info("{} meeting reminders sent", sent);
  return sent;
}

void WorkspaceService::extend_occurrences(std::int64_t now) {
  auto ids = db_.read([&](Tx& tx) { return db::to_extend(tx, now + kHorizon / 2); });
  for (auto id : ids)
    db_.write([&](Tx& tx) {
      auto m = db::meeting(tx, id);
      if (m && m->rrule) write_occurrences(tx, *m, m->expanded_until, now);
    });
}

// ---------------------------------------------------------------- calendar feed

WorkspaceService::Feed WorkspaceService::feed(const Principal& who) {
  return db_.read([&](Tx& tx) {
    Feed f;
    if (auto r = tx.one("SELECT created_at, last_used_at FROM calendar_feeds WHERE person_id = ?",
                        {who.person_id})) {
      f.exists = true;
      f.created_at = r->int64(0);
      f.last_used_at = r->opt_int64(1);
    }
    return f;
  });
}

WorkspaceService::Feed WorkspaceService::new_feed(const Principal& who) {
  if (who.guest()) throw forbidden("Guests take part in the meeting they were invited to.");
  auto token = security::random_token(24);
  return db_.write([&](Tx& tx) {
    auto now = now_seconds();
    tx.exec("DELETE FROM calendar_feeds WHERE person_id = ?", {who.person_id});
    tx.exec("INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES (?, ?, ?)",
            {who.person_id, security::sha256_hex(token), now});
    audit_.append(tx, actor_of(who), "calendar_feed.created",
                  "person:" + std::to_string(who.person_id));
    Feed f;
    f.exists = true;
    f.created_at = now;
    f.url = public_url_ + "/api/v1/public/calendars/" + token + ".ics";
    return f;
  });
}

void WorkspaceService::revoke_feed(const Principal& who) {
  db_.write([&](Tx& tx) {
    if (tx.exec("DELETE FROM calendar_feeds WHERE person_id = ?", {who.person_id}) != 1)
      throw not_found("There is no calendar subscription.");
    audit_.append(tx, actor_of(who), "calendar_feed.revoked",
                  "person:" + std::to_string(who.person_id));
  });
}

std::string WorkspaceService::feed_calendar(const std::string& token) {
  if (token.size() < 20 || token.size() > 64) throw not_found("No such calendar.");
  auto now = now_seconds();
  std::map<std::int64_t, std::vector<OccurrenceException>> changed;
  auto [person, meetings] = db_.read([&](Tx& tx) {
    auto r = tx.one(
        "SELECT f.person_id FROM calendar_feeds f JOIN people p ON p.id = f.person_id WHERE "
        "f.token_hash = ? AND p.status = 'active' AND p.kind <> 'guest'",
        {security::sha256_hex(token)});
    if (!r) throw not_found("No such calendar.");
    auto found = db::feed_meetings(tx, r->int64(0), now - 30 * 86400);
    for (auto& [m, response] : found)
      if (m.rrule) changed[m.id] = db::exceptions(tx, m.id);
    return std::pair{r->int64(0), std::move(found)};
  });
  // Polled every few minutes by calendar programs: last use is written at most hourly.
  db_.write([&](Tx& tx) {
    tx.exec(
        "UPDATE calendar_feeds SET last_used_at = ? WHERE person_id = ? AND (last_used_at IS "
        "NULL OR last_used_at < ?)",
        {now, person, now - 3600});
  });
  std::vector<CalendarEvent> events;
  for (auto& [m, response] : meetings)
    add_series(events, event_of(m, public_url_ + "/meetings/" + std::to_string(m.id), m.updated_at),
               changed[m.id]);
  return calendar_object("PUBLISH", events);
}

// ---------------------------------------------------------------- notifications

std::vector<Notification> WorkspaceService::notifications(const Principal& who, bool unread_only,
                                                          std::optional<std::int64_t> before,
                                                          int limit) {
  return db_.read(
      [&](Tx& tx) { return db::notifications(tx, who.person_id, unread_only, before, limit); });
}

std::int64_t WorkspaceService::unread_count(const Principal& who) {
  return db_.read([&](Tx& tx) { return db::unread_count(tx, who.person_id); });
}

void WorkspaceService::mark_read(const Principal& who, std::optional<std::int64_t> id) {
  db_.write([&](Tx& tx) {
    auto now = now_seconds();
    if (id) {
      if (tx.exec("UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE id = ? AND "
                  "person_id = ?",
                  {now, *id, who.person_id}) != 1)
        throw not_found("No such notification.");
    } else {
      tx.exec("UPDATE notifications SET read_at = ? WHERE person_id = ? AND read_at IS NULL",
              {now, who.person_id});
    }
    bus_.publish(tx, "person:" + std::to_string(who.person_id), "notifications.read",
                 json::object{{"id", id ? json::value(id_string(*id)) : json::value(nullptr)}});
  });
}

}  // namespace ratusha::workspace
