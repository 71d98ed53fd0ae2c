// Simple intervals against R: Wald rows of reference_values.csv, Wilson,
// Clopper-Pearson and exact Poisson rows of extra_values.csv (prop.test,
// binom.test, poisson.test), hand-worked cases and bad input.
#include "stats/intervals.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "csv_fixture.h"

namespace tryghed::stats {
namespace {

using testing::LoadReferenceValues;
using testing::ReferenceRow;

void ExpectRel(double actual, double expected, double rel_tol, const std::string& what) {
  const double tol = expected == 0.0 ? 1e-300 : rel_tol * std::fabs(expected);
  EXPECT_LE(std::fabs(actual - expected), tol) << what << ": got " << actual << ", R gives " << expected;
}

void ExpectInterval(const core::Result<Interval>& got, const ReferenceRow& r) {
  ASSERT_TRUE(got.ok()) << r.id << ": " << got.status().ToString();
  ExpectRel(got->estimate, *r.estimate, r.rel_tol, r.id + " estimate");
  ExpectRel(got->lower, *r.ci_lower, r.rel_tol, r.id + " lower");
  ExpectRel(got->upper, *r.ci_upper, r.rel_tol, r.id + " upper");
}

TEST(WaldInterval, MatchesEveryWaldRowOfTheReference) {
  // Every row whose interval is estimate ± q·se with q from N(0,1) (wald_z) or
  // t(df) (wald_t): the interval ends follow from estimate, se and df alone.
  const auto ref = LoadReferenceValues();
  int checked = 0;
  for (const ReferenceRow& r : ref.rows) {
    if (r.ci_method != "wald_z" && r.ci_method != "wald_t") continue;
    if (!r.estimate || !r.se || !r.ci_lower || !r.ci_upper) continue;
    if (r.ci_method == "wald_t" && !r.df) continue;
    const double df = r.ci_method == "wald_z" ? kInfiniteDf : r.df.value();
    ExpectInterval(WaldInterval(*r.estimate, *r.se, 0.95, df), r);
    ++checked;
  }
  EXPECT_GT(checked, 100);
}

TEST(WaldInterval, ByHand) {
  // 10 ± 1.959964·2 = [6.080072, 13.919928]; with t(10): qt(.975, 10) = 2.228139 -> [5.543722, 14.456278].
  core::Result<Interval> z = WaldInterval(10.0, 2.0);
  ASSERT_TRUE(z.ok());
  EXPECT_NEAR(z->lower, 6.080072, 1e-6);
  EXPECT_NEAR(z->upper, 13.919928, 1e-6);
  core::Result<Interval> t = WaldInterval(10.0, 2.0, 0.95, 10.0);
  ASSERT_TRUE(t.ok());
  EXPECT_NEAR(t->lower, 5.543722, 1e-6);
  EXPECT_NEAR(t->upper, 14.456278, 1e-6);
  // se = 0 is allowed: a degenerate interval.
  core::Result<Interval> zero = WaldInterval(3.0, 0.0);
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->lower, 3.0);
  EXPECT_EQ(zero->upper, 3.0);
}

TEST(WilsonInterval, MatchesPropTest) {  // E03.* from prop.test(x, n, correct = FALSE)
  const auto extra = LoadReferenceValues("extra_values.csv");
  const auto rows = extra.WithPrefix("E03.wilson.");
  ASSERT_EQ(rows.size(), 4u);
  for (const ReferenceRow* r : rows) {
    int x = 0, n = 0;
    ASSERT_EQ(std::sscanf(r->id.c_str(), "E03.wilson.%d_of_%d", &x, &n), 2);
    ExpectInterval(WilsonInterval(static_cast<double>(x) / n, n), *r);
  }
}

TEST(WilsonInterval, SevenOfTwentyByHand) {
  // p = 0.35, n = 20, z = 1.959964, z² = 3.841459:
  //   denom  = 1 + z²/n = 1.192073
  //   centre = (0.35 + z²/40) / denom = 0.4460365 / 1.192073 = 0.374170
  //   half   = z/denom · sqrt(0.35·0.65/20 + z²/1600) = 1.644166 · sqrt(0.0137759) = 0.192977
  //   -> [0.181193, 0.567147]
  core::Result<Interval> w = WilsonInterval(0.35, 20.0);
  ASSERT_TRUE(w.ok());
  EXPECT_NEAR(w->lower, 0.181193, 2e-6);
  EXPECT_NEAR(w->upper, 0.567147, 2e-6);
  // An effective sample size need not be whole.
  EXPECT_TRUE(WilsonInterval(0.35, 17.4).ok());
}

TEST(WilsonInterval, ExtremesStayInsideZeroOne) {
  core::Result<Interval> zero = WilsonInterval(0.0, 10.0);
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->lower, 0.0);
  EXPECT_GT(zero->upper, 0.0);
  core::Result<Interval> one = WilsonInterval(1.0, 10.0);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->upper, 1.0);
  EXPECT_LT(one->lower, 1.0);
}

