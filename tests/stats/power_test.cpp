// Minimum detectable differences and the two-sample t test: R's t.test rows
// (B26) of reference_values.csv, power.prop.test / power.t.test rows (E06, E07)
// of extra_values.csv, the claim of domain.md, and bad input.
#include "stats/power.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "csv_fixture.h"

namespace tryghed::stats {
namespace {

using testing::LoadReferenceValues;
using testing::ReferenceRow;

void ExpectRel(double actual, double expected, double rel_tol, const std::string& what) {
  EXPECT_LE(std::fabs(actual - expected), rel_tol * std::fabs(expected)) << what << ": got " << actual
                                                                          << ", R gives " << expected;
}

// "t=-0.590652347811 p=0.554888937907 ..." -> the number after `key`.
double FromNote(const std::string& note, const std::string& key) {
  const std::size_t at = note.find(key);
  if (at == std::string::npos) throw std::runtime_error("no '" + key + "' in note: " + note);
  return std::stod(note.substr(at + key.size()));
}

TEST(TwoSampleTTest, MatchesRTTestOnWaveThreeIndex) {  // rows B26.*
  // R: s3 <- s[s$wave == 3 & !is.na(s$index), ]; t.test(index ~ factor(area, c("P","C")), s3, var.equal = ...)
  const testing::SafetySurvey s = testing::LoadSafetySurvey();
  std::vector<double> pilot, comparison;
  for (std::size_t i = 0; i < s.rows(); ++i) {
    if (s.wave[i] != 3 || !s.index[i]) continue;
    (s.area[i] == "P" ? pilot : comparison).push_back(*s.index[i]);
  }
  ASSERT_EQ(pilot.size(), 476u);  // n_P and n_C from the note of B26
  ASSERT_EQ(comparison.size(), 553u);

  const auto ref = LoadReferenceValues();
  for (bool equal : {false, true}) {
    const ReferenceRow& r = ref.Get(equal ? "B26.ttest_student_W3_P_minus_C" : "B26.ttest_welch_W3_P_minus_C");
    core::Result<TTestResult> t = TwoSampleTTest(pilot, comparison, {.equal_variance = equal});
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ExpectRel(t->estimate, *r.estimate, r.rel_tol, r.id + " estimate");
    ExpectRel(t->se, *r.se, r.rel_tol, r.id + " se");
    ExpectRel(t->ci_lower, *r.ci_lower, r.rel_tol, r.id + " lower");
    ExpectRel(t->ci_upper, *r.ci_upper, r.rel_tol, r.id + " upper");
    ExpectRel(t->df, *r.df, r.rel_tol, r.id + " df");
    ExpectRel(t->t, FromNote(r.note, "t="), 1e-9, r.id + " t");       // note has 12 significant digits
    ExpectRel(t->p_value, FromNote(r.note, "p="), 1e-9, r.id + " p");
    ExpectRel(t->mean_x, FromNote(r.note, "mean_P="), 1e-9, r.id + " mean P");
    ExpectRel(t->mean_y, FromNote(r.note, "mean_C="), 1e-9, r.id + " mean C");
  }
}

TEST(TwoSampleTTest, WelchByHand) {
  // x = (1, 2, 3, 4): mean 2.5, var 5/3;  y = (2, 4, 6): mean 4, var 4.
  //   se² = (5/3)/4 + 4/3 = 0.416667 + 1.333333 = 1.75, se = 1.322876
  //   t = (2.5 − 4)/1.322876 = −1.133893
  //   df = 1.75² / (0.416667²/3 + 1.333333²/2) = 3.0625 / (0.0578704 + 0.8888889) = 3.234719
  const std::vector<double> x = {1, 2, 3, 4}, y = {2, 4, 6};
  core::Result<TTestResult> t = TwoSampleTTest(x, y);
  ASSERT_TRUE(t.ok());
  EXPECT_NEAR(t->se, std::sqrt(1.75), 1e-12);
  EXPECT_NEAR(t->t, -1.5 / std::sqrt(1.75), 1e-12);
  EXPECT_NEAR(t->df, 3.0625 / (std::pow(5.0 / 12.0, 2) / 3.0 + std::pow(4.0 / 3.0, 2) / 2.0), 1e-12);
  EXPECT_NEAR(t->df, 3.234719, 1e-6);
  EXPECT_GT(t->p_value, 0.3);
  EXPECT_LT(t->p_value, 0.4);
}

TEST(TwoSampleTTest, RejectsBadInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  core::Result<TTestResult> small = TwoSampleTTest(std::vector<double>{1.0}, std::vector<double>{1.0, 2.0});
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.status().message().find("at least 2"), std::string::npos);
  core::Result<TTestResult> missing = TwoSampleTTest(std::vector<double>{1.0, nan}, std::vector<double>{1.0, 2.0});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), core::StatusCode::kInvalidInput);
  core::Result<TTestResult> constant = TwoSampleTTest(std::vector<double>{3, 3}, std::vector<double>{5, 5, 5});
  ASSERT_FALSE(constant.ok());
  EXPECT_EQ(constant.status().code(), core::StatusCode::kNumerical);
  EXPECT_NE(constant.status().message().find("constant"), std::string::npos);
  core::Result<TTestResult> residue =
      TwoSampleTTest(std::vector<double>{0.1, 0.1, 0.1}, std::vector<double>{0.7, 0.7, 0.7});
  ASSERT_FALSE(residue.ok());
  EXPECT_EQ(residue.status().code(), core::StatusCode::kNumerical);
  // One constant sample is fine (Welch df = n_y − 1).
  core::Result<TTestResult> one = TwoSampleTTest(std::vector<double>{3, 3}, std::vector<double>{1, 2, 3});
  ASSERT_TRUE(one.ok());
  EXPECT_NEAR(one->df, 2.0, 1e-12);
}

