#include "stats/reliability.h"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "stats/internal/format.h"
#include "stats/internal/parallel.h"
#include "stats/internal/random.h"

namespace tryghed::stats {
namespace {

// The item covariance matrix and the n that goes with it.
struct Covariance {
  Eigen::MatrixXd c;
  std::size_t n = 0;
};

std::string ItemName(std::size_t j) { return "item " + std::to_string(j + 1); }

core::Status CheckShape(std::span<const double> values, std::size_t k) {
  if (k < 2) return core::InvalidArgument("reliability needs at least 2 items (got " + std::to_string(k) + ")");
  if (values.size() % k != 0) {
    return core::InvalidArgument("the item matrix has " + std::to_string(values.size()) +
                                 " values, which is not a whole number of rows of " + std::to_string(k) + " items");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::isinf(values[i])) {
      return core::InvalidInput("respondent " + std::to_string(i / k + 1) + ", " + ItemName(i % k) +
                                " is infinite; use NaN for a missing answer");
    }
  }
  return core::Status::Ok();
}

core::Result<Covariance> ItemCovariance(std::span<const double> values, std::size_t k, MissingItems missing) {
  TRYGHED_RETURN_IF_ERROR(CheckShape(values, k));
  const std::size_t rows = values.size() / k;
  const auto at = [&](std::size_t i, std::size_t j) { return values[i * k + j]; };
  std::vector<char> complete(rows, 1);  // row answered every item
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < k && complete[i]; ++j) complete[i] = !std::isnan(at(i, j));
  }
  const auto complete_row = [&](std::size_t i) { return complete[i] != 0; };
  Covariance out;
  const auto kk = static_cast<Eigen::Index>(k);
  if (missing == MissingItems::kCompleteCases) {
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < rows; ++i) {
      if (complete_row(i)) keep.push_back(i);
    }
    if (keep.size() < 2) {
      return core::Numerical("only " + std::to_string(keep.size()) +
                             " respondent(s) answered every item; reliability needs at least 2");
    }
    // Row-major copy (the input's layout), centred, then C = X'X / (n − 1).
    // Row-wise loops only: column-wise passes over a row-major matrix of a
    // million rows cost more than the product itself.
    std::vector<double> mean(k, 0.0);
    for (std::size_t r : keep) {
      for (std::size_t j = 0; j < k; ++j) mean[j] += at(r, j);
    }
    for (double& v : mean) v /= static_cast<double>(keep.size());
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> x(static_cast<Eigen::Index>(keep.size()), kk);
    for (std::size_t r = 0; r < keep.size(); ++r) {
      double* row = x.row(static_cast<Eigen::Index>(r)).data();
      for (std::size_t j = 0; j < k; ++j) row[j] = at(keep[r], j) - mean[j];
    }
    out.c = Eigen::MatrixXd::Zero(kk, kk);
    out.c.selfadjointView<Eigen::Lower>().rankUpdate(x.transpose());
    out.c = out.c.selfadjointView<Eigen::Lower>();
    out.c /= static_cast<double>(keep.size() - 1);
    out.n = keep.size();
  } else {
    if (rows < 2) return core::Numerical("reliability needs at least 2 respondents (got " + std::to_string(rows) + ")");
    // R's cov(use = "pairwise"): for items a, b the means and the divisor come
    // from the rows answering both. With z = x − (item mean over its answers),
    // 0 where missing, and m the 0/1 answered indicator, per pair
    //   n_ab = Σ m_a m_b,  S_ab = Σ z_a z_b,  s_a|b = Σ z_a m_b,
    //   cov_ab = (S_ab − s_a|b · s_b|a / n_ab) / (n_ab − 1),
    // all four as matrix products. Centring first keeps the subtraction benign.
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> z(static_cast<Eigen::Index>(rows), kk);
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m(static_cast<Eigen::Index>(rows), kk);
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(kk), count = Eigen::VectorXd::Zero(kk);
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < k; ++j) {
        if (std::isnan(at(i, j))) continue;
        sum(static_cast<Eigen::Index>(j)) += at(i, j);
        count(static_cast<Eigen::Index>(j)) += 1;
      }
    }
    const Eigen::VectorXd item_mean = sum.cwiseQuotient(count.cwiseMax(1.0));
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < k; ++j) {
        const auto ii = static_cast<Eigen::Index>(i), jj = static_cast<Eigen::Index>(j);
        const bool seen = !std::isnan(at(i, j));
        z(ii, jj) = seen ? at(i, j) - item_mean(jj) : 0.0;
        m(ii, jj) = seen ? 1.0 : 0.0;
      }
    }
    const Eigen::MatrixXd n_ab = m.transpose() * m;
    const Eigen::MatrixXd s_ab = z.transpose() * z;
    const Eigen::MatrixXd zm = z.transpose() * m;  // zm(a, b) = Σ z_a m_b
    out.c.resize(kk, kk);
    for (Eigen::Index a = 0; a < kk; ++a) {
      for (Eigen::Index b = a; b < kk; ++b) {
        const double n = n_ab(a, b);
        if (n < 2) {
          return core::Numerical(ItemName(static_cast<std::size_t>(a)) + " and " +
                                 ItemName(static_cast<std::size_t>(b)) + " were answered together by " +
                                 std::to_string(static_cast<long>(n)) + " respondent(s); a covariance needs 2");
        }
        out.c(a, b) = out.c(b, a) = (s_ab(a, b) - zm(a, b) * zm(b, a) / n) / (n - 1.0);
      }
    }
    out.n = rows;
  }
  // An item is constant when all its values among the rows used are equal; the
  // computed variance may then be a rounding residue above 0, so test directly
  // (one row-major pass).
  std::vector<double> lo(k, std::numeric_limits<double>::infinity());
  std::vector<double> hi(k, -std::numeric_limits<double>::infinity());
  for (std::size_t i = 0; i < rows; ++i) {
    if (missing == MissingItems::kCompleteCases && !complete_row(i)) continue;
    for (std::size_t j = 0; j < k; ++j) {
      const double v = at(i, j);
      if (std::isnan(v)) continue;
      lo[j] = std::min(lo[j], v);
      hi[j] = std::max(hi[j], v);
    }
  }
  for (std::size_t j = 0; j < k; ++j) {
    const double v = out.c(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j));
    if (!(lo[j] < hi[j]) || !(v > 0.0)) {
      return core::Numerical(ItemName(j) + " has zero variance (every respondent gave the same answer); "
                             "its correlations are undefined: drop it from the scale");
    }
  }
  return out;
}

