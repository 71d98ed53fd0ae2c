#pragma once
// tryghed::stats — quantiles of a survey variable with Woodruff intervals, as
// R survey 4.1's svyquantile with its defaults (qrule = "math",
// interval.type = "mean"):
//
//   q̂ = the smallest x with F̂(x) ≥ p, F̂ the weighted distribution function
//       (R's qrule_math);
//   Woodruff: the Wald interval of the domain mean of 1{x ≤ q̂},
//       m ± t(1 − α/2, df)·se(m), mapped back through the same rule:
//       lower = q(m − t·se), upper = q(m + t·se);
//   se = (upper − lower) / (2·t(1 − α/2, df)), as R reports it.
//
// Where R gives NaN (an interval end of the distribution function below 0
// or above 1), the engine gives the smallest or largest value of the domain
// and sets `lower_clamped` / `upper_clamped`. The variance of m is the
// domain mean's in the whole design; df is the subset's (SubsetDf of the
// domain units with a value), as svyby(..., svyquantile) on a subset design.
//
// Example:
//
//   Result<QuantileResult> med = Quantile(design, index, in_area, 0.5, {});
//   // med->estimate, med->lower, med->upper
//
// Thread safety: pure functions.
#include <cstddef>
#include <optional>
#include <span>

#include "core/status.h"
#include "stats/design.h"

namespace tryghed::stats {

class ReplicateDesign;  // stats/replicates.h

struct QuantileOptions {
  double level = 0.95;            // confidence level in (0, 1)
  std::optional<double> df;       // empty: subset df; +inf: normal quantiles
};

struct QuantileResult {
  double probability = 0;   // p
  double estimate = 0;      // q̂
  double lower = 0;         // Woodruff interval
  double upper = 0;
  double se = 0;            // (upper − lower) / (2 t)
  double df = 0;
  std::size_t n = 0;        // units with a value in the domain
  bool lower_clamped = false;
  bool upper_clamped = false;
};

// The p-quantile (0 < p < 1) of x over the units where in_domain is true
// (empty: all) and x is not NaN. InvalidArgument: p, level, df or lengths;
// Numerical: no unit with a value, df ≤ 0.
[[nodiscard]] core::Result<QuantileResult> Quantile(const Design& design, std::span<const double> x,
                                                    std::span<const bool> in_domain, double p,
                                                    const QuantileOptions& options = {});
// The same on a replicate design (R: svyquantile on an as.svrepdesign design,
// its default interval.type = "mean"): Woodruff's interval with the replicate
// variance of the domain mean of 1{x ≤ q̂}; df = SubsetDf (replicates.h) of
// the domain's units with a value, as R's degf of the subset design.
[[nodiscard]] core::Result<QuantileResult> Quantile(const ReplicateDesign& design, std::span<const double> x,
                                                    std::span<const bool> in_domain, double p,
                                                    const QuantileOptions& options = {});

}  // namespace tryghed::stats
