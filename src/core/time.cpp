#include "core/time.hpp"

#include <chrono>
#include <cstdio>

namespace ratusha {

std::int64_t now_seconds() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t now_millis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {
// Days since 1970-01-01 to civil date (Howard Hinnant's public-domain algorithm, written anew).
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

std::int64_t days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::string format(std::int64_t seconds, int millis) {
  std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  std::int64_t rem = seconds - days * 86400;
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  // Written digit by digit: lists put two of these in every row, and snprintf showed up in
  // profiles of them.
  auto hour = static_cast<unsigned>(rem / 3600), minute = static_cast<unsigned>(rem % 3600 / 60),
       second = static_cast<unsigned>(rem % 60);
  if (y < 0 || y > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u", y, m, d, hour, minute, second);
    std::string out = buf;
    if (millis >= 0) out += "." + std::to_string(1000 + millis).substr(1);
    return out + "Z";
  }
  std::string out(millis < 0 ? 20 : 24, '0');
  auto put = [&](std::size_t pos, unsigned v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10)
      out[pos + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
  };
  put(0, static_cast<unsigned>(y), 4);
  out[4] = '-';
  put(5, m, 2);
  out[7] = '-';
  put(8, d, 2);
  out[10] = 'T';
  put(11, hour, 2);
  out[13] = ':';
  put(14, minute, 2);
  out[16] = ':';
  put(17, second, 2);
  if (millis >= 0) {
    out[19] = '.';
    put(20, static_cast<unsigned>(millis), 3);
  }
  out.back() = 'Z';
  return out;
}
}  // namespace

std::string rfc3339(std::int64_t seconds) {
  return format(seconds, -1);
}

std::string rfc3339_millis(std::int64_t millis) {
  std::int64_t s = millis >= 0 ? millis / 1000 : (millis - 999) / 1000;
  return format(s, static_cast<int>(millis - s * 1000));
}

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  auto ms = parse_rfc3339_millis(s);
  if (!ms) return std::nullopt;
  return *ms >= 0 ? *ms / 1000 : (*ms - 999) / 1000;
}

std::optional<std::int64_t> parse_rfc3339_millis(std::string_view s) {
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, mo, d, h = 0, mi = 0, sec = 0;
  if (!digits(0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(5, 2, mo) || s[7] != '-' ||
      !digits(8, 2, d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  std::int64_t offset = 0;
  int millis = 0;
  if (s.size() > 10) {
    if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(11, 2, h) || s.size() < 19 ||
        s[13] != ':' || !digits(14, 2, mi) || s[16] != ':' || !digits(17, 2, sec))
      return std::nullopt;
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    std::size_t p = 19;
    if (p < s.size() && s[p] == '.') {
      ++p;
      int scale = 100;
      std::size_t first = p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
        millis += (s[p] - '0') * scale;
        scale /= 10;
        ++p;
      }
      if (p == first) return std::nullopt;
    }
    if (p == s.size()) return std::nullopt;
    if (s[p] == 'Z' || s[p] == 'z') {
      if (p + 1 != s.size()) return std::nullopt;
    } else if (s[p] == '+' || s[p] == '-') {
      int oh, om;
      if (p + 6 != s.size() || !digits(p + 1, 2, oh) || s[p + 3] != ':' || !digits(p + 4, 2, om))
        return std::nullopt;
      offset = (oh * 3600 + om * 60) * (s[p] == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  }
  std::int64_t seconds =
      days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
      mi * 60 + sec - offset;
  return seconds * 1000 + millis;
}

}  // namespace ratusha
