#include "core/file.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace tryghed::core {
namespace {

TEST(ReadFileTest, ReadsBytesExactly) {
  const auto path = std::filesystem::temp_directory_path() / "tryghed_file_test.bin";
  const std::string bytes("a\0b\r\næøå", 10);
  { std::ofstream(path, std::ios::binary) << bytes; }
  auto r = ReadFile(path.string());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, bytes);
  std::filesystem::remove(path);
}

TEST(ReadFileTest, MissingFileNamesThePath) {
  auto r = ReadFile("/nonexistent/dir/q.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent/dir/q.json"), std::string::npos);
}

TEST(ReadFileTest, DirectoryIsRejected) {
  auto r = ReadFile(std::filesystem::temp_directory_path().string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput);
}

// A fresh, empty directory for one test.
std::filesystem::path FreshDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("tryghed_file_test_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

TEST(WriteFileAtomicallyTest, ReplacesTheFileAndLeavesNoTemporary) {
  const auto dir = FreshDir("atomic");
  const std::string path = (dir / "report.html").string();
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "new content").ok());
  EXPECT_EQ(*ReadFile(path), "new content");
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  EXPECT_EQ(files, 1) << "the temporary file beside the target was left behind";
  std::filesystem::remove_all(dir);
}

TEST(WriteFileAtomicallyTest, MissingDirectoryIsUnavailableAndNamesThePath) {
  const Status s = WriteFileAtomically("/nonexistent/dir/report.html", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("/nonexistent/dir/report.html"), std::string::npos);
}

TEST(WriteTempBesideTest, TemporaryIsHiddenBesideTheTargetUntilLinked) {
  const auto dir = FreshDir("temp");
  const std::string path = (dir / "tokens.csv").string();
  Result<std::string> tmp = WriteTempBeside(path, "token,link\n");
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();
  EXPECT_EQ(std::filesystem::path(*tmp).parent_path(), dir);
  EXPECT_EQ(std::filesystem::path(*tmp).filename().string().rfind(".tokens.csv.tmp-", 0), 0u) << *tmp;
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(*ReadFile(*tmp), "token,link\n");
  const auto perms = std::filesystem::status(*tmp).permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none)
      << "token files must be readable by their owner only";
  std::filesystem::remove_all(dir);
}

TEST(DirectoryOfTest, BareNameIsTheCurrentDirectory) {
  EXPECT_EQ(DirectoryOf("report.html"), ".");
  EXPECT_EQ(DirectoryOf("out/report.html"), "out");
}

}  // namespace
}  // namespace tryghed::core
