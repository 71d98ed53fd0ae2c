#include "web/internal/form.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <sstream>

#include "core/utf8.h"
#include "questionnaire/scoring.h"

namespace tryghed::web::internal {

namespace {

using questionnaire::Item;
using questionnaire::ItemType;

void ReferencedItems(const questionnaire::Condition& c, std::set<std::string>& out) {
  if (!c.item.empty()) out.insert(c.item);
  for (const auto& child : c.children) ReferencedItems(child, out);
}

std::string Trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

std::vector<std::string> ValuesOf(const Fields& fields, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) {
    if (k == name) out.push_back(v);
  }
  return out;
}

core::Result<core::Code> ParseCode(const Item& item, const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("-0123456789") != std::string::npos) {
    return core::InvalidArgument("the value of " + item.id + " is not a code");
  }
  const core::Code code = std::strtoll(text.c_str(), nullptr, 10);
  if (item.FindOption(code) == nullptr) return core::InvalidArgument(text + " is not a code of " + item.id);
  return code;
}

// Escapes tab, newline and backslash so that a value fits one field of a draft line.
std::string EscapeField(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

std::string UnescapeField(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

// The length of the longest prefix of UTF-8 `s` of at most `max` bytes that
// does not cut a character in two.
std::size_t Utf8Prefix(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s.size();
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

std::vector<std::string> Split(const std::string& line, char sep) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    const std::size_t next = line.find(sep, pos);
    out.push_back(line.substr(pos, next == std::string::npos ? std::string::npos : next - pos));
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return out;
}

}  // namespace

Survey MakeSurvey(store::Id questionnaire_version_id, questionnaire::Questionnaire q) {
  Survey s;
  s.questionnaire_version_id = questionnaire_version_id;
  s.q = std::move(q);
  int fields = 16;  // csrf, form, page, action, lang, goto, ...
  for (std::size_t si = 0; si < s.q.sections.size(); ++si) {
    const auto& items = s.q.sections[si].items;
    Page page{si, 0, 0};
    std::set<std::string> on_page;
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::set<std::string> refs;
      if (items[i].show_if) ReferencedItems(*items[i].show_if, refs);
      const bool depends_on_page =
          std::any_of(refs.begin(), refs.end(), [&](const std::string& r) { return on_page.count(r) > 0; });
      if (depends_on_page && i > page.first) {
        page.last = i;
        s.pages.push_back(page);
        page = Page{si, i, i};
        on_page.clear();
      }
      on_page.insert(items[i].id);
      fields += std::max<int>(1, static_cast<int>(items[i].options.size()));
    }
    page.last = items.size();
    if (page.last > page.first) s.pages.push_back(page);
  }
  s.field_limit = fields;
  return s;
}

bool PageAsked(const Survey& survey, std::size_t index, const core::Answers& answers) {
  const Page& p = survey.pages.at(index);
  const auto& items = survey.q.sections[p.section].items;
  for (std::size_t i = p.first; i < p.last; ++i) {
    if (questionnaire::IsAsked(survey.q, items[i], answers)) return true;
  }
  return false;
}

int NextPage(const Survey& survey, const core::Answers& answers, int page) {
  const int n = static_cast<int>(survey.pages.size());
  for (int i = std::max(page + 1, 0); i < n; ++i) {
    if (PageAsked(survey, static_cast<std::size_t>(i), answers)) return i;
  }
  return n;
}

int PreviousPage(const Survey& survey, const core::Answers& answers, int page) {
  for (int i = std::min(page, static_cast<int>(survey.pages.size())) - 1; i >= 0; --i) {
    if (PageAsked(survey, static_cast<std::size_t>(i), answers)) return i;
  }
  return page;
}

int FirstPage(const Survey& survey, const core::Answers& answers) { return NextPage(survey, answers, -1); }

