#include "media/tokens.hpp"

#include <charconv>

#include "security/crypto.hpp"

namespace ratusha::media {

std::string janus_signed_token(std::string_view secret, std::int64_t expiry, std::string_view realm,
                               const std::vector<std::string>& data) {
  std::string payload = std::to_string(expiry);
  payload += ',';
  payload += realm;
  for (const auto& d : data) {
    payload += ',';
    payload += d;
  }
  return payload + ":" + security::base64(security::hmac_sha1(secret, payload));
}

std::string core_token(std::string_view secret, std::int64_t expiry) {
  return janus_signed_token(secret, expiry, "janus", {kVideoRoomPlugin});
}

std::string room_token(std::string_view secret, std::int64_t expiry, std::uint64_t janus_room) {
  return janus_signed_token(secret, expiry, kVideoRoomPlugin,
                            {"room=" + std::to_string(janus_room)});
}

bool check_signed_token(std::string_view secret, std::string_view token, std::int64_t now,
                        TokenClaims* out) {
  auto colon = token.rfind(':');
  if (colon == std::string_view::npos) return false;
  auto payload = token.substr(0, colon);
  auto expected = security::base64(security::hmac_sha1(secret, payload));
  if (!security::constant_time_equal(expected, token.substr(colon + 1))) return false;
  TokenClaims c;
  std::size_t start = 0;
  int field = 0;
  while (start <= payload.size()) {
    auto comma = payload.find(',', start);
    auto part = payload.substr(start, comma == std::string_view::npos ? comma : comma - start);
    if (field == 0) {
      auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), c.expiry);
      if (ec != std::errc{} || p != part.data() + part.size()) return false;
    } else if (field == 1) {
      c.realm = part;
    } else {
      c.data.emplace_back(part);
    }
    ++field;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (field < 2 || c.expiry <= now) return false;
  if (out) *out = std::move(c);
  return true;
}

TurnCredential turn_credential(std::string_view secret, std::int64_t expiry,
                               std::int64_t person_id) {
  TurnCredential t;
  t.username = std::to_string(expiry) + ":" + std::to_string(person_id);
  t.credential = security::base64(security::hmac_sha1(secret, t.username));
  return t;
}

}  // namespace ratusha::media
