#include "questionnaire/canonical.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/json_string.h"
#include "core/sha256.h"
#include "questionnaire/internal/canonical_writer.h"
#include "questionnaire/internal/json_tree.h"

namespace tryghed::questionnaire {

namespace internal {

std::string FormatNumber(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) <= 9007199254740992.0) {
    if (value == 0) return "0";  // also -0
    char buf[32];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(value));
    return std::string(buf, ptr);
  }
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, ptr);
}

void WriteCanonical(const JsonValue& value, std::string* out) {
  switch (value.kind) {
    case JsonValue::Kind::kNull: *out += "null"; return;
    case JsonValue::Kind::kBool: *out += value.boolean ? "true" : "false"; return;
    case JsonValue::Kind::kNumber:
      *out += value.is_integer ? std::to_string(value.integer) : FormatNumber(value.number);
      return;
    case JsonValue::Kind::kString: core::AppendJsonString(*out, value.text); return;
    case JsonValue::Kind::kArray: {
      out->push_back('[');
      for (std::size_t i = 0; i < value.elements.size(); ++i) {
        if (i > 0) out->push_back(',');
        WriteCanonical(value.elements[i], out);
      }
      out->push_back(']');
      return;
    }
    case JsonValue::Kind::kObject: {
      std::vector<const JsonMember*> sorted;
      for (const JsonMember& m : value.members) sorted.push_back(&m);
      std::stable_sort(sorted.begin(), sorted.end(),
                       [](const JsonMember* a, const JsonMember* b) { return a->key < b->key; });
      out->push_back('{');
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i > 0) out->push_back(',');
        core::AppendJsonString(*out, sorted[i]->key);
        out->push_back(':');
        WriteCanonical(sorted[i]->value, out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace internal

core::Result<std::string> CanonicalJson(std::string_view json) {
  internal::JsonSyntaxError error;
  std::optional<internal::JsonValue> root = internal::ParseJsonTree(json, &error);
  if (!root) {
    const internal::TextPosition pos = internal::PositionOf(json, error.offset);
    return core::InvalidInput("line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) +
                              ": " + error.message);
  }
  std::string out;
  internal::WriteCanonical(*root, &out);
  return out;
}

core::Result<std::string> ContentHash(std::string_view json) {
  core::Result<std::string> canonical = CanonicalJson(json);
  if (!canonical.ok()) return canonical.status();
  return core::Sha256Hex(*canonical);
}

}  // namespace tryghed::questionnaire