Eigen::MatrixXd ToCorrelation(const Eigen::MatrixXd& c) {
  const Eigen::VectorXd inv_sd = c.diagonal().cwiseSqrt().cwiseInverse();
  return inv_sd.asDiagonal() * c * inv_sd.asDiagonal();
}

// psych's alpha.1(C, R): the scale statistics of one covariance matrix.
struct ScaleStats {
  double raw = 0, std = 0, average_r = 0, q = 0;
};

ScaleStats Alpha1(const Eigen::MatrixXd& c, const Eigen::MatrixXd& r) {
  const double k = static_cast<double>(c.rows());
  const double sum_c = c.sum(), tr_c = c.trace(), sum_r = r.sum();
  ScaleStats s;
  s.raw = (1.0 - tr_c / sum_c) * (k / (k - 1.0));
  s.std = (1.0 - k / sum_r) * (k / (k - 1.0));
  s.average_r = (sum_r - k) / (k * (k - 1.0));
  const Eigen::MatrixXd c2 = c * c;
  s.q = (2.0 * k * k / ((k - 1.0) * (k - 1.0) * sum_c * sum_c * sum_c)) *
        (sum_c * (c2.trace() + tr_c * tr_c) - 2.0 * (tr_c * c2.sum()));
  return s;
}

Eigen::MatrixXd Without(const Eigen::MatrixXd& m, Eigen::Index drop) {
  const Eigen::Index k = m.rows();
  Eigen::MatrixXd out(k - 1, k - 1);
  for (Eigen::Index a = 0, oa = 0; a < k; ++a) {
    if (a == drop) continue;
    for (Eigen::Index b = 0, ob = 0; b < k; ++b) {
      if (b == drop) continue;
      out(oa, ob++) = m(a, b);
    }
    ++oa;
  }
  return out;
}

}  // namespace

