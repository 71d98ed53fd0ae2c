#include "evaluation/evaluate.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "evaluation/internal/columns.h"
#include "evaluation/internal/inference.h"
#include "evaluation/robustness.h"
#include "stats/calibration.h"
#include "stats/contrast.h"
#include "stats/design_effect.h"
#include "stats/estimators.h"
#include "stats/intervals.h"
#include "stats/reliability.h"

namespace tryghed::evaluation {

namespace {

using core::Result;
using core::Status;

std::string Num(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

bool IsProportion(IndicatorKind k) { return k == IndicatorKind::kShare || k == IndicatorKind::kPrevalence; }
// The overall index and the sub-indices: the indicators with groups and DiD.
bool IsIndex(IndicatorKind k) { return k == IndicatorKind::kOverall || k == IndicatorKind::kSubIndex; }

// The channels in the order of the result's series and response counts.
constexpr store::Channel kChannels[] = {store::Channel::kLink, store::Channel::kKiosk, store::Channel::kOpen,
                                        store::Channel::kImport};
std::size_t ChannelIndex(store::Channel channel) {
  std::size_t i = 0;
  while (i < std::size(kChannels) && kChannels[i] != channel) ++i;
  return i;
}

// One series of units analysed with one design.
struct Series {
  std::string name;
  bool probability = false;
  std::vector<std::size_t> rows;  // indices into StudyData::respondents
};

// Everything one indicator's MeanByDomain call leaves for contrasts.
struct Fit {
  std::optional<stats::Estimates> estimates;
  std::vector<std::int64_t> domain_of_cell;  // cell -> domain index or -1
  std::vector<std::size_t> with_value;       // units with a value, per cell
  std::vector<double> df_of_cell;            // SubsetDf of the units with a value, per cell
  std::vector<double> kish_of_cell;          // Kish effective size of those units, per cell
  std::span<const double> y;                 // per unit, NaN = missing (the column fitted; not owned)
};

// Inputs shared by the helpers of one series.
struct SeriesContext {
  const StudyData& data;
  const EvaluationOptions& options;
  const Series& series;
  std::size_t area_count = 0;
  std::vector<std::int64_t> cell;        // per unit: wave * A + area
  std::vector<std::int64_t> cell_count;  // per cell: units
  const std::vector<BackgroundVariable>* background = nullptr;  // groups to form
  // The code of background `role` of every unit, kNoCode where the
  // respondent has none: read from the respondents' maps once per series
  // and role, so raking, groups and the margin comparison do not look up
  // a string key per unit each.
  // Safe to call from several threads.
  const std::vector<core::Code>& Codes(const std::string& role) const {
    std::lock_guard<std::mutex> lock(codes_mutex);
    auto [it, added] = codes_cache.try_emplace(role);
    if (added) it->second = std::move(internal::CodesOf(data, series.rows, std::span(&role, 1)).front());
    return it->second;
  }
  // Reads the codes of all `roles` at once (one walk of each respondent's
  // map), for the Codes calls to come.
  void ReadCodes(const std::vector<std::string>& roles) const {
    std::vector<std::vector<core::Code>> columns = internal::CodesOf(data, series.rows, roles);
    std::lock_guard<std::mutex> lock(codes_mutex);
    for (std::size_t r = 0; r < roles.size(); ++r) codes_cache.try_emplace(roles[r], std::move(columns[r]));
  }
  std::vector<std::string> code_roles = {};  // the roles whose codes the series needs (ReadCodes)
  mutable std::mutex codes_mutex = {};
  mutable std::map<std::string, std::vector<core::Code>> codes_cache = {};
  std::string Wave(std::int64_t c) const { return data.waves[static_cast<std::size_t>(c) / area_count].label; }
  std::string Area(std::int64_t c) const { return data.areas[static_cast<std::size_t>(c) % area_count].name; }
  std::string Where(std::int64_t c) const { return "wave " + Wave(c) + ", area " + Area(c); }
  const Respondent& Row(std::size_t i) const { return data.respondents[series.rows[i]]; }
};

// The code a margin level names ("3" -> 3), or kNoCode when the level is not
// a code written as the program writes codes (so "03" matches no respondent,
// as a comparison of the texts would have it).
core::Code LevelCode(const std::string& level) {
  core::Code code = 0;
  auto [ptr, ec] = std::from_chars(level.data(), level.data() + level.size(), code);
  if (ec != std::errc() || ptr != level.data() + level.size() || std::to_string(code) != level) {
    return internal::kNoCode;
  }
  return code;
}

const std::vector<store::Margin>& CellMargins(const SeriesContext& x, std::int64_t c) {
  static const std::vector<store::Margin> kNone;
  const std::size_t w = static_cast<std::size_t>(c) / x.area_count;
  const std::size_t a = static_cast<std::size_t>(c) % x.area_count;
  if (a >= x.data.waves[w].margins.size()) return kNone;
  return x.data.waves[w].margins[a];
}

// The population of a cell: the area's population, else the total of its margins.
std::optional<double> CellPopulation(const SeriesContext& x, std::int64_t c) {
  const AreaData& area = x.data.areas[static_cast<std::size_t>(c) % x.area_count];
  if (area.population) return static_cast<double>(*area.population);
  const auto& m = CellMargins(x, c);
  if (m.empty()) return std::nullopt;
  double t = 0;
  for (const store::Margin& cellm : m) {
    if (cellm.margin == m.front().margin) t += static_cast<double>(cellm.n);
  }
  if (t > 0) return t;
  return std::nullopt;
}

// Builds the margins of the single Rake call: for every margin name, levels
// (cell, level) so that every cell is raked to its own population. Returns
// an empty vector when no cell has margins.
Result<std::vector<stats::Margin>> RakeMargins(const SeriesContext& x, std::span<const double> weights,
                                               std::vector<std::string>& names, std::vector<std::string>& notes) {
  const std::size_t n = x.cell.size();
  const std::int64_t cells = static_cast<std::int64_t>(x.cell_count.size());
  std::set<std::string> name_set;
  for (std::int64_t c = 0; c < cells; ++c) {
    if (x.cell_count[static_cast<std::size_t>(c)] == 0) continue;
    for (const store::Margin& m : CellMargins(x, c)) name_set.insert(m.margin);
  }
  names.assign(name_set.begin(), name_set.end());
  if (names.empty()) return std::vector<stats::Margin>{};

  // Units of each cell, and each cell's total (the same for every margin).
  std::vector<std::vector<std::size_t>> units(static_cast<std::size_t>(cells));
  for (std::size_t i = 0; i < n; ++i) units[static_cast<std::size_t>(x.cell[i])].push_back(i);
  std::vector<double> total(static_cast<std::size_t>(cells), 0.0);
  for (std::int64_t c = 0; c < cells; ++c) {
    const auto cu = static_cast<std::size_t>(c);
    if (units[cu].empty()) continue;
    const auto& ms = CellMargins(x, c);
    if (ms.empty()) {
      for (std::size_t i : units[cu]) total[cu] += weights[i];
      notes.push_back(x.Where(c) + ": the area has no population margins; design weights only");
      continue;
    }
    std::map<std::string, double> sums;
    for (const store::Margin& m : ms) sums[m.margin] += static_cast<double>(m.n);
    total[cu] = sums.begin()->second;
    for (const auto& [name, sum] : sums) {
      if (std::abs(sum - total[cu]) > 1e-9 * std::max(sum, total[cu])) {
        return core::InvalidInput(x.Where(c) + ": margin '" + sums.begin()->first + "' adds up to " +
                                  Num(total[cu]) + " but margin '" + name + "' to " + Num(sum) +
                                  "; every margin of an area must describe the same population");
      }
    }
    if (!(total[cu] > 0)) {
      return core::InvalidInput(x.Where(c) + ": the population margins add up to 0");
    }
    const AreaData& area = x.data.areas[cu % x.area_count];
    if (area.population && static_cast<double>(*area.population) != total[cu]) {
      notes.push_back(x.Where(c) + ": the margins add up to " + Num(total[cu]) + ", the area population is " +
                      std::to_string(*area.population) + "; weights follow the margins, the fpc the population");
    }
  }

  std::vector<stats::Margin> out;
  for (const std::string& name : names) {
    stats::Margin sm;
    sm.level.assign(n, -1);
    for (std::int64_t c = 0; c < cells; ++c) {
      const auto cu = static_cast<std::size_t>(c);
      if (units[cu].empty()) continue;
      // Levels of this margin in this cell with a positive count.
      std::vector<const store::Margin*> levels;
      for (const store::Margin& m : CellMargins(x, c)) {
        if (m.margin == name && m.n > 0) levels.push_back(&m);
      }
      if (levels.empty()) {
        // The cell has no such margin: one level holding the whole cell.
        const auto idx = static_cast<std::int64_t>(sm.population.size());
        sm.population.push_back(total[cu]);
        for (std::size_t i : units[cu]) sm.level[i] = idx;
        if (!CellMargins(x, c).empty()) {
          notes.push_back(x.Where(c) + ": no margin '" + name + "'; the cell is raked on its other margins");
        }
        continue;
      }
      // The largest population level takes respondents without a usable code.
      std::size_t largest = 0;
      for (std::size_t l = 1; l < levels.size(); ++l) {
        if (levels[l]->n > levels[largest]->n ||
            (levels[l]->n == levels[largest]->n && levels[l]->level < levels[largest]->level)) {
          largest = l;
        }
      }
      std::vector<std::size_t> level_of(units[cu].size());
      std::vector<std::size_t> count(levels.size(), 0);
      std::vector<core::Code> level_code(levels.size());
      for (std::size_t j = 0; j < levels.size(); ++j) level_code[j] = LevelCode(levels[j]->level);
      const std::vector<core::Code>& codes = x.Codes(name);
      std::size_t without = 0, unknown = 0;
      for (std::size_t k = 0; k < units[cu].size(); ++k) {
        const core::Code code = codes[units[cu][k]];
        std::size_t l = largest;
        if (code == internal::kNoCode) {
          ++without;
        } else {
          std::size_t found = levels.size();
          for (std::size_t j = 0; j < levels.size(); ++j) {
            if (level_code[j] == code) found = j;
          }
          if (found == levels.size()) {
            ++unknown;
          } else {
            l = found;
          }
        }
        level_of[k] = l;
        ++count[l];
      }
      if (without > 0) {
        notes.push_back(x.Where(c) + ": " + std::to_string(without) + " respondent(s) without '" + name +
                        "' weighted in level '" + levels[largest]->level + "', the largest population level");
      }
      if (unknown > 0) {
        notes.push_back(x.Where(c) + ": " + std::to_string(unknown) + " respondent(s) with a '" + name +
                        "' code that has no population count weighted in level '" + levels[largest]->level +
                        "', the largest population level");
      }
      // Levels without respondents give their population to the largest level.
      std::vector<double> pop(levels.size());
      for (std::size_t l = 0; l < levels.size(); ++l) pop[l] = static_cast<double>(levels[l]->n);
      for (std::size_t l = 0; l < levels.size(); ++l) {
        if (count[l] == 0) {
          pop[largest] += pop[l];
          pop[l] = 0;
          notes.push_back(x.Where(c) + ": no respondent in '" + name + "' level '" + levels[l]->level +
                          "'; its population was added to level '" + levels[largest]->level + "'");
        }
      }
      std::vector<std::int64_t> index(levels.size(), -1);
      for (std::size_t l = 0; l < levels.size(); ++l) {
        if (count[l] == 0) continue;
        index[l] = static_cast<std::int64_t>(sm.population.size());
        sm.population.push_back(pop[l]);
      }
      for (std::size_t k = 0; k < units[cu].size(); ++k) sm.level[units[cu][k]] = index[level_of[k]];
    }
    out.push_back(std::move(sm));
  }
  return out;
}

// t critical values by degrees of freedom for one level, each computed once:
// an evaluation asks for the same few hundred df for every cell, group and
// contrast, and boost's t quantile is the costly step of an interval.
// Safe to call from several threads.
class CriticalValues {
 public:
  explicit CriticalValues(double level) : level_(level) {}
  Result<double> operator()(double df) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = memo_.find(df);
    if (it == memo_.end()) it = memo_.emplace(df, stats::CriticalValue(level_, df)).first;
    return it->second;
  }

 private:
  double level_;
  std::mutex mutex_;
  std::unordered_map<double, Result<double>> memo_;
};

// Runs every task, on this thread and on the machine's other cores (one
// thread each, at most one per task): each thread takes the next task not
// yet taken, in list order, so put the longest first. Returns the first
// failed task's status in list order.
Status RunTasks(const std::vector<std::function<Status()>>& tasks) {
  std::vector<Status> status(tasks.size(), Status::Ok());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < tasks.size(); i = next++) status[i] = tasks[i]();
  };
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::future<void>> helpers;
  for (std::size_t t = 1; t < std::min(cores, tasks.size()); ++t) helpers.push_back(std::async(std::launch::async, work));
  work();
  for (std::future<void>& h : helpers) h.get();
  for (const Status& st : status) TRYGHED_RETURN_IF_ERROR(st);
  return Status::Ok();
}

