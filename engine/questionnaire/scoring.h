#pragma once
// tryghed::questionnaire — skip logic, checking one response, and scoring one
// response into item scores, sub-indices, the overall index, headline shares
// and prevalences, exactly as docs/questionnaire-format.md "Scoring one
// response" says.
//
// Example:
//
//   core::Result<core::Answers> a = ParseAnswers(q, json_text, "answers.json");
//   std::vector<AnswerProblem> problems = CheckAnswers(q, *a);
//   if (problems.empty()) {
//     Scores s = ScoreResponse(q, *a);
//     if (s.overall) std::cout << *s.overall;     // 0–100, 100 = most favourable
//   }
//
// "No score" is always an empty std::optional, never NaN. Thread-safe; no
// state; the questionnaire must come from the loader (its invariants are
// relied upon, e.g. that show_if refers only to earlier items).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/answers.h"
#include "core/status.h"
#include "questionnaire/model.h"

namespace tryghed::questionnaire {

// True when `condition` holds for `answers`. A leaf is true when the named
// item was asked and answered and its code (or, for multiple/place, any code
// of its set) is one of the leaf's codes; otherwise false (also for a wrong
// answer type).
bool EvaluateCondition(const Questionnaire& q, const Condition& condition, const core::Answers& answers);

// True when `item` is asked given `answers`: it has no show_if, or its
// show_if holds. An item that was not asked is neither answered nor missing.
bool IsAsked(const Questionnaire& q, const Item& item, const core::Answers& answers);

// One problem with one response, e.g. item "T1", message
// "T1: 9 is not a code of T1; its codes are 1, 2, 3, 4, 5, 6, 7, 8".
// The message always starts with the item id and names the value.
struct AnswerProblem {
  std::string item;
  std::string message;
};

// Every problem with `answers`: an unknown item, a wrong answer type for the
// item's type, an unknown code, a repeated code in a set, a number outside
// [min, max] or not whole for an integer item, a text longer than max_length
// characters, and an answer to an item that was not asked. Empty when valid.
// In questionnaire order, unknown items last.
std::vector<AnswerProblem> CheckAnswers(const Questionnaire& q, const core::Answers& answers);

// CheckAnswers as a Status: ok, or InvalidInput with the messages joined by "; ".
core::Status ValidateAnswers(const Questionnaire& q, const core::Answers& answers);

// Reads a response written as JSON: an object from item id to a code
// (integer), a list of codes, a number or a string; null means no answer.
// Numbers become core::Code when the item is single-coded (or unknown) and
// written as an integer, double otherwise; a list of codes is sorted.
// InvalidInput with "FILE:LINE:COL: ..." for a syntax error or a value no item
// can take (an object, a boolean, a non-integer code in a list). Checking the
// values against the items is CheckAnswers's job.
core::Result<core::Answers> ParseAnswers(const Questionnaire& q, std::string_view json, const std::string& file_name);

// A named value that may be absent.
struct NamedScore {
  std::string id;
  std::optional<double> value;
};
struct NamedFlag {
  std::string id;
  std::optional<bool> value;
};

// The scores of one response. Every list follows the questionnaire's order.
struct Scores {
  std::vector<NamedScore> items;        // every sub-index item: 0–100, 100 = most favourable
  std::vector<NamedScore> subindices;   // mean of item scores when the min_share rule holds
  std::optional<double> overall;        // weighted mean of valid sub-indices (min_subindices rule)
  std::vector<NamedFlag> shares;        // true = counts as 1, false = 0, empty = not in the base
  std::vector<NamedFlag> prevalences;
};

// The scores of one response. Assumes CheckAnswers found no problems; values
// it would reject (unknown codes, wrong types, answers to items not asked)
// are treated as no answer.
//
// Sub-index rule: valid when scored ≥ 1 and scored / asked ≥ min_share − 0.005
// (so that two thirds may be written 0.67 or 0.6667), where asked counts the
// sub-index's items whose show_if holds.
Scores ScoreResponse(const Questionnaire& q, const core::Answers& answers);

// `scores` as one JSON object:
// {"items":{"T1":50,...},"subindices":{...},"overall":61.5,"shares":{"tryg":1,...},"prevalences":{...}}
// with null for "no score" and numbers in shortest round-trip form.
std::string ScoresToJson(const Scores& scores);

}  // namespace tryghed::questionnaire
