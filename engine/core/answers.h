#pragma once
// tryghed::core — one resident's answers, as the form, the store, the
// importer and the scorer all see them: a map from item id to the answer.
// The meaning of the codes lives in the questionnaire; this is only the data.
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace tryghed::core {

// One answer. Which alternative an item takes follows its type
// (docs/questionnaire-format.md):
//   single, yesno       -> Code
//   multiple, place     -> Codes (sorted, no duplicates)
//   number              -> double
//   text                -> std::string (sensitive free text)
using Code = std::int64_t;
using Codes = std::vector<Code>;
using AnswerValue = std::variant<Code, Codes, double, std::string>;

// Item id -> answer. An item without an entry was not answered (or not asked).
using Answers = std::map<std::string, AnswerValue>;

}  // namespace tryghed::core
