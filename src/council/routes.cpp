// HTTP binding of the council module: decode, call the service, encode. No rules here.
#include "council/routes.hpp"

#include <charconv>

#include "core/csv.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "core/time.hpp"

namespace ratusha::council {

using net::Request;
using net::Response;

namespace {

json::value opt_text(const std::optional<std::string>& s) {
  return s ? json::value(*s) : json::value(nullptr);
}

json::object body_json(const Body& b) {
  return {{"id", id_string(b.id)},
          {"name", b.name},
          {"kind", b.kind},
          {"jurisdiction", b.jurisdiction},
          {"seats", b.seats},
          {"term_start", b.term_start},
          {"term_end", opt_text(b.term_end)},
          {"time_zone", b.time_zone},
          {"parent_id", nullable_id(b.parent_id)},
          {"vote_change", b.vote_change},
          {"camera_required", b.camera_required},
          {"created_at", rfc3339(b.created_at)},
          {"updated_at", rfc3339(b.updated_at)}};
}

json::object group_json(const Group& g) {
  return {{"id", id_string(g.id)}, {"name", g.name}, {"short_name", g.short_name}};
}

json::object member_json(const Membership& m) {
  return {
      {"id", id_string(m.id)},
      {"body_id", id_string(m.body_id)},
      {"person", json::object{{"id", id_string(m.person_id)}, {"display_name", m.display_name}}},
      {"role", m.role},
      {"seat", m.seat},
      {"group", m.group_id ? json::value(json::object{{"id", id_string(*m.group_id)},
                                                      {"name", m.group_name}})
                           : json::value(nullptr)},
      {"from_date", m.from_date},
      {"to_date", opt_text(m.to_date)}};
}

json::object standing_json(const Standing& s) {
  json::array roles;
  for (auto& r : s.roles) roles.emplace_back(r);
  return {{"roles", roles},
          {"administers", s.administers},
          {"presides", s.presides},
          {"clerks", s.clerks},
          {"votes", s.votes}};
}

json::object sitting_json(const Sitting& s) {
  return {{"id", id_string(s.id)},
          {"body", json::object{{"id", id_string(s.body_id)},
                                {"name", s.body_name},
                                {"jurisdiction", s.jurisdiction},
                                {"seats", s.seats}}},
          {"number", s.number},
          {"kind", s.kind},
          {"mode", s.mode},
          {"title", s.title},
          {"place", s.place},
          {"time_zone", s.time_zone},
          {"start", s.local_start},
          {"starts_at", rfc3339(s.starts_at)},
          {"duration", s.duration},
          {"status", s.status},
          {"meeting_id", nullable_id(s.meeting_id)},
          // Where members meet by video (remote and hybrid sittings).
          {"video_room_id", s.mode == "in_person" ? json::value(nullptr) : nullable_id(s.room_id)},
          {"opened_at", nullable_time(s.opened_at)},
          {"closed_at", nullable_time(s.closed_at)}};
}

json::object item_json(const Item& i) {
  return {{"id", id_string(i.id)},
          {"sitting_id", id_string(i.sitting_id)},
          {"position", i.position},
          {"title", i.title},
          {"rapporteur", i.rapporteur},
          {"draft", i.draft},
          {"majority", majority_json(i.majority)},
          {"named_required", i.named_required},
          {"status", i.status},
          {"added_by_vote", nullable_id(i.added_by_vote)},
          {"materials_folder_id", nullable_id(i.materials_folder_id)}};
}

json::object vote_json(const Vote& v) {
  json::array options;
  for (auto& o : v.options) options.emplace_back(o);
  bool closed = v.status != "open";
  return {{"id", id_string(v.id)},
          {"sitting_id", id_string(v.sitting_id)},
          {"number", v.number},
          {"item_id", nullable_id(v.item_id)},
          {"agenda_change_id", nullable_id(v.agenda_change_id)},
          {"agenda_change", v.agenda_change_id ? json::value(json::object{
                                                     {"id", id_string(*v.agenda_change_id)},
                                                     {"kind", v.agenda_change_kind.value_or("")}})
                                               : json::value(nullptr)},
          {"title", v.title},
          {"kind", v.kind},
          {"options", options},
          {"majority", majority_json(v.majority)},
          {"quorum", fraction_json(v.quorum)},
          {"seats", v.seats},
          {"present", v.present},
          {"entitled", v.entitled},
          {"voted", v.voted},
          {"vote_change", v.vote_change},
          {"manual", v.manual},
          {"status", v.status},
          {"opened_at", rfc3339(v.opened_at)},
          {"closes_at", nullable_time(v.closes_at)},
          {"closed_at", nullable_time(v.closed_at)},
          {"result", opt_text(v.result)},
          // The counts appear for everyone at the same moment: when the vote closes.
          {"tally", closed ? json::parse(v.tally) : json::value(nullptr)},
          {"repeat_of", nullable_id(v.repeat_of)},
          {"repeat_reason", v.repeat_reason}};
}

json::object speaker_json(const Speaker& s) {
  std::optional<std::int64_t> ends;
  if (s.started_at && s.time_limit) ends = *s.started_at + *s.time_limit;
  return {{"id", id_string(s.id)},
          {"sitting_id", id_string(s.sitting_id)},
          {"item_id", nullable_id(s.item_id)},
          {"person_id", id_string(s.person_id)},
          {"display_name", s.display_name},
          {"kind", s.kind},
          {"status", s.status},
          {"position", s.position},
          {"requested_at", rfc3339(s.requested_at)},
          {"started_at", nullable_time(s.started_at)},
          {"time_limit", s.time_limit ? json::value(*s.time_limit) : json::value(nullptr)},
          {"ends_at", nullable_time(ends)},
          {"ended_at", nullable_time(s.ended_at)}};
}

json::object view_json(const SittingView& v) {
  auto o = sitting_json(v.sitting);
  json::array items, attendees, votes, conflicts, changes;
  for (auto& i : v.items) items.push_back(item_json(i));
  for (auto& a : v.attendees)
    attendees.push_back(json::object{{"person_id", id_string(a.person_id)},
                                     {"display_name", a.display_name},
                                     {"role", a.role},
                                     {"group", a.group_name},
                                     {"present", a.present},
                                     {"remote", a.remote}});
  for (auto& x : v.votes) votes.push_back(vote_json(x));
  for (auto& c : v.conflicts)
    conflicts.push_back(json::object{{"item_id", id_string(c.item_id)},
                                     {"person_id", id_string(c.person_id)},
                                     {"display_name", c.display_name},
                                     {"note", c.note},
                                     {"declared_at", rfc3339(c.declared_at)}});
  for (auto& c : v.pending_changes)
    changes.push_back(json::object{{"id", id_string(c.id)},
                                   {"kind", c.kind},
                                   {"item_id", nullable_id(c.item_id)},
                                   {"position", c.position ? json::value(*c.position) : nullptr},
                                   {"payload", json::parse(c.payload)}});
  o["items"] = std::move(items);
  o["attendees"] = std::move(attendees);
  o["quorum"] = json::object{{"seats", v.quorum.seats},
                             {"present", v.quorum.present},
                             {"needed", v.quorum.needed},
                             {"quorate", v.quorum.quorate}};
  o["votes"] = std::move(votes);
  o["conflicts"] = std::move(conflicts);
  o["pending_agenda_changes"] = std::move(changes);
  json::array speakers;
  for (auto& sp : v.speakers) speakers.push_back(speaker_json(sp));
  o["speakers"] = std::move(speakers);
  // For the speakers' countdown: the screen's clock may be off, the server's is the one.
  o["server_time"] = rfc3339_millis(now_millis());
  o["me"] = standing_json(v.me);
  o["me"].as_object()["present"] = v.i_am_present;
  return o;
}

json::object entry_json(const LedgerEntry& e) {
  return {{"vote_id", id_string(e.vote_id)},
          {"seq", e.seq},
          {"kind", e.kind},
          {"payload", e.payload},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash},
          {"signature", e.signature},
          {"receipt", opt_text(e.receipt)}};
}

std::optional<std::optional<std::string>> nullable_text(const json::object& body, Input& in,
                                                        const char* field, std::size_t max) {
  auto* v = body.if_contains(field);
  if (!v) return std::nullopt;
  if (v->is_null()) return std::optional<std::string>{};
  if (auto t = in.text(field, true, 1, max)) return std::optional<std::string>{*t};
  return std::nullopt;
}

std::optional<MajorityInput> majority_input(const json::object& body, Input& in) {
  auto* v = body.if_contains("majority");
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) return MajorityInput{std::string(v->as_string()), {}, {}, {}, {}};
  if (!v->is_object()) {
    in.add_error("majority", "wrong_type", "Give a preset id or {id, base, num, den, strict}.");
    return std::nullopt;
  }
  Input m(v->as_object(), {"id", "base", "num", "den", "strict"});
  MajorityInput out;
  out.id = m.required_text("id", 20);
  out.base = m.optional_text("base", 20);
  out.num = m.integer("num", false, 1, 100);
  out.den = m.integer("den", false, 1, 100);
  out.strict = m.boolean("strict", false);
  try {
    m.finish();
  } catch (const Error& e) {
    for (auto& fe : e.errors()) in.add_error("majority." + fe.field, fe.code, fe.message);
  }
  return out;
}

