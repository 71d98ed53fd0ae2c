#include "core/utf8.h"

#include <gtest/gtest.h>

namespace tryghed::core {
namespace {

// Cases from RFC 3629 section 3 and the Unicode standard's table 3-7 of
// well-formed byte sequences, written out by hand.
TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Tryg i Gadehav\xc3\xb8g\xc3\xa5rd"));           // ø å: two bytes
  EXPECT_TRUE(IsValidUtf8("\xe2\x82\xac \xef\xbf\xbd"));                    // € and U+FFFD: three bytes
  EXPECT_TRUE(IsValidUtf8("\xd8\xa3\xd9\x85\xd8\xa7\xd9\x86"));             // Arabic
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf"));            // U+1F600 and U+10FFFF: four bytes
  EXPECT_TRUE(IsValidUtf8(std::string_view("a\0b", 3)));                    // NUL is a character
}

TEST(Utf8Test, RefusesWhatNoEncoderWrites) {
  EXPECT_FALSE(IsValidUtf8("\xff"));              // never a UTF-8 byte
  EXPECT_FALSE(IsValidUtf8("Gadehav\xf8g\xe5rd"));  // Windows-1252 ø å
  EXPECT_FALSE(IsValidUtf8("\x80"));              // a lone continuation byte
  EXPECT_FALSE(IsValidUtf8("\xc3"));              // truncated at the end
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated three-byte sequence
  EXPECT_FALSE(IsValidUtf8("\xc3x"));             // a lead byte without its continuation
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong '/' in three bytes
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // the surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // U+110000, above the last code point
}

}  // namespace
}  // namespace tryghed::core
