#pragma once
// tryghed::evaluation — the scored respondent table an evaluation works on.
//
// StudyData is everything Evaluate (evaluate.h) needs, with no database in
// sight: the areas, the waves in creation order (the first is the baseline),
// each wave's population margins per area, the indicators, and one row per
// response with its wave, area, channel, background codes and scores.
// LoadStudy fills it from a Store; tests build one by hand.
//
// Example:
//
//   core::Result<StudyData> data = LoadStudy(*db, "demo");
//   if (!data.ok()) return data.status();
//   core::Result<EvaluationResult> r = Evaluate(*data, {});
//
// Plain values: copy freely, share read-only between threads. Thread safety
// of LoadStudy is the Store's (it only reads).
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/answers.h"
#include "core/status.h"
#include "evaluation/result.h"
#include "questionnaire/model.h"
#include "store/store.h"

namespace tryghed::evaluation {

// One indicator: a column of Respondent::values.
struct Indicator {
  std::string id;
  std::string label;
  IndicatorKind kind = IndicatorKind::kOverall;
  // Sub-indices: the scored items (ids in StudyData::items) it averages, for
  // Cronbach's alpha. Empty for other kinds.
  std::vector<std::string> items = {};
};

// One answer option of an item or background variable.
struct Category {
  core::Code code = 0;
  std::string label;
  bool non_substantive = false;  // "Ved ikke", "Vil ikke svare"
};

// Text and options of one scored item (parallel to StudyData::items).
struct ItemDefinition {
  std::string text;
  std::vector<Category> options;  // questionnaire order
};

// A place item: a multi-select list of places where the resident feels
// unsafe (questionnaire type "place").
struct PlaceItem {
  std::string id;                 // e.g. "S2"
  std::string text;               // the question, default language
  std::vector<Category> options;  // substantive options, questionnaire order
};

// A background variable the questionnaire defines (sex, age band, ...).
struct BackgroundVariable {
  std::string role;               // "age_band", "sex", "years_in_area", "block"
  std::string label;              // the item's text
  std::vector<Category> levels;   // substantive options, questionnaire order
};

// Invitation dispositions of one wave × area (store::Disposition).
struct DispositionCounts {
  std::int64_t not_used = 0;
  std::int64_t complete = 0;
  std::int64_t partial = 0;
  std::int64_t refused = 0;
  std::int64_t undeliverable = 0;
  std::int64_t not_eligible = 0;
};

struct AreaData {
  std::string name;
  store::AreaRole role = store::AreaRole::kPilot;
  std::optional<std::int64_t> population;  // residents in the survey population
};

struct WaveData {
  std::string label;
  // Population margins per area, in the order of StudyData::areas (empty
  // vector: none). Margin = background role ("sex", "age_band"), level = the
  // answer code as text ("1", "2").
  std::vector<std::vector<store::Margin>> margins;
  // Invitation dispositions per area, in the order of StudyData::areas; an
  // empty vector or an area without invitations (all counts 0): no rates.
  std::vector<DispositionCounts> dispositions = {};
};

// One scored response.
struct Respondent {
  std::size_t wave = 0;  // index into StudyData::waves
  std::size_t area = 0;  // index into StudyData::areas
  store::Channel channel = store::Channel::kLink;
  // Background role -> substantive answer code; a role that was not answered
  // (or answered with a non-substantive code) is absent.
  std::map<std::string, core::Code> background;
  // One per StudyData::indicators: a score 0–100, or 0/1 for shares and
  // prevalences; empty = no value (not in the base, too few items).
  std::vector<std::optional<double>> values;
  // One per StudyData::items: the item score, empty = not answered.
  std::vector<std::optional<double>> items;
  // One per StudyData::items (may be shorter): the answer code as given,
  // non-substantive codes included; empty = not answered or not asked.
  std::vector<std::optional<core::Code>> codes = {};
  // One per StudyData::place_items (may be shorter): the places named, or
  // an empty set for a respondent the item was not asked because the
  // question(s) its show_if names were answered otherwise (e.g. "Are there
  // places where you feel unsafe?" – "No"); empty optional = not in the
  // base (skipped, only non-substantive codes, or the gate unanswered).
  std::vector<std::optional<std::vector<core::Code>>> places = {};
  // The day the response was received (YYYY-MM-DD), "" when unknown.
  std::string received_on = {};
};

struct StudyData {
  std::string study;
  std::vector<AreaData> areas;
  std::vector<WaveData> waves;           // creation order; waves[0] is the baseline
  std::vector<Indicator> indicators;     // overall, sub-indices, shares, prevalences
  std::vector<std::string> items;        // scored items, for item non-response
  // Parallel to items (may be shorter): texts and options, for answer
  // distributions; an item without a definition lists the codes seen.
  std::vector<ItemDefinition> item_definitions = {};
  // The background variables, for groups (questionnaire::kBackgroundRoles
  // order). Empty: groups are formed from the codes seen in
  // Respondent::background, labelled by their code.
  std::vector<BackgroundVariable> background = {};
  // The place items of the questionnaire(s), in questionnaire order.
  std::vector<PlaceItem> place_items = {};
  std::vector<Respondent> respondents;
  // The index definitions of the first questionnaire AddIndicators saw
  // (copied into EvaluationResult::definitions); empty without one.
  std::optional<IndexDefinitions> definitions = std::nullopt;
};

// Appends the indicators and scored items of `q` that `data` does not have
// yet (by id), in the questionnaire's order: overall, sub-indices, shares,
// prevalences. Existing respondents get empty values for new columns.
// Labels are taken in `q`'s default language. The first questionnaire also
// sets `definitions`; a later one whose definitions differ adds a note there.
void AddIndicators(StudyData& data, const questionnaire::Questionnaire& q);

// Scores `answers` with questionnaire::ScoreResponse and appends the row
// (its codes too; received_on stays "").
// AddIndicators(data, q) must have been called for `q`. InvalidArgument when
// `wave` or `area` is out of range.
core::Status AddResponse(StudyData& data, const questionnaire::Questionnaire& q, std::size_t wave,
                         std::size_t area, store::Channel channel, const core::Answers& answers);

// Reads the study named `study_name` from `db`: its areas, its waves (in
// creation order), the margins of every area for every wave (the wave's own
// or the area's default), every wave's questionnaire version (loaded and
// checked), every response, scored, with its day, the background variables
// and item definitions of the first version, and the invitation
// dispositions per wave × area. Waves without a questionnaire
// version are kept (they have no responses). NotFound when the study does
// not exist; InvalidInput when a stored questionnaire no longer loads or a
// response names an area outside the study; store errors pass through.
core::Result<StudyData> LoadStudy(store::Store& db, const std::string& study_name);

// The store's counts of one wave × area by disposition
// (Store::CountDispositions) summed into DispositionCounts.
DispositionCounts SumDispositions(const std::vector<store::DispositionCount>& counts);

}  // namespace tryghed::evaluation
