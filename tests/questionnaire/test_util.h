#pragma once
// Helpers shared by the questionnaire tests: the mini fixture and textual edits.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/file.h"

namespace tryghed::questionnaire::testing {

// tests/data/questionnaire/<name>.
inline std::string Fixture(const std::string& name) {
  core::Result<std::string> text = core::ReadFile(std::string(TRYGHED_TEST_DATA) + "/questionnaire/" + name);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : std::string();
}

// The mini questionnaire (18 items, 4 sub-indices) that the rule tests edit.
inline std::string Mini() { return Fixture("mini.json"); }

// `text` with the single occurrence of `from` replaced by `to`; fails the test
// when `from` does not occur exactly once (the edit would be ambiguous).
inline std::string Replace(std::string text, std::string_view from, std::string_view to) {
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "not found: " << from;
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "ambiguous: " << from;
  text.replace(at, from.size(), to);
  return text;
}

}  // namespace tryghed::questionnaire::testing
