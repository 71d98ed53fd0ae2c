// The resident form over real HTTP: a Server started in-process on a
// loopback port (port 0: the kernel picks a free one), on a temporary SQLite
// file and, when TRYGHED_TEST_PG is set, on PostgreSQL. A small client walks
// the pages the way a browser without JavaScript does (GET, POST, follow the
// 303), and the test checks what the store holds afterwards.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "core/file.h"
#include "core/sha256.h"
#include "questionnaire/builtin.h"
#include "questionnaire/loader.h"
#include "store/store.h"
#include "store_test_env.h"
#include "test_http.h"
#include "web/server.h"

namespace tryghed::web {
namespace {

using store::Backend;
using store::testing::TestDatabase;
using testing::FormBody;
using testing::Hidden;
using testing::HttpReply;
using testing::HttpRequest;
using testing::kUserAgent;

constexpr const char* kKioskSecret = "kiosk-secret-0123456789abcdef";
// Tokens in the core::NewToken alphabet (26 characters, no i l o u).
const std::vector<std::string> kTokens = {"abcdefghjkmnpqrstvwxyz0123", "bcdefghjkmnpqrstvwxyz01234",
                                          "cdefghjkmnpqrstvwxyz012345", "defghjkmnpqrstvwxyz0123456"};

class WebTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (db_->skip()) GTEST_SKIP() << db_->error();
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto s = store::Store::Open(db_->url());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    const std::string json(questionnaire::BuiltinQuestionnaireJson("tryghed-standard"));
    MakeStudy("Gadehavegård", json);
    options_.port = 0;
    options_.rate_limit_per_minute = 0;
    options_.kiosk_min_interval_seconds = 0;
    StartServer();
  }

  void TearDown() override {
    servers_.clear();
    store_.reset();
    db_.reset();
  }

  // A study with a pilot area, an open wave on `json`, the invitations of
  // kTokens, a kiosk and an open link.
  void MakeStudy(const std::string& name, const std::string& json) {
    auto q = questionnaire::LoadQuestionnaire(json, "q.json");
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    auto study = store_->CreateStudy(name, "");
    ASSERT_TRUE(study.ok()) << study.status().ToString();
    auto area = store_->AddArea(*study, name, store::AreaRole::kPilot, 1800);
    ASSERT_TRUE(area.ok());
    area_ = *area;
    auto qv = store_->AddQuestionnaireVersion(json, q->content_hash);
    ASSERT_TRUE(qv.ok()) << qv.status().ToString();
    auto wave = store_->CreateWave(*study, "baseline", "", "", *qv);
    ASSERT_TRUE(wave.ok());
    wave_ = *wave;
    ASSERT_TRUE(store_->OpenWave(wave_).ok());
    std::vector<std::string> hashes;
    for (const std::string& t : kTokens) hashes.push_back(core::Sha256Hex(t));
    if (name == "Gadehavegård") {
      ASSERT_TRUE(store_->AddInvitations(wave_, area_, hashes).ok());
    }
    auto kiosk = store_->RegisterKiosk("kiosk " + name, area_, kKioskSecret);
    ASSERT_TRUE(kiosk.ok());
    kiosk_ = *kiosk;
    auto code = store_->OpenLinkCode(wave_, area_);
    ASSERT_TRUE(code.ok()) << code.status().ToString();
    open_code_ = *code;
  }

  Server& StartServer() {
    auto server = Server::Start(*store_, options_);
    EXPECT_TRUE(server.ok()) << server.status().ToString();
    servers_.push_back(std::move(server).value());
    return *servers_.back();
  }

  int Port(std::size_t server = 0) const { return servers_.at(server)->port(); }

  HttpReply Request(const std::string& method, const std::string& path, const std::string& body = "",
                    const std::string& cookie = "", std::size_t server = 0,
                    const std::string& content_type = "application/x-www-form-urlencoded") const {
    return HttpRequest(Port(server), method, path, body, cookie, content_type);
  }
  HttpReply Get(const std::string& path, const std::string& cookie = "", std::size_t server = 0) const {
    return Request("GET", path, "", cookie, server);
  }
  HttpReply Post(const std::string& path, const std::vector<std::pair<std::string, std::string>>& fields,
                 const std::string& cookie = "", std::size_t server = 0) const {
    return Request("POST", path, FormBody(fields), cookie, server);
  }