TEST(ClopperPearsonInterval, MatchesBinomTest) {  // E04.* from binom.test(x, n)
  const auto extra = LoadReferenceValues("extra_values.csv");
  const auto rows = extra.WithPrefix("E04.clopper_pearson.");
  ASSERT_EQ(rows.size(), 5u);
  for (const ReferenceRow* r : rows) {
    int x = 0, n = 0;
    ASSERT_EQ(std::sscanf(r->id.c_str(), "E04.clopper_pearson.%d_of_%d", &x, &n), 2);
    const double level = r->id.find("level90") != std::string::npos ? 0.90 : 0.95;
    ExpectInterval(ClopperPearsonInterval(x, n, level), *r);
  }
}

TEST(ClopperPearsonInterval, AllOrNothingByHand) {
  // 0 of 10: upper solves (1 − p)^10 = 0.025, p = 1 − 0.025^(1/10) = 1 − exp(ln 0.025 / 10)
  //          = 1 − exp(−0.3688879) = 1 − 0.6915029 = 0.3084971; lower = 0.
  // 10 of 10: by symmetry lower = 0.6915029, upper = 1.
  const double root = std::pow(0.025, 0.1);
  core::Result<Interval> none = ClopperPearsonInterval(0, 10);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->lower, 0.0);
  EXPECT_NEAR(none->upper, 1.0 - root, 1e-12);
  EXPECT_NEAR(none->upper, 0.3084971, 1e-7);
  core::Result<Interval> all = ClopperPearsonInterval(10, 10);
  ASSERT_TRUE(all.ok());
  EXPECT_NEAR(all->lower, root, 1e-12);
  EXPECT_EQ(all->upper, 1.0);
}

TEST(PoissonExactInterval, MatchesPoissonTest) {  // E05.* from poisson.test(x)
  const auto extra = LoadReferenceValues("extra_values.csv");
  const auto rows = extra.WithPrefix("E05.poisson_exact.");
  ASSERT_EQ(rows.size(), 4u);
  for (const ReferenceRow* r : rows) {
    const auto x = static_cast<std::int64_t>(*r->estimate);
    ExpectInterval(PoissonExactInterval(x), *r);
  }
  // 12 reports among 4,500 residents: rate per 1,000 = 12 / 4.5 = 2.667.
  ExpectInterval(PoissonRateInterval(12, 4500.0, 1000.0), extra.Get("E05.poisson_rate.12_per_4500"));
}

TEST(PoissonExactInterval, ZeroAndTwelveByHand) {
  // 0 events: lower 0; upper = qchisq(0.975, 2)/2 = −ln(0.025) = 3.688879 (P(X = 0 | μ) = e^−μ = 0.025).
  core::Result<Interval> zero = PoissonExactInterval(0);
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(zero->lower, 0.0);
  EXPECT_NEAR(zero->upper, -std::log(0.025), 1e-12);
  // 12 events: qchisq(0.025, 24)/2 = 12.40115/2 = 6.200575; qchisq(0.975, 26)/2 = 41.92317/2 = 20.961585.
  core::Result<Interval> twelve = PoissonExactInterval(12);
  ASSERT_TRUE(twelve.ok());
  EXPECT_NEAR(twelve->lower, 6.200575, 1e-6);
  EXPECT_NEAR(twelve->upper, 20.961585, 1e-6);
}

TEST(Intervals, RejectBadArguments) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto expect_invalid = [](const core::Result<Interval>& r, const std::string& fragment) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
  };
  expect_invalid(WaldInterval(1.0, -0.1), "standard error");
  expect_invalid(WaldInterval(1.0, nan), "standard error");
  expect_invalid(WaldInterval(nan, 1.0), "estimate");
  expect_invalid(WaldInterval(1.0, 1.0, 1.0), "confidence level");
  expect_invalid(WaldInterval(1.0, 1.0, 0.0), "confidence level");
  expect_invalid(WaldInterval(1.0, 1.0, nan), "confidence level");
  expect_invalid(WaldInterval(1.0, 1.0, 0.95, 0.0), "degrees of freedom");
  expect_invalid(WaldInterval(1.0, 1.0, 0.95, nan), "degrees of freedom");
  expect_invalid(WilsonInterval(1.5, 10.0), "proportion");
  expect_invalid(WilsonInterval(nan, 10.0), "proportion");
  expect_invalid(WilsonInterval(0.5, 0.0), "sample size");
  expect_invalid(ClopperPearsonInterval(11, 10), "successes");
  expect_invalid(ClopperPearsonInterval(-1, 10), "successes");
  expect_invalid(ClopperPearsonInterval(0, 0), "trials");
  expect_invalid(ClopperPearsonInterval(1, 10, 1.5), "confidence level");
  expect_invalid(PoissonExactInterval(-1), "count");
  expect_invalid(PoissonRateInterval(3, 0.0), "exposure");
  expect_invalid(PoissonRateInterval(3, 100.0, -1.0), "per");
  core::Result<double> q = CriticalValue(0.95, -3.0);
  EXPECT_FALSE(q.ok());
}

}  // namespace
}  // namespace tryghed::stats
