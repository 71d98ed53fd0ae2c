// Calibration against R survey 4.1: postStratify, rake, calibrate (weights in
// api_weights.csv / respondent_derived.csv, estimates in reference rows
// A19–A28 and B09–B18), plus the errors for bad margins.
#include "stats/calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "model_fixture.h"
#include "stats/contrast.h"
#include "stats/estimators.h"
#include "stats/proportion.h"

namespace tryghed::stats {
namespace {

using core::Result;
using testing::ApiData;
using testing::Codes;
using testing::Column;
using testing::ExpectRows;
using testing::kDomainLabels;
using testing::Near;
using testing::PopulationCount;
using testing::Safety;

class ApiCalibration : public ::testing::Test {
 protected:
  void SetUp() override {
    ref_ = testing::LoadReferenceValues();
    api_ = testing::LoadApi("apiclus1");
    weights_ = testing::LoadCsv(testing::ReferencePath("api_weights.csv"));
    stype_ = Margin{Codes(api_.stype), {4421, 755, 1018}};      // E, H, M
    schwide_ = Margin{Codes(api_.sch_wide), {1072, 5122}};      // No, Yes
  }
  void ExpectWeights(const Design& d, const std::string& column, double tol) {
    const std::vector<double> r = Column(weights_, column);
    ASSERT_EQ(d.size(), r.size());
    double worst = 0;
    for (std::size_t i = 0; i < r.size(); ++i) worst = std::max(worst, std::abs(d.weights()[i] / r[i] - 1));
    EXPECT_LT(worst, tol) << column << ": largest relative difference from R's weights";
  }
  void ExpectMeanApi00(const Design& d, const std::string& prefix) {
    const std::span<const double> v[] = {api_.api00};
    auto m = Mean(d, v);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ExpectRows(ref_, prefix, m->estimate[0], m->StandardErrors()[0]);
  }
  void ExpectTotalEnroll(const Design& d, const std::string& prefix) {
    const std::span<const double> v[] = {api_.enroll};
    auto t = Total(d, v);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    ExpectRows(ref_, prefix, t->estimate[0], t->StandardErrors()[0]);
  }
  // Model matrix of ~stype + <extra column>.
  Matrix StypeModel(const std::vector<double>& extra) {
    Matrix x(api_.rows(), 4);
    for (std::size_t i = 0; i < api_.rows(); ++i) {
      x(i, 0) = 1;
      x(i, 1) = api_.stype[i] == "H";
      x(i, 2) = api_.stype[i] == "M";
      x(i, 3) = extra[i];
    }
    return x;
  }

