// `tryghed stats` error handling: one line on stderr and exit code 2 for a
// wrong column, a non-number (with its line), contradictory options; null,
// never NaN, in the JSON.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"

namespace {

const std::string kApi = std::string(TRYGHED_TEST_DATA) + "/reference/data/api_apistrat.csv";

struct Out {
  int code;
  std::string out, err;
};

Out RunStats(const std::vector<std::string>& rest) {
  std::vector<std::string> args = {"tryghed"};
  for (const auto& a : rest) args.push_back(a);
  std::ostringstream out, err;
  const int code = tryghed::cli::Main(args, out, err);
  return {code, out.str(), err.str()};
}

int Lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(StatsCli, WrongColumnIsOneLineAndExit2) {
  Out o = RunStats({"stats", "mean", "--data", kApi, "--weights", "pw", "--var", "api01"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(Lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find("no column \"api01\""), std::string::npos) << o.err;
}

TEST(StatsCli, NonNumberNamesFileLineAndColumn) {
  const std::string path = ::testing::TempDir() + "stats_cli_bad.csv";
  std::ofstream(path) << "w;q2\n1;1,5\n2;abc\n";
  Out o = RunStats({"stats", "mean", "--data", path, "--weights", "w", "--var", "q2"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(Lines(o.err), 1) << o.err;
  EXPECT_NE(o.err.find(path + ":3: column \"q2\": \"abc\" is not a number"), std::string::npos) << o.err;
}

TEST(StatsCli, DecimalCommaWithSemicolons) {
  const std::string path = ::testing::TempDir() + "stats_cli_comma.csv";
  std::ofstream(path) << "w;q2\n1;1,5\n3;2,5\n";
  Out o = RunStats({"stats", "mean", "--data", path, "--weights", "w", "--var", "q2"});
  ASSERT_EQ(o.code, 0) << o.err;
  // (1·1.5 + 3·2.5)/4 = 2.25
  EXPECT_NE(o.out.find("\"estimate\":2.25"), std::string::npos) << o.out;
}

TEST(StatsCli, ContradictoryOptions) {
  Out o = RunStats({"stats", "mean", "--data", kApi, "--var", "api00", "--rake", "a.csv", "--calibrate", "b.csv"});
  EXPECT_EQ(o.code, 2);
  EXPECT_EQ(Lines(o.err), 1) << o.err;
  Out p = RunStats({"stats", "prop", "--data", kApi, "--var", "sch.wide"});
  EXPECT_EQ(p.code, 2);
  EXPECT_NE(p.err.find("--success"), std::string::npos) << p.err;
  Out q = RunStats({"stats", "mean", "--data", kApi, "--var", "api00", "--seed", "3"});
  EXPECT_EQ(q.code, 2);
}

TEST(StatsCli, NonPositiveWeightNamesTheLine) {
  const std::string path = ::testing::TempDir() + "stats_cli_w.csv";
  std::ofstream(path) << "w,y\n1,2\n0,3\n";
  Out o = RunStats({"stats", "mean", "--data", path, "--weights", "w", "--var", "y"});
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.err.find(":3: column \"w\""), std::string::npos) << o.err;
}

TEST(StatsCli, HelpDocumentsEveryOption) {
  Out o = RunStats({"stats", "mean", "--help"});
  EXPECT_EQ(o.code, 0);
  for (const char* opt : {"--data", "--weights", "--strata", "--cluster", "--fpc", "--lonely-psu", "--poststratify",
                          "--poststrata", "--rake", "--calibrate", "--replicates", "--replicate-count", "--seed",
                          "--var", "--by", "--ci", "--level", "Examples"}) {
    EXPECT_NE(o.out.find(opt), std::string::npos) << opt;
  }
}

TEST(StatsCli, AlphaBootstrapOptions) {
  // --replicates with alpha means the bootstrap of respondents; the jackknives
  // of the design and pairwise deletion are refused with one line.
  const std::string path = ::testing::TempDir() + "stats_cli_items.csv";
  std::ofstream(path) << "a,b\n1,2\n2,2\n3,4\n4,5\n2,1\n5,5\n";
  Out j = RunStats({"stats", "alpha", "--data", path, "--var", "a,b", "--replicates", "jkn"});
  EXPECT_EQ(j.code, 2);
  EXPECT_EQ(Lines(j.err), 1) << j.err;
  Out p = RunStats({"stats", "alpha", "--data", path, "--var", "a,b", "--replicates", "bootstrap", "--alpha-missing",
                    "pairwise"});
  EXPECT_EQ(p.code, 2);
  EXPECT_EQ(Lines(p.err), 1) << p.err;
  // Six respondents, 200 resamples: the output carries both intervals and the
  // Feldt ends, and the bootstrap is seeded (same seed, same output).
  Out a = RunStats({"stats", "alpha", "--data", path, "--var", "a,b", "--replicates", "bootstrap",
                    "--replicate-count", "200", "--seed", "4"});
  ASSERT_EQ(a.code, 0) << a.err;
  for (const char* field : {"\"bca_lower\"", "\"bca_upper\"", "\"feldt_lower\""}) {
    EXPECT_NE(a.out.find(field), std::string::npos) << field << " in " << a.out;
  }
  // "replicates" counts the resamples with a defined alpha: a resample of
  // rows 1 and 5 only (both sum to 3; probability (2/6)^6 each) has a sum
  // score without variance, so no alpha.
  const std::size_t at = a.out.find("\"replicates\":");
  ASSERT_NE(at, std::string::npos) << a.out;
  const int used = std::stoi(a.out.substr(at + 13));
  EXPECT_LE(used, 200);
  EXPECT_GE(used, 190);
  Out b = RunStats({"stats", "alpha", "--data", path, "--var", "a,b", "--replicates", "bootstrap",
                    "--replicate-count", "200", "--seed", "4"});
  EXPECT_EQ(a.out, b.out);
}

TEST(StatsCli, DegenerateIntervalIsNumbersNotNaN) {
  const std::string path = ::testing::TempDir() + "stats_cli_zero.csv";
  std::ofstream(path) << "y\n0\n0\n0\n0\n";
  Out o = RunStats({"stats", "prop", "--data", path, "--var", "y", "--success", "1", "--method", "mean"});
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_EQ(o.out.find("nan"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("\"ci_upper\":0"), std::string::npos) << o.out;
  Out l = RunStats({"stats", "prop", "--data", path, "--var", "y", "--success", "1", "--method", "logit"});
  EXPECT_EQ(l.code, 2);
  EXPECT_EQ(Lines(l.err), 1) << l.err;
}

}  // namespace

namespace {

TEST(StatsCli, ReplicatesForEveryDesignVerb) {
  // prop with JKn reports the JKn df; the help names the verbs that take
  // --replicates.
  Out p = RunStats({"stats", "prop", "--data", kApi, "--weights", "pw", "--strata", "stype", "--var", "sch.wide",
                    "--success", "Yes", "--replicates", "jkn"});
  EXPECT_EQ(p.code, 0) << p.err;
  EXPECT_NE(p.out.find("\"df\":197"), std::string::npos) << p.out;  // degf of the JKn design: 200 − 3
  Out h = RunStats({"stats", "ratio", "--help"});
  EXPECT_NE(h.out.find("mean, total, ratio, prop, quantile, contrast, ttest"), std::string::npos) << h.out;
}

}  // namespace
