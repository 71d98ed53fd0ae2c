// tryghed evaluate — estimates, changes and difference-in-differences of a
// study as JSON (engine/evaluation, docs/evaluation.md).
#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <ostream>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "evaluation/dataset.h"
#include "evaluation/evaluate.h"
#include "evaluation/result.h"
#include "store/store.h"

namespace tryghed::cli {

namespace {

struct EvaluateOptions {
  std::string db;
  std::string study;
  bool unweighted = false;
  bool pool_channels = false;
  std::string adjust = "holm";
  std::string proportion_method = "beta";
  double level = 0.95;
  double trim_lower = 0;
  double trim_upper = std::numeric_limits<double>::infinity();
  std::string out;
};

int RunEvaluate(const EvaluateOptions& o, const Io& io) {
  evaluation::EvaluationOptions options;
  options.weighted = !o.unweighted;
  options.pool_channels = o.pool_channels;
  options.level = o.level;
  options.trim_lower = o.trim_lower;
  options.trim_upper = o.trim_upper;
  core::Result<stats::AdjustMethod> adjust = stats::ParseAdjustMethod(o.adjust);
  if (!adjust.ok()) return ReportFailure(io, adjust.status(), "tryghed evaluate");
  options.adjust = *adjust;
  core::Result<stats::ProportionMethod> method = stats::ParseProportionMethod(o.proportion_method);
  if (!method.ok()) return ReportFailure(io, method.status(), "tryghed evaluate");
  options.proportion_method = *method;

  store::OpenOptions open;
  open.max_sessions = 2;
  auto db = store::Store::Open(o.db.empty() ? store::Store::DefaultDatabase() : o.db, open);
  if (!db.ok()) return ReportFailure(io, db.status(), "tryghed evaluate");
  core::Result<evaluation::StudyData> data = evaluation::LoadStudy(**db, o.study);
  if (!data.ok()) return ReportFailure(io, data.status(), "tryghed evaluate");
  core::Result<evaluation::EvaluationResult> result = evaluation::Evaluate(*data, options);
  if (!result.ok()) return ReportFailure(io, result.status(), "tryghed evaluate");
  const std::string json = evaluation::ToJson(*result);
  if (o.out.empty()) {
    io.out << json << "\n";
    return kExitOk;
  }
  std::ofstream file(o.out, std::ios::binary | std::ios::trunc);
  file << json << "\n";
  file.close();
  if (!file) return ReportFailure(io, core::InvalidArgument("cannot write " + o.out), "tryghed evaluate");
  io.err << "wrote " << o.out << " (" << result->cells.size() << " cells, " << result->changes.size()
         << " changes)\n";
  return kExitOk;
}

}  // namespace

void AddEvaluateCommands(CLI::App& app, const Io& io) {
  auto opts = std::make_shared<EvaluateOptions>();
  CLI::App* verb = app.add_subcommand(
      "evaluate", "Estimate the tryghedsindeks, sub-indices and shares per wave and area, with changes and DiD");
  verb->add_option("--study", opts->study, "Name of the study")->required();
  verb->add_option("--db", opts->db,
                   "Database: a SQLite file or a postgresql:// URL; default $TRYGHED_DB, else tryghed.db");
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
  verb->add_option("--out", opts->out, "Write the JSON result to this file instead of stdout");
  verb->footer(
      "Exit codes: 0 done, 2 the study or the options are wrong, 3 the database cannot be reached.\n"
      "Examples:\n"
      "  tryghed evaluate --study demo --db demo.db --out result.json\n"
      "  tryghed evaluate --study demo --unweighted --adjust BH");
  verb->callback([opts, io] { Finish(RunEvaluate(*opts, io)); });
}

}  // namespace tryghed::cli
