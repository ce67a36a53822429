#pragma once
// All SQL of the documents module.
#include <optional>
#include <string>
#include <vector>

#include "documents/model.hpp"
#include "store/db.hpp"

namespace ratusha::documents::db {

using store::Tx;

// "?, ?, ?" for n values.
std::string placeholders(std::size_t n);

// Who a person is for grants: "person:ID", their unit and the units above it, the bodies they
// sit on, and their organisation-wide roles ("role:administrator").
std::vector<std::string> audiences_of(Tx& tx, std::int64_t person_id);

std::optional<Space> space(Tx& tx, std::int64_t id);
std::optional<Space> space_of(Tx& tx, const std::string& kind, std::int64_t owner_id);
// Creates a space with its root folder; returns it.
Space create_space(Tx& tx, const std::string& kind, std::int64_t owner_id, const std::string& name,
                   std::optional<std::int64_t> quota, std::int64_t now);
std::vector<Space> spaces_for(Tx& tx, const std::vector<std::string>& audiences);

std::optional<Node> node(Tx& tx, std::int64_t id);
std::vector<Node> children(Tx& tx, std::int64_t parent_id, int offset, int limit);
std::optional<Node> live_child(Tx& tx, std::int64_t parent_id, const std::string& name_key);
std::int64_t create_node(Tx& tx, const Node& n, const std::string& name_key);
// The best right among the audiences' grants on the node's path.
Access access_on(Tx& tx, const std::string& path, const std::vector<std::string>& audiences);

std::vector<Version> versions(Tx& tx, std::int64_t node_id);
std::optional<Version> version(Tx& tx, std::int64_t node_id, std::int64_t number);
// Counts one more use of a blob; true when it is new (its bytes must be stored).
bool add_blob_ref(Tx& tx, const std::string& sha, std::int64_t size, std::int64_t now);
// One use fewer; true when nothing uses it any more (the row is gone; remove the bytes).
bool drop_blob_ref(Tx& tx, const std::string& sha);

std::vector<Grant> grants_on(Tx& tx, std::int64_t node_id);
std::optional<Grant> grant(Tx& tx, std::int64_t id);
std::int64_t upsert_grant(Tx& tx, std::int64_t node_id, const std::string& path,
                          const std::string& audience, Access a, bool implicit,
                          std::optional<std::int64_t> by, std::int64_t now);
std::string audience_name(Tx& tx, const std::string& audience);
// Nodes granted to these audiences directly that are not reachable through their spaces.
std::vector<Node> shared_with(Tx& tx, const std::vector<std::string>& audiences,
                              const std::vector<std::int64_t>& own_roots);

std::vector<Link> links_on(Tx& tx, std::int64_t node_id);
std::optional<Link> link_by_hash(Tx& tx, const std::string& token_hash);
std::optional<Link> link(Tx& tx, std::int64_t id);

std::optional<Upload> upload(Tx& tx, const std::string& id);

// Indexes a node's name, and where it lies (its path) so that search can filter by grants.
void index_name(Tx& tx, std::int64_t node_id, const std::string& path, const std::string& name);
void index_body(Tx& tx, std::int64_t node_id, const std::string& body);
void unindex(Tx& tx, std::int64_t node_id);
std::vector<SearchHit> search(Tx& tx, const std::vector<std::string>& words,
                              const std::vector<std::string>& audiences, int limit);

void add_activity(Tx& tx, const Node& n, const std::string& action,
                  std::optional<std::int64_t> actor, std::int64_t now);
std::vector<Activity> activity(Tx& tx, const std::vector<std::string>& audiences,
                               std::optional<std::int64_t> before, int limit);

std::vector<Node> trash_for(Tx& tx, const std::vector<std::string>& audiences);

// Bytes of all versions a person uploaded that are still kept.
std::int64_t person_usage(Tx& tx, std::int64_t person_id);

}  // namespace ratusha::documents::db