TEST(MinimumDetectableDifference, DomainClaimTwoHundredPlusTwoHundred) {
  // domain.md: "With 200 + 200 answers only changes of about 13 percentage points are detectable."
  // Two-sided alpha 0.05, power 0.80: z_{0.975} + z_{0.80} = 1.959964 + 0.841621 = 2.801585.
  //   p0 = 0.30: sqrt(0.30 · 0.70 · (1/200 + 1/200)) = sqrt(0.0021) = 0.0458258; · 2.801585 = 0.128385
  //   p0 = 0.50: sqrt(0.25 · 0.01) = 0.05;                                        · 2.801585 = 0.140079
  // So "about 13 points" holds for shares of about 0.3 (0.70 in the same paragraph of
  // domain.md is the same variance), and it is 14 points at the worst case p0 = 0.5.
  core::Result<double> d30 = MinimumDetectableDifferenceProportions(0.30, 200, 200);
  ASSERT_TRUE(d30.ok());
  EXPECT_NEAR(*d30, 0.128385, 1e-6);
  EXPECT_EQ(std::lround(*d30 * 100.0), 13);
  core::Result<double> d70 = MinimumDetectableDifferenceProportions(0.70, 200, 200);
  ASSERT_TRUE(d70.ok());
  EXPECT_NEAR(*d70, *d30, 1e-15);
  core::Result<double> d50 = MinimumDetectableDifferenceProportions(0.50, 200, 200);
  ASSERT_TRUE(d50.ok());
  EXPECT_NEAR(*d50, 0.140079, 1e-6);
  // With the pooled-null variance of power.prop.test the increase from 0.30 is 13.5 points.
  core::Result<double> pooled =
      MinimumDetectableDifferenceProportions(0.30, 200, 200, {}, ProportionMddMethod::kPooledNull);
  ASSERT_TRUE(pooled.ok());
  EXPECT_EQ(std::lround(*pooled * 100.0), 13);
}

