#pragma once
// tryghed::evaluation — robustness lines beside the design-based
// difference-in-differences (docs/methods.md):
//
// * the regression-adjusted DiD: for every later wave w, a weighted linear
//   regression (R's svyglm) of the overall index on pilot, post (= wave w),
//   pilot × post, sex and age band, over the units of the baseline and wave
//   w, on the same design and weights as the main DiD. The pilot × post
//   coefficient is the DiD adjusted for a changed sex and age composition;
//   its covariance is the design-based sandwich (stats::FitRegression).
// * the parallel pre-trends check, when the study has more than one
//   pre-intervention wave: on the pre-intervention waves only, the
//   regression index ~ pilot · wave (no covariates, so each pilot × wave
//   coefficient equals the design-based DiD of that wave against the
//   baseline), each with interval and p, and the joint Wald F test that all
//   of them are 0 (R's regTermTest).
//
// Which waves are pre-intervention: the baseline (the first wave) and every
// wave before `first_post_wave`; by default (empty) only the baseline.
//
// Example (what Evaluate does for every series):
//
//   Robustness r;
//   Status s = AddRobustness(data, design, "invited", rows, 0.95, "Opfølgning 2 2026", r);
//   for (const AdjustedDiD& d : r.adjusted_did)
//     if (d.estimate) std::cout << d.wave << " " << *d.estimate << "\n";
//
// Plain values and pure functions; RobustnessPlan runs its regressions on
// any threads (see there).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/status.h"
#include "stats/design.h"

namespace tryghed::evaluation {

struct StudyData;  // evaluation/dataset.h

// The covariates of the regression-adjusted DiD: background roles, each
// entered as dummies of its answer codes (the most frequent code is the
// reference; a respondent without a code has a "missing" dummy, so the
// regression uses exactly the units of the design-based DiD).
inline constexpr const char* kDiDCovariates[] = {"sex", "age_band"};

// One DiD coefficient from a design-based regression.
struct AdjustedDiD {
  std::string series;
  std::string indicator;
  std::string baseline_wave;
  std::string wave;
  bool post = true;                 // wave is a post-intervention wave
  std::string covariates;           // e.g. "sex, age_band"; "" = none
  std::optional<double> estimate;   // the pilot × post coefficient
  std::optional<double> se;         // sandwich standard error
  std::optional<double> ci_lower;
  std::optional<double> ci_upper;
  std::optional<double> df;         // svyglm's residual degrees of freedom
  std::optional<double> p;          // two-sided, t(df)
  std::int64_t n = 0;               // units in the regression
  std::string note;
};

// The parallel pre-trends check of one indicator in one series.
struct PreTrendCheck {
  std::string series;
  std::string indicator;
  std::vector<std::string> pre_waves;  // the baseline first
  std::vector<AdjustedDiD> placebo;    // every later pre wave against the baseline (no covariates)
  std::optional<double> f;             // joint Wald F of all placebo DiDs = 0
  std::optional<double> df_num;        // number of placebo DiDs
  std::optional<double> df_den;        // residual degrees of freedom
  std::optional<double> p;
  // "ingen tegn på forskellige trends før indsatsen" (p ≥ 1 − level),
  // "forskellige trends før indsatsen" or "kan ikke beregnes".
  std::string verdict;
  std::string note;
};

struct Robustness {
  std::vector<std::string> pre_waves;      // pre-intervention waves, the baseline first
  std::vector<AdjustedDiD> adjusted_did;   // per series and later wave
  std::vector<PreTrendCheck> pre_trends;   // per series, when there are ≥ 2 pre waves
  std::vector<std::string> notes;
};

// Fills `out` for one series of `data`: `rows` are the series' rows of
// data.respondents, in the order of the units of `design` (its weights are
// the main DiD's). `first_post_wave` is a wave label ("" = the second wave).
// InvalidArgument when `first_post_wave` is not a wave label or is the
// baseline, or rows and design differ in size. A model that cannot be fitted
// (too few units, a singular design) is not an error: the line has a note.
core::Status AddRobustness(const StudyData& data, const stats::Design& design, const std::string& series,
                           std::span<const std::size_t> rows, double level, const std::string& first_post_wave,
                           Robustness& out);

// AddRobustness in steps, for a caller that runs the regressions on several
// threads: Make checks the arguments (the errors of AddRobustness) and reads
// the series once; Run(i) fits regression i (0 <= i < size(), each once, in
// any order, from any thread, concurrently with other Run calls); AppendTo
// then adds the lines to `out` in the order and with the values
// AddRobustness gives. `data` and `design` must outlive
// the plan.
class RobustnessPlan {
 public:
  static core::Result<RobustnessPlan> Make(const StudyData& data, const stats::Design& design,
                                           const std::string& series, std::span<const std::size_t> rows,
                                           double level, const std::string& first_post_wave);
  RobustnessPlan(RobustnessPlan&&) noexcept;
  RobustnessPlan& operator=(RobustnessPlan&&) noexcept;
  ~RobustnessPlan();
  std::size_t size() const;
  void Run(std::size_t i);
  void AppendTo(Robustness& out) &&;

 private:
  struct Impl;
  explicit RobustnessPlan(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `robustness` as one JSON object, in the conventions of ToJson (result.h):
// keys as the field names above, 17 significant digits, null when empty.
std::string RobustnessToJson(const Robustness& robustness);

}  // namespace tryghed::evaluation
