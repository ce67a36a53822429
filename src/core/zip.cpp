#include "core/zip.hpp"

#include <array>
#include <cstdint>

namespace ratusha {

namespace {

const std::array<std::uint32_t, 256>& crc_table() {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v & 0xffff);
  put16(out, v >> 16);
}

}  // namespace

std::uint32_t crc32_of(std::string_view data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = crc_table()[(c ^ b) & 0xff] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void ZipWriter::add(std::string name, std::string data) {
  entries_.emplace_back(std::move(name), std::move(data));
}

std::string ZipWriter::finish() const {
  // Fixed time stamp (1980-01-01 00:00): the same document gives the same bytes.
  constexpr std::uint32_t kTime = 0, kDate = (0 << 9) | (1 << 5) | 1;
  std::string out, central;
  for (const auto& [name, data] : entries_) {
    auto offset = static_cast<std::uint32_t>(out.size());
    auto crc = crc32_of(data);
    auto size = static_cast<std::uint32_t>(data.size());
    auto name_len = static_cast<std::uint32_t>(name.size());
    put32(out, 0x04034b50);  // local file header
    put16(out, 10);          // version needed
    put16(out, 0x0800);      // names are UTF-8
    put16(out, 0);           // stored
    put16(out, kTime);
    put16(out, kDate);
    put32(out, crc);
    put32(out, size);
    put32(out, size);
    put16(out, name_len);
    put16(out, 0);
    out += name;
    out += data;

    put32(central, 0x02014b50);  // central directory header
    put16(central, 20);          // made by
    put16(central, 10);
    put16(central, 0x0800);
    put16(central, 0);
    put16(central, kTime);
    put16(central, kDate);
    put32(central, crc);
    put32(central, size);
    put32(central, size);
    put16(central, name_len);
    put16(central, 0);  // extra
    put16(central, 0);  // comment
    put16(central, 0);  // disk
    put16(central, 0);  // internal attributes
    put32(central, 0);  // external attributes
    put32(central, offset);
    central += name;
  }
  auto central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  put32(out, 0x06054b50);  // end of central directory
  put16(out, 0);
  put16(out, 0);
  put16(out, static_cast<std::uint32_t>(entries_.size()));
  put16(out, static_cast<std::uint32_t>(entries_.size()));
  put32(out, static_cast<std::uint32_t>(central.size()));
  put32(out, central_offset);
  put16(out, 0);
  return out;
}

}  // namespace ratusha
