#include "questionnaire/builtin.h"

#include <string>

#include "questionnaire/internal/embedded.h"

namespace tryghed::questionnaire {

namespace {
constexpr std::string_view kSchema = "schema.json";
constexpr std::string_view kJson = ".json";
}  // namespace

std::string_view BuiltinQuestionnaireJson(std::string_view id) {
  if (id.empty() || id.find('.') != std::string_view::npos) return {};
  const std::string name = std::string(id) + std::string(kJson);
  if (name == kSchema) return {};
  return internal::EmbeddedText(name);
}

std::vector<std::string_view> BuiltinQuestionnaireIds() {
  std::vector<std::string_view> ids;
  for (std::string_view name : internal::EmbeddedTextNames()) {
    if (name != kSchema && name.ends_with(kJson)) ids.push_back(name.substr(0, name.size() - kJson.size()));
  }
  return ids;
}

}  // namespace tryghed::questionnaire
