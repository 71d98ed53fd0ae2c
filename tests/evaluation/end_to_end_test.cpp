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

  // Unweighted: baseline pilot (100 + 100 + 100 + 0)/4 = 75.
  EvaluationOptions unweighted;
  unweighted.weighted = false;
  auto u = Evaluate(*data, unweighted);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  ASSERT_NE(Find(*u, "baseline", "Gadehavegård", "tryghedsindeks"), nullptr);
  EXPECT_NEAR(*Find(*u, "baseline", "Gadehavegård", "tryghedsindeks")->estimate, 75.0, 1e-9);

  // Weighted to sex 50/50: baseline men 50/3 each, the woman 50:
  // (3 · 50/3 · 100 + 50 · 0)/100 = 50; f1: everyone 25: (25·100·3)/100 = 75.
  auto r = Evaluate(*data, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NEAR(*Find(*r, "baseline", "Gadehavegård", "tryghedsindeks")->estimate, 50.0, 1e-7);
  EXPECT_NEAR(*Find(*r, "f1", "Gadehavegård", "tryghedsindeks")->estimate, 75.0, 1e-7);
  EXPECT_NEAR(*Find(*r, "baseline", "Gadehavegård", "tryg")->estimate, 0.5, 1e-7);
  EXPECT_NEAR(*Find(*r, "baseline", "Nordparken", "tryghed")->estimate, 50.0, 1e-9);
  // The kiosk answer (0) is its own series.
  ASSERT_NE(Find(*r, "f1", "Gadehavegård", "tryghedsindeks", "kiosk"), nullptr);
  EXPECT_NEAR(*Find(*r, "f1", "Gadehavegård", "tryghedsindeks", "kiosk")->estimate, 0.0, 1e-9);
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
  EXPECT_EQ(ToJson(*r).find("nan"), std::string::npos);
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
