#include "evaluation/robustness.h"

#include <boost/math/distributions/fisher_f.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <iterator>
#include <map>
#include <memory>
#include <utility>

#include "evaluation/dataset.h"
#include "evaluation/internal/columns.h"
#include "evaluation/internal/json_fields.h"
#include "stats/regression.h"

namespace tryghed::evaluation {

namespace {

using core::Result;
using core::Status;

// Dummy columns of one background role over the units `units`: one per
// code other than the reference (the most frequent, the smallest on ties),
// plus one for "no code" when some unit has none and some has one.
struct Dummies {
  std::string role;
  std::vector<std::optional<core::Code>> level;  // per column: a code, or empty = missing
};

// `codes`: the role's code of every unit of the series, internal::kNoCode where none.
Dummies MakeDummies(const std::vector<core::Code>& codes, std::span<const std::size_t> units, const std::string& role) {
  std::map<core::Code, std::size_t> counts;
  std::size_t missing = 0;
  for (std::size_t i : units) {
    if (codes[i] == internal::kNoCode) {
      ++missing;
    } else {
      ++counts[codes[i]];
    }
  }
  Dummies d{role, {}};
  if (counts.empty()) return d;  // nobody has a code: the role is constant
  core::Code reference = counts.begin()->first;
  for (const auto& [code, n] : counts) {
    if (n > counts[reference]) reference = code;
  }
  for (const auto& [code, n] : counts) {
    if (code != reference) d.level.push_back(code);
  }
  if (missing > 0) d.level.push_back(std::nullopt);
  return d;
}

// 1 when a unit's code is `level` (empty level: the unit has no code), else 0.
double DummyValue(core::Code code, const std::optional<core::Code>& level) {
  if (!level) return code == internal::kNoCode ? 1.0 : 0.0;
  return code == *level ? 1.0 : 0.0;
}

// Solves a small symmetric positive definite system by Gaussian elimination
// with partial pivoting; empty when singular.
std::optional<std::vector<double>> Solve(stats::Matrix a, std::vector<double> b) {
  const std::size_t q = b.size();
  for (std::size_t k = 0; k < q; ++k) {
    std::size_t piv = k;
    for (std::size_t r = k + 1; r < q; ++r) {
      if (std::abs(a(r, k)) > std::abs(a(piv, k))) piv = r;
    }
    if (!(std::abs(a(piv, k)) > 1e-300)) return std::nullopt;
    if (piv != k) {
      for (std::size_t c = 0; c < q; ++c) std::swap(a(k, c), a(piv, c));
      std::swap(b[k], b[piv]);
    }
    for (std::size_t r = k + 1; r < q; ++r) {
      const double f = a(r, k) / a(k, k);
      for (std::size_t c = k; c < q; ++c) a(r, c) -= f * a(k, c);
      b[r] -= f * b[k];
    }
  }
  std::vector<double> x(q);
  for (std::size_t k = q; k-- > 0;) {
    double s = b[k];
    for (std::size_t c = k + 1; c < q; ++c) s -= a(k, c) * x[c];
    x[k] = s / a(k, k);
  }
  return x;
}

void FromFit(const stats::RegressionFit& fit, std::size_t j, double level, AdjustedDiD& d) {
  d.estimate = fit.coefficients[j];
  d.se = fit.standard_errors[j];
  d.df = fit.df;
  d.n = static_cast<std::int64_t>(fit.n_used);
  if (fit.df > 0 && fit.standard_errors[j] > 0) {
    const auto [lo, hi] = fit.ConfidenceInterval(j, level);
    d.ci_lower = lo;
    d.ci_upper = hi;
    d.p = fit.p_values[j];
  } else {
    d.note = "no interval: the standard error or the degrees of freedom are 0";
  }
}

void WriteAdjusted(internal::JsonWriter& w, const AdjustedDiD& d) {
  using internal::JsonField;
  w.StartObject();
  JsonField(w, "series", d.series);
  JsonField(w, "indicator", d.indicator);
  JsonField(w, "baseline_wave", d.baseline_wave);
  JsonField(w, "wave", d.wave);
  JsonField(w, "post", d.post);
  JsonField(w, "covariates", d.covariates);
  JsonField(w, "estimate", d.estimate);
  JsonField(w, "se", d.se);
  JsonField(w, "ci_lower", d.ci_lower);
  JsonField(w, "ci_upper", d.ci_upper);
  JsonField(w, "df", d.df);
  JsonField(w, "p", d.p);
  JsonField(w, "n", d.n);
  JsonField(w, "note", d.note);
  w.EndObject();
}

class SeriesRobustness {
 public:
  // Reads what the regressions need from the respondents once: each unit's
  // wave, pilot flag, overall index and covariate codes, and the units of
  // each wave, so every regression visits only the units of its own waves.
  SeriesRobustness(const StudyData& data, const stats::Design& design, const std::string& series,
                   std::span<const std::size_t> rows, double level)
      : data_(data), design_(design), series_(series), level_(level) {
    const std::size_t n = rows.size();
    wave_.resize(n);
    pilot_.resize(n);
    units_of_wave_.resize(data_.waves.size());
    for (std::size_t i = 0; i < n; ++i) {
      const Respondent& r = data_.respondents[rows[i]];
      wave_[i] = r.wave;
      pilot_[i] = data_.areas[r.area].role == store::AreaRole::kPilot;
      units_of_wave_[r.wave].push_back(i);
    }
    if (overall_ = FindOverall(); overall_) {
      y_.assign(n, stats::kMissing);
      for (std::size_t i = 0; i < n; ++i) {
        const Respondent& r = data_.respondents[rows[i]];
        if (*overall_ < r.values.size() && r.values[*overall_]) y_[i] = *r.values[*overall_];
      }
    }
    const std::vector<std::string> roles(std::begin(kDiDCovariates), std::end(kDiDCovariates));
    codes_ = internal::CodesOf(data_, rows, roles);
  }

