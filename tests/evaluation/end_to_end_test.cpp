// LoadStudy + Evaluate + `tryghed evaluate` on a small study written through
// store::Store into a temporary SQLite file, with the standard questionnaire.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/app.h"
#include "core/file.h"
#include "core/sha256.h"
#include "evaluation/dataset.h"
#include "evaluation/evaluate.h"
#include "evaluation/result.h"
#include "questionnaire/loader.h"
#include "store/store.h"

namespace tryghed::evaluation {
namespace {

namespace fs = std::filesystem;

// Every sub-index item at its most favourable code: every item score 100,
// so every sub-index and the overall index are 100; T1 = 1 counts as "tryg".
core::Answers Best(core::Code sex) {
  core::Answers a;
  for (const char* t : {"T1", "T2", "T3", "T4", "T5", "P1", "P2", "P3", "P4", "P5", "P6", "P7"}) a[t] = core::Code{1};
  for (const char* t : {"L1", "L2", "L3", "L4", "N1", "N2", "N3", "N5", "N6"}) a[t] = core::Code{5};
  a["N4"] = core::Code{1};
  a["B2"] = sex;
  return a;
}

// Every item at its least favourable code: every score 0; T1 = 7 is "utryg".
core::Answers Worst(core::Code sex) {
  core::Answers a;
  a["T1"] = core::Code{7};
  for (const char* t : {"T2", "T3", "T4", "T5", "P1", "P2", "P3", "P4", "P5", "P6", "P7"}) a[t] = core::Code{4};
  for (const char* t : {"L1", "L2", "L3", "L4", "N1", "N2", "N3", "N5", "N6"}) a[t] = core::Code{1};
  a["N4"] = core::Code{5};
  a["B2"] = sex;
  return a;
}

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tryghed-eval-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir_);
    db_path_ = (dir_ / "e2e.db").string();
    auto text = core::ReadFile(std::string(TRYGHED_SOURCE_DIR) + "/questionnaires/tryghed-standard.json");
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    auto q = questionnaire::LoadQuestionnaire(*text, "tryghed-standard.json");
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    auto opened = store::Store::Open(db_path_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store::Store& db = **opened;
    auto study = db.CreateStudy("e2e", "");
    ASSERT_TRUE(study.ok()) << study.status().ToString();
    auto pilot = db.AddArea(*study, "Gadehavegård", store::AreaRole::kPilot, 100);
    auto comparison = db.AddArea(*study, "Nordparken", store::AreaRole::kComparison, 80);
    ASSERT_TRUE(pilot.ok() && comparison.ok());
    ASSERT_TRUE(db.SetMargins(*pilot, std::nullopt, {{"sex", "1", 50}, {"sex", "2", 50}}).ok());
    auto version = db.AddQuestionnaireVersion(*text, q->content_hash);
    ASSERT_TRUE(version.ok()) << version.status().ToString();
    std::vector<store::Id> waves;
    for (const char* label : {"baseline", "f1"}) {
      auto w = db.CreateWave(*study, label, "", "", *version);
      ASSERT_TRUE(w.ok()) << w.status().ToString();
      ASSERT_TRUE(db.OpenWave(*w).ok());
      waves.push_back(*w);
    }
    auto submit = [&](store::Id wave, store::Id area, const core::Answers& a,
                      store::Channel ch = store::Channel::kLink) {
      store::ResponseMeta meta;
      meta.wave_id = wave;
      meta.area_id = area;
      meta.channel = ch;
      meta.questionnaire_version_id = *version;
      auto r = db.SubmitResponse(meta, a, std::nullopt, std::nullopt);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    };
    // Three letters for f1 in the pilot: one refused, one undeliverable, one not used.
    const std::vector<std::string> tokens = {core::Sha256Hex("a"), core::Sha256Hex("b"), core::Sha256Hex("c")};
    ASSERT_TRUE(db.AddInvitations(waves[1], *pilot, tokens).ok());
    ASSERT_TRUE(db.SetDisposition(tokens[0], store::Disposition::kRefused).ok());
    ASSERT_TRUE(db.SetDisposition(tokens[1], store::Disposition::kUndeliverable).ok());
    // Baseline pilot: 3 men at best, 1 woman at worst.
    for (int i = 0; i < 3; ++i) submit(waves[0], *pilot, Best(1));
    submit(waves[0], *pilot, Worst(2));
    // f1 pilot: 2 men and 1 woman at best, 1 woman at worst.
    submit(waves[1], *pilot, Best(1));
    submit(waves[1], *pilot, Best(1));
    submit(waves[1], *pilot, Best(2));
    submit(waves[1], *pilot, Worst(2));
    // Comparison, both waves: 2 at best, 2 at worst.
    for (store::Id w : waves) {
      submit(w, *comparison, Best(1));
      submit(w, *comparison, Best(2));
      submit(w, *comparison, Worst(1));
      submit(w, *comparison, Worst(2));
    }
    // One kiosk answer in the pilot area: its own series.
    submit(waves[1], *pilot, Worst(1), store::Channel::kKiosk);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  fs::path dir_;
  std::string db_path_;
};

const Estimate* Find(const EvaluationResult& r, const std::string& wave, const std::string& area,
                     const std::string& id, const std::string& series = "invited") {
  for (const Cell& c : r.cells) {
    if (c.wave != wave || c.area != area || c.series != series) continue;
    for (const Estimate& e : c.estimates) {
      if (e.id == id) return &e;
    }
  }
  return nullptr;
}

TEST_F(EndToEnd, LoadAndEvaluate) {
  auto db = store::Store::Open(db_path_);
  ASSERT_TRUE(db.ok());
  auto data = LoadStudy(**db, "e2e");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ASSERT_EQ(data->waves.size(), 2u);
  EXPECT_EQ(data->waves[0].label, "baseline");
  EXPECT_EQ(data->respondents.size(), 17u);
  ASSERT_FALSE(data->indicators.empty());
  EXPECT_EQ(data->indicators[0].id, "tryghedsindeks");
  EXPECT_EQ(data->respondents[0].received_on.size(), 10u);  // YYYY-MM-DD
  ASSERT_EQ(data->background.size(), 4u);                   // age_band, sex, years_in_area, block
  EXPECT_EQ(data->background[1].role, "sex");
  ASSERT_EQ(data->waves[1].dispositions.size(), 2u);
  EXPECT_EQ(data->waves[1].dispositions[0].refused, 1);
  EXPECT_EQ(data->waves[1].dispositions[0].undeliverable, 1);
  EXPECT_EQ(data->waves[1].dispositions[0].not_used, 1);

  // Unweighted: baseline pilot (100 + 100 + 100 + 0)/4 = 75.
  // Cells of 4 respondents: the smallest disclosure threshold keeps them.
  EvaluationOptions small;
  small.disclosure.min_cell = 3;
  EvaluationOptions unweighted = small;
  unweighted.weighted = false;
  auto u = Evaluate(*data, unweighted);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  ASSERT_NE(Find(*u, "baseline", "Gadehavegård", "tryghedsindeks"), nullptr);
  EXPECT_NEAR(*Find(*u, "baseline", "Gadehavegård", "tryghedsindeks")->estimate, 75.0, 1e-9);

  // Weighted to sex 50/50: baseline men 50/3 each, the woman 50:
  // (3 · 50/3 · 100 + 50 · 0)/100 = 50; f1: everyone 25: (25·100·3)/100 = 75.
  auto r = Evaluate(*data, small);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(*Find(*r, "baseline", "Gadehavegård", "tryghedsindeks")->estimate, 50.0, 1e-7);
  EXPECT_NEAR(*Find(*r, "f1", "Gadehavegård", "tryghedsindeks")->estimate, 75.0, 1e-7);
  EXPECT_NEAR(*Find(*r, "baseline", "Gadehavegård", "tryg")->estimate, 0.5, 1e-7);
  EXPECT_NEAR(*Find(*r, "baseline", "Nordparken", "tryghed")->estimate, 50.0, 1e-9);
  // The kiosk answer is its own series, a cell of one respondent: suppressed.
  ASSERT_NE(Find(*r, "f1", "Gadehavegård", "tryghedsindeks", "kiosk"), nullptr);
  EXPECT_TRUE(Find(*r, "f1", "Gadehavegård", "tryghedsindeks", "kiosk")->suppressed);
  EXPECT_FALSE(Find(*r, "f1", "Gadehavegård", "tryghedsindeks", "kiosk")->estimate.has_value());
  // f1 pilot letters: I = P = 0, R = 1, NC = 1, U = 1: RR1 = 0, REF1 = 1/3,
  // CON1 = (0 + 1)/(1 + 1 + 1) = 1/3, COOP1 = 0/(0 + 1) = 0.
  ASSERT_EQ(r->response_rates.size(), 1u);
  EXPECT_EQ(r->response_rates[0].area, "Gadehavegård");
  EXPECT_EQ(*r->response_rates[0].rr1, 0.0);
  EXPECT_NEAR(*r->response_rates[0].ref1, 1.0 / 3, 1e-15);
  EXPECT_NEAR(*r->response_rates[0].con1, 1.0 / 3, 1e-15);
  EXPECT_EQ(*r->response_rates[0].coop1, 0.0);
  // DiD of the overall index: (75 − 50) − (50 − 50) = 25.
  bool found = false;
  for (const DiD& d : r->did) {
    if (d.series == "invited" && d.indicator == "tryghedsindeks" && d.wave == "f1") {
      found = true;
      ASSERT_TRUE(d.estimate.has_value()) << d.note;
      EXPECT_NEAR(*d.estimate, 25.0, 1e-7);
    }
  }
  EXPECT_TRUE(found);
  // Item texts contain "nan" ("hinanden"): look for it as a value.
  const std::string json = ToJson(*r);
  for (const char* bad : {":nan", ":-nan", ":inf", ":-inf", ":NaN"}) {
    EXPECT_EQ(json.find(bad), std::string::npos) << bad;
  }
}

TEST_F(EndToEnd, CommandWritesJsonAndFailsInOneLine) {
  std::ostringstream out, err;
  const std::string result = (dir_ / "result.json").string();
  int code = cli::Main({"tryghed", "evaluate", "--study", "e2e", "--db", db_path_, "--out", result}, out, err);
  EXPECT_EQ(code, 0) << err.str();
  auto text = core::ReadFile(result);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("\"study\":\"e2e\""), std::string::npos);
  EXPECT_NE(text->find("\"tryghedsindeks\""), std::string::npos);

