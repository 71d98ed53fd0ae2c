#include "stats/internal/domain_covariance.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace tryghed::stats::internal {

DomainCovarianceAccumulator::DomainCovarianceAccumulator(const DesignData& design, std::size_t domain_count,
                                                         std::size_t k)
    : design_(design),
      domain_count_(domain_count),
      k_(k),
      by_stratum_(design.CalibratedWithinStrata()),
      dense_(!design.calibration.empty() && !by_stratum_),
      delta_(k) {
  if (by_stratum_) {
    unit_domain_.assign(design.n, -1);
    unit_values_.assign(design.n * k, 0.0);
  }
  if (dense_ && static_cast<double>(design.n) * static_cast<double>(domain_count * k) <= kMaxDenseCells) {
    dense_z_.assign(design.n * domain_count * k, 0.0);
  }
}

void DomainCovarianceAccumulator::Add(std::size_t unit, std::size_t domain, const double* values) {
  if (by_stratum_) {
    unit_domain_[unit] = static_cast<std::int64_t>(domain);
    std::copy(values, values + k_, unit_values_.begin() + static_cast<std::ptrdiff_t>(unit * k_));
    return;
  }
  if (dense_) {
    if (dense_z_.empty()) return;  // too large; Finish reports it
    for (std::size_t j = 0; j < k_; ++j) dense_z_[(domain * k_ + j) * design_.n + unit] = values[j];
    return;
  }
  if (!design_.has_clusters) {
    AddEntry(design_.psu[unit], domain, values);
    return;
  }
  const std::uint64_t key = static_cast<std::uint64_t>(design_.psu[unit]) * domain_count_ + domain;
  auto [it, inserted] = psu_entry_.emplace(key, entry_psu_.size());
  if (inserted) {
    entry_psu_.push_back(design_.psu[unit]);
    entry_domain_.push_back(domain);
    entry_total_.resize(entry_total_.size() + k_, 0.0);
  }
  double* t = entry_total_.data() + it->second * k_;
  for (std::size_t j = 0; j < k_; ++j) t[j] += values[j];
}

void DomainCovarianceAccumulator::AddEntry(std::size_t psu, std::size_t domain, const double* t) {
  const std::size_t h = design_.psu_stratum[psu];
  const std::uint64_t key = static_cast<std::uint64_t>(h) * domain_count_ + domain;
  if (key != last_cell_key_) {
    auto [it, inserted] = cell_index_.emplace(key, cells_.size());
    if (inserted) {
      Cell c;
      c.stratum = h;
      c.domain = domain;
      c.sum.assign(k_, 0.0);
      c.mean.assign(k_, 0.0);
      c.comoment.assign(k_ * k_, 0.0);
      cells_.push_back(std::move(c));
    }
    last_cell_key_ = key;
    last_cell_ = it->second;
  }
  // Welford update of mean and co-moment.
  Cell& c = cells_[last_cell_];
  ++c.count;
  const double inv = 1.0 / static_cast<double>(c.count);
  for (std::size_t j = 0; j < k_; ++j) {
    c.sum[j] += t[j];
    delta_[j] = t[j] - c.mean[j];
    c.mean[j] += delta_[j] * inv;
  }
  for (std::size_t a = 0; a < k_; ++a) {
    const double after = t[a] - c.mean[a];
    double* row = c.comoment.data() + a * k_;
    for (std::size_t j = 0; j <= a; ++j) row[j] += after * delta_[j];
  }
}

