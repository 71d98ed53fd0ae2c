// tryghed demo — creates the demo study (cli/demo.h, docs/demo.md).
#include <filesystem>
#include <ostream>
#include <string>

#include "cli/commands.h"
#include "cli/database.h"
#include "core/file.h"
#include "cli/demo.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "questionnaire/builtin.h"
#include "questionnaire/loader.h"
#include "store/store.h"

namespace tryghed::cli {

namespace {

struct DemoCommandOptions {
  DatabaseOptions database;
  std::string questionnaire;
  DemoOptions demo;
};

int RunDemo(const DemoCommandOptions& o, const Io& io) {
  core::Result<std::string> resolved = ResolveDatabase(o.database);
  if (!resolved.ok()) return ReportFailure(io, resolved.status());
  const std::string& db_name = *resolved;
  std::string json;
  std::string source = o.questionnaire;
  if (source.empty()) {
    json = std::string(questionnaire::BuiltinQuestionnaireJson("tryghed-standard"));
    source = "tryghed-standard (built in)";
  } else {
    auto text = core::ReadFile(source);
    if (!text.ok()) return ReportFailure(io, text.status());
    json = std::move(*text);
  }
  auto q = questionnaire::LoadQuestionnaire(json, source);
  if (!q.ok()) return ReportFailure(io, q.status());
  auto db = OpenStoreForVerb(o.database);
  if (!db.ok()) return ReportFailure(io, db.status());

  DemoOptions options = o.demo;
  if (options.crime_csv_path.empty() && (*db)->backend() == store::Backend::kSqlite) {
    // Beside the database file: tryghed.db -> tryghed.db.crime.csv
    options.crime_csv_path = db_name + ".crime.csv";
  }
  TerminalProgress progress("Creating the demo study", io.err);
  auto summary = CreateDemo(**db, *q, json, options, progress.Callback());
  if (!summary.ok()) return ReportFailure(io, summary.status());
  io.out << "Created study \"" << options.study_name << "\" in " << db_name << ": " << summary->areas << " areas, "
         << summary->waves << " waves, " << summary->invitations << " invitations, " << summary->responses
         << " responses";
  if (!options.crime_csv_path.empty()) io.out << "; registered crime in " << options.crime_csv_path;
  io.out << "\n";
  return kExitOk;
}

}  // namespace

void AddDemoCommands(CLI::App& app, const Io& io) {
  auto o = std::make_shared<DemoCommandOptions>();
  CLI::App* demo = app.add_subcommand(
      "demo", "Create the demo study: a pilot and two comparison areas, four waves, synthetic respondents");
  AddDatabaseOptions(demo, &o->database);
  demo->add_option("--name", o->demo.study_name, "Name of the study to create")->capture_default_str();
  demo->add_option("--seed", o->demo.seed, "Seed of the synthetic respondents (same seed, same data)")->capture_default_str();
  demo->add_option("--questionnaire", o->questionnaire,
                   "Questionnaire file to use instead of the built-in tryghed-standard");
  demo->add_option("--crime-csv", o->demo.crime_csv_path,
                   "Where to write the registered-crime CSV (default: beside a SQLite database)");
  demo->footer(
      "The pilot area's latent safety rises from the third wave on (about +6 index points);\n"
      "the comparison areas' does not. See docs/demo.md.\n\n"
      "Example:\n  tryghed demo --db demo.db");
  demo->callback([o, io] { Finish(RunDemo(*o, io)); });
}

}  // namespace tryghed::cli
