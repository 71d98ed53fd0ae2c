#include "questionnaire/loader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <span>
#include <map>
#include <set>
#include <utility>

#include "core/file.h"
#include "core/json_string.h"
#include "core/sha256.h"
#include "questionnaire/internal/canonical_writer.h"
#include "questionnaire/internal/json_tree.h"
#include "questionnaire/internal/schema.h"

namespace tryghed::questionnaire {

std::string Problem::ToString() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + path + ": " + message;
}

namespace {

using internal::JsonMember;
using internal::JsonValue;
using Kind = JsonValue::Kind;
using Keys = std::span<const std::string_view>;

constexpr std::string_view kTopKeys[] = {"format", "id", "version", "title", "languages", "default_language",
                           "rtl_languages", "scales", "sections", "indices", "background"};
constexpr std::string_view kTopRequired[] = {"format", "id", "version", "title", "languages", "default_language", "sections"};
constexpr std::string_view kScaleKeys[] = {"options"};
constexpr std::string_view kOptionKeys[] = {"code", "label", "missing"};
constexpr std::string_view kOptionRequired[] = {"code", "label"};
constexpr std::string_view kSectionKeys[] = {"id", "title", "intro", "items"};
constexpr std::string_view kSectionRequired[] = {"id", "title", "items"};
constexpr std::string_view kItemKeys[] = {"id", "type", "text", "help", "show_if", "scale", "options", "min",
                            "max", "integer", "unit", "max_length", "sensitive"};
constexpr std::string_view kItemRequired[] = {"id", "type", "text"};
constexpr std::string_view kConditionKeys[] = {"item", "equals", "in", "any_of", "all", "any", "not"};
constexpr std::string_view kIndicesKeys[] = {"subindices", "overall", "shares", "prevalences"};
constexpr std::string_view kSubIndexKeys[] = {"id", "label", "min_share", "items"};
constexpr std::string_view kSubIndexRequired[] = {"id", "label", "items"};
constexpr std::string_view kSubIndexItemKeys[] = {"item", "higher_is", "min", "max"};
constexpr std::string_view kSubIndexItemRequired[] = {"item", "higher_is"};
constexpr std::string_view kOverallKeys[] = {"id", "label", "min_subindices", "weights"};
constexpr std::string_view kOverallRequired[] = {"id", "label", "weights"};
constexpr std::string_view kShareKeys[] = {"id", "label", "item", "items", "codes", "min_count"};
constexpr std::string_view kShareRequired[] = {"id", "label", "codes"};
constexpr std::string_view kPrevalenceKeys[] = {"id", "label", "items", "codes"};
constexpr std::string_view kPrevalenceRequired[] = {"id", "label", "items", "codes"};
constexpr std::string_view kBackgroundKeys[] = {"age_band", "sex", "years_in_area", "block"};
constexpr std::string_view kItemTypes[] = {"single", "yesno", "multiple", "number", "text", "place"};
constexpr std::string_view kDefaultRtl[] = {"ar", "fa", "he", "ur", "ps", "ckb"};

// Built-in yes/no labels for yesno items without options.
const std::map<std::string, std::pair<std::string, std::string>>& BuiltinYesNo() {
  static const auto* labels = new std::map<std::string, std::pair<std::string, std::string>>{
      {"da", {"Ja", "Nej"}},        {"en", {"Yes", "No"}},      {"ar", {"نعم", "لا"}},
      {"de", {"Ja", "Nein"}},       {"sv", {"Ja", "Nej"}},      {"nb", {"Ja", "Nei"}},
      {"tr", {"Evet", "Hayır"}},    {"so", {"Haa", "Maya"}},    {"ur", {"ہاں", "نہیں"}},
      {"fa", {"بله", "خیر"}},       {"pl", {"Tak", "Nie"}},     {"uk", {"Так", "Ні"}},
  };
  return *labels;
}

std::string Q(std::string_view s) { return core::QuoteJson(s); }

bool Contains(Keys keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::string JoinQuoted(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += Q(names[i]);
  }
  return out;
}

std::string JoinQuoted(Keys keys) { return JoinQuoted(std::vector<std::string>(keys.begin(), keys.end())); }

std::string JoinCodes(const std::vector<core::Code>& codes) {
  std::string out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(codes[i]);
  }
  return out;
}

std::string CodesOf(const Item& item) {
  std::vector<core::Code> codes;
  for (const Option& o : item.options) codes.push_back(o.code);
  return JoinCodes(codes);
}

