// Replicate weights against R survey 4.1 (as.svrepdesign JK1, JKn, bootstrap
// with R's own multipliers): reference rows A29–A34, B19, B20; the seeded
// bootstrap's independence of the thread count (also for ratio, prop and the t test); errors.
#include "stats/replicates.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "model_fixture.h"
#include "stats/contrast.h"
#include "stats/internal/quantiles.h"
#include "stats/proportion.h"

namespace tryghed::stats {
namespace {

using testing::Column;
using testing::ExpectRows;
using testing::kDomainLabels;
using testing::Near;

// A seeded bootstrap design computed on `threads` threads.
core::Result<ReplicateDesign> SeededBootstrap(const Design& design, std::size_t replicates, std::uint64_t seed,
                                              unsigned threads) {
  ReplicateOptions opt;
  opt.type = ReplicateType::kBootstrap;
  opt.replicates = replicates;
  opt.seed = seed;
  opt.threads = threads;
  return MakeReplicates(design, opt);
}

class Replicates : public ::testing::Test {
 protected:
  void SetUp() override {
    ref_ = testing::LoadReferenceValues();
    clus_ = testing::LoadApi("apiclus1");
    strat_ = testing::LoadApi("apistrat");
  }
  Estimates MeanOf(const ReplicateDesign& d, const std::vector<double>& y) {
    const std::span<const double> v[] = {y};
    auto m = Mean(d, v);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : Estimates{};
  }
  // R's multipliers (boot_multipliers_*.csv) as a replicates × PSUs matrix in
  // the design's PSU order (first appearance of the PSU in the data).
  static Matrix Multipliers(const testing::CsvTable& t, std::size_t replicates,
                            const std::vector<std::size_t>& csv_row_of_psu) {
    Matrix m(replicates, csv_row_of_psu.size());
    for (std::size_t r = 0; r < replicates; ++r) {
      char name[32];
      std::snprintf(name, sizeof name, "r%03zu", r + 1);
      const std::vector<double> col = Column(t, name);
      for (std::size_t p = 0; p < csv_row_of_psu.size(); ++p) m(r, p) = col[csv_row_of_psu[p]];
    }
    return m;
  }

