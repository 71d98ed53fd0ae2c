#pragma once
// tryghed::questionnaire (internal) — the files of questionnaires/ compiled
// into the program by cmake/TryghedEmbed.cmake: schema.json and the shipped
// questionnaires, by file name (e.g. "schema.json").
#include <string_view>
#include <vector>

namespace tryghed::questionnaire::internal {

// The text of questionnaires/<name> at build time, or an empty view.
std::string_view EmbeddedText(std::string_view name);

// The names of every embedded file.
std::vector<std::string_view> EmbeddedTextNames();

}  // namespace tryghed::questionnaire::internal