  testing::ReferenceValues ref_;
  ApiData api_;
  testing::CsvTable weights_;
  Margin stype_, schwide_;
};

TEST_F(ApiCalibration, PostStratifyMatchesR) {
  auto ps = PostStratify(testing::ApiClusterDesign(api_), stype_);
  ASSERT_TRUE(ps.ok()) << ps.status().ToString();
  EXPECT_TRUE(ps->calibrated());
  ExpectWeights(*ps, "w_poststrat", 1e-12);
  ExpectMeanApi00(*ps, "A19.api00_mean_poststrat.");
  ExpectTotalEnroll(*ps, "A20.enroll_total_poststrat.");
}

TEST_F(ApiCalibration, RakeDefaultControlMatchesR) {
  const Margin margins[] = {stype_, schwide_};
  auto rk = Rake(testing::ApiClusterDesign(api_), margins, RakeOptions{});
  ASSERT_TRUE(rk.ok()) << rk.status().ToString();
  ExpectWeights(*rk, "w_rake_default", 1e-12);
  ExpectMeanApi00(*rk, "A21.api00_mean_rake_default.");
}

TEST_F(ApiCalibration, RakeConvergedMatchesR) {
  const Margin margins[] = {stype_, schwide_};
  RakeOptions opt;
  opt.max_iterations = 100;
  opt.epsilon = 1e-12;
  auto rk = Rake(testing::ApiClusterDesign(api_), margins, opt);
  ASSERT_TRUE(rk.ok()) << rk.status().ToString();
  ExpectWeights(*rk, "w_rake", 1e-10);
  ExpectMeanApi00(*rk, "A22.api00_mean_rake.");
  ExpectTotalEnroll(*rk, "A23.enroll_total_rake.");
}

TEST_F(ApiCalibration, LinearCalibrationMatchesR) {
  const double totals[] = {6194, 755, 1018, 3914069};
  auto cal = Calibrate(testing::ApiClusterDesign(api_), StypeModel(api_.api99), totals, CalibrationOptions{});
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  ExpectWeights(*cal, "w_cal_linear", 1e-10);
  ExpectMeanApi00(*cal, "A24.api00_mean_cal_linear.");
  ExpectTotalEnroll(*cal, "A25.enroll_total_cal_linear.");
}

TEST_F(ApiCalibration, RakingCalibrationMatchesR) {
  const double totals[] = {6194, 755, 1018, 3914069};
  CalibrationOptions opt;
  opt.function = CalibrationFunction::kRaking;
  opt.epsilon = 1e-12;
  opt.max_iterations = 200;
  auto cal = Calibrate(testing::ApiClusterDesign(api_), StypeModel(api_.api99), totals, opt);
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  ExpectWeights(*cal, "w_cal_raking_api99", 1e-10);
  ExpectMeanApi00(*cal, "A26.api00_mean_cal_raking.");
}

TEST_F(ApiCalibration, RakingCalibrationEqualsRakeWeights) {
  std::vector<double> yes;
  for (const auto& s : api_.sch_wide) yes.push_back(s == "Yes");
  const double totals[] = {6194, 755, 1018, 5122};
  CalibrationOptions opt;
  opt.function = CalibrationFunction::kRaking;
  opt.epsilon = 1e-12;
  opt.max_iterations = 200;
  auto cal = Calibrate(testing::ApiClusterDesign(api_), StypeModel(yes), totals, opt);
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  ExpectWeights(*cal, "w_cal_raking_schwide", 1e-10);
  ExpectMeanApi00(*cal, "A27.api00_mean_cal_raking_same_margins_as_A22.");
  // A28: the same weights as the converged rake() (R: max difference 2e-12).
  const Margin margins[] = {stype_, schwide_};
  RakeOptions ro;
  ro.max_iterations = 100;
  ro.epsilon = 1e-12;
  auto rk = Rake(testing::ApiClusterDesign(api_), margins, ro);
  ASSERT_TRUE(rk.ok());
  double worst = 0;
  for (std::size_t i = 0; i < api_.rows(); ++i) worst = std::max(worst, std::abs(rk->weights()[i] - cal->weights()[i]));
  EXPECT_LT(worst, 1e-8);
}

TEST_F(ApiCalibration, BoundedLinearCalibrationKeepsGWeightsInBounds) {
  const double totals[] = {6194, 755, 1018, 3914069};
  CalibrationOptions opt;
  opt.lower_bound = 0.7;
  opt.upper_bound = 1.7;
  const Design d = testing::ApiClusterDesign(api_);
  auto cal = Calibrate(d, StypeModel(api_.api99), totals, opt);
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  const Matrix x = StypeModel(api_.api99);
  for (std::size_t c = 0; c < 4; ++c) {
    double t = 0;
    for (std::size_t i = 0; i < api_.rows(); ++i) t += cal->weights()[i] * x(i, c);
    EXPECT_NEAR(t / totals[c], 1.0, 1e-6) << "column " << c;
  }
  for (std::size_t i = 0; i < api_.rows(); ++i) {
    const double g = cal->weights()[i] / d.weights()[i];
    EXPECT_GE(g, 0.7 - 1e-12);
    EXPECT_LE(g, 1.7 + 1e-12);
  }
}

TEST_F(ApiCalibration, TrimWeightsAsR) {
  // Hand check of R's trimWeights rule on apiclus1 (all weights 33.847):
  // nothing outside [30, 40] -> unchanged; an upper bound of 30 is below every
  // weight -> error (no unit to give the excess to).
  const Design d = testing::ApiClusterDesign(api_);
  std::size_t trimmed = 99;
  auto same = TrimWeights(d, 30, 40, &trimmed);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(trimmed, 0u);
  auto none = TrimWeights(d, 0, 30, &trimmed);
  EXPECT_FALSE(none.ok());
  // Post-stratified weights are 53.93 (E), 30.70 (H), 33.85... per stype;
  // trimming to [0, 50] moves the excess of the E schools equally to the rest.
  auto ps = PostStratify(d, stype_);
  ASSERT_TRUE(ps.ok());
  auto tw = TrimWeights(*ps, 0, 50, &trimmed);
  ASSERT_TRUE(tw.ok()) << tw.status().ToString();
  double before = 0, after = 0, excess = 0;
  std::size_t over = 0;
  for (std::size_t i = 0; i < api_.rows(); ++i) {
    before += ps->weights()[i];
    after += tw->weights()[i];
    if (ps->weights()[i] > 50) {
      ++over;
      excess += ps->weights()[i] - 50;
      EXPECT_DOUBLE_EQ(tw->weights()[i], 50);
    }
  }
  EXPECT_EQ(trimmed, over);
  EXPECT_GT(over, 0u);
  EXPECT_NEAR(after, before, 1e-8);
  for (std::size_t i = 0; i < api_.rows(); ++i) {
    if (ps->weights()[i] <= 50) {
      EXPECT_NEAR(tw->weights()[i], ps->weights()[i] + excess / static_cast<double>(api_.rows() - over), 1e-9);
    }
  }
}

TEST_F(ApiCalibration, BoundedCalibrationAndTrimmingMatchR) {
  // calibration_values.csv (calibration_values.R): bounds and trimWeights.
  const auto extra = testing::LoadReferenceValues("calibration_values.csv");
  const double totals[] = {6194, 755, 1018, 3914069};
  const std::span<const double> api00[] = {api_.api00};
  for (auto fn : {CalibrationFunction::kLinear, CalibrationFunction::kRaking}) {
    CalibrationOptions opt;
    opt.function = fn;
    opt.lower_bound = 0.7;
    opt.upper_bound = 1.7;
    opt.epsilon = 1e-12;
    opt.max_iterations = 200;
    auto cal = Calibrate(testing::ApiClusterDesign(api_), StypeModel(api_.api99), totals, opt);
    ASSERT_TRUE(cal.ok()) << cal.status().ToString();
    auto m = Mean(*cal, api00);
    ASSERT_TRUE(m.ok());
    testing::ExpectRow(extra.Get(fn == CalibrationFunction::kLinear ? "X20.api00_mean_cal_linear_bounded"
                                                                    : "X21.api00_mean_cal_raking_bounded"),
                       m->estimate[0], m->StandardErrors()[0]);
  }
  auto ps = PostStratify(testing::ApiClusterDesign(api_), stype_);
  ASSERT_TRUE(ps.ok());
  std::size_t trimmed = 0;
  auto tw = TrimWeights(*ps, 0, 50, &trimmed);
  ASSERT_TRUE(tw.ok()) << tw.status().ToString();
  auto m = Mean(*tw, api00);
  ASSERT_TRUE(m.ok());
  testing::ExpectRow(extra.Get("X22.api00_mean_poststrat_trimmed"), m->estimate[0], m->StandardErrors()[0]);
  const std::span<const double> enroll[] = {api_.enroll};
  auto t = Total(*tw, enroll);
  ASSERT_TRUE(t.ok());
  testing::ExpectRow(extra.Get("X23.enroll_total_poststrat_trimmed"), t->estimate[0], t->StandardErrors()[0]);
}

// ---------------------------------------------------------------- errors

TEST_F(ApiCalibration, EmptyPostStratumIsAnErrorNamingTheLevel) {
  Margin m{Codes(api_.stype), {4421, 755, 1018, 50}};  // level 3 has nobody
  auto ps = PostStratify(testing::ApiClusterDesign(api_), m);
  ASSERT_FALSE(ps.ok());
  EXPECT_EQ(ps.status().code(), core::StatusCode::kInvalidInput);
  EXPECT_NE(ps.status().message().find("level 3"), std::string::npos) << ps.status().message();
  EXPECT_NE(ps.status().message().find("no sample unit"), std::string::npos) << ps.status().message();
}

TEST_F(ApiCalibration, LevelOutsideTableOrMissingIsAnError) {
  Margin m = stype_;
  m.level[4] = -1;
  auto ps = PostStratify(testing::ApiClusterDesign(api_), m);
  ASSERT_FALSE(ps.ok());
  EXPECT_NE(ps.status().message().find("row 5"), std::string::npos) << ps.status().message();
}

TEST_F(ApiCalibration, ContradictoryMarginsAreAnError) {
  Margin wrong = schwide_;
  wrong.population = {1072, 6000};  // adds to 7072, stype margin to 6194
  const Margin margins[] = {stype_, wrong};
  auto rk = Rake(testing::ApiClusterDesign(api_), margins, RakeOptions{});
  ASSERT_FALSE(rk.ok());
  EXPECT_EQ(rk.status().code(), core::StatusCode::kInvalidInput);
  EXPECT_NE(rk.status().message().find("margins 1 and 2 contradict"), std::string::npos) << rk.status().message();
  EXPECT_NE(rk.status().message().find("7072"), std::string::npos) << rk.status().message();
}

TEST_F(ApiCalibration, EmptyRakingCellNamesMarginAndLevel) {
  Margin extra{Codes(api_.sch_wide), {1000, 5000, 194}};  // level 2 empty
  const Margin margins[] = {stype_, extra};
  auto rk = Rake(testing::ApiClusterDesign(api_), margins, RakeOptions{});
  ASSERT_FALSE(rk.ok());
  EXPECT_NE(rk.status().message().find("margin 2, level 2"), std::string::npos) << rk.status().message();
}

TEST_F(ApiCalibration, RakeNonConvergenceIsAnError) {
  const Margin margins[] = {stype_, schwide_};
  RakeOptions opt;
  opt.max_iterations = 1;
  opt.epsilon = 1e-12;
  auto rk = Rake(testing::ApiClusterDesign(api_), margins, opt);
  ASSERT_FALSE(rk.ok());
  EXPECT_EQ(rk.status().code(), core::StatusCode::kNumerical);
  EXPECT_NE(rk.status().message().find("did not converge after 1 iterations"), std::string::npos)
      << rk.status().message();
  EXPECT_NE(rk.status().message().find("margin 1, level"), std::string::npos) << rk.status().message();
  opt.fail_if_not_converged = false;  // R: a warning and the last iterate
  EXPECT_TRUE(Rake(testing::ApiClusterDesign(api_), margins, opt).ok());
}

TEST_F(ApiCalibration, SingularCalibrationModelIsAnError) {
  Matrix x(api_.rows(), 4);
  for (std::size_t i = 0; i < api_.rows(); ++i) {
    x(i, 0) = 1;
    x(i, 1) = api_.stype[i] == "E";
    x(i, 2) = api_.stype[i] == "H";
    x(i, 3) = api_.stype[i] == "M";  // E + H + M = intercept
  }
  const double totals[] = {6194, 4421, 755, 1018};
  auto cal = Calibrate(testing::ApiClusterDesign(api_), x, totals, CalibrationOptions{});
  ASSERT_FALSE(cal.ok());
  EXPECT_NE(cal.status().message().find("singular"), std::string::npos) << cal.status().message();
  EXPECT_NE(cal.status().message().find("model column"), std::string::npos) << cal.status().message();
}

TEST_F(ApiCalibration, UnreachableBoundsAreAnError) {
  const double totals[] = {6194, 755, 1018, 3914069};
  CalibrationOptions opt;
  opt.lower_bound = 0.99;
  opt.upper_bound = 1.01;  // H needs g = 0.9, E about 1.6
  auto cal = Calibrate(testing::ApiClusterDesign(api_), StypeModel(api_.api99), totals, opt);
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(cal.status().code(), core::StatusCode::kNumerical);
  EXPECT_NE(cal.status().message().find("bounds"), std::string::npos) << cal.status().message();
}

// ------------------------------------------------------ the safety survey

class SafetyCalibration : public ::testing::Test {
 protected:
  void SetUp() override {
    ref_ = testing::LoadReferenceValues();
    s_ = testing::LoadSafety();
    derived_ = testing::LoadCsv(testing::ReferencePath("respondent_derived.csv"));
  }
  // One margin per wave × area × level of `column` (R's wa_age, wa_sex, ...).
  Margin WaMargin(const std::vector<std::string>& level, const std::string& margin) {
    std::vector<std::string> key;
    for (std::size_t i = 0; i < s_.rows(); ++i) key.push_back(std::to_string(s_.wave[i]) + s_.area[i] + ":" + level[i]);
    std::vector<std::string> keys;
    Margin m{Codes(key, &keys), {}};
    for (const auto& k : keys) {
      const std::string area = k.substr(1, 1), lv = k.substr(3);
      m.population.push_back(PopulationCount(area, margin, lv));
    }
    return m;
  }
  std::vector<std::string> AgeSex() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s_.rows(); ++i) out.push_back(s_.age[i] + "_" + s_.sex[i]);
    return out;
  }
  void ExpectWeights(const Design& d, const std::string& column, double tol) {
    const std::vector<double> r = Column(derived_, column);
    double worst = 0;
    for (std::size_t i = 0; i < r.size(); ++i) worst = std::max(worst, std::abs(d.weights()[i] / r[i] - 1));
    EXPECT_LT(worst, tol) << column;
  }
  Result<Estimates> DomainMeans(const Design& d, const std::vector<double>& y) {
    const std::span<const double> v[] = {y};
    return MeanByDomain(d, v, Domains{s_.domain, 6});
  }
  void ExpectDomainRows(const Estimates& e, const std::string& prefix) {
    const auto se = e.StandardErrors();
    for (std::size_t dd = 0; dd < 6; ++dd) {
      ExpectRows(ref_, prefix + kDomainLabels[dd] + ".", e.estimate[dd], se[dd]);
    }
  }
  Result<Design> Raked(int max_iterations, double epsilon) {
    const Margin margins[] = {WaMargin(s_.age, "age_group"), WaMargin(s_.sex, "sex"), WaMargin(s_.tenure, "tenure")};
    RakeOptions opt;
    opt.max_iterations = max_iterations;
    opt.epsilon = epsilon;
    return Rake(testing::SafetyDesign(s_), margins, opt);
  }
  // ~wa_f + wa_f:age_f + wa_f:sex_f + wa_f:ten_f, parametrised as one
  // indicator per wave-area and its interactions (the same column space, so
  // the same calibrated weights and residuals as R's model matrix).
  void CalibrationModel(Matrix* x, std::vector<double>* totals) {
    *x = Matrix(s_.rows(), 30);
    totals->assign(30, 0);
    for (std::size_t wa = 0; wa < 6; ++wa) {
      const std::string area = wa % 2 ? "P" : "C";
      double area_n = 0;
      for (const char* dist : {"C1", "C2", "C3", "P1", "P2"}) {
        if (std::string(dist).substr(0, 1) == area) area_n += PopulationCount(area, "district", dist);
      }
      (*totals)[wa * 5 + 0] = area_n;
      (*totals)[wa * 5 + 1] = PopulationCount(area, "age_group", "35-54");
      (*totals)[wa * 5 + 2] = PopulationCount(area, "age_group", "55+");
      (*totals)[wa * 5 + 3] = PopulationCount(area, "sex", "M");
      (*totals)[wa * 5 + 4] = PopulationCount(area, "tenure", "renter");
    }
    for (std::size_t i = 0; i < s_.rows(); ++i) {
      const auto wa = static_cast<std::size_t>(s_.Wa(i));
      (*x)(i, wa * 5 + 0) = 1;
      (*x)(i, wa * 5 + 1) = s_.age[i] == "35-54";
      (*x)(i, wa * 5 + 2) = s_.age[i] == "55+";
      (*x)(i, wa * 5 + 3) = s_.sex[i] == "M";
      (*x)(i, wa * 5 + 4) = s_.tenure[i] == "renter";
    }
  }

