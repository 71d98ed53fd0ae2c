#pragma once
// tryghed::exchange internal — what the export writers share: the binary
// writers, each in its own .cpp so ReadStat and libxlsxwriter stay out of
// every header. Only engine/exchange/*.cpp include this header.
#include <string>

#include "core/status.h"
#include "exchange/export.h"

namespace tryghed::exchange::internal {

// SPSS .sav (dta = false) or Stata .dta (dta = true) through ReadStat, written
// to `path` directly (the caller commits it).
core::Status WriteReadStat(const ExportTable& table, bool dta, const std::string& path);

// Excel .xlsx with the sheets "data" and "codebook" through libxlsxwriter,
// written to `path` directly (the caller commits it).
core::Status WriteXlsx(const ExportTable& table, const ExportOptions& options, const std::string& path);

// The text of `cell` as CSV and xlsx show it: codes with their labels when
// `labels` and the column has one, numbers in shortest round-trip form.
std::string CellText(const ExportColumn& column, const ExportCell& cell, bool labels);

}  // namespace tryghed::exchange::internal
