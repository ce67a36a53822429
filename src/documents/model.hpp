#pragma once
// The documents module's records.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "documents/rules.hpp"

namespace ratusha::documents {

struct Space {
  std::int64_t id = 0;
  std::string kind;  // personal | unit | body | meeting | sitting | item
  std::int64_t owner_id = 0;
  std::string name;
  std::int64_t root_id = 0;
  std::optional<std::int64_t> quota_bytes;
  std::int64_t used_bytes = 0;
  Access access = Access::none;  // the caller's right on the root
};

struct Node {
  std::int64_t id = 0, space_id = 0;
  std::optional<std::int64_t> parent_id;
  std::string path, kind, name;
  std::int64_t version = 0, size = 0;
  std::string content_type, sha256;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> updated_by;
  std::string updated_by_name;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> deleted_at, trashed_with;
  bool legal_hold = false;
  std::optional<std::string> hold_reason;
  Access access = Access::none;  // the caller's right, filled by the service
  bool is_folder() const { return kind == "folder"; }
};

struct Version {
  std::int64_t number = 0, size = 0;
  std::string sha256, content_type;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> created_by;
  std::string created_by_name;
  std::optional<std::int64_t> restored_from;
};

struct Grant {
  std::int64_t id = 0, node_id = 0;
  std::string node_path, audience;
  Access access = Access::none;
  bool implicit = false;
  std::int64_t created_at = 0;
  std::string audience_name;
};

struct Link {
  std::int64_t id = 0, node_id = 0, expires_at = 0, created_at = 0, downloads = 0;
  std::optional<std::int64_t> revoked_at;
  bool has_password = false;
  std::optional<std::string> password_hash;
};

struct Upload {
  std::string id;
  std::int64_t person_id = 0, folder_id = 0, size = 0, received = 0, created_at = 0;
  std::string name;
  std::optional<std::string> sha256;
};

struct Activity {
  std::int64_t id = 0, space_id = 0, node_id = 0, at = 0;
  std::string space_name, action, name, actor_name;
  std::optional<std::int64_t> actor_id;
};

struct SearchHit {
  Node node;
  std::string space_name;
};

}  // namespace ratusha::documents
