#pragma once
// tryghed::questionnaire (internal) — a small JSON tree that remembers where
// every value and key starts in the source text, so that the loader can
// report problems as FILE:LINE:COL. Built with RapidJSON's SAX Reader (strict
// RFC 8259 JSON, UTF-8 validated); numbers keep their source text.
// Not part of the public API.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tryghed::questionnaire::internal {

struct JsonMember;

// One JSON value and the byte offset of its first character.
struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;          // kString: the decoded string; kNumber: the source text
  double number = 0;         // kNumber
  bool is_integer = false;   // kNumber written without fraction or exponent and fits int64
  std::int64_t integer = 0;  // kNumber when is_integer
  std::vector<JsonValue> elements;    // kArray
  std::vector<JsonMember> members;    // kObject, in source order (duplicates kept)
  std::size_t offset = 0;

  // The first member named `key`, or nullptr (also when not an object).
  const JsonValue* Find(std::string_view key) const;
};

struct JsonMember {
  std::string key;
  std::size_t key_offset = 0;
  JsonValue value;
};

// A syntax error: where and what.
struct JsonSyntaxError {
  std::size_t offset = 0;
  std::string message;
};

// Parses `text`; on a syntax error returns nullopt and fills `*error`.
std::optional<JsonValue> ParseJsonTree(std::string_view text, JsonSyntaxError* error);

// "string", "number", "array", ... for messages.
std::string_view KindName(JsonValue::Kind kind);

// 1-based line and column (in Unicode code points) of a byte offset.
struct TextPosition {
  int line = 1;
  int column = 1;
};
TextPosition PositionOf(std::string_view text, std::size_t offset);

}  // namespace tryghed::questionnaire::internal
