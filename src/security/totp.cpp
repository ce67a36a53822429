#include "security/totp.hpp"

#include <qrencode.h>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <stdexcept>

#include "security/crypto.hpp"

namespace ratusha::security {

std::string totp_code(std::string_view secret, std::int64_t step) {
  std::string msg(8, '\0');
  auto s = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    msg[static_cast<std::size_t>(i)] = static_cast<char>(s & 0xFF);
    s >>= 8;
  }
  std::string h = hmac_sha1(secret, msg);
  int offset = h[19] & 0x0F;
  std::uint32_t bin =
      (static_cast<std::uint32_t>(h[offset] & 0x7F) << 24) |
      (static_cast<std::uint32_t>(static_cast<unsigned char>(h[offset + 1])) << 16) |
      (static_cast<std::uint32_t>(static_cast<unsigned char>(h[offset + 2])) << 8) |
      static_cast<std::uint32_t>(static_cast<unsigned char>(h[offset + 3]));
  char buf[8];
  std::snprintf(buf, sizeof buf, "%06u", bin % 1000000u);
  return buf;
}

std::optional<std::int64_t> totp_verify(std::string_view secret, std::string_view code,
                                        std::int64_t now_seconds, std::int64_t last_step) {
  std::string c;
  for (char ch : code)
    if (ch != ' ') c += ch;
  if (c.size() != 6) return std::nullopt;
  std::int64_t now_step = now_seconds / 30;
  for (std::int64_t step = now_step - 1; step <= now_step + 1; ++step) {
    if (step <= last_step) continue;
    if (constant_time_equal(totp_code(secret, step), c)) return step;
  }
  return std::nullopt;
}

std::string totp_uri(std::string_view issuer, std::string_view account, std::string_view secret) {
  auto enc = [](std::string_view s) {
    return boost::urls::encode(s, boost::urls::unreserved_chars);
  };
  return "otpauth://totp/" + enc(issuer) + ":" + enc(account) + "?secret=" + base32(secret) +
         "&issuer=" + enc(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::string qr_svg(std::string_view text) {
  std::string t(text);
  QRcode* qr = QRcode_encodeString8bit(t.c_str(), 0, QR_ECLEVEL_M);
  if (!qr) throw std::runtime_error("QR encoding failed");
  int w = qr->width, border = 4, size = w + 2 * border;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
                    std::to_string(size) + " " + std::to_string(size) +
                    "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" "
                    "fill=\"#fff\"/><path fill=\"#000\" d=\"";
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x)
      if (qr->data[y * w + x] & 1)
        svg += "M" + std::to_string(x + border) + "," + std::to_string(y + border) + "h1v1h-1z";
  svg += "\"/></svg>";
  QRcode_free(qr);
  return svg;
}

}  // namespace ratusha::security
