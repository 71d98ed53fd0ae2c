// The store's side of the resident form (store/forms.cpp): invitation and
// kiosk look-ups, the open wave of an area, open links and link-mode drafts,
// on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "core/sha256.h"
#include "store/internal/testing.h"
#include "store/store.h"
#include "store_test_env.h"

namespace tryghed::store {
namespace {

using core::StatusCode;
using internal::StoreTestAccess;
using testing::TestDatabase;

const std::string kJson = R"({"id":"forms","items":[]})";

class FormsStoreTest : public testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    study_ = *store_->CreateStudy("Gadehavegård", "");
    area_ = *store_->AddArea(study_, "Gadehavegård", AreaRole::kPilot, 1800);
    other_area_ = *store_->AddArea(study_, "Tåstrupgård", AreaRole::kComparison, 2100);
    qv_ = *store_->AddQuestionnaireVersion(kJson, core::Sha256Hex(kJson));
    wave_ = *store_->CreateWave(study_, "baseline", "", "", qv_);
    ASSERT_TRUE(store_->OpenWave(wave_).ok());
    ASSERT_TRUE(store_->AddInvitations(wave_, area_, {core::Sha256Hex("token-a"), core::Sha256Hex("token-b")}).ok());
  }

  ResponseMeta Meta() const {
    ResponseMeta m;
    m.wave_id = wave_;
    m.area_id = area_;
    m.questionnaire_version_id = qv_;
    return m;
  }

  Id study_ = 0, area_ = 0, other_area_ = 0, qv_ = 0, wave_ = 0;
};

TEST_P(FormsStoreTest, FindInvitationTellsWaveAreaAndUse) {
  auto inv = store_->FindInvitation(core::Sha256Hex("token-a"));
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(inv->wave_id, wave_);
  EXPECT_EQ(inv->area_id, area_);
  EXPECT_FALSE(inv->used);
  EXPECT_EQ(store_->FindInvitation(core::Sha256Hex("token-x")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->FindInvitation("not a hash").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->SubmitResponse(Meta(), {}, core::Sha256Hex("token-a"), std::nullopt).ok());
  EXPECT_TRUE(store_->FindInvitation(core::Sha256Hex("token-a"))->used);
  ASSERT_TRUE(store_->SetDisposition(core::Sha256Hex("token-b"), Disposition::kRefused).ok());
  EXPECT_TRUE(store_->FindInvitation(core::Sha256Hex("token-b"))->used);
}

TEST_P(FormsStoreTest, KioskByIdNeedsItsSecret) {
  auto id = store_->RegisterKiosk("Beboerhuset", area_, "a-secret-of-some-length");
  ASSERT_TRUE(id.ok());
  auto kiosk = store_->AuthenticateKioskById(*id, "a-secret-of-some-length");
  ASSERT_TRUE(kiosk.ok()) << kiosk.status().ToString();
  EXPECT_EQ(kiosk->name, "Beboerhuset");
  EXPECT_EQ(kiosk->area_id, area_);
  auto wrong = store_->AuthenticateKioskById(*id, "a-secret-of-some-lengtH");
  auto missing = store_->AuthenticateKioskById(*id + 100, "a-secret-of-some-length");
  EXPECT_EQ(wrong.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(wrong.status().message(), missing.status().message());  // does not say which was wrong
}

TEST_P(FormsStoreTest, CurrentOpenWaveIsTheNewestOpenWaveOfTheAreasStudy) {
  auto w = store_->CurrentOpenWave(other_area_);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->id, wave_);
  auto second = store_->CreateWave(study_, "follow-up", "", "", qv_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(store_->CurrentOpenWave(area_)->id, wave_);  // a draft wave does not count
  ASSERT_TRUE(store_->OpenWave(*second).ok());
  EXPECT_EQ(store_->CurrentOpenWave(area_)->id, *second);
  ASSERT_TRUE(store_->CloseWave(*second).ok());
  ASSERT_TRUE(store_->CloseWave(wave_).ok());
  EXPECT_EQ(store_->CurrentOpenWave(area_).status().code(), StatusCode::kNotFound);
}

TEST_P(FormsStoreTest, OpenLinkCodeIsMadeOnceAndFound) {
  auto code = store_->OpenLinkCode(wave_, area_);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(code->size(), 26u);
  EXPECT_EQ(*store_->OpenLinkCode(wave_, area_), *code);
  EXPECT_NE(*store_->OpenLinkCode(wave_, other_area_), *code);
  auto link = store_->FindOpenLink(*code);
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->wave_id, wave_);
  EXPECT_EQ(link->area_id, area_);
  EXPECT_EQ(store_->FindOpenLink("zzzzzzzzzzzzzzzzzzzzzzzzzz").status().code(), StatusCode::kNotFound);
}

TEST_P(FormsStoreTest, DraftLivesUntilItsSubmissionDeletesIt) {
  const std::string h = core::Sha256Hex("token-a");
  EXPECT_FALSE(store_->LoadDraft(h)->has_value());
  ASSERT_TRUE(store_->SaveDraft(h, "first").ok());
  ASSERT_TRUE(store_->SaveDraft(h, "second").ok());
  EXPECT_EQ(store_->LoadDraft(h)->value_or(""), "second");
  EXPECT_EQ(store_->SaveDraft(core::Sha256Hex("token-x"), "x").code(), StatusCode::kNotFound);
  // A failed submission (wrong area) keeps the draft: its savepoint is rolled back.
  ResponseMeta wrong = Meta();
  wrong.area_id = other_area_;
  EXPECT_EQ(store_->SubmitResponse(wrong, {}, h, std::nullopt).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->LoadDraft(h)->value_or(""), "second");
  ASSERT_TRUE(store_->SubmitResponse(Meta(), {{"T1", core::Code{2}}}, h, "form-1").ok());
  EXPECT_FALSE(store_->LoadDraft(h)->has_value());
  auto rows = StoreTestAccess::QueryText(*store_, "SELECT COUNT(*) FROM form_draft");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->front(), "0");
  // No draft can be saved for a used invitation.
  EXPECT_EQ(store_->SaveDraft(h, "late").code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(store_->LoadDraft(h)->has_value());
}

TEST_P(FormsStoreTest, PurgeDraftsDeletesOldDraftsAndThoseOfClosedWaves) {
  const std::string a = core::Sha256Hex("token-a"), b = core::Sha256Hex("token-b");
  ASSERT_TRUE(store_->SaveDraft(a, "a").ok());
  ASSERT_TRUE(store_->SaveDraft(b, "b").ok());
  ASSERT_TRUE(StoreTestAccess::Execute(*store_, "UPDATE form_draft SET saved_on = '2020-01-01' WHERE state = 'b'").ok());
  auto removed = store_->PurgeDrafts(90);
  ASSERT_TRUE(removed.ok()) << removed.status().ToString();
  EXPECT_EQ(*removed, 1);
  EXPECT_TRUE(store_->LoadDraft(a)->has_value());
  EXPECT_FALSE(store_->LoadDraft(b)->has_value());
  ASSERT_TRUE(store_->CloseWave(wave_).ok());
  EXPECT_EQ(*store_->PurgeDrafts(90), 1);
  EXPECT_FALSE(store_->LoadDraft(a)->has_value());
  EXPECT_EQ(store_->PurgeDrafts(0).status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, FormsStoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendParamName);

}  // namespace
}  // namespace tryghed::store
