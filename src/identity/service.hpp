#pragma once
// Identity use cases: log in, activate, manage people, codes, sessions, TOTP and API tokens.
// Every method checks permissions, validates, writes in one transaction and audits.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/audit.hpp"
#include "events/bus.hpp"
#include "identity/model.hpp"
#include "identity/store.hpp"
#include "store/db.hpp"

namespace ratusha::identity {

struct IdentityOptions {
  std::string code_prefix = "RAT";  // access codes look like RAT-4K7Q-9M2X
  std::string issuer = "Ratusha";   // shown in authenticator apps
  std::int64_t idle_timeout = 30 * 60;
  std::int64_t absolute_timeout = 12 * 60 * 60;
  std::int64_t activation_validity = 14 * 24 * 60 * 60;
  int max_failures_per_code = 5;  // within the window, then a soft lockout
  int max_failures_per_address = 30;
  std::int64_t failure_window = 15 * 60;
  std::string csrf_key;     // derives CSRF tokens from session tokens
  std::string sealing_key;  // 32 bytes: TOTP secrets are stored sealed with it
};

struct LoginResult {
  Principal principal;
  std::string session_token;  // goes into the cookie, never stored
};

struct NewPerson {
  std::string display_name;
  std::optional<std::string> email;
  std::string kind = "employee";
  std::optional<std::int64_t> unit_id;
  std::optional<std::string> unit_name;  // CSV import names the unit
  std::vector<RoleAssignment> roles;
  std::string locale = "bg";
};

struct TotpEnrolment {
  std::string secret_base32, otpauth_uri, qr_svg;
};

struct ApiToken {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> scopes;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> expires_at, last_used_at, revoked_at;
};

class IdentityService {
 public:
  IdentityService(store::Database& db, audit::AuditLog& audit, events::Bus& bus,
                  IdentityOptions opts);

  const IdentityOptions& options() const { return opts_; }

  // --- sessions ---
  LoginResult login(const std::string& access_code, const std::string& password,
                    const std::optional<std::string>& totp, const std::string& address,
                    const std::string& user_agent);
  LoginResult activate(const std::string& access_code, const std::string& secret,
                       const std::string& password, const std::string& address,
                       const std::string& user_agent);
  // Resolves a session token; `touch` counts the request as activity (resets the idle timer).
  std::optional<Principal> authenticate_session(const std::string& token, bool touch);
  std::optional<Principal> authenticate_token(const std::string& token);
  Principal extend(const Principal& who);
  void logout(const Principal& who);
  std::string csrf_for(const std::string& session_token) const;

  // --- me ---
  Person me(const Principal& who);
  Person update_me(const Principal& who, std::optional<std::string> display_name,
                   std::optional<std::string> locale);
  void change_password(const Principal& who, const std::string& current, const std::string& next);
  TotpEnrolment begin_totp(const Principal& who);
  std::vector<std::string> confirm_totp(const Principal& who, const std::string& code);
  void disable_totp(const Principal& who, const std::string& password);
  std::vector<db::SessionRow> sessions(const Principal& who);
  void end_session(const Principal& who, std::int64_t session_id);
  void end_all_sessions(const Principal& who);

  // --- people (administration) ---
  std::vector<Person> list_people(const Principal& who, db::PeopleFilter f);
  Person get_person(const Principal& who, std::int64_t id);
  IssuedCode create_person(const Principal& who, const NewPerson& p);
  std::vector<IssuedCode> import_people(const Principal& who, const std::string& csv);
  Person update_person(const Principal& who, std::int64_t id, const NewPerson& changes,
                       bool roles_given, bool email_given, bool unit_given);
  Person set_disabled(const Principal& who, std::int64_t id, bool disabled);
  IssuedCode reset_code(const Principal& who, std::int64_t id);
  std::vector<Unit> list_units(const Principal& who);
  // For choosing whom to invite or share with: open to everyone who may work here.
  std::vector<DirectoryEntry> directory(const Principal& who, const std::string& q);

  // --- guests (people from outside invited to a meeting by e-mail; see workspace) ---
  // The guest with this address, made (active, without a code to log in with) on first use. A
  // colleague's address is refused (422 email: colleague), as is a disabled guest's.
  std::int64_t ensure_guest(store::Tx& tx, const audit::Actor& by, const std::string& email,
                            const std::string& display_name);
  // A session for a guest that ends at `until` at the latest (their meeting's end).
  LoginResult guest_session(store::Tx& tx, std::int64_t person_id, std::int64_t until,
                            const std::string& address, const std::string& user_agent);

