#pragma once
// Small wrappers over libsodium: randomness, hashes, encodings, Ed25519.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ratusha::security {

void init_crypto();  // sodium_init, once
std::string random_bytes(std::size_t n);
std::string random_token(std::size_t bytes = 32);  // base64url, no padding
std::string sha256_hex(std::string_view data);
std::string hex(std::string_view bin);
std::optional<std::string> unhex(std::string_view hex);
std::string base64url(std::string_view bin);
std::string base64(std::string_view bin);
// Standard base64 (with padding) to bytes; nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);
std::string base32(std::string_view bin);  // RFC 4648, no padding
std::optional<std::string> base32_decode(std::string_view s);
bool constant_time_equal(std::string_view a, std::string_view b);
std::string hmac_sha1(std::string_view key, std::string_view msg);
std::string hmac_sha256(std::string_view key, std::string_view msg);

// Authenticated encryption at rest (XChaCha20-Poly1305) with a 32-byte key:
// seal() -> "v1:" + base64url(nonce || ciphertext); unseal() also accepts older plain values
// (no "v1:" prefix) and returns nullopt for anything damaged or sealed with another key.
std::string seal(std::string_view key, std::string_view plaintext);
std::optional<std::string> unseal(std::string_view key, std::string_view sealed);

struct SigningKey {
  std::string public_key;  // 32 bytes
  std::string secret_key;  // 64 bytes
  static SigningKey generate();
  // Loads the key from a file, creating it (mode 0600) when absent.
  static SigningKey load_or_create(const std::string& path);
  std::string sign(std::string_view msg) const;  // 64-byte detached signature
};
bool verify_signature(std::string_view public_key, std::string_view msg, std::string_view sig);

}  // namespace ratusha::security
