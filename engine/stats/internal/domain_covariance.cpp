#include "stats/internal/domain_covariance.h"

#include <cmath>
#include <string>

namespace tryghed::stats::internal {

namespace {

// Scale factor of a stratum's contribution and whether its PSU totals are
// centred, as in StratifiedCovariance (R's onestrat).
struct StratumRule {
  double scale = 0;
  bool centre = true;
  bool averaged_out = false;
};

StratumRule RuleFor(const DesignData& d, std::size_t h) {
  const double n_h = static_cast<double>(d.stratum_psus[h]);
  const double f = d.stratum_fpc_factor[h];
  StratumRule r;
  if (f < 1e-7) return r;  // census stratum
  if (n_h > 1) {
    r.scale = f * n_h / (n_h - 1);
    return r;
  }
  switch (d.lonely_psu) {
    case LonelyPsu::kAdjust:
      r.scale = f;
      r.centre = false;
      break;
    case LonelyPsu::kAverage:
      r.averaged_out = true;
      break;
    case LonelyPsu::kCertainty:
    case LonelyPsu::kRemove:
    case LonelyPsu::kFail:
      break;
  }
  return r;
}

}  // namespace

DomainCovarianceAccumulator::DomainCovarianceAccumulator(const DesignData& design, std::size_t domain_count,
                                                         std::size_t k)
    : design_(design), domain_count_(domain_count), k_(k), dense_(!design.calibration.empty()), delta_(k) {
  if (dense_ && static_cast<double>(design.n) * static_cast<double>(domain_count * k) <= kMaxDenseCells) {
    dense_z_.assign(design.n * domain_count * k, 0.0);
  }
}

void DomainCovarianceAccumulator::Add(std::size_t unit, std::size_t domain, const double* values) {
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

core::Result<Matrix> DomainCovarianceAccumulator::Finish() {
  const std::size_t K = domain_count_ * k_;
  if (dense_) {
    if (dense_z_.empty() && design_.n * K > 0) {
      return core::Unavailable("a calibrated design with " + std::to_string(design_.n) + " units and " +
                               std::to_string(domain_count_) + " domains x " + std::to_string(k_) +
                               " variables needs too much memory for its variance; estimate fewer domains per call");
    }
    Eigen::MatrixXd z = Eigen::Map<Eigen::MatrixXd>(dense_z_.data(), static_cast<Eigen::Index>(design_.n),
                                                    static_cast<Eigen::Index>(K));
    std::vector<double>().swap(dense_z_);
    auto v = TotalCovariance(design_, std::move(z));
    if (!v.ok()) return v.status();
    return FromEigen(*v);
  }

  Matrix v(K, K, 0.0);
  const std::size_t H = design_.stratum_psus.size();
  std::vector<StratumRule> rules(H);
  std::size_t averaged_out = 0;
  for (std::size_t h = 0; h < H; ++h) {
    rules[h] = RuleFor(design_, h);
    averaged_out += rules[h].averaged_out;
  }

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
      if (r.scale == 0 || list.size() < 2) continue;
      for (std::size_t a : list) {
        for (std::size_t b : list) {
          if (a == b) continue;
          const double* ta = entry_total_.data() + a * k_;
          const double* tb = entry_total_.data() + b * k_;
          for (std::size_t i = 0; i < k_; ++i) {
            for (std::size_t j = 0; j < k_; ++j) v(entry_domain_[a] * k_ + i, entry_domain_[b] * k_ + j) += r.scale * ta[i] * tb[j];
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
        v(o + a, o + j) += value;
        if (j != a) v(o + j, o + a) += value;
      }
    }
  }
  // Between-domain blocks of one stratum: − S_d S_d'ᵀ / n_h.
  for (std::size_t h = 0; h < H; ++h) {
    const StratumRule& r = rules[h];
    if (r.scale == 0 || !r.centre || cells_of_stratum[h].size() < 2) continue;
    const double factor = -r.scale / static_cast<double>(design_.stratum_psus[h]);
    for (std::size_t a : cells_of_stratum[h]) {
      for (std::size_t b : cells_of_stratum[h]) {
        if (a == b) continue;
        const Cell& ca = cells_[a];
        const Cell& cb = cells_[b];
        for (std::size_t i = 0; i < k_; ++i) {
          for (std::size_t j = 0; j < k_; ++j) v(ca.domain * k_ + i, cb.domain * k_ + j) += factor * ca.sum[i] * cb.sum[j];
        }
      }
    }
  }
  if (averaged_out > 0) {
    if (averaged_out == H) {
      return core::Numerical("every stratum has a single PSU, so lonely-PSU rule 'average' has no other strata to average over");
    }
    const double factor = static_cast<double>(H) / static_cast<double>(H - averaged_out);
    for (double& x : v.values) x *= factor;
  }
  for (double x : v.values) {
    if (!std::isfinite(x)) return core::Numerical("the variance is not finite (an input value is infinite or too large)");
  }
  return v;
}

}  // namespace tryghed::stats::internal
