#pragma once
// Files compiled into the binary (see cmake/embed.cmake).
#include <string_view>
#include <vector>

namespace ratusha::embedded {
struct EmbeddedFile {
  std::string_view name;
  std::string_view content;
};
const std::vector<EmbeddedFile>& migrations();
std::string_view breached_passwords();
std::string_view openapi();
}  // namespace ratusha::embedded
