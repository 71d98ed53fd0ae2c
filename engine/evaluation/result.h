#pragma once
// tryghed::evaluation — the result of an evaluation as plain data, and its
// JSON form.
//
// An EvaluationResult is what `tryghed evaluate` prints and what reports are
// rendered from: per wave × area × channel series a Cell with its respondents
// and every estimate (overall tryghedsindeks, sub-indices, headline shares,
// prevalences), the changes between waves, the difference-in-differences of
// pilot against comparison areas, groups of every background variable,
// item answer distributions, reliability, response rates and notes on how
// the weights were made. Only std types: a report or a web page needs
// nothing else to read it. docs/evaluation-result.md documents the JSON form
// field by field.
//
// Disclosure control lives here, not in the consumers: Evaluate ends with
// ApplyDisclosureControl, so a cell or group with fewer than
// DisclosureRules::min_cell respondents comes back with its values empty and
// a reason, and a share on a small base comes back flagged.
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
#include <utility>
#include <vector>

#include "core/status.h"
#include "evaluation/crime.h"
#include "evaluation/robustness.h"

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
  // Disclosure control: when suppressed, estimate, se, ci_*, df and
  // effective_n are empty and `suppression` says why ("primary: ..." or
  // "secondary: ...").
  bool suppressed = false;
  std::string suppression;
  // Shares and prevalences with an unweighted base 0 < n < min_base.
  bool small_base = false;
  std::string caution;                // the note for small_base, else ""
};

// One answer category of an item in one cell.
struct AnswerCategory {
  std::int64_t code = 0;
  std::string label;
  bool non_substantive = false;       // "Ved ikke", "Vil ikke svare", ...
  std::int64_t count = 0;             // respondents (unweighted)
  std::optional<double> share;        // weighted share of `answered`
};

// How the respondents of a cell answered one scored item.
struct ItemDistribution {
  std::string item;                   // e.g. "T2"
  std::string text;                   // the question, default language
  std::int64_t answered = 0;          // respondents with any code (the base of the shares)
  std::int64_t unanswered = 0;        // respondents without a code (skipped or not asked)
  std::vector<AnswerCategory> categories;  // questionnaire order, then codes seen that it lacks
};

// One level of a background variable within a cell.
struct Group {
  std::optional<std::int64_t> code;   // answer code; empty = "ikke oplyst" (no usable answer)
  std::string label;
  std::int64_t respondents = 0;
  bool suppressed = false;            // fewer than min_cell respondents: every estimate empty
  std::string suppression;
  std::vector<Estimate> estimates;    // overall index and sub-indices, in indicator order
};

// The groups of one background variable within a cell; the levels partition
// the cell's respondents.
struct GroupVariable {
  std::string variable;               // background role: "sex", "age_band", ...
  std::string label;                  // the item's text
  std::vector<Group> levels;          // questionnaire order, then codes seen, then "ikke oplyst"
};

// Item non-response of one scored item in one cell.
struct ItemNonresponse {
  std::string item;          // e.g. "T2"
  std::int64_t missing = 0;  // respondents without a score for the item
  double share = 0;          // missing / respondents of the cell
};

// One level of a population margin in one cell of the probability series:
// the population against the sample before and after weighting.
struct MarginShare {
  std::string margin;                       // background role: "sex", "age_band", ...
  std::string level;                        // the level's code as in the margins ("1"); "" = ikke oplyst
  std::string label;                        // the option's label, else the level
  std::optional<std::int64_t> population;   // persons in the level (empty for ikke oplyst)
  std::optional<double> population_share;   // population / the margin's total
  std::optional<std::int64_t> sample;       // respondents with this code (unweighted)
  std::optional<double> sample_share;       // sample / respondents of the cell
  std::optional<double> weighted_share;     // Σw of those respondents / Σw of the cell, after
                                            // raking (and trimming); empty when not weighted
  // Disclosure control: 0 < sample < min_cell (primary) or the level that
  // would reveal it by subtraction (secondary) empties sample and
  // sample_share; the population and weighted shares stay (they describe
  // the population, not the respondents' answers).
  bool suppressed = false;
  std::string suppression;
};

// The places of one place item (a multi-select "where do you feel unsafe?")
// in one cell: per place the share of the base naming it, as a share
// estimate with the evaluation's proportion interval.
struct PlaceShares {
  std::string item;                 // e.g. "S2"
  std::string text;                 // the question, default language
  std::int64_t base = 0;            // respondents in the base (dataset.h, Respondent::places)
  std::vector<Estimate> places;     // one per option, questionnaire order: id = the code as text,
                                    // label = the place, kind share, n = base
};

