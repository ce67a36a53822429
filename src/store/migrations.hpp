#pragma once
// Numbered SQL migrations with checksums, compiled into the binary.
#include <string>
#include <vector>

#include "store/db.hpp"

namespace ratusha::store {

struct MigrationStatus {
  int applied = 0;  // already in the database
  int pending = 0;  // known to the binary, not yet applied
  std::vector<std::string> newly_applied;
};

// Applies every pending migration, each in its own transaction. Throws when an applied
// migration's checksum differs from the binary's, or the database is newer than the binary.
MigrationStatus migrate(Database& db);
// Checks without changing anything (for /readyz and start-up without --migrate).
MigrationStatus migration_status(Database& db);
// Replaces the dialect tokens ({{id}}, {{now}}) in a migration's text.
std::string render_migration(std::string_view sql, Dialect d);

}  // namespace ratusha::store
