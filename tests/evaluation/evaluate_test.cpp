// Evaluate() on hand-built StudyData. Every expected value is worked out by
// hand in the comments and was checked with R survey 4.1 (script in each
// comment: svydesign(ids=~1, strata=~cell, fpc=~N), svyby, svycontrast,
// rake, svyciprop(method = "beta"), p.adjust).
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

constexpr double kTol = 1e-9;

// The statistics tests use cells of 3 and 4 respondents: the smallest
// disclosure threshold keeps them visible (disclosure_test.cpp tests the rule).
EvaluationOptions Opts() {
  EvaluationOptions o;
  o.disclosure.min_cell = 3;
  return o;
}

// Areas P (pilot, N = 100) and C (comparison, N = 50); waves "b" (baseline)
// and "f"; one overall-index indicator "idx" plus a share "sh".
StudyData TwoByTwo() {
  StudyData d;
  d.study = "test";
  d.areas = {{"P", store::AreaRole::kPilot, 100}, {"C", store::AreaRole::kComparison, 50}};
  d.waves = {{"b", {{}, {}}}, {"f", {{}, {}}}};
  d.indicators = {{"idx", "Indeks", IndicatorKind::kOverall}, {"sh", "Andel", IndicatorKind::kShare}};
  d.items = {"T1"};
  return d;
}

void Add(StudyData& d, std::size_t wave, std::size_t area, std::optional<double> idx, std::optional<double> sh = 1.0,
         store::Channel ch = store::Channel::kLink) {
  Respondent r;
  r.wave = wave;
  r.area = area;
  r.channel = ch;
  r.values = {idx, sh};
  r.items = {idx};
  d.respondents.push_back(r);
}

// Cells b.P 10,20,30,40; b.C 50,60,70; f.P 30,40,50,60; f.C 55,65,75.
StudyData Example() {
  StudyData d = TwoByTwo();
  for (double y : {10, 20, 30, 40}) Add(d, 0, 0, y);
  for (double y : {50, 60, 70}) Add(d, 0, 1, y);
  for (double y : {30, 40, 50, 60}) Add(d, 1, 0, y);
  for (double y : {55, 65, 75}) Add(d, 1, 1, y);
  return d;
}

const Cell& FindCell(const EvaluationResult& r, const std::string& wave, const std::string& area,
                     const std::string& series = "invited") {
  for (const Cell& c : r.cells) {
    if (c.wave == wave && c.area == area && c.series == series) return c;
  }
  ADD_FAILURE() << "no cell " << wave << "/" << area;
  static Cell none;
  return none;
}

const Estimate& FindEstimate(const Cell& c, const std::string& id) {
  for (const Estimate& e : c.estimates) {
    if (e.id == id) return e;
  }
  ADD_FAILURE() << "no estimate " << id;
  static Estimate none;
  return none;
}

const Change* FindChange(const EvaluationResult& r, const std::string& area, const std::string& indicator,
                         const std::string& comparison = "baseline") {
  for (const Change& c : r.changes) {
    if (c.area == area && c.indicator == indicator && c.comparison == comparison) return &c;
  }
  return nullptr;
}

