#pragma once
// tryghed::core — text as a JSON string literal (RFC 8259), the one escaping
// every hand-written JSON of the project uses: the canonical questionnaire
// (whose hash is its version, so these bytes never change) and the answers
// packed into a response row (store/internal/answers_json.h).
//
// Example:
//
//   std::string out = "{";
//   core::AppendJsonString(out, "B1");   // {"B1"
//
// Escaped: `"` and `\` with a backslash; backspace, form feed, newline,
// carriage return and tab as \b \f \n \r \t; every other byte below 0x20 as
// \u00XX (lower-case hex). Every other byte is copied as it is: the caller
// passes UTF-8 (core/utf8.h), nothing is validated or re-encoded here.
//
// Thread-safe; no state.
#include <string>
#include <string_view>

namespace tryghed::core {

// Appends `s` as a JSON string literal, quotes included, to `out`.
void AppendJsonString(std::string& out, std::string_view s);

// `s` as a JSON string literal, quotes included.
std::string QuoteJson(std::string_view s);

}  // namespace tryghed::core
