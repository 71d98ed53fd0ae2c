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

}  // namespace
}  // namespace tryghed::core
