#pragma once
// tryghed::report — reads the JSON form of an evaluation result (what
// evaluation::ToJson writes and `tryghed evaluate --out` saves; fields in
// docs/evaluation-result.md) back into evaluation::EvaluationResult, the one
// model every report is rendered from.
//
// Reading is lenient about absence and strict about types: a key that is
// missing (an older result, or a section the evaluation did not compute)
// leaves the field at its default, so the report says "not available"; a key
// with the wrong type, or a number that is not finite, is an error naming the
// JSON path. Unknown keys are ignored (a newer result still renders).
//
// Example:
//
//   core::Result<evaluation::EvaluationResult> r = ParseEvaluationJson(text, "result.json");
//   if (!r.ok()) return r.status();  // "result.json: cells[3].respondents: expected an integer"
//
// Pure function; safe from any thread.
#include <string>
#include <string_view>

#include "core/status.h"
#include "evaluation/result.h"

namespace tryghed::report {

// InvalidInput with `source`, line and column for malformed JSON, and with
// the JSON path for a value of the wrong type.
core::Result<evaluation::EvaluationResult> ParseEvaluationJson(std::string_view json, const std::string& source);

}  // namespace tryghed::report
