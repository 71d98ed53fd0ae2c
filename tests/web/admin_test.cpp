// The admin site over real HTTP (engine/web/internal/admin.cpp): a Server
// started in-process on a loopback port, on a temporary SQLite file and,
// when TRYGHED_TEST_PG is set, on PostgreSQL. Sign-in and its lock, the role
// of every route, CSRF, session expiry and logout, the audit log's actor, and
// escaping, checked against what the store holds afterwards; and the
// dashboard's invitations, dispositions, live view, evaluation, reports and
// exports (admin_invitations.cpp, admin_results.cpp).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <regex>
#include <set>
#include <thread>

#include <algorithm>
#include <sstream>

#include "core/password.h"
#include "core/sha256.h"
#include "exchange/invitations.h"
#include "report/pdf.h"
#include "questionnaire/builtin.h"
#include "questionnaire/loader.h"
#include "store/internal/testing.h"
#include "store/store.h"
#include "store_test_env.h"
#include "test_http.h"
#include "web/server.h"

namespace tryghed::web {
namespace {

using store::Backend;
using store::UserRole;
using testing::CookiePair;
using testing::FormBody;
using testing::Hidden;
using testing::HttpReply;
using testing::HttpRequest;
using testing::SetCookie;

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kPassword = "korrekt hest batteri";
// Accounts made by the test use a small Argon2id cost so that the many
// sign-ins stay quick; verification reads the cost from the stored string,
// exactly as for the default cost (tested in tests/core/password_test.cpp).
const core::PasswordCost kTestCost{1, 1024, 1};

class AdminTest : public store::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    AddUser("anna", UserRole::kAdmin);
    AddUser("eva", UserRole::kEvaluator);
    AddUser("rita", UserRole::kReader);
    // A study with an area, a draft and an open wave, and a kiosk.
    study_ = *store_->CreateStudy("Gadehavegård", "");
    area_ = *store_->AddArea(study_, "Gadehavegård", store::AreaRole::kPilot, 100);
    const std::string json(questionnaire::BuiltinQuestionnaireJson("tryghed-standard"));
    auto q = questionnaire::LoadQuestionnaire(json, "q.json");
    ASSERT_TRUE(q.ok());
    hash_ = q->content_hash;
    qv_ = *store_->AddQuestionnaireVersion(json, hash_);
    draft_wave_ = *store_->CreateWave(study_, "baseline", "2026-03-01", "2026-04-15", qv_);
    open_wave_ = *store_->CreateWave(study_, "pilot", "", "", qv_);
    ASSERT_TRUE(store_->OpenWave(open_wave_).ok());
    kiosk_ = *store_->RegisterKiosk("Beboerhuset", area_, "kiosk-secret-0123456789");
    options_.port = 0;
    options_.rate_limit_per_minute = 0;
    StartServer();
  }

  void TearDown() override {
    server_.reset();  // before the store it serves
    BackendTest::TearDown();
  }

  void StartServer() {
    server_.reset();
    auto server = Server::Start(*store_, options_);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }

  void AddUser(const std::string& name, UserRole role) {
    auto hash = core::HashPassword(kPassword, kTestCost);
    ASSERT_TRUE(hash.ok()) << hash.status().ToString();
    ASSERT_TRUE(store_->CreateUser(name, role, *hash).ok());
  }

  HttpReply Get(const std::string& path, const std::string& cookie = "") const {
    return HttpRequest(server_->port(), "GET", path, "", cookie);
  }
  HttpReply Post(const std::string& path, const Fields& fields, const std::string& cookie = "") const {
    return HttpRequest(server_->port(), "POST", path, FormBody(fields), cookie);
  }

  // Posts the sign-in form as a browser does (GET the page first for its
  // login cookie and hidden field); `cookie` is sent along (an older session).
  HttpReply PostLogin(const std::string& name, const std::string& password, const std::string& cookie = "") const {
    HttpReply page = Get("/admin/login");
    EXPECT_EQ(page.status, 200);
    std::string cookies = CookiePair(SetCookie(page, "tryghed_login"));
    if (!cookie.empty()) cookies += "; " + cookie;
    return Post("/admin/login", {{"csrf", Hidden(page.body, "csrf")}, {"name", name}, {"password", password}},
                cookies);
  }

