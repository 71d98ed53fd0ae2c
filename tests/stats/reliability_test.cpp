// Reliability against R: psych::alpha rows B22-B24 of reference_values.csv,
// psych::omega / fa and one-way ANOVA rows E08-E10 of extra_values.csv,
// hand-worked cases and bad input.
#include "stats/reliability.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "csv_fixture.h"
#include "stats/intervals.h"

namespace tryghed::stats {
namespace {

using testing::LoadReferenceValues;
using testing::ReferenceRow;
using testing::SafetySurvey;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const char* const kItemNames[] = {"q1", "q2", "q3", "q4", "q5", "q6", "q7"};

void ExpectRel(double actual, double expected, double rel_tol, const std::string& what) {
  EXPECT_LE(std::fabs(actual - expected), rel_tol * std::fabs(expected)) << what << ": got " << actual
                                                                          << ", R gives " << expected;
}

void ExpectAlphaRow(const AlphaResult& a, const ReferenceRow& r) {
  ExpectRel(a.raw_alpha, *r.estimate, r.rel_tol, r.id + " raw alpha");
  ExpectRel(a.ase, *r.se, r.rel_tol, r.id + " ase");
  ExpectRel(a.feldt_lower, *r.ci_lower, r.rel_tol, r.id + " Feldt lower");
  ExpectRel(a.feldt_upper, *r.ci_upper, r.rel_tol, r.id + " Feldt upper");
}

class SafetyItems : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    survey_ = new SafetySurvey(testing::LoadSafetySurvey());
    ref_ = new testing::ReferenceValues(LoadReferenceValues());
    extra_ = new testing::ReferenceValues(LoadReferenceValues("extra_values.csv"));
  }
  static void TearDownTestSuite() {
    delete survey_;
    delete ref_;
    delete extra_;
  }
  static SafetySurvey* survey_;
  static testing::ReferenceValues* ref_;
  static testing::ReferenceValues* extra_;
};
SafetySurvey* SafetyItems::survey_ = nullptr;
testing::ReferenceValues* SafetyItems::ref_ = nullptr;
testing::ReferenceValues* SafetyItems::extra_ = nullptr;

TEST_F(SafetyItems, IndexMatchesRespondentDerived) {
  // The fixture's reversal and index agree with reference.R's respondent_derived.csv.
  const auto derived = testing::LoadCsv(testing::ReferencePath("respondent_derived.csv")).Numbers("index");
  ASSERT_EQ(derived.size(), survey_->rows());
  for (std::size_t i = 0; i < derived.size(); ++i) {
    ASSERT_EQ(derived[i].has_value(), survey_->index[i].has_value()) << "row " << i + 1;
    if (derived[i]) {
      EXPECT_NEAR(*survey_->index[i], *derived[i], 1e-9) << "row " << i + 1;
    }
  }
}

TEST_F(SafetyItems, PairwiseAlphaMatchesPsychDefault) {  // rows B22.*
  core::Result<AlphaResult> a = CronbachAlpha(survey_->items, 7, {.missing = MissingItems::kPairwise});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->n, 3350u);  // psych uses nrow(x), incomplete rows included
  ExpectAlphaRow(*a, ref_->Get("B22.alpha_pairwise.raw_alpha"));
  const ReferenceRow& std_row = ref_->Get("B22.alpha_pairwise.std_alpha");
  ExpectRel(a->std_alpha, *std_row.estimate, std_row.rel_tol, std_row.id);
  const ReferenceRow& avr = ref_->Get("B22.alpha_pairwise.average_r");
  ExpectRel(a->average_r, *avr.estimate, avr.rel_tol, avr.id);
  // Duhachek's asymptotic interval: alpha ± 1.959964 · ase.
  const ReferenceRow& duh = ref_->Get("B22.alpha_pairwise.duhachek_ci");
  core::Result<Interval> ci = WaldInterval(a->raw_alpha, a->ase);
  ASSERT_TRUE(ci.ok());
  ExpectRel(ci->lower, *duh.ci_lower, duh.rel_tol, duh.id + " lower");
  ExpectRel(ci->upper, *duh.ci_upper, duh.rel_tol, duh.id + " upper");
  ASSERT_EQ(a->items.size(), 7u);
  for (std::size_t j = 0; j < 7; ++j) {
    const ReferenceRow& r = ref_->Get(std::string("B22.alpha_pairwise.alpha_if_dropped.") + kItemNames[j]);
    ASSERT_TRUE(a->items[j].alpha_if_dropped.has_value());
    ExpectRel(*a->items[j].alpha_if_dropped, *r.estimate, r.rel_tol, r.id);
  }
}

