#include <gtest/gtest.h>

#include "app/config.hpp"

using ratusha::app::parse_size;

TEST(ConfigSizes, UnitsInEitherCaseWithOptionalIAndB) {
  EXPECT_EQ(parse_size("1024"), 1024);
  EXPECT_EQ(parse_size("2G"), std::int64_t{2} << 30);
  EXPECT_EQ(parse_size("2g"), std::int64_t{2} << 30);
  EXPECT_EQ(parse_size("500m"), std::int64_t{500} << 20);
  EXPECT_EQ(parse_size("500MiB"), std::int64_t{500} << 20);
  EXPECT_EQ(parse_size("1k"), 1024);
  EXPECT_EQ(parse_size("3TB"), std::int64_t{3} << 40);
}

TEST(ConfigSizes, RefusesWhatIsNotASize) {
  for (const char* bad : {"", "G", "-1", "2X", "2GG", "lots", "99999999999T"})
    EXPECT_THROW(parse_size(bad), std::runtime_error) << bad;
}
