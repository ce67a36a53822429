#include "workspace/rules.hpp"

#include <algorithm>

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

}  // namespace ratusha::workspace
