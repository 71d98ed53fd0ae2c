#include "stats/design.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "stats/internal/design_data.h"

namespace tryghed::stats {

namespace {

using core::InvalidArgument;
using core::Result;
using core::Status;

std::string Row(std::size_t i) { return "row " + std::to_string(i + 1); }

}  // namespace

Design::Design(std::shared_ptr<const internal::DesignData> data) : data_(std::move(data)) {}

std::size_t Design::size() const { return data_->n; }
std::span<const double> Design::weights() const { return data_->weights; }
std::size_t Design::stratum_count() const { return data_->stratum_psus.size(); }
std::size_t Design::psu_count() const { return data_->psu_stratum.size(); }
double Design::df() const { return static_cast<double>(psu_count()) - static_cast<double>(stratum_count()); }
bool Design::calibrated() const { return !data_->calibration.empty(); }

Result<Design> Design::Create(DesignSpec spec) {
  auto d = std::make_shared<internal::DesignData>();
  // The number of units comes from the first non-empty column.
  std::size_t n = 0;
  for (std::size_t len : {spec.weights.size(), spec.strata.size(), spec.clusters.size(), spec.fpc.size()}) {
    if (len == 0) continue;
    if (n == 0) n = len;
    if (len != n) {
      return InvalidArgument("design columns differ in length (" + std::to_string(n) + " and " +
                             std::to_string(len) + " values): weights, strata, clusters and fpc need one value per unit");
    }
  }
  if (n == 0) return InvalidArgument("the design has no units: give weights, strata, clusters or fpc for at least one unit");
  d->n = n;
  d->lonely_psu = spec.lonely_psu;
  d->has_strata = !spec.strata.empty();
  d->has_clusters = !spec.clusters.empty();
  d->has_fpc = !spec.fpc.empty();

  // Strata: dense indices in order of the sorted codes, as R's factor().
  if (spec.strata.empty()) spec.strata.assign(n, 0);
  {
    std::vector<std::int64_t> codes;
    {
      std::unordered_set<std::int64_t> seen;
      std::int64_t previous = spec.strata.front();
      seen.insert(previous);
      for (auto code : spec.strata) {
        if (code != previous) seen.insert(previous = code);
      }
      codes.assign(seen.begin(), seen.end());
      std::sort(codes.begin(), codes.end());
    }
    d->stratum_codes = codes;
    d->stratum.resize(n);
    // Data usually come sorted or grouped by stratum: remember the last code.
    std::int64_t last_code = codes.front();
    std::size_t last_index = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (spec.strata[i] != last_code) {
        last_code = spec.strata[i];
        last_index = static_cast<std::size_t>(std::lower_bound(codes.begin(), codes.end(), last_code) - codes.begin());
      }
      d->stratum[i] = last_index;
    }
  }
  const std::size_t strata_count = d->stratum_codes.size();

