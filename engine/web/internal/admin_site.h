#pragma once
// tryghed::web internal — the admin site's inside, shared by its source
// files: admin.cpp (routes, sign-in, studies, areas, waves, kiosks, audit),
// admin_invitations.cpp (invitations and dispositions), admin_results.cpp
// (the live view, the evaluation, reports and exports) and admin_texts.cpp
// (the Danish/English words). Only those files include it; it carries
// Poco::Net types through http.h.
//
// Every handler is a member of AdminSite::Impl, listed in its one route
// table (admin.cpp, Impl::Routes) with the least role it needs; the table
// checks the session, the role and the CSRF token before the handler runs,
// and the handler runs inside a store::ActingAs for the audit log.
//
// Thread safety: as AdminSite (admin.h).
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/password.h"
#include "core/status.h"
#include "core/token.h"
#include "store/store.h"
#include "web/internal/admin.h"
#include "web/internal/form.h"
#include "web/internal/http.h"
#include "web/internal/render.h"
#include "web/server.h"

namespace tryghed::web::internal {

namespace admin {

using store::UserRole;

// Password verifications running at once: each holds 64 MiB for ~0.2 s, so a
// flood of sign-ins cannot take the server's memory. Others wait up to 10 s.
inline constexpr std::ptrdiff_t kVerifySlots = 2;

// The Content-Security-Policy of a self-contained document of ours sent as
// it is (letters, a report): inline styles and data: images only, no
// scripts, no requests, never framed.
inline constexpr const char* kDocumentCsp =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'";

std::int64_t NowSeconds();

// The text `key` in `lang` ("da" or "en"), plain (not escaped); the key
// itself when the table has no such text (admin_texts.cpp).
std::string T(const std::string& lang, std::string_view key);
// `text` with each {name} replaced by its value (plain text in, plain text out).
std::string Fmt(std::string text, const std::map<std::string, std::string>& values);

// A posted form: its fields, and the files of a multipart form by field name.
struct Posted {
  Fields fields;
  std::map<std::string, std::pair<std::string, std::string>> files;  // field -> (file name, content)

  std::string Get(const std::string& name) const {
    for (const auto& [k, v] : fields) {
      if (k == name) return v;
    }
    return "";
  }
  // The content of the file field `name` when one was sent and is not empty.
  const std::pair<std::string, std::string>* File(const std::string& name) const {
    auto it = files.find(name);
    return it == files.end() || it->second.second.empty() ? nullptr : &it->second;
  }
};

// The request's form (urlencoded or multipart); InvalidArgument when unreadable.
core::Result<Posted> ReadPosted(const Request& req);
// A positive id of at most 15 digits, or nullopt.
std::optional<store::Id> ParseId(const std::string& s);
// The request's cookie `name`, or "".
std::string Cookie(const Request& req, const char* name);
// A busy or unreachable database: the "try again" page, not the form's error.
bool IsUnavailable(const core::Status& st);
// The HTTP status of a failed store call shown on a form.
int HttpStatusFor(const core::Status& st);

// Markup pieces; every value passes through EscapeHtml. `type` of Field:
// "text", "number", "password", "file", "textarea".
std::string Field(const std::string& id, const std::string& label, const std::string& type, bool required = false,
                  const std::string& extra = "");
std::string Select(const std::string& id, const std::string& label,
                   const std::vector<std::pair<std::string, std::string>>& options);
// A table head of the texts `keys`.
std::string Th(const std::string& lang, std::initializer_list<std::string_view> keys);
std::string Td(const std::string& text);
// The error summary above a form ("" for no error).
std::string ErrorBox(const std::string& lang, const std::string& error);

}  // namespace admin

using admin::HttpStatusFor;
using admin::IsUnavailable;
using admin::Posted;
using admin::UserRole;

class AdminSite::Impl {
 public:
  Impl(store::Store& db, const ServerOptions& options) : db_(db), options_(options) {}

  core::Status Init() { return core::Status::Ok(); }

  Reply Handle(Request& req, const std::vector<std::string>& seg);

 private:
  // What a handler gets: the request, the language, the signed-in session
  // (routes that need one), the ids in the path, and the posted form.
  struct Ctx {
    Request& req;
    std::string lang;
    std::optional<store::AdminSession> session;
    std::vector<store::Id> ids;
    std::string last;  // the path's last segment (an export's format)
    Posted posted;
  };
  using Handler = Reply (Impl::*)(Ctx&);

  // One route: method, path pattern ("#" is a positive id), the least role
  // it needs (nullopt: no session needed) and its handler.
  struct Route {
    bool post;
    std::vector<std::string_view> pattern;
    std::optional<UserRole> least;
    Handler handler;
  };
  static const std::vector<Route>& Routes();

