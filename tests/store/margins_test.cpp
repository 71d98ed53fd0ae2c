#include "store/margins.h"

#include <gtest/gtest.h>

namespace tryghed::store {
namespace {

using core::StatusCode;

// The message of a failed parse, or "" when it succeeded.
std::string Error(std::string_view text, std::optional<std::int64_t> population = std::nullopt) {
  auto r = ParseMarginsCsv(text, "m.csv", population);
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
  return r.status().message();
}

TEST(MarginsCsvTest, ReadsCellsInFileOrder) {
  auto r = ParseMarginsCsv("margin,level,N\nsex,f,930\nsex,m,870\nage,16-29,500\nage,30+,1300\n", "m.csv", 1800);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0], (Margin{"sex", "f", 930}));
  EXPECT_EQ((*r)[3], (Margin{"age", "30+", 1300}));
}

TEST(MarginsCsvTest, AcceptsBomCrlfBlankLinesQuotesAndHeaderCase) {
  auto r = ParseMarginsCsv("\xEF\xBB\xBFMargin,Level,n\r\n\r\n\"origin\",\"Danish, born\",10\r\norigin,other,5\r\n",
                           "m.csv");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0], (Margin{"origin", "Danish, born", 10}));
}

TEST(MarginsCsvTest, ErrorsNameTheLine) {
  EXPECT_EQ(Error(""), "m.csv: empty file; expected the header 'margin,level,N'");
  EXPECT_NE(Error("margin,level,count\nsex,f,1\n").find("m.csv:1: the header must be"), std::string::npos);
  EXPECT_EQ(Error("margin,level,N\n"), "m.csv: no margin rows after the header");
  EXPECT_EQ(Error("margin,level,N\nsex,f,1\nsex,m,abc\n"), "m.csv:3: N must be a whole number >= 0, got 'abc'");
  EXPECT_EQ(Error("margin,level,N\nsex,f,-1\n"), "m.csv:2: N must be a whole number >= 0, got '-1'");
  EXPECT_EQ(Error("margin,level,N\nsex,f,1.5\n"), "m.csv:2: N must be a whole number >= 0, got '1.5'");
  EXPECT_EQ(Error("margin,level,N\nsex,f,\n"), "m.csv:2: N must be a whole number >= 0, got ''");
  EXPECT_EQ(Error("margin,level,N\n\nsex,f\n"), "m.csv:3: expected 3 fields (margin,level,N), got 2");
  EXPECT_EQ(Error("margin,level,N\nsex,f,1,2\n"), "m.csv:2: expected 3 fields (margin,level,N), got 4");
  EXPECT_EQ(Error("margin,level,N\n,f,1\n"), "m.csv:2: the margin name is empty");
  EXPECT_EQ(Error("margin,level,N\nsex,,1\n"), "m.csv:2: the level is empty");
  EXPECT_EQ(Error("margin,level,N\nsex,f,1\nsex,m,1\nsex,f,2\n"), "m.csv:4: margin 'sex' level 'f' appears twice");
  EXPECT_EQ(Error("margin,level,N\nsex,\"f,1\n"), "m.csv:2: a quoted field is not closed");
}

TEST(MarginsCsvTest, EveryMarginDescribesTheSamePopulation) {
  EXPECT_EQ(Error("margin,level,N\nsex,f,5\nsex,m,5\nage,young,3\nage,old,6\n"),
            "m.csv:4: margin 'age' sums to 9 but margin 'sex' sums to 10; every margin must describe the same "
            "population");
  EXPECT_EQ(Error("margin,level,N\nsex,f,5\nsex,m,5\n", 11), "m.csv:2: margin 'sex' sums to 10 but the area's population is 11");
  EXPECT_EQ(Error("margin,level,N\nsex,f,5\nsex,m,6\n", 11), "");
}

}  // namespace
}  // namespace tryghed::store