  // Answers every page shown at `path` with the first option of each
  // question (so show_if items appear), until the review page, which it
  // returns. `answers` gets what was chosen.
  std::string WalkToReview(const std::string& path, core::Answers& answers, const std::string& cookie = "",
                           std::size_t server = 0) {
    HttpReply page = Get(path, cookie, server);
    for (int guard = 0; guard < 40; ++guard) {
      EXPECT_EQ(page.status, 200) << page.body;
      if (page.body.find("value=\"submit\"") != std::string::npos) return page.body;
      std::vector<std::pair<std::string, std::string>> fields = {
          {"csrf", Hidden(page.body, "csrf")}, {"form", Hidden(page.body, "form")},
          {"page", Hidden(page.body, "page")}, {"action", "next"}};
      std::set<std::string> seen;
      static const std::regex kInput("<input type=\"(radio|checkbox)\" name=\"([^\"]+)\" value=\"([0-9]+)\"");
      for (auto it = std::sregex_iterator(page.body.begin(), page.body.end(), kInput); it != std::sregex_iterator();
           ++it) {
        const std::string name = (*it)[2];
        if (!seen.insert(name).second) continue;
        const core::Code code = std::stoll((*it)[3]);
        fields.emplace_back(name, (*it)[3]);
        if ((*it)[1] == "checkbox") answers[name] = core::Codes{code};
        else answers[name] = code;
      }
      HttpReply posted = Post(path, fields, cookie, server);
      EXPECT_EQ(posted.status, 303) << posted.body;
      page = Get(posted.location, cookie, server);
    }
    ADD_FAILURE() << "never reached the review page";
    return "";
  }

  HttpReply SubmitFrom(const std::string& path, const std::string& review, const std::string& cookie = "",
                       std::size_t server = 0) const {
    return Post(path,
                {{"csrf", Hidden(review, "csrf")},
                 {"form", Hidden(review, "form")},
                 {"page", Hidden(review, "page")},
                 {"action", "submit"}},
                cookie, server);
  }

  std::vector<store::StoredResponse> Responses() const {
    auto r = store_->ReadResponses(wave_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<store::StoredResponse>{};
  }

  std::string KioskCookie() const { return std::string("tryghed_kiosk=") + kKioskSecret; }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<store::Store> store_;
  ServerOptions options_;
  std::vector<std::unique_ptr<Server>> servers_;
  store::Id area_ = 0, wave_ = 0, kiosk_ = 0;
  std::string open_code_;
};

TEST_P(WebTest, LinkSurveyIsStoredWithTheChosenAnswers) {
  const std::string path = "/s/" + kTokens[0];
  core::Answers chosen;
  const std::string review = WalkToReview(path, chosen);
  EXPECT_GE(chosen.size(), 30u);               // every standard item, including both show_if items
  EXPECT_EQ(chosen.count("S2"), 1u);           // S2 appears only after S1 = 1 (its own page)
  EXPECT_EQ(chosen.count("V5"), 1u);
  auto draft = store_->LoadDraft(core::Sha256Hex(kTokens[0]));
  ASSERT_TRUE(draft.ok());
  EXPECT_TRUE(draft->has_value());  // answers in progress are kept server-side
  EXPECT_TRUE(Responses().empty());

  HttpReply done = SubmitFrom(path, review);
  ASSERT_EQ(done.status, 303) << done.body;
  HttpReply thanks = Get(path);
  EXPECT_EQ(thanks.status, 200);
  EXPECT_NE(thanks.body.find("Tak for dine svar"), std::string::npos) << thanks.body;

  std::vector<store::StoredResponse> stored = Responses();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].meta.channel, store::Channel::kLink);
  EXPECT_EQ(stored[0].meta.language, "da");
  EXPECT_EQ(stored[0].meta.area_id, area_);
  EXPECT_EQ(stored[0].meta.completeness, store::Completeness::kComplete);
  EXPECT_EQ(stored[0].answers, chosen);
  // The draft went in the same transaction as the response was written.
  draft = store_->LoadDraft(core::Sha256Hex(kTokens[0]));
  ASSERT_TRUE(draft.ok());
  EXPECT_FALSE(draft->has_value());
}

