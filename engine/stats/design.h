#pragma once
// tryghed::stats — survey designs and the Taylor-linearisation variance of
// estimated totals, as R's survey package computes them (svydesign with one
// stage of clusters, svyrecvar/onestage/onestrat).
//
// A Design describes how the n units of a sample were drawn: sampling
// weights, strata, primary sampling units (clusters) and the finite
// population correction. Every estimator in this module reduces to
// "the covariance of the estimated totals of some per-unit values z", which
// Design::TotalCovariance computes:
//
//   V = Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_i (z_hi − z̄_h)(z_hi − z̄_h)ᵀ
//
// where z_hi is the sum of z over the units of PSU i in stratum h, n_h the
// number of PSUs of stratum h in the *whole* sample (also when z is zero
// outside a domain), and f_h = n_h / N_h (0 without fpc). Strata with one
// PSU follow LonelyPsu. Calibrated designs first replace z by its residuals
// from the calibration model (see calibration.h), as R's postStratify,
// rake and calibrate do.
//
// Example:
//
//   DesignSpec spec;
//   spec.weights = pw;              // one per unit
//   spec.strata = stype_codes;      // any integer codes
//   spec.fpc = fpc;                 // population size per unit's stratum
//   Result<Design> d = Design::Create(std::move(spec));
//   if (!d.ok()) return d.status();
//   Result<Estimates> m = Mean(*d, {api00});   // estimators.h
//
// Missing values: inputs to estimators use NaN as R's NA. Design columns
// themselves (weights, strata, clusters, fpc) must not be missing.
//
// Thread safety: a Design is immutable after Create; const methods may be
// called from several threads at once.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "core/status.h"
#include "stats/matrix.h"

namespace tryghed::stats {

// NaN: the missing-value marker in estimator inputs (R's NA).
inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// What to do with a stratum that has a single PSU (R's survey.lonely.psu).
enum class LonelyPsu {
  kFail,       // an error naming the stratum (default, as in R)
  kAdjust,     // the PSU is centred at zero (the population mean of the
               // linearised values) instead of its stratum mean
  kAverage,    // the stratum gets the average variance of the other strata
  kCertainty,  // the stratum was sampled with certainty: contributes zero
  kRemove,     // the stratum contributes zero (same variance as kCertainty)
};

// The columns that describe a sample. Every non-empty vector has one entry
// per unit, in the same order as the data.
struct DesignSpec {
  // Sampling weights (R's `weights`), each finite and > 0. Empty: all 1,
  // unless fpc gives population sizes, in which case N_h / n_h as R does.
  std::vector<double> weights;
  // Stratum of each unit; any integer codes. Empty: one stratum.
  std::vector<std::int64_t> strata;
  // Primary sampling unit of each unit (one-stage cluster sample); codes are
  // only compared within a stratum. Empty: every unit is its own PSU.
  std::vector<std::int64_t> clusters;
  // Finite population correction per unit: either every value > 1, the
  // population size (in PSUs) of the unit's stratum, or every value in
  // (0, 1], the sampling fraction. Must be constant within a stratum.
  // Empty: sampling with replacement (no correction).
  std::vector<double> fpc;
  LonelyPsu lonely_psu = LonelyPsu::kFail;
};

namespace internal {
struct DesignData;  // see stats/internal/design_data.h
}

class Design {
 public:
  // Validates `spec` and indexes strata and PSUs. Errors (InvalidArgument)
  // name the first offending unit (0-based row) and column: lengths that
  // differ, a weight that is missing, zero, negative or infinite, an fpc that
  // mixes sizes and fractions, varies within a stratum or is smaller than the
  // stratum's number of PSUs, a PSU code used in two strata, an empty sample,
  // and a stratum with one PSU when lonely_psu is kFail.
  static core::Result<Design> Create(DesignSpec spec);

  // Number of units.
  std::size_t size() const;
  // The (possibly calibrated) weight of each unit.
  std::span<const double> weights() const;
  // Design degrees of freedom: number of PSUs minus number of strata
  // (R's degf()).
  double df() const;
  // Number of strata and of PSUs.
  std::size_t stratum_count() const;
  std::size_t psu_count() const;
  // True when the design was calibrated (post-stratified, raked, GREG).
  bool calibrated() const;

  // The covariance of the estimated totals Σ_i z_ij, j = 0..k−1, where
  // `z` is n × k column-major (values[j * n + i]) and already includes the
  // weights (z_ij = w_i · u_ij). NaN is not allowed in z. Returns Numerical
  // when the result is not finite, or when every stratum is a lonely PSU
  // under kAverage.
  core::Result<Matrix> TotalCovariance(const Matrix& z) const;

  // Internal representation, shared with the other estimators of this
  // module (calibration, replicates); not part of the public contract.
  const internal::DesignData& data() const { return *data_; }
  explicit Design(std::shared_ptr<const internal::DesignData> data);

 private:
  std::shared_ptr<const internal::DesignData> data_;
};

}  // namespace tryghed::stats