  // Signs in; the session cookie ("tryghed_admin=...") to send back.
  std::string Login(const std::string& name) const {
    HttpReply r = PostLogin(name, kPassword);
    EXPECT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.location, "/admin");
    return CookiePair(SetCookie(r, "tryghed_admin"));
  }

  // The CSRF token of the session (every admin page carries it).
  std::string Csrf(const std::string& cookie) const {
    HttpReply home = Get("/admin", cookie);
    EXPECT_EQ(home.status, 200) << home.body;
    return Hidden(home.body, "csrf");
  }

  std::int64_t Count(const std::string& table) const {
    auto rows = store::internal::StoreTestAccess::QueryText(*store_, "SELECT COUNT(*) FROM " + table);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() && !rows->empty() ? std::stoll(rows->front()) : -1;
  }

  std::string StudyPath() const { return "/admin/study/" + std::to_string(study_); }
  std::string WavePath(store::Id wave) const { return StudyPath() + "/wave/" + std::to_string(wave); }

  // The tokens of a downloaded invitations CSV ("token,link" lines), after
  // checking that each link is this server's /s/<token>.
  std::vector<std::string> TokensOf(const std::string& csv) const {
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "token,link");
    std::vector<std::string> tokens;
    const std::string base = "http://127.0.0.1:" + std::to_string(server_->port()) + "/s/";
    while (std::getline(in, line)) {
      const std::size_t comma = line.find(',');
      EXPECT_NE(comma, std::string::npos) << line;
      if (comma == std::string::npos) continue;
      tokens.push_back(line.substr(0, comma));
      EXPECT_EQ(line.substr(comma + 1), base + tokens.back()) << line;
    }
    return tokens;
  }

  std::int64_t Disposed(store::Id wave, store::Disposition d) const {
    auto counts = store_->CountDispositions(wave);
    EXPECT_TRUE(counts.ok());
    for (const store::DispositionCount& c : *counts) {
      if (c.disposition == d) return c.count;
    }
    return -1;
  }

  ServerOptions options_;
  std::unique_ptr<Server> server_;
  store::Id study_ = 0, area_ = 0, qv_ = 0, draft_wave_ = 0, open_wave_ = 0, kiosk_ = 0;
  std::string hash_;
};

