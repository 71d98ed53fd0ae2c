#pragma once
// Internal to tryghed::report: a QR code as inline SVG, for the invitation
// letters (report/letters.h). The symbol is made by libqrencode (Debian
// libqrencode-dev; docs/dependencies.md says why a library), error
// correction level M (15 % of the symbol may be damaged or dirty), the
// smallest version that holds the text, 8-bit mode with numeric and
// alphanumeric runs packed where they save space.
//
// The SVG draws a white square with a 4-module quiet zone and the dark
// modules as one <path> (one "h" run per row segment), scales to the size
// the page gives it (viewBox in modules, shape-rendering="crispEdges" so
// printers and rasterisers keep the edges sharp), and carries role="img"
// and the caller's aria-label.
//
// Example:
//
//   core::Result<std::string> svg = QrSvg("https://tryg.example.dk/s/abc", "QR-kode til linket");
//   if (!svg.ok()) return svg.status();   // text too long for any QR version
//   html += *svg;                         // "<svg ... role=\"img\" ...><path d=\"M4 4h7v1h-7z...\"/></svg>"
//
// Pure function; libqrencode is thread-safe (built with pthread).
#include <string>
#include <string_view>

#include "core/status.h"

namespace tryghed::report::internal {

// Modules of quiet zone on each side (the QR standard's minimum).
inline constexpr int kQrQuietZone = 4;

// `text` as a QR code in an <svg> element. `aria_label` is plain text
// (escaped here). InvalidArgument when `text` is empty, holds a NUL byte or
// is too long for a version-40 symbol at level M (2,331 bytes).
core::Result<std::string> QrSvg(std::string_view text, std::string_view aria_label);

}  // namespace tryghed::report::internal