  // Pages.
  Reply LoginPage(Ctx& c) { return LoginForm(c, 200, ""); }
  Reply Login(Ctx& c);
  Reply Logout(Ctx& c);
  Reply Home(Ctx& c) { return Studies(c, 200, ""); }
  // The study list with an error above it.
  Reply Studies(Ctx& c, int status, const std::string& error);
  Reply CreateStudy(Ctx& c);
  Reply StudyPage(Ctx& c) { return Study(c, 200, "", ""); }
  Reply AddArea(Ctx& c);
  Reply UploadMargins(Ctx& c);
  Reply CreateWave(Ctx& c);
  Reply OpenWave(Ctx& c) { return MoveWave(c, true); }
  Reply CloseWave(Ctx& c) { return MoveWave(c, false); }
  Reply MoveWave(Ctx& c, bool open);
  Reply RegisterKiosk(Ctx& c);
  Reply RevokeKiosk(Ctx& c);
  Reply Audit(Ctx& c);
  Reply Users(Ctx& c);

  // Invitations and dispositions (admin_invitations.cpp).
  Reply GenerateInvitations(Ctx& c);
  Reply MarkDispositions(Ctx& c);
  // The wave page: live view, invitations and dispositions (admin_results.cpp).
  Reply WavePage(Ctx& c) { return Wave(c, 200, "", ""); }
  Reply Wave(Ctx& c, int status, const std::string& error, const std::string& notice);
  // Results (admin_results.cpp).
  Reply RunEvaluation(Ctx& c);
  Reply ReportPage(Ctx& c) { return ReportDocument(c, false); }
  Reply ReportHtml(Ctx& c) { return ReportDocument(c, true); }
  Reply ReportDocument(Ctx& c, bool download);
  Reply ReportPdf(Ctx& c);
  Reply Export(Ctx& c);
  // The study page's results section: run the evaluation, the latest
  // report's links and the exports.
  std::string ResultsSection(const Ctx& c, store::Id study);
  // A link to the study's latest report with its date, or "–" when none.
  std::string ReportLink(const Ctx& c, store::Id study);

  // The study page (ids[0]) with an error or a notice above it.
  Reply Study(Ctx& c, int status, const std::string& error, const std::string& notice);
  Reply LoginForm(Ctx& c, int status, const std::string& error);
  // A page: the frame, the header with navigation, `body` (markup).
  Reply Page(const Ctx& c, int status, const std::string& title, const std::string& body, const std::string& self,
             const std::string& head = "") const;
  Reply Message(const Ctx& c, int status, std::string_view key) const;
  // The reply to a failed store call on a page that has no form to redisplay.
  Reply Failed(const Ctx& c, const core::Status& st) const {
    return IsUnavailable(st) ? Message(c, 503, "busy") : Message(c, HttpStatusFor(st), "bad");
  }
  // `path` in the context's language (?lang=en when English).
  static std::string Url(const Ctx& c, const std::string& path) {
    return c.lang == "en" ? path + "?lang=en" : path;
  }
  // The opening of a POST form to `path` with the session's CSRF token.
  std::string FormStart(const Ctx& c, const std::string& path, bool multipart = false,
                        const std::string& css = "") const;
  // The study's wave `id`, or nullopt.
  std::optional<store::Wave> WaveOfStudy(store::Id study, store::Id wave);
  // The study `id`, or nullopt (a store failure is nullopt too: `failed`).
  std::optional<store::Study> StudyById(store::Id id, core::Status* failed);
  // "https://host" (http without cookies.secure) from the request's Host:
  // what the kiosk set-up and invitation links start with.
  std::string SiteBase(const Ctx& c) const;
  // A failed store call answered on the study page (503 when unavailable).
  Reply StudyFailed(Ctx& c, const core::Status& st) {
    return IsUnavailable(st) ? Message(c, 503, "busy") : Study(c, HttpStatusFor(st), st.message(), "");
  }
  // The same on the wave page.
  Reply WaveFailed(Ctx& c, const core::Status& st) {
    return IsUnavailable(st) ? Message(c, 503, "busy") : Wave(c, HttpStatusFor(st), st.message(), "");
  }
  // The title and hash of questionnaire version `id` (cached).
  std::pair<std::string, std::string> QuestionnaireLabel(const std::string& lang, store::Id id);

  // Failed sign-ins of names without an account, kept like an account's, so
  // the lock never tells whether a name exists.
  void RecordUnknownFailure(const std::string& name);
  std::int64_t UnknownLockedUntil(const std::string& name);

  // Unknown names are checked against this (made at the first such sign-in),
  // so a wrong name costs the same time as a wrong password.
  const std::string& StandInHash() {
    std::call_once(stand_in_once_, [this] {
      core::Result<std::string> random = core::NewToken();
      core::Result<std::string> hash = core::HashPassword(random.ok() ? *random : std::string("stand-in"));
      if (hash.ok()) stand_in_hash_ = *hash;
    });
    return stand_in_hash_;
  }

  store::Store& db_;
  const ServerOptions options_;
  std::once_flag stand_in_once_;
  std::string stand_in_hash_;
  std::counting_semaphore<admin::kVerifySlots> verify_slots_{admin::kVerifySlots};
  std::mutex unknown_mu_;
  std::unordered_map<std::string, std::pair<int, std::int64_t>> unknown_;
  std::mutex labels_mu_;
  std::map<store::Id, std::pair<std::string, std::string>> labels_;  // id -> (title json, hash)
};

}  // namespace tryghed::web::internal
