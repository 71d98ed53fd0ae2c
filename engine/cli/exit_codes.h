#pragma once
// tryghed::cli — the exit codes of every `tryghed` command (docs/cli.md).
#include "core/status.h"

namespace tryghed::cli {

inline constexpr int kExitOk = 0;
// A `check` verb found the checked input invalid (e.g. questionnaire check).
inline constexpr int kExitInvalid = 1;
// The command could not run on what it was given: a wrong or contradictory
// option, a missing file or column, a malformed value in an input file.
inline constexpr int kExitUsage = 2;
// The environment failed: database unavailable, disk full, internal error.
inline constexpr int kExitFailure = 3;

// The exit code for a failed Status: caller-side problems give kExitUsage,
// environment and internal problems kExitFailure.
int ExitCodeFor(const core::Status& status);

}  // namespace tryghed::cli
