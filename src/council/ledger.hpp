#pragma once
// Each vote's ledger: every state change and every ballot, hash-chained and signed with the
// server's Ed25519 key, so that anyone holding the published ledger and the public key can check
// that nothing was changed, added or left out and recompute the result. Pure: no I/O.
//
// An entry's hash is SHA-256 (hex) of the bytes
//   "ratusha-vote-ledger/1\n" <vote id> "\n" <seq> "\n" <kind> "\n" <prev_hash> "\n" <payload>
// where payload is the entry's JSON text exactly as stored; the first entry's prev_hash is 64
// zeros. The signature is Ed25519 over the ASCII hex hash, itself written in hex. A ballot's
// receipt is the first 10 bytes of its hash in base32, grouped by four; a secret ballot's comes
// from its random id (docs/council.md). Secret ballots enter the chain at the close, in the order
// of their ids, so that the chain says nothing about who voted when.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "council/rules.hpp"
#include "security/crypto.hpp"

namespace ratusha::council {

struct LedgerEntry {
  std::int64_t vote_id = 0, seq = 0;
  std::string kind;  // opened | ballot | closed | cancelled
  std::string payload, prev_hash, hash, signature;
  std::optional<std::string> receipt;  // ballots only
};

std::string ledger_bytes(const LedgerEntry& e);
// Fills in hash, signature and (for ballots) the receipt.
void seal(LedgerEntry& e, const security::SigningKey& key);
std::string receipt_of(const std::string& hash_hex);
// A secret ballot's receipt comes from its random id, since the ballot enters the ledger only at
// the close: the first 10 bytes of SHA-256("ratusha-secret-ballot/1\n" id), as above.
std::string secret_receipt(const std::string& ballot_id);
// The bytes a secret ballot is signed over when it is cast.
std::string secret_ballot_bytes(std::int64_t vote_id, const std::string& ballot_id,
                                const std::string& choice);
// "abcd efgh-ijkl…" in any case and grouping → "ABCD-EFGH-IJKL-MNOP"; nullopt when not one.
std::optional<std::string> normalize_receipt(const std::string& s);
inline const std::string& genesis_hash() {
  static const std::string z(64, '0');
  return z;
}

// What replaying a vote's ledger gives: checked chain and signatures, the tally of the last
// ballot of each voter (named and open votes) or of every ballot (secret), and the result the
// rules give for it.
struct Replay {
  bool ok = true;
  std::string problem;
  std::optional<std::int64_t> bad_seq;
  std::int64_t entries = 0, ballots = 0;
  std::map<std::string, std::int64_t> tally;
  std::optional<std::string> result;           // recomputed (when the ledger has a close)
  std::optional<std::string> recorded_result;  // as the close entry says
  std::optional<std::string> winner;           // an election's, when someone was elected
  bool closed = false;
};

// `entries` in seq order, all of one vote.
Replay replay(const std::vector<LedgerEntry>& entries, const std::string& public_key);

}  // namespace ratusha::council
