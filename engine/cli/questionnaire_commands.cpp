// tryghed questionnaire check|show|score|hash — the questionnaire verbs.
#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/file.h"
#include "questionnaire/loader.h"
#include "questionnaire/scoring.h"

namespace tryghed::cli {

namespace {

namespace qn = ::tryghed::questionnaire;

// Options of the questionnaire verbs; owned by the callbacks.
struct QuestionnaireOptions {
  std::vector<std::string> files;
  std::string file;
  std::string answers;
  std::string lang;
};

// Loads `path` for a verb that needs a valid questionnaire: prints the
// problems to err and returns nullopt with *exit_code set (2) otherwise.
std::optional<qn::Questionnaire> LoadForVerb(const std::string& path, const Io& io, int* exit_code) {
  core::Result<std::string> text = core::ReadFile(path);
  if (!text.ok()) {
    io.err << "tryghed: cannot read " << path << ": " << text.status().message() << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  qn::LoadOutcome out = qn::CheckQuestionnaire(*text, path);
  if (!out.questionnaire) {
    for (const qn::Problem& p : out.problems) io.err << p.ToString() << "\n";
    io.err << path << ": invalid questionnaire (" << out.problems.size()
           << (out.problems.size() == 1 ? " problem" : " problems")
           << "); run `tryghed questionnaire check " << path << "`\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  return std::move(out.questionnaire);
}

int RunCheck(const QuestionnaireOptions& o, const Io& io) {
  bool unreadable = false;
  bool invalid = false;
  for (const std::string& path : o.files) {
    core::Result<std::string> text = core::ReadFile(path);
    if (!text.ok()) {
      io.err << "tryghed: cannot read " << path << ": " << text.status().message() << "\n";
      unreadable = true;
      continue;
    }
    qn::LoadOutcome out = qn::CheckQuestionnaire(*text, path);
    if (out.questionnaire) {
      io.out << path << ": ok, " << out.questionnaire->ItemCount() << " items, hash "
             << out.questionnaire->content_hash << "\n";
      continue;
    }
    invalid = true;
    for (const qn::Problem& p : out.problems) io.err << p.ToString() << "\n";
    io.err << path << ": invalid, " << out.problems.size() << (out.problems.size() == 1 ? " problem" : " problems")
           << "\n";
  }
  if (unreadable) return kExitUsage;
  return invalid ? kExitInvalid : kExitOk;
}

// --- show -------------------------------------------------------------------

std::string T(const qn::Text& text, const std::string& lang) {
  auto it = text.find(lang);
  return it == text.end() ? std::string() : it->second;
}

std::string CodeWithLabel(const qn::Questionnaire& q, const std::string& item_id, core::Code code,
                          const std::string& lang) {
  std::string s = std::to_string(code);
  if (const qn::Item* item = q.FindItem(item_id)) {
    if (const qn::Option* o = item->FindOption(code)) s += " \"" + T(o->label, lang) + "\"";
  }
  return s;
}

std::string ConditionInWords(const qn::Questionnaire& q, const qn::Condition& c, const std::string& lang) {
  auto codes = [&](const std::string& joiner) {
    std::string s;
    for (std::size_t i = 0; i < c.codes.size(); ++i) {
      if (i > 0) s += i + 1 == c.codes.size() ? joiner : ", ";
      s += CodeWithLabel(q, c.item, c.codes[i], lang);
    }
    return s;
  };
  auto children = [&](const std::string& joiner) {
    std::string s;
    for (std::size_t i = 0; i < c.children.size(); ++i) {
      if (i > 0) s += joiner;
      s += "(" + ConditionInWords(q, c.children[i], lang) + ")";
    }
    return s;
  };
  switch (c.kind) {
    case qn::Condition::Kind::kEquals: return c.item + " was answered " + codes(" or ");
    case qn::Condition::Kind::kIn: return c.item + " was answered " + codes(" or ");
    case qn::Condition::Kind::kAnyOf: return c.item + " includes any of " + codes(" or ");
    case qn::Condition::Kind::kAll: return children(" and ");
    case qn::Condition::Kind::kAny: return children(" or ");
    case qn::Condition::Kind::kNot: return "not " + children("");
  }
  return "";
}

std::string Num(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}

std::string CodeSet(const std::vector<core::Code>& codes) {
  std::string s = "{";
  for (std::size_t i = 0; i < codes.size(); ++i) s += (i ? ", " : "") + std::to_string(codes[i]);
  return s + "}";
}

std::string ItemList(const std::vector<std::string>& items) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
  return s;
}

void Show(const qn::Questionnaire& q, const std::string& lang, std::ostream& out) {
  out << T(q.title, lang) << "\n";
  out << q.id << ", version " << q.version << ", hash " << q.content_hash << "\n";
  out << "Languages: " << ItemList(q.languages) << " (default " << q.default_language;
  if (!q.rtl_languages.empty()) out << "; right to left: " << ItemList(q.rtl_languages);
  out << "); shown in " << lang << "\n";
  int number = 0;
  int section_number = 0;
  for (const qn::Section& s : q.sections) {
    out << "\n== " << ++section_number << ". " << T(s.title, lang) << " [" << s.id << "] ==\n";
    if (s.intro) out << T(*s.intro, lang) << "\n";
    for (const qn::Item& item : s.items) {
      out << "\n" << ++number << ". [" << item.id << "] " << T(item.text, lang) << "\n";
      out << "   (" << qn::ItemTypeName(item.type);
      if (!item.scale.empty()) out << ", scale " << item.scale;
      if (qn::IsMultiCoded(item.type)) out << ", mark all that apply";
      out << ")\n";
      if (item.help) out << "   " << T(*item.help, lang) << "\n";
      if (item.show_if) out << "   Asked only if " << ConditionInWords(q, *item.show_if, lang) << ".\n";
      for (const qn::Option& o : item.options) {
        out << "   [ ] " << o.code << "  " << T(o.label, lang) << (o.missing ? "   (missing)" : "") << "\n";
      }
      if (item.type == qn::ItemType::kNumber) {
        out << "   ____ " << (item.unit ? T(*item.unit, lang) + " " : "") << "(" << Num(item.min) << " to "
            << Num(item.max) << (item.integer ? ", whole numbers" : "") << ")\n";
      }
      if (item.type == qn::ItemType::kText) {
        out << "   ________________ (free text, at most " << item.max_length << " characters; sensitive)\n";
      }
    }
  }
  const qn::Indices& ix = q.indices;
  if (!ix.subindices.empty() || ix.overall || !ix.shares.empty() || !ix.prevalences.empty()) {
    out << "\n== Indices ==\n";
  }
  for (const qn::SubIndex& sub : ix.subindices) {
    out << "Sub-index " << sub.id << " \"" << T(sub.label, lang) << "\": mean of the item scores (0-100), valid when at least "
        << Num(sub.min_share) << " of the asked items are answered\n";
    for (const qn::SubIndexItem& si : sub.items) {
      out << "   " << si.item << ": higher code is " << (si.higher_is_better ? "better" : "worse") << ", range "
          << Num(si.min) << ".." << Num(si.max) << "\n";
    }
  }
  if (ix.overall) {
    out << "Overall " << ix.overall->id << " \"" << T(ix.overall->label, lang)
        << "\": weighted mean of the valid sub-indices, needs at least " << ix.overall->min_subindices << "; weights";
    for (const auto& [id, w] : ix.overall->weights) out << " " << id << " " << Num(w);
    out << "\n";
  }
  for (const qn::Share& share : ix.shares) {
    out << "Share " << share.id << " \"" << T(share.label, lang) << "\": ";
    if (share.items.size() == 1) {
      out << share.items.front() << " answered " << CodeSet(share.codes) << "\n";
    } else {
      out << "at least " << share.min_count << " of " << ItemList(share.items) << " answered " << CodeSet(share.codes)
          << "\n";
    }
  }
  for (const qn::Prevalence& p : ix.prevalences) {
    out << "Prevalence " << p.id << " \"" << T(p.label, lang) << "\": any of " << ItemList(p.items) << " answered "
        << CodeSet(p.codes) << "\n";
  }
  if (!q.background.empty()) {
    out << "\n== Background ==\n";
    for (std::string_view role : qn::kBackgroundRoles) {
      auto it = q.background.find(std::string(role));
      if (it != q.background.end()) out << role << ": " << it->second << "\n";
    }
  }
}

int RunShow(const QuestionnaireOptions& o, const Io& io) {
  int code = kExitOk;
  std::optional<qn::Questionnaire> q = LoadForVerb(o.file, io, &code);
  if (!q) return code;
  std::string lang = o.lang.empty() ? q->default_language : o.lang;
  if (std::find(q->languages.begin(), q->languages.end(), lang) == q->languages.end()) {
    io.err << "tryghed: --lang " << lang << " is not a language of " << o.file << "; use one of "
           << ItemList(q->languages) << "\n";
    return kExitUsage;
  }
  Show(*q, lang, io.out);
  return kExitOk;
}

int RunScore(const QuestionnaireOptions& o, const Io& io) {
  int code = kExitOk;
  std::optional<qn::Questionnaire> q = LoadForVerb(o.file, io, &code);
  if (!q) return code;
  core::Result<std::string> text = core::ReadFile(o.answers);
  if (!text.ok()) {
    io.err << "tryghed: cannot read " << o.answers << ": " << text.status().message() << "\n";
    return kExitUsage;
  }
  core::Result<core::Answers> answers = qn::ParseAnswers(*q, *text, o.answers);
  if (!answers.ok()) {
    io.err << answers.status().message() << "\n";
    return kExitUsage;
  }
  std::vector<qn::AnswerProblem> problems = qn::CheckAnswers(*q, *answers);
  if (!problems.empty()) {
    for (const qn::AnswerProblem& p : problems) io.err << o.answers << ": " << p.message << "\n";
    io.err << o.answers << ": invalid, " << problems.size() << (problems.size() == 1 ? " problem" : " problems")
           << "\n";
    return kExitInvalid;
  }
  io.out << qn::ScoresToJson(qn::ScoreResponse(*q, *answers)) << "\n";
  return kExitOk;
}

int RunHash(const QuestionnaireOptions& o, const Io& io) {
  int code = kExitOk;
  std::optional<qn::Questionnaire> q = LoadForVerb(o.file, io, &code);
  if (!q) return code;
  io.out << q->content_hash << "\n";
  return kExitOk;
}

}  // namespace

void AddQuestionnaireCommands(CLI::App& app, const Io& io) {
  auto opts = std::make_shared<QuestionnaireOptions>();
  CLI::App* group = app.add_subcommand("questionnaire", "Check, show, score and hash questionnaire files");
  group->require_subcommand(1);
  group->footer("Example:\n  tryghed questionnaire check questionnaires/*.json");

  CLI::App* check = group->add_subcommand(
      "check", "Check questionnaire files against docs/questionnaire-format.md; report every problem with FILE:LINE:COL");
  check->add_option("FILE", opts->files, "Questionnaire JSON files")->required();
  check->footer(
      "Prints \"FILE: ok, <n> items, hash <hash>\" for a valid file, and every problem of an invalid one on stderr.\n"
      "Exit codes: 0 all valid, 1 a file is invalid, 2 a file cannot be read.\n"
      "Example:\n  tryghed questionnaire check questionnaires/tryghed-standard.json questionnaires/collective-efficacy.json");
  check->callback([opts, io] { Finish(RunCheck(*opts, io)); });

  CLI::App* show = group->add_subcommand(
      "show", "Print a questionnaire as readable text with codes (for review and as a paper version)");
  show->add_option("FILE", opts->file, "Questionnaire JSON file")->required();
  show->add_option("--lang", opts->lang, "Language to show (default: the questionnaire's default_language)");
  show->footer("Exit codes: 0 shown, 2 the file cannot be read or is invalid, or --lang is not declared.\n"
               "Example:\n  tryghed questionnaire show questionnaires/tryghed-standard.json --lang da");
  show->callback([opts, io] { Finish(RunShow(*opts, io)); });

  CLI::App* score = group->add_subcommand(
      "score", "Check one response (a JSON object item -> answer) and print its scores as JSON");
  score->add_option("FILE", opts->file, "Questionnaire JSON file")->required();
  score->add_option("ANSWERS", opts->answers, "Answers JSON file, e.g. {\"T1\": 2, \"M1\": [1, 3], \"B3\": 12}")
      ->required();
  score->footer(
      "Prints {\"items\":..., \"subindices\":..., \"overall\":..., \"shares\":..., \"prevalences\":...}; null = no score.\n"
      "Exit codes: 0 scored, 1 the answers are invalid for the questionnaire, 2 a file cannot be read or parsed,\n"
      "or the questionnaire is invalid.\n"
      "Example:\n  tryghed questionnaire score questionnaires/tryghed-standard.json answers.json");
  score->callback([opts, io] { Finish(RunScore(*opts, io)); });

  CLI::App* hash = group->add_subcommand(
      "hash", "Print the content hash (SHA-256 of the canonical JSON): the questionnaire's version id");
  hash->add_option("FILE", opts->file, "Questionnaire JSON file")->required();
  hash->footer("Exit codes: 0 printed, 2 the file cannot be read or is invalid.\n"
               "Example:\n  tryghed questionnaire hash questionnaires/tryghed-standard.json");
  hash->callback([opts, io] { Finish(RunHash(*opts, io)); });
}

}  // namespace tryghed::cli
