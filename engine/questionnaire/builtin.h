#pragma once
// tryghed::questionnaire — the questionnaires shipped in questionnaires/,
// compiled into the program so `tryghed demo` and `tryghed serve` work from
// any folder. The JSON is embedded at build time (cmake/TryghedEmbed.cmake);
// load it with LoadQuestionnaire like any file.
#include <string_view>
#include <vector>

namespace tryghed::questionnaire {

// The JSON text of the built-in questionnaire with file id `id`
// ("tryghed-standard", "collective-efficacy"), or an empty view when there
// is none.
std::string_view BuiltinQuestionnaireJson(std::string_view id);

// The ids of the built-in questionnaires.
std::vector<std::string_view> BuiltinQuestionnaireIds();

}  // namespace tryghed::questionnaire