  testing::ReferenceValues ref_;
  testing::ApiData clus_, strat_;
};

TEST_F(Replicates, Jk1MatchesR) {
  ReplicateOptions opt;
  opt.type = ReplicateType::kJK1;
  auto jk = MakeReplicates(testing::ApiClusterDesign(clus_), opt);
  ASSERT_TRUE(jk.ok()) << jk.status().ToString();
  EXPECT_EQ(jk->replicate_count(), 15u);
  EXPECT_NEAR(jk->scale(), 0.9148392779, 1e-10);  // (757 − 15)/757 · 14/15, from A29's note
  EXPECT_EQ(jk->df(), 14);
  const Estimates m = MeanOf(*jk, clus_.api00);
  ExpectRows(ref_, "A29.api00_mean_JK1.", m.estimate[0], m.StandardErrors()[0], jk->df());
  const std::span<const double> v[] = {clus_.enroll};
  auto t = Total(*jk, v);
  ASSERT_TRUE(t.ok());
  ExpectRows(ref_, "A30.enroll_total_JK1.", t->estimate[0], t->StandardErrors()[0], jk->df());
  opt.mse = true;
  auto jkm = MakeReplicates(testing::ApiClusterDesign(clus_), opt);
  ASSERT_TRUE(jkm.ok());
  const Estimates mm = MeanOf(*jkm, clus_.api00);
  ExpectRows(ref_, "A31.api00_mean_JK1_mse.", mm.estimate[0], mm.StandardErrors()[0], jkm->df());
}

TEST_F(Replicates, JknMatchesR) {
  ReplicateOptions opt;
  opt.type = ReplicateType::kJKn;
  auto jk = MakeReplicates(testing::ApiStratDesign(strat_), opt);
  ASSERT_TRUE(jk.ok()) << jk.status().ToString();
  EXPECT_EQ(jk->replicate_count(), 200u);
  const Estimates m = MeanOf(*jk, strat_.api00);
  ExpectRows(ref_, "A32.api00_mean_JKn.", m.estimate[0], m.StandardErrors()[0], jk->df());
  // A JKn replicate drops one school and reweights its stratum by n_h/(n_h − 1).
  const auto w1 = jk->replicate_weights(0);
  EXPECT_EQ(w1[0], 0.0);
}

TEST_F(Replicates, BootstrapWithRMultipliersMatchesR) {
  // apiclus1: one row per dnum in the CSV, in the order of first appearance.
  const testing::CsvTable t = testing::LoadCsv(testing::ReferencePath("boot_multipliers_api_dclus1.csv"));
  const std::vector<double> dnum = Column(t, "dnum");
  std::vector<std::size_t> row_of_psu;
  std::map<std::int64_t, bool> seen;
  for (std::int64_t d : clus_.dnum) {
    if (seen.emplace(d, true).second) {
      for (std::size_t r = 0; r < dnum.size(); ++r) {
        if (static_cast<std::int64_t>(dnum[r]) == d) row_of_psu.push_back(r);
      }
    }
  }
  ASSERT_EQ(row_of_psu.size(), 15u);
  const Matrix mult = Multipliers(t, 200, row_of_psu);
  ReplicateOptions opt;
  opt.type = ReplicateType::kBootstrap;
  opt.multipliers = &mult;
  auto bs = MakeReplicates(testing::ApiClusterDesign(clus_), opt);
  ASSERT_TRUE(bs.ok()) << bs.status().ToString();
  EXPECT_NEAR(bs->scale(), 0.00538406317301, 1e-13);
  const Estimates m = MeanOf(*bs, clus_.api00);
  ExpectRows(ref_, "A33.api00_mean_bootstrap200.", m.estimate[0], m.StandardErrors()[0], bs->df());
  // Percentile interval: type-7 quantiles of the 200 replicate means.
  const std::span<const double> v[] = {clus_.api00};
  auto reps = ReplicateMeans(*bs, v);
  ASSERT_TRUE(reps.ok());
  const auto& row = ref_.Get("A33.api00_mean_bootstrap200.percentile");
  auto lo = ReplicateQuantile(reps->values, 0.025), hi = ReplicateQuantile(reps->values, 0.975);
  ASSERT_TRUE(lo.ok() && hi.ok());
  EXPECT_TRUE(Near(*lo, *row.ci_lower, 1e-9)) << *lo;
  EXPECT_TRUE(Near(*hi, *row.ci_upper, 1e-9)) << *hi;

  // apistrat (with fpc): one row per school.
  const testing::CsvTable ts = testing::LoadCsv(testing::ReferencePath("boot_multipliers_api_dstrat.csv"));
  std::vector<std::size_t> rows(strat_.rows());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  const Matrix ms = Multipliers(ts, 200, rows);
  opt.multipliers = &ms;
  auto bss = MakeReplicates(testing::ApiStratDesign(strat_), opt);
  ASSERT_TRUE(bss.ok()) << bss.status().ToString();
  EXPECT_NEAR(bss->scale(), 0.00511029724896, 1e-13);
  const Estimates s = MeanOf(*bss, strat_.api00);
  ExpectRows(ref_, "A34.api00_mean_bootstrap200.", s.estimate[0], s.StandardErrors()[0], bss->df());
}

TEST_F(Replicates, SeededBootstrapDoesNotDependOnThreads) {
  const Design d = testing::ApiStratDesign(strat_);  // with fpc: sampling without replacement
  const Design c = testing::ApiClusterDesign(clus_);
  for (const Design* design : {&d, &c}) {
    std::vector<double> se;
    std::vector<std::vector<double>> first_weights;
    for (unsigned threads : {1u, 2u, 7u}) {
      auto bs = SeededBootstrap(*design, 101, 20240611, threads);
      ASSERT_TRUE(bs.ok()) << bs.status().ToString();
      const Estimates m = MeanOf(*bs, design == &d ? strat_.api00 : clus_.api00);
      se.push_back(m.StandardErrors()[0]);
      first_weights.push_back(bs->replicate_weights(100));
    }
    EXPECT_EQ(se[0], se[1]);
    EXPECT_EQ(se[0], se[2]);
    EXPECT_EQ(first_weights[0], first_weights[2]);
  }
  // A different seed gives different replicates; each replicate keeps n_h
  // draws per stratum, so the total multiplier per stratum is n_h.
  ReplicateOptions opt;
  opt.type = ReplicateType::kBootstrap;
  opt.replicates = 50;
  opt.seed = 1;
  auto a = MakeReplicates(d, opt);
  opt.seed = 2;
  auto b = MakeReplicates(d, opt);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->replicate_weights(0), b->replicate_weights(0));
  const auto w = a->replicate_weights(3);
  std::map<std::string, double> draws;
  for (std::size_t i = 0; i < strat_.rows(); ++i) draws[strat_.stype[i]] += w[i] / strat_.pw[i];
  EXPECT_NEAR(draws["E"], 100, 1e-9);
  EXPECT_NEAR(draws["H"], 50, 1e-9);
  EXPECT_NEAR(draws["M"], 50, 1e-9);
}

TEST(ReplicateBlocks, BootstrapDomainCovarianceIsTheReplicateFormulaForAnyThreadCount) {
  // 2,000 units in 2 strata, 40 domains × 4 variables = 160 estimates (more
  // than one 128-column block of the variance product) and 130 replicates
  // (more than two 64-replicate blocks of the totals). The covariance must be
  // scale · Σ_r (θ_r − θ̄)(θ_r − θ̄)ᵀ of the replicate means, computed here
  // directly, and identical for 1, 2 and 3 threads.
  const std::size_t n = 2000, domains = 40, k = 4;
  DesignSpec spec;
  std::vector<std::int64_t> domain(n);
  std::vector<std::vector<double>> x(k, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    spec.weights.push_back(1.0 + static_cast<double>(i % 3));
    spec.strata.push_back(static_cast<std::int64_t>(i % 2));
    domain[i] = static_cast<std::int64_t>((i / 2) % domains);
    for (std::size_t j = 0; j < k; ++j) x[j][i] = std::sin(static_cast<double>((i + 1) * (j + 2)));
  }
  auto design = Design::Create(spec);
  ASSERT_TRUE(design.ok()) << design.status().ToString();
  const std::vector<std::span<const double>> vars(x.begin(), x.end());
  const Domains dom{domain, domains};
  std::vector<Estimates> runs;
  for (unsigned threads : {1u, 2u, 3u}) {
    auto rep = SeededBootstrap(*design, 130, 11, threads);
    ASSERT_TRUE(rep.ok()) << rep.status().ToString();
    auto m = MeanByDomain(*rep, vars, dom);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    runs.push_back(*m);
    if (threads != 1) continue;
    auto theta = ReplicateMeansByDomain(*rep, vars, dom);
    ASSERT_TRUE(theta.ok());
    const std::size_t R = 130, E = domains * k;
    ASSERT_EQ(theta->rows, R);
    ASSERT_EQ(theta->cols, E);
    std::vector<double> mean(E, 0.0);
    for (std::size_t e = 0; e < E; ++e) {
      for (std::size_t r = 0; r < R; ++r) mean[e] += (*theta)(r, e) / static_cast<double>(R);
    }
    for (std::size_t a = 0; a < E; a += 7) {
      for (std::size_t b = 0; b < E; b += 3) {
        double v = 0;
        for (std::size_t r = 0; r < R; ++r) v += ((*theta)(r, a) - mean[a]) * ((*theta)(r, b) - mean[b]);
        v *= rep->scale();
        EXPECT_NEAR(m->covariance(a, b), v, 1e-12 * std::max(1e-3, std::fabs(v))) << a << "," << b;
      }
    }
    // The full-sample mean of domain 0, variable 0, by hand.
    double sw = 0, swx = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (domain[i] == 0) {
        sw += spec.weights[i];
        swx += spec.weights[i] * x[0][i];
      }
    }
    EXPECT_NEAR(m->estimate[0], swx / sw, 1e-13);
  }
  EXPECT_EQ(runs[0].estimate, runs[1].estimate);
  EXPECT_EQ(runs[0].covariance.values, runs[1].covariance.values);
  EXPECT_EQ(runs[0].covariance.values, runs[2].covariance.values);
}

