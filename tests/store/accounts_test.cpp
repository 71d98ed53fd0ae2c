// The admin site's side of the store (store/accounts.cpp): accounts, the
// failed-login lock, sessions, the acting user in the audit log, and kiosk
// revocation, on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <ctime>

#include "core/sha256.h"
#include "store/internal/testing.h"
#include "store/store.h"
#include "store_test_env.h"

namespace tryghed::store {
namespace {

using core::StatusCode;
using internal::StoreTestAccess;

// A syntactically valid Argon2id PHC string (the reference vector of
// core/password_test.cpp); the store never verifies it, it only keeps it.
constexpr const char* kHash =
    "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
const std::string kCsrf = "csrf-token-0123456789";

class AccountsStoreTest : public testing::BackendTest {
 protected:
  Id AddUser(const std::string& name, UserRole role) {
    auto id = store_->CreateUser(name, role, kHash);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }
};

TEST_P(AccountsStoreTest, UsersAreCreatedListedAndFound) {
  const Id anna = AddUser("anna", UserRole::kAdmin);
  AddUser("bo@kommune.dk", UserRole::kReader);
  EXPECT_EQ(store_->CreateUser("anna", UserRole::kReader, kHash).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateUser("", UserRole::kReader, kHash).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateUser("an na", UserRole::kReader, kHash).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateUser(std::string(65, 'a'), UserRole::kReader, kHash).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateUser("carl", UserRole::kReader, "plain password").status().code(),
            StatusCode::kInvalidArgument);

  auto users = store_->ListUsers();
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].name, "anna");
  EXPECT_EQ((*users)[0].role, UserRole::kAdmin);
  EXPECT_EQ((*users)[1].name, "bo@kommune.dk");
  EXPECT_EQ((*users)[1].role, UserRole::kReader);

  auto found = store_->FindUser("anna");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, anna);
  EXPECT_EQ(found->password_hash, kHash);
  EXPECT_EQ(found->created_on.size(), 10u);
  EXPECT_FALSE(found->disabled);
  EXPECT_EQ(store_->FindUser("Anna").status().code(), StatusCode::kNotFound);
  // Only the hash is stored: the table has no other text that could hold a password.
  auto columns = StoreTestAccess::Columns(*store_, "app_user");
  ASSERT_TRUE(columns.ok());
  EXPECT_EQ(*columns, (std::vector<std::string>{"id", "name", "role", "password_hash", "created_on", "disabled",
                                                "failed_logins", "locked_until"}));
}

TEST_P(AccountsStoreTest, RoleNamesRoundTripAndAreOrdered) {
  for (UserRole r : {UserRole::kReader, UserRole::kEvaluator, UserRole::kAdmin}) {
    EXPECT_EQ(*ParseUserRole(UserRoleName(r)), r);
  }
  EXPECT_EQ(ParseUserRole("root").status().code(), StatusCode::kInvalidArgument);
  EXPECT_LT(UserRole::kReader, UserRole::kEvaluator);
  EXPECT_LT(UserRole::kEvaluator, UserRole::kAdmin);
}

TEST(LoginLockTest, GrowsFromTheThirdFailureAndStopsAtFiveMinutes) {
  // min(2^(n-1), 300) from n = 3, written out.
  const std::int64_t expected[] = {0, 0, 0, 4, 8, 16, 32, 64, 128, 256, 300, 300};
  for (std::int64_t n = 0; n < 12; ++n) EXPECT_EQ(LoginLockSeconds(n), expected[n]) << n;
  EXPECT_EQ(LoginLockSeconds(1000000), 300);
}