// The interval est ± t(df)·se (stats::WaldInterval); a note instead when
// it is not defined.
void TInterval(double est, double se, double df, CriticalValues& critical, std::optional<double>& lo,
               std::optional<double>& hi, std::string& note) {
  if (!(df > 0)) {
    note = "too few respondents for an interval (degrees of freedom " + Num(df) + ")";
    return;
  }
  const Result<double> q = critical(df);
  if (!q.ok()) {
    note = q.status().WithContext("Wald interval").message();
    return;
  }
  Result<stats::Interval> ci = stats::WaldIntervalWithCritical(est, se, *q);
  if (!ci.ok()) {
    note = ci.status().message();
    return;
  }
  lo = ci->lower;
  hi = ci->upper;
}

// Test of a contrast: p, interval; notes when not defined.
void ContrastTest(double est, double se, double df, CriticalValues& critical, std::optional<double>& p,
                  std::optional<double>& lo, std::optional<double>& hi, std::string& note) {
  TInterval(est, se, df, critical, lo, hi, note);
  if (!(df > 0)) return;
  if (!(se > 0)) {
    note = "no variation: the standard error is 0, so no test";
    return;
  }
  Result<double> pv = internal::TwoSidedP(est / se, df);
  if (!pv.ok()) {
    note = pv.status().message();
    return;
  }
  p = *pv;
}

class SeriesEvaluator {
 public:
  SeriesEvaluator(SeriesContext& x, EvaluationResult& out) : x_(x), out_(out), critical_(x.options.level) {}

  Status Run() {
    // The work runs as tasks on all cores (RunTasks). Each task writes only
    // its own part: the design, a slot of fits_, groups_ or the robustness
    // plan, or one member of the cells (places, distributions, margins).
    // The parts are put together in a fixed order afterwards, so the result
    // is the same as a serial run's, byte for byte.
    std::optional<RobustnessPlan> plan;
    const Status prepared = RunTasks({
        [&] {
          x_.ReadCodes(x_.code_roles);
          TRYGHED_RETURN_IF_ERROR(MakeDesign());
          Result<RobustnessPlan> p = RobustnessPlan::Make(x_.data, *design_, x_.series.name, x_.series.rows,
                                                          x_.options.level, x_.options.first_post_wave);
          if (!p.ok()) return p.status();
          plan.emplace(std::move(p).value());
          return Status::Ok();
        },
        [&] {
          values_ = internal::ValuesOf(x_.data, x_.series.rows);
          MakeCells();
          did_group_ = DidGroups();
          return Status::Ok();
        },
    });
    TRYGHED_RETURN_IF_ERROR(prepared);
    const std::size_t K = x_.data.indicators.size();
    fits_.assign(K, Fit{});
    proportions_.assign(K, {});
    groups_.assign(x_.background->size(), {});
    std::vector<std::function<Status()>> tasks;
    for (std::size_t i = 0; i < plan->size(); ++i) tasks.push_back([&, i] {
      plan->Run(i);
      return Status::Ok();
    });
    for (std::size_t v = 0; v < x_.background->size(); ++v) tasks.push_back([&, v] { return Groups(v); });
    for (std::size_t k = 0; k < K; ++k) tasks.push_back([&, k] { return FitIndicator(k); });
    did_fits_.assign(K, {});
    for (std::size_t k = 0; k < K; ++k) {
      if (IsIndex(x_.data.indicators[k].kind)) tasks.push_back([&, k] { return FitDid(k); });
    }
    tasks.push_back([&] { return Places(); });
    tasks.push_back([&] {
      Distributions();
      return Status::Ok();
    });
    if (x_.series.probability) tasks.push_back([&] {
      MarginComparisons();
      return Status::Ok();
    });
    TRYGHED_RETURN_IF_ERROR(RunTasks(tasks));
    for (std::size_t k = 0; k < K; ++k) WriteIndicator(k);
    AppendGroups();
    std::move(*plan).AppendTo(out_.robustness);
    TRYGHED_RETURN_IF_ERROR(Changes());
    TRYGHED_RETURN_IF_ERROR(DifferenceInDifferences());
    ScaleReliabilities();
    AreaLambdas();
    out_.weighting.push_back(std::move(note_));
    return Status::Ok();
  }

