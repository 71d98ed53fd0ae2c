#include "core/csv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace tryghed::core {
namespace {

CsvTable Parse(const std::string& text) {
  auto t = ParseCsv(text, "f.csv");
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : CsvTable{};
}

TEST(Csv, CommaHeaderRowsAndLines) {
  CsvTable t = Parse("a,b\n1,2\n3,\n");
  EXPECT_EQ(t.separator, ',');
  EXPECT_EQ(t.names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1][1], "");
  EXPECT_EQ(t.lines, (std::vector<std::size_t>{2, 3}));
}

TEST(Csv, SemicolonDetectedAndDecimalComma) {
  CsvTable t = Parse("x;q2\n1,5;2\n\"3,25\";-0,5e1\n");
  EXPECT_EQ(t.separator, ';');
  auto x = NumericColumn(t, "x");
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  EXPECT_EQ((*x)[0], 1.5);
  EXPECT_EQ((*x)[1], 3.25);
  EXPECT_EQ((*NumericColumn(t, "q2"))[1], -5.0);
}

TEST(Csv, DecimalCommaNotAcceptedWithCommaSeparator) {
  CsvTable t = Parse("x,y\n\"1,5\",2\n");
  auto x = NumericColumn(t, "x");
  ASSERT_FALSE(x.ok());
  EXPECT_EQ(x.status().message(), "f.csv:2: column \"x\": \"1,5\" is not a number");
}

TEST(Csv, Utf8BomAndCrlf) {
  CsvTable t = Parse("\xEF\xBB\xBFområde,n\r\nGadehavegård,3\r\n");
  EXPECT_EQ(t.names[0], "område");
  EXPECT_EQ(t.rows[0][0], "Gadehavegård");
  EXPECT_EQ(t.rows[0][1], "3");
}

TEST(Csv, QuotedSeparatorsQuotesAndNewlines) {
  CsvTable t = Parse("id,text\n1,\"a, \"\"b\"\"\nc\"\n2,d\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0][1], "a, \"b\"\nc");
  EXPECT_EQ(t.lines[0], 2u);
  EXPECT_EQ(t.lines[1], 4u);  // the quoted newline moved the next row down
}

TEST(Csv, EmptyCellAndNAAreMissing) {
  CsvTable t = Parse("q\n\nNA\n 4 \n");
  // The empty second line is skipped as an empty line; NA and " 4 " remain.
  auto q = NumericColumn(t, "q");
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->size(), 2u);
  EXPECT_TRUE(std::isnan((*q)[0]));
  EXPECT_EQ((*q)[1], 4.0);
  CsvTable u = Parse("a,b\n,1\n");
  EXPECT_TRUE(std::isnan((*NumericColumn(u, "a"))[0]));
}

TEST(Csv, NotANumberNamesFileLineAndColumn) {
  CsvTable t = Parse("q1,q2\n1,2\n3,abc\n");
  auto q = NumericColumn(t, "q2");
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(q.status().message(), "f.csv:3: column \"q2\": \"abc\" is not a number");
  for (const char* bad : {"1.2.3", "inf", "nan", "1e999", "12a"}) {
    CsvTable b = Parse(std::string("x\n") + bad + "\n");
    EXPECT_FALSE(NumericColumn(b, "x").ok()) << bad;
  }
}

TEST(Csv, UnknownColumnListsTheColumns) {
  CsvTable t = Parse("a,b\n1,2\n");
  auto c = t.Column("c");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(c.status().message(), "f.csv: no column \"c\" (columns: a, b)");
}

TEST(Csv, LocatedErrors) {
  auto unterminated = ParseCsv("a,b\n1,\"open\n2,3\n", "f.csv");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_EQ(unterminated.status().message(), "f.csv:2:3: unterminated quote: the quoted field never ends");
  auto stray = ParseCsv("a,b\n1,x\"y\n", "f.csv");
  ASSERT_FALSE(stray.ok());
  EXPECT_NE(stray.status().message().find("f.csv:2:4:"), std::string::npos) << stray.status().message();
  auto after = ParseCsv("a,b\n1,\"x\"y\n", "f.csv");
  ASSERT_FALSE(after.ok());
  EXPECT_NE(after.status().message().find("f.csv:2:6:"), std::string::npos) << after.status().message();
  auto width = ParseCsv("a,b\n1,2\n3\n", "f.csv");
  ASSERT_FALSE(width.ok());
  EXPECT_EQ(width.status().message(), "f.csv:3: the row has 1 fields, the header 2 (separator ',')");
  auto dup = ParseCsv("a,a\n1,2\n", "f.csv");
  ASSERT_FALSE(dup.ok());
  auto empty = ParseCsv("", "f.csv");
  ASSERT_FALSE(empty.ok());
}

TEST(Csv, LastLineWithoutNewline) {
  CsvTable t = Parse("a,b\n1,2");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0][1], "2");
  CsvTable q = Parse("a\n\"x\"");
  EXPECT_EQ(q.rows[0][0], "x");
}

}  // namespace
}  // namespace tryghed::core
