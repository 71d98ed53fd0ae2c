#pragma once
// tryghed::evaluation — the result of an evaluation as plain data, and its
// JSON form.
//
// An EvaluationResult is what `tryghed evaluate` prints and what reports are
// rendered from: per wave × area × channel series a Cell with its respondents
// and every estimate (overall tryghedsindeks, sub-indices, headline shares,
// prevalences), the changes between waves, the difference-in-differences of
// pilot against comparison areas, and notes on how the weights were made.
// Only std types: a report or a web page needs nothing else to read it.
//
// Example:
//
//   core::Result<EvaluationResult> r = Evaluate(data, {});
//   for (const Cell& c : r->cells)
//     for (const Estimate& e : c.estimates)
//       if (e.estimate) std::cout << c.area << " " << e.id << " " << *e.estimate << "\n";
//   std::string json = ToJson(*r);
//
// "No value" is always an empty std::optional (null in JSON), never NaN, and
// comes with a note saying why. Scores are on 0–100; shares and prevalences
// are proportions in [0, 1].
//
// Plain values: copy freely, share read-only between threads.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tryghed::evaluation {

// What an indicator is; decides its interval (t for scores, svyciprop for
// shares and prevalences) and its scale.
enum class IndicatorKind { kOverall, kSubIndex, kShare, kPrevalence };

// "overall", "subindex", "share", "prevalence".
const char* IndicatorKindName(IndicatorKind kind);

// One indicator estimated in one cell.
struct Estimate {
  std::string id;                     // e.g. "tryghedsindeks", "tryghed", "utryg"
  std::string label;                  // in the questionnaire's default language
  IndicatorKind kind = IndicatorKind::kOverall;
  std::optional<double> estimate;     // weighted mean (score) or proportion
  std::optional<double> se;           // Taylor-linearised standard error
  std::optional<double> ci_lower;     // interval at the evaluation's level
  std::optional<double> ci_upper;
  std::optional<double> df;           // degrees of freedom of the interval
  std::int64_t n = 0;                 // respondents with a value
  std::optional<double> effective_n;  // Kish (Σw)² / Σw² over those respondents
  std::int64_t missing = 0;           // respondents of the cell without a value
  std::string note;                   // why a value is missing, else ""
};

// Item non-response of one scored item in one cell.
struct ItemNonresponse {
  std::string item;          // e.g. "T2"
  std::int64_t missing = 0;  // respondents without a score for the item
  double share = 0;          // missing / respondents of the cell
};

// One wave × area × channel series.
struct Cell {
  std::string wave;               // wave label
  std::string area;               // area name
  std::string role;               // "pilot" / "comparison"
  std::string series;             // "invited", "kiosk", "open", "import" or "all" (pooled)
  std::int64_t respondents = 0;
  std::vector<Estimate> estimates;        // in indicator order; empty when respondents == 0
  std::vector<ItemNonresponse> item_nonresponse;
  std::string note;               // e.g. "no responses in this wave and area"
};

// The change of one indicator in one area between two waves.
struct Change {
  std::string series;
  std::string area;
  std::string indicator;
  std::string comparison;          // "baseline" or "previous"
  std::string from_wave;
  std::string to_wave;
  std::optional<double> difference;  // to − from
  std::optional<double> se;
  std::optional<double> ci_lower;
  std::optional<double> ci_upper;
  std::optional<double> df;
  std::optional<double> p;           // two-sided, t(df)
  std::optional<double> p_adjusted;  // across the indicators of this comparison
  std::optional<double> mdd;         // minimum detectable difference (80 % power)
  bool significant = false;          // p_adjusted < 1 − level
  std::string verdict;  // "statistisk signifikant", "ikke statistisk signifikant" or "kan ikke beregnes"
  std::string note;
};

// Difference-in-differences of one indicator for one later wave:
// (pilot_after − pilot_baseline) − (comparison_after − comparison_baseline).
struct DiD {
  std::string series;
  std::string indicator;
  std::string baseline_wave;
  std::string wave;
  std::optional<double> estimate;
  std::optional<double> se;
  std::optional<double> ci_lower;
  std::optional<double> ci_upper;
  std::optional<double> df;
  std::optional<double> p;
  bool significant = false;  // p < 1 − level (one test per wave and indicator, unadjusted)
  std::string note;
};

// How the weights of one series were made.
struct WeightingNote {
  std::string series;
  std::string method;              // e.g. "raking to area margins (sex, age_band)"
  std::int64_t trimmed = 0;        // units whose weight was trimmed
  std::vector<std::string> notes;  // missing background, collapsed levels, ...
};

// The whole evaluation.
struct EvaluationResult {
  std::string study;
  double level = 0.95;
  bool weighted = true;
  bool pooled_channels = false;
  std::string proportion_method;   // e.g. "beta"
  std::string adjust_method;       // e.g. "holm"
  std::vector<std::string> waves;  // in order; the first is the baseline
  std::vector<std::string> areas;
  std::vector<Cell> cells;
  std::vector<Change> changes;
  std::vector<DiD> did;
  std::vector<WeightingNote> weighting;
  std::vector<std::string> notes;
};

// `result` as one JSON object (UTF-8, no insignificant whitespace). Numbers
// are written with 17 significant digits; an empty optional is null. Keys
// follow the field names above.
std::string ToJson(const EvaluationResult& result);

}  // namespace tryghed::evaluation
