// HTTP binding of the workspace module: decode, call the service, encode. No rules here.
#include "workspace/routes.hpp"

#include <charconv>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "identity/routes.hpp"
#include "workspace/rules.hpp"

namespace ratusha::workspace {

using net::Request;
using net::Response;

namespace {

json::object room_json(const Room& r) {
  return {{"id", id_string(r.id)},
          {"kind", r.kind},
          {"name", r.name},
          {"description", r.description},
          {"owner_id", nullable_id(r.owner_id)},
          {"unit", r.unit_id ? json::value(json::object{{"id", id_string(*r.unit_id)},
                                                        {"name", r.unit_name.value_or("")}})
                             : json::value(nullptr)},
          {"capacity", r.capacity ? json::value(*r.capacity) : json::value(nullptr)},
          {"lobby", r.lobby},
          {"member_count", r.member_count},
          {"may_manage", r.may_manage},
          {"created_at", rfc3339(r.created_at)},
          {"updated_at", rfc3339(r.updated_at)}};
}

json::object person_json(const Invitee& i) {
  return {{"id", id_string(i.person_id)},
          {"display_name", i.display_name},
          {"via", i.via},
          {"response", i.response},
          {"comment", i.comment},
          {"responded_at", nullable_time(i.responded_at)}};
}

json::object meeting_json(const Meeting& m) {
  return {{"id", id_string(m.id)},
          {"uid", m.uid},
          {"title", m.title},
          {"agenda", m.agenda},
          {"room", json::object{{"id", id_string(m.room_id)}, {"name", m.room_name}}},
          {"organiser",
           json::object{{"id", id_string(m.organiser_id)}, {"display_name", m.organiser_name}}},
          {"time_zone", m.time_zone},
          {"start", m.local_start},
          {"duration", m.duration},
          {"starts_at", rfc3339(m.starts_at)},
          {"ends_at", rfc3339(m.ends_at)},
          {"rrule", m.rrule ? json::value(*m.rrule) : json::value(nullptr)},
          {"status", m.status},
          {"sequence", m.sequence},
          {"documents_folder_id", nullable_id(m.space_root_id)},
          {"created_at", rfc3339(m.created_at)},
          {"updated_at", rfc3339(m.updated_at)}};
}

json::array ints(const std::vector<int>& v) {
  json::array a;
  for (auto x : v) a.push_back(x);
  return a;
}

json::object view_json(const MeetingView& v) {
  auto o = meeting_json(v.meeting);
  json::array invitees, next, conflicts;
  for (auto& i : v.invitees) invitees.push_back(person_json(i));
  for (auto s : v.next_starts) next.push_back(json::value(rfc3339(s)));
  for (auto& c : v.conflicts)
    conflicts.push_back(json::object{{"kind", c.kind},
                                     {"id", id_string(c.id)},
                                     {"name", c.name},
                                     {"meeting_id", id_string(c.meeting_id)},
                                     {"meeting_title", c.meeting_title},
                                     {"starts_at", rfc3339(c.starts_at)},
                                     {"ends_at", rfc3339(c.ends_at)}});
  o["invitees"] = std::move(invitees);
  o["next_occurrences"] = std::move(next);
  o["conflicts"] = std::move(conflicts);
  o["my_response"] = v.my_response.empty() ? json::value(nullptr) : json::value(v.my_response);
  o["my_reminders"] = ints(v.my_reminders);
  o["my_reminders_custom"] = v.my_reminders_custom;
  o["may_edit"] = v.may_edit;
  return o;
}

// One occurrence in a list (a person's or a room's calendar): what the list shows. Built in
// `sp` (a list builds all its rows in one arena instead of a malloc per field).
json::object occurrence_json(const Upcoming& u, json::storage_ptr sp = {}) {
  const auto& m = u.meeting;
  json::object o(sp);
  o.reserve(12);
  o["id"] = id_string(m.id);
  o["title"] = m.title;
  auto& room = o["room"].emplace_object();
  room["id"] = id_string(m.room_id);
  room["name"] = m.room_name;
  auto& organiser = o["organiser"].emplace_object();
  organiser["id"] = id_string(m.organiser_id);
  organiser["display_name"] = m.organiser_name;
  o["time_zone"] = m.time_zone;
  o["duration"] = m.duration;
  if (m.rrule)
    o["rrule"] = *m.rrule;
  else
    o["rrule"] = nullptr;
  o["status"] = m.status;
  auto& occurrence = o["occurrence"].emplace_object();
  occurrence["starts_at"] = rfc3339(u.starts_at);
  occurrence["ends_at"] = rfc3339(u.ends_at);
  return o;
}

json::object notification_json(const Notification& n) {
  return {{"id", id_string(n.id)},
          {"kind", n.kind},
          {"title", n.title},
          {"body", n.body},
          {"link", n.link},
          {"data", json::parse(n.data)},
          {"created_at", rfc3339(n.created_at)},
          {"read_at", nullable_time(n.read_at)}};
}

std::vector<std::int64_t> minutes_of(Input& in, const json::array* arr, const char* field) {
  std::vector<std::int64_t> out;
  if (!arr) return out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    if ((*arr)[i].is_int64())
      out.push_back((*arr)[i].as_int64());
    else
      in.add_error(std::string(field) + "[" + std::to_string(i) + "]", "wrong_type",
                   "Expected a whole number of minutes.");
  }
  return out;
}

MeetingInput meeting_input(const json::object& body) {
  Input in(body,
           {"room_id", "title", "agenda", "time_zone", "start", "duration", "rrule", "invitees"});
  MeetingInput m;
  m.room_id = in.id("room_id", false);
  m.title = in.text("title", false, 0, 1000);
  m.agenda = in.multiline("agenda", 10000);
  m.time_zone = in.optional_text("time_zone", 64);
  m.start = in.optional_text("start", 32);
  m.duration = in.integer("duration", false, 0, 10LL * 86400);
  if (auto* r = body.if_contains("rrule")) {
    if (r->is_null())
      m.rrule = std::optional<std::string>{};
    else if (auto t = in.text("rrule", true, 1, 300))
      m.rrule = std::optional<std::string>{*t};
  }
  if (auto* arr = in.array("invitees", false, 500)) {
    std::vector<Audience> list;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      std::string f = "invitees[" + std::to_string(i) + "]";
      const auto& v = (*arr)[i];
      if (!v.is_object()) {
        in.add_error(f, "wrong_type", "Expected {kind, id}.");
        continue;
      }
      Input each(v.as_object(), {"kind", "id"});
      auto kind = each.required_text("kind", 20);
      auto id = each.id("id", true);
      try {
        each.finish();
        list.push_back({kind, *id});
      } catch (const Error& e) {
        for (auto& fe : e.errors()) in.add_error(f + "." + fe.field, fe.code, fe.message);
      }
    }
    m.invitees = std::move(list);
  }
  in.finish();
  return m;
}