TEST_P(AdminTest, SignInSetsAStrictHttpOnlySessionCookieAndStoresOnlyItsHash) {
  HttpReply r = PostLogin("eva", kPassword);
  ASSERT_EQ(r.status, 303) << r.body;
  const std::string cookie = SetCookie(r, "tryghed_admin");
  EXPECT_NE(cookie.find("; Path=/admin;"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Max-Age=43200"), std::string::npos) << cookie;  // 12 h
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;          // plain HTTP here
  const std::string token = CookiePair(cookie).substr(std::string("tryghed_admin=").size());
  auto hashes = store::internal::StoreTestAccess::QueryText(*store_, "SELECT token_hash FROM admin_session");
  ASSERT_TRUE(hashes.ok());
  EXPECT_EQ(*hashes, std::vector<std::string>{core::Sha256Hex(token)});

  HttpReply home = Get("/admin", CookiePair(cookie));
  EXPECT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("Logget ind som eva (evaluator)"), std::string::npos) << home.body;
  EXPECT_NE(home.body.find("<main"), std::string::npos);
  EXPECT_EQ(home.body.find("<script"), std::string::npos);

  // Behind HTTPS the cookie is Secure.
  options_.secure_cookies = true;
  StartServer();
  EXPECT_NE(SetCookie(PostLogin("eva", kPassword), "tryghed_admin").find("; Secure"), std::string::npos);
}

TEST_P(AdminTest, WrongPasswordAndUnknownNameGetTheSameAnswer) {
  HttpReply wrong = PostLogin("eva", "not the password");
  HttpReply unknown = PostLogin("nobody", kPassword);
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(unknown.status, 403);
  EXPECT_NE(wrong.body.find("Forkert brugernavn eller adgangskode."), std::string::npos) << wrong.body;
  EXPECT_NE(unknown.body.find("Forkert brugernavn eller adgangskode."), std::string::npos) << unknown.body;
  EXPECT_TRUE(SetCookie(wrong, "tryghed_admin").empty());
  EXPECT_TRUE(SetCookie(unknown, "tryghed_admin").empty());
  EXPECT_EQ(Count("admin_session"), 0);
  // A disabled account cannot sign in, with the same answer.
  ASSERT_TRUE(store_->SetUserDisabled("rita", true).ok());
  HttpReply disabled = PostLogin("rita", kPassword);
  EXPECT_EQ(disabled.status, 403);
  EXPECT_NE(disabled.body.find("Forkert brugernavn eller adgangskode."), std::string::npos);
  // A sign-in post without the page's login cookie is refused.
  HttpReply page = Get("/admin/login");
  EXPECT_EQ(Post("/admin/login", {{"csrf", Hidden(page.body, "csrf")}, {"name", "eva"}, {"password", kPassword}})
                .status,
            403);
  EXPECT_EQ(Count("admin_session"), 0);
}

TEST_P(AdminTest, ThreeFailuresLockTheAccountAndEvenTheRightPasswordIsRefused) {
  for (int i = 0; i < 3; ++i) EXPECT_EQ(PostLogin("eva", "wrong password " + std::to_string(i)).status, 403);
  HttpReply locked = PostLogin("eva", kPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_NE(locked.body.find("Prøv igen om"), std::string::npos) << locked.body;
  EXPECT_TRUE(SetCookie(locked, "tryghed_admin").empty());
  auto eva = store_->FindUser("eva");
  ASSERT_TRUE(eva.ok());
  EXPECT_EQ(eva->failed_logins, 3);  // the locked attempt was not even checked
  EXPECT_GT(eva->locked_until, 0);
  EXPECT_EQ(Count("admin_session"), 0);
  // Names without an account lock the same way (the lock does not tell which exist).
  for (int i = 0; i < 3; ++i) EXPECT_EQ(PostLogin("nobody", "wrong password").status, 403);
  EXPECT_EQ(PostLogin("nobody", "wrong password").status, 429);
  // Other accounts are not affected.
  EXPECT_EQ(PostLogin("anna", kPassword).status, 303);
}

TEST_P(AdminTest, EveryRouteChecksTheRole) {
  const std::string study = StudyPath();
  const std::string draft = study + "/wave/" + std::to_string(draft_wave_);
  const std::string open = study + "/wave/" + std::to_string(open_wave_);
  const std::string kiosk = study + "/kiosk/" + std::to_string(kiosk_);
  struct Case {
    std::string method, path;
    UserRole least;
  };
  // Every route of the admin site but sign-in and sign-out (tested apart).
  const std::vector<Case> cases = {
      {"GET", "/admin", UserRole::kReader},
      {"POST", "/admin/study", UserRole::kEvaluator},
      {"GET", study, UserRole::kEvaluator},
      {"POST", study + "/area", UserRole::kEvaluator},
      {"POST", study + "/margins", UserRole::kEvaluator},
      {"POST", study + "/wave", UserRole::kEvaluator},
      {"POST", draft + "/open", UserRole::kEvaluator},
      {"POST", open + "/close", UserRole::kEvaluator},
      {"POST", study + "/kiosk", UserRole::kEvaluator},
      {"POST", kiosk + "/revoke", UserRole::kEvaluator},
      {"GET", "/admin/audit", UserRole::kAdmin},
      {"GET", "/admin/users", UserRole::kAdmin},
      {"GET", open, UserRole::kEvaluator},
      {"POST", open + "/invitations", UserRole::kEvaluator},
      {"POST", open + "/dispositions", UserRole::kEvaluator},
      {"POST", study + "/evaluate", UserRole::kEvaluator},
      {"GET", study + "/report", UserRole::kReader},
      {"GET", study + "/report/html", UserRole::kReader},
      {"GET", study + "/report/pdf", UserRole::kReader},
      {"GET", study + "/export/csv", UserRole::kEvaluator},
      {"GET", study + "/export/sav", UserRole::kEvaluator},
      {"GET", study + "/export/dta", UserRole::kEvaluator},
      {"GET", study + "/export/xlsx", UserRole::kEvaluator},
  };
  const std::map<UserRole, std::string> cookies = {
      {UserRole::kReader, Login("rita")}, {UserRole::kEvaluator, Login("eva")}, {UserRole::kAdmin, Login("anna")}};
  std::map<UserRole, std::string> csrf;
  for (const auto& [role, cookie] : cookies) csrf[role] = Csrf(cookie);
  const Fields wave_fields = {{"wave_label", "follow-up"}, {"questionnaire", "builtin:tryghed-standard"}};

  for (const Case& c : cases) {
    // No session: to the sign-in page, nothing done.
    HttpReply anonymous = c.method == "GET" ? Get(c.path) : Post(c.path, wave_fields);
    EXPECT_EQ(anonymous.status, 303) << c.method << " " << c.path;
    EXPECT_EQ(anonymous.location, "/admin/login") << c.method << " " << c.path;
  }
  // Roles below the least: 403 and nothing changed (counted in the store).
  const std::int64_t studies = Count("study"), waves = Count("wave"), areas = Count("area"),
                     kiosks = Count("kiosk"), audit = Count("audit_log"), invitations = Count("invitation"),
                     evaluations = Count("evaluation_result");
  for (const Case& c : cases) {
    for (UserRole role : {UserRole::kReader, UserRole::kEvaluator}) {
      if (role >= c.least) continue;
      Fields fields = wave_fields;
      fields.emplace_back("csrf", csrf[role]);
      HttpReply r = c.method == "GET" ? Get(c.path, cookies.at(role)) : Post(c.path, fields, cookies.at(role));
      EXPECT_EQ(r.status, 403) << store::UserRoleName(role) << " " << c.method << " " << c.path;
    }
  }
  EXPECT_EQ(Count("study"), studies);
  EXPECT_EQ(Count("wave"), waves);
  EXPECT_EQ(Count("area"), areas);
  EXPECT_EQ(Count("kiosk"), kiosks);
  EXPECT_EQ(Count("audit_log"), audit);
  EXPECT_EQ(Count("invitation"), invitations);
  EXPECT_EQ(Count("evaluation_result"), evaluations);
  EXPECT_EQ(store_->GetWave(draft_wave_)->status, store::WaveStatus::kDraft);
  EXPECT_EQ(store_->GetWave(open_wave_)->status, store::WaveStatus::kOpen);
  // The least role and above get through (whatever the form's own outcome).
  for (const Case& c : cases) {
    for (UserRole role : {UserRole::kReader, UserRole::kEvaluator, UserRole::kAdmin}) {
      if (role < c.least) continue;
      Fields fields = wave_fields;
      fields.emplace_back("csrf", csrf[role]);
      HttpReply r = c.method == "GET" ? Get(c.path, cookies.at(role)) : Post(c.path, fields, cookies.at(role));
      EXPECT_NE(r.status, 403) << store::UserRoleName(role) << " " << c.method << " " << c.path << "\n" << r.body;
      EXPECT_NE(r.location, "/admin/login") << store::UserRoleName(role) << " " << c.method << " " << c.path;
    }
  }
  EXPECT_EQ(store_->GetWave(draft_wave_)->status, store::WaveStatus::kOpen);
  EXPECT_EQ(store_->GetWave(open_wave_)->status, store::WaveStatus::kClosed);
  // The reader's home lists the studies without links to their set-up pages,
  // with a link to the latest report only (the evaluation ran above).
  HttpReply home = Get("/admin", cookies.at(UserRole::kReader));
  EXPECT_NE(home.body.find("Gadehavegård"), std::string::npos);
  EXPECT_EQ(home.body.find("href=\"" + study + "\""), std::string::npos);
  EXPECT_NE(home.body.find("href=\"" + study + "/report\""), std::string::npos);
  EXPECT_NE(home.body.find("når en evaluator har kørt evalueringen"), std::string::npos) << home.body;
  EXPECT_EQ(home.body.find("/admin/audit"), std::string::npos);
}

TEST_P(AdminTest, MissingOrWrongCsrfIsForbiddenAndChangesNothing) {
  const std::string cookie = Login("eva");
  const std::string csrf = Csrf(cookie);
  ASSERT_EQ(csrf.size(), 26u);
  const std::int64_t studies = Count("study"), audit = Count("audit_log");
  EXPECT_EQ(Post("/admin/study", {{"study_name", "Ny"}}, cookie).status, 403);
  EXPECT_EQ(Post("/admin/study", {{"study_name", "Ny"}, {"csrf", ""}}, cookie).status, 403);
  std::string wrong = csrf;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(Post("/admin/study", {{"study_name", "Ny"}, {"csrf", wrong}}, cookie).status, 403);
  EXPECT_EQ(Post(StudyPath() + "/wave/" + std::to_string(draft_wave_) + "/open", {{"csrf", wrong}}, cookie).status,
            403);
  // Another session's token is wrong too.
  EXPECT_EQ(Post("/admin/study", {{"study_name", "Ny"}, {"csrf", Csrf(Login("anna"))}}, cookie).status, 403);
  EXPECT_EQ(Count("study"), studies);
  EXPECT_EQ(store_->GetWave(draft_wave_)->status, store::WaveStatus::kDraft);
  EXPECT_EQ(Count("audit_log"), audit + 1);  // anna's sign-in only
  // With the right token it works.
  HttpReply ok = Post("/admin/study", {{"study_name", "Ny"}, {"csrf", csrf}}, cookie);
  EXPECT_EQ(ok.status, 303) << ok.body;
  EXPECT_TRUE(store_->FindStudy("Ny").ok());
  // A form's own error is shown on the page, with its status.
  HttpReply again = Post("/admin/study", {{"study_name", "Ny"}, {"csrf", csrf}}, cookie);
  EXPECT_EQ(again.status, 409);
  EXPECT_NE(again.body.find("Det lykkedes ikke: a study named &#39;Ny&#39; already exists"), std::string::npos)
      << again.body;
}

TEST_P(AdminTest, AnIdleSessionExpires) {
  options_.admin_idle_seconds = 1;
  StartServer();
  const std::string cookie = Login("eva");
  EXPECT_EQ(Get("/admin", cookie).status, 200);
  std::this_thread::sleep_for(std::chrono::seconds(3));
  HttpReply expired = Get("/admin", cookie);
  EXPECT_EQ(expired.status, 303);
  EXPECT_EQ(expired.location, "/admin/login");
  EXPECT_NE(SetCookie(expired, "tryghed_admin").find("Max-Age=0"), std::string::npos);  // the browser forgets it
}

TEST_P(AdminTest, LogoutEndsTheSessionAndANewSignInGetsANewToken) {
  const std::string first = Login("eva");
  const std::string second = CookiePair(SetCookie(PostLogin("eva", kPassword, first), "tryghed_admin"));
  ASSERT_FALSE(second.empty());
  EXPECT_NE(first, second);                           // a new token at every sign-in
  EXPECT_EQ(Get("/admin", first).status, 303);        // the older session of this browser ended
  HttpReply out = Post("/admin/logout", {{"csrf", Csrf(second)}}, second);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(out.location, "/admin/login");
  EXPECT_NE(SetCookie(out, "tryghed_admin").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Get("/admin", second).status, 303);  // the cookie opens nothing any more
  EXPECT_EQ(Count("admin_session"), 0);
}

TEST_P(AdminTest, AWaveCreatedOnTheWebIsAuditedUnderTheUsersName) {
  const std::string eva = Login("eva");
  HttpReply made = Post(StudyPath() + "/wave",
                        {{"csrf", Csrf(eva)},
                         {"wave_label", "follow-up"},
                         {"starts_on", "2026-09-01"},
                         {"ends_on", "2026-10-15"},
                         {"questionnaire", "builtin:tryghed-standard"}},
                        eva);
  ASSERT_EQ(made.status, 303) << made.body;
  auto wave = store_->FindWave(study_, "follow-up");
  ASSERT_TRUE(wave.ok()) << wave.status().ToString();
  EXPECT_EQ(wave->questionnaire_version_id, qv_);  // the same built-in version, stored once
  auto log = store_->ReadAuditLog(5);
  ASSERT_TRUE(log.ok());
  ASSERT_FALSE(log->empty());
  EXPECT_EQ(log->back().action, "wave.create");
  EXPECT_EQ(log->back().actor, "eva");
  // The admin's audit page shows it; the study page shows the version's hash.
  HttpReply audit = Get("/admin/audit", Login("anna"));
  EXPECT_EQ(audit.status, 200);
  EXPECT_TRUE(std::regex_search(audit.body, std::regex("<td>eva</td><td>wave\\.create</td>"))) << audit.body;
  HttpReply page = Get(StudyPath(), eva);
  EXPECT_NE(page.body.find(hash_), std::string::npos);
  EXPECT_NE(page.body.find("follow-up"), std::string::npos);
}

TEST_P(AdminTest, ValuesFromTheDatabaseAreEscaped) {
  ASSERT_TRUE(store_->CreateStudy("<script>alert(1)</script>", "\"quoted\" & more").ok());
  HttpReply home = Get("/admin", Login("rita"));
  EXPECT_NE(home.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << home.body;
  EXPECT_NE(home.body.find("&quot;quoted&quot; &amp; more"), std::string::npos);
  EXPECT_EQ(home.body.find("<script>alert"), std::string::npos);
}

TEST_P(AdminTest, MarginsAreValidatedWithTheLineOfEachError) {
  const std::string eva = Login("eva");
  const std::string csrf = Csrf(eva);
  const std::string path = StudyPath() + "/margins";
  HttpReply bad = Post(path, {{"csrf", csrf}, {"margins_area", std::to_string(area_)},
                              {"margins_csv", "margin,level,N\nsex,f,60\nsex,m,abc\n"}}, eva);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("tekstfeltet:3"), std::string::npos) << bad.body;
  EXPECT_TRUE(store_->GetMargins(area_, std::nullopt)->empty());
  // The sums must match the area's population (100).
  HttpReply sums = Post(path, {{"csrf", csrf}, {"margins_area", std::to_string(area_)},
                               {"margins_csv", "margin,level,N\nsex,f,60\nsex,m,30\n"}}, eva);
  EXPECT_EQ(sums.status, 400);
  HttpReply ok = Post(path, {{"csrf", csrf}, {"margins_area", std::to_string(area_)},
                             {"margins_csv", "margin,level,N\nsex,f,60\nsex,m,40\n"}}, eva);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(*store_->GetMargins(area_, std::nullopt),
            (std::vector<store::Margin>{{"sex", "f", 60}, {"sex", "m", 40}}));
}

TEST_P(AdminTest, AKioskLinkIsShownOnceAndARevokedKioskOpensNothing) {
  const std::string eva = Login("eva");
  const std::string csrf = Csrf(eva);
  HttpReply made = Post(StudyPath() + "/kiosk", {{"csrf", csrf}, {"kiosk_name", "Biblioteket"},
                                                  {"kiosk_area", std::to_string(area_)}}, eva);
  ASSERT_EQ(made.status, 200) << made.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(made.body, m, std::regex("/k/([0-9]+)/setup\\?secret=([0-9a-z]{26})"))) << made.body;
  const store::Id id = std::stoll(m[1]);
  const std::string secret = m[2];
  EXPECT_TRUE(store_->AuthenticateKioskById(id, secret).ok());
  HttpReply page = Get(StudyPath(), eva);
  EXPECT_NE(page.body.find("Biblioteket"), std::string::npos);
  EXPECT_EQ(page.body.find(secret), std::string::npos);  // never shown again
  HttpReply revoked = Post(StudyPath() + "/kiosk/" + std::to_string(id) + "/revoke", {{"csrf", csrf}}, eva);
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(store_->AuthenticateKioskById(id, secret).status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(Get("/k/" + std::to_string(id) + "/setup?secret=" + secret).status, 403);
}

TEST_P(AdminTest, SessionTimesMustBeSensible) {
  ServerOptions bad = options_;
  bad.admin_idle_seconds = 0;
  EXPECT_EQ(Server::Start(*store_, bad).status().code(), core::StatusCode::kInvalidArgument);
  bad = options_;
  bad.admin_max_seconds = bad.admin_idle_seconds - 1;  // would end before it could go idle
  EXPECT_EQ(Server::Start(*store_, bad).status().code(), core::StatusCode::kInvalidArgument);
}

TEST_P(AdminTest, PagesAreInDanishOrEnglish) {
  HttpReply da = Get("/admin/login");
  HttpReply en = Get("/admin/login?lang=en");
  EXPECT_NE(da.body.find("<html lang=\"da\""), std::string::npos);
  EXPECT_NE(da.body.find("Log ind"), std::string::npos);
  EXPECT_NE(en.body.find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(en.body.find("Sign in"), std::string::npos);
  EXPECT_NE(en.body.find("<label for=\"password\">Password</label>"), std::string::npos);
  HttpReply wrong = Post("/admin/login?lang=en", {{"name", "eva"}, {"password", "x"}});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_NE(wrong.body.find("The page was too old"), std::string::npos) << wrong.body;
  EXPECT_EQ(Get("/admin/nothing-here").status, 404);
}

TEST_P(AdminTest, GeneratedInvitationsStoreOnlyHashesAndTheDownloadedTokensOpenTheForm) {
  const std::string eva = Login("eva");
  HttpReply csv = Post(WavePath(open_wave_) + "/invitations",
                       {{"csrf", Csrf(eva)}, {"invite_area", std::to_string(area_)}, {"invite_count", "3"},
                        {"invite_format", "csv"}},
                       eva);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers.get("Content-Type", ""), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.headers.get("Content-Disposition", ""),
            "attachment; filename=\"invitations-wave" + std::to_string(open_wave_) + "-area" + std::to_string(area_) +
                ".csv\"");
  const std::vector<std::string> tokens = TokensOf(csv.body);
  ASSERT_EQ(tokens.size(), 3u);
  // Exactly the three hashes are stored, never a token.
  auto hashes = store::internal::StoreTestAccess::QueryText(*store_, "SELECT token_hash FROM invitation");
  ASSERT_TRUE(hashes.ok());
  std::vector<std::string> expected;
  for (const std::string& t : tokens) expected.push_back(core::Sha256Hex(t));
  std::sort(expected.begin(), expected.end());
  std::sort(hashes->begin(), hashes->end());
  EXPECT_EQ(*hashes, expected);
  EXPECT_EQ(Disposed(open_wave_, store::Disposition::kNotUsed), 3);
  // Each downloaded token opens the resident form of this wave.
  for (const std::string& t : tokens) {
    HttpReply form = Get("/s/" + t);
    EXPECT_EQ(form.status, 200) << t;
    EXPECT_NE(form.body.find("<form"), std::string::npos);
  }
  // Audited under the user's name; the tokens are not in the log.
  auto log = store_->ReadAuditLog(1);
  ASSERT_TRUE(log.ok() && !log->empty());
  EXPECT_EQ(log->back().action, "invitation.add");
  EXPECT_EQ(log->back().actor, "eva");
  for (const std::string& t : tokens) EXPECT_EQ(log->back().detail.find(t), std::string::npos);
  // Bad counts and closed waves make nothing.
  const std::string csrf = Csrf(eva);
  for (const char* count : {"0", "1001", "x", ""}) {
    HttpReply bad = Post(WavePath(open_wave_) + "/invitations",
                         {{"csrf", csrf}, {"invite_area", std::to_string(area_)}, {"invite_count", count},
                          {"invite_format", "csv"}},
                         eva);
    EXPECT_EQ(bad.status, 400) << count;
  }
  EXPECT_EQ(Count("invitation"), 3);
}

TEST_P(AdminTest, LettersComeAsHtmlWithQrCodesAndAsPdfWhenChromiumIsInstalled) {
  const std::string eva = Login("eva");
  const std::string csrf = Csrf(eva);
  HttpReply html = Post(WavePath(open_wave_) + "/invitations",
                        {{"csrf", csrf}, {"invite_area", std::to_string(area_)}, {"invite_count", "2"},
                         {"invite_format", "letters"}, {"invite_sender", "Høje-Taastrup <Kommune>"}},
                        eva);
  ASSERT_EQ(html.status, 200) << html.body;
  EXPECT_NE(html.headers.get("Content-Disposition", "").find(".html\""), std::string::npos);
  EXPECT_NE(html.headers.get("Content-Security-Policy", "").find("style-src 'unsafe-inline'"), std::string::npos);
  EXPECT_EQ(html.headers.get("Content-Security-Policy", "").find("script-src"), std::string::npos);
  EXPECT_NE(html.body.find("Høje-Taastrup &lt;Kommune&gt;"), std::string::npos);
  EXPECT_EQ(html.body.find("<Kommune>"), std::string::npos);
  // One link per letter, each a stored invitation.
  std::regex link("/s/([0-9a-z]{26})");
  std::set<std::string> tokens;
  for (std::sregex_iterator it(html.body.begin(), html.body.end(), link), end; it != end; ++it) tokens.insert((*it)[1]);
  ASSERT_EQ(tokens.size(), 2u);
  for (const std::string& t : tokens) EXPECT_TRUE(store_->FindInvitation(core::Sha256Hex(t)).ok());
  EXPECT_NE(html.body.find("<svg"), std::string::npos);  // the QR codes

  HttpReply pdf = Post(WavePath(open_wave_) + "/invitations",
                       {{"csrf", csrf}, {"invite_area", std::to_string(area_)}, {"invite_count", "1"},
                        {"invite_format", "pdf"}},
                       eva);
  if (report::FindChromium()) {
    ASSERT_EQ(pdf.status, 200) << pdf.body;
    EXPECT_EQ(pdf.headers.get("Content-Type", ""), "application/pdf");
    EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(Count("invitation"), 3);
  } else {
    EXPECT_EQ(pdf.status, 503);
    EXPECT_NE(pdf.body.find("Chromium"), std::string::npos);
    EXPECT_EQ(Count("invitation"), 2);  // nothing made without it
  }
}

TEST_P(AdminTest, APdfThatChromiumCannotMakeStoresNoInvitation) {
  // $TRYGHED_CHROMIUM names the browser (report/pdf.h); here one that is not there.
  ASSERT_EQ(::setenv("TRYGHED_CHROMIUM", "/nonexistent/chromium", 1), 0);
  const std::string eva = Login("eva");
  HttpReply pdf = Post(WavePath(open_wave_) + "/invitations",
                       {{"csrf", Csrf(eva)}, {"invite_area", std::to_string(area_)}, {"invite_count", "2"},
                        {"invite_format", "pdf"}},
                       eva);
  ::unsetenv("TRYGHED_CHROMIUM");
  EXPECT_EQ(pdf.status, 503);
  EXPECT_NE(pdf.body.find("/nonexistent/chromium is not an executable file"), std::string::npos) << pdf.body;
  EXPECT_NE(pdf.body.find("ingen invitationer er lavet"), std::string::npos);
  EXPECT_EQ(Count("invitation"), 0);
}

TEST_P(AdminTest, ADispositionsCsvWithABadLineNamesItAndMarksNothing) {
  auto made = exchange::MakeInvitations(*store_, open_wave_, area_, 3, "https://tryg.example.dk");
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  const std::vector<exchange::Invitation>& inv = *made;
  const std::string eva = Login("eva");
  const std::string csrf = Csrf(eva);
  const std::string path = WavePath(open_wave_) + "/dispositions";
  const std::int64_t audit = Count("audit_log");
  // Line 3 is not a token: nothing is marked, not even line 2.
  HttpReply bad = Post(path,
                       {{"csrf", csrf},
                        {"marks_csv", "token,disposition\n" + inv[0].token + ",undeliverable\nnot-a-token,refused\n" +
                                          inv[1].token + ",not_eligible\n"}},
                       eva);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("tekstfeltet:3: column &quot;token&quot;"), std::string::npos) << bad.body;
  EXPECT_NE(bad.body.find("intet er markeret"), std::string::npos);
  EXPECT_EQ(Disposed(open_wave_, store::Disposition::kNotUsed), 3);
  // A token the store does not know stops the whole file, naming its line.
  HttpReply unknown = Post(path,
                           {{"csrf", csrf},
                            {"marks_csv", "token,disposition\n" + inv[0].token +
                                              ",undeliverable\nzzzzzzzzzzzzzzzzzzzzzzzzzz,refused\n"}},
                           eva);
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(unknown.body.find("tekstfeltet:3: no invitation with this token; nothing was marked"), std::string::npos)
      << unknown.body;
  EXPECT_EQ(Disposed(open_wave_, store::Disposition::kNotUsed), 3);
  EXPECT_EQ(Count("audit_log"), audit);
  // A token of another wave is refused.
  auto other = exchange::MakeInvitations(*store_, draft_wave_, area_, 1, "https://tryg.example.dk");
  ASSERT_TRUE(other.ok());
  HttpReply foreign = Post(path, {{"csrf", csrf}, {"mark_token", (*other)[0].token},
                                  {"mark_disposition", "refused"}}, eva);
  EXPECT_EQ(foreign.status, 400);
  EXPECT_NE(foreign.body.find("hører til en anden bølge"), std::string::npos) << foreign.body;
  // A good file marks every line; one token marks one.
  HttpReply good = Post(path,
                        {{"csrf", csrf},
                         {"marks_csv", "token;disposition\n" + inv[0].token + ";undeliverable\n" + inv[1].token +
                                           "; Not_Eligible \n"}},
                        eva);
  EXPECT_EQ(good.status, 200) << good.body;
  EXPECT_NE(good.body.find("2 invitationer er markeret: 1 ubesørgelig, 1 uden for målgruppen."), std::string::npos)
      << good.body;
  HttpReply one = Post(path, {{"csrf", csrf}, {"mark_token", inv[2].token}, {"mark_disposition", "refused"}}, eva);
  EXPECT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Disposed(open_wave_, store::Disposition::kUndeliverable), 1);
  EXPECT_EQ(Disposed(open_wave_, store::Disposition::kNotEligible), 1);
  EXPECT_EQ(Disposed(open_wave_, store::Disposition::kRefused), 1);
  EXPECT_EQ(Disposed(open_wave_, store::Disposition::kNotUsed), 0);
  auto log = store_->ReadAuditLog(2);
  ASSERT_TRUE(log.ok() && log->size() == 2u);
  EXPECT_EQ((*log)[0].action, "invitation.disposition");
  EXPECT_EQ((*log)[0].actor, "eva");
}

