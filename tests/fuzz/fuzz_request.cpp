// Raw bytes -> HTTP parser -> our Request -> routing table -> handlers that decode JSON.
#include <cstdint>
#include <string_view>

#include "core/json.hpp"
#include "net/parse.hpp"
#include "net/router.hpp"

using namespace ratusha;

static net::Router& router() {
  static net::Router r = [] {
    net::Router x;
    x.add("POST", "/api/v1/people", [](net::Request& req) {
      auto body = req.json_body();
      Input in(body, {"display_name", "email", "kind", "unit_id", "roles"});
      in.required_text("display_name", 200);
      in.optional_text("email", 254);
      in.id("unit_id", false);
      in.array("roles", false, 20);
      in.finish();
      return net::Response::json(json::object{{"ok", true}}, 201);
    });
    x.add("GET", "/api/v1/people/{id}", [](net::Request& req) {
      req.id_param("id");
      net::page_limit(req);
      net::page_cursor(req);
      return net::Response::json(json::object{});
    });
    x.add("DELETE", "/api/v1/people/{id}/sessions/{sid}", [](net::Request& req) {
      req.id_param("id");
      req.id_param("sid");
      req.cookie("__Host-ratusha_session");
      return net::Response::no_content();
    });
    return x;
  }();
  return r;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  net::Request req;
  std::string_view raw(reinterpret_cast<const char*>(data), size);
  if (net::parse_request(raw, 16 * 1024, 64 * 1024, req) != net::ParseResult::ok) return 0;
  auto res = router().dispatch(req);
  if (res.status >= 500) __builtin_trap();  // bad input must never be a server error
  return 0;
}
