#include "questionnaire/internal/schema.h"

#include "questionnaire/internal/embedded.h"

#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include <mutex>

namespace tryghed::questionnaire::internal {

namespace {

// The compiled schema, built on first use. A schema that does not parse is a
// build defect; it yields nullptr and the check is skipped (tests catch it).
const rapidjson::SchemaDocument* Schema() {
  static const rapidjson::SchemaDocument* schema = []() -> const rapidjson::SchemaDocument* {
    rapidjson::Document d;
    const std::string_view text = EmbeddedText("schema.json");
    d.Parse(text.data(), text.size());
    if (d.HasParseError()) return nullptr;
    return new rapidjson::SchemaDocument(d);
  }();
  return schema;
}

}  // namespace

std::optional<SchemaViolation> CheckAgainstSchema(std::string_view json) {
  const rapidjson::SchemaDocument* schema = Schema();
  if (!schema) return std::nullopt;
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError()) return std::nullopt;
  // RapidJSON 1.1 keeps the search state of each "pattern" regex inside the
  // compiled schema (GenericRegex's mutable stacks), so two validations at
  // once corrupt each other: one at a time. A check takes about a
  // millisecond and runs when a questionnaire is loaded, not per request.
  static std::mutex one_at_a_time;
  std::lock_guard lock(one_at_a_time);
  rapidjson::SchemaValidator validator(*schema);
  if (d.Accept(validator)) return std::nullopt;
  rapidjson::StringBuffer pointer;
  validator.GetInvalidDocumentPointer().Stringify(pointer);
  return SchemaViolation{pointer.GetString(), validator.GetInvalidSchemaKeyword()};
}

}  // namespace tryghed::questionnaire::internal