TEST_F(Replicates, SeededBootstrapVarianceIsCloseToLinearisation) {
  // 2000 replicates: the bootstrap SE of the apistrat mean is within 10 % of
  // the Taylor SE 9.4089 (R: A01), as it must be for a consistent method.
  ReplicateOptions opt;
  opt.type = ReplicateType::kBootstrap;
  opt.replicates = 2000;
  opt.seed = 7;
  auto bs = MakeReplicates(testing::ApiStratDesign(strat_), opt);
  ASSERT_TRUE(bs.ok());
  const Estimates m = MeanOf(*bs, strat_.api00);
  EXPECT_NEAR(m.StandardErrors()[0] / 9.40894080278458, 1.0, 0.1);
  EXPECT_EQ(bs->df(), 197);
}

TEST_F(Replicates, SafetySurveyJknAndBootstrapMatchR) {
  const testing::Safety s = testing::LoadSafety();
  const Design des = testing::SafetyDesign(s);
  const std::span<const double> v[] = {s.index};
  ReplicateOptions opt;
  opt.type = ReplicateType::kJKn;
  auto jk = MakeReplicates(des, opt);
  ASSERT_TRUE(jk.ok()) << jk.status().ToString();
  EXPECT_EQ(jk->replicate_count(), 3350u);
  auto m = MeanByDomain(*jk, v, Domains{s.domain, 6});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  for (std::size_t dd = 0; dd < 6; ++dd) {
    ExpectRows(ref_, std::string("B19.index_mean_JKn.") + kDomainLabels[dd] + ".", m->estimate[dd],
               m->StandardErrors()[dd]);
  }
  const testing::CsvTable t = testing::LoadCsv(testing::ReferencePath("boot_multipliers_safety.csv"));
  std::vector<std::size_t> rows(s.rows());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  const Matrix mult = Multipliers(t, 100, rows);
  opt.type = ReplicateType::kBootstrap;
  opt.multipliers = &mult;
  auto bs = MakeReplicates(des, opt);
  ASSERT_TRUE(bs.ok()) << bs.status().ToString();
  auto b = MeanByDomain(*bs, v, Domains{s.domain, 6});
  ASSERT_TRUE(b.ok());
  auto reps = ReplicateMeansByDomain(*bs, v, Domains{s.domain, 6});
  ASSERT_TRUE(reps.ok());
  for (std::size_t dd = 0; dd < 6; ++dd) {
    ExpectRows(ref_, std::string("B20.index_mean_bootstrap100.") + kDomainLabels[dd] + ".", b->estimate[dd],
               b->StandardErrors()[dd]);
    const auto& row = ref_.Get(std::string("B20.index_mean_bootstrap100.percentile.") + kDomainLabels[dd]);
    const std::span<const double> col(&reps->values[dd * 100], 100);
    EXPECT_TRUE(Near(*ReplicateQuantile(col, 0.025), *row.ci_lower, 1e-9)) << row.id;
    EXPECT_TRUE(Near(*ReplicateQuantile(col, 0.975), *row.ci_upper, 1e-9)) << row.id;
  }
}

