#pragma once
// tryghed::stats — how large a change a survey can detect, and the two-sample
// t test for unweighted data.
//
// Minimum detectable difference (MDD) for two independent samples (two waves,
// or pilot vs comparison area) with a two-sided test at level alpha and the
// given power, by the normal approximation; and Welch's (or Student's) t test
// exactly as R's t.test(x, y).
//
// Example:
//
//   // 200 + 200 answers, a share of 30 % at baseline:
//   core::Result<double> d = stats::MinimumDetectableDifferenceProportions(0.30, 200, 200);
//   // d.value() ~ 0.128: only changes of about 13 percentage points are detectable.
//
//   core::Result<stats::TTestResult> t = stats::TwoSampleTTest(pilot, comparison);
//   // t->t, t->df (Welch–Satterthwaite), t->p_value, t->ci_lower, t->ci_upper
//
// Thread safety: pure functions; safe to call from any thread.
#include <span>

#include "core/status.h"

namespace tryghed::stats {

// Test settings shared by the MDD functions.
struct PowerOptions {
  double alpha = 0.05;          // two-sided significance level, 0 < alpha < 1
  double power = 0.80;          // probability of detecting the difference, 0 < power < 1
  double design_effect = 1.0;   // variance inflation of both samples (weighting, clustering), > 0
};

// MDD for a difference of two means:
//   MDD = (z_{1−α/2} + z_{power}) · sqrt(deff · (sd1²/n1 + sd2²/n2)),
// i.e. each n is replaced by its effective size n/deff. For a common SD pass it
// twice. Requires sd1, sd2 > 0 and n1, n2 ≥ 2 (n may be fractional, e.g. an
// effective sample size). The normal approximation is slightly optimistic for
// small n (R's power.t.test uses the noncentral t).
[[nodiscard]] core::Result<double> MinimumDetectableDifferenceMeans(double sd1, double sd2, double n1, double n2,
                                                                    const PowerOptions& options = {});

// How the MDD for proportions treats the variance.
enum class ProportionMddMethod {
  // Variance p0(1 − p0) in both samples (the usual planning formula):
  //   MDD = (z_{1−α/2} + z_{power}) · sqrt(deff · p0(1 − p0) · (1/n1 + 1/n2)).
  kBaselineVariance,
  // Solves for d (p1 = p0 ± d) in
  //   d = z_{1−α/2} · sqrt(deff · p̄(1 − p̄)(1/n1 + 1/n2)) + z_{power} · sqrt(deff · (p0q0/n1 + p1q1/n2)),
  //   p̄ = (n1 p0 + n2 p1)/(n1 + n2);
  // for n1 = n2 = n this is R's power.prop.test(n, p1 = p0, power = ...) (strict = FALSE)
  // solved for p2.
  kPooledNull,
};

// Direction of the change for kPooledNull (kBaselineVariance is symmetric).
enum class ChangeDirection { kIncrease, kDecrease };

// MDD (as a positive difference of proportions, 0.128 = 12.8 percentage points)
// for a baseline share p0 with n1 and n2 answers. Requires 0 < p0 < 1,
// n1, n2 ≥ 2. kPooledNull returns the smallest such change and fails with
// kNumerical when no change within [0, 1] reaches the power.
[[nodiscard]] core::Result<double> MinimumDetectableDifferenceProportions(
    double p0, double n1, double n2, const PowerOptions& options = {},
    ProportionMddMethod method = ProportionMddMethod::kBaselineVariance,
    ChangeDirection direction = ChangeDirection::kIncrease);

// Options of TwoSampleTTest.
struct TTestOptions {
  bool equal_variance = false;  // false: Welch (R's default); true: Student's pooled-variance test
  double level = 0.95;          // confidence level of the interval for mean(x) − mean(y)
};

// The two-sample t test as R's t.test(x, y, var.equal = ...), two-sided.
struct TTestResult {
  double mean_x = 0.0;
  double mean_y = 0.0;
  double estimate = 0.0;   // mean_x − mean_y
  double se = 0.0;         // standard error of the difference (R's $stderr)
  double t = 0.0;          // estimate / se
  double df = 0.0;         // Welch–Satterthwaite df, or n_x + n_y − 2
  double p_value = 0.0;    // 2 · P(T_df > |t|)
  double ci_lower = 0.0;
  double ci_upper = 0.0;
};

// Two-sample t test on unweighted values (design-based tests are in the
// estimators). Requires at least 2 finite values in each sample (NaN is not
// skipped: filter missing values first) and a positive standard error
// (kNumerical when both samples are constant).
[[nodiscard]] core::Result<TTestResult> TwoSampleTTest(std::span<const double> x, std::span<const double> y,
                                                       const TTestOptions& options = {});

}  // namespace tryghed::stats
