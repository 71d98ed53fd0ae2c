#include "questionnaire/builtin.h"

#include "questionnaire/internal/embedded.h"

namespace tryghed::questionnaire {

namespace {
constexpr std::string_view kSchema = "schema";
}  // namespace

std::string_view BuiltinQuestionnaireJson(std::string_view id) {
  if (id == kSchema) return {};
  return internal::EmbeddedFile(id);
}

std::vector<std::string_view> BuiltinQuestionnaireIds() {
  std::vector<std::string_view> ids;
  for (std::string_view name : internal::EmbeddedFileNames()) {
    if (name != kSchema) ids.push_back(name);
  }
  return ids;
}

}  // namespace tryghed::questionnaire