TEST(Evaluate, UnweightedDomainMeansMatchSrsWithFpc) {
  EvaluationOptions o = Opts();
  o.weighted = false;
  auto r = Evaluate(Example(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // b.P: mean (10+20+30+40)/4 = 25; s² = (15²+5²+5²+15²)/3 = 500/3;
  // var = (1 − 4/100) · s²/4 = 0.96 · 41.667 = 40; se = √40 = 6.3245553203367582.
  const Estimate& p = FindEstimate(FindCell(*r, "b", "P"), "idx");
  ASSERT_TRUE(p.estimate && p.se && p.ci_lower && p.ci_upper && p.df);
  EXPECT_NEAR(*p.estimate, 25.0, kTol);
  EXPECT_NEAR(*p.se, std::sqrt(40.0), kTol);
  // df = 4 PSUs − 1 stratum = 3; 25 ± qt(.975, 3) · √40, R: [4.8724422882318663, 45.127557711768134].
  EXPECT_NEAR(*p.df, 3.0, kTol);
  EXPECT_NEAR(*p.ci_lower, 4.8724422882318663, 1e-9);
  EXPECT_NEAR(*p.ci_upper, 45.127557711768134, 1e-9);
  EXPECT_EQ(p.n, 4);
  EXPECT_NEAR(*p.effective_n, 4.0, kTol);
  // b.C: mean 60; s² = (10²+0+10²)/2 = 100; var = (1 − 3/50) · 100/3 = 31.333; se = 5.5976185412488890.
  const Estimate& c = FindEstimate(FindCell(*r, "b", "C"), "idx");
  EXPECT_NEAR(*c.estimate, 60.0, kTol);
  EXPECT_NEAR(*c.se, std::sqrt(0.94 * 100.0 / 3.0), kTol);
  EXPECT_EQ(FindCell(*r, "b", "P").respondents, 4);
}

TEST(Evaluate, WeightedWithoutMarginsUsesDesignWeightsWithTheSameMeans) {
  // No margins: weights N/n are constant within each cell, so the cell means
  // and standard errors equal the unweighted ones (25, √40 for b.P).
  auto r = Evaluate(Example(), Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Estimate& p = FindEstimate(FindCell(*r, "b", "P"), "idx");
  EXPECT_NEAR(*p.estimate, 25.0, kTol);
  EXPECT_NEAR(*p.se, std::sqrt(40.0), kTol);
  ASSERT_EQ(r->weighting.size(), 1u);
  EXPECT_NE(r->weighting[0].method.find("N/n"), std::string::npos);
}

TEST(Evaluate, RakingTwoByTwoByHand) {
  // One cell, N = 100, margins sex {1: 60, 2: 40} and age {1: 70, 2: 30};
  // respondents (sex, age, y): (1,1,10) (1,2,20) (2,1,30) (2,2,40), design weight 25.
  // Sweep 1, sex: 25·60/50 = 30 for sex 1, 25·40/50 = 20 for sex 2.
  //          age: age 1 has 30 + 20 = 50 → ×70/50: 42, 28; age 2: 30 + 20 → ×30/50: 18, 12.
  // Sex totals are then 42 + 18 = 60 and 28 + 12 = 40: converged.
  // Mean = (42·10 + 18·20 + 28·30 + 12·40) / 100 = 2100/100 = 21 (R rake: 21).
  // Kish n = 100² / (42² + 18² + 28² + 12²) = 10000 / 3016.
  StudyData d = TwoByTwo();
  d.areas.resize(1);
  d.waves = {{"b", {{{"age_band", "1", 70}, {"age_band", "2", 30}, {"sex", "1", 60}, {"sex", "2", 40}}}}};
  const int sex[] = {1, 1, 2, 2}, age[] = {1, 2, 1, 2};
  const double y[] = {10, 20, 30, 40};
  for (int i = 0; i < 4; ++i) {
    Add(d, 0, 0, y[i]);
    d.respondents.back().background = {{"sex", sex[i]}, {"age_band", age[i]}};
  }
  auto r = Evaluate(d, Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Estimate& e = FindEstimate(FindCell(*r, "b", "P"), "idx");
  EXPECT_NEAR(*e.estimate, 21.0, 1e-7);
  EXPECT_NEAR(*e.effective_n, 10000.0 / 3016.0, 1e-7);
  EXPECT_NE(r->weighting[0].method.find("raking"), std::string::npos);
  EXPECT_EQ(r->weighting[0].trimmed, 0);
}

TEST(Evaluate, MissingBackgroundGoesToTheLargestLevel) {
  // N = 100, margin sex {1: 60, 2: 40}; respondents (sex, y): (1, 10), (2, 20),
  // (missing, 40). The third is weighted as sex 1 (60 > 40): sex 1 = {10, 40}
  // with weights 30, 30; sex 2 = {20} with weight 40.
  // Mean = (300 + 800 + 1200)/100 = 23 (had it gone to sex 2: 18).
  // R: rake(svydesign(ids=~1, fpc=~N), list(~sex), ...) → mean 23, se 7.6764249491543914.
  StudyData d = TwoByTwo();
  d.areas.resize(1);
  d.waves = {{"b", {{{"sex", "1", 60}, {"sex", "2", 40}}}}};
  Add(d, 0, 0, 10);
  d.respondents.back().background = {{"sex", 1}};
  Add(d, 0, 0, 20);
  d.respondents.back().background = {{"sex", 2}};
  Add(d, 0, 0, 40);
  auto r = Evaluate(d, Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Estimate& e = FindEstimate(FindCell(*r, "b", "P"), "idx");
  EXPECT_NEAR(*e.estimate, 23.0, 1e-9);
  EXPECT_NEAR(*e.se, 7.6764249491543914, 1e-7);
  bool noted = false;
  for (const std::string& n : r->weighting[0].notes) noted = noted || n.find("without 'sex'") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(Evaluate, ChangeIsTheContrastOfTwoCellMeans) {
  // P: f − b = 45 − 25 = 20; se = √(40 + 40) = 8.94427191 (independent strata);
  // df = 8 PSUs − 2 strata = 6; p = 2·pt(−20/√80, 6) = 0.066706801962040874 (R);
  // interval 20 ± qt(.975, 6) · √80 = 20 ± 2.4469118511449688 · 8.94427191.
  auto r = Evaluate(Example(), Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Change* c = FindChange(*r, "P", "idx");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->from_wave, "b");
  EXPECT_EQ(c->to_wave, "f");
  EXPECT_NEAR(*c->difference, 20.0, kTol);
  EXPECT_NEAR(*c->se, std::sqrt(80.0), kTol);
  EXPECT_NEAR(*c->df, 6.0, kTol);
  EXPECT_NEAR(*c->p, 0.066706801962040874, 1e-10);
  EXPECT_NEAR(*c->ci_lower, 20 - 2.4469118511449688 * std::sqrt(80.0), 1e-9);
  EXPECT_NEAR(*c->ci_upper, 20 + 2.4469118511449688 * std::sqrt(80.0), 1e-9);
  EXPECT_FALSE(c->significant);
  EXPECT_EQ(c->verdict, "ikke statistisk signifikant");
  // MDD at 80 % power: (qnorm(.975) + qnorm(.8)) · √80 = 2.8015852 · 8.94427191 = 25.0581...
  ASSERT_TRUE(c->mdd);
  EXPECT_NEAR(*c->mdd, (1.959963984540054 + 0.8416212335729143) * std::sqrt(80.0), 1e-6);
  // Two waves only: no "previous" comparison beside the baseline one.
  EXPECT_EQ(FindChange(*r, "P", "idx", "previous"), nullptr);
}

TEST(Evaluate, DifferenceInDifferencesOfFourIndependentCells) {
  // Δ = (45 − 25) − (65 − 60) = 15; se = √(40 + 40 + 31.333 + 31.333) = √142.667
  // = 11.94432 (strata independent); df = 14 PSUs − 4 strata = 10;
  // t = 1.2558275374183827, p = 2·pt(−t, 10) = 0.23772687048903829 (R svycontrast).
  auto r = Evaluate(Example(), Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const DiD* did = nullptr;
  for (const DiD& x : r->did) {
    if (x.indicator == "idx") did = &x;
  }
  ASSERT_NE(did, nullptr);
  EXPECT_EQ(did->wave, "f");
  EXPECT_EQ(did->baseline_wave, "b");
  EXPECT_NEAR(*did->estimate, 15.0, kTol);
  const double var = 40 + 40 + 2 * 0.94 * 100.0 / 3.0;
  EXPECT_NEAR(*did->se, std::sqrt(var), kTol);
  EXPECT_NEAR(*did->df, 10.0, kTol);
  EXPECT_NEAR(*did->p, 0.23772687048903829, 1e-10);
  EXPECT_NEAR(*did->ci_lower, 15 - 2.2281388519862739 * std::sqrt(var), 1e-9);
  // Shares get no DiD (overall index and sub-indices only).
  for (const DiD& x : r->did) EXPECT_NE(x.indicator, "sh");
}

TEST(Evaluate, HolmAcrossTheIndicatorsOfOneComparison) {
  // Three score indicators in one area, b = 10,20,30,40 for all, f shifted by
  // +20, +5, +50: differences 20, 5, 50, each se √80, df 6.
  // Raw p (R 2·pt): 0.066706801962040874, 0.59638187818046418, 0.0013934221233176439.
  // Holm: sorted 0.00139·3 = 0.0041802663699529313, 0.0667·2 = 0.13341360392408175,
  // max(0.1334, 0.5964) = 0.59638187818046418. BH: 0.10006020294306131, 0.5964, 0.00418.
  StudyData d;
  d.study = "holm";
  d.areas = {{"P", store::AreaRole::kPilot, 100}};
  d.waves = {{"b", {{}}}, {"f", {{}}}};
  d.indicators = {{"a", "A", IndicatorKind::kSubIndex},
                  {"b", "B", IndicatorKind::kSubIndex},
                  {"c", "C", IndicatorKind::kSubIndex}};
  const double shift[] = {20, 5, 50};
  for (std::size_t w = 0; w < 2; ++w) {
    for (double y : {10, 20, 30, 40}) {
      Respondent r;
      r.wave = w;
      r.area = 0;
      for (double s : shift) r.values.push_back(y + (w == 1 ? s : 0));
      d.respondents.push_back(r);
    }
  }
  auto r = Evaluate(d, Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->changes.size(), 3u);
  EXPECT_NEAR(*FindChange(*r, "P", "a")->p, 0.066706801962040874, 1e-10);
  EXPECT_NEAR(*FindChange(*r, "P", "a")->p_adjusted, 0.13341360392408175, 1e-10);
  EXPECT_NEAR(*FindChange(*r, "P", "b")->p_adjusted, 0.59638187818046418, 1e-10);
  EXPECT_NEAR(*FindChange(*r, "P", "c")->p_adjusted, 0.0041802663699529313, 1e-10);
  EXPECT_TRUE(FindChange(*r, "P", "c")->significant);
  EXPECT_EQ(FindChange(*r, "P", "c")->verdict, "statistisk signifikant");
  EXPECT_FALSE(FindChange(*r, "P", "a")->significant);

  EvaluationOptions bh = Opts();
  bh.adjust = stats::AdjustMethod::kBH;
  auto r2 = Evaluate(d, bh);
  ASSERT_TRUE(r2.ok());
  EXPECT_NEAR(*FindChange(*r2, "P", "a")->p_adjusted, 0.10006020294306131, 1e-10);
  EXPECT_EQ(r2->adjust_method, "BH");
}

TEST(Evaluate, ShareUsesTheBetaInterval) {
  // b.P share values 1, 0, 1, 1 (N = 100): p = 0.75; R svyciprop(method = "beta")
  // on that cell: [0.14033723004339507, 0.99750010258458988], se 0.2449489742783178
  // (= √((1 − 4/100) · (1/4 · 3/4) · 4/3 / 4) = √0.06).
  StudyData d = TwoByTwo();
  const double sh[] = {1, 0, 1, 1};
  for (int i = 0; i < 4; ++i) Add(d, 0, 0, 50, sh[i]);
  auto r = Evaluate(d, Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Estimate& e = FindEstimate(FindCell(*r, "b", "P"), "sh");
  EXPECT_EQ(e.kind, IndicatorKind::kShare);
  EXPECT_NEAR(*e.estimate, 0.75, kTol);
  EXPECT_NEAR(*e.se, 0.2449489742783178, 1e-9);
  EXPECT_NEAR(*e.ci_lower, 0.14033723004339507, 1e-7);
  EXPECT_NEAR(*e.ci_upper, 0.99750010258458988, 1e-7);
}

TEST(Evaluate, EmptyCellsAndMissingValuesAreExplicitNeverNaN) {
  // f.C has no responses; in f.P nobody has a value of "sh".
  StudyData d = TwoByTwo();
  for (double y : {10, 20, 30}) Add(d, 0, 0, y);
  for (double y : {50, 60}) Add(d, 0, 1, y);
  for (double y : {30, 40, 50}) Add(d, 1, 0, y, std::nullopt);
  auto r = Evaluate(d, Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Cell& empty = FindCell(*r, "f", "C");
  EXPECT_EQ(empty.respondents, 0);
  EXPECT_TRUE(empty.estimates.empty());
  EXPECT_EQ(empty.note, "no responses in this wave and area");
  const Estimate& none = FindEstimate(FindCell(*r, "f", "P"), "sh");
  EXPECT_FALSE(none.estimate.has_value());
  EXPECT_EQ(none.missing, 3);
  EXPECT_EQ(none.note, "no respondent with a value");
  // Item non-response of the share's wave: none of the 3 misses T1.
  ASSERT_EQ(FindCell(*r, "f", "P").item_nonresponse.size(), 1u);
  EXPECT_EQ(FindCell(*r, "f", "P").item_nonresponse[0].missing, 0);
  // No change for C (no responses in f); the change of "sh" in P cannot be computed.
  EXPECT_EQ(FindChange(*r, "C", "idx"), nullptr);
  const Change* sh = FindChange(*r, "P", "sh");
  ASSERT_NE(sh, nullptr);
  EXPECT_FALSE(sh->difference.has_value());
  EXPECT_EQ(sh->verdict, "kan ikke beregnes");
  // DiD needs comparison values in f: present with a note, no number.
  ASSERT_FALSE(r->did.empty());
  EXPECT_FALSE(r->did[0].estimate.has_value());
  const std::string json = ToJson(*r);
  for (const char* bad : {":nan", ":-nan", ":NaN", ":inf", ":-inf"}) {
    EXPECT_EQ(json.find(bad), std::string::npos) << json.substr(json.find(bad), 80);
  }
  EXPECT_NE(json.find("\"estimate\":null"), std::string::npos);
}

TEST(Evaluate, ChannelsAreSeparateSeriesUnlessPooled) {
  // Two kiosk answers (80, 90) in b.P: their own unweighted series; pooled,
  // b.P holds 10,20,30,40,80,90 with mean 270/6 = 45.
  StudyData d = Example();
  Add(d, 0, 0, 80, 1.0, store::Channel::kKiosk);
  Add(d, 0, 0, 90, 1.0, store::Channel::kKiosk);
  auto r = Evaluate(d, Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(*FindEstimate(FindCell(*r, "b", "P"), "idx").estimate, 25.0, kTol);
  EXPECT_NEAR(*FindEstimate(FindCell(*r, "b", "P", "kiosk"), "idx").estimate, 85.0, kTol);
  EXPECT_EQ(r->weighting.size(), 2u);
  EvaluationOptions pooled = Opts();
  pooled.pool_channels = true;
  auto p = Evaluate(d, pooled);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_NEAR(*FindEstimate(FindCell(*p, "b", "P", "all"), "idx").estimate, 45.0, kTol);
}

TEST(Evaluate, TrimmingIsCounted) {
  // Raked weights 42, 18, 28, 12 (see RakingTwoByTwoByHand); bounds [15, 40]:
  // 42 → 40 and 12 → 15 are trimmed (2 units); the net +1 goes to the other two.
  StudyData d = TwoByTwo();
  d.areas.resize(1);
  d.waves = {{"b", {{{"age_band", "1", 70}, {"age_band", "2", 30}, {"sex", "1", 60}, {"sex", "2", 40}}}}};
  const int sex[] = {1, 1, 2, 2}, age[] = {1, 2, 1, 2};
  for (int i = 0; i < 4; ++i) {
    Add(d, 0, 0, 10.0 * (i + 1));
    d.respondents.back().background = {{"sex", sex[i]}, {"age_band", age[i]}};
  }
  EvaluationOptions o = Opts();
  o.trim_lower = 15;
  o.trim_upper = 40;
  auto r = Evaluate(d, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->weighting[0].trimmed, 2);
  // Weights 40, 18 − 0.5, 28 − 0.5, 15 (trimmed 42 − 40 = 2 and 12 − 15 = −3: net −1
  // shared by the other two: −0.5 each): mean = (400 + 17.5·20 + 27.5·30 + 15·40)/100
  // = (400 + 350 + 825 + 600)/100 = 21.75.
  EXPECT_NEAR(*FindEstimate(FindCell(*r, "b", "P"), "idx").estimate, 21.75, 1e-7);
}

TEST(Evaluate, RakingReproducesEveryCellsMarginsAtDemoSize) {
  // 3 areas × 4 waves × 300 respondents whose sex and age band are related
  // (so raking needs many sweeps). After raking, the weighted share of
  // sex 2 in each cell must equal the area's margin: 1173/2300 etc., and the
  // weighted share of age band 1 its margin 115/2300.
  StudyData d;
  d.study = "size";
  const std::int64_t pop[] = {2300, 2600, 1900};
  d.areas = {{"A", store::AreaRole::kPilot, pop[0]},
             {"B", store::AreaRole::kComparison, pop[1]},
             {"C", store::AreaRole::kComparison, pop[2]}};
  const double age_share[] = {0.05, 0.14, 0.19, 0.17, 0.15, 0.12, 0.11, 0.07};
  std::vector<std::vector<store::Margin>> margins;
  std::vector<std::int64_t> women(3), age1(3);
  for (std::size_t a = 0; a < 3; ++a) {
    std::vector<store::Margin> m;
    women[a] = static_cast<std::int64_t>(0.51 * static_cast<double>(pop[a]));
    m.push_back({"sex", "1", pop[a] - women[a]});
    m.push_back({"sex", "2", women[a]});
    std::int64_t used = 0;
    for (int b = 0; b < 8; ++b) {
      const std::int64_t count =
          b < 7 ? static_cast<std::int64_t>(age_share[b] * static_cast<double>(pop[a])) : pop[a] - used;
      used += count;
      if (b == 0) age1[a] = count;
      m.push_back({"age_band", std::to_string(b + 1), count});
    }
    margins.push_back(m);
  }
  for (const char* w : {"w1", "w2", "w3", "w4"}) d.waves.push_back({w, margins});
  d.indicators = {{"women", "Kvinder", IndicatorKind::kShare}, {"age1", "15-17", IndicatorKind::kShare}};
  std::uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (std::size_t w = 0; w < 4; ++w) {
    for (std::size_t a = 0; a < 3; ++a) {
      for (int i = 0; i < 300; ++i) {
        Respondent r;
        r.wave = w;
        r.area = a;
        const int sex = next() < 0.6 ? 2 : 1;                        // women over-represented
        int band = 1 + static_cast<int>(next() * 8);                  // uniform age bands ...
        if (sex == 2 && band < 8 && next() < 0.3) ++band;            // ... women older
        r.background = {{"sex", sex}, {"age_band", band}};
        r.values = {sex == 2 ? 1.0 : 0.0, band == 1 ? 1.0 : 0.0};
        d.respondents.push_back(r);
      }
    }
  }
  auto r = Evaluate(d, Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->cells.size(), 12u);
  for (const Cell& c : r->cells) {
    const std::size_t a = static_cast<std::size_t>(c.area[0] - 'A');
    EXPECT_NEAR(*FindEstimate(c, "women").estimate, static_cast<double>(women[a]) / static_cast<double>(pop[a]), 1e-8);
    EXPECT_NEAR(*FindEstimate(c, "age1").estimate, static_cast<double>(age1[a]) / static_cast<double>(pop[a]), 1e-8);
  }
}

TEST(Evaluate, AWaveWithoutResponsesGivesEmptyCellsAndANote) {
  // A third (draft) wave "g" with no responses: two empty cells, no changes or
  // DiD for it, and one note saying so.
  StudyData d = Example();
  d.waves.push_back({"g", {{}, {}}});
  auto r = Evaluate(d, Opts());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(FindCell(*r, "g", "P").respondents, 0);
  EXPECT_EQ(FindCell(*r, "g", "C").respondents, 0);
  for (const Change& c : r->changes) EXPECT_NE(c.to_wave, "g");
  for (const DiD& x : r->did) EXPECT_NE(x.wave, "g");
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_NE(r->notes[0].find("wave g has no responses"), std::string::npos);
}

TEST(Evaluate, RejectsBadOptions) {
  EvaluationOptions o = Opts();
  o.level = 1.5;
  EXPECT_EQ(Evaluate(Example(), o).status().code(), core::StatusCode::kInvalidArgument);
  StudyData d = Example();
  d.areas[1].population = 2;  // 3 respondents in b.C
  auto r = Evaluate(d, Opts());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("smaller than"), std::string::npos);
}

}  // namespace
}  // namespace tryghed::evaluation
