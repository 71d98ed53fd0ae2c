#pragma once
// tryghed::web — the resident survey form over HTTP (`tryghed serve`).
//
// A Server answers, on one host and port:
//   /s/<token>                  link mode: one invitation's survey (drafts kept
//                               server-side until submitted)
//   /k/<kiosk-id>               kiosk mode: a registered tablet (its secret is
//                               a cookie set once by /k/<id>/setup?secret=...)
//   /o/<code>                   the open link of a wave and area (channel open)
//   /admin                      the admin site (internal/admin*.cpp): sign-in
//                               and the pages below, by role (reader <
//                               evaluator < admin):
//     GET  /admin/login, POST /admin/login, POST /admin/logout     anyone / signed in
//     GET  /admin                                studies (readers: list only)
//     POST /admin/study                          create a study          evaluator
//     GET  /admin/study/<id>                     areas, waves, kiosks    evaluator
//     POST /admin/study/<id>/area | margins | wave | kiosk              evaluator
//     POST /admin/study/<id>/wave/<w>/open | close                      evaluator
//     POST /admin/study/<id>/kiosk/<k>/revoke                           evaluator
//     GET  /admin/study/<id>/wave/<w>            live view, invitations  evaluator
//     POST /admin/study/<id>/wave/<w>/invitations | dispositions        evaluator
//     POST /admin/study/<id>/evaluate                                   evaluator
//     GET  /admin/study/<id>/report[/html | /pdf]                       reader
//     GET  /admin/study/<id>/export/csv | sav | dta | xlsx              evaluator
//     GET  /admin/audit, /admin/users                                   admin
//   /static/form.css, /static/chart.css, /healthz
// Pages are server-rendered HTML that work without JavaScript; every POST
// carries a CSRF token (the resident form's also the form instance's key,
// the idempotency key of its submission). docs/web.md lists every route, header and decision.
//
// Example:
//
//   auto db = store::Store::Open("tryghed.db");
//   web::ServerOptions options;
//   options.port = 0;                                  // any free port
//   auto server = web::Server::Start(**db, options);
//   if (!server.ok()) return server.status();
//   std::cout << "http://127.0.0.1:" << (*server)->port() << "/healthz\n";
//   ...
//   (*server)->Stop();                                 // finishes requests in flight
//
// Privacy: nothing about a client (address, user agent, token, time finer
// than the day) is stored with an answer or written to a log; the rate
// limiter keeps only keyed hashes of addresses, in memory, for one minute.
//
// Thread safety: Start/Stop from one thread; requests are served on the
// server's own threads. The Store must outlive the Server.
#include <cstddef>
#include <memory>
#include <string>

#include "core/status.h"
#include "store/store.h"

namespace tryghed::web {

// Everything `tryghed serve` can set. Properties-file keys in brackets
// (docs/web.md); flags of the verb override the file.
struct ServerOptions {
  std::string host = "127.0.0.1";      // [server.host]
  int port = 8080;                     // [server.port]; 0 = any free port
  int threads = 64;                    // [server.threads] request threads
  int max_queued = 256;                // [server.max_queued] connections waiting for a thread
  // [server.max_connections_per_client] connections one client address may
  // hold at once (0 = no cap; set 0 behind a reverse proxy, where every
  // connection comes from the proxy). Keeps slow clients from holding every
  // thread; keep it well below `threads`.
  int max_connections_per_client = 16;
  int shutdown_grace_seconds = 10;     // [server.shutdown_grace_seconds]
  std::size_t max_body_bytes = 65536;  // [form.max_body_bytes] larger POST bodies get 413
  int form_ttl_minutes = 120;          // [form.ttl_minutes] idle link/open forms leave memory
  int max_forms = 20000;               // [form.max_forms] forms held in memory at once
  int kiosk_idle_seconds = 300;        // [kiosk.idle_seconds] a half-filled kiosk form is cleared
  int kiosk_min_interval_seconds = 20; // [kiosk.min_interval_seconds] between two kiosk submissions
  int kiosk_thanks_seconds = 8;        // [kiosk.thanks_seconds] thank-you screen before the start
  int rate_limit_per_minute = 600;     // [rate_limit.per_minute] per client; 0 = off
  bool secure_cookies = false;         // [cookies.secure] add Secure (behind HTTPS)
  int admin_idle_seconds = 30 * 60;    // [admin.idle_minutes] × 60: an admin session unused this long ends
  int admin_max_seconds = 12 * 3600;   // [admin.max_hours] × 3600: an admin session ends this long after sign-in
};

// What a properties file gives `tryghed serve`: the database [store.db] and
// the server options.
struct ServeSettings {
  std::string db;
  ServerOptions server;
};

// Reads `path` (Java-style properties: key = value, # comments) over `base`.
// InvalidInput naming the file and key for a value of the wrong kind or an
// unknown key; NotFound when the file cannot be read.
core::Result<ServeSettings> LoadServeSettings(const std::string& path, ServeSettings base = {});

class Server {
 public:
  // Binds host:port and starts serving. Unavailable when the address cannot
  // be bound; InvalidArgument for an option out of range.
  static core::Result<std::unique_ptr<Server>> Start(store::Store& db, const ServerOptions& options);
  // Stops (see Stop()).
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port actually bound (useful with port 0).
  int port() const;
  // Stops accepting connections and waits up to shutdown_grace_seconds for
  // the requests in flight to finish. Idempotent.
  void Stop();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts
// afterwards; call before Server::Start, then WaitForTerminationSignal().
void BlockTerminationSignals();
// Waits until SIGINT or SIGTERM arrives; returns the signal number.
int WaitForTerminationSignal();

}  // namespace tryghed::web
