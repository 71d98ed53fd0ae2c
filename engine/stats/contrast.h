#pragma once
// tryghed::stats — linear contrasts of estimates computed together (R's
// svycontrast), named contrasts of domains ("3:P-1:P"), and the design-based
// t test for the difference of two domain means (R's svyttest(y ~ group)).
//
// A contrast Σ c_j θ_j of estimates θ with covariance V has standard error
// sqrt(cᵀ V c); because Estimates carry the full covariance (also between
// domains that share clusters), contrasts of waves or areas are right.
//
// Example:
//
//   Result<Estimates> m = MeanByDomain(design, items, domains);   // levels "C", "P"
//   std::vector<std::string> names = {"C", "P"};
//   Result<std::vector<double>> c = ParseContrast("P-C", names);  // {-1, 1}
//   Result<ContrastResult> d = LinearContrast(*m, *c);
//
// Thread safety: pure functions over immutable inputs.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "stats/design.h"
#include "stats/estimators.h"
#include "stats/replicates.h"

namespace tryghed::stats {

struct ContrastResult {
  double estimate = 0;  // Σ c_j θ_j
  double se = 0;        // sqrt(cᵀ V c)
  double df = 0;        // the estimates' degrees of freedom
};

// The contrast with `coefficients` (one per estimate). InvalidArgument when
// the sizes differ or a coefficient is not finite; Numerical when the
// variance is not finite.
[[nodiscard]] core::Result<ContrastResult> LinearContrast(const Estimates& estimates,
                                                          std::span<const double> coefficients);

// The same contrast given by its non-zero coefficients only: coefficient[j]
// for estimate index[j], indices ascending and distinct, every other
// coefficient 0. Costs O(m²) for m indices instead of O(k²) (a change between
// two of 500 wave × area cells); the result is the dense form's, bit for bit.
// InvalidArgument also for an index out of range or not ascending.
[[nodiscard]] core::Result<ContrastResult> LinearContrast(const Estimates& estimates,
                                                          std::span<const std::size_t> index,
                                                          std::span<const double> coefficients);

// Parses a contrast written with the names of the estimates: terms joined by
// '+' or '-', each an optional factor and '*' then a name, e.g. "A-B",
// "3:P-1:P-3:C+1:C", "0.5*A+0.5*B-C". Names may themselves contain '-' or
// '+' (age band "18-34"): the longest name that fits is taken. A name used
// twice adds up. Returns one coefficient per name; InvalidArgument naming the
// text that matches no name.
[[nodiscard]] core::Result<std::vector<double>> ParseContrast(std::string_view expression,
                                                              std::span<const std::string> names);

struct DomainTTestResult {
  double difference = 0;  // mean(second group) − mean(first group)
  double se = 0;
  double t = 0;
  double df = 0;          // subset df − 1 (R: svyglm's df.residual)
  double p_value = 0;     // two-sided, t(df)
  double lower = 0;       // interval for the difference, t(df)
  double upper = 0;
  std::size_t n_first = 0, n_second = 0;  // units with a value in each group
};

// Design-based t test of the difference of the weighted means of y between
// the units with group[i] == 1 and those with group[i] == 0 (−1: in neither;
// NaN y: left out), as R's svyttest(y ~ g, subset(design, g %in% c(0,1)))
// whose estimate is the svyglm coefficient. The variance is the domain
// contrast's; df = SubsetDf(units with a value in either group) − 1.
// InvalidArgument: lengths, level; Numerical: an empty group, df ≤ 0.
[[nodiscard]] core::Result<DomainTTestResult> DomainMeanTTest(const Design& design, std::span<const double> y,
                                                        std::span<const std::int64_t> group, double level = 0.95);
// The same on a replicate design (R: svyttest on a subset of an
// as.svrepdesign design): the variance of the difference is the replicate
// variance of the replicate differences, df = SubsetDf(replicate design,
// units with a value in either group) − 1 (svyglm's df.residual there).
[[nodiscard]] core::Result<DomainTTestResult> DomainMeanTTest(const ReplicateDesign& design, std::span<const double> y,
                                                        std::span<const std::int64_t> group, double level = 0.95);

}  // namespace tryghed::stats
