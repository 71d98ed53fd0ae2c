#include "stats/proportion.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "stats/estimators.h"
#include "stats/internal/quantiles.h"
#include "stats/intervals.h"
#include "stats/replicates.h"

namespace tryghed::stats {

namespace {

using core::InvalidArgument;
using core::InvalidInput;
using core::Numerical;
using core::Result;
using core::Status;
using internal::QuantileT;

double Logit(double p) { return std::log(p / (1 - p)); }
double Expit(double x) { return 1 / (1 + std::exp(-x)); }

// R's spline(x, y, method = "fmm") coefficients (Forsythe, Malcolm and Moler:
// end conditions match the third derivatives of cubics through the first and
// last four points). x strictly increasing, n ≥ 2. 0-based port of the
// algorithm R's splines.c documents.
struct CubicSpline {
  std::vector<double> x, y, b, c, d;

  CubicSpline(std::vector<double> xs, std::vector<double> ys) : x(std::move(xs)), y(std::move(ys)) {
    const std::size_t n = x.size();
    b.assign(n, 0);
    c.assign(n, 0);
    d.assign(n, 0);
    if (n < 3) {
      b[0] = (y[1] - y[0]) / (x[1] - x[0]);
      b[1] = b[0];
      return;
    }
    const std::size_t nm1 = n - 1;  // 1-based index n-1 is 0-based n-2, etc.
    // 1-based arrays of the reference algorithm mapped by I(k) = k - 1.
    auto X = [&](std::size_t k) -> double& { return x[k - 1]; };
    auto Y = [&](std::size_t k) -> double& { return y[k - 1]; };
    auto B = [&](std::size_t k) -> double& { return b[k - 1]; };
    auto C = [&](std::size_t k) -> double& { return c[k - 1]; };
    auto D = [&](std::size_t k) -> double& { return d[k - 1]; };
    D(1) = X(2) - X(1);
    C(2) = (Y(2) - Y(1)) / D(1);
    for (std::size_t i = 2; i < n; ++i) {
      D(i) = X(i + 1) - X(i);
      B(i) = 2.0 * (D(i - 1) + D(i));
      C(i + 1) = (Y(i + 1) - Y(i)) / D(i);
      C(i) = C(i + 1) - C(i);
    }
    B(1) = -D(1);
    B(n) = -D(nm1);
    C(1) = C(n) = 0.0;
    if (n > 3) {
      C(1) = C(3) / (X(4) - X(2)) - C(2) / (X(3) - X(1));
      C(n) = C(nm1) / (X(n) - X(n - 2)) - C(n - 2) / (X(nm1) - X(n - 3));
      C(1) = C(1) * D(1) * D(1) / (X(4) - X(1));
      C(n) = -C(n) * D(nm1) * D(nm1) / (X(n) - X(n - 3));
    }
    for (std::size_t i = 2; i <= n; ++i) {
      const double t = D(i - 1) / B(i - 1);
      B(i) = B(i) - t * D(i - 1);
      C(i) = C(i) - t * C(i - 1);
    }
    C(n) = C(n) / B(n);
    for (std::size_t i = nm1; i >= 1; --i) C(i) = (C(i) - D(i) * C(i + 1)) / B(i);
    B(n) = (Y(n) - Y(n - 1)) / D(n - 1) + D(n - 1) * (C(n - 1) + 2.0 * C(n));
    for (std::size_t i = 1; i <= nm1; ++i) {
      B(i) = (Y(i + 1) - Y(i)) / D(i) - D(i) * (C(i + 1) + 2.0 * C(i));
      D(i) = (C(i + 1) - C(i)) / D(i);
      C(i) = 3.0 * C(i);
    }
    C(n) = 3.0 * C(n);
    D(n) = D(nm1);
  }

  double operator()(double u) const {
    const std::size_t n = x.size();
    std::size_t i = 0;
    if (u < x[0] || (n > 1 && x[1] < u)) {
      std::size_t j = n;
      i = 0;
      do {
        const std::size_t k = (i + j) / 2;
        if (u < x[k]) j = k; else i = k;
      } while (j > i + 1);
    }
    const double dx = u - x[i];
    return y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]));
  }
};