// One wave × area × channel series.
struct Cell {
  std::string wave;               // wave label
  std::string area;               // area name
  std::string role;               // "pilot" / "comparison"
  std::string series;             // "invited", "kiosk", "open", "import" or "all" (pooled)
  std::int64_t respondents = 0;
  std::vector<Estimate> estimates;        // in indicator order; empty when respondents == 0
  std::vector<ItemNonresponse> item_nonresponse;  // empty when suppressed
  std::string note;               // e.g. "no responses in this wave and area"
  bool suppressed = false;        // 0 < respondents < min_cell
  std::string suppression;
  std::vector<ItemDistribution> distributions;  // empty when suppressed
  std::vector<GroupVariable> groups;            // one per background variable
  // Per margin of the area's population margins and per level (margin
  // order, then level order, then ikke oplyst when someone is in it):
  // the probability series only; empty when the area has no margins, the
  // cell has no respondents, or the cell is suppressed.
  std::vector<MarginShare> margins = {};
  // One per place item of the questionnaire (none: the questionnaire asks
  // no place question); empty when the cell has no respondents.
  std::vector<PlaceShares> places = {};
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
  bool suppressed = false;           // one of the two cell estimates is suppressed
  std::string suppression;
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
  std::int64_t smallest_n = 0;  // fewest respondents with a value among the four domains
  bool suppressed = false;      // smallest_n < min_cell
  std::string suppression;
};

// Item–rest statistics of one item of a sub-index.
struct ItemRest {
  std::string item;
  std::optional<double> r_drop;            // correlation with the sum of the other items
  std::optional<double> alpha_if_dropped;  // raw alpha without the item (3 or more items)
};

// Cronbach's alpha of one sub-index's item scores (unweighted, complete cases).
struct ScaleReliability {
  std::string series;
  std::string wave;
  std::string area;                     // "" = all areas of the wave
  std::string subindex;
  std::int64_t n = 0;                   // complete cases
  std::optional<double> alpha;          // raw alpha
  std::optional<double> ci_lower;       // Feldt interval at the evaluation's level
  std::optional<double> ci_upper;
  std::vector<ItemRest> items;
  std::string note;                     // why alpha is missing, else ""
};

// Reliability of one area's mean of the overall index in one wave.
struct AreaLambda {
  std::string area;
  std::int64_t n = 0;
  std::optional<double> lambda;         // τ² / (τ² + σ²/n); empty when suppressed
};

// Area reliability λ of an indicator in one wave (one-way random effects, unweighted).
struct AreaReliabilityEstimate {
  std::string series;
  std::string wave;
  std::string indicator;
  std::optional<double> icc;
  std::optional<double> tau2;
  std::optional<double> sigma2;
  bool tau2_truncated = false;
  std::vector<AreaLambda> areas;
  std::string note;
};

// Invitation dispositions and AAPOR rates of one wave × area (invited sample).
struct ResponseRates {
  std::string wave;
  std::string area;
  std::int64_t invitations = 0;
  std::int64_t complete = 0;            // I
  std::int64_t partial = 0;             // P
  std::int64_t refused = 0;             // R
  std::int64_t not_used = 0;            // NC: delivered, no answer (eligible non-response)
  std::int64_t undeliverable = 0;       // UH: unknown eligibility
  std::int64_t not_eligible = 0;        // e: excluded
  std::optional<double> rr1;            // I / ((I+P) + (R+NC) + U)
  std::optional<double> rr2;            // (I+P) / ((I+P) + (R+NC) + U)
  std::optional<double> coop1;          // I / ((I+P) + R)
  std::optional<double> ref1;           // R / ((I+P) + (R+NC) + U)
  std::optional<double> con1;           // ((I+P) + R) / ((I+P) + R + NC + U)
  std::string note;
};

// Responses received per wave × area × channel, in total and per day.
struct ResponseCount {
  std::string wave;
  std::string area;
  std::string channel;                  // "link", "kiosk", "open", "import"
  std::string day;                      // YYYY-MM-DD; "" = all days (the channel total)
  std::int64_t count = 0;
};

