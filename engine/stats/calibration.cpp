#include "stats/calibration.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <Eigen/Dense>

#include "stats/internal/design_data.h"
#include "stats/internal/format.h"
#include "stats/internal/joint_cells.h"

namespace tryghed::stats {

namespace {

using core::InvalidArgument;
using core::InvalidInput;
using core::Numerical;
using core::Result;
using core::Status;

using internal::FormatNumber;

// ---------------------------------------------------------------------------
// Residualisation steps (R's design$postStrata entries, applied by svyrecvar).

// True when every group of `cell` (per unit, 0..cells-1) lies within one
// stratum of `d`.
bool CellsWithinStrata(const internal::DesignData& d, const std::vector<std::size_t>& cell, std::size_t cells) {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> stratum_of(cells, kNone);
  for (std::size_t i = 0; i < cell.size(); ++i) {
    std::size_t& s = stratum_of[cell[i]];
    if (s == kNone) s = d.stratum[i];
    if (s != d.stratum[i]) return false;
  }
  return true;
}

// The groups of `cell` met by `units`, numbered 0.. in order of appearance:
// local[u] for each unit, and the count.
struct LocalCells {
  std::vector<std::size_t> local;
  std::size_t count = 0;
};
LocalCells Localize(const std::vector<std::size_t>& cell, std::size_t cells, std::span<const std::size_t> units,
                    std::vector<std::size_t>& scratch) {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  scratch.assign(cells, kNone);
  LocalCells out;
  out.local.resize(units.size());
  for (std::size_t u = 0; u < units.size(); ++u) {
    std::size_t& l = scratch[cell[units[u]]];
    if (l == kNone) l = out.count++;
    out.local[u] = l;
  }
  return out;
}

// postStratify(): x_i − psw_i · Σ_{j∈g} x_j·oldw_j/psw_j / Σ_{j∈g} oldw_j.
class PostStratumStep final : public internal::CalibrationStep {
 public:
  PostStratumStep(std::vector<std::size_t> cell, std::size_t cells, std::vector<double> oldw, std::vector<double> psw,
                  bool within_strata)
      : cell_(std::move(cell)), cells_(cells), oldw_(std::move(oldw)), psw_(std::move(psw)), within_strata_(within_strata) {
    for (std::size_t i = 0; i < psw_.size(); ++i) {
      if (psw_[i] == 0 && oldw_[i] == 0) psw_[i] = 1;  // as R: both zero after a subset
    }
  }
  void Residualize(Eigen::MatrixXd& z) const override {
    std::vector<std::size_t> all(cell_.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    ResidualizeUnits(all, z);
  }
  bool WithinStrata() const override { return within_strata_; }
  void ResidualizeUnits(std::span<const std::size_t> units, Eigen::MatrixXd& z) const override {
    std::vector<std::size_t> scratch;
    const LocalCells lc = Localize(cell_, cells_, units, scratch);
    const std::size_t n = units.size();
    std::vector<double> den(lc.count, 0.0);
    for (std::size_t u = 0; u < n; ++u) den[lc.local[u]] += oldw_[units[u]];
    std::vector<double> num(lc.count);
    for (Eigen::Index j = 0; j < z.cols(); ++j) {
      std::fill(num.begin(), num.end(), 0.0);
      for (std::size_t u = 0; u < n; ++u) {
        const std::size_t i = units[u];
        num[lc.local[u]] += z(static_cast<Eigen::Index>(u), j) * oldw_[i] / psw_[i];
      }
      for (std::size_t u = 0; u < n; ++u) {
        const std::size_t c = lc.local[u];
        if (den[c] != 0) z(static_cast<Eigen::Index>(u), j) -= num[c] / den[c] * psw_[units[u]];
      }
    }
  }

 private:
  std::vector<std::size_t> cell_;
  std::size_t cells_;
  std::vector<double> oldw_;
  std::vector<double> psw_;
  bool within_strata_;
};

// rake(): ten backfitting sweeps of unweighted centring of x/psw within the
// cells of each margin, psw being the weights right after that margin was
// post-stratified in the last raking sweep.
//
// A sweep only ever subtracts psw_m · a_m[cell] from x, so after any number
// of sweeps x = x0 − Σ_m psw_m · a_m[cell_m], and the sweeps can run on the
// coefficients a_m alone: the sum of x/psw_m over a cell c of margin m is
//   b_m[c] − Σ_m' Σ_{joint cells j in c} G_mm'[j] · a_m'[cell_m'(j)],
// with b_m[c] = Σ_{i in c} x0_i/psw_m,i and G_mm'[j] = Σ_{i in j} psw_m',i/psw_m,i
// over the joint cells j of all margins. Each sweep then costs O(joint cells)
// instead of O(units), and x is rebuilt once at the end; the result is R's
// ten sweeps up to rounding.
class RakingStep final : public internal::CalibrationStep {
 public:
  struct MarginCells {
    std::vector<std::size_t> cell;
    std::size_t cells = 0;
    std::vector<double> psw;
  };
  RakingStep(std::vector<MarginCells> margins, bool within_strata)
      : margins_(std::move(margins)), within_strata_(within_strata) {}
  void Residualize(Eigen::MatrixXd& z) const override {
    std::vector<std::size_t> all(margins_.front().cell.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    ResidualizeUnits(all, z);
  }
  bool WithinStrata() const override { return within_strata_; }
  void ResidualizeUnits(std::span<const std::size_t> units, Eigen::MatrixXd& z) const override {
    constexpr int kSweeps = 10;  // fixed in R's svyrecvar
    const std::size_t M = margins_.size();
    const std::size_t n = units.size();
    const std::shared_ptr<const UnitCells> uc = CellsOf(units);
    const std::size_t J = uc->joint_count;
    std::vector<std::vector<double>> a(M), b(M);
    std::vector<double> s, sum(uc->constant_psw ? J : 0), shift(uc->constant_psw ? J : 0);
    for (Eigen::Index col = 0; col < z.cols(); ++col) {
      double* x = z.col(col).data();
      if (uc->constant_psw) {
        // psw_m is the same for every unit of a joint cell: b needs only the
        // sum of x over each joint cell.
        std::fill(sum.begin(), sum.end(), 0.0);
        for (std::size_t u = 0; u < n; ++u) sum[uc->joint[u]] += x[u];
      }
      for (std::size_t m = 0; m < M; ++m) {
        b[m].assign(uc->count[m].size(), 0.0);
        a[m].assign(uc->count[m].size(), 0.0);
        if (uc->constant_psw) {
          for (std::size_t j = 0; j < J; ++j) b[m][uc->joint_cell[j * M + m]] += sum[j] / uc->joint_psw[j * M + m];
          continue;
        }
        const std::uint32_t* local = uc->local.data() + m * n;
        const double* psw = uc->psw.data() + m * n;
        for (std::size_t u = 0; u < n; ++u) b[m][local[u]] += x[u] / psw[u];
      }
      for (int sweep = 0; sweep < kSweeps; ++sweep) {
        for (std::size_t m = 0; m < M; ++m) {
          s = b[m];
          for (std::size_t j = 0; j < J; ++j) {
            const double* gj = &uc->g[(j * M + m) * M];
            const std::uint32_t* jc = &uc->joint_cell[j * M];
            double t = 0;
            for (std::size_t m2 = 0; m2 < M; ++m2) t += gj[m2] * a[m2][jc[m2]];
            s[jc[m]] -= t;
          }
          for (std::size_t c = 0; c < s.size(); ++c) a[m][c] += s[c] / uc->count[m][c];
        }
      }
      if (uc->constant_psw) {
        for (std::size_t j = 0; j < J; ++j) {
          double t = 0;
          for (std::size_t m = 0; m < M; ++m) t += uc->joint_psw[j * M + m] * a[m][uc->joint_cell[j * M + m]];
          shift[j] = t;
        }
        for (std::size_t u = 0; u < n; ++u) x[u] -= shift[uc->joint[u]];
        continue;
      }
      for (std::size_t u = 0; u < n; ++u) {
        for (std::size_t m = 0; m < M; ++m) x[u] -= uc->psw[m * n + u] * a[m][uc->local[m * n + u]];
      }
    }
  }

 private:
  // What ResidualizeUnits needs of one set of units, whatever the columns:
  // each unit's cell in each margin (numbered locally), its weights psw_m,
  // the joint cells with their G, and the units per local cell.
  struct UnitCells {
    std::vector<std::size_t> units;          // the set, to recognise it again
    std::vector<std::uint32_t> local;        // M × n: local[m·n + u] (empty when constant_psw)
    std::vector<double> psw;                 // M × n: psw_m of unit units[u] (empty when constant_psw)
    std::size_t joint_count = 0;
    std::vector<std::uint32_t> joint_cell;   // joint × M: the joint cell's local cell in margin m
    std::vector<double> g;                   // joint × M × M
    std::vector<std::vector<double>> count;  // per margin, per local cell: units
    // When every unit of a joint cell has the same psw_m in every margin
    // (design weights constant within the cells, as the evaluation's N/n per
    // wave × area), the columns need only sums per joint cell:
    bool constant_psw = false;
    std::vector<std::uint32_t> joint;        // per unit: its joint cell
    std::vector<double> joint_psw;           // joint × M: psw_m of the joint cell's units
  };

  // The cells of `units`, built on first use and kept for the next call with
  // the same set: a design's variances call this once per stratum for every
  // estimate (each indicator, group and regression), always with the same
  // strata. Safe to call from several threads.
  std::shared_ptr<const UnitCells> CellsOf(std::span<const std::size_t> units) const {
    const std::size_t key = units.empty() ? 0 : units.front();
    {
      std::lock_guard<std::mutex> lock(cache_mutex_);
      if (auto it = cache_.find(key); it != cache_.end() && std::ranges::equal(it->second->units, units)) {
        return it->second;
      }
    }
    std::shared_ptr<const UnitCells> built = BuildCells(units);
    std::lock_guard<std::mutex> lock(cache_mutex_);
    cache_[key] = built;
    return built;
  }

  std::shared_ptr<const UnitCells> BuildCells(std::span<const std::size_t> units) const {
    const std::size_t M = margins_.size();
    const std::size_t n = units.size();
    auto out = std::make_shared<UnitCells>();
    out->units.assign(units.begin(), units.end());
    out->local.resize(M * n);
    out->psw.resize(M * n);
    out->count.resize(M);
    // Cells of each margin met by the units, and their joint cells.
    std::vector<std::size_t> scratch;
    std::vector<LocalCells> lc(M);
    for (std::size_t m = 0; m < M; ++m) {
      lc[m] = Localize(margins_[m].cell, margins_[m].cells, units, scratch);
      for (std::size_t u = 0; u < n; ++u) {
        out->local[m * n + u] = static_cast<std::uint32_t>(lc[m].local[u]);
        out->psw[m * n + u] = margins_[m].psw[units[u]];
      }
    }
    std::vector<std::size_t> joint = lc[0].local;
    std::size_t joint_count = lc[0].count;
    for (std::size_t m = 1; m < M; ++m) {
      const std::size_t combinations = joint_count * lc[m].count;
      std::size_t next = 0;
      if (combinations <= 4 * n + 64) {  // the usual case: a table, not a hash map
        constexpr std::size_t kNone = static_cast<std::size_t>(-1);
        scratch.assign(combinations, kNone);
        for (std::size_t u = 0; u < n; ++u) {
          std::size_t& id = scratch[joint[u] * lc[m].count + lc[m].local[u]];
          if (id == kNone) id = next++;
          joint[u] = id;
        }
      } else {
        std::unordered_map<std::size_t, std::size_t> index;
        for (std::size_t u = 0; u < n; ++u) {
          joint[u] = index.try_emplace(joint[u] * lc[m].count + lc[m].local[u], next).first->second;
          next = index.size();
        }
      }
      joint_count = next;
    }
    // Per joint cell: its cell in each margin, and G (M × M per joint cell).
    out->joint_count = joint_count;
    out->joint_cell.resize(joint_count * M);
    out->g.assign(joint_count * M * M, 0.0);
    for (std::size_t m = 0; m < M; ++m) out->count[m].assign(lc[m].count, 0.0);
    for (std::size_t u = 0; u < n; ++u) {
      const std::size_t i = units[u], j = joint[u];
      for (std::size_t m = 0; m < M; ++m) {
        out->joint_cell[j * M + m] = static_cast<std::uint32_t>(lc[m].local[u]);
        out->count[m][lc[m].local[u]] += 1;
        for (std::size_t m2 = 0; m2 < M; ++m2) {
          out->g[(j * M + m) * M + m2] += margins_[m2].psw[i] / margins_[m].psw[i];
        }
      }
    }
    out->constant_psw = true;
    out->joint.resize(n);
    out->joint_psw.assign(joint_count * M, std::numeric_limits<double>::quiet_NaN());
    std::vector<bool> seen(joint_count, false);
    for (std::size_t u = 0; u < n && out->constant_psw; ++u) {
      const std::size_t j = joint[u];
      out->joint[u] = static_cast<std::uint32_t>(j);
      for (std::size_t m = 0; m < M; ++m) {
        double& p = out->joint_psw[j * M + m];
        if (!seen[j]) p = margins_[m].psw[units[u]];
        if (p != margins_[m].psw[units[u]]) out->constant_psw = false;
      }
      seen[j] = true;
    }
    if (out->constant_psw) {  // the per-unit cells and weights are not needed then
      std::vector<std::uint32_t>().swap(out->local);
      std::vector<double>().swap(out->psw);
    } else {
      std::vector<std::uint32_t>().swap(out->joint);
      std::vector<double>().swap(out->joint_psw);
    }
    return out;
  }

  std::vector<MarginCells> margins_;
  bool within_strata_;
  mutable std::mutex cache_mutex_;
  // Keyed by the set's first unit; one set per key (a new set replaces it),
  // so the cache holds at most one entry per unit: O(n·M) in all.
  mutable std::unordered_map<std::size_t, std::shared_ptr<const UnitCells>> cache_;
};

// calibrate(): x ← qr.resid(A, x / w) · w with A = X·sqrt(w_old), w = g·sqrt(w_old).
class RegressionStep final : public internal::CalibrationStep {
 public:
  RegressionStep(Eigen::MatrixXd a, std::vector<double> w) : qr_(a), a_(std::move(a)), w_(std::move(w)) {}
  void Residualize(Eigen::MatrixXd& z) const override {
    const auto n = static_cast<Eigen::Index>(w_.size());
    Eigen::MatrixXd y(n, z.cols());
    for (Eigen::Index i = 0; i < n; ++i) {
      const double wi = w_[static_cast<std::size_t>(i)];
      y.row(i) = wi != 0 ? Eigen::RowVectorXd(z.row(i) / wi) : Eigen::RowVectorXd::Zero(z.cols());
    }
    Eigen::MatrixXd resid = y - a_ * qr_.solve(y);
    for (Eigen::Index i = 0; i < n; ++i) z.row(i) = resid.row(i) * w_[static_cast<std::size_t>(i)];
  }

