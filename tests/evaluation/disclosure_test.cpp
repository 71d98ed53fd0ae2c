// Disclosure control, groups, answer distributions, reliability, response
// rates and response counts of Evaluate() on hand-built StudyData. Expected
// values are worked out by hand in the comments; the group estimate and the
// alpha were checked with R 4 (survey 4.1: svyby/confint; base R cov, qf).
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

// One area P (pilot, N = 100); indicators: overall "idx", sub-index "s1"
// (items T1, T2, T3) and share "sh".
StudyData Base(std::size_t waves = 1) {
  StudyData d;
  d.study = "t";
  d.areas = {{"P", store::AreaRole::kPilot, 100}};
  for (std::size_t w = 0; w < waves; ++w) d.waves.push_back({w == 0 ? "b" : "f", {{}}, {}});
  d.indicators = {{"idx", "Indeks", IndicatorKind::kOverall, {}},
                  {"s1", "Tryghed", IndicatorKind::kSubIndex, {"T1", "T2", "T3"}},
                  {"sh", "Andel", IndicatorKind::kShare, {}}};
  d.items = {"T1", "T2", "T3"};
  return d;
}

Respondent Row(std::size_t wave, std::optional<double> idx, std::optional<double> sh = 1.0) {
  Respondent r;
  r.wave = wave;
  r.area = 0;
  r.values = {idx, idx, sh};
  r.items = {idx, idx, idx};
  return r;
}

const Cell& OnlyCell(const EvaluationResult& r, const std::string& wave = "b") {
  for (const Cell& c : r.cells) {
    if (c.wave == wave && c.series == "invited") return c;
  }
  ADD_FAILURE() << "no cell " << wave;
  static Cell none;
  return none;
}

const Estimate& Est(const std::vector<Estimate>& v, const std::string& id) {
  for (const Estimate& e : v) {
    if (e.id == id) return e;
  }
  ADD_FAILURE() << "no estimate " << id;
  static Estimate none;
  return none;
}

const Group& Level(const Cell& c, const std::string& variable, std::optional<std::int64_t> code) {
  for (const GroupVariable& g : c.groups) {
    if (g.variable != variable) continue;
    for (const Group& l : g.levels) {
      if (l.code == code) return l;
    }
  }
  ADD_FAILURE() << "no group " << variable;
  static Group none;
  return none;
}

EvaluationOptions Unweighted() {
  EvaluationOptions o;
  o.weighted = false;
  return o;
}

TEST(Disclosure, CellUnderFiveIsSuppressedAndSoIsItsChange) {
  // b.P: 4 respondents (suppressed), f.P: 6 (shown).
  StudyData d = Base(2);
  for (double y : {10, 20, 30, 40}) d.respondents.push_back(Row(0, y));
  for (double y : {10, 20, 30, 40, 50, 60}) d.respondents.push_back(Row(1, y));
  auto r = Evaluate(d, Unweighted());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Cell& b = OnlyCell(*r, "b");
  EXPECT_TRUE(b.suppressed);
  EXPECT_EQ(b.suppression, "primary: fewer than 5 respondents in the cell");
  EXPECT_EQ(b.respondents, 4);
  EXPECT_TRUE(b.distributions.empty());
  EXPECT_TRUE(b.item_nonresponse.empty());
  for (const Estimate& e : b.estimates) {
    EXPECT_TRUE(e.suppressed) << e.id;
    EXPECT_FALSE(e.estimate || e.se || e.ci_lower || e.ci_upper || e.df || e.effective_n) << e.id;
  }
  const Cell& f = OnlyCell(*r, "f");
  EXPECT_FALSE(f.suppressed);
  EXPECT_NEAR(*Est(f.estimates, "idx").estimate, 35.0, 1e-12);  // (10+…+60)/6
  bool found = false;
  for (const Change& ch : r->changes) {
    if (ch.indicator != "idx") continue;
    found = true;
    EXPECT_TRUE(ch.suppressed);
    EXPECT_EQ(ch.verdict, "undertrykt");
    EXPECT_FALSE(ch.difference || ch.p || ch.p_adjusted || ch.mdd);
  }
  EXPECT_TRUE(found);
  // The JSON carries the thresholds and the reason.
  const std::string json = ToJson(*r);
  EXPECT_NE(json.find("\"disclosure\":{\"min_cell\":5,\"min_base\":30}"), std::string::npos);
  EXPECT_NE(json.find("\"suppression\":\"primary: fewer than 5 respondents in the cell\""), std::string::npos);
}

