#include "stats/estimators.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "stats/internal/design_data.h"
#include "stats/internal/domain_covariance.h"

namespace tryghed::stats {

namespace {

using core::InvalidArgument;
using core::Numerical;
using core::Result;
using core::Status;

Status CheckLengths(const Design& design, Variables variables, const char* what) {
  if (variables.empty()) return InvalidArgument(std::string(what) + ": no variables given");
  for (std::size_t j = 0; j < variables.size(); ++j) {
    if (variables[j].size() != design.size()) {
      return InvalidArgument(std::string(what) + ": variable " + std::to_string(j + 1) + " has " +
                             std::to_string(variables[j].size()) + " values, the design " +
                             std::to_string(design.size()) + " units");
    }
  }
  return Status::Ok();
}

Status CheckDomains(const Design& design, Domains domains) {
  if (domains.domain.size() != design.size()) {
    return InvalidArgument("domains: " + std::to_string(domains.domain.size()) + " values for " +
                           std::to_string(design.size()) + " units");
  }
  for (std::size_t i = 0; i < domains.domain.size(); ++i) {
    const auto d = domains.domain[i];
    if (d < -1 || d >= static_cast<std::int64_t>(domains.domain_count)) {
      return InvalidArgument("domains: row " + std::to_string(i + 1) + " has domain " + std::to_string(d) +
                             ", outside 0.." + std::to_string(domains.domain_count) + "-1");
    }
  }
  return Status::Ok();
}

// A unit is used when it is in a domain and none of `variables` is missing.
bool Complete(Variables variables, std::size_t i) {
  for (const auto& v : variables) {
    if (std::isnan(v[i])) return false;
  }
  return true;
}

Estimates Finish(Eigen::VectorXd estimate, Matrix cov, double df, std::vector<std::size_t> n) {
  Estimates out;
  out.estimate.assign(estimate.data(), estimate.data() + estimate.size());
  out.covariance = std::move(cov);
  out.df = df;
  out.n = std::move(n);
  return out;
}

// Shared body of totals and means over domains (no domains: one domain with
// every unit). `mean` selects the ratio linearisation. With `variances` the
// covariance is left empty and *variances receives its diagonal.
Result<Estimates> TotalsOrMeans(const Design& design, Variables variables, Domains domains, bool mean,
                                const char* what, std::vector<double>* variances = nullptr) {
  TRYGHED_RETURN_IF_ERROR(CheckLengths(design, variables, what));
  const auto& d = design.data();
  const std::size_t k = variables.size();
  const std::size_t D = domains.domain_count;
  const std::size_t n = d.n;
  auto domain_of = [&](std::size_t i) -> std::int64_t { return domains.domain.empty() ? 0 : domains.domain[i]; };

  std::vector<double> weight_sum(D, 0.0);
  Eigen::VectorXd total = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(D * k));
  std::vector<std::size_t> count(D, 0);
  std::vector<char> used(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto dom = domain_of(i);
    if (dom < 0 || !Complete(variables, i)) continue;
    used[i] = 1;
    const auto du = static_cast<std::size_t>(dom);
    weight_sum[du] += d.weights[i];
    ++count[du];
    for (std::size_t j = 0; j < k; ++j) total(static_cast<Eigen::Index>(du * k + j)) += d.weights[i] * variables[j][i];
  }
  for (std::size_t dd = 0; dd < D; ++dd) {
    if (count[dd] == 0) {
      return Numerical(std::string(what) + ": domain " + std::to_string(dd + 1) +
                       (domains.domain.empty() ? std::string(" (the whole sample)") : std::string()) +
                       " has no unit with a value; nothing to estimate");
    }
  }
  Eigen::VectorXd estimate = total;
  if (mean) {
    for (std::size_t dd = 0; dd < D; ++dd) {
      for (std::size_t j = 0; j < k; ++j) estimate(static_cast<Eigen::Index>(dd * k + j)) /= weight_sum[dd];
    }
  }
  // Linearised values, each in its unit's domain only: total: w x;
  // mean: w (x − mean) / Σw.
  internal::DomainCovarianceAccumulator acc(d, D, k);
  std::vector<double> values(k);
  for (std::size_t i = 0; i < n; ++i) {
    if (!used[i]) continue;
    const auto du = static_cast<std::size_t>(domain_of(i));
    for (std::size_t j = 0; j < k; ++j) {
      const double x = variables[j][i];
      values[j] = mean ? d.weights[i] * (x - estimate(static_cast<Eigen::Index>(du * k + j))) / weight_sum[du]
                       : d.weights[i] * x;
    }
    acc.Add(i, du, values.data());
  }
  Matrix cov;
  if (variances != nullptr) {
    auto v = acc.FinishVariances();
    if (!v.ok()) return v.status();
    *variances = std::move(*v);
  } else {
    auto v = acc.Finish();
    if (!v.ok()) return v.status();
    cov = std::move(*v);
  }
  std::vector<std::size_t> n_out(D * k);
  for (std::size_t dd = 0; dd < D; ++dd) {
    for (std::size_t j = 0; j < k; ++j) n_out[dd * k + j] = count[dd];
  }
  return Finish(std::move(estimate), std::move(cov), design.df(), std::move(n_out));
}

Result<Estimates> RatioImpl(const Design& design, std::span<const double> numerator,
                            std::span<const double> denominator, Domains domains) {
  const std::span<const double> both[2] = {numerator, denominator};
  TRYGHED_RETURN_IF_ERROR(CheckLengths(design, both, "ratio"));
  const auto& d = design.data();
  const std::size_t D = domains.domain_count;
  auto domain_of = [&](std::size_t i) -> std::int64_t { return domains.domain.empty() ? 0 : domains.domain[i]; };
  std::vector<double> ty(D, 0.0), tx(D, 0.0);
  std::vector<std::size_t> count(D, 0);
  for (std::size_t i = 0; i < d.n; ++i) {
    const auto dom = domain_of(i);
    if (dom < 0 || !Complete(both, i)) continue;
    const auto du = static_cast<std::size_t>(dom);
    ty[du] += d.weights[i] * numerator[i];
    tx[du] += d.weights[i] * denominator[i];
    ++count[du];
  }
  Eigen::VectorXd estimate(static_cast<Eigen::Index>(D));
  for (std::size_t dd = 0; dd < D; ++dd) {
    if (count[dd] == 0) return Numerical("ratio: domain " + std::to_string(dd + 1) + " has no unit with both values");
    if (tx[dd] == 0) return Numerical("ratio: the estimated denominator total is 0 in domain " + std::to_string(dd + 1));
    estimate(static_cast<Eigen::Index>(dd)) = ty[dd] / tx[dd];
  }
  internal::DomainCovarianceAccumulator acc(d, D, 1);
  for (std::size_t i = 0; i < d.n; ++i) {
    const auto dom = domain_of(i);
    if (dom < 0 || !Complete(both, i)) continue;
    const auto du = static_cast<std::size_t>(dom);
    const double value = d.weights[i] * (numerator[i] - estimate(static_cast<Eigen::Index>(du)) * denominator[i]) / tx[du];
    acc.Add(i, du, &value);
  }
  auto cov = acc.Finish();
  if (!cov.ok()) return cov.status();
  return Finish(std::move(estimate), std::move(*cov), design.df(), std::vector<std::size_t>(count.begin(), count.end()));
}

}  // namespace

