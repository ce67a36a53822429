#include "identity/service.hpp"

#include <sstream>

#include "core/csv.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "identity/rules.hpp"
#include "security/access_code.hpp"
#include "security/crypto.hpp"
#include "security/password.hpp"
#include "security/totp.hpp"

namespace ratusha::identity {

using store::Tx;

namespace {

Error login_failed() {
  return Error(ErrorKind::unauthenticated, "login-failed",
               "The access code, password or authentication code is not right.");
}

Error activation_invalid() {
  return Error(ErrorKind::bad_request, "activation-invalid",
               "The activation secret is wrong, already used or expired.");
}

Error rate_limited(std::int64_t retry_after) {
  Error e(ErrorKind::too_many_requests, "rate-limited",
          "Too many failed attempts. Wait a while before trying again.");
  e.retry_after = static_cast<int>(retry_after);
  return e;
}

// A hash to verify against when the code is unknown, so both cases take the same time.
const std::string& dummy_hash() {
  static const std::string h = security::hash_password(security::random_token(16));
  return h;
}

std::string display_code(const std::optional<std::string>& normalized, const std::string& raw) {
  if (normalized) return *normalized;
  std::string s = raw.substr(0, 40);
  for (auto& c : s)
    if (static_cast<unsigned char>(c) < 0x20) c = '?';
  return s;
}

std::vector<std::string> personal_words(const Person& p) {
  std::vector<std::string> words;
  std::istringstream in(p.display_name);
  for (std::string w; in >> w;) words.push_back(w);
  words.push_back(p.access_code);
  std::string compact;
  for (char c : p.access_code)
    if (c != '-') compact += c;
  words.push_back(compact);
  if (p.email) words.push_back(p.email->substr(0, p.email->find('@')));
  return words;
}

json::array roles_json(const std::vector<RoleAssignment>& roles) {
  json::array a;
  for (const auto& r : roles)
    a.push_back(json::object{
        {"role", r.role}, {"scope_kind", r.scope_kind}, {"scope_id", nullable_id(r.scope_id)}});
  return a;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return out;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

}  // namespace

json::object person_json(const Person& p, const std::set<std::string>* permissions) {
  json::object o;
  o["id"] = id_string(p.id);
  o["access_code"] = p.access_code;
  o["display_name"] = p.display_name;
  o["email"] = nullable(p.email);
  o["kind"] = p.kind;
  o["unit_id"] = nullable_id(p.unit_id);
  o["unit_name"] = nullable(p.unit_name);
  o["locale"] = p.locale;
  o["status"] = p.status;
  o["totp_enabled"] = p.totp_enabled;
  o["roles"] = roles_json(p.roles);
  json::array perms;
  if (permissions)
    for (const auto& x : *permissions) perms.push_back(json::value(x));
  o["permissions"] = std::move(perms);
  o["created_at"] = rfc3339(p.created_at);
  return o;
}

json::object session_json(const Principal& who, const Person& p) {
  json::object o;
  o["person"] = person_json(p, &who.permissions);
  o["csrf_token"] = who.csrf_token;
  o["idle_expires_at"] = rfc3339(who.idle_expires_at);
  o["absolute_expires_at"] = rfc3339(who.absolute_expires_at);
  o["totp_enrolment_required"] = who.totp_enrolment_required;
  return o;
}

IdentityService::IdentityService(store::Database& db, audit::AuditLog& audit, events::Bus& bus,
                                 IdentityOptions opts)
    : db_(db), audit_(audit), bus_(bus), opts_(std::move(opts)) {
  bus_.add_listener([this](const std::string& topic) {
    for (std::string_view prefix : {"access:", "person-changed:"}) {
      if (!topic.starts_with(prefix)) continue;
      try {
        forget_person(std::stoll(topic.substr(prefix.size())));
      } catch (const std::exception&) {
        // Not a person id: nothing of ours to drop.
      }
    }
  });
}

void IdentityService::forget_person(std::int64_t person_id) {
  std::lock_guard lock(cache_mu_);
  std::erase_if(sessions_, [&](const auto& kv) { return kv.second.row.person_id == person_id; });
}

void IdentityService::announce_person_change(Tx& tx, std::int64_t person_id) {
  bus_.publish(tx, events::person_changed_topic(person_id), "person.changed", json::object{});
}

std::optional<std::set<std::string>> IdentityService::cached_required_roles() {
  std::lock_guard lock(cache_mu_);
  if (std::chrono::steady_clock::now() - totp_roles_loaded_ < std::chrono::seconds(kCacheSeconds))
    return totp_roles_;
  return std::nullopt;
}

std::set<std::string> IdentityService::required_roles(Tx& tx) {
  if (auto cached = cached_required_roles()) return *cached;
  auto now = std::chrono::steady_clock::now();
  auto parts = split_commas(db::setting(tx, "totp_required_roles").value_or(""));
  std::set<std::string> roles(parts.begin(), parts.end());
  std::lock_guard lock(cache_mu_);
  totp_roles_ = roles;
  totp_roles_loaded_ = now;
  return roles;
}

std::string IdentityService::csrf_for(const std::string& session_token) const {
  return security::base64url(security::hmac_sha256(opts_.csrf_key, session_token)).substr(0, 32);
}

std::set<std::string> IdentityService::totp_required_roles() {
  return db_.read([&](Tx& tx) { return required_roles(tx); });
}

void IdentityService::announce_access_change(Tx& tx, std::int64_t person_id) {
  bus_.publish(tx, events::access_topic(person_id), "access.changed", json::object{});
}

void IdentityService::require(const Principal& who, const std::string& permission) {
  if (!who.can(permission)) throw forbidden();
}

Principal IdentityService::principal_for(const Person& p, const std::set<std::string>& totp_roles,
                                         std::int64_t session_id, std::int64_t last_seen,
                                         std::int64_t absolute) {
  Principal who;
  who.person_id = p.id;
  who.display_name = p.display_name;
  who.roles = p.roles;
  who.self = p;
  who.session_id = session_id;
  who.totp_enrolment_required = !p.totp_enabled && totp_required(p.roles, totp_roles);
  // Until a required second factor is set up, the person may only look after their own account.
  if (!who.totp_enrolment_required) who.permissions = permissions_for(p.roles);
  who.idle_expires_at = std::min(last_seen + opts_.idle_timeout, absolute);
  who.absolute_expires_at = absolute;
  return who;
}

std::optional<Principal> IdentityService::principal_of(std::int64_t person_id) {
  return db_.read([&](Tx& tx) -> std::optional<Principal> {
    auto p = db::person(tx, person_id);
    if (!p || p->status == "disabled") return std::nullopt;
    auto who = principal_for(*p, required_roles(tx), 0, now_seconds(), now_seconds() + 60);
    who.address = "server";
    return who;
  });
}

LoginResult IdentityService::open_session(Tx& tx, const Person& p, const std::string& address,
                                          const std::string& user_agent,
                                          std::optional<std::int64_t> until) {
  auto now = now_seconds();
  std::string token = security::random_token(32);
  std::int64_t absolute = std::min(now + opts_.absolute_timeout, until.value_or(INT64_MAX));
  std::int64_t sid = tx.insert(
      "INSERT INTO sessions (person_id, token_hash, created_at, last_seen_at, absolute_expires_at, "
      "user_agent, address) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {p.id, security::sha256_hex(token), now, now, absolute, user_agent.substr(0, 300), address});
  LoginResult r{principal_for(p, required_roles(tx), sid, now, absolute), token};
  r.principal.address = address;
  r.principal.csrf_token = csrf_for(token);
  return r;
}

LoginResult IdentityService::login(const std::string& code_in, const std::string& password,
                                   const std::optional<std::string>& totp,
                                   const std::string& address, const std::string& user_agent) {
  auto now = now_seconds();
  auto normalized = security::normalize_access_code(code_in);
  std::string code = display_code(normalized, code_in);
  auto [by_code, by_address] = db_.read([&](Tx& tx) {
    return std::pair{db::recent_failures_by_code(tx, code, now - opts_.failure_window),
                     db::recent_failures_by_address(tx, address, now - opts_.failure_window)};
  });
  if (by_code >= opts_.max_failures_per_code || by_address >= opts_.max_failures_per_address)
    throw rate_limited(opts_.failure_window);

  std::optional<db::Credentials> cred;
  if (normalized) cred = db_.read([&](Tx& tx) { return db::credentials_by_code(tx, code); });
  bool ok = false;
  if (cred && cred->password_hash) {
    ok = security::verify_password(*cred->password_hash, password);
  } else {
    security::verify_password(dummy_hash(), password);
  }
  std::string reason = ok ? "" : "password";
  if (ok && cred->person.status != "active") {
    ok = false;
    reason = "status:" + cred->person.status;
  }
  if (ok && cred->totp_secret && (!totp || totp->empty())) {
    throw Error(ErrorKind::unauthenticated, "totp-required",
                "Enter the code from your authenticator app.");
  }

  auto record_failure = [&](const std::string& why) {
    db_.write([&](Tx& tx) {
      db::record_attempt(tx, code, address, false, now);
      // The caller is unknown: the person whose code was tried is the target, not the actor.
      audit_.append(tx, {std::nullopt, "anonymous", address}, "session.login_failed",
                    cred ? "person:" + id_string(cred->person.id) : "access_code:" + code,
                    {{"access_code", code}, {"reason", why}});
    });
  };
  if (!ok) {
    record_failure(reason);
    throw login_failed();
  }

  std::optional<LoginResult> result;
  std::string failure;
  db_.write([&](Tx& tx) {
    if (cred->totp_secret) {
      auto secret = security::base32_decode(
                        security::unseal(opts_.sealing_key, *cred->totp_secret).value_or(""))
                        .value_or("");
      auto step = security::totp_verify(secret, *totp, now, cred->totp_last_step);
      bool second_ok = false;
      if (step) {
        // The step only moves forward: the same code cannot be used twice.
        second_ok =
            tx.exec("UPDATE people SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
                    {*step, cred->person.id, *step}) == 1;
      } else {
        std::string rc = normalize_activation_secret(*totp);
        second_ok = tx.exec(
                        "UPDATE recovery_codes SET used_at = ? WHERE person_id = ? AND "
                        "code_hash = ? AND used_at IS NULL",
                        {now, cred->person.id, security::sha256_hex(rc)}) == 1;
        if (second_ok)
          audit_.append(tx, {cred->person.id, cred->person.display_name, address},
                        "person.recovery_code_used", "person:" + id_string(cred->person.id));
      }
      if (!second_ok) {
        failure = "totp";
        return;
      }
    }
    db::record_attempt(tx, code, address, true, now);
    result = open_session(tx, cred->person, address, user_agent);
    audit_.append(tx, {cred->person.id, cred->person.display_name, address}, "session.login",
                  "person:" + id_string(cred->person.id),
                  {{"session_id", id_string(result->principal.session_id)}});
  });
  if (!result) {
    record_failure(failure);
    throw login_failed();
  }
  return *result;
}

LoginResult IdentityService::activate(const std::string& code_in, const std::string& secret,
                                      const std::string& password, const std::string& address,
                                      const std::string& user_agent) {
  auto now = now_seconds();
  auto normalized = security::normalize_access_code(code_in);
  std::string code = display_code(normalized, code_in);
  auto by_code = db_.read(
      [&](Tx& tx) { return db::recent_failures_by_code(tx, code, now - opts_.failure_window); });
  if (by_code >= opts_.max_failures_per_code) throw rate_limited(opts_.failure_window);
  std::optional<db::Credentials> cred;
  if (normalized) cred = db_.read([&](Tx& tx) { return db::credentials_by_code(tx, code); });
  std::string secret_hash = security::sha256_hex(normalize_activation_secret(secret));
  bool ok = cred && cred->activation_hash && cred->person.status == "pending" &&
            cred->activation_expires_at && *cred->activation_expires_at > now &&
            security::constant_time_equal(*cred->activation_hash, secret_hash);
  if (!ok) {
    db_.write([&](Tx& tx) {
      db::record_attempt(tx, code, address, false, now);
      audit_.append(tx, {std::nullopt, "anonymous", address}, "person.activation_failed",
                    cred ? "person:" + id_string(cred->person.id) : "access_code:" + code,
                    {{"access_code", code}});
    });
    throw activation_invalid();
  }
  if (auto problem = security::check_password_policy(password, personal_words(cred->person)))
    throw field_error("password", *problem,
                      "Choose another password (at least 12 characters, "
                      "not a common one, not your name or code).");
  std::string hash = security::hash_password(password);
  std::optional<LoginResult> result;
  db_.write([&](Tx& tx) {
    // Only the first of two concurrent activations wins.
    if (tx.exec("UPDATE people SET password_hash = ?, activation_hash = NULL, "
                "activation_expires_at = NULL, status = 'active', updated_at = ? WHERE id = ? AND "
                "activation_hash = ? AND status = 'pending'",
                {hash, now, cred->person.id, secret_hash}) != 1)
      return;
    cred->person.status = "active";
    db::record_attempt(tx, code, address, true, now);
    result = open_session(tx, cred->person, address, user_agent);
    audit_.append(tx, {cred->person.id, cred->person.display_name, address}, "person.activated",
                  "person:" + id_string(cred->person.id));
  });
  if (!result) throw activation_invalid();
  return *result;
}

std::optional<Principal> IdentityService::authenticate_session(const std::string& token,
                                                               bool touch) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  auto now = now_seconds();
  auto hash = security::sha256_hex(token);
  auto usable = [&](const db::SessionRow& s) {
    return s.person_status == "active" && s.absolute_expires_at > now &&
           s.last_seen_at + opts_.idle_timeout > now;
  };
  std::optional<CachedSession> found;
  {
    std::lock_guard lock(cache_mu_);
    auto it = sessions_.find(hash);
    if (it != sessions_.end() &&
        std::chrono::steady_clock::now() - it->second.loaded <
            std::chrono::seconds(kCacheSeconds) &&
        usable(it->second.row))
      found = it->second;
  }
  std::set<std::string> totp_roles;
  if (!found) {
    // Not cached, stale, or looking expired: the database decides.
    found = db_.read([&](Tx& tx) -> std::optional<CachedSession> {
      totp_roles = required_roles(tx);
      auto s = db::session_by_hash(tx, hash);
      if (!s || !usable(*s)) return std::nullopt;
      auto p = db::person(tx, s->person_id);
      if (!p) return std::nullopt;
      return CachedSession{*s, *p, std::chrono::steady_clock::now()};
    });
    std::lock_guard lock(cache_mu_);
    if (!found) {
      sessions_.erase(hash);
      return std::nullopt;
    }
    if (sessions_.size() >= 100000) sessions_.clear();  // bounded
    sessions_[hash] = *found;
  } else if (auto cached = cached_required_roles()) {
    totp_roles = *cached;
  } else {
    totp_roles = db_.read([&](Tx& tx) { return required_roles(tx); });
  }
  auto& s = found->row;
  // Activity is written at most every 15 s (less with short idle timeouts), so reads stay reads.
  if (touch && now - s.last_seen_at >= std::min<std::int64_t>(15, opts_.idle_timeout / 8)) {
    db_.write([&](Tx& tx) {
      tx.exec("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?",
              {now, s.id, now});
    });
    s.last_seen_at = now;
    std::lock_guard lock(cache_mu_);
    if (auto it = sessions_.find(hash); it != sessions_.end()) it->second.row.last_seen_at = now;
  }
  Principal who =
      principal_for(found->person, totp_roles, s.id, s.last_seen_at, s.absolute_expires_at);
  who.csrf_token = csrf_for(token);
  return who;
}

std::optional<Principal> IdentityService::authenticate_token(const std::string& token) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  auto now = now_seconds();
  auto hash = security::sha256_hex(token);
  std::int64_t last_used = 0;
  auto who = db_.read([&](Tx& tx) -> std::optional<Principal> {
    auto r = tx.one(
        "SELECT t.id, t.owner_id, t.scopes, t.last_used_at FROM api_tokens t JOIN people p ON "
        "p.id = t.owner_id WHERE t.token_hash = ? AND t.revoked_at IS NULL AND (t.expires_at IS "
        "NULL OR t.expires_at > ?) AND p.status = 'active'",
        {hash, now});
    if (!r) return std::nullopt;
    auto p = db::person(tx, r->int64(1));
    if (!p) return std::nullopt;
    Principal machine;
    machine.person_id = p->id;
    machine.display_name = p->display_name;
    machine.roles = p->roles;
    machine.self = *p;
    machine.token_id = r->int64(0);
    last_used = r->opt_int64(3).value_or(0);
    // A token can do what its scopes say, and never more than its owner can.
    auto owner = permissions_for(p->roles);
    for (const auto& s : split_commas(r->text(2)))
      if (owner.count(s)) machine.permissions.insert(s);
    return machine;
  });
  // Last use is written at most once a minute, so machine traffic stays reads.
  if (who && now - last_used >= 60) {
    db_.write([&](Tx& tx) {
      tx.exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now, who->token_id});
    });
  }
  return who;
}

