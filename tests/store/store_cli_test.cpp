// The store verbs end to end: cli::Main in-process on a temporary SQLite file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "cli/app.h"
#include "cli_run.h"
#include "cli/exit_codes.h"
#include "store/internal/testing.h"
#include "store/store.h"
#include "store_test_env.h"

namespace tryghed::cli {
namespace {

using testing::CliRun;

class StoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::make_unique<store::testing::TestDatabase>(store::Backend::kSqlite);
    path_ = db_->url();
  }

  CliRun Tryghed(std::vector<std::string> args, bool with_db = true) {
    return testing::RunTryghed(std::move(args), with_db ? path_ : "");
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string p = db_->dir() + "/" + name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

  std::unique_ptr<store::testing::TestDatabase> db_;
  std::string path_;
};

TEST_F(StoreCliTest, SetsUpAStudyFromInitToClosedWave) {
  CliRun r = Tryghed({"init"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  // init reports the schema it created: the newest this program knows.
  EXPECT_NE(r.out.find("schema version " + std::to_string(store::CurrentSchemaVersion())), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(path_));

  r = Tryghed({"study", "create", "Gadehavegård 2026", "--description", "pilot"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "created study 1: Gadehavegård 2026\n");
  r = Tryghed({"study", "create", "Gadehavegård 2026"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  r = Tryghed({"study", "list"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("1\tGadehavegård 2026\t"), std::string::npos) << r.out;

  const std::string margins = WriteFile("margins.csv", "margin,level,N\nsex,f,930\nsex,m,870\n");
  r = Tryghed({"area", "add", "Gadehavegård", "--study", "Gadehavegård 2026", "--role", "pilot", "--population",
               "1800", "--margins", margins});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("2 margin cells"), std::string::npos) << r.out;
  r = Tryghed({"area", "add", "Charlotteager", "--study", "Gadehavegård 2026", "--role", "comparison"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  r = Tryghed({"area", "list", "--study", "Gadehavegård 2026"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("Gadehavegård\tpilot\t1800\t2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Charlotteager\tcomparison\t-\t0"), std::string::npos) << r.out;

  const std::string q = std::string(TRYGHED_SOURCE_DIR) + "/questionnaires/tryghed-standard.json";
  r = Tryghed({"wave", "create", "baseline", "--study", "Gadehavegård 2026", "--from", "2026-03-01", "--to",
               "2026-04-15", "--questionnaire", q});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  r = Tryghed({"wave", "create", "follow-up", "--study", "Gadehavegård 2026"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  r = Tryghed({"wave", "open", "follow-up", "--study", "Gadehavegård 2026"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("no questionnaire version"), std::string::npos) << r.err;
  r = Tryghed({"wave", "open", "baseline", "--study", "Gadehavegård 2026"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "wave baseline is now open\n");
  r = Tryghed({"wave", "close", "baseline", "--study", "Gadehavegård 2026"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  r = Tryghed({"wave", "open", "baseline", "--study", "Gadehavegård 2026"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("is closed"), std::string::npos) << r.err;
  r = Tryghed({"wave", "list", "--study", "Gadehavegård 2026"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("baseline\tclosed\t2026-03-01\t2026-04-15\t"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("follow-up\tdraft\t-\t-\t-\t0"), std::string::npos) << r.out;

  // The CLI wrote what the store reads.
  auto s = store::Store::Open(path_);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto study = (*s)->FindStudy("Gadehavegård 2026");
  ASSERT_TRUE(study.ok());
  auto area = (*s)->FindArea(study->id, "Gadehavegård");
  ASSERT_TRUE(area.ok());
  EXPECT_EQ((*s)->GetMargins(area->id, std::nullopt)->size(), 2u);
  auto wave = (*s)->FindWave(study->id, "baseline");
  ASSERT_TRUE(wave.ok());
  EXPECT_EQ(wave->status, store::WaveStatus::kClosed);
  ASSERT_TRUE(wave->questionnaire_version_id.has_value());
  EXPECT_EQ((*s)->GetQuestionnaireVersion(*wave->questionnaire_version_id)->content_hash.size(), 64u);
}

TEST_F(StoreCliTest, BadMarginsAreReportedWithTheirLineAndNothingIsWritten) {
  ASSERT_EQ(Tryghed({"study", "create", "S"}).code, kExitOk);
  const std::string margins = WriteFile("margins.csv", "margin,level,N\nsex,f,930\nsex,m,many\n");
  CliRun r = Tryghed({"area", "add", "A", "--study", "S", "--margins", margins});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(r.err, "tryghed: invalid input: " + margins + ":3: N must be a whole number >= 0, got 'many'\n");
  const std::string sums = WriteFile("sums.csv", "margin,level,N\nsex,f,930\nsex,m,870\n");
  r = Tryghed({"area", "add", "A", "--study", "S", "--population", "2000", "--margins", sums});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find(":2: margin 'sex' sums to 1800 but the area's population is 2000"), std::string::npos) << r.err;
  r = Tryghed({"area", "add", "A", "--study", "S", "--margins", db_->dir() + "/missing.csv"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r.err;
  r = Tryghed({"area", "list", "--study", "S"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out, "id\tname\trole\tpopulation\tmargin cells\n");
}

TEST_F(StoreCliTest, UsesTryghedDbWhenNoDbIsGiven) {
  ASSERT_EQ(::setenv("TRYGHED_DB", path_.c_str(), 1), 0);
  CliRun r = Tryghed({"study", "create", "From env"}, /*with_db=*/false);
  ::unsetenv("TRYGHED_DB");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  r = Tryghed({"study", "list"});
  EXPECT_NE(r.out.find("From env"), std::string::npos) << r.out;
}

// The order every verb follows (cli/database.h): --db, then store.db of the
// --config file (the server's properties file), then $TRYGHED_DB.
TEST_F(StoreCliTest, TheDatabaseComesFromDbThenTheConfigFileThenTheEnvironment) {
  const std::string other = db_->dir() + "/other.db";
  const std::string config = WriteFile("serve.properties", "# as for tryghed serve\nstore.db = " + path_ +
                                                               "\nserver.port = 8081\nrate_limit.per_minute = 0\n");
  ASSERT_EQ(::setenv("TRYGHED_DB", other.c_str(), 1), 0);
  CliRun r = Tryghed({"init", "--config", config}, /*with_db=*/false);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  EXPECT_EQ(r.out.rfind("database ready: " + path_ + " (", 0), 0u) << r.out;
  r = Tryghed({"study", "create", "From the config", "--config", config}, false);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  // --db beats the file.
  r = Tryghed({"study", "create", "From --db", "--config", config, "--db", other}, false);
  EXPECT_EQ(r.code, kExitOk) << r.err;
  // A file without store.db leaves the choice to $TRYGHED_DB.
  const std::string no_db = WriteFile("no-db.properties", "server.port = 8081\n");
  r = Tryghed({"study", "create", "From the environment", "--config", no_db}, false);
  ::unsetenv("TRYGHED_DB");
  EXPECT_EQ(r.code, kExitOk) << r.err;

  r = Tryghed({"study", "list"});
  EXPECT_NE(r.out.find("From the config"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("From --db"), std::string::npos) << r.out;
  r = Tryghed({"study", "list", "--db", other}, false);
  EXPECT_NE(r.out.find("From --db"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("From the environment"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("From the config"), std::string::npos) << r.out;
}

TEST_F(StoreCliTest, ABadConfigFileIsNamedAndNothingIsOpened) {
  const std::string typo = WriteFile("typo.properties", "stor.db = " + path_ + "\n");
  CliRun r = Tryghed({"study", "create", "Never", "--config", typo}, false);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find(typo + ": unknown setting 'stor.db'"), std::string::npos) << r.err;
  r = Tryghed({"study", "list", "--config", db_->dir() + "/missing.properties"}, false);
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("missing.properties"), std::string::npos) << r.err;
  // The typo did not fall back to another database: none was made.
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(StoreCliTest, RefusesANewerDatabaseWithOneLine) {
  {
    auto s = store::Store::Open(path_);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(store::internal::StoreTestAccess::Execute(
                    **s, "INSERT INTO schema_version (version, applied_at, program) VALUES (7, 'x', 'future')")
                    .ok());
  }
  CliRun r = Tryghed({"init"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("newer tryghed"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST_F(StoreCliTest, UnknownStudyAndUnreachableDatabaseFail) {
  CliRun r = Tryghed({"wave", "list", "--study", "nope"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("no study named 'nope'"), std::string::npos) << r.err;
  r = Tryghed({"study", "list", "--db", "postgresql://nobody@127.0.0.1:1/x?connect_timeout=2"}, false);
  EXPECT_EQ(r.code, kExitFailure);
  EXPECT_NE(r.err.find("cannot connect"), std::string::npos) << r.err;
}

TEST_F(StoreCliTest, EveryVerbHasHelpWithAnExample) {
  for (const std::vector<std::string>& verb :
       std::vector<std::vector<std::string>>{{"init"},
                                             {"study", "create"},
                                             {"study", "list"},
                                             {"area", "add"},
                                             {"area", "list"},
                                             {"wave", "create"},
                                             {"wave", "open"},
                                             {"wave", "close"},
                                             {"wave", "list"}}) {
    std::vector<std::string> args = verb;
    args.push_back("--help");
    CliRun r = Tryghed(args, false);
    EXPECT_EQ(r.code, kExitOk) << verb[0];
    EXPECT_NE(r.out.find("Example"), std::string::npos) << verb.back() << ": " << r.out;
    EXPECT_NE(r.out.find("--db"), std::string::npos) << verb.back();
  }
}

}  // namespace
}  // namespace tryghed::cli
