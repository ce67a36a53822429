#include "core/json.hpp"

#include "core/time.hpp"

namespace ratusha {

json::object parse_object(std::string_view body) {
  json::parse_options opt;
  opt.max_depth = 32;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, {}, opt);
  if (ec) {
    throw Error(ErrorKind::bad_request, "malformed-json",
                "The request body is not valid JSON: " + ec.message() + ".");
  }
  if (!v.is_object()) {
    throw Error(ErrorKind::bad_request, "malformed-json",
                "The request body must be a JSON object.");
  }
  return std::move(v.as_object());
}

Input::Input(const json::object& obj, std::initializer_list<std::string_view> allowed) : obj_(obj) {
  for (const auto& kv : obj_) {
    bool known = false;
    for (auto a : allowed) known = known || kv.key() == a;
    if (!known) {
      errors_.push_back({std::string(kv.key()), "unknown_field", "This field is not expected."});
    }
  }
}

void Input::add_error(std::string field, std::string code, std::string message) {
  errors_.push_back({std::move(field), std::move(code), std::move(message)});
}

std::optional<std::string> Input::text(std::string_view field, bool required, std::size_t min_len,
                                       std::size_t max_len) {
  return checked_text(field, required, min_len, max_len, false);
}

std::optional<std::string> Input::multiline(std::string_view field, std::size_t max_len) {
  return checked_text(field, false, 0, max_len, true);
}

std::optional<std::string> Input::checked_text(std::string_view field, bool required,
                                               std::size_t min_len, std::size_t max_len,
                                               bool newlines) {
  auto it = obj_.find(field);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) add_error(std::string(field), "required", "This field is required.");
    return std::nullopt;
  }
  if (!it->value().is_string()) {
    add_error(std::string(field), "wrong_type", "Expected a string.");
    return std::nullopt;
  }
  std::string s(it->value().as_string());
  if (has_control_chars(s, newlines)) {
    add_error(std::string(field), "invalid", "Control characters are not allowed.");
    return std::nullopt;
  }
  auto len = utf8_length(s);
  if (required && len == 0) {
    add_error(std::string(field), "required", "This field is required.");
    return std::nullopt;
  }
  if (len < min_len) {
    add_error(std::string(field), "too_short",
              "Must be at least " + std::to_string(min_len) + " characters.");
    return std::nullopt;
  }
  if (len > max_len) {
    add_error(std::string(field), "too_long",
              "Must be at most " + std::to_string(max_len) + " characters.");
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> Input::integer(std::string_view field, bool required, std::int64_t min,
                                           std::int64_t max) {
  auto it = obj_.find(field);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) add_error(std::string(field), "required", "This field is required.");
    return std::nullopt;
  }
  const auto& v = it->value();
  std::int64_t n = 0;
  if (v.is_int64()) {
    n = v.as_int64();
  } else if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    n = static_cast<std::int64_t>(v.as_uint64());
  } else {
    add_error(std::string(field), "wrong_type", "Expected an integer.");
    return std::nullopt;
  }
  if (n < min || n > max) {
    add_error(std::string(field), "out_of_range",
              "Must be between " + std::to_string(min) + " and " + std::to_string(max) + ".");
    return std::nullopt;
  }
  return n;
}

std::optional<bool> Input::boolean(std::string_view field, bool required) {
  auto it = obj_.find(field);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) add_error(std::string(field), "required", "This field is required.");
    return std::nullopt;
  }
  if (!it->value().is_bool()) {
    add_error(std::string(field), "wrong_type", "Expected true or false.");
    return std::nullopt;
  }
  return it->value().as_bool();
}

std::optional<std::int64_t> Input::id(std::string_view field, bool required) {
  auto it = obj_.find(field);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) add_error(std::string(field), "required", "This field is required.");
    return std::nullopt;
  }
  if (!it->value().is_string()) {
    add_error(std::string(field), "wrong_type", "Expected an id as a string.");
    return std::nullopt;
  }
  auto s = it->value().as_string();
  if (s.empty() || s.size() > 18) {
    add_error(std::string(field), "invalid", "Not a valid id.");
    return std::nullopt;
  }
  std::int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      add_error(std::string(field), "invalid", "Not a valid id.");
      return std::nullopt;
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

const json::array* Input::array(std::string_view field, bool required, std::size_t max_items) {
  auto it = obj_.find(field);
  if (it == obj_.end() || it->value().is_null()) {
    if (required) add_error(std::string(field), "required", "This field is required.");
    return nullptr;
  }
  if (!it->value().is_array()) {
    add_error(std::string(field), "wrong_type", "Expected an array.");
    return nullptr;
  }
  if (it->value().as_array().size() > max_items) {
    add_error(std::string(field), "too_long",
              "At most " + std::to_string(max_items) + " items are allowed.");
    return nullptr;
  }
  return &it->value().as_array();
}

void Input::finish() const {
  if (!errors_.empty()) throw validation_error(errors_);
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    }
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else
      return false;
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool has_control_chars(std::string_view s, bool allow_newlines) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == 0x7F) return true;
    if (c < 0x20) {
      if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
      return true;
    }
  }
  return false;
}

std::string id_string(std::int64_t id) {
  return std::to_string(id);
}

json::value nullable(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return json::value(*s);
}

json::value nullable_id(std::optional<std::int64_t> id) {
  if (!id) return nullptr;
  return json::value(std::to_string(*id));
}

json::value nullable_time(std::optional<std::int64_t> seconds) {
  if (!seconds) return nullptr;
  return json::value(rfc3339(*seconds));
}

}  // namespace ratusha