core::Result<AlphaResult> CronbachAlpha(std::span<const double> values, std::size_t n_items,
                                        const ReliabilityOptions& options) {
  if (!(options.level > 0.0 && options.level < 1.0)) {
    return core::InvalidArgument("Cronbach's alpha: confidence level must lie strictly between 0 and 1");
  }
  core::Result<Covariance> cov = ItemCovariance(values, n_items, options.missing);
  if (!cov.ok()) return cov.status().WithContext("Cronbach's alpha");
  const Eigen::MatrixXd& c = cov->c;
  if (!(c.sum() > 0.0)) {
    return core::Numerical("Cronbach's alpha: the variance of the sum score is not positive "
                           "(are some items reverse-coded the wrong way?)");
  }
  const Eigen::MatrixXd r = ToCorrelation(c);
  const ScaleStats total = Alpha1(c, r);

  AlphaResult out;
  out.raw_alpha = total.raw;
  out.std_alpha = total.std;
  out.average_r = total.average_r;
  out.n = cov->n;
  out.n_items = n_items;
  out.ase = std::sqrt(std::max(0.0, total.q) / static_cast<double>(out.n));

  // Feldt (psych::alpha.ci): 1 − (1 − α) · qf(p, n − 1, (n − 1)(k − 1)).
  const double n = static_cast<double>(out.n), k = static_cast<double>(n_items);
  const double gamma = 1.0 - options.level;
  try {
    const boost::math::fisher_f_distribution<double> f(n - 1.0, (n - 1.0) * (k - 1.0));
    out.feldt_lower = 1.0 - (1.0 - total.raw) * boost::math::quantile(f, 1.0 - gamma / 2.0);
    out.feldt_upper = 1.0 - (1.0 - total.raw) * boost::math::quantile(f, gamma / 2.0);
  } catch (const std::exception& e) {
    return core::Numerical(std::string("Cronbach's alpha: the Feldt interval could not be computed (") + e.what() +
                           ")");
  }

  const double sum_c = c.sum();
  out.items.resize(n_items);
  for (std::size_t j = 0; j < n_items; ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    ItemReliability& item = out.items[j];
    const double v_drop = sum_c - 2.0 * c.col(jj).sum() + c(jj, jj);  // sum(C[-j, -j])
    const double c_drop = c.col(jj).sum() - c(jj, jj);
    item.r_drop = v_drop > 0.0 ? c_drop / std::sqrt(c(jj, jj) * v_drop) : 0.0;
    if (n_items >= 3) {
      const ScaleStats d = Alpha1(Without(c, jj), Without(r, jj));
      item.alpha_if_dropped = d.raw;
      item.std_alpha_if_dropped = d.std;
      item.average_r_if_dropped = d.average_r;
    }
  }
  return out;
}

namespace {

// Raw alpha of a covariance matrix known up to a positive factor:
// C ∝ S2 − s1 s1ᵀ / m (sums of squares and products of m rows). NaN when the
// total variance is not positive.
double AlphaOfSums(const Eigen::MatrixXd& s2, const Eigen::VectorXd& s1, double m) {
  const Eigen::MatrixXd c = s2 - s1 * s1.transpose() / m;
  const double k = static_cast<double>(c.rows()), sum = c.sum();
  if (!(sum > 0.0)) return std::numeric_limits<double>::quiet_NaN();
  return (1.0 - c.trace() / sum) * (k / (k - 1.0));
}

// boot's norm.inter: the p-quantile of the sorted replicates t, interpolated
// on the normal scale between order statistics k = ⌊(R+1)p⌋ and k + 1
// (1-based); the extreme order statistic when k is 0 or R.
double NormInter(const std::vector<double>& t, double p) {
  const boost::math::normal normal;
  const double r = static_cast<double>(t.size());
  const double rk = (r + 1.0) * p;
  const double k = std::trunc(rk);
  if (k <= 0.0) return t.front();
  if (k >= r) return t.back();
  const auto kk = static_cast<std::size_t>(k);
  if (k == rk) return t[kk - 1];
  const double q = boost::math::quantile(normal, p), qk = boost::math::quantile(normal, k / (r + 1.0)),
               qk1 = boost::math::quantile(normal, (k + 1.0) / (r + 1.0));
  return t[kk - 1] + (q - qk) / (qk1 - qk) * (t[kk] - t[kk - 1]);
}

}  // namespace

