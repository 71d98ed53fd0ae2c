// Robustness lines beside the design-based DiD (evaluation/robustness.h):
// the regression-adjusted DiD and the parallel pre-trends check, against R
// survey 4.1 on the data below (script in the comments).
//
// R:
//   d: the rows of Rows() with pilot = area == 0, cell = wave·2 + area,
//      N = 100 (pilot) / 80 (comparison), w = N / 7
//   des <- svydesign(ids = ~1, strata = ~cell, fpc = ~N, weights = ~w, data = d)
//   d$post <- wave == W;  s <- subset(des, wave %in% c(0, W))
//   m <- svyglm(y ~ pilot * post + factor(sex) + factor(age), design = s)
//   coef(m)["pilot:post"], SE(m), m$df.residual, confint(m, ddf = m$df.residual)
//   pre-trends: m <- svyglm(y ~ pilot * factor(wave), design = subset(des, wave < 3))
//               regTermTest(m, ~pilot:factor(wave))
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "evaluation/dataset.h"
#include "evaluation/evaluate.h"
#include "evaluation/result.h"
#include "evaluation/robustness.h"
#include "stats/design.h"

namespace tryghed::evaluation {
namespace {

struct Row {
  int wave, area, sex, age, y;
};

// 4 waves × 2 areas × 7 respondents: wave, area (0 = pilot), sex, age band, index.
std::vector<Row> Rows() {
  return {{0,0,2,1,54}, {0,0,1,3,49}, {0,0,1,1,59}, {0,0,2,3,64}, {0,0,1,2,58}, {0,0,2,1,46}, {0,0,1,2,55}, {0,1,2,3,47}, {0,1,2,2,52}, {0,1,2,2,53}, {0,1,2,2,48}, {0,1,1,3,36}, {0,1,2,2,52}, {0,1,2,3,39}, {1,0,2,1,62}, {1,0,1,2,56}, {1,0,2,3,57}, {1,0,1,1,51}, {1,0,2,1,72}, {1,0,2,2,52}, {1,0,1,3,58}, {1,1,2,2,53}, {1,1,2,2,37}, {1,1,2,1,43}, {1,1,1,2,48}, {1,1,1,2,47}, {1,1,2,1,47}, {1,1,2,2,58}, {2,0,2,3,53}, {2,0,1,1,63}, {2,0,1,1,53}, {2,0,2,2,68}, {2,0,1,2,37}, {2,0,2,1,58}, {2,0,2,3,53}, {2,1,1,1,46}, {2,1,2,3,44}, {2,1,2,3,52}, {2,1,2,2,47}, {2,1,2,1,54}, {2,1,1,1,51}, {2,1,2,1,45}, {3,0,2,3,59}, {3,0,1,2,73}, {3,0,1,1,78}, {3,0,2,2,66}, {3,0,2,1,66}, {3,0,1,1,50}, {3,0,1,3,60}, {3,1,1,1,40}, {3,1,1,2,54}, {3,1,2,2,53}, {3,1,1,3,49}, {3,1,1,1,44}, {3,1,2,2,41}, {3,1,2,1,59} };
}

StudyData Study() {
  StudyData d;
  d.study = "robust";
  d.areas = {{"P", store::AreaRole::kPilot, 100}, {"C", store::AreaRole::kComparison, 80}};
  d.waves = {{"w0", {{}, {}}}, {"w1", {{}, {}}}, {"w2", {{}, {}}}, {"w3", {{}, {}}}};
  d.indicators = {{"idx", "Indeks", IndicatorKind::kOverall}};
  for (const Row& row : Rows()) {
    Respondent r;
    r.wave = static_cast<std::size_t>(row.wave);
    r.area = static_cast<std::size_t>(row.area);
    r.background = {{"sex", row.sex}, {"age_band", row.age}};
    r.values = {static_cast<double>(row.y)};
    d.respondents.push_back(r);
  }
  return d;
}

// The design Evaluate builds for the invited series before raking: strata
// wave × area, fpc = the area population, weights N/n.
stats::Design MakeDesign(const StudyData& d) {
  stats::DesignSpec spec;
  for (const Respondent& r : d.respondents) {
    const double N = r.area == 0 ? 100 : 80;
    spec.strata.push_back(static_cast<std::int64_t>(r.wave * 2 + r.area));
    spec.fpc.push_back(N);
    spec.weights.push_back(N / 7);
  }
  auto design = stats::Design::Create(std::move(spec));
  EXPECT_TRUE(design.ok()) << design.status().ToString();
  return std::move(design).value();
}

std::vector<std::size_t> AllRows(const StudyData& d) {
  std::vector<std::size_t> rows(d.respondents.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

TEST(RobustnessTest, AdjustedDiDMatchesSvyglm) {
  const StudyData d = Study();
  const stats::Design design = MakeDesign(d);
  const auto rows = AllRows(d);
  Robustness r;
  ASSERT_TRUE(AddRobustness(d, design, "invited", rows, 0.95, "", r).ok());
  EXPECT_EQ(r.pre_waves, std::vector<std::string>{"w0"});
  EXPECT_TRUE(r.pre_trends.empty());  // one pre wave: nothing to check
  ASSERT_EQ(r.adjusted_did.size(), 3u);
  // R: estimate, SE, df.residual (28 units − 4 strata − 7 coefficients + 1 = 18), confint, p.
  const double expected[3][6] = {
      {2.22756064762082, 5.16970622734341, 18, -8.63358910697629, 13.0887104022179, 0.671666037129608},
      {-2.74422556746483, 4.46027809321097, 18, -12.114922119096, 6.62647098416637, 0.546084624264046},
      {6.92875161665407, 6.73093343505298, 18, -7.21241478844405, 21.0699180217522, 0.316931342411554}};
  for (std::size_t w = 0; w < 3; ++w) {
    const AdjustedDiD& a = r.adjusted_did[w];
    SCOPED_TRACE(a.wave);
    EXPECT_EQ(a.wave, "w" + std::to_string(w + 1));
    EXPECT_EQ(a.baseline_wave, "w0");
    EXPECT_TRUE(a.post);
    EXPECT_EQ(a.covariates, "sex, age_band");
    EXPECT_EQ(a.n, 28);
    ASSERT_TRUE(a.estimate && a.se && a.df && a.ci_lower && a.ci_upper && a.p) << a.note;
    EXPECT_NEAR(*a.estimate, expected[w][0], 1e-9);
    EXPECT_NEAR(*a.se, expected[w][1], 1e-9);
    EXPECT_DOUBLE_EQ(*a.df, expected[w][2]);
    EXPECT_NEAR(*a.ci_lower, expected[w][3], 1e-9);
    EXPECT_NEAR(*a.ci_upper, expected[w][4], 1e-9);
    EXPECT_NEAR(*a.p, expected[w][5], 1e-9);
  }
}

TEST(RobustnessTest, PreTrendsCheckMatchesRegTermTest) {
  const StudyData d = Study();
  const stats::Design design = MakeDesign(d);
  const auto rows = AllRows(d);
  Robustness r;
  ASSERT_TRUE(AddRobustness(d, design, "invited", rows, 0.95, "w3", r).ok());
  EXPECT_EQ(r.pre_waves, (std::vector<std::string>{"w0", "w1", "w2"}));
  ASSERT_EQ(r.adjusted_did.size(), 3u);
  EXPECT_FALSE(r.adjusted_did[0].post);
  EXPECT_FALSE(r.adjusted_did[1].post);
  EXPECT_TRUE(r.adjusted_did[2].post);
  ASSERT_EQ(r.pre_trends.size(), 1u);
  const PreTrendCheck& c = r.pre_trends[0];
  EXPECT_EQ(c.pre_waves, (std::vector<std::string>{"w0", "w1", "w2"}));
  ASSERT_EQ(c.placebo.size(), 2u);
  // pilot:factor(wave)1 and pilot:factor(wave)2 of svyglm(y ~ pilot * factor(wave)).
  // The first is also the plain DiD of four weighted means:
  // (P1 − P0) − (C1 − C0) = 2.428571428571399 (svycontrast of svyby means, SE 4.84096).
  EXPECT_EQ(c.placebo[0].wave, "w1");
  EXPECT_EQ(c.placebo[0].covariates, "");
  EXPECT_NEAR(*c.placebo[0].estimate, 2.428571428571399, 1e-9);
  EXPECT_NEAR(*c.placebo[0].se, 4.84096219423230, 1e-9);
  EXPECT_DOUBLE_EQ(*c.placebo[0].df, 31);  // 42 units − 6 strata − 6 coefficients + 1
  EXPECT_NEAR(*c.placebo[0].ci_lower, -7.44463606006203, 1e-9);
  EXPECT_NEAR(*c.placebo[0].ci_upper, 12.30177891720483, 1e-9);
  EXPECT_NEAR(*c.placebo[0].p, 6.19443235176385e-01, 1e-9);
  EXPECT_NEAR(*c.placebo[1].estimate, -1.714285714285752, 1e-9);
  EXPECT_NEAR(*c.placebo[1].se, 5.06012153332039, 1e-9);
  EXPECT_NEAR(*c.placebo[1].p, 7.37056948595922e-01, 1e-9);
  // regTermTest: F = 0.321762155092599 on 2 and 31 df, p = 0.727262378874446.
  ASSERT_TRUE(c.f && c.df_num && c.df_den && c.p) << c.note;
  EXPECT_NEAR(*c.f, 0.321762155092599, 1e-9);
  EXPECT_DOUBLE_EQ(*c.df_num, 2);
  EXPECT_DOUBLE_EQ(*c.df_den, 31);
  EXPECT_NEAR(*c.p, 0.727262378874446, 1e-9);
  EXPECT_EQ(c.verdict, "ingen tegn på forskellige trends før indsatsen");

  const std::string json = RobustnessToJson(r);
  EXPECT_NE(json.find("\"pre_waves\":[\"w0\",\"w1\",\"w2\"]"), std::string::npos) << json;
  EXPECT_NE(json.find("\"f\":0.32176215509"), std::string::npos) << json;
}

TEST(RobustnessTest, MissingBackgroundKeepsTheUnitAndBadWavesAreErrors) {
  StudyData d = Study();
  d.respondents[0].background.erase("sex");
  d.respondents[9].background.clear();
  const stats::Design design = MakeDesign(d);
  const auto rows = AllRows(d);
  Robustness r;
  ASSERT_TRUE(AddRobustness(d, design, "invited", rows, 0.95, "", r).ok());
  ASSERT_EQ(r.adjusted_did.size(), 3u);
  EXPECT_EQ(r.adjusted_did[0].n, 28);  // no unit dropped: a "missing" dummy
  EXPECT_TRUE(r.adjusted_did[0].estimate) << r.adjusted_did[0].note;

  Robustness bad;
  EXPECT_EQ(AddRobustness(d, design, "invited", rows, 0.95, "w9", bad).code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(AddRobustness(d, design, "invited", rows, 0.95, "w0", bad).code(), core::StatusCode::kInvalidArgument);
  const std::vector<std::size_t> fewer(rows.begin(), rows.end() - 1);
  EXPECT_FALSE(AddRobustness(d, design, "invited", fewer, 0.95, "", bad).ok());
}

// Without comparison respondents in a later wave the line stays, with a note.
TEST(RobustnessTest, IncompleteWaveGivesANoteNotAnError) {
  StudyData d = Study();
  std::vector<Respondent> kept;
  for (const Respondent& r : d.respondents) {
    if (!(r.wave == 2 && r.area == 1)) kept.push_back(r);
  }
  d.respondents = kept;
  const stats::Design design = MakeDesign(d);  // every remaining cell still has 7 respondents
  Robustness r;
  ASSERT_TRUE(AddRobustness(d, design, "invited", AllRows(d), 0.95, "", r).ok());
  ASSERT_EQ(r.adjusted_did.size(), 3u);
  EXPECT_FALSE(r.adjusted_did[1].estimate);
  EXPECT_FALSE(r.adjusted_did[1].note.empty());
  EXPECT_TRUE(r.adjusted_did[2].estimate);
}

// Through Evaluate: the study has no margins, so the invited series has the
// design weights N/n of MakeDesign and the same numbers as above come out.
TEST(RobustnessTest, EvaluateFillsTheRobustnessLinesAndTheirJson) {
  StudyData d = Study();
  EvaluationOptions options;
  options.first_post_wave = "w3";
  auto r = Evaluate(d, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->robustness.adjusted_did.size(), 3u);
  EXPECT_NEAR(*r->robustness.adjusted_did[2].estimate, 6.92875161665407, 1e-9);
  EXPECT_NEAR(*r->robustness.adjusted_did[2].se, 6.73093343505298, 1e-9);
  ASSERT_EQ(r->robustness.pre_trends.size(), 1u);
  EXPECT_NEAR(*r->robustness.pre_trends[0].f, 0.321762155092599, 1e-9);
  const std::string json = ToJson(*r);
  EXPECT_NE(json.find("\"robustness\":{\"pre_waves\":[\"w0\",\"w1\",\"w2\"]"), std::string::npos);
  EXPECT_NE(json.find("\"crime\":null"), std::string::npos);

  options.first_post_wave = "no such wave";
  EXPECT_EQ(Evaluate(d, options).status().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tryghed::evaluation

namespace tryghed::evaluation {
namespace {

// The plan's regressions run in any order and on two threads at once give
// R's numbers of the serial tests above, in AddRobustness's order.
TEST(RobustnessTest, APlanRunBackwardsOnTwoThreadsGivesTheSerialLines) {
  const StudyData d = Study();
  const stats::Design design = MakeDesign(d);
  const auto rows = AllRows(d);
  auto plan = RobustnessPlan::Make(d, design, "invited", rows, 0.95, "w3");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  ASSERT_EQ(plan->size(), 4u);  // three adjusted DiDs and the pre-trends check
  std::thread other([&] {
    for (std::size_t i = plan->size(); i-- > 0;) {
      if (i % 2 == 1) plan->Run(i);
    }
  });
  for (std::size_t i = plan->size(); i-- > 0;) {
    if (i % 2 == 0) plan->Run(i);
  }
  other.join();
  Robustness r;
  std::move(*plan).AppendTo(r);
  EXPECT_EQ(r.pre_waves, (std::vector<std::string>{"w0", "w1", "w2"}));
  ASSERT_EQ(r.adjusted_did.size(), 3u);
  EXPECT_EQ(r.adjusted_did[0].wave, "w1");
  EXPECT_EQ(r.adjusted_did[2].wave, "w3");
  EXPECT_TRUE(r.adjusted_did[2].post);
  EXPECT_NEAR(*r.adjusted_did[2].estimate, 6.92875161665407, 1e-9);  // R, as in AdjustedDiDMatchesSvyglm
  EXPECT_NEAR(*r.adjusted_did[2].se, 6.73093343505298, 1e-9);
  ASSERT_EQ(r.pre_trends.size(), 1u);
  EXPECT_NEAR(*r.pre_trends[0].f, 0.321762155092599, 1e-9);  // regTermTest
  EXPECT_NEAR(*r.pre_trends[0].placebo[0].estimate, 2.428571428571399, 1e-9);

  // A bad first post-intervention wave fails Make as it fails AddRobustness.
  EXPECT_EQ(RobustnessPlan::Make(d, design, "invited", rows, 0.95, "w9").status().code(),
            core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tryghed::evaluation
