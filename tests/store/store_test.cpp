// The store's test suite, run against every backend: SQLite (a temporary
// file) and PostgreSQL (a fresh schema in $TRYGHED_TEST_PG).
#include "store/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <cstdio>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "core/sha256.h"
#include "store/internal/testing.h"
#include "store_test_env.h"

namespace tryghed::store {
namespace {

using core::StatusCode;
using internal::StoreTestAccess;
using testing::TestDatabase;

const std::string kJsonA = R"({"id":"a","items":[]})";
const std::string kJsonB = R"({"id":"b","items":[]})";

class StoreTest : public testing::BackendTest {
 protected:
  // A study with one pilot area and one open wave with questionnaire A.
  void MakeOpenWave() {
    auto study = store_->CreateStudy("Gadehavegård", "pilot");
    ASSERT_TRUE(study.ok()) << study.status().ToString();
    study_ = *study;
    auto area = store_->AddArea(study_, "Gadehavegård", AreaRole::kPilot, 1800);
    ASSERT_TRUE(area.ok()) << area.status().ToString();
    area_ = *area;
    auto qv = store_->AddQuestionnaireVersion(kJsonA, core::Sha256Hex(kJsonA));
    ASSERT_TRUE(qv.ok()) << qv.status().ToString();
    qv_ = *qv;
    auto wave = store_->CreateWave(study_, "baseline", "2026-03-01", "2026-04-15", qv_);
    ASSERT_TRUE(wave.ok()) << wave.status().ToString();
    wave_ = *wave;
    ASSERT_TRUE(store_->OpenWave(wave_).ok());
  }

  ResponseMeta Meta() const {
    ResponseMeta m;
    m.wave_id = wave_;
    m.area_id = area_;
    m.channel = Channel::kLink;
    m.language = "da";
    m.questionnaire_version_id = qv_;
    m.received_on = "2026-03-02";
    return m;
  }

  static core::Answers SomeAnswers() {
    return {{"T1", core::Code{2}}, {"P", core::Codes{1, 3, 5}}, {"age", 42.5}, {"comment", std::string("Fint")}};
  }

  std::int64_t Count(const std::string& sql) {
    auto rows = StoreTestAccess::QueryText(*store_, sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok() || rows->empty()) return -1;
    return std::stoll(rows->front());
  }

  Id study_ = 0, area_ = 0, qv_ = 0, wave_ = 0;
};

// ------------------------------------------------------------ migrations

TEST_P(StoreTest, FreshDatabaseHasTheCurrentSchemaVersion) {
  auto v = store_->SchemaVersion();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, CurrentSchemaVersion());
  EXPECT_EQ(store_->backend(), GetParam());
  // Opening again applies nothing twice.
  store_.reset();
  auto again = Store::Open(db_->url());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  store_ = std::move(again).value();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM schema_version"), CurrentSchemaVersion());
}

TEST_P(StoreTest, DatabaseFromANewerProgramIsRefused) {
  ASSERT_TRUE(StoreTestAccess::Execute(*store_, "INSERT INTO schema_version (version, applied_at, program) "
                                                "VALUES (99, '2030-01-01T00:00:00Z', 'tryghed 9')")
                  .ok());
  store_.reset();
  auto s = Store::Open(db_->url());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("schema version 99"), std::string::npos) << s.status().message();
  EXPECT_NE(s.status().message().find("newer tryghed"), std::string::npos) << s.status().message();
}

// ------------------------------------------------------------ studies, areas, margins

TEST_P(StoreTest, StudiesAreasAndWavesAreCreatedAndListed) {
  auto a = store_->CreateStudy("A", "first");
  auto b = store_->CreateStudy("B", "");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(store_->CreateStudy("A", "again").status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateStudy("", "").status().code(), StatusCode::kInvalidArgument);
  auto studies = store_->ListStudies();
  ASSERT_TRUE(studies.ok());
  ASSERT_EQ(studies->size(), 2u);
  EXPECT_EQ((*studies)[0].name, "A");
  EXPECT_EQ((*studies)[0].description, "first");
  EXPECT_EQ((*studies)[0].created_on.size(), 10u);
  EXPECT_EQ(store_->FindStudy("B")->id, *b);
  EXPECT_EQ(store_->FindStudy("C").status().code(), StatusCode::kNotFound);

  auto pilot = store_->AddArea(*a, "Gadehavegård", AreaRole::kPilot, 1800);
  auto comparison = store_->AddArea(*a, "Charlotteager", AreaRole::kComparison, std::nullopt);
  ASSERT_TRUE(pilot.ok() && comparison.ok()) << pilot.status().ToString() << comparison.status().ToString();
  EXPECT_EQ(store_->AddArea(*a, "Gadehavegård", AreaRole::kPilot, 5).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->AddArea(*a, "X", AreaRole::kPilot, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddArea(9999, "X", AreaRole::kPilot, 5).status().code(), StatusCode::kNotFound);
  auto areas = store_->ListAreas(*a);
  ASSERT_TRUE(areas.ok());
  ASSERT_EQ(areas->size(), 2u);
  EXPECT_EQ((*areas)[0].population, 1800);
  EXPECT_EQ((*areas)[1].role, AreaRole::kComparison);
  EXPECT_FALSE((*areas)[1].population.has_value());
  EXPECT_TRUE(store_->ListAreas(*b)->empty());

  auto w = store_->CreateWave(*a, "baseline", "2026-03-01", "", std::nullopt);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(store_->CreateWave(*a, "baseline", "", "", std::nullopt).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateWave(*a, "x", "2026-02-30", "", std::nullopt).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CreateWave(*a, "x", "2026-03-02", "2026-03-01", std::nullopt).status().code(),
            StatusCode::kInvalidArgument);
  auto wave = store_->GetWave(*w);
  ASSERT_TRUE(wave.ok());
  EXPECT_EQ(wave->label, "baseline");
  EXPECT_EQ(wave->starts_on, "2026-03-01");
  EXPECT_EQ(wave->ends_on, "");
  EXPECT_EQ(wave->status, WaveStatus::kDraft);
  EXPECT_FALSE(wave->questionnaire_version_id.has_value());
  EXPECT_EQ(store_->FindWave(*a, "baseline")->id, *w);
  EXPECT_EQ(store_->ListWaves(*a)->size(), 1u);
}

TEST_P(StoreTest, MarginsPerWaveOverrideTheAreaDefault) {
  MakeOpenWave();
  const std::vector<Margin> base{{"sex", "f", 930}, {"sex", "m", 870}};
  const std::vector<Margin> wave_own{{"age", "16-29", 500}, {"age", "30+", 1300}};
  ASSERT_TRUE(store_->SetMargins(area_, std::nullopt, base).ok());
  EXPECT_EQ(*store_->GetMargins(area_, std::nullopt), base);
  EXPECT_EQ(*store_->GetMargins(area_, wave_), base);  // falls back to the default
  ASSERT_TRUE(store_->SetMargins(area_, wave_, wave_own).ok());
  EXPECT_EQ(*store_->GetMargins(area_, wave_), wave_own);
  EXPECT_EQ(*store_->GetMargins(area_, std::nullopt), base);
  // Replacing keeps no stale cells.
  ASSERT_TRUE(store_->SetMargins(area_, std::nullopt, {{"sex", "f", 1}}).ok());
  EXPECT_EQ(store_->GetMargins(area_, std::nullopt)->size(), 1u);
  // Duplicate cells are refused by the schema and leave the old set intact.
  auto dup = store_->SetMargins(area_, std::nullopt, {{"sex", "f", 1}, {"sex", "f", 2}});
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists) << dup.ToString();
  EXPECT_EQ(store_->GetMargins(area_, std::nullopt)->size(), 1u);
}

