#pragma once
// tryghed::cli — a progress line on the terminal: "Importing ... 42 % (4200/10000)",
// or, for work whose size is unknown (one external process such as
// Chromium printing a PDF), a spinner with the elapsed time:
// "Printing the PDF with Chromium / 12 s".
// Drawn on stderr only when stderr is a terminal, at most ten times a
// second; silent in pipes and files, so scripts see clean output.
#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <mutex>
#include <string>

#include "core/progress.h"

namespace tryghed::cli {

class TerminalProgress {
 public:
  // `label` names the work ("Bootstrap replicates"). `err` is where to draw;
  // `interactive` forces drawing on or off (default: stderr is a terminal).
  TerminalProgress(std::string label, std::ostream& err, bool interactive);
  TerminalProgress(std::string label, std::ostream& err);
  // Clears the line if anything was drawn.
  ~TerminalProgress();

  TerminalProgress(const TerminalProgress&) = delete;
  TerminalProgress& operator=(const TerminalProgress&) = delete;

  // A callback for engine code; valid while this object lives. Thread-safe.
  core::ProgressFn Callback();

  // Draws the state now if due (always for done == total).
  void Update(std::size_t done, std::size_t total);

  // For work of unknown size: draws "label <spinner> <whole seconds> s" if
  // due (the first call always draws; the spinner turns once per drawing).
  // Thread-safe.
  void Elapsed(double seconds);
  // A callback for ChromiumOptions::waiting and the like; valid while this
  // object lives.
  std::function<void(double seconds)> ElapsedCallback();

 private:
  std::string label_;
  std::ostream& err_;
  bool interactive_;
  bool drawn_ = false;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point last_{};
  unsigned turns_ = 0;
};

}  // namespace tryghed::cli