// R's approx(x, y, xout): linear interpolation after sorting by x and
// averaging the y of tied x; nullopt outside the range (rule = 1).
std::optional<double> Approx(std::vector<std::pair<double, double>> xy, double xout) {
  std::sort(xy.begin(), xy.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<double, double>> reg;
  for (std::size_t i = 0; i < xy.size();) {
    std::size_t j = i;
    double sum = 0;
    while (j < xy.size() && xy[j].first == xy[i].first) sum += xy[j++].second;
    reg.emplace_back(xy[i].first, sum / static_cast<double>(j - i));
    i = j;
  }
  if (reg.empty() || xout < reg.front().first || xout > reg.back().first) return std::nullopt;
  for (std::size_t i = 0; i + 1 < reg.size(); ++i) {
    if (xout <= reg[i + 1].first) {
      const auto [x0, y0] = reg[i];
      const auto [x1, y1] = reg[i + 1];
      if (x1 == x0) return y0;
      return y0 + (y1 - y0) * (xout - x0) / (x1 - x0);
    }
  }
  return reg.back().second;
}

// The sum of the final working weights of R's glm.fit (IRLS) for the
// intercept-only logistic model with prior weights W: they come from the
// iterate *before* the converged one, so summary.glm's cov.unscaled (R's
// naive.cov) is 1/Σ W μ_prev(1 − μ_prev), not 1/(n p̂(1 − p̂)). The design-effect
// ratio λ of confint.svyglm uses it; without this step the likelihood ends
// differ from R by up to ~1e-4 relative for small p. Start, update and stopping
// rule as glm.fit: mustart = (W y + 0.5)/(W + 1), |dev − devold|/(|dev| + 0.1) < 1e-8.
double GlmFinalWorkingWeightSum(const std::vector<double>& W, const std::vector<double>& y) {
  const std::size_t n = W.size();
  std::vector<double> mu(n), eta(n);
  for (std::size_t i = 0; i < n; ++i) {
    mu[i] = (W[i] * y[i] + 0.5) / (W[i] + 1);
    eta[i] = Logit(mu[i]);
  }
  auto deviance = [&](const std::vector<double>& m) {
    double d = 0;
    for (std::size_t i = 0; i < n; ++i) d += -2 * W[i] * (y[i] == 1 ? std::log(m[i]) : std::log1p(-m[i]));
    return d;
  };
  double devold = deviance(mu);
  double sum_w2 = 0;
  for (int iter = 0; iter < 25; ++iter) {
    double swz = 0;
    sum_w2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double v = mu[i] * (1 - mu[i]);
      const double z = eta[i] + (y[i] - mu[i]) / v;
      const double w2 = W[i] * v;
      sum_w2 += w2;
      swz += w2 * z;
    }
    const double b = swz / sum_w2;
    std::fill(eta.begin(), eta.end(), b);
    std::fill(mu.begin(), mu.end(), Expit(b));
    const double dev = deviance(mu);
    if (std::abs(dev - devold) / (std::abs(dev) + 0.1) < 1e-8) break;
    devold = dev;
  }
  return sum_w2;
}