Principal IdentityService::extend(const Principal& who) {
  auto now = now_seconds();
  db_.write([&](Tx& tx) {
    tx.exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {now, who.session_id});
  });
  {
    std::lock_guard lock(cache_mu_);
    for (auto& [h, c] : sessions_)
      if (c.row.id == who.session_id) c.row.last_seen_at = now;
  }
  Principal out = who;
  out.idle_expires_at = std::min(now + opts_.idle_timeout, who.absolute_expires_at);
  return out;
}

void IdentityService::logout(const Principal& who) {
  db_.write([&](Tx& tx) {
    tx.exec("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
            {now_seconds(), who.session_id});
    audit_.append(tx, actor(who), "session.logout", "person:" + id_string(who.person_id),
                  {{"session_id", id_string(who.session_id)}});
    announce_access_change(tx, who.person_id);
  });
}

Person IdentityService::me(const Principal& who) {
  auto p = db_.read([&](Tx& tx) { return db::person(tx, who.person_id); });
  if (!p) throw not_found();
  return *p;
}

Person IdentityService::update_me(const Principal& who, std::optional<std::string> display_name,
                                  std::optional<std::string> locale) {
  if (locale && !one_of(*locale, kLocales))
    throw field_error("locale", "invalid", "Choose bg, pl or en.");
  return db_.write([&](Tx& tx) {
    json::object changed;
    if (display_name) {
      tx.exec("UPDATE people SET display_name = ?, updated_at = ? WHERE id = ?",
              {*display_name, now_seconds(), who.person_id});
      changed["display_name"] = *display_name;
      db::refresh_search_key(tx, who.person_id);
    }
    if (locale) {
      tx.exec("UPDATE people SET locale = ?, updated_at = ? WHERE id = ?",
              {*locale, now_seconds(), who.person_id});
      changed["locale"] = *locale;
    }
    if (!changed.empty()) {
      audit_.append(tx, actor(who), "person.updated", "person:" + id_string(who.person_id),
                    changed);
      // Their name is shown and kept elsewhere (sessions, meeting lists on every node).
      announce_person_change(tx, who.person_id);
    }
    return *db::person(tx, who.person_id);
  });
}

