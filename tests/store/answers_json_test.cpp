// The JSON object of a response's answers (store/internal/answers_json.h):
// the exact text written, reading back every kind of value exactly, the
// forms the schema-5 migration writes, and located errors for anything else.
#include "store/internal/answers_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace tryghed::store::internal {
namespace {

TEST(AnswersJsonTest, WritesKindsInTheirOrderAndItemsInTheMapsOrder) {
  const core::Answers answers{{"T2", core::Code{4}},
                              {"T1", core::Code{3}},
                              {"age", 34.0},
                              {"P1", core::Codes{1, 3}},
                              {"C1", std::string("Lys på \"stien\"\\\n")}};
  // Written out by hand: codes, then code lists, numbers, texts; a whole
  // number stays apart from a code by its kind; quote, backslash and newline
  // escaped, the å kept as UTF-8.
  EXPECT_EQ(PackAnswers(answers),
            "{\"code\":{\"T1\":3,\"T2\":4},\"codes\":{\"P1\":[1,3]},\"number\":{\"age\":34},"
            "\"text\":{\"C1\":\"Lys på \\\"stien\\\"\\\\\\n\"}}");
  EXPECT_EQ(PackAnswers({}), "{}");
  EXPECT_EQ(PackAnswers({{"x", std::string("\x01\x1f")}}), "{\"text\":{\"x\":\"\\u0001\\u001f\"}}");
}

TEST(AnswersJsonTest, EveryValueReadsBackExactly) {
  const core::Answers answers{
      {"n1", 0.1},
      {"n2", 1e300},
      {"n3", std::numeric_limits<double>::denorm_min()},
      {"n4", -2.5},
      {"n5", 0.1 + 0.2},  // 0.30000000000000004: needs all 17 digits
      {"n6", 3.0},
      {"c1", core::Code{std::numeric_limits<core::Code>::min()}},
      {"c2", core::Code{std::numeric_limits<core::Code>::max()}},
      {"m0", core::Codes{}},
      {"m1", core::Codes{-1, 0, 7}},
      {"t0", std::string()},
      {"t1", std::string("مرحبا \"بك\" 🙂\t\\/")},
      {"t2", std::string("{\"code\":{}}")},
  };
  auto back = UnpackAnswers(PackAnswers(answers));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, answers);
  EXPECT_EQ(std::get<double>(back->at("n5")), 0.1 + 0.2);
  EXPECT_TRUE(std::holds_alternative<double>(back->at("n6")));
}

TEST(AnswersJsonTest, ReadsWhatTheMigrationWrites) {
  // PostgreSQL's json_build_object / json_object_agg put spaces around the
  // tokens and write large doubles with an exponent; SQLite's migration
  // writes 17 significant digits (3.0000000000000000 style) and may leave
  // a kind as an empty object. \u escapes, with a surrogate pair.
  const std::string pg =
      "{\"code\" : { \"T1\" : 3, \"T2\" : 5 }, \"codes\" : { \"P\" : [1, 2] }, \"number\" : { \"N\" : 1.5e+20 },"
      " \"text\" : { \"X\" : \"a\\u00e5\\ud83d\\ude42\\/\" }}";
  auto a = UnpackAnswers(pg);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const core::Answers expected{{"T1", core::Code{3}},
                               {"T2", core::Code{5}},
                               {"P", core::Codes{1, 2}},
                               {"N", 1.5e20},
                               {"X", std::string("a\xc3\xa5\xf0\x9f\x99\x82/")}};
  EXPECT_EQ(*a, expected);
  auto b = UnpackAnswers("{\"code\":{},\"codes\":{},\"number\":{\"N\":2.5000000000000000},\"text\":{}}");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(*b, (core::Answers{{"N", 2.5}}));
}

TEST(AnswersJsonTest, AnythingElseIsAnErrorThatSaysWhatAndWhere) {
  struct Case {
    const char* json;
    const char* message;
  };
  for (const Case& c : {
           Case{"", "expected '{' at byte 0"},
           Case{"{\"score\":{}}", "unknown answer kind 'score'"},
           Case{"{\"code\":{\"T1\":\"3\"}}", "item 'T1' has no valid code value"},
           Case{"{\"code\":{\"T1\":3.5}}", "item 'T1' has no valid code value"},
           Case{"{\"code\":{\"T1\":99999999999999999999}}", "item 'T1' has no valid code value"},
           Case{"{\"codes\":{\"P\":[1,}}", "item 'P' has no valid codes value"},
           Case{"{\"number\":{\"N\":1e999}}", "item 'N' has no valid number value"},
           Case{"{\"code\":{\"T1\":3},\"code\":{\"T1\":4}}", "an item appears twice"},
           Case{"{\"text\":{\"X\":\"\\udc00\"}}", "item 'X' has no valid text value"},
           Case{"{\"text\":{\"X\":\"open}}", "item 'X' has no valid text value"},
           Case{"{} x", "unexpected text after the object at byte 3"},
           Case{"{\"code\":{\"T1\":3}", "expected ',' or '}' at byte 16"},
       }) {
    auto r = UnpackAnswers(c.json);
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidInput) << c.json;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << c.json << " -> " << r.status().message();
    EXPECT_NE(r.status().message().find(" at byte "), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace tryghed::store::internal