// R's svyciprop(method = "likelihood"): confint.svyglm(method = "likelihood")
// on the quasibinomial intercept-only svyglm, i.e. MASS's profile.glm and
// confint.profile.glm at a level adjusted for the design effect:
//   λ = design variance of β / model variance = se_β² · Σ W μ_prev(1−μ_prev)
//       (≈ n·se²/(p(1−p)); see GlmFinalWorkingWeightSum),
//   level' = 1 − 2·Φ(qt(α/2, df)·√λ),
//   profile β̂ ± k·δ·se_β, k = 1..9 while |z| < zmax = √qf(1 − (1−level')/4, 1, n−1),
//   δ = zmax/5, z = sign·√((D(β) − D(β̂))/φ), φ = n/(n−1) (svyvar of Pearson residuals),
//   D(β) = −2 Σ W [y log μ + (1−y) log(1−μ)], W = w / mean(w);
// then an fmm spline through (β, z) on 3·(points) grid values and linear
// interpolation of β at z = ±qnorm((1−level')/2).
Result<std::pair<double, double>> LikelihoodInterval(double p, double se, double df, double level,
                                                     std::size_t n, double s1, double s0, double naive_inverse) {
  const double nn = static_cast<double>(n);
  if (n < 2) return Numerical("likelihood interval: needs at least 2 units");
  const double beta_hat = Logit(p);
  const double se_beta = se / (p * (1 - p));
  const double lambda = se_beta * se_beta * naive_inverse;
  auto qt = QuantileT((1 - level) / 2, df);
  if (!qt.ok()) return qt.status();
  const double adj_level =
      1 - 2 * boost::math::cdf(boost::math::normal_distribution<double>(), *qt * std::sqrt(lambda));
  if (!(adj_level > 0 && adj_level < 1)) return Numerical("likelihood interval: the adjusted level is not in (0, 1)");
  auto f = internal::QuantileF(1 - (1 - adj_level) / 4, 1, nn - 1);
  if (!f.ok()) return f.status();
  const double zmax = std::sqrt(*f);
  const double del = zmax / 5;
  const double dispersion = nn / (nn - 1);
  auto deviance = [&](double b) {
    const double mu = Expit(b);
    return -2 * (s1 * std::log(mu) + s0 * std::log1p(-mu));
  };
  const double d0 = deviance(beta_hat);
  std::vector<std::pair<double, double>> points = {{0.0, beta_hat}};  // (z, β)
  for (int sgn : {-1, 1}) {
    int step = 0;
    double z = 0;
    while (++step < 10 && std::abs(z) < zmax) {
      const double bi = beta_hat + sgn * step * del * se_beta;
      double zz = (deviance(bi) - d0) / dispersion;
      zz = std::max(zz, 0.0);
      z = sgn * std::sqrt(zz);
      points.emplace_back(z, bi);
    }
  }
  std::sort(points.begin(), points.end());
  // spline(x = β, y = z): regularise (sort by β, average ties), 3·length points.
  std::vector<std::pair<double, double>> bz;
  for (const auto& [z, b] : points) bz.emplace_back(b, z);
  std::sort(bz.begin(), bz.end());
  std::vector<double> xs, ys;
  for (std::size_t i = 0; i < bz.size();) {
    std::size_t j = i;
    double sum = 0;
    while (j < bz.size() && bz[j].first == bz[i].first) sum += bz[j++].second;
    xs.push_back(bz[i].first);
    ys.push_back(sum / static_cast<double>(j - i));
    i = j;
  }
  if (xs.size() < 2) return Numerical("likelihood interval: the profile is degenerate");
  const CubicSpline spline(xs, ys);
  const std::size_t grid = 3 * points.size();
  const double from = xs.front(), to = xs.back();
  const double by = (to - from) / static_cast<double>(grid - 1);
  std::vector<std::pair<double, double>> zb;  // (spline z, β)
  for (std::size_t i = 0; i < grid; ++i) {
    const double u = i + 1 == grid ? to : from + static_cast<double>(i) * by;
    zb.emplace_back(spline(u), u);
  }
  const double cut = boost::math::quantile(boost::math::normal_distribution<double>(), (1 - adj_level) / 2);
  const auto lo = Approx(zb, cut);
  const auto hi = Approx(zb, -cut);
  if (!lo || !hi) return Numerical("likelihood interval: the profile does not reach the interval ends");
  return std::make_pair(Expit(*lo), Expit(*hi));
}

}  // namespace

Result<ProportionMethod> ParseProportionMethod(std::string_view name) {
  static constexpr std::pair<const char*, ProportionMethod> kNames[] = {
      {"logit", ProportionMethod::kLogit},   {"likelihood", ProportionMethod::kLikelihood},
      {"asin", ProportionMethod::kAsin},     {"beta", ProportionMethod::kBeta},
      {"mean", ProportionMethod::kMean},     {"xlogit", ProportionMethod::kXlogit},
      {"wilson", ProportionMethod::kWilson}, {"clopper-pearson", ProportionMethod::kClopperPearson},
  };
  for (const auto& [n, m] : kNames) {
    if (name == n) return m;
  }
  return InvalidArgument("unknown proportion method \"" + std::string(name) +
                         "\"; choose logit, likelihood, asin, beta, mean, xlogit, wilson or clopper-pearson");
}