  // PSUs: (stratum, cluster code) pairs; a cluster code in two strata is an
  // error (R: "Clusters not nested in strata").
  d->psu.resize(n);
  if (spec.clusters.empty()) {
    for (std::size_t i = 0; i < n; ++i) d->psu[i] = i;
    d->psu_stratum = d->stratum;
  } else {
    std::unordered_map<std::int64_t, std::size_t> psu_of_code;
    psu_of_code.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto [it, inserted] = psu_of_code.emplace(spec.clusters[i], d->psu_stratum.size());
      if (inserted) {
        d->psu_stratum.push_back(d->stratum[i]);
      } else if (d->psu_stratum[it->second] != d->stratum[i]) {
        return InvalidArgument(Row(i) + ": cluster " + std::to_string(spec.clusters[i]) +
                               " appears in two strata; clusters must be nested in strata "
                               "(give each stratum its own cluster codes)");
      }
      d->psu[i] = it->second;
    }
  }
  d->stratum_psus.assign(strata_count, 0);
  for (std::size_t s : d->psu_stratum) ++d->stratum_psus[s];
  // Units of each stratum (counting sort, ascending within a stratum).
  d->stratum_start.assign(strata_count + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++d->stratum_start[d->stratum[i] + 1];
  for (std::size_t h = 0; h < strata_count; ++h) d->stratum_start[h + 1] += d->stratum_start[h];
  d->stratum_units.resize(n);
  {
    std::vector<std::size_t> next(d->stratum_start.begin(), d->stratum_start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) d->stratum_units[next[d->stratum[i]]++] = i;
  }

  // Finite population correction.
  d->stratum_fpc_factor.assign(strata_count, 1.0);
  d->stratum_population.assign(strata_count, std::numeric_limits<double>::infinity());
  if (!spec.fpc.empty()) {
    bool any_size = false, any_fraction = false;
    for (std::size_t i = 0; i < n; ++i) {
      const double f = spec.fpc[i];
      if (!std::isfinite(f) || f <= 0) {
        return InvalidArgument(Row(i) + ": fpc " + std::to_string(f) +
                               " is not a positive number; give the stratum's population size or sampling fraction");
      }
      (f > 1 ? any_size : any_fraction) = true;
    }
    if (any_size && any_fraction) {
      return InvalidArgument("fpc mixes population sizes (> 1) and sampling fractions (<= 1); use one kind for every unit");
    }
    std::vector<double> seen(strata_count, -1.0);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t h = d->stratum[i];
      if (seen[h] < 0) {
        seen[h] = spec.fpc[i];
      } else if (seen[h] != spec.fpc[i]) {
        return InvalidArgument(Row(i) + ": fpc " + std::to_string(spec.fpc[i]) + " differs from " +
                               std::to_string(seen[h]) + " earlier in the same stratum; fpc must be constant within a stratum");
      }
    }
    for (std::size_t h = 0; h < strata_count; ++h) {
      const double n_h = static_cast<double>(d->stratum_psus[h]);
      const double N_h = any_size ? seen[h] : n_h / seen[h];
      if (N_h < n_h) {
        return InvalidArgument("stratum " + std::to_string(d->stratum_codes[h]) + ": fpc gives a population of " +
                               std::to_string(N_h) + " but the sample has " + std::to_string(d->stratum_psus[h]) +
                               " PSUs (more than 100 % sampled)");
      }
      d->stratum_population[h] = N_h;
      d->stratum_fpc_factor[h] = (N_h - n_h) / N_h;
    }
  }

  // Weights.
  if (spec.weights.empty()) {
    d->weights.resize(n, 1.0);
    if (d->has_fpc && std::isfinite(d->stratum_population[0])) {
      // R: weights from the fpc, N_h / n_h.
      for (std::size_t i = 0; i < n; ++i) {
        const std::size_t h = d->stratum[i];
        d->weights[i] = d->stratum_population[h] / static_cast<double>(d->stratum_psus[h]);
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const double w = spec.weights[i];
      if (std::isnan(w)) return InvalidArgument(Row(i) + ": the weight is missing; every unit needs a weight");
      if (!std::isfinite(w) || w <= 0) {
        return InvalidArgument(Row(i) + ": weight " + std::to_string(w) +
                               " is not a positive finite number; sampling weights must be > 0");
      }
    }
    d->weights = std::move(spec.weights);
  }

  if (d->lonely_psu == LonelyPsu::kFail) {
    for (std::size_t h = 0; h < strata_count; ++h) {
      if (d->stratum_psus[h] == 1 && d->stratum_fpc_factor[h] >= 1e-7) {
        return InvalidArgument("stratum " + std::to_string(d->stratum_codes[h]) +
                               " has only one PSU, so its variance cannot be estimated; choose a "
                               "lonely-PSU rule (adjust, average, certainty, remove) or merge strata");
      }
    }
  }
  return Design(std::move(d));
}

