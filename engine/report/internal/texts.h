#pragma once
// Internal to tryghed::report: the report's fixed texts in one language, from
// reports/da.txt or reports/en.txt (compiled into the program), and the
// embedded page template and stylesheet.
//
// A text file holds one `key = text` per line; `#` starts a comment line.
// Texts may contain {{placeholders}} filled with FillTemplate.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "report/format.h"

namespace tryghed::report::internal {

// The embedded file `name` ("page.html", "style.css", "da.txt", "en.txt"),
// or an empty view (generated from reports/ by cmake/TryghedEmbed.cmake).
std::string_view EmbeddedText(std::string_view name);
std::vector<std::string_view> EmbeddedTextNames();

// Parses `key = text` lines. InvalidArgument naming the line when a line has
// no " = " or a key repeats.
core::Result<std::map<std::string, std::string>> ParseTexts(std::string_view text, const std::string& source);

// The texts of `lang` from the embedded files.
core::Result<std::map<std::string, std::string>> LoadTexts(Language lang);

}  // namespace tryghed::report::internal