const char* ProportionMethodName(ProportionMethod method) {
  switch (method) {
    case ProportionMethod::kLogit: return "logit";
    case ProportionMethod::kLikelihood: return "likelihood";
    case ProportionMethod::kAsin: return "asin";
    case ProportionMethod::kBeta: return "beta";
    case ProportionMethod::kMean: return "mean";
    case ProportionMethod::kXlogit: return "xlogit";
    case ProportionMethod::kWilson: return "wilson";
    case ProportionMethod::kClopperPearson: return "clopper-pearson";
  }
  return "?";
}

namespace {

// The proportion, its standard error, the standard error of its logit (R's
// logit and likelihood methods use svyglm's variance of the intercept) and
// the subset's degrees of freedom, from one kind of design.
struct Moments {
  double p = 0, se = 0, se_logit = 0, df = 0;
};

// Sums over the units of one domain with a value (0/1 checked by the caller).
struct DomainSums {
  std::size_t n = 0;
  double sw = 0, sw2 = 0, s1 = 0, x_count = 0;
  double first_weight = -1;              // the first unit's weight
  std::size_t unequal_row = SIZE_MAX;    // first unit whose weight differs from it
  void Add(std::size_t row, double w, double y) {
    ++n;
    sw += w;
    sw2 += w * w;
    s1 += w * y;
    x_count += y;
    if (first_weight < 0) first_weight = w;
    if (unequal_row == SIZE_MAX && std::abs(w - first_weight) > 1e-12 * first_weight) unequal_row = row;
  }
};

// Checks a 0/1 value; InvalidInput naming the row otherwise.
core::Status CheckZeroOne(std::size_t row, double y) {
  if (y == 0 || y == 1) return Status::Ok();
  return InvalidInput("proportion: row " + std::to_string(row + 1) + " has value " + std::to_string(y) +
                      "; a proportion needs 0/1 values");
}

core::Status CheckOptions(const ProportionOptions& options) {
  if (!(options.level > 0 && options.level < 1)) {
    return InvalidArgument("proportion: level " + std::to_string(options.level) + " must lie strictly between 0 and 1");
  }
  if (options.df && !(*options.df > 0)) {
    return InvalidArgument("proportion: degrees of freedom " + std::to_string(*options.df) + " must be positive");
  }
  return Status::Ok();
}

// The interval of one domain from its sums and moments. `likelihood_sum()`
// gives GlmFinalWorkingWeightSum of the domain's units (method likelihood).
template <class LikelihoodSum>
Result<ProportionResult> IntervalFor(const DomainSums& sums, const Moments& m, const ProportionOptions& options,
                                     LikelihoodSum likelihood_sum) {
  const std::size_t n = sums.n;
  ProportionResult r;
  r.estimate = m.p;
  r.se = m.se;
  r.n = n;
  r.n_effective = sums.sw * sums.sw / sums.sw2;
  const double subset_df = m.df;
  r.df = options.df ? *options.df : subset_df;
  const double p = r.estimate;
  const double alpha = 1 - options.level;
  const bool boundary = p <= 0 || p >= 1;
  const ProportionMethod method = options.method;
  const bool uses_t = method != ProportionMethod::kWilson && method != ProportionMethod::kClopperPearson;
  if (uses_t && !(r.df > 0)) {
    return Numerical("proportion: the domain has " + std::to_string(subset_df) +
                     " degrees of freedom (PSUs minus strata); a t interval needs at least 1");
  }
  if (boundary && (method == ProportionMethod::kLogit || method == ProportionMethod::kXlogit ||
                   method == ProportionMethod::kLikelihood || method == ProportionMethod::kAsin)) {
    return Numerical(std::string("proportion: the estimate is exactly ") + (p <= 0 ? "0" : "1") + ", where method " +
                     ProportionMethodName(method) + " has no interval; use beta, wilson or clopper-pearson");
  }
  auto q = QuantileT(1 - alpha / 2, r.df);
  if (!q.ok()) return q.status();
  switch (method) {
    case ProportionMethod::kMean:
      r.lower = p - *q * r.se;
      r.upper = p + *q * r.se;
      break;
    case ProportionMethod::kLogit:
    case ProportionMethod::kXlogit: {
      const double se_l = method == ProportionMethod::kLogit ? m.se_logit : r.se / (p * (1 - p));
      r.lower = Expit(Logit(p) - *q * se_l);
      r.upper = Expit(Logit(p) + *q * se_l);
      break;
    }
    case ProportionMethod::kAsin: {
      const double t = std::asin(std::sqrt(p));
      const double se_t = r.se / (2 * std::sqrt(p * (1 - p)));
      r.lower = std::pow(std::sin(t - *q * se_t), 2);  // as R: sin(.)^2 of the Wald ends
      r.upper = std::pow(std::sin(t + *q * se_t), 2);
      break;
    }
    case ProportionMethod::kBeta: {
      const double design_df = subset_df;
      if (n < 2) return Numerical("proportion: method beta needs at least 2 units in the domain");
      double n_eff = static_cast<double>(n);
      if (r.se > 0 && !boundary) {
        auto qn = QuantileT(alpha / 2, static_cast<double>(n) - 1);
        auto qd = QuantileT(alpha / 2, design_df);
        if (!qn.ok()) return qn.status();
        if (!qd.ok()) return qd.status();
        n_eff = p * (1 - p) / (r.se * r.se) * std::pow(*qn / *qd, 2);
      }
      auto lo = internal::QuantileBeta(alpha / 2, n_eff * p, n_eff * (1 - p) + 1);
      auto hi = internal::QuantileBeta(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p));
      if (!lo.ok()) return lo.status();
      if (!hi.ok()) return hi.status();
      r.lower = *lo;
      r.upper = *hi;
      break;
    }
    case ProportionMethod::kLikelihood: {
      if (r.se <= 0) {
        r.lower = r.upper = p;
        break;
      }
      const double mean_w = sums.sw / static_cast<double>(n);
      auto ci = LikelihoodInterval(p, m.se_logit * p * (1 - p), r.df, options.level, n, sums.s1 / mean_w,
                                   (sums.sw - sums.s1) / mean_w, likelihood_sum());
      if (!ci.ok()) return ci.status();
      r.lower = ci->first;
      r.upper = ci->second;
      break;
    }
    case ProportionMethod::kWilson: {
      auto w = WilsonInterval(p, r.n_effective, options.level);
      if (!w.ok()) return w.status();
      r.lower = w->lower;
      r.upper = w->upper;
      break;
    }
    case ProportionMethod::kClopperPearson: {
      if (sums.unequal_row != SIZE_MAX) {
        return InvalidArgument("proportion: clopper-pearson is for unweighted data, but row " +
                               std::to_string(sums.unequal_row + 1) +
                               " has a different weight; use beta (Korn–Graubard) for weighted data");
      }
      auto cp = ClopperPearsonInterval(static_cast<std::int64_t>(sums.x_count), static_cast<std::int64_t>(n),
                                       options.level);
      if (!cp.ok()) return cp.status();
      r.lower = cp->lower;
      r.upper = cp->upper;
      break;
    }
  }
  if (!std::isfinite(r.lower) || !std::isfinite(r.upper) || !std::isfinite(r.se)) {
    return Numerical(std::string("proportion: method ") + ProportionMethodName(method) + " gave no finite interval");
  }
  return r;
}

