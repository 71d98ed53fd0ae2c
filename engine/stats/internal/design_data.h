#pragma once
// Internal to tryghed::stats: the indexed form of a Design, shared by the
// estimators, calibration and replicate-weight code of this module. Uses
// Eigen; never include from outside engine/stats.
#include <Eigen/Dense>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "stats/design.h"

namespace tryghed::stats::internal {

// One calibration step whose residuals replace the linearised values before
// the variance is computed (R's design$postStrata list: post-strata, raking
// margins, GREG models). Implemented in calibration.cpp.
class CalibrationStep {
 public:
  virtual ~CalibrationStep() = default;
  // Replaces z (n × k, weighted linearised values) by its calibration
  // residuals, in place.
  virtual void Residualize(Eigen::MatrixXd& z) const = 0;
};

struct DesignData {
  std::size_t n = 0;
  std::vector<double> weights;          // per unit, > 0 (0 allowed only after subsetting by weight)
  std::vector<std::size_t> stratum;     // per unit: 0..H-1
  std::vector<std::size_t> psu;         // per unit: 0..P-1 (global PSU index)
  std::vector<std::size_t> psu_stratum; // per PSU: its stratum
  std::vector<std::size_t> stratum_psus;// per stratum: n_h, the number of PSUs
  std::vector<double> stratum_fpc_factor; // per stratum: 1 − f_h (1 without fpc)
  std::vector<double> stratum_population; // per stratum: N_h, or +inf without fpc
  bool has_fpc = false;
  bool has_strata = false;
  bool has_clusters = false;
  LonelyPsu lonely_psu = LonelyPsu::kFail;
  // Original codes, kept so subsets and replicate designs can be rebuilt.
  std::vector<std::int64_t> stratum_codes;  // per stratum index
  // Calibration steps applied in order (empty for an uncalibrated design).
  std::vector<std::shared_ptr<const CalibrationStep>> calibration;
};

// PSU totals of z: P × k.
Eigen::MatrixXd PsuTotals(const DesignData& d, const Eigen::MatrixXd& z);

// The stratified between-PSU covariance of the PSU totals (no calibration
// residuals applied; callers use Design::TotalCovariance for that).
core::Result<Eigen::MatrixXd> StratifiedCovariance(const DesignData& d, const Eigen::MatrixXd& psu_totals);

// Design::TotalCovariance on an Eigen matrix (applies calibration residuals).
core::Result<Eigen::MatrixXd> TotalCovariance(const DesignData& d, Eigen::MatrixXd z);

// Maps a column-major stats::Matrix to Eigen and back (copies).
Eigen::MatrixXd ToEigen(const Matrix& m);
Matrix FromEigen(const Eigen::MatrixXd& m);

}  // namespace tryghed::stats::internal