 private:
  Status MakeDesign() {
    const std::size_t n = x_.cell.size();
    const auto cells = static_cast<std::int64_t>(x_.cell_count.size());
    note_.series = x_.series.name;
    const bool probability = x_.series.probability;
    std::vector<double> population(x_.cell_count.size(), 0.0);
    bool use_fpc = probability;
    for (std::int64_t c = 0; c < cells && probability; ++c) {
      const auto cu = static_cast<std::size_t>(c);
      if (x_.cell_count[cu] == 0) continue;
      std::optional<double> pop = CellPopulation(x_, c);
      if (!pop) {
        use_fpc = false;
        note_.notes.push_back("area " + x_.Area(c) +
                              " has no population: no finite population correction in this series");
        break;
      }
      if (*pop < static_cast<double>(x_.cell_count[cu])) {
        return core::InvalidInput(x_.Where(c) + ": the population (" + Num(*pop) + ") is smaller than the " +
                                  std::to_string(x_.cell_count[cu]) + " respondents");
      }
      population[cu] = *pop;
    }
    stats::DesignSpec spec;
    spec.strata = x_.cell;
    spec.lonely_psu = x_.options.lonely_psu;
    spec.weights.assign(n, 1.0);
    if (use_fpc) {
      spec.fpc.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const auto cu = static_cast<std::size_t>(x_.cell[i]);
        spec.fpc[i] = population[cu];
        if (x_.options.weighted) spec.weights[i] = population[cu] / static_cast<double>(x_.cell_count[cu]);
      }
    }
    Result<stats::Design> d = stats::Design::Create(std::move(spec));
    if (!d.ok()) return d.status().WithContext("series " + x_.series.name);
    design_.emplace(std::move(d).value());

