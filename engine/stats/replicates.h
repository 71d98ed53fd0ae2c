#pragma once
// tryghed::stats — replicate-weight designs (R's as.svrepdesign and the
// svrep estimators): jackknife (JK1, JKn) and R's survey bootstrap (the
// Rao–Wu type with n_h draws and the h/(h−1) factor in the scale), seeded and
// deterministic, with replicates computed on several threads without changing
// the result.
//
// Example:
//
//   ReplicateOptions opt;
//   opt.type = ReplicateType::kBootstrap;
//   opt.replicates = 500;
//   opt.seed = 42;
//   Result<ReplicateDesign> rep = MakeReplicates(design, opt);
//   Result<Estimates> m = Mean(*rep, {index});   // variance from replicates
//
// Thread safety: a ReplicateDesign is immutable; const use from several
// threads is safe.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "core/status.h"
#include "stats/calibration.h"
#include "stats/design.h"
#include "stats/estimators.h"
#include "stats/matrix.h"

namespace tryghed::stats {

enum class ReplicateType {
  kJK1,        // delete-one-PSU jackknife for unstratified designs
  kJKn,        // stratified delete-one-PSU jackknife
  kBootstrap,  // R's survey bootstrap (as.svrepdesign type = "bootstrap"), see MakeReplicates
};

struct ReplicateOptions {
  ReplicateType type = ReplicateType::kJKn;
  std::size_t replicates = 50;   // bootstrap only; jackknives have one per PSU
  std::uint64_t seed = 1;        // bootstrap only
  bool mse = false;              // centre the variance at the full-sample
                                 // estimate instead of the replicate mean
  unsigned threads = 0;          // 0: std::thread::hardware_concurrency();
                                 // results are identical for any value
  // Bootstrap only, for reproducing R exactly: the PSU multipliers R drew
  // (replicates × PSUs, column-major, PSUs in the design's PSU order: first
  // appearance in the data, or row order without clusters); whole draw
  // counts 0..65535. When given, `replicates` and `seed` are ignored.
  const Matrix* multipliers = nullptr;
};

// A design with R replicate weight columns, a scale and per-replicate
// coefficients: Var = scale · Σ_r rscale_r (θ_r − θ̄)².
class ReplicateDesign {
 public:
  std::size_t size() const;
  std::size_t replicate_count() const;
  std::span<const double> weights() const;            // full-sample weights
  // The weights of replicate r (w_i times the unit's replicate factor),
  // computed on request: a JKn design has one replicate per PSU, too many to
  // keep n × R weights in memory. All zero when r >= replicate_count().
  std::vector<double> replicate_weights(std::size_t r) const;
  double scale() const;
  std::span<const double> rscales() const;
  bool mse() const;
  double df() const;  // R's degf() of the replicate design

  struct Data;  // defined in replicates.cpp
  explicit ReplicateDesign(std::shared_ptr<const Data> data);
  const Data& data() const { return *data_; }