  testing::ReferenceValues ref_;
  Safety s_;
  testing::CsvTable derived_;
};

TEST_F(SafetyCalibration, PostStratifiedDomainMeansMatchR) {
  auto ps = PostStratify(testing::SafetyDesign(s_), WaMargin(AgeSex(), "age_sex"));
  ASSERT_TRUE(ps.ok()) << ps.status().ToString();
  ExpectWeights(*ps, "w_poststrat", 1e-12);
  auto idx = DomainMeans(*ps, s_.index);
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  ExpectDomainRows(*idx, "B09.index_mean_poststrat.");
  auto uns = DomainMeans(*ps, s_.unsafe);
  ASSERT_TRUE(uns.ok());
  ExpectDomainRows(*uns, "B10.unsafe_prop_poststrat.");
}

TEST_F(SafetyCalibration, RakedDomainMeansAndContrastsMatchR) {
  auto rk = Raked(200, 1e-12);
  ASSERT_TRUE(rk.ok()) << rk.status().ToString();
  ExpectWeights(*rk, "w_rake", 1e-10);
  auto idx = DomainMeans(*rk, s_.index);
  ASSERT_TRUE(idx.ok());
  ExpectDomainRows(*idx, "B11.index_mean_rake.");
  // Contrasts use the covariance between domains (B14, B15).
  auto contrast = [&](const std::vector<double>& c) {
    double est = 0, var = 0;
    for (std::size_t a = 0; a < 6; ++a) {
      est += c[a] * idx->estimate[a];
      for (std::size_t b = 0; b < 6; ++b) var += c[a] * c[b] * idx->covariance(a, b);
    }
    return std::pair{est, std::sqrt(var)};
  };
  auto did = contrast({1, 0, -1, -1, 0, 1});  // (3P − 1P) − (3C − 1C)
  ExpectRows(ref_, "B14.index_contrast_rake.DiD_w3_vs_w1.", did.first, did.second);
  auto p31 = contrast({0, 0, 0, -1, 0, 1});
  ExpectRows(ref_, "B15.index_contrast_rake.P_w3_minus_w1.", p31.first, p31.second);
  // The same contrasts from their non-zero coefficients only.
  const std::size_t did_index[] = {0, 2, 3, 5};
  const double did_coef[] = {1, -1, -1, 1};
  auto sparse = LinearContrast(*idx, did_index, did_coef);
  ASSERT_TRUE(sparse.ok()) << sparse.status().ToString();
  ExpectRows(ref_, "B14.index_contrast_rake.DiD_w3_vs_w1.", sparse->estimate, sparse->se);
  const std::size_t p31_index[] = {3, 5};
  const double p31_coef[] = {-1, 1};
  sparse = LinearContrast(*idx, p31_index, p31_coef);
  ASSERT_TRUE(sparse.ok()) << sparse.status().ToString();
  ExpectRows(ref_, "B15.index_contrast_rake.P_w3_minus_w1.", sparse->estimate, sparse->se);
  const std::size_t unordered[] = {5, 3};
  EXPECT_FALSE(LinearContrast(*idx, unordered, p31_coef).ok());
  auto uns = DomainMeans(*rk, s_.unsafe);
  ASSERT_TRUE(uns.ok());
  ExpectDomainRows(*uns, "B13.unsafe_prop_rake.");
}

