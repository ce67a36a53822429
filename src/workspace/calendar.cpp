#include "workspace/calendar.hpp"

#include <libical/ical.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace ratusha::workspace {

namespace {

// libical keeps its loaded time zones in a global table and is not thread-safe around it.
std::mutex& ical_mutex() {
  static std::mutex mu;
  return mu;
}

icaltimezone* zone_of(const std::string& zone) {
  if (zone.empty() || zone.size() > 64) return nullptr;
  return icaltimezone_get_builtin_timezone(zone.c_str());
}

icaltimetype ical_local(const LocalTime& t) {
  icaltimetype v = icaltime_null_time();
  v.year = t.year;
  v.month = t.month;
  v.day = t.day;
  v.hour = t.hour;
  v.minute = t.minute;
  v.second = 0;
  v.is_date = 0;
  return v;
}

LocalTime from_ical(const icaltimetype& v) {
  return {v.year, v.month, v.day, v.hour, v.minute};
}

bool digits(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

int days_in_month(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : d[m - 1];
}

}  // namespace

std::optional<LocalTime> parse_local(std::string_view s) {
  // YYYY-MM-DDTHH:MM[:00]
  if (s.size() != 16 && s.size() != 19) return std::nullopt;
  if (s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
    return std::nullopt;
  LocalTime t;
  if (!digits(s.substr(0, 4), t.year) || !digits(s.substr(5, 2), t.month) ||
      !digits(s.substr(8, 2), t.day) || !digits(s.substr(11, 2), t.hour) ||
      !digits(s.substr(14, 2), t.minute))
    return std::nullopt;
  if (s.size() == 19 && (s[16] != ':' || s.substr(17) != "00")) return std::nullopt;
  if (t.year < 1970 || t.year > 9999 || t.month < 1 || t.month > 12 || t.day < 1 ||
      t.day > days_in_month(t.year, t.month) || t.hour > 23 || t.minute > 59)
    return std::nullopt;
  return t;
}

std::string format_local(const LocalTime& t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d", t.year, t.month, t.day, t.hour,
                t.minute);
  return buf;
}

bool known_zone(const std::string& zone) {
  std::lock_guard lock(ical_mutex());
  return zone_of(zone) != nullptr;
}

std::optional<std::int64_t> to_utc(const LocalTime& t, const std::string& zone) {
  std::lock_guard lock(ical_mutex());
  auto* tz = zone_of(zone);
  if (!tz) return std::nullopt;
  auto utc = icaltime_as_timet_with_zone(ical_local(t), tz);
  // A wall time that does not exist comes back as another one: that is the gap.
  if (from_ical(icaltime_from_timet_with_zone(utc, 0, tz)) != t) return std::nullopt;
  return static_cast<std::int64_t>(utc);
}

LocalTime to_local(std::int64_t utc, const std::string& zone) {
  std::lock_guard lock(ical_mutex());
  auto* tz = zone_of(zone);
  if (!tz) tz = icaltimezone_get_utc_timezone();
  return from_ical(icaltime_from_timet_with_zone(static_cast<time_t>(utc), 0, tz));
}

std::optional<std::string> rrule_problem(const std::string& rrule) {
  if (rrule.empty() || rrule.size() > 300) return "The rule must have 1 to 300 characters.";
  for (char c : rrule)
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '=' || c == ';' || c == ',' ||
          c == '-' || c == '+'))
      return "The rule has characters an RRULE cannot have.";
  if (rrule.find("DTSTART") != std::string::npos) return "DTSTART does not belong in the rule.";
  std::lock_guard lock(ical_mutex());
  icalerror_clear_errno();
  auto r = icalrecurrencetype_from_string(rrule.c_str());
  if (icalerrno != ICAL_NO_ERROR || r.freq == ICAL_NO_RECURRENCE) {
    icalerror_clear_errno();
    return "The rule is not a valid RFC 5545 RRULE.";
  }
  if (r.freq != ICAL_DAILY_RECURRENCE && r.freq != ICAL_WEEKLY_RECURRENCE &&
      r.freq != ICAL_MONTHLY_RECURRENCE && r.freq != ICAL_YEARLY_RECURRENCE)
    return "Meetings repeat daily, weekly, monthly or yearly.";
  if (r.interval < 1 || r.interval > 1000) return "The interval must be from 1 to 1000.";
  return std::nullopt;
}

Expansion expand(const std::string& rrule, const LocalTime& first, const std::string& zone,
                 std::int64_t from, std::int64_t until, std::size_t max) {
  Expansion out;
  std::lock_guard lock(ical_mutex());
  auto* tz = zone_of(zone);
  if (!tz) return out;
  icalerror_clear_errno();
  auto r = icalrecurrencetype_from_string(rrule.c_str());
  if (r.freq == ICAL_NO_RECURRENCE) return out;
  auto start = ical_local(first);
  icaltime_set_timezone(&start, tz);
  icalrecur_iterator* it = icalrecur_iterator_new(r, start);
  if (!it) return out;
  // A rule that matches nothing for ever (31 February) must not spin: bound the steps too.
  for (std::size_t steps = 0; steps < max + 200000; ++steps) {
    auto next = icalrecur_iterator_next(it);
    if (icaltime_is_null_time(next)) break;
    auto utc = static_cast<std::int64_t>(icaltime_as_timet_with_zone(next, tz));
    if (utc >= until) {
      out.more = true;
      break;
    }
    if (utc < from) continue;
    if (out.starts.size() >= max) {
      out.more = true;
      break;
    }
    out.starts.push_back(utc);
  }
  icalrecur_iterator_free(it);
  icalerror_clear_errno();
  return out;
}

