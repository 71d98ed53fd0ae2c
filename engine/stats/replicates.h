#pragma once
// tryghed::stats — replicate-weight designs (R's as.svrepdesign and the
// svrep estimators): jackknife (JK1, JKn) and the Rao–Wu rescaled bootstrap,
// seeded and deterministic, with replicates computed on several threads
// without changing the result.
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
#include "stats/design.h"
#include "stats/estimators.h"
#include "stats/matrix.h"

namespace tryghed::stats {

enum class ReplicateType {
  kJK1,        // delete-one-PSU jackknife for unstratified designs
  kJKn,        // stratified delete-one-PSU jackknife
  kBootstrap,  // Rao–Wu rescaled bootstrap (R: type = "bootstrap")
};

struct ReplicateOptions {
  ReplicateType type = ReplicateType::kJKn;
  std::size_t replicates = 50;   // bootstrap only; jackknives have one per PSU
  std::uint64_t seed = 1;        // bootstrap only
  bool mse = false;              // centre the variance at the full-sample
                                 // estimate instead of the replicate mean
  unsigned threads = 0;          // 0: std::thread::hardware_concurrency()
  // Bootstrap only, for reproducing R exactly: the PSU multipliers R drew
  // (replicates × PSUs, column-major, PSUs in the design's PSU order). When
  // given, `replicates` and `seed` are ignored.
  const Matrix* multipliers = nullptr;
};

// A design with R replicate weight columns, a scale and per-replicate
// coefficients: Var = scale · Σ_r rscale_r (θ_r − θ̄)².
class ReplicateDesign {
 public:
  std::size_t size() const;
  std::size_t replicate_count() const;
  std::span<const double> weights() const;            // full-sample weights
  std::span<const double> replicate_weights(std::size_t r) const;
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
// JKn). Errors: JK1 on a stratified design, a stratum with one PSU for JKn,
// zero replicates.
core::Result<ReplicateDesign> MakeReplicates(const Design& design, const ReplicateOptions& options);

// Estimators with replicate variances; same contracts as estimators.h.
core::Result<Estimates> Total(const ReplicateDesign& design, Variables variables);
core::Result<Estimates> Mean(const ReplicateDesign& design, Variables variables);
core::Result<Estimates> MeanByDomain(const ReplicateDesign& design, Variables variables, Domains domains);
core::Result<Estimates> TotalByDomain(const ReplicateDesign& design, Variables variables, Domains domains);

// The replicate estimates θ_r of a Mean (replicates × estimates,
// column-major), for percentile intervals.
core::Result<Matrix> ReplicateMeans(const ReplicateDesign& design, Variables variables);

}  // namespace tryghed::stats
