#pragma once
// The credentials Ratusha hands a browser for one room: Janus signed tokens and TURN
// credentials. Pure functions; the secrets never leave the server, only what they sign.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ratusha::media {

inline constexpr const char* kVideoRoomPlugin = "janus.plugin.videoroom";

// Janus's signed token: "EXPIRY,REALM,DATA...:" + base64(HMAC-SHA1(secret,
// "EXPIRY,REALM,DATA...")). Janus accepts it until `expiry` (seconds since the epoch).
std::string janus_signed_token(std::string_view secret, std::int64_t expiry, std::string_view realm,
                               const std::vector<std::string>& data);

// For the Janus core: may create a session and attach to the VideoRoom plugin.
std::string core_token(std::string_view secret, std::int64_t expiry);
// For a VideoRoom room created with signed_tokens: may join this room only.
std::string room_token(std::string_view secret, std::int64_t expiry, std::uint64_t janus_room);

// What a token says, when its signature is ours and it has not expired (tests and the status
// page use it; Janus does its own check).
struct TokenClaims {
  std::int64_t expiry = 0;
  std::string realm;
  std::vector<std::string> data;
};
bool check_signed_token(std::string_view secret, std::string_view token, std::int64_t now,
                        TokenClaims* out = nullptr);

// coturn's "REST API" credentials (use-auth-secret): the user name carries the expiry, the
// password is base64(HMAC-SHA1(secret, user name)).
struct TurnCredential {
  std::string username, credential;
};
TurnCredential turn_credential(std::string_view secret, std::int64_t expiry,
                               std::int64_t person_id);

}  // namespace ratusha::media
