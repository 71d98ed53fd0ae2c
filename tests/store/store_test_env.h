#pragma once
// Test helpers for tests/store: a fresh database per test on SQLite (a file in
// a new temporary directory) or PostgreSQL (a new schema in the database named
// by $TRYGHED_TEST_PG, dropped afterwards).
//
// PostgreSQL cases skip when TRYGHED_TEST_PG is not set, except when $CI is
// set: then they fail, so CI can never skip them silently. Run them locally
// with tests/scripts/with-postgres.sh ctest --test-dir build/dev -R store.
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

}  // namespace tryghed::store::testing