// The disclosure thresholds an evaluation was made with (never below 3).
struct DisclosureRules {
  std::int64_t min_cell = 5;   // fewer respondents (with a value): suppressed
  std::int64_t min_base = 30;  // shares and prevalences on fewer: flagged small_base
};

// How the weights of one series were made.
struct WeightingNote {
  std::string series;
  std::string method;              // e.g. "raking to area margins (sex, age_band)"
  std::int64_t trimmed = 0;        // units whose weight was trimmed
  std::vector<std::string> notes;  // missing background, collapsed levels, ...
};

// How one item enters a sub-index (from the questionnaire file).
struct IndexItemDefinition {
  std::string item;                 // e.g. "N4"
  std::string text;                 // the question, default language
  bool reversed = false;            // lower codes are more favourable (higher_is_better false)
  double min = 0;                   // POMP range: score = 100 · (x − min) / (max − min), reversed
  double max = 0;                   //   100 · (max − x) / (max − min)
};

// One sub-index: the mean of its item scores when at least min_share of the
// items asked are answered.
struct SubIndexDefinition {
  std::string id;
  std::string label;
  double min_share = 2.0 / 3.0;
  std::vector<IndexItemDefinition> items;
};

// The overall index: the weighted mean of the valid sub-indices, when at
// least min_subindices are valid.
struct OverallDefinition {
  std::string id;
  std::string label;
  std::int64_t min_subindices = 0;
  std::vector<std::pair<std::string, double>> weights;  // sub-index id -> weight, in order
};

// One headline share or prevalence: 1 when at least min_count of `items`
// have a code in `codes` (a prevalence: any, min_count 1).
struct ShareDefinition {
  std::string id;
  std::string label;
  IndicatorKind kind = IndicatorKind::kShare;  // kShare or kPrevalence
  std::vector<std::string> items;
  std::vector<std::int64_t> codes;
  std::vector<std::string> code_labels;        // parallel to codes: the first item's option labels ("" if none)
  std::int64_t min_count = 1;
};

// The index definitions of the questionnaire the evaluation scored with (the
// first wave's version), so a report can print them without the file.
struct IndexDefinitions {
  std::string questionnaire;        // the questionnaire's id
  std::string version;              // its version text
  std::string content_hash;         // the version id (SHA-256 of the canonical JSON)
  std::string title;                // default language
  std::vector<SubIndexDefinition> subindices;
  std::optional<OverallDefinition> overall;
  std::vector<ShareDefinition> shares;  // shares, then prevalences
  std::vector<std::string> notes;       // e.g. later versions whose definitions differ
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
  DisclosureRules disclosure;
  std::vector<ScaleReliability> reliability;
  std::vector<AreaReliabilityEstimate> area_reliability;
  std::vector<ResponseRates> response_rates;
  std::vector<ResponseCount> response_counts;
  Robustness robustness;             // regression-adjusted DiD, pre-trends (robustness.h)
  std::optional<CrimeResult> crime;  // registered crime (--crime), beside the index, never merged
  // The questionnaire's index definitions; empty when the data came without
  // a questionnaire (hand-built StudyData).
  std::optional<IndexDefinitions> definitions = std::nullopt;
};

// Applies `rules` to `result` in place (Evaluate calls it last; call it again
// after changing a result by hand):
//  * primary: a cell or group with 0 < respondents < min_cell is suppressed
//    (its estimates empty, distributions and item non-response removed);
//    any estimate with 0 < n < min_cell is suppressed (place shares too); a margin level with
//    0 < sample < min_cell loses its sample count and share;
//  * secondary: within a cell whose estimate of an indicator is shown, if
//    exactly one level of a background variable has that estimate
//    suppressed, the level with the next-smallest n is suppressed too, so
//    the hidden one cannot be recovered from the total by subtraction (the
//    same for the sample counts of a margin's levels);
//  * a change whose from- or to-estimate is suppressed, and a
//    difference-in-differences with smallest_n < min_cell, lose their values;
//  * shares and prevalences with 0 < n < min_base (not suppressed) get
//    small_base and a caution.
// InvalidArgument when a threshold is below 3. Idempotent.
core::Status ApplyDisclosureControl(EvaluationResult& result, const DisclosureRules& rules);

// `result` as one JSON object (UTF-8, no insignificant whitespace). Numbers
// are written with 17 significant digits; an empty optional is null. Keys
// follow the field names above.
std::string ToJson(const EvaluationResult& result);

}  // namespace tryghed::evaluation