TEST(Disclosure, ThresholdsAreConfigurableButNeverBelowThree) {
  StudyData d = Base();
  for (double y : {10, 20, 30, 40}) d.respondents.push_back(Row(0, y));
  EvaluationOptions o = Unweighted();
  o.disclosure.min_cell = 4;  // 4 respondents: shown
  auto r = Evaluate(d, o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(OnlyCell(*r).suppressed);
  EXPECT_NEAR(*Est(OnlyCell(*r).estimates, "idx").estimate, 25.0, 1e-12);
  o.disclosure.min_cell = 2;
  EXPECT_EQ(Evaluate(d, o).status().code(), core::StatusCode::kInvalidArgument);
  o.disclosure.min_cell = 5;
  o.disclosure.min_base = 2;
  EXPECT_EQ(Evaluate(d, o).status().code(), core::StatusCode::kInvalidArgument);
  EvaluationResult empty;
  EXPECT_EQ(ApplyDisclosureControl(empty, {3, 1}).code(), core::StatusCode::kInvalidArgument);
}

TEST(Disclosure, EstimateWithFewValuesIsSuppressedAndSmallSharesFlagged) {
  // 10 respondents; only 3 have a value of the share: suppressed although
  // the cell is shown. With 6 values the share is shown and flagged (< 30).
  StudyData d = Base();
  for (int i = 0; i < 10; ++i) {
    d.respondents.push_back(Row(0, 10.0 * i, i < 3 ? std::optional<double>(1.0) : std::nullopt));
  }
  auto r = Evaluate(d, Unweighted());
  ASSERT_TRUE(r.ok());
  const Estimate& sh = Est(OnlyCell(*r).estimates, "sh");
  EXPECT_TRUE(sh.suppressed);
  EXPECT_EQ(sh.suppression, "primary: fewer than 5 respondents with a value");
  EXPECT_FALSE(sh.estimate.has_value());
  EXPECT_FALSE(sh.small_base);
  EXPECT_FALSE(Est(OnlyCell(*r).estimates, "idx").suppressed);

  StudyData d2 = Base();
  for (int i = 0; i < 10; ++i) {
    d2.respondents.push_back(Row(0, 10.0 * i, i < 6 ? std::optional<double>(i % 2) : std::nullopt));
  }
  auto r2 = Evaluate(d2, Unweighted());
  ASSERT_TRUE(r2.ok());
  const Estimate& sh2 = Est(OnlyCell(*r2).estimates, "sh");
  EXPECT_FALSE(sh2.suppressed);
  EXPECT_NEAR(*sh2.estimate, 0.5, 1e-12);  // 3 of 6
  EXPECT_TRUE(sh2.small_base);
  EXPECT_EQ(sh2.caution, "unweighted base under 30: interpret with caution");
  EXPECT_FALSE(Est(OnlyCell(*r2).estimates, "idx").small_base);  // scores are never flagged
}

// 16 respondents in one cell. age_band: 8 × code 1 (y 10…80), 6 × code 2
// (15…65), 2 × code 3 (50, 90). sex: 9 × 1, 6 × 2, one without. block: 8/8.
StudyData Groups() {
  StudyData d = Base();
  d.background = {{"age_band", "Alder", {{1, "15-34", false}, {2, "35-64", false}, {3, "65+", false}}},
                  {"sex", "Køn", {{1, "Mand", false}, {2, "Kvinde", false}}}};
  const double y[] = {10, 20, 30, 40, 50, 60, 70, 80, 15, 25, 35, 45, 55, 65, 50, 90};
  for (int i = 0; i < 16; ++i) {
    Respondent r = Row(0, y[i]);
    r.background["age_band"] = i < 8 ? 1 : (i < 14 ? 2 : 3);
    if (i < 15) r.background["sex"] = i < 9 ? 1 : 2;
    r.background["block"] = i % 2 + 1;  // no definition: levels from the codes seen
    d.respondents.push_back(r);
  }
  return d;
}

TEST(Groups, EstimatesPerLevelWithSecondarySuppression) {
  auto r = Evaluate(Groups(), Unweighted());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Cell& c = OnlyCell(*r);
  ASSERT_FALSE(c.suppressed);
  ASSERT_EQ(c.groups.size(), 3u);  // the two defined, then "block" from the codes
  EXPECT_EQ(c.groups[0].variable, "age_band");
  EXPECT_EQ(c.groups[2].variable, "block");

  // age 1, unweighted, one stratum of n = 16 with N = 100: mean 45;
  // Σ(y − 45)² = 2(35² + 25² + 15² + 5²) = 4200; var = (1 − 16/100) · 16/15 ·
  // 4200 / 8² = 58.8; se = 7.6681158050723255; t_7 interval
  // [26.867787403304050, 63.132212596695950] (R: svyby(~y, ~age, d, svymean), confint(df = 7)).
  const Group& a1 = Level(c, "age_band", 1);
  EXPECT_EQ(a1.label, "15-34");
  EXPECT_EQ(a1.respondents, 8);
  const Estimate& e = Est(a1.estimates, "idx");
  EXPECT_FALSE(e.suppressed);
  EXPECT_NEAR(*e.estimate, 45.0, 1e-12);
  EXPECT_NEAR(*e.se, 7.6681158050723255, 1e-9);
  EXPECT_NEAR(*e.ci_lower, 26.867787403304050, 1e-8);
  EXPECT_NEAR(*e.ci_upper, 63.132212596695950, 1e-8);
  EXPECT_EQ(*e.df, 7.0);
  EXPECT_NEAR(*e.effective_n, 8.0, 1e-12);
  EXPECT_EQ(a1.estimates.size(), 2u);  // overall index and sub-index only

  // age 3 (2 respondents): primary; age 2 (6, the next-smallest): secondary,
  // else its mean would follow from the total and age 1.
  const Group& a3 = Level(c, "age_band", 3);
  EXPECT_TRUE(a3.suppressed);
  EXPECT_EQ(a3.suppression, "primary: fewer than 5 respondents in the group");
  EXPECT_FALSE(Est(a3.estimates, "idx").estimate.has_value());
  const Estimate& a2 = Est(Level(c, "age_band", 2).estimates, "idx");
  EXPECT_TRUE(a2.suppressed);
  EXPECT_EQ(a2.suppression.rfind("secondary:", 0), 0u) << a2.suppression;
  EXPECT_FALSE(a2.estimate.has_value());
  EXPECT_FALSE(Level(c, "age_band", 2).suppressed);  // the group itself has 6

  // sex: the one respondent without sex is "ikke oplyst" (primary), so
  // code 2 (6) is hidden secondarily and code 1 (9) shown.
  const Group& unknown = Level(c, "sex", std::nullopt);
  EXPECT_EQ(unknown.label, "ikke oplyst");
  EXPECT_EQ(unknown.respondents, 1);
  EXPECT_TRUE(unknown.suppressed);
  EXPECT_TRUE(Est(Level(c, "sex", 2).estimates, "idx").suppressed);
  EXPECT_FALSE(Est(Level(c, "sex", 1).estimates, "idx").suppressed);

  // block: 8 and 8, nothing hidden; the level is labelled by its code.
  EXPECT_EQ(Level(c, "block", 1).label, "1");
  EXPECT_FALSE(Est(Level(c, "block", 1).estimates, "idx").suppressed);
  EXPECT_FALSE(Est(Level(c, "block", 2).estimates, "idx").suppressed);

  // Applying the rules again changes nothing.
  EvaluationResult again = *r;
  ASSERT_TRUE(ApplyDisclosureControl(again, again.disclosure).ok());
  EXPECT_EQ(ToJson(again), ToJson(*r));
}

TEST(Distributions, CountsAndWeightedSharesWithNonSubstantiveCodes) {
  // T1 codes: 1 "Meget tryg" × 3, 2 "Tryg" × 2, 9 "Ved ikke" × 1, one
  // unanswered; code 7 is not in the definition and is listed after it.
  StudyData d = Base();
  d.item_definitions = {{"Hvor tryg …", {{1, "Meget tryg", false}, {2, "Tryg", false}, {9, "Ved ikke", true}}}};
  const std::optional<core::Code> codes[] = {1, 1, 1, 2, 2, 9, std::nullopt, 7};
  for (const auto& code : codes) {
    Respondent r = Row(0, 50);
    r.codes = {code};
    d.respondents.push_back(r);
  }
  auto r = Evaluate(d, Unweighted());
  ASSERT_TRUE(r.ok());
  const Cell& c = OnlyCell(*r);
  ASSERT_EQ(c.distributions.size(), 3u);
  const ItemDistribution& t1 = c.distributions[0];
  EXPECT_EQ(t1.item, "T1");
  EXPECT_EQ(t1.text, "Hvor tryg …");
  EXPECT_EQ(t1.answered, 7);
  EXPECT_EQ(t1.unanswered, 1);
  ASSERT_EQ(t1.categories.size(), 4u);
  EXPECT_EQ(t1.categories[0].count, 3);
  EXPECT_NEAR(*t1.categories[0].share, 3.0 / 7, 1e-12);
  EXPECT_EQ(t1.categories[2].label, "Ved ikke");
  EXPECT_TRUE(t1.categories[2].non_substantive);
  EXPECT_EQ(t1.categories[2].count, 1);
  EXPECT_EQ(t1.categories[3].code, 7);
  EXPECT_EQ(t1.categories[3].label, "7");
  // T2 and T3 have no codes: answered 0, shares empty.
  EXPECT_EQ(c.distributions[1].answered, 0);
  EXPECT_EQ(c.distributions[1].unanswered, 8);
}

TEST(Reliability, AlphaWithFeldtIntervalAndItemRest) {
  // Item scores of s1 for 6 respondents:
  //   (100,75,75) (75,75,50) (50,50,50) (25,50,25) (0,25,25) (50,75,25).
  // Item variances 1250, 416.67, 416.67 (Σ 2083.33); total variance ΣC = 5000;
  // alpha = 3/2 · (1 − 2083.33/5000) = 0.875. Feldt: 1 − (1 − α)·F(0.975; 5, 10)
  // = 0.47048929147642038, 1 − (1 − α)·F(0.025; 5, 10) = 0.98111541237125222
  // (R: qf). r_drop of T2 = cor(T2, T1 + T3) = 0.75592894601845462.
  StudyData d = Base();
  const double rows[6][3] = {{100, 75, 75}, {75, 75, 50}, {50, 50, 50}, {25, 50, 25}, {0, 25, 25}, {50, 75, 25}};
  for (const auto& row : rows) {
    Respondent r = Row(0, 50);
    r.items = {row[0], row[1], row[2]};
    d.respondents.push_back(r);
  }
  auto r = Evaluate(d, Unweighted());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->reliability.size(), 1u);  // 6 complete cases: no per-area alpha (< min_base)
  const ScaleReliability& s = r->reliability[0];
  EXPECT_EQ(s.subindex, "s1");
  EXPECT_EQ(s.area, "");
  EXPECT_EQ(s.n, 6);
  EXPECT_NEAR(*s.alpha, 0.875, 1e-12);
  EXPECT_NEAR(*s.ci_lower, 0.47048929147642038, 1e-9);
  EXPECT_NEAR(*s.ci_upper, 0.98111541237125222, 1e-9);
  ASSERT_EQ(s.items.size(), 3u);
  EXPECT_NEAR(*s.items[1].r_drop, 0.75592894601845462, 1e-12);
}

