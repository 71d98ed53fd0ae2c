#include "stats/regression.h"

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include <Eigen/Dense>
#include <boost/math/distributions/students_t.hpp>

#include "stats/estimators.h"
#include "stats/internal/design_data.h"

namespace tryghed::stats {

namespace {

using core::InvalidArgument;
using core::Numerical;
using core::Result;

double Expit(double eta) { return 1.0 / (1.0 + std::exp(-eta)); }

}  // namespace

std::pair<double, double> RegressionFit::ConfidenceInterval(std::size_t j, double level) const {
  if (j >= coefficients.size() || !(level > 0 && level < 1) || !(df > 0)) return {coefficients.at(j), coefficients.at(j)};
  const boost::math::students_t dist(df);
  const double q = boost::math::quantile(dist, 1 - (1 - level) / 2);
  return {coefficients[j] - q * standard_errors[j], coefficients[j] + q * standard_errors[j]};
}

Result<RegressionFit> FitRegression(const Design& design, const Matrix& x, std::span<const double> y,
                                    const RegressionOptions& options) {
  const std::size_t n = design.size();
  if (x.rows != n || y.size() != n) {
    return InvalidArgument("regression: x has " + std::to_string(x.rows) + " rows and y " + std::to_string(y.size()) +
                           " values, the design " + std::to_string(n) + " units");
  }
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  return FitRegressionOnUnits(design, all, x, y, options);
}

Result<RegressionFit> FitRegressionOnUnits(const Design& design, std::span<const std::size_t> units, const Matrix& x,
                                           std::span<const double> y, const RegressionOptions& options) {
  const std::size_t n = design.size();
  const std::size_t p = x.cols;
  if (x.rows != units.size() || y.size() != units.size()) {
    return InvalidArgument("regression: x has " + std::to_string(x.rows) + " rows and y " + std::to_string(y.size()) +
                           " values for " + std::to_string(units.size()) + " units");
  }
  if (p == 0) return InvalidArgument("regression: the model matrix has no columns");
  const bool logistic = options.family == RegressionFamily::kQuasiBinomial;
  const auto& d = design.data();
  // Rows used: y and every x present (and a non-zero weight).
  std::vector<char> used(units.size(), 0);
  std::unique_ptr<bool[]> in_fit(new bool[n]());
  std::size_t m = 0;
  for (std::size_t r = 0; r < units.size(); ++r) {
    const std::size_t i = units[r];
    if (i >= n) {
      return InvalidArgument("regression: unit " + std::to_string(i + 1) + " is not in the design of " +
                             std::to_string(n) + " units");
    }
    if (r > 0 && i <= units[r - 1]) {
      return InvalidArgument("regression: the units must be listed in ascending order, each once (unit " +
                             std::to_string(i + 1) + " follows unit " + std::to_string(units[r - 1] + 1) + ")");
    }
    bool ok = !std::isnan(y[r]) && d.weights[i] != 0;
    for (std::size_t j = 0; j < p && ok; ++j) ok = !std::isnan(x(r, j));
    if (!ok) continue;
    if (!std::isfinite(y[r])) return InvalidArgument("regression: row " + std::to_string(i + 1) + ": y is infinite");
    if (logistic && (y[r] < 0 || y[r] > 1)) {
      return InvalidArgument("regression: row " + std::to_string(i + 1) + ": y = " + std::to_string(y[r]) +
                             " is outside [0, 1], which the logistic model needs");
    }
    used[r] = 1;
    in_fit[i] = true;
    ++m;
  }
  if (m < p) {
    return Numerical("regression: " + std::to_string(m) + " units with complete data for " + std::to_string(p) +
                     " coefficients");
  }
  const auto mi = static_cast<Eigen::Index>(m);
  const auto pi = static_cast<Eigen::Index>(p);
  Eigen::MatrixXd X(mi, pi);
  Eigen::VectorXd Y(mi), W(mi);
  std::vector<std::size_t> row_of(m);
  {
    Eigen::Index k = 0;
    for (std::size_t r = 0; r < units.size(); ++r) {
      if (!used[r]) continue;
      const std::size_t i = units[r];
      for (std::size_t j = 0; j < p; ++j) X(k, static_cast<Eigen::Index>(j)) = x(r, j);
      Y(k) = y[r];
      W(k) = d.weights[i];
      row_of[static_cast<std::size_t>(k)] = i;
      ++k;
    }
  }
  // R's glm gets the weights rescaled to mean 1 (svyglm rescale = TRUE); the
  // estimates and the sandwich do not depend on that, but the IRLS start does.
  const double wmean = W.mean();
  const Eigen::VectorXd prior = W / wmean;

  // Singular model: a column in the span of the others among used units.
  // R's glm decides with a pivoted QR of the weighted columns (tol 1e-7).
  // With the columns scaled to norm 1, the same pivoted decomposition comes
  // from their p × p Gram matrix: pivoted LDLᵀ picks the largest remaining
  // diagonal as the QR picks the largest remaining column norm, and
  // D_kk = R_kk², so |R_kk| ≤ 1e-7 ⇔ D_kk ≤ 1e-14 (the first pivot is 1).
  // One blocked pass over the m rows instead of p Householder passes.
  const Eigen::MatrixXd gram = X.transpose() * prior.asDiagonal() * X;  // also the linear model's XᵀWX
  {
    const Eigen::VectorXd scale = gram.diagonal().cwiseSqrt().cwiseInverse().unaryExpr(
        [](double v) { return std::isfinite(v) ? v : 0.0; });  // a zero column stays zero
    const Eigen::MatrixXd c = scale.asDiagonal() * gram * scale.asDiagonal();
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(c);
    Eigen::VectorXi order = Eigen::VectorXi::LinSpaced(pi, 0, static_cast<int>(pi) - 1);
    order = ldlt.transpositionsP() * order;  // order(k): the column at pivot position k
    const Eigen::VectorXd dk = ldlt.vectorD();
    for (Eigen::Index k = 0; k < pi; ++k) {
      if (!(dk(k) > 1e-14)) {
        const auto dropped = static_cast<std::size_t>(order(k));
        return Numerical("regression: the model is singular: column " + std::to_string(dropped + 1) +
                         " is a linear combination of the other columns among the " + std::to_string(m) +
                         " units used (e.g. a dummy for every level next to the intercept, or a variable that is "
                         "constant in the data)");
      }
    }
  }

  Eigen::VectorXd beta(pi), mu(mi), eta(mi), irls_w(mi);
  int iterations = 0;
  if (!logistic) {
    const Eigen::VectorXd wy = prior.array() * Y.array();
    beta = gram.ldlt().solve(X.transpose() * wy);
    mu = X * beta;
    irls_w = prior;
    iterations = 1;
  } else {
    // IRLS as R's glm.fit, started at mu = (w y + 0.5)/(w + 1).
    for (Eigen::Index r = 0; r < mi; ++r) {
      mu(r) = (prior(r) * Y(r) + 0.5) / (prior(r) + 1);
      eta(r) = std::log(mu(r) / (1 - mu(r)));
    }
    auto deviance = [&](const Eigen::VectorXd& mu_) {
      double dev = 0;
      for (Eigen::Index r = 0; r < mi; ++r) {
        const double yy = Y(r), mm = mu_(r);
        double t = 0;
        if (yy > 0) t += yy * std::log(yy / mm);
        if (yy < 1) t += (1 - yy) * std::log((1 - yy) / (1 - mm));
        dev += 2 * prior(r) * t;
      }
      return dev;
    };
    double dev_old = deviance(mu);
    bool converged = false;
    for (iterations = 1; iterations <= options.max_iterations; ++iterations) {
      Eigen::VectorXd z(mi);
      for (Eigen::Index r = 0; r < mi; ++r) {
        const double v = mu(r) * (1 - mu(r));  // = dmu/deta for the logit link
        z(r) = eta(r) + (Y(r) - mu(r)) / v;
        irls_w(r) = prior(r) * v;
      }
      const Eigen::MatrixXd xtw = X.transpose() * irls_w.asDiagonal();
      beta = (xtw * X).ldlt().solve(xtw * z);
      eta = X * beta;
      for (Eigen::Index r = 0; r < mi; ++r) mu(r) = Expit(eta(r));
      const double dev = deviance(mu);
      if (!std::isfinite(dev)) break;
      if (std::abs(dev - dev_old) / (std::abs(dev) + 0.1) < options.epsilon) {
        converged = true;
        break;
      }
      dev_old = dev;
    }
    if (!converged) {
      return Numerical("regression: the logistic model did not converge in " + std::to_string(options.max_iterations) +
                       " iterations (perfect separation: a group where every answer is 0 or every answer is 1?)");
    }
    for (Eigen::Index r = 0; r < mi; ++r) irls_w(r) = prior(r) * mu(r) * (1 - mu(r));
  }
  // Sandwich: A⁻¹ = (Xᵀ W X)⁻¹ with the working weights; estimating functions
  // u_i = x_i · w_i · (y_i − μ_i) (prior weights); V = design covariance of
  // Σ u_i A⁻¹ (R's svy.varcoef).
  const Eigen::MatrixXd info = logistic ? Eigen::MatrixXd(X.transpose() * irls_w.asDiagonal() * X) : gram;
  const Eigen::MatrixXd ainv = info.ldlt().solve(Eigen::MatrixXd::Identity(pi, pi));
  // The design covariance is linear in the columns (calibration residuals,
  // PSU totals and their centring are), so cov(U A⁻¹) = A⁻ᵀ cov(U) A⁻¹: the
  // covariance of the m × p scores u_i, then two p × p products. X becomes
  // U in place. Only the used units' rows are non-zero: the covariance
  // visits only their strata (a fit on two waves of ten touches a fifth).
  const Eigen::VectorXd score = prior.array() * (Y - mu).array();
  X.array().colwise() *= score.array();
  auto cov_u = internal::TotalCovarianceOfRows(d, row_of, X);
  if (!cov_u.ok()) return cov_u.status();
  const Eigen::MatrixXd cov = ainv.transpose() * (*cov_u) * ainv;
  // Rescaling the weights by 1/wmean multiplies u by 1/wmean and A⁻¹ by wmean:
  // the product does not change.
  RegressionFit fit;
  fit.df = SubsetDf(design, std::span<const bool>(in_fit.get(), n)) + 1 - static_cast<double>(p);
  if (!(fit.df > 0)) {
    return Numerical("regression: no degrees of freedom left (design df of the units used + 1 − " +
                     std::to_string(p) + " coefficients = " + std::to_string(fit.df) +
                     "); use fewer coefficients or more PSUs");
  }
  fit.coefficients.assign(beta.data(), beta.data() + pi);
  fit.covariance = internal::FromEigen(cov);
  fit.n_used = m;
  fit.iterations = iterations;
  const boost::math::students_t dist(fit.df);
  for (std::size_t j = 0; j < p; ++j) {
    const double se = std::sqrt(std::max(0.0, fit.covariance(j, j)));
    fit.standard_errors.push_back(se);
    const double t = se > 0 ? fit.coefficients[j] / se : 0.0;
    fit.t_values.push_back(t);
    fit.p_values.push_back(se > 0 ? 2 * boost::math::cdf(boost::math::complement(dist, std::abs(t))) : 1.0);
  }
  return fit;
}

}  // namespace tryghed::stats
