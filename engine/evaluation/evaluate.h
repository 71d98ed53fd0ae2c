#pragma once
// tryghed::evaluation — from a scored respondent table to estimates, changes
// and difference-in-differences with design-based intervals
// (docs/evaluation.md explains every decision).
//
// For each channel series (invited link responses are the probability
// sample; kiosk, open-link and imported responses are their own series
// unless pooled), the design is stratified by wave × area with the area's
// population as finite population correction and design weight N/n; the
// invited series is raked, in one call, so that every wave × area cell
// reproduces its own area's population margins. Then, per indicator, one
// MeanByDomain call over all cells gives the cell estimates and their full
// covariance, from which changes and difference-in-differences are contrasts;
// one more call per indicator and background variable gives the groups
// (cell × level). Item distributions, reliability (alpha, area λ), AAPOR
// response rates and response counts complete the result, and disclosure
// control (ApplyDisclosureControl) is applied last, always.
//
// Example:
//
//   EvaluationOptions options;            // weighted, beta intervals, Holm
//   options.pool_channels = false;
//   core::Result<EvaluationResult> r = Evaluate(data, options);
//   if (!r.ok()) { std::cerr << r.status().ToString() << "\n"; return; }
//   std::cout << ToJson(*r);
//
// Thread safety: a pure function of its arguments.
#include <limits>

#include "core/status.h"
#include "evaluation/dataset.h"
#include "evaluation/result.h"
#include "stats/design.h"
#include "stats/multiplicity.h"
#include "stats/proportion.h"

namespace tryghed::evaluation {

struct EvaluationOptions {
  // Rake the invited series to the areas' population margins (false: every
  // respondent weighs 1; strata and fpc are kept, so standard errors of
  // single cells are the SRS-with-fpc ones).
  bool weighted = true;
  // Weights outside [trim_lower, trim_upper] (in persons represented, after
  // raking) are set to the bound and the difference is shared equally by the
  // other units of the series (R's trimWeights). Default: no trimming.
  double trim_lower = 0;
  double trim_upper = std::numeric_limits<double>::infinity();
  // Analyse all channels as one series "all" (default: invited, kiosk, open
  // and import are separate series and never pooled).
  bool pool_channels = false;
  // Interval for shares and prevalences (default Korn–Graubard "beta").
  stats::ProportionMethod proportion_method = stats::ProportionMethod::kBeta;
  // Adjustment across the indicators of one comparison (default Holm).
  stats::AdjustMethod adjust = stats::AdjustMethod::kHolm;
  // Confidence level of every interval; significance means p_adjusted < 1 − level.
  double level = 0.95;
  // The first post-intervention wave (a wave label); the baseline and every
  // wave before it are pre-intervention, for the pre-trends check
  // (robustness.h). Default "": the second wave, so only the baseline is pre.
  std::string first_post_wave;
  // Power for the minimum detectable difference (default 80 %).
  double power = 0.80;
  // A wave × area cell with one respondent: R's survey.lonely.psu = "adjust"
  // by default, so one lonely cell does not stop the whole evaluation.
  stats::LonelyPsu lonely_psu = stats::LonelyPsu::kAdjust;
  // Raking stops when no weighted cell total moved by more than
  // rake_epsilon · Σw in a sweep; no convergence in rake_max_iterations
  // sweeps is an error.
  int rake_max_iterations = 100;
  double rake_epsilon = 1e-9;
  // Disclosure control (result.h, ApplyDisclosureControl): cells and groups
  // under min_cell respondents (default 5) are suppressed, shares on fewer
  // than min_base (default 30) flagged. Neither may be below 3. min_base also
  // decides whether an area gets its own Cronbach's alpha.
  DisclosureRules disclosure;
};

// Evaluates `data`. Errors: InvalidArgument for options out of range (level,
// power, trim bounds, disclosure thresholds below 3); InvalidInput when the
// data contradict the design (an area's population smaller than its
// respondents in a wave, margins of one area whose totals differ); Numerical
// when raking does not converge.
// Cells, indicators or comparisons without data are not errors: they come
// back empty, with a note.
core::Result<EvaluationResult> Evaluate(const StudyData& data, const EvaluationOptions& options);

// LoadStudy, then Evaluate: what `tryghed evaluate`, `tryghed report` and
// the dashboard's results page run. Errors as the two.
core::Result<EvaluationResult> EvaluateStudy(store::Store& db, const std::string& study_name,
                                             const EvaluationOptions& options);

// The AAPOR rates (Standard Definitions, 2023) of one wave × area's
// invitations: RR1 = I / ((I+P) + (R+NC) + U), RR2, COOP1, REF1, CON1, with
// undeliverable letters as U (unknown eligibility) and not-eligible ones
// left out. A rate whose denominator is 0 is empty (and `note` says why).
// `wave` and `area` are left empty for the caller.
ResponseRates ComputeResponseRates(const DispositionCounts& counts);

// The series a channel belongs to when channels are not pooled: "invited"
// (link), "kiosk", "open", "import".
const char* SeriesName(store::Channel channel);

}  // namespace tryghed::evaluation
