#include "audit/audit.hpp"

#include "core/time.hpp"
#include "events/bus.hpp"

namespace ratusha::audit {

std::string canonical_entry(const Entry& e) {
  json::object o;
  o["seq"] = e.seq;
  o["at"] = e.at_ms;
  o["actor_id"] = e.actor_id ? json::value(*e.actor_id) : json::value(nullptr);
  o["actor_name"] = e.actor_name;
  o["action"] = e.action;
  o["target"] = e.target;
  o["address"] = e.address;
  o["details"] = e.details;
  o["prev_hash"] = e.prev_hash;
  return json::serialize(o);  // Boost.JSON keeps insertion order: stable bytes
}

void AuditLog::append(store::Tx& tx, const Actor& actor, std::string_view action,
                      std::string_view target, const json::object& details) {
  // Bumping the head first takes its row lock (PostgreSQL), so appends are strictly ordered.
  tx.exec("UPDATE audit_head SET seq = seq + 1 WHERE id = 1");
  auto head = tx.one("SELECT seq, hash FROM audit_head WHERE id = 1");
  Entry e;
  e.seq = head->int64(0);
  e.prev_hash = head->text(1);
  e.at_ms = now_millis();
  e.actor_id = actor.id;
  e.actor_name = actor.name;
  e.action = action;
  e.target = target;
  e.address = actor.address;
  e.details = json::serialize(details);
  e.hash = security::sha256_hex(canonical_entry(e));
  e.signature = security::hex(key_.sign(e.hash));
  e.id = tx.insert(
      "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, target, address, details, "
      "prev_hash, hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {e.seq, e.at_ms, store::opt(e.actor_id), e.actor_name, e.action, e.target, e.address,
       e.details, e.prev_hash, e.hash, e.signature});
  tx.exec("UPDATE audit_head SET hash = ? WHERE id = 1", {e.hash});
  if (bus_) bus_->publish(tx, "audit", "audit.appended", to_json(e));
}

namespace {
Entry entry_from(const store::Row& r) {
  Entry e;
  e.id = r.int64(0);
  e.seq = r.int64(1);
  e.at_ms = r.int64(2);
  e.actor_id = r.opt_int64(3);
  e.actor_name = r.text(4);
  e.action = r.text(5);
  e.target = r.text(6);
  e.address = r.text(7);
  e.details = r.text(8);
  e.prev_hash = r.text(9);
  e.hash = r.text(10);
  e.signature = r.text(11);
  return e;
}
constexpr const char* kColumns =
    "id, seq, at, actor_id, actor_name, action, target, address, details, prev_hash, hash, "
    "signature";
}  // namespace

std::vector<Entry> AuditLog::list(store::Database& db, const Filter& f) const {
  std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log WHERE 1=1";
  std::vector<store::Value> p;
  if (f.action) {
    if (!f.action->empty() && f.action->back() == '.') {
      sql += " AND action >= ? AND action < ?";
      p.push_back(*f.action);
      p.push_back(f.action->substr(0, f.action->size() - 1) + "/");  // '/' sorts after '.'
    } else {
      sql += " AND action = ?";
      p.push_back(*f.action);
    }
  }
  if (f.actor_id) {
    sql += " AND actor_id = ?";
    p.push_back(*f.actor_id);
  }
  if (f.from_ms) {
    sql += " AND at >= ?";
    p.push_back(*f.from_ms);
  }
  if (f.to_ms) {
    sql += " AND at < ?";
    p.push_back(*f.to_ms);
  }
  if (f.before_seq) {
    sql += " AND seq < ?";
    p.push_back(*f.before_seq);
  }
  sql += " ORDER BY seq DESC LIMIT " + std::to_string(f.limit);
  auto rows = db.read([&](store::Tx& tx) { return tx.query(sql, p); });
  std::vector<Entry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(entry_from(r));
  return out;
}

VerifyResult verify(store::Database& db, std::string_view public_key) {
  VerifyResult res;
  std::string prev(64, '0');
  std::int64_t expected_seq = 1;
  std::int64_t last_id = 0;
  // In pages, so a long log never sits in memory at once. Entries appended while we walk are
  // verified too: the walk ends only when the head matches the last entry checked.
  for (;;) {
    for (;;) {
      auto rows = db.read([&](store::Tx& tx) {
        return tx.query(std::string("SELECT ") + kColumns +
                            " FROM audit_log WHERE id > ? ORDER BY id LIMIT 1000",
                        {last_id});
      });
      if (rows.empty()) break;
      for (const auto& r : rows) {
        Entry e = entry_from(r);
        last_id = e.id;
        auto fail = [&](std::string why) {
          res.ok = false;
          res.bad_seq = e.seq;
          res.problem = "entry " + std::to_string(e.seq) + ": " + why;
        };
        if (e.seq != expected_seq) {
          fail(e.seq > expected_seq ? "entries before it are missing" : "out of order");
          return res;
        }
        if (e.prev_hash != prev) {
          fail("does not follow the previous entry (removed or reordered rows)");
          return res;
        }
        if (security::sha256_hex(canonical_entry(e)) != e.hash) {
          fail("its content was changed");
          return res;
        }
        auto sig = security::unhex(e.signature);
        if (!sig || !security::verify_signature(public_key, e.hash, *sig)) {
          fail("its signature is not valid");
          return res;
        }
        prev = e.hash;
        ++expected_seq;
        ++res.checked;
      }
    }
    auto head = db.read(
        [](store::Tx& tx) { return tx.one("SELECT seq, hash FROM audit_head WHERE id = 1"); });
    if (!head || (head->int64(0) == expected_seq - 1 && head->text(1) == prev)) break;
    bool more = db.read([&](store::Tx& tx) {
      return tx.one("SELECT 1 FROM audit_log WHERE id > ?", {last_id}).has_value();
    });
    if (more) continue;
    res.ok = false;
    res.bad_seq = expected_seq;
    res.problem = "the newest entries were removed (the chain ends at " +
                  std::to_string(expected_seq - 1) + ", the head says " +
                  std::to_string(head->int64(0)) + ")";
    break;
  }
  return res;
}

json::object to_json(const Entry& e) {
  json::object o;
  o["id"] = std::to_string(e.seq);
  o["at"] = rfc3339_millis(e.at_ms);
  o["actor_id"] = e.actor_id ? json::value(std::to_string(*e.actor_id)) : json::value(nullptr);
  o["actor_name"] = e.actor_name;
  o["action"] = e.action;
  o["target"] = e.target;
  o["address"] = e.address;
  boost::system::error_code ec;
  auto details = json::parse(e.details, ec);
  o["details"] = ec ? json::value(json::object{}) : details;
  o["hash"] = e.hash;
  return o;
}

}  // namespace ratusha::audit
