#pragma once
// A ZIP archive written in memory, entries stored uncompressed (what OpenDocument needs: its
// "mimetype" must be the first entry and not compressed; the rest may be stored too).
#include <string>
#include <string_view>
#include <vector>

namespace ratusha {

class ZipWriter {
 public:
  void add(std::string name, std::string data);
  std::string finish() const;

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

std::uint32_t crc32_of(std::string_view data);

}  // namespace ratusha
