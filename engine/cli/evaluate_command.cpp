// tryghed evaluate — estimates, changes and difference-in-differences of a
// study as JSON (engine/evaluation, docs/evaluation.md).
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <optional>
#include <sstream>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <utility>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/exit_codes.h"
#include "core/file.h"
#include "evaluation/dataset.h"
#include "evaluation/evaluate.h"
#include "evaluation/result.h"
#include "store/store.h"

namespace tryghed::cli {

namespace {

struct EvaluateOptions {
  DatabaseOptions database;
  std::string study;
  bool unweighted = false;
  bool pool_channels = false;
  std::string adjust = "holm";
  std::string proportion_method = "beta";
  double level = 0.95;
  double trim_lower = 0;
  double trim_upper = std::numeric_limits<double>::infinity();
  std::string out;               // --json (alias --out)
  std::int64_t min_cell = 5;     // disclosure: fewest respondents shown
  std::int64_t min_base = 30;    // disclosure: shares on fewer are flagged
  std::string crime;            // registered-crime CSV (evaluation/crime.h)
  std::string first_post_wave;  // "" = the second wave
};

// A number with a decimal comma and `digits` decimals, as the report prints it.
std::string Danish(double x, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << x;
  std::string t = s.str();
  std::replace(t.begin(), t.end(), '.', ',');
  return t;
}

// "52,3 [49,1; 55,5]", or why there is no value.
std::string WithInterval(const std::optional<double>& v, const std::optional<double>& lo,
                         const std::optional<double>& hi, bool suppressed, bool sign = false) {
  if (suppressed) return "undertrykt / suppressed (for få svar)";
  if (!v) return "kan ikke beregnes / not computable";
  std::string t = (sign && *v > 0 ? "+" : "") + Danish(*v, 1);
  if (lo && hi) t += " [" + Danish(*lo, 1) + "; " + Danish(*hi, 1) + "]";
  return t;
}

// The short text summary on stdout: the overall index per wave × area of the
// probability series, the latest change against baseline per area with its
// verdict, and the difference-in-differences of the latest wave.
void WriteSummary(const evaluation::EvaluationResult& r, std::ostream& out) {
  const std::string series = r.pooled_channels ? "all" : "invited";
  std::string overall;
  for (const evaluation::Cell& c : r.cells) {
    for (const evaluation::Estimate& e : c.estimates) {
      if (overall.empty() && e.kind == evaluation::IndicatorKind::kOverall) overall = e.id;
    }
  }
  out << "Studie / study " << r.study << " — " << (r.weighted ? "vægtet / weighted" : "uvægtet / unweighted")
      << ", " << Danish(r.level * 100, 0) << " % konfidensinterval / confidence interval\n";
  if (overall.empty()) {
    out << "Ingen svar / no responses\n";
    return;
  }
  out << "Tryghedsindeks (0–100), serie / series " << series << ":\n";
  for (const evaluation::Cell& c : r.cells) {
    if (c.series != series || c.respondents == 0) continue;
    for (const evaluation::Estimate& e : c.estimates) {
      if (e.id != overall) continue;
      out << "  " << c.wave << " · " << c.area << ": " << WithInterval(e.estimate, e.ci_lower, e.ci_upper, e.suppressed)
          << "  (n = " << e.n << ")\n";
    }
  }
  std::string latest;
  for (const evaluation::Change& ch : r.changes) {
    if (ch.series == series && ch.indicator == overall && ch.comparison == "baseline") latest = ch.to_wave;
  }
  if (!latest.empty()) {
    out << "Ændring mod baseline / change from baseline, " << latest << ":\n";
    for (const evaluation::Change& ch : r.changes) {
      if (ch.series != series || ch.indicator != overall || ch.comparison != "baseline" || ch.to_wave != latest) {
        continue;
      }
      out << "  " << ch.area << ": " << WithInterval(ch.difference, ch.ci_lower, ch.ci_upper, ch.suppressed, true)
          << "  " << ch.verdict << "\n";
    }
  }
  const evaluation::DiD* did = nullptr;
  for (const evaluation::DiD& d : r.did) {
    if (d.series == series && d.indicator == overall) did = &d;
  }
  if (did != nullptr) {
    out << "Difference-in-differences, " << did->wave << " mod / against " << did->baseline_wave << ": "
        << WithInterval(did->estimate, did->ci_lower, did->ci_upper, did->suppressed, true);
    if (did->p) out << "  p = " << Danish(*did->p, 3);
    out << "\n";
  }
}

int RunEvaluate(const EvaluateOptions& o, const Io& io) {
  evaluation::EvaluationOptions options;
  options.weighted = !o.unweighted;
  options.pool_channels = o.pool_channels;
  options.level = o.level;
  options.first_post_wave = o.first_post_wave;
  options.trim_lower = o.trim_lower;
  options.trim_upper = o.trim_upper;
  options.disclosure.min_cell = o.min_cell;
  options.disclosure.min_base = o.min_base;
  core::Result<stats::AdjustMethod> adjust = stats::ParseAdjustMethod(o.adjust);
  if (!adjust.ok()) return ReportFailure(io, adjust.status(), "tryghed evaluate");
  options.adjust = *adjust;
  core::Result<stats::ProportionMethod> method = stats::ParseProportionMethod(o.proportion_method);
  if (!method.ok()) return ReportFailure(io, method.status(), "tryghed evaluate");
  options.proportion_method = *method;

  auto db = OpenStoreForVerb(o.database);
  if (!db.ok()) return ReportFailure(io, db.status(), "tryghed evaluate");
  core::Result<evaluation::EvaluationResult> result = evaluation::EvaluateStudy(**db, o.study, options);
  if (!result.ok()) return ReportFailure(io, result.status(), "tryghed evaluate");
  if (!o.crime.empty()) {
    core::Result<evaluation::CrimeResult> crime = evaluation::EvaluateCrimeFile(o.crime, {1000, o.level, result->areas});
    if (!crime.ok()) return ReportFailure(io, crime.status(), "tryghed evaluate --crime");
    result->crime = std::move(crime).value();
  }
  const std::string json = evaluation::ToJson(*result);
  if (o.out.empty()) {
    io.out << json << "\n";
    return kExitOk;
  }
  const core::Status written = core::WriteFileAtomically(o.out, json + "\n");
  if (!written.ok()) return ReportFailure(io, written, "tryghed evaluate");
  io.err << "wrote " << o.out << " (" << result->cells.size() << " cells, " << result->changes.size()
         << " changes)\n";
  WriteSummary(*result, io.out);
  return kExitOk;
}

}  // namespace

void AddEvaluateCommands(CLI::App& app, const Io& io) {
  auto opts = std::make_shared<EvaluateOptions>();
  CLI::App* verb = app.add_subcommand(
      "evaluate", "Estimate the tryghedsindeks, sub-indices and shares per wave and area, with changes and DiD");
  verb->add_option("--study", opts->study, "Name of the study")->required();
  AddDatabaseOptions(verb, &opts->database);
  verb->add_flag("--unweighted", opts->unweighted, "Every respondent weighs 1 (no raking to the margins)");
  verb->add_flag("--pool-channels", opts->pool_channels,
                 "Analyse kiosk, open-link and imported responses together with the invited sample");
  verb->add_option("--adjust", opts->adjust, "Adjustment across the indicators of one comparison: holm (default) or BH")
      ->check(CLI::IsMember({"holm", "BH"}));
  verb->add_option("--proportion-method", opts->proportion_method,
                   "Interval for shares: beta (default, Korn–Graubard), logit, wilson, ...");
  verb->add_option("--level", opts->level, "Confidence level (default 0.95)");
  verb->add_option("--trim-lower", opts->trim_lower, "Smallest weight after raking (default 0: no trimming)");
  verb->add_option("--trim-upper", opts->trim_upper, "Largest weight after raking (default: no trimming)");
  verb->add_option("--json,--out", opts->out,
                   "Write the JSON result to this file and a short summary to stdout (default: JSON to stdout)");
  verb->add_option("--min-cell", opts->min_cell,
                   "Disclosure: cells and groups with fewer respondents are suppressed (default 5, at least 3)");
  verb->add_option("--min-base", opts->min_base,
                   "Disclosure: shares with a smaller unweighted base are flagged (default 30, at least 3)");
  verb->add_option("--crime", opts->crime,
                   "Registered crime CSV (area, period, [offence_group,] count, population), shown beside the index");
  verb->add_option("--first-post-wave", opts->first_post_wave,
                   "Label of the first wave after the intervention; earlier waves are pre-intervention "
                   "(default: the second wave)");
  verb->footer(
      "Exit codes: 0 done, 2 the study or the options are wrong, 3 the database cannot be reached.\n"
      "Examples:\n"
      "  tryghed evaluate --study demo --db demo.db --json result.json\n"
      "  tryghed evaluate --study demo --db demo.db --json result.json --min-cell 10\n"
      "  tryghed evaluate --study demo --unweighted --adjust BH\n"
      "  tryghed evaluate --study demo --db demo.db --crime demo.db.crime.csv --first-post-wave 'Opfølgning 2 2026'");
  verb->callback([opts, io] { Finish(RunEvaluate(*opts, io)); });
}

}  // namespace tryghed::cli
