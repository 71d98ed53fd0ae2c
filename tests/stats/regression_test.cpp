// Design-based regression against R survey 4.1's svyglm: reference rows A35
// (api00 ~ ell + meals + mobility on apistrat) and B28–B32 (difference-in-
// differences on the safety survey, also on the raked design and with the
// quasibinomial family); errors for a singular model and bad input.
#include "stats/regression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "model_fixture.h"
#include "stats/calibration.h"

namespace tryghed::stats {
namespace {

using testing::Codes;
using testing::Near;
using testing::PopulationCount;

void ExpectCoefficients(const testing::ReferenceValues& ref, const RegressionFit& fit,
                        const std::vector<std::string>& ids) {
  ASSERT_EQ(fit.coefficients.size(), ids.size());
  for (std::size_t j = 0; j < ids.size(); ++j) {
    const testing::ReferenceRow& row = ref.Get(ids[j]);
    SCOPED_TRACE(row.id);
    const double tol = row.rel_tol;
    EXPECT_TRUE(Near(fit.coefficients[j], *row.estimate, tol)) << fit.coefficients[j] << " vs R " << *row.estimate;
    EXPECT_TRUE(Near(fit.standard_errors[j], *row.se, tol)) << fit.standard_errors[j] << " vs R " << *row.se;
    EXPECT_EQ(fit.df, *row.df);
    const auto [lo, hi] = fit.ConfidenceInterval(j);
    EXPECT_TRUE(Near(lo, *row.ci_lower, tol)) << lo << " vs R " << *row.ci_lower;
    EXPECT_TRUE(Near(hi, *row.ci_upper, tol)) << hi << " vs R " << *row.ci_upper;
    // The note records R's t value: "t=<value> p=...".
    const auto pos = row.note.find("t=");
    ASSERT_NE(pos, std::string::npos);
    const double t = std::stod(row.note.substr(pos + 2));
    EXPECT_TRUE(Near(fit.t_values[j], t, 1e-6)) << fit.t_values[j] << " vs R " << t;
    const auto ppos = row.note.find(" p=");
    const double p = std::stod(row.note.substr(ppos + 3));
    if (p > 1e-300) {
      EXPECT_TRUE(Near(fit.p_values[j], p, 1e-5)) << fit.p_values[j] << " vs R " << p;
    } else {
      EXPECT_LT(fit.p_values[j], 1e-300);
    }
  }
}

// A model matrix from per-unit rows.
Matrix Model(std::size_t n, std::size_t p, const std::function<void(std::size_t, double*)>& row) {
  Matrix x(n, p);
  std::vector<double> r(p);
  for (std::size_t i = 0; i < n; ++i) {
    row(i, r.data());
    for (std::size_t j = 0; j < p; ++j) x(i, j) = r[j];
  }
  return x;
}

TEST(Regression, ApiLinearModelMatchesR) {
  const auto ref = testing::LoadReferenceValues();
  const auto a = testing::LoadApi("apistrat");
  const Matrix x = Model(a.rows(), 4, [&](std::size_t i, double* r) {
    r[0] = 1;
    r[1] = a.ell[i];
    r[2] = a.meals[i];
    r[3] = a.mobility[i];
  });
  auto fit = FitRegression(testing::ApiStratDesign(a), x, a.api00, {});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_EQ(fit->df, 194);  // degf 197 + 1 − 4
  ExpectCoefficients(ref, *fit,
                     {"A35.svyglm_api00.Intercept", "A35.svyglm_api00.ell", "A35.svyglm_api00.meals",
                      "A35.svyglm_api00.mobility"});
}

class SafetyRegression : public ::testing::Test {
 protected:
  void SetUp() override {
    ref_ = testing::LoadReferenceValues();
    s_ = testing::LoadSafety();
  }
  double Pilot(std::size_t i) const { return s_.area[i] == "P"; }
  double Post(std::size_t i) const { return s_.wave[i] >= 2; }
  Matrix PilotPost() const {
    return Model(s_.rows(), 4, [&](std::size_t i, double* r) {
      r[0] = 1;
      r[1] = Pilot(i);
      r[2] = Post(i);
      r[3] = Pilot(i) * Post(i);
    });
  }
  std::vector<std::string> Ids(const std::string& prefix, const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (const auto& n : names) out.push_back(prefix + n);
    return out;
  }
  testing::ReferenceValues ref_;
  testing::Safety s_;
};

TEST_F(SafetyRegression, DifferenceInDifferencesMatchesR) {
  auto fit = FitRegression(testing::SafetyDesign(s_), PilotPost(), s_.index, {});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ExpectCoefficients(ref_, *fit, Ids("B28.did_pilot_post.", {"Intercept", "pilot", "post", "pilot:post"}));
}

TEST_F(SafetyRegression, SaturatedAreaByWaveMatchesR) {
  const Matrix x = Model(s_.rows(), 6, [&](std::size_t i, double* r) {
    const double p = Pilot(i), w2 = s_.wave[i] == 2, w3 = s_.wave[i] == 3;
    r[0] = 1;
    r[1] = p;
    r[2] = w2;
    r[3] = w3;
    r[4] = p * w2;
    r[5] = p * w3;
  });
  auto fit = FitRegression(testing::SafetyDesign(s_), x, s_.index, {});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ExpectCoefficients(ref_, *fit,
                     Ids("B29.did_area_wave.",
                         {"Intercept", "area_fP", "wave_f2", "wave_f3", "area_fP:wave_f2", "area_fP:wave_f3"}));
}

TEST_F(SafetyRegression, SubsetOfWavesMatchesR) {
  // subset(des, wave %in% c(1, 3)): y set to NaN outside the subset.
  std::vector<double> y = s_.index;
  for (std::size_t i = 0; i < s_.rows(); ++i) {
    if (s_.wave[i] == 2) y[i] = testing::kNaN;
  }
  const Matrix x = Model(s_.rows(), 4, [&](std::size_t i, double* r) {
    const double w3 = s_.wave[i] == 3;
    r[0] = 1;
    r[1] = Pilot(i);
    r[2] = w3;
    r[3] = Pilot(i) * w3;
  });
  auto fit = FitRegression(testing::SafetyDesign(s_), x, y, {});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ExpectCoefficients(ref_, *fit,
                     Ids("B30.did_2x2_w1_w3.", {"Intercept", "pilot", "Iwave == 3TRUE", "pilot:Iwave == 3TRUE"}));
}

// The same subset given as the units in it: only their rows of the model
// matrix are built (what the evaluation's robustness lines do).
TEST_F(SafetyRegression, SubsetOfWavesGivenAsUnitsMatchesR) {
  std::vector<std::size_t> units;
  for (std::size_t i = 0; i < s_.rows(); ++i) {
    if (s_.wave[i] != 2) units.push_back(i);
  }
  std::vector<double> y;
  for (std::size_t i : units) y.push_back(s_.index[i]);
  const Matrix x = Model(units.size(), 4, [&](std::size_t u, double* r) {
    const std::size_t i = units[u];
    const double w3 = s_.wave[i] == 3;
    r[0] = 1;
    r[1] = Pilot(i);
    r[2] = w3;
    r[3] = Pilot(i) * w3;
  });
  const Design design = testing::SafetyDesign(s_);
  auto fit = FitRegressionOnUnits(design, units, x, y, {});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ExpectCoefficients(ref_, *fit,
                     Ids("B30.did_2x2_w1_w3.", {"Intercept", "pilot", "Iwave == 3TRUE", "pilot:Iwave == 3TRUE"}));
  // Used: the listed units with an index (some respondents have none).
  EXPECT_EQ(fit->n_used, static_cast<std::size_t>(std::count_if(y.begin(), y.end(), [](double v) {
              return !std::isnan(v);
            })));
  EXPECT_LT(fit->n_used, units.size());

  // Units out of order, twice, or outside the design are refused.
  std::vector<std::size_t> swapped = units;
  std::swap(swapped[0], swapped[1]);
  auto bad = FitRegressionOnUnits(design, swapped, x, y, {});
  EXPECT_EQ(bad.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("ascending"), std::string::npos) << bad.status().message();
  std::vector<std::size_t> beyond = units;
  beyond.back() = s_.rows();
  EXPECT_EQ(FitRegressionOnUnits(design, beyond, x, y, {}).status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(FitRegressionOnUnits(design, units, x, std::span<const double>(y).first(3), {}).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST_F(SafetyRegression, RakedDesignMatchesR) {
  auto margin = [&](const std::vector<std::string>& level, const std::string& name) {
    std::vector<std::string> key;
    for (std::size_t i = 0; i < s_.rows(); ++i) key.push_back(std::to_string(s_.wave[i]) + s_.area[i] + ":" + level[i]);
    std::vector<std::string> keys;
    Margin m{Codes(key, &keys), {}};
    for (const auto& k : keys) m.population.push_back(PopulationCount(k.substr(1, 1), name, k.substr(3)));
    return m;
  };
  const Margin margins[] = {margin(s_.age, "age_group"), margin(s_.sex, "sex"), margin(s_.tenure, "tenure")};
  RakeOptions opt;
  opt.max_iterations = 200;
  opt.epsilon = 1e-12;
  auto rk = Rake(testing::SafetyDesign(s_), margins, opt);
  ASSERT_TRUE(rk.ok()) << rk.status().ToString();
  auto fit = FitRegression(*rk, PilotPost(), s_.index, {});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ExpectCoefficients(ref_, *fit, Ids("B31.did_pilot_post_raked.", {"Intercept", "pilot", "post", "pilot:post"}));
}

TEST_F(SafetyRegression, QuasibinomialMatchesR) {
  RegressionOptions opt;
  opt.family = RegressionFamily::kQuasiBinomial;
  auto fit = FitRegression(testing::SafetyDesign(s_), PilotPost(), s_.unsafe, opt);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  ExpectCoefficients(ref_, *fit, Ids("B32.did_unsafe_logit.", {"Intercept", "pilot", "post", "pilot:post"}));
}

// ---------------------------------------------------------------- errors

TEST_F(SafetyRegression, SingularModelIsAnErrorNamingTheColumn) {
  const Matrix x = Model(s_.rows(), 3, [&](std::size_t i, double* r) {
    r[0] = 1;
    r[1] = Pilot(i);
    r[2] = 1 - Pilot(i);  // intercept − pilot
  });
  auto fit = FitRegression(testing::SafetyDesign(s_), x, s_.index, {});
  ASSERT_FALSE(fit.ok());
  EXPECT_EQ(fit.status().code(), core::StatusCode::kNumerical);
  EXPECT_NE(fit.status().message().find("singular"), std::string::npos) << fit.status().message();
  EXPECT_NE(fit.status().message().find("column"), std::string::npos) << fit.status().message();
}

TEST_F(SafetyRegression, BadInputIsAnError) {
  RegressionOptions opt;
  opt.family = RegressionFamily::kQuasiBinomial;
  auto fit = FitRegression(testing::SafetyDesign(s_), PilotPost(), s_.index, opt);  // 0–100, not 0/1
  ASSERT_FALSE(fit.ok());
  EXPECT_NE(fit.status().message().find("outside [0, 1]"), std::string::npos) << fit.status().message();
  std::vector<double> short_y(10, 1.0);
  EXPECT_FALSE(FitRegression(testing::SafetyDesign(s_), PilotPost(), short_y, {}).ok());
  // Perfect separation: y = pilot.
  std::vector<double> sep(s_.rows());
  for (std::size_t i = 0; i < s_.rows(); ++i) sep[i] = Pilot(i);
  const Matrix x = Model(s_.rows(), 2, [&](std::size_t i, double* r) {
    r[0] = 1;
    r[1] = Pilot(i);
  });
  auto s = FitRegression(testing::SafetyDesign(s_), x, sep, opt);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("did not converge"), std::string::npos) << s.status().message();
}

TEST(Regression, HandWorkedSimpleRegression) {
  // Unweighted simple regression y = 1 + 2x through 4 points, SRS with
  // replacement, each unit its own PSU: the fit is exact, residuals 0, SE 0.
  DesignSpec spec;
  spec.weights = {1, 1, 1, 1};
  auto d = Design::Create(spec);
  ASSERT_TRUE(d.ok());
  const Matrix x = Model(4, 2, [](std::size_t i, double* r) {
    r[0] = 1;
    r[1] = static_cast<double>(i);
  });
  const std::vector<double> y = {1, 3, 5, 7};
  auto fit = FitRegression(*d, x, y, {});
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_NEAR(fit->coefficients[0], 1, 1e-12);
  EXPECT_NEAR(fit->coefficients[1], 2, 1e-12);
  EXPECT_NEAR(fit->standard_errors[1], 0, 1e-12);
  EXPECT_EQ(fit->df, 2);  // 4 PSUs − 1 stratum + 1 − 2
}

}  // namespace
}  // namespace tryghed::stats
