#pragma once
// Shared set-up for tests/exchange: a database (SQLite file or a PostgreSQL
// schema, tests/store/store_test_env.h) holding the study "Gadehavegård 2026"
// with the areas Gadehavegård (pilot) and Charlotteager (comparison) and the
// draft waves w1 and w2, both on tests/data/exchange/survey.json.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "core/file.h"
#include "questionnaire/loader.h"
#include "store/store.h"
#include "store_test_env.h"

namespace tryghed::exchange::testing {

inline std::string SurveyPath() { return std::string(TRYGHED_TEST_DATA) + "/exchange/survey.json"; }

class ExchangeFixture {
 public:
  // Builds the study; sets `error` instead of failing when something is off.
  void Build(store::Backend backend) {
    db = std::make_unique<store::testing::TestDatabase>(backend);
    if (db->skip() || !db->error().empty()) return;
    auto s = store::Store::Open(db->url());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store = std::move(s).value();
    auto study = store->CreateStudy("Gadehavegård 2026", "");
    ASSERT_TRUE(study.ok()) << study.status().ToString();
    study_id = *study;
    auto a = store->AddArea(study_id, "Gadehavegård", store::AreaRole::kPilot, 1800);
    auto b = store->AddArea(study_id, "Charlotteager", store::AreaRole::kComparison, 900);
    ASSERT_TRUE(a.ok() && b.ok());
    pilot = *a;
    comparison = *b;
    auto json = core::ReadFile(SurveyPath());
    ASSERT_TRUE(json.ok()) << json.status().ToString();
    auto q = questionnaire::LoadQuestionnaire(*json, SurveyPath());
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    auto qv = store->AddQuestionnaireVersion(*json, q->content_hash);
    ASSERT_TRUE(qv.ok()) << qv.status().ToString();
    qv_id = *qv;
    auto w1 = store->CreateWave(study_id, "w1", "2025-09-01", "2025-10-15", qv_id);
    auto w2 = store->CreateWave(study_id, "w2", "2026-09-01", "2026-10-15", qv_id);
    ASSERT_TRUE(w1.ok() && w2.ok());
    wave1 = *w1;
    wave2 = *w2;
  }

  // Writes `bytes` exactly to a new file in the test's directory.
  std::string WriteFile(const std::string& name, const std::string& bytes) const {
    const std::string p = db->dir() + "/" + name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }

  std::unique_ptr<store::testing::TestDatabase> db;
  std::unique_ptr<store::Store> store;
  store::Id study_id = 0, pilot = 0, comparison = 0, qv_id = 0, wave1 = 0, wave2 = 0;
};

}  // namespace tryghed::exchange::testing
