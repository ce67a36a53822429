#pragma once
// Groups of people: kept by those who manage people, read by those who may read people, and
// offered as an audience wherever people are chosen (documents now, meetings next).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.hpp"
#include "events/bus.hpp"
#include "identity/model.hpp"
#include "store/db.hpp"

namespace ratusha::identity {

class GroupsService {
 public:
  GroupsService(store::Database& db, audit::AuditLog& audit, events::Bus& bus)
      : db_(db), audit_(audit), bus_(bus) {}

  // Other modules forget what they gave a group, in the transaction that deletes it.
  void on_deleted(std::function<void(store::Tx&, std::int64_t group_id)> f) {
    on_deleted_.push_back(std::move(f));
  }

  std::vector<Group> list(const Principal& who, const std::optional<std::string>& q,
                          std::optional<std::int64_t> after_id, int limit);
  Group get(const Principal& who, std::int64_t id);
  Group create(const Principal& who, const std::string& name, const std::string& description);
  Group update(const Principal& who, std::int64_t id, const std::optional<std::string>& name,
               const std::optional<std::string>& description);
  void remove(const Principal& who, std::int64_t id);
  // Returns the group and whether the person was added now (false: already a member).
  std::pair<Group, bool> add_member(const Principal& who, std::int64_t id, std::int64_t person_id);
  Group remove_member(const Principal& who, std::int64_t id, std::int64_t person_id);

 private:
  void changed(store::Tx& tx, std::int64_t id);

  store::Database& db_;
  audit::AuditLog& audit_;
  events::Bus& bus_;
  std::vector<std::function<void(store::Tx&, std::int64_t)>> on_deleted_;
};

}  // namespace ratusha::identity
