#pragma once
// tryghed::cli — one registration function per group of verbs. Each adds its
// subcommands to the application; a subcommand's callback runs the verb and
// reports a non-zero exit code through Finish(). Add new groups here and in
// app.cpp's table.
#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "core/status.h"
#include "store/store.h"

namespace tryghed::cli {

// The streams a verb writes to (stdout/stderr in the program, string streams
// in tests).
struct Io {
  std::ostream& out;
  std::ostream& err;
};

// Ends a verb's callback with `exit_code`; does nothing for kExitOk.
void Finish(int exit_code);

// Prints a failed `status` to io.err as one line, "<command>: <code>:
// <message>" (newlines in the message become spaces), and returns its exit
// code (cli/exit_codes.h).
int ReportFailure(const Io& io, const core::Status& status, std::string_view command = "tryghed");

// `tryghed questionnaire check|show|score|hash` (cli/questionnaire_commands.cpp).
void AddQuestionnaireCommands(CLI::App& app, const Io& io);

// `tryghed init`, `study create|list`, `area add|list`, `wave create|open|close|list`
// (cli/store_commands.cpp).
void AddStoreCommands(CLI::App& app, const Io& io);

// `tryghed demo` (cli/demo_command.cpp, cli/demo.h).
void AddDemoCommands(CLI::App& app, const Io& io);

// `tryghed stats mean|total|ratio|prop|quantile|contrast|ttest|alpha`
// (cli/stats_commands.cpp).
void AddStatsCommands(CLI::App& app, const Io& io);

// `tryghed evaluate` (cli/evaluate_command.cpp).
void AddEvaluateCommands(CLI::App& app, const Io& io);

// `tryghed report` (cli/report_command.cpp).
void AddReportCommands(CLI::App& app, const Io& io);

// `tryghed serve` (cli/serve_command.cpp, web/server.h).
void AddServeCommands(CLI::App& app, const Io& io);

// `tryghed import`, `export`, `backup`, `restore`, `invite`, `kiosk add`
// (cli/exchange_commands.cpp).
void AddExchangeCommands(CLI::App& app, const Io& io);

// `tryghed user add|list|disable|enable` (cli/user_commands.cpp).
void AddUserCommands(CLI::App& app, const Io& io);


}  // namespace tryghed::cli
