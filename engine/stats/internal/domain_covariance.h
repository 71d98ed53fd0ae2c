#pragma once
// Internal to tryghed::stats: the covariance of domain totals computed in
// one streaming pass, without the dense n × (domains·k) matrix of linearised
// values. Each unit contributes k values to one domain; the covariance is
// the stratified between-PSU covariance of Design::TotalCovariance over the
// (domains·k) columns, ordered domain-major.
//
// Uncalibrated designs: per stratum × domain cell a running mean and
// co-moment (Welford), so memory is O(cells · k²) and the pass is
// O(n · k²); clustered designs first sum units into PSU × domain totals.
// Calibrated designs whose calibration groups lie within strata (the
// evaluation rakes every wave × area cell to its own margins): the values of
// each unit are kept (O(n · k)), and Finish residualizes stratum by stratum a
// block of the stratum's units × the domains that occur in it, so memory is
// O(n · k + largest stratum × its domains · k). Other calibrated designs
// (GREG, groups across strata) need the residuals of every column over all
// units and fall back to the dense n × (domains·k) matrix. Either way a block
// above kMaxDenseCells cells is refused.
//
// FinishVariances gives only the diagonal (the variances), without the
// (domains·k)² matrix: for calls over thousands of domains whose covariances
// are not used. Its values are those of Finish's diagonal, bit for bit.
//
// Usage:
//   DomainCovarianceAccumulator acc(design.data(), domain_count, k);
//   for (each unit i in a domain) acc.Add(i, domain_of_i, values_of_i);
//   Result<Matrix> v = acc.Finish();   // or acc.FinishVariances()
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "stats/internal/design_data.h"
#include "stats/matrix.h"

namespace tryghed::stats::internal {

inline constexpr double kMaxDenseCells = 4e8;

class DomainCovarianceAccumulator {
 public:
  DomainCovarianceAccumulator(const DesignData& design, std::size_t domain_count, std::size_t k);

  // Adds the k linearised values (already weighted) of `unit` to `domain`.
  // Each unit is added at most once.
  void Add(std::size_t unit, std::size_t domain, const double* values);

  // The (domain_count·k)² covariance. Unavailable when a calibrated design
  // would need too large a dense matrix; Numerical when not finite or when
  // every stratum is a lonely PSU under kAverage.
  core::Result<Matrix> Finish();

  // The (domain_count·k) variances only (the diagonal of Finish()).
  core::Result<std::vector<double>> FinishVariances();

 private:
  // Where Finish writes: the full column-major matrix, or its diagonal.
  struct Sink {
    std::size_t size;
    bool diagonal;
    std::vector<double> values;  // size² or size
    Sink(std::size_t k, bool diagonal_only) : size(k), diagonal(diagonal_only), values(diagonal_only ? k : k * k, 0.0) {}
    void Add(std::size_t r, std::size_t c, double x) {
      if (!diagonal) {
        values[c * size + r] += x;
      } else if (r == c) {
        values[r] += x;
      }
    }
  };
  struct Cell {          // one stratum × domain
    std::size_t stratum;
    std::size_t domain;
    std::size_t count = 0;            // PSUs of the stratum with an entry in the domain
    std::vector<double> sum;          // k: Σ t
    std::vector<double> mean;         // k: running mean of t over those PSUs
    std::vector<double> comoment;     // k × k lower triangle: Σ (t − mean)(t − mean)ᵀ
  };
  void AddEntry(std::size_t psu, std::size_t domain, const double* t);

  core::Status FinishInto(Sink& v);
  core::Status FinishByStratum(Sink& v);
  core::Status FinishStreamed(Sink& v);

  const DesignData& design_;
  std::size_t domain_count_;
  std::size_t k_;
  bool by_stratum_;                                    // calibrated within strata
  std::vector<std::int64_t> unit_domain_;              // by stratum: per unit, -1 = not added
  std::vector<double> unit_values_;                    // by stratum: n × k
  bool dense_;
  std::vector<double> dense_z_;                        // calibrated: n × (D·k), column-major
  std::unordered_map<std::uint64_t, std::size_t> psu_entry_;  // clustered: psu·D + domain -> entry
  std::vector<std::size_t> entry_psu_, entry_domain_;
  std::vector<double> entry_total_;                    // clustered: entries × k
  std::unordered_map<std::uint64_t, std::size_t> cell_index_;  // stratum·D + domain -> cell
  std::vector<Cell> cells_;
  std::uint64_t last_cell_key_ = UINT64_MAX;
  std::size_t last_cell_ = 0;
  std::vector<double> delta_;
};

}  // namespace tryghed::stats::internal