// MeanByDomainSe gives R's standard errors without the covariance matrix, on
// each variance path: post-stratified and raked within the wave × area strata
// (stratum blocks) and linear calibration across them (dense residuals).
TEST_F(SafetyCalibration, StandardErrorsOnlyMatchR) {
  auto ps = PostStratify(testing::SafetyDesign(s_), WaMargin(AgeSex(), "age_sex"));
  auto rk = Raked(200, 1e-12);
  Matrix x;
  std::vector<double> totals;
  CalibrationModel(&x, &totals);
  auto cl = Calibrate(testing::SafetyDesign(s_), x, totals, CalibrationOptions{});
  ASSERT_TRUE(ps.ok() && rk.ok() && cl.ok());
  const std::pair<const Design*, const char*> cases[] = {
      {&*ps, "B09.index_mean_poststrat."}, {&*rk, "B11.index_mean_rake."}, {&*cl, "B16.index_mean_cal_linear."}};
  const std::span<const double> v[] = {s_.index};
  for (const auto& [design, prefix] : cases) {
    auto se = MeanByDomainSe(*design, v, Domains{s_.domain, 6});
    ASSERT_TRUE(se.ok()) << se.status().ToString();
    ASSERT_EQ(se->se.size(), 6u);
    for (std::size_t dd = 0; dd < 6; ++dd) {
      ExpectRows(ref_, std::string(prefix) + kDomainLabels[dd] + ".", se->estimate[dd], se->se[dd]);
    }
  }
}

