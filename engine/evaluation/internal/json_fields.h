#pragma once
// Internal to tryghed::evaluation: the JSON conventions of the result model
// (docs/evaluation-result.md) for writers outside result.cpp: numbers with
// 17 significant digits (they round-trip), null for an empty optional or a
// non-finite number, keys as given. RapidJSON stays in .cpp files and here.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace tryghed::evaluation::internal {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

inline void JsonString(JsonWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

inline void JsonNumber(JsonWriter& w, std::optional<double> x) {
  if (!x || !std::isfinite(*x)) {
    w.Null();
    return;
  }
  char buffer[40];
  const int len = std::snprintf(buffer, sizeof buffer, "%.17g", *x);
  w.RawValue(buffer, static_cast<std::size_t>(len), rapidjson::kNumberType);
}

inline void JsonField(JsonWriter& w, const char* key, std::optional<double> x) {
  w.Key(key);
  JsonNumber(w, x);
}
inline void JsonField(JsonWriter& w, const char* key, const std::string& s) {
  w.Key(key);
  JsonString(w, s);
}
inline void JsonField(JsonWriter& w, const char* key, const char* s) { JsonField(w, key, std::string(s)); }
inline void JsonField(JsonWriter& w, const char* key, std::int64_t n) {
  w.Key(key);
  w.Int64(n);
}
inline void JsonField(JsonWriter& w, const char* key, bool b) {
  w.Key(key);
  w.Bool(b);
}
inline void JsonField(JsonWriter& w, const char* key, const std::vector<std::string>& v) {
  w.Key(key);
  w.StartArray();
  for (const std::string& s : v) JsonString(w, s);
  w.EndArray();
}

// Writes `value` with `write(w, value)` into a fresh buffer and returns the text.
template <typename T, typename F>
std::string JsonText(const T& value, F write) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  write(w, value);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace tryghed::evaluation::internal
