#include "report/html.h"

#include <cstdio>

namespace tryghed::report {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  AppendEscapedHtml(out, text);
  return out;
}

void AppendEscapedHtml(std::string& out, std::string_view text) {
  // Runs of plain characters are copied at once; only the five specials are replaced.
  std::size_t plain = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::string_view reference;
    switch (text[i]) {
      case '&': reference = "&amp;"; break;
      case '<': reference = "&lt;"; break;
      case '>': reference = "&gt;"; break;
      case '"': reference = "&quot;"; break;
      case '\'': reference = "&#39;"; break;
      default: continue;
    }
    out.append(text.substr(plain, i - plain)).append(reference);
    plain = i + 1;
  }
  out.append(text.substr(plain));
}

std::string EscapeCssString(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\\' || c == '"' || c == '<' || c == '>' || c == '&' || u < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\%x ", static_cast<unsigned>(u));
      out += buffer;
    } else {
      out += c;
    }
  }
  return out;
}

core::Result<std::string> FillTemplate(std::string_view templ,
                                       const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(templ.size());
  std::size_t pos = 0;
  while (pos < templ.size()) {
    const std::size_t open = templ.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(templ.substr(pos));
      break;
    }
    out.append(templ.substr(pos, open - pos));
    const std::size_t close = templ.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return core::InvalidArgument("template: \"{{\" at offset " + std::to_string(open) + " is not closed");
    }
    const std::string name(templ.substr(open + 2, close - open - 2));
    const auto it = values.find(name);
    if (it == values.end()) {
      return core::InvalidArgument("template: no value for the placeholder {{" + name + "}}");
    }
    out += it->second;
    pos = close + 2;
  }
  return out;
}

}  // namespace tryghed::report