ItemInput item_input(const json::object& body, Input& in) {
  ItemInput i;
  i.title = in.text("title", false, 1, 500);
  i.rapporteur = in.optional_text("rapporteur", 200);
  i.draft = in.multiline("draft", 20000);
  i.majority = majority_input(body, in);
  i.named_required = in.boolean("named_required", false);
  i.position = in.integer("position", false, 1, 500);
  return i;
}

json::object public_vote_json(const PublicVote& p) {
  auto o = vote_json(p.vote);
  o["body"] = p.body_name;
  o["sitting_number"] = p.sitting_number;
  o["sitting_title"] = p.sitting_title;
  json::array named;
  for (auto& x : p.named)
    named.push_back(json::object{{"person_id", id_string(x.person_id)},
                                 {"name", x.name},
                                 {"group", x.group_name},
                                 {"status", x.status},
                                 {"choice", opt_text(x.choice)}});
  o["named_list"] = std::move(named);
  return o;
}

// One row per member and named vote (how each voted), one per other vote (the counts only).
CsvTable votes_csv(const std::vector<PublicVote>& votes) {
  CsvTable rows{{"sitting", "vote", "title", "kind", "majority", "status", "result", "yes", "no",
                 "abstain", "present", "member", "group", "member_status", "choice"}};
  for (auto& p : votes) {
    const auto& v = p.vote;
    auto count = [&](const char* k) -> std::string {
      if (v.status == "open") return "";
      auto t = json::parse(v.tally);
      auto* n = t.as_object().if_contains(k);
      return n && n->is_int64() ? std::to_string(n->as_int64()) : "";
    };
    std::vector<std::string> base{std::to_string(p.sitting_number),
                                  std::to_string(v.number),
                                  v.title,
                                  v.kind,
                                  v.majority.id,
                                  v.status,
                                  v.result.value_or(""),
                                  count("yes"),
                                  count("no"),
                                  count("abstain"),
                                  std::to_string(v.present)};
    if (p.named.empty()) {
      auto row = base;
      row.insert(row.end(), {"", "", "", ""});
      rows.push_back(std::move(row));
    }
    for (auto& x : p.named) {
      auto row = base;
      row.insert(row.end(), {x.name, x.group_name, x.status, x.choice.value_or("")});
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

// ?format=json (default) or csv.
bool wants_csv(const Request& req) {
  auto f = req.query_param("format").value_or("json");
  if (f != "json" && f != "csv") throw field_error("format", "invalid", "Use json or csv.");
  return f == "csv";
}

Response csv_response(const CsvTable& rows, const std::string& name) {
  Response res;
  res.content_type = "text/csv; charset=utf-8";
  res.body = write_csv(rows);
  res.header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  return res;
}

json::object list_of(json::array items) {
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

}  // namespace

void register_routes(net::Router& r, CouncilService& svc, identity::Auth& auth,
                     const std::string& public_url) {
  // ---- bodies ----
  auto body_input = [](const json::object& body) {
    Input in(body, {"name", "kind", "jurisdiction", "seats", "term_start", "term_end", "time_zone",
                    "parent_id", "vote_change", "camera_required"});
    BodyInput b;
    b.name = in.text("name", false, 1, 200);
    b.kind = in.optional_text("kind", 30);
    b.jurisdiction = in.optional_text("jurisdiction", 2);
    b.seats = in.integer("seats", false, 1, 100000);
    b.term_start = in.optional_text("term_start", 10);
    b.term_end = nullable_text(body, in, "term_end", 10);
    b.time_zone = in.optional_text("time_zone", 64);
    b.parent_id = in.id("parent_id", false);
    b.vote_change = in.boolean("vote_change", false);
    b.camera_required = in.boolean("camera_required", false);
    in.finish();
    return b;
  };
  r.add("GET", "/api/v1/council/bodies", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (auto& b : svc.bodies(who)) {
      auto o = body_json(b);
      o["me"] = standing_json(svc.standing(who, b.id));
      items.push_back(std::move(o));
    }
    return Response::json(list_of(std::move(items)));
  });
  r.add("POST", "/api/v1/council/bodies", [&, body_input](Request& req) {
    auto who = auth.require(req);
    return Response::json(body_json(svc.create_body(who, body_input(req.json_body()))), 201);
  });
  r.add("GET", "/api/v1/council/bodies/{id}", [&](Request& req) {
    auto who = auth.require(req);
    auto id = req.id_param("id");
    auto o = body_json(svc.body(who, id));
    json::array groups;
    for (auto& g : svc.groups(who, id)) groups.push_back(group_json(g));
    o["groups"] = std::move(groups);
    o["me"] = standing_json(svc.standing(who, id));
    return Response::json(o);
  });
  r.add("PATCH", "/api/v1/council/bodies/{id}", [&, body_input](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        body_json(svc.update_body(who, req.id_param("id"), body_input(req.json_body()))));
  });
  r.add("GET", "/api/v1/council/bodies/{id}/groups", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (auto& g : svc.groups(who, req.id_param("id"))) items.push_back(group_json(g));
    return Response::json(list_of(std::move(items)));
  });
  r.add("POST", "/api/v1/council/bodies/{id}/groups", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"name", "short_name"});
    auto name = in.required_text("name", 200);
    auto short_name = in.optional_text("short_name", 20).value_or("");
    in.finish();
    return Response::json(group_json(svc.create_group(who, req.id_param("id"), name, short_name)),
                          201);
  });
  auto member_input = [](const json::object& body) {
    Input in(body, {"person_id", "role", "seat", "group_id", "from_date", "to_date"});
    MembershipInput m;
    m.person_id = in.id("person_id", false);
    m.role = in.optional_text("role", 20);
    m.seat = in.optional_text("seat", 50);
    if (auto* g = body.if_contains("group_id"))
      m.group_id = g->is_null() ? std::optional<std::int64_t>{} : in.id("group_id", true);
    m.from_date = in.optional_text("from_date", 10);
    m.to_date = nullable_text(body, in, "to_date", 10);
    in.finish();
    return m;
  };
  r.add("GET", "/api/v1/council/bodies/{id}/members", [&](Request& req) {
    auto who = auth.require(req);
    auto id = req.id_param("id");
    // ?on=YYYY-MM-DD (default today), or ?on=all for every membership there ever was.
    auto on = req.query_param("on").value_or("today");
    if (on.empty()) on = "today";
    if (on == "all") on = "";
    json::array items;
    for (auto& m : svc.members(who, id, on)) items.push_back(member_json(m));
    return Response::json(list_of(std::move(items)));
  });
  r.add("POST", "/api/v1/council/bodies/{id}/members", [&, member_input](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        member_json(svc.add_member(who, req.id_param("id"), member_input(req.json_body()))), 201);
  });
  r.add("PATCH", "/api/v1/council/members/{id}", [&, member_input](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        member_json(svc.update_member(who, req.id_param("id"), member_input(req.json_body()))));
  });

  // ---- sittings ----
  auto sitting_input = [](const json::object& body) {
    Input in(body, {"body_id", "kind", "mode", "title", "place", "time_zone", "start", "duration"});
    SittingInput s;
    s.body_id = in.id("body_id", false);
    s.kind = in.optional_text("kind", 20);
    s.mode = in.optional_text("mode", 20);
    s.title = in.text("title", false, 1, 300);
    s.place = in.optional_text("place", 300);
    s.time_zone = in.optional_text("time_zone", 64);
    s.start = in.optional_text("start", 32);
    s.duration = in.integer("duration", false, 0, 86400);
    in.finish();
    return s;
  };
  r.add("GET", "/api/v1/council/sittings", [&](Request& req) {
    auto who = auth.require(req);
    db::SittingFilter f;
    f.body_id = req.id_query("body_id");
    f.status = req.query_param("status");
    if (auto from = req.query_param("from")) {
      auto t = parse_rfc3339(*from);
      if (!t) throw field_error("from", "invalid", "Give an RFC 3339 time.");
      f.from = *t;
    }
    f.limit = net::page_limit(req, 100);
    json::array items;
    for (auto& s : svc.sittings(who, f)) items.push_back(sitting_json(s));
    return Response::json(list_of(std::move(items)));
  });
  r.add("POST", "/api/v1/council/sittings", [&, sitting_input](Request& req) {
    auto who = auth.require(req);
    return Response::json(view_json(svc.create_sitting(who, sitting_input(req.json_body()))), 201);
  });
  r.add("GET", "/api/v1/council/sittings/{id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(view_json(svc.sitting(who, req.id_param("id"))));
  });
  r.add("PATCH", "/api/v1/council/sittings/{id}", [&, sitting_input](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        view_json(svc.update_sitting(who, req.id_param("id"), sitting_input(req.json_body()))));
  });
  for (std::string action : {"open", "close", "cancel"})
    r.add("POST", "/api/v1/council/sittings/{id}/" + action, [&, action](Request& req) {
      auto who = auth.require(req);
      return Response::json(view_json(svc.set_sitting_status(who, req.id_param("id"), action)));
    });
  r.add("POST", "/api/v1/council/sittings/{id}/items", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"title", "rapporteur", "draft", "majority", "named_required", "position"});
    auto i = item_input(body, in);
    if (!i.title) in.add_error("title", "required", "Give the item's title.");
    in.finish();
    return Response::json(item_json(svc.add_item(who, req.id_param("id"), i)), 201);
  });
  r.add("PATCH", "/api/v1/council/items/{id}", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"title", "rapporteur", "draft", "majority", "named_required", "position"});
    auto i = item_input(body, in);
    in.finish();
    return Response::json(item_json(svc.update_item(who, req.id_param("id"), i)));
  });
  r.add("POST", "/api/v1/council/sittings/{id}/agenda-changes", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"kind", "item_id", "position", "item"});
    auto kind = in.required_text("kind", 20);
    auto item_id = in.id("item_id", false);
    auto position = in.integer("position", false, 1, 500);
    ItemInput item;
    if (auto* it = body.if_contains("item"); it && it->is_object()) {
      Input each(it->as_object(), {"title", "rapporteur", "draft", "majority", "named_required"});
      item = item_input(it->as_object(), each);
      try {
        each.finish();
      } catch (const Error& e) {
        for (auto& fe : e.errors()) in.add_error("item." + fe.field, fe.code, fe.message);
      }
    } else if (kind == "add") {
      in.add_error("item", "required", "Give the new item.");
    }
    in.finish();
    return Response::json(vote_json(svc.propose_agenda_change(who, req.id_param("id"), kind,
                                                              item_id, position, item)),
                          201);
  });

  // ---- attendance ----
  r.add("POST", "/api/v1/council/sittings/{id}/attendance", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"remote", "password", "totp"});
    bool remote = in.boolean("remote", false).value_or(false);
    auto password = in.text("password", false, 0, 1000).value_or("");
    auto totp = in.optional_text("totp", 20);
    in.finish();
    return Response::json(
        view_json(svc.register_presence(who, req.id_param("id"), remote, password, totp)));
  });
  r.add("DELETE", "/api/v1/council/sittings/{id}/attendance", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(view_json(svc.leave(who, req.id_param("id"))));
  });
  r.add("POST", "/api/v1/council/sittings/{id}/roll-call", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"marks", "how"});
    auto how = in.optional_text("how", 20).value_or("roll_call");
    if (how != "roll_call" && how != "clerk")
      in.add_error("how", "invalid", "Choose roll_call or clerk.");
    std::vector<std::pair<std::int64_t, bool>> marks;
    if (auto* arr = in.array("marks", true, 100000)) {
      for (std::size_t k = 0; k < arr->size(); ++k) {
        std::string f = "marks[" + std::to_string(k) + "]";
        if (!(*arr)[k].is_object()) {
          in.add_error(f, "wrong_type", "Expected {person_id, present}.");
          continue;
        }
        Input each((*arr)[k].as_object(), {"person_id", "present"});
        auto person = each.id("person_id", true);
        auto present = each.boolean("present", true);
        try {
          each.finish();
          marks.emplace_back(*person, *present);
        } catch (const Error& e) {
          for (auto& fe : e.errors()) in.add_error(f + "." + fe.field, fe.code, fe.message);
        }
      }
    }
    in.finish();
    return Response::json(view_json(svc.mark_presence(who, req.id_param("id"), marks, how)));
  });
  r.add("GET", "/api/v1/council/sittings/{id}/minutes", [&](Request& req) {
    auto who = auth.require(req);
    auto format = req.query_param("format").value_or("odt");
    if (format != "odt" && format != "pdf")
      throw field_error("format", "invalid", "Use odt or pdf.");
    auto lang = req.query_param("lang").value_or("");
    if (!lang.empty() && lang != "bg" && lang != "pl" && lang != "en")
      throw field_error("lang", "invalid", "Use bg, pl or en.");
    auto id = req.id_param("id");
    if (lang.empty()) lang = svc.sitting(who, id).sitting.jurisdiction;
    auto doc = svc.minutes(who, id, lang);
    Response res;
    res.content_type =
        format == "pdf" ? "application/pdf" : "application/vnd.oasis.opendocument.text";
    res.body = format == "pdf" ? render::to_pdf(doc) : render::to_odt(doc);
    res.header("Content-Disposition",
               "attachment; filename=\"minutes-" + std::to_string(id) + "." + format + "\"");
    return res;
  });
  r.add("GET", "/api/v1/council/sittings/{id}/attendance-log", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (auto& e : svc.attendance_log(who, req.id_param("id")))
      items.push_back(json::object{{"id", id_string(e.id)},
                                   {"person_id", id_string(e.person_id)},
                                   {"display_name", e.display_name},
                                   {"event", e.event},
                                   {"how", e.how},
                                   {"remote", e.remote},
                                   {"at", rfc3339(e.at)}});
    return Response::json(list_of(std::move(items)));
  });
  r.add("POST", "/api/v1/council/items/{id}/conflicts", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"note"});
    auto note = in.optional_text("note", 1000).value_or("");
    in.finish();
    svc.declare_conflict(who, req.id_param("id"), note);
    return Response::no_content();
  });

  // ---- speakers ----
  r.add("POST", "/api/v1/council/sittings/{id}/speakers", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"kind", "item_id", "person_id"});
    auto kind = in.optional_text("kind", 20).value_or("speech");
    auto item = in.id("item_id", false);
    auto person = in.id("person_id", false);
    in.finish();
    return Response::json(
        speaker_json(svc.request_floor(who, req.id_param("id"), kind, item, person)), 201);
  });
  r.add("POST", "/api/v1/council/sittings/{id}/speakers/order", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"ids"});
    std::vector<std::int64_t> ids;
    if (auto* arr = in.array("ids", true, 1000))
      for (std::size_t k = 0; k < arr->size(); ++k) {
        std::int64_t id = 0;
        const auto& v = (*arr)[k];
        if (v.is_string()) {
          auto t = std::string(v.as_string());
          auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), id);
          if (ec != std::errc{} || p != t.data() + t.size() || id <= 0) id = 0;
        }
        if (id == 0)
          in.add_error("ids[" + std::to_string(k) + "]", "invalid", "Expected an id.");
        else
          ids.push_back(id);
      }
    in.finish();
    json::array items;
    for (auto& sp : svc.order_speakers(who, req.id_param("id"), ids))
      items.push_back(speaker_json(sp));
    return Response::json(list_of(std::move(items)));
  });
  r.add("DELETE", "/api/v1/council/speakers/{id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.withdraw_request(who, req.id_param("id"));
    return Response::no_content();
  });
  r.add("POST", "/api/v1/council/speakers/{id}/floor", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"seconds"});
    auto seconds = in.integer("seconds", false, 10, 3600);
    in.finish();
    return Response::json(speaker_json(svc.give_floor(who, req.id_param("id"), seconds)));
  });
  r.add("POST", "/api/v1/council/speakers/{id}/done", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(speaker_json(svc.end_floor(who, req.id_param("id"))));
  });

  // ---- votes ----
  r.add("POST", "/api/v1/council/sittings/{id}/votes", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"item_id", "title", "kind", "majority", "duration", "candidates", "repeat_of",
                    "repeat_reason"});
    VoteInput v;
    v.item_id = in.id("item_id", false);
    v.title = in.text("title", false, 1, 500);
    v.kind = in.optional_text("kind", 20);
    v.majority = majority_input(body, in);
    v.duration = in.integer("duration", false, 10, 3600);
    v.repeat_of = in.id("repeat_of", false);
    v.repeat_reason = in.optional_text("repeat_reason", 500);
    if (auto* arr = in.array("candidates", false, 50)) {
      std::vector<std::string> names;
      for (std::size_t k = 0; k < arr->size(); ++k) {
        if (!(*arr)[k].is_string())
          in.add_error("candidates[" + std::to_string(k) + "]", "wrong_type", "Expected a name.");
        else
          names.emplace_back((*arr)[k].as_string());
      }
      v.candidates = std::move(names);
    }
    in.finish();
    return Response::json(vote_json(svc.open_vote(who, req.id_param("id"), v)), 201);
  });
  r.add("GET", "/api/v1/council/votes/{id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(vote_json(svc.vote(who, req.id_param("id"))));
  });
  r.add("POST", "/api/v1/council/votes/{id}/ballots", [&](Request& req) {
    auto who = auth.require(req);
    // The request log does not name who cast a ballot: in a secret vote the order of the log
    // lines would otherwise link voters to the ledger's order.
    req.person_id = 0;
    auto body = req.json_body();
    Input in(body, {"choice"});
    auto choice = in.required_text("choice", 200);
    in.finish();
    auto c = svc.cast(who, req.id_param("id"), choice);
    return Response::json(json::object{{"vote_id", id_string(c.vote_id)},
                                       {"seq", c.seq},
                                       {"receipt", c.receipt},
                                       {"choice", c.choice},
                                       {"changed", c.changed}},
                          201);
  });
  r.add("POST", "/api/v1/council/votes/{id}/named-list", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"ballots"});
    std::vector<std::pair<std::int64_t, std::string>> list;
    if (auto* arr = in.array("ballots", true, 100000)) {
      for (std::size_t k = 0; k < arr->size(); ++k) {
        std::string f = "ballots[" + std::to_string(k) + "]";
        if (!(*arr)[k].is_object()) {
          in.add_error(f, "wrong_type", "Expected {person_id, choice}.");
          continue;
        }
        Input each((*arr)[k].as_object(), {"person_id", "choice"});
        auto person = each.id("person_id", true);
        auto choice = each.required_text("choice", 200);
        try {
          each.finish();
          list.emplace_back(*person, choice);
        } catch (const Error& e) {
          for (auto& fe : e.errors()) in.add_error(f + "." + fe.field, fe.code, fe.message);
        }
      }
    }
    in.finish();
    json::array items;
    for (auto& b : svc.enter_named_list(who, req.id_param("id"), list))
      items.push_back(json::object{{"person_id", id_string(b.person_id)},
                                   {"choice", b.choice},
                                   {"receipt", opt_text(b.receipt)},
                                   {"problem", opt_text(b.problem)}});
    return Response::json(list_of(std::move(items)));
  });
  r.add("POST", "/api/v1/council/votes/{id}/close", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(vote_json(svc.close_vote(who, req.id_param("id"))));
  });
  r.add("GET", "/api/v1/council/votes/{id}/voters", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (auto& v : svc.voters(who, req.id_param("id")))
      items.push_back(json::object{{"person_id", id_string(v.person_id)},
                                   {"name", v.name},
                                   {"group", v.group_name},
                                   {"status", v.status},
                                   {"voted", v.voted},
                                   {"choice", opt_text(v.choice)}});
    return Response::json(list_of(std::move(items)));
  });

  // ---- what anyone may see, without logging in (BG-T, PL-N: open, machine-readable) ----
  r.add("GET", "/api/v1/public/council/sittings", [&](Request& req) {
    db::SittingFilter f;
    f.body_id = req.id_query("body_id");
    f.limit = net::page_limit(req, 50);
    json::array items;
    for (auto& s : svc.public_sittings(f))
      if (s.status != "cancelled") items.push_back(sitting_json(s));
    return Response::json(list_of(std::move(items)));
  });
  r.add("GET", "/api/v1/public/council/sittings/{id}", [&](Request& req) {
    bool csv = wants_csv(req);
    auto p = svc.public_sitting(req.id_param("id"));
    if (csv) return csv_response(votes_csv(p.votes), "sitting-" + std::to_string(p.sitting.id));
    auto o = sitting_json(p.sitting);
    json::array items, votes, conflicts;
    for (auto& i : p.items) {
      auto item = item_json(i);
      // Each file of the item's materials, downloadable without login.
      json::array files;
      for (const auto& f : p.materials[i.id])
        files.push_back(json::object{
            {"id", id_string(f.id)},
            {"name", f.name},
            {"size", f.size},
            {"content_type", f.content_type},
            {"updated_at", rfc3339(f.updated_at)},
            {"url", "/api/v1/public/documents/nodes/" + id_string(f.id) + "/content"}});
      item["materials"] = std::move(files);
      items.push_back(std::move(item));
    }
    for (auto& v : p.votes) votes.push_back(public_vote_json(v));
    for (auto& c : p.conflicts)
      conflicts.push_back(json::object{{"item_id", id_string(c.item_id)},
                                       {"person_id", id_string(c.person_id)},
                                       {"display_name", c.display_name},
                                       {"note", c.note}});
    o["items"] = std::move(items);
    o["votes"] = std::move(votes);
    o["conflicts"] = std::move(conflicts);
    return Response::json(o);
  });
  r.add("GET", "/api/v1/public/council/votes/{id}", [&](Request& req) {
    bool csv = wants_csv(req);
    auto p = svc.public_vote(req.id_param("id"));
    if (csv) return csv_response(votes_csv({p}), "vote-" + std::to_string(p.vote.id));
    return Response::json(public_vote_json(p));
  });
  r.add("GET", "/api/v1/public/council/people/{id}/votes", [&](Request& req) {
    bool csv = wants_csv(req);
    auto id = req.id_param("id");
    auto name = svc.display_name(id);
    auto record = svc.voting_record(id, net::page_limit(req, 200));
    if (csv) {
      CsvTable rows{
          {"closed_at", "body", "sitting", "vote", "title", "status", "choice", "result"}};
      for (auto& e : record)
        rows.push_back({rfc3339(e.closed_at), e.body_name, std::to_string(e.sitting_number),
                        id_string(e.vote_id), e.title, e.status, e.choice.value_or(""), e.result});
      return csv_response(rows, "votes-" + std::to_string(id));
    }
    json::array items;
    for (auto& e : record)
      items.push_back(json::object{{"vote_id", id_string(e.vote_id)},
                                   {"sitting_id", id_string(e.sitting_id)},
                                   {"sitting_number", e.sitting_number},
                                   {"body", e.body_name},
                                   {"title", e.title},
                                   {"closed_at", rfc3339(e.closed_at)},
                                   {"status", e.status},
                                   {"choice", opt_text(e.choice)},
                                   {"result", e.result}});
    return Response::json(json::object{{"person_id", id_string(id)},
                                       {"display_name", name},
                                       {"items", std::move(items)},
                                       {"next_cursor", nullptr}});
  });
  r.add("GET", "/api/v1/public/council/feed.atom", [&, public_url](Request&) {
    // Atom (RFC 4287): the latest results, for the BIP and the municipal site.
    auto results = svc.recent_results(50);
    std::string base = public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    std::string x =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        "  <title>Council votes</title>\n"
        "  <id>" +
        xml_escape(base) +
        "/api/v1/public/council/feed.atom</id>\n"
        "  <link rel=\"self\" href=\"" +
        xml_escape(base) +
        "/api/v1/public/council/feed.atom\"/>\n"
        "  <updated>" +
        rfc3339(results.empty() ? 0 : *results.front().vote.closed_at) +
        "</updated>\n  <author><name>Ratusha</name></author>\n";
    for (auto& p : results) {
      const auto& v = p.vote;
      std::string page = base + "/public/council/votes/" + std::to_string(v.id);
      std::string link = base + "/api/v1/public/council/votes/" + std::to_string(v.id);
      std::string counts;
      auto tally = json::parse(v.tally);
      for (auto& [k, n] : tally.as_object())
        counts += (counts.empty() ? "" : ", ") + std::string(k) + ": " +
                  std::to_string(n.is_int64() ? n.as_int64() : 0);
      x += "  <entry>\n    <title>" +
           xml_escape(p.body_name + ", " + std::to_string(p.sitting_number) + ": " + v.title) +
           "</title>\n    <id>" + xml_escape(link) + "</id>\n    <link href=\"" + xml_escape(page) +
           "\"/>\n    <link rel=\"alternate\" type=\"application/json\" href=\"" +
           xml_escape(link) + "\"/>\n    <link rel=\"alternate\" type=\"text/csv\" href=\"" +
           xml_escape(link) + "?format=csv\"/>\n    <updated>" +
           rfc3339(v.closed_at.value_or(v.opened_at)) + "</updated>\n    <summary>" +
           xml_escape(v.result.value_or("") + " (" + counts + ")") + "</summary>\n  </entry>\n";
    }
    x += "</feed>\n";
    Response res;
    res.content_type = "application/atom+xml; charset=utf-8";
    res.body = std::move(x);
    return res;
  });

  // ---- what anyone may check, without logging in ----
  r.add("GET", "/api/v1/public/council/votes/{id}/ledger", [&](Request& req) {
    json::array entries;
    for (auto& e : svc.ledger(req.id_param("id"))) entries.push_back(entry_json(e));
    return Response::json(json::object{{"vote_id", id_string(req.id_param("id"))},
                                       {"public_key", security::hex(svc.public_key())},
                                       {"entries", std::move(entries)}});
  });
  r.add("GET", "/api/v1/public/council/receipts/{receipt}", [&](Request& req) {
    auto v = svc.receipt(req.params.at("receipt"));
    return Response::json(json::object{{"vote_id", id_string(v.vote_id)},
                                       {"sitting_id", id_string(v.sitting_id)},
                                       {"seq", v.seq},
                                       {"vote_title", v.vote_title},
                                       {"vote_status", v.vote_status},
                                       {"choice", v.choice},
                                       {"result", opt_text(v.result)}});
  });
}

}  // namespace ratusha::council
