// tryghed serve — the resident survey form (web/server.h, docs/web.md).
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/database.h"
#include "cli/exit_codes.h"
#include "core/sha256.h"
#include "core/token.h"
#include "store/store.h"
#include "web/server.h"

namespace tryghed::cli {

namespace {

struct ServeCommandOptions {
  std::string db;
  std::string host;
  int port = 8080;
  std::string config;
  int print_links = 0;
  std::string study;
  std::string public_url;
  CLI::Option* host_option = nullptr;
  CLI::Option* port_option = nullptr;
  CLI::Option* db_option = nullptr;
};

// The study to print links for: --study, else the first with an open wave.
core::Result<std::pair<store::Wave, store::Area>> LinkTarget(store::Store& db, const std::string& study_name) {
  core::Result<std::vector<store::Study>> studies = db.ListStudies();
  if (!studies.ok()) return studies.status();
  for (const store::Study& study : *studies) {
    if (!study_name.empty() && study.name != study_name) continue;
    core::Result<std::vector<store::Wave>> waves = db.ListWaves(study.id);
    if (!waves.ok()) return waves.status();
    core::Result<std::vector<store::Area>> areas = db.ListAreas(study.id);
    if (!areas.ok()) return areas.status();
    for (auto w = waves->rbegin(); w != waves->rend(); ++w) {
      if (w->status != store::WaveStatus::kOpen) continue;
      for (const store::Area& a : *areas) {
        if (a.role == store::AreaRole::kPilot) return std::make_pair(*w, a);
      }
      if (!areas->empty()) return std::make_pair(*w, areas->front());
    }
  }
  return core::NotFound(study_name.empty() ? std::string("no study has an open wave with an area")
                                           : "study '" + study_name + "' has no open wave with an area");
}

// Fresh invitations, a kiosk and the open link of the target, printed as links.
core::Status PrintLinks(store::Store& db, const ServeCommandOptions& o, const std::string& base, const Io& io) {
  auto target = LinkTarget(db, o.study);
  if (!target.ok()) return target.status();
  const auto& [wave, area] = *target;
  std::vector<std::string> tokens, hashes;
  for (int i = 0; i < o.print_links; ++i) {
    core::Result<std::string> t = core::NewToken();
    if (!t.ok()) return t.status();
    tokens.push_back(*t);
    hashes.push_back(core::Sha256Hex(*t));
  }
  TRYGHED_RETURN_IF_ERROR(db.AddInvitations(wave.id, area.id, hashes));
  core::Result<std::string> secret = core::NewToken();
  core::Result<std::string> suffix = core::NewToken(6);
  if (!secret.ok() || !suffix.ok()) return core::Unavailable("the system's random source failed");
  core::Result<store::Id> kiosk = db.RegisterKiosk("kiosk " + area.name + " " + *suffix, area.id, *secret);
  if (!kiosk.ok()) return kiosk.status();
  core::Result<std::string> open = db.OpenLinkCode(wave.id, area.id);
  if (!open.ok()) return open.status();
  io.out << "Wave \"" << wave.label << "\", area \"" << area.name << "\":\n";
  io.out << "  kiosk set-up (open once on the tablet): " << base << "/k/" << *kiosk << "/setup?secret=" << *secret
         << "\n";
  for (const std::string& t : tokens) io.out << "  invitation link: " << base << "/s/" << t << "\n";
  io.out << "  open link: " << base << "/o/" << *open << "\n";
  return core::Status::Ok();
}

int RunServe(const ServeCommandOptions& o, const Io& io) {
  web::ServeSettings settings;
  if (!o.config.empty()) {
    core::Result<web::ServeSettings> loaded = web::LoadServeSettings(o.config);
    if (!loaded.ok()) return ReportFailure(io, loaded.status(), "tryghed serve");
    settings = std::move(loaded).value();
  }
  // The database by the rule every verb follows (cli/database.h), the file's
  // store.db already read above.
  const std::string db_name = ResolveDatabase(o.db_option->count() > 0 ? o.db : std::string(), settings.db);
  if (o.host_option->count() > 0) settings.server.host = o.host;
  if (o.port_option->count() > 0) settings.server.port = o.port;
  if (o.print_links < 0 || o.print_links > 1000) {
    return ReportFailure(io, core::InvalidArgument("--print-links takes 0 to 1000"), "tryghed serve");
  }

  auto db = store::Store::Open(db_name);
  if (!db.ok()) return ReportFailure(io, db.status(), "tryghed serve");
  // Signals go to the waiting main thread only, so a SIGTERM never kills a
  // request thread halfway: block them before any server thread starts.
  web::BlockTerminationSignals();
  auto server = web::Server::Start(**db, settings.server);
  if (!server.ok()) return ReportFailure(io, server.status(), "tryghed serve");
  const std::string base = o.public_url.empty()
                               ? "http://" + settings.server.host + ":" + std::to_string((*server)->port())
                               : o.public_url;
  io.out << "Serving the resident form from " << db_name << " on " << base << " (Ctrl-C stops)\n";
  if (o.print_links > 0) {
    core::Status st = PrintLinks(**db, o, base, io);
    if (!st.ok()) {
      (*server)->Stop();
      return ReportFailure(io, st, "tryghed serve");
    }
  }
  io.out << "  admin: " << base << "/admin\n";
  io.out.flush();
  web::WaitForTerminationSignal();
  io.out << "Stopping: finishing the requests in flight\n";
  (*server)->Stop();
  return kExitOk;
}

}  // namespace

void AddServeCommands(CLI::App& app, const Io& io) {
  auto o = std::make_shared<ServeCommandOptions>();
  CLI::App* serve = app.add_subcommand("serve", "Serve the resident survey form (link, kiosk and open modes)");
  o->db_option = serve->add_option("--db", o->db,
                                   "Database: a SQLite file or a postgresql:// URL; default store.db of --config, "
                                   "else $TRYGHED_DB, else tryghed.db");
  o->port_option = serve->add_option("--port", o->port, "TCP port (0: any free port)")->capture_default_str();
  o->host = "127.0.0.1";
  o->host_option = serve->add_option("--host", o->host, "Address to listen on")->capture_default_str();
  serve->add_option("--config", o->config, "Properties file with settings (docs/web.md); flags override it");
  serve->add_option("--print-links", o->print_links,
                    "Create N fresh invitations, a kiosk and the open link for the open wave and print them");
  serve->add_option("--study", o->study, "Study whose open wave --print-links uses (default: the first with one)");
  serve->add_option("--public-url", o->public_url,
                    "Address residents reach the server at, for printed links (default http://HOST:PORT)");
  serve->footer(
      "Stops on SIGTERM or Ctrl-C after finishing the requests in flight. Routes, settings and\n"
      "privacy rules: docs/web.md.\n\n"
      "Example:\n  tryghed serve --db demo.db --port 8080 --print-links 3");
  serve->callback([o, io] { Finish(RunServe(*o, io)); });
}

}  // namespace tryghed::cli
