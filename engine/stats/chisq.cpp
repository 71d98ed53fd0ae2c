#include "stats/chisq.h"

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <Eigen/Dense>
#include <boost/math/distributions/fisher_f.hpp>

#include "stats/estimators.h"
#include "stats/internal/design_data.h"

namespace tryghed::stats {

core::Result<ChiSquareTest> RaoScottChiSquare(const Design& design, std::span<const std::int64_t> row,
                                              std::span<const std::int64_t> col) {
  const std::size_t n = design.size();
  if (row.size() != n || col.size() != n) {
    return core::InvalidArgument("chi-square: " + std::to_string(row.size()) + " row and " +
                                 std::to_string(col.size()) + " column codes for " + std::to_string(n) + " units");
  }
  // Levels among complete units, in increasing order.
  std::map<std::int64_t, std::size_t> rl, cl;
  for (std::size_t i = 0; i < n; ++i) {
    if (row[i] < 0 || col[i] < 0) continue;
    rl.emplace(row[i], 0);
    cl.emplace(col[i], 0);
  }
  if (rl.size() < 2 || cl.size() < 2) {
    return core::InvalidInput("chi-square: the table needs at least two row and two column levels among units with "
                              "both answers (it has " +
                              std::to_string(rl.size()) + " × " + std::to_string(cl.size()) + ")");
  }
  std::size_t k = 0;
  for (auto& [code, idx] : rl) idx = k++;
  k = 0;
  for (auto& [code, idx] : cl) idx = k++;
  const std::size_t nr = rl.size(), nc = cl.size(), K = nr * nc;
  // Cell indicators (rows vary fastest, as R's interaction()); NaN = missing.
  std::vector<std::vector<double>> ind(K, std::vector<double>(n, std::nan("")));
  for (std::size_t i = 0; i < n; ++i) {
    if (row[i] < 0 || col[i] < 0) continue;
    const std::size_t cell = rl[row[i]] + nr * cl[col[i]];
    for (std::size_t c = 0; c < K; ++c) ind[c][i] = c == cell ? 1.0 : 0.0;
  }
  std::vector<std::span<const double>> vars(ind.begin(), ind.end());
  auto mean = Mean(design, vars);
  if (!mean.ok()) return mean.status();
  const auto Ki = static_cast<Eigen::Index>(K);
  Eigen::VectorXd p(Ki);
  for (std::size_t c = 0; c < K; ++c) p(static_cast<Eigen::Index>(c)) = mean->estimate[c];
  const Eigen::MatrixXd V = internal::ToEigen(mean->covariance);
  const double N = static_cast<double>(n);

  // Pearson X² on the weighted table scaled to N.
  double pearson = 0;
  {
    Eigen::MatrixXd t(static_cast<Eigen::Index>(nr), static_cast<Eigen::Index>(nc));
    for (std::size_t c = 0; c < K; ++c) t(static_cast<Eigen::Index>(c % nr), static_cast<Eigen::Index>(c / nr)) = p(static_cast<Eigen::Index>(c)) * N;
    const Eigen::VectorXd rs = t.rowwise().sum(), cs = t.colwise().sum().transpose();
    for (Eigen::Index a = 0; a < t.rows(); ++a) {
      for (Eigen::Index b = 0; b < t.cols(); ++b) {
        const double e = rs(a) * cs(b) / N;
        if (e > 0) pearson += (t(a, b) - e) * (t(a, b) - e) / e;
      }
    }
  }
  // Main-effect design X1 and interaction contrasts C = resid(X12 on X1).
  const auto q1 = static_cast<Eigen::Index>(1 + (nr - 1) + (nc - 1));
  const auto qi = static_cast<Eigen::Index>((nr - 1) * (nc - 1));
  Eigen::MatrixXd X1 = Eigen::MatrixXd::Zero(Ki, q1), X12 = Eigen::MatrixXd::Zero(Ki, qi);
  for (std::size_t c = 0; c < K; ++c) {
    const auto ci = static_cast<Eigen::Index>(c);
    const std::size_t r = c % nr, s = c / nr;
    X1(ci, 0) = 1;
    if (r > 0) X1(ci, static_cast<Eigen::Index>(r)) = 1;
    if (s > 0) X1(ci, static_cast<Eigen::Index>(nr - 1 + s)) = 1;
    if (r > 0 && s > 0) X12(ci, static_cast<Eigen::Index>((s - 1) * (nr - 1) + (r - 1))) = 1;
  }
  const Eigen::MatrixXd C = X12 - X1 * X1.colPivHouseholderQr().solve(X12);
  Eigen::VectorXd ip(Ki);
  for (Eigen::Index c = 0; c < Ki; ++c) ip(c) = p(c) == 0 ? 0.0 : 1.0 / p(c);
  const Eigen::MatrixXd denom = C.transpose() * ip.asDiagonal() * C / N;
  const Eigen::MatrixXd numr = C.transpose() * ip.asDiagonal() * V * ip.asDiagonal() * C;
  Eigen::FullPivLU<Eigen::MatrixXd> lu(denom);
  if (!lu.isInvertible()) return core::Numerical("chi-square: the table's cell proportions give a singular design-effect matrix");
  const Eigen::MatrixXd delta = lu.solve(numr);
  const double tr = delta.trace();
  const double tr2 = (delta * delta).trace();
  if (!(tr > 0) || !(tr2 > 0) || !std::isfinite(tr) || !std::isfinite(tr2)) {
    return core::Numerical("chi-square: the design effects of the table are zero or undefined (no variance)");
  }
  ChiSquareTest out;
  out.pearson = pearson;
  out.statistic = pearson / tr;
  out.ndf = tr * tr / tr2;
  out.ddf = out.ndf * design.df();
  out.rows = nr;
  out.cols = nc;
  if (!(out.ddf > 0)) return core::Numerical("chi-square: the design has no degrees of freedom");
  try {
    const boost::math::fisher_f dist(out.ndf, out.ddf);
    out.p_value = boost::math::cdf(boost::math::complement(dist, out.statistic));
  } catch (const std::exception& e) {
    return core::Numerical(std::string("chi-square: the F distribution failed: ") + e.what());
  }
  return out;
}

}  // namespace tryghed::stats
