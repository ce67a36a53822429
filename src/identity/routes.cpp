// HTTP binding of the identity module: decode, call the service, encode. No rules here.
#include "identity/routes.hpp"

#include "core/time.hpp"
#include "identity/rules.hpp"

namespace ratusha::identity {

using net::Request;
using net::Response;

std::string user_agent(const Request& req) {
  auto ua = req.header("user-agent");
  return ua ? std::string(ua->substr(0, 300)) : "";
}

// The session as the web app needs it: who, the CSRF token, expiries and the organisation.
json::object session_body(IdentityService& svc, const Principal& who, const Person& p) {
  auto body = session_json(who, p);
  body["organisation_name"] = svc.settings().organisation_name;
  return body;
}

namespace {

Response session_response(Auth& auth, IdentityService& svc, const LoginResult& r, const Person& p) {
  auto res = Response::json(session_body(svc, r.principal, p));
  res.header("Set-Cookie", auth.set_cookie(r.session_token));
  return res;
}

std::vector<RoleAssignment> read_roles(Input& in, const json::array* arr) {
  std::vector<RoleAssignment> roles;
  if (!arr) return roles;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    std::string f = "roles[" + std::to_string(i) + "]";
    const auto& v = (*arr)[i];
    if (!v.is_object()) {
      in.add_error(f, "wrong_type", "Expected an object.");
      continue;
    }
    Input r(v.as_object(), {"role", "scope_kind", "scope_id"});
    RoleAssignment ra;
    ra.role = r.required_text("role", 40);
    ra.scope_kind = r.optional_text("scope_kind", 40).value_or("organisation");
    ra.scope_id = r.id("scope_id", false);
    if (!r.ok()) {
      try {
        r.finish();
      } catch (const Error& e) {
        for (const auto& fe : e.errors()) in.add_error(f + "." + fe.field, fe.code, fe.message);
      }
      continue;
    }
    roles.push_back(ra);
  }
  return roles;
}

json::object issued_json(const IssuedCode& c) {
  return json::object{{"person", person_json(c.person)},
                      {"access_code", c.access_code},
                      {"activation_secret", c.activation_secret}};
}

json::object token_json(const ApiToken& t) {
  json::array scopes;
  for (const auto& s : t.scopes) scopes.push_back(json::value(s));
  return json::object{{"id", id_string(t.id)},
                      {"name", t.name},
                      {"scopes", std::move(scopes)},
                      {"created_at", rfc3339(t.created_at)},
                      {"expires_at", nullable_time(t.expires_at)},
                      {"last_used_at", nullable_time(t.last_used_at)},
                      {"revoked_at", nullable_time(t.revoked_at)}};
}

}  // namespace

