#include "store/db.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>  // declares SQLite in namespace sqlite_api

#include <boost/url/parse.hpp>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "core/error.hpp"

namespace ratusha::store {

std::int64_t Row::int64(std::size_t i) const {
  const auto& v = cols_.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto s = std::get_if<std::string>(&v)) {
    if (s->empty()) return 0;
    return std::stoll(*s);
  }
  return 0;
}

std::string Row::text(std::size_t i) const {
  const auto& v = cols_.at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  return {};
}

std::optional<std::int64_t> Row::opt_int64(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return int64(i);
}

std::optional<std::string> Row::opt_text(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::string bind_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += ":p" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

// A prepared statement kept for reuse on its connection, with the storage its parameters and
// result row are bound to (SOCI binds by address, so the storage lives as long as it does).
struct CachedStatement {
  std::unique_ptr<soci::statement> st;
  std::vector<long long> ints;
  std::vector<std::string> texts;
  std::vector<soci::indicator> inds;
  soci::row row;
};

// Prepared statements of one connection, keyed by SQL and parameter types. Preparing is most of
// the cost of a small query (SQLite) or two extra round trips (PostgreSQL); reuse avoids both.
class StatementCache {
 public:
  static constexpr std::size_t kMaxStatements = 256;
  CachedStatement& get(soci::session& s, std::string_view sql, const std::vector<Value>& params,
                       bool with_row);
  void forget(const std::string& key) { map_.erase(key); }
  void clear() { map_.clear(); }
  static std::string key(std::string_view sql, const std::vector<Value>& params, bool with_row);

 private:
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> map_;
};

namespace {

char type_of(const Value& v) {
  if (std::holds_alternative<std::int64_t>(v)) return 'i';
  if (std::holds_alternative<std::string>(v)) return 's';
  return 'n';
}

std::unique_ptr<CachedStatement> prepare(soci::session& s, std::string_view sql,
                                         const std::vector<Value>& params, bool with_row) {
  auto c = std::make_unique<CachedStatement>();
  c->ints.resize(params.size());
  c->texts.resize(params.size());
  c->inds.assign(params.size(), soci::i_ok);
  c->st = std::make_unique<soci::statement>(s);
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (type_of(params[i]) == 'i') {
      c->st->exchange(soci::use(c->ints[i], c->inds[i]));
    } else {
      if (type_of(params[i]) == 'n') c->inds[i] = soci::i_null;
      c->st->exchange(soci::use(c->texts[i], c->inds[i]));
    }
  }
  if (with_row) c->st->exchange(soci::into(c->row));
  c->st->alloc();
  c->st->prepare(bind_placeholders(sql));
  c->st->define_and_bind();
  return c;
}

void assign(CachedStatement& c, const std::vector<Value>& params) {
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (auto p = std::get_if<std::int64_t>(&params[i]))
      c.ints[i] = *p;
    else if (auto t = std::get_if<std::string>(&params[i]))
      c.texts[i] = *t;
  }
}

Value column(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return nullptr;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string:
    case soci::dt_xml:
    case soci::dt_blob:
      return r.get<std::string>(i);
    case soci::dt_integer:
      return static_cast<std::int64_t>(r.get<int>(i));
    case soci::dt_long_long:
      return static_cast<std::int64_t>(r.get<long long>(i));
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return std::to_string(r.get<double>(i));
    case soci::dt_date: {
      std::tm t = r.get<std::tm>(i);
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &t);
      return std::string(buf);
    }
  }
  return nullptr;
}

}  // namespace

std::string StatementCache::key(std::string_view sql, const std::vector<Value>& params,
                                bool with_row) {
  std::string k(sql);
  k += with_row ? "|r" : "|x";
  for (const auto& p : params) k += type_of(p);
  return k;
}

CachedStatement& StatementCache::get(soci::session& s, std::string_view sql,
                                     const std::vector<Value>& params, bool with_row) {
  auto k = key(sql, params, with_row);
  auto it = map_.find(k);
  if (it == map_.end()) {
    if (map_.size() >= kMaxStatements) map_.clear();  // bounded: dynamic SQL cannot grow it
    it = map_.emplace(k, prepare(s, sql, params, with_row)).first;
  }
  assign(*it->second, params);
  return *it->second;
}

std::vector<Row> Tx::query(std::string_view sql, const std::vector<Value>& params) {
  CachedStatement* c = &cache_.get(s_, sql, params, true);
  std::vector<Row> rows;
  try {
    bool got = c->st->execute(true);
    while (got) {
      std::vector<Value> cols;
      cols.reserve(c->row.size());
      for (std::size_t i = 0; i < c->row.size(); ++i) cols.push_back(column(c->row, i));
      rows.emplace_back(std::move(cols));
      got = c->st->fetch();
    }
  } catch (...) {
    // A statement that failed may be in any state: prepare it afresh next time.
    cache_.forget(StatementCache::key(sql, params, true));
    throw;
  }
  return rows;
}