void IdentityService::change_password(const Principal& who, const std::string& current,
                                      const std::string& next) {
  auto cred = db_.read([&](Tx& tx) { return db::credentials_by_id(tx, who.person_id); });
  if (!cred || !cred->password_hash || !security::verify_password(*cred->password_hash, current))
    throw field_error("current_password", "wrong", "The current password is not right.");
  if (auto problem = security::check_password_policy(next, personal_words(cred->person)))
    throw field_error("new_password", *problem, "Choose another password.");
  std::string hash = security::hash_password(next);
  db_.write([&](Tx& tx) {
    auto now = now_seconds();
    tx.exec("UPDATE people SET password_hash = ?, updated_at = ? WHERE id = ?",
            {hash, now, who.person_id});
    // Other sessions end: a changed password locks out whoever else was logged in.
    tx.exec("UPDATE sessions SET ended_at = ? WHERE person_id = ? AND id <> ? AND ended_at IS NULL",
            {now, who.person_id, who.session_id});
    audit_.append(tx, actor(who), "person.password_changed", "person:" + id_string(who.person_id));
    announce_access_change(tx, who.person_id);
  });
}

TotpEnrolment IdentityService::begin_totp(const Principal& who) {
  auto p = me(who);
  if (p.totp_enabled)
    throw Error(ErrorKind::conflict, "conflict", "Two-factor authentication is already on.");
  std::string secret = security::random_bytes(20);
  std::string b32 = security::base32(secret);
  db_.write([&](Tx& tx) {
    tx.exec("UPDATE people SET totp_pending_secret = ? WHERE id = ?",
            {security::seal(opts_.sealing_key, b32), who.person_id});
  });
  std::string uri = security::totp_uri(opts_.issuer, p.access_code, secret);
  return {b32, uri, security::qr_svg(uri)};
}