void register_routes(net::Router& r, IdentityService& svc, Auth& auth) {
  // ---- session ----
  r.add("POST", "/api/v1/session", [&](Request& req) {
    auto body = req.json_body();
    Input in(body, {"access_code", "password", "totp"});
    auto code = in.required_text("access_code", 40);
    auto password = in.text("password", true, 1, 256).value_or("");
    auto totp = in.optional_text("totp", 20);
    in.finish();
    auto result = svc.login(code, password, totp, client_address(req), user_agent(req));
    const auto& p = result.principal.self;
    return session_response(auth, svc, result, p);
  });
  r.add("GET", "/api/v1/session", [&](Request& req) {
    auto who = auth.require(req, false);
    if (who.session_id == 0)
      throw Error(ErrorKind::unauthenticated, "unauthenticated", "API tokens have no session.");
    return Response::json(session_body(svc, who, who.self));
  });
  r.add("POST", "/api/v1/session/extend", [&](Request& req) {
    auto who = auth.require(req);
    if (who.session_id == 0)
      throw Error(ErrorKind::unauthenticated, "unauthenticated", "API tokens have no session.");
    auto extended = svc.extend(who);
    return Response::json(session_body(svc, extended, extended.self));
  });
  r.add("DELETE", "/api/v1/session", [&](Request& req) {
    auto who = auth.require(req);
    if (who.session_id) svc.logout(who);
    auto res = Response::no_content();
    res.header("Set-Cookie", auth.clear_cookie());
    return res;
  });
  r.add("POST", "/api/v1/activation", [&](Request& req) {
    auto body = req.json_body();
    Input in(body, {"access_code", "activation_secret", "password"});
    auto code = in.required_text("access_code", 40);
    auto secret = in.required_text("activation_secret", 40);
    auto password = in.text("password", true, 1, 256).value_or("");
    in.finish();
    auto result = svc.activate(code, secret, password, client_address(req), user_agent(req));
    return session_response(auth, svc, result, result.principal.self);
  });

  // ---- me ----
  r.add("GET", "/api/v1/me", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(person_json(who.self, &who.permissions));
  });
  r.add("PATCH", "/api/v1/me", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"display_name", "locale"});
    auto name = in.text("display_name", false, 1, 200);
    auto locale = in.optional_text("locale", 5);
    in.finish();
    return Response::json(person_json(svc.update_me(who, name, locale), &who.permissions));
  });
  r.add("POST", "/api/v1/me/password", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"current_password", "new_password"});
    auto current = in.text("current_password", true, 1, 256).value_or("");
    auto next = in.text("new_password", true, 1, 256).value_or("");
    in.finish();
    svc.change_password(who, current, next);
    return Response::no_content();
  });
  r.add("POST", "/api/v1/me/totp", [&](Request& req) {
    auto who = auth.require(req);
    auto e = svc.begin_totp(who);
    return Response::json(json::object{
        {"secret", e.secret_base32}, {"otpauth_uri", e.otpauth_uri}, {"qr_svg", e.qr_svg}});
  });
  r.add("POST", "/api/v1/me/totp/confirm", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"code"});
    auto code = in.required_text("code", 10);
    in.finish();
    json::array codes;
    for (const auto& c : svc.confirm_totp(who, code)) codes.push_back(json::value(c));
    return Response::json(json::object{{"recovery_codes", std::move(codes)}});
  });
  r.add("DELETE", "/api/v1/me/totp", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"password"});
    auto password = in.text("password", true, 1, 256).value_or("");
    in.finish();
    svc.disable_totp(who, password);
    return Response::no_content();
  });
  r.add("GET", "/api/v1/me/sessions", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (const auto& s : svc.sessions(who))
      items.push_back(json::object{{"id", id_string(s.id)},
                                   {"created_at", rfc3339(s.created_at)},
                                   {"last_seen_at", rfc3339(s.last_seen_at)},
                                   {"user_agent", s.user_agent},
                                   {"address", s.address},
                                   {"current", s.id == who.session_id}});
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  r.add("DELETE", "/api/v1/me/sessions", [&](Request& req) {
    auto who = auth.require(req);
    svc.end_all_sessions(who);
    auto res = Response::no_content();
    res.header("Set-Cookie", auth.clear_cookie());
    return res;
  });
  r.add("DELETE", "/api/v1/me/sessions/{id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.end_session(who, req.id_param("id"));
    return Response::no_content();
  });

  // ---- people ----
  r.add("GET", "/api/v1/people", [&](Request& req) {
    auto who = auth.require(req);
    db::PeopleFilter f;
    f.limit = net::page_limit(req);
    f.after_id = net::page_cursor(req);
    f.q = req.query_param("q");
    if (f.q && utf8_length(*f.q) > 100)
      throw field_error("q", "too_long", "At most 100 characters.");
    f.status = req.query_param("status");
    if (f.status && !one_of(*f.status, {"pending", "active", "disabled"}))
      throw field_error("status", "invalid", "Use pending, active or disabled.");
    if (auto u = req.query_param("unit_id")) {
      try {
        f.unit_id = std::stoll(*u);
      } catch (...) {
        throw field_error("unit_id", "invalid", "Not a valid id.");
      }
    }
    auto people = svc.list_people(who, f);
    json::array items;
    for (const auto& p : people) items.push_back(person_json(p));
    return Response::json(
        net::page(std::move(items), static_cast<std::size_t>(f.limit),
                  people.empty() ? std::nullopt : std::optional(people.back().id)));
  });
  r.add("POST", "/api/v1/people", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"display_name", "email", "kind", "unit_id", "roles", "locale"});
    NewPerson p;
    p.display_name = in.required_text("display_name", 200);
    p.email = in.optional_text("email", 254);
    p.kind = in.optional_text("kind", 20).value_or("employee");
    p.unit_id = in.id("unit_id", false);
    p.locale = in.optional_text("locale", 5).value_or("bg");
    p.roles = read_roles(in, in.array("roles", false, 20));
    in.finish();
    return Response::json(issued_json(svc.create_person(who, p)), 201);
  });
  r.add(
      "POST", "/api/v1/people/import",
      [&](Request& req) {
        auto who = auth.require(req);
        auto ct = req.header("content-type");
        if (!ct || !ct->starts_with("text/csv"))
          throw Error(ErrorKind::unsupported_media, "unsupported-media-type",
                      "Send the file as text/csv.");
        json::array created;
        for (const auto& c : svc.import_people(who, req.body)) created.push_back(issued_json(c));
        return Response::json(json::object{{"created", std::move(created)}}, 201);
      },
      2 * 1024 * 1024);
  r.add("GET", "/api/v1/people/{id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(person_json(svc.get_person(who, req.id_param("id"))));
  });
  r.add("PATCH", "/api/v1/people/{id}", [&](Request& req) {
    auto who = auth.require(req);
    auto id = req.id_param("id");
    auto body = req.json_body();
    Input in(body, {"display_name", "email", "kind", "unit_id", "roles"});
    NewPerson p;
    p.display_name = in.text("display_name", false, 1, 200).value_or("");
    p.email = in.optional_text("email", 254);
    p.kind = in.optional_text("kind", 20).value_or("");
    p.unit_id = in.id("unit_id", false);
    bool roles_given = in.has("roles");
    p.roles = read_roles(in, in.array("roles", false, 20));
    in.finish();
    return Response::json(person_json(
        svc.update_person(who, id, p, roles_given, in.has("email"), in.has("unit_id"))));
  });
  r.add("POST", "/api/v1/people/{id}/disable", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(person_json(svc.set_disabled(who, req.id_param("id"), true)));
  });
  r.add("POST", "/api/v1/people/{id}/enable", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(person_json(svc.set_disabled(who, req.id_param("id"), false)));
  });
  r.add("POST", "/api/v1/people/{id}/reset-code", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(issued_json(svc.reset_code(who, req.id_param("id"))));
  });

  // ---- organisation ----
  r.add("GET", "/api/v1/directory", [&](Request& req) {
    auto who = auth.require(req);
    auto q = req.query_param("q").value_or("");
    if (utf8_length(q) > 100) throw field_error("q", "too_long", "At most 100 characters.");
    json::array items;
    for (const auto& e : svc.directory(who, q))
      items.push_back(json::object{
          {"kind", e.kind}, {"id", id_string(e.id)}, {"name", e.name}, {"detail", e.detail}});
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  r.add("GET", "/api/v1/units", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (const auto& u : svc.list_units(who))
      items.push_back(json::object{{"id", id_string(u.id)},
                                   {"name", u.name},
                                   {"kind", u.kind},
                                   {"parent_id", nullable_id(u.parent_id)}});
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });

  // ---- organisation settings ----
  auto settings_json = [](const IdentityService::Settings& st) {
    json::array roles;
    for (const auto& role : st.totp_required_roles) roles.push_back(json::value(role));
    return json::object{{"organisation_name", st.organisation_name},
                        {"code_prefix", st.code_prefix},
                        {"locale", st.locale},
                        {"totp_required_roles", std::move(roles)}};
  };
  r.add("GET", "/api/v1/settings", [&, settings_json](Request& req) {
    auto who = auth.require(req);
    if (!who.can("settings.manage")) throw forbidden();
    return Response::json(settings_json(svc.settings()));
  });
  r.add("PATCH", "/api/v1/settings", [&, settings_json](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"organisation_name", "totp_required_roles"});
    auto name = in.text("organisation_name", false, 1, 200);
    std::optional<std::set<std::string>> roles;
    if (auto arr = in.array("totp_required_roles", false, 10)) {
      roles.emplace();
      for (const auto& v : *arr) {
        if (v.is_string())
          roles->insert(std::string(v.as_string()));
        else
          in.add_error("totp_required_roles", "wrong_type", "Expected role names.");
      }
    }
    in.finish();
    return Response::json(settings_json(svc.update_settings(who, name, roles)));
  });

  // ---- API tokens ----
  r.add("GET", "/api/v1/tokens", [&](Request& req) {
    auto who = auth.require(req);
    json::array items;
    for (const auto& t : svc.list_tokens(who)) items.push_back(token_json(t));
    return Response::json(json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  });
  r.add("POST", "/api/v1/tokens", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"name", "scopes", "expires_in_days"});
    auto name = in.required_text("name", 100);
    std::vector<std::string> scopes;
    if (auto arr = in.array("scopes", true, 20)) {
      for (std::size_t i = 0; i < arr->size(); ++i) {
        if ((*arr)[i].is_string())
          scopes.emplace_back((*arr)[i].as_string());
        else
          in.add_error("scopes[" + std::to_string(i) + "]", "wrong_type", "Expected a string.");
      }
    }
    auto days = in.integer("expires_in_days", false, 1, 3650);
    in.finish();
    auto [token, secret] = svc.create_token(who, name, scopes, days);
    return Response::json(json::object{{"token", token_json(token)}, {"secret", secret}}, 201);
  });
  r.add("DELETE", "/api/v1/tokens/{id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.revoke_token(who, req.id_param("id"));
    return Response::no_content();
  });
}