std::int64_t time_param(const Request& req, const char* name, std::int64_t fallback) {
  auto v = req.query_param(name);
  if (!v) return fallback;
  auto t = parse_rfc3339(*v);
  if (!t) throw field_error(name, "invalid", "Give an RFC 3339 time, e.g. 2026-12-01T08:00:00Z.");
  return *t;
}

}  // namespace

void register_routes(net::Router& r, WorkspaceService& svc, ChatService& chat,
                     identity::Auth& auth) {
  // ---- rooms ----
  r.add("GET", "/api/v1/rooms", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (auto& room : svc.rooms(who)) items.push_back(room_json(room));
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  auto room_input = [](const json::object& body) {
    Input in(body, {"name", "description", "unit_id", "capacity", "lobby"});
    NewRoom n;
    n.name = in.required_text("name", 200);
    n.description = in.optional_text("description", 2000).value_or("");
    n.unit_id = in.id("unit_id", false);
    n.capacity = in.integer("capacity", false, 1, 10000);
    n.lobby = in.boolean("lobby", false).value_or(false);
    in.finish();
    return n;
  };
  r.add("POST", "/api/v1/rooms", [&, room_input](Request& req) {
    auto who = auth.require(req);
    return Response::json(room_json(svc.create_room(who, room_input(req.json_body()))), 201);
  });
  r.add("GET", "/api/v1/rooms/{id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(room_json(svc.room(who, req.id_param("id"))));
  });
  r.add("PATCH", "/api/v1/rooms/{id}", [&, room_input](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        room_json(svc.update_room(who, req.id_param("id"), room_input(req.json_body()))));
  });
  r.add("GET", "/api/v1/rooms/{id}/meetings", [&](Request& req) {
    auto who = auth.require(req);
    auto from = time_param(req, "from", now_seconds());
    auto to = time_param(req, "to", from + 7 * 86400);
    json::array items;
    for (auto& u : svc.room_calendar(who, req.id_param("id"), from, to, net::page_limit(req, 100)))
      items.push_back(occurrence_json(u));
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  r.add("GET", "/api/v1/rooms/{id}/members", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (auto& m : svc.room_members(who, req.id_param("id")))
      items.push_back(
          json::object{{"id", id_string(m.person_id)}, {"display_name", m.display_name}});
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  r.add("POST", "/api/v1/rooms/{id}/members", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"person_id"});
    auto person = in.id("person_id", true);
    in.finish();
    svc.add_room_member(who, req.id_param("id"), *person);
    return Response::no_content();
  });
  r.add("DELETE", "/api/v1/rooms/{id}/members/{person_id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.remove_room_member(who, req.id_param("id"), req.id_param("person_id"));
    return Response::no_content();
  });

  // ---- meetings ----
  r.add("GET", "/api/v1/meetings", [&](Request& req) {
    auto who = auth.require(req);
    auto now = now_seconds();
    auto from = time_param(req, "from", now);
    auto to = time_param(req, "to", from + 7 * 86400);
    int limit = net::page_limit(req, 100);
    ListFilter f;
    if (auto q = req.query_param("q")) {
      if (utf8_length(*q) > 200) throw field_error("q", "too_long", "At most 200 characters.");
      f.words = search_words(*q);
    }
    f.room_id = req.id_query("room_id");
    f.response = req.query_param("response");
    f.status = req.query_param("status");
    if (auto o = req.query_param("organiser")) {
      if (*o != "me") throw field_error("organiser", "invalid", "Only organiser=me is known.");
      f.organised = true;
    }
    if (auto o = req.query_param("order")) {
      if (*o != "asc" && *o != "desc") throw field_error("order", "invalid", "Use asc or desc.");
      f.newest_first = *o == "desc";
    }
    f.skip = net::page_cursor(req).value_or(0);
    auto found = svc.upcoming(who, from, to, limit, f);
    json::monotonic_resource arena;
    json::array items(&arena);
    items.reserve(found.size());
    for (auto& u : found) {
      auto o = occurrence_json(u, &arena);
      o["my_response"] = u.response;
      o["join_open"] =
          u.meeting.status == "scheduled" && now >= u.starts_at - 15 * 60 && now < u.ends_at;
      items.push_back(std::move(o));
    }
    // The cursor counts what was shown (words are matched after the query).
    return Response::json(net::page(std::move(items), static_cast<std::size_t>(limit),
                                    f.skip + static_cast<std::int64_t>(found.size())));
  });
  r.add("POST", "/api/v1/meetings", [&](Request& req) {
    auto who = auth.require(req);
    auto v = svc.create_meeting(who, meeting_input(req.json_body()));
    auto res = Response::json(view_json(v), 201);
    res.header("Location", "/api/v1/meetings/" + id_string(v.meeting.id));
    return res;
  });
  r.add("GET", "/api/v1/meetings/{id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(view_json(svc.meeting(who, req.id_param("id"))));
  });
  r.add("PATCH", "/api/v1/meetings/{id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        view_json(svc.update_meeting(who, req.id_param("id"), meeting_input(req.json_body()))));
  });
  r.add("POST", "/api/v1/meetings/{id}/cancel", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"reason"});
    auto reason = in.optional_text("reason", 1000).value_or("");
    in.finish();
    return Response::json(view_json(svc.cancel_meeting(who, req.id_param("id"), reason)));
  });
  // One occurrence (by its start as listed, RFC 3339) or it and all following.
  auto occurrence_of = [](const Request& req) {
    auto it = req.params.find("start");
    auto t = it == req.params.end() ? std::nullopt : parse_rfc3339(it->second);
    if (!t) throw not_found("No such occurrence.");
    return *t;
  };
  r.add("PATCH", "/api/v1/meetings/{id}/occurrences/{start}", [&, occurrence_of](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"scope", "start", "duration", "title", "agenda"});
    OccurrenceChange c;
    c.scope = in.optional_text("scope", 20).value_or("this");
    c.start = in.optional_text("start", 32);
    c.duration = in.integer("duration", false, 0, 10LL * 86400);
    c.title = in.text("title", false, 0, 1000);
    c.agenda = in.multiline("agenda", 10000);
    in.finish();
    return Response::json(
        view_json(svc.change_occurrence(who, req.id_param("id"), occurrence_of(req), c)));
  });
  r.add("DELETE", "/api/v1/meetings/{id}/occurrences/{start}", [&, occurrence_of](Request& req) {
    auto who = auth.require(req);
    OccurrenceChange c;
    c.scope = req.query_param("scope").value_or("this");
    c.cancel = true;
    return Response::json(
        view_json(svc.change_occurrence(who, req.id_param("id"), occurrence_of(req), c)));
  });
  r.add("POST", "/api/v1/meetings/{id}/response", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"response", "comment"});
    auto response = in.required_text("response", 20);
    auto comment = in.optional_text("comment", 500).value_or("");
    in.finish();
    return Response::json(view_json(svc.respond(who, req.id_param("id"), response, comment)));
  });
  r.add("PUT", "/api/v1/meetings/{id}/reminders", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"minutes"});
    std::optional<std::vector<std::int64_t>> minutes;
    if (auto* m = body.if_contains("minutes"); m && !m->is_null())
      minutes = minutes_of(in, in.array("minutes", true, 10), "minutes");
    in.finish();
    return Response::json(view_json(svc.set_meeting_reminders(who, req.id_param("id"), minutes)));
  });
  // ---- external guests ----
  auto guest_json = [](const GuestLink& g) {
    json::object o{{"id", id_string(g.id)},
                   {"person_id", id_string(g.person_id)},
                   {"email", g.email},
                   {"display_name", g.display_name},
                   {"created_at", rfc3339(g.created_at)},
                   {"opens_at", rfc3339(g.starts_at - kJoinEarly)},
                   {"expires_at", rfc3339(g.expires_at)},
                   {"used_at", nullable_time(g.used_at)},
                   {"revoked_at", nullable_time(g.revoked_at)}};
    if (!g.url.empty()) o["url"] = g.url;
    return o;
  };
  r.add("GET", "/api/v1/meetings/{id}/guests", [&, guest_json](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (auto& g : svc.guests(who, req.id_param("id"))) items.push_back(guest_json(g));
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  r.add("POST", "/api/v1/meetings/{id}/guests", [&, guest_json](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"email", "display_name"});
    auto email = in.required_text("email", 254);
    auto name = in.required_text("display_name", 200);
    in.finish();
    return Response::json(guest_json(svc.invite_guest(who, req.id_param("id"), email, name)), 201);
  });
  r.add("DELETE", "/api/v1/meetings/{id}/guests/{guest_id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.revoke_guest(who, req.id_param("id"), req.id_param("guest_id"));
    return Response::no_content();
  });
  r.add("GET", "/api/v1/public/guest-links/{token}", [&](Request& req) {
    auto p = svc.guest_preview(req.params.at("token"));
    return Response::json(
        json::object{{"state", p.state},
                     {"opens_at", rfc3339(p.starts_at - kJoinEarly)},
                     {"display_name", p.display_name},
                     {"meeting", json::object{{"title", p.meeting.title},
                                              {"organiser", p.meeting.organiser_name},
                                              {"time_zone", p.meeting.time_zone},
                                              {"starts_at", rfc3339(p.starts_at)},
                                              {"ends_at", rfc3339(p.ends_at)}}}});
  });
  r.add("POST", "/api/v1/public/guest-links/{token}", [&](Request& req) {
    auto [session, meeting_id] = svc.use_guest_link(
        req.params.at("token"), identity::client_address(req), identity::user_agent(req));
    // The session as after a login, and where the guest goes.
    auto body = identity::session_body(auth.identity(), session.principal, session.principal.self);
    body["meeting_id"] = id_string(meeting_id);
    auto res = Response::json(body);
    res.header("Set-Cookie", auth.set_cookie(session.session_token));
    return res;
  });

  // ---- calls ----
  r.add("POST", "/api/v1/calls", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"person_id"});
    auto callee = in.id("person_id", true);
    in.finish();
    auto c = svc.start_call(who, *callee);
    auto res = Response::json(WorkspaceService::call_json(c), 201);
    res.header("Location", "/api/v1/calls/" + id_string(c.id));
    return res;
  });
  r.add("GET", "/api/v1/calls", [&](Request& req) {
    auto who = auth.require(req);
    auto state = req.query_param("state");
    if (state && *state != "live")
      throw field_error("state", "invalid", "Only state=live (ringing or in progress) is known.");
    json::array items;
    for (auto& c : svc.calls(who, state.has_value(), net::page_limit(req, 20)))
      items.push_back(WorkspaceService::call_json(c));
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  r.add("GET", "/api/v1/calls/{id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(WorkspaceService::call_json(svc.call(who, req.id_param("id"))));
  });
  r.add("POST", "/api/v1/calls/{id}/accept", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        WorkspaceService::call_json(svc.answer_call(who, req.id_param("id"), true, "")));
  });
  r.add("POST", "/api/v1/calls/{id}/decline", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.body.empty() ? json::object{} : req.json_body();
    Input in(body, {"message"});
    auto message = in.optional_text("message", 200).value_or("");
    in.finish();
    return Response::json(
        WorkspaceService::call_json(svc.answer_call(who, req.id_param("id"), false, message)));
  });
  r.add("POST", "/api/v1/calls/{id}/end", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(WorkspaceService::call_json(svc.end_call(who, req.id_param("id"))));
  });

  r.add("GET", "/api/v1/me/reminders", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(json::object{{"minutes", ints(svc.reminder_defaults(who))}});
  });
  r.add("PUT", "/api/v1/me/reminders", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"minutes"});
    auto minutes = minutes_of(in, in.array("minutes", true, 10), "minutes");
    in.finish();
    return Response::json(json::object{{"minutes", ints(svc.set_reminder_defaults(who, minutes))}});
  });

  // ---- calendar subscription ----
  auto feed_json = [](const WorkspaceService::Feed& f) {
    json::object o{{"exists", f.exists},
                   {"created_at", f.exists ? json::value(rfc3339(f.created_at)) : nullptr},
                   {"last_used_at", nullable_time(f.last_used_at)}};
    if (!f.url.empty()) o["url"] = f.url;
    return o;
  };
  r.add("GET", "/api/v1/me/calendar-feed", [&, feed_json](Request& req) {
    auto who = auth.require(req);
    return Response::json(feed_json(svc.feed(who)));
  });
  r.add("POST", "/api/v1/me/calendar-feed", [&, feed_json](Request& req) {
    auto who = auth.require(req);
    return Response::json(feed_json(svc.new_feed(who)), 201);
  });
  r.add("DELETE", "/api/v1/me/calendar-feed", [&](Request& req) {
    auto who = auth.require(req);
    svc.revoke_feed(who);
    return Response::no_content();
  });
  r.add("GET", "/api/v1/public/calendars/{file}", [&](Request& req) {
    auto file = req.params["file"];
    if (!file.ends_with(".ics")) throw not_found("No such calendar.");
    Response res;
    res.content_type = "text/calendar; charset=utf-8";
    res.body = svc.feed_calendar(file.substr(0, file.size() - 4));
    res.header("Cache-Control", "private, max-age=300");
    return res;
  });

  // ---- notifications ----
  r.add("GET", "/api/v1/notifications", [&](Request& req) {
    auto who = auth.require(req);
    int limit = net::page_limit(req);
    auto list =
        svc.notifications(who, req.query_param("unread") == "1", net::page_cursor(req), limit);
    json::array items;
    for (auto& n : list) items.push_back(notification_json(n));
    auto page = net::page(std::move(items), static_cast<std::size_t>(limit),
                          list.empty() ? std::nullopt : std::optional(list.back().id));
    page["unread"] = svc.unread_count(who);
    return Response::json(page);
  });
  r.add("POST", "/api/v1/notifications/{id}/read", [&](Request& req) {
    auto who = auth.require(req);
    svc.mark_read(who, req.id_param("id"));
    return Response::no_content();
  });
  r.add("POST", "/api/v1/notifications/read-all", [&](Request& req) {
    auto who = auth.require(req);
    svc.mark_read(who, std::nullopt);
    return Response::no_content();
  });

  // ---- chat ----
  for (std::string kind : {"meeting", "room"}) {
    std::string base = "/api/v1/" + kind + "s/{id}/messages";
    r.add("GET", base, [&, kind](Request& req) {
      auto who = auth.require(req);
      int limit = net::page_limit(req);
      auto list = chat.messages(who, {kind, req.id_param("id")}, net::page_cursor(req), limit);
      json::array items;
      for (auto& m : list) items.push_back(chat_message_json(m));
      return Response::json(net::page(std::move(items), static_cast<std::size_t>(limit),
                                      list.empty() ? std::nullopt : std::optional(list.back().id)));
    });
    r.add("POST", base, [&, kind](Request& req) {
      auto who = auth.require(req);
      auto body = req.json_body();
      Input in(body, {"body", "mentions", "document_id"});
      auto text = in.multiline("body", ChatService::kMaxLength).value_or("");
      std::vector<std::int64_t> mentions;
      if (auto* arr = in.array("mentions", false, 50))
        for (std::size_t i = 0; i < arr->size(); ++i) {
          std::int64_t id = 0;
          const auto& v = (*arr)[i];
          if (v.is_string()) {
            auto sv = v.as_string();
            auto [p, ec] = std::from_chars(sv.data(), sv.data() + sv.size(), id);
            if (ec != std::errc{} || p != sv.data() + sv.size()) id = 0;
          }
          if (id <= 0)
            in.add_error("mentions[" + std::to_string(i) + "]", "invalid", "Give a person's id.");
          else
            mentions.push_back(id);
        }
      auto document = in.id("document_id", false);
      in.finish();
      return Response::json(
          chat_message_json(chat.post(who, {kind, req.id_param("id")}, text, mentions, document)),
          201);
    });
  }
  r.add("DELETE", "/api/v1/messages/{id}", [&](Request& req) {
    auto who = auth.require(req);
    chat.remove(who, req.id_param("id"));
    return Response::no_content();
  });
}

