// "Call a colleague now": an instant one-to-one meeting in the caller's personal room. The
// callee's app rings (event `call.ringing` on their person topic) until they accept or decline,
// the caller hangs up, or the ring time passes (call_ring_seconds) (a job makes it a missed call).
// Once the call is over its meeting ends, so the callee's way into the caller's room closes with
// it.
#include <algorithm>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "workspace/calendar.hpp"
#include "workspace/service.hpp"
#include "workspace/service_util.hpp"
#include "workspace/store.hpp"

namespace ratusha::workspace {

using detail::actor_of;
using identity::Principal;
using store::Tx;

namespace {

// How long the room stays open if nobody hangs up; a call is no longer live after that.
constexpr std::int64_t kCallLength = 4 * 3600;

json::object call_data(const Call& c) {
  return {{"id", id_string(c.id)},
          {"meeting_id", id_string(c.meeting_id)},
          {"room_id", id_string(c.room_id)},
          {"caller", json::object{{"id", id_string(c.caller_id)}, {"display_name", c.caller_name}}},
          {"callee", json::object{{"id", id_string(c.callee_id)}, {"display_name", c.callee_name}}},
          {"state", c.state},
          {"message", c.message},
          {"created_at", rfc3339(c.created_at)},
          {"answered_at", nullable_time(c.answered_at)},
          {"ended_at", nullable_time(c.ended_at)}};
}

bool over(const std::string& state) {
  return state != "ringing" && state != "accepted";
}

}  // namespace

json::object WorkspaceService::call_json(const Call& c) {
  return call_data(c);
}

void WorkspaceService::publish_call(Tx& tx, const Call& c, const std::string& event) {
  auto data = call_data(c);
  for (auto p : {c.caller_id, c.callee_id})
    bus_.publish(tx, "person:" + std::to_string(p), event, data);
}

Call WorkspaceService::start_call(const Principal& who, std::int64_t callee_id) {
  if (who.guest()) throw forbidden("Guests take part in the meeting they were invited to.");
  if (callee_id == who.person_id)
    throw field_error("person_id", "self", "You cannot call yourself.");
  auto now = now_seconds();
  bool refused = false;
  auto c = db_.write([&](Tx& tx) {
    auto callee = tx.one("SELECT display_name, status, kind FROM people WHERE id = ?", {callee_id});
    if (!callee) throw field_error("person_id", "not_found", "There is no such person.");
    if (callee->text(1) != "active")
      throw field_error("person_id", "disabled", "This person cannot take calls.");
    if (callee->text(2) == "guest")
      throw field_error("person_id", "guest", "Guests from outside are not called.");
    if (db::ringing_call_of(tx, who.person_id))
      throw Error(ErrorKind::conflict, "already-calling",
                  "You are already calling someone; hang up first.");
    auto dnd = tx.one("SELECT dnd FROM presence WHERE person_id = ?", {callee_id});
    auto caller_locale = tx.one("SELECT locale FROM people WHERE id = ?", {who.person_id});
    auto m = detail::draft_meeting(who, detail::own_room(tx, who, now),
                                   who.display_name + " — " + callee->text(0), now);
    m.time_zone =
        caller_locale && caller_locale->text(0) == "pl" ? "Europe/Warsaw" : "Europe/Sofia";
    m.local_start = format_local(to_local(now, m.time_zone));
    m.duration = kCallLength;
    m.starts_at = now;
    m.ends_at = now + kCallLength;
    m.id = db::insert_meeting(tx, m);
    write_occurrences(tx, m, m.starts_at, now);
    db::add_invitee(tx, m.id, who.person_id, "organiser", "accepted");
    db::add_invitee(tx, m.id, callee_id, "call", "needs-action");

    Call call;
    call.meeting_id = m.id;
    call.caller_id = who.person_id;
    call.callee_id = callee_id;
    call.state = "ringing";
    call.created_at = now;
    call.id = db::insert_call(tx, call);
    audit_.append(tx, actor_of(who), "call.started", "call:" + std::to_string(call.id),
                  {{"callee_id", id_string(callee_id)}});
    if (dnd && dnd->int64(0) != 0) {
      // Do not disturb: no ring; the callee finds a missed call, the caller a clear answer.
      db::set_call_state(tx, call.id, "ringing", "missed", "", std::nullopt, now);
      db::end_meeting_at(tx, m.id, now, true);
      notify(tx, callee_id, "call.missed", who.display_name,
             "Missed call from " + who.display_name + ".", "",
             {{"actor", who.display_name}, {"call_id", id_string(call.id)}});
      refused = true;
    } else {
      jobs_.enqueue(tx, "workspace.call-timeout", {{"call_id", call.id}}, now + ring_seconds_, 3);
    }
    auto made = *db::call(tx, call.id);
    publish_call(tx, made, refused ? "call.changed" : "call.ringing");
    announce(tx, m, {who.person_id, callee_id});
    return made;
  });
  if (refused)
    throw Error(ErrorKind::conflict, "do-not-disturb",
                c.callee_name + " does not want to be disturbed now; they will see a missed call.");
  return c;
}

Call WorkspaceService::call(const Principal& who, std::int64_t id) {
  return db_.read([&](Tx& tx) {
    auto c = db::call(tx, id);
    if (!c || (c->caller_id != who.person_id && c->callee_id != who.person_id))
      throw not_found("No such call.");
    return *c;
  });
}

std::vector<Call> WorkspaceService::calls(const Principal& who, bool live, int limit) {
  return db_.read(
      [&](Tx& tx) { return db::calls_of(tx, who.person_id, live, now_seconds(), limit); });
}

Call WorkspaceService::answer_call(const Principal& who, std::int64_t id, bool accept,
                                   const std::string& message) {
  if (utf8_length(message) > 200)
    throw field_error("message", "too_long", "At most 200 characters.");
  if (has_control_chars(message, false))
    throw field_error("message", "invalid", "Control characters are not allowed.");
  auto now = now_seconds();
  return db_.write([&](Tx& tx) {
    auto c = db::call(tx, id);
    if (!c || (c->caller_id != who.person_id && c->callee_id != who.person_id))
      throw not_found("No such call.");
    if (c->callee_id != who.person_id) throw forbidden("Only the person called answers the call.");
    if (c->state != "ringing")
      throw Error(ErrorKind::conflict, "not-ringing", "The call is no longer ringing.");
    auto m = *db::meeting(tx, c->meeting_id);
    if (!db::set_call_state(tx, id, "ringing", accept ? "accepted" : "declined",
                            accept ? "" : message, now, accept ? std::nullopt : std::optional(now)))
      throw Error(ErrorKind::conflict, "not-ringing", "The call is no longer ringing.");
    if (accept) {
      tx.exec(
          "UPDATE meeting_invitees SET response = 'accepted', responded_at = ? WHERE meeting_id = "
          "? AND person_id = ?",
          {now, m.id, who.person_id});
    } else {
      db::end_meeting_at(tx, m.id, now, true);
      notify(tx, c->caller_id, "call.declined", who.display_name,
             who.display_name + " declined your call." + (message.empty() ? "" : " " + message), "",
             {{"actor", who.display_name}, {"message", message}, {"call_id", id_string(id)}});
    }
    audit_.append(tx, actor_of(who), accept ? "call.accepted" : "call.declined",
                  "call:" + std::to_string(id), {});
    auto done = *db::call(tx, id);
    publish_call(tx, done, "call.changed");
    announce(tx, m, {c->caller_id, c->callee_id});
    return done;
  });
}

Call WorkspaceService::end_call(const Principal& who, std::int64_t id) {
  auto now = now_seconds();
  return db_.write([&](Tx& tx) {
    auto c = db::call(tx, id);
    if (!c || (c->caller_id != who.person_id && c->callee_id != who.person_id))
      throw not_found("No such call.");
    if (over(c->state)) throw Error(ErrorKind::conflict, "call-over", "The call is over already.");
    if (c->state == "ringing" && who.person_id != c->caller_id)
      throw Error(ErrorKind::conflict, "not-answered", "Accept or decline the call instead.");
    bool ringing = c->state == "ringing";
    // Hanging up before an answer leaves the callee a missed call.
    if (!db::set_call_state(tx, id, c->state, ringing ? "cancelled" : "ended", "", std::nullopt,
                            now))
      throw Error(ErrorKind::conflict, "call-over", "The call changed meanwhile; look again.");
    // (Never past the room's own end: hanging up after it closed does not reopen it.)
    db::end_meeting_at(tx, c->meeting_id, std::min(now, db::meeting(tx, c->meeting_id)->ends_at),
                       ringing);
    if (ringing)
      notify(tx, c->callee_id, "call.missed", who.display_name,
             "Missed call from " + who.display_name + ".", "",
             {{"actor", who.display_name}, {"call_id", id_string(id)}});
    audit_.append(tx, actor_of(who), ringing ? "call.cancelled" : "call.ended",
                  "call:" + std::to_string(id), {});
    auto done = *db::call(tx, id);
    publish_call(tx, done, "call.changed");
    announce(tx, *db::meeting(tx, c->meeting_id), {c->caller_id, c->callee_id});
    return done;
  });
}

void WorkspaceService::expire_call(std::int64_t id) {
  auto now = now_seconds();
  db_.write([&](Tx& tx) {
    auto c = db::call(tx, id);
    // Answered or hung up in time (checked again by the update: an answer may be committing).
    if (!c || !db::set_call_state(tx, id, "ringing", "missed", "", std::nullopt, now)) return;
    db::end_meeting_at(tx, c->meeting_id, now, true);
    notify(tx, c->callee_id, "call.missed", c->caller_name,
           "Missed call from " + c->caller_name + ".", "",
           {{"actor", c->caller_name}, {"call_id", id_string(id)}});
    audit_.append(tx, audit::Actor{std::nullopt, "system", "job"}, "call.missed",
                  "call:" + std::to_string(id), {});
    auto done = *db::call(tx, id);
    publish_call(tx, done, "call.changed");
    announce(tx, *db::meeting(tx, c->meeting_id), {c->caller_id, c->callee_id});
  });
}

}  // namespace ratusha::workspace
