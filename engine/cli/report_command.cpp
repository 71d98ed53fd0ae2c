// tryghed report — the evaluation result as a self-contained HTML report and,
// through headless Chromium, a PDF (engine/report, docs/report.md).
#include <memory>
#include <ostream>
#include <string>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/exit_codes.h"
#include "cli/progress.h"
#include "core/file.h"
#include "evaluation/dataset.h"
#include "evaluation/evaluate.h"
#include "evaluation/result.h"
#include "report/pdf.h"
#include "report/report.h"
#include "store/store.h"

namespace tryghed::cli {

namespace {

struct ReportCommandOptions {
  std::string study;
  DatabaseOptions database;
  std::string out;
  std::string pdf;
  std::string lang = "da";
  std::string from_json;
  std::string title;
};

// The evaluation result's JSON: read from --from-json, or made by evaluating
// the study with the default options of `tryghed evaluate`.
core::Result<std::string> ResultJson(const ReportCommandOptions& o) {
  if (!o.from_json.empty()) return core::ReadFile(o.from_json);
  auto db = OpenStoreForVerb(o.database);
  if (!db.ok()) return db.status();
  core::Result<evaluation::EvaluationResult> result = evaluation::EvaluateStudy(**db, o.study, {});
  if (!result.ok()) return result.status();
  return evaluation::ToJson(*result);
}

int RunReport(const ReportCommandOptions& o, const Io& io) {
  constexpr const char* kCommand = "tryghed report";
  if (o.study.empty() && o.from_json.empty()) {
    return ReportFailure(io, core::InvalidArgument("give --study S, or --from-json RESULT.json"), kCommand);
  }
  core::Result<std::string> json = ResultJson(o);
  if (!json.ok()) return ReportFailure(io, json.status(), kCommand);
  report::ReportOptions options;
  options.lang = o.lang == "en" ? report::Language::kEnglish : report::Language::kDanish;
  options.title = o.title;
  const std::string source = o.from_json.empty() ? "the evaluation of " + o.study : o.from_json;
  core::Result<std::string> html = report::RenderReportFromJson(*json, source, options);
  if (!html.ok()) return ReportFailure(io, html.status(), kCommand);

  const core::Status written = core::WriteFileAtomically(o.out, *html);
  if (!written.ok()) return ReportFailure(io, written, kCommand);
  io.err << "wrote " << o.out << "\n";
  if (o.pdf.empty()) return kExitOk;

  core::Status pdf;
  {
    // Chromium is one external process: a spinner with the elapsed seconds
    // on a terminal, nothing in a pipe; the line is cleared before the
    // messages below.
    TerminalProgress progress("Printing " + o.pdf + " with Chromium", io.err);
    report::ChromiumOptions chromium;
    chromium.waiting = progress.ElapsedCallback();
    pdf = report::PrintToPdf(o.out, o.pdf, chromium);
  }
  if (!pdf.ok()) {
    ReportFailure(io, pdf, kCommand);
    io.err << kCommand << ": the HTML report " << o.out << " is complete; only the PDF is missing\n";
    return kExitInvalid;
  }
  io.err << "wrote " << o.pdf << "\n";
  return kExitOk;
}

}  // namespace

void AddReportCommands(CLI::App& app, const Io& io) {
  auto opts = std::make_shared<ReportCommandOptions>();
  CLI::App* verb = app.add_subcommand(
      "report", "Render the evaluation of a study as a self-contained HTML report (and a PDF), in Danish or English");
  verb->add_option("--study", opts->study, "Name of the study (not needed with --from-json)");
  AddDatabaseOptions(verb, &opts->database);
  verb->add_option("--out", opts->out, "The HTML file to write")->required();
  verb->add_option("--pdf", opts->pdf, "Also print the report to this PDF file (needs chromium)");
  verb->add_option("--lang", opts->lang, "Language of the report: da (default) or en")
      ->check(CLI::IsMember({"da", "en"}));
  verb->add_option("--from-json", opts->from_json,
                   "Render this saved result of `tryghed evaluate --out` instead of evaluating the study");
  verb->add_option("--title", opts->title, "Title of the report (default: \"Tryghedsrapport: <study>\")");
  verb->footer(
      "Without --from-json the study is evaluated with the defaults of `tryghed evaluate`; for other options,\n"
      "save the result with `tryghed evaluate --out` and render it with --from-json.\n"
      "Exit codes: 0 done, 1 the HTML is written but the PDF could not be made (chromium missing or failed),\n"
      "2 the study, the result file or the options are wrong, 3 the database cannot be reached.\n"
      "Examples:\n"
      "  tryghed report --study demo --db demo.db --out rapport.html --pdf rapport.pdf\n"
      "  tryghed evaluate --study demo --db demo.db --unweighted --out result.json\n"
      "  tryghed report --from-json result.json --out report.html --lang en");
  verb->callback([opts, io] { Finish(RunReport(*opts, io)); });
}

}  // namespace tryghed::cli
