#include "council/ledger.hpp"

#include <algorithm>
#include <set>

#include "core/json.hpp"

namespace ratusha::council {

std::string ledger_bytes(const LedgerEntry& e) {
  std::string s = "ratusha-vote-ledger/1\n";
  s += std::to_string(e.vote_id);
  s += '\n';
  s += std::to_string(e.seq);
  s += '\n';
  s += e.kind;
  s += '\n';
  s += e.prev_hash;
  s += '\n';
  s += e.payload;
  return s;
}

std::string receipt_of(const std::string& hash_hex) {
  auto bin = security::unhex(hash_hex.substr(0, 20)).value_or("");
  auto b32 = security::base32(bin);  // 10 bytes: 16 characters
  std::string out;
  for (std::size_t i = 0; i < b32.size(); ++i) {
    if (i && i % 4 == 0) out += '-';
    out += b32[i];
  }
  return out;
}

std::optional<std::string> normalize_receipt(const std::string& s) {
  std::string raw;
  for (char c : s) {
    if (c == '-' || c == ' ') continue;
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!((u >= 'A' && u <= 'Z') || (u >= '2' && u <= '7'))) return std::nullopt;
    raw += u;
  }
  if (raw.size() != 16) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (i && i % 4 == 0) out += '-';
    out += raw[i];
  }
  return out;
}

std::string secret_receipt(const std::string& ballot_id) {
  return receipt_of(security::sha256_hex("ratusha-secret-ballot/1\n" + ballot_id));
}

std::string secret_ballot_bytes(std::int64_t vote_id, const std::string& ballot_id,
                                const std::string& choice) {
  return "ratusha-secret-ballot/1\n" + std::to_string(vote_id) + "\n" + ballot_id + "\n" + choice;
}

namespace {
// The receipt an entry should carry: none, a named ballot's from its hash, a secret one's from
// its id.
std::optional<std::string> expected_receipt(const LedgerEntry& e) {
  if (e.kind != "ballot") return std::nullopt;
  try {
    auto p = json::parse(e.payload);
    if (auto* b = p.as_object().if_contains("ballot"); b && b->is_string())
      return secret_receipt(std::string(b->as_string()));
  } catch (...) {
  }
  return receipt_of(e.hash);
}
}  // namespace

void seal(LedgerEntry& e, const security::SigningKey& key) {
  e.hash = security::sha256_hex(ledger_bytes(e));
  e.signature = security::hex(key.sign(e.hash));
  e.receipt = expected_receipt(e);
}