TEST(Reliability, AreaLambdaOfTheOverallIndex) {
  // Areas P: 10, 20, 30 and C: 40, 50, 60. MSB = 3·15² + 3·15² = 1350,
  // MSW = 400/4 = 100, n0 = 3, τ² = (1350 − 100)/3 = 416.67,
  // λ = τ²/(τ² + 100/3) = 416.67/450 = 0.92592592592592593.
  StudyData d = Base();
  d.areas.push_back({"C", store::AreaRole::kComparison, 100});
  d.waves[0].margins = {{}, {}};
  for (double y : {10, 20, 30}) d.respondents.push_back(Row(0, y));
  for (double y : {40, 50, 60}) {
    d.respondents.push_back(Row(0, y));
    d.respondents.back().area = 1;
  }
  EvaluationOptions o = Unweighted();
  o.disclosure.min_cell = 3;
  auto r = Evaluate(d, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->area_reliability.size(), 1u);
  const AreaReliabilityEstimate& a = r->area_reliability[0];
  EXPECT_EQ(a.indicator, "idx");
  EXPECT_NEAR(*a.tau2, 1250.0 / 3, 1e-9);
  ASSERT_EQ(a.areas.size(), 2u);
  EXPECT_EQ(a.areas[1].area, "C");
  EXPECT_NEAR(*a.areas[1].lambda, 0.92592592592592593, 1e-12);
  // With the default threshold 5, three respondents per area hide λ.
  auto r5 = Evaluate(d, Unweighted());
  ASSERT_TRUE(r5.ok());
  EXPECT_FALSE(r5->area_reliability[0].areas[0].lambda.has_value());
}

