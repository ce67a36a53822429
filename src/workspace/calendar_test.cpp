#include "workspace/calendar.hpp"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <cstdlib>

using namespace ratusha::workspace;

namespace {
std::int64_t utc(const char* local, const char* zone) {
  return *to_utc(*parse_local(local), zone);
}
}  // namespace

TEST(Calendar, ParsesWallTimesStrictly) {
  EXPECT_EQ(parse_local("2026-12-01T10:00"), (LocalTime{2026, 12, 1, 10, 0}));
  EXPECT_EQ(parse_local("2026-12-01T10:00:00"), (LocalTime{2026, 12, 1, 10, 0}));
  for (const char* bad : {"", "2026-12-01", "2026-13-01T10:00", "2026-02-30T10:00",
                          "2026-12-01T24:00", "2026-12-01T10:00:30", "2026-12-01T10:0x"})
    EXPECT_FALSE(parse_local(bad)) << bad;
  EXPECT_TRUE(parse_local("2028-02-29T09:00"));
  EXPECT_EQ(format_local({2026, 3, 5, 7, 9}), "2026-03-05T07:09");
}

TEST(Calendar, ZonesAndDaylightSaving) {
  EXPECT_TRUE(known_zone("Europe/Sofia"));
  EXPECT_TRUE(known_zone("Europe/Warsaw"));
  EXPECT_FALSE(known_zone("Europe/Atlantis"));
  EXPECT_FALSE(known_zone(""));
  // Summer: Sofia is UTC+3, Warsaw UTC+2; winter: +2 and +1.
  EXPECT_EQ(utc("2026-07-01T10:00", "Europe/Sofia"), 1782889200);
  EXPECT_EQ(utc("2026-07-01T10:00", "Europe/Warsaw"), 1782892800);
  EXPECT_EQ(utc("2026-12-01T10:00", "Europe/Sofia"), 1796112000);
  EXPECT_EQ(to_local(1796112000, "Europe/Sofia"), (LocalTime{2026, 12, 1, 10, 0}));
  // The hour skipped in spring does not exist.
  EXPECT_FALSE(to_utc(*parse_local("2027-03-28T03:30"), "Europe/Sofia"));
  EXPECT_FALSE(to_utc(*parse_local("2027-03-28T02:30"), "Europe/Warsaw"));
  EXPECT_TRUE(to_utc(*parse_local("2027-03-28T04:30"), "Europe/Sofia"));
}

TEST(Calendar, WeeklyMeetingKeepsItsWallTimeAcrossTheAutumnChange) {
  // Mondays 10:00 in Sofia; clocks go back on Sunday 25 October 2026.
  auto e = expand("FREQ=WEEKLY;BYDAY=MO;COUNT=3", {2026, 10, 19, 10, 0}, "Europe/Sofia", 0,
                  4102444800, 100);
  ASSERT_EQ(e.starts.size(), 3u);
  EXPECT_FALSE(e.more);
  EXPECT_EQ(e.starts[0], utc("2026-10-19T10:00", "Europe/Sofia"));
  EXPECT_EQ(e.starts[1] - e.starts[0], 7 * 86400 + 3600);  // an hour longer: the clocks went back
  for (auto s : e.starts) EXPECT_EQ(to_local(s, "Europe/Sofia").hour, 10);
}

TEST(Calendar, ExpansionIsBoundedWhateverTheRule) {
  auto start = LocalTime{2026, 12, 1, 9, 0};
  auto from = utc("2026-12-01T09:00", "Europe/Warsaw");
  auto never = expand("FREQ=DAILY", start, "Europe/Warsaw", from, from + 400 * 86400, 1000);
  EXPECT_EQ(never.starts.size(), 400u);
  EXPECT_TRUE(never.more);
  auto million = expand("FREQ=DAILY;COUNT=1000000", start, "Europe/Warsaw", from,
                        from + 100000LL * 86400, 500);
  EXPECT_EQ(million.starts.size(), 500u);
  EXPECT_TRUE(million.more);
  auto impossible =
      expand("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31", start, "Europe/Warsaw", from, from + 1, 10);
  EXPECT_TRUE(impossible.starts.empty());
  // A window in the middle of a series.
  auto later =
      expand("FREQ=WEEKLY", start, "Europe/Warsaw", from + 70 * 86400, from + 100 * 86400, 100);
  ASSERT_FALSE(later.starts.empty());
  EXPECT_GE(later.starts.front(), from + 70 * 86400);
}

