#include "cli/database.h"

#include <cstdlib>

#include "web/server.h"

namespace tryghed::cli {

void AddDatabaseOptions(CLI::App* verb, DatabaseOptions* options) {
  verb->add_option("--db", options->db,
                   "Database: a SQLite file (created when missing) or a postgresql:// URL; default store.db "
                   "of --config, else $TRYGHED_DB, else tryghed.db");
  verb->add_option("--config", options->config,
                   "Properties file (as for `tryghed serve --config`) whose store.db names the database");
}

std::string ResolveDatabase(const std::string& db, const std::string& configured) {
  if (!db.empty()) return db;
  if (!configured.empty()) return configured;
  return store::Store::DefaultDatabase();
}

core::Result<std::string> ResolveDatabase(const DatabaseOptions& options) {
  if (!options.db.empty()) return options.db;
  std::string configured;
  if (!options.config.empty()) {
    core::Result<web::ServeSettings> settings = web::LoadServeSettings(options.config);
    if (!settings.ok()) return settings.status();
    configured = settings->db;
  }
  return ResolveDatabase(options.db, configured);
}

core::Result<std::unique_ptr<store::Store>> OpenStoreForVerb(const DatabaseOptions& options, int max_sessions) {
  core::Result<std::string> name = ResolveDatabase(options);
  if (!name.ok()) return name.status();
  store::OpenOptions open;
  const char* user = std::getenv("USER");
  open.actor = user != nullptr && *user != '\0' ? std::string(user) : std::string("tryghed");
  open.max_sessions = max_sessions;
  return store::Store::Open(*name, open);
}

}  // namespace tryghed::cli