TEST_F(SafetyItems, CompleteCaseAlphaMatchesPsych) {  // rows B23.*, E10.*
  core::Result<AlphaResult> a = CronbachAlpha(survey_->items, 7);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->n, 2477u);
  ExpectAlphaRow(*a, ref_->Get("B23.alpha_complete_cases"));
  const ReferenceRow& std_row = ref_->Get("B23.alpha_complete_cases.std_alpha");
  ExpectRel(a->std_alpha, *std_row.estimate, std_row.rel_tol, std_row.id);
  const ReferenceRow& avr = extra_->Get("E10.alpha_cc.average_r");
  ExpectRel(a->average_r, *avr.estimate, avr.rel_tol, avr.id);
  for (std::size_t j = 0; j < 7; ++j) {
    const std::string q = kItemNames[j];
    const ReferenceRow& rd = extra_->Get("E10.alpha_cc.r_drop." + q);
    ExpectRel(a->items[j].r_drop, *rd.estimate, rd.rel_tol, rd.id);
    const ReferenceRow& sd = extra_->Get("E10.alpha_cc.std_alpha_if_dropped." + q);
    ExpectRel(*a->items[j].std_alpha_if_dropped, *sd.estimate, sd.rel_tol, sd.id);
    const ReferenceRow& ad = extra_->Get("E10.alpha_cc.average_r_if_dropped." + q);
    ExpectRel(*a->items[j].average_r_if_dropped, *ad.estimate, ad.rel_tol, ad.id);
  }
}

TEST_F(SafetyItems, CompleteCaseAlphaPerAreaMatchesPsych) {  // rows B24.*
  for (const char* area : {"P", "C"}) {
    std::vector<double> items;
    for (std::size_t i = 0; i < survey_->rows(); ++i) {
      if (survey_->area[i] != area) continue;
      items.insert(items.end(), survey_->items.begin() + static_cast<std::ptrdiff_t>(i * 7),
                   survey_->items.begin() + static_cast<std::ptrdiff_t>(i * 7 + 7));
    }
    core::Result<AlphaResult> a = CronbachAlpha(items, 7);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->n, std::string(area) == "P" ? 1092u : 1385u);
    ExpectAlphaRow(*a, ref_->Get(std::string("B24.alpha_complete_cases.area_") + area));
  }
}

