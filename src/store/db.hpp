#pragma once
// The SQL layer: one small facade over SOCI for SQLite (default) and PostgreSQL.
// Writes run in one transaction each (SQLite: BEGIN IMMEDIATE on the single writer).
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace soci {
class session;
}

namespace ratusha::store {

class StatementCache;  // prepared statements of one connection (db.cpp)

enum class Dialect { sqlite, postgresql };

using Value = std::variant<std::nullptr_t, std::int64_t, std::string>;

// Makes an optional into a bindable value (NULL when empty).
inline Value opt(const std::optional<std::string>& s) {
  return s ? Value(*s) : Value(nullptr);
}
inline Value opt(const std::optional<std::int64_t>& n) {
  return n ? Value(*n) : Value(nullptr);
}

class Row {
 public:
  explicit Row(std::vector<Value> cols) : cols_(std::move(cols)) {}
  std::size_t size() const { return cols_.size(); }
  bool is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(cols_.at(i)); }
  std::int64_t int64(std::size_t i) const;
  std::string text(std::size_t i) const;
  std::optional<std::int64_t> opt_int64(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;

 private:
  std::vector<Value> cols_;
};

class Tx {
 public:
  Tx(soci::session& s, Dialect d, StatementCache& cache) : s_(s), d_(d), cache_(cache) {}
  // SQL uses ? placeholders; they are bound in order.
  std::vector<Row> query(std::string_view sql, const std::vector<Value>& params = {});
  std::optional<Row> one(std::string_view sql, const std::vector<Value>& params = {});
  // Returns the number of rows changed.
  std::int64_t exec(std::string_view sql, const std::vector<Value>& params = {});
  // INSERT ... returning the new row's id (the SQL must not end in RETURNING itself).
  std::int64_t insert(std::string_view sql, const std::vector<Value>& params = {});
  Dialect dialect() const { return d_; }
  soci::session& session() { return s_; }
  // Runs after a successful commit (publishing events, waking job runners).
  void on_commit(std::function<void()> f) { after_commit_.push_back(std::move(f)); }
  void run_after_commit() {
    for (auto& f : after_commit_) f();
    after_commit_.clear();
  }

 private:
  soci::session& s_;
  Dialect d_;
  StatementCache& cache_;
  std::vector<std::function<void()>> after_commit_;
};

class Database {
 public:
  // url: "sqlite:PATH" or "postgresql://...". readers: size of the read pool.
  static std::unique_ptr<Database> open(const std::string& url, int readers);
  ~Database();

  Dialect dialect() const { return dialect_; }
  const std::string& url() const { return url_; }
  // libpq connection string (PostgreSQL only), e.g. for LISTEN on a dedicated connection.
  const std::string& conninfo() const { return listen_conninfo_; }

  template <class F>
  auto read(F&& f) {
    Lease l = lease(false);
    Tx tx(*l.session, dialect_, cache_of(l.session));
    try {
      return f(tx);
    } catch (...) {
      recover(*l.session);
      throw;
    }
  }

  // Runs f in one transaction; commits when it returns, rolls back when it throws.
  template <class F>
  auto write(F&& f) {
    Lease l = lease(true);
    Tx tx(*l.session, dialect_, cache_of(l.session));
    begin(*l.session);
    try {
      if constexpr (std::is_void_v<decltype(f(tx))>) {
        f(tx);
        commit(*l.session);
        tx.run_after_commit();
      } else {
        auto r = f(tx);
        commit(*l.session);
        tx.run_after_commit();
        return r;
      }
    } catch (...) {
      rollback(*l.session);
      recover(*l.session);
      throw;
    }
  }

  // Pool statistics for /metrics.
  int pool_size() const;
  int pool_in_use() const;

 private:
  struct Lease {
    Database* db;
    soci::session* session;
    bool writer;
    Lease(Database* d, soci::session* s, bool w) : db(d), session(s), writer(w) {}
    Lease(const Lease&) = delete;
    ~Lease() { db->release(session, writer); }
  };
  Database() = default;
  Lease lease(bool writer);
  void release(soci::session* s, bool writer);
  void begin(soci::session& s);
  void commit(soci::session& s);
  void rollback(soci::session& s);
  // After a failure: a PostgreSQL connection that broke (server restart) is opened again, so
  // one failed request does not poison the pool.
  void recover(soci::session& s);
  std::unique_ptr<soci::session> connect();
  StatementCache& cache_of(soci::session* s);

  Dialect dialect_ = Dialect::sqlite;
  std::string url_;
  std::string connect_string_;
  std::string listen_conninfo_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<soci::session>> all_;
  std::vector<std::unique_ptr<StatementCache>> caches_;  // one per connection, same order
  std::vector<soci::session*> free_readers_;
  soci::session* writer_ = nullptr;  // SQLite only: the one writer
  bool writer_busy_ = false;
  int in_use_ = 0;
};

std::string postgres_conninfo(const std::string& url);

// The page of an admin list: `SELECT columns FROM table`, optionally only one status, before an
// id cursor, newest first.
std::vector<Row> newest_first(Tx& tx, std::string_view columns, std::string_view table,
                              const std::optional<std::string>& status,
                              std::optional<std::int64_t> before, int limit);

// Translates ? placeholders into SOCI's :pN, leaving quoted text alone.
std::string bind_placeholders(std::string_view sql);

}  // namespace ratusha::store
