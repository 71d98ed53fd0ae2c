#include "questionnaire/scoring.h"

#include <algorithm>
#include <cmath>

#include "core/json_string.h"
#include "questionnaire/internal/canonical_writer.h"
#include "questionnaire/internal/json_tree.h"

namespace tryghed::questionnaire {

namespace {

// How far an item got in one response.
enum class State { kNotAsked, kNoAnswer, kAnswered };

// An item's state and, when answered, its substantive codes (one for
// single-coded items). Wrong types and unknown codes count as no answer;
// missing-coded answers too.
struct ItemAnswer {
  State state = State::kNoAnswer;
  std::vector<core::Code> codes;
};

ItemAnswer Resolve(const Questionnaire& q, const Item& item, const core::Answers& answers) {
  ItemAnswer a;
  if (!IsAsked(q, item, answers)) {
    a.state = State::kNotAsked;
    return a;
  }
  auto it = answers.find(item.id);
  if (it == answers.end()) return a;
  if (IsSingleCoded(item.type)) {
    if (const core::Code* c = std::get_if<core::Code>(&it->second)) {
      const Option* o = item.FindOption(*c);
      if (o && !o->missing) a.codes.push_back(*c);
    }
  } else if (IsMultiCoded(item.type)) {
    if (const core::Codes* cs = std::get_if<core::Codes>(&it->second)) {
      for (core::Code c : *cs) {
        const Option* o = item.FindOption(c);
        if (o && !o->missing) a.codes.push_back(c);
      }
    }
  }
  if (!a.codes.empty()) a.state = State::kAnswered;
  return a;
}

bool AnyIn(const std::vector<core::Code>& have, const std::vector<core::Code>& wanted) {
  return std::any_of(have.begin(), have.end(),
                     [&](core::Code c) { return std::find(wanted.begin(), wanted.end(), c) != wanted.end(); });
}

std::string FormatValue(const core::AnswerValue& v) {
  if (const core::Code* c = std::get_if<core::Code>(&v)) return std::to_string(*c);
  if (const double* d = std::get_if<double>(&v)) return internal::FormatNumber(*d);
  if (const std::string* s = std::get_if<std::string>(&v)) {
    std::string shown = s->size() > 40 ? s->substr(0, 40) + "..." : *s;
    return core::QuoteJson(shown);
  }
  const core::Codes& cs = std::get<core::Codes>(v);
  std::string out = "[";
  for (std::size_t i = 0; i < cs.size(); ++i) out += (i ? ", " : "") + std::to_string(cs[i]);
  return out + "]";
}

std::string_view AnswerKind(const core::AnswerValue& v) {
  switch (v.index()) {
    case 0: return "a single code";
    case 1: return "a list of codes";
    case 2: return "a non-integer number";
    default: return "a text";
  }
}

std::string_view Expected(ItemType type) {
  switch (type) {
    case ItemType::kSingle:
    case ItemType::kYesNo: return "one integer code";
    case ItemType::kMultiple:
    case ItemType::kPlace: return "a list of codes";
    case ItemType::kNumber: return "a number";
    case ItemType::kText: return "a text";
  }
  return "an answer";
}

std::string CodeList(const Item& item) {
  std::string out;
  for (std::size_t i = 0; i < item.options.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(item.options[i].code);
    if (item.options[i].missing) out += " (missing)";
  }
  return out;
}

std::size_t Utf8Length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void CheckOne(const Questionnaire& q, const Item& item, const core::AnswerValue& v, const core::Answers& answers,
              std::vector<AnswerProblem>* out) {
  const std::string value = FormatValue(v);
  auto add = [&](std::string message) { out->push_back({item.id, item.id + ": " + std::move(message)}); };
  if (!IsAsked(q, item, answers)) {
    add("answer " + value + " given, but " + item.id +
        " was not asked (its show_if is false for this response); leave it unanswered");
    return;
  }
  auto wrong_type = [&] {
    add(value + " is " + std::string(AnswerKind(v)) + ", but " + item.id + " is a " +
        std::string(ItemTypeName(item.type)) + " item and takes " + std::string(Expected(item.type)));
  };
  auto check_code = [&](core::Code c) {
    if (!item.FindOption(c)) {
      add(std::to_string(c) + " is not a code of " + item.id + "; its codes are " + CodeList(item));
    }
  };
  switch (item.type) {
    case ItemType::kSingle:
    case ItemType::kYesNo:
      if (const core::Code* c = std::get_if<core::Code>(&v)) check_code(*c); else wrong_type();
      return;
    case ItemType::kMultiple:
    case ItemType::kPlace:
      if (const core::Codes* cs = std::get_if<core::Codes>(&v)) {
        for (std::size_t i = 0; i < cs->size(); ++i) {
          check_code((*cs)[i]);
          if (std::find(cs->begin(), cs->begin() + static_cast<std::ptrdiff_t>(i), (*cs)[i]) !=
              cs->begin() + static_cast<std::ptrdiff_t>(i)) {
            add("code " + std::to_string((*cs)[i]) + " appears twice in " + value + "; give each code once");
          }
        }
      } else {
        wrong_type();
      }
      return;
    case ItemType::kNumber: {
      double x = 0;
      if (const double* d = std::get_if<double>(&v)) x = *d;
      else if (const core::Code* c = std::get_if<core::Code>(&v)) x = static_cast<double>(*c);
      else { wrong_type(); return; }
      if (!std::isfinite(x) || x < item.min || x > item.max) {
        add(value + " is outside the allowed range " + internal::FormatNumber(item.min) + ".." +
            internal::FormatNumber(item.max));
      } else if (item.integer && x != std::floor(x)) {
        add(value + " is not a whole number; " + item.id + " takes whole numbers");
      }
      return;
    }
    case ItemType::kText:
      if (const std::string* s = std::get_if<std::string>(&v)) {
        const std::size_t n = Utf8Length(*s);
        if (n > static_cast<std::size_t>(item.max_length)) {
          add("the text " + value + " has " + std::to_string(n) + " characters; at most " +
              std::to_string(item.max_length) + " are allowed");
        }
      } else {
        wrong_type();
      }
      return;
  }
}

void AppendNumber(std::string* out, const std::optional<double>& v) {
  *out += v ? internal::FormatNumber(*v) : "null";
}

}  // namespace

bool EvaluateCondition(const Questionnaire& q, const Condition& c, const core::Answers& answers) {
  switch (c.kind) {
    case Condition::Kind::kEquals:
    case Condition::Kind::kIn:
    case Condition::Kind::kAnyOf: {
      const Item* item = q.FindItem(c.item);
      if (!item || !IsAsked(q, *item, answers)) return false;
      auto it = answers.find(c.item);
      if (it == answers.end()) return false;
      if (const core::Code* code = std::get_if<core::Code>(&it->second)) return AnyIn({*code}, c.codes);
      if (const core::Codes* codes = std::get_if<core::Codes>(&it->second)) return AnyIn(*codes, c.codes);
      return false;
    }
    case Condition::Kind::kAll:
      return std::all_of(c.children.begin(), c.children.end(),
                         [&](const Condition& ch) { return EvaluateCondition(q, ch, answers); });
    case Condition::Kind::kAny:
      return std::any_of(c.children.begin(), c.children.end(),
                         [&](const Condition& ch) { return EvaluateCondition(q, ch, answers); });
    case Condition::Kind::kNot:
      return c.children.empty() || !EvaluateCondition(q, c.children.front(), answers);
  }
  return false;
}

bool IsAsked(const Questionnaire& q, const Item& item, const core::Answers& answers) {
  return !item.show_if || EvaluateCondition(q, *item.show_if, answers);
}

std::vector<AnswerProblem> CheckAnswers(const Questionnaire& q, const core::Answers& answers) {
  std::vector<AnswerProblem> out;
  for (const Section& s : q.sections) {
    for (const Item& item : s.items) {
      auto it = answers.find(item.id);
      if (it != answers.end()) CheckOne(q, item, it->second, answers, &out);
    }
  }
  for (const auto& [id, value] : answers) {
    if (!q.FindItem(id)) {
      out.push_back({id, id + ": answer " + FormatValue(value) + " given to an unknown item; questionnaire " +
                             core::QuoteJson(q.id) + " has no item " + core::QuoteJson(id)});
    }
  }
  return out;
}

core::Status ValidateAnswers(const Questionnaire& q, const core::Answers& answers) {
  std::vector<AnswerProblem> problems = CheckAnswers(q, answers);
  if (problems.empty()) return core::Status::Ok();
  std::string message;
  for (const AnswerProblem& p : problems) message += (message.empty() ? "" : "; ") + p.message;
  return core::InvalidInput(message);
}

core::Result<core::Answers> ParseAnswers(const Questionnaire& q, std::string_view json, const std::string& file_name) {
  using internal::JsonValue;
  auto located = [&](std::size_t offset, const std::string& message) {
    const internal::TextPosition pos = internal::PositionOf(json, offset);
    return core::InvalidInput(file_name + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": " +
                              message);
  };
  internal::JsonSyntaxError error;
  std::optional<JsonValue> root = internal::ParseJsonTree(json, &error);
  if (!root) return located(error.offset, "invalid JSON: " + error.message);
  if (root->kind != JsonValue::Kind::kObject) {
    return located(root->offset, "expected an object from item id to answer, such as {\"T1\": 2}");
  }
  core::Answers answers;
  for (const internal::JsonMember& m : root->members) {
    const std::string where = "$." + m.key;
    if (answers.count(m.key)) return located(m.key_offset, where + ": the item " + m.key + " is answered twice");
    const JsonValue& v = m.value;
    const Item* item = q.FindItem(m.key);
    switch (v.kind) {
      case JsonValue::Kind::kNull: break;
      case JsonValue::Kind::kNumber:
        if (v.is_integer && (!item || item->type != ItemType::kNumber)) answers[m.key] = core::Code{v.integer};
        else answers[m.key] = v.number;
        break;
      case JsonValue::Kind::kString: answers[m.key] = v.text; break;
      case JsonValue::Kind::kArray: {
        core::Codes codes;
        for (const JsonValue& e : v.elements) {
          if (e.kind != JsonValue::Kind::kNumber || !e.is_integer) {
            return located(e.offset, where + ": expected integer codes in the list, found " +
                                         std::string(internal::KindName(e.kind)) +
                                         (e.kind == JsonValue::Kind::kNumber ? " " + e.text : ""));
          }
          codes.push_back(e.integer);
        }
        std::sort(codes.begin(), codes.end());
        answers[m.key] = std::move(codes);
        break;
      }
      default:
        return located(v.offset, where + ": expected a code, a list of codes, a number or a text, found " +
                                     std::string(internal::KindName(v.kind)));
    }
  }
  return answers;
}

Scores ScoreResponse(const Questionnaire& q, const core::Answers& answers) {
  Scores scores;
  std::map<std::string, std::optional<double>> subindex_values;
  for (const SubIndex& sub : q.indices.subindices) {
    int asked = 0;
    int scored = 0;
    double sum = 0;
    for (const SubIndexItem& si : sub.items) {
      const Item* item = q.FindItem(si.item);
      std::optional<double> value;
      if (item) {
        const ItemAnswer a = Resolve(q, *item, answers);
        if (a.state != State::kNotAsked) ++asked;
        if (a.state == State::kAnswered) {
          const double x = static_cast<double>(a.codes.front());
          value = si.higher_is_better ? 100.0 * (x - si.min) / (si.max - si.min)
                                      : 100.0 * (si.max - x) / (si.max - si.min);
          ++scored;
          sum += *value;
        }
      }
      scores.items.push_back({si.item, value});
    }
    std::optional<double> value;
    if (scored >= 1 && static_cast<double>(scored) >= (sub.min_share - 0.005) * static_cast<double>(asked)) {
      value = sum / scored;
    }
    subindex_values[sub.id] = value;
    scores.subindices.push_back({sub.id, value});
  }
  if (q.indices.overall) {
    const OverallIndex& o = *q.indices.overall;
    int valid = 0;
    double weighted = 0;
    double weights = 0;
    for (const auto& [id, w] : o.weights) {
      const std::optional<double>& s = subindex_values[id];
      if (!s) continue;
      ++valid;
      weighted += w * *s;
      weights += w;
    }
    if (valid >= o.min_subindices && valid > 0) scores.overall = weighted / weights;
  }
  for (const Share& share : q.indices.shares) {
    int asked = 0;
    int yes = 0;
    int open = 0;
    for (const std::string& id : share.items) {
      const Item* item = q.FindItem(id);
      if (!item) continue;
      const ItemAnswer a = Resolve(q, *item, answers);
      if (a.state == State::kNotAsked) continue;
      ++asked;
      if (a.state == State::kNoAnswer) ++open;
      else if (AnyIn(a.codes, share.codes)) ++yes;
    }
    std::optional<bool> flag;
    if (asked > 0 && yes >= share.min_count) flag = true;
    else if (asked > 0 && yes + open < share.min_count) flag = false;
    scores.shares.push_back({share.id, flag});
  }
  for (const Prevalence& prev : q.indices.prevalences) {
    int asked = 0;
    bool any = false;
    bool all_answered = true;
    for (const std::string& id : prev.items) {
      const Item* item = q.FindItem(id);
      if (!item) continue;
      const ItemAnswer a = Resolve(q, *item, answers);
      if (a.state == State::kNotAsked) continue;
      ++asked;
      if (a.state == State::kNoAnswer) all_answered = false;
      else if (AnyIn(a.codes, prev.codes)) any = true;
    }
    std::optional<bool> flag;
    if (any) flag = true;
    else if (asked > 0 && all_answered) flag = false;
    scores.prevalences.push_back({prev.id, flag});
  }
  return scores;
}

std::string ScoresToJson(const Scores& scores) {
  std::string out = "{\"items\":{";
  auto named = [&](const std::vector<NamedScore>& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += ",";
      core::AppendJsonString(out, list[i].id);
      out += ':';
      AppendNumber(&out, list[i].value);
    }
  };
  auto flags = [&](const std::vector<NamedFlag>& list) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += ",";
      core::AppendJsonString(out, list[i].id);
      out += ':';
      out += list[i].value ? (*list[i].value ? "1" : "0") : "null";
    }
  };
  named(scores.items);
  out += "},\"subindices\":{";
  named(scores.subindices);
  out += "},\"overall\":";
  AppendNumber(&out, scores.overall);
  out += ",\"shares\":{";
  flags(scores.shares);
  out += "},\"prevalences\":{";
  flags(scores.prevalences);
  out += "}}";
  return out;
}

}  // namespace tryghed::questionnaire