std::vector<std::string> IdentityService::confirm_totp(const Principal& who,
                                                       const std::string& code) {
  auto cred = db_.read([&](Tx& tx) { return db::credentials_by_id(tx, who.person_id); });
  if (!cred || !cred->totp_pending_secret)
    throw Error(ErrorKind::conflict, "conflict", "Start the set-up first.");
  auto secret = security::base32_decode(
                    security::unseal(opts_.sealing_key, *cred->totp_pending_secret).value_or(""))
                    .value_or("");
  auto step = security::totp_verify(secret, code, now_seconds(), 0);
  if (!step)
    throw field_error("code", "wrong", "The code does not match. Check the phone's clock.");
  std::vector<std::string> codes;
  for (int i = 0; i < 10; ++i) {
    std::string c = generate_activation_secret().substr(0, 9);  // XXXX-XXXX
    codes.push_back(c);
  }
  db_.write([&](Tx& tx) {
    tx.exec(
        "UPDATE people SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, "
        "totp_last_step = ?, updated_at = ? WHERE id = ?",
        {*step, now_seconds(), who.person_id});
    tx.exec("DELETE FROM recovery_codes WHERE person_id = ?", {who.person_id});
    for (const auto& c : codes)
      tx.exec("INSERT INTO recovery_codes (person_id, code_hash) VALUES (?, ?)",
              {who.person_id, security::sha256_hex(normalize_activation_secret(c))});
    audit_.append(tx, actor(who), "person.totp_enabled", "person:" + id_string(who.person_id));
    announce_person_change(tx, who.person_id);
  });
  return codes;
}

void IdentityService::disable_totp(const Principal& who, const std::string& password) {
  auto cred = db_.read([&](Tx& tx) { return db::credentials_by_id(tx, who.person_id); });
  if (!cred || !cred->password_hash || !security::verify_password(*cred->password_hash, password))
    throw field_error("password", "wrong", "The password is not right.");
  if (totp_required(cred->person.roles, totp_required_roles()))
    throw forbidden("Your role requires two-factor authentication.");
  db_.write([&](Tx& tx) {
    tx.exec(
        "UPDATE people SET totp_secret = NULL, totp_pending_secret = NULL, updated_at = ? "
        "WHERE id = ?",
        {now_seconds(), who.person_id});
    tx.exec("DELETE FROM recovery_codes WHERE person_id = ?", {who.person_id});
    audit_.append(tx, actor(who), "person.totp_disabled", "person:" + id_string(who.person_id));
    announce_person_change(tx, who.person_id);
  });
}

std::vector<db::SessionRow> IdentityService::sessions(const Principal& who) {
  auto now = now_seconds();
  return db_.read(
      [&](Tx& tx) { return db::live_sessions(tx, who.person_id, now - opts_.idle_timeout, now); });
}

void IdentityService::end_session(const Principal& who, std::int64_t session_id) {
  db_.write([&](Tx& tx) {
    if (tx.exec(
            "UPDATE sessions SET ended_at = ? WHERE id = ? AND person_id = ? AND ended_at IS NULL",
            {now_seconds(), session_id, who.person_id}) != 1)
      throw not_found();
    audit_.append(tx, actor(who), "session.ended", "person:" + id_string(who.person_id),
                  {{"session_id", id_string(session_id)}});
    announce_access_change(tx, who.person_id);
  });
}