    if (!probability) {
      note_.method = "unweighted: not a probability sample (strata wave × area, no finite population correction)";
      return Status::Ok();
    }
    if (!x_.options.weighted) {
      note_.method = "unweighted (every respondent weighs 1); strata wave × area" +
                     std::string(use_fpc ? " with the area population as fpc" : "");
      return Status::Ok();
    }
    std::vector<std::string> names;
    Result<std::vector<stats::Margin>> margins = RakeMargins(x_, design_->weights(), names, note_.notes);
    if (!margins.ok()) return margins.status().WithContext("series " + x_.series.name);
    if (margins->empty()) {
      note_.method = use_fpc ? "design weights N/n per wave × area (no population margins)"
                             : "equal weights (no population and no margins)";
    } else {
      stats::RakeOptions ro;
      ro.max_iterations = x_.options.rake_max_iterations;
      ro.epsilon = x_.options.rake_epsilon;
      Result<stats::Design> raked = stats::Rake(*design_, *margins, ro);
      if (!raked.ok()) return raked.status().WithContext("series " + x_.series.name + ": raking");
      design_.emplace(std::move(raked).value());
      std::string list;
      for (const std::string& s : names) list += (list.empty() ? "" : ", ") + s;
      note_.method = "raking to each area's population margins (" + list + ") per wave × area, from design weights N/n";
    }
    if (x_.options.trim_lower > 0 || std::isfinite(x_.options.trim_upper)) {
      std::size_t trimmed = 0;
      Result<stats::Design> t =
          stats::TrimWeights(*design_, x_.options.trim_lower, x_.options.trim_upper, &trimmed);
      if (!t.ok()) return t.status().WithContext("series " + x_.series.name + ": trimming");
      design_.emplace(std::move(t).value());
      note_.trimmed = static_cast<std::int64_t>(trimmed);
      note_.method += "; weights trimmed to [" + Num(x_.options.trim_lower) + ", " + Num(x_.options.trim_upper) + "]";
    }
    return Status::Ok();
  }

  void MakeCells() {
    const std::size_t A = x_.area_count;
    units_of_cell_.assign(x_.cell_count.size(), {});
    units_of_wave_.assign(x_.data.waves.size(), {});
    for (std::size_t i = 0; i < x_.cell.size(); ++i) {
      const auto c = static_cast<std::size_t>(x_.cell[i]);
      units_of_cell_[c].push_back(i);
      units_of_wave_[c / A].push_back(i);
    }
    // Item non-response per cell × item, in one pass over the units.
    const std::size_t J = x_.data.items.size();
    std::vector<std::int64_t> missing(x_.cell_count.size() * J, 0);
    for (std::size_t i = 0; i < x_.cell.size(); ++i) {
      const Respondent& r = x_.Row(i);
      std::int64_t* m = missing.data() + static_cast<std::size_t>(x_.cell[i]) * J;
      for (std::size_t j = 0; j < J; ++j) {
        if (j >= r.items.size() || !r.items[j]) ++m[j];
      }
    }
    cell_out_.assign(x_.cell_count.size(), -1);
    for (std::size_t c = 0; c < x_.cell_count.size(); ++c) {
      if (x_.cell_count[c] == 0 && !x_.series.probability) continue;
      Cell cell;
      cell.wave = x_.data.waves[c / A].label;
      cell.area = x_.data.areas[c % A].name;
      cell.role = store::AreaRoleName(x_.data.areas[c % A].role);
      cell.series = x_.series.name;
      cell.respondents = x_.cell_count[c];
      if (cell.respondents == 0) {
        cell.note = "no responses in this wave and area";
      } else {
        for (std::size_t j = 0; j < J; ++j) {
          const std::int64_t m = missing[c * J + j];
          cell.item_nonresponse.push_back(
              {x_.data.items[j], m, static_cast<double>(m) / static_cast<double>(cell.respondents)});
        }
      }
      cell_out_[c] = static_cast<std::int64_t>(out_.cells.size());
      out_.cells.push_back(std::move(cell));
    }
  }

  // Fits indicator k into fits_[k] and proportions_[k].
  Status FitIndicator(std::size_t k) {
    const Indicator& ind = x_.data.indicators[k];
    return FitColumn(values_[k], IsProportion(ind.kind), ind.id, fits_[k], proportions_[k]);
  }

  // The cell estimates of indicator k, from its fit.
  void WriteIndicator(std::size_t k) {
    const Indicator& ind = x_.data.indicators[k];
    for (std::size_t c = 0; c < x_.cell_count.size(); ++c) {
      if (cell_out_[c] < 0) continue;
      Cell& cell = out_.cells[static_cast<std::size_t>(cell_out_[c])];
      if (cell.respondents == 0) continue;
      cell.estimates.push_back(CellEstimate(ind.id, ind.label, ind.kind, fits_[k], proportions_[k], c, cell.respondents));
    }
  }

  // Fits one column of values (`y`: per unit, NaN = no value) over all
  // cells: one MeanByDomain call gives the cell means and their covariance;
  // per cell the Kish effective size and degrees of freedom of the units
  // with a value; for a proportion, its interval per domain.
  Status FitColumn(std::span<const double> y, bool proportion, const std::string& what, Fit& fit,
                   std::vector<Result<stats::ProportionResult>>& proportions) {
    const std::size_t n = x_.cell.size();
    const std::size_t C = x_.cell_count.size();
    fit.y = y;
    fit.with_value.assign(C, 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isnan(fit.y[i])) ++fit.with_value[static_cast<std::size_t>(x_.cell[i])];
    }
    fit.domain_of_cell.assign(C, -1);
    std::size_t domains = 0;
    for (std::size_t c = 0; c < C; ++c) {
      if (fit.with_value[c] > 0) fit.domain_of_cell[c] = static_cast<std::int64_t>(domains++);
    }
    // Per cell: the Kish effective size of the units with a value, and
    // their degrees of freedom (cells are strata, so one pass for all).
    fit.kish_of_cell.assign(C, 0.0);
    fit.df_of_cell.assign(C, 0.0);
    std::vector<double> w;
    const auto weights = design_->weights();
    for (std::size_t c = 0; c < C; ++c) {
      w.clear();
      for (std::size_t i : units_of_cell_[c]) {
        if (!std::isnan(fit.y[i])) w.push_back(weights[i]);
      }
      fit.kish_of_cell[c] = stats::KishEffectiveSize(w);
    }
    if (domains == 0) return Status::Ok();
    std::vector<std::int64_t> dom(n);
    for (std::size_t i = 0; i < n; ++i) dom[i] = fit.domain_of_cell[static_cast<std::size_t>(x_.cell[i])];
    const std::span<const double> vars[] = {fit.y};
    Result<stats::Estimates> est = stats::MeanByDomain(*design_, vars, {dom, domains});
    if (!est.ok()) return est.status().WithContext("series " + x_.series.name + ", " + what);
    fit.estimates = std::move(est).value();
    // Degrees of freedom of the units with a value in each cell.
    std::vector<std::int64_t> with(n);
    for (std::size_t i = 0; i < n; ++i) with[i] = std::isnan(fit.y[i]) ? -1 : dom[i];
    const std::vector<double> df = stats::SubsetDfByDomain(*design_, {with, domains});
    for (std::size_t c = 0; c < C; ++c) {
      if (fit.domain_of_cell[c] >= 0) fit.df_of_cell[c] = df[static_cast<std::size_t>(fit.domain_of_cell[c])];
    }
    if (proportion) {
      stats::ProportionOptions po;
      po.method = x_.options.proportion_method;
      po.level = x_.options.level;
      proportions = stats::CiProportionByDomain(*design_, fit.y, {dom, domains}, po, *fit.estimates, df);
    }
    return Status::Ok();
  }

  // The estimate of cell `c` from a FitColumn fit.
  Estimate CellEstimate(const std::string& id, const std::string& label, IndicatorKind kind, const Fit& fit,
                        const std::vector<Result<stats::ProportionResult>>& proportions, std::size_t c,
                        std::int64_t respondents) const {
    Estimate e;
    e.id = id;
    e.label = label;
    e.kind = kind;
    e.n = static_cast<std::int64_t>(fit.with_value[c]);
    e.missing = respondents - e.n;
    if (fit.domain_of_cell[c] < 0) {
      e.note = "no respondent with a value";
      return e;
    }
    const auto d = static_cast<std::size_t>(fit.domain_of_cell[c]);
    const double mean = fit.estimates->estimate[d];
    const double se = std::sqrt(std::max(0.0, fit.estimates->covariance(d, d)));
    e.effective_n = fit.kish_of_cell[c];
    if (IsProportion(kind)) {
      const Result<stats::ProportionResult>& p = proportions[d];
      if (p.ok()) {
        e.estimate = p->estimate;
        e.se = p->se;
        e.ci_lower = p->lower;
        e.ci_upper = p->upper;
        e.df = p->df;
      } else {
        e.estimate = mean;
        e.se = se;
        e.note = p.status().message();
      }
    } else {
      e.estimate = mean;
      e.se = se;
      const double df = fit.df_of_cell[c];
      e.df = df;
      TInterval(mean, se, df, critical_, e.ci_lower, e.ci_upper, e.note);
    }
    return e;
  }

  // The share naming each place of every place item, per cell: a share
  // like the headline shares (same design, same interval), with the base
  // the respondents AddResponse put in it (dataset.h, Respondent::places).
  Status Places() {
    for (std::size_t p = 0; p < x_.data.place_items.size(); ++p) {
      const PlaceItem& item = x_.data.place_items[p];
      std::vector<std::vector<Estimate>> per_cell(x_.cell_count.size());
      std::vector<std::int64_t> base(x_.cell_count.size(), 0);
      for (std::size_t i = 0; i < x_.cell.size(); ++i) {
        const Respondent& r = x_.Row(i);
        if (p < r.places.size() && r.places[p]) ++base[static_cast<std::size_t>(x_.cell[i])];
      }
      for (const Category& option : item.options) {
        Fit fit;
        std::vector<Result<stats::ProportionResult>> proportions;
        std::vector<double> named(x_.cell.size(), stats::kMissing);
        for (std::size_t i = 0; i < x_.cell.size(); ++i) {
          const Respondent& r = x_.Row(i);
          if (p >= r.places.size() || !r.places[p]) continue;
          const auto& codes = *r.places[p];
          named[i] = std::find(codes.begin(), codes.end(), option.code) != codes.end() ? 1.0 : 0.0;
        }
        TRYGHED_RETURN_IF_ERROR(
            FitColumn(named, true, item.id + " " + std::to_string(option.code), fit, proportions));
        for (std::size_t c = 0; c < x_.cell_count.size(); ++c) {
          if (cell_out_[c] < 0) continue;
          const Cell& cell = out_.cells[static_cast<std::size_t>(cell_out_[c])];
          if (cell.respondents == 0) continue;
          per_cell[c].push_back(CellEstimate(std::to_string(option.code), option.label, IndicatorKind::kShare, fit,
                                             proportions, c, cell.respondents));
        }
      }
      for (std::size_t c = 0; c < x_.cell_count.size(); ++c) {
        if (cell_out_[c] < 0) continue;
        Cell& cell = out_.cells[static_cast<std::size_t>(cell_out_[c])];
        if (cell.respondents == 0) continue;
        cell.places.push_back({item.id, item.text, base[c], std::move(per_cell[c])});
      }
    }
    return Status::Ok();
  }

  // Change of every indicator in area `a` from wave `from` to wave `to`.
  Status Compare(std::size_t a, std::size_t from, std::size_t to, const std::string& comparison) {
    const std::size_t A = x_.area_count;
    const std::size_t cf = from * A + a, ct = to * A + a;
    if (x_.cell_count[cf] == 0 || x_.cell_count[ct] == 0) return Status::Ok();
    std::vector<std::size_t> tested;
    std::vector<double> p;
    for (std::size_t k = 0; k < fits_.size(); ++k) {
      const Fit& fit = fits_[k];
      const Indicator& ind = x_.data.indicators[k];
      Change ch;
      ch.series = x_.series.name;
      ch.area = x_.data.areas[a].name;
      ch.indicator = ind.id;
      ch.comparison = comparison;
      ch.from_wave = x_.data.waves[from].label;
      ch.to_wave = x_.data.waves[to].label;
      const std::int64_t df_ = fit.domain_of_cell[cf], dt = fit.domain_of_cell[ct];
      if (df_ < 0 || dt < 0) {
        ch.verdict = "kan ikke beregnes";
        ch.note = "no respondent with a value in wave " + (df_ < 0 ? ch.from_wave : ch.to_wave);
        out_.changes.push_back(std::move(ch));
        continue;
      }
      const stats::Estimates& est = *fit.estimates;
      // Domains are numbered in cell order, so the earlier wave's comes first.
      const std::size_t index[2] = {static_cast<std::size_t>(df_), static_cast<std::size_t>(dt)};
      const double coef[2] = {-1, 1};
      Result<stats::ContrastResult> r = stats::LinearContrast(est, index, coef);
      if (!r.ok()) return r.status().WithContext("change of " + ind.id + " in " + ch.area);
      // Two cells are two strata: PSUs and strata of their units are
      // disjoint, so the degrees of freedom of both add up.
      const double df = fit.df_of_cell[cf] + fit.df_of_cell[ct];
      ch.difference = r->estimate;
      ch.se = r->se;
      ch.df = df;
      ContrastTest(r->estimate, r->se, df, critical_, ch.p, ch.ci_lower, ch.ci_upper, ch.note);
      // Minimum detectable difference for these wave sizes.
      const auto f = static_cast<std::size_t>(df_), t = static_cast<std::size_t>(dt);
      const double alpha = 1 - x_.options.level;
      if (IsProportion(ind.kind)) {
        ch.mdd = internal::MddProportions(est.estimate[f], fit.kish_of_cell[cf], fit.kish_of_cell[ct], alpha,
                                          x_.options.power);
      } else {
        ch.mdd = internal::MddMeans(std::sqrt(std::max(0.0, est.covariance(f, f))),
                                    std::sqrt(std::max(0.0, est.covariance(t, t))),
                                    static_cast<double>(fit.with_value[cf]), static_cast<double>(fit.with_value[ct]),
                                    alpha, x_.options.power);
      }
      if (ch.p) {
        tested.push_back(out_.changes.size());
        p.push_back(*ch.p);
      } else {
        ch.verdict = "kan ikke beregnes";
      }
      out_.changes.push_back(std::move(ch));
    }
    if (!p.empty()) {
      Result<std::vector<double>> adj = stats::AdjustPValues(p, x_.options.adjust);
      if (!adj.ok()) return adj.status().WithContext("adjusting p-values");
      for (std::size_t j = 0; j < tested.size(); ++j) {
        Change& ch = out_.changes[tested[j]];
        ch.p_adjusted = (*adj)[j];
        ch.significant = (*adj)[j] < 1 - x_.options.level;
        ch.verdict = ch.significant ? "statistisk signifikant" : "ikke statistisk signifikant";
      }
    }
    return Status::Ok();
  }

  Status Changes() {
    const std::size_t W = x_.data.waves.size();
    for (std::size_t w = 0; w < W; ++w) {
      std::int64_t in_wave = 0;
      for (std::size_t a = 0; a < x_.area_count; ++a) in_wave += x_.cell_count[w * x_.area_count + a];
      if (in_wave == 0) {
        out_.notes.push_back("series " + x_.series.name + ": wave " + x_.data.waves[w].label +
                             " has no responses, so there are no changes or differences-in-differences for it");
      }
    }
    for (std::size_t a = 0; a < x_.area_count; ++a) {
      for (std::size_t to = 1; to < W; ++to) {
        TRYGHED_RETURN_IF_ERROR(Compare(a, 0, to, "baseline"));
        if (to >= 2) TRYGHED_RETURN_IF_ERROR(Compare(a, to - 1, to, "previous"));
      }
    }
    return Status::Ok();
  }

  // The DiD group of every unit: wave * 2 + role (0 = pilot, 1 = comparison).
  std::vector<std::int64_t> DidGroups() const {
    const std::size_t n = x_.cell.size();
    const std::size_t A = x_.area_count;
    std::vector<std::int64_t> group(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<std::size_t>(x_.cell[i]);
      const bool pilot = x_.data.areas[c % A].role == store::AreaRole::kPilot;
      group[i] = static_cast<std::int64_t>((c / A) * 2 + (pilot ? 0 : 1));
    }
    return group;
  }

  // Per DiD group: the units with a value of y; and the groups' domain
  // numbers among those with one (-1 = none), with their count.
  std::vector<std::size_t> WithValue(const std::vector<std::int64_t>& group, std::span<const double> y,
                                     std::vector<std::int64_t>& dom_of, std::size_t& domains) const {
    const std::size_t G = 2 * x_.data.waves.size();
    std::vector<std::size_t> with(G, 0);
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!std::isnan(y[i])) ++with[static_cast<std::size_t>(group[i])];
    }
    dom_of.assign(G, -1);
    domains = 0;
    for (std::size_t g = 0; g < G; ++g) {
      if (with[g] > 0) dom_of[g] = static_cast<std::int64_t>(domains++);
    }
    return with;
  }

  // What the DiDs of one indicator take from the units: per DiD group the
  // units with a value, the groups' domain numbers among those with one
  // (-1 = none) and, over those domains, the means and their covariance
  // (an error counts only where a DiD needs them).
  struct DidFit {
    std::vector<std::size_t> with;
    std::vector<std::int64_t> dom_of;
    std::size_t domains = 0;
    std::optional<Result<stats::Estimates>> means;
  };

  // A task: did_fits_[k], which DifferenceInDifferences takes.
  Status FitDid(std::size_t k) {
    DidFit& f = did_fits_[k];
    const std::vector<std::int64_t>& group = did_group_;
    f.with = WithValue(group, values_[k], f.dom_of, f.domains);
    if (f.domains == 0) return Status::Ok();
    std::vector<std::int64_t> dom(group.size());
    for (std::size_t i = 0; i < group.size(); ++i) dom[i] = f.dom_of[static_cast<std::size_t>(group[i])];
    const std::span<const double> vars[] = {values_[k]};
    f.means = stats::MeanByDomain(*design_, vars, {dom, f.domains});
    return Status::Ok();
  }

  Status DifferenceInDifferences() {
    const std::size_t W = x_.data.waves.size();
    const std::size_t A = x_.area_count;
    const std::vector<std::int64_t>& group = did_group_;
    std::vector<std::size_t> units_in(2 * W, 0);
    for (std::int64_t g : group) ++units_in[static_cast<std::size_t>(g)];
    if (units_in[0] == 0 || units_in[1] == 0) {
      bool pilot = false, comparison = false;
      for (std::int64_t g : group) {
        pilot = pilot || g % 2 == 0;
        comparison = comparison || g % 2 == 1;
      }
      if (pilot && comparison) {
        out_.notes.push_back("series " + x_.series.name +
                             ": no difference-in-differences, since pilot and comparison areas do not both have "
                             "responses in the baseline wave " + x_.data.waves[0].label);
      }
      return Status::Ok();
    }
    for (std::size_t k = 0; k < x_.data.indicators.size(); ++k) {
      const Indicator& ind = x_.data.indicators[k];
      if (!IsIndex(ind.kind)) continue;
      const auto& [with, dom_of, domains, means] = did_fits_[k];
      for (std::size_t w = 1; w < W; ++w) {
        if (units_in[2 * w] == 0 && units_in[2 * w + 1] == 0) continue;  // wave without responses
        DiD d;
        d.series = x_.series.name;
        d.indicator = ind.id;
        d.baseline_wave = x_.data.waves[0].label;
        d.wave = x_.data.waves[w].label;
        const std::size_t g4[4] = {2 * w, 0, 2 * w + 1, 1};
        const double c4[4] = {1, -1, -1, 1};
        bool complete = true;
        d.smallest_n = static_cast<std::int64_t>(with[g4[0]]);
        for (std::size_t g : g4) {
          complete = complete && dom_of[g] >= 0;
          d.smallest_n = std::min(d.smallest_n, static_cast<std::int64_t>(with[g]));
        }
        if (!complete) {
          d.note = "pilot and comparison areas both need values at baseline and in this wave";
          out_.did.push_back(std::move(d));
          continue;
        }
        if (!means->ok()) return means->status().WithContext("difference-in-differences of " + ind.id);
        std::vector<double> coef(domains, 0.0);
        for (int j = 0; j < 4; ++j) coef[static_cast<std::size_t>(dom_of[g4[j]])] += c4[j];
        Result<stats::ContrastResult> r = stats::LinearContrast(**means, coef);
        if (!r.ok()) return r.status().WithContext("difference-in-differences of " + ind.id);
        // The four groups are unions of wave × area cells, i.e. of strata:
        // their degrees of freedom are the sum of the cells'.
        double df = 0;
        for (std::size_t c = 0; c < x_.cell_count.size(); ++c) {
          const std::size_t g = (c / A) * 2 + (x_.data.areas[c % A].role == store::AreaRole::kPilot ? 0 : 1);
          if (g == g4[0] || g == g4[1] || g == g4[2] || g == g4[3]) df += fits_[k].df_of_cell[c];
        }
        d.estimate = r->estimate;
        d.se = r->se;
        d.df = df;
        ContrastTest(r->estimate, r->se, df, critical_, d.p, d.ci_lower, d.ci_upper, d.note);
        d.significant = d.p && *d.p < 1 - x_.options.level;
        out_.did.push_back(std::move(d));
      }
    }
    return Status::Ok();
  }

  // Level of every unit for background variable v: index into the levels
  // of GroupLevels(v); the last index (levels.size()) = "ikke oplyst".
  std::vector<std::size_t> LevelOfUnits(const BackgroundVariable& var) const {
    const std::size_t n = x_.cell.size();
    std::vector<std::size_t> level(n, var.levels.size());
    const std::vector<core::Code>& codes = x_.Codes(var.role);
    for (std::size_t i = 0; i < n; ++i) {
      if (codes[i] == internal::kNoCode) continue;
      for (std::size_t l = 0; l < var.levels.size(); ++l) {
        if (var.levels[l].code == codes[i]) level[i] = l;
      }
    }
    return level;
  }

  // Overall index and sub-indices per cell × level of background variable v:
  // one MeanByDomainSe call per indicator with the domains cell × level.
  // Fills groups_[v]: the groups of background variable v in every cell.
  Status Groups(std::size_t v) {
    const BackgroundVariable& var = (*x_.background)[v];
    const std::size_t n = x_.cell.size();
    const std::size_t C = x_.cell_count.size();
    const std::size_t L = var.levels.size() + 1;  // + "ikke oplyst"
    const std::vector<std::size_t> level = LevelOfUnits(var);
    std::vector<std::int64_t> respondents(C * L, 0);
    for (std::size_t i = 0; i < n; ++i) ++respondents[static_cast<std::size_t>(x_.cell[i]) * L + level[i]];
    // The groups of every cell, before estimates.
    std::vector<std::vector<std::int64_t>> group_index(C);  // cell -> level -> index in levels or -1
    std::vector<std::optional<GroupVariable>> result(C);     // cell -> its groups
    for (std::size_t c = 0; c < C; ++c) {
      if (cell_out_[c] < 0) continue;
      const Cell& cell = out_.cells[static_cast<std::size_t>(cell_out_[c])];
      if (cell.respondents == 0) continue;
      GroupVariable g{var.role, var.label, {}};
      group_index[c].assign(L, -1);
      for (std::size_t l = 0; l < L; ++l) {
        const std::int64_t count = respondents[c * L + l];
        if (l + 1 == L && count == 0) continue;  // "ikke oplyst" only when someone is
        Group group;
        if (l + 1 < L) {
          group.code = var.levels[l].code;
          group.label = var.levels[l].label;
        } else {
          group.label = "ikke oplyst";
        }
        group.respondents = count;
        group_index[c][l] = static_cast<std::int64_t>(g.levels.size());
        g.levels.push_back(std::move(group));
      }
      result[c] = std::move(g);
    }
    const auto weights = design_->weights();
    for (std::size_t k = 0; k < x_.data.indicators.size(); ++k) {
      const Indicator& ind = x_.data.indicators[k];
      if (!IsIndex(ind.kind)) continue;
      const std::vector<double>& y = values_[k];
      // Per domain (cell × level): units with a value, Σw, Σw², strata.
      std::vector<std::size_t> with(C * L, 0);
      std::vector<double> sw(C * L, 0.0), sw2(C * L, 0.0);
      for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan(y[i])) continue;
        const std::size_t g = static_cast<std::size_t>(x_.cell[i]) * L + level[i];
        ++with[g];
        sw[g] += weights[i];
        sw2[g] += weights[i] * weights[i];
      }
      std::vector<std::int64_t> dom_of(C * L, -1);
      std::size_t domains = 0;
      for (std::size_t g = 0; g < C * L; ++g) {
        if (with[g] > 0) dom_of[g] = static_cast<std::int64_t>(domains++);
      }
      // Only each group's own SE is used: no covariance between groups.
      std::optional<stats::EstimatesSe> est;
      if (domains > 0) {
        std::vector<std::int64_t> dom(n);
        for (std::size_t i = 0; i < n; ++i) dom[i] = dom_of[static_cast<std::size_t>(x_.cell[i]) * L + level[i]];
        const std::span<const double> ys(y);
        const std::span<const double> vars[] = {ys};
        Result<stats::EstimatesSe> e = stats::MeanByDomainSe(*design_, vars, {dom, domains});
        if (!e.ok()) return e.status().WithContext("series " + x_.series.name + ", " + ind.id + " by " + var.role);
        est = std::move(e).value();
      }
      for (std::size_t c = 0; c < C; ++c) {
        if (group_index[c].empty()) continue;
        GroupVariable& gv = *result[c];
        for (std::size_t l = 0; l < L; ++l) {
          if (group_index[c][l] < 0) continue;
          Group& group = gv.levels[static_cast<std::size_t>(group_index[c][l])];
          if (group.respondents == 0) continue;
          const std::size_t g = c * L + l;
          Estimate e;
          e.id = ind.id;
          e.label = ind.label;
          e.kind = ind.kind;
          e.n = static_cast<std::int64_t>(with[g]);
          e.missing = group.respondents - e.n;
          if (dom_of[g] < 0) {
            e.note = "no respondent with a value";
          } else {
            const auto d = static_cast<std::size_t>(dom_of[g]);
            e.estimate = est->estimate[d];
            e.se = est->se[d];
            e.effective_n = sw[g] * sw[g] / sw2[g];
            // Every respondent is its own PSU and a group lies in one
            // stratum, so stats::SubsetDf would give n − 1.
            e.df = static_cast<double>(with[g]) - 1;
            TInterval(*e.estimate, *e.se, *e.df, critical_, e.ci_lower, e.ci_upper, e.note);
          }
          group.estimates.push_back(std::move(e));
        }
      }
    }
    groups_[v] = std::move(result);
    return Status::Ok();
  }

  // Appends groups_ to the cells, variable by variable.
  void AppendGroups() {
    for (std::vector<std::optional<GroupVariable>>& per_cell : groups_) {
      for (std::size_t c = 0; c < per_cell.size(); ++c) {
        if (!per_cell[c]) continue;
        out_.cells[static_cast<std::size_t>(cell_out_[c])].groups.push_back(std::move(*per_cell[c]));
      }
    }
  }

  // Answer distribution of every scored item per cell: count and weighted
  // share of each code among the respondents who gave any code.
  void Distributions() {
    const std::size_t n = x_.cell.size();
    const std::size_t C = x_.cell_count.size();
    const std::size_t J = x_.data.items.size();
    const auto weights = design_->weights();
    // (cell, item) -> code -> (count, Σw)
    std::vector<std::map<core::Code, std::pair<std::int64_t, double>>> tally(C * J);
    for (std::size_t i = 0; i < n; ++i) {
      const Respondent& r = x_.Row(i);
      const auto c = static_cast<std::size_t>(x_.cell[i]);
      for (std::size_t j = 0; j < J && j < r.codes.size(); ++j) {
        if (!r.codes[j]) continue;
        auto& t = tally[c * J + j][*r.codes[j]];
        ++t.first;
        t.second += weights[i];
      }
    }
    for (std::size_t c = 0; c < C; ++c) {
      if (cell_out_[c] < 0) continue;
      Cell& cell = out_.cells[static_cast<std::size_t>(cell_out_[c])];
      if (cell.respondents == 0) continue;
      for (std::size_t j = 0; j < J; ++j) {
        const auto& t = tally[c * J + j];
        ItemDistribution d;
        d.item = x_.data.items[j];
        std::vector<Category> categories;
        if (j < x_.data.item_definitions.size()) {
          d.text = x_.data.item_definitions[j].text;
          categories = x_.data.item_definitions[j].options;
        }
        for (const auto& [code, count] : t) {
          bool known = false;
          for (const Category& k : categories) known = known || k.code == code;
          if (!known) categories.push_back({code, std::to_string(code), false});
        }
        double total = 0;
        for (const auto& [code, count] : t) {
          d.answered += count.first;
          total += count.second;
        }
        d.unanswered = cell.respondents - d.answered;
        for (const Category& k : categories) {
          AnswerCategory a{k.code, k.label, k.non_substantive, 0, std::nullopt};
          auto it = t.find(k.code);
          if (it != t.end()) a.count = it->second.first;
          if (total > 0) a.share = (it != t.end() ? it->second.second : 0.0) / total;
          d.categories.push_back(std::move(a));
        }
        cell.distributions.push_back(std::move(d));
      }
    }
  }

  // The sample against the population margins per cell, before and after
  // weighting: per margin and level the population share, the unweighted
  // sample share and the weighted share (docs/methods.md, "Sample against
  // the population"). Respondents without a code of the margin's levels
  // form the level "" (ikke oplyst); raking counted them in the largest
  // population level.
  void MarginComparisons() {
    const std::size_t C = x_.cell_count.size();
    const auto weights = design_->weights();
    for (std::size_t c = 0; c < C; ++c) {
      if (cell_out_[c] < 0 || units_of_cell_[c].empty()) continue;
      const auto& ms = CellMargins(x_, static_cast<std::int64_t>(c));
      if (ms.empty()) continue;
      Cell& cell = out_.cells[static_cast<std::size_t>(cell_out_[c])];
      double cell_weight = 0;
      for (std::size_t i : units_of_cell_[c]) cell_weight += weights[i];
      std::vector<std::string> names;
      for (const store::Margin& m : ms) {
        if (std::find(names.begin(), names.end(), m.margin) == names.end()) names.push_back(m.margin);
      }
      for (const std::string& name : names) {
        double total = 0;
        for (const store::Margin& m : ms) {
          if (m.margin == name) total += static_cast<double>(m.n);
        }
        const BackgroundVariable* var = nullptr;
        for (const BackgroundVariable& b : *x_.background) {
          if (b.role == name) var = &b;
        }
        // One pass over the cell's units: respondents and weight per code.
        std::map<core::Code, std::pair<std::int64_t, double>> by_code;
        const std::vector<core::Code>& codes = x_.Codes(name);
        for (std::size_t i : units_of_cell_[c]) {
          if (codes[i] == internal::kNoCode) continue;
          auto& [count, w] = by_code[codes[i]];
          ++count;
          w += weights[i];
        }
        std::int64_t matched = 0;
        double matched_weight = 0;
        for (const store::Margin& m : ms) {
          if (m.margin != name) continue;
          MarginShare share;
          share.margin = name;
          share.level = m.level;
          share.label = m.level;
          const core::Code level_code = LevelCode(m.level);
          if (var) {
            for (const Category& k : var->levels) {
              if (k.code == level_code) share.label = k.label;
            }
          }
          share.population = m.n;
          if (total > 0) share.population_share = static_cast<double>(m.n) / total;
          std::int64_t count = 0;
          double w = 0;
          if (auto it = by_code.find(level_code); it != by_code.end()) std::tie(count, w) = it->second;
          matched += count;
          matched_weight += w;
          share.sample = count;
          share.sample_share = static_cast<double>(count) / static_cast<double>(cell.respondents);
          if (x_.options.weighted && cell_weight > 0) share.weighted_share = w / cell_weight;
          cell.margins.push_back(std::move(share));
        }
        if (matched < cell.respondents) {
          MarginShare share;
          share.margin = name;
          share.label = "ikke oplyst";
          share.sample = cell.respondents - matched;
          share.sample_share = static_cast<double>(*share.sample) / static_cast<double>(cell.respondents);
          if (x_.options.weighted && cell_weight > 0) share.weighted_share = (cell_weight - matched_weight) / cell_weight;
          cell.margins.push_back(std::move(share));
        }
      }
    }
  }

  // Cronbach's alpha of every sub-index per wave (all areas), and per wave ×
  // area when the area has at least min_base complete cases.
  void ScaleReliabilities() {
    const std::size_t A = x_.area_count;
    for (std::size_t w = 0; w < x_.data.waves.size(); ++w) {
      std::int64_t in_wave = 0;
      for (std::size_t a = 0; a < A; ++a) in_wave += x_.cell_count[w * A + a];
      if (in_wave == 0) continue;
      for (const Indicator& ind : x_.data.indicators) {
        if (ind.kind != IndicatorKind::kSubIndex || ind.items.size() < 2) continue;
        std::vector<std::size_t> cols;
        for (const std::string& item : ind.items) {
          const auto j = static_cast<std::size_t>(std::find(x_.data.items.begin(), x_.data.items.end(), item) -
                                                  x_.data.items.begin());
          if (j < x_.data.items.size()) cols.push_back(j);
        }
        if (cols.size() < 2) continue;
        // Complete rows per area of this wave.
        std::vector<std::vector<double>> rows(A + 1);  // A = all areas
        for (std::size_t i : units_of_wave_[w]) {
          const auto c = static_cast<std::size_t>(x_.cell[i]);
          const Respondent& r = x_.Row(i);
          std::vector<double> row;
          for (std::size_t j : cols) {
            if (j < r.items.size() && r.items[j]) row.push_back(*r.items[j]);
          }
          if (row.size() != cols.size()) continue;
          rows[A].insert(rows[A].end(), row.begin(), row.end());
          rows[c % A].insert(rows[c % A].end(), row.begin(), row.end());
        }
        for (std::size_t a = 0; a <= A; ++a) {
          const auto complete = static_cast<std::int64_t>(rows[a].size() / cols.size());
          if (a < A && complete < x_.options.disclosure.min_base) continue;
          ScaleReliability sr;
          sr.series = x_.series.name;
          sr.wave = x_.data.waves[w].label;
          sr.area = a < A ? x_.data.areas[a].name : "";
          sr.subindex = ind.id;
          sr.n = complete;
          stats::ReliabilityOptions ro;
          ro.level = x_.options.level;
          Result<stats::AlphaResult> alpha = stats::CronbachAlpha(rows[a], cols.size(), ro);
          if (!alpha.ok()) {
            sr.note = alpha.status().message();
          } else {
            sr.alpha = alpha->raw_alpha;
            sr.ci_lower = alpha->feldt_lower;
            sr.ci_upper = alpha->feldt_upper;
            for (std::size_t j = 0; j < cols.size(); ++j) {
              sr.items.push_back({x_.data.items[cols[j]], alpha->items[j].r_drop, alpha->items[j].alpha_if_dropped});
            }
          }
          out_.reliability.push_back(std::move(sr));
        }
      }
    }
  }

  // Area reliability λ of the overall index per wave (areas as groups).
  void AreaLambdas() {
    std::size_t k = x_.data.indicators.size();
    for (std::size_t j = 0; j < x_.data.indicators.size() && k == x_.data.indicators.size(); ++j) {
      if (x_.data.indicators[j].kind == IndicatorKind::kOverall) k = j;
    }
    if (k == x_.data.indicators.size() || x_.area_count < 2) return;
    const std::size_t A = x_.area_count;
    const std::vector<double>& y = values_[k];
    for (std::size_t w = 0; w < x_.data.waves.size(); ++w) {
      std::vector<double> values;
      std::vector<std::int64_t> groups;
      for (std::size_t i : units_of_wave_[w]) {
        const auto c = static_cast<std::size_t>(x_.cell[i]);
        if (std::isnan(y[i])) continue;
        values.push_back(y[i]);
        groups.push_back(static_cast<std::int64_t>(c % A));
      }
      if (values.empty()) continue;
      AreaReliabilityEstimate ar;
      ar.series = x_.series.name;
      ar.wave = x_.data.waves[w].label;
      ar.indicator = x_.data.indicators[k].id;
      Result<stats::AreaReliabilityResult> r = stats::AreaReliability(values, groups);
      if (!r.ok()) {
        ar.note = r.status().message();
      } else {
        ar.icc = r->icc;
        ar.tau2 = r->tau2;
        ar.sigma2 = r->sigma2;
        ar.tau2_truncated = r->tau2_truncated;
        for (const stats::GroupReliability& g : r->groups) {
          ar.areas.push_back({x_.data.areas[static_cast<std::size_t>(g.group)].name,
                              static_cast<std::int64_t>(g.n), g.lambda});
        }
      }
      out_.area_reliability.push_back(std::move(ar));
    }
  }

  SeriesContext& x_;
  EvaluationResult& out_;
  mutable CriticalValues critical_;  // a memo, shared by the tasks
  std::optional<stats::Design> design_;
  WeightingNote note_;
  std::vector<std::int64_t> cell_out_;  // cell -> index in out_.cells or -1
  std::vector<std::vector<std::size_t>> units_of_cell_;  // cell -> its units, ascending
  std::vector<std::vector<std::size_t>> units_of_wave_;  // wave -> its units, ascending
  std::vector<std::vector<double>> values_;  // per indicator, per unit: its value, NaN = none
  std::vector<Fit> fits_;               // per indicator
  std::vector<std::int64_t> did_group_;  // per unit: its DiD group (DidGroups)
  std::vector<DidFit> did_fits_;         // per indicator (filled for IsIndex ones)
  std::vector<std::vector<Result<stats::ProportionResult>>> proportions_;  // per indicator: per domain, for shares
  std::vector<std::vector<std::optional<GroupVariable>>> groups_;  // per background variable, per cell
};

