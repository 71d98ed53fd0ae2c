#pragma once
// tryghed::stats — Taylor-linearised totals, means and ratios, for the whole
// sample and for domains (R's svytotal, svymean, svyratio and svyby).
//
// Each estimator builds the linearised (influence) values of its statistic
// and hands them to Design::TotalCovariance, so every estimate comes with
// the full covariance matrix of all estimates computed together, including
// the covariance between domains (for contrasts of waves or areas).
//
// Example:
//
//   std::vector<std::span<const double>> items = {q1, q2};
//   Result<Estimates> m = MeanByDomain(design, items, wave_area, 6);
//   // m->estimate[d * 2 + j] is the mean of item j in domain d.
//
// Missing values (NaN) follow R's na.rm = TRUE: a unit with a missing value
// in any of the variables of one call is left out of that call's estimates
// (it still counts in its stratum's number of PSUs, as R's subset designs do).
//
// Thread safety: free functions over immutable inputs.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/status.h"
#include "stats/design.h"
#include "stats/matrix.h"

namespace tryghed::stats {

// Estimates of several statistics computed together.
struct Estimates {
  std::vector<double> estimate;  // point estimates
  Matrix covariance;             // their covariance (Taylor linearisation)
  double df = 0;                 // design degrees of freedom for t intervals
  std::vector<std::size_t> n;    // units that contributed to each estimate

  // Standard errors: sqrt of the covariance diagonal.
  std::vector<double> StandardErrors() const;
};

using Variables = std::span<const std::span<const double>>;

// Domain membership: domain[i] in [0, domain_count) or -1 for a unit in no
// domain (e.g. a missing grouping variable).
struct Domains {
  std::span<const std::int64_t> domain;
  std::size_t domain_count = 0;
};

// Estimated population totals Σ w_i x_ij (R: svytotal(..., na.rm = TRUE)).
core::Result<Estimates> Total(const Design& design, Variables variables);

// Weighted means Σ w x / Σ w, linearised as ratios (R: svymean).
// Numerical error when no unit has all variables.
core::Result<Estimates> Mean(const Design& design, Variables variables);

// Ratio of totals Σ w y / Σ w x (R: svyratio). Numerical error when the
// estimated denominator total is zero.
core::Result<Estimates> Ratio(const Design& design, std::span<const double> numerator,
                              std::span<const double> denominator);

// Per-domain versions (R: svyby(..., covmat = TRUE)). Results are ordered
// domain-major: index d * k + j for domain d and variable j. An empty domain
// is a Numerical error naming it.
core::Result<Estimates> TotalByDomain(const Design& design, Variables variables, Domains domains);
core::Result<Estimates> MeanByDomain(const Design& design, Variables variables, Domains domains);
core::Result<Estimates> RatioByDomain(const Design& design, std::span<const double> numerator,
                                      std::span<const double> denominator, Domains domains);

// Estimates with their standard errors only, for calls over many domains
// whose covariances between domains are not used (no (D·k)² matrix is made).
struct EstimatesSe {
  std::vector<double> estimate;  // as Estimates::estimate
  std::vector<double> se;        // equal to Estimates::StandardErrors()
  double df = 0;
  std::vector<std::size_t> n;
};

// MeanByDomain without the covariance: the same estimates and, bit for bit,
// the same standard errors. Example (means of the index per cell × sex):
//   Result<EstimatesSe> m = MeanByDomainSe(design, items, {cell_sex, 1000});
//   // m->se[d] is the standard error of domain d's mean.
core::Result<EstimatesSe> MeanByDomainSe(const Design& design, Variables variables, Domains domains);

// Degrees of freedom of the subset of units where `in_subset` is true:
// PSUs with at least one such unit minus the strata they fall in (R's
// degf() of a subset design, used by svyciprop on a domain).
double SubsetDf(const Design& design, std::span<const bool> in_subset);

// SubsetDf of every domain at once, in one pass: entry d is SubsetDf with
// in_subset = (domain == d); units in no domain (-1) count nowhere. The
// domain codes must be valid (as for MeanByDomain).
std::vector<double> SubsetDfByDomain(const Design& design, Domains domains);

}  // namespace tryghed::stats