Result<Matrix> Design::TotalCovariance(const Matrix& z) const {
  if (z.rows != data_->n) {
    return InvalidArgument("TotalCovariance: z has " + std::to_string(z.rows) + " rows, the design " +
                           std::to_string(data_->n) + " units");
  }
  auto v = internal::TotalCovariance(*data_, internal::ToEigen(z));
  if (!v.ok()) return v.status();
  return internal::FromEigen(*v);
}

namespace internal {

Eigen::MatrixXd ToEigen(const Matrix& m) {
  return Eigen::Map<const Eigen::MatrixXd>(m.values.data(), static_cast<Eigen::Index>(m.rows),
                                           static_cast<Eigen::Index>(m.cols));
}

Matrix FromEigen(const Eigen::MatrixXd& m) {
  Matrix out(static_cast<std::size_t>(m.rows()), static_cast<std::size_t>(m.cols()));
  Eigen::Map<Eigen::MatrixXd>(out.values.data(), m.rows(), m.cols()) = m;
  return out;
}

Eigen::MatrixXd PsuTotals(const DesignData& d, const Eigen::MatrixXd& z) {
  const auto psus = static_cast<Eigen::Index>(d.psu_stratum.size());
  if (!d.has_clusters) return z;  // every unit is its own PSU, in row order
  Eigen::MatrixXd totals = Eigen::MatrixXd::Zero(psus, z.cols());
  for (Eigen::Index j = 0; j < z.cols(); ++j) {
    for (std::size_t i = 0; i < d.n; ++i) totals(static_cast<Eigen::Index>(d.psu[i]), j) += z(static_cast<Eigen::Index>(i), j);
  }
  return totals;
}

core::Result<Eigen::MatrixXd> StratifiedCovariance(const DesignData& d, const Eigen::MatrixXd& psu_totals) {
  const std::size_t H = d.stratum_psus.size();
  const Eigen::Index k = psu_totals.cols();
  // Stratum means of the PSU totals over all n_h PSUs of the stratum.
  Eigen::MatrixXd means = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(H), k);
  for (Eigen::Index p = 0; p < psu_totals.rows(); ++p) {
    means.row(static_cast<Eigen::Index>(d.psu_stratum[static_cast<std::size_t>(p)])) += psu_totals.row(p);
  }
  for (std::size_t h = 0; h < H; ++h) means.row(static_cast<Eigen::Index>(h)) /= static_cast<double>(d.stratum_psus[h]);

  std::vector<StratumRule> rules(H);
  for (std::size_t h = 0; h < H; ++h) rules[h] = RuleFor(d, h);
  Eigen::VectorXd scale(psu_totals.rows());
  Eigen::MatrixXd centred(psu_totals.rows(), k);
  for (Eigen::Index p = 0; p < psu_totals.rows(); ++p) {
    const std::size_t h = d.psu_stratum[static_cast<std::size_t>(p)];
    const StratumRule& r = rules[h];
    scale(p) = r.scale;
    if (r.scale == 0) {
      centred.row(p).setZero();
    } else if (r.centre) {
      centred.row(p) = psu_totals.row(p) - means.row(static_cast<Eigen::Index>(h));
    } else {
      centred.row(p) = psu_totals.row(p);
    }
  }
  Eigen::MatrixXd v = centred.transpose() * (centred.array().colwise() * scale.array()).matrix();
  const core::Result<double> factor = AverageRuleFactor(d);
  if (!factor.ok()) return factor.status();
  if (*factor != 1) v *= *factor;
  return v;
}

bool DesignData::CalibratedWithinStrata() const {
  if (calibration.empty()) return false;
  for (const auto& step : calibration) {
    if (!step->WithinStrata()) return false;
  }
  return true;
}

