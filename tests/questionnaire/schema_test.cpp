// questionnaires/schema.json, the JSON Schema editors use, agrees with the
// shipped questionnaires and rejects what the loader rejects structurally.
// Validated with RapidJSON's SchemaValidator (draft-04 keywords; the draft-07
// keywords it does not know are ignored).
#include <gtest/gtest.h>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include "test_util.h"

namespace tryghed::questionnaire {
namespace {

std::string ReadSource(const std::string& relative) {
  core::Result<std::string> text = core::ReadFile(std::string(TRYGHED_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

class SchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rapidjson::Document d;
    d.Parse(ReadSource("questionnaires/schema.json").c_str());
    ASSERT_FALSE(d.HasParseError());
    schema_ = std::make_unique<rapidjson::SchemaDocument>(d);
  }

  // "" when `json` is valid, else the failing keyword and document pointer.
  std::string Validate(const std::string& json) {
    rapidjson::Document d;
    d.Parse(json.c_str());
    if (d.HasParseError()) return "parse error";
    rapidjson::SchemaValidator v(*schema_);
    if (d.Accept(v)) return "";
    rapidjson::StringBuffer where;
    v.GetInvalidDocumentPointer().StringifyUriFragment(where);
    return std::string(v.GetInvalidSchemaKeyword()) + " at " + where.GetString();
  }

  std::unique_ptr<rapidjson::SchemaDocument> schema_;
};

TEST_F(SchemaTest, AcceptsTheShippedQuestionnairesAndTheFixture) {
  EXPECT_EQ(Validate(ReadSource("questionnaires/tryghed-standard.json")), "");
  EXPECT_EQ(Validate(ReadSource("questionnaires/collective-efficacy.json")), "");
  EXPECT_EQ(Validate(testing::Mini()), "");
}

TEST_F(SchemaTest, RejectsAnUnknownKey) {
  // "scael" in T1 (section 0, item 0).
  EXPECT_EQ(Validate(testing::Replace(testing::Mini(), "\"Safe in the area?\"}, \"scale\"",
                                      "\"Safe in the area?\"}, \"scael\"")),
            "additionalProperties at #/sections/0/items/0/scael");
}

TEST_F(SchemaTest, RejectsAnUnknownItemTypeAndABadFormat) {
  EXPECT_EQ(Validate(testing::Replace(testing::Mini(), "{\"id\": \"C1\", \"type\": \"text\"",
                                      "{\"id\": \"C1\", \"type\": \"essay\"")),
            "enum at #/sections/5/items/3/type");
  EXPECT_EQ(Validate(testing::Replace(testing::Mini(), "\"tryghed-questionnaire/1\"", "\"tryghed-questionnaire/2\"")),
            "enum at #/format");
}

}  // namespace
}  // namespace tryghed::questionnaire