TEST_P(AccountsStoreTest, FailuresLockWithGrowingDelaysAndSuccessClears) {
  const Id id = AddUser("anna", UserRole::kEvaluator);
  const std::int64_t before = std::time(nullptr);
  auto first = store_->RecordLoginFailure(id);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->failed_logins, 1);
  EXPECT_EQ(first->locked_until, 0);
  EXPECT_EQ(store_->RecordLoginFailure(id)->locked_until, 0);
  // Failure n >= 3 locks for min(2^(n-1), 300) s: 4, 8, 16, 32, 64, 128, 256, 300, 300.
  const std::int64_t expected[] = {4, 8, 16, 32, 64, 128, 256, 300, 300};
  for (std::int64_t seconds : expected) {
    auto u = store_->RecordLoginFailure(id);
    ASSERT_TRUE(u.ok()) << u.status().ToString();
    const std::int64_t after = std::time(nullptr);
    EXPECT_GE(u->locked_until, before + seconds) << u->failed_logins;
    EXPECT_LE(u->locked_until, after + seconds) << u->failed_logins;
    EXPECT_EQ(store_->FindUser("anna")->locked_until, u->locked_until);
  }
  EXPECT_EQ(store_->FindUser("anna")->failed_logins, 11);
  ASSERT_TRUE(store_->RecordLoginSuccess(id).ok());
  auto cleared = store_->FindUser("anna");
  EXPECT_EQ(cleared->failed_logins, 0);
  EXPECT_EQ(cleared->locked_until, 0);
  EXPECT_EQ(store_->RecordLoginFailure(id + 99).status().code(), StatusCode::kNotFound);
  // The lock and the login are in the audit log, under the user's name for the login.
  auto log = store_->ReadAuditLog(10);
  ASSERT_TRUE(log.ok());
  bool locked = false, login = false;
  for (const AuditEntry& e : *log) {
    if (e.action == "user.locked") locked = true;
    if (e.action == "user.login" && e.actor == "anna") login = true;
  }
  EXPECT_TRUE(locked);
  EXPECT_TRUE(login);
}

TEST_P(AccountsStoreTest, SessionsAreFoundUntilIdleOrPastTheirEnd) {
  const Id id = AddUser("anna", UserRole::kEvaluator);
  const std::string h1 = core::Sha256Hex("session-1"), h2 = core::Sha256Hex("session-2"),
                    h3 = core::Sha256Hex("session-3");
  ASSERT_TRUE(store_->CreateAdminSession(h1, id, kCsrf, 3600).ok());
  ASSERT_TRUE(store_->CreateAdminSession(h2, id, kCsrf, 3600).ok());
  ASSERT_TRUE(store_->CreateAdminSession(h3, id, kCsrf, 3600).ok());
  EXPECT_EQ(store_->CreateAdminSession(h1, id, kCsrf, 3600).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateAdminSession("token", id, kCsrf, 3600).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateAdminSession(core::Sha256Hex("x"), id, "short", 3600).code(), StatusCode::kInvalidArgument);

  auto s = store_->FindAdminSession(h1, 1800);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->user_id, id);
  EXPECT_EQ(s->user_name, "anna");
  EXPECT_EQ(s->role, UserRole::kEvaluator);
  EXPECT_EQ(s->csrf, kCsrf);
  EXPECT_EQ(s->expires_at - s->created_at, 3600);
  EXPECT_EQ(store_->FindAdminSession(core::Sha256Hex("session-9"), 1800).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->FindAdminSession("not a hash", 1800).status().code(), StatusCode::kNotFound);

  // Idle: last seen 100 s ago is too long for a 60 s idle limit; a touch restarts it.
  ASSERT_TRUE(StoreTestAccess::Execute(*store_, "UPDATE admin_session SET last_seen_at = last_seen_at - 100").ok());
  EXPECT_EQ(store_->FindAdminSession(h1, 60).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->FindAdminSession(h1, 1800).ok());
  ASSERT_TRUE(store_->TouchAdminSession(h1).ok());
  EXPECT_TRUE(store_->FindAdminSession(h1, 60).ok());
  // Past the absolute end, however recently seen.
  ASSERT_TRUE(StoreTestAccess::Execute(*store_, "UPDATE admin_session SET expires_at = created_at - 1 WHERE token_hash = '" +
                                                    h2 + "'")
                  .ok());
  ASSERT_TRUE(store_->TouchAdminSession(h2).ok());
  EXPECT_EQ(store_->FindAdminSession(h2, 1800).status().code(), StatusCode::kNotFound);
  // Purge removes h2 (past its end) and h3 (idle 100 s > 60 s), keeps h1 (touched).
  auto purged = store_->PurgeExpiredSessions(60);
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(*purged, 2);
  EXPECT_EQ(*StoreTestAccess::QueryText(*store_, "SELECT token_hash FROM admin_session"), std::vector<std::string>{h1});
  // Logout.
  ASSERT_TRUE(store_->DeleteAdminSession(h1).ok());
  EXPECT_EQ(store_->FindAdminSession(h1, 1800).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->DeleteAdminSession(h1).ok());
  // Only hashes are stored.
  auto columns = StoreTestAccess::Columns(*store_, "admin_session");
  ASSERT_TRUE(columns.ok());
  EXPECT_EQ(*columns, (std::vector<std::string>{"token_hash", "user_id", "csrf", "created_at", "last_seen_at",
                                                "expires_at"}));
}

