#pragma once
// Time as integer seconds/milliseconds since the epoch, rendered as RFC 3339 UTC.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ratusha {

std::int64_t now_seconds();
std::int64_t now_millis();
std::string rfc3339(std::int64_t seconds);
std::string rfc3339_millis(std::int64_t millis);
// Accepts "2026-11-22T08:00:00Z", with fractional seconds or an offset, or a date "2026-11-22".
std::optional<std::int64_t> parse_rfc3339(std::string_view s);
// The same, in milliseconds (fractions of a second kept to the millisecond).
std::optional<std::int64_t> parse_rfc3339_millis(std::string_view s);

}  // namespace ratusha
