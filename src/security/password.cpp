#include "security/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include "core/json.hpp"
#include "store/embedded.hpp"

namespace ratusha::security {

namespace {
// OWASP's floor for Argon2id: 19 MiB, t = 2, p = 1.
constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19 * 1024 * 1024;

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const std::unordered_set<std::string>& breached() {
  static const auto* set = [] {
    auto* s = new std::unordered_set<std::string>();
    std::string_view all = embedded::breached_passwords();
    while (!all.empty()) {
      auto nl = all.find('\n');
      auto line = all.substr(0, nl);
      all = nl == std::string_view::npos ? std::string_view{} : all.substr(nl + 1);
      if (!line.empty() && line.front() != '#') s->insert(lower_ascii(line));
    }
    return s;
  }();
  return *set;
}

// "aaaaaaaaaaaa", "123456789012", "abcdefghijkl": one repeated or running character.
bool trivial_pattern(std::string_view p) {
  bool same = true, up = true, down = true;
  for (std::size_t i = 1; i < p.size(); ++i) {
    same = same && p[i] == p[0];
    up = up && p[i] == p[i - 1] + 1;
    down = down && p[i] == p[i - 1] - 1;
  }
  return same || up || down;
}

// The password with trailing digits and symbols removed ("password2024!" -> "password").
std::string core_word(std::string_view p) {
  std::string s = lower_ascii(p);
  while (!s.empty() && !std::isalpha(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}
}  // namespace

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(std::string_view hash, std::string_view password) {
  std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::optional<std::string> check_password_policy(std::string_view password,
                                                 const std::vector<std::string>& personal) {
  auto len = utf8_length(password);
  if (len < kMinPasswordLength) return "too_short";
  if (password.size() > kMaxPasswordLength) return "too_long";
  const auto& list = breached();
  std::string low = lower_ascii(password);
  if (list.count(low) || list.count(core_word(password)) || trivial_pattern(password))
    return "breached";
  for (const auto& word : personal) {
    std::string w = lower_ascii(word);
    if (w.size() >= 4 && low.find(w) != std::string::npos) return "contains_personal";
  }
  return std::nullopt;
}

}  // namespace ratusha::security
