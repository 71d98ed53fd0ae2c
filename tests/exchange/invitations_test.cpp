// Making invitations (exchange/invitations.h): tokens and links, only hashes
// stored, the base URL checked, the letters' context read from the store; on
// SQLite and PostgreSQL (tests/store/store_test_env.h).
#include <gtest/gtest.h>

#include <set>

#include "core/sha256.h"
#include "core/token.h"
#include "exchange/invitations.h"
#include "exchange_fixture.h"
#include "store/internal/testing.h"

namespace tryghed::exchange {
namespace {

using core::StatusCode;
using store::internal::StoreTestAccess;

TEST(Invitations, NewInvitationsAreFreshTokensWithTheirLinks) {
  core::Result<std::vector<Invitation>> inv = NewInvitations(50, "https://tryg.example.dk//");
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  ASSERT_EQ(inv->size(), 50u);
  std::set<std::string> tokens;
  for (const Invitation& i : *inv) {
    EXPECT_TRUE(core::IsToken(i.token)) << i.token;
    EXPECT_EQ(i.link, "https://tryg.example.dk/s/" + i.token);
    tokens.insert(i.token);
  }
  EXPECT_EQ(tokens.size(), 50u);
  EXPECT_EQ(InvitationsCsv({{"abc", "http://x/s/abc"}, {"def", "http://x/s/def"}}),
            "token,link\nabc,http://x/s/abc\ndef,http://x/s/def\n");
}

TEST(Invitations, CountAndBaseUrlAreChecked) {
  EXPECT_EQ(NewInvitations(0, "https://x.dk").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(NewInvitations(kMaxInvitations + 1, "https://x.dk").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*NormaliseBaseUrl("http://localhost:8080/"), "http://localhost:8080");
  EXPECT_EQ(*NormaliseBaseUrl("https://kommune.dk/tryghed"), "https://kommune.dk/tryghed");
  for (const char* bad : {"tryg.example.dk", "ftp://x.dk", "https://", "https:///path", "https://x.dk/a b",
                          "https://x.dk/\"><script>", "https://x.dk/?q=1", "https://x.dk/#top"}) {
    core::Result<std::string> r = NormaliseBaseUrl(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(Invitations, EstimateMinutesRoundsUpToWholeFiveMinutes) {
  // 4 questions a minute, rounded up to 5-minute steps, at least 5.
  EXPECT_EQ(EstimateMinutes(0), 5);
  EXPECT_EQ(EstimateMinutes(19), 5);   // 5 minutes
  EXPECT_EQ(EstimateMinutes(21), 10);  // 6 minutes
  EXPECT_EQ(EstimateMinutes(33), 10);  // 9 minutes (the standard questionnaire)
  EXPECT_EQ(EstimateMinutes(41), 15);  // 11 minutes
}

class InvitationsStoreTest : public ::testing::TestWithParam<store::Backend>, protected testing::ExchangeFixture {
 protected:
  void SetUp() override {
    Build(GetParam());
    if (db->skip()) GTEST_SKIP() << db->error();
    ASSERT_TRUE(db->error().empty()) << db->error();
  }
};

TEST_P(InvitationsStoreTest, MakeInvitationsStoresOnlyTheHashes) {
  core::Result<std::vector<Invitation>> inv = MakeInvitations(*store, wave1, pilot, 20, "https://tryg.example.dk");
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  ASSERT_EQ(inv->size(), 20u);
  for (const Invitation& i : *inv) {
    core::Result<store::FormInvitation> found = store->FindInvitation(core::Sha256Hex(i.token));
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    EXPECT_EQ(found->wave_id, wave1);
    EXPECT_EQ(found->area_id, pilot);
  }
  auto stored = StoreTestAccess::QueryText(*store, "SELECT token_hash FROM invitation");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->size(), 20u);
  for (const std::string& h : *stored) {
    for (const Invitation& i : *inv) EXPECT_EQ(h.find(i.token), std::string::npos);
  }
  // An area of no study of the wave: nothing stored.
  EXPECT_FALSE(MakeInvitations(*store, wave1, pilot + 100, 5, "https://tryg.example.dk").ok());
  EXPECT_EQ(StoreTestAccess::QueryText(*store, "SELECT token_hash FROM invitation")->size(), 20u);
}

TEST_P(InvitationsStoreTest, ContextComesFromTheWaveAndItsQuestionnaire) {
  core::Result<InvitationContext> c = LoadInvitationContext(*store, wave1, comparison);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->study, "Gadehavegård 2026");
  EXPECT_EQ(c->area, "Charlotteager");
  EXPECT_EQ(c->last_date, "2025-10-15");
  EXPECT_EQ(c->languages, (std::vector<std::string>{"da", "en"}));
  EXPECT_EQ(c->titles.at("en"), "Mini");
  EXPECT_EQ(c->minutes, 5);  // 19 items
  EXPECT_EQ(LoadInvitationContext(*store, wave1, comparison + 100).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(LoadInvitationContext(*store, wave2 + 100, comparison).status().code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, InvitationsStoreTest,
                         ::testing::Values(store::Backend::kSqlite, store::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<store::Backend>& p) {
                           return store::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace tryghed::exchange
