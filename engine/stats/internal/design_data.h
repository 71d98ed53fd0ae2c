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
  // True when every calibration group of the step (post-stratum, raking
  // margin cell) lies within one stratum of the design it calibrated, so the
  // residuals of a stratum's units depend on that stratum's units alone.
  virtual bool WithinStrata() const { return false; }
  // Residualize for the units `units` alone (ascending unit indices; z has
  // one row per entry). Called only when WithinStrata() and `units` are all
  // the units of some strata; then equal to the rows of Residualize's result.
  virtual void ResidualizeUnits(std::span<const std::size_t> units, Eigen::MatrixXd& z) const {
    (void)units;
    (void)z;
  }
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
  // The units of each stratum, ascending: stratum_units[stratum_start[h] ..
  // stratum_start[h + 1]) (filled by Design::Create).
  std::vector<std::size_t> stratum_start;
  std::vector<std::size_t> stratum_units;

  std::span<const std::size_t> UnitsOf(std::size_t h) const {
    return {stratum_units.data() + stratum_start[h], stratum_start[h + 1] - stratum_start[h]};
  }
  // True when the design is calibrated and every step's groups lie within
  // strata: its covariance is then a sum of per-stratum blocks, each
  // computed from that stratum's units (AddStratumCovariance).
  bool CalibratedWithinStrata() const;
};

// How one stratum enters the covariance (R's onestrat): the factor of its
// centred (or, for a lonely PSU under 'adjust', uncentred) PSU totals, 0 when
// it contributes nothing; `averaged_out` for a lonely PSU under 'average'.
struct StratumRule {
  double scale = 0;
  bool centre = true;
  bool averaged_out = false;
};
StratumRule RuleFor(const DesignData& d, std::size_t h);
// The factor H / (H − lonely strata) by which lonely-PSU rule 'average'
// scales the covariance (1 without such strata); Numerical when every
// stratum is a lonely PSU under 'average'.
core::Result<double> AverageRuleFactor(const DesignData& d);

// Adds stratum h's contribution to v for a design with
// CalibratedWithinStrata() (or an uncalibrated one): z holds the linearised
// values of the stratum's units (rows in UnitsOf(h) order) for the columns
// `columns` of v. z is residualized in place by the calibration steps, summed
// into PSU totals, centred and scaled by RuleFor(d, h).
void AddStratumCovariance(const DesignData& d, std::size_t h, Eigen::MatrixXd& z, std::span<const std::size_t> columns,
                          Eigen::MatrixXd& v);

// PSU totals of z: P × k.
Eigen::MatrixXd PsuTotals(const DesignData& d, const Eigen::MatrixXd& z);

// The stratified between-PSU covariance of the PSU totals (no calibration
// residuals applied; callers use Design::TotalCovariance for that).
core::Result<Eigen::MatrixXd> StratifiedCovariance(const DesignData& d, const Eigen::MatrixXd& psu_totals);

// Design::TotalCovariance on an Eigen matrix (applies calibration residuals).
core::Result<Eigen::MatrixXd> TotalCovariance(const DesignData& d, Eigen::MatrixXd z);

// TotalCovariance of an n × k matrix that is zero except in the rows of the
// units `rows` (ascending), whose values are the rows of z_rows. For designs
// uncalibrated or CalibratedWithinStrata() only the strata of those units are
// visited (O(their units · k) memory, not O(n · k)); other calibrated designs
// expand to n × k.
core::Result<Eigen::MatrixXd> TotalCovarianceOfRows(const DesignData& d, std::span<const std::size_t> rows,
                                                    const Eigen::MatrixXd& z_rows);

// Maps a column-major stats::Matrix to Eigen and back (copies).
Eigen::MatrixXd ToEigen(const Matrix& m);
Matrix FromEigen(const Eigen::MatrixXd& m);

}  // namespace tryghed::stats::internal