std::optional<double> ParseNumber(const std::string& text) {
  std::string t = Trim(text);
  if (t.empty() || t.size() > 32) return std::nullopt;
  std::replace(t.begin(), t.end(), ',', '.');
  if (t.find_first_not_of("+-.0123456789") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (end != t.c_str() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

core::Result<Fields> ParseFormBody(const std::string& uri, const std::string& content_type, const std::string& body,
                                   int limit) {
  if (content_type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    return core::InvalidArgument("a form must be sent as application/x-www-form-urlencoded");
  }
  Fields fields;
  try {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri);
    request.setContentType(content_type);
    Poco::Net::HTMLForm form;
    form.setFieldLimit(limit);
    std::istringstream in(body);
    form.load(request, in);
    for (const auto& [k, v] : form) fields.emplace_back(k, v);
  } catch (const Poco::Exception&) {
    return core::InvalidArgument("the form could not be read");
  }
  return fields;
}

core::Status ApplyPage(const Survey& survey, std::size_t index, const Fields& fields, FormState& form) {
  if (index >= survey.pages.size()) return core::InvalidArgument("no page " + std::to_string(index));
  const Page& p = survey.pages[index];
  const auto& items = survey.q.sections[p.section].items;
  // Check everything first, so a malformed post changes nothing.
  core::Answers answers = form.answers;
  std::map<std::string, std::string> raw = form.raw, errors = form.errors;
  for (std::size_t i = p.first; i < p.last; ++i) {
    const Item& item = items[i];
    raw.erase(item.id);
    errors.erase(item.id);
    std::vector<std::string> values = ValuesOf(fields, item.id);
    for (const std::string& v : values) {
      // A browser sends UTF-8; anything else would reach the store and every export.
      if (!core::IsValidUtf8(v)) return core::InvalidArgument("the value of " + item.id + " is not UTF-8 text");
    }
    if (!questionnaire::IsAsked(survey.q, item, answers)) {
      answers.erase(item.id);
      continue;
    }
    if (questionnaire::IsSingleCoded(item.type)) {
      if (values.size() > 1) return core::InvalidArgument(item.id + " takes one answer");
      if (values.empty() || values[0].empty()) {
        answers.erase(item.id);
        continue;
      }
      core::Result<core::Code> code = ParseCode(item, values[0]);
      if (!code.ok()) return code.status();
      answers[item.id] = *code;
    } else if (questionnaire::IsMultiCoded(item.type)) {
      core::Codes codes;
      for (const std::string& v : values) {
        if (v.empty()) continue;
        core::Result<core::Code> code = ParseCode(item, v);
        if (!code.ok()) return code.status();
        codes.push_back(*code);
      }
      std::sort(codes.begin(), codes.end());
      codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
      if (codes.empty()) answers.erase(item.id);
      else answers[item.id] = codes;
    } else {
      if (values.size() > 1) return core::InvalidArgument(item.id + " takes one answer");
      const std::string text = values.empty() ? std::string() : values[0];
      if (Trim(text).empty()) {
        answers.erase(item.id);
        continue;
      }
      if (item.type == ItemType::kNumber) {
        std::optional<double> v = ParseNumber(text);
        const char* error = nullptr;
        if (!v) error = "number_invalid";
        else if (item.integer && std::floor(*v) != *v) error = "number_whole";
        else if (*v < item.min || *v > item.max) error = "number_range";
        if (error != nullptr) {
          answers.erase(item.id);
          raw[item.id] = text.substr(0, Utf8Prefix(text, 64));
          errors[item.id] = error;
        } else {
          answers[item.id] = *v;
        }
      } else {
        if (text.size() > 8 * static_cast<std::size_t>(item.max_length) + 64) {
          return core::InvalidArgument(item.id + " is far longer than its limit");
        }
        if (CodePoints(text) > static_cast<std::size_t>(item.max_length)) {
          answers.erase(item.id);
          raw[item.id] = text;
          errors[item.id] = "text_long";
        } else {
          answers[item.id] = text;
        }
      }
    }
  }
  PruneAnswers(survey.q, answers);
  form.answers = std::move(answers);
  form.raw = std::move(raw);
  form.errors = std::move(errors);
  return core::Status::Ok();
}

void PruneAnswers(const questionnaire::Questionnaire& q, core::Answers& answers) {
  for (const auto& section : q.sections) {
    for (const Item& item : section.items) {
      if (answers.count(item.id) > 0 && !questionnaire::IsAsked(q, item, answers)) answers.erase(item.id);
    }
  }
}

bool IsComplete(const questionnaire::Questionnaire& q, const core::Answers& answers) {
  int asked = 0, answered = 0;
  for (const auto& section : q.sections) {
    for (const Item& item : section.items) {
      if (!questionnaire::IsAsked(q, item, answers)) continue;
      ++asked;
      if (answers.count(item.id) > 0) ++answered;
    }
  }
  return asked > 0 && 2 * answered >= asked;
}

std::string EncodeDraft(const FormState& form) {
  std::ostringstream out;
  out << "tryghed-draft/1\n";
  out << "lang\t" << EscapeField(form.language) << "\n";
  out << "page\t" << form.page << "\n";
  for (const auto& [item, value] : form.answers) {
    if (const auto* code = std::get_if<core::Code>(&value)) {
      out << "c\t" << EscapeField(item) << "\t" << *code << "\n";
    } else if (const auto* codes = std::get_if<core::Codes>(&value)) {
      out << "m\t" << EscapeField(item) << "\t";
      for (std::size_t i = 0; i < codes->size(); ++i) out << (i > 0 ? "," : "") << (*codes)[i];
      out << "\n";
    } else if (const auto* number = std::get_if<double>(&value)) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", *number);
      out << "n\t" << EscapeField(item) << "\t" << buf << "\n";
    } else {
      out << "t\t" << EscapeField(item) << "\t" << EscapeField(std::get<std::string>(value)) << "\n";
    }
  }
  return out.str();
}

core::Status DecodeDraft(const std::string& text, FormState& form) {
  std::vector<std::string> lines = Split(text, '\n');
  if (lines.empty() || lines[0] != "tryghed-draft/1") return core::InvalidInput("not a form draft");
  core::Answers answers;
  std::string language = form.language;
  int page = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    std::vector<std::string> f = Split(lines[i], '\t');
    if (f[0] == "lang" && f.size() == 2) {
      language = UnescapeField(f[1]);
    } else if (f[0] == "page" && f.size() == 2) {
      page = std::atoi(f[1].c_str());
    } else if (f.size() == 3) {
      const std::string item = UnescapeField(f[1]);
      if (f[0] == "c") {
        answers[item] = core::Code{std::strtoll(f[2].c_str(), nullptr, 10)};
      } else if (f[0] == "m") {
        core::Codes codes;
        for (const std::string& c : Split(f[2], ',')) {
          if (!c.empty()) codes.push_back(std::strtoll(c.c_str(), nullptr, 10));
        }
        answers[item] = codes;
      } else if (f[0] == "n") {
        answers[item] = std::strtod(f[2].c_str(), nullptr);
      } else if (f[0] == "t") {
        answers[item] = UnescapeField(f[2]);
      } else {
        return core::InvalidInput("form draft line " + std::to_string(i + 1) + " is not understood");
      }
    } else {
      return core::InvalidInput("form draft line " + std::to_string(i + 1) + " is not understood");
    }
  }
  if (form.survey != nullptr) {
    // Keep only what the survey accepts (a draft is data from the database,
    // not trusted blindly), judged with all the answers, since show_if makes
    // an item asked or not: drop what is not asked, then every refused answer,
    // until nothing is refused (each round drops at least one answer).
    PruneAnswers(form.survey->q, answers);
    for (auto problems = questionnaire::CheckAnswers(form.survey->q, answers); !problems.empty();
         problems = questionnaire::CheckAnswers(form.survey->q, answers)) {
      for (const auto& problem : problems) answers.erase(problem.item);
      PruneAnswers(form.survey->q, answers);
    }
    const int n = static_cast<int>(form.survey->pages.size());
    page = std::clamp(page, 0, n);
    const auto& languages = form.survey->q.languages;
    if (std::find(languages.begin(), languages.end(), language) == languages.end()) language = form.language;
  }
  form.answers = std::move(answers);
  form.language = language;
  form.page = page;
  return core::Status::Ok();
}

}  // namespace tryghed::web::internal
