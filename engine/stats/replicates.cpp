#include "stats/replicates.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <string>
#include <utility>

#include <Eigen/Dense>

#include "stats/internal/design_data.h"
#include "stats/internal/format.h"
#include "stats/internal/joint_cells.h"
#include "stats/internal/parallel.h"
#include "stats/internal/random.h"

namespace tryghed::stats {

// One jackknife replicate: units of `stratum` get factor `in_stratum`, except
// those of PSU `psu` (when drops_psu), which get 0; units of other strata get
// `outside`.
struct JackReplicate {
  std::size_t stratum = 0;
  std::size_t psu = 0;
  bool drops_psu = true;
  double in_stratum = 1;
  double outside = 1;
};

struct ReplicateDesign::Data {
  std::size_t n = 0;
  std::vector<double> weights;           // full-sample weights
  std::vector<std::size_t> psu;          // per unit: 0..P-1
  std::vector<std::size_t> stratum;      // per unit: 0..H-1
  std::vector<std::size_t> psu_stratum;  // per PSU
  std::size_t strata = 0;
  ReplicateType type = ReplicateType::kJKn;
  std::vector<JackReplicate> jack;       // jackknives
  // Bootstrap: P × R draw counts, column-major (PSU fastest); 16-bit counts
  // keep 100,000 PSUs × 500 replicates at 100 MB. Allocated without
  // zeroing so each generating thread first touches its own replicates.
  std::shared_ptr<std::uint16_t[]> multipliers;
  std::size_t replicates = 0;
  double scale = 1;
  std::vector<double> rscales;
  // Set after raking (Rake on a ReplicateDesign): the weights of every
  // replicate, n × R column-major; replaces weights × factor.
  std::vector<double> explicit_weights;
  bool mse = false;
  double df = 0;
  unsigned threads = 1;

  std::size_t psus() const { return psu_stratum.size(); }
  // The factor of PSU p in replicate r (a PSU's units share it).
  bool has_explicit() const { return !explicit_weights.empty(); }
  double Factor(std::size_t p, std::size_t r) const {
    if (type == ReplicateType::kBootstrap) return multipliers[r * psus() + p];
    const JackReplicate& j = jack[r];
    if (psu_stratum[p] != j.stratum) return j.outside;
    return (j.drops_psu && p == j.psu) ? 0.0 : j.in_stratum;
  }
};

namespace {

using core::InvalidArgument;
using core::Numerical;
using core::Result;
using core::Status;

using internal::Below;
using internal::FormatNumber;
using internal::ParallelFor;
using internal::ThreadCount;
using internal::Uint128;
using internal::Xoshiro256;

// a mod d without a division (Lemire, Kaser & Kurz 2019, "Faster remainder
// by direct computation"), exact for a, d < 2^32.
class FastMod {
 public:
  explicit FastMod(std::uint64_t d) : d_(d), c_(~std::uint64_t{0} / d + 1) {}
  std::uint64_t operator()(std::uint64_t a) const {
    return static_cast<std::uint64_t>((static_cast<Uint128>(c_ * a) * d_) >> 64);
  }

