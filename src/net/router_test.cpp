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

namespace {
Response file_response(std::uint64_t size) {
  Response res;
  res.file = std::make_shared<FileBody>(-1);
  res.file->length = size;
  return res;
}
Request with_range(std::string range, std::string if_range = "") {
  Request r;
  r.headers.emplace_back("range", std::move(range));
  if (!if_range.empty()) r.headers.emplace_back("if-range", std::move(if_range));
  return r;
}
std::string content_range(const Response& r) {
  for (auto& [k, v] : r.headers)
    if (k == "Content-Range") return v;
  return "";
}
}  // namespace

TEST(Range, SingleRangesNarrowTheFile) {
  auto res = file_response(1000);
  apply_range(with_range("bytes=100-199"), res, 1000, "\"e\"");
  EXPECT_EQ(res.status, 206);
  EXPECT_EQ(res.file->offset, 100u);
  EXPECT_EQ(res.file->length, 100u);
  EXPECT_EQ(content_range(res), "bytes 100-199/1000");

  res = file_response(1000);
  apply_range(with_range("bytes=-10"), res, 1000, "\"e\"");
  EXPECT_EQ(content_range(res), "bytes 990-999/1000");
  res = file_response(1000);
  apply_range(with_range("bytes=-5000"), res, 1000, "\"e\"");
  EXPECT_EQ(content_range(res), "bytes 0-999/1000");
  res = file_response(1000);
  apply_range(with_range("bytes=900-5000"), res, 1000, "\"e\"");
  EXPECT_EQ(content_range(res), "bytes 900-999/1000");
}

TEST(Range, UnsatisfiableAndIgnored) {
  auto res = file_response(1000);
  apply_range(with_range("bytes=1000-"), res, 1000, "\"e\"");
  EXPECT_EQ(res.status, 416);
  EXPECT_FALSE(res.file);
  EXPECT_EQ(content_range(res), "bytes */1000");
  for (const char* ignored : {"bytes=5-2", "bytes=a-b", "items=0-1", "bytes=0-1,5-6", "bytes=-"}) {
    res = file_response(1000);
    apply_range(with_range(ignored), res, 1000, "\"e\"");
    EXPECT_EQ(res.status, 200) << ignored;
    EXPECT_EQ(res.file->length, 1000u) << ignored;
  }
  res = file_response(1000);
  apply_range(with_range("bytes=0-1", "\"other\""), res, 1000, "\"e\"");
  EXPECT_EQ(res.status, 200);
}