namespace {

std::optional<json::object> object_of(const std::string& text) {
  try {
    auto v = json::parse(text);
    if (v.is_object()) return v.as_object();
  } catch (...) {
  }
  return std::nullopt;
}

std::string str(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::int64_t num(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_int64() ? v->as_int64() : -1;
}

bool flag(const json::object& o, const char* k) {
  auto* v = o.if_contains(k);
  return v && v->is_bool() && v->as_bool();
}

}  // namespace

Replay replay(const std::vector<LedgerEntry>& entries, const std::string& public_key) {
  Replay r;
  auto fail = [&](const LedgerEntry& e, std::string why) {
    r.ok = false;
    r.bad_seq = e.seq;
    r.problem = "entry " + std::to_string(e.seq) + ": " + std::move(why);
    return r;
  };
  if (entries.empty()) {
    r.ok = false;
    r.problem = "the ledger is empty";
    return r;
  }
  std::string prev = genesis_hash();
  json::object opened;
  std::vector<std::string> options;
  std::set<std::string> entitled, secret_ids;
  std::map<std::string, std::string> last_choice;  // voter → choice (named and open)
  std::map<std::string, std::int64_t> secret_tally;
  std::string last_secret;
  bool secret = false, change = false;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    ++r.entries;
    if (e.seq != static_cast<std::int64_t>(i) + 1) return fail(e, "out of sequence");
    if (e.vote_id != entries.front().vote_id) return fail(e, "belongs to another vote");
    if (e.prev_hash != prev) return fail(e, "does not follow the entry before it");
    if (security::sha256_hex(ledger_bytes(e)) != e.hash) return fail(e, "its hash is wrong");
    auto sig = security::unhex(e.signature);
    if (!sig || !security::verify_signature(public_key, e.hash, *sig))
      return fail(e, "its signature is not the server's");
    if (e.kind == "ballot" && e.receipt && e.receipt != expected_receipt(e))
      return fail(e, "its receipt does not match its hash");
    prev = e.hash;
    auto p = object_of(e.payload);
    if (!p) return fail(e, "its payload is not a JSON object");
    if (r.closed) return fail(e, "comes after the close");
    if (i == 0) {
      if (e.kind != "opened") return fail(e, "the first entry must open the vote");
      opened = *p;
      secret = str(opened, "kind") == "secret";
      change = flag(opened, "vote_change");
      if (auto* o = opened.if_contains("options"); o && o->is_array())
        for (auto& x : o->as_array())
          if (x.is_string()) options.emplace_back(x.as_string());
      if (auto* vs = opened.if_contains("voters"); vs && vs->is_array())
        for (auto& v : vs->as_array())
          if (v.is_object() && str(v.as_object(), "status") == "entitled")
            entitled.insert(str(v.as_object(), "id"));
      continue;
    }
    if (e.kind == "ballot") {
      auto choice = str(*p, "choice");
      if (std::find(options.begin(), options.end(), choice) == options.end())
        return fail(e, "the choice is not one of the options");
      ++r.ballots;
      if (secret) {
        auto id = str(*p, "ballot");
        if (id.empty() || !secret_ids.insert(id).second)
          return fail(e, "a secret ballot without its own id");
        // In the order of their ids, not of casting.
        if (!last_secret.empty() && id <= last_secret)
          return fail(e, "secret ballots out of the order of their ids");
        last_secret = id;
        if (p->contains("voter")) return fail(e, "a secret ballot names its voter");
        ++secret_tally[choice];
        if (static_cast<std::int64_t>(secret_ids.size()) >
            static_cast<std::int64_t>(entitled.size()))
          return fail(e, "more ballots than voters");
      } else {
        auto voter = str(*p, "voter");
        if (!entitled.count(voter)) return fail(e, "the voter was not entitled to vote");
        if (last_choice.count(voter) && !change)
          return fail(e, "a second ballot where votes cannot be changed");
        last_choice[voter] = choice;
      }
    } else if (e.kind == "closed") {
      r.closed = true;
      r.recorded_result = str(*p, "result");
    } else if (e.kind == "cancelled") {
      r.closed = true;
      r.recorded_result = "cancelled";
    } else {
      return fail(e, "unknown kind " + e.kind);
    }
  }
  if (secret) {
    r.tally = secret_tally;
  } else {
    for (auto& [voter, choice] : last_choice) ++r.tally[choice];
  }
  for (auto& o : options) r.tally.try_emplace(o, 0);
  if (!r.closed || r.recorded_result == "cancelled") return r;

  // The result from the rules and the recorded parameters.
  Majority m;
  const json::object* mj = nullptr;
  if (auto* v = opened.if_contains("majority"); v && v->is_object()) mj = &v->as_object();
  const json::object* qj = nullptr;
  if (auto* v = opened.if_contains("quorum"); v && v->is_object()) qj = &v->as_object();
  if (!mj || !qj) {
    r.ok = false;
    r.problem = "the opening entry lacks the majority or the quorum";
    return r;
  }
  m.id = str(*mj, "id");
  m.base = base_from(str(*mj, "base")).value_or(Base::present);
  m.fraction = {num(*mj, "num"), num(*mj, "den"), flag(*mj, "strict")};
  Fraction q{num(*qj, "num"), num(*qj, "den"), flag(*qj, "strict")};
  auto t = tally_for(options, r.tally);
  auto outcome = decide(m, q, num(opened, "seats"), num(opened, "present"), t.tally);
  r.result = std::string(to_string(outcome));
  if (outcome == Outcome::adopted) r.winner = t.winner;
  auto closing = object_of(entries.back().payload);
  if (closing && r.winner.value_or("") != str(*closing, "winner")) {
    r.ok = false;
    r.bad_seq = entries.back().seq;
    r.problem = "the recorded winner is not who the ballots elect";
    return r;
  }
  if (r.recorded_result != r.result) {
    r.ok = false;
    r.bad_seq = entries.back().seq;
    r.problem = "the recorded result (" + r.recorded_result.value_or("") +
                ") is not what the ballots give (" + *r.result + ")";
    return r;
  }
  if (closing) {
    if (auto* tj = closing->if_contains("tally"); tj && tj->is_object()) {
      for (auto& [k, v] : tj->as_object()) {
        auto it = r.tally.find(std::string(k));
        if (!v.is_int64() || it == r.tally.end() || it->second != v.as_int64()) {
          r.ok = false;
          r.bad_seq = entries.back().seq;
          r.problem = "the recorded count for " + std::string(k) + " is not what the ballots give";
          return r;
        }
      }
    }
  }
  return r;
}

}  // namespace ratusha::council
