#include "report/internal/texts.h"

namespace tryghed::report::internal {

core::Result<std::map<std::string, std::string>> ParseTexts(std::string_view text, const std::string& source) {
  std::map<std::string, std::string> out;
  std::size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    pos = end + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t eq = line.find(" = ");
    if (eq == std::string_view::npos) {
      return core::InvalidArgument(source + ":" + std::to_string(line_no) + ": expected \"key = text\"");
    }
    std::string key(line.substr(0, eq));
    if (!out.emplace(key, std::string(line.substr(eq + 3))).second) {
      return core::InvalidArgument(source + ":" + std::to_string(line_no) + ": the key \"" + key + "\" repeats");
    }
  }
  return out;
}

core::Result<std::map<std::string, std::string>> LoadTexts(Language lang) {
  const char* name = lang == Language::kDanish ? "da.txt" : "en.txt";
  const std::string_view text = EmbeddedText(name);
  if (text.empty()) return core::Internal(std::string("the report texts ") + name + " are not compiled in");
  return ParseTexts(text, std::string("reports/") + name);
}

}  // namespace tryghed::report::internal