std::vector<double> Estimates::StandardErrors() const {
  std::vector<double> se(estimate.size());
  for (std::size_t i = 0; i < se.size(); ++i) se[i] = std::sqrt(std::max(0.0, covariance(i, i)));
  return se;
}

Result<Estimates> Total(const Design& design, Variables variables) {
  return TotalsOrMeans(design, variables, Domains{{}, 1}, false, "total");
}

Result<Estimates> Mean(const Design& design, Variables variables) {
  return TotalsOrMeans(design, variables, Domains{{}, 1}, true, "mean");
}

Result<Estimates> Ratio(const Design& design, std::span<const double> numerator, std::span<const double> denominator) {
  return RatioImpl(design, numerator, denominator, Domains{{}, 1});
}

Result<Estimates> TotalByDomain(const Design& design, Variables variables, Domains domains) {
  TRYGHED_RETURN_IF_ERROR(CheckDomains(design, domains));
  return TotalsOrMeans(design, variables, domains, false, "total");
}

Result<Estimates> MeanByDomain(const Design& design, Variables variables, Domains domains) {
  TRYGHED_RETURN_IF_ERROR(CheckDomains(design, domains));
  return TotalsOrMeans(design, variables, domains, true, "mean");
}

Result<EstimatesSe> MeanByDomainSe(const Design& design, Variables variables, Domains domains) {
  TRYGHED_RETURN_IF_ERROR(CheckDomains(design, domains));
  std::vector<double> variances;
  Result<Estimates> m = TotalsOrMeans(design, variables, domains, true, "mean", &variances);
  if (!m.ok()) return m.status();
  EstimatesSe out;
  out.estimate = std::move(m->estimate);
  out.se.resize(variances.size());
  for (std::size_t i = 0; i < variances.size(); ++i) out.se[i] = std::sqrt(std::max(0.0, variances[i]));
  out.df = m->df;
  out.n = std::move(m->n);
  return out;
}

