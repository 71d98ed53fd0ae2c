// core::AppendJsonString / QuoteJson: the escaping RFC 8259 section 7 asks
// for, byte by byte. The canonical questionnaire's hash depends on these
// bytes, so each case is written out by hand.
#include "core/json_string.h"

#include <gtest/gtest.h>

#include <string>

namespace tryghed::core {
namespace {

TEST(JsonString, PlainTextIsOnlyQuoted) {
  EXPECT_EQ(QuoteJson(""), "\"\"");
  EXPECT_EQ(QuoteJson("B1 tryg/utryg"), "\"B1 tryg/utryg\"");  // '/' needs no escape
}

TEST(JsonString, QuoteAndBackslashGetABackslash) {
  EXPECT_EQ(QuoteJson("a\"b\\c"), "\"a\\\"b\\\\c\"");
}

TEST(JsonString, TheFiveShortEscapesAndHexForOtherControls) {
  EXPECT_EQ(QuoteJson("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  // U+0000, U+0001, U+001F: six characters each, lower-case hex.
  EXPECT_EQ(QuoteJson(std::string("\0\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  // U+007F (DEL) is not a control character for JSON and stays as it is.
  EXPECT_EQ(QuoteJson("\x7f"), "\"\x7f\"");
}

TEST(JsonString, Utf8IsCopiedNotEscaped) {
  // "Tryghed på Blågårds Plads" and Arabic "أمان": bytes above 0x7F as they are.
  EXPECT_EQ(QuoteJson("p\xc3\xa5 \xd8\xa3\xd9\x85\xd8\xa7\xd9\x86"), "\"p\xc3\xa5 \xd8\xa3\xd9\x85\xd8\xa7\xd9\x86\"");
}

TEST(JsonString, AppendKeepsWhatIsThere) {
  std::string out = "{";
  AppendJsonString(out, "B1");
  out += ':';
  AppendJsonString(out, "x\ny");
  EXPECT_EQ(out, "{\"B1\":\"x\\ny\"");
}

}  // namespace
}  // namespace tryghed::core
