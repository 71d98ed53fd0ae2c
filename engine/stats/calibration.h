#pragma once
// tryghed::stats — calibration of a design's weights to known population
// figures: post-stratification, raking and linear (GREG) calibration, as R's
// postStratify, rake and calibrate do, with variances from the calibration
// residuals (each calibrated Design carries a residualisation step that
// Design::TotalCovariance applies, exactly as R's svyrecvar does).
//
// Example:
//
//   // Population counts by sex (levels 0, 1) and age band (levels 0..3).
//   std::vector<Margin> margins = {{sex_codes, {5120, 4980}},
//                                  {age_codes, {2100, 3000, 2900, 2100}}};
//   Result<Design> raked = Rake(design, margins, {});
//   Result<Estimates> m = Mean(*raked, {index});
//
// Thread safety: free functions; the returned Design is immutable.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "core/status.h"
#include "stats/design.h"
#include "stats/matrix.h"

namespace tryghed::stats {

// One calibration margin: the level of each unit (0..L-1; missing levels are
// an error naming the row) and the known population count of each level.
struct Margin {
  std::vector<std::int64_t> level;     // per unit
  std::vector<double> population;      // per level, > 0
};

// Post-stratification (R: postStratify(design, ~g, population)): weights
// become w_i · N_g / Σ_{j in g} w_j. Errors: a post-stratum with no sample
// unit (InvalidInput, naming the level), a negative or missing count, a level
// outside the table (InvalidArgument, naming the row). A level with count 0
// and no sample unit is allowed and ignored (as R); sample units in a level
// of count 0 are an error.
core::Result<Design> PostStratify(const Design& design, const Margin& strata);

struct RakeOptions {
  int max_iterations = 10;     // R rake(): control$maxit = 10 sweeps
  double epsilon = 1.0;        // R rake(): control$epsilon = 1. Raking stops
                               // when no weighted cell total of the joint
                               // table of all margins changed by epsilon or
                               // more in the last sweep; epsilon < 1 is
                               // relative to the total weight (epsilon ·
                               // Σ w), as in R
  bool fail_if_not_converged = true;  // false: return the last iterate, as R
                                      // does with a warning
};

// Raking by iterative proportional fitting (R: rake()). Errors (with the
// margin and level named): an empty cell, margins whose population totals
// contradict each other (totals differ by more than 1e-6 relative), or no
// convergence within max_iterations when fail_if_not_converged.
core::Result<Design> Rake(const Design& design, std::span<const Margin> margins, const RakeOptions& options);

enum class CalibrationFunction {
  kLinear,   // GREG, R calfun = "linear"
  kRaking,   // R calfun = "raking" (exponential g-weights)
};

struct CalibrationOptions {
  CalibrationFunction function = CalibrationFunction::kLinear;
  // Bounds on the g-weights (new weight / old weight); unbounded by default.
  double lower_bound = -std::numeric_limits<double>::infinity();
  double upper_bound = std::numeric_limits<double>::infinity();
  int max_iterations = 50;     // R: maxit = 50
  double epsilon = 1e-7;       // R: epsilon = 1e-7
};

// Calibration to population totals of the columns of `model` (n × p,
// column-major; R: calibrate(design, ~formula, population)). `model` holds
// the model matrix as R's model.matrix would build it (intercept column,
// dummy columns for factor levels, numeric columns), `totals` the population
// total of each column. Errors: sizes that differ, a singular model, totals
// that cannot be reached within the bounds.
core::Result<Design> Calibrate(const Design& design, const Matrix& model, std::span<const double> totals,
                               const CalibrationOptions& options);

// Trims weights to [lower, upper] and redistributes the trimmed amount over
// the untrimmed units so the total weight is unchanged (R: trimWeights).
// `trimmed` receives the number of units whose weight was changed.
core::Result<Design> TrimWeights(const Design& design, double lower, double upper, std::size_t* trimmed);

}  // namespace tryghed::stats
