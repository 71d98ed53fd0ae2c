#pragma once
// tryghed::report — HTML escaping and a tiny template substitution, the two
// things every report page is made of.
//
// Every text that comes from data (area and wave names, labels, notes) goes
// through EscapeHtml before it is placed in the page; templates
// (reports/page.html, the sentences in reports/da.txt and en.txt) hold
// placeholders written {{name}} that FillTemplate replaces with values the
// caller has already escaped (or built from escaped parts).
//
// Example:
//
//   std::string area = EscapeHtml("<script>");         // "&lt;script&gt;"
//   core::Result<std::string> s = FillTemplate("<h1>{{title}}</h1>", {{"title", area}});
//   // *s == "<h1>&lt;script&gt;</h1>"
//
// Pure functions; safe from any thread.
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tryghed::report {

// `text` with &, <, >, " and ' replaced by character references, so it can
// stand in element content and in quoted attribute values.
std::string EscapeHtml(std::string_view text);
// EscapeHtml(text) appended to `out`, for pages built in one buffer.
void AppendEscapedHtml(std::string& out, std::string_view text);

// `text` as the content of a CSS string literal in double quotes (for
// `content: "..."` in @page rules): backslash, quote, newline and < written
// as CSS escapes, so nothing can close the string or the <style> element.
std::string EscapeCssString(std::string_view text);

// `templ` with every {{name}} replaced by values.at(name), inserted as is (no
// escaping here). InvalidArgument naming the placeholder when a name has no
// value or a "{{" is not closed. Values are not searched for placeholders.
core::Result<std::string> FillTemplate(std::string_view templ,
                                       const std::map<std::string, std::string>& values);

}  // namespace tryghed::report
