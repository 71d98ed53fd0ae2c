#pragma once
// tryghed::stats — the Rao–Scott second-order corrected chi-square test of
// independence for a two-way table of survey data (R: svychisq(~a + b,
// design), default statistic = "F").
//
// With p̂ the estimated cell proportions (rows × columns, R's svymean of the
// cell indicators) and V their design covariance, C the cell contrasts of the
// interaction (residuals of the interaction columns on the main-effect
// columns), D = diag(p̂) and n the number of units:
//   X²  = Pearson's statistic of the weighted table rescaled to total n,
//   Δ   = (Cᵀ D⁻¹ C / n)⁻¹ (Cᵀ D⁻¹ V D⁻¹ C),
//   F   = X² / tr(Δ),  d = tr(Δ)² / tr(Δ²),
//   p   = P(F(d, d·ν) > F), ν the design degrees of freedom.
//
// Example:
//
//   Result<ChiSquareTest> t = RaoScottChiSquare(design, age_codes, tenure_codes);
//   if (t.ok()) std::cout << t->statistic << " on " << t->ndf << " and " << t->ddf << " df, p = " << t->p_value;
//
// Thread safety: a pure function over immutable inputs.
#include <cstdint>
#include <span>

#include "core/status.h"
#include "stats/design.h"

namespace tryghed::stats {

struct ChiSquareTest {
  double pearson = 0;    // X² of the weighted table scaled to n units
  double statistic = 0;  // the Rao–Scott F statistic
  double ndf = 0;        // numerator degrees of freedom d (not an integer)
  double ddf = 0;        // denominator degrees of freedom d·ν
  double p_value = 1;
  std::size_t rows = 0;  // levels seen in the data
  std::size_t cols = 0;
};

// Tests independence of two classifications of the units (codes >= 0; -1 =
// missing: such a unit is left out of the cell proportions but, as in R,
// counts in n). Levels are the distinct codes present, in increasing order.
// Errors: lengths that differ (InvalidArgument); fewer than two row or column
// levels among complete units (InvalidInput); a design effect matrix Δ that
// cannot be inverted or has no positive trace (Numerical).
core::Result<ChiSquareTest> RaoScottChiSquare(const Design& design, std::span<const std::int64_t> row,
                                              std::span<const std::int64_t> col);

}  // namespace tryghed::stats
