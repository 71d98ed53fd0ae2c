#include "stats/power.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <exception>
#include <string>

namespace tryghed::stats {
namespace {

core::Status CheckOptions(const PowerOptions& o) {
  if (!(o.alpha > 0.0 && o.alpha < 1.0)) {
    return core::InvalidArgument("alpha " + std::to_string(o.alpha) + " must lie strictly between 0 and 1");
  }
  if (!(o.power > 0.0 && o.power < 1.0)) {
    return core::InvalidArgument("power " + std::to_string(o.power) + " must lie strictly between 0 and 1");
  }
  if (!(o.design_effect > 0.0) || !std::isfinite(o.design_effect)) {
    return core::InvalidArgument("design effect " + std::to_string(o.design_effect) + " must be positive and finite");
  }
  return core::Status::Ok();
}

core::Status CheckSizes(double n1, double n2) {
  if (!(n1 >= 2.0) || !(n2 >= 2.0) || !std::isfinite(n1) || !std::isfinite(n2)) {
    return core::InvalidArgument("sample sizes " + std::to_string(n1) + " and " + std::to_string(n2) +
                                 " must both be at least 2");
  }
  return core::Status::Ok();
}

// z_{1−α/2} + z_{power}; arguments already checked.
double ZSum(const PowerOptions& o) {
  const boost::math::normal_distribution<double> normal;
  return boost::math::quantile(normal, 1.0 - o.alpha / 2.0) + boost::math::quantile(normal, o.power);
}

}  // namespace

core::Result<double> MinimumDetectableDifferenceMeans(double sd1, double sd2, double n1, double n2,
                                                      const PowerOptions& options) {
  TRYGHED_RETURN_IF_ERROR(CheckOptions(options).WithContext("minimum detectable difference"));
  TRYGHED_RETURN_IF_ERROR(CheckSizes(n1, n2).WithContext("minimum detectable difference"));
  if (!(sd1 > 0.0) || !(sd2 > 0.0) || !std::isfinite(sd1) || !std::isfinite(sd2)) {
    return core::InvalidArgument("minimum detectable difference: standard deviations " + std::to_string(sd1) +
                                 " and " + std::to_string(sd2) + " must be positive and finite");
  }
  return ZSum(options) * std::sqrt(options.design_effect * (sd1 * sd1 / n1 + sd2 * sd2 / n2));
}

core::Result<double> MinimumDetectableDifferenceProportions(double p0, double n1, double n2,
                                                            const PowerOptions& options, ProportionMddMethod method,
                                                            ChangeDirection direction) {
  TRYGHED_RETURN_IF_ERROR(CheckOptions(options).WithContext("minimum detectable difference"));
  TRYGHED_RETURN_IF_ERROR(CheckSizes(n1, n2).WithContext("minimum detectable difference"));
  if (!(p0 > 0.0 && p0 < 1.0)) {
    return core::InvalidArgument("minimum detectable difference: baseline proportion " + std::to_string(p0) +
                                 " must lie strictly between 0 and 1");
  }
  const double deff = options.design_effect;
  if (method == ProportionMddMethod::kBaselineVariance) {
    return ZSum(options) * std::sqrt(deff * p0 * (1.0 - p0) * (1.0 / n1 + 1.0 / n2));
  }
  const boost::math::normal_distribution<double> normal;
  const double za = boost::math::quantile(normal, 1.0 - options.alpha / 2.0);
  const double zb = boost::math::quantile(normal, options.power);
  const double sign = direction == ChangeDirection::kIncrease ? 1.0 : -1.0;
  const double room = direction == ChangeDirection::kIncrease ? 1.0 - p0 : p0;
  // The MDD is the smallest root of g(d) = d − za·sd_null(d) − zb·sd_alt(d) on
  // (0, room]; g(0) < 0. A grid finds the first sign change (g need not be
  // monotone for tiny n), bisection refines it.
  auto g = [&](double d) {
    const double p1 = p0 + sign * d;
    const double pbar = (n1 * p0 + n2 * p1) / (n1 + n2);
    const double sd_null = std::sqrt(deff * pbar * (1.0 - pbar) * (1.0 / n1 + 1.0 / n2));
    const double sd_alt = std::sqrt(deff * (p0 * (1.0 - p0) / n1 + p1 * (1.0 - p1) / n2));
    return d - za * sd_null - zb * sd_alt;
  };
  constexpr int kGrid = 1000;
  double lo = 0.0, hi = -1.0;
  for (int i = 1; i <= kGrid; ++i) {
    const double d = room * i / kGrid;
    if (g(d) > 0.0) {
      hi = d;
      break;
    }
    lo = d;
  }
  if (hi < 0.0) {
    return core::Numerical("minimum detectable difference: with " + std::to_string(n1) + " and " +
                           std::to_string(n2) + " answers no change from p0 = " + std::to_string(p0) +
                           " within [0, 1] reaches the requested power");
  }
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    const double mid = 0.5 * (lo + hi);
    (g(mid) > 0.0 ? hi : lo) = mid;
  }
  return 0.5 * (lo + hi);
}

