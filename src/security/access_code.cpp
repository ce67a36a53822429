#include "security/access_code.hpp"

#include <sodium.h>

namespace ratusha::security {

namespace {
constexpr int kN = static_cast<int>(kCodeAlphabet.size());
int index_of(char c) {
  auto p = kCodeAlphabet.find(c);
  return p == std::string_view::npos ? -1 : static_cast<int>(p);
}
}  // namespace

// Luhn mod N: doubles every second code point from the right, sums digits in base N.
char code_check_character(std::string_view body) {
  int factor = 2, sum = 0;
  for (auto it = body.rbegin(); it != body.rend(); ++it) {
    int addend = factor * index_of(*it);
    factor = factor == 2 ? 1 : 2;
    addend = addend / kN + addend % kN;
    sum += addend;
  }
  int check = (kN - sum % kN) % kN;
  return kCodeAlphabet[static_cast<std::size_t>(check)];
}

bool valid_prefix(std::string_view prefix) {
  if (prefix.size() < 2 || prefix.size() > 5) return false;
  for (char c : prefix)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

std::string generate_access_code(std::string_view prefix) {
  std::string body;
  for (int i = 0; i < 7; ++i)
    body += kCodeAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kN))];
  body += code_check_character(body);
  return std::string(prefix) + "-" + body.substr(0, 4) + "-" + body.substr(4, 4);
}

std::optional<std::string> normalize_access_code(std::string_view input) {
  std::string s;
  for (char c : input) {
    if (c == ' ' || c == '-') {
      s += c == '-' ? '-' : '\0';
      continue;
    }
    s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  std::erase(s, '\0');
  auto dash = s.find('-');
  if (dash == std::string::npos) return std::nullopt;
  std::string prefix = s.substr(0, dash);
  std::string body;
  for (char c : s.substr(dash + 1))
    if (c != '-') body += c;
  if (!valid_prefix(prefix) || body.size() != 8) return std::nullopt;
  for (char c : body)
    if (index_of(c) < 0) return std::nullopt;
  if (code_check_character(body.substr(0, 7)) != body[7]) return std::nullopt;
  return prefix + "-" + body.substr(0, 4) + "-" + body.substr(4, 4);
}

}  // namespace ratusha::security
