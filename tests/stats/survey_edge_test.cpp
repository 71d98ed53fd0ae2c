// Edge inputs of the survey estimators: empty domains, all values missing,
// bad weights, lonely PSUs under each rule (numbers worked by hand below),
// proportions of exactly 0 and 1, and independence of the row order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/csv.h"
#include "stats/contrast.h"
#include "stats/design.h"
#include "stats/estimators.h"
#include "stats/proportion.h"

namespace tryghed::stats {
namespace {

Design Make(DesignSpec spec) {
  auto d = Design::Create(std::move(spec));
  if (!d.ok()) throw std::runtime_error(d.status().ToString());
  return *d;
}

TEST(Edge, EmptyDomainIsANumericalErrorNamingIt) {
  DesignSpec s;
  s.weights = {1, 2, 3};
  Design d = Make(s);
  const std::vector<double> y = {1, 2, 3};
  const std::vector<std::int64_t> dom = {0, 0, 2};  // domain 1 has nobody
  const std::span<const double> v[1] = {y};
  auto m = MeanByDomain(d, v, Domains{dom, 3});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), core::StatusCode::kNumerical);
  EXPECT_NE(m.status().message().find("domain 2"), std::string::npos) << m.status().message();
}

TEST(Edge, AllValuesMissing) {
  DesignSpec s;
  s.weights = {1, 2, 3};
  Design d = Make(s);
  const std::vector<double> y = {kMissing, kMissing, kMissing};
  const std::span<const double> v[1] = {y};
  auto m = Mean(d, v);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), core::StatusCode::kNumerical);
  auto p = CiProportion(d, y, {}, {});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), core::StatusCode::kNumerical);
}

TEST(Edge, NonPositiveWeightsAreRejectedWithTheRow) {
  for (double bad : {0.0, -1.0}) {
    DesignSpec s;
    s.weights = {1, bad, 3};
    auto d = Design::Create(s);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), core::StatusCode::kInvalidArgument);
    EXPECT_NE(d.status().message().find("row 2"), std::string::npos) << d.status().message();
  }
}

// Lonely PSU, worked by hand. Weights 1, no fpc, every unit its own PSU.
// Stratum 0: y = 1, 3 (n_h = 2); stratum 1: y = 5 alone. Estimated total 9.
// Stratum 0 contributes n/(n−1) Σ (z − z̄)² = 2 · ((1−2)² + (3−2)²) = 4.
// The lonely stratum 1 under each rule (R survey 4.1, svyrecvar/onestrat):
//   fail       Design::Create refuses the design;
//   certainty  0        → var 4;
//   remove     0        → var 4;
//   adjust     centred at 0, scale f = 1: 5² = 25 → var 29;
//   average    the mean of the other strata's contributions: 4 · 2/1 → var 8.
TEST(Edge, LonelyPsuRules) {
  const std::vector<double> y = {1, 3, 5};
  const std::span<const double> v[1] = {y};
  const std::pair<LonelyPsu, double> rules[] = {
      {LonelyPsu::kCertainty, 4}, {LonelyPsu::kRemove, 4}, {LonelyPsu::kAdjust, 29}, {LonelyPsu::kAverage, 8}};
  for (const auto& [rule, var] : rules) {
    DesignSpec s;
    s.strata = {0, 0, 1};
    s.lonely_psu = rule;
    Design d = Make(s);
    auto t = Total(d, v);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_DOUBLE_EQ(t->estimate[0], 9);
    EXPECT_NEAR(t->covariance(0, 0), var, 1e-12) << static_cast<int>(rule);
  }
  DesignSpec s;
  s.strata = {0, 0, 1};
  auto fail = Design::Create(s);
  ASSERT_FALSE(fail.ok());
  EXPECT_NE(fail.status().message().find("only one PSU"), std::string::npos) << fail.status().message();
}

