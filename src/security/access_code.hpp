#pragma once
// Personal access codes: PREFIX-XXXX-XXXX from an unambiguous alphabet, the last character a
// Luhn mod-N check character, so a mistyped code is caught before it reaches the database.
#include <optional>
#include <string>
#include <string_view>

namespace ratusha::security {

// No 0/O, 1/I/L, U (avoids misreading and accidental words).
inline constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string generate_access_code(std::string_view prefix);
// Upper-cases, drops spaces, restores dashes; nullopt when malformed or the check fails.
std::optional<std::string> normalize_access_code(std::string_view input);
char code_check_character(std::string_view body);  // body: the 7 random characters
bool valid_prefix(std::string_view prefix);

}  // namespace ratusha::security