// GlmFinalWorkingWeightSum of the units where used(i): weights scaled to
// mean 1 over those units.
template <class Used>
double LikelihoodSum(std::span<const double> weights, std::span<const double> y, double sw, std::size_t n, Used used) {
  const double mean_w = sw / static_cast<double>(n);
  std::vector<double> W, yy;
  W.reserve(n);
  yy.reserve(n);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (!used(i)) continue;
    W.push_back(weights[i] / mean_w);
    yy.push_back(y[i]);
  }
  return GlmFinalWorkingWeightSum(W, yy);
}

// CiProportion for any design: `estimate(dom, used)` gives the Moments of
// the units with dom[i] == 0 (used[i] true).
template <class Estimate>
Result<ProportionResult> CiProportionWith(std::span<const double> weights, std::span<const double> y,
                                          std::span<const bool> in_domain, const ProportionOptions& options,
                                          Estimate estimate) {
  const std::size_t n_all = weights.size();
  if (y.size() != n_all) {
    return InvalidArgument("proportion: the variable has " + std::to_string(y.size()) + " values, the design " +
                           std::to_string(n_all) + " units");
  }
  if (!in_domain.empty() && in_domain.size() != n_all) {
    return InvalidArgument("proportion: the domain has " + std::to_string(in_domain.size()) + " values, the design " +
                           std::to_string(n_all) + " units");
  }
  TRYGHED_RETURN_IF_ERROR(CheckOptions(options));
  std::vector<std::int64_t> dom(n_all, -1);
  std::unique_ptr<bool[]> used(new bool[n_all]);
  DomainSums sums;
  for (std::size_t i = 0; i < n_all; ++i) {
    used[i] = false;
    if (!in_domain.empty() && !in_domain[i]) continue;
    if (std::isnan(y[i])) continue;
    TRYGHED_RETURN_IF_ERROR(CheckZeroOne(i, y[i]));
    used[i] = true;
    dom[i] = 0;
    sums.Add(i, weights[i], y[i]);
  }
  if (sums.n == 0) return Numerical("proportion: no unit in the domain has a value; nothing to estimate");
  const Result<Moments> m = estimate(std::span<const std::int64_t>(dom), std::span<const bool>(used.get(), n_all));
  if (!m.ok()) return m.status();
  return IntervalFor(sums, *m, options, [&] {
    return LikelihoodSum(weights, y, sums.sw, sums.n, [&](std::size_t i) { return used[i]; });
  });
}

}  // namespace

