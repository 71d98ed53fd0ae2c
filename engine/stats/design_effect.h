#pragma once
// tryghed::stats — design effects and effective sample sizes.
//
// * MeanDesignEffect: the variance of a (domain) mean under the design
//   divided by its variance under simple random sampling without
//   replacement of the same number of units from a population of Σw, as R's
//   svymean(..., deff = TRUE):
//     deff = v / [s² · (N̂ − n) / (N̂ · n)],  s² = n/(n−1) · Σ w (x − x̄)² / Σ w,
//   over the n units of the domain with a value, N̂ = their Σ w.
// * KishEffectiveSize: (Σ w)² / Σ w², the sample size an unweighted sample
//   would need for the same precision when only the weights vary.
//
// Example:
//
//   Result<double> d = MeanDesignEffect(design, api00, {});   // 1.2045 for apistrat
//   double n_eff = KishEffectiveSize(design.weights());
//
// Thread safety: pure functions.
#include <span>

#include "core/status.h"
#include "stats/design.h"

namespace tryghed::stats {

// deff of the weighted mean of y over the units where in_domain is true
// (empty: all) and y is not NaN. Numerical when the domain has fewer than 2
// units, N̂ ≤ n (weights that do not scale to a population: R gives NA or
// Inf), or s² = 0; InvalidArgument on lengths.
[[nodiscard]] core::Result<double> MeanDesignEffect(const Design& design, std::span<const double> y,
                                                    std::span<const bool> in_domain);

// Kish's effective sample size of `weights` (all > 0). 0 for no weights.
double KishEffectiveSize(std::span<const double> weights);

}  // namespace tryghed::stats
