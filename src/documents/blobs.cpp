#include "documents/blobs.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "security/crypto.hpp"

namespace ratusha::documents {

namespace fs = std::filesystem;

namespace {

bool is_sha(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

class LocalBlobStore : public BlobStore {
 public:
  explicit LocalBlobStore(fs::path root) : root_(std::move(root)) {
    fs::create_directories(root_ / "blobs");
    fs::create_directories(root_ / "staging");
    fs::create_directories(root_ / "deleted");
  }
  fs::path staging_dir() const override { return root_ / "staging"; }

  fs::path where(const std::string& sha) const {
    if (!is_sha(sha)) throw std::invalid_argument("not a SHA-256: " + sha);
    return root_ / "blobs" / sha.substr(0, 2) / sha.substr(2, 2) / sha;
  }

  void put(const std::string& sha, const fs::path& staged) override {
    auto target = where(sha);
    std::error_code ec;
    if (fs::exists(target, ec)) {
      fs::remove(staged, ec);
      return;
    }
    fs::create_directories(target.parent_path());
    // Make the bytes durable before the database says they exist.
    int fd = ::open(staged.c_str(), O_RDONLY);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
    fs::rename(staged, target);
    ::chmod(target.c_str(), 0440);
  }

  std::optional<Opened> open(const std::string& sha) const override {
    int fd = ::open(where(sha).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    off_t size = ::lseek(fd, 0, SEEK_END);
    return Opened{fd, static_cast<std::uint64_t>(size < 0 ? 0 : size)};
  }

  std::optional<fs::path> local_path(const std::string& sha) const override {
    std::error_code ec;
    auto p = where(sha);
    if (!fs::exists(p, ec)) return std::nullopt;
    return p;
  }

  std::string hide(const std::string& sha) override {
    std::string token = sha + "." + security::random_token(8);
    std::error_code ec;
    fs::rename(where(sha), root_ / "deleted" / token, ec);
    return ec ? std::string() : token;
  }
  void forget(const std::string& token) override {
    if (token.empty()) return;
    std::error_code ec;
    fs::remove(root_ / "deleted" / token, ec);
  }
  void unhide(const std::string& token) override {
    if (token.empty()) return;
    std::error_code ec;
    auto sha = token.substr(0, token.find('.'));
    fs::rename(root_ / "deleted" / token, where(sha), ec);
  }

  void each(const std::function<void(const std::string&)>& f) const override {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root_ / "blobs", ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file()) {
        auto name = it->path().filename().string();
        if (is_sha(name)) f(name);
      }
    }
  }
  fs::path local_root() const override { return root_; }

 private:
  fs::path root_;
};

}  // namespace

std::unique_ptr<BlobStore> local_blob_store(const fs::path& root) {
  return std::make_unique<LocalBlobStore>(root);
}

std::string sha256_fd(int fd) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 20);
  off_t pos = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), pos);
    if (n < 0) {
      EVP_MD_CTX_free(ctx);
      throw std::runtime_error("cannot read a file to hash it");
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx, buf.data(), static_cast<std::size_t>(n));
    pos += n;
  }
  unsigned char md[32];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  return security::hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string sha256_file(const fs::path& p) {
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot open " + p.string());
  try {
    auto h = sha256_fd(fd);
    ::close(fd);
    return h;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

}  // namespace ratusha::documents
