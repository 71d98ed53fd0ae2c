#pragma once
// tryghed::questionnaire — reading and checking a questionnaire file.
//
// The loader parses the JSON (strict RFC 8259, UTF-8), checks every rule of
// docs/questionnaire-format.md — the structure that questionnaires/schema.json
// describes and the rules a schema cannot express (references, order, sums);
// the schema itself is compiled in and applied last as a safety net — and
// returns either a Questionnaire that keeps every invariant stated in
// model.h, or the complete list of problems. Each problem is located:
//
//   q.json:41:17: $.sections[1].items[3].show_if.item: "T9" is not an earlier
//   item; show_if may only refer to items that come before "P2"
//
// Example:
//
//   LoadOutcome out = CheckQuestionnaire(text, "q.json");
//   for (const Problem& p : out.problems) std::cerr << p.ToString() << "\n";
//   if (out.questionnaire) Use(*out.questionnaire);
//
// Thread-safe; no state; nothing is read from disk except by
// LoadQuestionnaireFile.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "questionnaire/model.h"

namespace tryghed::questionnaire {

// One problem in a questionnaire file. `line` and `column` are 1-based;
// columns count Unicode code points. `path` is a JSON path such as
// `$.sections[1].items[3].show_if.item` ("$" for the whole document).
struct Problem {
  std::string file;
  int line = 1;
  int column = 1;
  std::string path;
  std::string message;

  // "FILE:LINE:COL: PATH: MESSAGE".
  std::string ToString() const;
};

// Everything a check found: the problems in document order (empty when the
// file is valid) and the questionnaire exactly when there are no problems.
struct LoadOutcome {
  std::optional<Questionnaire> questionnaire;
  std::vector<Problem> problems;
};

// Parses and checks `json`; `file_name` is only used in messages. Reports
// every problem at once (a JSON syntax error stops at that error, since
// nothing after it can be read). Sets content_hash on success.
LoadOutcome CheckQuestionnaire(std::string_view json, const std::string& file_name);

// The same as a Result: the questionnaire, or InvalidInput whose message is
// every problem's ToString(), one per line.
core::Result<Questionnaire> LoadQuestionnaire(std::string_view json, const std::string& file_name);

// Reads `path` and loads it. NotFound/InvalidInput from core::ReadFile when
// the file cannot be read; otherwise as LoadQuestionnaire.
core::Result<Questionnaire> LoadQuestionnaireFile(const std::string& path);

}  // namespace tryghed::questionnaire
