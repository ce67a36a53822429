#include "identity/rules.hpp"

#include <sodium.h>

#include <algorithm>

#include "security/access_code.hpp"

namespace ratusha::identity {

const std::set<std::string>& all_permissions() {
  static const std::set<std::string> all = {
      "people.read", "people.manage",  "audit.read",      "tokens.manage", "settings.manage",
      "jobs.manage", "documents.read", "documents.write", "council.vote",  "council.manage"};
  return all;
}

std::set<std::string> permissions_for(const std::vector<RoleAssignment>& roles) {
  // Everyone has a personal space; what they reach beyond it is decided by the documents' grants.
  // A guest only reads what is shared with their meeting.
  bool guest =
      !roles.empty() && std::all_of(roles.begin(), roles.end(),
                                    [](const RoleAssignment& r) { return r.role == "guest"; });
  std::set<std::string> p = {"documents.read"};
  if (!guest) p.insert("documents.write");
  // Taking part in the council as a member (registering, asking for the floor, voting) and acting
  // in one's council roles (the chair's and the clerk's work): what one may do there is decided
  // by one's memberships; a token needs these as scopes (a voting device in the hall has only
  // council.vote).
  if (!guest) {
    p.insert("council.vote");
    p.insert("council.manage");
  }
  for (const auto& r : roles) {
    if (r.scope_kind != "organisation") continue;  // scoped roles are checked per resource
    if (r.role == "administrator") {
      p.insert(all_permissions().begin(), all_permissions().end());
    } else if (r.role == "clerk") {
      p.insert("people.read");
    }
  }
  return p;
}

bool one_of(std::string_view value, const std::vector<std::string>& allowed) {
  for (const auto& a : allowed)
    if (a == value) return true;
  return false;
}

bool plausible_email(std::string_view e) {
  auto at = e.find('@');
  if (at == std::string_view::npos || at == 0 || at != e.rfind('@')) return false;
  auto domain = e.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos) return false;
  if (domain.front() == '.' || domain.back() == '.') return false;
  for (char c : e)
    if (c == ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') return false;
  return e.size() <= 254;
}

std::string generate_activation_secret() {
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i && i % 4 == 0) s += '-';
    s += security::kCodeAlphabet[randombytes_uniform(
        static_cast<std::uint32_t>(security::kCodeAlphabet.size()))];
  }
  return s;
}

std::string normalize_activation_secret(std::string_view in) {
  std::string s;
  for (char c : in) {
    if (c == '-' || c == ' ') continue;
    s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return s;
}

bool totp_required(const std::vector<RoleAssignment>& roles,
                   const std::set<std::string>& required) {
  for (const auto& r : roles)
    if (required.count(r.role)) return true;
  return false;
}

}  // namespace ratusha::identity
