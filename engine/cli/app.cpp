#include "cli/app.h"

#include <exception>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace tryghed::cli {

namespace {

constexpr const char* kVersion = "0.1.0";

}  // namespace

void Finish(int exit_code) {
  if (exit_code != kExitOk) throw CLI::RuntimeError(exit_code);
}

int ReportFailure(const Io& io, const core::Status& status, std::string_view command) {
  std::string text = status.ToString();
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  io.err << command << ": " << text << "\n";
  return ExitCodeFor(status);
}

int ExitCodeFor(const core::Status& status) {
  switch (status.code()) {
    case core::StatusCode::kOk: return kExitOk;
    case core::StatusCode::kInvalidInput:
    case core::StatusCode::kInvalidArgument:
    case core::StatusCode::kNotFound:
    case core::StatusCode::kAlreadyExists:
    case core::StatusCode::kFailedPrecondition:
    case core::StatusCode::kNumerical:
      return kExitUsage;
    case core::StatusCode::kUnavailable:
    case core::StatusCode::kInternal:
      return kExitFailure;
  }
  return kExitFailure;
}

int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{"tryghed: resident safety surveys and the tryghedsindeks, from form to report.",
               "tryghed"};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);
  app.footer(
      "Examples:\n"
      "  tryghed questionnaire check questionnaires/tryghed-standard.json\n"
      "  tryghed questionnaire show questionnaires/tryghed-standard.json --lang da\n"
      "Run `tryghed VERB --help` for the options of one verb.");

  const Io io{out, err};
  AddQuestionnaireCommands(app, io);
  AddStoreCommands(app, io);
  AddExchangeCommands(app, io);
  AddDemoCommands(app, io);
  AddStatsCommands(app, io);
  AddEvaluateCommands(app, io);
  AddReportCommands(app, io);
  AddServeCommands(app, io);
  AddUserCommands(app, io);

  // CLI11 wants argv in reverse order without the program name.
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  if (!reversed.empty()) reversed.pop_back();
  try {
    app.parse(std::move(reversed));
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0 in CLI11.
    const int code = app.exit(e, out, err);
    return code == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {
    err << "tryghed: internal error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return Main(args, std::cout, std::cerr);
}

}  // namespace tryghed::cli
