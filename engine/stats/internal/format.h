#pragma once
// Internal to tryghed::stats: numbers in error messages, with enough digits
// to find the value in the input ("%.10g": 1234.5, 0.1, 1e-12).
#include <cstdio>
#include <string>

namespace tryghed::stats::internal {

inline std::string FormatNumber(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

}  // namespace tryghed::stats::internal
