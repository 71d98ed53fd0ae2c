#pragma once
// tryghed::questionnaire (internal) — questionnaires/schema.json, compiled in,
// and a check of a document against it. The loader's own rules are stricter
// than the schema; the schema check is a safety net that keeps the two from
// drifting apart (a file the schema rejects is never accepted).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tryghed::questionnaire::internal {

// Where and why the schema rejects a document.
struct SchemaViolation {
  std::string pointer;   // JSON Pointer of the offending value, e.g. "/sections/0/items/2"
  std::string keyword;   // the schema keyword that failed, e.g. "uniqueItems"
};

// Checks `json` (already known to be valid JSON) against the embedded schema;
// nullopt when it conforms. Thread-safe: the compiled schema is built once,
// and checks run one at a time (RapidJSON 1.1's validator changes the shared
// schema's pattern state while it runs).
std::optional<SchemaViolation> CheckAgainstSchema(std::string_view json);

}  // namespace tryghed::questionnaire::internal
