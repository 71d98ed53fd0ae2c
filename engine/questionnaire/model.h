#pragma once
// tryghed::questionnaire — the questionnaire as plain data.
//
// A Questionnaire is what `questionnaires/*.json` says (format
// `tryghed-questionnaire/1`, docs/questionnaire-format.md) after the loader
// (questionnaire/loader.h) has checked it: every reference resolves, every
// text exists in every declared language, scale references are resolved into
// each item's own option list, and defaults are filled in. Code that receives
// a Questionnaire from the loader may rely on these invariants; code that
// builds one by hand must keep them itself.
//
// Example:
//
//   core::Result<Questionnaire> q = LoadQuestionnaireFile("questionnaires/tryghed-standard.json");
//   if (!q.ok()) { ...q.status().message()... }
//   for (const Section& s : q->sections)
//     for (const Item& item : s.items) std::cout << item.id << "\n";
//
// Plain values: copy freely, share read-only between threads.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/answers.h"

namespace tryghed::questionnaire {

// The only format this code reads.
inline constexpr std::string_view kFormat = "tryghed-questionnaire/1";

// A text in every declared language: language code -> non-empty string.
using Text = std::map<std::string, std::string>;

// One answer option. `missing` marks non-substantive answers ("Ved ikke",
// "Vil ikke svare"): stored like any code, scored as missing.
struct Option {
  core::Code code = 0;
  Text label;
  bool missing = false;
};

// The answer types (docs/questionnaire-format.md, "Types").
enum class ItemType { kSingle, kYesNo, kMultiple, kNumber, kText, kPlace };

// "single", "yesno", ... as written in the file.
std::string_view ItemTypeName(ItemType type);

// True for the types whose answer is one code (single, yesno).
bool IsSingleCoded(ItemType type);
// True for the types whose answer is a set of codes (multiple, place).
bool IsMultiCoded(ItemType type);
// True for the types that have options (single, yesno, multiple, place).
bool HasOptions(ItemType type);

// A `show_if` condition tree. Leaves (kEquals, kIn, kAnyOf) name an earlier
// item and codes; kAll/kAny hold `children`; kNot holds exactly one child.
struct Condition {
  enum class Kind { kEquals, kIn, kAnyOf, kAll, kAny, kNot };
  Kind kind = Kind::kEquals;
  std::string item;                  // leaves only
  std::vector<core::Code> codes;     // leaves only; kEquals has one
  std::vector<Condition> children;   // kAll, kAny (one or more), kNot (one)
};

// One question. Which fields matter follows `type`:
//   single, yesno, multiple, place: options (yesno without options gets
//     yes = 1, no = 2 with built-in labels);
//   number: min, max, integer, unit;
//   text: max_length (always sensitive).
struct Item {
  std::string id;
  ItemType type = ItemType::kSingle;
  Text text;
  std::optional<Text> help;
  std::optional<Condition> show_if;
  std::string scale;                 // the scale's name when options came from one, else ""
  std::vector<Option> options;       // resolved, in file order
  double min = 0;                    // number only
  double max = 0;                    // number only
  bool integer = true;               // number only
  std::optional<Text> unit;          // number only
  int max_length = 500;              // text only, in characters
  std::string section;               // id of the section holding the item

  // The option with `code`, or nullptr.
  const Option* FindOption(core::Code code) const;
  // Codes of the options not flagged missing, in file order.
  std::vector<core::Code> SubstantiveCodes() const;
};

// One page of the form.
struct Section {
  std::string id;
  Text title;
  std::optional<Text> intro;
  std::vector<Item> items;
};

// A named, shared option list (`scales` in the file).
struct Scale {
  std::string name;
  std::vector<Option> options;
};

// One item of a sub-index, with its orientation and the range used for POMP
// scaling (defaults: smallest and largest substantive code of the item).
struct SubIndexItem {
  std::string item;
  bool higher_is_better = true;
  double min = 0;
  double max = 0;
};

// A sub-index (Tryghed, Problemfrihed, ...). Valid for a respondent when the
// number of scored items is at least `min_share` times the number of its
// items that were asked (see scoring.h).
struct SubIndex {
  std::string id;
  Text label;
  double min_share = 2.0 / 3.0;
  std::vector<SubIndexItem> items;
};

// The overall index: a weighted mean of the valid sub-indices. `weights` are
// in the order of the sub-indices and name each exactly once; they sum to 1.
struct OverallIndex {
  std::string id;
  Text label;
  int min_subindices = 0;
  std::vector<std::pair<std::string, double>> weights;
};

// A headline share ("% utryg"): 1 when at least `min_count` of `items` have a
// code in `codes`. A one-`item` share in the file is `items` = {item},
// min_count = 1 here.
struct Share {
  std::string id;
  Text label;
  std::vector<std::string> items;
  std::vector<core::Code> codes;
  int min_count = 1;
};

// A prevalence ("% udsat"): 1 when any of `items` has a code in `codes`.
struct Prevalence {
  std::string id;
  Text label;
  std::vector<std::string> items;
  std::vector<core::Code> codes;
};

// Everything that turns answers into index values.
struct Indices {
  std::vector<SubIndex> subindices;
  std::optional<OverallIndex> overall;
  std::vector<Share> shares;
  std::vector<Prevalence> prevalences;
};

// The standard background roles, in this order.
inline constexpr std::string_view kBackgroundRoles[] = {"age_band", "sex", "years_in_area", "block"};

// A whole questionnaire version.
struct Questionnaire {
  std::string format{kFormat};
  std::string id;
  std::string version;
  Text title;
  std::vector<std::string> languages;
  std::string default_language;
  std::vector<std::string> rtl_languages;      // after defaults
  std::vector<Scale> scales;                   // sorted by name
  std::vector<Section> sections;
  Indices indices;
  std::map<std::string, std::string> background;  // role -> item id
  // SHA-256 of the canonical JSON (questionnaire/canonical.h): the version id.
  std::string content_hash;

  // The item with `id`, or nullptr. Linear in the number of items.
  const Item* FindItem(std::string_view item_id) const;
  // Position of the item in questionnaire order (0-based), or -1.
  int ItemOrdinal(std::string_view item_id) const;
  // Number of items over all sections.
  int ItemCount() const;
};

}  // namespace tryghed::questionnaire