Status CheckOptions(const StudyData& data, const EvaluationOptions& o) {
  if (!(o.level > 0 && o.level < 1)) {
    return core::InvalidArgument("the confidence level must lie in (0, 1), got " + Num(o.level));
  }
  if (!(o.power > 0 && o.power < 1)) {
    return core::InvalidArgument("the power must lie in (0, 1), got " + Num(o.power));
  }
  if (std::isnan(o.trim_lower) || std::isnan(o.trim_upper) || o.trim_lower < 0 || o.trim_lower >= o.trim_upper) {
    return core::InvalidArgument("the trim bounds must satisfy 0 <= lower < upper, got [" + Num(o.trim_lower) +
                                 ", " + Num(o.trim_upper) + "]");
  }
  if (o.disclosure.min_cell < 3 || o.disclosure.min_base < 3) {
    return core::InvalidArgument("disclosure thresholds may not be below 3, got min_cell " +
                                 std::to_string(o.disclosure.min_cell) + " and min_base " +
                                 std::to_string(o.disclosure.min_base));
  }
  if (data.waves.empty()) return core::InvalidInput("study " + data.study + " has no waves");
  if (data.areas.empty()) return core::InvalidInput("study " + data.study + " has no areas");
  for (std::size_t i = 0; i < data.respondents.size(); ++i) {
    const Respondent& r = data.respondents[i];
    if (r.wave >= data.waves.size() || r.area >= data.areas.size()) {
      return core::InvalidInput("respondent " + std::to_string(i + 1) + " names a wave or area outside the study");
    }
  }
  return Status::Ok();
}


