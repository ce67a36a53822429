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
  // The shape of Janus 1.1's handle_info: per stream, per direction, per medium.
  auto info = boost::json::parse(R"({
    "webrtc": {"media": [
      {"mid": "0", "type": "audio", "in_stats": {"audio_bytes_lastsec": 4000, "audio_packets": 9},
       "out_stats": {"audio_bytes_lastsec": 100}},
      {"mid": "1", "type": "video", "in_stats": {"video_bytes_lastsec": 90000,
       "video_bytes_lastsec-sim1": 20000}, "out_stats": {"video_bytes_lastsec": 5}}]},
    "bytes_lastsec": 7})");
  EXPECT_EQ(bytes_last_second(info, "in_stats"), 114000);
  EXPECT_EQ(bytes_last_second(info, "out_stats"), 105);
  EXPECT_EQ(bytes_last_second(boost::json::parse("{}"), "in_stats"), 0);
}
