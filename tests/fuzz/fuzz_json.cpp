// Arbitrary bytes as a JSON body, decoded into our types the way handlers do.
#include <cstdint>
#include <string_view>

#include "core/csv.hpp"
#include "core/json.hpp"

using namespace ratusha;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    auto obj = parse_object(text);
    Input in(obj, {"access_code", "password", "totp", "limit", "flag", "roles"});
    in.required_text("access_code", 40);
    in.text("password", true, 1, 256);
    in.optional_text("totp", 20);
    in.integer("limit", false, 1, 200);
    in.boolean("flag", false);
    in.array("roles", false, 20);
    in.finish();
  } catch (const Error&) {
  }
  try {
    parse_csv(text, 100);
  } catch (const Error&) {
  }
  return 0;
}
