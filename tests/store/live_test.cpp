// Store::ResponsesPerDay (the dashboard's live counts) and
// Store::SetDispositions (returned letters marked all or nothing), on SQLite
// and PostgreSQL. Expected counts are written out by hand from the
// responses submitted here.
#include <gtest/gtest.h>

#include "core/sha256.h"
#include "store/store.h"
#include "store_test_env.h"

namespace tryghed::store {
namespace {

using core::StatusCode;

const std::string kJson = R"({"id":"live","items":[]})";

class LiveStoreTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    study_ = *store_->CreateStudy("Gadehavegård", "");
    pilot_ = *store_->AddArea(study_, "Gadehavegård", AreaRole::kPilot, 1800);
    comparison_ = *store_->AddArea(study_, "Tåstrupgård", AreaRole::kComparison, 2100);
    qv_ = *store_->AddQuestionnaireVersion(kJson, core::Sha256Hex(kJson));
    wave_ = *store_->CreateWave(study_, "baseline", "2026-05-01", "2026-05-31", qv_);
    other_wave_ = *store_->CreateWave(study_, "follow-up", "", "", qv_);
    ASSERT_TRUE(store_->OpenWave(wave_).ok());
    ASSERT_TRUE(store_->OpenWave(other_wave_).ok());
  }

  void Submit(Id wave, Id area, Channel channel, const std::string& day, Completeness completeness) {
    ResponseMeta m;
    m.wave_id = wave;
    m.area_id = area;
    m.channel = channel;
    m.questionnaire_version_id = qv_;
    m.received_on = day;
    m.completeness = completeness;
    auto id = store_->SubmitResponse(m, {}, std::nullopt, std::nullopt);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
  }

  Id study_ = 0, pilot_ = 0, comparison_ = 0, qv_ = 0, wave_ = 0, other_wave_ = 0;
};

TEST_P(LiveStoreTest, ResponsesPerDayCountsByDayAreaAndChannel) {
  const auto kComplete = Completeness::kComplete, kPartial = Completeness::kPartial;
  // 3 May: pilot 2 link (1 partial) and 1 kiosk; comparison 1 link.
  Submit(wave_, pilot_, Channel::kLink, "2026-05-03", kComplete);
  Submit(wave_, pilot_, Channel::kLink, "2026-05-03", kPartial);
  Submit(wave_, pilot_, Channel::kKiosk, "2026-05-03", kComplete);
  Submit(wave_, comparison_, Channel::kLink, "2026-05-03", kComplete);
  // 1 May: pilot 1 open link (partial). 10 May: comparison 3 kiosk.
  Submit(wave_, pilot_, Channel::kOpen, "2026-05-01", kPartial);
  for (int i = 0; i < 3; ++i) Submit(wave_, comparison_, Channel::kKiosk, "2026-05-10", kComplete);
  // Another wave's response is not counted.
  Submit(other_wave_, pilot_, Channel::kLink, "2026-05-03", kComplete);

  auto rows = store_->ResponsesPerDay(wave_);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  // Ordered by day, area id, channel name ("kiosk" < "link" < "open").
  const std::vector<DailyResponses> expected = {
      {"2026-05-01", pilot_, Channel::kOpen, 1, 0},
      {"2026-05-03", pilot_, Channel::kKiosk, 1, 1},
      {"2026-05-03", pilot_, Channel::kLink, 2, 1},
      {"2026-05-03", comparison_, Channel::kLink, 1, 1},
      {"2026-05-10", comparison_, Channel::kKiosk, 3, 3},
  };
  EXPECT_EQ(*rows, expected);
}

TEST_P(LiveStoreTest, ResponsesPerDayOfAnEmptyOrUnknownWave) {
  auto rows = store_->ResponsesPerDay(wave_);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_TRUE(rows->empty());
  EXPECT_EQ(store_->ResponsesPerDay(wave_ + 100).status().code(), StatusCode::kNotFound);
}

TEST_P(LiveStoreTest, SetDispositionsIsAllOrNothing) {
  const std::string a = core::Sha256Hex("token-a"), b = core::Sha256Hex("token-b"), c = core::Sha256Hex("token-c");
  ASSERT_TRUE(store_->AddInvitations(wave_, pilot_, {a, b, c}).ok());
  // The third mark names no invitation: nothing is changed, and the row is named.
  const std::vector<std::pair<std::string, Disposition>> bad = {
      {a, Disposition::kUndeliverable}, {b, Disposition::kNotEligible}, {core::Sha256Hex("token-x"), Disposition::kRefused}};
  core::Status st = store_->SetDispositions(bad);
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_EQ(st.message().rfind("row 3: ", 0), 0u) << st.message();
  auto counts = store_->CountDispositions(wave_);
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[0].disposition, Disposition::kNotUsed);
  EXPECT_EQ((*counts)[0].count, 3);
  // A used invitation stops the batch too.
  ResponseMeta m;
  m.wave_id = wave_;
  m.area_id = pilot_;
  m.questionnaire_version_id = qv_;
  ASSERT_TRUE(store_->SubmitResponse(m, {}, c, std::nullopt).ok());
  st = store_->SetDispositions({{{a, Disposition::kUndeliverable}, {c, Disposition::kRefused}}});
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(st.message(), "row 2: the invitation is already 'complete'");
  EXPECT_TRUE(store_->SetDispositions({{{a, Disposition::kRefused}, {b, Disposition::kComplete}}}).code() ==
              StatusCode::kInvalidArgument);
  // A good batch marks every row.
  ASSERT_TRUE(store_->SetDispositions({{{a, Disposition::kUndeliverable}, {b, Disposition::kNotEligible}}}).ok());
  counts = store_->CountDispositions(wave_);
  ASSERT_TRUE(counts.ok());
  // not used, complete, partial, refused, undeliverable, not eligible
  const std::int64_t want[] = {0, 1, 0, 0, 1, 1};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ((*counts)[i].count, want[i]) << DispositionName((*counts)[i].disposition);
}

INSTANTIATE_TEST_SUITE_P(Backends, LiveStoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendParamName);

}  // namespace
}  // namespace tryghed::store