std::optional<Row> Tx::one(std::string_view sql, const std::vector<Value>& params) {
  auto rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t Tx::exec(std::string_view sql, const std::vector<Value>& params) {
  CachedStatement* c = &cache_.get(s_, sql, params, false);
  try {
    c->st->execute(true);
    return c->st->get_affected_rows();
  } catch (...) {
    cache_.forget(StatementCache::key(sql, params, false));
    throw;
  }
}

std::int64_t Tx::insert(std::string_view sql, const std::vector<Value>& params) {
  auto row = one(std::string(sql) + " RETURNING id", params);
  if (!row) throw std::runtime_error("insert returned no id");
  return row->int64(0);
}

// SOCI reads "scheme://..." itself, so a postgresql:// URL becomes libpq key=value pairs here.
std::string postgres_conninfo(const std::string& url) {
  auto u = boost::urls::parse_uri(url);
  if (!u) throw std::runtime_error("the PostgreSQL URL is not valid");
  auto quote = [](const std::string& v) {
    std::string out = "'";
    for (char c : v) {
      if (c == '\\' || c == '\'') out += '\\';
      out += c;
    }
    return out + "'";
  };
  std::string ci;
  auto add = [&](const char* k, const std::string& v) {
    if (!v.empty()) ci += std::string(ci.empty() ? "" : " ") + k + "=" + quote(v);
  };
  add("host",
      u->host_name().empty() ? std::string(u->host_address()) : std::string(u->host_name()));
  add("port", std::string(u->port()));
  add("user", u->user());
  add("password", u->password());
  std::string path = u->path();
  add("dbname", path.size() > 1 ? path.substr(1) : "");
  for (auto p : u->params()) add(std::string(p.key).c_str(), p.value);
  return ci;
}

Database::~Database() {
  caches_.clear();  // statements go before their sessions
}

std::unique_ptr<soci::session> Database::connect() {
  auto s = std::make_unique<soci::session>();
  if (dialect_ == Dialect::sqlite) {
    s->open(soci::sqlite3, connect_string_);
    *s << "PRAGMA journal_mode=WAL";
    *s << "PRAGMA synchronous=NORMAL";
    *s << "PRAGMA foreign_keys=ON";
    *s << "PRAGMA busy_timeout=10000";
  } else {
    s->open(soci::postgresql, connect_string_);
  }
  return s;
}

std::unique_ptr<Database> Database::open(const std::string& url, int readers) {
  // SQLite's allocation statistics take a global lock on every malloc; we never read them.
  // Only possible before SQLite initialises, i.e. before the first connection of the process.
  static std::once_flag memstatus_off;
  std::call_once(memstatus_off, [] { sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  std::unique_ptr<Database> db(new Database());
  db->url_ = url;
  if (url.starts_with("sqlite:")) {
    db->dialect_ = Dialect::sqlite;
    std::string path = url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);
    if (path.empty()) throw std::runtime_error("sqlite: URL needs a file path");
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    db->connect_string_ = "db=" + path + " timeout=10";
    db->all_.push_back(db->connect());
    db->caches_.push_back(std::make_unique<StatementCache>());
    db->writer_ = db->all_.back().get();
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    db->dialect_ = Dialect::postgresql;
    db->connect_string_ = postgres_conninfo(url);
    db->listen_conninfo_ = db->connect_string_;
  } else {
    throw std::runtime_error("unsupported database URL (use sqlite:PATH or postgresql://...)");
  }
  for (int i = 0; i < std::max(1, readers); ++i) {
    db->all_.push_back(db->connect());
    db->caches_.push_back(std::make_unique<StatementCache>());
    db->free_readers_.push_back(db->all_.back().get());
  }
  return db;
}

Database::Lease Database::lease(bool writer) {
  std::unique_lock lock(mu_);
  if (writer && writer_) {
    cv_.wait(lock, [&] { return !writer_busy_; });
    writer_busy_ = true;
    ++in_use_;
    return Lease(this, writer_, true);
  }
  cv_.wait(lock, [&] { return !free_readers_.empty(); });
  auto* s = free_readers_.back();
  free_readers_.pop_back();
  ++in_use_;
  return Lease(this, s, false);
}

void Database::release(soci::session* s, bool writer) {
  {
    std::lock_guard lock(mu_);
    --in_use_;
    if (writer && s == writer_) {
      writer_busy_ = false;
    } else {
      free_readers_.push_back(s);
    }
  }
  cv_.notify_all();
}

void Database::begin(soci::session& s) {
  s << (dialect_ == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}
void Database::commit(soci::session& s) {
  s << "COMMIT";
}
void Database::rollback(soci::session& s) {
  try {
    s << "ROLLBACK";
  } catch (...) {
    // The transaction is already gone (e.g. the connection broke); nothing to undo.
  }
}

StatementCache& Database::cache_of(soci::session* s) {
  // The pool is fixed after open(), so the lookup needs no lock.
  for (std::size_t i = 0; i < all_.size(); ++i)
    if (all_[i].get() == s) return *caches_[i];
  throw std::logic_error("a session that is not in the pool");
}

void Database::recover(soci::session& s) {
  if (dialect_ != Dialect::postgresql || s.is_connected()) return;
  try {
    cache_of(&s).clear();  // the server forgot our prepared statements
    s.reconnect();
  } catch (...) {
    // Still down: the next request tries again.
  }
}

int Database::pool_size() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(all_.size());
}
int Database::pool_in_use() const {
  std::lock_guard lock(mu_);
  return in_use_;
}

std::vector<Row> newest_first(Tx& tx, std::string_view columns, std::string_view table,
                              const std::optional<std::string>& status,
                              std::optional<std::int64_t> before, int limit) {
  std::string sql = "SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE 1=1";
  std::vector<Value> p;
  if (status) {
    sql += " AND status = ?";
    p.push_back(*status);
  }
  if (before) {
    sql += " AND id < ?";
    p.push_back(*before);
  }
  sql += " ORDER BY id DESC LIMIT " + std::to_string(limit);
  return tx.query(sql, p);
}

}  // namespace ratusha::store
