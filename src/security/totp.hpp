#pragma once
// TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits) and the enrolment QR code as SVG.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ratusha::security {

std::string totp_code(std::string_view secret, std::int64_t step);  // 6 digits
// Returns the matched step within ±1 step of `now` that is later than `last_step`, so a code
// cannot be used twice; nullopt when it does not match.
std::optional<std::int64_t> totp_verify(std::string_view secret, std::string_view code,
                                        std::int64_t now_seconds, std::int64_t last_step);
std::string totp_uri(std::string_view issuer, std::string_view account, std::string_view secret);
std::string qr_svg(std::string_view text);

}  // namespace ratusha::security
