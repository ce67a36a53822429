#include <gtest/gtest.h>

#include "core/csv.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "core/zip.hpp"

using namespace ratusha;

TEST(Json, ParseObjectRejectsBadInput) {
  EXPECT_THROW(parse_object("{"), Error);
  EXPECT_THROW(parse_object("[]"), Error);
  EXPECT_THROW(parse_object("\"x\""), Error);
  EXPECT_THROW(parse_object("{\"a\":\"\xff\"}"), Error);  // invalid UTF-8
  EXPECT_NO_THROW(parse_object("{\"a\":\"Пловдив\"}"));
}

TEST(Json, InputCollectsAllErrors) {
  auto o = parse_object(R"({"name": 5, "extra": true, "code": ""})");
  Input in(o, {"name", "code", "missing"});
  in.required_text("name");
  in.required_text("code");
  in.required_text("missing");
  try {
    in.finish();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::validation);
    ASSERT_EQ(e.errors().size(), 4u);
    EXPECT_EQ(e.errors()[0].field, "extra");
    EXPECT_EQ(e.errors()[0].code, "unknown_field");
    EXPECT_EQ(e.errors()[1].code, "wrong_type");
    EXPECT_EQ(e.errors()[2].code, "required");
    EXPECT_EQ(e.errors()[3].code, "required");
  }
}

TEST(Json, LengthsCountCharactersNotBytes) {
  auto o = parse_object(R"({"name": "Żółć"})");
  Input in(o, {"name"});
  EXPECT_EQ(in.text("name", true, 1, 4), "Żółć");
  EXPECT_TRUE(in.ok());
}

TEST(Json, ControlCharactersRefused) {
  auto o = parse_object(R"({"name": "a\u0000b"})");
  Input in(o, {"name"});
  in.required_text("name");
  EXPECT_FALSE(in.ok());
}

TEST(Utf8, Validation) {
  EXPECT_TRUE(valid_utf8("Słupsk Габрово"));
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));         // overlong
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));     // surrogate
  EXPECT_FALSE(valid_utf8("\xE2\x82"));         // truncated
  EXPECT_TRUE(valid_utf8("\xF0\x9F\x98\x80"));  // emoji
}

TEST(Time, Rfc3339RoundTrip) {
  EXPECT_EQ(rfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339(1795392000), "2026-11-23T00:00:00Z");
  EXPECT_EQ(parse_rfc3339("2026-11-23T00:00:00Z"), 1795392000);
  EXPECT_EQ(parse_rfc3339("2026-11-23T02:00:00+02:00"), 1795392000);
  EXPECT_EQ(parse_rfc3339("2026-11-23"), 1795392000);
  EXPECT_EQ(parse_rfc3339("2024-02-29T12:00:00.123Z"), 1709208000);
  EXPECT_FALSE(parse_rfc3339("2026-13-01"));
  EXPECT_FALSE(parse_rfc3339("yesterday"));
  EXPECT_EQ(rfc3339_millis(1500), "1970-01-01T00:00:01.500Z");
  EXPECT_EQ(parse_rfc3339_millis("1970-01-01T00:00:01.5Z"), 1500);
  EXPECT_EQ(parse_rfc3339_millis("1970-01-01T00:00:01.0421Z"), 1042);
  EXPECT_FALSE(parse_rfc3339_millis("1970-01-01T00:00:01.Z"));
}

TEST(Csv, QuotesNewlinesAndBom) {
  auto t = parse_csv(
      "\xEF\xBB\xBF"
      "Display_Name,email\r\n\"Петров, Иван\",a@b.bg\n\"say \"\"hi\"\"\",\n\n",
      10);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0][0], "display_name");
  EXPECT_EQ(t[1][0], "Петров, Иван");
  EXPECT_EQ(t[2][0], "say \"hi\"");
  EXPECT_EQ(t[2][1], "");
}

TEST(Csv, Malformed) {
  EXPECT_THROW(parse_csv("a,b\n\"open", 10), Error);
  EXPECT_THROW(parse_csv("a\nx\"y\"\n", 10), Error);
  EXPECT_THROW(parse_csv("a\n1\n2\n3\n", 2), Error);
  EXPECT_THROW(parse_csv("a\n\xff\n", 10), Error);
}

#include "core/text.hpp"

TEST(Text, FoldsLatinPolishAndCyrillic) {
  EXPECT_EQ(fold_case("ABC xyz"), "abc xyz");
  EXPECT_EQ(fold_case("ŚLIWIŃSKA Żółć ĄĘŁ"), "śliwińska żółć ąęł");
  EXPECT_EQ(fold_case("ГЛАВНОБУКВЕНА Габрово ЪЬЮЯ"), "главнобуквена габрово ъьюя");
  EXPECT_EQ(fold_case("ÀÉÖ Ø"), "àéö ø");
  EXPECT_EQ(fold_case("日本 €"), "日本 €");
  EXPECT_EQ(fold_case("\xff\xfe"), "\xff\xfe");
}

TEST(Text, FoldForSearchDropsCaseAccentsAndPunctuation) {
  EXPECT_EQ(fold_for_search("Zażółć GĘŚLĄ jaźń"), "zazolc gesla jazn");
  EXPECT_EQ(fold_for_search("ŁÓDŹ, Kraków!"), "lodz krakow");
  EXPECT_EQ(fold_for_search("Общинският СЪВЕТ ѝ реши"), "общинският съвет и реши");
  EXPECT_EQ(fold_for_search("Škoda Ørsted Ærø café"), "skoda orsted æro cafe");
  EXPECT_EQ(fold_for_search("  a--b  "), "a b");
  EXPECT_EQ(fold_for_search(""), "");
  EXPECT_EQ(fold_for_search("№ 12 – «решение»"), "12 решение");
}

TEST(Text, SearchWordsAreFoldedLikeTheIndexes) {
  EXPECT_EQ(search_words("  Протокол, ОБЩИНСКИ съвет! "),
            (std::vector<std::string>{"протокол", "общински", "съвет"}));
  EXPECT_EQ(search_words("Zażółć GĘŚLĄ jaźń"),
            (std::vector<std::string>{"zazolc", "gesla", "jazn"}));
  EXPECT_EQ(search_words("\" OR 1=1 -- *"), (std::vector<std::string>{"or", "1", "1"}));
  EXPECT_EQ(search_words("a b c d e f g h i j k").size(), 8u);
  EXPECT_TRUE(search_words("!!! ...").empty());
}

TEST(Zip, Crc32AndLayout) {
  EXPECT_EQ(ratusha::crc32_of("123456789"), 0xCBF43926u);  // the standard check value
  ratusha::ZipWriter z;
  z.add("mimetype", "application/vnd.oasis.opendocument.text");
  z.add("a.txt", "Здравей");
  auto bytes = z.finish();
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_EQ(bytes.substr(30, 8), "mimetype");
  EXPECT_EQ(bytes.substr(bytes.size() - 22, 4), std::string("PK\x05\x06", 4));
}

TEST(Csv, WritesQuotedCellsAndDefusesFormulas) {
  EXPECT_EQ(ratusha::write_csv({{"a", "b \"c\""}, {"=SUM(A1)", "-1", "@x", "+7"}}),
            "\"a\",\"b \"\"c\"\"\"\r\n\"'=SUM(A1)\",\"'-1\",\"'@x\",\"'+7\"\r\n");
}

TEST(Text, XmlEscapeDropsWhatXmlCannotHold) {
  EXPECT_EQ(ratusha::xml_escape("a<b>&\"c\"\v\x01\tž"), "a&lt;b&gt;&amp;&quot;c&quot;\tž");
}
