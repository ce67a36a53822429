#include <gtest/gtest.h>

#include "documents/content.hpp"

TEST(DocumentText, OfficeXmlKeepsWordsSplitAcrossRunsAndSeparatesParagraphs) {
  using ratusha::documents::office_xml_text;
  // Word splits words into runs; paragraphs and cells separate them.
  EXPECT_EQ(office_xml_text("<w:p><w:r><w:t>Бюд</w:t></w:r><w:r><w:t>жет</w:t></w:r></w:p>"
                            "<w:p><w:r><w:t xml:space=\"preserve\">na 2027</w:t></w:r></w:p>"),
            " Бюджет  na 2027 ");
  EXPECT_EQ(office_xml_text("<text:p>Zażółć<text:s/>gęślą</text:p>"), " Zażółć gęślą ");
  EXPECT_EQ(office_xml_text("<si><t>A &amp; B &lt;C&gt; &#1041;&#x44F;</t></si>"),
            " A & B <C> Бя ");
  EXPECT_EQ(office_xml_text("&bogus; &#0; &#xD800; tail &"), "      tail &");
  EXPECT_EQ(office_xml_text("<unclosed"), "");
}