// Optimal string alignment distance (insert, delete, substitute, swap two
// neighbours), case-insensitive.
std::size_t EditDistance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The candidate nearest to `word` when it is close enough to be a likely typo.
std::optional<std::string> Nearest(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& c : candidates) {
    const std::size_t d = EditDistance(word, c);
    if (!best || d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
  if (best && best_distance <= limit) return best;
  return std::nullopt;
}

bool IsItemId(std::string_view s) {
  if (s.empty() || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool IsQuestionnaireId(std::string_view s) {
  auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (s.empty() || !ok(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return ok(c) || c == '-'; });
}

// A pragmatic BCP 47 check: a 2–3 letter lower-case language, then subtags.
bool IsLanguageTag(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
  if (i < 2 || i > 3) return false;
  while (i < s.size()) {
    if (s[i] != '-') return false;
    std::size_t j = ++i;
    while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
    if (j - i < 1 || j - i > 8) return false;
    i = j;
  }
  return true;
}

std::string Child(const std::string& path, std::string_view key) {
  if (IsItemId(key)) return path + "." + std::string(key);
  return path + "[" + Q(key) + "]";
}

std::string Index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::string Describe(const JsonValue& v) {
  switch (v.kind) {
    case Kind::kString: return "the string " + Q(v.text);
    case Kind::kNumber: return "the number " + v.text;
    case Kind::kBool: return v.boolean ? "true" : "false";
    default: return std::string(internal::KindName(v.kind));
  }
}

// Where an item id is declared, for show_if order and duplicate checks.
struct IdInfo {
  int ordinal = -1;  // position among items; -1 for a section
  std::size_t offset = 0;
};

// A show_if kept for the second pass, after all items are known.
struct PendingCondition {
  const JsonValue* value;
  std::string path;
  std::size_t section;
  std::size_t item;
};

class Checker {
 public:
  Checker(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  LoadOutcome Run() {
    LoadOutcome out;
    internal::JsonSyntaxError error;
    std::optional<JsonValue> root = internal::ParseJsonTree(text_, &error);
    if (!root) {
      Report(error.offset, "$", "invalid JSON: " + error.message);
    } else {
      CheckTop(*root);
      if (problems_.empty()) CheckSchema(*root);
    }
    std::stable_sort(problems_.begin(), problems_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [offset, problem] : problems_) out.problems.push_back(std::move(problem));
    if (out.problems.empty()) {
      std::string canonical;
      internal::WriteCanonical(*root, &canonical);
      q_.content_hash = core::Sha256Hex(canonical);
      out.questionnaire = std::move(q_);
    }
    return out;
  }

 private:
  // The safety net: the loader's rules include the schema's, so this only
  // fires when the two have drifted apart.
  void CheckSchema(const JsonValue& root) {
    std::optional<internal::SchemaViolation> v = internal::CheckAgainstSchema(text_);
    if (!v) return;
    // Walk the JSON Pointer ("/sections/0/items/2") to locate the value.
    const JsonValue* at = &root;
    std::string path = "$";
    std::size_t pos = 0;
    const std::string& p = v->pointer;
    while (pos < p.size() && p[pos] == '/') {
      std::size_t end = p.find('/', pos + 1);
      if (end == std::string::npos) end = p.size();
      std::string token = p.substr(pos + 1, end - pos - 1);
      for (std::size_t i = 0; (i = token.find("~1", i)) != std::string::npos;) token.replace(i, 2, "/");
      for (std::size_t i = 0; (i = token.find("~0", i)) != std::string::npos;) token.replace(i, 2, "~");
      pos = end;
      if (at->kind == Kind::kArray) {
        const std::size_t index = static_cast<std::size_t>(std::strtoull(token.c_str(), nullptr, 10));
        if (index >= at->elements.size()) break;
        at = &at->elements[index];
        path = Index(path, index);
      } else if (const JsonValue* child = at->Find(token)) {
        at = child;
        path = Child(path, token);
      } else {
        break;
      }
    }
    Report(at->offset, path,
           "questionnaires/schema.json rejects this value (keyword \"" + v->keyword +
               "\"); see docs/questionnaire-format.md for what is allowed here");
  }

  // --- reporting -----------------------------------------------------------

  void Report(std::size_t offset, const std::string& path, std::string message) {
    const internal::TextPosition pos = internal::PositionOf(text_, offset);
    problems_.emplace_back(offset, Problem{file_, pos.line, pos.column, path, std::move(message)});
  }

  int LineOf(std::size_t offset) const { return internal::PositionOf(text_, offset).line; }

  void WrongType(const JsonValue& v, const std::string& path, std::string_view expected) {
    Report(v.offset, path, "expected " + std::string(expected) + ", found " + Describe(v));
  }

  // Checks that `v` is an object with only `allowed` keys, each at most once,
  // and all `required` keys. `what` names the object in messages ("an item").
  bool CheckObject(const JsonValue& v, const std::string& path, std::string_view what, Keys allowed,
                   Keys required) {
    if (v.kind != Kind::kObject) {
      WrongType(v, path, std::string(what) + " (a JSON object)");
      return false;
    }
    std::set<std::string> seen;
    for (const JsonMember& m : v.members) {
      if (!seen.insert(m.key).second) {
        Report(m.key_offset, Child(path, m.key),
               "duplicate key " + Q(m.key) + "; each key may appear only once in an object");
        continue;
      }
      if (!Contains(allowed, m.key)) {
        std::optional<std::string> near =
            Nearest(m.key, std::vector<std::string>(allowed.begin(), allowed.end()));
        Report(m.key_offset, Child(path, m.key),
               "unknown key " + Q(m.key) + " in " + std::string(what) + "; " +
                   (near ? "did you mean " + Q(*near) + "?" : "the keys allowed here are " + JoinQuoted(allowed)));
      }
    }
    for (std::string_view key : required) {
      if (!v.Find(key)) {
        Report(v.offset, path,
               "missing required key " + Q(key) + "; " + std::string(what) + " needs " + JoinQuoted(required));
      }
    }
    return true;
  }

  // --- typed values --------------------------------------------------------

  std::optional<std::string> GetString(const JsonValue* v, const std::string& path) {
    if (!v) return std::nullopt;
    if (v->kind != Kind::kString) {
      WrongType(*v, path, "a string");
      return std::nullopt;
    }
    return v->text;
  }

  std::optional<std::int64_t> GetInt(const JsonValue* v, const std::string& path) {
    if (!v) return std::nullopt;
    if (v->kind != Kind::kNumber || !v->is_integer) {
      WrongType(*v, path, "an integer");
      return std::nullopt;
    }
    return v->integer;
  }

  std::optional<double> GetNumber(const JsonValue* v, const std::string& path) {
    if (!v) return std::nullopt;
    if (v->kind != Kind::kNumber || !std::isfinite(v->number)) {
      WrongType(*v, path, "a number");
      return std::nullopt;
    }
    return v->number;
  }

  std::optional<bool> GetBool(const JsonValue* v, const std::string& path) {
    if (!v) return std::nullopt;
    if (v->kind != Kind::kBool) {
      WrongType(*v, path, "true or false");
      return std::nullopt;
    }
    return v->boolean;
  }

  // An id of a section, item or index: [A-Za-z][A-Za-z0-9_]*.
  std::optional<std::string> GetId(const JsonValue* v, const std::string& path) {
    std::optional<std::string> id = GetString(v, path);
    if (id && !IsItemId(*id)) {
      Report(v->offset, path,
             Q(*id) + " is not a valid id; an id starts with a letter and has only letters, digits and _");
      return std::nullopt;
    }
    return id;
  }

  // A text: one non-empty string per declared language.
  std::optional<Text> GetText(const JsonValue* v, const std::string& path) {
    if (!v) return std::nullopt;
    if (v->kind != Kind::kObject) {
      WrongType(*v, path, "a text object with one string per language, such as {\"da\": \"...\"}");
      return std::nullopt;
    }
    Text text;
    bool ok = true;
    for (const JsonMember& m : v->members) {
      const std::string p = Child(path, m.key);
      if (languages_known_ && !declared_.count(m.key)) {
        Report(m.key_offset, p,
               Q(m.key) + " is not a declared language; the declared languages are " + JoinQuoted(languages_) +
                   " (add it to \"languages\" or remove this text)");
        ok = false;
        continue;
      }
      if (text.count(m.key)) {
        Report(m.key_offset, p, "duplicate key " + Q(m.key) + "; give each language once");
        ok = false;
        continue;
      }
      if (m.value.kind != Kind::kString) {
        WrongType(m.value, p, "a string");
        ok = false;
        continue;
      }
      if (m.value.text.find_first_not_of(" \t\r\n") == std::string::npos) {
        Report(m.value.offset, p, "the " + Q(m.key) + " text is empty; write the text in this language");
        ok = false;
        continue;
      }
      text[m.key] = m.value.text;
    }
    if (languages_known_) {
      for (const std::string& lang : languages_) {
        if (!v->Find(lang)) {
          Report(v->offset, path,
                 "no " + Q(lang) + " text; every text needs a non-empty string in each declared language (" +
                     JoinQuoted(languages_) + ")");
          ok = false;
        }
      }
    }
    if (!ok) return std::nullopt;
    return text;
  }

  // A non-empty array of integer codes.
  std::optional<std::vector<core::Code>> GetCodes(const JsonValue* v, const std::string& path) {
    if (!v) return std::nullopt;
    if (v->kind != Kind::kArray) {
      WrongType(*v, path, "an array of integer codes");
      return std::nullopt;
    }
    if (v->elements.empty()) {
      Report(v->offset, path, "the list of codes is empty; name at least one code");
      return std::nullopt;
    }
    std::vector<core::Code> codes;
    bool ok = true;
    for (std::size_t i = 0; i < v->elements.size(); ++i) {
      std::optional<std::int64_t> c = GetInt(&v->elements[i], Index(path, i));
      if (c) codes.push_back(*c); else ok = false;
    }
    if (!ok) return std::nullopt;
    return codes;
  }

  // A non-empty array of item ids that all exist and satisfy `accept`.
  std::optional<std::vector<std::string>> GetItemList(const JsonValue* v, const std::string& path) {
    if (!v) return std::nullopt;
    if (v->kind != Kind::kArray || v->elements.empty()) {
      if (v->kind == Kind::kArray) Report(v->offset, path, "the list of items is empty; name at least one item");
      else WrongType(*v, path, "an array of item ids");
      return std::nullopt;
    }
    std::vector<std::string> items;
    bool ok = true;
    for (std::size_t i = 0; i < v->elements.size(); ++i) {
      const Item* item = GetItemRef(&v->elements[i], Index(path, i));
      if (item) items.push_back(item->id); else ok = false;
    }
    if (!ok) return std::nullopt;
    return items;
  }

  // A string naming an existing item.
  const Item* GetItemRef(const JsonValue* v, const std::string& path) {
    std::optional<std::string> id = GetString(v, path);
    if (!id) return nullptr;
    const Item* item = q_.FindItem(*id);
    if (!item) UnknownItem(*v, path, *id, "");
    return item;
  }

  void UnknownItem(const JsonValue& v, const std::string& path, const std::string& id, const std::string& tail) {
    std::optional<std::string> near = Nearest(id, item_ids_);
    Report(v.offset, path,
           Q(id) + " is not an item of this questionnaire" + (near ? "; did you mean " + Q(*near) + "?" : "") + tail);
  }

  // --- the document --------------------------------------------------------

  void CheckTop(const JsonValue& root) {
    const std::string path = "$";
    if (!CheckObject(root, path, "the questionnaire", kTopKeys, kTopRequired)) return;

    if (const JsonValue* v = root.Find("format")) {
      std::optional<std::string> f = GetString(v, "$.format");
      if (f && *f != kFormat) {
        Report(v->offset, "$.format",
               Q(*f) + " is not a format this program reads; write " + Q(kFormat));
      }
      if (f) q_.format = *f;
    }
    if (const JsonValue* v = root.Find("id")) {
      std::optional<std::string> id = GetString(v, "$.id");
      if (id && !IsQuestionnaireId(*id)) {
        Report(v->offset, "$.id",
               Q(*id) + " is not a valid questionnaire id; use lower-case letters, digits and -, "
                        "starting with a letter or digit (e.g. \"tryghed-standard\")");
      } else if (id) {
        q_.id = *id;
      }
    }
    if (const JsonValue* v = root.Find("version")) {
      std::optional<std::string> version = GetString(v, "$.version");
      if (version && version->empty()) Report(v->offset, "$.version", "the version label is empty; write e.g. \"2026.1\"");
      if (version) q_.version = *version;
    }
    CheckLanguages(root);
    if (const JsonValue* v = root.Find("title")) {
      if (auto t = GetText(v, "$.title")) q_.title = *t;
    }
    if (const JsonValue* v = root.Find("scales")) CheckScales(*v);
    if (const JsonValue* v = root.Find("sections")) CheckSections(*v);
    if (const JsonValue* v = root.Find("indices")) CheckIndices(*v);
    if (const JsonValue* v = root.Find("background")) CheckBackground(*v);
  }

  void CheckLanguages(const JsonValue& root) {
    const JsonValue* v = root.Find("languages");
    if (v) {
      const std::string path = "$.languages";
      if (v->kind != Kind::kArray) {
        WrongType(*v, path, "an array of language codes such as [\"da\", \"en\"]");
      } else if (v->elements.empty()) {
        Report(v->offset, path, "no languages; declare at least one, e.g. [\"da\"]");
      } else {
        bool ok = true;
        for (std::size_t i = 0; i < v->elements.size(); ++i) {
          const JsonValue& e = v->elements[i];
          std::optional<std::string> lang = GetString(&e, Index(path, i));
          if (!lang) { ok = false; continue; }
          if (!IsLanguageTag(*lang)) {
            Report(e.offset, Index(path, i),
                   Q(*lang) + " is not a BCP 47 language code; write e.g. \"da\", \"en\" or \"ar\"");
            ok = false;
          } else if (declared_.count(*lang)) {
            Report(e.offset, Index(path, i), "duplicate language " + Q(*lang) + "; declare each language once");
          } else {
            declared_.insert(*lang);
            languages_.push_back(*lang);
          }
        }
        languages_known_ = ok;
        q_.languages = languages_;
      }
    }
    if (const JsonValue* d = root.Find("default_language")) {
      std::optional<std::string> lang = GetString(d, "$.default_language");
      if (lang && languages_known_ && !declared_.count(*lang)) {
        Report(d->offset, "$.default_language",
               Q(*lang) + " is not one of the declared languages; use one of " + JoinQuoted(languages_));
      } else if (lang) {
        q_.default_language = *lang;
      }
    }
    if (const JsonValue* r = root.Find("rtl_languages")) {
      const std::string path = "$.rtl_languages";
      if (r->kind != Kind::kArray) {
        WrongType(*r, path, "an array of declared language codes");
      } else {
        for (std::size_t i = 0; i < r->elements.size(); ++i) {
          std::optional<std::string> lang = GetString(&r->elements[i], Index(path, i));
          if (!lang) continue;
          if (languages_known_ && !declared_.count(*lang)) {
            Report(r->elements[i].offset, Index(path, i),
                   Q(*lang) + " is not one of the declared languages " + JoinQuoted(languages_));
          } else {
            q_.rtl_languages.push_back(*lang);
          }
        }
      }
    } else {
      for (const std::string& lang : languages_) {
        const std::string primary = lang.substr(0, lang.find('-'));
        if (Contains(kDefaultRtl, primary)) q_.rtl_languages.push_back(lang);
      }
    }
  }

  // An option list; duplicate codes are reported.
  std::optional<std::vector<Option>> CheckOptions(const JsonValue& v, const std::string& path) {
    if (v.kind != Kind::kArray) {
      WrongType(v, path, "an array of options such as [{\"code\": 1, \"label\": {...}}]");
      return std::nullopt;
    }
    if (v.elements.empty()) {
      Report(v.offset, path, "the option list is empty; give at least one option");
      return std::nullopt;
    }
    std::vector<Option> options;
    std::map<core::Code, std::size_t> first_offset;
    bool ok = true;
    for (std::size_t i = 0; i < v.elements.size(); ++i) {
      const JsonValue& e = v.elements[i];
      const std::string p = Index(path, i);
      if (!CheckObject(e, p, "an option", kOptionKeys, kOptionRequired)) { ok = false; continue; }
      Option o;
      std::optional<std::int64_t> code = GetInt(e.Find("code"), p + ".code");
      std::optional<Text> label = GetText(e.Find("label"), p + ".label");
      std::optional<bool> missing = GetBool(e.Find("missing"), p + ".missing");
      if (!code || !label || (e.Find("missing") && !missing)) { ok = false; continue; }
      auto [it, inserted] = first_offset.emplace(*code, e.Find("code")->offset);
      if (!inserted) {
        Report(e.Find("code")->offset, p + ".code",
               "duplicate code " + std::to_string(*code) + "; each code may appear only once in an item (first at line " +
                   std::to_string(LineOf(it->second)) + ")");
        ok = false;
        continue;
      }
      o.code = *code;
      o.label = *label;
      o.missing = missing.value_or(false);
      options.push_back(std::move(o));
    }
    if (!ok) return std::nullopt;
    return options;
  }

  void CheckScales(const JsonValue& v) {
    if (v.kind != Kind::kObject) {
      WrongType(v, "$.scales", "an object of named scales such as {\"agree5\": {\"options\": [...]}}");
      return;
    }
    std::set<std::string> seen;
    for (const JsonMember& m : v.members) {
      const std::string p = Child("$.scales", m.key);
      if (!seen.insert(m.key).second) {
        Report(m.key_offset, p, "duplicate scale name " + Q(m.key) + "; each scale is defined once");
        continue;
      }
      scale_names_.push_back(m.key);
      if (!CheckObject(m.value, p, "a scale", kScaleKeys, kScaleKeys)) continue;
      const JsonValue* options = m.value.Find("options");
      if (!options) continue;
      std::optional<std::vector<Option>> parsed = CheckOptions(*options, p + ".options");
      if (parsed) scales_[m.key] = *parsed;
    }
    for (const auto& [name, options] : scales_) q_.scales.push_back(Scale{name, options});
  }

  void CheckSections(const JsonValue& v) {
    if (v.kind != Kind::kArray) {
      WrongType(v, "$.sections", "an array of sections");
      return;
    }
    if (v.elements.empty()) {
      Report(v.offset, "$.sections", "there are no sections; a questionnaire needs at least one section with items");
      return;
    }
    CollectIds(v);
    std::vector<PendingCondition> pending;
    for (std::size_t s = 0; s < v.elements.size(); ++s) {
      const JsonValue& sv = v.elements[s];
      const std::string p = Index("$.sections", s);
      Section section;
      if (!CheckObject(sv, p, "a section", kSectionKeys, kSectionRequired)) continue;
      if (auto id = GetString(sv.Find("id"), p + ".id")) section.id = *id;
      if (auto t = GetText(sv.Find("title"), p + ".title")) section.title = *t;
      if (const JsonValue* intro = sv.Find("intro")) section.intro = GetText(intro, p + ".intro");
      const JsonValue* items = sv.Find("items");
      if (items && items->kind != Kind::kArray) {
        WrongType(*items, p + ".items", "an array of items");
      } else if (items && items->elements.empty()) {
        Report(items->offset, p + ".items", "the section has no items; give at least one item");
      } else if (items) {
        for (std::size_t i = 0; i < items->elements.size(); ++i) {
          const std::string ip = Index(p + ".items", i);
          Item item = CheckItem(items->elements[i], ip);
          item.section = section.id;
          if (const JsonValue* c = items->elements[i].Find("show_if")) {
            pending.push_back(PendingCondition{c, ip + ".show_if", q_.sections.size(), section.items.size()});
          }
          section.items.push_back(std::move(item));
        }
      }
      q_.sections.push_back(std::move(section));
    }
    for (const PendingCondition& pc : pending) {
      Item& item = q_.sections[pc.section].items[pc.item];
      item.show_if = CheckCondition(*pc.value, pc.path, item);
    }
  }

  // First pass over sections and items: ids, their order, duplicates.
  void CollectIds(const JsonValue& sections) {
    int ordinal = 0;
    auto add = [&](const JsonValue& holder, const std::string& path, int item_ordinal) {
      if (holder.kind != Kind::kObject) return;
      const JsonValue* idv = holder.Find("id");
      if (!idv) return;
      std::optional<std::string> id = GetId(idv, path + ".id");
      if (!id) return;
      auto [it, inserted] = ids_.emplace(*id, IdInfo{item_ordinal, idv->offset});
      if (!inserted) {
        Report(idv->offset, path + ".id",
               "duplicate id " + Q(*id) + "; ids must be unique across sections and items (first used at line " +
                   std::to_string(LineOf(it->second.offset)) + ")");
        return;
      }
      if (item_ordinal >= 0) item_ids_.push_back(*id);
    };
    for (std::size_t s = 0; s < sections.elements.size(); ++s) {
      const JsonValue& sv = sections.elements[s];
      const std::string p = Index("$.sections", s);
      add(sv, p, -1);
      const JsonValue* items = sv.Find("items");
      if (!items || items->kind != Kind::kArray) continue;
      for (std::size_t i = 0; i < items->elements.size(); ++i) {
        add(items->elements[i], Index(p + ".items", i), ordinal++);
      }
    }
  }

  Item CheckItem(const JsonValue& v, const std::string& path) {
    Item item;
    if (!CheckObject(v, path, "an item", kItemKeys, kItemRequired)) return item;
    if (const JsonValue* idv = v.Find("id"); idv && idv->kind == Kind::kString) item.id = idv->text;
    std::optional<ItemType> type;
    if (const JsonValue* tv = v.Find("type")) {
      std::optional<std::string> name = GetString(tv, path + ".type");
      if (name) {
        type = ParseType(*name);
        if (!type) {
          std::optional<std::string> near =
              Nearest(*name, std::vector<std::string>(std::begin(kItemTypes), std::end(kItemTypes)));
          Report(tv->offset, path + ".type",
                 Q(*name) + " is not an item type; " + (near ? "did you mean " + Q(*near) + "? " : "") +
                     "the types are " + JoinQuoted(kItemTypes));
        }
      }
    }
    if (auto t = GetText(v.Find("text"), path + ".text")) item.text = *t;
    if (const JsonValue* h = v.Find("help")) item.help = GetText(h, path + ".help");
    if (!type) return item;
    item.type = *type;
    const std::string type_name(ItemTypeName(item.type));

    // Keys that only some types take.
    for (const JsonMember& m : v.members) {
      std::string_view for_types;
      static constexpr std::string_view kNumberKeys[] = {"min", "max", "integer", "unit"};
      static constexpr std::string_view kTextKeys[] = {"max_length", "sensitive"};
      static constexpr std::string_view kOptionSourceKeys[] = {"scale", "options"};
      if (Contains(kNumberKeys, m.key) && item.type != ItemType::kNumber) {
        for_types = "number items";
      } else if (Contains(kTextKeys, m.key) && item.type != ItemType::kText) {
        for_types = "text items";
      } else if (Contains(kOptionSourceKeys, m.key) && !HasOptions(item.type)) {
        for_types = "single, yesno, multiple and place items";
      }
      if (!for_types.empty()) {
        Report(m.key_offset, Child(path, m.key),
               Q(m.key) + " does not apply to a " + type_name + " item; it is for " + std::string(for_types));
      }
    }

    if (HasOptions(item.type)) CheckItemOptions(v, path, &item);
    if (item.type == ItemType::kNumber) {
      const JsonValue* minv = v.Find("min");
      const JsonValue* maxv = v.Find("max");
      if (!minv || !maxv) {
        Report(v.offset, path,
               std::string("missing required key ") + (minv ? "\"max\"" : "\"min\"") +
                   "; a number item needs inclusive bounds \"min\" and \"max\"");
      }
      std::optional<double> lo = GetNumber(minv, path + ".min");
      std::optional<double> hi = GetNumber(maxv, path + ".max");
      if (lo && hi && *lo > *hi) {
        Report(minv->offset, path + ".min",
               "min (" + minv->text + ") is greater than max (" + maxv->text + "); min must be at most max");
      }
      item.min = lo.value_or(0);
      item.max = hi.value_or(0);
      if (auto b = GetBool(v.Find("integer"), path + ".integer")) item.integer = *b;
      if (const JsonValue* u = v.Find("unit")) item.unit = GetText(u, path + ".unit");
    }
    if (item.type == ItemType::kText) {
      if (const JsonValue* ml = v.Find("max_length")) {
        std::optional<std::int64_t> n = GetInt(ml, path + ".max_length");
        if (n && (*n < 1 || *n > 100000)) {
          Report(ml->offset, path + ".max_length",
                 "max_length is " + ml->text + "; give a number of characters from 1 to 100000");
        } else if (n) {
          item.max_length = static_cast<int>(*n);
        }
      }
      if (const JsonValue* sv = v.Find("sensitive")) {
        std::optional<bool> b = GetBool(sv, path + ".sensitive");
        if (b && !*b) {
          Report(sv->offset, path + ".sensitive",
                 "free text is always sensitive; write \"sensitive\": true or leave the key out");
        }
      }
    }
    return item;
  }

  static std::optional<ItemType> ParseType(std::string_view name) {
    if (name == "single") return ItemType::kSingle;
    if (name == "yesno") return ItemType::kYesNo;
    if (name == "multiple") return ItemType::kMultiple;
    if (name == "number") return ItemType::kNumber;
    if (name == "text") return ItemType::kText;
    if (name == "place") return ItemType::kPlace;
    return std::nullopt;
  }

  void CheckItemOptions(const JsonValue& v, const std::string& path, Item* item) {
    const JsonValue* scale = v.Find("scale");
    const JsonValue* options = v.Find("options");
    if (scale && options) {
      Report(scale->offset, path + ".scale",
             "the item has both \"scale\" and \"options\"; give exactly one of the two");
      return;
    }
    std::optional<std::vector<Option>> resolved;
    if (scale) {
      std::optional<std::string> name = GetString(scale, path + ".scale");
      if (!name) return;
      auto it = scales_.find(*name);
      if (it == scales_.end()) {
        if (std::find(scale_names_.begin(), scale_names_.end(), *name) != scale_names_.end()) return;  // reported there
        std::optional<std::string> near = Nearest(*name, scale_names_);
        Report(scale->offset, path + ".scale",
               "unknown scale " + Q(*name) + "; " +
                   (near ? "did you mean " + Q(*near) + "?"
                         : scale_names_.empty() ? std::string("no scales are defined under \"scales\"")
                                                : "the defined scales are " + JoinQuoted(scale_names_)));
        return;
      }
      item->scale = *name;
      resolved = it->second;
    } else if (options) {
      resolved = CheckOptions(*options, path + ".options");
      if (!resolved) return;
    } else if (item->type != ItemType::kYesNo) {
      Report(v.offset, path,
             "missing \"scale\" or \"options\"; a " + std::string(ItemTypeName(item->type)) +
                 " item needs its answer options");
      return;
    } else {
      resolved.emplace();
    }
    if (item->type == ItemType::kYesNo) {
      // Given options replace the built-in yes = 1 / no = 2 of the same code;
      // built-ins not given are added in front.
      std::vector<Option> builtin;
      for (core::Code code : {1, 2}) {
        if (std::any_of(resolved->begin(), resolved->end(), [&](const Option& o) { return o.code == code; })) {
          continue;
        }
        Option o;
        o.code = code;
        for (const std::string& lang : languages_) {
          auto it = BuiltinYesNo().find(lang.substr(0, lang.find('-')));
          if (it == BuiltinYesNo().end()) {
            Report(v.offset, path,
                   "there is no built-in yes/no label in " + Q(lang) +
                       "; give the yesno item \"options\" with codes 1 (yes) and 2 (no)");
            return;
          }
          o.label[lang] = code == 1 ? it->second.first : it->second.second;
        }
        builtin.push_back(std::move(o));
      }
      for (const Option& o : *resolved) {
        if (!o.missing && o.code != 1 && o.code != 2) {
          Report((options ? options : scale)->offset, path + (options ? ".options" : ".scale"),
                 "code " + std::to_string(o.code) +
                     " is substantive, but a yesno item has only yes = 1 and no = 2; mark it \"missing\": true or "
                     "make the item single");
          return;
        }
        if (o.missing && (o.code == 1 || o.code == 2)) {
          Report((options ? options : scale)->offset, path + (options ? ".options" : ".scale"),
                 "code " + std::to_string(o.code) + " is yes or no in a yesno item and cannot be \"missing\"");
          return;
        }
      }
      builtin.insert(builtin.end(), resolved->begin(), resolved->end());
      resolved = std::move(builtin);
    }
    item->options = std::move(*resolved);
  }

  // show_if, checked once every item is known.
  std::optional<Condition> CheckCondition(const JsonValue& v, const std::string& path, const Item& owner) {
    if (!CheckObject(v, path, "a condition", kConditionKeys, {})) return std::nullopt;
    const bool leaf = v.Find("item") || v.Find("equals") || v.Find("in") || v.Find("any_of");
    const int forms = (leaf ? 1 : 0) + (v.Find("all") ? 1 : 0) + (v.Find("any") ? 1 : 0) + (v.Find("not") ? 1 : 0);
    const int tests = (v.Find("equals") ? 1 : 0) + (v.Find("in") ? 1 : 0) + (v.Find("any_of") ? 1 : 0);
    if (forms != 1 || (leaf && (tests != 1 || !v.Find("item")))) {
      Report(v.offset, path,
             "a condition is exactly one of {\"item\": ID, \"equals\": CODE}, {\"item\": ID, \"in\": [CODES]}, "
             "{\"item\": ID, \"any_of\": [CODES]}, {\"all\": [...]}, {\"any\": [...]} or {\"not\": {...}}");
      return std::nullopt;
    }
    Condition c;
    if (leaf) {
      const JsonValue* iv = v.Find("item");
      std::optional<std::string> id = GetString(iv, path + ".item");
      std::optional<std::vector<core::Code>> codes;
      if (const JsonValue* e = v.Find("equals")) {
        c.kind = Condition::Kind::kEquals;
        if (auto code = GetInt(e, path + ".equals")) codes = std::vector<core::Code>{*code};
      } else if (const JsonValue* in = v.Find("in")) {
        c.kind = Condition::Kind::kIn;
        codes = GetCodes(in, path + ".in");
      } else {
        c.kind = Condition::Kind::kAnyOf;
        codes = GetCodes(v.Find("any_of"), path + ".any_of");
      }
      if (!id) return std::nullopt;
      const std::string tail = "; show_if may only refer to items that come before " + Q(owner.id);
      auto it = ids_.find(*id);
      if (it == ids_.end() || it->second.ordinal < 0) {
        UnknownItem(*iv, path + ".item", *id, tail);
        return std::nullopt;
      }
      if (it->second.ordinal >= q_.ItemOrdinal(owner.id)) {
        Report(iv->offset, path + ".item", Q(*id) + " is not an earlier item" + tail);
        return std::nullopt;
      }
      const Item* target = q_.FindItem(*id);
      if (!target) return std::nullopt;
      if (!HasOptions(target->type)) {
        Report(iv->offset, path + ".item",
               Q(*id) + " is a " + std::string(ItemTypeName(target->type)) +
                   " item; show_if can only test items with codes (single, yesno, multiple, place)");
        return std::nullopt;
      }
      if (!codes) return std::nullopt;
      if (target->options.empty()) return std::nullopt;  // its own problem was reported
      const JsonValue* codes_value = v.Find("equals") ? v.Find("equals") : v.Find("in") ? v.Find("in") : v.Find("any_of");
      bool ok = true;
      for (std::size_t i = 0; i < codes->size(); ++i) {
        const core::Code code = (*codes)[i];
        if (!target->FindOption(code)) {
          const JsonValue& at = codes_value->kind == Kind::kArray ? codes_value->elements[i] : *codes_value;
          Report(at.offset,
                 codes_value->kind == Kind::kArray
                     ? Index(path + (v.Find("in") ? ".in" : ".any_of"), i)
                     : path + ".equals",
                 Q(*id) + " has no code " + std::to_string(code) + "; its codes are " + CodesOf(*target));
          ok = false;
        }
      }
      if (!ok) return std::nullopt;
      c.item = *id;
      c.codes = *codes;
      return c;
    }
    if (const JsonValue* n = v.Find("not")) {
      c.kind = Condition::Kind::kNot;
      std::optional<Condition> child = CheckCondition(*n, path + ".not", owner);
      if (!child) return std::nullopt;
      c.children.push_back(std::move(*child));
      return c;
    }
    const bool all = v.Find("all") != nullptr;
    const JsonValue* list = all ? v.Find("all") : v.Find("any");
    const std::string lp = path + (all ? ".all" : ".any");
    c.kind = all ? Condition::Kind::kAll : Condition::Kind::kAny;
    if (list->kind != Kind::kArray || list->elements.empty()) {
      if (list->kind == Kind::kArray) Report(list->offset, lp, "the list of conditions is empty; give at least one");
      else WrongType(*list, lp, "an array of conditions");
      return std::nullopt;
    }
    bool ok = true;
    for (std::size_t i = 0; i < list->elements.size(); ++i) {
      std::optional<Condition> child = CheckCondition(list->elements[i], Index(lp, i), owner);
      if (child) c.children.push_back(std::move(*child)); else ok = false;
    }
    if (!ok) return std::nullopt;
    return c;
  }

  // --- indices -------------------------------------------------------------

  // Registers an index id (sub-index, overall, share, prevalence); reports duplicates.
  std::optional<std::string> IndexId(const JsonValue* v, const std::string& path) {
    std::optional<std::string> id = GetId(v, path);
    if (!id) return std::nullopt;
    auto [it, inserted] = index_ids_.emplace(*id, v->offset);
    if (!inserted) {
      Report(v->offset, path,
             "duplicate index id " + Q(*id) + "; sub-indices, the overall index, shares and prevalences need "
                                              "distinct ids (first used at line " +
                 std::to_string(LineOf(it->second)) + ")");
      return std::nullopt;
    }
    return id;
  }

  void CheckIndices(const JsonValue& v) {
    if (!CheckObject(v, "$.indices", "\"indices\"", kIndicesKeys, {})) return;
    if (const JsonValue* s = v.Find("subindices")) CheckSubIndices(*s);
    if (const JsonValue* o = v.Find("overall")) CheckOverall(*o);
    if (const JsonValue* s = v.Find("shares")) CheckShares(*s);
    if (const JsonValue* p = v.Find("prevalences")) CheckPrevalences(*p);
  }

  void CheckSubIndices(const JsonValue& v) {
    const std::string path = "$.indices.subindices";
    if (v.kind != Kind::kArray) {
      WrongType(v, path, "an array of sub-indices");
      return;
    }
    std::map<std::string, std::pair<std::string, std::size_t>> used;  // item -> (sub-index, offset)
    for (std::size_t s = 0; s < v.elements.size(); ++s) {
      const JsonValue& sv = v.elements[s];
      const std::string p = Index(path, s);
      if (!CheckObject(sv, p, "a sub-index", kSubIndexKeys, kSubIndexRequired)) continue;
      SubIndex sub;
      std::optional<std::string> id = IndexId(sv.Find("id"), p + ".id");
      if (id) {
        sub.id = *id;
        subindex_ids_.push_back(*id);
      }
      if (auto t = GetText(sv.Find("label"), p + ".label")) sub.label = *t;
      if (const JsonValue* ms = sv.Find("min_share")) {
        std::optional<double> share = GetNumber(ms, p + ".min_share");
        if (share && (*share <= 0 || *share > 1)) {
          Report(ms->offset, p + ".min_share",
                 "min_share is " + ms->text + "; give a share above 0 and at most 1 (e.g. 0.6667 for two thirds)");
        } else if (share) {
          sub.min_share = *share;
        }
      }
      const JsonValue* items = sv.Find("items");
      if (!items) continue;
      if (items->kind != Kind::kArray) {
        WrongType(*items, p + ".items", "an array of sub-index items");
        continue;
      }
      if (items->elements.empty()) {
        Report(items->offset, p + ".items",
               "the sub-index " + Q(sub.id) + " has no items; give at least one item or remove the sub-index");
        continue;
      }
      for (std::size_t i = 0; i < items->elements.size(); ++i) {
        const JsonValue& iv = items->elements[i];
        const std::string ip = Index(p + ".items", i);
        if (!CheckObject(iv, ip, "a sub-index item", kSubIndexItemKeys, kSubIndexItemRequired)) continue;
        SubIndexItem si;
        const JsonValue* ref = iv.Find("item");
        const Item* item = GetItemRef(ref, ip + ".item");
        if (const JsonValue* h = iv.Find("higher_is")) {
          std::optional<std::string> dir = GetString(h, ip + ".higher_is");
          if (dir && *dir != "better" && *dir != "worse") {
            Report(h->offset, ip + ".higher_is",
                   Q(*dir) + " is not a direction; write \"better\" or \"worse\" (the direction of the raw code)");
          } else if (dir) {
            si.higher_is_better = *dir == "better";
          }
        }
        std::optional<double> lo = GetNumber(iv.Find("min"), ip + ".min");
        std::optional<double> hi = GetNumber(iv.Find("max"), ip + ".max");
        if (!item) continue;
        si.item = item->id;
        if (item->type != ItemType::kSingle) {
          Report(ref->offset, ip + ".item",
                 Q(item->id) + " is a " + std::string(ItemTypeName(item->type)) +
                     " item; sub-index items must be single items with a numeric scale");
          continue;
        }
        std::vector<core::Code> substantive = item->SubstantiveCodes();
        if (item->options.empty()) continue;  // its options were reported
        if (substantive.size() < 2) {
          Report(ref->offset, ip + ".item",
                 Q(item->id) + " has only " + std::to_string(substantive.size()) +
                     (substantive.size() == 1 ? " substantive code" : " substantive codes") +
                     "; a sub-index item needs at least two");
          continue;
        }
        auto [it, inserted] = used.emplace(item->id, std::make_pair(sub.id, ref->offset));
        if (!inserted) {
          Report(ref->offset, ip + ".item",
                 Q(item->id) + " is already in the sub-index " + Q(it->second.first) + " (line " +
                     std::to_string(LineOf(it->second.second)) + "); an item may belong to at most one sub-index");
          continue;
        }
        const auto [mn, mx] = std::minmax_element(substantive.begin(), substantive.end());
        si.min = lo.value_or(static_cast<double>(*mn));
        si.max = hi.value_or(static_cast<double>(*mx));
        if (si.min >= si.max) {
          Report((iv.Find("min") ? iv.Find("min") : iv.Find("max"))->offset, ip + (iv.Find("min") ? ".min" : ".max"),
                 "min (" + internal::FormatNumber(si.min) + ") must be smaller than max (" +
                     internal::FormatNumber(si.max) + ")");
          continue;
        }
        bool ok = true;
        for (core::Code code : substantive) {
          if (code < si.min || code > si.max) {
            Report(iv.offset, ip,
                   "code " + std::to_string(code) + " of " + Q(item->id) + " is substantive but outside min..max (" +
                       internal::FormatNumber(si.min) + ".." + internal::FormatNumber(si.max) +
                       "); mark it \"missing\" or widen the range");
            ok = false;
          }
        }
        if (ok) sub.items.push_back(si);
      }
      q_.indices.subindices.push_back(std::move(sub));
    }
  }

  void CheckOverall(const JsonValue& v) {
    const std::string path = "$.indices.overall";
    if (!CheckObject(v, path, "the overall index", kOverallKeys, kOverallRequired)) return;
    OverallIndex o;
    if (auto id = IndexId(v.Find("id"), path + ".id")) o.id = *id;
    if (auto t = GetText(v.Find("label"), path + ".label")) o.label = *t;
    const int n = static_cast<int>(subindex_ids_.size());
    o.min_subindices = n;
    if (const JsonValue* m = v.Find("min_subindices")) {
      std::optional<std::int64_t> k = GetInt(m, path + ".min_subindices");
      if (k && (*k < 1 || *k > n)) {
        Report(m->offset, path + ".min_subindices",
               "min_subindices is " + m->text + ", but there " + (n == 1 ? "is 1 sub-index" : "are " + std::to_string(n) + " sub-indices") +
                   "; give a number from 1 to " + std::to_string(n));
      } else if (k) {
        o.min_subindices = static_cast<int>(*k);
      }
    }
    if (n == 0) {
      Report(v.offset, path, "there is an overall index but no sub-indices; define \"subindices\" first");
    }
    const JsonValue* w = v.Find("weights");
    if (w && w->kind != Kind::kObject) {
      WrongType(*w, path + ".weights", "an object from sub-index id to weight");
    } else if (w) {
      std::map<std::string, double> weights;
      bool ok = true;
      for (const JsonMember& m : w->members) {
        const std::string p = Child(path + ".weights", m.key);
        if (std::find(subindex_ids_.begin(), subindex_ids_.end(), m.key) == subindex_ids_.end()) {
          std::optional<std::string> near = Nearest(m.key, subindex_ids_);
          Report(m.key_offset, p,
                 Q(m.key) + " is not a sub-index; " +
                     (near ? "did you mean " + Q(*near) + "?" : "the sub-indices are " + JoinQuoted(subindex_ids_)));
          ok = false;
          continue;
        }
        if (weights.count(m.key)) {
          Report(m.key_offset, p, "duplicate weight for " + Q(m.key) + "; name each sub-index once");
          ok = false;
          continue;
        }
        std::optional<double> x = GetNumber(&m.value, p);
        if (!x) { ok = false; continue; }
        if (*x <= 0) {
          Report(m.value.offset, p,
                 "the weight of " + Q(m.key) + " is " + m.value.text + "; weights must be positive");
          ok = false;
          continue;
        }
        weights[m.key] = *x;
      }
      for (const std::string& id : subindex_ids_) {
        if (!w->Find(id)) {
          Report(w->offset, path + ".weights",
                 "no weight for the sub-index " + Q(id) + "; the weights must name every sub-index");
          ok = false;
        }
      }
      if (ok) {
        double sum = 0;
        for (const std::string& id : subindex_ids_) sum += weights[id];
        if (std::fabs(sum - 1.0) > 1e-9) {
          Report(w->offset, path + ".weights",
                 "the weights sum to " + internal::FormatNumber(sum) + "; they must sum to 1");
        }
        for (const std::string& id : subindex_ids_) o.weights.emplace_back(id, weights[id]);
      }
    }
    q_.indices.overall = std::move(o);
  }

  // Codes named by a share or prevalence must be substantive codes of every item.
  bool CheckCodesOnItems(const JsonValue& codes_value, const std::string& path, const std::vector<core::Code>& codes,
                         const std::vector<std::string>& items) {
    bool ok = true;
    for (const std::string& id : items) {
      const Item* item = q_.FindItem(id);
      if (!item || !HasOptions(item->type) || item->options.empty()) continue;
      for (std::size_t i = 0; i < codes.size(); ++i) {
        const Option* o = item->FindOption(codes[i]);
        const JsonValue& at = codes_value.elements[i];
        if (!o) {
          Report(at.offset, Index(path, i),
                 Q(id) + " has no code " + std::to_string(codes[i]) + "; its codes are " + CodesOf(*item));
          ok = false;
        } else if (o->missing) {
          Report(at.offset, Index(path, i),
                 "code " + std::to_string(codes[i]) + " of " + Q(id) +
                     " is a missing code; shares and prevalences count substantive answers only");
          ok = false;
        }
      }
    }
    return ok;
  }

  bool CheckCodedItems(const JsonValue& items_value, const std::string& path, const std::vector<std::string>& items) {
    bool ok = true;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Item* item = q_.FindItem(items[i]);
      if (item && !HasOptions(item->type)) {
        const JsonValue& at = items_value.kind == Kind::kArray ? items_value.elements[i] : items_value;
        Report(at.offset, items_value.kind == Kind::kArray ? Index(path, i) : path,
               Q(items[i]) + " is a " + std::string(ItemTypeName(item->type)) +
                   " item; shares and prevalences need items with codes (single, yesno, multiple, place)");
        ok = false;
      }
    }
    return ok;
  }

  void CheckShares(const JsonValue& v) {
    const std::string path = "$.indices.shares";
    if (v.kind != Kind::kArray) {
      WrongType(v, path, "an array of shares");
      return;
    }
    for (std::size_t s = 0; s < v.elements.size(); ++s) {
      const JsonValue& sv = v.elements[s];
      const std::string p = Index(path, s);
      if (!CheckObject(sv, p, "a share", kShareKeys, kShareRequired)) continue;
      Share share;
      if (auto id = IndexId(sv.Find("id"), p + ".id")) share.id = *id;
      if (auto t = GetText(sv.Find("label"), p + ".label")) share.label = *t;
      const JsonValue* one = sv.Find("item");
      const JsonValue* many = sv.Find("items");
      const JsonValue* mc = sv.Find("min_count");
      std::optional<std::vector<std::string>> items;
      const JsonValue* items_value = nullptr;
      std::string items_path;
      if ((one != nullptr) == (many != nullptr)) {
        Report(sv.offset, p, "a share has exactly one of \"item\" (one item) or \"items\" (several, with \"min_count\")");
        continue;
      }
      if (one) {
        items_value = one;
        items_path = p + ".item";
        if (const Item* item = GetItemRef(one, items_path)) items = std::vector<std::string>{item->id};
        if (mc) {
          Report(mc->offset, p + ".min_count", "\"min_count\" applies only to a share over several \"items\"");
        }
      } else {
        items_value = many;
        items_path = p + ".items";
        items = GetItemList(many, items_path);
        if (mc) {
          std::optional<std::int64_t> k = GetInt(mc, p + ".min_count");
          const std::size_t n = many->kind == Kind::kArray ? many->elements.size() : 0;
          if (k && (*k < 1 || static_cast<std::size_t>(*k) > n)) {
            Report(mc->offset, p + ".min_count",
                   "min_count is " + mc->text + "; give a number from 1 to the number of items (" +
                       std::to_string(n) + ")");
          } else if (k) {
            share.min_count = static_cast<int>(*k);
          }
        }
      }
      std::optional<std::vector<core::Code>> codes = GetCodes(sv.Find("codes"), p + ".codes");
      if (!items || !CheckCodedItems(*items_value, items_path, *items)) continue;
      if (!codes) continue;
      if (!CheckCodesOnItems(*sv.Find("codes"), p + ".codes", *codes, *items)) continue;
      share.items = *items;
      share.codes = *codes;
      q_.indices.shares.push_back(std::move(share));
    }
  }

  void CheckPrevalences(const JsonValue& v) {
    const std::string path = "$.indices.prevalences";
    if (v.kind != Kind::kArray) {
      WrongType(v, path, "an array of prevalences");
      return;
    }
    for (std::size_t s = 0; s < v.elements.size(); ++s) {
      const JsonValue& pv = v.elements[s];
      const std::string p = Index(path, s);
      if (!CheckObject(pv, p, "a prevalence", kPrevalenceKeys, kPrevalenceRequired)) continue;
      Prevalence prev;
      if (auto id = IndexId(pv.Find("id"), p + ".id")) prev.id = *id;
      if (auto t = GetText(pv.Find("label"), p + ".label")) prev.label = *t;
      std::optional<std::vector<std::string>> items = GetItemList(pv.Find("items"), p + ".items");
      std::optional<std::vector<core::Code>> codes = GetCodes(pv.Find("codes"), p + ".codes");
      if (!items || !CheckCodedItems(*pv.Find("items"), p + ".items", *items)) continue;
      if (!codes || !CheckCodesOnItems(*pv.Find("codes"), p + ".codes", *codes, *items)) continue;
      prev.items = *items;
      prev.codes = *codes;
      q_.indices.prevalences.push_back(std::move(prev));
    }
  }

  void CheckBackground(const JsonValue& v) {
    const std::string path = "$.background";
    if (!CheckObject(v, path, "\"background\"", kBackgroundKeys, {})) return;
    for (const JsonMember& m : v.members) {
      if (!Contains(kBackgroundKeys, m.key)) continue;
      const std::string p = Child(path, m.key);
      const Item* item = GetItemRef(&m.value, p);
      if (!item) continue;
      if (item->type != ItemType::kSingle && item->type != ItemType::kNumber) {
        Report(m.value.offset, p,
               "the background role " + Q(m.key) + " points to " + Q(item->id) + ", a " +
                   std::string(ItemTypeName(item->type)) + " item; background items must be single or number items");
        continue;
      }
      q_.background[m.key] = item->id;
    }
  }

  std::string_view text_;
  std::string file_;
  std::vector<std::pair<std::size_t, Problem>> problems_;
  Questionnaire q_;
  std::vector<std::string> languages_;
  std::set<std::string> declared_;
  bool languages_known_ = false;
  std::vector<std::string> scale_names_;
  std::map<std::string, std::vector<Option>> scales_;
  std::map<std::string, IdInfo> ids_;
  std::vector<std::string> item_ids_;
  std::map<std::string, std::size_t> index_ids_;
  std::vector<std::string> subindex_ids_;
};

}  // namespace

LoadOutcome CheckQuestionnaire(std::string_view json, const std::string& file_name) {
  return Checker(json, file_name).Run();
}

core::Result<Questionnaire> LoadQuestionnaire(std::string_view json, const std::string& file_name) {
  LoadOutcome out = CheckQuestionnaire(json, file_name);
  if (out.questionnaire) return std::move(*out.questionnaire);
  std::string message;
  for (const Problem& p : out.problems) {
    if (!message.empty()) message += "\n";
    message += p.ToString();
  }
  return core::InvalidInput(message);
}

core::Result<Questionnaire> LoadQuestionnaireFile(const std::string& path) {
  core::Result<std::string> text = core::ReadFile(path);
  if (!text.ok()) return text.status();
  return LoadQuestionnaire(*text, path);
}

}  // namespace tryghed::questionnaire
