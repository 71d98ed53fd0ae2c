#pragma once
// tryghed::store internal — the one place where SQLite and PostgreSQL differ.
//
// Every other SQL string in the store runs unchanged on both: placeholders are
// written $1, $2, … in ascending order, each used once (SQLite binds `$N`
// parameters in order of appearance, PostgreSQL by number), values are plain
// TEXT / BIGINT / DOUBLE PRECISION, dates are 'YYYY-MM-DD' text, new ids come
// back through INSERT … RETURNING id (SQLite >= 3.35). What cannot be written
// the same way is listed here; docs/store.md shows this table.
#include <string>
#include <vector>

#include "store/store.h"

namespace tryghed::store::internal {

struct Dialect {
  Backend backend;
  // Poco::Data connector name.
  const char* connector;
  // Column definition of an auto-assigned, never reused 64-bit primary key.
  const char* id_column;
  // Starts a read-write transaction. SQLite: take the write lock up front
  // (BEGIN IMMEDIATE), so the busy timeout applies and no deadlock between two
  // readers upgrading to writers can occur.
  const char* begin;
  // Run first inside the migration transaction so that two programs opening
  // one database at once migrate it one after the other.
  const char* migration_lock;
  // Statements run on every new session (durability and error behaviour).
  // `%BUSY%` is replaced by the busy timeout in milliseconds.
  std::vector<std::string> session_setup;
  // Lists a table's column names in order; $1 = table name.
  const char* list_columns;
  // Returns COUNT(*) > 0 when a table exists; $1 = table name.
  const char* table_exists;
};

// The dialect of `backend`.
const Dialect& DialectFor(Backend backend);

// The statements of schema migration `version` (1 .. CurrentSchemaVersion())
// for `dialect`, in order. `{ID}` is already replaced by the dialect's id column.
std::vector<std::string> MigrationStatements(int version, const Dialect& dialect);

// The statement that creates the version table (idempotent).
const char* VersionTableStatement();

}  // namespace tryghed::store::internal
