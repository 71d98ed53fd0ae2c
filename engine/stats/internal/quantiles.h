#pragma once
// Internal to tryghed::stats: distribution functions through Boost.Math that
// never throw (arguments are checked by the callers; a Boost error becomes a
// Numerical Status) and the t/normal switch on infinite df used throughout.
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <exception>
#include <string>

#include "core/status.h"

namespace tryghed::stats::internal {

// Quantile of t(df) at probability p; the normal quantile when df is +inf.
inline core::Result<double> QuantileT(double p, double df) {
  try {
    if (std::isinf(df)) return boost::math::quantile(boost::math::normal_distribution<double>(), p);
    return boost::math::quantile(boost::math::students_t_distribution<double>(df), p);
  } catch (const std::exception& e) {
    return core::Numerical(std::string("t quantile: ") + e.what());
  }
}

// Cumulative distribution of t(df) (normal when df is +inf).
inline core::Result<double> CdfT(double x, double df) {
  try {
    if (std::isinf(df)) return boost::math::cdf(boost::math::normal_distribution<double>(), x);
    return boost::math::cdf(boost::math::students_t_distribution<double>(df), x);
  } catch (const std::exception& e) {
    return core::Numerical(std::string("t distribution: ") + e.what());
  }
}

// qbeta(p, a, b) with R's conventions at a = 0 (point mass at 0) and b = 0
// (point mass at 1).
inline core::Result<double> QuantileBeta(double p, double a, double b) {
  if (a <= 0) return 0.0;
  if (b <= 0) return 1.0;
  try {
    return boost::math::quantile(boost::math::beta_distribution<double>(a, b), p);
  } catch (const std::exception& e) {
    return core::Numerical(std::string("beta quantile: ") + e.what());
  }
}

// qf(p, df1, df2).
inline core::Result<double> QuantileF(double p, double df1, double df2) {
  try {
    return boost::math::quantile(boost::math::fisher_f_distribution<double>(df1, df2), p);
  } catch (const std::exception& e) {
    return core::Numerical(std::string("F quantile: ") + e.what());
  }
}

}  // namespace tryghed::stats::internal
