#pragma once
// tryghed::cli — which database a verb works on, chosen the same way by every
// verb that takes --db:
//
//   1. --db NAME                      (a SQLite file or a postgresql:// URL)
//   2. store.db in the --config FILE  (the properties file `tryghed serve
//                                      --config` reads, docs/web.md)
//   3. $TRYGHED_DB
//   4. tryghed.db in the working folder
//
// So an operator who runs the server from /etc/tryghed/serve.properties runs
// `tryghed export --config /etc/tryghed/serve.properties ...` against the same
// database, without the PostgreSQL password on the command line or in the
// environment. A --config file is read in full and checked like serve's: an
// unknown setting or an unreadable file is an error, not a silent fallback.
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "core/status.h"
#include "store/store.h"

namespace tryghed::cli {

// A verb's --db and --config values (empty when not given).
struct DatabaseOptions {
  std::string db;
  std::string config;
};

// Adds --db and --config to `verb`, storing into `*options` (which must
// outlive the verb's callback).
void AddDatabaseOptions(CLI::App* verb, DatabaseOptions* options);

// The database named by `options` by the rule above. Fails (kNotFound /
// kInvalidInput, the file named) when --config cannot be read or is invalid.
core::Result<std::string> ResolveDatabase(const DatabaseOptions& options);

// The same rule once the --config file (if any) has been read, for a verb
// that reads the file itself (serve): `db` is --db and `configured` the
// file's store.db, each empty when not given. Never empty.
std::string ResolveDatabase(const std::string& db, const std::string& configured);

// Opens the database named by `options` for a verb run by a person: the
// login name ($USER, else "tryghed") is the audit log's actor, and the pool
// keeps at most `max_sessions` sessions.
core::Result<std::unique_ptr<store::Store>> OpenStoreForVerb(const DatabaseOptions& options, int max_sessions = 2);

}  // namespace tryghed::cli