TEST_F(SafetyItems, BootstrapAlphaAgreesWithBootWithinMonteCarloError) {  // rows B25.*
  // B25 is boot::boot(complete cases, R = 2000, seed 99) with R's random
  // numbers; ours are drawn from our own generator, so the two bootstraps are
  // independent Monte Carlo estimates of the same quantities. Their errors:
  // - an interval end is a 2.5 % / 97.5 % quantile of R = 2000 replicates
  //   with sd σ ≈ 0.0056 (B25's se): sd(q̂_p) ≈ sqrt(p(1−p)/R) / f(q_p), f the
  //   bootstrap density at q_p ≈ φ(1.96)/σ = 10.4, so sd ≈ 0.00349/10.4 =
  //   0.00034; the difference of two independent runs has sd ≈ 0.00047.
  //   BCa adds the error of w = Φ⁻¹(#{θ* < θ̂}/R) (sd ≈ 0.028, moving the
  //   level by φ(1.96)·0.028 ≈ 0.0016, i.e. ≈ 0.00015 in alpha) and our
  //   jackknife acceleration instead of boot's regression estimate (a ≈ 0.01
  //   either way). Tolerance 0.002 absolute ≈ 4 sd of the difference.
  // - the se is a standard deviation of 2000 replicates: relative sd
  //   1/sqrt(2R) = 1.6 % per run, 2.2 % for the difference; tolerance 9 %
  //   (4 sd).
  // The point estimate is not random: alpha of the complete cases (B23).
  AlphaBootstrapOptions opt;
  opt.replicates = 2000;
  opt.seed = 99;
  core::Result<AlphaBootstrapResult> b = BootstrapAlpha(survey_->items, 7, opt);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->n, 2477u);
  EXPECT_EQ(b->replicates, 2000u);
  const ReferenceRow& perc = ref_->Get("B25.alpha_bootstrap.perc");
  const ReferenceRow& bca = ref_->Get("B25.alpha_bootstrap.bca");
  ExpectRel(b->raw_alpha, *perc.estimate, 1e-9, perc.id + " estimate");
  ExpectRel(b->se, *perc.se, 0.09, perc.id + " se");
  EXPECT_NEAR(b->percentile_lower, *perc.ci_lower, 0.002) << perc.id;
  EXPECT_NEAR(b->percentile_upper, *perc.ci_upper, 0.002) << perc.id;
  EXPECT_NEAR(b->bca_lower, *bca.ci_lower, 0.002) << bca.id;
  EXPECT_NEAR(b->bca_upper, *bca.ci_upper, 0.002) << bca.id;
  // The bootstrap is close to the Feldt interval of B23 (an independent
  // check of scale: both describe the sampling spread of the same alpha).
  const ReferenceRow& feldt = ref_->Get("B23.alpha_complete_cases");
  EXPECT_NEAR(b->percentile_upper - b->percentile_lower, *feldt.ci_upper - *feldt.ci_lower, 0.003);
}

TEST_F(SafetyItems, BootstrapAlphaIsSeededAndIndependentOfThreads) {
  AlphaBootstrapOptions opt;
  opt.replicates = 301;
  opt.seed = 5;
  std::vector<AlphaBootstrapResult> runs;
  for (unsigned threads : {1u, 2u, 5u}) {
    opt.threads = threads;
    core::Result<AlphaBootstrapResult> b = BootstrapAlpha(survey_->items, 7, opt);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    runs.push_back(*b);
  }
  for (const AlphaBootstrapResult& r : runs) {
    EXPECT_EQ(r.se, runs[0].se);
    EXPECT_EQ(r.percentile_lower, runs[0].percentile_lower);
    EXPECT_EQ(r.bca_upper, runs[0].bca_upper);
  }
  opt.seed = 6;
  core::Result<AlphaBootstrapResult> other = BootstrapAlpha(survey_->items, 7, opt);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->se, runs[0].se);
}

TEST(BootstrapAlpha, RejectsBadOptions) {
  // Two items, four complete respondents: alpha is defined.
  const std::vector<double> items = {1, 2, 2, 2, 3, 4, 4, 5};
  AlphaBootstrapOptions opt;
  opt.replicates = 1;
  EXPECT_EQ(BootstrapAlpha(items, 2, opt).status().code(), core::StatusCode::kInvalidArgument);
  opt.replicates = 20;  // (20 + 1) · 0.025 < 1: the ends would be the extremes
  EXPECT_EQ(BootstrapAlpha(items, 2, opt).status().code(), core::StatusCode::kNumerical);
  opt.replicates = 100;
  opt.level = 1.0;
  EXPECT_EQ(BootstrapAlpha(items, 2, opt).status().code(), core::StatusCode::kInvalidArgument);
  // Fewer than 2 complete respondents: the error of CronbachAlpha.
  const std::vector<double> one = {1, 2, kNaN, 3};
  opt.level = 0.95;
  EXPECT_EQ(BootstrapAlpha(one, 2, opt).status().code(), core::StatusCode::kNumerical);
}

TEST_F(SafetyItems, OmegaMatchesPsychOmegaOneFactor) {  // rows E08.*
  core::Result<OmegaResult> o = OmegaTotal(survey_->items, 7);
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->n, 2477u);
  for (const char* id : {"E08.omega_total_cc", "E08.omega_model_cc", "E08.omega_h_cc"}) {
    const ReferenceRow& r = extra_->Get(id);
    const double got = r.id == "E08.omega_total_cc" ? o->omega_total
                       : r.id == "E08.omega_model_cc" ? o->omega_model
                                                      : o->omega_h;
    ExpectRel(got, *r.estimate, r.rel_tol, r.id);
  }
  for (std::size_t j = 0; j < 7; ++j) {
    const ReferenceRow& r = extra_->Get(std::string("E08.fa_minres_loading.") + kItemNames[j]);
    ExpectRel(o->loadings[j], *r.estimate, r.rel_tol, r.id);
  }
}