TEST(ResponseRates, AaporRatesByHand) {
  // I = 120, P = 10, R = 30, NC (not used) = 200, U (undeliverable) = 20,
  // not eligible 20 (left out). Denominator (I+P) + (R+NC) + U = 380.
  // RR1 = 120/380, RR2 = 130/380, COOP1 = 120/(130 + 30) = 0.75,
  // REF1 = 30/380, CON1 = (130 + 30)/(160 + 200 + 20) = 160/380.
  StudyData d = Base();
  d.waves[0].dispositions = {{200, 120, 10, 30, 20, 20}};
  auto r = Evaluate(d, Unweighted());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->response_rates.size(), 1u);
  const ResponseRates& rr = r->response_rates[0];
  EXPECT_EQ(rr.invitations, 400);
  EXPECT_NEAR(*rr.rr1, 120.0 / 380, 1e-15);
  EXPECT_NEAR(*rr.rr2, 130.0 / 380, 1e-15);
  EXPECT_NEAR(*rr.coop1, 0.75, 1e-15);
  EXPECT_NEAR(*rr.ref1, 30.0 / 380, 1e-15);
  EXPECT_NEAR(*rr.con1, 160.0 / 380, 1e-15);

  // Only not-eligible invitations: the rates are undefined, not NaN.
  StudyData e = Base();
  e.waves[0].dispositions = {{0, 0, 0, 0, 0, 5}};
  auto re = Evaluate(e, Unweighted());
  ASSERT_TRUE(re.ok());
  ASSERT_EQ(re->response_rates.size(), 1u);
  EXPECT_FALSE(re->response_rates[0].rr1.has_value());
  EXPECT_FALSE(re->response_rates[0].note.empty());
}