core::Result<TTestResult> TwoSampleTTest(std::span<const double> x, std::span<const double> y,
                                         const TTestOptions& options) {
  if (x.size() < 2 || y.size() < 2) {
    return core::InvalidArgument("t test: each sample needs at least 2 values (got " + std::to_string(x.size()) +
                                 " and " + std::to_string(y.size()) + ")");
  }
  if (!(options.level > 0.0 && options.level < 1.0)) {
    return core::InvalidArgument("t test: confidence level must lie strictly between 0 and 1");
  }
  struct Moments {
    double n = 0, mean = 0, var = 0;
    bool constant = true;  // all values equal (the variance may be a rounding residue)
  };
  auto moments = [](std::span<const double> v, const char* name) -> core::Result<Moments> {
    Moments m;
    m.n = static_cast<double>(v.size());
    double sum = 0.0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (!std::isfinite(v[i])) {
        return core::InvalidInput(std::string("t test: value ") + std::to_string(i + 1) + " of sample " + name +
                                  " is missing or not finite; filter missing values first");
      }
      sum += v[i];
      if (v[i] != v[0]) m.constant = false;
    }
    m.mean = sum / m.n;
    double ss = 0.0;
    for (double value : v) ss += (value - m.mean) * (value - m.mean);
    m.var = ss / (m.n - 1.0);
    return m;
  };
  core::Result<Moments> mx = moments(x, "x");
  if (!mx.ok()) return mx.status();
  core::Result<Moments> my = moments(y, "y");
  if (!my.ok()) return my.status();

  TTestResult r;
  r.mean_x = mx->mean;
  r.mean_y = my->mean;
  r.estimate = mx->mean - my->mean;
  if (options.equal_variance) {
    r.df = mx->n + my->n - 2.0;
    const double v = ((mx->n - 1.0) * mx->var + (my->n - 1.0) * my->var) / r.df;
    r.se = std::sqrt(v * (1.0 / mx->n + 1.0 / my->n));
  } else {
    const double sx2 = mx->var / mx->n;  // squared standard errors of the two means
    const double sy2 = my->var / my->n;
    r.se = std::sqrt(sx2 + sy2);
    if (r.se > 0.0) r.df = (sx2 + sy2) * (sx2 + sy2) / (sx2 * sx2 / (mx->n - 1.0) + sy2 * sy2 / (my->n - 1.0));
  }
  if ((mx->constant && my->constant) || !(r.se > 0.0)) {
    return core::Numerical("t test: both samples are constant, so the standard error is 0 and t is undefined");
  }
  r.t = r.estimate / r.se;
  try {
    const boost::math::students_t_distribution<double> dist(r.df);
    r.p_value = 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(r.t)));
    const double q = boost::math::quantile(dist, 1.0 - (1.0 - options.level) / 2.0);
    r.ci_lower = r.estimate - q * r.se;
    r.ci_upper = r.estimate + q * r.se;
  } catch (const std::exception& e) {
    return core::Numerical(std::string("t test: the t distribution could not be evaluated (") + e.what() + ")");
  }
  return r;
}

}  // namespace tryghed::stats
