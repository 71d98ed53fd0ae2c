#include "questionnaire/internal/json_tree.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <utility>

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include "core/utf8.h"

namespace tryghed::questionnaire::internal {

namespace {

// A read-only stream over a terminated buffer. Unlike rapidjson::StringStream
// it has no copy optimisation (RapidJSON would parse a local copy and write
// the position back only after the handler ran), so Tell() inside a handler
// is the position just after the token that fired it.
class OffsetStream {
 public:
  using Ch = char;
  explicit OffsetStream(const char* text) : head_(text), src_(text) {}
  Ch Peek() const { return *src_; }
  // Never moves past the terminator: RapidJSON 1.1's UTF-8 validation takes
  // the continuation bytes of a multi-byte sequence without checking for the
  // end, so a file ending inside a character ("...\xe8") would read beyond
  // the buffer. At the end it keeps getting '\0', which fails the sequence.
  Ch Take() {
    const Ch c = *src_;
    if (c != '\0') ++src_;
    return c;
  }
  std::size_t Tell() const { return static_cast<std::size_t>(src_ - head_); }
  // Output is never used by the Reader on an input-only, non-in-situ parse.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  const char* head_;
  const char* src_;
};

// Builds a JsonValue tree from RapidJSON SAX events. The start of each value
// is found by skipping whitespace, ',' and ':' from the end of the previous
// token (the stream's position when the previous event fired).
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  TreeBuilder(std::string_view text, const OffsetStream& stream)
      : text_(text), stream_(stream) {}

  bool Null() { return AddScalar(JsonValue::Kind::kNull); }
  bool Bool(bool b) {
    JsonValue v = Scalar(JsonValue::Kind::kBool);
    v.boolean = b;
    return Add(std::move(v));
  }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    JsonValue v = Scalar(JsonValue::Kind::kNumber);
    v.text.assign(s, n);
    const bool plain = v.text.find_first_of(".eE") == std::string::npos;
    if (plain) {
      auto [ptr, ec] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), v.integer);
      v.is_integer = ec == std::errc() && ptr == v.text.data() + v.text.size();
    }
    v.number = std::strtod(v.text.c_str(), nullptr);
    // JSON has no infinity: a number too large for a double (1e400) would be
    // read as one, and its canonical form would no longer be JSON.
    if (!std::isfinite(v.number)) {
      return Refuse(v.offset, "the number " + v.text + " is too large for a double (the largest is 1.7976931348623157e308)");
    }
    return Add(std::move(v));
  }
  bool String(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    JsonValue v = Scalar(JsonValue::Kind::kString);
    v.text.assign(s, n);
    if (!core::IsValidUtf8(v.text)) return Refuse(v.offset, kLoneSurrogate);
    return Add(std::move(v));
  }
  bool StartObject() { return Open(JsonValue::Kind::kObject); }
  bool Key(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    std::string key(s, n);
    const std::size_t start = Start();
    if (!core::IsValidUtf8(key)) return Refuse(start, kLoneSurrogate);
    keys_.emplace_back(std::move(key), start);
    Finish();
    return true;
  }
  bool EndObject(rapidjson::SizeType /*count*/) { return Close(); }
  bool StartArray() { return Open(JsonValue::Kind::kArray); }
  bool EndArray(rapidjson::SizeType /*count*/) { return Close(); }

  std::optional<JsonValue>& root() { return root_; }
  // Where and why a value that RapidJSON accepts was refused: a string that
  // decodes to bytes that are not UTF-8 (the input bytes are validated by
  // RapidJSON, so only a \u escape of a lone surrogate gets here: RapidJSON
  // 1.1 refuses a high surrogate without its low one but lets a lone low
  // surrogate, \uDC00 to \uDFFF, through), or a number beyond a double.
  const std::optional<JsonSyntaxError>& refused() const { return refused_; }

 private:
  std::size_t Start() const {
    std::size_t p = last_end_;
    while (p < text_.size()) {
      const char c = text_[p];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' && c != ':') break;
      ++p;
    }
    return p;
  }
  void Finish() { last_end_ = stream_.Tell(); }

  JsonValue Scalar(JsonValue::Kind kind) {
    JsonValue v;
    v.kind = kind;
    v.offset = Start();
    Finish();
    return v;
  }
  bool AddScalar(JsonValue::Kind kind) { return Add(Scalar(kind)); }
  bool Refuse(std::size_t offset, std::string message) {
    refused_ = JsonSyntaxError{offset, std::move(message)};
    return false;  // stops the reader
  }
  static constexpr const char* kLoneSurrogate =
      "the string has a \\u escape of a lone surrogate (U+D800 to U+DFFF), which is not a character";

  bool Open(JsonValue::Kind kind) {
    stack_.push_back(Scalar(kind));
    return true;
  }
  bool Close() {
    Finish();
    JsonValue v = std::move(stack_.back());
    stack_.pop_back();
    return Add(std::move(v));
  }

  bool Add(JsonValue v) {
    if (stack_.empty()) {
      root_ = std::move(v);
    } else if (stack_.back().kind == JsonValue::Kind::kArray) {
      stack_.back().elements.push_back(std::move(v));
    } else {
      auto [key, key_offset] = std::move(keys_.back());
      keys_.pop_back();
      stack_.back().members.push_back(JsonMember{std::move(key), key_offset, std::move(v)});
    }
    return true;
  }

  std::string_view text_;
  const OffsetStream& stream_;
  std::size_t last_end_ = 0;
  std::vector<JsonValue> stack_;
  std::vector<std::pair<std::string, std::size_t>> keys_;
  std::optional<JsonValue> root_;
  std::optional<JsonSyntaxError> refused_;
};

}  // namespace

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (const JsonMember& m : members) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

std::optional<JsonValue> ParseJsonTree(std::string_view text, JsonSyntaxError* error) {
  const std::string copy(text);  // RapidJSON's StringStream wants a terminated buffer
  if (copy.find('\0') != std::string::npos) {
    error->offset = copy.find('\0');
    error->message = "the file contains a NUL byte; a questionnaire is UTF-8 text";
    return std::nullopt;
  }
  OffsetStream stream(copy.c_str());
  TreeBuilder builder(copy, stream);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag;
  const rapidjson::ParseResult ok = reader.Parse<kFlags>(stream, builder);
  if (builder.refused()) {
    *error = *builder.refused();
    return std::nullopt;
  }
  if (!ok) {
    error->offset = ok.Offset();
    error->message = rapidjson::GetParseError_En(ok.Code());
    return std::nullopt;
  }
  return std::move(builder.root());
}

std::string_view KindName(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull: return "null";
    case JsonValue::Kind::kBool: return "a boolean";
    case JsonValue::Kind::kNumber: return "a number";
    case JsonValue::Kind::kString: return "a string";
    case JsonValue::Kind::kArray: return "an array";
    case JsonValue::Kind::kObject: return "an object";
  }
  return "a value";
}

TextPosition PositionOf(std::string_view text, std::size_t offset) {
  TextPosition pos;
  if (offset > text.size()) offset = text.size();
  for (std::size_t i = 0; i < offset; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // count code points, not continuation bytes
      ++pos.column;
    }
  }
  return pos;
}

}  // namespace tryghed::questionnaire::internal