// The background variables groups are formed of: the study's definitions
// plus codes seen without one; without definitions, every role seen with its
// codes in ascending order, labelled by the code.
std::vector<BackgroundVariable> GroupVariables(const StudyData& data) {
  std::vector<BackgroundVariable> vars = data.background;
  std::map<std::string, std::set<core::Code>> seen;
  // Respondents mostly have the same roles: remember the set found at each
  // position of the last map, and look a role up only when it differs.
  std::vector<std::pair<const std::string*, std::set<core::Code>*>> at;
  for (const Respondent& r : data.respondents) {
    std::size_t pos = 0;
    for (const auto& [role, code] : r.background) {
      if (pos == at.size()) at.emplace_back(nullptr, nullptr);
      if (at[pos].first == nullptr || *at[pos].first != role) {
        auto it = seen.try_emplace(role).first;
        at[pos] = {&it->first, &it->second};
      }
      at[pos++].second->insert(code);
    }
  }
  for (const auto& [role, codes] : seen) {
    // Named again for the lambda: clang before 16 cannot capture a structured binding.
    auto it = std::find_if(vars.begin(), vars.end(),
                           [&name = role](const BackgroundVariable& v) { return v.role == name; });
    if (it == vars.end()) {
      vars.push_back({role, role, {}});
      it = vars.end() - 1;
    }
    for (core::Code code : codes) {
      bool known = false;
      for (const Category& l : it->levels) known = known || l.code == code;
      if (!known) it->levels.push_back({code, std::to_string(code), false});
    }
  }
  return vars;
}

