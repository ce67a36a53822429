#include "council/ledger.hpp"

#include <gtest/gtest.h>

#include "core/json.hpp"

using namespace ratusha;
using namespace ratusha::council;

namespace {

struct Chain {
  security::SigningKey key = security::SigningKey::generate();
  std::vector<LedgerEntry> entries;
  void add(const std::string& kind, const json::object& payload) {
    LedgerEntry e;
    e.vote_id = 7;
    e.seq = static_cast<std::int64_t>(entries.size()) + 1;
    e.kind = kind;
    e.payload = json::serialize(payload);
    e.prev_hash = entries.empty() ? genesis_hash() : entries.back().hash;
    seal(e, key);
    entries.push_back(e);
  }
};

json::object opened(const std::string& kind, bool change = false) {
  json::array voters;
  for (int i = 1; i <= 5; ++i)
    voters.push_back(json::object{{"id", std::to_string(i)},
                                  {"name", "M" + std::to_string(i)},
                                  {"status", i == 5 ? "absent" : "entitled"}});
  return {{"kind", kind},
          {"options", json::array{"yes", "no", "abstain"}},
          {"majority",
           json::object{
               {"id", "BG-M1"}, {"base", "present"}, {"num", 1}, {"den", 2}, {"strict", true}}},
          {"quorum", json::object{{"num", 1}, {"den", 2}, {"strict", true}}},
          {"seats", 5},
          {"present", 4},
          {"vote_change", change},
          {"voters", voters}};
}

Chain named_vote() {
  Chain c;
  c.add("opened", opened("named"));
  c.add("ballot", {{"voter", "1"}, {"name", "M1"}, {"choice", "yes"}});
  c.add("ballot", {{"voter", "2"}, {"name", "M2"}, {"choice", "yes"}});
  c.add("ballot", {{"voter", "3"}, {"name", "M3"}, {"choice", "yes"}});
  c.add("closed", {{"result", "adopted"},
                   {"winner", ""},
                   {"tally", json::object{{"yes", 3}, {"no", 0}, {"abstain", 0}}}});
  return c;
}

}  // namespace

TEST(Ledger, AnIntactNamedVoteReplaysToItsResult) {
  auto c = named_vote();
  auto r = replay(c.entries, c.key.public_key);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.ballots, 3);
  EXPECT_EQ(r.result, "adopted");
  EXPECT_EQ(r.tally["yes"], 3);
}

TEST(Ledger, EveryKindOfTamperingIsFound) {
  auto c = named_vote();
  {
    auto e = c.entries;
    e[2].payload = json::serialize(json::object{{"voter", "2"}, {"name", "M2"}, {"choice", "no"}});
    EXPECT_EQ(replay(e, c.key.public_key).bad_seq, 3) << "a changed ballot";
  }
  {
    auto e = c.entries;
    e.erase(e.begin() + 2);
    EXPECT_FALSE(replay(e, c.key.public_key).ok) << "a ballot left out";
  }
  {
    auto other = security::SigningKey::generate();
    EXPECT_NE(replay(c.entries, other.public_key).problem.find("signature"), std::string::npos);
  }
  {
    // Re-sealed by someone holding the key, the recorded result must still match the ballots.
    Chain d;
    d.key = c.key;
    d.add("opened", opened("named"));
    d.add("ballot", {{"voter", "1"}, {"name", "M1"}, {"choice", "yes"}});
    d.add("closed", {{"result", "adopted"},
                     {"winner", ""},
                     {"tally", json::object{{"yes", 1}, {"no", 0}, {"abstain", 0}}}});
    auto r = replay(d.entries, d.key.public_key);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.result, "rejected");
  }
}

TEST(Ledger, BallotsFromThoseNotEntitledOrTwiceAreRefused) {
  Chain c;
  c.add("opened", opened("named"));
  c.add("ballot", {{"voter", "5"}, {"name", "M5"}, {"choice", "yes"}});
  EXPECT_NE(replay(c.entries, c.key.public_key).problem.find("not entitled"), std::string::npos);

  Chain twice;
  twice.add("opened", opened("named"));
  twice.add("ballot", {{"voter", "1"}, {"name", "M1"}, {"choice", "yes"}});
  twice.add("ballot", {{"voter", "1"}, {"name", "M1"}, {"choice", "no"}});
  EXPECT_FALSE(replay(twice.entries, twice.key.public_key).ok);

  Chain changed;
  changed.add("opened", opened("named", true));
  changed.add("ballot", {{"voter", "1"}, {"name", "M1"}, {"choice", "yes"}});
  changed.add("ballot", {{"voter", "1"}, {"name", "M1"}, {"choice", "no"}});
  auto r = replay(changed.entries, changed.key.public_key);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.tally["no"], 1) << "the last ballot counts";
  EXPECT_EQ(r.tally["yes"], 0);
}

TEST(Ledger, SecretBallotsNameNoVoterAndCannotOutnumberVoters) {
  Chain c;
  c.add("opened", opened("secret"));
  c.add("ballot", {{"ballot", "r1"}, {"voter", "1"}, {"choice", "yes"}});
  EXPECT_NE(replay(c.entries, c.key.public_key).problem.find("names its voter"), std::string::npos);
  Chain many;
  many.add("opened", opened("secret"));
  for (int i = 0; i < 5; ++i)
    many.add("ballot", {{"ballot", "r" + std::to_string(i)}, {"choice", "yes"}});
  EXPECT_NE(replay(many.entries, many.key.public_key).problem.find("more ballots"),
            std::string::npos);
}

TEST(Ledger, ReceiptsAreShortAndForgiving) {
  auto c = named_vote();
  auto r = *c.entries[1].receipt;
  EXPECT_EQ(r.size(), 19u);
  EXPECT_EQ(r, receipt_of(c.entries[1].hash));
  std::string loose;
  for (char ch : r)
    if (ch != '-') loose += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(normalize_receipt(loose), r);
  EXPECT_FALSE(normalize_receipt("ABCD-EFGH-1JKL-MNOP"));  // 1 is not base32
  EXPECT_FALSE(normalize_receipt("ABCD"));
}

TEST(Rules, ElectionsSetTheBestPlacedAgainstTheRest) {
  std::vector<std::string> options{"A", "B", "C", "abstain"};
  auto c = tally_for(options, {{"A", 5}, {"B", 3}, {"C", 1}, {"abstain", 2}});
  EXPECT_EQ(c.winner, "A");
  EXPECT_EQ(c.tally.yes, 5);
  EXPECT_EQ(c.tally.no, 4);
  EXPECT_EQ(c.tally.abstain, 2);
  auto tie = tally_for(options, {{"A", 4}, {"B", 4}});
  EXPECT_FALSE(tie.winner);
  EXPECT_EQ(tie.tally.yes, 0);
  EXPECT_EQ(tie.tally.no, 8);
}
