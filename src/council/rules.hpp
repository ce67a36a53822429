#pragma once
// The council's arithmetic from law (../shared/product/LAW.md): quorum and majorities, in
// integers only. Pure: no I/O, no clock. Every rule is a preset a clerk can see and, where a
// council's own rules differ, replace per body or per vote with a custom rule (recorded by the
// caller).
//
// Every threshold has the same shape: yes votes compared with a fraction of a base,
//   strict:  Y * den >  num * base   ("more than num/den of base": Y >= floor(num*base/den) + 1)
//   at least: Y * den >= num * base  ("at least num/den of base":  Y >= ceil(num*base/den))
// and the base is the statutory composition N, those present P, the votes cast Y+No+A, or the
// votes for and against Y+No (a simple majority, Y > No, is "more than half of Y+No").
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json.hpp"

namespace ratusha::council {

enum class Jurisdiction { bg, pl };

enum class Base {
  composition,  // N: the statutory number of members
  present,      // P: registered as present when the vote opened
  cast,         // Y + No + A
  for_against,  // Y + No
};

struct Fraction {
  std::int64_t num = 1, den = 2;
  bool strict = true;  // "more than" (true) or "at least" (false)
};

struct Majority {
  std::string id;  // preset id (BG-M1 …) or "custom"
  Base base = Base::present;
  Fraction fraction;
};

struct Tally {
  std::int64_t yes = 0, no = 0, abstain = 0;
};

enum class Outcome { adopted, rejected, no_quorum };

// The presets of LAW.md: BG-M1, BG-M2, BG-M3, BG-E, PL-M1, PL-M2, PL-M3, PL-M4-3/5, PL-M4-2/3,
// PL-E.
const std::vector<Majority>& presets();
std::optional<Majority> preset(std::string_view id);
// Whether a custom rule makes sense (1 <= num <= den <= 100; an "at least" fraction below a half
// of those present would let a minority decide, so it is refused for present/cast/for_against);
// nullopt when fine, else why (English).
std::optional<std::string> custom_problem(const Majority& m);

// The quorum: BG-Q more than half of N (P >= floor(N/2)+1), PL-Q at least half (P >= ceil(N/2)).
Fraction quorum_rule(Jurisdiction j);
bool quorate(const Fraction& quorum, std::int64_t n, std::int64_t present);
// Least P that makes a quorum of N.
std::int64_t quorum_needed(const Fraction& quorum, std::int64_t n);

// The value of the base for a vote.
std::int64_t base_value(Base b, std::int64_t n, std::int64_t present, const Tally& t);
// Whether `yes` meets the fraction of `base`.
bool meets(const Fraction& f, std::int64_t yes, std::int64_t base);
// Least number of yes votes that meets the fraction of `base` (for the board: "needed: 26").
std::int64_t yes_needed(const Fraction& f, std::int64_t base);

// The result of a closed vote: no quorum when those present at its opening were too few, else
// adopted when the yes votes meet the majority.
Outcome decide(const Majority& m, const Fraction& quorum, std::int64_t n, std::int64_t present,
               const Tally& t);

// The tally the rules see. A yes/no/abstain vote counts as it is. An election (the options are
// candidates, and perhaps "abstain") sets the best-placed candidate's votes against all the
// others'; a tie for first place elects no one (no winner, and no yes votes).
struct Count {
  Tally tally;
  std::optional<std::string> winner;
};
Count tally_for(const std::vector<std::string>& options,
                const std::map<std::string, std::int64_t>& votes);
bool is_yes_no(const std::vector<std::string>& options);

// Speakers. A point of order comes before everything else waiting, a reply before speeches;
// a smaller number goes first. Unknown kinds: none (nullopt).
std::optional<int> speaker_priority(std::string_view kind);
// The default time at the floor, in seconds, when the chair gives none: speech 5 minutes,
// reply 2, point of order 1 (common in councils' own rules; each body's chair may give more).
std::int64_t default_speaking_time(std::string_view kind);

// {num, den, strict}: a quorum rule as the API shows it and the ledger records it.
json::object fraction_json(const Fraction& f);
// {id, base, num, den, strict}: as the API shows a rule and the ledger records it.
json::object majority_json(const Majority& m);

std::string_view to_string(Outcome o);
std::string_view to_string(Base b);
std::optional<Base> base_from(std::string_view s);

}  // namespace ratusha::council
