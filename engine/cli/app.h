#pragma once
// tryghed::cli — the `tryghed` command line: parses argv, runs one verb,
// returns its exit code. `main` is nothing but a call to Main, so tests can
// drive the whole program in-process with their own streams.
#include <iosfwd>
#include <string>
#include <vector>

namespace tryghed::cli {

// Runs `tryghed` with `args` (args[0] is the program name). Normal output goes
// to `out`, errors and progress to `err`. Returns the process exit code
// (cli/exit_codes.h). Never throws.
int Main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The same over the process's argv, std::cout and std::cerr.
int Main(int argc, char** argv);

}  // namespace tryghed::cli
