#pragma once
// tryghed::stats — design-based regression (R's svyglm): weighted linear
// regression and logistic (quasibinomial) regression whose coefficient
// covariance is the sandwich A⁻¹ V A⁻¹, with V the design covariance of the
// estimating functions (Design::TotalCovariance, so strata, clusters, fpc and
// calibration residuals count exactly as for means).
//
// Example (difference-in-differences, y ~ pilot * post):
//
//   Matrix x(n, 4);
//   for (std::size_t i = 0; i < n; ++i) {
//     x(i, 0) = 1; x(i, 1) = pilot[i]; x(i, 2) = post[i]; x(i, 3) = pilot[i] * post[i];
//   }
//   Result<RegressionFit> fit = FitRegression(design, x, index, {});
//   // fit->coefficients[3] is the DiD effect, fit->standard_errors[3] its SE,
//   // fit->ConfidenceInterval(3) its 95 % t(df) interval.
//
// Missing values: a unit with NaN in y or in any column of x is left out
// (R's na.omit): it contributes nothing, but still counts in its stratum's
// number of PSUs. A subset (e.g. two of three waves) is fitted by setting y
// to NaN outside it.
//
// Thread safety: free functions over immutable inputs.
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "core/status.h"
#include "stats/design.h"
#include "stats/matrix.h"

namespace tryghed::stats {

enum class RegressionFamily {
  kGaussian,        // identity link, R family = gaussian()
  kQuasiBinomial,   // logit link, y in [0, 1], R family = quasibinomial()
};

struct RegressionOptions {
  RegressionFamily family = RegressionFamily::kGaussian;
  int max_iterations = 50;     // IRLS iterations (logistic only)
  double epsilon = 1e-12;      // IRLS stops when the relative change in the
                               // deviance is below epsilon (R: 1e-8; tighter
                               // here so coefficients agree with R's to 1e-9)
};

struct RegressionFit {
  std::vector<double> coefficients;     // one per column of x
  Matrix covariance;                    // design-based (sandwich) covariance
  std::vector<double> standard_errors;  // sqrt of its diagonal
  std::vector<double> t_values;         // coefficient / SE
  std::vector<double> p_values;         // 2·P(T > |t|), T ~ t(df)
  // R's df.residual of svyglm: the design degrees of freedom of the units
  // used (PSUs with a used unit minus strata with a used unit) + 1 − p.
  double df = 0;
  std::size_t n_used = 0;               // units in the fit
  int iterations = 0;                   // IRLS iterations (1 for gaussian)

  // coefficient ± qt(1 − (1 − level)/2, df) · SE, as R's confint(svyglm).
  std::pair<double, double> ConfidenceInterval(std::size_t j, double level = 0.95) const;
};

// Fits y on the columns of x (n × p, column-major; include a column of ones
// for an intercept) with the design's weights. Errors (InvalidArgument): sizes
// that differ, y outside [0, 1] for the logistic model; (Numerical) fewer used
// units than coefficients, a singular model (a column that is a combination of
// the others among the used units, named), no convergence of IRLS, no degrees
// of freedom left (df <= 0).
core::Result<RegressionFit> FitRegression(const Design& design, const Matrix& x, std::span<const double> y,
                                          const RegressionOptions& options);

// The same fit over some of the design's units only: row r of x (rows.size()
// × p) and y[r] belong to unit units[r]; units not listed are outside the fit,
// as if their y were missing. Gives what the n-row form gives with those rows
// missing, without an n-row model matrix: a fit on two waves of ten builds a
// fifth of the rows. `units` ascending, each once. InvalidArgument when a
// unit is out of range, out of order or listed twice, or the sizes differ;
// otherwise the errors of the n-row form (a row named in a message is the
// unit's, 1-based).
core::Result<RegressionFit> FitRegressionOnUnits(const Design& design, std::span<const std::size_t> units,
                                                 const Matrix& x, std::span<const double> y,
                                                 const RegressionOptions& options);

}  // namespace tryghed::stats