core::Result<AlphaBootstrapResult> BootstrapAlpha(std::span<const double> values, std::size_t n_items,
                                                  const AlphaBootstrapOptions& options) {
  if (!(options.level > 0.0 && options.level < 1.0)) {
    return core::InvalidArgument("bootstrap of alpha: confidence level must lie strictly between 0 and 1");
  }
  if (options.replicates < 2) {
    return core::InvalidArgument("bootstrap of alpha: at least 2 replicates are needed (got " +
                                 std::to_string(options.replicates) + ")");
  }
  const double tail = (1.0 - options.level) / 2.0;
  if ((static_cast<double>(options.replicates) + 1.0) * tail < 1.0) {
    return core::Numerical("bootstrap of alpha: " + std::to_string(options.replicates) +
                           " replicates are too few for a " + internal::FormatNumber(options.level) +
                           " interval (the ends would be the extreme replicates)");
  }
  ReliabilityOptions plain;
  plain.missing = MissingItems::kCompleteCases;
  core::Result<AlphaResult> full = CronbachAlpha(values, n_items, plain);
  if (!full.ok()) return full.status().WithContext("bootstrap of alpha");

  // The complete rows, centred at their means (the statistic does not change).
  const std::size_t k = n_items, rows = values.size() / k;
  std::vector<std::size_t> complete;
  for (std::size_t i = 0; i < rows; ++i) {
    bool all = true;
    for (std::size_t j = 0; j < k; ++j) all = all && !std::isnan(values[i * k + j]);
    if (all) complete.push_back(i);
  }
  const std::size_t n = complete.size();
  const auto ni = static_cast<Eigen::Index>(n), ki = static_cast<Eigen::Index>(k);
  Eigen::MatrixXd x(ni, ki);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = values[complete[i] * k + j];
    }
  }
  x.rowwise() -= x.colwise().mean();
  const double t0 = full->raw_alpha;

  // Replicate r: n draws with replacement from its own generator.
  const std::size_t reps = options.replicates;
  std::vector<double> theta(reps);
  internal::ParallelFor(reps, internal::ThreadCount(options.threads), [&](std::size_t r) {
    internal::Xoshiro256 rng = internal::ReplicateGenerator(options.seed, r);
    Eigen::VectorXd count = Eigen::VectorXd::Zero(ni);
    for (std::size_t t = 0; t < n; ++t) count(static_cast<Eigen::Index>(internal::Below(rng, n))) += 1.0;
    const Eigen::MatrixXd s2 = x.transpose() * count.asDiagonal() * x;
    const Eigen::VectorXd s1 = x.transpose() * count;
    theta[r] = AlphaOfSums(s2, s1, static_cast<double>(n));
  });
  std::vector<double> t;
  t.reserve(reps);
  for (double v : theta) {
    if (std::isfinite(v)) t.push_back(v);
  }
  if (t.size() < 2) {
    return core::Numerical("bootstrap of alpha: fewer than 2 resamples have a positive total variance");
  }
  AlphaBootstrapResult out;
  out.raw_alpha = t0;
  out.n = n;
  out.replicates = t.size();
  const double rr = static_cast<double>(t.size());
  double mean = 0, below = 0;
  for (double v : t) {
    mean += v;
    below += v < t0 ? 1.0 : 0.0;
  }
  mean /= rr;
  double ss = 0;
  for (double v : t) ss += (v - mean) * (v - mean);
  out.se = std::sqrt(ss / (rr - 1.0));
  out.bias = mean - t0;
  std::sort(t.begin(), t.end());
  out.percentile_lower = NormInter(t, tail);
  out.percentile_upper = NormInter(t, 1.0 - tail);

  // BCa: bias correction w and acceleration a from jackknife influence values.
  if (below == 0.0 || below == rr) {
    return core::Numerical("bootstrap of alpha: every replicate lies on one side of the estimate, so the BCa bias "
                           "correction is infinite");
  }
  const boost::math::normal normal;
  const double w = boost::math::quantile(normal, below / rr);
  const Eigen::MatrixXd s2 = x.transpose() * x;
  const Eigen::VectorXd s1 = x.colwise().sum().transpose();
  std::vector<double> jack(n);
  double jack_mean = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Eigen::VectorXd xi = x.row(static_cast<Eigen::Index>(i)).transpose();
    jack[i] = AlphaOfSums(s2 - xi * xi.transpose(), s1 - xi, static_cast<double>(n - 1));
    if (!std::isfinite(jack[i])) {
      return core::Numerical("bootstrap of alpha: without respondent " + std::to_string(complete[i] + 1) +
                             " the total variance is not positive; the BCa acceleration is undefined");
    }
    jack_mean += jack[i];
  }
  jack_mean /= static_cast<double>(n);
  double l2 = 0, l3 = 0;
  for (double v : jack) {
    const double l = (static_cast<double>(n) - 1.0) * (jack_mean - v);
    l2 += l * l;
    l3 += l * l * l;
  }
  const double a = l2 > 0 ? l3 / (6.0 * std::pow(l2, 1.5)) : 0.0;
  auto bca_end = [&](double p) {
    const double z = boost::math::quantile(normal, p);
    return NormInter(t, boost::math::cdf(normal, w + (w + z) / (1.0 - a * (w + z))));
  };
  out.bca_lower = bca_end(tail);
  out.bca_upper = bca_end(1.0 - tail);
  return out;
}

