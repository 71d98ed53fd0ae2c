#pragma once
// tryghed::stats — confidence intervals for a proportion estimated from a
// survey design (R's svyciprop), plus Wilson with the Kish effective sample
// size and Clopper–Pearson for unweighted data.
//
// The proportion is the weighted mean of a 0/1 variable over the units of a
// domain (or the whole sample) that have a value. Its variance is the
// Taylor-linearised variance of that domain mean in the *whole* design (as
// svymean on a subset design), and the degrees of freedom are those of the
// subset: PSUs with a unit in the domain and a non-missing value minus the
// strata they fall in (SubsetDf), exactly as R's
// svyciprop(~y, subset(design, domain & !is.na(y))).
//
// Example:
//
//   ProportionOptions opt;
//   opt.method = ProportionMethod::kBeta;           // Korn–Graubard
//   Result<ProportionResult> p = CiProportion(design, unsafe, in_wave3_pilot, opt);
//   if (p.ok()) Print(p->estimate, p->lower, p->upper);
//
// A proportion of exactly 0 or 1 (all values equal; the linearised variance
// is then 0): per method
//   mean            the degenerate interval [p, p] (se = 0);
//   beta            n_eff is taken as the number of units n (no design effect
//                   can be estimated): [0, qbeta(1−α/2, 1, n)] at p = 0,
//                   [qbeta(α/2, n, 1), 1] at p = 1 (Clopper–Pearson for n);
//   wilson          the Wilson interval with the Kish n_eff (defined);
//   clopper-pearson defined (lower 0 / upper 1);
//   logit, xlogit, likelihood, asin   a Numerical Status saying so and
//                   suggesting beta, wilson or clopper-pearson (R returns
//                   NaN or fails there).
// No function returns NaN.
//
// Thread safety: pure functions over immutable inputs.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "stats/design.h"
#include "stats/estimators.h"

namespace tryghed::stats {

class ReplicateDesign;  // stats/replicates.h

enum class ProportionMethod {
  kLogit,           // R "logit": Wald interval for logit(p), t(df), back-transformed
  kLikelihood,      // R "likelihood": profile-likelihood interval of the quasibinomial
                    // intercept with R's design-effect level adjustment
  kAsin,            // R "asin": Wald interval for asin(sqrt(p)), back-transformed
  kBeta,            // R "beta": Korn–Graubard, beta quantiles with effective n
  kMean,            // R "mean": Wald interval for p itself (can leave [0, 1], as in R)
  kXlogit,          // R "xlogit": as logit, delta method on the mean
  kWilson,          // Wilson score interval with the Kish effective sample size
  kClopperPearson,  // exact binomial interval; unweighted data only (equal weights)
};

// Parses "logit", "likelihood", "asin", "beta", "mean", "xlogit", "wilson",
// "clopper-pearson". InvalidArgument listing the choices otherwise.
[[nodiscard]] core::Result<ProportionMethod> ParseProportionMethod(std::string_view name);
// The name ParseProportionMethod accepts.
const char* ProportionMethodName(ProportionMethod method);

struct ProportionOptions {
  ProportionMethod method = ProportionMethod::kLogit;  // R's default
  double level = 0.95;                                 // confidence level, in (0, 1)
  // Degrees of freedom of the t quantiles. Empty: the subset's df (see top).
  // +infinity: normal quantiles. (beta always uses the subset's df, as R.)
  std::optional<double> df;
};

struct ProportionResult {
  double estimate = 0;     // weighted proportion
  double se = 0;           // linearised standard error
  double lower = 0;        // interval ends
  double upper = 0;
  double df = 0;           // degrees of freedom used
  std::size_t n = 0;       // units in the subset (domain and non-missing)
  double n_effective = 0;  // Kish (Σw)² / Σw² over the subset
};

// The proportion of units with y == 1 among the units where in_domain is true
// (empty span: every unit) and y is not missing (NaN). y must be 0 or 1
// where not missing: InvalidInput names the first other value's row.
// InvalidArgument: lengths that differ from the design, a bad level or df,
// clopper-pearson on a weighted design (weights not all equal).
// Numerical: no unit in the subset, subset df ≤ 0 for a t-based method,
// p = 0 or 1 where the method is undefined (see top).
[[nodiscard]] core::Result<ProportionResult> CiProportion(const Design& design, std::span<const double> y,
                                                          std::span<const bool> in_domain,
                                                          const ProportionOptions& options);

// CiProportion for every domain at once (R: svyby(~y, ~domain, svyciprop)):
// entry d is what CiProportion(design, y, domain == d, options) gives, from
// one MeanByDomain call and one pass over the units instead of one per
// domain. A domain without a unit with a value gets the Numerical error
// CiProportion gives; an error of the whole call (lengths, options, a value
// that is not 0/1) is repeated in every entry.
[[nodiscard]] std::vector<core::Result<ProportionResult>> CiProportionByDomain(const Design& design,
                                                                           std::span<const double> y, Domains domains,
                                                                           const ProportionOptions& options);

// The same for a caller that has already computed, over the same units,
// mean = MeanByDomain(design, {y}, domains) and df = SubsetDfByDomain(design,
// the domains of the units with a value): they are used instead of being
// computed again. Every domain must have a unit with a value (else
// InvalidArgument in every entry); results equal the first overload's.
[[nodiscard]] std::vector<core::Result<ProportionResult>> CiProportionByDomain(
    const Design& design, std::span<const double> y, Domains domains, const ProportionOptions& options,
    const Estimates& mean, std::span<const double> df);

// The same on a replicate design (R: svyciprop on as.svrepdesign(...), whose
// subset keeps the replicate weights of the subset's rows): se is the
// replicate standard error of the proportion (svymean); logit uses
// the replicate standard error of the logit — the logit of the
// proportion recomputed in every replicate, as R's svyglm on a replicate
// design — while xlogit, asin, mean and beta use the proportion's; the df is
// the subset's degf (SubsetDf in replicates.h). Errors as above, and
// Numerical when a replicate's proportion is 0 or 1 for logit;
// InvalidArgument for likelihood (R gives NA there).
[[nodiscard]] core::Result<ProportionResult> CiProportion(const ReplicateDesign& design, std::span<const double> y,
                                                          std::span<const bool> in_domain,
                                                          const ProportionOptions& options);

}  // namespace tryghed::stats
