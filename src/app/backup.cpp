#include "app/backup.hpp"

#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace ratusha::app {

namespace {

int sqlite_backup(const std::string& path, const std::string& output) {
  std::string tmp = output + ".partial";
  std::filesystem::remove(tmp);
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  if (sqlite3_open_v2(path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    throw std::runtime_error("cannot open " + path);
  if (sqlite3_open(tmp.c_str(), &dst) != SQLITE_OK) {
    sqlite3_close(src);
    throw std::runtime_error("cannot create " + tmp);
  }
  sqlite3_busy_timeout(src, 10000);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  int rc = SQLITE_OK;
  if (b) {
    // Copy in steps so writers are never blocked for long; restarts if the source changes.
    do {
      rc = sqlite3_backup_step(b, 256);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
  }
  rc = sqlite3_errcode(dst);
  sqlite3_close(dst);
  sqlite3_close(src);
  if (rc != SQLITE_OK) {
    std::filesystem::remove(tmp);
    throw std::runtime_error("backup failed: " + std::string(sqlite3_errstr(rc)));
  }
  std::filesystem::rename(tmp, output);  // the copy appears whole or not at all
  return 0;
}

int pg_dump(const std::string& url, const std::string& output) {
  std::string tmp = output + ".partial";
  std::vector<std::string> args = {"pg_dump", "--format=custom", "--file=" + tmp,
                                   "--dbname=" + url};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, "pg_dump", nullptr, nullptr, argv.data(), environ) != 0)
    throw std::runtime_error("cannot start pg_dump (install postgresql-client)");
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::filesystem::remove(tmp);
    throw std::runtime_error("pg_dump failed");
  }
  std::filesystem::rename(tmp, output);
  return 0;
}

// The stored files next to the database copy: blobs never change once written, so copying them
// after the database copy holds everything it names. Blobs already in the target are kept, so
// backing up again into the same place copies only what is new.
std::size_t copy_blobs(const std::string& files_dir, const std::string& target) {
  namespace fs = std::filesystem;
  fs::path src = fs::path(files_dir) / "blobs";
  std::size_t n = 0;
  std::error_code ec;
  if (!fs::exists(src, ec)) return 0;
  for (auto it = fs::recursive_directory_iterator(src); it != fs::recursive_directory_iterator();
       ++it) {
    if (!it->is_regular_file()) continue;
    auto rel = fs::relative(it->path(), src);
    auto dst = fs::path(target) / "blobs" / rel;
    fs::create_directories(dst.parent_path());
    if (fs::exists(dst, ec)) {
      ++n;
      continue;
    }
    fs::copy_file(it->path(), dst);  // a copy, not a link: the backup must not share damage
    ++n;
  }
  return n;
}

}  // namespace

int write_backup(const Config& cfg, const std::string& output) {
  std::string url = cfg.effective_database_url();
  int rc = url.starts_with("sqlite:") ? sqlite_backup(url.substr(7), output) : pg_dump(url, output);
  auto files = copy_blobs(cfg.effective_files_dir(), output + ".files");
  std::cout << "backup written to " << output << "\n"
            << files << " stored files in " << output << ".files\n"
            << "keep the signing key (" << cfg.effective_signing_key_file()
            << ") with it: the audit log is verified against it\n";
  return rc;
}

}  // namespace ratusha::app
