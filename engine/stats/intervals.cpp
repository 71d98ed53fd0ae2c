#include "stats/intervals.h"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

namespace tryghed::stats {
namespace {

core::Status CheckLevel(double level) {
  if (!(level > 0.0 && level < 1.0)) {
    return core::InvalidArgument("confidence level " + std::to_string(level) +
                                 " must lie strictly between 0 and 1 (e.g. 0.95)");
  }
  return core::Status::Ok();
}

core::Status FromBoost(const std::exception& e, const char* what) {
  return core::Numerical(std::string(what) + ": the quantile could not be computed (" + e.what() + ")");
}

}  // namespace

core::Result<double> CriticalValue(double level, double df) {
  TRYGHED_RETURN_IF_ERROR(CheckLevel(level));
  if (std::isnan(df) || df <= 0.0) {
    return core::InvalidArgument("degrees of freedom " + std::to_string(df) +
                                 " must be positive (use kInfiniteDf for the normal distribution)");
  }
  const double prob = 1.0 - (1.0 - level) / 2.0;
  try {
    if (std::isinf(df)) return boost::math::quantile(boost::math::normal_distribution<double>(), prob);
    return boost::math::quantile(boost::math::students_t_distribution<double>(df), prob);
  } catch (const std::exception& e) {
    return FromBoost(e, "critical value");
  }
}

namespace {

// The estimate and se a Wald interval needs: finite, se ≥ 0.
core::Status CheckWaldInputs(double estimate, double se) {
  if (!std::isfinite(estimate)) return core::InvalidArgument("Wald interval: the estimate is not a finite number");
  if (!std::isfinite(se) || se < 0.0) {
    return core::InvalidArgument("Wald interval: standard error " + std::to_string(se) +
                                 " must be finite and non-negative");
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<Interval> WaldIntervalWithCritical(double estimate, double se, double critical) {
  TRYGHED_RETURN_IF_ERROR(CheckWaldInputs(estimate, se));
  return Interval{estimate, estimate - critical * se, estimate + critical * se};
}

core::Result<Interval> WaldInterval(double estimate, double se, double level, double df) {
  TRYGHED_RETURN_IF_ERROR(CheckWaldInputs(estimate, se));
  core::Result<double> q = CriticalValue(level, df);
  if (!q.ok()) return q.status().WithContext("Wald interval");
  return Interval{estimate, estimate - *q * se, estimate + *q * se};
}

core::Result<Interval> WilsonInterval(double p, double n, double level) {
  if (!(p >= 0.0 && p <= 1.0)) {
    return core::InvalidArgument("Wilson interval: proportion " + std::to_string(p) + " must lie in [0, 1]");
  }
  if (!(n > 0.0) || !std::isfinite(n)) {
    return core::InvalidArgument("Wilson interval: sample size " + std::to_string(n) +
                                 " must be positive and finite (no answers, no interval)");
  }
  core::Result<double> z = CriticalValue(level, kInfiniteDf);
  if (!z.ok()) return z.status().WithContext("Wilson interval");
  const double z2 = *z * *z;
  const double denom = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denom;
  const double half = *z / denom * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  // Clamp the rounding at p = 0 or 1, where the exact ends are 0 and 1.
  const double lower = p == 0.0 ? 0.0 : std::max(0.0, centre - half);
  const double upper = p == 1.0 ? 1.0 : std::min(1.0, centre + half);
  return Interval{p, lower, upper};
}

core::Result<Interval> ClopperPearsonInterval(std::int64_t x, std::int64_t n, double level) {
  if (n < 1) {
    return core::InvalidArgument("Clopper-Pearson interval: number of trials " + std::to_string(n) +
                                 " must be at least 1");
  }
  if (x < 0 || x > n) {
    return core::InvalidArgument("Clopper-Pearson interval: successes " + std::to_string(x) + " must lie in [0, " +
                                 std::to_string(n) + "]");
  }
  TRYGHED_RETURN_IF_ERROR(CheckLevel(level).WithContext("Clopper-Pearson interval"));
  const double alpha = 1.0 - level;
  const double xd = static_cast<double>(x);
  const double nd = static_cast<double>(n);
  try {
    const double lower =
        x == 0 ? 0.0 : boost::math::quantile(boost::math::beta_distribution<double>(xd, nd - xd + 1.0), alpha / 2.0);
    const double upper =
        x == n ? 1.0
               : boost::math::quantile(boost::math::beta_distribution<double>(xd + 1.0, nd - xd), 1.0 - alpha / 2.0);
    return Interval{xd / nd, lower, upper};
  } catch (const std::exception& e) {
    return FromBoost(e, "Clopper-Pearson interval");
  }
}

core::Result<Interval> PoissonExactInterval(std::int64_t count, double level) {
  if (count < 0) {
    return core::InvalidArgument("Poisson interval: count " + std::to_string(count) + " must not be negative");
  }
  TRYGHED_RETURN_IF_ERROR(CheckLevel(level).WithContext("Poisson interval"));
  const double alpha = 1.0 - level;
  const double x = static_cast<double>(count);
  try {
    const double lower =
        count == 0 ? 0.0
                   : boost::math::quantile(boost::math::chi_squared_distribution<double>(2.0 * x), alpha / 2.0) / 2.0;
    const double upper =
        boost::math::quantile(boost::math::chi_squared_distribution<double>(2.0 * x + 2.0), 1.0 - alpha / 2.0) / 2.0;
    return Interval{x, lower, upper};
  } catch (const std::exception& e) {
    return FromBoost(e, "Poisson interval");
  }
}

core::Result<Interval> PoissonRateInterval(std::int64_t count, double exposure, double per, double level) {
  if (!(exposure > 0.0) || !std::isfinite(exposure)) {
    return core::InvalidArgument("Poisson rate: exposure " + std::to_string(exposure) +
                                 " must be positive and finite (e.g. the number of residents)");
  }
  if (!(per > 0.0) || !std::isfinite(per)) {
    return core::InvalidArgument("Poisson rate: 'per' " + std::to_string(per) + " must be positive (e.g. 1000)");
  }
  core::Result<Interval> c = PoissonExactInterval(count, level);
  if (!c.ok()) return c.status();
  const double scale = per / exposure;
  return Interval{c->estimate * scale, c->lower * scale, c->upper * scale};
}

}  // namespace tryghed::stats