StratumRule RuleFor(const DesignData& d, std::size_t h) {
  const double n_h = static_cast<double>(d.stratum_psus[h]);
  const double f = d.stratum_fpc_factor[h];
  StratumRule r;
  if (f < 1e-7) return r;  // a census stratum (R: self-representing) contributes nothing
  if (n_h > 1) {
    r.scale = f * n_h / (n_h - 1);
    return r;
  }
  switch (d.lonely_psu) {
    case LonelyPsu::kAdjust:  // centred at zero, the population mean of linearised values
      r.scale = f;
      r.centre = false;
      break;
    case LonelyPsu::kAverage:
      r.averaged_out = true;
      break;
    case LonelyPsu::kCertainty:
    case LonelyPsu::kRemove:
    case LonelyPsu::kFail:  // rejected in Design::Create; harmless here
      break;
  }
  return r;
}

core::Result<double> AverageRuleFactor(const DesignData& d) {
  const std::size_t H = d.stratum_psus.size();
  std::size_t averaged_out = 0;  // lonely strata under kAverage
  for (std::size_t h = 0; h < H; ++h) averaged_out += RuleFor(d, h).averaged_out ? 1 : 0;
  if (averaged_out == 0) return 1.0;
  if (averaged_out == H) {
    return core::Numerical("every stratum has a single PSU, so lonely-PSU rule 'average' has no other strata to average over");
  }
  return static_cast<double>(H) / static_cast<double>(H - averaged_out);
}

void AddStratumCovariance(const DesignData& d, std::size_t h, Eigen::MatrixXd& z, std::span<const std::size_t> columns,
                          Eigen::MatrixXd& v) {
  const StratumRule r = RuleFor(d, h);
  if (r.scale == 0) return;
  const std::span<const std::size_t> units = d.UnitsOf(h);
  for (const auto& step : d.calibration) step->ResidualizeUnits(units, z);
  const Eigen::Index k = z.cols();
  // PSU totals of the stratum (every unit its own PSU without clusters).
  Eigen::MatrixXd totals;
  if (d.has_clusters) {
    std::unordered_map<std::size_t, Eigen::Index> local;
    totals = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d.stratum_psus[h]), k);
    for (std::size_t u = 0; u < units.size(); ++u) {
      const auto [it, inserted] = local.emplace(d.psu[units[u]], static_cast<Eigen::Index>(local.size()));
      totals.row(it->second) += z.row(static_cast<Eigen::Index>(u));
    }
  } else {
    totals = std::move(z);
  }
  if (r.centre) {
    const double n_h = static_cast<double>(d.stratum_psus[h]);
    for (Eigen::Index j = 0; j < k; ++j) {
      double sum = 0;
      for (Eigen::Index p = 0; p < totals.rows(); ++p) sum += totals(p, j);
      const double mean = sum / n_h;
      for (Eigen::Index p = 0; p < totals.rows(); ++p) totals(p, j) -= mean;
    }
  }
  const Eigen::MatrixXd block = r.scale * (totals.transpose() * totals);
  for (Eigen::Index a = 0; a < k; ++a) {
    for (Eigen::Index b = 0; b < k; ++b) {
      v(static_cast<Eigen::Index>(columns[static_cast<std::size_t>(a)]),
        static_cast<Eigen::Index>(columns[static_cast<std::size_t>(b)])) += block(a, b);
    }
  }
}

namespace {

// TotalCovariance of a design calibrated within strata: stratum by stratum,
// skipping strata where every value of z is 0 (their residuals are 0 too).
core::Result<Eigen::MatrixXd> CovarianceByStratum(const DesignData& d, const Eigen::MatrixXd& z) {
  const std::size_t H = d.stratum_psus.size();
  const Eigen::Index k = z.cols();
  Eigen::MatrixXd v = Eigen::MatrixXd::Zero(k, k);
  std::vector<std::size_t> columns(static_cast<std::size_t>(k));
  for (std::size_t j = 0; j < columns.size(); ++j) columns[j] = j;
  for (std::size_t h = 0; h < H; ++h) {
    const std::span<const std::size_t> units = d.UnitsOf(h);
    Eigen::MatrixXd block(static_cast<Eigen::Index>(units.size()), k);
    bool any = false;
    for (Eigen::Index j = 0; j < k; ++j) {
      for (std::size_t u = 0; u < units.size(); ++u) {
        const double x = z(static_cast<Eigen::Index>(units[u]), j);
        block(static_cast<Eigen::Index>(u), j) = x;
        any = any || x != 0;
      }
    }
    if (any) AddStratumCovariance(d, h, block, columns, v);
  }
  const core::Result<double> factor = AverageRuleFactor(d);
  if (!factor.ok()) return factor.status();
  if (*factor != 1) v *= *factor;
  return v;
}

}  // namespace

