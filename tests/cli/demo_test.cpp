#include "cli/demo.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <numeric>
#include <string>

#include "questionnaire/builtin.h"
#include "questionnaire/loader.h"
#include "questionnaire/scoring.h"
#include "store/store.h"

namespace tryghed::cli {
namespace {

class DemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tryghed_demo_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(DemoTest, CreatesTheStudyWithATrueEffectInThePilotOnly) {
  const std::string json(questionnaire::BuiltinQuestionnaireJson("tryghed-standard"));
  auto q = questionnaire::LoadQuestionnaire(json, "tryghed-standard");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  auto db = store::Store::Open((dir_ / "demo.db").string());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  DemoOptions options;
  options.crime_csv_path = (dir_ / "crime.csv").string();
  auto summary = CreateDemo(**db, *q, json, options, {});
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->areas, 3);
  EXPECT_EQ(summary->waves, 4);
  // 30 % of 2300 + 2600 + 1900 residents invited in each of three waves.
  EXPECT_EQ(summary->invitations, 3 * (690 + 780 + 570));
  EXPECT_TRUE(std::filesystem::exists(options.crime_csv_path));

  auto study = (*db)->FindStudy("demo");
  ASSERT_TRUE(study.ok());
  auto waves = (*db)->ListWaves(study->id);
  ASSERT_TRUE(waves.ok());
  ASSERT_EQ(waves->size(), 4u);
  EXPECT_EQ((*waves)[0].status, store::WaveStatus::kClosed);
  EXPECT_EQ((*waves)[1].status, store::WaveStatus::kClosed);
  EXPECT_EQ((*waves)[2].status, store::WaveStatus::kOpen);
  EXPECT_EQ((*waves)[3].status, store::WaveStatus::kDraft);
  auto areas = (*db)->ListAreas(study->id);
  ASSERT_TRUE(areas.ok());
  ASSERT_EQ(areas->size(), 3u);
  EXPECT_EQ((*areas)[0].role, store::AreaRole::kPilot);
  auto margins = (*db)->GetMargins((*areas)[0].id, std::nullopt);
  ASSERT_TRUE(margins.ok());
  EXPECT_EQ(margins->size(), 2u + 8u);  // sex (2 levels), age band (8 levels)

  // Unweighted mean overall index of link responses by wave and role. The
  // pilot gains 0.45 latent SD from wave 3: its change from the baseline
  // must exceed the comparison areas' change by several points (the model
  // gives about 6; with ~250 respondents per cell the noise is ~2).
  std::map<store::Id, bool> pilot;
  for (const auto& a : *areas) pilot[a.id] = a.role == store::AreaRole::kPilot;
  double mean[3][2] = {};
  double count[3][2] = {};
  std::int64_t responses = 0;
  for (int w = 0; w < 3; ++w) {
    auto rs = (*db)->ReadResponses((*waves)[static_cast<std::size_t>(w)].id);
    ASSERT_TRUE(rs.ok()) << rs.status().ToString();
    responses += static_cast<std::int64_t>(rs->size());
    for (const auto& r : *rs) {
      EXPECT_TRUE(questionnaire::ValidateAnswers(*q, r.answers).ok());
      if (r.meta.channel != store::Channel::kLink) continue;
      auto s = questionnaire::ScoreResponse(*q, r.answers);
      if (!s.overall) continue;
      const int role = pilot[r.meta.area_id] ? 0 : 1;
      mean[w][role] += *s.overall;
      count[w][role] += 1;
    }
  }
  EXPECT_EQ(responses, summary->responses);
  for (int w = 0; w < 3; ++w) {
    for (int role = 0; role < 2; ++role) {
      ASSERT_GT(count[w][role], 100);
      mean[w][role] /= count[w][role];
    }
  }
  const double pilot_change = mean[2][0] - mean[0][0];
  const double comparison_change = mean[2][1] - mean[0][1];
  EXPECT_GT(pilot_change - comparison_change, 3.0) << "pilot " << pilot_change << ", comparison " << comparison_change;
  EXPECT_LT(pilot_change - comparison_change, 10.0);
  EXPECT_LT(std::abs(mean[1][0] - mean[0][0]), 3.0);  // no effect before wave 3

  // A second demo with the same name is refused.
  auto again = CreateDemo(**db, *q, json, options, {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), core::StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace tryghed::cli
