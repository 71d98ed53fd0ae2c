// The lead's core (design.cpp, estimators.cpp) against R survey 4.1: rows
// A01–A15 and B01–B04 of tests/data/reference/reference_values.csv, with the
// numbers copied here so a change to the file cannot silently change a test.
// Also the new estimators (proportion, contrast, deff, t test, quantile).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/csv.h"
#include "stats/contrast.h"
#include "stats/design.h"
#include "stats/design_effect.h"
#include "stats/estimators.h"
#include "stats/proportion.h"
#include "stats/quantile.h"

namespace tryghed::stats {
namespace {

const std::string kData = std::string(TRYGHED_TEST_DATA) + "/reference/data/";

core::CsvTable Table(const std::string& file) {
  auto t = core::ReadCsvFile(kData + file);
  if (!t.ok()) throw std::runtime_error(t.status().ToString());
  return *t;
}

std::vector<double> Num(const core::CsvTable& t, const std::string& col) {
  auto v = core::NumericColumn(t, col);
  if (!v.ok()) throw std::runtime_error(v.status().ToString());
  return *v;
}

std::vector<std::string> Text(const core::CsvTable& t, const std::string& col) {
  std::vector<std::string> out;
  const std::size_t c = *t.Find(col);
  for (const auto& row : t.rows) out.push_back(row[c]);
  return out;
}

// Codes in sorted order of the distinct strings (R's factor levels).
std::vector<std::int64_t> Codes(const std::vector<std::string>& v) {
  std::set<std::string> s(v.begin(), v.end());
  std::map<std::string, std::int64_t> idx;
  for (const auto& x : s) idx.emplace(x, static_cast<std::int64_t>(idx.size()));
  std::vector<std::int64_t> out;
  for (const auto& x : v) out.push_back(idx[x]);
  return out;
}

void Near(double got, double want, double rel = 1e-6) {
  EXPECT_NEAR(got, want, rel * std::abs(want)) << "want " << want;
}

struct Api {
  core::CsvTable t;
  Design design;
};

Design Make(DesignSpec spec) {
  auto d = Design::Create(std::move(spec));
  if (!d.ok()) throw std::runtime_error(d.status().ToString());
  return *d;
}

Api Strat(bool fpc) {
  auto t = Table("api_apistrat.csv");
  DesignSpec s;
  s.weights = Num(t, "pw");
  s.strata = Codes(Text(t, "stype"));
  if (fpc) s.fpc = Num(t, "fpc");
  return {t, Make(s)};
}

Api Clus(bool fpc) {
  auto t = Table("api_apiclus1.csv");
  DesignSpec s;
  s.weights = Num(t, "pw");
  std::vector<std::int64_t> dnum;
  for (double x : Num(t, "dnum")) dnum.push_back(static_cast<std::int64_t>(x));
  s.clusters = dnum;
  if (fpc) s.fpc = Num(t, "fpc");
  return {t, Make(s)};
}

template <typename T>
T Ok(core::Result<T> r) {
  if (!r.ok()) throw std::runtime_error(r.status().ToString());
  return *r;
}

TEST(Estimators, A01_A02_StratifiedWithFpc) {
  Api a = Strat(true);
  const auto api00 = Num(a.t, "api00");
  const std::span<const double> v1[1] = {api00};
  Estimates m = Ok(Mean(a.design, v1));
  Near(m.estimate[0], 662.287363159321);
  Near(m.StandardErrors()[0], 9.40894080278458);
  EXPECT_EQ(m.df, 197);
  const auto enroll = Num(a.t, "enroll");
  const std::span<const double> v2[1] = {enroll};
  Estimates t = Ok(Total(a.design, v2));
  Near(t.estimate[0], 3687177.53243828);
  Near(t.StandardErrors()[0], 114641.71610078);
  auto deff = MeanDesignEffect(a.design, api00, {});
  ASSERT_TRUE(deff.ok()) << deff.status().ToString();
  Near(*deff, 1.20445726853772);  // A01.api00_mean.deff
}

TEST(Estimators, A03_A04_StratifiedNoFpc) {
  Api a = Strat(false);
  const auto api00 = Num(a.t, "api00");
  const auto enroll = Num(a.t, "enroll");
  const std::span<const double> v1[1] = {api00};
  const std::span<const double> v2[1] = {enroll};
  Near(Ok(Mean(a.design, v1)).StandardErrors()[0], 9.53613229692516);
  Near(Ok(Total(a.design, v2)).StandardErrors()[0], 117319.085968965);
}

TEST(Estimators, A05_TwoVariablesAndTheirContrast) {
  Api a = Strat(true);
  const auto api00 = Num(a.t, "api00");
  const auto api99 = Num(a.t, "api99");
  const std::span<const double> v[2] = {api00, api99};
  Estimates m = Ok(Mean(a.design, v));
  Near(m.estimate[1], 629.394844783961);
  Near(m.StandardErrors()[1], 9.96394729866688);
  const double c[2] = {1, -1};
  auto d = LinearContrast(m, c);
  ASSERT_TRUE(d.ok());
  Near(d->estimate, 32.8925183753596);
  Near(d->se, 2.05111240771061);
}

TEST(Estimators, A06_A09_OneStageCluster) {
  Api a = Clus(true);
  const auto api00 = Num(a.t, "api00");
  const auto enroll = Num(a.t, "enroll");
  const auto stu = Num(a.t, "api.stu");
  const std::span<const double> v1[1] = {api00};
  const std::span<const double> v2[1] = {enroll};
  Estimates m = Ok(Mean(a.design, v1));
  Near(m.estimate[0], 644.169398907104);
  Near(m.StandardErrors()[0], 23.542240693781);
  EXPECT_EQ(m.df, 14);
  Estimates t = Ok(Total(a.design, v2));
  Near(t.estimate[0], 3404940.13452911);
  Near(t.StandardErrors()[0], 932235.027041215);
  Estimates r = Ok(Ratio(a.design, stu, enroll));
  Near(r.estimate[0], 0.849708741724488);
  Near(r.StandardErrors()[0], 0.00838629716939109);
  Api b = Clus(false);
  Near(Ok(Mean(b.design, v1)).StandardErrors()[0], 23.7790107208869);  // A08
}

TEST(Estimators, A10_A11_DomainsEqualStrata) {
  Api a = Strat(true);
  const auto api00 = Num(a.t, "api00");
  const auto dom = Codes(Text(a.t, "stype"));  // E, H, M
  const std::span<const double> v[1] = {api00};
  Estimates m = Ok(MeanByDomain(a.design, v, Domains{dom, 3}));
  const double est[3] = {674.43, 625.82, 636.6};
  const double se[3] = {12.3824797939073, 14.9371291853931, 16.2147073081845};
  for (int d = 0; d < 3; ++d) {
    Near(m.estimate[d], est[d]);
    Near(m.StandardErrors()[d], se[d]);
  }
  const double c[3] = {1, -1, 0};
  auto d = LinearContrast(m, c);
  ASSERT_TRUE(d.ok());
  Near(d->estimate, 48.61);
  Near(d->se, 19.4021553995334);
}

TEST(Estimators, A12_A15_DomainsAcrossClusters) {
  Api a = Clus(true);
  const auto api00 = Num(a.t, "api00");
  const auto enroll = Num(a.t, "enroll");
  const auto dom = Codes(Text(a.t, "stype"));
  const std::span<const double> v[1] = {api00};
  Estimates m = Ok(MeanByDomain(a.design, v, Domains{dom, 3}));
  const double est[3] = {648.868055555556, 618.571428571429, 631.44};
  const double se[3] = {22.3624088938319, 38.0202493594075, 31.6094652272455};
  for (int d = 0; d < 3; ++d) {
    Near(m.estimate[d], est[d]);
    Near(m.StandardErrors()[d], se[d]);
  }
  // The same without the covariance (clustered: PSU × domain totals).
  EstimatesSe only = Ok(MeanByDomainSe(a.design, v, Domains{dom, 3}));
  for (int d = 0; d < 3; ++d) {
    Near(only.estimate[d], est[d]);
    Near(only.se[d], se[d]);
  }
  auto names = std::vector<std::string>{"E", "H", "M"};
  auto eh = ParseContrast("E-H", names);
  ASSERT_TRUE(eh.ok());
  auto d13 = LinearContrast(m, *eh);
  Near(d13->estimate, 30.296626984127);
  Near(d13->se, 30.0276061918454);  // A13: needs the covariance between domains
  auto d14 = LinearContrast(m, *ParseContrast("E-M", names));
  Near(d14->se, 14.3373902342168);
  const std::span<const double> v2[1] = {enroll};
  Estimates t = Ok(TotalByDomain(a.design, v2, Domains{dom, 3}));
  const double test[3] = {2109717.12683487, 535594.869567871, 759628.138126373};
  const double tse[3] = {631349.38627511, 226716.59470641, 213635.484268131};
  for (int d = 0; d < 3; ++d) {
    Near(t.estimate[d], test[d]);
    Near(t.StandardErrors()[d], tse[d]);
  }
}

struct Safety {
  core::CsvTable t;
  Design design;
  std::vector<std::int64_t> wave_area;  // (wave-1) + 3*(area=="P"): R's svyby order 1.C 2.C 3.C 1.P 2.P 3.P
};

Safety LoadSafety(bool fpc) {
  auto t = Table("safety_with_derived.csv");
  DesignSpec s;
  s.weights = Num(t, "w_design");
  s.strata = Codes(Text(t, "stratum"));
  if (fpc) s.fpc = Num(t, "N_h");
  Safety out{t, Make(s), {}};
  const auto wave = Num(t, "wave");
  const auto area = Text(t, "area");
  for (std::size_t i = 0; i < wave.size(); ++i) {
    out.wave_area.push_back(static_cast<std::int64_t>(wave[i]) - 1 + (area[i] == "P" ? 3 : 0));
  }
  return out;
}

TEST(Estimators, B01_B04_DomainsWithMissingValues) {
  Safety s = LoadSafety(true);
  const auto index = Num(s.t, "index");
  const auto unsafe = Num(s.t, "unsafe");
  const std::span<const double> vi[1] = {index};
  const std::span<const double> vu[1] = {unsafe};
  const Domains dom{s.wave_area, 6};
  Estimates m = Ok(MeanByDomain(s.design, vi, dom));
  // B01 .z rows, in the order 1.C 2.C 3.C 1.P 2.P 3.P
  const double est[6] = {56.9895756970757, 58.5927532933862, 56.3635569656453,
                         50.5857970610724, 53.5716136371207, 55.7247777803975};
  const double se[6] = {0.699674464444208, 0.700156056311826, 0.73733357255962,
                        0.822504742192082, 0.759523729597159, 0.836688178970768};
  for (int d = 0; d < 6; ++d) {
    Near(m.estimate[d], est[d]);
    Near(m.StandardErrors()[d], se[d]);
  }
  EXPECT_EQ(m.df, 3335);
  // Standard errors only (stratified, by stratum × domain cells).
  EstimatesSe only = Ok(MeanByDomainSe(s.design, vi, dom));
  for (int d = 0; d < 6; ++d) {
    Near(only.estimate[d], est[d]);
    Near(only.se[d], se[d]);
  }
  EXPECT_EQ(only.df, 3335);
  // B01 deff of the 1.C domain mean.
  std::unique_ptr<bool[]> in(new bool[s.design.size()]);
  for (std::size_t i = 0; i < s.design.size(); ++i) in[i] = s.wave_area[i] == 0;
  auto deff = MeanDesignEffect(s.design, index, std::span<const bool>(in.get(), s.design.size()));
  ASSERT_TRUE(deff.ok()) << deff.status().ToString();
  Near(*deff, 1.00304689628793);
  // B07 P_w2_minus_w1 and the difference in differences.
  const double c[6] = {0, 0, 0, -1, 1, 0};
  Near(LinearContrast(m, c)->se, 1.11954917120671);
  Estimates u = Ok(MeanByDomain(s.design, vu, dom));
  Near(u.estimate[0], 0.323115540633393);  // B03 wave=1;area=C
  Near(u.StandardErrors()[0], 0.0178392410481957);
  Estimates tot = Ok(TotalByDomain(s.design, vu, dom));
  Near(tot.estimate[0], 11574.4454955885);  // B04 wave=1;area=C
  Near(tot.StandardErrors()[0], 640.620900611696);
  Safety n = LoadSafety(false);
  Estimates m2 = Ok(MeanByDomain(n.design, vi, dom));
  Near(m2.StandardErrors()[0], 0.706345407784074);  // B02 wave=1;area=C
}

TEST(Proportion, A16_AllSvycipropMethods) {
  Api a = Clus(true);
  const auto ell = Num(a.t, "ell");
  std::vector<double> y;
  for (double x : ell) y.push_back(x == 0 ? 1.0 : 0.0);
  struct Want {
    ProportionMethod m;
    double lo, hi;
  };
  const Want want[] = {
      {ProportionMethod::kLogit, 0.00230469129853851, 0.177747766513557},
      {ProportionMethod::kLikelihood, 0.000663921180934204, 0.107778408381593},
      {ProportionMethod::kAsin, 0.000307192708887876, 0.095576736366843},
      {ProportionMethod::kBeta, 0.000216146832743157, 0.137507763914981},
      {ProportionMethod::kMean, -0.026662407957767, 0.0703782549523025},
      {ProportionMethod::kXlogit, 0.0023046912841355, 0.1777477668227},
  };
  for (const auto& w : want) {
    ProportionOptions opt;
    opt.method = w.m;
    auto p = CiProportion(a.design, y, {}, opt);
    ASSERT_TRUE(p.ok()) << ProportionMethodName(w.m) << ": " << p.status().ToString();
    SCOPED_TRACE(ProportionMethodName(w.m));
    Near(p->estimate, 0.0218579234972678);
    Near(p->se, 0.0226224508611339);
    Near(p->lower, w.lo);
    Near(p->upper, w.hi);
    EXPECT_EQ(p->df, 14);
  }
}

TEST(TTest, B27_DesignBasedWave3PilotMinusComparison) {
  Safety s = LoadSafety(true);
  const auto index = Num(s.t, "index");
  std::vector<std::int64_t> group(s.design.size(), -1);
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (s.wave_area[i] == 2) group[i] = 0;  // 3.C
    if (s.wave_area[i] == 5) group[i] = 1;  // 3.P
  }
  auto t = DomainMeanTTest(s.design, index, group);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Near(t->difference, -0.638779185247875);
  Near(t->se, 1.11521652877502);
  EXPECT_EQ(t->df, 1023);
  Near(t->lower, -2.82715254245603);
  Near(t->upper, 1.54959417196028);
  Near(t->t, -0.57278489761, 1e-9);
  Near(t->p_value, 0.566916211913, 1e-9);
}

TEST(Contrast, ParsesNamesWithDashesAndColons) {
  const std::vector<std::string> names = {"18-34", "35-54", "55+"};
  auto c = ParseContrast("55+-18-34", names);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(*c, (std::vector<double>{-1, 0, 1}));
  const std::vector<std::string> wa = {"1:C", "3:C", "1:P", "3:P"};
  auto did = ParseContrast("3:P - 1:P - 3:C + 1:C", wa);
  ASSERT_TRUE(did.ok());
  EXPECT_EQ(*did, (std::vector<double>{1, -1, -1, 1}));
  auto half = ParseContrast("0.5*1:C+0.5*3:C-1:P", wa);
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(*half, (std::vector<double>{0.5, 0.5, -1, 0}));
  auto bad = ParseContrast("3:P-2:P", wa);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("2:P"), std::string::npos) << bad.status().message();
}

