#pragma once
// The audit log: append-only, each entry hash-chained to the previous one and signed with the
// server's Ed25519 key. Appends happen inside the caller's transaction, so an entry exists
// exactly when the change it records does.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "security/crypto.hpp"
#include "store/db.hpp"

namespace ratusha::events {
class Bus;
}

namespace ratusha::audit {

struct Actor {
  std::optional<std::int64_t> id;  // nullopt: the system or an anonymous caller
  std::string name;                // shown in the log even after the person changes
  std::string address;             // remote address, or "cli"
};

struct Entry {
  std::int64_t id = 0, seq = 0, at_ms = 0;
  std::optional<std::int64_t> actor_id;
  std::string actor_name, action, target, address, details, prev_hash, hash, signature;
};

struct VerifyResult {
  bool ok = true;
  std::int64_t checked = 0;
  std::optional<std::int64_t> bad_seq;
  std::string problem;
};

struct Filter {
  std::optional<std::string> action;  // exact, or a prefix ending in '.' ("person.")
  std::optional<std::int64_t> actor_id;
  std::optional<std::int64_t> from_ms, to_ms;
  std::optional<std::int64_t> before_seq;  // cursor
  int limit = 50;
};

class AuditLog {
 public:
  AuditLog(security::SigningKey key, events::Bus* bus) : key_(std::move(key)), bus_(bus) {}

  void append(store::Tx& tx, const Actor& actor, std::string_view action, std::string_view target,
              const json::object& details = {});
  std::vector<Entry> list(store::Database& db, const Filter& f) const;
  const std::string& public_key() const { return key_.public_key; }

 private:
  security::SigningKey key_;
  events::Bus* bus_;
};

// The exact bytes that are hashed for an entry.
std::string canonical_entry(const Entry& e);
// Walks the whole chain in order; reports the first broken entry.
VerifyResult verify(store::Database& db, std::string_view public_key);
json::object to_json(const Entry& e);

}  // namespace ratusha::audit
