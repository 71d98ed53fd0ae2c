#include "stats/replicates.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>

#include <Eigen/Dense>

#include "stats/internal/design_data.h"
#include "stats/internal/format.h"
#include "stats/internal/joint_cells.h"

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
  // keep 100,000 PSUs × 500 replicates at 100 MB.
  std::vector<std::uint16_t> multipliers;
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

using internal::FormatNumber;

unsigned ThreadCount(unsigned requested) {
  if (requested > 0) return requested;
  const unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : hc;
}

// Runs body(r) for r in [0, count) on `threads` threads, each taking one
// contiguous block; every r is computed by exactly one thread and writes only
// its own outputs, so results do not depend on the number of threads.
template <typename Body>
void ParallelFor(std::size_t count, unsigned threads, Body body) {
  const std::size_t t = std::min<std::size_t>(threads, std::max<std::size_t>(count, 1));
  if (t <= 1) {
    for (std::size_t r = 0; r < count; ++r) body(r);
    return;
  }
  std::vector<std::jthread> pool;
  pool.reserve(t);
  for (std::size_t k = 0; k < t; ++k) {
    const std::size_t begin = count * k / t, end = count * (k + 1) / t;
    pool.emplace_back([begin, end, &body] {
      for (std::size_t r = begin; r < end; ++r) body(r);
    });
  }
}

// SplitMix64 (Steele, Lea & Flood 2014): turns (seed, replicate) into the
// seed of that replicate's std::mt19937_64.
std::uint64_t SplitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A uniform integer in [0, bound) by Lemire's multiply-and-reject method
// (ACM TOMACS 2019), identical on every platform (std::uniform_int_distribution
// is not specified exactly) and without a division in the common case.
__extension__ typedef unsigned __int128 Uint128;  // GCC and Clang

