#include "workspace/rules.hpp"

#include <gtest/gtest.h>

using namespace ratusha::workspace;

TEST(WorkspaceRules, RoomOpensFifteenMinutesBeforeAndClosesAtTheEnd) {
  EXPECT_FALSE(room_open(1000, 2000, 1000 - 15 * 60 - 1));
  EXPECT_TRUE(room_open(1000, 2000, 1000 - 15 * 60));
  EXPECT_TRUE(room_open(1000, 2000, 1999));
  EXPECT_FALSE(room_open(1000, 2000, 2000));
}

TEST(WorkspaceRules, OverlapIsHalfOpen) {
  EXPECT_TRUE(overlaps(0, 10, 5, 15));
  EXPECT_FALSE(overlaps(0, 10, 10, 20));  // back to back is fine
  EXPECT_TRUE(overlaps(0, 10, 2, 3));
}

TEST(WorkspaceRules, ReminderMinutes) {
  EXPECT_EQ(reminder_minutes({15, 1440}, "m"), (std::vector<int>{1440, 15}));
  EXPECT_EQ(reminder_minutes({}, "m"), std::vector<int>{});
  EXPECT_THROW(reminder_minutes({-1}, "m"), ratusha::Error);
  EXPECT_THROW(reminder_minutes({10081}, "m"), ratusha::Error);
  EXPECT_THROW(reminder_minutes({15, 15}, "m"), ratusha::Error);
  EXPECT_THROW(reminder_minutes({1, 2, 3, 4, 5, 6}, "m"), ratusha::Error);
  try {
    reminder_minutes({5, 99999}, "reminders");
  } catch (const ratusha::Error& e) {
    EXPECT_EQ(e.errors().at(0).field, "reminders[1]");
  }
}

TEST(WorkspaceRules, SplittingARuleAtAnOccurrence) {
  EXPECT_EQ(rrule_parts("FREQ=WEEKLY;BYDAY=MO;COUNT=10"),
            (std::vector<std::string>{"FREQ=WEEKLY", "BYDAY=MO", "COUNT=10"}));
  // 2026-12-07T07:59:59Z
  EXPECT_EQ(rrule_ending("FREQ=WEEKLY;COUNT=10;BYDAY=MO", 1796630399),
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261207T075959Z");
  EXPECT_EQ(rrule_ending("FREQ=DAILY;UNTIL=20270101T000000Z", 1796630399),
            "FREQ=DAILY;UNTIL=20261207T075959Z");
  EXPECT_EQ(rrule_rest("FREQ=WEEKLY;COUNT=10;BYDAY=MO", 3), "FREQ=WEEKLY;COUNT=7;BYDAY=MO");
  EXPECT_EQ(rrule_rest("FREQ=WEEKLY;COUNT=3", 3), std::nullopt);
  EXPECT_EQ(rrule_rest("FREQ=DAILY;UNTIL=20270101T000000Z", 40),
            "FREQ=DAILY;UNTIL=20270101T000000Z");
  EXPECT_EQ(rrule_rest("FREQ=DAILY", 40), "FREQ=DAILY");
}
