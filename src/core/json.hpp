#pragma once
// Decoding request bodies into our types with field-level errors, and small encoders.
#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace ratusha {

namespace json = boost::json;

// Parses a request body: a JSON object, valid UTF-8, no duplicate keys. Throws 400 malformed-json.
json::object parse_object(std::string_view body);

// Reads fields out of a JSON object, collecting every problem before throwing one 422.
class Input {
 public:
  Input(const json::object& obj, std::initializer_list<std::string_view> allowed);

  std::optional<std::string> text(std::string_view field, bool required, std::size_t min_len,
                                  std::size_t max_len);
  std::string required_text(std::string_view field, std::size_t max_len = 200) {
    return text(field, true, 1, max_len).value_or("");
  }
  std::optional<std::string> optional_text(std::string_view field, std::size_t max_len = 200) {
    return text(field, false, 0, max_len);
  }
  // Text that may run over several lines (an agenda, a draft decision); optional.
  std::optional<std::string> multiline(std::string_view field, std::size_t max_len);
  std::optional<std::int64_t> integer(std::string_view field, bool required, std::int64_t min,
                                      std::int64_t max);
  std::optional<bool> boolean(std::string_view field, bool required);
  // An id given as a JSON string of digits (our convention) or null.
  std::optional<std::int64_t> id(std::string_view field, bool required);
  const json::array* array(std::string_view field, bool required, std::size_t max_items);
  bool has(std::string_view field) const { return obj_.contains(field); }

  void add_error(std::string field, std::string code, std::string message);
  bool ok() const { return errors_.empty(); }
  // Throws the collected 422 if anything was wrong.
  void finish() const;

 private:
  std::optional<std::string> checked_text(std::string_view field, bool required,
                                          std::size_t min_len, std::size_t max_len, bool newlines);
  const json::object& obj_;
  std::vector<FieldError> errors_;
};

// Count of Unicode code points in valid UTF-8.
std::size_t utf8_length(std::string_view s);
bool valid_utf8(std::string_view s);
// True if the text holds control characters other than tab/newline.
bool has_control_chars(std::string_view s, bool allow_newlines);

std::string id_string(std::int64_t id);
json::value nullable(const std::optional<std::string>& s);
json::value nullable_id(std::optional<std::int64_t> id);
// An RFC 3339 time, or null.
json::value nullable_time(std::optional<std::int64_t> seconds);

}  // namespace ratusha
