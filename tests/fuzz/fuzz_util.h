#pragma once
// Small helpers shared by the fuzz targets of tests/fuzz.
#include <cstdlib>
#include <iostream>
#include <string>

namespace tryghed::fuzz {

// Stops the run with a message: libFuzzer then saves the input as a crash.
[[noreturn]] inline void Fail(const char* target, const std::string& what) {
  std::cerr << target << ": invariant broken: " << what << "\n";
  std::abort();
}

// `field` as one quoted CSV field (RFC 4180: "" for a quote).
inline std::string CsvQuote(const std::string& field) {
  std::string out = "\"";
  for (char c : field) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

}  // namespace tryghed::fuzz
