#pragma once
// tryghed::stats — reliability of a scale and of an area's mean score.
//
// * CronbachAlpha: raw and standardised alpha, the Feldt interval, Duhachek's
//   asymptotic standard error, average inter-item correlation, item–rest
//   correlations and alpha if an item is dropped, as psych::alpha reports them.
// * BootstrapAlpha: seeded i.i.d. bootstrap of alpha with percentile and BCa
//   intervals, as boot::boot and boot::boot.ci.
// * OmegaTotal: McDonald's omega (total) from a one-factor minres fit of the
//   item correlation matrix.
// * AreaReliability: λ_g = τ² / (τ² + σ²/n_g) per area from a one-way
//   random-effects ANOVA (method of moments), with the ICC.
//
// Items come as a row-major n × k matrix in a flat span (respondent i, item j
// at values[i * k + j]); a missing answer is a quiet NaN. Items should already
// be reverse-coded where needed (psych::alpha is run without check.keys).
//
// Example:
//
//   std::vector<double> items = {...};              // n rows × 7 items, NaN = missing
//   core::Result<stats::AlphaResult> a = stats::CronbachAlpha(items, 7);
//   if (a.ok()) Print(a->raw_alpha, a->feldt_lower, a->feldt_upper);
//   core::Result<stats::AlphaBootstrapResult> b = stats::BootstrapAlpha(items, 7, {.seed = 99});
//   if (b.ok()) Print(b->percentile_lower, b->percentile_upper, b->bca_lower, b->bca_upper);
//
// Thread safety: pure functions; safe to call from any thread.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/status.h"