TEST_P(AdminTest, TheLiveViewCountsResponsesPerAreaAndTheResponseRate) {
  // Four invitations: one answered (complete), one returned undeliverable,
  // two not used. AAPOR RR1 = I / ((I+P) + (R+NC) + U) = 1 / (1 + 0 + 2 + 1)
  // = 25 %; RR2 the same (no partial). Plus one kiosk response, partial.
  auto made = exchange::MakeInvitations(*store_, open_wave_, area_, 4, "https://tryg.example.dk");
  ASSERT_TRUE(made.ok());
  store::ResponseMeta meta;
  meta.wave_id = open_wave_;
  meta.area_id = area_;
  meta.questionnaire_version_id = qv_;
  meta.received_on = "2026-05-04";
  ASSERT_TRUE(store_->SubmitResponse(meta, {}, core::Sha256Hex((*made)[0].token), std::nullopt).ok());
  meta.channel = store::Channel::kKiosk;
  meta.completeness = store::Completeness::kPartial;
  ASSERT_TRUE(store_->SubmitResponse(meta, {}, std::nullopt, std::nullopt).ok());
  ASSERT_TRUE(store_->SetDisposition(core::Sha256Hex((*made)[1].token), store::Disposition::kUndeliverable).ok());

  HttpReply page = Get(WavePath(open_wave_), Login("eva"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
  EXPECT_NE(page.body.find("href=\"/static/chart.css\""), std::string::npos);
  // Completion: 2 responses, 1 complete, 1 partial, 50 %.
  EXPECT_NE(page.body.find("<td>Gadehavegård</td><td class=\"number\">2</td><td class=\"number\">1</td>"
                           "<td class=\"number\">1</td><td class=\"number\">50\u00a0%</td>"),
            std::string::npos)
      << page.body;
  // Rates: 4 invitations, 1 complete, 0 partial, 0 refused, 2 not used, 1 undeliverable, 0 not eligible.
  EXPECT_NE(page.body.find("<td>Gadehavegård</td><td class=\"number\">4</td><td class=\"number\">1</td>"
                           "<td class=\"number\">0</td><td class=\"number\">0</td><td class=\"number\">2</td>"
                           "<td class=\"number\">1</td><td class=\"number\">0</td>"
                           "<td class=\"number\">25,0\u00a0%</td><td class=\"number\">25,0\u00a0%</td>"),
            std::string::npos)
      << page.body;
  EXPECT_EQ(Get("/static/chart.css").status, 200);
  // The same page in English, numbers in English form.
  HttpReply en = Get(WavePath(open_wave_) + "?lang=en", Login("eva"));
  ASSERT_EQ(en.status, 200);
  EXPECT_NE(en.body.find("<h2 id=\"live\">Responses so far</h2>"), std::string::npos) << en.body;
  EXPECT_NE(en.body.find("<td class=\"number\">25.0%</td>"), std::string::npos) << en.body;
  EXPECT_NE(en.body.find("action=\"" + WavePath(open_wave_) + "/invitations?lang=en\""), std::string::npos);
}

TEST_P(AdminTest, AReaderReadsTheReportButCannotTakeRawData) {
  const std::string eva = Login("eva");
  HttpReply none = Get(StudyPath() + "/report", eva);
  EXPECT_EQ(none.status, 404);
  HttpReply run = Post(StudyPath() + "/evaluate", {{"csrf", Csrf(eva)}}, eva);
  ASSERT_EQ(run.status, 303) << run.body;
  EXPECT_EQ(run.location, StudyPath() + "/report");
  EXPECT_EQ(Count("evaluation_result"), 1);
  auto latest = store_->LatestEvaluation(study_);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->made_by, "eva");
  EXPECT_NE(latest->result_json.find("\"study\""), std::string::npos);
  // Running it again keeps only the newest.
  ASSERT_EQ(Post(StudyPath() + "/evaluate", {{"csrf", Csrf(eva)}}, eva).status, 303);
  EXPECT_EQ(Count("evaluation_result"), 1);

  const std::string rita = Login("rita");
  HttpReply home = Get("/admin", rita);
  EXPECT_NE(home.body.find("href=\"" + StudyPath() + "/report\""), std::string::npos) << home.body;
  HttpReply view = Get(StudyPath() + "/report", rita);
  EXPECT_EQ(view.status, 200);
  EXPECT_NE(view.body.find("Gadehavegård"), std::string::npos);
  EXPECT_NE(view.headers.get("Content-Security-Policy", "").find("style-src 'unsafe-inline'"), std::string::npos);
  EXPECT_TRUE(view.headers.get("Content-Disposition", "").empty());
  HttpReply english = Get(StudyPath() + "/report/html?lang=en", rita);
  EXPECT_EQ(english.status, 200);
  EXPECT_NE(english.headers.get("Content-Disposition", "").find("report-study"), std::string::npos);
  EXPECT_NE(english.body.find("lang=\"en\""), std::string::npos);
  // Raw data: a reader gets 403, an evaluator the file, and the log says who.
  for (const char* format : {"csv", "sav", "dta", "xlsx"}) {
    EXPECT_EQ(Get(StudyPath() + "/export/" + format, rita).status, 403) << format;
  }
  HttpReply csv = Get(StudyPath() + "/export/csv", eva);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.body.rfind("wave,area,channel,received_on", 0), 0u) << csv.body.substr(0, 200);
  HttpReply sav = Get(StudyPath() + "/export/sav", eva);
  ASSERT_EQ(sav.status, 200);
  EXPECT_EQ(sav.body.rfind("$FL2", 0), 0u);  // the SPSS system file's magic
  HttpReply xlsx = Get(StudyPath() + "/export/xlsx", eva);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.rfind("PK", 0), 0u);  // a zip
  auto log = store_->ReadAuditLog(1);
  ASSERT_TRUE(log.ok() && !log->empty());
  EXPECT_EQ(log->back().action, "export.download");
  EXPECT_EQ(log->back().actor, "eva");
}

