#pragma once
// tryghed::store — reading population margins (for weighting) from CSV.
//
// The file has a header row `margin,level,N` (in that order, case-insensitive)
// and one row per cell, e.g.
//
//   margin,level,N
//   sex,f,412
//   sex,m,388
//   age,16-29,190
//
// Every error names the source and the 1-based line: "margins.csv:4: N must be
// a whole number >= 0, got 'abc'". Thread-safe; no state.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace tryghed::store {

// Parses margins CSV `text`; `source` names it in messages (a file name).
// Checks: the header, three fields per row (fields may be "quoted"), non-empty
// margin and level, N a whole number >= 0, no (margin, level) twice, at least
// one row, and every margin summing to the same total. When `population` is
// given, that total must equal it. Blank lines are skipped; CRLF and a UTF-8
// byte order mark are accepted. InvalidInput on any error.
core::Result<std::vector<Margin>> ParseMarginsCsv(std::string_view text, const std::string& source,
                                                  std::optional<std::int64_t> population = std::nullopt);

}  // namespace tryghed::store