void IdentityService::end_all_sessions(const Principal& who) {
  db_.write([&](Tx& tx) {
    auto n = db::end_sessions(tx, who.person_id, now_seconds());
    audit_.append(tx, actor(who), "person.sessions_ended", "person:" + id_string(who.person_id),
                  {{"count", n}});
    announce_access_change(tx, who.person_id);
  });
}

// ---------------- people ----------------

std::vector<Person> IdentityService::list_people(const Principal& who, db::PeopleFilter f) {
  if (!who.can("people.read")) throw forbidden();
  return db_.read([&](Tx& tx) { return db::people(tx, f); });
}

Person IdentityService::get_person(const Principal& who, std::int64_t id) {
  if (!who.can("people.read") && who.person_id != id) throw not_found();
  auto p = db_.read([&](Tx& tx) { return db::person(tx, id); });
  if (!p) throw not_found();
  return *p;
}

void IdentityService::validate_new_person(Tx& tx, const NewPerson& p,
                                          std::vector<FieldError>& errors,
                                          const std::string& prefix, long row) {
  auto err = [&](std::string field, std::string code, std::string msg) {
    errors.push_back({prefix + field, std::move(code), std::move(msg), row});
  };
  if (p.display_name.empty()) err("display_name", "required", "A name is required.");
  if (utf8_length(p.display_name) > 200) err("display_name", "too_long", "At most 200 characters.");
  if (!one_of(p.kind, kKinds)) err("kind", "invalid", "Choose employee, councillor or guest.");
  if (!one_of(p.locale, kLocales)) err("locale", "invalid", "Choose bg, pl or en.");
  if (p.email) {
    if (!plausible_email(*p.email))
      err("email", "invalid", "This is not an e-mail address.");
    else if (db::email_taken(tx, *p.email, 0))
      err("email", "taken", "Someone already has this e-mail.");
  }
  if (p.unit_id && !db::unit(tx, *p.unit_id)) err("unit_id", "not_found", "No such unit.");
  for (std::size_t i = 0; i < p.roles.size(); ++i) {
    const auto& r = p.roles[i];
    std::string f = "roles[" + std::to_string(i) + "]";
    if (!one_of(r.role, kRoles)) err(f + ".role", "invalid", "Unknown role.");
    if (!one_of(r.scope_kind, kScopeKinds)) err(f + ".scope_kind", "invalid", "Unknown scope.");
    if (r.scope_kind != "organisation") {
      if (!r.scope_id || !db::unit(tx, *r.scope_id))
        err(f + ".scope_id", "not_found", "The scope must name an existing unit or body.");
    }
  }
}

IssuedCode IdentityService::insert_person(Tx& tx, const audit::Actor& who, const NewPerson& p) {
  auto now = now_seconds();
  std::string code;
  do {
    code = security::generate_access_code(opts_.code_prefix);
  } while (db::code_taken(tx, code));
  std::string secret = generate_activation_secret();
  std::int64_t id = tx.insert(
      "INSERT INTO people (access_code, display_name, email, kind, unit_id, locale, status, "
      "activation_hash, activation_expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
      "'pending', ?, ?, ?, ?)",
      {code, p.display_name,
       store::opt(p.email ? std::optional(fold_case(*p.email)) : std::nullopt), p.kind,
       store::opt(p.unit_id), p.locale, security::sha256_hex(normalize_activation_secret(secret)),
       now + opts_.activation_validity, now, now});
  std::vector<RoleAssignment> roles = p.roles;
  if (roles.empty()) roles.push_back({p.kind == "guest" ? "guest" : p.kind, "organisation", {}});
  db::set_roles(tx, id, roles);
  db::refresh_search_key(tx, id);
  audit_.append(tx, who, "person.created", "person:" + id_string(id),
                {{"display_name", p.display_name},
                 {"kind", p.kind},
                 {"access_code", code},
                 {"roles", roles_json(roles)}});
  bus_.publish(tx, "people", "person.created", json::object{{"id", id_string(id)}});
  return {*db::person(tx, id), code, secret};
}

std::int64_t IdentityService::ensure_guest(Tx& tx, const audit::Actor& by, const std::string& email,
                                           const std::string& display_name) {
  auto folded = fold_case(email);
  if (!plausible_email(folded)) throw field_error("email", "invalid", "Not an e-mail address.");
  if (auto r = tx.one("SELECT id, kind, status FROM people WHERE email = ?", {folded})) {
    if (r->text(1) != "guest")
      throw field_error("email", "colleague",
                        "This is a colleague's address: invite them as a person.");
    if (r->text(2) == "disabled")
      throw field_error("email", "disabled", "This guest has been disabled.");
    return r->int64(0);
  }
  NewPerson p;
  p.display_name = display_name;
  p.email = folded;
  p.kind = "guest";
  auto issued = insert_person(tx, by, p);
  // Active at once, with nothing to log in with: guests come in through their meeting's link.
  tx.exec(
      "UPDATE people SET status = 'active', activation_hash = NULL, activation_expires_at = NULL "
      "WHERE id = ?",
      {issued.person.id});
  return issued.person.id;
}

LoginResult IdentityService::guest_session(Tx& tx, std::int64_t person_id, std::int64_t until,
                                           const std::string& address,
                                           const std::string& user_agent) {
  auto p = db::person(tx, person_id);
  if (!p || p->kind != "guest" || p->status != "active") throw not_found("No such guest.");
  auto r = open_session(tx, *p, address, user_agent, until);
  audit_.append(tx, {p->id, p->display_name, address}, "session.guest_started",
                "person:" + id_string(p->id), {});
  return r;
}

IssuedCode IdentityService::create_person(const Principal& who, const NewPerson& p) {
  require(who, "people.manage");
  return db_.write([&](Tx& tx) {
    std::vector<FieldError> errors;
    validate_new_person(tx, p, errors, "", -1);
    if (!errors.empty()) throw validation_error(errors);
    return insert_person(tx, actor(who), p);
  });
}

