#pragma once
// Test helper: runs `tryghed ARGS [--db DB]` in process (cli::Main) with
// string streams, for the verbs' end-to-end tests.
//
//   CliRun r = RunTryghed({"invite", "mark", "--file", "returned.csv"}, db_path);
//   EXPECT_EQ(r.code, kExitOk) << r.err;
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"

namespace tryghed::cli::testing {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

// `args` after the program name; `--db DB` is appended when `db` is not empty.
inline CliRun RunTryghed(std::vector<std::string> args, const std::string& db = "") {
  args.insert(args.begin(), "tryghed");
  if (!db.empty()) {
    args.push_back("--db");
    args.push_back(db);
  }
  std::ostringstream out, err;
  CliRun r;
  r.code = Main(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace tryghed::cli::testing