core::Status DomainCovarianceAccumulator::FinishByStratum(Sink& v) {
  const std::size_t H = design_.stratum_psus.size();
  std::vector<std::int64_t> local(domain_count_, -1);  // domain -> its position in the stratum's block
  std::vector<std::size_t> present, columns, block_columns;
  for (std::size_t h = 0; h < H; ++h) {
    const std::span<const std::size_t> units = design_.UnitsOf(h);
    present.clear();
    for (std::size_t i : units) {
      const std::int64_t dom = unit_domain_[i];
      if (dom >= 0 && local[static_cast<std::size_t>(dom)] < 0) {
        local[static_cast<std::size_t>(dom)] = static_cast<std::int64_t>(present.size());
        present.push_back(static_cast<std::size_t>(dom));
      }
    }
    if (present.empty()) continue;  // no values: residuals 0, no contribution
    const std::size_t cols = present.size() * k_;
    if (static_cast<double>(units.size()) * static_cast<double>(cols) > kMaxDenseCells) {
      return core::Unavailable("a calibrated design whose stratum " + std::to_string(design_.stratum_codes[h]) +
                               " has " + std::to_string(units.size()) + " units and " + std::to_string(present.size()) +
                               " domains x " + std::to_string(k_) +
                               " variables needs too much memory for its variance; estimate fewer domains per call");
    }
    columns.clear();
    for (std::size_t dom : present) {
      for (std::size_t j = 0; j < k_; ++j) columns.push_back(dom * k_ + j);
    }
    Eigen::MatrixXd z = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(units.size()), static_cast<Eigen::Index>(cols));
    for (std::size_t u = 0; u < units.size(); ++u) {
      const std::int64_t dom = unit_domain_[units[u]];
      if (dom < 0) continue;
      const auto o = static_cast<Eigen::Index>(static_cast<std::size_t>(local[static_cast<std::size_t>(dom)]) * k_);
      for (std::size_t j = 0; j < k_; ++j) {
        z(static_cast<Eigen::Index>(u), o + static_cast<Eigen::Index>(j)) = unit_values_[units[u] * k_ + j];
      }
    }
    // The stratum's block over its own columns, then into v.
    block_columns.resize(cols);
    for (std::size_t c = 0; c < cols; ++c) block_columns[c] = c;
    Eigen::MatrixXd block = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(cols), static_cast<Eigen::Index>(cols));
    AddStratumCovariance(design_, h, z, block_columns, block);
    for (std::size_t b = 0; b < cols; ++b) {
      for (std::size_t a = 0; a < cols; ++a) {
        v.Add(columns[a], columns[b], block(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)));
      }
    }
    for (std::size_t dom : present) local[dom] = -1;
  }
  return core::Status::Ok();
}

core::Result<Matrix> DomainCovarianceAccumulator::Finish() {
  const std::size_t K = domain_count_ * k_;
  Sink v(K, false);
  TRYGHED_RETURN_IF_ERROR(FinishInto(v));
  Matrix out;
  out.rows = K;
  out.cols = K;
  out.values = std::move(v.values);
  return out;
}

core::Result<std::vector<double>> DomainCovarianceAccumulator::FinishVariances() {
  Sink v(domain_count_ * k_, true);
  TRYGHED_RETURN_IF_ERROR(FinishInto(v));
  return std::move(v.values);
}

core::Status DomainCovarianceAccumulator::FinishInto(Sink& v) {
  const std::size_t K = domain_count_ * k_;
  if (by_stratum_) {
    TRYGHED_RETURN_IF_ERROR(FinishByStratum(v));
  } else if (dense_) {
    if (dense_z_.empty() && design_.n * K > 0) {
      return core::Unavailable("a calibrated design with " + std::to_string(design_.n) + " units and " +
                               std::to_string(domain_count_) + " domains x " + std::to_string(k_) +
                               " variables needs too much memory for its variance; estimate fewer domains per call");
    }
    Eigen::MatrixXd z = Eigen::Map<Eigen::MatrixXd>(dense_z_.data(), static_cast<Eigen::Index>(design_.n),
                                                    static_cast<Eigen::Index>(K));
    std::vector<double>().swap(dense_z_);
    auto full = TotalCovariance(design_, std::move(z));
    if (!full.ok()) return full.status();
    for (std::size_t b = 0; b < K; ++b) {
      for (std::size_t a = 0; a < K; ++a) v.Add(a, b, (*full)(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)));
    }
    return core::Status::Ok();  // TotalCovariance applied the 'average' factor and checked finiteness
  } else {
    TRYGHED_RETURN_IF_ERROR(FinishStreamed(v));
  }
  const core::Result<double> factor = AverageRuleFactor(design_);
  if (!factor.ok()) return factor.status();
  if (*factor != 1) {
    for (double& x : v.values) x *= *factor;
  }
  for (double x : v.values) {
    if (!std::isfinite(x)) return core::Numerical("the variance is not finite (an input value is infinite or too large)");
  }
  return core::Status::Ok();
}