namespace tryghed::stats {

// Which respondents enter the item covariance matrix.
enum class MissingItems {
  // Only respondents who answered every item (listwise deletion); n = their
  // number. Matches psych::alpha on the complete cases (x[complete.cases(x), ]).
  kCompleteCases,
  // Each covariance from the respondents who answered both items, as
  // cov(x, use = "pairwise") — psych::alpha's default. n for the Feldt interval
  // and the standard error is then the number of rows passed in (as psych
  // uses nrow(x)), including incomplete rows.
  kPairwise,
};

// Options of CronbachAlpha and OmegaTotal.
struct ReliabilityOptions {
  MissingItems missing = MissingItems::kCompleteCases;  // see MissingItems
  double level = 0.95;                                  // confidence level of the Feldt interval
};

// Statistics for one item (index j of the input columns).
struct ItemReliability {
  double r_drop = 0.0;                           // correlation of the item with the sum of the other items
  std::optional<double> alpha_if_dropped;        // raw alpha of the other k−1 items (k ≥ 3 only)
  std::optional<double> std_alpha_if_dropped;    // standardised alpha of the other items (k ≥ 3 only)
  std::optional<double> average_r_if_dropped;    // average inter-item r of the other items (k ≥ 3 only)
};

// Cronbach's alpha and its companions. With C the item covariance matrix and R
// its correlation matrix (k items):
//   raw_alpha = k/(k−1) · (1 − tr C / ΣC),  std_alpha = k/(k−1) · (1 − k / ΣR),
//   average_r = (ΣR − k) / (k(k−1)),
//   ase (Duhachek) = sqrt(Q/n), Q = 2k² / ((k−1)² (ΣC)³) · (ΣC · (tr C² + (tr C)²) − 2 tr C · Σ(C²)),
//   Feldt: lower = 1 − (1 − α)·F_{1−γ/2}(n−1, (n−1)(k−1)), upper = 1 − (1 − α)·F_{γ/2}(n−1, (n−1)(k−1)),
//   r_drop_j = (Σ_i C_ij − C_jj) / sqrt(C_jj · ΣC_{−j,−j}).
struct AlphaResult {
  double raw_alpha = 0.0;
  double std_alpha = 0.0;
  double average_r = 0.0;
  double ase = 0.0;            // psych's asymptotic standard error of raw alpha
  double feldt_lower = 0.0;
  double feldt_upper = 0.0;
  std::size_t n = 0;           // respondents behind the interval (see MissingItems)
  std::size_t n_items = 0;
  std::vector<ItemReliability> items;  // one per input column
};

// Cronbach's alpha of the k = n_items columns of `values` (row-major, NaN =
// missing). Fails with kInvalidArgument when k < 2 or the size is not a
// multiple of k, kInvalidInput for infinite values, and kNumerical when fewer
// than 2 respondents remain, an item has zero variance (its correlations are
// undefined; the message names the column), or a pair of items has fewer than
// 2 joint answers (pairwise), or the total variance is not positive.
[[nodiscard]] core::Result<AlphaResult> CronbachAlpha(std::span<const double> values, std::size_t n_items,
                                                      const ReliabilityOptions& options = {});

// Options of BootstrapAlpha.
struct AlphaBootstrapOptions {
  std::size_t replicates = 2000;  // bootstrap samples (R: boot(R = 2000))
  std::uint64_t seed = 1;         // replicate r uses its own generator seeded from (seed, r)
  double level = 0.95;            // confidence level of both intervals
  unsigned threads = 0;           // 0: all hardware threads; results are identical for any value
};

// The i.i.d. bootstrap of raw alpha on the complete cases, as
// boot::boot(x[complete.cases(x), ], function(d, i) alpha(d[i, ]), R) and
// boot::boot.ci(type = c("perc", "bca")).
struct AlphaBootstrapResult {
  double raw_alpha = 0.0;          // alpha of the complete cases (t0)
  double se = 0.0;                 // standard deviation of the replicate alphas (R: sd(b$t))
  double bias = 0.0;               // mean of the replicate alphas − raw_alpha
  double percentile_lower = 0.0;   // boot.ci "perc"
  double percentile_upper = 0.0;
  double bca_lower = 0.0;          // boot.ci "bca", acceleration from jackknife influence values
  double bca_upper = 0.0;
  std::size_t n = 0;               // complete cases resampled
  std::size_t replicates = 0;      // replicates with a defined alpha (all, unless a resample had
                                   // a zero-variance total)
};

// Resamples the complete rows with replacement `replicates` times and
// computes raw alpha on each resample. Percentile ends are boot's norm.inter
// of the sorted replicates at (1 ∓ level)/2: order statistic k = ⌊(R+1)p⌋,
// interpolated on the normal-quantile scale between k and k + 1. BCa:
// w = Φ⁻¹(#{θ*_r < θ̂}/R), a = ΣL³ / (6 (ΣL²)^{3/2}) with the jackknife
// influence values L_i = (n − 1)(θ̄_(·) − θ_(−i)), ends at the levels
// Φ(w + (w + z)/(1 − a(w + z))) for z = Φ⁻¹((1 ∓ level)/2). R's boot.ci
// estimates L by regression on R's own resampling counts (empinf type
// "reg"); the jackknife values estimate the same influence function without
// Monte Carlo error. The resamples are drawn from this module's generator, so
// the ends agree with R's within Monte Carlo error only (see
// docs/statistics.md). Seeded and deterministic: replicate r depends only on
// (seed, r). Fails as CronbachAlpha, and with kInvalidArgument for fewer than
// 2 replicates or a level outside (0, 1), kNumerical when fewer than 2
// replicates give a defined alpha, or when (R + 1)·(1 − level)/2 < 1 (too few
// replicates for the level).
[[nodiscard]] core::Result<AlphaBootstrapResult> BootstrapAlpha(std::span<const double> values, std::size_t n_items,
                                                                const AlphaBootstrapOptions& options = {});

// McDonald's omega (total) from a one-factor model.
struct OmegaResult {
  double omega_total = 0.0;          // 1 − Σψ / ΣR: psych::omega(x, nfactors = 1)$omega.tot
  double omega_model = 0.0;          // (Σλ)² / ((Σλ)² + Σψ): the same from the fitted model alone
  double omega_h = 0.0;              // (Σλ)² / ΣR: psych's omega_h (with one factor, the common part)
  std::vector<double> loadings;      // λ_j, signed so that Σλ > 0
  std::vector<double> uniquenesses;  // ψ_j = 1 − λ_j²  (R is the item correlation matrix)
  int iterations = 0;                // principal-axis iterations used
  std::size_t n = 0;                 // respondents used (complete cases or rows, as for alpha)
};

// Omega total from a one-factor fit of the item correlation matrix R by
// minimum residual (unweighted least squares on the off-diagonal), computed by
// iterated principal axes from squared multiple correlations until the
// communalities change by less than 1e-12 (at most 10,000 iterations; a
// Heywood case caps a communality at 0.995, as psych's lower bound 0.005 on
// uniquenesses). This is the estimator of psych::omega(x, nfactors = 1) and
// psych::fa(fm = "minres"). Fails as CronbachAlpha, and with kNumerical when R
// is singular (SMC start) or the iteration does not converge.
[[nodiscard]] core::Result<OmegaResult> OmegaTotal(std::span<const double> values, std::size_t n_items,
                                                   const ReliabilityOptions& options = {});

// One area's (group's) share of an AreaReliability result.
struct GroupReliability {
  std::int64_t group = 0;  // the group code as given
  std::size_t n = 0;       // respondents in the group
  double mean = 0.0;       // unweighted group mean
  double lambda = 0.0;     // τ² / (τ² + σ²/n): reliability of this group's mean
};

// One-way random-effects decomposition y_gi = μ + a_g + e_gi by the method of
// moments (ANOVA): with G groups, N respondents,
//   MSB = Σ n_g (ȳ_g − ȳ)² / (G − 1),  MSW = ΣΣ (y_gi − ȳ_g)² / (N − G),
//   n0 = (N − Σ n_g² / N) / (G − 1),
//   σ² = MSW,  τ² = max(0, (MSB − MSW) / n0),  ICC = τ² / (τ² + σ²).
// lambda_n0 = τ²/(τ² + σ²/n0) = 1 − MSW/MSB (when τ² > 0) is psych::statsBy's
// ICC2, and icc its ICC1.
struct AreaReliabilityResult {
  double ms_between = 0.0;
  double ms_within = 0.0;
  double n0 = 0.0;
  double tau2 = 0.0;              // between-group variance (truncated at 0)
  double sigma2 = 0.0;            // within-group variance
  double icc = 0.0;
  double lambda_n0 = 0.0;         // reliability of a mean of n0 respondents
  bool tau2_truncated = false;    // MSB < MSW: the moment estimate was negative, τ² set to 0
  std::size_t n_total = 0;
  std::vector<GroupReliability> groups;  // ascending by group code
};

// Area reliability from one value per respondent and the respondent's group
// (area) code; values and groups have the same length. NaN values are not
// skipped: filter them first. Fails with kInvalidArgument on unequal lengths,
// kInvalidInput on a non-finite value, and kNumerical with fewer than 2 groups,
// no within-group degrees of freedom (N ≤ G), or zero within-group variance.
[[nodiscard]] core::Result<AreaReliabilityResult> AreaReliability(std::span<const double> values,
                                                                  std::span<const std::int64_t> groups);

}  // namespace tryghed::stats