std::uint64_t Below(std::mt19937_64& rng, std::uint64_t bound) {
  Uint128 m = static_cast<Uint128>(rng()) * bound;
  auto low = static_cast<std::uint64_t>(m);
  if (low < bound) {
    const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod bound
    while (low < threshold) {
      m = static_cast<Uint128>(rng()) * bound;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

// Rank of the P × R multiplier matrix (= rank of R's analysis weights), with
// R's qr tolerance 1e-5.
std::size_t MultiplierRank(const std::vector<std::uint16_t>& m, std::size_t p, std::size_t r) {
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

Result<ReplicateResult> Compute(const ReplicateDesign::Data& d, Variables variables, Domains domains, bool mean,
                                const char* what) {
  TRYGHED_RETURN_IF_ERROR(CheckVariables(d.n, variables, what));
  const std::size_t k = variables.size();
  const std::size_t D = domains.domain_count;
  if (D == 0) return InvalidArgument(std::string(what) + ": no domains");
  auto domain_of = [&](std::size_t i) -> std::int64_t { return domains.domain.empty() ? 0 : domains.domain[i]; };
  // Per-PSU sums: column dd*(k+1) is Σw, dd*(k+1)+1+j is Σ w x_j.
  const std::size_t c = D * (k + 1);
  const std::size_t P = d.psus();
  std::vector<double> psu_sum(P * c, 0.0);  // row-major: psu p, column cc
  std::vector<std::size_t> count(D, 0);
  std::vector<std::int64_t> unit_domain(d.n, -1);  // -1: not used
  for (std::size_t i = 0; i < d.n; ++i) {
    const auto dom = domain_of(i);
    if (dom < 0) continue;
    bool complete = true;
    for (const auto& v : variables) complete = complete && !std::isnan(v[i]);
    if (!complete) continue;
    const auto du = static_cast<std::size_t>(dom);
    unit_domain[i] = dom;
    ++count[du];
    double* row = &psu_sum[d.psu[i] * c + du * (k + 1)];
    row[0] += d.weights[i];
    for (std::size_t j = 0; j < k; ++j) row[1 + j] += d.weights[i] * variables[j][i];
  }
  for (std::size_t dd = 0; dd < D; ++dd) {
    if (count[dd] == 0) {
      return Numerical(std::string(what) + ": domain " + std::to_string(dd + 1) +
                       (domains.domain.empty() ? std::string(" (the whole sample)") : std::string()) +
                       " has no unit with a value; nothing to estimate");
    }
  }
  std::vector<double> total(c, 0.0), stratum_sum(d.strata * c, 0.0);
  for (std::size_t p = 0; p < P; ++p) {
    for (std::size_t cc = 0; cc < c; ++cc) {
      total[cc] += psu_sum[p * c + cc];
      stratum_sum[d.psu_stratum[p] * c + cc] += psu_sum[p * c + cc];
    }
  }
  const std::size_t E = D * k;
  auto finish = [&](const std::vector<double>& t, double* out, std::size_t stride) {
    for (std::size_t dd = 0; dd < D; ++dd) {
      for (std::size_t j = 0; j < k; ++j) {
        const double x = t[dd * (k + 1) + 1 + j];
        const double w = t[dd * (k + 1)];
        out[(dd * k + j) * stride] = mean ? (w != 0 ? x / w : std::numeric_limits<double>::quiet_NaN()) : x;
      }
    }
  };
  ReplicateResult res;
  res.estimate.resize(E);
  finish(total, res.estimate.data(), 1);
  const std::size_t R = d.replicates;
  res.replicates.assign(R * E, 0.0);
  ParallelFor(R, d.threads, [&](std::size_t r) {
    std::vector<double> t(c, 0.0);
    if (d.has_explicit()) {
      const double* w = &d.explicit_weights[r * d.n];
      for (std::size_t i = 0; i < d.n; ++i) {
        if (unit_domain[i] < 0) continue;
        double* row = &t[static_cast<std::size_t>(unit_domain[i]) * (k + 1)];
        row[0] += w[i];
        for (std::size_t j = 0; j < k; ++j) row[1 + j] += w[i] * variables[j][i];
      }
    } else if (d.type == ReplicateType::kBootstrap) {
      const std::uint16_t* m = &d.multipliers[r * P];
      for (std::size_t p = 0; p < P; ++p) {
        if (m[p] == 0) continue;
        const double f = m[p];
        for (std::size_t cc = 0; cc < c; ++cc) t[cc] += f * psu_sum[p * c + cc];
      }
    } else {
      const JackReplicate& j = d.jack[r];
      for (std::size_t cc = 0; cc < c; ++cc) {
        const double sh = stratum_sum[j.stratum * c + cc];
        const double sp = j.drops_psu ? psu_sum[j.psu * c + cc] : 0.0;
        t[cc] = j.outside * (total[cc] - sh) + j.in_stratum * (sh - sp);
      }
    }
    finish(t, &res.replicates[r], R);
  });
  res.count.resize(E);
  for (std::size_t dd = 0; dd < D; ++dd) {
    for (std::size_t j = 0; j < k; ++j) res.count[dd * k + j] = count[dd];
  }
  return res;
}

// R's svrVar: scale · Σ_r rscale_r (θ_r − θ̄)(θ_r − θ̄)ᵀ, θ̄ the mean of the
// replicates with rscale > 0 (or the full-sample estimate when mse).
// Replicates whose estimate is undefined (an empty domain in that replicate)
// are left out of that estimate, as R's na.omit does.
Result<Estimates> Variance(const ReplicateDesign::Data& d, ReplicateResult res) {
  const std::size_t E = res.estimate.size();
  const std::size_t R = d.replicates;
  std::vector<double> centre(E, 0.0);
  for (std::size_t e = 0; e < E; ++e) {
    if (d.mse) {
      centre[e] = res.estimate[e];
      continue;
    }
    double s = 0;
    std::size_t m = 0;
    for (std::size_t r = 0; r < R; ++r) {
      const double th = res.replicates[e * R + r];
      if (d.rscales[r] > 0 && !std::isnan(th)) {
        s += th;
        ++m;
      }
    }
    if (m == 0) {
      return Numerical("replicate variance: estimate " + std::to_string(e + 1) +
                       " is undefined in every replicate (its domain is empty in each)");
    }
    centre[e] = s / static_cast<double>(m);
  }
  Estimates out;
  out.estimate = res.estimate;
  out.covariance = Matrix(E, E);
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
        d->multipliers.resize(P * R);
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
        d->multipliers.assign(P * R, 0);
        const std::uint64_t seed = options.seed;
        ParallelFor(R, d->threads, [&](std::size_t r) {
          std::mt19937_64 rng(SplitMix64(seed ^ SplitMix64(static_cast<std::uint64_t>(r))));
          std::uint16_t* m = &d->multipliers[r * P];
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
            // order[q mod n_h]; the order is shuffled so the PSUs that get an
            // extra copy when n_h does not divide N_h are random.
            std::vector<std::size_t> order(ps.begin(), ps.end());
            for (std::uint64_t t = nh; t > 1; --t) std::swap(order[t - 1], order[Below(rng, t)]);
            const auto pop = static_cast<std::uint64_t>(std::floor(N));
            std::unordered_set<std::uint64_t> chosen;  // Floyd's algorithm
            for (std::uint64_t j = pop - nh; j < pop; ++j) {
              std::uint64_t t = Below(rng, j + 1);
              if (!chosen.insert(t).second) {
                t = j;
                chosen.insert(t);
              }
              m[order[t % nh]] += 1;
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
          work <= 5e8 ? MultiplierRank(d->multipliers, P, R) : std::min<std::size_t>(R, P - H + 1);
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