 private:
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr_;
  Eigen::MatrixXd a_;
  std::vector<double> w_;
};

// A copy of `design` with new weights and one more calibration step.
Design WithCalibration(const Design& design, std::vector<double> weights,
                       std::shared_ptr<const internal::CalibrationStep> step) {
  auto data = std::make_shared<internal::DesignData>(design.data());
  data->weights = std::move(weights);
  if (step) data->calibration.push_back(std::move(step));
  return Design(std::move(data));
}

// Checks one margin against the design; `what` names it in messages
// ("post-strata", "margin 2").
Status CheckMargin(const Design& design, const Margin& m, const std::string& what) {
  if (m.level.size() != design.size()) {
    return InvalidArgument(what + ": " + std::to_string(m.level.size()) + " level codes for " +
                           std::to_string(design.size()) + " units; give one level per unit");
  }
  if (m.population.empty()) return InvalidArgument(what + ": no population counts given");
  for (std::size_t l = 0; l < m.population.size(); ++l) {
    const double p = m.population[l];
    if (!std::isfinite(p) || p < 0) {
      return InvalidArgument(what + ", level " + std::to_string(l) + ": population count " + FormatNumber(p) +
                             " is not a non-negative number");
    }
  }
  const auto levels = static_cast<std::int64_t>(m.population.size());
  for (std::size_t i = 0; i < m.level.size(); ++i) {
    if (m.level[i] < 0 || m.level[i] >= levels) {
      return InvalidArgument(what + ": row " + std::to_string(i + 1) + " has level " + std::to_string(m.level[i]) +
                             (m.level[i] < 0 ? " (missing)" : "") + ", outside the " + std::to_string(levels) +
                             " levels of the population table; every unit needs a level");
    }
  }
  // Every level with population needs sample units, and no unit may sit in a
  // level of population 0 (R: "Some strata absent from sample",
  // "Strata in sample absent from population").
  std::vector<std::size_t> count(m.population.size(), 0);
  for (auto l : m.level) ++count[static_cast<std::size_t>(l)];
  for (std::size_t l = 0; l < count.size(); ++l) {
    if (count[l] == 0 && m.population[l] > 0) {
      return InvalidInput(what + ", level " + std::to_string(l) + ": no sample unit in this cell (population " +
                          FormatNumber(m.population[l]) + "); merge it with a neighbouring level");
    }
    if (count[l] > 0 && m.population[l] == 0) {
      return InvalidInput(what + ", level " + std::to_string(l) + ": " + std::to_string(count[l]) +
                          " sample units but a population count of 0");
    }
  }
  return Status::Ok();
}

std::vector<std::size_t> Cells(const Margin& m) {
  std::vector<std::size_t> c(m.level.size());
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = static_cast<std::size_t>(m.level[i]);
  return c;
}

// Post-stratifies `w` in place to margin `m` (levels already checked).
void PostStratifyWeights(std::vector<double>& w, const Margin& m) {
  std::vector<double> sum(m.population.size(), 0.0);
  for (std::size_t i = 0; i < w.size(); ++i) sum[static_cast<std::size_t>(m.level[i])] += w[i];
  for (std::size_t i = 0; i < w.size(); ++i) {
    const auto l = static_cast<std::size_t>(m.level[i]);
    w[i] *= m.population[l] / sum[l];
  }
}

// The Moore–Penrose inverse applied to b (MASS::ginv: singular values below
// sqrt(machine eps) · the largest are treated as zero).
Eigen::VectorXd PinvSolve(const Eigen::MatrixXd& t, const Eigen::VectorXd& b) {
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(t, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Eigen::VectorXd& s = svd.singularValues();
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon()) * (s.size() > 0 ? s(0) : 0.0);
  Eigen::VectorXd ub = svd.matrixU().transpose() * b;
  for (Eigen::Index i = 0; i < s.size(); ++i) ub(i) = s(i) > tol ? ub(i) / s(i) : 0.0;
  return svd.matrixV() * ub;
}

}  // namespace

Result<Design> PostStratify(const Design& design, const Margin& strata) {
  TRYGHED_RETURN_IF_ERROR(CheckMargin(design, strata, "post-strata"));
  const auto old = design.weights();
  std::vector<double> oldw(old.begin(), old.end());
  std::vector<double> w = oldw;
  PostStratifyWeights(w, strata);
  std::vector<std::size_t> cell = Cells(strata);
  const bool within = CellsWithinStrata(design.data(), cell, strata.population.size());
  auto step = std::make_shared<PostStratumStep>(std::move(cell), strata.population.size(), std::move(oldw), w, within);
  return WithCalibration(design, std::move(w), std::move(step));
}

Result<Design> Rake(const Design& design, std::span<const Margin> margins, const RakeOptions& options) {
  if (margins.empty()) return InvalidArgument("rake: no margins given");
  if (options.max_iterations < 1) return InvalidArgument("rake: max_iterations must be at least 1");
  if (!(options.epsilon > 0)) return InvalidArgument("rake: epsilon must be > 0");
  for (std::size_t m = 0; m < margins.size(); ++m) {
    TRYGHED_RETURN_IF_ERROR(CheckMargin(design, margins[m], "margin " + std::to_string(m + 1)));
  }
  // Margins must describe the same population.
  auto total = [](const Margin& m) {
    double t = 0;
    for (double p : m.population) t += p;
    return t;
  };
  const double t0 = total(margins[0]);
  for (std::size_t m = 1; m < margins.size(); ++m) {
    const double tm = total(margins[m]);
    if (std::abs(tm - t0) > 1e-6 * std::max(std::abs(t0), std::abs(tm))) {
      return InvalidInput("margins 1 and " + std::to_string(m + 1) +
                          " contradict each other: their population counts add up to " + FormatNumber(t0) + " and " +
                          FormatNumber(tm) + "; every margin must describe the same population");
    }
  }
  const std::size_t n = design.size();
  // The joint cells of all margins (R compares svytable(~all margin variables)
  // between sweeps).
  const internal::JointCells joint_index = internal::IndexJointCells(margins, n);
  const std::vector<std::size_t>& joint = joint_index.cell;
  const std::size_t joint_cells = joint_index.count;
  auto joint_table = [&](const std::vector<double>& w) {
    std::vector<double> t(joint_cells, 0.0);
    for (std::size_t i = 0; i < n; ++i) t[joint[i]] += w[i];
    return t;
  };

  const auto start = design.weights();
  std::vector<double> w(start.begin(), start.end());
  double weight_total = 0;
  for (double x : w) weight_total += x;
  const double epsilon = options.epsilon < 1 ? options.epsilon * weight_total : options.epsilon;

  std::vector<std::vector<double>> psw(margins.size());
  std::vector<double> old_table = joint_table(w);
  int iter = 0;
  bool converged = false;
  while (iter < options.max_iterations) {
    for (std::size_t m = 0; m < margins.size(); ++m) {
      PostStratifyWeights(w, margins[m]);
      psw[m] = w;
    }
    std::vector<double> new_table = joint_table(w);
    double delta = 0;
    for (std::size_t c = 0; c < joint_cells; ++c) delta = std::max(delta, std::abs(old_table[c] - new_table[c]));
    if (delta < epsilon) {
      converged = true;
      break;
    }
    old_table = std::move(new_table);
    ++iter;
  }
  if (!converged && options.fail_if_not_converged) {
    // Name the margin level furthest from its target.
    std::size_t worst_m = 0, worst_l = 0;
    double worst = -1, worst_sum = 0;
    for (std::size_t m = 0; m < margins.size(); ++m) {
      std::vector<double> sum(margins[m].population.size(), 0.0);
      for (std::size_t i = 0; i < n; ++i) sum[static_cast<std::size_t>(margins[m].level[i])] += w[i];
      for (std::size_t l = 0; l < sum.size(); ++l) {
        const double diff = std::abs(sum[l] - margins[m].population[l]);
        if (diff > worst) {
          worst = diff;
          worst_m = m;
          worst_l = l;
          worst_sum = sum[l];
        }
      }
    }
    return Numerical("raking did not converge after " + std::to_string(options.max_iterations) +
                     " iterations: margin " + std::to_string(worst_m + 1) + ", level " + std::to_string(worst_l) +
                     " has weighted total " + FormatNumber(worst_sum) + " against a population count of " +
                     FormatNumber(margins[worst_m].population[worst_l]) +
                     "; the margins may be inconsistent within sub-groups or a cell nearly empty "
                     "(raise the iteration limit or merge levels)");
  }
  std::vector<RakingStep::MarginCells> cells;
  cells.reserve(margins.size());
  bool within = true;
  for (std::size_t m = 0; m < margins.size(); ++m) {
    cells.push_back({Cells(margins[m]), margins[m].population.size(), std::move(psw[m])});
    within = within && CellsWithinStrata(design.data(), cells.back().cell, cells.back().cells);
  }
  return WithCalibration(design, std::move(w), std::make_shared<RakingStep>(std::move(cells), within));
}

Result<Design> Calibrate(const Design& design, const Matrix& model, std::span<const double> totals,
                         const CalibrationOptions& options) {
  const std::size_t n = design.size();
  if (model.rows != n) {
    return InvalidArgument("calibrate: the model matrix has " + std::to_string(model.rows) + " rows, the design " +
                           std::to_string(n) + " units");
  }
  if (model.cols == 0) return InvalidArgument("calibrate: the model matrix has no columns");
  if (totals.size() != model.cols) {
    return InvalidArgument("calibrate: " + std::to_string(totals.size()) + " population totals for " +
                           std::to_string(model.cols) + " model columns");
  }
  if (!(options.lower_bound < options.upper_bound) || options.lower_bound > 1 || options.upper_bound < 1) {
    return InvalidArgument("calibrate: bounds [" + FormatNumber(options.lower_bound) + ", " + FormatNumber(options.upper_bound) +
                           "] on the g-weights must satisfy lower <= 1 <= upper and lower < upper");
  }
  if (options.max_iterations < 1 || !(options.epsilon > 0)) {
    return InvalidArgument("calibrate: max_iterations must be >= 1 and epsilon > 0");
  }
  for (std::size_t c = 0; c < model.cols; ++c) {
    if (!std::isfinite(totals[c])) {
      return InvalidArgument("calibrate: the population total of column " + std::to_string(c + 1) + " is not finite");
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(model(i, c))) {
        return InvalidArgument("calibrate: row " + std::to_string(i + 1) + ", column " + std::to_string(c + 1) +
                               " of the model matrix is missing or not finite");
      }
    }
  }
  const auto w0 = design.weights();
  Eigen::VectorXd ww(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) ww(static_cast<Eigen::Index>(i)) = w0[i];
  // Columns that are zero in the sample with a population total of 0 are
  // dropped, as R does; a zero column with a non-zero total cannot be met.
  std::vector<std::size_t> keep;
  for (std::size_t c = 0; c < model.cols; ++c) {
    bool all_zero = true;
    for (std::size_t i = 0; i < n && all_zero; ++i) all_zero = model(i, c) == 0;
    if (all_zero) {
      if (totals[c] == 0) continue;
      return InvalidInput("calibrate: model column " + std::to_string(c + 1) +
                          " is zero for every sample unit, so its population total " + FormatNumber(totals[c]) +
                          " cannot be reached (an empty calibration cell)");
    }
    keep.push_back(c);
  }
  const auto p = static_cast<Eigen::Index>(keep.size());
  Eigen::MatrixXd mm(static_cast<Eigen::Index>(n), p);
  Eigen::VectorXd population(p);
  for (Eigen::Index k = 0; k < p; ++k) {
    const std::size_t c = keep[static_cast<std::size_t>(k)];
    population(k) = totals[c];
    for (std::size_t i = 0; i < n; ++i) mm(static_cast<Eigen::Index>(i), k) = model(i, c);
  }
  const Eigen::VectorXd whalf = ww.array().sqrt();
  Eigen::MatrixXd a = mm.array().colwise() * whalf.array();
  {
    // Columns scaled to unit length first, so the rank does not depend on
    // their units (a count in kroner next to a 0/1 dummy).
    Eigen::MatrixXd scaled = a;
    for (Eigen::Index k = 0; k < p; ++k) scaled.col(k) /= scaled.col(k).norm();
    Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(scaled);
    qr.setThreshold(1e-7);
    if (qr.rank() < p) {
      const auto dependent = keep[static_cast<std::size_t>(qr.colsPermutation().indices()(qr.rank()))];
      return InvalidInput("calibrate: the calibration model is singular (rank " + std::to_string(qr.rank()) + " of " +
                          std::to_string(p) + " columns): model column " + std::to_string(dependent + 1) +
                          " is a combination of other columns, e.g. a dummy for every level next to the intercept");
    }
  }
  const Eigen::VectorXd sample_total = mm.transpose() * ww;
  Eigen::VectorXd g;
  const bool bounded = std::isfinite(options.lower_bound) || std::isfinite(options.upper_bound);
  if (options.function == CalibrationFunction::kLinear && !bounded) {
    // R's regcalibrate: g = 1 + X (X'WX)^-1 (t − t̂), no iteration.
    const Eigen::MatrixXd t = a.transpose() * a;
    const Eigen::VectorXd lambda = t.partialPivLu().solve(population - sample_total);
    g = (1.0 + (mm * lambda).array()).matrix();
  } else {
    // R's grake: Newton steps on η with g = 1 + F(Xη).
    const double lo = options.lower_bound, hi = options.upper_bound;
    const bool raking = options.function == CalibrationFunction::kRaking;
    auto fm1 = [&](double u) {
      const double v = raking ? std::exp(u) : u + 1;
      return std::min(std::max(v, lo), hi) - 1;
    };
    auto df = [&](double u) {
      if (!(u < hi - 1 && u > lo - 1)) return 0.0;
      return raking ? std::exp(u) : 1.0;
    };
    Eigen::VectorXd eta = Eigen::VectorXd::Zero(p);
    Eigen::VectorXd xeta = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
    auto misfit_of = [&](const Eigen::VectorXd& xe) {
      Eigen::VectorXd f(xe.size());
      for (Eigen::Index i = 0; i < xe.size(); ++i) f(i) = ww(i) * fm1(xe(i));
      return Eigen::VectorXd(population - sample_total - mm.transpose() * f);
    };
    int iter = 1;
    for (;;) {
      Eigen::VectorXd d(xeta.size());
      for (Eigen::Index i = 0; i < xeta.size(); ++i) d(i) = ww(i) * df(xeta(i));
      const Eigen::MatrixXd tmat = (mm.array().colwise() * d.array()).matrix().transpose() * mm;
      eta += PinvSolve(tmat, misfit_of(xeta));
      xeta = mm * eta;
      const Eigen::VectorXd misfit = misfit_of(xeta);
      bool done = true;
      for (Eigen::Index k = 0; k < p; ++k) done = done && std::abs(misfit(k)) / (1 + std::abs(population(k))) < options.epsilon;
      if (done) break;
      if (!misfit.allFinite()) {
        return Numerical("calibrate: the calibration diverged (weights overflowed); the totals may be unreachable");
      }
      if (++iter > options.max_iterations) {
        Eigen::Index worst = 0;
        for (Eigen::Index k = 1; k < p; ++k) {
          if (std::abs(misfit(k)) / (1 + std::abs(population(k))) >
              std::abs(misfit(worst)) / (1 + std::abs(population(worst)))) {
            worst = k;
          }
        }
        return Numerical("calibrate: no convergence in " + std::to_string(options.max_iterations) +
                         " iterations: model column " + std::to_string(keep[static_cast<std::size_t>(worst)] + 1) +
                         " misses its population total " + FormatNumber(population(worst)) + " by " + FormatNumber(misfit(worst)) +
                         (bounded ? "; the totals may not be reachable within the bounds on the g-weights" : ""));
      }
    }
    g.resize(xeta.size());
    for (Eigen::Index i = 0; i < xeta.size(); ++i) g(i) = 1 + fm1(xeta(i));
  }
  std::vector<double> w(n), wstep(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto ii = static_cast<Eigen::Index>(i);
    w[i] = ww(ii) * g(ii);
    wstep[i] = g(ii) * whalf(ii);
  }
  if (!std::all_of(w.begin(), w.end(), [](double x) { return std::isfinite(x); })) {
    return Numerical("calibrate: the calibrated weights are not finite");
  }
  return WithCalibration(design, std::move(w), std::make_shared<RegressionStep>(std::move(a), std::move(wstep)));
}

Result<Design> TrimWeights(const Design& design, double lower, double upper, std::size_t* trimmed) {
  if (std::isnan(lower) || std::isnan(upper) || lower > upper) {
    return InvalidArgument("trim weights: the bounds [" + FormatNumber(lower) + ", " + FormatNumber(upper) +
                           "] must satisfy lower <= upper");
  }
  const auto pw = design.weights();
  const std::size_t n = pw.size();
  std::vector<double> w(pw.begin(), pw.end());
  std::size_t outside = 0;
  double trimmings = 0;
  std::vector<char> out(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (pw[i] < lower || pw[i] > upper) {
      out[i] = 1;
      ++outside;
      w[i] = std::max(lower, std::min(pw[i], upper));
      trimmings += pw[i] - w[i];
    }
  }
  if (trimmed) *trimmed = outside;
  if (outside == 0) return design;
  if (outside == n) {
    return InvalidInput("trim weights: every weight lies outside [" + FormatNumber(lower) + ", " + FormatNumber(upper) +
                        "], so there is no unit to give the trimmed weight to");
  }
  // R's trimWeights: the trimmed amount is shared equally by the other units.
  const double share = trimmings / static_cast<double>(n - outside);
  for (std::size_t i = 0; i < n; ++i) {
    if (!out[i]) w[i] += share;
    if (!(w[i] > 0)) {
      return InvalidInput("trim weights: row " + std::to_string(i + 1) + " would get weight " + FormatNumber(w[i]) +
                          "; choose bounds that keep every weight positive");
    }
  }
  return WithCalibration(design, std::move(w), nullptr);
}

}  // namespace tryghed::stats
