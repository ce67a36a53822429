#include "workspace/rules.hpp"

#include <algorithm>

#include "core/time.hpp"

namespace ratusha::workspace {

bool room_open(std::int64_t starts_at, std::int64_t ends_at, std::int64_t now) {
  return now >= starts_at - kJoinEarly && now < ends_at;
}

bool overlaps(std::int64_t a0, std::int64_t a1, std::int64_t b0, std::int64_t b1) {
  return a0 < b1 && b0 < a1;
}

std::vector<int> reminder_minutes(const std::vector<std::int64_t>& given,
                                  const std::string& field) {
  if (given.size() > 5) throw field_error(field, "too_many", "At most 5 reminders.");
  std::vector<int> out;
  for (std::size_t i = 0; i < given.size(); ++i) {
    auto m = given[i];
    if (m < 0 || m > kMaxReminder)
      throw field_error(field + "[" + std::to_string(i) + "]", "out_of_range",
                        "From 0 to 10080 minutes (a week) before.");
    if (std::find(out.begin(), out.end(), static_cast<int>(m)) != out.end())
      throw field_error(field + "[" + std::to_string(i) + "]", "duplicate", "Given twice.");
    out.push_back(static_cast<int>(m));
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

bool valid_response(const std::string& r) {
  return r == "accepted" || r == "tentative" || r == "declined";
}

std::vector<std::string> rrule_parts(const std::string& rrule) {
  std::vector<std::string> parts;
  std::size_t i = 0;
  while (i <= rrule.size()) {
    auto semi = rrule.find(';', i);
    if (semi == std::string::npos) semi = rrule.size();
    if (semi > i) parts.push_back(rrule.substr(i, semi - i));
    i = semi + 1;
  }
  return parts;
}

std::string rrule_ending(const std::string& rrule, std::int64_t last) {
  std::string out;
  for (auto& p : rrule_parts(rrule))
    if (!p.starts_with("COUNT=") && !p.starts_with("UNTIL=")) out += p + ";";
  // 2026-12-01T08:00:00Z -> 20261201T080000Z
  std::string t;
  for (char c : rfc3339(last))
    if (c != '-' && c != ':') t += c;
  return out + "UNTIL=" + t;
}

std::optional<std::string> rrule_rest(const std::string& rrule, std::int64_t before) {
  std::string out;
  for (auto& p : rrule_parts(rrule)) {
    if (p.starts_with("COUNT=")) {
      std::int64_t n = 0;
      try {
        n = std::stoll(p.substr(6));
      } catch (const std::exception&) {
        return std::nullopt;
      }
      if (n - before < 1) return std::nullopt;
      p = "COUNT=" + std::to_string(n - before);
    }
    out += (out.empty() ? "" : ";") + p;
  }
  return out;
}

}  // namespace ratusha::workspace