TEST_F(Replicates, RakedBootstrapMatchesR) {
  // B21: the bootstrap of B20 with every replicate raked to the B11 margins.
  const testing::Safety s = testing::LoadSafety();
  const testing::CsvTable t = testing::LoadCsv(testing::ReferencePath("boot_multipliers_safety.csv"));
  std::vector<std::size_t> rows(s.rows());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  const Matrix mult = Multipliers(t, 100, rows);
  ReplicateOptions opt;
  opt.type = ReplicateType::kBootstrap;
  opt.multipliers = &mult;
  auto bs = MakeReplicates(testing::SafetyDesign(s), opt);
  ASSERT_TRUE(bs.ok()) << bs.status().ToString();
  auto margin = [&](const std::vector<std::string>& level, const std::string& name) {
    std::vector<std::string> key;
    for (std::size_t i = 0; i < s.rows(); ++i) key.push_back(std::to_string(s.wave[i]) + s.area[i] + ":" + level[i]);
    std::vector<std::string> keys;
    Margin m{testing::Codes(key, &keys), {}};
    for (const auto& k : keys) m.population.push_back(testing::PopulationCount(k.substr(1, 1), name, k.substr(3)));
    return m;
  };
  const Margin margins[] = {margin(s.age, "age_group"), margin(s.sex, "sex"), margin(s.tenure, "tenure")};
  RakeOptions ro;
  ro.max_iterations = 200;
  ro.epsilon = 1e-12;
  auto rk = Rake(*bs, margins, ro);
  ASSERT_TRUE(rk.ok()) << rk.status().ToString();
  const std::span<const double> v[] = {s.index};
  auto m = MeanByDomain(*rk, v, Domains{s.domain, 6});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  for (std::size_t dd = 0; dd < 6; ++dd) {
    ExpectRows(ref_, std::string("B21.index_mean_bootstrap100_reraked.") + kDomainLabels[dd] + ".", m->estimate[dd],
               m->StandardErrors()[dd]);
  }
  // Errors of the margins come from Rake(Design): an empty cell is named.
  Margin bad = margins[0];
  bad.population.push_back(10);
  const Margin bad_margins[] = {bad};
  auto e = Rake(*bs, bad_margins, ro);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("margin 1, level 18"), std::string::npos) << e.status().message();
}

