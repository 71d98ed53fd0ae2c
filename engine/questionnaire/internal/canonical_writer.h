#pragma once
// tryghed::questionnaire (internal) — canonical JSON of a parsed tree
// (see questionnaire/canonical.h for the form).
#include <string>

#include "questionnaire/internal/json_tree.h"

namespace tryghed::questionnaire::internal {

// Appends the canonical form of `value` to `*out`. Duplicate keys are kept
// (the loader rejects them before a hash is ever taken).
void WriteCanonical(const JsonValue& value, std::string* out);

// A double as the shortest text that reads back to it; integral values in
// [-2^53, 2^53] without a fraction ("3", not "3.0").
std::string FormatNumber(double value);

}  // namespace tryghed::questionnaire::internal