void register_presence_routes(net::Router& r, PresenceService& presence, identity::Auth& auth) {
  auto presence_json = [](const Presence& p) {
    return json::object{{"person_id", id_string(p.person_id)}, {"state", p.state}, {"dnd", p.dnd}};
  };
  r.add("GET", "/api/v1/presence", [&, presence_json](Request& req) {
    auto who = auth.require(req);
    std::vector<std::int64_t> ids;
    auto list = req.query_param("ids").value_or("");
    for (std::size_t i = 0; i < list.size();) {
      auto comma = list.find(',', i);
      if (comma == std::string::npos) comma = list.size();
      std::int64_t id = 0;
      auto [p, ec] = std::from_chars(list.data() + i, list.data() + comma, id);
      if (ec != std::errc{} || p != list.data() + comma || id <= 0)
        throw field_error("ids", "invalid", "Give person ids separated by commas.");
      ids.push_back(id);
      i = comma + 1;
    }
    json::array items;
    for (auto& p : presence.of(who, ids)) items.push_back(presence_json(p));
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  r.add("PUT", "/api/v1/me/presence", [&, presence_json](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"status", "dnd"});
    auto status = in.required_text("status", 20);
    auto dnd = in.boolean("dnd", false).value_or(false);
    in.finish();
    return Response::json(presence_json(presence.set_mine(who, status, dnd)));
  });
}

}  // namespace ratusha::workspace