core::Result<OmegaResult> OmegaTotal(std::span<const double> values, std::size_t n_items,
                                     const ReliabilityOptions& options) {
  core::Result<Covariance> cov = ItemCovariance(values, n_items, options.missing);
  if (!cov.ok()) return cov.status().WithContext("omega");
  const Eigen::MatrixXd r = ToCorrelation(cov->c);
  const auto k = static_cast<Eigen::Index>(n_items);

  // Start from the squared multiple correlations 1 − 1/diag(R⁻¹).
  Eigen::LDLT<Eigen::MatrixXd> ldlt(r);
  if (ldlt.info() != Eigen::Success || !ldlt.isPositive() || ldlt.vectorD().minCoeff() < 1e-12) {
    return core::Numerical("omega: the item correlation matrix is singular (an item is a copy or a sum of others)");
  }
  const Eigen::MatrixXd r_inv = ldlt.solve(Eigen::MatrixXd::Identity(k, k));
  Eigen::VectorXd h2 = (Eigen::VectorXd::Ones(k) - r_inv.diagonal().cwiseInverse()).cwiseMax(0.0);

  constexpr double kMaxCommunality = 0.995;  // psych's lower bound 0.005 on uniquenesses
  constexpr int kMaxIterations = 10000;
  Eigen::VectorXd lambda(k);
  int it = 0;
  bool converged = false;
  for (; it < kMaxIterations && !converged; ++it) {
    Eigen::MatrixXd reduced = r;
    reduced.diagonal() = h2;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(reduced);
    if (eig.info() != Eigen::Success) return core::Numerical("omega: eigen decomposition failed");
    const double top = eig.eigenvalues()(k - 1);
    if (!(top > 0.0)) return core::Numerical("omega: the items share no common variance");
    lambda = eig.eigenvectors().col(k - 1) * std::sqrt(top);
    const Eigen::VectorXd next = lambda.cwiseAbs2().cwiseMin(kMaxCommunality);
    converged = (next - h2).cwiseAbs().maxCoeff() < 1e-12;
    h2 = next;
  }
  if (!converged) {
    return core::Numerical("omega: the one-factor fit did not converge in " + std::to_string(kMaxIterations) +
                           " iterations");
  }
  if (lambda.sum() < 0.0) lambda = -lambda;
  OmegaResult out;
  out.iterations = it;
  out.n = cov->n;
  const double sum_l = lambda.sum();
  const Eigen::VectorXd psi = Eigen::VectorXd::Ones(k) - lambda.cwiseAbs2();
  out.omega_total = 1.0 - psi.sum() / r.sum();
  out.omega_model = sum_l * sum_l / (sum_l * sum_l + psi.sum());
  out.omega_h = sum_l * sum_l / r.sum();
  out.loadings.assign(lambda.data(), lambda.data() + k);
  out.uniquenesses.assign(psi.data(), psi.data() + k);
  return out;
}

