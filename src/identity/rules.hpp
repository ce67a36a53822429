#pragma once
// Pure identity rules: which roles grant which permissions, what a valid person looks like.
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "identity/model.hpp"

namespace ratusha::identity {

inline const std::vector<std::string> kRoles = {"administrator", "clerk",    "chair",
                                                "councillor",    "employee", "guest"};
inline const std::vector<std::string> kKinds = {"employee", "councillor", "guest"};
inline const std::vector<std::string> kLocales = {"bg", "pl", "en"};
inline const std::vector<std::string> kScopeKinds = {"organisation", "unit", "body"};

// Permissions that an organisation-wide role grants.
std::set<std::string> permissions_for(const std::vector<RoleAssignment>& roles);
// Every permission name known to the system (API token scopes must come from here).
const std::set<std::string>& all_permissions();

bool one_of(std::string_view value, const std::vector<std::string>& allowed);
bool plausible_email(std::string_view email);
// One-time activation secret: 16 characters from the access-code alphabet, in groups of four.
std::string generate_activation_secret();
std::string normalize_activation_secret(std::string_view s);

// Whether a person with these roles must use TOTP, given the roles that require it.
bool totp_required(const std::vector<RoleAssignment>& roles, const std::set<std::string>& required);

}  // namespace ratusha::identity