TEST(ResponseCounts, PerChannelAndDay) {
  StudyData d = Base();
  const char* days[] = {"2025-03-04", "2025-03-03", "2025-03-04"};
  for (const char* day : days) {
    d.respondents.push_back(Row(0, 50));
    d.respondents.back().received_on = day;
  }
  d.respondents.push_back(Row(0, 50));
  d.respondents.back().channel = store::Channel::kKiosk;
  d.respondents.back().received_on = "2025-03-05";
  auto r = Evaluate(d, Unweighted());
  ASSERT_TRUE(r.ok());
  // link total 3, then its days in order; kiosk total 1 and its day.
  ASSERT_EQ(r->response_counts.size(), 5u);
  EXPECT_EQ(r->response_counts[0].channel, "link");
  EXPECT_EQ(r->response_counts[0].day, "");
  EXPECT_EQ(r->response_counts[0].count, 3);
  EXPECT_EQ(r->response_counts[1].day, "2025-03-03");
  EXPECT_EQ(r->response_counts[1].count, 1);
  EXPECT_EQ(r->response_counts[2].count, 2);
  EXPECT_EQ(r->response_counts[3].channel, "kiosk");
  EXPECT_EQ(r->response_counts[4].day, "2025-03-05");
}

TEST(Json, SameDataSameBytes) {
  auto a = Evaluate(Groups(), {});
  auto b = Evaluate(Groups(), {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(ToJson(*a), ToJson(*b));
}

}  // namespace
}  // namespace tryghed::evaluation
