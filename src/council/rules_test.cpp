#include "council/rules.hpp"

#include <gtest/gtest.h>

using namespace ratusha::council;

namespace {

// LAW.md's formulas written the other way: with floor and ceiling as integer division.
std::int64_t floor_half_plus_one(std::int64_t x) {
  return x / 2 + 1;
}
std::int64_t ceil_of(std::int64_t num, std::int64_t den) {
  return (num + den - 1) / den;
}

Majority must(std::string_view id) {
  auto m = preset(id);
  EXPECT_TRUE(m) << id;
  return m.value_or(Majority{});
}

}  // namespace

TEST(CouncilRules, TheExamplesOfTheLaw) {
  auto bg = quorum_rule(Jurisdiction::bg);
  auto pl = quorum_rule(Jurisdiction::pl);
  EXPECT_TRUE(quorate(bg, 51, 26));
  EXPECT_FALSE(quorate(bg, 51, 25));
  EXPECT_EQ(decide(must("BG-M1"), bg, 51, 26, {14, 0, 12}), Outcome::adopted);
  EXPECT_EQ(decide(must("BG-M1"), bg, 51, 26, {13, 0, 13}), Outcome::rejected);
  EXPECT_EQ(decide(must("BG-M2"), bg, 51, 51, {26, 0, 25}), Outcome::adopted);
  EXPECT_EQ(decide(must("BG-M2"), bg, 51, 51, {25, 0, 26}), Outcome::rejected);
  EXPECT_EQ(yes_needed(must("BG-M3").fraction, 51), 34);
  EXPECT_EQ(yes_needed(Fraction{2, 3, false}, 9), 6);  // two-thirds of 9 is 6, not 7
  EXPECT_TRUE(quorate(pl, 23, 12));
  EXPECT_FALSE(quorate(pl, 23, 11));
  EXPECT_EQ(decide(must("PL-M1"), pl, 23, 19, {5, 4, 10}), Outcome::adopted);
  EXPECT_EQ(decide(must("PL-M2"), pl, 23, 19, {5, 4, 10}), Outcome::rejected);
  // N = 24: Poland's quorum is 12, Bulgaria's 13.
  EXPECT_EQ(quorum_needed(pl, 24), 12);
  EXPECT_EQ(quorum_needed(bg, 24), 13);
  // No quorum comes first, whatever the votes.
  EXPECT_EQ(decide(must("BG-M1"), bg, 51, 25, {25, 0, 0}), Outcome::no_quorum);
}

// Every N from 1 to 101 and every P from 0 to N, for every preset: the integer rule agrees with
// the formula of LAW.md, and the least number of yes votes is exactly the threshold.
TEST(CouncilRules, EveryCompositionAndAttendanceForEveryPreset) {
  auto bg = quorum_rule(Jurisdiction::bg);
  auto pl = quorum_rule(Jurisdiction::pl);
  for (std::int64_t n = 1; n <= 101; ++n) {
    EXPECT_EQ(quorum_needed(bg, n), floor_half_plus_one(n)) << n;
    EXPECT_EQ(quorum_needed(pl, n), ceil_of(n, 2)) << n;
    for (std::int64_t p = 0; p <= n; ++p) {
      ASSERT_EQ(quorate(bg, n, p), p >= floor_half_plus_one(n)) << n << " " << p;
      ASSERT_EQ(quorate(pl, n, p), p >= ceil_of(n, 2)) << n << " " << p;
      // Those present share out as yes, no and abstain (and some not voting) in every way.
      for (std::int64_t y = 0; y <= p; ++y) {
        for (std::int64_t no : {std::int64_t{0}, (p - y) / 2, p - y}) {
          Tally t{y, no, p - y - no};
          auto q = quorate(bg, n, p);
          auto expect = [&](bool passes) {
            return !q ? Outcome::no_quorum : passes && y > 0 ? Outcome::adopted : Outcome::rejected;
          };
          ASSERT_EQ(decide(must("BG-M1"), bg, n, p, t), expect(y >= floor_half_plus_one(p)));
          ASSERT_EQ(decide(must("BG-M2"), bg, n, p, t), expect(y >= floor_half_plus_one(n)));
          ASSERT_EQ(decide(must("BG-E"), bg, n, p, t), expect(y >= floor_half_plus_one(n)));
          ASSERT_EQ(decide(must("BG-M3"), bg, n, p, t), expect(y >= ceil_of(2 * n, 3)));
          q = quorate(pl, n, p);
          ASSERT_EQ(decide(must("PL-M1"), pl, n, p, t), expect(y > t.no));
          ASSERT_EQ(decide(must("PL-M2"), pl, n, p, t), expect(y > t.no + t.abstain));
          ASSERT_EQ(decide(must("PL-E"), pl, n, p, t), expect(y > t.no + t.abstain));
          ASSERT_EQ(decide(must("PL-M3"), pl, n, p, t), expect(y >= floor_half_plus_one(n)));
          ASSERT_EQ(decide(must("PL-M4-3/5"), pl, n, p, t), expect(y >= ceil_of(3 * n, 5)));
          ASSERT_EQ(decide(must("PL-M4-2/3"), pl, n, p, t), expect(y >= ceil_of(2 * n, 3)));
        }
      }
    }
    for (const auto& m : presets()) {
      if (m.base != Base::composition) continue;
      auto need = yes_needed(m.fraction, n);
      EXPECT_TRUE(meets(m.fraction, need, n)) << m.id << " " << n;
      EXPECT_FALSE(need > 0 && meets(m.fraction, need - 1, n)) << m.id << " " << n;
    }
  }
}

TEST(CouncilRules, CustomRulesAreCheckedAndKnown) {
  EXPECT_EQ(custom_problem({"custom", Base::present, {1, 2, true}}), std::nullopt);
  EXPECT_EQ(custom_problem({"custom", Base::composition, {3, 4, false}}), std::nullopt);
  EXPECT_NE(custom_problem({"custom", Base::present, {1, 2, false}}), std::nullopt);  // a tie
  EXPECT_NE(custom_problem({"custom", Base::cast, {1, 3, true}}), std::nullopt);
  EXPECT_NE(custom_problem({"custom", Base::present, {0, 2, true}}), std::nullopt);
  EXPECT_NE(custom_problem({"custom", Base::present, {3, 2, true}}), std::nullopt);
  EXPECT_NE(custom_problem({"custom", Base::present, {1, 101, true}}), std::nullopt);
  for (const auto& m : presets()) EXPECT_EQ(custom_problem(m), std::nullopt) << m.id;
  EXPECT_FALSE(preset("BG-M9"));
  EXPECT_EQ(base_from("cast"), Base::cast);
  EXPECT_FALSE(base_from("everyone"));
  for (auto b : {Base::composition, Base::present, Base::cast, Base::for_against})
    EXPECT_EQ(base_from(to_string(b)), b);
}
