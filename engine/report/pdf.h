#pragma once
// tryghed::report — the report's HTML printed to PDF (and screenshots for the
// rendering tests) by headless Chromium, Debian's `chromium` package
// (docs/report.md says why Chromium rather than wkhtmltopdf).
//
// Chromium is found as $TRYGHED_CHROMIUM when set, else as `chromium` or
// `chromium-browser` on PATH. It runs without a shell, with its own
// throwaway profile folder, no sandbox (it runs as the invoking user, often
// root in containers) and no GPU, and is stopped after `timeout_seconds`.
// The HTML must already be written to a file.
//
// Example:
//
//   core::Status s = PrintToPdf("report.html", "report.pdf", {});
//   if (!s.ok()) std::cerr << s.ToString() << "\n";   // e.g. chromium not installed
//
// Thread safety: each call starts its own process and folder; calls may run
// at the same time.
#include <functional>
#include <optional>
#include <string>

#include "core/status.h"

namespace tryghed::report {

struct ChromiumOptions {
  std::string executable;     // default: FindChromium()
  int timeout_seconds = 120;  // the process is killed after this long
  // Called about every 50 ms while Chromium runs, with the seconds since it
  // started (on the calling thread); empty: nobody listens. For a progress
  // line such as cli::TerminalProgress::ElapsedCallback.
  std::function<void(double seconds)> waiting = {};
};

// $TRYGHED_CHROMIUM when set and non-empty, else the first of `chromium`,
// `chromium-browser` found executable on PATH; empty when there is none.
std::optional<std::string> FindChromium();

// Prints `html_path` to `pdf_path` (A4 as the page's @page rules say, no
// browser header or footer). Unavailable when Chromium is not installed
// (the message names the package and $TRYGHED_CHROMIUM); Internal with the
// last line Chromium wrote when it fails or writes no file.
core::Status PrintToPdf(const std::string& html_path, const std::string& pdf_path,
                        const ChromiumOptions& options = {});

// `html` printed to PDF and returned as bytes, for a server that sends the
// PDF rather than keeping it: the HTML and the PDF live only in a fresh
// private folder (mode 0700, files 0600) under the system's temporary
// directory, removed before this returns, whatever the outcome. Errors as
// PrintToPdf; Unavailable when the folder cannot be made.
core::Result<std::string> HtmlToPdf(const std::string& html, const ChromiumOptions& options = {});

// A PNG screenshot of the page's first `height` pixels at `width` pixels
// wide. Errors as PrintToPdf.
core::Status Screenshot(const std::string& html_path, const std::string& png_path, int width, int height,
                        const ChromiumOptions& options = {});

}  // namespace tryghed::report
