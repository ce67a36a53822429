#include "council/rules.hpp"

namespace ratusha::council {

namespace {
constexpr Fraction kMoreThanHalf{1, 2, true};
}  // namespace

const std::vector<Majority>& presets() {
  static const std::vector<Majority> all = {
      // Bulgaria (ЗМСМА)
      {"BG-M1", Base::present, kMoreThanHalf},      // art. 27(3): more than half of those present
      {"BG-M2", Base::composition, kMoreThanHalf},  // art. 27(4): more than half of all
      {"BG-M3", Base::composition, {2, 3, false}},  // e.g. Municipal Property Act art. 6(3)
      {"BG-E", Base::composition, kMoreThanHalf},   // art. 24: the chair, secret ballot
      // Poland (ustawa o samorządzie gminnym)
      {"PL-M1", Base::for_against, kMoreThanHalf},  // art. 14: simple majority, Y > No
      {"PL-M2", Base::cast, kMoreThanHalf},         // absolute majority of votes cast
      {"PL-M3", Base::composition, kMoreThanHalf},  // of the statutory composition
      {"PL-M4-3/5", Base::composition, {3, 5, false}},
      {"PL-M4-2/3", Base::composition, {2, 3, false}},
      {"PL-E", Base::cast, kMoreThanHalf},  // art. 19: the chair, absolute majority of votes
  };
  return all;
}

std::optional<Majority> preset(std::string_view id) {
  for (const auto& m : presets())
    if (m.id == id) return m;
  return std::nullopt;
}

std::optional<std::string> custom_problem(const Majority& m) {
  const auto& f = m.fraction;
  if (f.den < 1 || f.den > 100) return "The denominator must be 1 to 100.";
  if (f.num < 1 || f.num > f.den) return "The fraction must be more than 0 and at most 1.";
  // "At least half" of those present or voting lets a tie decide (and less a minority);
  // only the statutory composition may take such a base (e.g. Poland's quorum).
  if (m.base != Base::composition && f.num * 2 < f.den + (f.strict ? 0 : 1))
    return "Less than more than half of those present or voting would let a minority decide.";
  return std::nullopt;
}

Fraction quorum_rule(Jurisdiction j) {
  // BG-Q: more than half of all councillors; PL-Q: at least half of the statutory composition.
  return j == Jurisdiction::bg ? kMoreThanHalf : Fraction{1, 2, false};
}

bool meets(const Fraction& f, std::int64_t yes, std::int64_t base) {
  return f.strict ? yes * f.den > f.num * base : yes * f.den >= f.num * base;
}

std::int64_t yes_needed(const Fraction& f, std::int64_t base) {
  if (base <= 0) return f.strict ? 1 : 0;
  // strict: floor(num*base/den) + 1; at least: ceil(num*base/den); all non-negative here.
  auto product = f.num * base;
  return f.strict ? product / f.den + 1 : (product + f.den - 1) / f.den;
}

bool quorate(const Fraction& quorum, std::int64_t n, std::int64_t present) {
  return meets(quorum, present, n);
}

std::int64_t quorum_needed(const Fraction& quorum, std::int64_t n) {
  return yes_needed(quorum, n);
}

std::int64_t base_value(Base b, std::int64_t n, std::int64_t present, const Tally& t) {
  switch (b) {
    case Base::composition:
      return n;
    case Base::present:
      return present;
    case Base::cast:
      return t.yes + t.no + t.abstain;
    case Base::for_against:
      return t.yes + t.no;
  }
  return n;
}

Outcome decide(const Majority& m, const Fraction& quorum, std::int64_t n, std::int64_t present,
               const Tally& t) {
  if (!quorate(quorum, n, present)) return Outcome::no_quorum;
  auto base = base_value(m.base, n, present, t);
  // Nobody voting yes never adopts anything, whatever the base (Y > No with 0:0 is false too).
  if (t.yes == 0) return Outcome::rejected;
  return meets(m.fraction, t.yes, base) ? Outcome::adopted : Outcome::rejected;
}

bool is_yes_no(const std::vector<std::string>& options) {
  return options == std::vector<std::string>{"yes", "no", "abstain"};
}

Count tally_for(const std::vector<std::string>& options,
                const std::map<std::string, std::int64_t>& votes) {
  auto get = [&](const std::string& k) {
    auto it = votes.find(k);
    return it == votes.end() ? std::int64_t{0} : it->second;
  };
  Count c;
  if (is_yes_no(options)) {
    c.tally = {get("yes"), get("no"), get("abstain")};
    return c;
  }
  std::int64_t best = 0, others = 0;
  bool tie = false;
  for (const auto& o : options) {
    if (o == "abstain") continue;
    auto n = get(o);
    others += n;
    if (n > best) {
      best = n;
      c.winner = o;
      tie = false;
    } else if (n == best && n > 0) {
      tie = true;
    }
  }
  c.tally.abstain = get("abstain");
  if (tie || best == 0) {
    c.winner.reset();
    c.tally.no = others;
    return c;
  }
  c.tally.yes = best;
  c.tally.no = others - best;
  return c;
}

std::optional<int> speaker_priority(std::string_view kind) {
  if (kind == "point_of_order") return 0;
  if (kind == "reply") return 1;
  if (kind == "speech") return 2;
  return std::nullopt;
}

std::int64_t default_speaking_time(std::string_view kind) {
  if (kind == "point_of_order") return 60;
  if (kind == "reply") return 120;
  return 300;
}

json::object fraction_json(const Fraction& f) {
  return {{"num", f.num}, {"den", f.den}, {"strict", f.strict}};
}

json::object majority_json(const Majority& m) {
  return {{"id", m.id},
          {"base", std::string(to_string(m.base))},
          {"num", m.fraction.num},
          {"den", m.fraction.den},
          {"strict", m.fraction.strict}};
}

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::adopted:
      return "adopted";
    case Outcome::rejected:
      return "rejected";
    case Outcome::no_quorum:
      return "no_quorum";
  }
  return "rejected";
}

std::string_view to_string(Base b) {
  switch (b) {
    case Base::composition:
      return "composition";
    case Base::present:
      return "present";
    case Base::cast:
      return "cast";
    case Base::for_against:
      return "for_against";
  }
  return "composition";
}

std::optional<Base> base_from(std::string_view s) {
  for (auto b : {Base::composition, Base::present, Base::cast, Base::for_against})
    if (to_string(b) == s) return b;
  return std::nullopt;
}

}  // namespace ratusha::council
