#pragma once
// Identity: the organisation, people, their roles, sessions and API tokens.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ratusha::identity {

struct Unit {
  std::int64_t id = 0;
  std::string name;
  std::string kind;  // municipality | department | body
  std::optional<std::int64_t> parent_id;
};

struct RoleAssignment {
  std::string role;        // administrator | clerk | chair | councillor | employee | guest
  std::string scope_kind;  // organisation | unit | body
  std::optional<std::int64_t> scope_id;
  bool operator==(const RoleAssignment&) const = default;
};

struct Person {
  std::int64_t id = 0;
  std::string access_code;
  std::string display_name;
  std::optional<std::string> email;
  std::string kind;  // employee | councillor | guest
  std::optional<std::int64_t> unit_id;
  std::optional<std::string> unit_name;
  std::string locale = "bg";
  std::string status;  // pending | active | disabled
  bool totp_enabled = false;
  std::int64_t created_at = 0;
  std::vector<RoleAssignment> roles;
};

// Who is calling: a person through a session, or a machine through an API token.
struct Principal {
  std::int64_t person_id = 0;
  std::string display_name;
  std::string address;
  std::vector<RoleAssignment> roles;
  std::set<std::string> permissions;
  std::int64_t session_id = 0;  // 0 when an API token
  std::int64_t token_id = 0;    // 0 when a session
  bool totp_enrolment_required = false;
  std::int64_t idle_expires_at = 0, absolute_expires_at = 0;
  std::string csrf_token;
  Person self;  // the caller's own record as loaded with the session

  bool can(const std::string& permission) const { return permissions.count(permission) > 0; }
  // Someone from outside invited to a meeting by e-mail: sees that meeting, nothing else.
  bool guest() const { return self.kind == "guest"; }
};

// A group of people kept by the administrators; an audience wherever people are chosen.
struct GroupMember {
  std::int64_t id = 0;
  std::string display_name;
  std::optional<std::string> unit_name;
  std::string status;
};

struct Group {
  std::int64_t id = 0;
  std::string name, description;
  std::int64_t member_count = 0, created_at = 0, updated_at = 0;
  std::vector<GroupMember> members;  // filled when one group is read
};

// One choice when picking people: a person, a unit, a council body or a group.
struct DirectoryEntry {
  std::string kind;  // person | unit | body | group
  std::int64_t id = 0;
  std::string name, detail;  // detail: a person's unit
};

// A created or reset person: the code and the one-time secret are shown once.
struct IssuedCode {
  Person person;
  std::string access_code;
  std::string activation_secret;
};

}  // namespace ratusha::identity
