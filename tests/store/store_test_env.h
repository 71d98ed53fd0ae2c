#pragma once
// Test helpers for tests/store: a fresh database per test on SQLite (a file in
// a new temporary directory) or PostgreSQL (a new schema in the database named
// by $TRYGHED_TEST_PG, dropped afterwards).
//
// PostgreSQL cases skip when TRYGHED_TEST_PG is not set, except when $CI is
// set: then they fail, so CI can never skip them silently. Run them locally
// with tests/scripts/with-postgres.sh ctest --test-dir build/dev -R store.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.h"

namespace tryghed::store::testing {

// A database for one test. Construct, check ok()/skip_reason(), use url().
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // What Store::Open takes: a SQLite path or a postgresql:// URL.
  const std::string& url() const { return url_; }
  // Non-empty when the database could not be prepared; says why.
  const std::string& error() const { return error_; }
  // True when PostgreSQL is not configured and the case should be skipped.
  bool skip() const { return skip_; }
  // A directory of its own for files the test writes (SQLite: holds the db).
  const std::string& dir() const { return dir_; }
  // Runs `sql` (one or more statements separated by ';') on the database
  // directly, without the store (sqlite3_exec, libpq's PQexec), for building
  // a database as an older tryghed left it. Empty on success, else the error.
  std::string ExecuteScript(const std::string& sql) const;

 private:
  Backend backend_;
  std::string url_;
  std::string error_;
  std::string dir_;
  std::string schema_;
  std::string admin_url_;
  bool skip_ = false;
};

// "SQLite" / "PostgreSQL", for test names.
std::string BackendName(Backend backend);

// The fixture every backend-parameterised store suite derives from: SetUp
// makes a fresh database of the parameter's backend and opens `store_` on it
// (or skips); TearDown closes the store before the database is dropped.
// Derived fixtures that add their own SetUp call BackendTest::SetUp() first
// and return when IsSkipped() or HasFatalFailure().
//
//   class FormsStoreTest : public testing::BackendTest {};
//   TEST_P(FormsStoreTest, ...) { store_->CreateStudy(...); }
//   INSTANTIATE_TEST_SUITE_P(Backends, FormsStoreTest,
//                            ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendParamName);
class BackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    if (db_->skip()) GTEST_SKIP() << db_->error();
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto s = Store::Open(db_->url());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

// The test-name suffix of a backend parameter ("SQLite", "PostgreSQL").
inline std::string BackendParamName(const ::testing::TestParamInfo<Backend>& info) {
  return BackendName(info.param);
}

}  // namespace tryghed::store::testing