// ---------------------------------------------------------------- errors

TEST_F(Replicates, JknWithLonelyPsuIsAnErrorNamingTheStratum) {
  DesignSpec spec;
  spec.weights = {10, 10, 10, 20, 20};
  spec.strata = {1, 1, 1, 7, 8};
  spec.clusters = {1, 2, 3, 4, 5};
  spec.lonely_psu = LonelyPsu::kCertainty;  // the design itself accepts it
  auto d = Design::Create(spec);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ReplicateOptions opt;
  opt.type = ReplicateType::kJKn;
  EXPECT_TRUE(MakeReplicates(*d, opt).ok());  // certainty: the lonely strata get no replicate
  spec.lonely_psu = LonelyPsu::kFail;
  spec.strata = {1, 1, 7, 7, 8};
  auto f = Design::Create(spec);
  ASSERT_FALSE(f.ok());  // Design::Create already refuses
  // A design built with kAdjust but replicated with JKn keeps R's 'adjust'.
  spec.lonely_psu = LonelyPsu::kAdjust;
  auto a = Design::Create(spec);
  ASSERT_TRUE(a.ok());
  auto ra = MakeReplicates(*a, opt);
  ASSERT_TRUE(ra.ok()) << ra.status().ToString();
  EXPECT_EQ(ra->replicate_count(), 5u);  // 2 + 2 + 1 adjusted
}

TEST_F(Replicates, JknLonelyPsuFailMessage) {
  // Build a kFail design with a lonely stratum through a census fpc (allowed
  // by Create) and one genuinely lonely stratum via kRemove → kFail swap is
  // not possible from outside, so check the message on a kFail design whose
  // lonely stratum Create accepted because it is a census stratum.
  DesignSpec spec;
  spec.weights = {1, 1, 1, 1};
  spec.strata = {1, 1, 2, 3};
  spec.fpc = {0.2, 0.2, 1.0, 0.5};  // stratum 2 is a census (fraction 1), stratum 3 is lonely
  auto d = Design::Create(spec);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("stratum 3"), std::string::npos) << d.status().message();
}

TEST_F(Replicates, Jk1OnStratifiedDesignIsAnError) {
  ReplicateOptions opt;
  opt.type = ReplicateType::kJK1;
  auto r = MakeReplicates(testing::ApiStratDesign(strat_), opt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("JKn"), std::string::npos) << r.status().message();
  opt.type = ReplicateType::kBootstrap;
  opt.replicates = 1;
  EXPECT_FALSE(MakeReplicates(testing::ApiStratDesign(strat_), opt).ok());
}

TEST(ReplicateQuantileTest, HandWorkedType7) {
  // R: quantile(c(1, 2, 3, 4, 10), c(0.025, 0.5, 0.975), type = 7) = 1.1, 3, 9.4
  const double x[] = {10, 2, 4, 1, 3};
  EXPECT_NEAR(*ReplicateQuantile(x, 0.025), 1.1, 1e-12);
  EXPECT_NEAR(*ReplicateQuantile(x, 0.5), 3.0, 1e-12);
  EXPECT_NEAR(*ReplicateQuantile(x, 0.975), 9.4, 1e-12);
  EXPECT_FALSE(ReplicateQuantile(x, 1.5).ok());
}

}  // namespace
}  // namespace tryghed::stats

