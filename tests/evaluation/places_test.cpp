// Places where residents feel unsafe (Cell::places) from the standard
// questionnaire's S1 (gate, yes/no) and S2 (place, multi-select), with the
// base and the shares worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/file.h"
#include "evaluation/dataset.h"
#include "evaluation/evaluate.h"
#include "evaluation/result.h"
#include "questionnaire/loader.h"

namespace tryghed::evaluation {
namespace {

questionnaire::Questionnaire Standard() {
  auto text = core::ReadFile(std::string(TRYGHED_SOURCE_DIR) + "/questionnaires/tryghed-standard.json");
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  auto q = questionnaire::LoadQuestionnaire(text.ok() ? *text : "", "tryghed-standard.json");
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  return q.ok() ? *q : questionnaire::Questionnaire{};
}

// Nine respondents of one cell (no population, so no fpc; unweighted):
//   A1 S1 yes, S2 {1, 3}     A2 S1 yes, S2 {1}     A3 S1 yes, S2 {2}
//   B1–B3 S1 no (S2 not asked: in the base, naming no place)
//   C  nothing               D  S1 yes, S2 skipped  E  S1 "Ved ikke" (8)
// Base: A1–A3, B1–B3 = 6. Place 1: 2 of 6; place 2: 1 of 6; place 3: 1 of 6;
// places 4–7 and 96: 0 of 6.
EvaluationResult Evaluated(const questionnaire::Questionnaire& q) {
  StudyData d;
  d.study = "places";
  d.areas = {{"P", store::AreaRole::kPilot, std::nullopt}};
  d.waves = {{"b", {{}}}};
  AddIndicators(d, q);
  auto add = [&](core::Answers a) { EXPECT_TRUE(AddResponse(d, q, 0, 0, store::Channel::kLink, a).ok()); };
  add({{"S1", core::Code{1}}, {"S2", core::Codes{1, 3}}});
  add({{"S1", core::Code{1}}, {"S2", core::Codes{1}}});
  add({{"S1", core::Code{1}}, {"S2", core::Codes{2}}});
  for (int i = 0; i < 3; ++i) add({{"S1", core::Code{2}}});
  add({});
  add({{"S1", core::Code{1}}});
  add({{"S1", core::Code{8}}});
  EvaluationOptions o;
  o.weighted = false;
  o.disclosure.min_cell = 3;
  auto r = Evaluate(d, o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : EvaluationResult{};
}

TEST(Places, TheStandardQuestionnaireHasOnePlaceItemWithEightPlaces) {
  const questionnaire::Questionnaire q = Standard();
  StudyData d;
  AddIndicators(d, q);
  ASSERT_EQ(d.place_items.size(), 1u);
  EXPECT_EQ(d.place_items[0].id, "S2");
  EXPECT_EQ(d.place_items[0].text, "Hvor føler du dig utryg?");
  ASSERT_EQ(d.place_items[0].options.size(), 8u);
  EXPECT_EQ(d.place_items[0].options[0].label, "Parkeringspladsen");
  EXPECT_EQ(d.place_items[0].options[7].code, 96);
}

TEST(Places, SharesOfTheBaseByHand) {
  const EvaluationResult r = Evaluated(Standard());
  ASSERT_EQ(r.cells.size(), 1u);
  const Cell& c = r.cells[0];
  EXPECT_EQ(c.respondents, 9);
  ASSERT_EQ(c.places.size(), 1u);
  const PlaceShares& p = c.places[0];
  EXPECT_EQ(p.item, "S2");
  EXPECT_EQ(p.base, 6);
  ASSERT_EQ(p.places.size(), 8u);
  const Estimate& car_park = p.places[0];
  EXPECT_EQ(car_park.id, "1");
  EXPECT_EQ(car_park.label, "Parkeringspladsen");
  EXPECT_EQ(car_park.kind, IndicatorKind::kShare);
  EXPECT_EQ(car_park.n, 6);
  EXPECT_EQ(car_park.missing, 3);
  ASSERT_TRUE(car_park.estimate && car_park.se && car_park.ci_lower && car_park.ci_upper);
  EXPECT_NEAR(*car_park.estimate, 2.0 / 6.0, 1e-12);
  // Domain mean in a stratum of 9 units (3 outside the base have z = 0):
  // z = (y − 1/3)/6 for the base; Σ(y − ȳ)² = 2·(2/3)² + 4·(1/3)² = 12/9;
  // V = 9/8 · (12/9)/36 = 1/24.
  EXPECT_NEAR(*car_park.se, std::sqrt(1.0 / 24.0), 1e-9);
  // Korn–Graubard: n_eff = p(1 − p)/SE² = (2/9)·24 = 16/3 (df 5 = n − 1, so no
  // df correction); qbeta(.025, 16/9, 32/9 + 1) and qbeta(.975, 16/9 + 1, 32/9)
  // by bisection of the regularised incomplete beta (mpmath, 30 digits).
  EXPECT_NEAR(*car_park.ci_lower, 0.0353000478664954, 1e-6);
  EXPECT_NEAR(*car_park.ci_upper, 0.8001591899109341, 1e-6);
  EXPECT_NEAR(*p.places[1].estimate, 1.0 / 6.0, 1e-12);  // Stierne: A3
  EXPECT_NEAR(*p.places[2].estimate, 1.0 / 6.0, 1e-12);  // Omkring indkøbscentret: A1
  EXPECT_NEAR(*p.places[3].estimate, 0.0, 1e-12);        // Kælderen: nobody
  // Six respondents is under min_base 30: flagged, like any share.
  EXPECT_TRUE(car_park.small_base);
}

TEST(Places, ASmallBaseIsSuppressedAndTheJsonCarriesThePlaces) {
  const questionnaire::Questionnaire q = Standard();
  EvaluationResult r = Evaluated(q);
  ASSERT_TRUE(ApplyDisclosureControl(r, {7, 30}).ok());  // base 6 < 7
  const Estimate& car_park = r.cells[0].places[0].places[0];
  EXPECT_TRUE(car_park.suppressed);
  EXPECT_FALSE(car_park.estimate.has_value());
  const std::string json = ToJson(Evaluated(q));
  EXPECT_NE(json.find("\"places\":[{\"item\":\"S2\",\"text\":\"Hvor føler du dig utryg?\",\"base\":6,\"places\":[{\"id\":"
                      "\"1\",\"label\":\"Parkeringspladsen\",\"kind\":\"share\",\"estimate\":0.33333333333333331"),
            std::string::npos);
}

TEST(Places, DefinitionsComeFromTheQuestionnaire) {
  const EvaluationResult r = Evaluated(Standard());
  ASSERT_TRUE(r.definitions.has_value());
  const IndexDefinitions& d = *r.definitions;
  EXPECT_EQ(d.questionnaire, "tryghed-standard");
  ASSERT_EQ(d.subindices.size(), 4u);
  // Tryghed: T1–T5, T1 reversed on 1–7 (1 = tryg); at least ⅔ answered.
  EXPECT_EQ(d.subindices[0].id, "tryghed");
  ASSERT_EQ(d.subindices[0].items.size(), 5u);
  EXPECT_EQ(d.subindices[0].items[0].item, "T1");
  EXPECT_TRUE(d.subindices[0].items[0].reversed);
  EXPECT_EQ(d.subindices[0].items[0].min, 1);
  EXPECT_EQ(d.subindices[0].items[0].max, 7);
  EXPECT_NEAR(d.subindices[0].min_share, 2.0 / 3.0, 0.005);
  // N4 ("people here do not get along") runs against the other Naboskab items.
  const SubIndexDefinition& naboskab = d.subindices[3];
  bool n1 = true, n4 = false;
  for (const IndexItemDefinition& i : naboskab.items) {
    if (i.item == "N1") n1 = i.reversed;
    if (i.item == "N4") n4 = i.reversed;
  }
  EXPECT_NE(n1, n4);
  // Overall: 0.40 / 0.30 / 0.15 / 0.15, at least 3 of 4.
  ASSERT_TRUE(d.overall.has_value());
  EXPECT_EQ(d.overall->min_subindices, 3);
  ASSERT_EQ(d.overall->weights.size(), 4u);
  EXPECT_NEAR(d.overall->weights[0].second, 0.40, 1e-12);
  EXPECT_NEAR(d.overall->weights[3].second, 0.15, 1e-12);
  // % utryg: T1 = 5–7.
  bool utryg = false;
  for (const ShareDefinition& s : d.shares) {
    if (s.id != "utryg") continue;
    utryg = true;
    EXPECT_EQ(s.items, std::vector<std::string>{"T1"});
    EXPECT_EQ(s.codes, (std::vector<std::int64_t>{5, 6, 7}));
    EXPECT_EQ(s.code_labels.size(), 3u);
  }
  EXPECT_TRUE(utryg);
  EXPECT_NE(ToJson(r).find("\"definitions\":{\"questionnaire\":\"tryghed-standard\""), std::string::npos);
}

}  // namespace
}  // namespace tryghed::evaluation