IssuedCode IdentityService::create_person_cli(const NewPerson& p) {
  return db_.write([&](Tx& tx) {
    NewPerson q = p;
    if (q.unit_name && !q.unit_id) {
      auto u = db::unit_by_name(tx, *q.unit_name);
      if (!u) throw field_error("unit", "not_found", "No unit named " + *q.unit_name + ".");
      q.unit_id = u->id;
    }
    std::vector<FieldError> errors;
    validate_new_person(tx, q, errors, "", -1);
    if (!errors.empty()) throw validation_error(errors);
    return insert_person(tx, {std::nullopt, "console", "cli"}, q);
  });
}

std::vector<IssuedCode> IdentityService::import_people(const Principal& who,
                                                       const std::string& text) {
  require(who, "people.manage");
  auto table = parse_csv(text, 5000);  // throws 422 on malformed CSV
  std::vector<FieldError> errors;
  if (table.empty()) throw field_error("csv", "required", "The file has no rows.");
  const auto& header = table.front();
  std::map<std::string, std::size_t> col;
  for (std::size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  for (const auto& h : header)
    if (!one_of(h, {"display_name", "email", "kind", "unit", "role"}))
      errors.push_back({h, "unknown_field", "Unknown column.", 1});
  for (const char* required : {"display_name", "kind"})
    if (!col.count(required)) errors.push_back({required, "required", "Missing column.", 1});
  if (!errors.empty()) throw validation_error(errors);
  if (table.size() == 1) throw field_error("csv", "required", "The file has no people in it.");

  return db_.write([&](Tx& tx) {
    std::vector<NewPerson> rows;
    std::set<std::string> emails;
    for (std::size_t r = 1; r < table.size(); ++r) {
      const auto& cells = table[r];
      long row = static_cast<long>(r + 1);
      auto cell = [&](const char* name) -> std::string {
        auto it = col.find(name);
        return it == col.end() || it->second >= cells.size() ? "" : cells[it->second];
      };
      NewPerson p;
      p.display_name = cell("display_name");
      p.kind = cell("kind");
      if (auto e = cell("email"); !e.empty()) {
        p.email = e;
        if (!emails.insert(fold_case(e)).second)
          errors.push_back({"email", "duplicate", "This e-mail appears twice in the file.", row});
      }
      if (auto u = cell("unit"); !u.empty()) {
        if (auto unit = db::unit_by_name(tx, u))
          p.unit_id = unit->id;
        else
          errors.push_back({"unit", "not_found", "No unit named \"" + u + "\".", row});
      }
      if (auto role = cell("role"); !role.empty()) p.roles.push_back({role, "organisation", {}});
      for (const auto& c : cells)
        if (has_control_chars(c, false))
          errors.push_back({"row", "invalid", "Control characters are not allowed.", row});
      validate_new_person(tx, p, errors, "", row);
      rows.push_back(std::move(p));
    }
    if (!errors.empty()) throw validation_error(errors);  // rolls back: nothing half-imported
    std::vector<IssuedCode> created;
    for (const auto& p : rows) created.push_back(insert_person(tx, actor(who), p));
    audit_.append(tx, actor(who), "people.imported", "people",
                  {{"count", static_cast<std::int64_t>(created.size())}});
    return created;
  });
}

Person IdentityService::update_person(const Principal& who, std::int64_t id, const NewPerson& c,
                                      bool roles_given, bool email_given, bool unit_given) {
  require(who, "people.manage");
  return db_.write([&](Tx& tx) {
    auto before = db::person(tx, id);
    if (!before) throw not_found();
    NewPerson merged;
    merged.display_name = c.display_name.empty() ? before->display_name : c.display_name;
    merged.kind = c.kind.empty() ? before->kind : c.kind;
    merged.locale = before->locale;
    merged.unit_id = unit_given ? c.unit_id : before->unit_id;
    merged.roles = roles_given ? c.roles : before->roles;
    std::vector<FieldError> errors;
    NewPerson check = merged;
    check.email = std::nullopt;
    validate_new_person(tx, check, errors, "", -1);
    std::optional<std::string> email = email_given ? c.email : before->email;
    if (email) email = fold_case(*email);
    if (email_given && email) {
      if (!plausible_email(*email))
        errors.push_back({"email", "invalid", "Not an e-mail address."});
      else if (db::email_taken(tx, *email, id))
        errors.push_back({"email", "taken", "Someone already has this e-mail."});
    }
    if (!errors.empty()) throw validation_error(errors);
    if (roles_given && id == who.person_id && before->roles != merged.roles) {
      bool keeps_admin = false;
      for (const auto& r : merged.roles)
        keeps_admin = keeps_admin || (r.role == "administrator" && r.scope_kind == "organisation");
      if (!keeps_admin && who.can("people.manage"))
        throw Error(ErrorKind::conflict, "conflict",
                    "You cannot take away your own administrator role.");
    }
    tx.exec(
        "UPDATE people SET display_name = ?, email = ?, kind = ?, unit_id = ?, updated_at = ? "
        "WHERE id = ?",
        {merged.display_name, store::opt(email), merged.kind, store::opt(merged.unit_id),
         now_seconds(), id});
    db::refresh_search_key(tx, id);
    json::object changed;
    if (merged.display_name != before->display_name) changed["display_name"] = merged.display_name;
    if (email != before->email) changed["email"] = nullable(email);
    if (merged.kind != before->kind) changed["kind"] = merged.kind;
    if (merged.unit_id != before->unit_id) changed["unit_id"] = nullable_id(merged.unit_id);
    if (!changed.empty()) {
      audit_.append(tx, actor(who), "person.updated", "person:" + id_string(id), changed);
      announce_person_change(tx, id);
    }
    if (roles_given && merged.roles != before->roles) {
      db::set_roles(tx, id, merged.roles);
      audit_.append(tx, actor(who), "person.roles_changed", "person:" + id_string(id),
                    {{"before", roles_json(before->roles)}, {"after", roles_json(merged.roles)}});
      announce_access_change(tx, id);
    }
    bus_.publish(tx, "person:" + id_string(id), "person.updated",
                 json::object{{"id", id_string(id)}});
    return *db::person(tx, id);
  });
}

Person IdentityService::set_disabled(const Principal& who, std::int64_t id, bool disabled) {
  require(who, "people.manage");
  if (disabled && id == who.person_id)
    throw Error(ErrorKind::conflict, "conflict", "You cannot disable your own account.");
  return db_.write([&](Tx& tx) {
    auto p = db::person(tx, id);
    if (!p) throw not_found();
    auto now = now_seconds();
    std::string next = disabled ? "disabled"
                                : (tx.one("SELECT 1 FROM people WHERE id = ? AND "
                                          "password_hash IS NOT NULL",
                                          {id})
                                       ? "active"
                                       : "pending");
    if (p->status == next) return *p;
    tx.exec("UPDATE people SET status = ?, updated_at = ? WHERE id = ?", {next, now, id});
    if (disabled) db::end_sessions(tx, id, now);
    audit_.append(tx, actor(who), disabled ? "person.disabled" : "person.enabled",
                  "person:" + id_string(id));
    announce_access_change(tx, id);
    bus_.publish(tx, "person:" + id_string(id), disabled ? "person.disabled" : "person.enabled",
                 json::object{{"id", id_string(id)}});
    return *db::person(tx, id);
  });
}

IssuedCode IdentityService::reset_code(const Principal& who, std::int64_t id) {
  require(who, "people.manage");
  return db_.write([&](Tx& tx) {
    auto p = db::person(tx, id);
    if (!p) throw not_found();
    if (p->status == "disabled")
      throw Error(ErrorKind::conflict, "conflict", "Enable the account before resetting its code.");
    auto now = now_seconds();
    std::string code;
    do {
      code = security::generate_access_code(opts_.code_prefix);
    } while (db::code_taken(tx, code));
    std::string secret = generate_activation_secret();
    tx.exec(
        "UPDATE people SET access_code = ?, status = 'pending', password_hash = NULL, "
        "totp_secret = NULL, totp_pending_secret = NULL, activation_hash = ?, "
        "activation_expires_at = ?, updated_at = ? WHERE id = ?",
        {code, security::sha256_hex(normalize_activation_secret(secret)),
         now + opts_.activation_validity, now, id});
    tx.exec("DELETE FROM recovery_codes WHERE person_id = ?", {id});
    db::refresh_search_key(tx, id);
    db::end_sessions(tx, id, now);
    audit_.append(tx, actor(who), "person.code_reset", "person:" + id_string(id),
                  {{"old_access_code", p->access_code}, {"access_code", code}});
    announce_access_change(tx, id);
    return IssuedCode{*db::person(tx, id), code, secret};
  });
}

IssuedCode IdentityService::reset_code_cli(const std::string& access_code) {
  auto code = security::normalize_access_code(access_code);
  auto p =
      db_.read([&](Tx& tx) { return code ? db::credentials_by_code(tx, *code) : std::nullopt; });
  if (!p) throw not_found("No person has this access code.");
  Principal console;
  console.person_id = 0;
  console.display_name = "console";
  console.address = "cli";
  console.permissions = all_permissions();
  return reset_code(console, p->person.id);
}

void IdentityService::disable_cli(const std::string& access_code) {
  auto code = security::normalize_access_code(access_code);
  auto p =
      db_.read([&](Tx& tx) { return code ? db::credentials_by_code(tx, *code) : std::nullopt; });
  if (!p) throw not_found("No person has this access code.");
  Principal console;
  console.display_name = "console";
  console.address = "cli";
  console.permissions = all_permissions();
  set_disabled(console, p->person.id, true);
}

void IdentityService::confirm_identity(const Principal& who, const std::string& password,
                                       const std::optional<std::string>& totp) {
  auto now = now_seconds();
  auto cred = db_.read([&](Tx& tx) { return db::credentials_by_id(tx, who.person_id); });
  if (!cred) throw forbidden();
  const std::string code = cred->person.access_code;
  auto failures = db_.read(
      [&](Tx& tx) { return db::recent_failures_by_code(tx, code, now - opts_.failure_window); });
  if (failures >= opts_.max_failures_per_code) throw rate_limited(opts_.failure_window);
  auto fail = [&](const char* field, const char* why, const char* message) {
    db_.write([&](Tx& tx) {
      db::record_attempt(tx, code, who.address, false, now);
      audit_.append(tx, actor(who), "person.confirmation_failed",
                    "person:" + id_string(who.person_id), {{"reason", why}});
    });
    return field_error(field, "wrong", message);
  };
  if (cred->totp_secret) {
    if (!totp || totp->empty())
      throw field_error("totp", "required", "Enter the code from your authenticator app.");
    auto secret = security::base32_decode(
                      security::unseal(opts_.sealing_key, *cred->totp_secret).value_or(""))
                      .value_or("");
    auto step = security::totp_verify(secret, *totp, now, cred->totp_last_step);
    bool ok = step && db_.write([&](Tx& tx) {
      return tx.exec("UPDATE people SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
                     {*step, who.person_id, *step}) == 1;
    });
    if (!ok) throw fail("totp", "totp", "The code is not right.");
    return;
  }
  if (!cred->password_hash || !security::verify_password(*cred->password_hash, password))
    throw fail("password", "password", "The password is not right.");
}

void IdentityService::set_body_roles(Tx& tx, std::int64_t person_id, std::int64_t body_id,
                                     const std::set<std::string>& roles) {
  std::set<std::string> had;
  for (auto& r : tx.query("SELECT role FROM role_assignments WHERE person_id = ? AND "
                          "scope_kind = 'body' AND scope_id = ?",
                          {person_id, body_id}))
    had.insert(r.text(0));
  if (had == roles) return;
  tx.exec(
      "DELETE FROM role_assignments WHERE person_id = ? AND scope_kind = 'body' AND "
      "scope_id = ?",
      {person_id, body_id});
  for (auto& r : roles)
    tx.exec(
        "INSERT INTO role_assignments (person_id, role, scope_kind, scope_id) VALUES "
        "(?, ?, 'body', ?)",
        {person_id, r, body_id});
  announce_person_change(tx, person_id);
  announce_access_change(tx, person_id);
}

std::int64_t IdentityService::create_body_unit(Tx& tx, const audit::Actor& by,
                                               const std::string& name,
                                               std::optional<std::int64_t> parent_id) {
  auto id = tx.insert("INSERT INTO units (name, kind, parent_id, created_at) VALUES (?, ?, ?, ?)",
                      {name, std::string("body"), store::opt(parent_id), now_seconds()});
  audit_.append(tx, by, "unit.created", "unit:" + id_string(id),
                {{"name", name}, {"kind", "body"}});
  return id;
}

std::int64_t IdentityService::create_unit_cli(const std::string& name, const std::string& kind,
                                              std::optional<std::int64_t> parent) {
  return db_.write([&](Tx& tx) {
    auto id = tx.insert("INSERT INTO units (name, kind, parent_id, created_at) VALUES (?, ?, ?, ?)",
                        {name, kind, store::opt(parent), now_seconds()});
    audit_.append(tx, {std::nullopt, "console", "cli"}, "unit.created", "unit:" + id_string(id),
                  {{"name", name}, {"kind", kind}});
    return id;
  });
}

void IdentityService::set_setting_cli(const std::string& key, const std::string& value) {
  db_.write([&](Tx& tx) {
    db::set_setting(tx, key, value);
    audit_.append(tx, {std::nullopt, "console", "cli"}, "setting.changed", "setting:" + key,
                  {{"value", value}});
  });
  if (key == "code_prefix") opts_.code_prefix = value;
}

bool IdentityService::has_people() {
  return db_.read([](Tx& tx) { return tx.one("SELECT 1 FROM people LIMIT 1").has_value(); });
}

std::vector<DirectoryEntry> IdentityService::directory(const Principal& who, const std::string& q) {
  if (who.totp_enrolment_required) throw forbidden("Set up two-step verification first.");
  if (who.guest()) throw forbidden("Guests do not see the directory.");
  auto folded = fold_case(q);
  if (utf8_length(folded) < 2) return {};
  return db_.read([&](Tx& tx) { return db::directory(tx, folded, 10); });
}

std::vector<Unit> IdentityService::list_units(const Principal&) {
  return db_.read([](Tx& tx) { return db::units(tx); });
}

// ---------------- settings ----------------

IdentityService::Settings IdentityService::settings() {
  return db_.read([&](Tx& tx) {
    Settings st;
    st.organisation_name = db::setting(tx, "organisation_name").value_or("Ratusha");
    st.code_prefix = opts_.code_prefix;
    st.locale = db::setting(tx, "locale").value_or("bg");
    auto roles = split_commas(db::setting(tx, "totp_required_roles").value_or(""));
    st.totp_required_roles = {roles.begin(), roles.end()};
    return st;
  });
}

IdentityService::Settings IdentityService::update_settings(
    const Principal& who, std::optional<std::string> organisation_name,
    std::optional<std::set<std::string>> totp_roles) {
  require(who, "settings.manage");
  if (totp_roles) {
    for (const auto& r : *totp_roles)
      if (!one_of(r, kRoles))
        throw field_error("totp_required_roles", "invalid", "Unknown role " + r + ".");
    // Requiring a role the administrator holds takes them straight to TOTP enrolment (their
    // permissions return once enrolled), which the web app warns about before saving.
  }
  db_.write([&](Tx& tx) {
    if (organisation_name) {
      db::set_setting(tx, "organisation_name", *organisation_name);
      audit_.append(tx, actor(who), "setting.changed", "setting:organisation_name",
                    {{"value", *organisation_name}});
    }
    if (totp_roles) {
      db::set_setting(tx, "totp_required_roles", join(*totp_roles));
      json::array roles;
      for (const auto& r : *totp_roles) roles.push_back(json::value(r));
      audit_.append(tx, actor(who), "setting.changed", "setting:totp_required_roles",
                    {{"value", std::move(roles)}});
      tx.on_commit([this] {
        std::lock_guard lock(cache_mu_);
        totp_roles_loaded_ = {};  // this node applies it at once, the others within 2 s
      });
    }
  });
  return settings();
}

// ---------------- API tokens ----------------

std::vector<ApiToken> IdentityService::list_tokens(const Principal& who) {
  require(who, "tokens.manage");
  return db_.read([&](Tx& tx) {
    std::vector<ApiToken> out;
    for (const auto& r : tx.query("SELECT id, name, scopes, created_at, expires_at, last_used_at, "
                                  "revoked_at FROM api_tokens ORDER BY id DESC LIMIT 200"))
      out.push_back({r.int64(0), r.text(1), split_commas(r.text(2)), r.int64(3), r.opt_int64(4),
                     r.opt_int64(5), r.opt_int64(6)});
    return out;
  });
}

std::pair<ApiToken, std::string> IdentityService::create_token(
    const Principal& who, const std::string& name, std::vector<std::string> scopes,
    std::optional<std::int64_t> expires_in_days) {
  require(who, "tokens.manage");
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < scopes.size(); ++i)
    if (!all_permissions().count(scopes[i]) || !who.can(scopes[i]))
      errors.push_back({"scopes[" + std::to_string(i) + "]", "invalid",
                        "Unknown scope, or one you do not have yourself."});
  if (scopes.empty())
    errors.push_back({"scopes", "required", "Give the token at least one scope."});
  if (!errors.empty()) throw validation_error(errors);
  std::string secret = "rtk_" + security::random_token(32);
  auto now = now_seconds();
  std::optional<std::int64_t> expires;
  if (expires_in_days) expires = now + *expires_in_days * 86400;
  std::set<std::string> scope_set(scopes.begin(), scopes.end());
  return db_.write([&](Tx& tx) {
    auto id = tx.insert(
        "INSERT INTO api_tokens (name, owner_id, token_hash, scopes, created_at, "
        "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
        {name, who.person_id, security::sha256_hex(secret), join(scope_set), now,
         store::opt(expires)});
    audit_.append(tx, actor(who), "token.created", "token:" + id_string(id),
                  {{"name", name}, {"scopes", join(scope_set)}});
    return std::pair{ApiToken{id, name, {scope_set.begin(), scope_set.end()}, now, expires, {}, {}},
                     secret};
  });
}

void IdentityService::revoke_token(const Principal& who, std::int64_t id) {
  require(who, "tokens.manage");
  db_.write([&](Tx& tx) {
    if (tx.exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                {now_seconds(), id}) != 1)
      throw not_found();
    audit_.append(tx, actor(who), "token.revoked", "token:" + id_string(id));
  });
}

}  // namespace ratusha::identity
