#include "security/crypto.hpp"

#include "core/text.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <sys/stat.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>

namespace ratusha::security {

void init_crypto() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  });
}

std::string random_bytes(std::size_t n) {
  std::string s(n, '\0');
  randombytes_buf(s.data(), n);
  return s;
}

std::string random_token(std::size_t bytes) {
  return base64url(random_bytes(bytes));
}

std::string sha256_hex(std::string_view data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return hex(std::string_view(reinterpret_cast<const char*>(h), sizeof h));
}

std::string hex(std::string_view bin) {
  return to_hex(bin);
}

std::optional<std::string> unhex(std::string_view h) {
  std::string out(h.size() / 2 + 1, '\0');
  std::size_t len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), h.data(), h.size(),
                     nullptr, &len, nullptr) != 0 ||
      len * 2 != h.size())
    return std::nullopt;
  out.resize(len);
  return out;
}

std::string base64url(std::string_view bin) {
  const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bin.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bin.data()),
                    bin.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::string base64(std::string_view bin) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(bin.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bin.data()),
                    bin.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

static const char kB32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string base32(std::string_view bin) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : bin) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kB32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kB32[(buffer << (5 - bits)) & 31];
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string bin(text.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), text.data(),
                        text.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  bin.resize(len);
  return bin;
}

std::optional<std::string> base32_decode(std::string_view s) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char ch : s) {
    if (ch == '=' || ch == ' ') continue;
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const char* p = std::strchr(kB32, c);
    if (!p || c == '\0') return std::nullopt;
    buffer = (buffer << 5) | static_cast<unsigned>(p - kB32);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

static std::string hmac(const EVP_MD* md, std::string_view key, std::string_view msg) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string hmac_sha1(std::string_view key, std::string_view msg) {
  return hmac(EVP_sha1(), key, msg);
}
std::string hmac_sha256(std::string_view key, std::string_view msg) {
  return hmac(EVP_sha256(), key, msg);
}

std::string seal(std::string_view key, std::string_view plaintext) {
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES)
    throw std::runtime_error("sealing key must be 32 bytes");
  std::string nonce = random_bytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  std::string out(plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      reinterpret_cast<unsigned char*>(out.data()), &len,
      reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), nullptr, 0,
      nullptr, reinterpret_cast<const unsigned char*>(nonce.data()),
      reinterpret_cast<const unsigned char*>(key.data()));
  out.resize(len);
  return "v1:" + base64url(nonce + out);
}

std::optional<std::string> unseal(std::string_view key, std::string_view sealed) {
  if (!sealed.starts_with("v1:")) return std::string(sealed);  // stored before sealing existed
  sealed.remove_prefix(3);
  std::string bin(sealed.size(), '\0');
  std::size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), sealed.data(),
                        sealed.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return std::nullopt;
  bin.resize(len);
  const std::size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (key.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES ||
      bin.size() < nb + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return std::nullopt;
  std::string out(bin.size() - nb, '\0');
  unsigned long long out_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(out.data()), &out_len, nullptr,
          reinterpret_cast<const unsigned char*>(bin.data() + nb), bin.size() - nb, nullptr, 0,
          reinterpret_cast<const unsigned char*>(bin.data()),
          reinterpret_cast<const unsigned char*>(key.data())) != 0)
    return std::nullopt;
  out.resize(out_len);
  return out;
}

SigningKey SigningKey::generate() {
  SigningKey k;
  k.public_key.resize(crypto_sign_PUBLICKEYBYTES);
  k.secret_key.resize(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(k.public_key.data()),
                      reinterpret_cast<unsigned char*>(k.secret_key.data()));
  return k;
}

SigningKey SigningKey::load_or_create(const std::string& path) {
  namespace fs = std::filesystem;
  if (fs::exists(path)) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    auto secret = unhex(line);
    if (!secret || secret->size() != crypto_sign_SECRETKEYBYTES)
      throw std::runtime_error("signing key file " + path + " is damaged");
    SigningKey k;
    k.secret_key = *secret;
    k.public_key.resize(crypto_sign_PUBLICKEYBYTES);
    crypto_sign_ed25519_sk_to_pk(reinterpret_cast<unsigned char*>(k.public_key.data()),
                                 reinterpret_cast<const unsigned char*>(k.secret_key.data()));
    return k;
  }
  auto parent = fs::path(path).parent_path();
  if (!parent.empty()) fs::create_directories(parent);
  SigningKey k = generate();
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << hex(k.secret_key) << "\n";
  }
  ::chmod(tmp.c_str(), 0600);
  fs::rename(tmp, path);
  return k;
}

std::string SigningKey::sign(std::string_view msg) const {
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data()), nullptr,
                       reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       reinterpret_cast<const unsigned char*>(secret_key.data()));
  return sig;
}

bool verify_signature(std::string_view public_key, std::string_view msg, std::string_view sig) {
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES || sig.size() != crypto_sign_BYTES)
    return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                     reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                                     reinterpret_cast<const unsigned char*>(public_key.data())) ==
         0;
}

}  // namespace ratusha::security
