#include <gtest/gtest.h>

#include "core/error.hpp"
#include "documents/rules.hpp"

using namespace ratusha;
using namespace ratusha::documents;

namespace {
std::string refused(std::string_view name) {
  try {
    clean_name(name);
  } catch (const Error& e) {
    return e.errors().empty() ? "?" : e.errors()[0].code;
  }
  return "";
}
}  // namespace

TEST(DocumentNames, KeepsOrdinaryNamesAndTrimsSpaces) {
  EXPECT_EQ(clean_name("  Протокол № 12 – Żółć.pdf  "), "Протокол № 12 – Żółć.pdf");
  EXPECT_EQ(clean_name(".bashrc"), ".bashrc");
  EXPECT_EQ(clean_name(std::string(255, 'a')), std::string(255, 'a'));
}

TEST(DocumentNames, RefusesWhatCouldEscapeOrDeceive) {
  EXPECT_EQ(refused(""), "required");
  EXPECT_EQ(refused("   "), "required");
  EXPECT_EQ(refused(".."), "invalid");
  EXPECT_EQ(refused("."), "invalid");
  EXPECT_EQ(refused("../etc/passwd"), "invalid");
  EXPECT_EQ(refused("a\\b"), "invalid");
  EXPECT_EQ(refused(std::string("a\0b", 3)), "invalid");
  EXPECT_EQ(refused("line\nbreak"), "invalid");
  EXPECT_EQ(refused("del\x7f"), "invalid");
  EXPECT_EQ(refused("c1\xc2\x85"), "invalid");                  // NEL
  EXPECT_EQ(refused("invoice\xe2\x80\xaepdf.exe"), "invalid");  // right-to-left override
  EXPECT_EQ(refused("\xff\xfe"), "invalid");                    // not UTF-8
  EXPECT_EQ(refused(std::string(256, 'a')), "too_long");
  EXPECT_EQ(refused(std::string(1000, 'x')), "too_long");
}

TEST(DocumentRights, OrderAndNames) {
  EXPECT_LT(Access::view, Access::edit);
  EXPECT_LT(Access::edit, Access::manage);
  for (auto a : {Access::view, Access::edit, Access::manage})
    EXPECT_EQ(parse_access(access_name(a)), a);
  EXPECT_FALSE(parse_access("owner"));
  EXPECT_FALSE(parse_access(""));
}

TEST(DocumentDownloads, InlineOnlyForPassiveTypes) {
  EXPECT_TRUE(may_show_inline("application/pdf"));
  EXPECT_TRUE(may_show_inline("image/png"));
  EXPECT_TRUE(may_show_inline("text/plain; charset=utf-8"));
  EXPECT_FALSE(may_show_inline("text/html"));
  EXPECT_FALSE(may_show_inline("image/svg+xml"));
  EXPECT_FALSE(may_show_inline("application/xhtml+xml"));
  EXPECT_FALSE(may_show_inline("text/xml"));
  EXPECT_FALSE(may_show_inline("application/javascript"));
}

TEST(DocumentDownloads, DispositionHasAsciiFallbackAndUtf8Name) {
  EXPECT_EQ(content_disposition("report.pdf", false),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  auto d = content_disposition("Бюджет \"2027\";.pdf", true);
  EXPECT_TRUE(d.starts_with("inline; filename=\""));
  // No quote, backslash or non-ASCII byte can end the quoted fallback early.
  auto fallback = d.substr(18, d.find("\"; filename*") - 18);
  for (unsigned char c : fallback) EXPECT_TRUE(c >= 0x20 && c < 0x7f && c != '"' && c != '\\');
  EXPECT_NE(d.find("filename*=UTF-8''%D0%91%D1%8E%D0%B4%D0%B6%D0%B5%D1%82%20%222027%22%3B.pdf"),
            std::string::npos);
}

TEST(DocumentFingerprint, GroupsTheFirst128Bits) {
  EXPECT_EQ(fingerprint("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            "E3B0 C442 98FC 1C14 9AFB F4C8 996F B924");
}

TEST(DocumentPaths, IdsFromRootToNode) {
  EXPECT_EQ(path_ids("/1/7/12/"), (std::vector<std::int64_t>{1, 7, 12}));
  EXPECT_TRUE(path_ids("").empty());
  auto a = parse_audience("unit:12");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, "unit");
  EXPECT_EQ(a->id, "12");
  EXPECT_FALSE(parse_audience("unit:"));
  EXPECT_FALSE(parse_audience(":3"));
}