// A proportion of exactly 0 and 1: 10 unweighted units, no strata.
// beta: n_eff = n = 10, upper = qbeta(0.975, 1, 10) = 1 − 0.025^(1/10) = 0.30849710;
// Clopper–Pearson gives the same; Wilson (z = 1.959964, n = 10): upper = (z²/n)/(1 + z²/n)
// = 0.38414588/1.38414588 = 0.27753279; mean: [0, 0]; logit/xlogit/asin/likelihood: a
// Numerical status. p = 1 mirrors it.
TEST(Edge, ProportionOfZeroAndOne) {
  DesignSpec s;
  s.weights.assign(10, 1.0);
  Design d = Make(s);
  const double cp_upper = 1 - std::pow(0.025, 0.1);
  const double z = 1.959963984540054;
  const double wilson_upper = (z * z / 10) / (1 + z * z / 10);
  for (double value : {0.0, 1.0}) {
    const std::vector<double> y(10, value);
    auto run = [&](ProportionMethod m) {
      ProportionOptions opt;
      opt.method = m;
      return CiProportion(d, y, {}, opt);
    };
    const auto lo = [&](double up) { return value == 0 ? 0.0 : 1 - up; };
    const auto hi = [&](double up) { return value == 0 ? up : 1.0; };
    for (auto m : {ProportionMethod::kBeta, ProportionMethod::kClopperPearson}) {
      auto p = run(m);
      ASSERT_TRUE(p.ok()) << p.status().ToString();
      EXPECT_NEAR(p->lower, lo(cp_upper), 1e-9);
      EXPECT_NEAR(p->upper, hi(cp_upper), 1e-9);
      EXPECT_EQ(p->estimate, value);
    }
    auto w = run(ProportionMethod::kWilson);
    ASSERT_TRUE(w.ok());
    EXPECT_NEAR(w->lower, lo(wilson_upper), 1e-9);
    EXPECT_NEAR(w->upper, hi(wilson_upper), 1e-9);
    auto mean = run(ProportionMethod::kMean);
    ASSERT_TRUE(mean.ok());
    EXPECT_EQ(mean->lower, value);
    EXPECT_EQ(mean->upper, value);
    for (auto m : {ProportionMethod::kLogit, ProportionMethod::kXlogit, ProportionMethod::kAsin,
                   ProportionMethod::kLikelihood}) {
      auto p = run(m);
      ASSERT_FALSE(p.ok()) << ProportionMethodName(m);
      EXPECT_EQ(p.status().code(), core::StatusCode::kNumerical);
      EXPECT_NE(p.status().message().find("beta"), std::string::npos);
    }
  }
}

TEST(Edge, ClopperPearsonRefusesWeightedData) {
  DesignSpec s;
  s.weights = {1, 2, 1, 1};
  Design d = Make(s);
  const std::vector<double> y = {1, 0, 0, 1};
  ProportionOptions opt;
  opt.method = ProportionMethod::kClopperPearson;
  auto p = CiProportion(d, y, {}, opt);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), core::StatusCode::kInvalidArgument);
}

TEST(Edge, ProportionRejectsValuesOtherThanZeroAndOne) {
  DesignSpec s;
  s.weights = {1, 1, 1};
  Design d = Make(s);
  const std::vector<double> y = {1, 2, 0};
  auto p = CiProportion(d, y, {}, {});
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("row 2"), std::string::npos) << p.status().message();
}

// The safety survey's domain means and their covariance with the rows in
// a shuffled order: the same numbers within 1e-12 relative.
TEST(Edge, ResultsDoNotDependOnRowOrder) {
  auto t = core::ReadCsvFile(std::string(TRYGHED_TEST_DATA) + "/reference/data/safety_with_derived.csv");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const std::size_t n = t->rows.size();
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::mt19937 rng(12345);
  std::shuffle(perm.begin(), perm.end(), rng);
  auto run = [&](const std::vector<std::size_t>& order) {
    const auto w = *core::NumericColumn(*t, "w_design");
    const auto fpc = *core::NumericColumn(*t, "N_h");
    const auto index = *core::NumericColumn(*t, "index");
    const auto wave = *core::NumericColumn(*t, "wave");
    const std::size_t cs = *t->Find("stratum"), ca = *t->Find("area");
    std::set<std::string> levels;
    for (const auto& r : t->rows) levels.insert(r[cs]);
    std::map<std::string, std::int64_t> code;
    for (const auto& l : levels) code.emplace(l, static_cast<std::int64_t>(code.size()));
    DesignSpec s;
    std::vector<double> y;
    std::vector<std::int64_t> dom;
    for (std::size_t i : order) {
      s.weights.push_back(w[i]);
      s.fpc.push_back(fpc[i]);
      s.strata.push_back(code[t->rows[i][cs]]);
      y.push_back(index[i]);
      dom.push_back(static_cast<std::int64_t>(wave[i]) - 1 + (t->rows[i][ca] == "P" ? 3 : 0));
    }
    Design d = Make(s);
    const std::span<const double> v[1] = {y};
    auto m = MeanByDomain(d, v, Domains{dom, 6});
    if (!m.ok()) throw std::runtime_error(m.status().ToString());
    return *m;
  };
  std::vector<std::size_t> identity(n);
  std::iota(identity.begin(), identity.end(), 0);
  const Estimates a = run(identity), b = run(perm);
  for (std::size_t k = 0; k < a.estimate.size(); ++k) {
    EXPECT_NEAR(b.estimate[k], a.estimate[k], 1e-12 * std::abs(a.estimate[k]));
    for (std::size_t l = 0; l < a.estimate.size(); ++l) {
      EXPECT_NEAR(b.covariance(k, l), a.covariance(k, l), 1e-12 * std::abs(a.covariance(k, k)));
    }
  }
}

}  // namespace
}  // namespace tryghed::stats