TEST_P(AccountsStoreTest, DisablingEndsSessionsAndRefusesNewOnes) {
  const Id id = AddUser("anna", UserRole::kAdmin);
  const std::string h = core::Sha256Hex("session-1");
  ASSERT_TRUE(store_->CreateAdminSession(h, id, kCsrf, 3600).ok());
  ASSERT_TRUE(store_->SetUserDisabled("anna", true).ok());
  EXPECT_TRUE(store_->FindUser("anna")->disabled);
  EXPECT_EQ(store_->FindAdminSession(h, 1800).status().code(), StatusCode::kNotFound);
  // A session made anyway (a login racing the disable) is not honoured either.
  ASSERT_TRUE(store_->CreateAdminSession(h, id, kCsrf, 3600).ok());
  EXPECT_EQ(store_->FindAdminSession(h, 1800).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(store_->SetUserDisabled("anna", false).ok());
  EXPECT_TRUE(store_->FindAdminSession(h, 1800).ok());
  EXPECT_EQ(store_->SetUserDisabled("nobody", true).code(), StatusCode::kNotFound);
}

TEST_P(AccountsStoreTest, ActingAsNamesTheActorOfAuditEntries) {
  ASSERT_TRUE(store_->CreateStudy("before", "").ok());
  {
    ActingAs outer("anna");
    ASSERT_TRUE(store_->CreateStudy("by anna", "").ok());
    {
      ActingAs inner("bo");
      ASSERT_TRUE(store_->CreateStudy("by bo", "").ok());
    }
    ASSERT_TRUE(store_->CreateStudy("by anna again", "").ok());
  }
  ASSERT_TRUE(store_->CreateStudy("after", "").ok());
  auto log = store_->ReadAuditLog(5);
  ASSERT_TRUE(log.ok());
  std::vector<std::pair<std::string, std::string>> got;
  for (const AuditEntry& e : *log) got.emplace_back(e.detail, e.actor);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"before", "tryghed"},
                                                                   {"by anna", "anna"},
                                                                   {"by bo", "bo"},
                                                                   {"by anna again", "anna"},
                                                                   {"after", "tryghed"}}));
}

TEST_P(AccountsStoreTest, RevokedKiosksAuthenticateNoMore) {
  auto study = store_->CreateStudy("s", "");
  auto area = store_->AddArea(*study, "a", AreaRole::kPilot, 100);
  auto k1 = store_->RegisterKiosk("Beboerhuset", *area, "a-secret-of-some-length");
  auto k2 = store_->RegisterKiosk("Biblioteket", std::nullopt, "another-secret-of-length");
  ASSERT_TRUE(k1.ok() && k2.ok());
  ASSERT_TRUE(store_->RevokeKiosk(*k1).ok());
  ASSERT_TRUE(store_->RevokeKiosk(*k1).ok());  // twice is fine
  EXPECT_EQ(store_->RevokeKiosk(*k2 + 10).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->AuthenticateKioskById(*k1, "a-secret-of-some-length").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->AuthenticateKiosk("Beboerhuset", "a-secret-of-some-length").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->AuthenticateKioskById(*k2, "another-secret-of-length").ok());
  auto kiosks = store_->ListKiosks();
  ASSERT_TRUE(kiosks.ok()) << kiosks.status().ToString();
  ASSERT_EQ(kiosks->size(), 2u);
  EXPECT_EQ((*kiosks)[0].name, "Beboerhuset");
  EXPECT_EQ((*kiosks)[0].area_id, *area);
  EXPECT_EQ((*kiosks)[0].revoked_on.size(), 10u);
  EXPECT_EQ((*kiosks)[1].name, "Biblioteket");
  EXPECT_FALSE((*kiosks)[1].area_id.has_value());
  EXPECT_TRUE((*kiosks)[1].revoked_on.empty());
  auto log = store_->ReadAuditLog(20);
  ASSERT_TRUE(log.ok());
  int revocations = 0;
  for (const AuditEntry& e : *log) revocations += e.action == "kiosk.revoke";
  EXPECT_EQ(revocations, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsStoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendParamName);

}  // namespace
}  // namespace tryghed::store
