// Canonical JSON and the content hash (the questionnaire version id).
#include "questionnaire/canonical.h"

#include <gtest/gtest.h>

#include "questionnaire/loader.h"
#include "test_util.h"

namespace tryghed::questionnaire {
namespace {

using testing::Fixture;
using testing::Mini;
using testing::Replace;

std::string Canon(std::string_view json) {
  core::Result<std::string> c = CanonicalJson(json);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : std::string();
}

std::string Hash(std::string_view json) {
  core::Result<std::string> h = ContentHash(json);
  EXPECT_TRUE(h.ok()) << h.status().ToString();
  return h.ok() ? *h : std::string();
}

TEST(CanonicalTest, SortsKeysDropsWhitespaceAndNormalisesNumbers) {
  // Keys by byte order ("B" 0x42 < "a" 0x61 < "b"), no whitespace; 1.0 and 1e2
  // are integers, 2.50 is 2.5, -0 is 0; \u00e6 becomes the UTF-8 character æ;
  // '"', '\' and the newline stay escaped, "/" does not.
  EXPECT_EQ(Canon("{ \"b\" : 1.0, \"a\": [1e2, 2.50, -0, \"x\\u00e6\\/\"], \"B\": \"q\\\"\\\\\\n\" }"),
            "{\"B\":\"q\\\"\\\\\\n\",\"a\":[100,2.5,0,\"xæ/\"],\"b\":1}");
}

TEST(CanonicalTest, ShortestRoundTripForNonIntegers) {
  // 0.1 + 0.2 written out in full reads back as the double 0.30000000000000004.
  EXPECT_EQ(Canon("[0.30000000000000004, 0.15, 1.5e-7, true, null]"), "[0.30000000000000004,0.15,1.5e-07,true,null]");
}

TEST(CanonicalTest, ControlCharactersAreEscapedAsUnicode) {
  EXPECT_EQ(Canon("[\"a\\u0001b\\t\"]"), "[\"a\\u0001b\\t\"]");
}

TEST(CanonicalTest, InvalidJsonIsAnError) {
  core::Result<std::string> c = CanonicalJson("{\"a\": }");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), core::StatusCode::kInvalidInput);
  EXPECT_NE(c.status().message().find("line 1, column 7"), std::string::npos) << c.status().message();
}

// Found by tests/fuzz/questionnaire_fuzzer: RapidJSON 1.1 decoded a lone low
// surrogate escape into bytes that are not UTF-8, and the canonical form was
// not JSON.
TEST(CanonicalTest, ALoneSurrogateEscapeIsAnErrorAPairIsACharacter) {
  for (const char* json : {"{\"a\": \"x\\udd40\"}", "[1, \"\\udc00\"]", "{\"x\\udfff\": 1}"}) {
    core::Result<std::string> c = CanonicalJson(json);
    ASSERT_FALSE(c.ok()) << json;
    EXPECT_EQ(c.status().code(), core::StatusCode::kInvalidInput);
    EXPECT_NE(c.status().message().find("line 1, column "), std::string::npos) << c.status().message();
    EXPECT_NE(c.status().message().find("lone surrogate"), std::string::npos) << c.status().message();
  }
  EXPECT_EQ(Canon("[\"\\ud83d\\ude00\"]"), "[\"\xf0\x9f\x98\x80\"]");  // U+1F600
}

// Found by tests/fuzz/questionnaire_fuzzer: a number above the largest double
// (1.7976931348623157e308) whose exponent RapidJSON lets through, such as
// 1.8e308, was read as infinity and written as "inf", which is not JSON.
TEST(CanonicalTest, ANumberBeyondADoubleIsAnError) {
  for (const char* json : {"[1, 1.8e308]", "[1, -1.8e308]", "[1, 17976931348623159e292]"}) {
    core::Result<std::string> c = CanonicalJson(json);
    ASSERT_FALSE(c.ok()) << json;
    EXPECT_EQ(c.status().code(), core::StatusCode::kInvalidInput);
    EXPECT_NE(c.status().message().find("line 1, column 5"), std::string::npos) << c.status().message();
    EXPECT_NE(c.status().message().find("too large for a double"), std::string::npos) << c.status().message();
  }
  EXPECT_EQ(Canon("[1.7976931348623157e308]"), "[1.7976931348623157e+308]");
}

TEST(CanonicalTest, HashIsSha256OfTheCanonicalForm) {
  // sha256("{}") (checked with sha256sum).
  EXPECT_EQ(Hash(" { } "), "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
}

TEST(CanonicalTest, HashIgnoresKeyOrderWhitespaceAndEscapes) {
  // mini-reordered.json is mini.json with every object's keys in reverse
  // order, tabs for indentation and non-ASCII written as \uXXXX.
  const std::string a = Mini();
  const std::string b = Fixture("mini-reordered.json");
  ASSERT_NE(a, b);
  EXPECT_EQ(Hash(a), Hash(b));
  core::Result<Questionnaire> qa = LoadQuestionnaire(a, "mini.json");
  core::Result<Questionnaire> qb = LoadQuestionnaire(b, "mini-reordered.json");
  ASSERT_TRUE(qa.ok()) << qa.status().ToString();
  ASSERT_TRUE(qb.ok()) << qb.status().ToString();
  EXPECT_EQ(qa->content_hash, qb->content_hash);
  EXPECT_EQ(qa->content_hash, Hash(a));
}

TEST(CanonicalTest, HashChangesWithOneCodeOneTextOrOneWeight) {
  const std::string base = Hash(Mini());
  // One code: safe4's "Ved ikke" 8 -> 9.
  const std::string code = Hash(Replace(Mini(), "{\"code\": 8, \"label\": {\"da\": \"Ved ikke\", \"en\": \"Don't know\"}, \"missing\": true}\n    ]},\n    \"agree5\"",
                                        "{\"code\": 9, \"label\": {\"da\": \"Ved ikke\", \"en\": \"Don't know\"}, \"missing\": true}\n    ]},\n    \"agree5\""));
  // One text: the Danish title.
  const std::string text = Hash(Replace(Mini(), "{\"da\": \"Mini\", \"en\": \"Mini\"}", "{\"da\": \"Mimi\", \"en\": \"Mini\"}"));
  // One weight pair swapped (still sums to 1).
  const std::string weight = Hash(Replace(Mini(), "\"tryghed\": 0.4, \"problemfrihed\": 0.3",
                                          "\"tryghed\": 0.3, \"problemfrihed\": 0.4"));
  EXPECT_NE(code, base);
  EXPECT_NE(text, base);
  EXPECT_NE(weight, base);
  EXPECT_NE(code, text);
  EXPECT_NE(text, weight);
  // Each edit still loads, so each is a different valid version.
  EXPECT_TRUE(LoadQuestionnaire(Replace(Mini(), "\"tryghed\": 0.4, \"problemfrihed\": 0.3",
                                        "\"tryghed\": 0.3, \"problemfrihed\": 0.4"), "w.json").ok());
}

}  // namespace
}  // namespace tryghed::questionnaire
