#include "store/db.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <boost/url/parse.hpp>
#include <filesystem>

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

namespace {

// Binding storage that outlives the statement's execution.
struct Binder {
  std::vector<long long> ints;
  std::vector<std::string> texts;
  std::vector<soci::indicator> inds;
  explicit Binder(std::size_t n) {
    ints.reserve(n);
    texts.reserve(n);
    inds.reserve(n);
  }
  void bind(soci::statement& st, const std::vector<Value>& params) {
    for (const auto& v : params) {
      if (auto p = std::get_if<std::int64_t>(&v)) {
        ints.push_back(*p);
        st.exchange(soci::use(ints.back()));
      } else if (auto s = std::get_if<std::string>(&v)) {
        texts.push_back(*s);
        st.exchange(soci::use(texts.back()));
      } else {
        texts.emplace_back();
        inds.push_back(soci::i_null);
        st.exchange(soci::use(texts.back(), inds.back()));
      }
    }
  }
};

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

std::vector<Row> Tx::query(std::string_view sql, const std::vector<Value>& params) {
  std::vector<Row> rows;
  soci::statement st(s_);
  Binder b(params.size());
  b.bind(st, params);
  soci::row r;
  st.exchange(soci::into(r));
  st.alloc();
  st.prepare(bind_placeholders(sql));
  st.define_and_bind();
  bool got = st.execute(true);
  while (got) {
    std::vector<Value> cols;
    cols.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) cols.push_back(column(r, i));
    rows.emplace_back(std::move(cols));
    got = st.fetch();
  }
  return rows;
}

std::optional<Row> Tx::one(std::string_view sql, const std::vector<Value>& params) {
  auto rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t Tx::exec(std::string_view sql, const std::vector<Value>& params) {
  soci::statement st(s_);
  Binder b(params.size());
  b.bind(st, params);
  st.alloc();
  st.prepare(bind_placeholders(sql));
  st.define_and_bind();
  st.execute(true);
  return st.get_affected_rows();
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

Database::~Database() = default;

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

void Database::recover(soci::session& s) {
  if (dialect_ != Dialect::postgresql || s.is_connected()) return;
  try {
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

}  // namespace ratusha::store
