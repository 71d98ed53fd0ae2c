#include "questionnaire/builtin.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/file.h"
#include "questionnaire/loader.h"

namespace tryghed::questionnaire {
namespace {

// The program carries the shipped questionnaires byte for byte, so the
// built-in version has the same content hash as the file.
TEST(BuiltinTest, EmbedsTheShippedFilesExactly) {
  for (const char* id : {"tryghed-standard", "collective-efficacy"}) {
    auto file = core::ReadFile(std::string(TRYGHED_SOURCE_DIR) + "/questionnaires/" + id + ".json");
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    EXPECT_EQ(BuiltinQuestionnaireJson(id), *file) << id;
    auto q = LoadQuestionnaire(BuiltinQuestionnaireJson(id), id);
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    EXPECT_EQ(q->id, id);
  }
}

TEST(BuiltinTest, ListsQuestionnairesButNotTheSchema) {
  auto ids = BuiltinQuestionnaireIds();
  std::sort(ids.begin(), ids.end());
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], "collective-efficacy");
  EXPECT_EQ(ids[1], "tryghed-standard");
  EXPECT_TRUE(BuiltinQuestionnaireJson("schema").empty());
  EXPECT_TRUE(BuiltinQuestionnaireJson("no-such-questionnaire").empty());
}

}  // namespace
}  // namespace tryghed::questionnaire