TEST_F(SafetyItems, AreaReliabilityMatchesOneWayAnova) {  // rows E09.*
  // Index by stratum (wave × district, 15 groups), respondents with an index.
  std::map<std::string, std::int64_t> code;  // alphabetical, as R's factor levels
  for (const std::string& s : survey_->stratum) code.emplace(s, 0);
  std::int64_t next = 0;
  for (auto& [name, c] : code) c = next++;
  std::vector<double> values;
  std::vector<std::int64_t> groups;
  for (std::size_t i = 0; i < survey_->rows(); ++i) {
    if (!survey_->index[i]) continue;
    values.push_back(*survey_->index[i]);
    groups.push_back(code.at(survey_->stratum[i]));
  }
  core::Result<AreaReliabilityResult> a = AreaReliability(values, groups);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto check = [&](const char* id, double got) {
    const ReferenceRow& r = extra_->Get(id);
    ExpectRel(got, *r.estimate, r.rel_tol, r.id);
  };
  check("E09.area_rel.ms_between", a->ms_between);
  check("E09.area_rel.ms_within", a->ms_within);
  check("E09.area_rel.n0", a->n0);
  check("E09.area_rel.tau2", a->tau2);
  check("E09.area_rel.icc_n0", a->icc);
  check("E09.area_rel.icc2_statsBy", a->lambda_n0);
  EXPECT_FALSE(a->tau2_truncated);
  ASSERT_EQ(a->groups.size(), 15u);
  for (const auto& [name, c] : code) check(("E09.area_rel.lambda." + name).c_str(), a->groups[c].lambda);
}

TEST(CronbachAlpha, ThreeItemsByHand) {
  // x1 = x2 = (1, 2, 3, 4), x3 = (2, 2, 4, 4):
  //   var x1 = var x2 = 5/3, var x3 = 4/3, cov(x1, x2) = 5/3, cov(x1, x3) = cov(x2, x3) = 4/3
  //   tr C = 14/3, ΣC = 14/3 + 2·(5/3 + 4/3 + 4/3) = 40/3
  //   alpha = 3/2 · (1 − 14/40) = 0.975
  // r_drop of x3: (4/3 + 4/3) / sqrt(4/3 · ΣC[x1,x2]) = (8/3) / sqrt(4/3 · 20/3) = 0.894427
  const std::vector<double> v = {1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 4, 4};
  core::Result<AlphaResult> a = CronbachAlpha(v, 3);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_NEAR(a->raw_alpha, 0.975, 1e-12);
  EXPECT_NEAR(a->items[2].r_drop, (8.0 / 3.0) / std::sqrt(4.0 / 3.0 * 20.0 / 3.0), 1e-12);
  // Dropping x3 leaves two identical items: alpha = 2 · (1 − (10/3)/(20/3)) = 1.
  EXPECT_NEAR(*a->items[2].alpha_if_dropped, 1.0, 1e-12);
  EXPECT_LE(a->feldt_lower, a->raw_alpha);
  EXPECT_GE(a->feldt_upper, a->raw_alpha);
}

TEST(CronbachAlpha, TwoItemsHaveNoAlphaIfDropped) {
  const std::vector<double> v = {1, 2, 2, 2, 3, 5, 4, 4};
  core::Result<AlphaResult> a = CronbachAlpha(v, 2);
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->items[0].alpha_if_dropped.has_value());
}

