#include <gtest/gtest.h>

#include "net/router.hpp"

using namespace ratusha;
using namespace ratusha::net;

TEST(Router, MatchesPatternsAndParams) {
  std::map<std::string, std::string> p;
  EXPECT_TRUE(match_pattern("/api/v1/people/{id}", "/api/v1/people/42", &p));
  EXPECT_EQ(p["id"], "42");
  EXPECT_FALSE(match_pattern("/api/v1/people/{id}", "/api/v1/people/", nullptr));
  EXPECT_FALSE(match_pattern("/api/v1/people/{id}", "/api/v1/people/4/x", nullptr));
  EXPECT_TRUE(match_pattern("/api/v1/people/{id}/disable", "/api/v1/people/7/disable", &p));
  EXPECT_FALSE(match_pattern("/api/v1/people", "/api/v1/peoplex", nullptr));
}

TEST(Router, NotFoundMethodNotAllowedAndErrors) {
  Router r;
  r.add("GET", "/a/{id}", [](Request& req) {
    return Response::json(json::object{{"id", req.id_param("id")}});
  });
  r.add("POST", "/boom", [](Request&) -> Response { throw std::runtime_error("secret detail"); });
  Request req;
  req.method = "GET";
  req.path = "/a/5";
  EXPECT_EQ(r.dispatch(req).status, 200);
  req.path = "/a/x";
  EXPECT_EQ(r.dispatch(req).status, 404);
  req.path = "/nothing";
  EXPECT_EQ(r.dispatch(req).status, 404);
  req.method = "DELETE";
  req.path = "/a/5";
  EXPECT_EQ(r.dispatch(req).status, 405);
  req.method = "POST";
  req.path = "/boom";
  auto res = r.dispatch(req);
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(res.content_type, "application/problem+json");
  EXPECT_EQ(res.body.find("secret detail"), std::string::npos) << "internals must not leak";
}

TEST(Paging, CursorRoundTripAndRejects) {
  Request req;
  req.query = {{"cursor", make_cursor(123456789)}, {"limit", "20"}};
  EXPECT_EQ(page_cursor(req), 123456789);
  EXPECT_EQ(page_limit(req), 20);
  req.query = {{"cursor", "zz'--"}, {"limit", "0"}};
  EXPECT_THROW(page_cursor(req), Error);
  EXPECT_THROW(page_limit(req), Error);
  req.query = {{"limit", "201"}};
  EXPECT_THROW(page_limit(req), Error);
}
