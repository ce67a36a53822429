#include "media/tokens.hpp"

#include <gtest/gtest.h>

#include "security/crypto.hpp"

using namespace ratusha::media;

TEST(MediaTokens, CoreTokenHasJanusShape) {
  auto t = core_token("s3cret", 1900000000);
  auto colon = t.rfind(':');
  ASSERT_NE(colon, std::string::npos);
  EXPECT_EQ(t.substr(0, colon), "1900000000,janus,janus.plugin.videoroom");
  // The signature is standard base64 of the 20-byte HMAC-SHA1, as Janus's auth.c computes it.
  EXPECT_EQ(t.substr(colon + 1), ratusha::security::base64(ratusha::security::hmac_sha1(
                                     "s3cret", "1900000000,janus,janus.plugin.videoroom")));
  EXPECT_EQ(t.size() - colon - 1, 28u);
}

TEST(MediaTokens, RoomTokenNamesTheRoom) {
  TokenClaims c;
  ASSERT_TRUE(check_signed_token("k", room_token("k", 2000, 4242), 1000, &c));
  EXPECT_EQ(c.realm, "janus.plugin.videoroom");
  ASSERT_EQ(c.data.size(), 1u);
  EXPECT_EQ(c.data[0], "room=4242");
}

TEST(MediaTokens, RefusesForgedExpiredAndMalformed) {
  auto t = room_token("k", 2000, 1);
  EXPECT_FALSE(check_signed_token("other", t, 1000));
  EXPECT_FALSE(check_signed_token("k", t, 2000));  // expired at the second it names
  auto forged = t;
  forged.replace(forged.find("room=1"), 6, "room=2");
  EXPECT_FALSE(check_signed_token("k", forged, 1000));
  EXPECT_FALSE(check_signed_token("k", "", 1000));
  EXPECT_FALSE(check_signed_token("k", "garbage", 1000));
  EXPECT_FALSE(check_signed_token("k", "x,janus:" + t.substr(t.rfind(':') + 1), 1000));
}

TEST(MediaTokens, TurnCredentialFollowsCoturnRestScheme) {
  auto c = turn_credential("turnkey", 1700000000, 17);
  EXPECT_EQ(c.username, "1700000000:17");
  EXPECT_EQ(c.credential,
            ratusha::security::base64(ratusha::security::hmac_sha1("turnkey", "1700000000:17")));
}

#include "media/janus.hpp"

TEST(MediaJanus, BytesLastSecondSumsOneDirection) {
  // As Janus 1.1.2 answers handle_info for a publisher with simulcast (trimmed).
  auto info = boost::json::parse(R"({"session_id": 1, "plugin_specific": {"type": "publisher"},
    "webrtc": {"media": {
      "0": {"type": "audio", "mid": "0", "stats": {"in": {"packets": 170, "bytes": 12894,
            "bytes_lastsec": 4000}, "out": {"bytes_lastsec": 100, "nacks": 0}}},
      "1": {"type": "video", "mid": "1", "stats": {"in": {"bytes": 160567, "bytes_lastsec": 11029,
            "video-simulcast-1": {"bytes_lastsec": 33028}, "video-simulcast-2":
            {"bytes_lastsec": 76781}}, "out": {"bytes_lastsec": 5}}}}}})");
  EXPECT_EQ(bytes_last_second(info, "in"), 4000 + 11029 + 33028 + 76781);
  EXPECT_EQ(bytes_last_second(info, "out"), 105);
  EXPECT_EQ(bytes_last_second(info, "in", "video"), 11029 + 33028 + 76781);
  EXPECT_EQ(bytes_last_second(info, "in", "audio"), 4000);
  EXPECT_EQ(bytes_last_second(boost::json::parse("{}"), "in"), 0);
}