TEST_P(WebTest, UsedTokenShowsAlreadyAnsweredAndStoresNothingMore) {
  const std::string path = "/s/" + kTokens[0];
  core::Answers chosen;
  const std::string review = WalkToReview(path, chosen);
  ASSERT_EQ(SubmitFrom(path, review).status, 303);
  // The same form posted again (a retried POST): thank you again, nothing new.
  EXPECT_EQ(SubmitFrom(path, review).status, 303);
  // A fresh server (nothing in memory) sees the used invitation.
  StartServer();
  HttpReply again = Get(path, "", 1);
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("Du har allerede svaret"), std::string::npos) << again.body;
  EXPECT_EQ(Responses().size(), 1u);
}

TEST_P(WebTest, DraftIsResumedFromTheSameLinkAfterARestart) {
  const std::string path = "/s/" + kTokens[1];
  HttpReply first = Get(path);
  ASSERT_EQ(first.status, 200);
  HttpReply posted = Post(path, {{"csrf", Hidden(first.body, "csrf")},
                                 {"form", Hidden(first.body, "form")},
                                 {"page", "0"},
                                 {"T1", "3"},
                                 {"action", "next"}});
  ASSERT_EQ(posted.status, 303) << posted.body;
  StartServer();  // a second server: the draft comes from the database
  HttpReply resumed = Get(path, "", 1);
  ASSERT_EQ(resumed.status, 200);
  EXPECT_EQ(Hidden(resumed.body, "page"), "1");  // where the resident left off
  HttpReply back = Post(path, {{"csrf", Hidden(resumed.body, "csrf")},
                               {"form", Hidden(resumed.body, "form")},
                               {"page", "1"},
                               {"action", "back"}},
                        "", 1);
  ASSERT_EQ(back.status, 303);
  HttpReply page0 = Get(path, "", 1);
  EXPECT_NE(page0.body.find("name=\"T1\" value=\"3\" checked"), std::string::npos) << page0.body;
}

TEST_P(WebTest, TwentyConcurrentSubmissionsWithOneTokenMakeOneResponse) {
  // Two servers on one database, each with its own form instance for the
  // token: the store must let exactly one submission win.
  StartServer();
  const std::string path = "/s/" + kTokens[2];
  core::Answers a0, a1;
  const std::string review0 = WalkToReview(path, a0, "", 0);
  const std::string review1 = WalkToReview(path, a1, "", 1);
  ASSERT_NE(Hidden(review0, "form"), Hidden(review1, "form"));
  std::vector<std::thread> threads;
  std::atomic<int> thanked{0}, already{0}, other{0};
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      const std::size_t server = static_cast<std::size_t>(i % 2);
      HttpReply r = SubmitFrom(path, server == 0 ? review0 : review1, "", server);
      if (r.status == 303) ++thanked;
      else if (r.status == 200 && r.body.find("Du har allerede svaret") != std::string::npos) ++already;
      else ++other;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(thanked.load() + already.load(), 20);
  EXPECT_EQ(Responses().size(), 1u);
}

TEST_P(WebTest, DoublePostOfOneFormMakesOneResponse) {
  const std::string path = "/o/" + open_code_;
  HttpReply start = Get(path);
  ASSERT_EQ(start.status, 303);
  const std::string form_path = start.location;
  core::Answers chosen;
  const std::string review = WalkToReview(form_path, chosen);
  std::thread a([&] { EXPECT_EQ(SubmitFrom(form_path, review).status, 303); });
  std::thread b([&] { EXPECT_EQ(SubmitFrom(form_path, review).status, 303); });
  a.join();
  b.join();
  EXPECT_EQ(SubmitFrom(form_path, review).status, 303);
  std::vector<store::StoredResponse> stored = Responses();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].meta.channel, store::Channel::kOpen);
  EXPECT_EQ(stored[0].answers, chosen);
}

