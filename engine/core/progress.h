#pragma once
// tryghed::core — progress of long work (imports, bootstrap replicates,
// national-scale evaluations, reports). Engine code reports through a
// ProgressFn it is given; what is shown, and whether anything is shown at
// all, is the caller's business (cli/progress.h draws a line on a terminal
// and stays quiet in pipes). An empty ProgressFn means "nobody listens".
#include <cstddef>
#include <functional>
#include <string_view>

namespace tryghed::core {

// Called with the work done so far and the total (same unit, e.g. rows or
// replicates); `done` never exceeds `total`. Must be cheap and thread-safe
// when the reporting code runs on several threads (it says so if it does).
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

// Calls `fn` if it is set.
inline void ReportProgress(const ProgressFn& fn, std::size_t done, std::size_t total) {
  if (fn) fn(done, total);
}

}  // namespace tryghed::core
