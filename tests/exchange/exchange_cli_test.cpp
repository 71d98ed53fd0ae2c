// The exchange verbs end to end on a temporary SQLite file: import (in
// process, and as a separate program killed mid-import), export, backup,
// restore, invite, kiosk add.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "cli/app.h"
#include "cli_run.h"
#include "cli/exit_codes.h"
#include "core/sha256.h"
#include "core/token.h"
#include "exchange_fixture.h"
#include "store/internal/testing.h"

namespace tryghed::cli {
namespace {

using store::internal::StoreTestAccess;

using testing::CliRun;

class ExchangeCliTest : public ::testing::Test, protected exchange::testing::ExchangeFixture {
 protected:
  void SetUp() override {
    Build(store::Backend::kSqlite);
    ASSERT_TRUE(db->error().empty()) << db->error();
  }

  CliRun Tryghed(std::vector<std::string> args) { return testing::RunTryghed(std::move(args), db->url()); }

  std::string Query(const std::string& sql) {
    auto rows = StoreTestAccess::QueryText(*store, sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() && !rows->empty() ? (*rows)[0] : "";
  }

  // Every byte of the database: the file and its write-ahead log.
  std::string DatabaseBytes() {
    std::string bytes;
    for (const char* suffix : {"", "-wal"}) {
      auto b = core::ReadFile(db->url() + suffix);
      if (b.ok()) bytes += *b;
    }
    return bytes;
  }
};

TEST_F(ExchangeCliTest, ImportReportsEveryBadCellAndExitsOne) {
  const std::string bad = WriteFile("bad.csv", "area,T1,B3\nGadehavegård,9,3\nCharlotteager,1,500\n");
  CliRun r = Tryghed({"import", bad, "--study", "Gadehavegård 2026", "--wave", "w1"});
  EXPECT_EQ(r.code, kExitInvalid) << r.err;
  EXPECT_NE(r.err.find(bad + ":2: column \"T1\": \"9\": T1: 9 is not a code of T1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad + ":3: column \"B3\": \"500\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 problems"), std::string::npos) << r.err;
  EXPECT_EQ(Query("SELECT COUNT(*) FROM response"), "0");

  const std::string good = WriteFile("good.csv", "area,T1,B3\nGadehavegård,2,3\nCharlotteager,1,50\n");
  r = Tryghed({"import", good, "--study", "Gadehavegård 2026", "--wave", "w1", "--dry-run"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("checked 2 rows"), std::string::npos) << r.out;
  EXPECT_EQ(Query("SELECT COUNT(*) FROM response"), "0");
  r = Tryghed({"import", good, "--study", "Gadehavegård 2026", "--wave", "w1"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("imported 2 responses"), std::string::npos) << r.out;
  r = Tryghed({"import", good, "--study", "Gadehavegård 2026", "--wave", "w1"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("already imported"), std::string::npos) << r.err;
  // A dry run says what the import would: this file is in the wave already.
  r = Tryghed({"import", good, "--study", "Gadehavegård 2026", "--wave", "w1", "--dry-run"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find(good + ": this file was already imported into wave 'w1'"), std::string::npos) << r.err;
  EXPECT_EQ(Query("SELECT COUNT(*) FROM response"), "2");
}

TEST_F(ExchangeCliTest, ExportWritesEveryFormat) {
  const std::string good = WriteFile("good.csv", "area,T1,B4\nGadehavegård,2,1.5\n");
  ASSERT_EQ(Tryghed({"import", good, "--study", "Gadehavegård 2026", "--wave", "w1"}).code, kExitOk);
  for (const std::string format : {"csv", "codebook", "sav", "dta", "xlsx"}) {
    const std::string out = db->dir() + (format == "codebook" ? "/codebook.csv" : "/out." + format);
    CliRun r = Tryghed({"export", "--study", "Gadehavegård 2026", "--format", format, "--out", out});
    ASSERT_EQ(r.code, kExitOk) << format << ": " << r.err;
    EXPECT_TRUE(std::filesystem::file_size(out) > 0) << format;
  }
  auto csv = core::ReadFile(db->dir() + "/out.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->substr(0, csv->find('\n')).substr(0, 50), "wave,area,channel,received_on,language,completenes");
  EXPECT_NE(csv->find("w1,Gadehavegård,import,2025-09-01,da,complete,2,"), std::string::npos) << *csv;
  EXPECT_TRUE(std::filesystem::exists(db->dir() + "/codebook.json"));
}

TEST_F(ExchangeCliTest, InviteStoresOnlyHashesAndWritesTheTokensOnce) {
  const std::string out = db->dir() + "/letters.csv";
  CliRun r = Tryghed({"invite", "--study", "Gadehavegård 2026", "--wave", "w1", "--area", "Gadehavegård", "--count",
                      "25", "--out", out, "--base-url", "https://tryg.example.dk/"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  auto text = core::ReadFile(out);
  ASSERT_TRUE(text.ok());
  std::istringstream lines(*text);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "token,link");
  std::vector<std::string> tokens, hashes;
  while (std::getline(lines, line)) {
    const std::string token = line.substr(0, line.find(','));
    EXPECT_TRUE(core::IsToken(token)) << line;
    EXPECT_EQ(line, token + ",https://tryg.example.dk/s/" + token);
    tokens.push_back(token);
    hashes.push_back(core::Sha256Hex(token));
  }
  ASSERT_EQ(tokens.size(), 25u);
  EXPECT_EQ(std::set<std::string>(tokens.begin(), tokens.end()).size(), 25u);
  auto stored = StoreTestAccess::QueryText(*store, "SELECT token_hash FROM invitation ORDER BY token_hash");
  ASSERT_TRUE(stored.ok());
  std::sort(hashes.begin(), hashes.end());
  EXPECT_EQ(*stored, hashes);
  const std::string bytes = DatabaseBytes();
  ASSERT_GT(bytes.size(), 0u);
  for (const std::string& t : tokens) EXPECT_EQ(bytes.find(t), std::string::npos) << "token " << t << " is in the database";
  // Refuses to overwrite, and stores nothing then.
  r = Tryghed({"invite", "--study", "Gadehavegård 2026", "--wave", "w1", "--area", "Gadehavegård", "--count", "5",
               "--out", out});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM invitation"), "25");
}

TEST_F(ExchangeCliTest, KioskAddPrintsTheSecretOnceAndStoresItsHash) {
  CliRun r = Tryghed({"kiosk", "add", "--name", "beboerhus-1", "--area", "Gadehavegård", "--study",
                      "Gadehavegård 2026"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  const std::size_t at = r.out.find("set-up secret: ");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string secret = r.out.substr(at + 15, core::kTokenLength);
  EXPECT_TRUE(core::IsToken(secret)) << r.out;
  EXPECT_TRUE(store->AuthenticateKiosk("beboerhus-1", secret).ok());
  EXPECT_EQ(DatabaseBytes().find(secret), std::string::npos);
  EXPECT_EQ(Tryghed({"kiosk", "add", "--name", "beboerhus-1"}).code, kExitUsage);
}

TEST_F(ExchangeCliTest, BackupAndRestoreVerbs) {
  const std::string good = WriteFile("good.csv", "area,T1\nGadehavegård,2\nCharlotteager,3\n");
  ASSERT_EQ(Tryghed({"import", good, "--study", "Gadehavegård 2026", "--wave", "w1"}).code, kExitOk);
  const std::string backup = db->dir() + "/backup.db";
  CliRun r = Tryghed({"backup", backup});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  std::ostringstream out, err;
  const std::string target = db->dir() + "/restored.db";
  ASSERT_EQ(Main({"tryghed", "restore", backup, "--db", target}, out, err), kExitOk) << err.str();
  EXPECT_EQ(Main({"tryghed", "restore", backup, "--db", target}, out, err), kExitUsage);
  EXPECT_NE(err.str().find("--force"), std::string::npos) << err.str();
  auto restored = store::Store::Open(target);
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ((*restored)->CountResponses(wave1).value(), 2);
}

// Starts `tryghed ARGS` as its own process with stdout/stderr to /dev/null.
pid_t Spawn(const std::vector<std::string>& args) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::FILE* null = std::fopen("/dev/null", "w");
    if (null != nullptr) {
      ::dup2(::fileno(null), 1);
      ::dup2(::fileno(null), 2);
    }
    ::execv(TRYGHED_BINARY, argv.data());
    ::_exit(127);
  }
  return pid;
}

TEST_F(ExchangeCliTest, KillingALargeImportLeavesAllOrNothing) {
  // 20,000 rows, each valid.
  constexpr int kRows = 20000;
  std::string csv = "area,received_on,T1,T2,T3,P1,P2,P3,V1,V2,L1,N1,N2,N3,B1,B3,B4\n";
  for (int i = 0; i < kRows; ++i) {
    csv += (i % 3 ? "Gadehavegård" : "Charlotteager");
    csv += ",2025-09-0" + std::to_string(1 + i % 9) + "," + std::to_string(1 + i % 4) + "," +
           std::to_string(1 + (i / 4) % 4) + ",2,3,1,2,2,2,4,3,2,5," + std::to_string(1 + i % 2) + "," +
           std::to_string(i % 60) + "," + std::to_string(i % 7) + ".5\n";
  }
  const std::string path = WriteFile("large.csv", csv);
  store.reset();  // the child must not wait for this process's connections
  // Kill after various delays: before, during and after the write transaction.
  int whole = 0, nothing = 0, killed_writing = 0;
  auto wal_size = [&] {
    std::error_code ec;
    const auto n = std::filesystem::file_size(db->url() + "-wal", ec);
    return ec ? std::uintmax_t{0} : n;
  };
  for (int delay_ms : {50, 1000, 3000, 8000, 300000}) {
    const std::string label = "kill-" + std::to_string(delay_ms);
    {
      auto s = store::Store::Open(db->url());
      ASSERT_TRUE(s.ok());
      ASSERT_TRUE((*s)->CreateWave(study_id, label, "2025-09-01", "", qv_id).ok());
    }
    const std::uintmax_t wal_before = wal_size();
    const pid_t pid = Spawn({"tryghed", "import", path, "--study", "Gadehavegård 2026", "--wave", label, "--db",
                             db->url()});
    ASSERT_GT(pid, 0);
    int status = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms);
    bool exited = false;
    while (std::chrono::steady_clock::now() < until) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!exited) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      // Pages spilled to the write-ahead log: it died inside the write transaction.
      if (wal_size() > wal_before) ++killed_writing;
    }
    auto s = store::Store::Open(db->url());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    auto check = StoreTestAccess::QueryText(**s, "PRAGMA integrity_check");
    ASSERT_TRUE(check.ok());
    EXPECT_EQ(*check, std::vector<std::string>{"ok"});
    auto wave = (*s)->FindWave(study_id, label);
    ASSERT_TRUE(wave.ok());
    const std::int64_t n = (*s)->CountResponses(wave->id).value();
    auto batches = StoreTestAccess::QueryText(
        **s, "SELECT COUNT(*) FROM import_batch WHERE wave_id = " + std::to_string(wave->id));
    ASSERT_TRUE(batches.ok());
    auto answers = StoreTestAccess::QueryText(
        **s, "SELECT COUNT(*) FROM answer a JOIN response r ON r.id = a.response_id WHERE r.wave_id = " +
                 std::to_string(wave->id));
    ASSERT_TRUE(answers.ok());
    if (n == 0) {
      ++nothing;
      EXPECT_EQ((*batches)[0], "0");
      EXPECT_EQ((*answers)[0], "0");
    } else {
      ++whole;
      EXPECT_EQ(n, kRows) << "after " << delay_ms << " ms: a partial import";
      EXPECT_EQ((*batches)[0], "1");
      EXPECT_EQ((*answers)[0], std::to_string(kRows * 15));
    }
  }
  // The last run had a minute: it finished.
  EXPECT_GE(whole, 1);
  std::cout << "kill test: " << whole << " runs complete, " << nothing << " runs left nothing (" << killed_writing
            << " killed while writing)\n";
}

}  // namespace
}  // namespace tryghed::cli
