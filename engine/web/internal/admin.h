#pragma once
// tryghed::web internal — the admin site under /admin: sign-in, sessions,
// roles, and the pages where evaluators set up studies, areas (population
// margins), waves (questionnaire version, open, close) and kiosks, make
// invitations and mark returned letters, watch a wave's live view, run the
// evaluation and download reports and exports (readers: reports only), plus
// the audit log and the account list for admins. docs/web.md ("Admin") lists
// every route, the role each needs, the cookie, CSRF and lock policies.
//
// The Server owns one AdminSite and hands it every request whose path starts
// with /admin, after the rate limit and the body limit:
//
//   internal::AdminSite admin(db, options);
//   TRYGHED_RETURN_IF_ERROR(admin.Init());
//   Reply r = admin.Handle(req, Segments(path));   // seg[0] == "admin"
//
// Thread safety: Handle is called from the server's request threads at once;
// all state is in the store (sessions, accounts) or behind a mutex.
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"
#include "web/internal/http.h"
#include "web/server.h"

namespace tryghed::web::internal {

class AdminSite {
 public:
  AdminSite(store::Store& db, const ServerOptions& options);
  ~AdminSite();
  AdminSite(const AdminSite&) = delete;
  AdminSite& operator=(const AdminSite&) = delete;

  // Prepares what a sign-in needs (a stand-in hash for unknown names).
  core::Status Init();

  // Answers one request; `seg` are the path's segments, seg[0] == "admin".
  Reply Handle(Request& req, const std::vector<std::string>& seg);

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace tryghed::web::internal