// AAPOR Standard Definitions (2023), invited sample per wave × area.
void AddResponseRates(const StudyData& data, EvaluationResult& out) {
  for (const WaveData& w : data.waves) {
    for (std::size_t a = 0; a < w.dispositions.size() && a < data.areas.size(); ++a) {
      ResponseRates r = ComputeResponseRates(w.dispositions[a]);
      if (r.invitations == 0) continue;
      r.wave = w.label;
      r.area = data.areas[a].name;
      out.response_rates.push_back(std::move(r));
    }
  }
}

// Responses per wave × area × channel: the total (day "") and per day.
void AddResponseCounts(const StudyData& data, EvaluationResult& out) {
  const std::size_t A = data.areas.size();
  std::vector<std::map<std::string, std::int64_t>> by_day(data.waves.size() * A * 4);
  for (const Respondent& r : data.respondents) ++by_day[(r.wave * A + r.area) * 4 + ChannelIndex(r.channel)][r.received_on];
  for (std::size_t c = 0; c < by_day.size(); ++c) {
    if (by_day[c].empty()) continue;
    ResponseCount total{data.waves[c / 4 / A].label, data.areas[(c / 4) % A].name,
                        store::ChannelName(kChannels[c % 4]), "", 0};
    for (const auto& [day, count] : by_day[c]) total.count += count;
    out.response_counts.push_back(total);
    for (const auto& [day, count] : by_day[c]) {
      if (day.empty()) continue;
      ResponseCount rc = total;
      rc.day = day;
      rc.count = count;
      out.response_counts.push_back(std::move(rc));
    }
  }
}

}  // namespace

