// HTTP binding of the media module: decode, call the service, encode. No rules here.
#include "media/routes.hpp"

#include "core/error.hpp"
#include "core/time.hpp"

namespace ratusha::media {

using net::Request;
using net::Response;

namespace {

bool flag(const json::object& body, std::string_view field,
          std::initializer_list<std::string_view> allowed) {
  Input in(body, allowed);
  auto v = in.boolean(field, true);
  in.finish();
  return *v;
}

json::object instance_json(const InstanceStatus& s) {
  json::array connections;
  for (const auto& c : s.traffic.connections) {
    json::object o{{"opaque_id", c.opaque_id},
                   {"kind", c.kind},
                   {"janus_room", c.janus_room},
                   {"in_kbps", c.in_kbps},
                   {"out_kbps", c.out_kbps}};
    if (c.participant) {
      o["participant"] = c.participant;
      o["display_name"] = c.display_name;
      o["room_id"] = id_string(c.room_id);
      o["room_name"] = c.room_name;
    }
    connections.push_back(std::move(o));
  }
  return {{"name", s.instance.name},
          {"api_url", s.instance.api_url},
          {"up", s.up},
          {"version", s.version},
          {"problem", s.problem},
          {"rooms", s.rooms},
          {"participants", s.participants},
          {"sessions", s.traffic.sessions},
          {"measured_at", s.traffic.at ? json::value(rfc3339(s.traffic.at)) : json::value(nullptr)},
          {"restarts", s.restarts},
          {"in_kbps", s.traffic.in_kbps},
          {"out_kbps", s.traffic.out_kbps},
          {"connections", std::move(connections)}};
}

}  // namespace

void register_routes(net::Router& r, MediaService& svc, identity::Auth& auth) {
  r.add("POST", "/api/v1/rooms/{id}/media/join", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.body.empty() ? json::object{} : req.json_body();
    Input in(body, {"replaces"});
    auto replaces = in.integer("replaces", false, 1, (std::int64_t{1} << 53) - 1);
    in.finish();
    auto t = svc.join(who, req.id_param("id"), replaces);
    return Response::json(ticket_json(t), t.state == "waiting" ? 202 : 200);
  });
  r.add("GET", "/api/v1/rooms/{id}/media", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(live_state_json(svc.state(who, req.id_param("id"))));
  });
  r.add("POST", "/api/v1/rooms/{id}/media/participants/{pid}/streams", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"streams"});
    std::vector<Stream> streams;
    if (auto* a = in.array("streams", true, 16)) {
      for (auto& v : *a) {
        auto* o = v.if_object();
        auto* mid = o ? o->if_contains("mid") : nullptr;
        auto* type = o ? o->if_contains("type") : nullptr;
        bool ok = mid && mid->is_string() && type && type->is_string() &&
                  !mid->as_string().empty() && mid->as_string().size() <= 16;
        if (ok)
          for (char c : mid->as_string())
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') ok = false;
        std::string t = ok ? std::string(type->as_string()) : "";
        if (!ok || (t != "audio" && t != "video" && t != "data")) {
          in.add_error("streams", "invalid",
                       "Each stream is {\"mid\": up to 16 letters or digits, \"type\": audio, "
                       "video or data}.");
          break;
        }
        streams.push_back({std::string(mid->as_string()), t});
      }
    }
    in.finish();
    svc.set_streams(who, req.id_param("id"), req.id_param("pid"), streams);
    return Response::no_content();
  });
  r.add("POST", "/api/v1/rooms/{id}/media/participants/{pid}/token", [&](Request& req) {
    auto who = auth.require(req);
    auto t = svc.room_token_for(who, req.id_param("id"), req.id_param("pid"));
    return Response::json(json::object{
        {"room_token", t.token}, {"pin", t.pin}, {"expires_at", rfc3339(t.expires_at)}});
  });
  // With a participant: that connection leaves; without: stop waiting in the lobby.
  r.add("POST", "/api/v1/rooms/{id}/media/leave", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"participant"});
    auto p = in.integer("participant", false, 1, (std::int64_t{1} << 53) - 1);
    in.finish();
    if (p)
      svc.leave(who, req.id_param("id"), *p);
    else
      svc.withdraw(who, req.id_param("id"));
    return Response::no_content();
  });
  // {participant, <field>: bool}: one's own raised hand, one's own shared screen.
  auto shown = [&](const char* path, const char* field, MediaService::Shown what) {
    r.add("POST", path, [&svc, &auth, field, what](Request& req) {
      auto who = auth.require(req);
      auto body = req.json_body();
      Input in(body, {"participant", field});
      auto p = in.integer("participant", true, 1, (std::int64_t{1} << 53) - 1);
      auto on = in.boolean(field, true);
      in.finish();
      svc.show(who, req.id_param("id"), *p, what, *on);
      return Response::no_content();
    });
  };
  shown("/api/v1/rooms/{id}/media/hand", "raised", MediaService::Shown::hand);
  shown("/api/v1/rooms/{id}/media/screen", "sharing", MediaService::Shown::screen);
  r.add("POST", "/api/v1/rooms/{id}/media/participants/{pid}/mute", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"kind", "muted"});
    auto kind = in.required_text("kind", 5);
    auto muted = in.boolean("muted", false);
    in.finish();
    svc.mute(who, req.id_param("id"), req.id_param("pid"), kind, muted.value_or(true));
    return Response::no_content();
  });
  r.add("POST", "/api/v1/rooms/{id}/media/participants/{pid}/remove", [&](Request& req) {
    auto who = auth.require(req);
    svc.remove(who, req.id_param("id"), req.id_param("pid"));
    return Response::no_content();
  });
  r.add("POST", "/api/v1/rooms/{id}/media/lock", [&](Request& req) {
    auto who = auth.require(req);
    svc.lock(who, req.id_param("id"), flag(req.json_body(), "locked", {"locked"}));
    return Response::no_content();
  });
  r.add("POST", "/api/v1/rooms/{id}/media/end", [&](Request& req) {
    auto who = auth.require(req);
    svc.end(who, req.id_param("id"));
    return Response::no_content();
  });
  r.add("POST", "/api/v1/rooms/{id}/media/lobby/{person_id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.decide(who, req.id_param("id"), req.id_param("person_id"),
               flag(req.json_body(), "admit", {"admit"}));
    return Response::no_content();
  });
  r.add("POST", "/api/v1/rooms/{id}/media/recording", [&](Request& req) {
    auto who = auth.require(req);
    bool on = flag(req.json_body(), "on", {"on"});
    auto id = req.id_param("id");
    auto rec = on ? svc.start_recording(who, id) : svc.stop_recording(who, id);
    return Response::json(recording_json(rec), on ? 201 : 200);
  });
  r.add("GET", "/api/v1/rooms/{id}/media/recordings", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (const auto& rec : svc.recordings(who, req.id_param("id")))
      items.push_back(recording_json(rec));
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  r.add("GET", "/api/v1/media/status", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (const auto& s : svc.status(who)) items.push_back(instance_json(s));
    return Response::json(
        json::object{{"available", svc.available()}, {"instances", std::move(items)}});
  });
}

}  // namespace ratusha::media