namespace {

json::object group_json(const Group& g, bool with_members) {
  json::object o{{"id", id_string(g.id)},
                 {"name", g.name},
                 {"description", g.description},
                 {"member_count", g.member_count},
                 {"created_at", rfc3339(g.created_at)},
                 {"updated_at", rfc3339(g.updated_at)}};
  if (with_members) {
    json::array members;
    for (const auto& m : g.members)
      members.push_back(json::object{{"id", id_string(m.id)},
                                     {"display_name", m.display_name},
                                     {"unit_name", nullable(m.unit_name)},
                                     {"status", m.status}});
    o["members"] = std::move(members);
  }
  return o;
}

}  // namespace

void register_group_routes(net::Router& r, GroupsService& svc, Auth& auth) {
  r.add("GET", "/api/v1/groups", [&](Request& req) {
    auto who = auth.require(req);
    auto limit = net::page_limit(req);
    auto q = req.query_param("q");
    if (q && utf8_length(*q) > 100) throw field_error("q", "too_long", "At most 100 characters.");
    auto groups = svc.list(who, q, net::page_cursor(req), limit);
    json::array items;
    for (const auto& g : groups) items.push_back(group_json(g, false));
    return Response::json(
        net::page(std::move(items), static_cast<std::size_t>(limit),
                  groups.empty() ? std::nullopt : std::optional(groups.back().id)));
  });
  r.add("POST", "/api/v1/groups", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"name", "description"});
    auto name = in.required_text("name", 200);
    auto description = in.optional_text("description", 1000).value_or("");
    in.finish();
    return Response::json(group_json(svc.create(who, name, description), true), 201);
  });
  r.add("GET", "/api/v1/groups/{id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(group_json(svc.get(who, req.id_param("id")), true));
  });
  r.add("PATCH", "/api/v1/groups/{id}", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"name", "description"});
    auto name = in.text("name", false, 1, 200);
    auto description = in.optional_text("description", 1000);
    in.finish();
    return Response::json(group_json(svc.update(who, req.id_param("id"), name, description), true));
  });
  r.add("DELETE", "/api/v1/groups/{id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.remove(who, req.id_param("id"));
    return Response::no_content();
  });
  r.add("POST", "/api/v1/groups/{id}/members", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"person_id"});
    auto person = in.id("person_id", true);
    in.finish();
    auto [g, added] = svc.add_member(who, req.id_param("id"), *person);
    return Response::json(group_json(g, true), added ? 201 : 200);
  });
  r.add("DELETE", "/api/v1/groups/{id}/members/{person_id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        group_json(svc.remove_member(who, req.id_param("id"), req.id_param("person_id")), true));
  });
}

}  // namespace ratusha::identity
