#pragma once
// All SQL of the identity module.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "identity/model.hpp"
#include "store/db.hpp"

namespace ratusha::identity::db {

using store::Tx;

struct Credentials {
  Person person;
  std::optional<std::string> password_hash, activation_hash, totp_secret, totp_pending_secret;
  std::optional<std::int64_t> activation_expires_at;
  std::int64_t totp_last_step = 0;
};

std::optional<Person> person(Tx& tx, std::int64_t id);
std::optional<Credentials> credentials_by_code(Tx& tx, const std::string& code);
std::optional<Credentials> credentials_by_id(Tx& tx, std::int64_t id);
std::vector<RoleAssignment> roles_of(Tx& tx, std::int64_t person_id);
void set_roles(Tx& tx, std::int64_t person_id, const std::vector<RoleAssignment>& roles);

struct PeopleFilter {
  std::optional<std::string> q, status;
  std::optional<std::int64_t> unit_id, after_id;
  int limit = 50;
};
std::vector<Person> people(Tx& tx, const PeopleFilter& f);
// Recomputes the case-folded text that people search matches (name, e-mail, access code).
void refresh_search_key(Tx& tx, std::int64_t person_id);
bool email_taken(Tx& tx, const std::string& email, std::int64_t except_id);
bool code_taken(Tx& tx, const std::string& code);

std::vector<Unit> units(Tx& tx);
std::optional<Unit> unit(Tx& tx, std::int64_t id);
std::optional<Unit> unit_by_name(Tx& tx, const std::string& name);

std::vector<Group> groups(Tx& tx, const std::optional<std::string>& q,
                          std::optional<std::int64_t> after_id, int limit);
std::optional<Group> group(Tx& tx, std::int64_t id);  // with its members
std::optional<std::int64_t> group_by_name(Tx& tx, const std::string& name_key);

// People (not disabled), units, bodies and groups whose name contains the folded text.
std::vector<DirectoryEntry> directory(Tx& tx, const std::string& folded, std::size_t limit);

std::optional<std::string> setting(Tx& tx, const std::string& key);
void set_setting(Tx& tx, const std::string& key, const std::string& value);

struct SessionRow {
  std::int64_t id = 0, person_id = 0, created_at = 0, last_seen_at = 0, absolute_expires_at = 0;
  std::string user_agent, address, person_status;
};
std::optional<SessionRow> session_by_hash(Tx& tx, const std::string& token_hash);
std::vector<SessionRow> live_sessions(Tx& tx, std::int64_t person_id, std::int64_t idle_cutoff,
                                      std::int64_t now);
std::int64_t end_sessions(Tx& tx, std::int64_t person_id, std::int64_t now);

std::int64_t recent_failures_by_code(Tx& tx, const std::string& code, std::int64_t since);
std::int64_t recent_failures_by_address(Tx& tx, const std::string& address, std::int64_t since);
void record_attempt(Tx& tx, const std::string& code, const std::string& address, bool ok,
                    std::int64_t now);

}  // namespace ratusha::identity::db