TEST_P(WebTest, MalformedAndOversizedBodiesStoreNothing) {
  const std::string path = "/s/" + kTokens[0];
  HttpReply page = Get(path);
  const std::string csrf = Hidden(page.body, "csrf"), form = Hidden(page.body, "form");
  // An unknown answer code, two answers to a one-choice question, a broken
  // percent escape, a page that does not exist, a body that is no form.
  EXPECT_EQ(Post(path, {{"csrf", csrf}, {"form", form}, {"page", "0"}, {"T1", "99"}, {"action", "next"}}).status, 400);
  EXPECT_EQ(Post(path, {{"csrf", csrf}, {"form", form}, {"page", "0"}, {"T1", "1"}, {"T1", "2"}, {"action", "next"}})
                .status,
            400);
  EXPECT_EQ(Request("POST", path, "csrf=" + csrf + "&form=" + form + "&page=0&T1=%zz&action=next").status, 400);
  EXPECT_EQ(Post(path, {{"csrf", csrf}, {"form", form}, {"page", "999"}, {"action", "next"}}).status, 400);
  EXPECT_EQ(Request("POST", path, "{\"T1\": 1}", "", 0, "application/json").status, 400);
  HttpReply big = Request("POST", path, "csrf=" + csrf + "&T1=" + std::string(70000, '1'));
  EXPECT_EQ(big.status, 413);
  EXPECT_TRUE(Responses().empty());
  auto draft = store_->LoadDraft(core::Sha256Hex(kTokens[0]));
  ASSERT_TRUE(draft.ok());
  EXPECT_FALSE(draft->has_value());  // nothing saved from any of them
  HttpReply after = Get(path);
  EXPECT_EQ(after.body.find("checked"), std::string::npos);
}

TEST_P(WebTest, MissingOrWrongCsrfTokenIsForbidden) {
  const std::string path = "/s/" + kTokens[0];
  HttpReply page = Get(path);
  const std::string form = Hidden(page.body, "form");
  EXPECT_EQ(Post(path, {{"form", form}, {"page", "0"}, {"T1", "1"}, {"action", "next"}}).status, 403);
  EXPECT_EQ(Post(path, {{"csrf", "wrongwrongwrongwrongwrong0"}, {"form", form}, {"page", "0"}, {"T1", "1"},
                        {"action", "next"}})
                .status,
            403);
  auto draft = store_->LoadDraft(core::Sha256Hex(kTokens[0]));
  ASSERT_TRUE(draft.ok());
  EXPECT_FALSE(draft->has_value());
}

TEST_P(WebTest, ArabicKeepsTheAnswersAndIsRightToLeft) {
  const std::string path = "/s/" + kTokens[3];
  HttpReply page = Get(path);
  EXPECT_NE(page.body.find("<html lang=\"da\" dir=\"ltr\">"), std::string::npos);
  HttpReply posted = Post(path, {{"csrf", Hidden(page.body, "csrf")},
                                 {"form", Hidden(page.body, "form")},
                                 {"page", "0"},
                                 {"T1", "2"},
                                 {"lang", "ar"}});
  ASSERT_EQ(posted.status, 303);
  HttpReply arabic = Get(path);
  EXPECT_NE(arabic.body.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos) << arabic.body;
  EXPECT_NE(arabic.body.find("name=\"T1\" value=\"2\" checked"), std::string::npos);
  EXPECT_NE(arabic.body.find("التالي"), std::string::npos);  // "Next" in Arabic
}

TEST_P(WebTest, QuestionnaireTextIsEscaped) {
  std::string json(questionnaire::BuiltinQuestionnaireJson("tryghed-standard"));
  const std::string title = "\"da\": \"Tryghed i dit boligområde\"";
  const std::size_t at = json.find(title);
  ASSERT_NE(at, std::string::npos);
  json.replace(at, title.size(), "\"da\": \"Tryghed <script>alert(1)</script> & mere\"");
  MakeStudy("Escaping", json);
  HttpReply start = Get("/o/" + open_code_);
  ASSERT_EQ(start.status, 303);
  HttpReply page = Get(start.location);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Tryghed &lt;script&gt;alert(1)&lt;/script&gt; &amp; mere"), std::string::npos);
}