  // The overall index (the first kOverall indicator), or empty.
  std::optional<std::size_t> Overall() const { return overall_; }
  bool Pilot(std::size_t i) const { return pilot_[i] != 0; }
  std::size_t Wave(std::size_t i) const { return wave_[i]; }
  bool HasWave(std::size_t w) const { return !units_of_wave_[w].empty(); }

  // The units of `waves` with a value of the overall index, ascending.
  std::vector<std::size_t> Used(const std::vector<bool>& waves) const {
    std::vector<std::size_t> out, merged;
    for (std::size_t w = 0; w < waves.size(); ++w) {
      if (!waves[w]) continue;
      merged.clear();
      std::merge(out.begin(), out.end(), units_of_wave_[w].begin(), units_of_wave_[w].end(), std::back_inserter(merged));
      out.swap(merged);
    }
    std::erase_if(out, [&](std::size_t i) { return std::isnan(y_[i]); });
    return out;
  }
  std::vector<double> Values(std::span<const std::size_t> units) const {
    std::vector<double> y(units.size());
    for (std::size_t u = 0; u < units.size(); ++u) y[u] = y_[units[u]];
    return y;
  }

  // Pilot and comparison units both present in every wave of `waves` among `units`.
  bool Complete(const std::vector<bool>& waves, std::span<const std::size_t> units) const {
    std::vector<int> seen(data_.waves.size(), 0);
    for (std::size_t i : units) seen[Wave(i)] |= Pilot(i) ? 1 : 2;
    for (std::size_t w = 0; w < waves.size(); ++w) {
      if (waves[w] && seen[w] != 3) return false;
    }
    return true;
  }