Result<Estimates> RatioByDomain(const Design& design, std::span<const double> numerator,
                                std::span<const double> denominator, Domains domains) {
  TRYGHED_RETURN_IF_ERROR(CheckDomains(design, domains));
  return RatioImpl(design, numerator, denominator, domains);
}

double SubsetDf(const Design& design, std::span<const bool> in_subset) {
  const auto& d = design.data();
  std::vector<char> psu_seen(d.psu_stratum.size(), 0), stratum_seen(d.stratum_psus.size(), 0);
  std::size_t psus = 0, strata = 0;
  for (std::size_t i = 0; i < d.n && i < in_subset.size(); ++i) {
    if (!in_subset[i]) continue;
    if (!psu_seen[d.psu[i]]) {
      psu_seen[d.psu[i]] = 1;
      ++psus;
    }
    if (!stratum_seen[d.stratum[i]]) {
      stratum_seen[d.stratum[i]] = 1;
      ++strata;
    }
  }
  return static_cast<double>(psus) - static_cast<double>(strata);
}

std::vector<double> SubsetDfByDomain(const Design& design, Domains domains) {
  const auto& d = design.data();
  const std::size_t D = domains.domain_count;
  // Distinct (domain, PSU) and (domain, stratum) pairs; data are usually
  // grouped by stratum, so the last pair seen is checked first.
  std::vector<std::size_t> psus(D, 0), strata(D, 0);
  std::unordered_set<std::uint64_t> psu_seen, stratum_seen;
  const std::uint64_t P = d.psu_stratum.size(), H = d.stratum_psus.size();
  std::uint64_t last_psu = UINT64_MAX, last_stratum = UINT64_MAX;
  for (std::size_t i = 0; i < d.n && i < domains.domain.size(); ++i) {
    const std::int64_t dom = domains.domain[i];
    if (dom < 0) continue;
    const auto du = static_cast<std::uint64_t>(dom);
    const std::uint64_t pk = du * P + d.psu[i], sk = du * H + d.stratum[i];
    if (pk != last_psu) {
      last_psu = pk;
      // Without clusters every unit is its own PSU: never seen before.
      if (!d.has_clusters || psu_seen.insert(pk).second) ++psus[du];
    }
    if (sk != last_stratum) {
      last_stratum = sk;
      if (stratum_seen.insert(sk).second) ++strata[du];
    }
  }
  std::vector<double> df(D);
  for (std::size_t k = 0; k < D; ++k) df[k] = static_cast<double>(psus[k]) - static_cast<double>(strata[k]);
  return df;
}

}  // namespace tryghed::stats