 private:
  std::shared_ptr<const Data> data_;
};

// Builds replicate weights from `design` (its fpc used as R does for JK1 and
// JKn). Errors: JK1 on a stratified design, a stratum with one PSU for JKn
// (unless the design's lonely-PSU rule says otherwise, as R's jknweights),
// fewer than 2 bootstrap replicates, a calibrated design.
//
// JK1: replicate p drops PSU p and multiplies the others by n/(n−1);
//   scale = (1 − f)(n − 1)/n, rscales 1.
// JKn: replicate (h, p) drops PSU p of stratum h and multiplies the other
//   PSUs of h by n_h/(n_h − 1); scale 1, rscale = (1 − f_h)(n_h − 1)/n_h.
//   Census strata (f_h = 1) get no replicate.
// Bootstrap (R's bootweights): in every replicate and stratum, n_h PSUs are
//   drawn with replacement (with fpc: without replacement from N_h copies of
//   the stratum's PSUs); the multiplier of a PSU is the number of times it
//   was drawn, the replicate weight w_i · multiplier; scale = h̄/((h̄ − 1)(R − 1))
//   with h̄ the harmonic mean of n_h; rscales 1. Replicate r draws from its own
//   xoshiro256++ generator seeded from SplitMix64(seed XOR SplitMix64(r)) and
//   uniform integers by rejection, so the multipliers depend only on
//   (seed, r) — never on the number of threads or the platform's standard
//   library. The multipliers take P × R × 2 bytes (1 GB for a million PSUs
//   and 500 replicates); estimators never build n × R weights for them.
// df() is R's degf(): the rank of the analysis weights minus 1 (JK1: n − 1;
//   JKn: Σ_h (n_h − 1) over replicated strata; bootstrap: the rank of the
//   multiplier matrix, or min(R, P − H + 1) − 1 when that is too large to
//   factor).
core::Result<ReplicateDesign> MakeReplicates(const Design& design, const ReplicateOptions& options);

// Rakes the full-sample weights and, separately, every replicate's weights to
// `margins` (R: rake() on a replicate design, e.g. a bootstrap design raked to
// population margins so the variance reflects the raking). Each sweep
// post-stratifies all of them to every margin; the number of sweeps follows
// the full-sample weights (Rake(Design)'s rule, errors and messages). A
// replicate with an empty cell gets undefined weights and is left out of the
// variances that need it. The replicate weights are kept explicitly (n × R
// doubles), so this suits bootstrap designs more than JKn of large samples.
// df() is kept from `design`.
core::Result<ReplicateDesign> Rake(const ReplicateDesign& design, std::span<const Margin> margins,
                                   const RakeOptions& options);

// Estimators with replicate variances; same contracts as estimators.h.
core::Result<Estimates> Total(const ReplicateDesign& design, Variables variables);
core::Result<Estimates> Mean(const ReplicateDesign& design, Variables variables);
core::Result<Estimates> MeanByDomain(const ReplicateDesign& design, Variables variables, Domains domains);
core::Result<Estimates> TotalByDomain(const ReplicateDesign& design, Variables variables, Domains domains);

// Ratios of totals Σ w y / Σ w x recomputed in every replicate (R: svyratio
// and svyby(..., svyratio) on a replicate design); same contract as
// estimators.h's Ratio. A replicate whose denominator total is 0 is left out.
core::Result<Estimates> Ratio(const ReplicateDesign& design, std::span<const double> numerator,
                              std::span<const double> denominator);
core::Result<Estimates> RatioByDomain(const ReplicateDesign& design, std::span<const double> numerator,
                                      std::span<const double> denominator, Domains domains);

// The one place replicate estimates become a covariance (R's svrVar, used by
// every replicate estimator here and by CiProportion / DomainMeanTTest on a
// replicate design): scale · Σ_r rscale_r (θ_r − θ̄)(θ_r − θ̄)ᵀ, θ̄ the mean
// of the replicates (the full-sample estimate when mse). `replicates` is
// replicates × estimates (column-major); NaN replicate values are left out of
// the estimates they belong to. df is the design's df(), n stays empty.
core::Result<Estimates> ReplicateVariance(const ReplicateDesign& design, std::vector<double> estimate,
                                          const Matrix& replicates);

// R's degf() of subset(design, in_subset): the rank of the subset's replicate
// (analysis) weights minus 1 (tolerance 1e-5, as R's qr). Used for the df of
// proportions and t tests in a domain. When the rank is too large to factor
// (PSUs in the subset × replicates × their minimum above 5·10⁸) the generic
// rank min(PSUs in the subset, replicates) − 1 is used.
double SubsetDf(const ReplicateDesign& design, std::span<const bool> in_subset);

// The replicate estimates θ_r of a Mean (replicates × estimates,
// column-major), for percentile intervals. A replicate in which a domain has
// no weight gives NaN for that domain's estimates.
core::Result<Matrix> ReplicateMeans(const ReplicateDesign& design, Variables variables);
// The same for MeanByDomain (estimates ordered domain-major, d * k + j).
core::Result<Matrix> ReplicateMeansByDomain(const ReplicateDesign& design, Variables variables, Domains domains);

// R's quantile(x, probability, type = 7) of replicate estimates (NaN values
// are skipped): the ends of a bootstrap percentile interval are
// ReplicateQuantile(θ, 0.025) and ReplicateQuantile(θ, 0.975). Errors: a
// probability outside [0, 1], no defined value.
core::Result<double> ReplicateQuantile(std::span<const double> values, double probability);

}  // namespace tryghed::stats