TEST(CronbachAlpha, RejectsBadInput) {
  // Fewer than 2 items.
  core::Result<AlphaResult> one = CronbachAlpha(std::vector<double>{1, 2, 3}, 1);
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.status().code(), core::StatusCode::kInvalidArgument);
  // Not a whole number of rows.
  core::Result<AlphaResult> ragged = CronbachAlpha(std::vector<double>{1, 2, 3, 4, 5}, 2);
  ASSERT_FALSE(ragged.ok());
  EXPECT_NE(ragged.status().message().find("whole number of rows"), std::string::npos);
  // Empty input / one complete respondent (n < 2).
  core::Result<AlphaResult> empty = CronbachAlpha(std::vector<double>{}, 3);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), core::StatusCode::kNumerical);
  core::Result<AlphaResult> single = CronbachAlpha(std::vector<double>{1, 2, 3, kNaN, 1, 2}, 3);
  ASSERT_FALSE(single.ok());
  EXPECT_NE(single.status().message().find("at least 2"), std::string::npos) << single.status().message();
  // Zero-variance item 2.
  core::Result<AlphaResult> flat = CronbachAlpha(std::vector<double>{1, 3, 2, 2, 3, 3, 3, 3, 4}, 3);
  ASSERT_FALSE(flat.ok());
  EXPECT_EQ(flat.status().code(), core::StatusCode::kNumerical);
  EXPECT_NE(flat.status().message().find("item 2 has zero variance"), std::string::npos) << flat.status().message();
  // A constant item whose computed variance is a rounding residue (0.1 + 0.1 + 0.1 ≠ 0.3).
  core::Result<AlphaResult> residue =
      CronbachAlpha(std::vector<double>{1, 0.1, 2, 2, 0.1, 3, 3, 0.1, 5}, 3, {.missing = MissingItems::kPairwise});
  ASSERT_FALSE(residue.ok());
  EXPECT_NE(residue.status().message().find("item 2 has zero variance"), std::string::npos);
  // Infinite value.
  const double inf = std::numeric_limits<double>::infinity();
  core::Result<AlphaResult> infinite = CronbachAlpha(std::vector<double>{1, 2, inf, 4}, 2);
  ASSERT_FALSE(infinite.ok());
  EXPECT_EQ(infinite.status().code(), core::StatusCode::kInvalidInput);
  // Pairwise: items 1 and 2 never answered together.
  core::Result<AlphaResult> apart = CronbachAlpha(std::vector<double>{1, kNaN, 2, kNaN, kNaN, 3, kNaN, 4}, 2,
                                                  {.missing = MissingItems::kPairwise});
  ASSERT_FALSE(apart.ok());
  EXPECT_NE(apart.status().message().find("answered together"), std::string::npos) << apart.status().message();
  // Bad level.
  EXPECT_FALSE(CronbachAlpha(std::vector<double>{1, 2, 2, 2, 3, 5}, 2, {.level = 1.0}).ok());
}

TEST(OmegaTotal, RejectsSingularItems) {
  // x1 = x2: the correlation matrix is singular.
  const std::vector<double> v = {1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5};
  core::Result<OmegaResult> o = OmegaTotal(v, 3);
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), core::StatusCode::kNumerical);
  EXPECT_NE(o.status().message().find("singular"), std::string::npos) << o.status().message();
}

TEST(AreaReliability, TwoAreasByHand) {
  // A = (1, 2, 3), B = (4, 5, 6): means 2 and 5, grand mean 3.5.
  //   MSB = 3·(1.5² + 1.5²)/1 = 13.5;  MSW = (2 + 2)/(6 − 2) = 1;  n0 = (6 − 18/6)/1 = 3
  //   τ² = (13.5 − 1)/3 = 4.166667;  ICC = 4.166667/5.166667 = 0.806452
  //   λ = 4.166667/(4.166667 + 1/3) = 0.925926 = 1 − MSW/MSB
  const std::vector<double> v = {1, 2, 3, 4, 5, 6};
  const std::vector<std::int64_t> g = {7, 7, 7, 9, 9, 9};
  core::Result<AreaReliabilityResult> a = AreaReliability(v, g);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_NEAR(a->ms_between, 13.5, 1e-12);
  EXPECT_NEAR(a->ms_within, 1.0, 1e-12);
  EXPECT_NEAR(a->n0, 3.0, 1e-12);
  EXPECT_NEAR(a->tau2, 12.5 / 3.0, 1e-12);
  EXPECT_NEAR(a->icc, (12.5 / 3.0) / (12.5 / 3.0 + 1.0), 1e-12);
  ASSERT_EQ(a->groups.size(), 2u);
  EXPECT_EQ(a->groups[0].group, 7);
  EXPECT_EQ(a->groups[1].n, 3u);
  EXPECT_NEAR(a->groups[0].mean, 2.0, 1e-12);
  EXPECT_NEAR(a->groups[0].lambda, 1.0 - 1.0 / 13.5, 1e-12);
  EXPECT_NEAR(a->lambda_n0, 1.0 - 1.0 / 13.5, 1e-12);
}

