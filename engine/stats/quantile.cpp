#include "stats/quantile.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "stats/estimators.h"
#include "stats/internal/quantiles.h"
#include "stats/replicates.h"

namespace tryghed::stats {

namespace {

// R's qrule_math over sorted (x, w) pairs with distinct x: the smallest x
// whose cumulative weight share is ≥ p.
double QruleMath(const std::vector<std::pair<double, double>>& xw, double total, double p) {
  double cum = 0;
  for (const auto& [x, w] : xw) {
    cum += w;
    if (cum / total >= p) return x;
  }
  return xw.back().first;
}

// Quantile for a Design or a ReplicateDesign (their MeanByDomain and
// SubsetDf give the Woodruff variance and the df).
template <class AnyDesign>
core::Result<QuantileResult> QuantileOf(const AnyDesign& design, std::span<const double> x,
                                        std::span<const bool> in_domain, double p, const QuantileOptions& options) {
  const std::size_t n_all = design.size();
  if (x.size() != n_all || (!in_domain.empty() && in_domain.size() != n_all)) {
    return core::InvalidArgument("quantile: the variable and domain need one value per unit (" +
                                 std::to_string(n_all) + ")");
  }
  if (!(p > 0 && p < 1)) return core::InvalidArgument("quantile: probability " + std::to_string(p) + " must lie in (0, 1)");
  if (!(options.level > 0 && options.level < 1)) return core::InvalidArgument("quantile: level must lie in (0, 1)");
  if (options.df && !(*options.df > 0)) return core::InvalidArgument("quantile: df must be positive");
  const auto w = design.weights();
  std::unique_ptr<bool[]> used(new bool[n_all]);
  std::vector<std::pair<double, double>> xw;
  for (std::size_t i = 0; i < n_all; ++i) {
    used[i] = (in_domain.empty() || in_domain[i]) && !std::isnan(x[i]);
    if (!used[i]) continue;
    if (!std::isfinite(x[i])) {
      return core::InvalidInput("quantile: row " + std::to_string(i + 1) + " has an infinite value");
    }
    if (w[i] > 0) xw.emplace_back(x[i], w[i]);
  }
  QuantileResult r;
  r.probability = p;
  r.n = xw.size();
  if (xw.empty()) return core::Numerical("quantile: no unit in the domain has a value; nothing to estimate");
  std::sort(xw.begin(), xw.end());
  std::vector<std::pair<double, double>> merged;  // rowsum(w, x)
  double total = 0;
  for (const auto& [xi, wi] : xw) {
    total += wi;
    if (!merged.empty() && merged.back().first == xi) merged.back().second += wi;
    else merged.emplace_back(xi, wi);
  }
  r.estimate = QruleMath(merged, total, p);
  r.df = options.df ? *options.df : SubsetDf(design, std::span<const bool>(used.get(), n_all));
  if (!(r.df > 0)) return core::Numerical("quantile: the domain has no degrees of freedom (PSUs − strata ≤ 0)");
  // Woodruff: the domain mean of 1{x ≤ q̂}.
  std::vector<double> below(n_all, kMissing);
  std::vector<std::int64_t> dom(n_all, -1);
  for (std::size_t i = 0; i < n_all; ++i) {
    if (!used[i]) continue;
    below[i] = x[i] <= r.estimate ? 1.0 : 0.0;
    dom[i] = 0;
  }
  const std::span<const double> vars[1] = {below};
  auto m = MeanByDomain(design, vars, Domains{dom, 1});
  if (!m.ok()) return m.status();
  auto q = internal::QuantileT(1 - (1 - options.level) / 2, r.df);
  if (!q.ok()) return q.status();
  const double pm = m->estimate[0];
  const double half = *q * m->StandardErrors()[0];
  const double lo = pm - half, hi = pm + half;
  r.lower_clamped = lo < 0;
  r.upper_clamped = hi > 1;
  r.lower = r.lower_clamped ? merged.front().first : QruleMath(merged, total, lo);
  r.upper = r.upper_clamped ? merged.back().first : QruleMath(merged, total, hi);
  r.se = (r.upper - r.lower) / (2 * *q);
  return r;
}

}  // namespace

core::Result<QuantileResult> Quantile(const Design& design, std::span<const double> x,
                                      std::span<const bool> in_domain, double p, const QuantileOptions& options) {
  return QuantileOf(design, x, in_domain, p, options);
}

core::Result<QuantileResult> Quantile(const ReplicateDesign& design, std::span<const double> x,
                                      std::span<const bool> in_domain, double p, const QuantileOptions& options) {
  return QuantileOf(design, x, in_domain, p, options);
}

}  // namespace tryghed::stats
