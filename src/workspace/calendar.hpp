#pragma once
// Wall-clock time in a time zone, recurrence (RFC 5545 RRULE) and iCalendar objects, through
// libical and the system's tz database. Meetings are kept as "10:00 in Europe/Sofia", so a
// weekly meeting stays at 10:00 across daylight-saving changes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ratusha::workspace {

struct LocalTime {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0;
  bool operator==(const LocalTime&) const = default;
};

// "2026-12-01T10:00" (seconds, if given, must be :00). nullopt when malformed or impossible.
std::optional<LocalTime> parse_local(std::string_view s);
std::string format_local(const LocalTime& t);  // "2026-12-01T10:00"

bool known_zone(const std::string& zone);

// The UTC instant of a wall time in a zone; nullopt when that wall time does not exist there (it
// falls in the hour skipped when clocks go forward). In the repeated hour, the first is taken.
std::optional<std::int64_t> to_utc(const LocalTime& t, const std::string& zone);
LocalTime to_local(std::int64_t utc, const std::string& zone);

// nullopt when the rule is acceptable for a meeting; otherwise why not (English, for logs and
// problem details). Only DAILY, WEEKLY, MONTHLY and YEARLY; no DTSTART inside.
std::optional<std::string> rrule_problem(const std::string& rrule);

struct Expansion {
  std::vector<std::int64_t> starts;  // UTC, ascending
  bool more = false;                 // the rule goes on after what was returned
};

// Occurrence starts (UTC) of a rule beginning at `first` (wall time in `zone`), those at or
// after `from` and before `until`, at most `max`. Occurrences whose wall time does not exist
// that day (a DST gap) move forward by the gap, as calendar programs do.
Expansion expand(const std::string& rrule, const LocalTime& first, const std::string& zone,
                 std::int64_t from, std::int64_t until, std::size_t max);

// One VEVENT in a VCALENDAR with METHOD (REQUEST, CANCEL or PUBLISH), times in UTC.
struct CalendarEvent {
  std::string uid, title, description, location, organiser_name, organiser_email, url;
  std::int64_t starts_at = 0, ends_at = 0, stamp = 0;
  std::optional<std::string> rrule;  // with `zone` the times are given as wall times there
  std::string zone;
  // A series' occurrences that were cancelled (EXDATE), by the start the rule gives them.
  std::vector<std::int64_t> exdates;
  // One occurrence of a series that differs from it (same UID): the start the rule gives it.
  std::optional<std::int64_t> recurrence_id;
  int sequence = 0;
  bool cancelled = false;
  struct Attendee {
    std::string name, email, partstat;  // NEEDS-ACTION | ACCEPTED | TENTATIVE | DECLINED
  };
  std::vector<Attendee> attendees;
};
std::string calendar_object(const std::string& method, const std::vector<CalendarEvent>& events);

}  // namespace ratusha::workspace
