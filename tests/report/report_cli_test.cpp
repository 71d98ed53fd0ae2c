// `tryghed report` end to end through cli::Main: from a saved result, from a
// study in a SQLite file made by `tryghed demo`, the PDF error path and the
// error for a broken result file.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/app.h"
#include "core/file.h"

namespace tryghed::cli {
namespace {

namespace fs = std::filesystem;

int RunCli(const std::vector<std::string>& args, std::string* err = nullptr) {
  std::ostringstream out, error;
  std::vector<std::string> argv = {"tryghed"};
  argv.insert(argv.end(), args.begin(), args.end());
  const int rc = Main(argv, out, error);
  if (err) *err = error.str();
  return rc;
}

class ReportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tryghed-report-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string P(const std::string& name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(ReportCliTest, RendersASavedResultInEnglish) {
  std::string err;
  ASSERT_EQ(RunCli({"report", "--from-json", std::string(TRYGHED_TEST_DATA) + "/report/small-result.json", "--out",
                    P("r.html"), "--lang", "en"},
                   &err),
            0)
      << err;
  core::Result<std::string> html = core::ReadFile(P("r.html"));
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("The increase is statistically significant."), std::string::npos);
}

TEST_F(ReportCliTest, EvaluatesAStudyWhenNoResultIsGiven) {
  std::string err;
  ASSERT_EQ(RunCli({"demo", "--db", P("demo.db")}, &err), 0) << err;
  ASSERT_EQ(RunCli({"report", "--study", "demo", "--db", P("demo.db"), "--out", P("demo.html")}, &err), 0) << err;
  core::Result<std::string> html = core::ReadFile(P("demo.html"));
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("Tryghedsindekset i Gadehavegård"), std::string::npos);
  EXPECT_EQ(html->find("NaN"), std::string::npos);
}

TEST_F(ReportCliTest, WithoutChromiumTheHtmlIsWrittenAndThePdfFailsWithExitOne) {
  ::setenv("TRYGHED_CHROMIUM", "/nonexistent/chromium", 1);
  std::string err;
  const int rc = RunCli({"report", "--from-json", std::string(TRYGHED_TEST_DATA) + "/report/small-result.json",
                         "--out", P("r.html"), "--pdf", P("r.pdf")},
                        &err);
  ::unsetenv("TRYGHED_CHROMIUM");
  EXPECT_EQ(rc, 1) << err;
  EXPECT_TRUE(fs::exists(P("r.html")));
  EXPECT_FALSE(fs::exists(P("r.pdf")));
  EXPECT_NE(err.find("/nonexistent/chromium"), std::string::npos) << err;
}

TEST_F(ReportCliTest, ABrokenResultFileIsAnErrorWithItsPosition) {
  {
    std::ofstream f(P("bad.json"));
    f << "{\n\"cells\": [}\n";
  }
  std::string err;
  EXPECT_EQ(RunCli({"report", "--from-json", P("bad.json"), "--out", P("r.html")}, &err), 2);
  EXPECT_NE(err.find("bad.json:2:"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(P("r.html")));
  EXPECT_EQ(RunCli({"report", "--out", P("r.html")}, &err), 2);
  EXPECT_NE(err.find("--study"), std::string::npos);
}

TEST_F(ReportCliTest, HelpHasAnExample) {
  std::ostringstream out, error;
  EXPECT_EQ(Main({"tryghed", "report", "--help"}, out, error), 0);
  EXPECT_NE(out.str().find("tryghed report --study demo"), std::string::npos);
}

}  // namespace
}  // namespace tryghed::cli