  AdjustedDiD Adjusted(std::size_t k, std::size_t w, bool post) const {
    AdjustedDiD d;
    d.series = series_;
    d.indicator = data_.indicators[k].id;
    d.baseline_wave = data_.waves[0].label;
    d.wave = data_.waves[w].label;
    d.post = post;
    std::vector<bool> waves(data_.waves.size(), false);
    waves[0] = waves[w] = true;
    const std::vector<std::size_t> units = Used(waves);
    if (!Complete(waves, units)) {
      d.note = "pilot and comparison areas both need values at baseline and in this wave";
      return d;
    }
    std::vector<Dummies> dummies;
    std::size_t p = 4;
    for (std::size_t v = 0; v < codes_.size(); ++v) {
      const char* role = kDiDCovariates[v];
      dummies.push_back(MakeDummies(codes_[v], units, role));
      if (!dummies.back().level.empty()) {
        d.covariates += (d.covariates.empty() ? "" : ", ") + std::string(role);
        p += dummies.back().level.size();
      }
    }
    // The model matrix of the used units only (two waves of many).
    stats::Matrix x(units.size(), p);
    for (std::size_t u = 0; u < units.size(); ++u) {
      const std::size_t i = units[u];
      const double pilot = Pilot(i) ? 1 : 0, after = Wave(i) == w ? 1 : 0;
      x(u, 0) = 1;
      x(u, 1) = pilot;
      x(u, 2) = after;
      x(u, 3) = pilot * after;
      std::size_t c = 4;
      for (std::size_t v = 0; v < dummies.size(); ++v) {
        for (const auto& level : dummies[v].level) x(u, c++) = DummyValue(codes_[v][i], level);
      }
    }
    Result<stats::RegressionFit> fit = stats::FitRegressionOnUnits(design_, units, x, Values(units), {});
    if (!fit.ok()) {
      d.note = "the regression could not be fitted: " + fit.status().message();
      return d;
    }
    FromFit(*fit, 3, level_, d);
    return d;
  }

  PreTrendCheck PreTrends(std::size_t k, std::size_t first_post) const {
    PreTrendCheck c;
    c.series = series_;
    c.indicator = data_.indicators[k].id;
    std::vector<bool> waves(data_.waves.size(), false);
    for (std::size_t w = 0; w < first_post; ++w) {
      waves[w] = true;
      c.pre_waves.push_back(data_.waves[w].label);
    }
    const std::vector<std::size_t> units = Used(waves);
    if (!Complete(waves, units)) {
      c.verdict = "kan ikke beregnes";
      c.note = "pilot and comparison areas both need values in every pre-intervention wave";
      return c;
    }
    // Columns: 1, pilot, wave_w (w = 1..P−1), pilot × wave_w.
    const std::size_t q = first_post - 1;
    stats::Matrix x(units.size(), 2 + 2 * q);
    for (std::size_t u = 0; u < units.size(); ++u) {
      const std::size_t i = units[u];
      const double pilot = Pilot(i) ? 1 : 0;
      x(u, 0) = 1;
      x(u, 1) = pilot;
      const std::size_t w = Wave(i);
      if (w >= 1) {
        x(u, 1 + w) = 1;
        x(u, 1 + q + w) = pilot;
      }
    }
    Result<stats::RegressionFit> fit = stats::FitRegressionOnUnits(design_, units, x, Values(units), {});
    if (!fit.ok()) {
      c.verdict = "kan ikke beregnes";
      c.note = "the regression could not be fitted: " + fit.status().message();
      return c;
    }
    std::vector<double> b(q);
    stats::Matrix v(q, q);
    for (std::size_t j = 0; j < q; ++j) {
      AdjustedDiD d;
      d.series = series_;
      d.indicator = c.indicator;
      d.baseline_wave = data_.waves[0].label;
      d.wave = data_.waves[j + 1].label;
      d.post = false;
      FromFit(*fit, 2 + q + j, level_, d);
      c.placebo.push_back(std::move(d));
      b[j] = fit->coefficients[2 + q + j];
      for (std::size_t l = 0; l < q; ++l) v(j, l) = fit->covariance(2 + q + j, 2 + q + l);
    }
    std::optional<std::vector<double>> s = Solve(v, b);
    if (!s || !(fit->df > 0)) {
      c.verdict = "kan ikke beregnes";
      c.note = "no joint test: the covariance of the placebo DiDs is singular or there are no degrees of freedom";
      return c;
    }
    double wald = 0;
    for (std::size_t j = 0; j < q; ++j) wald += b[j] * (*s)[j];
    c.f = wald / static_cast<double>(q);
    c.df_num = static_cast<double>(q);
    c.df_den = fit->df;
    try {
      c.p = boost::math::cdf(boost::math::complement(
          boost::math::fisher_f_distribution<double>(static_cast<double>(q), fit->df), std::max(0.0, *c.f)));
    } catch (const std::exception& e) {
      c.verdict = "kan ikke beregnes";
      c.note = std::string("joint test failed: ") + e.what();
      return c;
    }
    c.verdict = *c.p < 1 - level_ ? "forskellige trends før indsatsen" : "ingen tegn på forskellige trends før indsatsen";
    return c;
  }