TEST(AreaReliability, NegativeBetweenVarianceIsTruncated) {
  // Equal area means: MSB = 0 < MSW = 2, so the moment estimate of τ² is negative -> 0.
  core::Result<AreaReliabilityResult> a =
      AreaReliability(std::vector<double>{1, 3, 1, 3}, std::vector<std::int64_t>{1, 1, 2, 2});
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->tau2_truncated);
  EXPECT_EQ(a->tau2, 0.0);
  EXPECT_EQ(a->groups[0].lambda, 0.0);
  EXPECT_EQ(a->icc, 0.0);
}

TEST(AreaReliability, RejectsBadInput) {
  EXPECT_EQ(AreaReliability(std::vector<double>{1, 2}, std::vector<std::int64_t>{1}).status().code(),
            core::StatusCode::kInvalidArgument);
  core::Result<AreaReliabilityResult> one_group =
      AreaReliability(std::vector<double>{1, 2, 3}, std::vector<std::int64_t>{4, 4, 4});
  ASSERT_FALSE(one_group.ok());
  EXPECT_NE(one_group.status().message().find("at least 2 areas"), std::string::npos);
  core::Result<AreaReliabilityResult> singletons =
      AreaReliability(std::vector<double>{1, 2}, std::vector<std::int64_t>{1, 2});
  ASSERT_FALSE(singletons.ok());
  EXPECT_NE(singletons.status().message().find("more respondents than areas"), std::string::npos);
  core::Result<AreaReliabilityResult> flat =
      AreaReliability(std::vector<double>{1, 1, 2, 2}, std::vector<std::int64_t>{1, 1, 2, 2});
  ASSERT_FALSE(flat.ok());
  EXPECT_EQ(flat.status().code(), core::StatusCode::kNumerical);
  core::Result<AreaReliabilityResult> residue =
      AreaReliability(std::vector<double>{0.1, 0.1, 0.1, 0.7, 0.7, 0.7}, std::vector<std::int64_t>{1, 1, 1, 2, 2, 2});
  ASSERT_FALSE(residue.ok());
  EXPECT_NE(residue.status().message().find("within-area variance is 0"), std::string::npos);
  core::Result<AreaReliabilityResult> missing =
      AreaReliability(std::vector<double>{1, kNaN, 2, 3}, std::vector<std::int64_t>{1, 1, 2, 2});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), core::StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace tryghed::stats

namespace tryghed::stats {
namespace {

using testing::LoadReferenceValues;
using testing::LoadSafetySurvey;
using testing::ReferenceValues;
using testing::SafetySurvey;

// B00: the derived safety-survey variables the other B rows are computed on.
// R counted 53 respondents with fewer than 4 of 7 items (index NA), 64 with
// q1 missing (unsafe NA), and an unweighted mean index of 55.5459689183529.
TEST(SafetySurveyDerivationTest, MatchesRsCountsAndMean) {
  const SafetySurvey s = LoadSafetySurvey();
  const ReferenceValues ref = LoadReferenceValues();
  std::size_t index_missing = 0, q1_missing = 0;
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.rows(); ++i) {
    if (!s.index[i]) {
      ++index_missing;
    } else {
      sum += *s.index[i];
      ++n;
    }
    if (std::isnan(s.items[i * SafetySurvey::kItems])) ++q1_missing;
  }
  EXPECT_EQ(static_cast<double>(index_missing), *ref.Get("B00.n_index_missing").estimate);
  EXPECT_EQ(static_cast<double>(q1_missing), *ref.Get("B00.n_unsafe_missing").estimate);
  const double expected = *ref.Get("B00.unweighted_mean_index").estimate;
  EXPECT_NEAR(sum / static_cast<double>(n), expected, 1e-6 * expected);
}

}  // namespace
}  // namespace tryghed::stats