const char* SeriesName(store::Channel channel) {
  switch (channel) {
    case store::Channel::kLink: return "invited";
    case store::Channel::kKiosk: return "kiosk";
    case store::Channel::kOpen: return "open";
    case store::Channel::kImport: return "import";
  }
  return "invited";
}

core::Result<EvaluationResult> Evaluate(const StudyData& data, const EvaluationOptions& options) {
  TRYGHED_RETURN_IF_ERROR(CheckOptions(data, options));
  EvaluationResult out;
  out.study = data.study;
  out.level = options.level;
  out.weighted = options.weighted;
  out.pooled_channels = options.pool_channels;
  out.proportion_method = stats::ProportionMethodName(options.proportion_method);
  out.adjust_method = std::string(stats::AdjustMethodName(options.adjust));
  out.definitions = data.definitions;
  for (const WaveData& w : data.waves) out.waves.push_back(w.label);
  for (const AreaData& a : data.areas) out.areas.push_back(a.name);

  // The series (one pass over the respondents) beside the background
  // variables' levels (another) and the response rates and counts.
  std::vector<Series> series;
  std::vector<BackgroundVariable> background;
  const Status started = RunTasks({
      [&] {
        if (options.pool_channels) {
          series.push_back({"all", true, {}});
          series[0].rows.resize(data.respondents.size());
          for (std::size_t i = 0; i < data.respondents.size(); ++i) series[0].rows[i] = i;
          return Status::Ok();
        }
        std::vector<Series> all;
        for (store::Channel ch : kChannels) all.push_back({SeriesName(ch), ch == store::Channel::kLink, {}});
        for (std::size_t i = 0; i < data.respondents.size(); ++i) {
          if (const std::size_t o = ChannelIndex(data.respondents[i].channel); o < all.size()) all[o].rows.push_back(i);
        }
        for (Series& s : all) {
          if (!s.rows.empty()) series.push_back(std::move(s));
        }
        return Status::Ok();
      },
      [&] {
        background = GroupVariables(data);
        return Status::Ok();
      },
      [&] {
        AddResponseRates(data, out);  // sections of `out` that no series writes
        AddResponseCounts(data, out);
        return Status::Ok();
      },
  });
  TRYGHED_RETURN_IF_ERROR(started);
  if (series.empty()) out.notes.push_back("the study has no responses");

  // The background roles whose codes a series reads: the groups' and the margins'.
  std::vector<std::string> roles;
  for (const BackgroundVariable& v : background) roles.push_back(v.role);
  for (const WaveData& w : data.waves) {
    for (const auto& area : w.margins) {
      for (const store::Margin& m : area) {
        if (std::find(roles.begin(), roles.end(), m.margin) == roles.end()) roles.push_back(m.margin);
      }
    }
  }
  for (const Series& s : series) {
    SeriesContext x{data, options, s, data.areas.size(), {}, {}, &background};
    x.cell_count.assign(data.waves.size() * data.areas.size(), 0);
    for (std::size_t i : s.rows) {
      const Respondent& r = data.respondents[i];
      const auto c = static_cast<std::int64_t>(r.wave * x.area_count + r.area);
      x.cell.push_back(c);
      ++x.cell_count[static_cast<std::size_t>(c)];
    }
    x.code_roles = roles;
    SeriesEvaluator ev(x, out);
    TRYGHED_RETURN_IF_ERROR(ev.Run());
  }
  // Sections added to the result go above this line: disclosure control is last.
  TRYGHED_RETURN_IF_ERROR(ApplyDisclosureControl(out, options.disclosure));
  return out;
}

core::Result<EvaluationResult> EvaluateStudy(store::Store& db, const std::string& study_name,
                                             const EvaluationOptions& options) {
  core::Result<StudyData> data = LoadStudy(db, study_name);
  if (!data.ok()) return data.status();
  return Evaluate(*data, options);
}

ResponseRates ComputeResponseRates(const DispositionCounts& d) {
  auto rate = [](double num, double den) -> std::optional<double> {
    if (!(den > 0)) return std::nullopt;
    return num / den;
  };
  ResponseRates r;
  r.complete = d.complete;
  r.partial = d.partial;
  r.refused = d.refused;
  r.not_used = d.not_used;
  r.undeliverable = d.undeliverable;
  r.not_eligible = d.not_eligible;
  r.invitations = d.complete + d.partial + d.refused + d.not_used + d.undeliverable + d.not_eligible;
  if (r.invitations == 0) return r;
  const auto I = static_cast<double>(d.complete), P = static_cast<double>(d.partial),
             R = static_cast<double>(d.refused), NC = static_cast<double>(d.not_used),
             U = static_cast<double>(d.undeliverable);
  const double all = (I + P) + (R + NC) + U;
  r.rr1 = rate(I, all);
  r.rr2 = rate(I + P, all);
  r.coop1 = rate(I, (I + P) + R);
  r.ref1 = rate(R, all);
  r.con1 = rate((I + P) + R, (I + P) + R + NC + U);
  if (!(all > 0)) r.note = "every invitation is not eligible: no rates";
  return r;
}

}  // namespace tryghed::evaluation
