#include "stats/design_effect.h"

#include <cmath>
#include <string>
#include <vector>

#include "stats/estimators.h"

namespace tryghed::stats {

core::Result<double> MeanDesignEffect(const Design& design, std::span<const double> y,
                                      std::span<const bool> in_domain) {
  const std::size_t n_all = design.size();
  if (y.size() != n_all || (!in_domain.empty() && in_domain.size() != n_all)) {
    return core::InvalidArgument("design effect: the variable and domain need one value per unit (" +
                                 std::to_string(n_all) + ")");
  }
  const auto w = design.weights();
  std::vector<std::int64_t> dom(n_all, -1);
  double sw = 0, swx = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    if ((!in_domain.empty() && !in_domain[i]) || std::isnan(y[i])) continue;
    dom[i] = 0;
    ++n;
    sw += w[i];
    swx += w[i] * y[i];
  }
  if (n < 2) return core::Numerical("design effect: the domain has fewer than 2 units with a value");
  const double mean = swx / sw;
  double ss = 0;
  for (std::size_t i = 0; i < n_all; ++i) {
    if (dom[i] == 0) ss += w[i] * (y[i] - mean) * (y[i] - mean);
  }
  const double nn = static_cast<double>(n);
  const double s2 = ss / sw * nn / (nn - 1);
  if (!(sw > nn)) {
    return core::Numerical("design effect: the weights sum to " + std::to_string(sw) + ", not more than the " +
                           std::to_string(n) + " units, so there is no SRSWOR reference (weights not scaled to a population?)");
  }
  const double v_srs = s2 * (sw - nn) / (sw * nn);
  if (!(v_srs > 0)) return core::Numerical("design effect: the variable does not vary in the domain");
  const std::span<const double> vars[1] = {y};
  auto m = MeanByDomain(design, vars, Domains{dom, 1});
  if (!m.ok()) return m.status();
  const double d = m->covariance(0, 0) / v_srs;
  if (!std::isfinite(d)) return core::Numerical("design effect: not finite");
  return d;
}

double KishEffectiveSize(std::span<const double> weights) {
  double s = 0, s2 = 0;
  for (double w : weights) {
    s += w;
    s2 += w * w;
  }
  return s2 > 0 ? s * s / s2 : 0.0;
}

}  // namespace tryghed::stats