Result<ProportionResult> CiProportion(const Design& design, std::span<const double> y,
                                      std::span<const bool> in_domain, const ProportionOptions& options) {
  return CiProportionWith(design.weights(), y, in_domain, options,
                          [&](std::span<const std::int64_t> dom, std::span<const bool> used) -> Result<Moments> {
                            const std::span<const double> vars[1] = {y};
                            auto mean = MeanByDomain(design, vars, Domains{dom, 1});
                            if (!mean.ok()) return mean.status();
                            Moments mo;
                            mo.p = mean->estimate[0];
                            mo.se = mean->StandardErrors()[0];
                            mo.se_logit = mo.se / (mo.p * (1 - mo.p));
                            mo.df = SubsetDf(design, used);
                            return mo;
                          });
}

Result<ProportionResult> CiProportion(const ReplicateDesign& design, std::span<const double> y,
                                      std::span<const bool> in_domain, const ProportionOptions& options) {
  if (options.method == ProportionMethod::kLikelihood) {
    return InvalidArgument(
        "proportion: method likelihood has no replicate-weight version (R's svyciprop gives NA on a replicate "
        "design); use logit or beta, or drop --replicates");
  }
  return CiProportionWith(design.weights(), y, in_domain, options,
                          [&](std::span<const std::int64_t> dom, std::span<const bool> used) -> Result<Moments> {
                            const std::span<const double> vars[1] = {y};
                            const Domains domains{dom, 1};
                            auto mean = MeanByDomain(design, vars, domains);
                            if (!mean.ok()) return mean.status();
                            Moments mo;
                            mo.p = mean->estimate[0];
                            mo.se = mean->StandardErrors()[0];
                            mo.df = SubsetDf(design, used);
                            if (mo.p > 0 && mo.p < 1) {
                              // svyglm's intercept in every replicate: the logit of the replicate mean.
                              auto reps = ReplicateMeansByDomain(design, vars, domains);
                              if (!reps.ok()) return reps.status();
                              for (double& v : reps->values) v = std::isnan(v) ? v : Logit(v);
                              auto v = ReplicateVariance(design, {Logit(mo.p)}, *reps);
                              if (!v.ok()) {
                                return Numerical("proportion: the logit is undefined in a replicate (its proportion is "
                                                 "0 or 1); use method mean, beta or wilson");
                              }
                              mo.se_logit = v->StandardErrors()[0];
                            }
                            return mo;
                          });
}