// B06: svyciprop(~unsafe, subset(des, wave == w & area == a)) for all six
// wave × area domains from one CiProportionByDomain call, every method.
TEST_F(SafetyCalibration, ProportionsOfEveryDomainAtOnceMatchR) {
  const Design d = testing::SafetyDesign(s_);
  const std::pair<const char*, ProportionMethod> methods[] = {
      {"logit", ProportionMethod::kLogit}, {"likelihood", ProportionMethod::kLikelihood},
      {"asin", ProportionMethod::kAsin},   {"beta", ProportionMethod::kBeta},
      {"mean", ProportionMethod::kMean},   {"xlogit", ProportionMethod::kXlogit}};
  int compared = 0;
  for (const auto& [name, method] : methods) {
    ProportionOptions opt;
    opt.method = method;
    const auto all = CiProportionByDomain(d, s_.unsafe, Domains{s_.domain, 6}, opt);
    ASSERT_EQ(all.size(), 6u);
    for (std::size_t dd = 0; dd < 6; ++dd) {
      const std::string label = kDomainLabels[dd];  // "wave=1;area=C"
      const std::string id = "B06.unsafe_ciprop.W" + label.substr(5, 1) + label.substr(12, 1) + "." + name;
      const auto& row = ref_.Get(id);
      SCOPED_TRACE(id);
      ASSERT_TRUE(all[dd].ok()) << all[dd].status().ToString();
      const ProportionResult& p = *all[dd];
      EXPECT_TRUE(Near(p.estimate, *row.estimate, row.rel_tol)) << p.estimate << " vs R " << *row.estimate;
      EXPECT_TRUE(Near(p.se, *row.se, row.rel_tol)) << p.se << " vs R " << *row.se;
      EXPECT_TRUE(Near(p.lower, *row.ci_lower, row.rel_tol)) << p.lower << " vs R " << *row.ci_lower;
      EXPECT_TRUE(Near(p.upper, *row.ci_upper, row.rel_tol)) << p.upper << " vs R " << *row.ci_upper;
      EXPECT_EQ(p.df, *row.df);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 36);
  // A domain without a value is an error of its own entry only.
  std::vector<std::int64_t> domain = s_.domain;
  for (auto& x : domain) x = x == 5 ? 6 : x;
  const auto seven = CiProportionByDomain(d, s_.unsafe, Domains{domain, 7}, ProportionOptions{});
  ASSERT_EQ(seven.size(), 7u);
  EXPECT_TRUE(seven[0].ok());
  EXPECT_FALSE(seven[5].ok());
  EXPECT_NE(seven[5].status().message().find("no unit in the domain"), std::string::npos);
  EXPECT_TRUE(seven[6].ok());
}

TEST_F(SafetyCalibration, RakeDefaultControlMatchesR) {
  auto rk = Raked(10, 1);
  ASSERT_TRUE(rk.ok()) << rk.status().ToString();
  ExpectWeights(*rk, "w_rake_default", 1e-10);
  auto idx = DomainMeans(*rk, s_.index);
  ASSERT_TRUE(idx.ok());
  ExpectDomainRows(*idx, "B12.index_mean_rake_default.");
}

TEST_F(SafetyCalibration, LinearAndRakingCalibrationMatchR) {
  Matrix x;
  std::vector<double> totals;
  CalibrationModel(&x, &totals);
  auto cl = Calibrate(testing::SafetyDesign(s_), x, totals, CalibrationOptions{});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  ExpectWeights(*cl, "w_cal_linear", 1e-10);
  auto idx = DomainMeans(*cl, s_.index);
  ASSERT_TRUE(idx.ok());
  ExpectDomainRows(*idx, "B16.index_mean_cal_linear.");

  CalibrationOptions opt;
  opt.function = CalibrationFunction::kRaking;
  opt.epsilon = 1e-12;
  opt.max_iterations = 200;
  auto cr = Calibrate(testing::SafetyDesign(s_), x, totals, opt);
  ASSERT_TRUE(cr.ok()) << cr.status().ToString();
  ExpectWeights(*cr, "w_cal_raking", 1e-10);
  auto idr = DomainMeans(*cr, s_.index);
  ASSERT_TRUE(idr.ok());
  ExpectDomainRows(*idr, "B17.index_mean_cal_raking.");
  // B18: raking calibration reaches rake()'s weights.
  auto rk = Raked(200, 1e-12);
  ASSERT_TRUE(rk.ok());
  double worst = 0;
  for (std::size_t i = 0; i < s_.rows(); ++i) worst = std::max(worst, std::abs(rk->weights()[i] / cr->weights()[i] - 1));
  EXPECT_LT(worst, 1e-9);
}

}  // namespace
}  // namespace tryghed::stats