// Uncalibrated designs: from the Welford cells (and, clustered, the PSU ×
// domain entries).
core::Status DomainCovarianceAccumulator::FinishStreamed(Sink& v) {
  const std::size_t H = design_.stratum_psus.size();
  std::vector<StratumRule> rules(H);
  for (std::size_t h = 0; h < H; ++h) rules[h] = RuleFor(design_, h);

  // Clustered: PSU × domain totals now stream into the cells, and PSUs that
  // hold several domains add Σ t_d t_d'ᵀ to the between-domain blocks.
  if (design_.has_clusters) {
    std::vector<std::vector<std::size_t>> entries_of_psu(design_.psu_stratum.size());
    for (std::size_t e = 0; e < entry_psu_.size(); ++e) {
      AddEntry(entry_psu_[e], entry_domain_[e], entry_total_.data() + e * k_);
      entries_of_psu[entry_psu_[e]].push_back(e);
    }
    for (std::size_t p = 0; p < entries_of_psu.size(); ++p) {
      const auto& list = entries_of_psu[p];
      const StratumRule& r = rules[design_.psu_stratum[p]];
      if (r.scale == 0 || list.size() < 2 || v.diagonal) continue;  // between domains only
      for (std::size_t a : list) {
        for (std::size_t b : list) {
          if (a == b) continue;
          const double* ta = entry_total_.data() + a * k_;
          const double* tb = entry_total_.data() + b * k_;
          for (std::size_t i = 0; i < k_; ++i) {
            for (std::size_t j = 0; j < k_; ++j) v.Add(entry_domain_[a] * k_ + i, entry_domain_[b] * k_ + j, r.scale * ta[i] * tb[j]);
          }
        }
      }
    }
  }

  // Within-domain blocks. With c = S/n_h the stratum centre of the domain's
  // PSU totals (absent PSUs count as zero), μ the mean and M2 the co-moment
  // over the m PSUs with an entry:
  //   Σ_all PSUs (t − c)(t − c)ᵀ = M2 + m (μ − c)(μ − c)ᵀ + (n_h − m) c cᵀ.
  // Uncentred (lonely PSU, 'adjust'): Σ t tᵀ = M2 + m μ μᵀ.
  std::vector<std::vector<std::size_t>> cells_of_stratum(H);
  std::vector<double> centre(k_), shift(k_);
  for (std::size_t ci = 0; ci < cells_.size(); ++ci) {
    const Cell& c = cells_[ci];
    cells_of_stratum[c.stratum].push_back(ci);
    const StratumRule& r = rules[c.stratum];
    if (r.scale == 0) continue;
    const double n_h = static_cast<double>(design_.stratum_psus[c.stratum]);
    const double m = static_cast<double>(c.count);
    for (std::size_t j = 0; j < k_; ++j) {
      centre[j] = r.centre ? c.sum[j] / n_h : 0.0;
      shift[j] = c.mean[j] - centre[j];
    }
    const double absent = r.centre ? n_h - m : 0.0;
    const std::size_t o = c.domain * k_;
    for (std::size_t a = 0; a < k_; ++a) {
      for (std::size_t j = 0; j <= a; ++j) {
        const double value = r.scale * (c.comoment[a * k_ + j] + m * shift[a] * shift[j] + absent * centre[a] * centre[j]);
        v.Add(o + a, o + j, value);
        if (j != a) v.Add(o + j, o + a, value);
      }
    }
  }
  // Between-domain blocks of one stratum: − S_d S_d'ᵀ / n_h.
  for (std::size_t h = 0; h < H; ++h) {
    const StratumRule& r = rules[h];
    if (r.scale == 0 || !r.centre || cells_of_stratum[h].size() < 2 || v.diagonal) continue;
    const double factor = -r.scale / static_cast<double>(design_.stratum_psus[h]);
    for (std::size_t a : cells_of_stratum[h]) {
      for (std::size_t b : cells_of_stratum[h]) {
        if (a == b) continue;
        const Cell& ca = cells_[a];
        const Cell& cb = cells_[b];
        for (std::size_t i = 0; i < k_; ++i) {
          for (std::size_t j = 0; j < k_; ++j) v.Add(ca.domain * k_ + i, cb.domain * k_ + j, factor * ca.sum[i] * cb.sum[j]);
        }
      }
    }
  }
  return core::Status::Ok();
}

}  // namespace tryghed::stats::internal
