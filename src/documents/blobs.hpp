#pragma once
// Where the bytes live. Blobs are addressed by their SHA-256, written once, never changed.
// The local directory is the default; an object store (for several nodes without a shared
// file system) implements the same interface.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace ratusha::documents {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // A directory on the same file system as the blobs, for uploads in progress.
  virtual std::filesystem::path staging_dir() const = 0;
  // Takes a finished file from the staging directory as the blob `sha256` (moves it; when the
  // blob exists already, the file is just removed).
  virtual void put(const std::string& sha256, const std::filesystem::path& staged) = 0;
  // An open descriptor (the caller closes it) and the size; nullopt when missing.
  struct Opened {
    int fd;
    std::uint64_t size;
  };
  virtual std::optional<Opened> open(const std::string& sha256) const = 0;
  // Removal in two steps so that a transaction that fails can undo it: hide() makes the blob
  // unreachable and returns a token; forget(token) deletes it for good, unhide(token) undoes.
  virtual std::string hide(const std::string& sha256) = 0;
  virtual void forget(const std::string& token) = 0;
  virtual void unhide(const std::string& token) = 0;
  // A path a program can read (text extraction); an object store would fetch a local copy.
  virtual std::optional<std::filesystem::path> local_path(const std::string& sha256) const = 0;
  // Every stored blob (for verification and backups).
  virtual void each(const std::function<void(const std::string& sha256)>& f) const = 0;
  // A directory holding everything, for backups of the local store; empty when not local.
  virtual std::filesystem::path local_root() const = 0;
};

std::unique_ptr<BlobStore> local_blob_store(const std::filesystem::path& root);

// SHA-256 of a file, read in slices (memory stays flat).
std::string sha256_file(const std::filesystem::path& p);
std::string sha256_fd(int fd);

}  // namespace ratusha::documents
