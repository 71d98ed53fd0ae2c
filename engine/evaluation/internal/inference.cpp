#include "evaluation/internal/inference.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <exception>
#include <string>

#include "stats/power.h"

namespace tryghed::evaluation::internal {

core::Result<double> TwoSidedP(double t, double df) {
  if (!std::isfinite(t) || !(df > 0)) {
    return core::Numerical("p-value: needs a finite t and df > 0");
  }
  try {
    const double a = std::abs(t);
    if (std::isinf(df)) {
      return 2 * boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(), a));
    }
    return 2 * boost::math::cdf(boost::math::complement(boost::math::students_t_distribution<double>(df), a));
  } catch (const std::exception& e) {
    return core::Numerical(std::string("p-value: ") + e.what());
  }
}

std::optional<double> MddMeans(double se1, double se2, double n1, double n2, double alpha, double power) {
  if (!(se1 > 0) || !(se2 > 0) || !(n1 >= 2) || !(n2 >= 2)) return std::nullopt;
  stats::PowerOptions o;
  o.alpha = alpha;
  o.power = power;
  core::Result<double> d =
      stats::MinimumDetectableDifferenceMeans(se1 * std::sqrt(n1), se2 * std::sqrt(n2), n1, n2, o);
  if (!d.ok() || !std::isfinite(*d)) return std::nullopt;
  return *d;
}

std::optional<double> MddProportions(double p0, double n1, double n2, double alpha, double power) {
  if (!(p0 > 0) || !(p0 < 1) || !(n1 >= 2) || !(n2 >= 2)) return std::nullopt;
  stats::PowerOptions o;
  o.alpha = alpha;
  o.power = power;
  core::Result<double> d = stats::MinimumDetectableDifferenceProportions(p0, n1, n2, o);
  if (!d.ok() || !std::isfinite(*d)) return std::nullopt;
  return *d;
}

}  // namespace tryghed::evaluation::internal
