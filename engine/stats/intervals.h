#pragma once
// tryghed::stats — simple confidence intervals that need no survey design.
//
// Wald intervals from an estimate and its standard error (normal or t), the
// Wilson score interval for a proportion with an (effective) sample size, the
// Clopper–Pearson exact interval for unweighted counts, and the exact Poisson
// interval for a count of events (registered crime) or a rate per 1,000.
// Design-based intervals for proportions (R's svyciprop) are in proportion.h,
// which uses these for its Wilson and Clopper–Pearson methods.
//
// Example:
//
//   core::Result<stats::Interval> w = stats::WilsonInterval(7.0 / 20.0, 20.0);
//   // w->estimate == 0.35, w->lower ~ 0.1812, w->upper ~ 0.5671
//   core::Result<stats::Interval> r = stats::PoissonRateInterval(12, 4500.0, 1000.0);
//   // 2.67 reports per 1,000 residents, exact 95 % interval [1.38, 4.66]
//
// Every function checks its arguments first and returns kInvalidArgument with
// a message naming the bad one; no function returns a NaN or throws (Boost.Math
// exceptions are caught and become kNumerical).
//
// Thread safety: pure functions; safe to call from any thread.
#include <cstdint>
#include <limits>

#include "core/status.h"

namespace tryghed::stats {

// An estimate with the two ends of its confidence interval; lower <= estimate <= upper.
struct Interval {
  double estimate = 0.0;
  double lower = 0.0;
  double upper = 0.0;
};

// Degrees of freedom meaning "use the normal distribution".
inline constexpr double kInfiniteDf = std::numeric_limits<double>::infinity();

// estimate ± q · se with q = qnorm(1 − (1 − level)/2) when df is +inf, else
// qt(1 − (1 − level)/2, df). Requires a finite estimate, finite se ≥ 0,
// 0 < level < 1 and df > 0 (fractional df, e.g. Welch, are fine).
[[nodiscard]] core::Result<Interval> WaldInterval(double estimate, double se, double level = 0.95,
                                                  double df = kInfiniteDf);

// The two-sided critical value used by WaldInterval: qnorm or qt at 1 − (1 − level)/2.
// Same argument rules as WaldInterval.
[[nodiscard]] core::Result<double> CriticalValue(double level = 0.95, double df = kInfiniteDf);

// estimate ± critical · se, with the checks of WaldInterval on estimate and
// se: for callers that compute many intervals at a few degrees of freedom
// and keep CriticalValue's result (the t quantile is the costly part).
[[nodiscard]] core::Result<Interval> WaldIntervalWithCritical(double estimate, double se, double critical);

// Wilson score interval for a proportion p observed on n answers (n may be a
// Kish effective sample size, so it need not be whole): with z = qnorm(1 − α/2),
//   centre = (p + z²/(2n)) / (1 + z²/n),
//   half   = z / (1 + z²/n) · sqrt(p(1 − p)/n + z²/(4n²)).
// Matches R's prop.test(x, n, correct = FALSE)$conf.int for p = x/n. Defined at
// p = 0 and p = 1. Requires 0 ≤ p ≤ 1, n > 0, 0 < level < 1.
[[nodiscard]] core::Result<Interval> WilsonInterval(double proportion, double n, double level = 0.95);

// Clopper–Pearson exact interval for x successes in n trials (unweighted data):
//   lower = qbeta(α/2, x, n − x + 1)   (0 when x = 0),
//   upper = qbeta(1 − α/2, x + 1, n − x) (1 when x = n).
// Matches R's binom.test(x, n)$conf.int. Requires n ≥ 1 and 0 ≤ x ≤ n.
[[nodiscard]] core::Result<Interval> ClopperPearsonInterval(std::int64_t successes, std::int64_t trials,
                                                            double level = 0.95);

// Exact (Garwood) interval for the mean of a Poisson count x:
//   lower = qchisq(α/2, 2x) / 2 (0 when x = 0),  upper = qchisq(1 − α/2, 2x + 2) / 2.
// Matches R's poisson.test(x)$conf.int. Requires x ≥ 0.
[[nodiscard]] core::Result<Interval> PoissonExactInterval(std::int64_t count, double level = 0.95);

// A rate per `per` units of exposure (e.g. per 1,000 residents), with the exact
// Poisson interval of the count scaled by per / exposure, as R's
// poisson.test(x, T = exposure / per). Requires x ≥ 0, exposure > 0, per > 0.
[[nodiscard]] core::Result<Interval> PoissonRateInterval(std::int64_t count, double exposure, double per = 1000.0,
                                                         double level = 0.95);

}  // namespace tryghed::stats