TEST_P(AdminTest, EveryNewFormNeedsTheSessionsCsrfToken) {
  auto made = exchange::MakeInvitations(*store_, open_wave_, area_, 1, "https://tryg.example.dk");
  ASSERT_TRUE(made.ok());
  const std::string eva = Login("eva");
  const std::vector<std::pair<std::string, Fields>> posts = {
      {WavePath(open_wave_) + "/invitations",
       {{"invite_area", std::to_string(area_)}, {"invite_count", "2"}, {"invite_format", "csv"}}},
      {WavePath(open_wave_) + "/dispositions", {{"mark_token", (*made)[0].token}, {"mark_disposition", "refused"}}},
      {StudyPath() + "/evaluate", {}},
  };
  std::string wrong = Csrf(eva);
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  for (const auto& [path, fields] : posts) {
    EXPECT_EQ(Post(path, fields, eva).status, 403) << path;
    Fields with = fields;
    with.emplace_back("csrf", wrong);
    EXPECT_EQ(Post(path, with, eva).status, 403) << path;
  }
  EXPECT_EQ(Count("invitation"), 1);
  EXPECT_EQ(Disposed(open_wave_, store::Disposition::kRefused), 0);
  EXPECT_EQ(Count("evaluation_result"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, AdminTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         store::testing::BackendParamName);

}  // namespace
}  // namespace tryghed::web
