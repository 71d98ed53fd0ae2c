// Danish and English number formatting, HTML escaping, template filling and
// the report's text files. Every expected string is written out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "report/format.h"
#include "report/html.h"
#include "report/internal/texts.h"

namespace tryghed::report {
namespace {

constexpr Language kDa = Language::kDanish;
constexpr Language kEn = Language::kEnglish;

TEST(FormatDecimal, DanishUsesDecimalCommaAndThousandsDot) {
  EXPECT_EQ(FormatDecimal(1234.56, 1, kDa), "1.234,6");
  EXPECT_EQ(FormatDecimal(1234567.0, 0, kDa), "1.234.567");
  EXPECT_EQ(FormatDecimal(61.0, 0, kDa), "61");
  EXPECT_EQ(FormatDecimal(0.5, 2, kDa), "0,50");
  EXPECT_EQ(FormatDecimal(999.96, 1, kDa), "1.000,0");
  EXPECT_EQ(FormatDecimal(100.0, 0, kDa), "100");
}

TEST(FormatDecimal, EnglishUsesDecimalPointAndThousandsComma) {
  EXPECT_EQ(FormatDecimal(1234.56, 1, kEn), "1,234.6");
  EXPECT_EQ(FormatDecimal(52.671, 2, kEn), "52.67");
}

TEST(FormatDecimal, NegativeNumbersUseTheMinusSignAndZeroHasNoSign) {
  EXPECT_EQ(FormatDecimal(-2.5, 1, kDa), "\u22122,5");
  EXPECT_EQ(FormatDecimal(-1234.0, 0, kDa), "\u22121.234");
  EXPECT_EQ(FormatDecimal(-0.04, 1, kDa), "0,0");
  EXPECT_EQ(FormatDecimal(-0.4, 0, kEn), "0");
}

TEST(FormatDecimal, MissingAndNonFiniteValuesAreADash) {
  EXPECT_EQ(FormatDecimal(std::nullopt, 1, kDa), "\u2013");
  EXPECT_EQ(FormatDecimal(std::numeric_limits<double>::quiet_NaN(), 1, kDa), "\u2013");
  EXPECT_EQ(FormatDecimal(std::numeric_limits<double>::infinity(), 1, kEn), "\u2013");
  EXPECT_EQ(FormatPercent(std::nullopt, 0, kDa), "\u2013");
}

TEST(FormatPercent, DanishHasANonBreakingSpaceBeforeThePercentSign) {
  EXPECT_EQ(FormatPercent(0.1849, 0, kDa), "18\u00a0%");
  EXPECT_EQ(FormatPercent(0.1849, 1, kDa), "18,5\u00a0%");
  EXPECT_EQ(FormatPercent(1.0, 0, kDa), "100\u00a0%");
  EXPECT_EQ(FormatPercent(0.1849, 1, kEn), "18.5%");
  EXPECT_EQ(FormatPercentNumber(-0.033, 1, kDa), "\u22123,3");
}

TEST(FormatCount, GroupsThousands) {
  EXPECT_EQ(FormatCount(0, kDa), "0");
  EXPECT_EQ(FormatCount(999, kDa), "999");
  EXPECT_EQ(FormatCount(12345, kDa), "12.345");
  EXPECT_EQ(FormatCount(1000000, kEn), "1,000,000");
}

TEST(FormatP, SmallPValuesAreBounded) {
  EXPECT_EQ(FormatP(0.0004, kDa), "< 0,001");
  EXPECT_EQ(FormatP(0.0421, kDa), "0,042");
  EXPECT_EQ(FormatP(1.0, kEn), "1.000");
}

TEST(ConfidenceIntervalName, FollowsTheLevel) {
  EXPECT_EQ(ConfidenceIntervalName(0.95, kDa), "95\u00a0%-konfidensinterval");
  EXPECT_EQ(ConfidenceIntervalName(0.9, kEn), "90% confidence interval");
  EXPECT_EQ(ConfidenceIntervalName(0.995, kDa), "99,5\u00a0%-konfidensinterval");
}

TEST(EscapeHtml, EscapesMarkupAndQuotes) {
  EXPECT_EQ(EscapeHtml("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
  EXPECT_EQ(EscapeHtml("Søndergården"), "Søndergården");
}

TEST(EscapeCssString, CannotCloseTheStringOrTheStyleElement) {
  EXPECT_EQ(EscapeCssString("a\"b\\c</style>"), "a\\22 b\\5c c\\3c /style\\3e ");
}

TEST(FillTemplate, ReplacesPlaceholdersAndRejectsUnknownOnes) {
  core::Result<std::string> s = FillTemplate("<h1>{{title}}</h1>{{x}}", {{"title", "A &amp; B"}, {"x", "{{title}}"}});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(*s, "<h1>A &amp; B</h1>{{title}}");  // values are not searched again
  core::Result<std::string> missing = FillTemplate("a {{nope}} b", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("{{nope}}"), std::string::npos);
  EXPECT_FALSE(FillTemplate("a {{open", {}).ok());
}

TEST(Texts, ParseRejectsMalformedLinesAndRepeatedKeys) {
  core::Result<std::map<std::string, std::string>> ok = internal::ParseTexts("# c\n\na = b c\nd = {{e}}\n", "t");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->at("a"), "b c");
  EXPECT_EQ(ok->at("d"), "{{e}}");
  core::Result<std::map<std::string, std::string>> bad = internal::ParseTexts("a = b\nnokey\n", "t");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("t:2"), std::string::npos);
  EXPECT_FALSE(internal::ParseTexts("a = b\na = c\n", "t").ok());
}

TEST(Texts, DanishAndEnglishHaveTheSameKeys) {
  core::Result<std::map<std::string, std::string>> da = internal::LoadTexts(kDa);
  core::Result<std::map<std::string, std::string>> en = internal::LoadTexts(kEn);
  ASSERT_TRUE(da.ok()) << da.status().ToString();
  ASSERT_TRUE(en.ok()) << en.status().ToString();
  std::set<std::string> da_keys, en_keys;
  for (const auto& [k, v] : *da) da_keys.insert(k);
  for (const auto& [k, v] : *en) en_keys.insert(k);
  EXPECT_EQ(da_keys, en_keys);
  EXPECT_FALSE(internal::EmbeddedText("page.html").empty());
  EXPECT_FALSE(internal::EmbeddedText("style.css").empty());
}

}  // namespace
}  // namespace tryghed::report
