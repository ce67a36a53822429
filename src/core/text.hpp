#pragma once
// Case folding for search and comparisons: ASCII, Latin-1, Latin Extended-A (Polish, Czech, ...)
// and Cyrillic (Bulgarian, ...). SQLite's LOWER() only folds ASCII, so we fold in C++ and store
// or compare the folded form on both databases.
#include <string>
#include <string_view>
#include <vector>

namespace ratusha {

std::string fold_case(std::string_view utf8);

// Lower-case hexadecimal of bytes (digests).
std::string to_hex(std::string_view bytes);

// For full-text search: case folded, accents removed from Latin letters (ą -> a, ł -> l,
// é -> e) and from Cyrillic ѝ/ѐ/ё, and everything that is not a letter or digit turned into a
// single space. Both databases index and query this form, so they find the same things.
std::string fold_for_search(std::string_view utf8);
// The search words of a query, folded the same way: at most 8 words of at most 64 bytes.
std::vector<std::string> search_words(std::string_view query);
// Text for XML 1.0 content and attributes: & < > " escaped; control characters XML has no place
// for (all but tab, newline and carriage return) left out.
std::string xml_escape(std::string_view text);

}  // namespace ratusha
