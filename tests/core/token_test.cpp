#include "core/token.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace tryghed::core {
namespace {

TEST(TokenTest, HasTheAdvertisedLengthAndAlphabet) {
  Result<std::string> t = NewToken();
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->size(), 26u);
  for (char c : *t) EXPECT_NE(std::string("0123456789abcdefghjkmnpqrstvwxyz").find(c), std::string::npos) << c;
  EXPECT_TRUE(IsToken(*t));
}

TEST(TokenTest, LeavesOutLettersThatReadAsDigits) {
  for (char c : std::string("ilouILOU-_+/=")) EXPECT_FALSE(IsToken(std::string(26, c))) << c;
  EXPECT_FALSE(IsToken("abc"));                   // too short
  EXPECT_FALSE(IsToken(std::string(27, 'a')));    // too long
  EXPECT_TRUE(IsToken(std::string(26, 'z')));
}

TEST(TokenTest, TenThousandTokensAreDistinctAndUseEveryCharacter) {
  // 130 bits each: a repeat among 10,000 has probability ~ 10^8 / 2^131.
  std::set<std::string> seen;
  std::set<char> chars;
  for (int i = 0; i < 10000; ++i) {
    Result<std::string> t = NewToken();
    ASSERT_TRUE(t.ok());
    chars.insert(t->begin(), t->end());
    seen.insert(*t);
  }
  EXPECT_EQ(seen.size(), 10000u);
  EXPECT_EQ(chars.size(), 32u);  // 260,000 draws miss a given character with probability (31/32)^260000
}

TEST(TokenTest, RefusesSillyLengths) {
  EXPECT_EQ(NewToken(0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NewToken(257).status().code(), StatusCode::kInvalidArgument);
  Result<std::string> t = NewToken(8);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(IsToken(*t, 8));
}

}  // namespace
}  // namespace tryghed::core