core::Result<Eigen::MatrixXd> TotalCovariance(const DesignData& d, Eigen::MatrixXd z) {
  core::Result<Eigen::MatrixXd> v = Eigen::MatrixXd();
  if (d.CalibratedWithinStrata()) {
    v = CovarianceByStratum(d, z);
  } else {
    for (const auto& step : d.calibration) step->Residualize(z);
    v = StratifiedCovariance(d, PsuTotals(d, z));
  }
  if (!v.ok()) return v;
  if (!v->allFinite()) {
    return core::Numerical("the variance is not finite (an input value is infinite or too large)");
  }
  return v;
}

core::Result<Eigen::MatrixXd> TotalCovarianceOfRows(const DesignData& d, std::span<const std::size_t> rows,
                                                    const Eigen::MatrixXd& z_rows) {
  const Eigen::Index k = z_rows.cols();
  if (!d.calibration.empty() && !d.CalibratedWithinStrata()) {
    Eigen::MatrixXd z = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(d.n), k);
    for (std::size_t r = 0; r < rows.size(); ++r) z.row(static_cast<Eigen::Index>(rows[r])) = z_rows.row(static_cast<Eigen::Index>(r));
    return TotalCovariance(d, std::move(z));
  }
  // The rows of each stratum, strata ascending (as CovarianceByStratum), in
  // their order within a stratum: a counting sort by stratum.
  const std::size_t H = d.stratum_psus.size();
  std::vector<std::size_t> next(H + 1, 0);
  for (std::size_t row : rows) ++next[d.stratum[row] + 1];
  for (std::size_t h = 0; h < H; ++h) next[h + 1] += next[h];
  std::vector<std::size_t> order(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) order[next[d.stratum[rows[r]]]++] = r;
  Eigen::MatrixXd v = Eigen::MatrixXd::Zero(k, k);
  std::vector<std::size_t> columns(static_cast<std::size_t>(k));
  for (std::size_t j = 0; j < columns.size(); ++j) columns[j] = j;
  for (std::size_t first = 0; first < order.size();) {
    const std::size_t h = d.stratum[rows[order[first]]];
    std::size_t last = first;
    while (last < order.size() && d.stratum[rows[order[last]]] == h) ++last;
    const std::span<const std::size_t> units = d.UnitsOf(h);
    Eigen::MatrixXd block = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(units.size()), k);
    bool any = false;
    // Both the stratum's units and its rows ascend: one walk finds each row's place.
    std::size_t u = 0;
    for (std::size_t o = first; o < last; ++o) {
      const std::size_t r = order[o];
      if (o > first && rows[r] < rows[order[o - 1]]) u = 0;  // rows not ascending: search from the start
      while (u < units.size() && units[u] < rows[r]) ++u;
      const auto ui = static_cast<Eigen::Index>(u);
      block.row(ui) = z_rows.row(static_cast<Eigen::Index>(r));
      any = any || !block.row(ui).isZero(0.0);
    }
    if (any) AddStratumCovariance(d, h, block, columns, v);
    first = last;
  }
  const core::Result<double> factor = AverageRuleFactor(d);
  if (!factor.ok()) return factor.status();
  if (*factor != 1) v *= *factor;
  if (!v.allFinite()) return core::Numerical("the variance is not finite (an input value is infinite or too large)");
  return v;
}

}  // namespace internal
}  // namespace tryghed::stats