TEST(MinimumDetectableDifference, PooledNullMatchesPowerPropTest) {  // E06.*
  const auto extra = LoadReferenceValues("extra_values.csv");
  for (double p0 : {0.3, 0.5}) {
    const ReferenceRow& r = extra.Get(p0 == 0.3 ? "E06.power_prop_p2.n200_p0.3" : "E06.power_prop_p2.n200_p0.5");
    core::Result<double> d = MinimumDetectableDifferenceProportions(p0, 200, 200, {}, ProportionMddMethod::kPooledNull,
                                                                    ChangeDirection::kIncrease);
    ASSERT_TRUE(d.ok());
    ExpectRel(*d, *r.estimate, r.rel_tol, r.id);
  }
  // By symmetry a decrease from 0.7 equals an increase from 0.3.
  core::Result<double> down = MinimumDetectableDifferenceProportions(0.7, 200, 200, {}, ProportionMddMethod::kPooledNull,
                                                                     ChangeDirection::kDecrease);
  ASSERT_TRUE(down.ok());
  ExpectRel(*down, *extra.Get("E06.power_prop_p2.n200_p0.3").estimate, 1e-7, "decrease from 0.7");
}

TEST(MinimumDetectableDifference, MeansByHandAndAgainstPowerTTest) {
  // SD 20 on the 0–100 index, 200 + 200: 2.801585 · sqrt(400/200 + 400/200) = 2.801585 · 2 = 5.603170.
  core::Result<double> d = MinimumDetectableDifferenceMeans(20, 20, 200, 200);
  ASSERT_TRUE(d.ok());
  EXPECT_NEAR(*d, 5.603170, 1e-6);
  // R's power.t.test uses the noncentral t: 5.6167, 0.24 % more (row E07, tolerance 0.5 %).
  const auto extra = LoadReferenceValues("extra_values.csv");
  const ReferenceRow& r = extra.Get("E07.power_t_delta.n200_sd20");
  ExpectRel(*d, *r.estimate, r.rel_tol, r.id);
  // A design effect of 1.5 multiplies the MDD by sqrt(1.5) = 1.224745.
  core::Result<double> deff = MinimumDetectableDifferenceMeans(20, 20, 200, 200, {.design_effect = 1.5});
  ASSERT_TRUE(deff.ok());
  EXPECT_NEAR(*deff, 5.603170 * std::sqrt(1.5), 1e-5);
  // Unequal SDs and sizes: sqrt(15²/100 + 25²/300) = sqrt(2.25 + 2.083333) = 2.081666; · 2.801585 = 5.831965.
  core::Result<double> uneq = MinimumDetectableDifferenceMeans(15, 25, 100, 300);
  ASSERT_TRUE(uneq.ok());
  EXPECT_NEAR(*uneq, 2.801585 * std::sqrt(2.25 + 625.0 / 300.0), 1e-5);
}

TEST(MinimumDetectableDifference, RejectsBadInput) {
  auto expect_invalid = [](const core::Result<double>& r, const std::string& fragment) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
  };
  expect_invalid(MinimumDetectableDifferenceMeans(20, 20, 1, 200), "at least 2");
  expect_invalid(MinimumDetectableDifferenceMeans(0, 20, 200, 200), "standard deviations");
  expect_invalid(MinimumDetectableDifferenceMeans(20, 20, 200, 200, {.power = 1.0}), "power");
  expect_invalid(MinimumDetectableDifferenceMeans(20, 20, 200, 200, {.alpha = 0.0}), "alpha");
  expect_invalid(MinimumDetectableDifferenceMeans(20, 20, 200, 200, {.design_effect = 0.0}), "design effect");
  expect_invalid(MinimumDetectableDifferenceProportions(0.0, 200, 200), "baseline proportion");
  expect_invalid(MinimumDetectableDifferenceProportions(1.0, 200, 200), "baseline proportion");
  // Too few answers to detect any change within [0, 1] at 99.9 % power.
  core::Result<double> none = MinimumDetectableDifferenceProportions(
      0.95, 2, 2, {.power = 0.999}, ProportionMddMethod::kPooledNull, ChangeDirection::kIncrease);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), core::StatusCode::kNumerical);
}

}  // namespace
}  // namespace tryghed::stats