  // --- for other modules ---
  // The caller proves again that it is them (a councillor registering remotely): the TOTP code
  // when they have one enrolled, else the password. Wrong answers count as failed logins.
  void confirm_identity(const Principal& who, const std::string& password,
                        const std::optional<std::string>& totp);
  // The person's roles scoped to a council body (councillor, chair, clerk) become `roles`; the
  // council keeps memberships over time and calls this when they change.
  void set_body_roles(store::Tx& tx, std::int64_t person_id, std::int64_t body_id,
                      const std::set<std::string>& roles);
  // A unit of kind 'body' (a council or committee), in the caller's transaction.
  std::int64_t create_body_unit(store::Tx& tx, const audit::Actor& by, const std::string& name,
                                std::optional<std::int64_t> parent_id);

  // --- organisation settings (settings.manage) ---
  struct Settings {
    std::string organisation_name, code_prefix, locale;
    std::set<std::string> totp_required_roles;
  };
  Settings settings();
  Settings update_settings(const Principal& who, std::optional<std::string> organisation_name,
                           std::optional<std::set<std::string>> totp_required_roles);

  // --- API tokens ---
  std::vector<ApiToken> list_tokens(const Principal& who);
  std::pair<ApiToken, std::string> create_token(const Principal& who, const std::string& name,
                                                std::vector<std::string> scopes,
                                                std::optional<std::int64_t> expires_in_days);
  void revoke_token(const Principal& who, std::int64_t id);

  // --- used by the command line (no principal: the operator at the console) ---
  IssuedCode create_person_cli(const NewPerson& p);
  IssuedCode reset_code_cli(const std::string& access_code);
  void disable_cli(const std::string& access_code);
  std::set<std::string> totp_required_roles();
  std::int64_t create_unit_cli(const std::string& name, const std::string& kind,
                               std::optional<std::int64_t> parent);
  void set_setting_cli(const std::string& key, const std::string& value);
  // A person as the server acts for them in the background (storing a recording they
  // started): their roles and permissions, no session. nullopt when unknown or disabled.
  std::optional<Principal> principal_of(std::int64_t person_id);
  bool has_people();

 private:
  IssuedCode insert_person(store::Tx& tx, const audit::Actor& actor, const NewPerson& p);
  void validate_new_person(store::Tx& tx, const NewPerson& p, std::vector<FieldError>& errors,
                           const std::string& prefix, long row);
  Principal principal_for(const Person& p, const std::set<std::string>& totp_roles,
                          std::int64_t session_id, std::int64_t last_seen, std::int64_t absolute);
  // The roles that must use TOTP, read at most every 2 s (other nodes' changes apply within that).
  std::set<std::string> required_roles(store::Tx& tx);
  std::optional<std::set<std::string>> cached_required_roles();
  // Drops what is cached about a person (their sessions) after a change anywhere.
  void forget_person(std::int64_t person_id);
  void announce_person_change(store::Tx& tx, std::int64_t person_id);
  LoginResult open_session(store::Tx& tx, const Person& p, const std::string& address,
                           const std::string& user_agent,
                           std::optional<std::int64_t> until = std::nullopt);
  void require(const Principal& who, const std::string& permission);
  // Closes the person's open WebSockets (on every node) so they reconnect with current rights.
  void announce_access_change(store::Tx& tx, std::int64_t person_id);
  audit::Actor actor(const Principal& who) const {
    return {who.person_id, who.display_name, who.address};
  }

  store::Database& db_;
  audit::AuditLog& audit_;
  events::Bus& bus_;
  IdentityOptions opts_;

  // Sessions recently looked up, by token hash, for at most kCacheSeconds; dropped at once when
  // the person's access or record changes on any node (events). Keeps authenticated reads to
  // zero queries most of the time.
  static constexpr int kCacheSeconds = 2;
  struct CachedSession {
    db::SessionRow row;
    Person person;
    std::chrono::steady_clock::time_point loaded;
  };
  std::mutex cache_mu_;
  std::unordered_map<std::string, CachedSession> sessions_;
  std::set<std::string> totp_roles_;
  std::chrono::steady_clock::time_point totp_roles_loaded_{};
};

json::object person_json(const Person& p, const std::set<std::string>* permissions = nullptr);
json::object session_json(const Principal& who, const Person& p);

}  // namespace ratusha::identity
