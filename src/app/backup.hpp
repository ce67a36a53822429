#pragma once
#include <string>

#include "app/config.hpp"

namespace ratusha::app {
// A consistent online copy: SQLite's backup API, or pg_dump for PostgreSQL. Returns exit code.
int write_backup(const Config& cfg, const std::string& output);
}  // namespace ratusha::app