namespace {

icaltimetype utc_time(std::int64_t t) {
  return icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, icaltimezone_get_utc_timezone());
}

icalproperty* with_param(icalproperty* p, icalparameter* param) {
  icalproperty_add_parameter(p, param);
  return p;
}

icalparameter_partstat partstat_of(const std::string& s) {
  if (s == "ACCEPTED") return ICAL_PARTSTAT_ACCEPTED;
  if (s == "TENTATIVE") return ICAL_PARTSTAT_TENTATIVE;
  if (s == "DECLINED") return ICAL_PARTSTAT_DECLINED;
  return ICAL_PARTSTAT_NEEDSACTION;
}

}  // namespace

std::string calendar_object(const std::string& method, const std::vector<CalendarEvent>& events) {
  std::lock_guard lock(ical_mutex());
  icalcomponent* cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
  icalcomponent_add_property(cal, icalproperty_new_prodid("-//Ratusha//Ratusha//EN"));
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(cal,
                             icalproperty_new_method(method == "CANCEL"    ? ICAL_METHOD_CANCEL
                                                     : method == "PUBLISH" ? ICAL_METHOD_PUBLISH
                                                                           : ICAL_METHOD_REQUEST));
  std::vector<std::string> zones_added;
  for (const auto& e : events) {
    // A series and its changed occurrences speak in wall times of the zone (RECURRENCE-ID must
    // have the form of the series' DTSTART); a one-off meeting in UTC.
    icaltimezone* tz = e.rrule || e.recurrence_id ? zone_of(e.zone) : nullptr;
    if (tz && std::find(zones_added.begin(), zones_added.end(), e.zone) == zones_added.end()) {
      // Clients need the zone's rules to place a repeating meeting across DST changes: the
      // rules from a year before the meeting on, under the plain name DTSTART refers to.
      icalcomponent* vtz = icalcomponent_new_clone(icaltimezone_get_component(tz));
      if (auto* id = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY))
        icalproperty_set_tzid(id, e.zone.c_str());
      icaltimezone_truncate_vtimezone(vtz, utc_time(e.starts_at - 366 * 86400),
                                      icaltime_null_time(), 1);
      icalcomponent_add_component(cal, vtz);
      zones_added.push_back(e.zone);
    }
    icalcomponent* ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(ev, icalproperty_new_uid(e.uid.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(e.stamp)));
    if (tz) {
      // Wall times (no zone of their own, so no "Z"), named by the TZID parameter.
      auto s = ical_local(from_ical(icaltime_from_timet_with_zone(e.starts_at, 0, tz)));
      auto f = ical_local(from_ical(icaltime_from_timet_with_zone(e.ends_at, 0, tz)));
      icalcomponent_add_property(
          ev, with_param(icalproperty_new_dtstart(s), icalparameter_new_tzid(e.zone.c_str())));
      icalcomponent_add_property(
          ev, with_param(icalproperty_new_dtend(f), icalparameter_new_tzid(e.zone.c_str())));
      auto wall = [&](std::int64_t t) {
        return with_param(
            icalproperty_new_exdate(ical_local(from_ical(icaltime_from_timet_with_zone(t, 0, tz)))),
            icalparameter_new_tzid(e.zone.c_str()));
      };
      if (e.rrule)
        icalcomponent_add_property(
            ev, icalproperty_new_rrule(icalrecurrencetype_from_string(e.rrule->c_str())));
      for (auto t : e.exdates) icalcomponent_add_property(ev, wall(t));
      if (e.recurrence_id) {
        auto r = ical_local(from_ical(icaltime_from_timet_with_zone(*e.recurrence_id, 0, tz)));
        icalcomponent_add_property(ev, with_param(icalproperty_new_recurrenceid(r),
                                                  icalparameter_new_tzid(e.zone.c_str())));
      }
    } else {
      icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(e.starts_at)));
      icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(e.ends_at)));
    }
    icalcomponent_add_property(ev, icalproperty_new_summary(e.title.c_str()));
    if (!e.description.empty())
      icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
    if (!e.location.empty())
      icalcomponent_add_property(ev, icalproperty_new_location(e.location.c_str()));
    if (!e.url.empty()) icalcomponent_add_property(ev, icalproperty_new_url(e.url.c_str()));
    icalcomponent_add_property(ev, icalproperty_new_sequence(e.sequence));
    icalcomponent_add_property(
        ev, icalproperty_new_status(e.cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
    if (!e.organiser_email.empty()) {
      auto* org = icalproperty_new_organizer(("mailto:" + e.organiser_email).c_str());
      icalproperty_add_parameter(org, icalparameter_new_cn(e.organiser_name.c_str()));
      icalcomponent_add_property(ev, org);
    }
    for (const auto& a : e.attendees) {
      auto* att = icalproperty_new_attendee(("mailto:" + a.email).c_str());
      icalproperty_add_parameter(att, icalparameter_new_cn(a.name.c_str()));
      icalproperty_add_parameter(att, icalparameter_new_role(ICAL_ROLE_REQPARTICIPANT));
      icalproperty_add_parameter(att, icalparameter_new_partstat(partstat_of(a.partstat)));
      icalproperty_add_parameter(att, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
      icalcomponent_add_property(ev, att);
    }
    icalcomponent_add_component(cal, ev);
  }
  char* text = icalcomponent_as_ical_string_r(cal);
  std::string out = text ? text : "";
  std::free(text);
  icalcomponent_free(cal);
  return out;
}

}  // namespace ratusha::workspace
