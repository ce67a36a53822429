#include <gtest/gtest.h>

#include "security/access_code.hpp"
#include "security/crypto.hpp"
#include "security/password.hpp"
#include "security/totp.hpp"

using namespace ratusha::security;

TEST(AccessCode, GeneratedCodesValidateAndNormalize) {
  init_crypto();
  for (int i = 0; i < 1000; ++i) {
    auto code = generate_access_code("PLV");
    ASSERT_EQ(code.size(), 13u);
    auto n = normalize_access_code(code);
    ASSERT_TRUE(n.has_value()) << code;
    EXPECT_EQ(*n, code);
    std::string lower;
    for (char c : code) lower += static_cast<char>(std::tolower(c));
    EXPECT_EQ(normalize_access_code(lower), code);
  }
}

TEST(AccessCode, EverySingleCharacterTypoIsCaught) {
  std::string body = "4K7Q9M2";
  std::string code = "PLV-" + body.substr(0, 4) + "-" + body.substr(4) + code_check_character(body);
  ASSERT_TRUE(normalize_access_code(code));
  for (std::size_t pos : {4u, 5u, 6u, 7u, 9u, 10u, 11u, 12u}) {
    for (char c : kCodeAlphabet) {
      if (c == code[pos]) continue;
      std::string typo = code;
      typo[pos] = c;
      EXPECT_FALSE(normalize_access_code(typo)) << typo;
    }
  }
}

TEST(AccessCode, AdjacentSwapsAreMostlyCaught) {
  std::string body = "4K7Q9M2";
  char check = code_check_character(body);
  int caught = 0, total = 0;
  for (std::size_t i = 0; i + 1 < body.size(); ++i) {
    if (body[i] == body[i + 1]) continue;
    std::string swapped = body;
    std::swap(swapped[i], swapped[i + 1]);
    ++total;
    caught += code_check_character(swapped) != check;
  }
  EXPECT_EQ(caught, total);
}

TEST(AccessCode, RejectsMalformed) {
  EXPECT_FALSE(normalize_access_code(""));
  EXPECT_FALSE(normalize_access_code("PLV"));
  EXPECT_FALSE(normalize_access_code("PLV-0000-0000"));
  EXPECT_FALSE(normalize_access_code("P1V-4K7Q-9M2X"));
  EXPECT_FALSE(normalize_access_code("PLV-4K7Q-9M2X-AAAA"));
  EXPECT_FALSE(normalize_access_code("'; DROP TABLE people; --"));
}

TEST(Totp, Rfc6238Sha1Vectors) {
  std::string secret = "12345678901234567890";
  // RFC 6238 appendix B, truncated to 6 digits.
  EXPECT_EQ(totp_code(secret, 59 / 30), "287082");
  EXPECT_EQ(totp_code(secret, 1111111109 / 30), "081804");
  EXPECT_EQ(totp_code(secret, 1111111111 / 30), "050471");
  EXPECT_EQ(totp_code(secret, 1234567890 / 30), "005924");
  EXPECT_EQ(totp_code(secret, 2000000000 / 30), "279037");
}

TEST(Totp, WindowAndReplay) {
  std::string secret = "12345678901234567890";
  std::int64_t now = 1234567890;
  auto code = totp_code(secret, now / 30);
  auto step = totp_verify(secret, code, now, 0);
  ASSERT_TRUE(step);
  EXPECT_EQ(*step, now / 30);
  EXPECT_FALSE(totp_verify(secret, code, now, *step)) << "a used step must not match again";
  EXPECT_TRUE(totp_verify(secret, totp_code(secret, now / 30 - 1), now, 0));
  EXPECT_FALSE(totp_verify(secret, totp_code(secret, now / 30 - 3), now, 0));
  EXPECT_FALSE(totp_verify(secret, "12345", now, 0));
}

TEST(Base32, RoundTripAndRfcVector) {
  EXPECT_EQ(base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(base32_decode("MZXW6YTBOI"), "foobar");
  EXPECT_FALSE(base32_decode("MZXW6YTB0I"));  // 0 is not base32
}

TEST(Password, Policy) {
  init_crypto();
  EXPECT_EQ(check_password_policy("short", {}), "too_short");
  EXPECT_EQ(check_password_policy("password1234", {}), "breached");
  EXPECT_EQ(check_password_policy("Password2024!", {}), "breached");
  EXPECT_EQ(check_password_policy("aaaaaaaaaaaaaa", {}), "breached");
  EXPECT_EQ(check_password_policy("123456789012", {}), "breached");
  EXPECT_EQ(check_password_policy("ivanpetrov-garden-7", {"Petrov"}), "contains_personal");
  EXPECT_EQ(check_password_policy("липа-над-реката-7", {}), std::nullopt);
  EXPECT_EQ(check_password_policy("correct horse battery", {}), std::nullopt);
  EXPECT_EQ(check_password_policy("ąęśćżźńół", {}), "too_short");  // 9 letters, 18 bytes
}

TEST(Password, HashAndVerify) {
  init_crypto();
  auto h = hash_password("correct horse battery");
  EXPECT_TRUE(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << h;
  EXPECT_TRUE(verify_password(h, "correct horse battery"));
  EXPECT_FALSE(verify_password(h, "correct horse batterz"));
}

TEST(Signing, SignVerifyAndTamper) {
  init_crypto();
  auto k = SigningKey::generate();
  auto sig = k.sign("hello");
  EXPECT_TRUE(verify_signature(k.public_key, "hello", sig));
  EXPECT_FALSE(verify_signature(k.public_key, "hellO", sig));
}

TEST(Seal, RoundTripTamperAndWrongKey) {
  init_crypto();
  std::string key = random_bytes(32);
  auto sealed = seal(key, "JBSWY3DPEHPK3PXP");
  EXPECT_TRUE(sealed.starts_with("v1:"));
  EXPECT_EQ(sealed.find("JBSWY3DP"), std::string::npos);
  EXPECT_EQ(unseal(key, sealed), "JBSWY3DPEHPK3PXP");
  EXPECT_NE(seal(key, "x"), seal(key, "x")) << "a fresh nonce each time";
  EXPECT_FALSE(unseal(random_bytes(32), sealed));
  std::string tampered = sealed;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(unseal(key, tampered));
  EXPECT_EQ(unseal(key, "PLAINOLDVALUE"), "PLAINOLDVALUE");
}
