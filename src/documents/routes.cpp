// HTTP binding of the documents module: decode, call the service, encode. No rules here.
#include "documents/routes.hpp"

#include <charconv>

#include "core/error.hpp"
#include "core/time.hpp"
#include "documents/rules.hpp"
#include "security/crypto.hpp"

namespace ratusha::documents {

using net::Request;
using net::Response;

namespace {

json::object node_json(const Node& n) {
  json::object o{
      {"id", id_string(n.id)},
      {"space_id", id_string(n.space_id)},
      {"parent_id", nullable_id(n.parent_id)},
      {"kind", n.kind},
      {"name", n.name},
      {"size", n.size},
      {"content_type", n.content_type},
      {"version", n.version},
      {"sha256", n.sha256},
      {"fingerprint", fingerprint(n.sha256)},
      {"created_at", rfc3339(n.created_at)},
      {"updated_at", rfc3339(n.updated_at)},
      {"updated_by", n.updated_by ? json::value(json::object{{"id", id_string(*n.updated_by)},
                                                             {"display_name", n.updated_by_name}})
                                  : json::value(nullptr)},
      {"right", access_name(n.access)},
      {"legal_hold", n.legal_hold},
      {"hold_reason", nullable(n.hold_reason)},
      {"deleted_at", nullable_time(n.deleted_at)}};
  return o;
}

json::object space_json(const Space& s) {
  return {{"id", id_string(s.id)},
          {"kind", s.kind},
          {"name", s.name},
          {"root_id", id_string(s.root_id)},
          {"right", access_name(s.access)},
          {"quota_bytes", s.quota_bytes ? json::value(*s.quota_bytes) : json::value(nullptr)},
          {"used_bytes", s.used_bytes}};
}

json::object upload_json(const Upload& u, std::int64_t chunk) {
  return {{"id", u.id},
          {"name", u.name},
          {"size", u.size},
          {"received", u.received},
          {"chunk_size", chunk}};
}

json::object link_json(const Link& l) {
  return {{"id", id_string(l.id)},
          {"expires_at", rfc3339(l.expires_at)},
          {"has_password", l.has_password},
          {"created_at", rfc3339(l.created_at)},
          {"downloads", l.downloads}};
}

json::object grant_json(const Grant& g) {
  auto a = parse_audience(g.audience);
  return {
      {"id", id_string(g.id)},
      {"audience",
       json::object{{"kind", a ? a->kind : ""}, {"id", a ? a->id : ""}, {"name", g.audience_name}}},
      {"right", access_name(g.access)},
      {"inherent", g.implicit},
      {"created_at", rfc3339(g.created_at)}};
}

json::object items(json::array a) {
  return json::object{{"items", std::move(a)}};
}

// Bytes of a document: ranges, conditional requests, and headers that keep uploaded content
// from ever acting as part of our site.
Response content_response(const Request& req, Download d, bool want_inline) {
  Response res;
  auto file = std::make_shared<net::FileBody>(d.fd);
  file->length = static_cast<std::uint64_t>(d.size);
  bool show = want_inline && may_show_inline(d.content_type);
  res.content_type =
      show ? d.content_type
           : (d.content_type.starts_with("text/") ? "text/plain; charset=utf-8" : d.content_type);
  if (!show && !may_show_inline(d.content_type)) res.content_type = "application/octet-stream";
  std::string etag = "\"" + d.sha256 + "\"";
  res.header("ETag", etag);
  res.header("Cache-Control", "private, no-cache");
  res.header("Content-Disposition", content_disposition(d.name, show));
  res.header("Cross-Origin-Resource-Policy", "same-origin");
  if (show && d.content_type.starts_with("application/pdf")) {
    // The browser's PDF viewer does not run in a sandbox; our pages may frame it.
    res.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'");
    res.header("X-Frame-Options", "SAMEORIGIN");
  } else if (show) {
    res.header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'; sandbox");
    res.header("X-Frame-Options", "SAMEORIGIN");
  } else {
    res.header("Content-Security-Policy", "default-src 'none'; sandbox");
  }
  if (auto inm = req.header("if-none-match"); inm && *inm == etag) {
    res.status = 304;
    return res;
  }
  res.file = std::move(file);
  net::apply_range(req, res, static_cast<std::uint64_t>(d.size), etag);
  return res;
}

// A download counts once, not for every range a viewer asks for, nor for a 304 or a HEAD.
bool counts_as_download(const Request& req, const Response& res) {
  if (req.method != "GET" || !res.file) return false;
  return res.status == 200 || (res.status == 206 && res.file->offset == 0);
}

std::optional<std::string> content_digest(const Request& req) {
  // RFC 9530: Content-Digest: sha-256=:BASE64:
  auto h = req.header("content-digest");
  if (!h) return std::nullopt;
  std::string_view v = *h;
  auto pos = v.find("sha-256=:");
  if (pos == std::string_view::npos)
    throw Error(ErrorKind::bad_request, "bad-digest", "Content-Digest must carry sha-256.");
  auto start = pos + 9;
  auto end = v.find(':', start);
  if (end == std::string_view::npos)
    throw Error(ErrorKind::bad_request, "bad-digest", "Content-Digest is malformed.");
  auto decoded = security::base64_decode(v.substr(start, end - start));
  if (!decoded) throw Error(ErrorKind::bad_request, "bad-digest", "Content-Digest is malformed.");
  const std::string& bin = *decoded;
  if (bin.size() != 32) throw Error(ErrorKind::bad_request, "bad-digest", "Not a SHA-256.");
  return security::hex(bin);
}

Access read_access(Input& in) {
  auto r = in.required_text("right", 10);
  auto a = parse_access(r);
  if (!a && in.ok()) in.add_error("right", "invalid", "Choose view, edit or manage.");
  return a.value_or(Access::view);
}

}  // namespace

void register_routes(net::Router& r, DocumentsService& svc, identity::Auth& auth) {
  const std::size_t max_upload = static_cast<std::size_t>(svc.options().max_upload);
  const std::size_t max_chunk = static_cast<std::size_t>(svc.options().chunk_size) * 2;

  r.add("GET", "/api/v1/documents/spaces", [&](Request& req) {
    auto who = auth.require(req);
    json::array a;
    for (auto& s : svc.spaces(who)) a.push_back(space_json(s));
    return Response::json(items(std::move(a)));
  });
  r.add("GET", "/api/v1/documents/shared", [&](Request& req) {
    auto who = auth.require(req);
    json::array a;
    for (auto& n : svc.shared_with_me(who)) a.push_back(node_json(n));
    return Response::json(items(std::move(a)));
  });
  r.add("GET", "/api/v1/documents/nodes/{id}", [&](Request& req) {
    auto who = auth.require(req);
    auto v = svc.node(who, req.id_param("id"));
    auto o = node_json(v.node);
    json::array path;
    for (auto& [id, name] : v.path)
      path.push_back(json::object{{"id", id_string(id)}, {"name", name}});
    o["path"] = std::move(path);
    o["space"] = space_json(v.space);
    return Response::json(o);
  });
  r.add("GET", "/api/v1/documents/nodes/{id}/children", [&](Request& req) {
    auto who = auth.require(req);
    int limit = net::page_limit(req, 100);
    auto offset = net::page_cursor(req).value_or(0);
    auto kids = svc.children(who, req.id_param("id"), static_cast<int>(offset), limit);
    json::array a;
    for (auto& n : kids) a.push_back(node_json(n));
    auto count = a.size();
    return Response::json(
        net::page(std::move(a), static_cast<std::size_t>(limit),
                  count ? std::optional<std::int64_t>(offset + static_cast<std::int64_t>(count))
                        : std::nullopt));
  });
  r.add("POST", "/api/v1/documents/nodes/{id}/folders", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"name"});
    auto name = in.text("name", true, 1, 1000).value_or("");
    in.finish();
    auto n = svc.create_folder(who, req.id_param("id"), name);
    return Response::json(node_json(n), 201);
  });
  r.add_streamed(
      "POST", "/api/v1/documents/nodes/{id}/files",
      [&](Request& req) {
        auto who = auth.require(req);
        auto name = req.query_param("name");
        if (!name) throw field_error("name", "required", "Give the file name as ?name=.");
        auto digest = content_digest(req);
        if (req.body_file.empty() && !req.body.empty())
          throw Error(ErrorKind::unavailable, "storage-unavailable", "Cannot store files now.");
        auto stored = svc.store_file(
            who, req.id_param("id"), *name, req.body_file, static_cast<std::int64_t>(req.body_size),
            digest,
            req.body_sha256.empty() ? std::nullopt : std::optional<std::string>(req.body_sha256));
        req.body_file.clear();  // handed over
        auto res = Response::json(node_json(stored.node), stored.created ? 201 : 200);
        res.header("Location", "/api/v1/documents/nodes/" + id_string(stored.node.id));
        return res;
      },
      max_upload,
      [&](Request& req) {
        // Refuse before the body: nobody logged in, or no right to add files here.
        auto who = auth.require(req);
        svc.check_can_add(who, req.id_param("id"));
      });

  // ---- resumable uploads ----
  r.add("POST", "/api/v1/documents/uploads", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"folder_id", "name", "size", "sha256"});
    auto folder = in.id("folder_id", true);
    auto name = in.text("name", true, 1, 1000).value_or("");
    auto size = in.integer("size", true, 0, std::int64_t{1} << 50);
    auto sha = in.optional_text("sha256", 64);
    in.finish();
    auto u = svc.begin_upload(who, *folder, name, *size, sha);
    auto res = Response::json(upload_json(u, svc.options().chunk_size), 201);
    res.header("Location", "/api/v1/documents/uploads/" + u.id);
    return res;
  });
  r.add("GET", "/api/v1/documents/uploads/{id}", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        upload_json(svc.upload_state(who, req.params["id"]), svc.options().chunk_size));
  });
  r.add_streamed(
      "PATCH", "/api/v1/documents/uploads/{id}",
      [&](Request& req) {
        auto who = auth.require(req);
        auto off = req.header("upload-offset");
        std::int64_t offset = -1;
        if (off) {
          try {
            std::size_t used = 0;
            offset = std::stoll(std::string(*off), &used);
            if (used != off->size()) offset = -1;
          } catch (...) {
            offset = -1;
          }
        }
        if (offset < 0)
          throw Error(ErrorKind::bad_request, "upload-offset",
                      "Send the Upload-Offset header: where this chunk starts.");
        try {
          auto u = svc.append_chunk(who, req.params["id"], offset, req.body_file,
                                    static_cast<std::int64_t>(req.body_size));
          req.body_file.clear();
          return Response::json(upload_json(u, svc.options().chunk_size));
        } catch (const Error& e) {
          if (e.slug() != "wrong-offset") throw;
          // Tell the client where to continue, in the problem and as a header.
          auto u = svc.upload_state(who, req.params["id"]);
          auto res = net::problem_response(e, req.request_id);
          auto doc = json::parse(res.body).as_object();
          doc["received"] = u.received;
          res.body = json::serialize(doc);
          res.header("Upload-Offset", std::to_string(u.received));
          return res;
        }
      },
      max_chunk,
      [&](Request& req) {
        auto who = auth.require(req);
        svc.upload_state(who, req.params["id"]);
      });
  r.add("POST", "/api/v1/documents/uploads/{id}/complete", [&](Request& req) {
    auto who = auth.require(req);
    auto stored = svc.complete_upload(who, req.params["id"]);
    return Response::json(node_json(stored.node), stored.created ? 201 : 200);
  });
  r.add("DELETE", "/api/v1/documents/uploads/{id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.abort_upload(who, req.params["id"]);
    return Response::no_content();
  });

  // ---- content, versions ----
  r.add("GET", "/api/v1/documents/nodes/{id}/content", [&](Request& req) {
    auto who = auth.require(req);
    std::optional<std::int64_t> version;
    if (auto v = req.query_param("version")) {
      std::int64_t n = 0;
      auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
      if (ec != std::errc{} || p != v->data() + v->size() || n <= 0)
        throw not_found("No such version.");
      version = n;
    }
    auto id = req.id_param("id");
    auto d = svc.open_content(who, id, version);
    auto res = content_response(req, d, req.query_param("inline") == "1");
    if (counts_as_download(req, res)) svc.record_download(who, id, d);
    return res;
  });
  r.add("GET", "/api/v1/documents/nodes/{id}/versions", [&](Request& req) {
    auto who = auth.require(req);
    json::array a;
    for (auto& v : svc.versions(who, req.id_param("id")))
      a.push_back(json::object{
          {"number", v.number},
          {"size", v.size},
          {"sha256", v.sha256},
          {"fingerprint", fingerprint(v.sha256)},
          {"content_type", v.content_type},
          {"created_at", rfc3339(v.created_at)},
          {"created_by", v.created_by
                             ? json::value(json::object{{"id", id_string(*v.created_by)},
                                                        {"display_name", v.created_by_name}})
                             : json::value(nullptr)},
          {"restored_from",
           v.restored_from ? json::value(*v.restored_from) : json::value(nullptr)}});
    return Response::json(items(std::move(a)));
  });
  r.add("POST", "/api/v1/documents/nodes/{id}/versions/{n}/restore", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(
        node_json(svc.restore_version(who, req.id_param("id"), req.id_param("n"))));
  });
  r.add("PATCH", "/api/v1/documents/nodes/{id}", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"name"});
    auto name = in.text("name", true, 1, 1000).value_or("");
    in.finish();
    return Response::json(node_json(svc.rename(who, req.id_param("id"), name)));
  });
  r.add("DELETE", "/api/v1/documents/nodes/{id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.trash(who, req.id_param("id"));
    return Response::no_content();
  });
  r.add("GET", "/api/v1/documents/trash", [&](Request& req) {
    auto who = auth.require(req);
    json::array a;
    for (auto& n : svc.trash_list(who)) {
      auto o = node_json(n);
      o["purge_at"] = rfc3339(*n.deleted_at + svc.options().trash_seconds);
      a.push_back(std::move(o));
    }
    return Response::json(items(std::move(a)));
  });
  r.add("POST", "/api/v1/documents/nodes/{id}/restore", [&](Request& req) {
    auto who = auth.require(req);
    return Response::json(node_json(svc.restore(who, req.id_param("id"))));
  });
  r.add("PUT", "/api/v1/documents/nodes/{id}/hold", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"held", "reason"});
    auto held = in.boolean("held", true);
    auto reason = in.optional_text("reason", 500).value_or("");
    in.finish();
    return Response::json(node_json(svc.set_hold(who, req.id_param("id"), *held, reason)));
  });

  // ---- sharing ----
  r.add("GET", "/api/v1/documents/nodes/{id}/shares", [&](Request& req) {
    auto who = auth.require(req);
    json::array a;
    for (auto& g : svc.shares(who, req.id_param("id"))) a.push_back(grant_json(g));
    return Response::json(items(std::move(a)));
  });
  r.add("POST", "/api/v1/documents/nodes/{id}/shares", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"audience", "right"});
    std::string kind, aid;
    if (auto* a = body.if_contains("audience"); a && a->is_object()) {
      Input ai(a->as_object(), {"kind", "id"});
      kind = ai.required_text("kind", 20);
      aid = ai.required_text("id", 20);
      if (!ai.ok()) {
        try {
          ai.finish();
        } catch (const Error& e) {
          for (auto& fe : e.errors()) in.add_error("audience." + fe.field, fe.code, fe.message);
        }
      }
    } else {
      in.add_error("audience", "required", "Say who to share with: {kind, id}.");
    }
    auto access = read_access(in);
    in.finish();
    auto g = svc.share(who, req.id_param("id"), kind, aid, access);
    return Response::json(grant_json(g), 201);
  });
  r.add("DELETE", "/api/v1/documents/shares/{id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.unshare(who, req.id_param("id"));
    return Response::no_content();
  });
  r.add("GET", "/api/v1/documents/audiences", [&](Request& req) {
    auto who = auth.require(req);
    json::array a;
    for (auto& c : svc.audiences(who, req.query_param("q").value_or("").substr(0, 100)))
      a.push_back(
          json::object{{"kind", c.kind}, {"id", c.id}, {"name", c.name}, {"detail", c.detail}});
    return Response::json(items(std::move(a)));
  });

  // ---- guest links ----
  r.add("GET", "/api/v1/documents/nodes/{id}/links", [&](Request& req) {
    auto who = auth.require(req);
    json::array a;
    for (auto& l : svc.links(who, req.id_param("id"))) a.push_back(link_json(l));
    return Response::json(items(std::move(a)));
  });
  r.add("POST", "/api/v1/documents/nodes/{id}/links", [&](Request& req) {
    auto who = auth.require(req);
    auto body = req.json_body();
    Input in(body, {"expires_at", "password"});
    auto exp_s = in.required_text("expires_at", 40);
    auto password = in.text("password", false, 0, 200);
    std::optional<std::int64_t> exp;
    if (in.ok()) {
      exp = parse_rfc3339(exp_s);
      if (!exp) in.add_error("expires_at", "invalid", "Give a time like 2026-12-31T23:59:00Z.");
    }
    in.finish();
    if (password && password->empty()) password.reset();
    auto created = svc.create_link(who, req.id_param("id"), *exp, password);
    auto o = link_json(created.link);
    o["url"] = "/s/" + created.token;
    o["token"] = created.token;
    return Response::json(o, 201);
  });
  r.add("DELETE", "/api/v1/documents/links/{id}", [&](Request& req) {
    auto who = auth.require(req);
    svc.revoke_link(who, req.id_param("id"));
    return Response::no_content();
  });
  r.add("GET", "/api/v1/public/links/{token}", [&](Request& req) {
    auto l = svc.public_link(req.params["token"]);
    return Response::json(json::object{{"name", l.name},
                                       {"size", l.size},
                                       {"content_type", l.content_type},
                                       {"needs_password", l.needs_password},
                                       {"expires_at", rfc3339(l.expires_at)}});
  });
  r.add("POST", "/api/v1/public/links/{token}/unlock", [&](Request& req) {
    auto body = req.json_body();
    Input in(body, {"password"});
    auto password = in.text("password", true, 1, 200).value_or("");
    in.finish();
    auto token = req.params["token"];
    auto key = svc.unlock_link(token, password, identity::client_address(req));
    return Response::json(
        json::object{{"download_url", "/api/v1/public/links/" + token + "/content?key=" + key}});
  });
  r.add("GET", "/api/v1/public/links/{token}/content", [&](Request& req) {
    auto d = svc.public_content(req.params["token"], req.query_param("key"));
    auto res = content_response(req, d, false);
    if (counts_as_download(req, res))
      svc.record_link_download(req.params["token"], identity::client_address(req), d);
    return res;
  });

  // What is published without login (council materials): the bytes, as a download.
  r.add("GET", "/api/v1/public/documents/nodes/{id}/content", [&](Request& req) {
    return content_response(req, svc.published_content(req.id_param("id")), false);
  });

  // ---- search, activity ----
  r.add("GET", "/api/v1/documents/search", [&](Request& req) {
    auto who = auth.require(req);
    int limit = std::min(net::page_limit(req, 20), 50);
    json::array a;
    for (auto& h : svc.search(who, req.query_param("q").value_or(""), limit)) {
      auto o = node_json(h.node);
      o["space_name"] = h.space_name;
      a.push_back(std::move(o));
    }
    return Response::json(items(std::move(a)));
  });
  r.add("GET", "/api/v1/documents/activity", [&](Request& req) {
    auto who = auth.require(req);
    int limit = net::page_limit(req, 50);
    auto items_ = svc.activity(who, net::page_cursor(req), limit);
    json::array a;
    std::optional<std::int64_t> last;
    for (auto& x : items_) {
      a.push_back(json::object{
          {"id", id_string(x.id)},
          {"action", x.action},
          {"node_id", id_string(x.node_id)},
          {"name", x.name},
          {"space", json::object{{"id", id_string(x.space_id)}, {"name", x.space_name}}},
          {"actor", x.actor_id ? json::value(json::object{{"id", id_string(*x.actor_id)},
                                                          {"display_name", x.actor_name}})
                               : json::value(nullptr)},
          {"at", rfc3339(x.at)}});
      last = x.id;
    }
    return Response::json(net::page(std::move(a), static_cast<std::size_t>(limit), last));
  });
}

}  // namespace ratusha::documents
