#pragma once
// tryghed::cli — one registration function per group of verbs. Each adds its
// subcommands to the application; a subcommand's callback runs the verb and
// reports a non-zero exit code through Finish(). Add new groups here and in
// app.cpp's table.
#include <iosfwd>

#include <CLI/CLI.hpp>

namespace tryghed::cli {

// The streams a verb writes to (stdout/stderr in the program, string streams
// in tests).
struct Io {
  std::ostream& out;
  std::ostream& err;
};

// Ends a verb's callback with `exit_code`; does nothing for kExitOk.
void Finish(int exit_code);

// `tryghed questionnaire check|show|score|hash` (cli/questionnaire_commands.cpp).
void AddQuestionnaireCommands(CLI::App& app, const Io& io);

// `tryghed init`, `study create|list`, `area add|list`, `wave create|open|close|list`
// (cli/store_commands.cpp).
void AddStoreCommands(CLI::App& app, const Io& io);

// `tryghed stats mean|total|ratio|prop|quantile|contrast|ttest|alpha`
// (cli/stats_commands.cpp).
void AddStatsCommands(CLI::App& app, const Io& io);


}  // namespace tryghed::cli