TEST_P(WebTest, AnInvalidNumberGetsAnInlineMessageAndKeepsThePage) {
  auto json = core::ReadFile(std::string(TRYGHED_TEST_DATA) + "/questionnaire/mini.json");
  ASSERT_TRUE(json.ok());
  MakeStudy("Mini", *json);
  HttpReply start = Get("/o/" + open_code_);
  ASSERT_EQ(start.status, 303);
  const std::string path = start.location;
  HttpReply page = Get(path);
  const std::string csrf = Hidden(page.body, "csrf"), form = Hidden(page.body, "form");
  // mini.json's pages: tryghed, problemer, udsat (V1, V2), udsat (V3), tillid, naboskab, baggrund (6).
  ASSERT_EQ(Post(path, {{"csrf", csrf}, {"form", form}, {"page", "0"}, {"goto", "6"}}).status, 303);
  ASSERT_EQ(Post(path, {{"csrf", csrf}, {"form", form}, {"page", "6"}, {"B3", "tolv"}, {"action", "next"}}).status,
            303);
  HttpReply error = Get(path);
  EXPECT_EQ(Hidden(error.body, "page"), "6");  // stays until corrected
  EXPECT_NE(error.body.find("<p class=\"error\" id=\"e-B3\">Skriv et tal, fx 12.</p>"), std::string::npos)
      << error.body;
  EXPECT_NE(error.body.find("aria-describedby=\"e-B3\""), std::string::npos);
  EXPECT_NE(error.body.find("value=\"tolv\""), std::string::npos);
  ASSERT_EQ(Post(path, {{"csrf", csrf}, {"form", form}, {"page", "6"}, {"B3", "12,0"}, {"action", "next"}}).status,
            303);
  HttpReply review = Get(path);
  EXPECT_NE(review.body.find("value=\"submit\""), std::string::npos);
  EXPECT_NE(review.body.find("<dd>12 år</dd>"), std::string::npos) << review.body;
  ASSERT_EQ(SubmitFrom(path, review.body).status, 303);
  std::vector<store::StoredResponse> stored = Responses();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].answers, (core::Answers{{"B3", 12.0}}));
  EXPECT_EQ(stored[0].meta.completeness, store::Completeness::kPartial);  // 1 of 16 asked items
}