core::Result<AreaReliabilityResult> AreaReliability(std::span<const double> values,
                                                    std::span<const std::int64_t> groups) {
  if (values.size() != groups.size()) {
    return core::InvalidArgument("area reliability: " + std::to_string(values.size()) + " values but " +
                                 std::to_string(groups.size()) + " group codes");
  }
  struct Acc {
    double n = 0, sum = 0;
    double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  };
  std::map<std::int64_t, Acc> acc;
  double grand_sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return core::InvalidInput("area reliability: value " + std::to_string(i + 1) +
                                " is missing or not finite; filter missing values first");
    }
    Acc& a = acc[groups[i]];
    a.n += 1;
    a.sum += values[i];
    a.lo = std::min(a.lo, values[i]);
    a.hi = std::max(a.hi, values[i]);
    grand_sum += values[i];
  }
  const double g = static_cast<double>(acc.size());
  const double n_total = static_cast<double>(values.size());
  if (acc.size() < 2) {
    return core::Numerical("area reliability needs at least 2 areas (got " + std::to_string(acc.size()) + ")");
  }
  if (n_total <= g) {
    return core::Numerical("area reliability needs more respondents than areas (" + std::to_string(values.size()) +
                           " respondents in " + std::to_string(acc.size()) + " areas)");
  }
  const double grand_mean = grand_sum / n_total;
  double ssb = 0, sum_n2 = 0;
  for (const auto& [code, a] : acc) {
    const double m = a.sum / a.n;
    ssb += a.n * (m - grand_mean) * (m - grand_mean);
    sum_n2 += a.n * a.n;
  }
  double ssw = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Acc& a = acc[groups[i]];
    const double d = values[i] - a.sum / a.n;
    ssw += d * d;
  }
  AreaReliabilityResult out;
  out.n_total = values.size();
  out.ms_between = ssb / (g - 1.0);
  out.ms_within = ssw / (n_total - g);
  bool any_spread = false;  // exact test: rounding can leave MSW a hair above 0
  for (const auto& entry : acc) any_spread = any_spread || entry.second.lo < entry.second.hi;
  if (!any_spread || !(out.ms_within > 0.0)) {
    return core::Numerical("area reliability: every respondent has the same value as the rest of the area, "
                           "so the within-area variance is 0");
  }
  out.n0 = (n_total - sum_n2 / n_total) / (g - 1.0);
  out.sigma2 = out.ms_within;
  const double tau2 = (out.ms_between - out.ms_within) / out.n0;
  out.tau2_truncated = tau2 < 0.0;
  out.tau2 = std::max(0.0, tau2);
  out.icc = out.tau2 / (out.tau2 + out.sigma2);
  out.lambda_n0 = out.tau2 / (out.tau2 + out.sigma2 / out.n0);
  for (const auto& [code, a] : acc) {
    GroupReliability gr;
    gr.group = code;
    gr.n = static_cast<std::size_t>(a.n);
    gr.mean = a.sum / a.n;
    gr.lambda = out.tau2 / (out.tau2 + out.sigma2 / a.n);
    out.groups.push_back(gr);
  }
  return out;
}

}  // namespace tryghed::stats
