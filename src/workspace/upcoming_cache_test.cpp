#include "workspace/upcoming_cache.hpp"

#include <gtest/gtest.h>

namespace ratusha::workspace {
namespace {

Upcoming at(std::int64_t id, std::int64_t start, std::int64_t end) {
  Upcoming u;
  u.meeting.id = id;
  u.starts_at = start;
  u.ends_at = end;
  return u;
}

TEST(UpcomingCache, AnswersInsideTheWindowOnly) {
  UpcomingCache c;
  c.put(7, 1000, 5000, {at(1, 900, 1100), at(2, 2000, 2100), at(3, 4000, 4100)}, c.epoch());
  auto r = c.get(7, 1050, 3000, 10);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 2u);  // the first is still running at 1050, the third starts after 3000
  EXPECT_EQ((*r)[0].meeting.id, 1);
  EXPECT_EQ((*r)[1].meeting.id, 2);
  EXPECT_EQ(c.get(7, 1101, 5000, 10)->size(), 2u);  // the first is over
  EXPECT_EQ(c.get(7, 1000, 5000, 1)->size(), 1u);   // the limit
  EXPECT_FALSE(c.get(7, 999, 3000, 10));            // starts before the window
  EXPECT_FALSE(c.get(7, 1000, 5001, 10));           // ends after it
  EXPECT_FALSE(c.get(8, 1000, 3000, 10));           // someone else
}

TEST(UpcomingCache, AChangeDropsTheEntryAndARaceKeepsNothing) {
  UpcomingCache c;
  c.put(7, 0, 100, {at(1, 10, 20)}, c.epoch());
  c.forget(7);
  EXPECT_FALSE(c.get(7, 0, 100, 10));
  auto before = c.epoch();  // a read starts, then a change commits on another thread
  c.forget(9);
  c.put(7, 0, 100, {at(1, 10, 20)}, before);
  EXPECT_FALSE(c.get(7, 0, 100, 10));
  c.put(7, 0, 100, {at(1, 10, 20)}, c.epoch());
  c.put(8, 0, 100, {}, c.epoch());
  EXPECT_EQ(c.size(), 2u);
  c.forget_all();
  EXPECT_EQ(c.size(), 0u);
}

TEST(UpcomingCache, TooManyRowsAreNotKept) {
  UpcomingCache c;
  std::vector<Upcoming> rows(UpcomingCache::kMaxRows, at(1, 10, 20));
  c.put(7, 0, 100, rows, c.epoch());
  EXPECT_FALSE(c.get(7, 0, 100, 10));
}

}  // namespace
}  // namespace ratusha::workspace