TEST(Calendar, RulesAMeetingMayHave) {
  EXPECT_FALSE(rrule_problem("FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20271231T000000Z"));
  EXPECT_FALSE(rrule_problem("FREQ=MONTHLY;BYDAY=-1FR;COUNT=12"));
  EXPECT_TRUE(rrule_problem("FREQ=SECONDLY"));
  EXPECT_TRUE(rrule_problem("FREQ=HOURLY;COUNT=5"));
  EXPECT_TRUE(rrule_problem("NONSENSE"));
  EXPECT_TRUE(rrule_problem(""));
  EXPECT_TRUE(rrule_problem("FREQ=DAILY;DTSTART=20260101T000000"));
  EXPECT_TRUE(rrule_problem("FREQ=DAILY\r\nATTENDEE:x"));
}

TEST(Calendar, InvitationsParseBackWithLibical) {
  CalendarEvent e;
  e.uid = "meeting-7@ratusha";
  e.title = "Среща по бюджета; „Zażółć“";
  e.description = "Дневен ред:\n1. Бюджет";
  e.location = "Зала 2";
  e.organiser_name = "Иван Иванов";
  e.organiser_email = "ivan@example.org";
  e.starts_at = utc("2026-10-19T10:00", "Europe/Sofia");
  e.ends_at = e.starts_at + 3600;
  e.stamp = e.starts_at - 86400;
  e.sequence = 2;
  e.rrule = "FREQ=WEEKLY;COUNT=3";
  e.zone = "Europe/Sofia";
  e.attendees = {{"Мария", "maria@example.org", "ACCEPTED"}};
  auto text = calendar_object("REQUEST", {e});
  icalcomponent* cal = icalparser_parse_string(text.c_str());
  ASSERT_NE(cal, nullptr);
  EXPECT_EQ(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
  auto* vtz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
  ASSERT_NE(vtz, nullptr);
  // DTSTART's TZID must name the VTIMEZONE given, and only recent rules are sent.
  EXPECT_STREQ(icalproperty_get_tzid(icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)),
               "Europe/Sofia");
  EXPECT_LT(text.size(), 3000u);
  icalcomponent* ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
  ASSERT_NE(ev, nullptr);
  EXPECT_STREQ(icalcomponent_get_uid(ev), "meeting-7@ratusha");
  EXPECT_STREQ(icalcomponent_get_summary(ev), "Среща по бюджета; „Zażółć“");
  EXPECT_EQ(icalcomponent_get_sequence(ev), 2);
  auto start = icalcomponent_get_dtstart(ev);
  EXPECT_EQ(start.hour, 10);
  auto* dtstart = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
  auto* tzid = icalproperty_get_first_parameter(dtstart, ICAL_TZID_PARAMETER);
  ASSERT_NE(tzid, nullptr);
  EXPECT_STREQ(icalparameter_get_tzid(tzid), "Europe/Sofia");  // wall time 10:00 there
  EXPECT_NE(text.find("DTSTART;TZID=Europe/Sofia:20261019T100000\r\n"), std::string::npos);
  EXPECT_NE(icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY), nullptr);
  icalproperty* att = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
  ASSERT_NE(att, nullptr);
  EXPECT_STREQ(icalproperty_get_attendee(att), "mailto:maria@example.org");
  icalcomponent_free(cal);

  e.cancelled = true;
  e.rrule.reset();
  auto cancel = calendar_object("CANCEL", {e});
  icalcomponent* c2 = icalparser_parse_string(cancel.c_str());
  ASSERT_NE(c2, nullptr);
  EXPECT_EQ(icalcomponent_get_method(c2), ICAL_METHOD_CANCEL);
  auto* ev2 = icalcomponent_get_first_component(c2, ICAL_VEVENT_COMPONENT);
  EXPECT_EQ(icalcomponent_get_status(ev2), ICAL_STATUS_CANCELLED);
  icalcomponent_free(c2);
}
