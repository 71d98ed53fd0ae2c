#pragma once
// The answers of one response as the store keeps them: one JSON object in the
// response row (response.answers, schema version 5; docs/store.md "Answers in
// the response row"), grouped by kind so that a code and a number stay apart
// even when the number is whole:
//
//   {"code":{"T1":3,"T2":4},"codes":{"P1":[1,3]},"number":{"age":34},"text":{"X":"…"}}
//
// A kind without answers is left out; an unanswered item has no entry. The
// view `answer` (schema.cpp) shows the same data one row per answer, for SQL.
#include <string>
#include <string_view>

#include "core/answers.h"
#include "core/status.h"

namespace tryghed::store::internal {

// The object above for `answers`: items in the map's order, each id and
// text escaped by core::AppendJsonString (core/json_string.h), each number
// in its shortest form that reads back to the same double. The caller has
// checked that numbers are finite (CheckAnswers).
std::string PackAnswers(const core::Answers& answers);

// Reads an object written by PackAnswers, or by the migration to version 5
// (SQLite's json functions, PostgreSQL's json_build_object: whitespace between
// tokens and numbers with exponents are accepted). An unknown kind, a value
// of the wrong shape, a repeated item or anything after the object is an
// error naming what was wrong and at which byte.
core::Result<core::Answers> UnpackAnswers(std::string_view json);

}  // namespace tryghed::store::internal