TEST_P(StoreTest, QuestionnaireVersionsAreKeyedByHash) {
  auto a = store_->AddQuestionnaireVersion(kJsonA, core::Sha256Hex(kJsonA));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(*store_->AddQuestionnaireVersion(kJsonA, core::Sha256Hex(kJsonA)), *a);
  EXPECT_EQ(store_->AddQuestionnaireVersion(kJsonB, core::Sha256Hex(kJsonA)).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->AddQuestionnaireVersion(kJsonA, "ABC").status().code(), StatusCode::kInvalidArgument);
  auto q = store_->GetQuestionnaireVersion(*a);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->json, kJsonA);
  EXPECT_EQ(q->content_hash, core::Sha256Hex(kJsonA));
}

// ------------------------------------------------------------ wave invariants

TEST_P(StoreTest, WaveStatusMovesOnlyDraftOpenClosed) {
  auto study = store_->CreateStudy("S", "");
  ASSERT_TRUE(study.ok());
  auto w = store_->CreateWave(*study, "w", "", "", std::nullopt);
  ASSERT_TRUE(w.ok());
  // No questionnaire yet: cannot open (API and schema).
  EXPECT_EQ(store_->OpenWave(*w).code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(StoreTestAccess::Execute(*store_, "UPDATE wave SET status = 'open'").ok());
  EXPECT_EQ(store_->CloseWave(*w).code(), StatusCode::kFailedPrecondition);
  auto qv = store_->AddQuestionnaireVersion(kJsonA, core::Sha256Hex(kJsonA));
  ASSERT_TRUE(store_->SetWaveQuestionnaire(*w, *qv).ok());
  ASSERT_TRUE(store_->OpenWave(*w).ok());
  EXPECT_EQ(store_->GetWave(*w)->status, WaveStatus::kOpen);
  EXPECT_EQ(store_->OpenWave(*w).code(), StatusCode::kFailedPrecondition);
  // The schema itself refuses going back.
  auto back = StoreTestAccess::Execute(*store_, "UPDATE wave SET status = 'draft'");
  ASSERT_FALSE(back.ok());
  EXPECT_NE(back.status().message().find("draft to open to closed"), std::string::npos) << back.status().message();
  ASSERT_TRUE(store_->CloseWave(*w).ok());
  EXPECT_EQ(store_->GetWave(*w)->status, WaveStatus::kClosed);
  EXPECT_EQ(store_->OpenWave(*w).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->CloseWave(*w).code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(StoreTestAccess::Execute(*store_, "UPDATE wave SET status = 'open'").ok());
  EXPECT_EQ(store_->GetWave(*w)->status, WaveStatus::kClosed);
}

TEST_P(StoreTest, WaveQuestionnaireCannotChangeOnceOpen) {
  MakeOpenWave();
  auto other = store_->AddQuestionnaireVersion(kJsonB, core::Sha256Hex(kJsonB));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(store_->SetWaveQuestionnaire(wave_, *other).code(), StatusCode::kFailedPrecondition);
  auto raw = StoreTestAccess::Execute(*store_, "UPDATE wave SET questionnaire_version_id = " + std::to_string(*other));
  ASSERT_FALSE(raw.ok());
  EXPECT_NE(raw.status().message().find("cannot change"), std::string::npos) << raw.status().message();
  EXPECT_EQ(store_->GetWave(wave_)->questionnaire_version_id, qv_);
  // A draft wave may still change its questionnaire.
  auto draft = store_->CreateWave(study_, "follow-up", "", "", qv_);
  ASSERT_TRUE(draft.ok());
  EXPECT_TRUE(store_->SetWaveQuestionnaire(*draft, *other).ok());
  EXPECT_EQ(store_->GetWave(*draft)->questionnaire_version_id, *other);
}

// ------------------------------------------------------------ responses

TEST_P(StoreTest, AnswersRoundTripExactly) {
  MakeOpenWave();
  core::Answers answers{{"T1", core::Code{7}},
                        {"none", core::Codes{}},
                        {"places", core::Codes{-1, 2, 30}},
                        {"x", 0.1 + 0.2},
                        {"big", core::Code{9007199254740993}},
                        {"free", std::string("Trappen er mørk 'om aftenen', \"altid\"\n\xD8\xA7\xD9\x84")},
                        // What the answers' JSON object in the response row must carry
                        // exactly: quotes, backslashes, braces, commas, the word NULL, an
                        // empty text, extreme and inexact doubles, an odd item id.
                        {"slash", std::string("C:\\mappe\\ {a,b} \"NULL\" \\\"")},
                        {"nullword", std::string("NULL")},
                        {"empty", std::string()},
                        {"tiny", 5e-324},
                        {"huge", -1.7976931348623157e308},
                        {"third", 1.0 / 3},
                        {"odd {item},\"\\", core::Code{-4}}};
  ResponseMeta m = Meta();
  m.language = "ar";
  m.channel = Channel::kKiosk;
  m.completeness = Completeness::kPartial;
  auto id = store_->SubmitResponse(m, answers, std::nullopt, std::nullopt);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto read = store_->ReadResponses(wave_);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 1u);
  const StoredResponse& r = read->front();
  EXPECT_EQ(r.id, *id);
  EXPECT_EQ(r.answers, answers);
  EXPECT_EQ(r.meta.language, "ar");
  EXPECT_EQ(r.meta.channel, Channel::kKiosk);
  EXPECT_EQ(r.meta.completeness, Completeness::kPartial);
  EXPECT_EQ(r.meta.received_on, "2026-03-02");
  EXPECT_EQ(r.meta.area_id, area_);
  EXPECT_EQ(*store_->CountResponses(wave_), 1);
}

TEST_P(StoreTest, ResponsesCannotBeUpdatedOrDeleted) {
  MakeOpenWave();
  ASSERT_TRUE(store_->SubmitResponse(Meta(), SomeAnswers(), std::nullopt, std::nullopt).ok());
  for (const std::string sql : {"UPDATE response SET language = 'en'", "DELETE FROM response",
                                "UPDATE answer SET code = 5 WHERE item = 'T1'", "DELETE FROM answer",
                                "UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"}) {
    auto r = StoreTestAccess::Execute(*store_, sql);
    ASSERT_FALSE(r.ok()) << sql << " was accepted";
    EXPECT_NE(r.status().message().find("never changed"), std::string::npos) << r.status().message();
  }
  auto read = store_->ReadResponses(wave_);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ(read->front().meta.language, "da");
  EXPECT_EQ(read->front().answers, SomeAnswers());
}

TEST_P(StoreTest, ResponseRowsHoldNothingThatIdentifiesAPersonOrMoment) {
  auto columns = StoreTestAccess::Columns(*store_, "response");
  ASSERT_TRUE(columns.ok()) << columns.status().ToString();
  const std::vector<std::string> expected{"id",       "wave_id",     "area_id",      "channel",        "language",
                                          "questionnaire_version_id", "received_on", "completeness", "import_batch_id",
                                          "answers"};
  EXPECT_EQ(*columns, expected);
  for (std::string c : *columns) {
    std::transform(c.begin(), c.end(), c.begin(), [](unsigned char ch) { return std::tolower(ch); });
    for (const char* bad : {"token", "invitation", "ip", "agent", "time", "_at", "key", "kiosk", "session", "user"}) {
      EXPECT_EQ(c.find(bad), std::string::npos) << "response column '" << c << "' looks identifying (" << bad << ")";
    }
  }
  // The submission keys are not linked to responses either.
  auto keys = StoreTestAccess::Columns(*store_, "submission_key");
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*keys, (std::vector<std::string>{"key_hash", "wave_id"}));
  // And the invitation does not point at its response.
  auto inv = StoreTestAccess::Columns(*store_, "invitation");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(std::count(inv->begin(), inv->end(), "response_id"), 0);

  // Time finer than the day is refused by the API and by the schema.
  MakeOpenWave();
  ResponseMeta m = Meta();
  m.received_on = "2026-03-02T10:15:00";
  EXPECT_EQ(store_->SubmitResponse(m, {}, std::nullopt, std::nullopt).status().code(), StatusCode::kInvalidArgument);
  auto raw = StoreTestAccess::Execute(
      *store_, "INSERT INTO response (wave_id, area_id, channel, language, questionnaire_version_id, received_on, "
               "completeness) VALUES (" + std::to_string(wave_) + ", " + std::to_string(area_) + ", 'link', 'da', " +
                   std::to_string(qv_) + ", '2026-03-02 10:15', 'complete')");
  EXPECT_FALSE(raw.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM response"), 0);
}

TEST_P(StoreTest, ResponsesNeedAnOpenWaveAndItsQuestionnaire) {
  MakeOpenWave();
  auto other = store_->AddQuestionnaireVersion(kJsonB, core::Sha256Hex(kJsonB));
  ResponseMeta m = Meta();
  m.questionnaire_version_id = *other;
  EXPECT_EQ(store_->SubmitResponse(m, SomeAnswers(), std::nullopt, std::nullopt).status().code(),
            StatusCode::kFailedPrecondition);
  m = Meta();
  m.language = "not a language!";
  EXPECT_EQ(store_->SubmitResponse(m, SomeAnswers(), std::nullopt, std::nullopt).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SubmitResponse(Meta(), {{"P", core::Codes{3, 1}}}, std::nullopt, std::nullopt).status().code(),
            StatusCode::kInvalidArgument);
  auto draft = store_->CreateWave(study_, "draft", "", "", qv_);
  m = Meta();
  m.wave_id = *draft;
  EXPECT_EQ(store_->SubmitResponse(m, SomeAnswers(), std::nullopt, std::nullopt).status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->CloseWave(wave_).ok());
  auto closed = store_->SubmitResponse(Meta(), SomeAnswers(), std::nullopt, std::nullopt);
  EXPECT_EQ(closed.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(closed.status().message().find("closed"), std::string::npos);
  EXPECT_EQ(*store_->CountResponses(wave_), 0);
}

// ------------------------------------------------------------ tokens and keys

TEST_P(StoreTest, TokenIsUsedOnceAndMarksTheInvitation) {
  MakeOpenWave();
  const std::string token = core::Sha256Hex("letter-0001");
  const std::string refused = core::Sha256Hex("letter-0002");
  ASSERT_TRUE(store_->AddInvitations(wave_, area_, {token, refused, core::Sha256Hex("letter-0003")}).ok());
  EXPECT_EQ(store_->AddInvitations(wave_, area_, {token}).code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(store_->SetDisposition(refused, Disposition::kRefused).ok());
  EXPECT_EQ(store_->SetDisposition(refused, Disposition::kUndeliverable).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->SetDisposition(token, Disposition::kComplete).code(), StatusCode::kInvalidArgument);

  ResponseMeta m = Meta();
  m.completeness = Completeness::kPartial;
  auto first = store_->SubmitResponse(m, SomeAnswers(), token, std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = store_->SubmitResponse(Meta(), SomeAnswers(), token, std::nullopt);
  EXPECT_EQ(second.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->SubmitResponse(Meta(), SomeAnswers(), refused, std::nullopt).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->SubmitResponse(Meta(), SomeAnswers(), core::Sha256Hex("unknown"), std::nullopt).status().code(),
            StatusCode::kNotFound);
  // A token of another area is not valid here.
  auto other_area = store_->AddArea(study_, "Charlotteager", AreaRole::kComparison, std::nullopt);
  const std::string elsewhere = core::Sha256Hex("letter-0100");
  ASSERT_TRUE(store_->AddInvitations(wave_, *other_area, {elsewhere}).ok());
  EXPECT_EQ(store_->SubmitResponse(Meta(), SomeAnswers(), elsewhere, std::nullopt).status().code(),
            StatusCode::kNotFound);

  EXPECT_EQ(*store_->CountResponses(wave_), 1);
  auto counts = store_->CountDispositions(wave_);
  ASSERT_TRUE(counts.ok());
  auto count_of = [&](Disposition d) {
    for (const auto& c : *counts) {
      if (c.disposition == d) return c.count;
    }
    return std::int64_t{-1};
  };
  EXPECT_EQ(count_of(Disposition::kPartial), 1);
  EXPECT_EQ(count_of(Disposition::kRefused), 1);
  EXPECT_EQ(count_of(Disposition::kNotUsed), 2);
  EXPECT_EQ(count_of(Disposition::kComplete), 0);
  EXPECT_EQ(counts->size(), 6u);
}

TEST_P(StoreTest, ManyThreadsRacingWithOneTokenMakeExactlyOneResponse) {
  MakeOpenWave();
  const std::string token = core::Sha256Hex("shared-letter");
  ASSERT_TRUE(store_->AddInvitations(wave_, area_, {token}).ok());
  constexpr int kThreads = 12;
  std::atomic<int> ok{0}, already{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::string> others(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      auto r = store_->SubmitResponse(Meta(), SomeAnswers(), token, "form-" + std::to_string(i));
      if (r.ok()) {
        ++ok;
      } else if (r.status().code() == StatusCode::kAlreadyExists) {
        ++already;
      } else {
        others[i] = r.status().ToString();
        ++other;
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  for (const auto& o : others) EXPECT_TRUE(o.empty()) << o;
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(already.load(), kThreads - 1);
  EXPECT_EQ(*store_->CountResponses(wave_), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM answer"), static_cast<std::int64_t>(SomeAnswers().size()));
  // The losers' idempotency keys were rolled back with their transactions.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM submission_key"), 1);
}

// Two processes (as two `tryghed serve` behind one nginx would be), each with
// its own Store and connections, submit for the same letters at the same
// moment: every token makes exactly one response across both.
TEST_P(StoreTest, TwoProcessesRacingForTheSameTokensUseEachOnce) {
  MakeOpenWave();
  constexpr int kTokens = 40;
  std::vector<std::string> tokens;
  for (int i = 0; i < kTokens; ++i) tokens.push_back(core::Sha256Hex("letter-" + std::to_string(i)));
  ASSERT_TRUE(store_->AddInvitations(wave_, area_, tokens).ok());
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  struct Child {
    pid_t pid = -1;
    int out = -1;
  };
  std::vector<Child> children;
  for (int c = 0; c < 2; ++c) {
    int report[2];
    ASSERT_EQ(::pipe(report), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // The child: its own Store; waits for the parent's "go" (the write end
      // closing), submits every token, writes "ok already other" and leaves
      // without running the parent's destructors.
      ::close(go[1]);
      ::close(report[0]);
      int counts[3] = {0, 0, 0};
      auto own = Store::Open(db_->url());
      char byte;
      while (::read(go[0], &byte, 1) > 0) {
      }
      if (own.ok()) {
        for (int i = 0; i < kTokens; ++i) {
          auto r = (*own)->SubmitResponse(Meta(), SomeAnswers(), tokens[static_cast<std::size_t>(i)],
                                          "proc-" + std::to_string(c) + "-" + std::to_string(i));
          ++counts[r.ok() ? 0 : r.status().code() == StatusCode::kAlreadyExists ? 1 : 2];
        }
      } else {
        counts[2] = -1;
      }
      const std::string line = std::to_string(counts[0]) + " " + std::to_string(counts[1]) + " " +
                               std::to_string(counts[2]);
      [[maybe_unused]] const ssize_t n = ::write(report[1], line.data(), line.size());
      ::_exit(0);
    }
    ::close(report[1]);
    children.push_back({pid, report[0]});
  }
  ::close(go[0]);
  ::close(go[1]);  // both children start now
  int ok = 0, already = 0;
  for (const Child& child : children) {
    std::string text;
    char buf[64];
    ssize_t n;
    while ((n = ::read(child.out, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    ::close(child.out);
    int status = 0;
    ASSERT_EQ(::waitpid(child.pid, &status, 0), child.pid);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    int o = -9, a = -9, other = -9;
    ASSERT_EQ(std::sscanf(text.c_str(), "%d %d %d", &o, &a, &other), 3) << "child said: " << text;
    EXPECT_EQ(other, 0) << "a child failed otherwise than with AlreadyExists";
    ok += o;
    already += a;
  }
  EXPECT_EQ(ok, kTokens);
  EXPECT_EQ(already, kTokens);
  EXPECT_EQ(*store_->CountResponses(wave_), kTokens);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM invitation WHERE disposition <> 'not used'"), kTokens);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM submission_key"), kTokens);
}

TEST_P(StoreTest, RetriedSubmitWithTheSameKeyStoresOneResponse) {
  MakeOpenWave();
  auto first = store_->SubmitResponse(Meta(), SomeAnswers(), std::nullopt, "form-instance-42");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto retry = store_->SubmitResponse(Meta(), SomeAnswers(), std::nullopt, "form-instance-42");
  EXPECT_EQ(retry.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(retry.status().message().find("already submitted"), std::string::npos);
  EXPECT_TRUE(store_->SubmitResponse(Meta(), SomeAnswers(), std::nullopt, "form-instance-43").ok());
  EXPECT_EQ(*store_->CountResponses(wave_), 2);
  // Only the hash of the key is stored.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM submission_key WHERE key_hash = '" + core::Sha256Hex("form-instance-42") + "'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM submission_key WHERE key_hash = 'form-instance-42'"), 0);
}

TEST_P(StoreTest, RetriedSubmitsRacingWithOneKeyStoreOneResponse) {
  MakeOpenWave();
  constexpr int kThreads = 8;
  std::atomic<int> ok{0}, already{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      auto r = store_->SubmitResponse(Meta(), SomeAnswers(), std::nullopt, "same-form");
      if (r.ok()) ++ok;
      else if (r.status().code() == StatusCode::kAlreadyExists) ++already;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(already.load(), kThreads - 1);
  EXPECT_EQ(*store_->CountResponses(wave_), 1);
}

// ------------------------------------------------------------ batches and group commit

TEST_P(StoreTest, ABatchGivesEverySubmissionItsOwnOutcome) {
  MakeOpenWave();
  const std::string token = core::Sha256Hex("letter-batch");
  ASSERT_TRUE(store_->AddInvitations(wave_, area_, {token}).ok());
  ResponseMeta bad_language = Meta();
  bad_language.language = "da dk";
  ResponseMeta other_area = Meta();
  other_area.area_id = 999999;
  const std::vector<Submission> batch = {
      {Meta(), SomeAnswers(), token, "k1"},            // ok, uses the token
      {Meta(), SomeAnswers(), token, "k2"},            // the token was just used: AlreadyExists
      {bad_language, SomeAnswers(), std::nullopt, "k3"},  // refused before the database
      {other_area, SomeAnswers(), std::nullopt, "k4"},    // NotFound inside the transaction
      {Meta(), SomeAnswers(), std::nullopt, "k1"},     // the same form key again: AlreadyExists
      {Meta(), {{"T1", core::Code{4}}}, std::nullopt, "k5"},  // ok
  };
  std::vector<core::Result<Id>> out = store_->SubmitResponses(batch);
  ASSERT_EQ(out.size(), 6u);
  EXPECT_TRUE(out[0].ok()) << out[0].status().ToString();
  EXPECT_EQ(out[1].status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(out[2].status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out[3].status().code(), StatusCode::kNotFound);
  EXPECT_EQ(out[4].status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(out[5].ok()) << out[5].status().ToString();
  // Two responses, with exactly their own answers: the failed ones left nothing.
  EXPECT_EQ(*store_->CountResponses(wave_), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM answer"), static_cast<std::int64_t>(SomeAnswers().size() + 1));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM submission_key"), 2);  // k1 and k5; k2's key went with its rollback
  EXPECT_EQ(Count("SELECT COUNT(*) FROM invitation WHERE disposition = 'complete'"), 1);
  auto stored = store_->ReadResponses(wave_);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->at(0).id, *out[0]);
  EXPECT_EQ(stored->at(1).id, *out[5]);
  EXPECT_EQ(stored->at(1).answers, (core::Answers{{"T1", core::Code{4}}}));
}

// A batch is written with a few statements for all its submissions; when one
// of them fails for a reason only the database sees (here a trigger refusing
// a response with an answer to the item "refused"), the batch is written again
// one submission at a time, and only that submission fails.
TEST_P(StoreTest, AFailureOnlyTheDatabaseSeesFailsOnlyItsOwnSubmission) {
  MakeOpenWave();
  const std::vector<std::string> trigger =
      GetParam() == Backend::kSqlite
          ? std::vector<std::string>{"CREATE TRIGGER refuse_item BEFORE INSERT ON response"
                                     " WHEN json_extract(NEW.answers, '$.code.refused') IS NOT NULL"
                                     " BEGIN SELECT RAISE(ABORT, 'item refused by a test trigger'); END"}
          : std::vector<std::string>{
                "CREATE FUNCTION refuse_item() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN"
                " IF (NEW.answers::json -> 'code' -> 'refused') IS NOT NULL THEN"
                " RAISE EXCEPTION 'item refused by a test trigger'; END IF;"
                " RETURN NEW; END $f$",
                "CREATE TRIGGER refuse_item BEFORE INSERT ON response FOR EACH ROW EXECUTE FUNCTION refuse_item()"};
  for (const std::string& sql : trigger) ASSERT_TRUE(StoreTestAccess::Execute(*store_, sql).ok()) << sql;
  const std::string token = core::Sha256Hex("letter-refused");
  ASSERT_TRUE(store_->AddInvitations(wave_, area_, {token}).ok());
  const std::vector<Submission> batch = {
      {Meta(), {{"T1", core::Code{1}}}, std::nullopt, "f1"},
      {Meta(), {{"T1", core::Code{2}}, {"refused", core::Code{1}}}, token, "f2"},  // the trigger refuses it
      {Meta(), {{"T1", core::Code{3}}}, std::nullopt, "f3"},
  };
  std::vector<core::Result<Id>> out = store_->SubmitResponses(batch);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(out[0].ok()) << out[0].status().ToString();
  ASSERT_FALSE(out[1].ok());
  EXPECT_EQ(out[1].status().code(), StatusCode::kFailedPrecondition) << out[1].status().ToString();
  EXPECT_NE(out[1].status().message().find("item refused by a test trigger"), std::string::npos)
      << out[1].status().message();
  EXPECT_TRUE(out[2].ok()) << out[2].status().ToString();
  // The refused submission left nothing: no response, no answer, no form key, an unused token.
  auto stored = store_->ReadResponses(wave_);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ(stored->at(0).answers, (core::Answers{{"T1", core::Code{1}}}));
  EXPECT_EQ(stored->at(1).answers, (core::Answers{{"T1", core::Code{3}}}));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM answer"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM submission_key"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM invitation WHERE disposition = 'not used'"), 1);
  // The same form again, without the refused answer, is stored: its key was not kept.
  auto again = store_->SubmitResponse(Meta(), {{"T1", core::Code{2}}}, token, "f2");
  EXPECT_TRUE(again.ok()) << again.status().ToString();
}

TEST_P(StoreTest, ConcurrentSubmitsAreAllStoredOnceEach) {
  MakeOpenWave();
  constexpr int kThreads = 16, kEach = 25;
  std::atomic<int> ok{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        core::Answers a = {{"T1", core::Code{1 + (t + i) % 5}}, {"age", double(t * 100 + i)}};
        auto r = store_->SubmitResponse(Meta(), a, std::nullopt, "form-" + std::to_string(t) + "-" + std::to_string(i));
        if (r.ok()) ++ok;
        else errors[t] = r.status().ToString();
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) EXPECT_TRUE(e.empty()) << e;
  EXPECT_EQ(ok.load(), kThreads * kEach);
  EXPECT_EQ(*store_->CountResponses(wave_), kThreads * kEach);
  // Every response kept its own answers: the ages 0..kEach-1 + 100·t appear once each.
  auto stored = store_->ReadResponses(wave_);
  ASSERT_TRUE(stored.ok());
  std::vector<int> ages;
  for (const auto& r : *stored) ages.push_back(static_cast<int>(std::get<double>(r.answers.at("age"))));
  std::sort(ages.begin(), ages.end());
  std::vector<int> expected;
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; ++i) expected.push_back(t * 100 + i);
  EXPECT_EQ(ages, expected);
}

TEST_P(StoreTest, AnImportIsStoredWholeOrNotAtAll) {
  MakeOpenWave();
  ASSERT_TRUE(store_->CloseWave(wave_).ok());  // older waves are imported after they closed
  const std::string file = core::Sha256Hex("telephone.csv");
  ResponseMeta m = Meta();
  std::vector<Submission> rows = {{m, {{"T1", core::Code{1}}}, std::nullopt, std::nullopt},
                                  {m, {{"T1", core::Code{2}}}, std::nullopt, std::nullopt},
                                  {m, {{"T1", core::Code{3}}}, std::nullopt, std::nullopt}};
  rows[1].meta.area_id = 999999;
  auto bad = store_->ImportResponses(wave_, file, rows);
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_NE(bad.status().ToString().find("row 2"), std::string::npos) << bad.status().ToString();
  EXPECT_EQ(*store_->CountResponses(wave_), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM import_batch"), 0);

  rows[1].meta.area_id = area_;
  auto good = store_->ImportResponses(wave_, file, rows);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->size(), 3u);
  auto stored = store_->ReadResponses(wave_);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 3u);
  for (const auto& r : *stored) {
    EXPECT_EQ(r.meta.channel, Channel::kImport);
    ASSERT_TRUE(r.meta.import_batch_id.has_value());
  }
  EXPECT_EQ(Count("SELECT row_count FROM import_batch"), 3);
  EXPECT_EQ(store_->ImportResponses(wave_, file, rows).status().code(), StatusCode::kAlreadyExists);
  rows[0].token_hash = core::Sha256Hex("x");
  EXPECT_EQ(store_->ImportResponses(wave_, core::Sha256Hex("other.csv"), rows).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(*store_->CountResponses(wave_), 3);
}

// The write of a large import is one transaction; it reports the rows written
// every 1,000 rows and at the end, so the terminal shows more than a pause.
TEST_P(StoreTest, AnImportReportsTheRowsWrittenAsItGoes) {
  MakeOpenWave();
  ResponseMeta m = Meta();
  std::vector<Submission> rows(2500, Submission{m, {{"T1", core::Code{2}}}, std::nullopt, std::nullopt});
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  auto ids = store_->ImportResponses(wave_, core::Sha256Hex("register.csv"), rows,
                                     [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); });
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  EXPECT_EQ(ids->size(), 2500u);
  const std::vector<std::pair<std::size_t, std::size_t>> expected = {{1000, 2500}, {2000, 2500}, {2500, 2500}};
  EXPECT_EQ(calls, expected);
  EXPECT_EQ(*store_->CountResponses(wave_), 2500);
}

TEST_P(StoreTest, DispositionsCountPerArea) {
  MakeOpenWave();
  auto other = store_->AddArea(study_, "Charlotteager", AreaRole::kComparison, 900);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(store_->AddInvitations(wave_, area_, {core::Sha256Hex("a1"), core::Sha256Hex("a2")}).ok());
  ASSERT_TRUE(store_->AddInvitations(wave_, *other, {core::Sha256Hex("b1"), core::Sha256Hex("b2"),
                                                     core::Sha256Hex("b3")}).ok());
  ASSERT_TRUE(store_->SetDisposition(core::Sha256Hex("b1"), Disposition::kUndeliverable).ok());
  auto in_other = store_->CountDispositions(wave_, *other);
  ASSERT_TRUE(in_other.ok());
  ASSERT_EQ(in_other->size(), 6u);
  EXPECT_EQ((*in_other)[0].disposition, Disposition::kNotUsed);
  EXPECT_EQ((*in_other)[0].count, 2);
  EXPECT_EQ((*in_other)[4].disposition, Disposition::kUndeliverable);
  EXPECT_EQ((*in_other)[4].count, 1);
  EXPECT_EQ((*store_->CountDispositions(wave_, area_))[0].count, 2);
  EXPECT_EQ((*store_->CountDispositions(wave_))[0].count, 4);
}

// ------------------------------------------------------------ kiosks, imports, audit

TEST_P(StoreTest, KioskSecretIsStoredOnlyAsAHash) {
  MakeOpenWave();
  const std::string secret = "correct horse battery staple";
  auto k = store_->RegisterKiosk("beboerhus-1", area_, secret);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(store_->RegisterKiosk("beboerhus-1", area_, secret).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->RegisterKiosk("short", area_, "123").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*store_->AuthenticateKiosk("beboerhus-1", secret), *k);
  EXPECT_EQ(store_->AuthenticateKiosk("beboerhus-1", secret + "x").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->AuthenticateKiosk("nobody", secret).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM kiosk WHERE secret_hash = '" + core::Sha256Hex(secret) + "'"), 1);
  auto columns = StoreTestAccess::Columns(*store_, "kiosk");
  ASSERT_TRUE(columns.ok());
  EXPECT_EQ(std::count(columns->begin(), columns->end(), "secret"), 0);
}

TEST_P(StoreTest, ImportBatchesAreRecordedOncePerFile) {
  MakeOpenWave();
  const std::string file = core::Sha256Hex("paper.csv contents");
  EXPECT_FALSE(*store_->WasImported(wave_, file));
  auto b = store_->RecordImportBatch(wave_, file, 2);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE(*store_->WasImported(wave_, file));
  EXPECT_FALSE(*store_->WasImported(wave_, core::Sha256Hex("another file")));
  EXPECT_EQ(store_->WasImported(wave_, "not a hash").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->RecordImportBatch(wave_, file, 2).status().code(), StatusCode::kAlreadyExists);
  ResponseMeta m = Meta();
  m.channel = Channel::kImport;
  EXPECT_EQ(store_->SubmitResponse(m, SomeAnswers(), std::nullopt, std::nullopt).status().code(),
            StatusCode::kInvalidArgument);  // import needs its batch
  m.import_batch_id = *b;
  auto r = store_->SubmitResponse(m, SomeAnswers(), std::nullopt, std::nullopt);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(store_->ReadResponses(wave_)->front().meta.import_batch_id, *b);
}

TEST_P(StoreTest, AdministrativeActionsAreAuditedButResponsesAreNot) {
  MakeOpenWave();
  auto log = store_->ReadAuditLog(100);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  std::vector<std::string> actions;
  for (const auto& e : *log) actions.push_back(e.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"study.create", "area.add", "questionnaire.add", "wave.create",
                                               "wave.open"}));
  EXPECT_EQ(log->back().actor, "tryghed");
  EXPECT_EQ(log->back().at.size(), 20u);
  ASSERT_TRUE(store_->SubmitResponse(Meta(), SomeAnswers(), std::nullopt, "k").ok());
  EXPECT_EQ(store_->ReadAuditLog(100)->size(), log->size());
  EXPECT_EQ(store_->ReadAuditLog(2)->size(), 2u);
  EXPECT_EQ(store_->ReadAuditLog(2)->back().action, "wave.open");
}

TEST_P(StoreTest, UnreachableOrInvalidDatabasesGiveActionableErrors) {
  if (GetParam() == Backend::kSqlite) {
    auto missing_dir = Store::Open(db_->dir() + "/no/such/dir/t.db");
    EXPECT_EQ(missing_dir.status().code(), StatusCode::kNotFound);
    EXPECT_NE(missing_dir.status().message().find("does not exist"), std::string::npos);
    auto dir = Store::Open(db_->dir());
    EXPECT_EQ(dir.status().code(), StatusCode::kInvalidArgument);
  } else {
    auto refused = Store::Open("postgresql://nobody:hunter2hunter2@127.0.0.1:1/none?connect_timeout=2");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable) << refused.status().ToString();
    EXPECT_NE(refused.status().message().find("cannot connect"), std::string::npos) << refused.status().message();
    EXPECT_EQ(refused.status().message().find("hunter2"), std::string::npos) << refused.status().message();
    auto bad = Store::Open("postgresql://a:secret@[broken");
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().message().find("secret"), std::string::npos) << "password leaked: " << bad.status().message();
  }
  EXPECT_EQ(Store::Open("mysql://x/y").status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreTest, ALockedDatabaseIsUnavailableNotAnError) {
  auto study = store_->CreateStudy("S", "");
  ASSERT_TRUE(study.ok());
  auto qv = store_->AddQuestionnaireVersion(kJsonA, core::Sha256Hex(kJsonA));
  auto w = store_->CreateWave(*study, "w", "", "", *qv);
  ASSERT_TRUE(w.ok());
  // Another program holds a write transaction that locks the wave row.
  OpenOptions one;
  one.max_sessions = 1;
  auto holder = Store::Open(db_->url(), one);
  ASSERT_TRUE(holder.ok()) << holder.status().ToString();
  ASSERT_TRUE(StoreTestAccess::Execute(**holder, GetParam() == Backend::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN").ok());
  ASSERT_TRUE(StoreTestAccess::Execute(**holder, "UPDATE wave SET status = status").ok());
  OpenOptions impatient;
  impatient.busy_timeout_ms = 200;
  auto waiting = Store::Open(db_->url(), impatient);
  ASSERT_TRUE(waiting.ok()) << waiting.status().ToString();
  core::Status blocked = (*waiting)->OpenWave(*w);
  EXPECT_EQ(blocked.code(), StatusCode::kUnavailable) << blocked.ToString();
  EXPECT_NE(blocked.message().find("try again"), std::string::npos) << blocked.message();
  ASSERT_TRUE(StoreTestAccess::Execute(**holder, "ROLLBACK").ok());
  EXPECT_TRUE((*waiting)->OpenWave(*w).ok());
  EXPECT_EQ(store_->GetWave(*w)->status, WaveStatus::kOpen);
}

// A PostgreSQL restart (or an administrator ending connections) closes every
// session the pool keeps. The pool must notice when it hands one out and
// connect anew, not fail the next call of each session with "lost the
// connection" (tests/reliability/multi_server_test.py restarts PostgreSQL
// under two servers; this is the same at the store level, ending only this
// store's connection so that tests running beside it are not touched).
TEST_P(StoreTest, ASessionThePostgresServerClosedIsReplacedWithoutAnError) {
  if (GetParam() == Backend::kSqlite) GTEST_SKIP() << "PostgreSQL only: a SQLite session has no connection to lose";
  MakeOpenWave();
  // Called one after another, the store has used one session; its server process:
  auto pid = StoreTestAccess::QueryText(*store_, "SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok() && pid->size() == 1) << pid.status().ToString();
  auto admin = Store::Open(db_->url());
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  auto ended = StoreTestAccess::QueryText(**admin, "SELECT pg_terminate_backend(" + pid->front() + ")");
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  ASSERT_EQ(*ended, std::vector<std::string>{"t"});
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    auto left = StoreTestAccess::QueryText(**admin, "SELECT COUNT(*) FROM pg_stat_activity WHERE pid = " + pid->front());
    ASSERT_TRUE(left.ok()) << left.status().ToString();
    gone = left->front() == "0";
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_TRUE(gone) << "server process " << pid->front() << " did not end";
  // It leaves pg_stat_activity just before it exits and its socket closes.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  // The very next calls succeed, on a new connection.
  auto read = store_->GetWave(wave_);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->label, "baseline");
  auto written = store_->SubmitResponse(Meta(), SomeAnswers(), std::nullopt, "after-the-restart");
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  auto now_pid = StoreTestAccess::QueryText(*store_, "SELECT pg_backend_pid()");
  ASSERT_TRUE(now_pid.ok()) << now_pid.status().ToString();
  EXPECT_NE(now_pid->front(), pid->front());
  EXPECT_EQ(store_->ReadResponses(wave_)->size(), 1u);
}

// PostgreSQL ends the connection in the middle of a large batch of
// submissions (a restart under load): the batch fails with Unavailable,
// nothing of it is stored, the program lives on and the store works again.
TEST_P(StoreTest, AConnectionLostInTheMiddleOfABatchFailsTheBatchAndNothingElse) {
  if (GetParam() == Backend::kSqlite) GTEST_SKIP() << "PostgreSQL only";
  MakeOpenWave();
  core::Answers many;
  for (int i = 0; i < 40; ++i) many["Q" + std::to_string(100 + i)] = core::Code{1 + i % 4};
  std::vector<Submission> batch;
  // Large enough to be still writing when the connection goes (one round trip per response).
  for (int i = 0; i < 6000; ++i) batch.push_back({Meta(), many, std::nullopt, "batch-" + std::to_string(i)});
  auto pid = StoreTestAccess::QueryText(*store_, "SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok()) << pid.status().ToString();
  auto admin = Store::Open(db_->url());
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  std::thread killer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    (void)StoreTestAccess::QueryText(**admin, "SELECT pg_terminate_backend(" + pid->front() + ")");
  });
  std::vector<core::Result<Id>> outcomes = store_->SubmitResponses(batch);
  killer.join();
  const auto refused = std::count_if(outcomes.begin(), outcomes.end(), [](const auto& r) { return !r.ok(); });
  ASSERT_EQ(refused, static_cast<long>(batch.size())) << "the batch ended before the connection did; make it larger";
  EXPECT_EQ(outcomes.front().status().code(), StatusCode::kUnavailable) << outcomes.front().status().ToString();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(store_->ReadResponses(wave_)->empty());
  auto stored = store_->SubmitResponse(Meta(), SomeAnswers(), std::nullopt, "after");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         testing::BackendParamName);

}  // namespace
}  // namespace tryghed::store