 private:
  std::optional<std::size_t> FindOverall() const {
    for (std::size_t k = 0; k < data_.indicators.size(); ++k) {
      if (data_.indicators[k].kind == IndicatorKind::kOverall) return k;
    }
    return std::nullopt;
  }

  const StudyData& data_;
  const stats::Design& design_;
  std::string series_;  // a copy: plans outlive their callers' temporaries
  double level_;
  std::vector<std::size_t> wave_;                        // per unit
  std::vector<char> pilot_;                              // per unit: 1 = a pilot area
  std::vector<std::vector<std::size_t>> units_of_wave_;  // per wave, ascending
  std::optional<std::size_t> overall_;
  std::vector<double> y_;                                // per unit: the overall index, NaN = none
  std::vector<std::vector<core::Code>> codes_;           // per kDiDCovariates role, per unit
};

}  // namespace

struct RobustnessPlan::Impl {
  SeriesRobustness series;
  std::vector<std::string> pre_waves;
  std::size_t overall = 0;
  std::size_t first_post = 1;
  std::vector<std::size_t> waves;             // the later waves with a regression-adjusted DiD
  bool pre_trends = false;                    // plus the pre-trends check (the last job)
  std::vector<AdjustedDiD> adjusted;          // per entry of waves
  std::optional<PreTrendCheck> pre_trend;
};

RobustnessPlan::RobustnessPlan(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RobustnessPlan::RobustnessPlan(RobustnessPlan&&) noexcept = default;
RobustnessPlan& RobustnessPlan::operator=(RobustnessPlan&&) noexcept = default;
RobustnessPlan::~RobustnessPlan() = default;

Result<RobustnessPlan> RobustnessPlan::Make(const StudyData& data, const stats::Design& design,
                                            const std::string& series, std::span<const std::size_t> rows,
                                            double level, const std::string& first_post_wave) {
  if (rows.size() != design.size()) {
    return core::InvalidArgument("robustness: " + std::to_string(rows.size()) + " rows but a design of " +
                                 std::to_string(design.size()) + " units");
  }
  const std::size_t W = data.waves.size();
  std::size_t first_post = 1;
  if (!first_post_wave.empty()) {
    first_post = W;
    for (std::size_t w = 0; w < W; ++w) {
      if (data.waves[w].label == first_post_wave) first_post = w;
    }
    if (first_post == W) {
      return core::InvalidArgument("the first post-intervention wave \"" + first_post_wave +
                                   "\" is not a wave of study " + data.study);
    }
    if (first_post == 0) {
      return core::InvalidArgument("the first post-intervention wave \"" + first_post_wave +
                                   "\" is the baseline; it must be a later wave");
    }
  }
  auto impl = std::unique_ptr<Impl>(new Impl{SeriesRobustness(data, design, series, rows, level), {}, 0, first_post,
                                             {}, false, {}, std::nullopt});
  for (std::size_t w = 0; w < std::min(first_post, W); ++w) impl->pre_waves.push_back(data.waves[w].label);
  const SeriesRobustness& r = impl->series;
  const std::optional<std::size_t> k = r.Overall();
  if (!k || W < 2) return RobustnessPlan(std::move(impl));
  // Nothing to do when the series lacks pilot or comparison units at baseline
  // (the main DiD gives the note).
  bool pilot = false, comparison = false;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (r.Wave(i) != 0) continue;
    (r.Pilot(i) ? pilot : comparison) = true;
  }
  if (!pilot || !comparison) return RobustnessPlan(std::move(impl));
  impl->overall = *k;
  for (std::size_t w = 1; w < W; ++w) {
    if (r.HasWave(w)) impl->waves.push_back(w);
  }
  impl->adjusted.resize(impl->waves.size());
  impl->pre_trends = first_post >= 2 && first_post <= W;
  return RobustnessPlan(std::move(impl));
}

std::size_t RobustnessPlan::size() const { return impl_->waves.size() + (impl_->pre_trends ? 1 : 0); }

void RobustnessPlan::Run(std::size_t i) {
  Impl& p = *impl_;
  if (i < p.waves.size()) {
    p.adjusted[i] = p.series.Adjusted(p.overall, p.waves[i], p.waves[i] >= p.first_post);
  } else {
    p.pre_trend = p.series.PreTrends(p.overall, p.first_post);
  }
}

void RobustnessPlan::AppendTo(Robustness& out) && {
  Impl& p = *impl_;
  if (out.pre_waves.empty()) out.pre_waves = std::move(p.pre_waves);
  for (AdjustedDiD& d : p.adjusted) out.adjusted_did.push_back(std::move(d));
  if (p.pre_trend) out.pre_trends.push_back(std::move(*p.pre_trend));
}

Status AddRobustness(const StudyData& data, const stats::Design& design, const std::string& series,
                     std::span<const std::size_t> rows, double level, const std::string& first_post_wave,
                     Robustness& out) {
  Result<RobustnessPlan> plan = RobustnessPlan::Make(data, design, series, rows, level, first_post_wave);
  if (!plan.ok()) return plan.status();
  for (std::size_t i = 0; i < plan->size(); ++i) plan->Run(i);
  std::move(*plan).AppendTo(out);
  return Status::Ok();
}

std::string RobustnessToJson(const Robustness& robustness) {
  using internal::JsonField;
  return internal::JsonText(robustness, [](internal::JsonWriter& w, const Robustness& r) {
    w.StartObject();
    JsonField(w, "pre_waves", r.pre_waves);
    w.Key("adjusted_did");
    w.StartArray();
    for (const AdjustedDiD& d : r.adjusted_did) WriteAdjusted(w, d);
    w.EndArray();
    w.Key("pre_trends");
    w.StartArray();
    for (const PreTrendCheck& c : r.pre_trends) {
      w.StartObject();
      JsonField(w, "series", c.series);
      JsonField(w, "indicator", c.indicator);
      JsonField(w, "pre_waves", c.pre_waves);
      w.Key("placebo");
      w.StartArray();
      for (const AdjustedDiD& d : c.placebo) WriteAdjusted(w, d);
      w.EndArray();
      JsonField(w, "f", c.f);
      JsonField(w, "df_num", c.df_num);
      JsonField(w, "df_den", c.df_den);
      JsonField(w, "p", c.p);
      JsonField(w, "verdict", c.verdict);
      JsonField(w, "note", c.note);
      w.EndObject();
    }
    w.EndArray();
    JsonField(w, "notes", r.notes);
    w.EndObject();
  });
}

}  // namespace tryghed::evaluation