// Quantile by hand: SRS (with replacement) of 5 units x = 1..5 with weights
// 1, 1, 1, 4, 1 (Σw = 8). Cumulative shares 1/8, 2/8, 3/8, 7/8, 1: the median
// (first share ≥ 0.5) is 4. Woodruff: m = weighted mean of 1{x ≤ 4} = 7/8;
// linearised values z_i = w_i (1{x≤4} − 7/8)/8 = 0.015625 (×3), 0.0625,
// −0.109375 (sum 0); var = n/(n−1) Σ z² = 5/4 · 0.0166015625 = 0.020751953125,
// se(m) = 0.14405539; df = 5 − 1 = 4, t = 2.7764451052; m ± t·se =
// [0.47504, 1.27496]: the lower end maps to 4 (3/8 < 0.475 ≤ 7/8), the upper
// end is above 1 (R: NaN) and is clamped to the largest value, 5.
// se = (5 − 4) / (2 t).
TEST(Quantile, HandWorkedWoodruff) {
  DesignSpec s;
  s.weights = {1, 1, 1, 4, 1};
  Design d = Make(s);
  const std::vector<double> x = {1, 2, 3, 4, 5};
  auto q = Quantile(d, x, {}, 0.5);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->estimate, 4);
  EXPECT_EQ(q->df, 4);
  EXPECT_FALSE(q->lower_clamped);
  EXPECT_TRUE(q->upper_clamped);
  EXPECT_EQ(q->lower, 4);
  EXPECT_EQ(q->upper, 5);
  EXPECT_NEAR(q->se, 1.0 / (2 * 2.7764451051977987), 1e-12);
}

}  // namespace
}  // namespace tryghed::stats
