#pragma once
// Pure workspace rules: no I/O, no clock (the time is always passed in).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace ratusha::workspace {

inline constexpr std::int64_t kMinDuration = 5 * 60;          // a meeting lasts 5 minutes
inline constexpr std::int64_t kMaxDuration = 24 * 60 * 60;    // ... to a day
inline constexpr std::int64_t kJoinEarly = 15 * 60;           // the room opens 15 min before
inline constexpr std::int64_t kHorizon = 400 * 24 * 60 * 60;  // occurrences written ahead
inline constexpr std::size_t kMaxOccurrences = 1000;          // per meeting and horizon
inline constexpr std::int64_t kMaxReminder = 7 * 24 * 60;     // minutes before: at most a week
inline constexpr std::int64_t kMaxYearsAhead = 5;             // a first meeting this far at most

// Whether a person invited to an occurrence may be in its room at `now`.
bool room_open(std::int64_t starts_at, std::int64_t ends_at, std::int64_t now);
// Whether two time ranges [a0, a1) and [b0, b1) overlap.
bool overlaps(std::int64_t a0, std::int64_t a1, std::int64_t b0, std::int64_t b1);

// The minutes before a meeting a person wants reminders: each 0..kMaxReminder, at most 5, no
// repeats; sorted descending. Throws a validation error naming `field`.
std::vector<int> reminder_minutes(const std::vector<std::int64_t>& given, const std::string& field);

// An invitee's answer: accepted | tentative | declined.
bool valid_response(const std::string& r);

// Splitting a series at an occurrence ("this and all following"). The parts of an RRULE
// (FREQ=WEEKLY;COUNT=10;...) as given, in order.
std::vector<std::string> rrule_parts(const std::string& rrule);
// The rule ending with the occurrence at or before `last` (UTC): COUNT and UNTIL replaced by
// UNTIL=<last>Z, as RFC 5545 wants when DTSTART names a zone.
std::string rrule_ending(const std::string& rrule, std::int64_t last);
// The rule for the rest of a series of which `before` occurrences came before the split: a
// COUNT shrinks by them (nullopt when none would be left); UNTIL or no end stay.
std::optional<std::string> rrule_rest(const std::string& rrule, std::int64_t before);

}  // namespace ratusha::workspace