  // --json (the name for --out): the same data give the same bytes,
  // and stdout carries the short summary.
  const std::string again = (dir_ / "again.json").string();
  std::ostringstream out1, err1;
  code = cli::Main({"tryghed", "evaluate", "--study", "e2e", "--db", db_path_, "--json", again, "--min-cell", "3"},
                   out1, err1);
  EXPECT_EQ(code, 0) << err1.str();
  std::ostringstream out1b, err1b;
  code = cli::Main({"tryghed", "evaluate", "--study", "e2e", "--db", db_path_, "--json", result, "--min-cell", "3"},
                   out1b, err1b);
  EXPECT_EQ(code, 0) << err1b.str();
  auto first = core::ReadFile(again);
  auto second = core::ReadFile(result);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_NE(first->find("\"disclosure\":{\"min_cell\":3,"), std::string::npos);
  EXPECT_NE(out1.str().find("Tryghedsindeks"), std::string::npos) << out1.str();
  EXPECT_NE(out1.str().find("Difference-in-differences, f1"), std::string::npos) << out1.str();

  // A disclosure threshold below 3 is refused in one line, exit code 2.
  std::ostringstream out4, err4;
  code = cli::Main({"tryghed", "evaluate", "--study", "e2e", "--db", db_path_, "--min-cell", "2"}, out4, err4);
  EXPECT_EQ(code, 2);
  EXPECT_NE(err4.str().find("below 3"), std::string::npos) << err4.str();

  std::ostringstream out2, err2;
  code = cli::Main({"tryghed", "evaluate", "--study", "nope", "--db", db_path_}, out2, err2);
  EXPECT_EQ(code, 2);
  const std::string e = err2.str();
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 1) << e;
  EXPECT_NE(e.find("nope"), std::string::npos) << e;

  std::ostringstream out3, err3;
  code = cli::Main({"tryghed", "evaluate", "--help"}, out3, err3);
  EXPECT_EQ(code, 0);
  EXPECT_NE(out3.str().find("tryghed evaluate --study demo"), std::string::npos);
}

}  // namespace
}  // namespace tryghed::evaluation
