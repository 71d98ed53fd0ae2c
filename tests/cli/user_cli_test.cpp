// `tryghed user add|list|disable|enable` end to end on a temporary SQLite
// file: `user add` runs as the program itself with the password on standard
// input (a file, as a pipe would give it); the other verbs run in process.
// The store is checked afterwards.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/exit_codes.h"
#include "cli_run.h"
#include "core/password.h"
#include "store/store.h"

extern char** environ;

namespace tryghed::cli {
namespace {

using testing::CliRun;
using testing::RunTryghed;

class UserCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tryghed-user-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "t.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs the program with `args` (after "tryghed") and `input` as standard input.
  CliRun Tryghed(std::vector<std::string> args, const std::string& input = "") {
    const std::string in = (dir_ / "stdin").string(), out = (dir_ / "stdout").string(),
                      err = (dir_ / "stderr").string();
    std::ofstream(in, std::ios::binary) << input;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    args.insert(args.begin(), TRYGHED_BINARY);
    args.push_back("--db");
    args.push_back(db_);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    CliRun r;
    EXPECT_EQ(posix_spawn(&pid, TRYGHED_BINARY, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    EXPECT_EQ(::waitpid(pid, &status, 0), pid);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::stringstream o, e;
    o << std::ifstream(out).rdbuf();
    e << std::ifstream(err).rdbuf();
    r.out = o.str();
    r.err = e.str();
    return r;
  }

  std::filesystem::path dir_;
  std::string db_;
};

TEST_F(UserCliTest, AddsAUserWithAnArgon2idHashOfThePasswordOnStandardInput) {
  CliRun add = Tryghed({"user", "add", "anna", "--role", "evaluator"}, "korrekt hest batteri\n");
  ASSERT_EQ(add.code, kExitOk) << add.err;
  EXPECT_EQ(add.out, "added user anna (evaluator)\n");
  auto db = store::Store::Open(db_);
  ASSERT_TRUE(db.ok());
  auto anna = (*db)->FindUser("anna");
  ASSERT_TRUE(anna.ok()) << anna.status().ToString();
  EXPECT_EQ(anna->role, store::UserRole::kEvaluator);
  EXPECT_EQ(anna->password_hash.rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0), 0u) << anna->password_hash;
  EXPECT_TRUE(core::VerifyPassword(anna->password_hash, "korrekt hest batteri"));  // without the newline
  EXPECT_EQ(anna->password_hash.find("korrekt"), std::string::npos);
  // The audit log names who ran it.
  auto log = (*db)->ReadAuditLog(1);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().action, "user.create");
}

TEST_F(UserCliTest, RefusesShortPasswordsTakenNamesAndUnknownRoles) {
  CliRun shorter = Tryghed({"user", "add", "anna", "--role", "admin"}, "elleve tegn\n");  // 11 characters
  EXPECT_EQ(shorter.code, kExitUsage);
  EXPECT_NE(shorter.err.find("at least 12 characters"), std::string::npos) << shorter.err;
  // Twelve characters, some of them two bytes in UTF-8, are enough.
  EXPECT_EQ(Tryghed({"user", "add", "anna", "--role", "admin"}, "æøåæøåæøåæøå\n").code, kExitOk);
  CliRun taken = Tryghed({"user", "add", "anna", "--role", "reader"}, "korrekt hest batteri\n");
  EXPECT_EQ(taken.code, kExitUsage);
  EXPECT_NE(taken.err.find("already exists"), std::string::npos) << taken.err;
  EXPECT_NE(Tryghed({"user", "add", "bo", "--role", "root"}, "korrekt hest batteri\n").code, kExitOk);
  CliRun empty = Tryghed({"user", "add", "bo", "--role", "reader"}, "");
  EXPECT_EQ(empty.code, kExitUsage);
  CliRun latin1 = Tryghed({"user", "add", "bo", "--role", "reader"}, "bl\xe5" "b\xe6" "rgr\xf8" "d123\n");
  EXPECT_EQ(latin1.code, kExitUsage);
  EXPECT_NE(latin1.err.find("not UTF-8"), std::string::npos) << latin1.err;
  auto db = store::Store::Open(db_);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->ListUsers()->size(), 1u);
}

TEST_F(UserCliTest, ListsAndDisablesUsers) {
  ASSERT_EQ(Tryghed({"user", "add", "anna", "--role", "admin"}, "korrekt hest batteri\n").code, kExitOk);
  ASSERT_EQ(Tryghed({"user", "add", "bo", "--role", "reader"}, "korrekt hest batteri\n").code, kExitOk);
  CliRun disable = RunTryghed({"user", "disable", "bo"}, db_);
  ASSERT_EQ(disable.code, kExitOk) << disable.err;
  CliRun list = RunTryghed({"user", "list"}, db_);
  ASSERT_EQ(list.code, kExitOk) << list.err;
  std::istringstream lines(list.out);
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(header, "name\trole\tcreated\tstatus");
  EXPECT_EQ(first.substr(0, 11), "anna\tadmin\t");
  EXPECT_EQ(first.substr(first.rfind('\t')), "\tactive");
  EXPECT_EQ(second.substr(0, 10), "bo\treader\t");
  EXPECT_EQ(second.substr(second.rfind('\t')), "\tdisabled");
  EXPECT_EQ(RunTryghed({"user", "enable", "bo"}, db_).code, kExitOk);
  EXPECT_EQ(RunTryghed({"user", "disable", "nobody"}, db_).code, kExitUsage);
  CliRun help = RunTryghed({"user", "add", "--help"});
  EXPECT_NE(help.out.find("Example"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace tryghed::cli