TEST_P(WebTest, KioskNeedsItsSecretAndStoresKioskResponses) {
  const std::string path = "/k/" + std::to_string(kiosk_);
  EXPECT_EQ(Get(path).status, 403);
  EXPECT_EQ(Get(path + "/setup?secret=wrong-secret-0123456789").status, 403);
  HttpReply setup = Get(path + "/setup?secret=" + std::string(kKioskSecret));
  ASSERT_EQ(setup.status, 303);
  ASSERT_EQ(setup.set_cookies.size(), 1u);
  EXPECT_NE(setup.set_cookies[0].find("HttpOnly"), std::string::npos);
  EXPECT_NE(setup.set_cookies[0].find("SameSite=Strict"), std::string::npos);
  const std::string cookie = KioskCookie();

  HttpReply start = Get(path, cookie);
  ASSERT_EQ(start.status, 200);
  EXPECT_NE(start.body.find("value=\"start\""), std::string::npos);
  HttpReply begun = Post(path, {{"csrf", Hidden(start.body, "csrf")}, {"action", "start"}, {"lang", "en"}}, cookie);
  ASSERT_EQ(begun.status, 303);
  core::Answers chosen;
  const std::string review = WalkToReview(path, chosen, cookie);
  // The idle reset: warned and extendable with script (templates/kiosk.js), a
  // plain refresh inside <noscript> without it.
  EXPECT_NE(review.find("<meta name=\"tryghed-kiosk\" data-idle=\""), std::string::npos) << review;
  EXPECT_NE(review.find("<script src=\"/static/kiosk.js\" defer></script>"), std::string::npos);
  EXPECT_NE(review.find("<noscript><meta http-equiv=\"refresh\""), std::string::npos);
  // "Still here": the page's script keeps the server's copy of the form.
  EXPECT_EQ(Get(path + "/alive", cookie).status, 204);
  EXPECT_EQ(Get(path + "/alive").status, 403);
  EXPECT_EQ(Get(path + "/reset").status, 403);  // only the kiosk itself may clear its screen
  ASSERT_EQ(SubmitFrom(path, review, cookie).status, 303);
  HttpReply thanks = Get(path, cookie);
  EXPECT_NE(thanks.body.find("Thank you for your answers"), std::string::npos) << thanks.body;
  EXPECT_NE(thanks.body.find("<meta name=\"tryghed-return\""), std::string::npos);
  EXPECT_NE(thanks.body.find("<noscript><meta http-equiv=\"refresh\""), std::string::npos);
  HttpReply next = Get(path, cookie);  // the next resident: the start screen, no answers
  EXPECT_NE(next.body.find("value=\"start\""), std::string::npos);
  EXPECT_EQ(next.body.find("checked"), std::string::npos);

  // A form nobody finishes: the idle reset clears it on the server at once.
  HttpReply third = Post(path, {{"csrf", Hidden(next.body, "csrf")}, {"action", "start"}, {"lang", "da"}}, cookie);
  ASSERT_EQ(third.status, 303);
  EXPECT_EQ(Get(path, cookie).body.find("value=\"start\""), std::string::npos);  // the form is showing
  EXPECT_EQ(Get(path + "/reset", cookie).status, 303);
  EXPECT_NE(Get(path, cookie).body.find("value=\"start\""), std::string::npos);  // back at the start

  std::vector<store::StoredResponse> stored = Responses();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].meta.channel, store::Channel::kKiosk);
  EXPECT_EQ(stored[0].meta.language, "en");
  EXPECT_EQ(stored[0].answers, chosen);
}

TEST_P(WebTest, KioskRefusesASecondSubmissionWithinTheMinimumInterval) {
  servers_.clear();
  options_.kiosk_min_interval_seconds = 3600;
  StartServer();
  const std::string path = "/k/" + std::to_string(kiosk_);
  const std::string cookie = KioskCookie();
  for (int round = 0; round < 2; ++round) {
    HttpReply start = Get(path, cookie);
    ASSERT_EQ(Post(path, {{"csrf", Hidden(start.body, "csrf")}, {"action", "start"}, {"lang", "da"}}, cookie).status,
              303);
    core::Answers chosen;
    const std::string review = WalkToReview(path, chosen, cookie);
    ASSERT_EQ(SubmitFrom(path, review, cookie).status, 303);
    HttpReply after = Get(path, cookie);
    if (round == 1) {
      EXPECT_NE(after.body.find("Vent et øjeblik"), std::string::npos) << after.body;
    }
  }
  EXPECT_EQ(Responses().size(), 1u);
}

