#pragma once
// Internal to tryghed::evaluation: p-values of t statistics and minimum
// detectable differences. Kept in their own file because stats/power.h and
// stats/contrast.h cannot yet be included together (both define
// stats::TTestResult).
#include <optional>

#include "core/status.h"

namespace tryghed::evaluation::internal {

// Two-sided p-value of `t` under t(df) (normal when df is +inf). df > 0.
core::Result<double> TwoSidedP(double t, double df);

// Minimum detectable difference of two means whose estimates have standard
// errors se1, se2 from n1, n2 respondents (stats::MinimumDetectableDifferenceMeans
// with sd_i = se_i·sqrt(n_i), so the result is (z_{1−α/2} + z_power)·sqrt(se1² + se2²)).
// Empty when a se is 0 or an n is below 2.
std::optional<double> MddMeans(double se1, double se2, double n1, double n2, double alpha, double power);

// Minimum detectable difference of two proportions for a baseline share p0
// with effective sizes n1, n2 (stats::MinimumDetectableDifferenceProportions,
// baseline variance). Empty when p0 is 0 or 1 or an n is below 2.
std::optional<double> MddProportions(double p0, double n1, double n2, double alpha, double power);

}  // namespace tryghed::evaluation::internal
