#pragma once
// tryghed::stats — adjusting p-values for multiple comparisons.
//
// A report compares many waves, areas and groups at once; AdjustPValues turns
// the raw p-values of those comparisons into adjusted ones, exactly as R's
// `p.adjust(p, method)` does (R 4.2, stats package), so a "significant" label
// survives the number of comparisons made.
//
// Example:
//
//   std::vector<double> raw = {0.01, 0.04, 0.03, 0.20};
//   core::Result<std::vector<double>> adj =
//       stats::AdjustPValues(raw, stats::AdjustMethod::kHolm);
//   // adj.value() == {0.04, 0.09, 0.09, 0.20}, in the order of `raw`
//
// Missing p-values: R drops NA and adjusts the rest with n = number of
// non-NA values. Here a NaN (or any value outside [0, 1]) is rejected with a
// Status instead: the caller decides which comparisons exist, and a missing
// p-value in a report is a bug to surface, not to skip.
//
// Thread safety: pure functions; safe to call from any thread.
#include <span>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tryghed::stats {

// The adjustments of R's `p.adjust`. kBH is also called "fdr" in R.
enum class AdjustMethod {
  kHolm,        // step-down Bonferroni (Holm 1979); controls the family-wise error rate
  kHochberg,    // step-up (Hochberg 1988); FWER under independence / positive dependence
  kHommel,      // Hommel (1988); FWER, more powerful than Hochberg
  kBonferroni,  // min(1, n p)
  kBH,          // Benjamini & Hochberg (1995) false discovery rate
  kBY,          // Benjamini & Yekutieli (2001) FDR under arbitrary dependence
  kNone,        // p unchanged
};

// R's name of `method` ("holm", "hochberg", "hommel", "bonferroni", "BH", "BY", "none").
[[nodiscard]] std::string_view AdjustMethodName(AdjustMethod method);

// Parses R's method names, including the alias "fdr" for "BH". Exact and
// case-sensitive (R's match.arg would also take an unambiguous abbreviation such
// as "bonf"). Fails with kInvalidArgument naming the accepted names.
[[nodiscard]] core::Result<AdjustMethod> ParseAdjustMethod(std::string_view name);

// Adjusted p-values, one per input and in the input's order, as
// `p.adjust(p, method)` with n = p.size(). Every p must lie in [0, 1] (NaN is
// rejected, see the banner); an empty input fails with kInvalidArgument.
// Ties are handled as R does (the result does not depend on their order).
[[nodiscard]] core::Result<std::vector<double>> AdjustPValues(std::span<const double> p,
                                                              AdjustMethod method);

}  // namespace tryghed::stats
