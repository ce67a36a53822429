// The built web app: hashed assets cached forever, index.html revalidated, precompressed
// variants (.br, .gz) when the client accepts them, and no way out of the web directory.
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "core/error.hpp"
#include "net/server.hpp"

namespace ratusha::net {

namespace fs = std::filesystem;

namespace {

const char* content_type_for(const std::string& ext) {
  static const std::unordered_map<std::string, const char*> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
      {".wasm", "application/wasm"}};
  auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

struct CachedFile {
  std::string body;
  std::string etag;
  fs::file_time_type mtime;
};

std::mutex cache_mu;
std::unordered_map<std::string, std::shared_ptr<const CachedFile>> cache;

std::shared_ptr<const CachedFile> load(const fs::path& p) {
  std::error_code ec;
  auto mtime = fs::last_write_time(p, ec);
  if (ec) return nullptr;
  std::lock_guard lock(cache_mu);
  auto key = p.string();
  auto it = cache.find(key);
  if (it != cache.end() && it->second->mtime == mtime) return it->second;
  std::ifstream in(p, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream ss;
  ss << in.rdbuf();
  CachedFile f;
  f.body = ss.str();
  f.mtime = mtime;
  f.etag = "\"" + std::to_string(f.body.size()) + "-" +
           std::to_string(mtime.time_since_epoch().count()) + "\"";
  auto shared = std::make_shared<const CachedFile>(std::move(f));
  cache[key] = shared;
  return shared;
}

bool accepts(const Request& req, std::string_view coding) {
  auto ae = req.header("accept-encoding");
  return ae && ae->find(coding) != std::string_view::npos;
}

}  // namespace

Response serve_static(const std::string& web_dir, const Request& req) {
  // Reject anything that could climb out: "..", backslashes, NUL, hidden files.
  const std::string& path = req.path;
  if (path.empty() || path[0] != '/' || path.find("..") != std::string::npos ||
      path.find('\\') != std::string::npos || path.find("/.") != std::string::npos) {
    throw not_found();
  }
  fs::path root = fs::path(web_dir);
  fs::path rel = path == "/" ? fs::path("index.html") : fs::path(path.substr(1));
  fs::path file = root / rel;
  std::error_code ec;
  bool spa = false;
  if (!fs::is_regular_file(file, ec)) {
    // Client-side routes (no extension) get the app; missing assets are a real 404.
    if (rel.has_extension()) throw not_found();
    file = root / "index.html";
    spa = true;
    if (!fs::is_regular_file(file, ec)) throw not_found("The web app has not been built.");
  }
  auto canonical = fs::weakly_canonical(file, ec);
  auto canonical_root = fs::weakly_canonical(root, ec);
  auto [a, b] = std::mismatch(canonical_root.begin(), canonical_root.end(), canonical.begin());
  if (a != canonical_root.end()) throw not_found();

  std::string ext = file.extension().string();
  Response res;
  res.content_type = content_type_for(ext);
  std::shared_ptr<const CachedFile> f;
  std::string encoding;
  for (auto [coding, suffix] : {std::pair{"br", ".br"}, std::pair{"gzip", ".gz"}}) {
    if (!accepts(req, coding)) continue;
    if ((f = load(fs::path(file.string() + suffix)))) {
      encoding = coding;
      break;
    }
  }
  if (!f) f = load(file);
  if (!f) throw not_found();
  bool immutable = !spa && path.starts_with("/assets/");
  res.header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.header("ETag", f->etag);
  res.header("Vary", "Accept-Encoding");
  if (!encoding.empty()) res.header("Content-Encoding", encoding);
  if (auto inm = req.header("if-none-match"); inm && *inm == f->etag) {
    res.status = 304;
    return res;
  }
  res.body = f->body;
  return res;
}

}  // namespace ratusha::net