 private:
  std::uint64_t d_, c_;
};

// Rank of the P × R multiplier matrix (= rank of R's analysis weights), with
// R's qr tolerance 1e-5.
std::size_t MultiplierRank(const std::uint16_t* m, std::size_t p, std::size_t r) {
  Eigen::MatrixXd mat(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(r));
  for (std::size_t c = 0; c < r; ++c) {
    for (std::size_t q = 0; q < p; ++q) mat(static_cast<Eigen::Index>(q), static_cast<Eigen::Index>(c)) = m[c * p + q];
  }
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(mat);
  qr.setThreshold(1e-5);
  return static_cast<std::size_t>(qr.rank());
}

Status CheckVariables(std::size_t n, Variables variables, const char* what) {
  if (variables.empty()) return InvalidArgument(std::string(what) + ": no variables given");
  for (std::size_t j = 0; j < variables.size(); ++j) {
    if (variables[j].size() != n) {
      return InvalidArgument(std::string(what) + ": variable " + std::to_string(j + 1) + " has " +
                             std::to_string(variables[j].size()) + " values, the design " + std::to_string(n) +
                             " units");
    }
  }
  return Status::Ok();
}

Status CheckDomains(std::size_t n, Domains domains) {
  if (domains.domain.size() != n) {
    return InvalidArgument("domains: " + std::to_string(domains.domain.size()) + " values for " + std::to_string(n) +
                           " units");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto d = domains.domain[i];
    if (d < -1 || d >= static_cast<std::int64_t>(domains.domain_count)) {
      return InvalidArgument("domains: row " + std::to_string(i + 1) + " has domain " + std::to_string(d) +
                             ", outside 0.." + std::to_string(domains.domain_count) + "-1");
    }
  }
  return Status::Ok();
}

// Full-sample and replicate estimates of totals or means over domains.
struct ReplicateResult {
  std::vector<double> estimate;        // D·k
  std::vector<double> replicates;      // R × (D·k), column-major
  std::vector<std::size_t> count;      // D·k
};

// The weighted sums of the units of one PSU that fall in one domain:
// Σ w and Σ w x_j (k + 1 values). A replicate's domain totals are the sums
// of these cells times the replicate factor of their PSU, so the design is
// never rebuilt per replicate and no PSU × (domains · variables) table is
// held (an unclustered sample has one cell per unit).
struct PsuDomainCells {
  std::size_t width = 0;                 // k + 1
  std::vector<std::size_t> psu;          // per cell
  std::vector<std::size_t> domain_start; // D + 1 offsets: cells are domain-major, PSU order within
  std::vector<double> sums;              // cells × width, row-major
};

PsuDomainCells BuildCells(const ReplicateDesign::Data& d, Variables variables, std::span<const std::int64_t> unit_domain,
                          std::size_t D) {
  const std::size_t k = variables.size(), w = k + 1, P = d.psus();
  PsuDomainCells cells;
  cells.width = w;
  // Units of each domain in PSU order (counting sort by PSU, then by domain,
  // both stable), so each (domain, PSU) cell is a run of units.
  std::vector<std::size_t> by_psu(P + 1, 0);
  for (std::size_t i = 0; i < d.n; ++i) {
    if (unit_domain[i] >= 0) ++by_psu[d.psu[i] + 1];
  }
  for (std::size_t p = 0; p < P; ++p) by_psu[p + 1] += by_psu[p];
  std::vector<std::size_t> psu_order(by_psu[P]);
  for (std::size_t i = 0; i < d.n; ++i) {
    if (unit_domain[i] >= 0) psu_order[by_psu[d.psu[i]]++] = i;
  }
  std::vector<std::size_t> by_domain(D + 1, 0);
  for (std::size_t i : psu_order) ++by_domain[static_cast<std::size_t>(unit_domain[i]) + 1];
  for (std::size_t dd = 0; dd < D; ++dd) by_domain[dd + 1] += by_domain[dd];
  std::vector<std::size_t> order(psu_order.size());
  for (std::size_t i : psu_order) order[by_domain[static_cast<std::size_t>(unit_domain[i])]++] = i;
  psu_order = {};
  cells.domain_start.assign(D + 1, 0);
  cells.psu.reserve(order.size());  // at most one cell per unit
  cells.sums.reserve(order.size() * w);
  std::size_t prev_domain = D, prev_psu = P;
  for (std::size_t i : order) {
    const auto dom = static_cast<std::size_t>(unit_domain[i]);
    if (dom != prev_domain || d.psu[i] != prev_psu) {
      cells.psu.push_back(d.psu[i]);
      cells.sums.resize(cells.sums.size() + w, 0.0);
      ++cells.domain_start[dom + 1];
      prev_domain = dom;
      prev_psu = d.psu[i];
    }
    double* row = &cells.sums[cells.sums.size() - w];
    row[0] += d.weights[i];
    for (std::size_t j = 0; j < k; ++j) row[1 + j] += d.weights[i] * variables[j][i];
  }
  for (std::size_t dd = 0; dd < D; ++dd) cells.domain_start[dd + 1] += cells.domain_start[dd];
  return cells;
}

// Bootstrap replicate totals: T[r][dom·w + j] = Σ_cells in dom m_r(psu) · sums.
// Work is cut into fixed pieces (one domain × up to kReplicateBlock
// replicates, cells in blocks of kCellBlock), each a small matrix product
// computed by one thread, so the result does not depend on the thread count.
void BootstrapTotals(const ReplicateDesign::Data& d, const PsuDomainCells& cells, std::size_t D,
                     std::vector<double>& totals /* R × c, row-major */) {
  constexpr std::size_t kReplicateBlock = 64, kCellBlock = 2048;
  const std::size_t R = d.replicates, P = d.psus(), w = cells.width, c = D * w;
  const std::size_t rblocks = (R + kReplicateBlock - 1) / kReplicateBlock;
  totals.assign(R * c, 0.0);
  ParallelFor(D * rblocks, d.threads, [&](std::size_t item) {
    const std::size_t dom = item / rblocks, r0 = (item % rblocks) * kReplicateBlock;
    const std::size_t rc = std::min(kReplicateBlock, R - r0);
    Eigen::MatrixXd t = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(w), static_cast<Eigen::Index>(rc));
    const std::size_t cells_in_domain = cells.domain_start[dom + 1] - cells.domain_start[dom];
    Eigen::MatrixXd g(static_cast<Eigen::Index>(std::min(kCellBlock, cells_in_domain)), static_cast<Eigen::Index>(rc));
    for (std::size_t a = cells.domain_start[dom]; a < cells.domain_start[dom + 1]; a += kCellBlock) {
      const std::size_t len = std::min(kCellBlock, cells.domain_start[dom + 1] - a);
      for (std::size_t r = 0; r < rc; ++r) {
        const std::uint16_t* m = &d.multipliers[(r0 + r) * P];
        double* col = g.col(static_cast<Eigen::Index>(r)).data();
        for (std::size_t e = 0; e < len; ++e) col[e] = m[cells.psu[a + e]];
      }
      const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> s(
          &cells.sums[a * w], static_cast<Eigen::Index>(len), static_cast<Eigen::Index>(w));
      t.noalias() += s.transpose() * g.topRows(static_cast<Eigen::Index>(len));
    }
    for (std::size_t r = 0; r < rc; ++r) {
      for (std::size_t j = 0; j < w; ++j) {
        totals[(r0 + r) * c + dom * w + j] = t(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(r));
      }
    }
  });
}

Result<ReplicateResult> Compute(const ReplicateDesign::Data& d, Variables variables, Domains domains, bool mean,
                                const char* what) {
  TRYGHED_RETURN_IF_ERROR(CheckVariables(d.n, variables, what));
  const std::size_t k = variables.size();
  const std::size_t D = domains.domain_count;
  if (D == 0) return InvalidArgument(std::string(what) + ": no domains");
  auto domain_of = [&](std::size_t i) -> std::int64_t { return domains.domain.empty() ? 0 : domains.domain[i]; };
  // Column dd*(k+1) of a totals row is Σw of domain dd, dd*(k+1)+1+j is Σ w x_j.
  const std::size_t c = D * (k + 1);
  std::vector<std::size_t> count(D, 0);
  std::vector<std::int64_t> unit_domain(d.n, -1);  // -1: not used
  for (std::size_t i = 0; i < d.n; ++i) {
    const auto dom = domain_of(i);
    if (dom < 0) continue;
    bool complete = true;
    for (const auto& v : variables) complete = complete && !std::isnan(v[i]);
    if (!complete) continue;
    unit_domain[i] = dom;
    ++count[static_cast<std::size_t>(dom)];
  }
  for (std::size_t dd = 0; dd < D; ++dd) {
    if (count[dd] == 0) {
      return Numerical(std::string(what) + ": domain " + std::to_string(dd + 1) +
                       (domains.domain.empty() ? std::string(" (the whole sample)") : std::string()) +
                       " has no unit with a value; nothing to estimate");
    }
  }
  const PsuDomainCells cells = BuildCells(d, variables, unit_domain, D);
  const std::size_t w = k + 1;
  std::vector<double> total(c, 0.0), stratum_sum(d.strata * c, 0.0);
  for (std::size_t dd = 0; dd < D; ++dd) {
    for (std::size_t e = cells.domain_start[dd]; e < cells.domain_start[dd + 1]; ++e) {
      const double* s = &cells.sums[e * w];
      double* st = &stratum_sum[d.psu_stratum[cells.psu[e]] * c + dd * w];
      for (std::size_t j = 0; j < w; ++j) {
        total[dd * w + j] += s[j];
        st[j] += s[j];
      }
    }
  }
  const std::size_t E = D * k;
  auto finish = [&](const double* t, double* out, std::size_t stride) {
    for (std::size_t dd = 0; dd < D; ++dd) {
      for (std::size_t j = 0; j < k; ++j) {
        const double x = t[dd * w + 1 + j];
        const double sw = t[dd * w];
        out[(dd * k + j) * stride] = mean ? (sw != 0 ? x / sw : std::numeric_limits<double>::quiet_NaN()) : x;
      }
    }
  };
  ReplicateResult res;
  res.estimate.resize(E);
  finish(total.data(), res.estimate.data(), 1);
  const std::size_t R = d.replicates;
  res.replicates.assign(R * E, 0.0);
  if (!d.has_explicit() && d.type == ReplicateType::kBootstrap) {
    std::vector<double> totals;
    BootstrapTotals(d, cells, D, totals);
    for (std::size_t r = 0; r < R; ++r) finish(&totals[r * c], &res.replicates[r], R);
  } else {
    // Jackknife: the cells of each PSU, to subtract the dropped PSU.
    std::vector<std::size_t> psu_start, psu_cells;
    if (!d.has_explicit()) {
      psu_start.assign(d.psus() + 1, 0);
      for (std::size_t p : cells.psu) ++psu_start[p + 1];
      for (std::size_t p = 0; p < d.psus(); ++p) psu_start[p + 1] += psu_start[p];
      psu_cells.resize(cells.psu.size());
      std::vector<std::size_t> next(psu_start.begin(), psu_start.end() - 1);
      for (std::size_t e = 0; e < cells.psu.size(); ++e) psu_cells[next[cells.psu[e]]++] = e;
    }
    std::vector<std::size_t> cell_domain(cells.psu.size());
    for (std::size_t dd = 0; dd < D; ++dd) {
      for (std::size_t e = cells.domain_start[dd]; e < cells.domain_start[dd + 1]; ++e) cell_domain[e] = dd;
    }
    ParallelFor(R, d.threads, [&](std::size_t r) {
      std::vector<double> t(c, 0.0);
      if (d.has_explicit()) {
        const double* rw = &d.explicit_weights[r * d.n];
        for (std::size_t i = 0; i < d.n; ++i) {
          if (unit_domain[i] < 0) continue;
          double* row = &t[static_cast<std::size_t>(unit_domain[i]) * w];
          row[0] += rw[i];
          for (std::size_t j = 0; j < k; ++j) row[1 + j] += rw[i] * variables[j][i];
        }
      } else {
        const JackReplicate& j = d.jack[r];
        std::vector<double> sp(c, 0.0);
        if (j.drops_psu) {
          for (std::size_t q = psu_start[j.psu]; q < psu_start[j.psu + 1]; ++q) {
            const std::size_t e = psu_cells[q];
            for (std::size_t x = 0; x < w; ++x) sp[cell_domain[e] * w + x] += cells.sums[e * w + x];
          }
        }
        for (std::size_t cc = 0; cc < c; ++cc) {
          const double sh = stratum_sum[j.stratum * c + cc];
          t[cc] = j.outside * (total[cc] - sh) + j.in_stratum * (sh - sp[cc]);
        }
      }
      finish(t.data(), &res.replicates[r], R);
    });
  }
  res.count.resize(E);
  for (std::size_t dd = 0; dd < D; ++dd) {
    for (std::size_t j = 0; j < k; ++j) res.count[dd * k + j] = count[dd];
  }
  return res;
}

// R's svrVar: scale · Σ_r rscale_r (θ_r − θ̄)(θ_r − θ̄)ᵀ, θ̄ the mean of the
// replicates with rscale > 0 (or the full-sample estimate when mse).
// Replicates whose estimate is undefined (an empty domain in that replicate)
// are left out of that estimate, as R's na.omit does. Without undefined
// replicates the sum is one matrix product, cut into fixed column blocks
// (one thread each, so the result does not depend on the thread count).
Result<Estimates> Variance(const ReplicateDesign::Data& d, ReplicateResult res) {
  const std::size_t E = res.estimate.size();
  const std::size_t R = d.replicates;
  std::vector<double> centre(E, 0.0);
  bool any_nan = false;
  for (std::size_t e = 0; e < E; ++e) {
    double s = 0;
    std::size_t m = 0;
    for (std::size_t r = 0; r < R; ++r) {
      const double th = res.replicates[e * R + r];
      if (std::isnan(th)) {
        any_nan = true;
      } else if (d.rscales[r] > 0) {
        s += th;
        ++m;
      }
    }
    if (d.mse) {
      centre[e] = res.estimate[e];
      continue;
    }
    if (m == 0) {
      return Numerical("replicate variance: estimate " + std::to_string(e + 1) +
                       " is undefined in every replicate (its domain is empty in each)");
    }
    centre[e] = s / static_cast<double>(m);
  }
  bool negative_rscale = false;
  for (double x : d.rscales) negative_rscale = negative_rscale || x < 0;
  Estimates out;
  out.estimate = res.estimate;
  out.covariance = Matrix(E, E);
  if (!any_nan && !negative_rscale) {
    // X = diag(sqrt(rscale)) (Θ − 1 θ̄ᵀ), R × E; covariance = scale · XᵀX.
    Eigen::MatrixXd x(static_cast<Eigen::Index>(R), static_cast<Eigen::Index>(E));
    for (std::size_t e = 0; e < E; ++e) {
      for (std::size_t r = 0; r < R; ++r) {
        x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(e)) =
            std::sqrt(d.rscales[r]) * (res.replicates[e * R + r] - centre[e]);
      }
    }
    constexpr std::size_t kBlock = 128;
    const std::size_t blocks = (E + kBlock - 1) / kBlock;
    Eigen::Map<Eigen::MatrixXd> cov(out.covariance.values.data(), static_cast<Eigen::Index>(E),
                                    static_cast<Eigen::Index>(E));
    ParallelFor(blocks, d.threads, [&](std::size_t b) {
      const auto b0 = static_cast<Eigen::Index>(b * kBlock);
      const auto bc = static_cast<Eigen::Index>(std::min(kBlock, E - b * kBlock));
      cov.middleCols(b0, bc).noalias() = d.scale * (x.transpose() * x.middleCols(b0, bc));
    });
    // Exactly symmetric, as the pairwise sum below.
    for (std::size_t a = 0; a < E; ++a) {
      for (std::size_t b = a + 1; b < E; ++b) out.covariance(b, a) = out.covariance(a, b);
    }
  } else {
    for (std::size_t a = 0; a < E; ++a) {
      for (std::size_t b = a; b < E; ++b) {
        double s = 0;
        for (std::size_t r = 0; r < R; ++r) {
          const double ta = res.replicates[a * R + r], tb = res.replicates[b * R + r];
          if (std::isnan(ta) || std::isnan(tb)) continue;
          s += d.rscales[r] * (ta - centre[a]) * (tb - centre[b]);
        }
        out.covariance(a, b) = out.covariance(b, a) = d.scale * s;
      }
    }
  }
  for (double v : out.covariance.values) {
    if (!std::isfinite(v)) return Numerical("replicate variance is not finite (an input value is too large)");
  }
  out.df = d.df;
  out.n = std::move(res.count);
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------

ReplicateDesign::ReplicateDesign(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
std::size_t ReplicateDesign::size() const { return data_->n; }
std::size_t ReplicateDesign::replicate_count() const { return data_->replicates; }
std::span<const double> ReplicateDesign::weights() const { return data_->weights; }
double ReplicateDesign::scale() const { return data_->scale; }
std::span<const double> ReplicateDesign::rscales() const { return data_->rscales; }
bool ReplicateDesign::mse() const { return data_->mse; }
double ReplicateDesign::df() const { return data_->df; }

std::vector<double> ReplicateDesign::replicate_weights(std::size_t r) const {
  const Data& d = *data_;
  std::vector<double> w(d.n, 0.0);
  if (r >= d.replicates) return w;
  if (d.has_explicit()) return std::vector<double>(d.explicit_weights.begin() + static_cast<std::ptrdiff_t>(r * d.n),
                                                   d.explicit_weights.begin() + static_cast<std::ptrdiff_t>((r + 1) * d.n));
  for (std::size_t i = 0; i < d.n; ++i) w[i] = d.weights[i] * d.Factor(d.psu[i], r);
  return w;
}

Result<ReplicateDesign> MakeReplicates(const Design& design, const ReplicateOptions& options) {
  const internal::DesignData& dd = design.data();
  if (!dd.calibration.empty()) {
    return InvalidArgument(
        "replicate weights: the design is calibrated; build replicates from the uncalibrated design (R's "
        "as.svrepdesign also ignores calibration)");
  }
  auto d = std::make_shared<ReplicateDesign::Data>();
  d->n = dd.n;
  d->weights = dd.weights;
  d->psu = dd.psu;
  d->stratum = dd.stratum;
  d->psu_stratum = dd.psu_stratum;
  d->strata = dd.stratum_psus.size();
  d->type = options.type;
  d->mse = options.mse;
  d->threads = ThreadCount(options.threads);
  const std::size_t P = dd.psu_stratum.size();
  const std::size_t H = d->strata;
  // PSUs of each stratum, in PSU order.
  std::vector<std::vector<std::size_t>> members(H);
  for (std::size_t p = 0; p < P; ++p) members[dd.psu_stratum[p]].push_back(p);

  switch (options.type) {
    case ReplicateType::kJK1: {
      if (H > 1) {
        return InvalidArgument("replicate weights: JK1 is for unstratified designs and this design has " +
                               std::to_string(H) + " strata; use JKn");
      }
      if (P < 2) return InvalidArgument("replicate weights: JK1 needs at least 2 PSUs, the design has " + std::to_string(P));
      const double np = static_cast<double>(P);
      const double fpc = dd.stratum_fpc_factor[0];
      for (std::size_t p = 0; p < P; ++p) d->jack.push_back({0, p, true, np / (np - 1), 1.0});
      d->scale = fpc * (np - 1) / np;
      d->rscales.assign(P, 1.0);
      d->df = np - 1;
      break;
    }
    case ReplicateType::kJKn: {
      std::size_t skipped_lonely = 0, adjusted = 0;
      double df = 0;
      for (std::size_t h = 0; h < H; ++h) {
        const double nh = static_cast<double>(members[h].size());
        const double fpc = dd.stratum_fpc_factor[h];
        if (fpc < 1e-7) continue;  // a census stratum: no replicates (R: survey.drop.replicates)
        if (members[h].size() == 1) {
          switch (dd.lonely_psu) {
            case LonelyPsu::kFail:
              return InvalidArgument("replicate weights: stratum " + std::to_string(dd.stratum_codes[h]) +
                                     " has only one PSU, so JKn cannot drop it; choose a lonely-PSU rule "
                                     "(adjust, average, certainty, remove) or merge strata");
            case LonelyPsu::kAdjust: {
              const double hh = static_cast<double>(H);
              if (H < 2) return InvalidArgument("replicate weights: lonely-PSU rule 'adjust' needs at least 2 strata");
              d->jack.push_back({h, members[h][0], false, 0.0, hh / (hh - 1)});
              d->rscales.push_back((hh - 1) / hh);
              ++adjusted;
              continue;
            }
            case LonelyPsu::kAverage:
            case LonelyPsu::kCertainty:
            case LonelyPsu::kRemove:
              ++skipped_lonely;
              continue;
          }
        }
        for (std::size_t p : members[h]) {
          d->jack.push_back({h, p, true, nh / (nh - 1), 1.0});
          d->rscales.push_back(fpc * (nh - 1) / nh);
        }
        df += nh - 1;
      }
      if (d->jack.empty()) {
        return InvalidArgument("replicate weights: every stratum was sampled completely (or has one PSU); there is "
                               "no sampling variance to replicate");
      }
      d->scale = 1;
      if (dd.lonely_psu == LonelyPsu::kAverage && skipped_lonely > 0) {
        // R: scale · (PSUs) / (replicates) when lonely strata are averaged.
        d->scale = static_cast<double>(P) / static_cast<double>(d->jack.size());
      }
      d->df = df + static_cast<double>(adjusted);
      break;
    }
    case ReplicateType::kBootstrap: {
      std::size_t R = options.replicates;
      if (options.multipliers != nullptr) {
        const Matrix& m = *options.multipliers;
        if (m.cols != P) {
          return InvalidArgument("replicate weights: the multiplier matrix has " + std::to_string(m.cols) +
                                 " columns, the design " + std::to_string(P) + " PSUs");
        }
        R = m.rows;
        if (R < 2) return InvalidArgument("replicate weights: at least 2 bootstrap replicates are needed");
        d->multipliers.reset(new std::uint16_t[P * R]);
        for (std::size_t r = 0; r < R; ++r) {
          for (std::size_t p = 0; p < P; ++p) {
            const double x = m(r, p);
            if (!(x >= 0 && x <= 65535 && x == std::floor(x))) {
              return InvalidArgument("replicate weights: multiplier of replicate " + std::to_string(r + 1) +
                                     ", PSU " + std::to_string(p + 1) + " is " + FormatNumber(x) +
                                     "; multipliers are whole draw counts from 0 to 65535");
            }
            d->multipliers[r * P + p] = static_cast<std::uint16_t>(x);
          }
        }
      } else {
        if (R < 2) return InvalidArgument("replicate weights: at least 2 bootstrap replicates are needed");
        d->multipliers.reset(new std::uint16_t[P * R]);  // zeroed per replicate below
        const std::uint64_t seed = options.seed;
        ParallelFor(R, d->threads, [&](std::size_t r) {
          Xoshiro256 rng = internal::ReplicateGenerator(seed, r);
          std::uint16_t* m = &d->multipliers[r * P];
          std::fill(m, m + P, std::uint16_t{0});
          std::vector<std::uint64_t> chosen;
          std::vector<std::size_t> shuffled;
          for (std::size_t h = 0; h < H; ++h) {
            const auto& ps = members[h];
            const std::uint64_t nh = ps.size();
            const double N = dd.stratum_population[h];
            if (!std::isfinite(N)) {
              // With replacement: n_h draws from the stratum's n_h PSUs.
              for (std::uint64_t t = 0; t < nh; ++t) m[ps[Below(rng, nh)]] += 1;
              continue;
            }
            // Without replacement from the pseudo-population of N_h copies
            // (R: sample(rep(psus, length = N_h), n_h)): position q holds PSU
            // order[q mod n_h]. When n_h does not divide N_h, the
            // N_h mod n_h PSUs that get an extra copy are chosen at random
            // (a partial Fisher–Yates shuffle); which PSU holds which other
            // positions does not matter, as the positions drawn are a
            // uniformly random subset.
            const auto pop = static_cast<std::uint64_t>(std::floor(N));
            const std::size_t* order = ps.data();
            if (pop % nh != 0) {
              shuffled.assign(ps.begin(), ps.end());
              for (std::uint64_t t = 0; t < pop % nh; ++t) {
                std::swap(shuffled[t], shuffled[t + Below(rng, nh - t)]);
              }
              order = shuffled.data();
            }
            // Floyd's algorithm; `chosen` marks the positions drawn so far.
            chosen.assign(pop / 64 + 1, 0);
            auto take = [&chosen](std::uint64_t t) {
              const std::uint64_t bit = std::uint64_t{1} << (t % 64);
              const bool fresh = (chosen[t / 64] & bit) == 0;
              chosen[t / 64] |= bit;
              return fresh;
            };
            const bool small = pop < (std::uint64_t{1} << 32);
            const FastMod mod(nh);
            for (std::uint64_t j = pop - nh; j < pop; ++j) {
              std::uint64_t t = Below(rng, j + 1);
              if (!take(t)) {
                t = j;
                take(t);
              }
              m[order[small ? mod(t) : t % nh]] += 1;
            }
          }
        });
      }
      // scale = h / ((h − 1)(R − 1)), h the harmonic mean of PSUs per stratum.
      double inv = 0;
      for (std::size_t h = 0; h < H; ++h) inv += 1.0 / static_cast<double>(members[h].size());
      const double hm = static_cast<double>(H) / inv;
      if (!(hm > 1)) {
        return InvalidArgument("replicate weights: the bootstrap needs strata with at least 2 PSUs (every stratum "
                               "has one)");
      }
      d->replicates = R;
      d->scale = hm / ((hm - 1) * static_cast<double>(R - 1));
      d->rscales.assign(R, 1.0);
      // R's degf: the rank of the analysis weights. Exact for moderate sizes;
      // otherwise the generic rank min(R, P − H + 1) (every stratum's
      // multipliers add up to n_h).
      const double work = static_cast<double>(P) * static_cast<double>(R) * static_cast<double>(std::min(P, R));
      const std::size_t rank =
          work <= 5e8 ? MultiplierRank(d->multipliers.get(), P, R) : std::min<std::size_t>(R, P - H + 1);
      d->df = static_cast<double>(rank) - 1;
      break;
    }
  }
  if (options.type != ReplicateType::kBootstrap) d->replicates = d->jack.size();
  return ReplicateDesign(std::move(d));
}

Result<Estimates> Total(const ReplicateDesign& design, Variables variables) {
  auto r = Compute(design.data(), variables, Domains{{}, 1}, false, "total");
  if (!r.ok()) return r.status();
  return Variance(design.data(), std::move(r).value());
}

Result<Estimates> Mean(const ReplicateDesign& design, Variables variables) {
  auto r = Compute(design.data(), variables, Domains{{}, 1}, true, "mean");
  if (!r.ok()) return r.status();
  return Variance(design.data(), std::move(r).value());
}

Result<Estimates> MeanByDomain(const ReplicateDesign& design, Variables variables, Domains domains) {
  TRYGHED_RETURN_IF_ERROR(CheckDomains(design.size(), domains));
  auto r = Compute(design.data(), variables, domains, true, "mean");
  if (!r.ok()) return r.status();
  return Variance(design.data(), std::move(r).value());
}

Result<Estimates> TotalByDomain(const ReplicateDesign& design, Variables variables, Domains domains) {
  TRYGHED_RETURN_IF_ERROR(CheckDomains(design.size(), domains));
  auto r = Compute(design.data(), variables, domains, false, "total");
  if (!r.ok()) return r.status();
  return Variance(design.data(), std::move(r).value());
}

namespace {
Result<Estimates> RatioOf(const ReplicateDesign::Data& d, std::span<const double> numerator,
                          std::span<const double> denominator, Domains domains) {
  const std::span<const double> vars[2] = {numerator, denominator};
  auto t = Compute(d, vars, domains, false, "ratio");
  if (!t.ok()) return t.status();
  const std::size_t D = domains.domain_count, R = d.replicates;
  ReplicateResult out;
  out.estimate.resize(D);
  out.replicates.resize(R * D);
  out.count.resize(D);
  for (std::size_t dd = 0; dd < D; ++dd) {
    const double tx = t->estimate[dd * 2 + 1];
    if (tx == 0) {
      return Numerical("ratio: the denominator total of domain " + std::to_string(dd + 1) +
                       " is 0; the ratio is undefined");
    }
    out.estimate[dd] = t->estimate[dd * 2] / tx;
    out.count[dd] = t->count[dd * 2];
    for (std::size_t r = 0; r < R; ++r) {
      const double rx = t->replicates[(dd * 2 + 1) * R + r];
      out.replicates[dd * R + r] =
          rx != 0 ? t->replicates[dd * 2 * R + r] / rx : std::numeric_limits<double>::quiet_NaN();
    }
  }
  return Variance(d, std::move(out));
}
}  // namespace

Result<Estimates> Ratio(const ReplicateDesign& design, std::span<const double> numerator,
                        std::span<const double> denominator) {
  return RatioOf(design.data(), numerator, denominator, Domains{{}, 1});
}

Result<Estimates> RatioByDomain(const ReplicateDesign& design, std::span<const double> numerator,
                                std::span<const double> denominator, Domains domains) {
  TRYGHED_RETURN_IF_ERROR(CheckDomains(design.size(), domains));
  return RatioOf(design.data(), numerator, denominator, domains);
}

Result<Estimates> ReplicateVariance(const ReplicateDesign& design, std::vector<double> estimate,
                                    const Matrix& replicates) {
  if (replicates.rows != design.replicate_count() || replicates.cols != estimate.size()) {
    return InvalidArgument("replicate variance: " + std::to_string(replicates.rows) + " × " +
                           std::to_string(replicates.cols) + " replicate estimates for " +
                           std::to_string(design.replicate_count()) + " replicates and " +
                           std::to_string(estimate.size()) + " estimates");
  }
  ReplicateResult res;
  res.estimate = std::move(estimate);
  res.replicates = replicates.values;
  return Variance(design.data(), std::move(res));
}

double SubsetDf(const ReplicateDesign& design, std::span<const bool> in_subset) {
  const ReplicateDesign::Data& d = design.data();
  const std::size_t R = d.replicates;
  // Rows of the subset's analysis weights, up to proportionality: the units
  // of one PSU share their replicate factors, so one row per PSU (units with
  // explicit, raked weights each give a row).
  std::vector<std::size_t> rows;
  std::vector<bool> seen(d.psus(), false);
  for (std::size_t i = 0; i < d.n && i < in_subset.size(); ++i) {
    if (!in_subset[i] || d.weights[i] == 0) continue;
    if (d.has_explicit()) {
      rows.push_back(i);
    } else if (!seen[d.psu[i]]) {
      seen[d.psu[i]] = true;
      rows.push_back(d.psu[i]);
    }
  }
  const std::size_t m = rows.size();
  if (m == 0) return -1;
  const double work = static_cast<double>(m) * static_cast<double>(R) * static_cast<double>(std::min(m, R));
  if (work > 5e8) return static_cast<double>(std::min(m, R)) - 1;
  Eigen::MatrixXd a(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(R));
  for (std::size_t r = 0; r < R; ++r) {
    for (std::size_t q = 0; q < m; ++q) {
      a(static_cast<Eigen::Index>(q), static_cast<Eigen::Index>(r)) =
          d.has_explicit() ? d.explicit_weights[r * d.n + rows[q]] : d.Factor(rows[q], r);
    }
  }
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(a);
  qr.setThreshold(1e-5);
  return static_cast<double>(qr.rank()) - 1;
}

namespace {
Matrix ToMatrix(const ReplicateResult& r, std::size_t R) {
  Matrix m(R, r.estimate.size());
  m.values = r.replicates;
  return m;
}
}  // namespace

Result<Matrix> ReplicateMeans(const ReplicateDesign& design, Variables variables) {
  auto r = Compute(design.data(), variables, Domains{{}, 1}, true, "mean");
  if (!r.ok()) return r.status();
  return ToMatrix(*r, design.replicate_count());
}

Result<Matrix> ReplicateMeansByDomain(const ReplicateDesign& design, Variables variables, Domains domains) {
  TRYGHED_RETURN_IF_ERROR(CheckDomains(design.size(), domains));
  auto r = Compute(design.data(), variables, domains, true, "mean");
  if (!r.ok()) return r.status();
  return ToMatrix(*r, design.replicate_count());
}

Result<ReplicateDesign> Rake(const ReplicateDesign& design, std::span<const Margin> margins,
                             const RakeOptions& options) {
  const ReplicateDesign::Data& d = design.data();
  // The full-sample raking first: it checks the margins (empty cells,
  // contradictions, levels) and convergence, with the same messages.
  DesignSpec spec;
  spec.weights = d.weights;
  auto plain = Design::Create(std::move(spec));
  if (!plain.ok()) return plain.status();
  auto full = Rake(*plain, margins, options);
  if (!full.ok()) return full.status();

  const std::size_t n = d.n, R = d.replicates;
  auto out = std::make_shared<ReplicateDesign::Data>(d);
  out->explicit_weights.resize(n * R);
  for (std::size_t r = 0; r < R; ++r) {
    const auto w = design.replicate_weights(r);
    std::copy(w.begin(), w.end(), out->explicit_weights.begin() + static_cast<std::ptrdiff_t>(r * n));
  }
  // As R's rake() on a replicate design: every sweep post-stratifies the
  // full-sample weights and each replicate's weights to each margin; the
  // number of sweeps is set by the full-sample weights (joint-table rule of
  // Rake(Design)).
  const internal::JointCells joint_index = internal::IndexJointCells(margins, n);
  const std::vector<std::size_t>& joint = joint_index.cell;
  const std::size_t joint_cells = joint_index.count;
  auto table = [&](const std::vector<double>& w) {
    std::vector<double> t(joint_cells, 0.0);
    for (std::size_t i = 0; i < n; ++i) t[joint[i]] += w[i];
    return t;
  };
  auto post_stratify = [&](double* w, const Margin& m) {
    std::vector<double> sum(m.population.size(), 0.0);
    for (std::size_t i = 0; i < n; ++i) sum[static_cast<std::size_t>(m.level[i])] += w[i];
    for (std::size_t i = 0; i < n; ++i) {
      const auto l = static_cast<std::size_t>(m.level[i]);
      w[i] *= m.population[l] / sum[l];  // an empty cell in a replicate gives NaN: dropped, as R's na.omit
    }
  };
  std::vector<double> w = d.weights;
  double total = 0;
  for (double x : w) total += x;
  const double epsilon = options.epsilon < 1 ? options.epsilon * total : options.epsilon;
  std::vector<double> old_table = table(w);
  for (int iter = 0; iter < options.max_iterations; ++iter) {
    for (const Margin& m : margins) post_stratify(w.data(), m);
    ParallelFor(R, out->threads, [&](std::size_t r) {
      for (const Margin& m : margins) post_stratify(&out->explicit_weights[r * n], m);
    });
    std::vector<double> new_table = table(w);
    double delta = 0;
    for (std::size_t c = 0; c < joint_cells; ++c) delta = std::max(delta, std::abs(old_table[c] - new_table[c]));
    if (delta < epsilon) break;
    old_table = std::move(new_table);
  }
  out->weights = std::move(w);
  return ReplicateDesign(std::move(out));
}

Result<double> ReplicateQuantile(std::span<const double> values, double probability) {
  if (!(probability >= 0 && probability <= 1)) {
    return InvalidArgument("quantile: probability " + FormatNumber(probability) + " is outside [0, 1]");
  }
  std::vector<double> x;
  x.reserve(values.size());
  for (double v : values) {
    if (!std::isnan(v)) x.push_back(v);
  }
  if (x.empty()) return Numerical("quantile: no replicate estimate is defined");
  std::sort(x.begin(), x.end());
  // R type 7: h = (n − 1)p; x[floor h] + (h − floor h)(x[floor h + 1] − x[floor h]).
  const double h = static_cast<double>(x.size() - 1) * probability;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, x.size() - 1);
  return x[lo] + (h - static_cast<double>(lo)) * (x[hi] - x[lo]);
}

}  // namespace tryghed::stats
