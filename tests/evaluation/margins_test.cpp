// The sample against the population margins before and after weighting
// (Cell::margins), on a cell of ten respondents worked out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "evaluation/dataset.h"
#include "evaluation/evaluate.h"
#include "evaluation/result.h"

namespace tryghed::evaluation {
namespace {

// Raking stops when no cell total moves by more than 1e-9 · Σw; the shares
// after raking equal the margins well within this.
constexpr double kRaked = 1e-7;
constexpr double kExact = 1e-12;

// One pilot area P (N = 100), one wave "b", one overall indicator. Margins of
// P: sex 1 (Mand) 50, sex 2 (Kvinde) 50; age_band 1 (15–34) 40, 2 (35+) 60.
// Respondents (sex, age_band):
//   1 (1,1)  2 (1,1)  3 (1,2)  4 (1,2)  5 (2,1)
//   6 (2,2)  7 (2,2)  8 (2,2)  9 (2,2) 10 (2,2)
// so men 4, women 6; age 1: respondents 1, 2, 5 = 3, age 2: 7.
StudyData TenPeople() {
  StudyData d;
  d.study = "margins";
  d.areas = {{"P", store::AreaRole::kPilot, 100}};
  d.waves = {{"b", {{{"sex", "1", 50}, {"sex", "2", 50}, {"age_band", "1", 40}, {"age_band", "2", 60}}}}};
  d.indicators = {{"idx", "Indeks", IndicatorKind::kOverall}};
  d.items = {"T1"};
  d.background = {{"age_band", "Alder", {{1, "15–34 år", false}, {2, "35+ år", false}}},
                  {"sex", "Køn", {{1, "Mand", false}, {2, "Kvinde", false}}}};
  const int people[10][2] = {{1, 1}, {1, 1}, {1, 2}, {1, 2}, {2, 1}, {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}};
  for (const auto& p : people) {
    Respondent r;
    r.background = {{"sex", p[0]}, {"age_band", p[1]}};
    r.values = {50.0};
    r.items = {50.0};
    d.respondents.push_back(r);
  }
  return d;
}

EvaluationOptions Opts() {
  EvaluationOptions o;
  o.disclosure.min_cell = 3;
  return o;
}

const MarginShare& Level(const Cell& c, const std::string& margin, const std::string& level) {
  for (const MarginShare& m : c.margins) {
    if (m.margin == margin && m.level == level) return m;
  }
  ADD_FAILURE() << "no margin level " << margin << "=" << level;
  static MarginShare none;
  return none;
}

const Cell& OnlyCell(const EvaluationResult& r) {
  EXPECT_EQ(r.cells.size(), 1u);
  return r.cells.front();
}

TEST(Margins, PopulationSampleAndWeightedSharesByHand) {
  auto r = Evaluate(TenPeople(), Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Cell& c = OnlyCell(*r);
  // The margins' order (sex, then age_band, as stored), every level, no
  // "ikke oplyst" row: everyone has both codes.
  ASSERT_EQ(c.margins.size(), 4u);
  EXPECT_EQ(c.margins[0].margin, "sex");
  EXPECT_EQ(c.margins[2].margin, "age_band");

  const MarginShare& men = Level(c, "sex", "1");
  EXPECT_EQ(men.label, "Mand");
  EXPECT_EQ(men.population, 50);
  EXPECT_NEAR(*men.population_share, 50.0 / 100.0, kExact);  // 50 of 100
  EXPECT_EQ(men.sample, 4);
  EXPECT_NEAR(*men.sample_share, 4.0 / 10.0, kExact);         // 4 of 10 before weighting
  EXPECT_NEAR(*men.weighted_share, 0.5, kRaked);              // after raking: the margin
  EXPECT_FALSE(men.suppressed);

  const MarginShare& women = Level(c, "sex", "2");
  EXPECT_NEAR(*women.sample_share, 0.6, kExact);
  EXPECT_NEAR(*women.weighted_share, 0.5, kRaked);

  const MarginShare& young = Level(c, "age_band", "1");
  EXPECT_EQ(young.label, "15–34 år");
  EXPECT_NEAR(*young.population_share, 0.4, kExact);  // 40 of 100
  EXPECT_EQ(young.sample, 3);
  EXPECT_NEAR(*young.sample_share, 0.3, kExact);      // respondents 1, 2, 5
  EXPECT_NEAR(*young.weighted_share, 0.4, kRaked);
  const MarginShare& old = Level(c, "age_band", "2");
  EXPECT_NEAR(*old.sample_share, 0.7, kExact);
  EXPECT_NEAR(*old.weighted_share, 0.6, kRaked);
  // Before raking (design weights N/n = 10 each) the weighted shares would
  // equal the sample's 0.4 and 0.3: the raking moved them.
  EXPECT_GT(std::abs(*men.weighted_share - *men.sample_share), 0.09);
}

TEST(Margins, UnweightedHasNoWeightedShare) {
  EvaluationOptions o = Opts();
  o.weighted = false;
  auto r = Evaluate(TenPeople(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const MarginShare& men = Level(OnlyCell(*r), "sex", "1");
  EXPECT_NEAR(*men.sample_share, 0.4, kExact);
  EXPECT_NEAR(*men.population_share, 0.5, kExact);
  EXPECT_FALSE(men.weighted_share.has_value());
}

TEST(Margins, RespondentsWithoutACodeFormIkkeOplystAndSmallCountsAreSuppressed) {
  StudyData d = TenPeople();
  // An 11th respondent, age 2, who did not give the sex.
  Respondent r = d.respondents.back();
  r.background.erase("sex");
  d.respondents.push_back(r);
  auto result = Evaluate(d, Opts());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const Cell& c = OnlyCell(*result);
  const MarginShare& unknown = Level(c, "sex", "");
  EXPECT_EQ(unknown.label, "ikke oplyst");
  EXPECT_FALSE(unknown.population.has_value());
  EXPECT_FALSE(unknown.population_share.has_value());
  // 1 < min_cell 3: primary suppression of the count and its share.
  EXPECT_TRUE(unknown.suppressed);
  EXPECT_FALSE(unknown.sample.has_value());
  EXPECT_FALSE(unknown.sample_share.has_value());
  EXPECT_EQ(unknown.suppression.rfind("primary:", 0), 0u) << unknown.suppression;
  // Secondary: the men (4) would give 11 − 6 − 4 = 1, so they are hidden too;
  // the women (6) stay: 6 of 11.
  const MarginShare& men = Level(c, "sex", "1");
  EXPECT_TRUE(men.suppressed);
  EXPECT_FALSE(men.sample.has_value());
  EXPECT_EQ(men.suppression.rfind("secondary:", 0), 0u) << men.suppression;
  const MarginShare& women = Level(c, "sex", "2");
  EXPECT_FALSE(women.suppressed);
  EXPECT_EQ(women.sample, 6);
  EXPECT_NEAR(*women.sample_share, 6.0 / 11.0, kExact);
  // Raking counted the respondent without sex in level 1 (the largest; 50
  // and 50 tie, the smaller code wins): men and "ikke oplyst" together hold
  // the men's 50 %, women theirs. Weighted shares are not suppressed.
  EXPECT_NEAR(*men.weighted_share + *unknown.weighted_share, 0.5, kRaked);
  EXPECT_NEAR(*women.weighted_share, 0.5, kRaked);
  // The age band is complete: no "ikke oplyst" row.
  for (const MarginShare& m : c.margins) EXPECT_FALSE(m.margin == "age_band" && m.level.empty());
}

TEST(Margins, SuppressedCellHasNoMarginsAndJsonCarriesThem) {
  auto r = Evaluate(TenPeople(), Opts());
  ASSERT_TRUE(r.ok());
  const std::string json = ToJson(*r);
  EXPECT_NE(json.find("\"margins\":[{\"margin\":\"sex\",\"level\":\"1\",\"label\":\"Mand\",\"population\":50,"
                      "\"population_share\":0.5,\"sample\":4,\"sample_share\":0.40000000000000002"),
            std::string::npos)
      << json;
  // With min_cell 11 the cell of 10 is suppressed: no margins at all.
  EvaluationOptions o;
  o.disclosure.min_cell = 11;
  auto s = Evaluate(TenPeople(), o);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(OnlyCell(*s).suppressed);
  EXPECT_TRUE(OnlyCell(*s).margins.empty());
}

}  // namespace
}  // namespace tryghed::evaluation
