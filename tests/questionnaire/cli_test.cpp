// The questionnaire verbs, run in-process through cli::Main and once through
// the built program (TRYGHED_BINARY) to check real exit codes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

#include "cli/app.h"
#include "test_util.h"

namespace tryghed::questionnaire {
namespace {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

CliRun Tryghed(const std::vector<std::string>& verb_args) {
  std::vector<std::string> args;
  args.reserve(verb_args.size() + 1);
  args.push_back("tryghed");
  for (const std::string& a : verb_args) args.push_back(a);
  std::ostringstream out;
  std::ostringstream err;
  CliRun r;
  r.code = cli::Main(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::string MiniPath() { return std::string(TRYGHED_TEST_DATA) + "/questionnaire/mini.json"; }

// Writes `content` to a fresh file in the test temp dir and returns its path.
std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + "/tryghed_q_" + name;
  std::ofstream(path) << content;
  return path;
}

bool IsHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST(QuestionnaireCliTest, CheckValidFile) {
  CliRun r = Tryghed({"questionnaire", "check", MiniPath()});
  EXPECT_EQ(r.code, 0) << r.err;
  // "<path>: ok, 18 items, hash <64 hex>\n"
  const std::string prefix = MiniPath() + ": ok, 18 items, hash ";
  ASSERT_EQ(r.out.substr(0, prefix.size()), prefix);
  EXPECT_TRUE(IsHex64(r.out.substr(prefix.size(), 64)));
  EXPECT_EQ(r.out.size(), prefix.size() + 65);
  EXPECT_EQ(r.err, "");
}

TEST(QuestionnaireCliTest, CheckInvalidFileListsEveryProblem) {
  std::string text = testing::Replace(testing::Mini(), "\"max_length\": 10", "\"max_length\": \"10\"");
  text = testing::Replace(text, "\"tryghed-questionnaire/1\"", "\"tryghed-questionnaire/2\"");
  const std::string path = WriteTemp("bad.json", text);
  CliRun r = Tryghed({"questionnaire", "check", path});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  // Two located problems (line 2 and line 54, see loader_test.cpp) and a summary.
  EXPECT_NE(r.err.find(path + ":2:13: $.format: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(path + ":54:96: $.sections[5].items[3].max_length: expected an integer"), std::string::npos);
  EXPECT_NE(r.err.find(path + ": invalid, 2 problems\n"), std::string::npos) << r.err;
}

TEST(QuestionnaireCliTest, CheckUnreadableFileExits2) {
  CliRun r = Tryghed({"questionnaire", "check", MiniPath(), "/nonexistent/q.json"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find(": ok, 18 items"), std::string::npos);
  EXPECT_NE(r.err.find("cannot read /nonexistent/q.json"), std::string::npos) << r.err;
}

TEST(QuestionnaireCliTest, ShowPrintsTheQuestionnaireWithCodes) {
  CliRun r = Tryghed({"questionnaire", "show", MiniPath(), "--lang", "en"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("== 1. Safety [tryghed] ==\nAbout safety\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n3. [T3] Safe at home?\n   (single, scale safe4)\n"), std::string::npos);
  EXPECT_NE(r.out.find("   [ ] 8  Don't know   (missing)\n"), std::string::npos);
  // V1 without options shows the built-in yes/no.
  EXPECT_NE(r.out.find("[V1] Burglary?\n   (yesno)\n   [ ] 1  Yes\n   [ ] 2  No\n"), std::string::npos);
  EXPECT_NE(r.out.find("Asked only if (V1 was answered 1 \"Yes\") or (V2 was answered 1 \"Yes\")."), std::string::npos);
  EXPECT_NE(r.out.find("Asked only if not (T1 was answered 1 \"Very safe\" or 2 \"Safe\")."), std::string::npos);
  EXPECT_NE(r.out.find("Share problemtung \"Many problems\": at least 2 of P1, P2, P3 answered {3, 4}"),
            std::string::npos);
  // Danish by default.
  CliRun da = Tryghed({"questionnaire", "show", MiniPath()});
  EXPECT_NE(da.out.find("3. [T3] Tryg hjemme?"), std::string::npos);
}

TEST(QuestionnaireCliTest, ShowRejectsAnUndeclaredLanguage) {
  CliRun r = Tryghed({"questionnaire", "show", MiniPath(), "--lang", "fr"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--lang fr is not a language of"), std::string::npos) << r.err;
}

TEST(QuestionnaireCliTest, ScorePrintsJson) {
  // T1 = 1, T2 = 2, T3 = 4: 100, 66.667, 0 (see scoring_test.cpp); utryg = 0.
  const std::string answers = WriteTemp("answers.json", "{\"T1\": 1, \"T2\": 2, \"T3\": 4}");
  CliRun r = Tryghed({"questionnaire", "score", MiniPath(), answers});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string prefix = "{\"items\":{\"T1\":100,\"T2\":66.66";
  EXPECT_EQ(r.out.substr(0, prefix.size()), prefix);
  EXPECT_NE(r.out.find("\"T3\":0,"), std::string::npos);
  EXPECT_NE(r.out.find("\"overall\":null"), std::string::npos);
  EXPECT_NE(r.out.find("\"utryg\":0"), std::string::npos);
}

TEST(QuestionnaireCliTest, ScoreRejectsInvalidAnswers) {
  const std::string answers = WriteTemp("bad_answers.json", "{\"T1\": 5, \"X1\": 1}");
  CliRun r = Tryghed({"questionnaire", "score", MiniPath(), answers});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(answers + ": T1: 5 is not a code of T1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(answers + ": invalid, 2 problems"), std::string::npos) << r.err;
  const std::string broken = WriteTemp("broken_answers.json", "{\"T1\": ");
  EXPECT_EQ(Tryghed({"questionnaire", "score", MiniPath(), broken}).code, 2);
}

TEST(QuestionnaireCliTest, HashMatchesCheck) {
  CliRun h = Tryghed({"questionnaire", "hash", MiniPath()});
  ASSERT_EQ(h.code, 0) << h.err;
  ASSERT_EQ(h.out.size(), 65u);
  EXPECT_TRUE(IsHex64(h.out.substr(0, 64)));
  CliRun c = Tryghed({"questionnaire", "check", MiniPath()});
  EXPECT_NE(c.out.find("hash " + h.out), std::string::npos);
  // The reordered fixture has the same hash.
  CliRun h2 = Tryghed({"questionnaire", "hash", std::string(TRYGHED_TEST_DATA) + "/questionnaire/mini-reordered.json"});
  EXPECT_EQ(h2.out, h.out);
  EXPECT_EQ(Tryghed({"questionnaire", "hash", "/nonexistent.json"}).code, 2);
}

TEST(QuestionnaireCliTest, EveryVerbHasHelpWithAnExample) {
  for (const char* verb : {"check", "show", "score", "hash"}) {
    CliRun r = Tryghed({"questionnaire", verb, "--help"});
    EXPECT_EQ(r.code, 0) << verb;
    EXPECT_NE(r.out.find("Example:\n  tryghed questionnaire " + std::string(verb)), std::string::npos) << r.out;
  }
}

TEST(QuestionnaireCliTest, RealBinaryExitCodes) {
  auto status = [](const std::string& args) {
    const int raw = std::system((std::string(TRYGHED_BINARY) + " " + args + " >/dev/null 2>&1").c_str());
    return WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  };
  EXPECT_EQ(status("questionnaire check " + MiniPath()), 0);
  const std::string bad =
      WriteTemp("bad2.json", testing::Replace(testing::Mini(), "\"default_language\": \"da\"", "\"default_language\": \"fr\""));
  EXPECT_EQ(status("questionnaire check " + bad), 1);
  EXPECT_EQ(status("questionnaire check /nonexistent/q.json"), 2);
}

}  // namespace
}  // namespace tryghed::questionnaire
