#include "cli/progress.h"

#include <unistd.h>

#include <ostream>

namespace tryghed::cli {

TerminalProgress::TerminalProgress(std::string label, std::ostream& err, bool interactive)
    : label_(std::move(label)), err_(err), interactive_(interactive) {}

TerminalProgress::TerminalProgress(std::string label, std::ostream& err)
    : TerminalProgress(std::move(label), err, isatty(STDERR_FILENO) == 1) {}

TerminalProgress::~TerminalProgress() {
  if (drawn_) err_ << "\r\033[K" << std::flush;
}

core::ProgressFn TerminalProgress::Callback() {
  return [this](std::size_t done, std::size_t total) { Update(done, total); };
}

void TerminalProgress::Update(std::size_t done, std::size_t total) {
  if (!interactive_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (done < total && drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const unsigned percent = total == 0 ? 100u : static_cast<unsigned>(100.0 * static_cast<double>(done) / static_cast<double>(total));
  err_ << "\r\033[K" << label_ << " " << percent << " % (" << done << "/" << total << ")" << std::flush;
  drawn_ = true;
}

std::function<void(double)> TerminalProgress::ElapsedCallback() {
  return [this](double seconds) { Elapsed(seconds); };
}

void TerminalProgress::Elapsed(double seconds) {
  if (!interactive_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  static const char kSpinner[] = {'|', '/', '-', '\\'};
  const long whole = seconds > 0 ? static_cast<long>(seconds) : 0;
  err_ << "\r\033[K" << label_ << " " << kSpinner[turns_++ % 4] << " " << whole << " s" << std::flush;
  drawn_ = true;
}

}  // namespace tryghed::cli
