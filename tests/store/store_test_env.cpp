#include "store_test_env.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>

namespace tryghed::store::testing {

namespace {

std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" + std::to_string(rd() % 100000);
}

// Runs one statement on a fresh libpq connection; empty on success.
std::string PgExec(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQerrorMessage(conn);
    PQclear(r);
  }
  PQfinish(conn);
  return error;
}

}  // namespace

std::string BackendName(Backend backend) { return backend == Backend::kSqlite ? "SQLite" : "PostgreSQL"; }

TestDatabase::TestDatabase(Backend backend) : backend_(backend) {
  const auto dir = std::filesystem::temp_directory_path() / ("tryghed_store_" + UniqueSuffix());
  std::filesystem::create_directories(dir);
  dir_ = dir.string();
  if (backend == Backend::kSqlite) {
    url_ = (dir / "tryghed.db").string();
    return;
  }
  const char* pg = std::getenv("TRYGHED_TEST_PG");
  if (pg == nullptr || *pg == '\0') {
    const char* ci = std::getenv("CI");
    if (ci != nullptr && *ci != '\0') {
      error_ = "CI is set but TRYGHED_TEST_PG is not: the PostgreSQL store tests must run in CI "
               "(wrap the test command in tests/scripts/with-postgres.sh)";
    } else {
      skip_ = true;
      error_ = "TRYGHED_TEST_PG is not set; run under tests/scripts/with-postgres.sh to test PostgreSQL";
    }
    return;
  }
  admin_url_ = pg;
  schema_ = "t_" + UniqueSuffix();
  const std::string err = PgExec(admin_url_, "CREATE SCHEMA " + schema_);
  if (!err.empty()) {
    error_ = "cannot create a test schema in TRYGHED_TEST_PG: " + err;
    return;
  }
  url_ = admin_url_ + (admin_url_.find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema_;
}

std::string TestDatabase::ExecuteScript(const std::string& sql) const {
  if (backend_ == Backend::kPostgres) return PgExec(url_, sql);
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open(url_.c_str(), &db) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
  } else {
    char* message = nullptr;
    if (sqlite3_exec(db, ("PRAGMA foreign_keys=ON;" + sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      error = message != nullptr ? message : "sqlite3_exec failed";
    }
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return error;
}

TestDatabase::~TestDatabase() {
  if (!schema_.empty()) (void)PgExec(admin_url_, "SET client_min_messages TO warning; DROP SCHEMA " + schema_ + " CASCADE");
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace tryghed::store::testing