namespace tryghed::stats {
namespace {

// Bootstrap replicate variances of ratio, prop (logit) and the t test
// cannot match R digit for digit (the random draws differ); they must be the
// svrVar formula written out here over the replicate weights, and identical
// for any thread count.
TEST(ReplicateVerbs, BootstrapRatioPropTTestAreTheReplicateFormulaForAnyThreadCount) {
  const testing::ApiData strat = testing::LoadApi("apistrat");
  const Design design = testing::ApiStratDesign(strat);
  const std::size_t n = strat.rows(), R = 60;
  std::vector<double> high(n);
  std::vector<std::int64_t> group(n);
  for (std::size_t i = 0; i < n; ++i) {
    high[i] = strat.api00[i] > 700 ? 1.0 : 0.0;
    group[i] = strat.stype[i] == "E" ? 1 : strat.stype[i] == "H" ? 0 : -1;
  }
  // θ_r by hand from replicate weights, then scale · Σ (θ_r − θ̄)².
  auto by_hand = [&](const ReplicateDesign& rep, auto theta) {
    std::vector<double> t(R);
    double mean = 0;
    for (std::size_t r = 0; r < R; ++r) {
      t[r] = theta(rep.replicate_weights(r));
      mean += t[r] / static_cast<double>(R);
    }
    double ss = 0;
    for (double x : t) ss += (x - mean) * (x - mean);
    return std::sqrt(rep.scale() * ss);
  };
  auto ratio_of = [&](const std::vector<double>& w) {
    double y = 0, x = 0;
    for (std::size_t i = 0; i < n; ++i) {
      y += w[i] * strat.api00[i];
      x += w[i] * strat.api99[i];
    }
    return y / x;
  };
  auto logit_of = [&](const std::vector<double>& w) {
    double s1 = 0, s = 0;
    for (std::size_t i = 0; i < n; ++i) {
      s1 += w[i] * high[i];
      s += w[i];
    }
    return std::log(s1 / (s - s1));
  };
  auto difference_of = [&](const std::vector<double>& w) {
    double m[2] = {0, 0}, s[2] = {0, 0};
    for (std::size_t i = 0; i < n; ++i) {
      if (group[i] < 0) continue;
      m[group[i]] += w[i] * strat.api00[i];
      s[group[i]] += w[i];
    }
    return m[1] / s[1] - m[0] / s[0];
  };
  std::vector<std::vector<double>> results;
  for (unsigned threads : {1u, 2u, 7u}) {
    auto rep = SeededBootstrap(design, R, 777, threads);
    ASSERT_TRUE(rep.ok()) << rep.status().ToString();
    auto ratio = Ratio(*rep, strat.api00, strat.api99);
    ProportionOptions po;
    auto prop = CiProportion(*rep, high, {}, po);
    auto tt = DomainMeanTTest(*rep, strat.api00, group);
    ASSERT_TRUE(ratio.ok() && prop.ok() && tt.ok());
    if (threads == 1) {
      EXPECT_NEAR(ratio->StandardErrors()[0], by_hand(*rep, ratio_of), 1e-12 * ratio->estimate[0]);
      // logit interval: expit(logit(p) ± t(df)·se_logit); se_logit by hand
      const double p = prop->estimate, se_logit = by_hand(*rep, logit_of);
      EXPECT_GT(prop->upper, p);
      EXPECT_NEAR(std::log(prop->upper / (1 - prop->upper)) - std::log(p / (1 - p)),
                  std::log(p / (1 - p)) - std::log(prop->lower / (1 - prop->lower)), 1e-9);
      EXPECT_EQ(prop->df, rep->df());
      auto q = internal::QuantileT(0.975, prop->df);
      ASSERT_TRUE(q.ok());
      EXPECT_NEAR(std::log(prop->upper / (1 - prop->upper)) - std::log(p / (1 - p)), *q * se_logit, 1e-9);
      EXPECT_NEAR(tt->se, by_hand(*rep, difference_of), 1e-9 * tt->se);
    }
    results.push_back({ratio->estimate[0], ratio->StandardErrors()[0], prop->se, prop->lower, prop->upper, tt->se,
                       tt->df, tt->p_value});
  }
  EXPECT_EQ(results[0], results[1]);
  EXPECT_EQ(results[0], results[2]);
}

TEST(ReplicateVerbs, LikelihoodIsRefusedOnReplicates) {
  const testing::ApiData clus = testing::LoadApi("apiclus1");
  ReplicateOptions opt;
  opt.type = ReplicateType::kJK1;
  auto rep = MakeReplicates(testing::ApiClusterDesign(clus), opt);
  ASSERT_TRUE(rep.ok());
  std::vector<double> y(clus.rows());
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = clus.api00[i] > 650 ? 1.0 : 0.0;
  ProportionOptions po;
  po.method = ProportionMethod::kLikelihood;
  auto p = CiProportion(*rep, y, {}, po);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("likelihood"), std::string::npos) << p.status().ToString();
}

}  // namespace
}  // namespace tryghed::stats