namespace {

// CiProportionByDomain, from `known_mean` and `known_df` when given (see
// the header's second overload).
std::vector<Result<ProportionResult>> ProportionsByDomain(const Design& design, std::span<const double> y,
                                                         Domains domains, const ProportionOptions& options,
                                                         const Estimates* known_mean,
                                                         std::span<const double> known_df) {
  const std::size_t D = domains.domain_count;
  auto all = [&](const core::Status& s) { return std::vector<Result<ProportionResult>>(D, s); };
  const std::size_t n_all = design.size();
  const auto weights = design.weights();
  if (y.size() != n_all) {
    return all(InvalidArgument("proportion: the variable has " + std::to_string(y.size()) + " values, the design " +
                               std::to_string(n_all) + " units"));
  }
  if (domains.domain.size() != n_all) {
    return all(InvalidArgument("proportion: the domains have " + std::to_string(domains.domain.size()) +
                               " values, the design " + std::to_string(n_all) + " units"));
  }
  if (core::Status s = CheckOptions(options); !s.ok()) return all(s);
  // Units with a value in each domain; domains without one are left out of
  // the single MeanByDomain call.
  std::vector<DomainSums> sums(D);
  for (std::size_t i = 0; i < n_all; ++i) {
    const std::int64_t d = domains.domain[i];
    if (d < 0 || std::isnan(y[i])) continue;
    if (d >= static_cast<std::int64_t>(D)) {
      return all(InvalidArgument("proportion: row " + std::to_string(i + 1) + " has domain " + std::to_string(d) +
                                 ", outside 0.." + std::to_string(D) + "-1"));
    }
    if (core::Status s = CheckZeroOne(i, y[i]); !s.ok()) return all(s);
    sums[static_cast<std::size_t>(d)].Add(i, weights[i], y[i]);
  }
  std::vector<std::int64_t> compact(D, -1);
  std::size_t with_value = 0;
  for (std::size_t d = 0; d < D; ++d) {
    if (sums[d].n > 0) compact[d] = static_cast<std::int64_t>(with_value++);
  }
  std::vector<std::int64_t> dom(n_all, -1);
  for (std::size_t i = 0; i < n_all; ++i) {
    const std::int64_t d = domains.domain[i];
    if (d >= 0 && !std::isnan(y[i])) dom[i] = compact[static_cast<std::size_t>(d)];
  }
  std::optional<Estimates> mean;
  std::vector<double> df;
  if (known_mean != nullptr) {
    if (with_value != D || known_mean->estimate.size() != D || known_df.size() != D) {
      return all(InvalidArgument("proportion: the estimates given are for " + std::to_string(known_mean->estimate.size()) +
                                 " domains, " + std::to_string(with_value) + " of " + std::to_string(D) +
                                 " domains have a value"));
    }
    mean = *known_mean;
    df.assign(known_df.begin(), known_df.end());
  } else if (with_value > 0) {
    const std::span<const double> vars[1] = {y};
    auto m = MeanByDomain(design, vars, Domains{dom, with_value});
    if (!m.ok()) return all(m.status());
    mean = std::move(m).value();
    df = SubsetDfByDomain(design, Domains{dom, with_value});
  }
  std::vector<Result<ProportionResult>> out;
  out.reserve(D);
  for (std::size_t d = 0; d < D; ++d) {
    if (compact[d] < 0) {
      out.push_back(Numerical("proportion: no unit in the domain has a value; nothing to estimate"));
      continue;
    }
    const auto c = static_cast<std::size_t>(compact[d]);
    Moments mo;
    mo.p = mean->estimate[c];
    mo.se = std::sqrt(std::max(0.0, mean->covariance(c, c)));
    mo.se_logit = mo.se / (mo.p * (1 - mo.p));
    mo.df = df[c];
    out.push_back(IntervalFor(sums[d], mo, options, [&] {
      return LikelihoodSum(weights, y, sums[d].sw, sums[d].n,
                           [&](std::size_t i) { return dom[i] == static_cast<std::int64_t>(c); });
    }));
  }
  return out;
}

}  // namespace

std::vector<Result<ProportionResult>> CiProportionByDomain(const Design& design, std::span<const double> y,
                                                          Domains domains, const ProportionOptions& options) {
  return ProportionsByDomain(design, y, domains, options, nullptr, {});
}

std::vector<Result<ProportionResult>> CiProportionByDomain(const Design& design, std::span<const double> y,
                                                          Domains domains, const ProportionOptions& options,
                                                          const Estimates& mean, std::span<const double> df) {
  return ProportionsByDomain(design, y, domains, options, &mean, df);
}

}  // namespace tryghed::stats
