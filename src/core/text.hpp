#pragma once
// Case folding for search and comparisons: ASCII, Latin-1, Latin Extended-A (Polish, Czech, ...)
// and Cyrillic (Bulgarian, ...). SQLite's LOWER() only folds ASCII, so we fold in C++ and store
// or compare the folded form on both databases.
#include <string>
#include <string_view>

namespace ratusha {

std::string fold_case(std::string_view utf8);

}  // namespace ratusha