TEST_P(WebTest, PagesCarryTheSecurityHeaders) {
  HttpReply page = Get("/s/" + kTokens[0]);
  EXPECT_EQ(page.headers.get("Content-Security-Policy", ""),
            "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'");
  EXPECT_EQ(page.headers.get("Referrer-Policy", ""), "no-referrer");
  EXPECT_EQ(page.headers.get("X-Content-Type-Options", ""), "nosniff");
  EXPECT_EQ(page.headers.get("Cache-Control", ""), "no-store");
  EXPECT_EQ(page.body.find("<script"), std::string::npos);
  EXPECT_EQ(page.body.find(" style="), std::string::npos);  // no inline style either
  HttpReply css = Get("/static/form.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.headers.get("Content-Type", ""), "text/css; charset=utf-8");
  EXPECT_EQ(Get("/healthz").body, "ok\n");
  EXPECT_EQ(Get("/admin/login").status, 200);
}

// What the connection layer (internal/connections.cpp) must keep of HTTP/1.1
// on one kept-alive connection: pipelined requests answered in order, each
// answer exactly Content-Length long, HEAD without a body, and a malformed
// request answered 400 and the connection closed.
TEST_P(WebTest, OneConnectionAnswersPipelinedHeadAndMalformedRequests) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(Port())));
  socket.setReceiveTimeout(Poco::Timespan(10, 0));
  const std::string requests =
      "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
      "HEAD /static/form.css HTTP/1.1\r\nHost: t\r\n\r\n"
      "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"
      "GARBAGE\r\n\r\n";
  socket.sendBytes(requests.data(), static_cast<int>(requests.size()));
  std::string got;
  char buf[4096];
  for (int n = 0; (n = socket.receiveBytes(buf, sizeof buf)) > 0;) got.append(buf, static_cast<std::size_t>(n));
  // Split into answers by their headers' Content-Length.
  std::vector<std::pair<std::string, std::string>> answers;  // (head, body)
  std::size_t pos = 0;
  while (pos < got.size()) {
    const std::size_t end = got.find("\r\n\r\n", pos);
    ASSERT_NE(end, std::string::npos) << got.substr(pos);
    const std::string head = got.substr(pos, end + 4 - pos);
    std::smatch m;
    std::size_t length = 0;
    if (std::regex_search(head, m, std::regex("Content-Length: ([0-9]+)"))) length = std::stoul(m[1]);
    if (answers.size() == 1) length = 0;  // the second request is the HEAD: no body follows
    answers.emplace_back(head, got.substr(end + 4, length));
    pos = end + 4 + length;
  }
  ASSERT_EQ(answers.size(), 4u) << got;
  EXPECT_EQ(answers[0].first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_EQ(answers[0].second, "ok\n");
  EXPECT_EQ(answers[1].first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(answers[1].first.find("Content-Type: text/css; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(answers[1].first.find("Content-Length: " + std::to_string(Get("/static/form.css").body.size()) + "\r\n"),
            std::string::npos);
  EXPECT_EQ(answers[2].second, "ok\n");
  EXPECT_EQ(answers[3].first.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << answers[3].first;
}

TEST_P(WebTest, UnknownAndMalformedTokensGetTheSameNotFoundPage) {
  HttpReply unknown = Get("/s/zzzzzzzzzzzzzzzzzzzzzzzzzz");
  HttpReply malformed = Get("/s/not-a-token");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(malformed.status, 404);
  EXPECT_EQ(unknown.body, malformed.body);
  EXPECT_EQ(Get("/k/999999").status, 403);  // no cookie: the same answer whether or not it exists
  EXPECT_EQ(Get("/o/zzzzzzzzzzzzzzzzzzzzzzzzzz").status, 404);
}

TEST_P(WebTest, RateLimitAnswers429WithoutStoringAddresses) {
  servers_.clear();
  options_.rate_limit_per_minute = 5;
  StartServer();
  int limited = 0;
  for (int i = 0; i < 8; ++i) limited += Get("/admin").status == 429 ? 1 : 0;
  EXPECT_EQ(limited, 3);
  EXPECT_EQ(Get("/healthz").status, 200);  // health checks are never limited
}

TEST_P(WebTest, NoAddressUserAgentOrTokenReachesTheDatabaseFile) {
  if (GetParam() != Backend::kSqlite) GTEST_SKIP() << "reads the SQLite file's bytes";
  const std::string path = "/s/" + kTokens[0];
  core::Answers chosen;
  ASSERT_EQ(SubmitFrom(path, WalkToReview(path, chosen)).status, 303);
  servers_.clear();
  store_.reset();  // checkpoint and close
  std::string bytes;
  for (const auto& entry : std::filesystem::directory_iterator(db_->dir())) {
    auto content = core::ReadFile(entry.path().string());
    ASSERT_TRUE(content.ok()) << content.status().ToString();
    bytes += *content;
  }
  ASSERT_GT(bytes.size(), 4096u);
  EXPECT_EQ(bytes.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(bytes.find(kUserAgent), std::string::npos);
  for (const std::string& t : kTokens) EXPECT_EQ(bytes.find(t), std::string::npos) << t;
}

INSTANTIATE_TEST_SUITE_P(Backends, WebTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& p) {
                           return store::testing::BackendName(p.param);
                         });

}  // namespace
}  // namespace tryghed::web
