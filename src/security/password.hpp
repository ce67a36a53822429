#pragma once
// Password hashing (Argon2id, libsodium) and the password policy.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ratusha::security {

constexpr std::size_t kMinPasswordLength = 12;
constexpr std::size_t kMaxPasswordLength = 256;

std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);

// Returns an error code ("too_short", "too_long", "breached", "contains_personal") or nullopt.
// `personal` holds words the password must not be built on (name, access code, e-mail).
std::optional<std::string> check_password_policy(std::string_view password,
                                                 const std::vector<std::string>& personal);

}  // namespace ratusha::security
