// Schema migrations on a database an older tryghed left behind: built here
// with the old migrations' own statements and plain SQL (no store), then
// opened by the current store, which must migrate it without losing a value.
#include <gtest/gtest.h>

#include <string>

#include "store/internal/dialect.h"
#include "store/internal/testing.h"
#include "store_test_env.h"

namespace tryghed::store::testing {
namespace {

using internal::StoreTestAccess;

class MigrationTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (db_->skip()) GTEST_SKIP() << db_->error();
    ASSERT_TRUE(db_->error().empty()) << db_->error();
  }

  // The schema as tryghed with schema version `version` wrote it.
  void CreateSchemaUpTo(int version) {
    const internal::Dialect& d = internal::DialectFor(GetParam());
    std::string script = std::string(internal::VersionTableStatement()) + ";\n";
    for (int v = 1; v <= version; ++v) {
      for (const std::string& sql : internal::MigrationStatements(v, d)) script += sql + ";\n";
      script += "INSERT INTO schema_version (version, applied_at, program) VALUES (" + std::to_string(v) +
                ", '2026-01-01T00:00:00Z', 'tryghed');\n";
    }
    ASSERT_EQ(db_->ExecuteScript(script), "");
  }

  std::unique_ptr<TestDatabase> db_;
};

// Version 4 kept one row per answer in the table `answer`; version 5 keeps
// them in the response row. Every kind, the values that are hard to carry
// (a double that needs 17 digits, a whole number, quotes, a backslash, a
// newline, Arabic, a code list) and a response without answers come through.
TEST_P(MigrationTest, AnswerRowsMoveIntoTheirResponsesUnchanged) {
  CreateSchemaUpTo(4);
  ASSERT_FALSE(HasFatalFailure());
  const std::string hash(64, 'a');
  ASSERT_EQ(db_->ExecuteScript(
                "INSERT INTO study (name, created_on) VALUES ('S', '2026-01-01');"
                "INSERT INTO area (study_id, name, role, population) VALUES (1, 'A', 'pilot', 100);"
                "INSERT INTO questionnaire_version (content_hash, json_text, added_on) VALUES ('" + hash +
                "', '{}', '2026-01-01');"
                "INSERT INTO wave (study_id, label, questionnaire_version_id, status) VALUES (1, 'w', 1, 'open');"
                "INSERT INTO response (wave_id, area_id, channel, language, questionnaire_version_id, received_on,"
                " completeness) VALUES (1, 1, 'kiosk', 'ar', 1, '2026-03-02', 'complete'),"
                " (1, 1, 'open', 'da', 1, '2026-03-03', 'partial');"
                "INSERT INTO answer (response_id, item, kind, code) VALUES (1, 'T1', 'code', 4), (1, 'T2', 'code', 1);"
                "INSERT INTO answer (response_id, item, kind, codes) VALUES (1, 'P1', 'codes', '2,5,9');"
                "INSERT INTO answer (response_id, item, kind, number_value) VALUES (1, 'N1', 'number', 0.30000000000000004),"
                " (1, 'N2', 'number', 35);"
                "INSERT INTO answer (response_id, item, kind, text_value) VALUES"
                " (1, 'X1', 'text', 'Lys på \"stien\" \\ og ''her''\nمرحبا');"),
            "");
  auto opened = Store::Open(db_->url());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Store& store = **opened;
  auto version = StoreTestAccess::QueryText(store, "SELECT MAX(version) FROM schema_version");
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(version->front(), std::to_string(CurrentSchemaVersion()));

  auto read = store.ReadResponses(1);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 2u);
  const core::Answers expected{{"T1", core::Code{4}},
                               {"T2", core::Code{1}},
                               {"P1", core::Codes{2, 5, 9}},
                               {"N1", 0.30000000000000004},
                               {"N2", 35.0},
                               {"X1", std::string("Lys på \"stien\" \\ og 'her'\nمرحبا")}};
  EXPECT_EQ((*read)[0].answers, expected);
  EXPECT_EQ((*read)[0].meta.language, "ar");
  EXPECT_TRUE((*read)[1].answers.empty());

  // The view `answer` shows the old table's rows, values and kinds.
  auto rows = StoreTestAccess::QueryText(
      store, "SELECT response_id || '|' || item || '|' || kind || '|' || COALESCE(CAST(code AS TEXT), '') || '|' ||"
             " COALESCE(codes, '') || '|' || COALESCE(text_value, '') FROM answer"
             " WHERE kind <> 'number' ORDER BY response_id, item");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<std::string>{"1|P1|codes||2,5,9|", "1|T1|code|4||", "1|T2|code|1||",
                                             "1|X1|text|||Lys på \"stien\" \\ og 'her'\nمرحبا"}));
  auto numbers = StoreTestAccess::QueryText(
      store, "SELECT item FROM answer WHERE kind = 'number' AND number_value IN (0.30000000000000004, 35) ORDER BY item");
  ASSERT_TRUE(numbers.ok()) << numbers.status().ToString();
  EXPECT_EQ(*numbers, (std::vector<std::string>{"N1", "N2"}));

  // Still written once: neither the view nor the response can be changed.
  for (const std::string sql : {"UPDATE answer SET code = 5 WHERE item = 'T1'", "DELETE FROM answer",
                                "INSERT INTO answer (response_id, item, kind, code) VALUES (2, 'T1', 'code', 1)",
                                "UPDATE response SET answers = '{}'"}) {
    auto r = StoreTestAccess::Execute(store, sql);
    ASSERT_FALSE(r.ok()) << sql << " was accepted";
    EXPECT_NE(r.status().message().find("never changed"), std::string::npos) << r.status().message();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendParamName);

}  // namespace
}  // namespace tryghed::store::testing
