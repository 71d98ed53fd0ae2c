// The admin site under /admin: sign-in with Argon2id passwords and growing
// locks, sessions in the store (several servers share them), one table of
// routes with the least role each needs, CSRF on every form, and the pages
// for studies, areas, margins, waves and kiosks. The HTML is written here,
// escaped value by value; texts are in one Danish/English table
// (admin_texts.cpp). Invitations are in admin_invitations.cpp, the live view
// and the results in admin_results.cpp (admin_site.h joins them).
// docs/web.md ("Admin") explains every decision.
#include "web/internal/admin.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <semaphore>
#include <sstream>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "core/password.h"
#include "core/sha256.h"
#include "core/token.h"
#include "questionnaire/builtin.h"
#include "questionnaire/loader.h"
#include "store/margins.h"
#include "web/internal/admin_site.h"
#include "web/internal/form.h"
#include "web/internal/render.h"

namespace tryghed::web::internal {

namespace admin {

constexpr const char* kSessionCookie = "tryghed_admin";
constexpr const char* kLoginCookie = "tryghed_login";
// Most fields an admin form sends (the largest has six).
constexpr int kFieldLimit = 32;
// Names without an account whose failures are remembered (memory bound).
constexpr std::size_t kMaxUnknownNames = 10000;
// Audit entries shown.
constexpr int kAuditShown = 500;

std::int64_t NowSeconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

namespace {


// Keeps the files of a multipart form in memory (the body limit bounds them).
class FilePartHandler : public Poco::Net::PartHandler {
 public:
  explicit FilePartHandler(Posted& posted) : posted_(posted) {}
  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    std::string disposition;
    Poco::Net::NameValueCollection params;
    Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, params);
    std::string content;
    Poco::StreamCopier::copyToString(stream, content);
    posted_.files[params.get("name", "")] = {params.get("filename", ""), std::move(content)};
  }

 private:
  Posted& posted_;
};

}  // namespace

core::Result<Posted> ReadPosted(const Request& req) {
  const std::string& type = req.http.getContentType();
  Posted posted;
  if (type.rfind("multipart/form-data", 0) == 0) {
    try {
      Poco::Net::HTMLForm form;
      form.setFieldLimit(kFieldLimit);
      FilePartHandler files(posted);
      std::istringstream in(req.body);
      form.load(req.http, in, files);
      for (const auto& [k, v] : form) posted.fields.emplace_back(k, v);
    } catch (const Poco::Exception&) {
      return core::InvalidArgument("the form could not be read");
    }
    return posted;
  }
  core::Result<Fields> fields = ParseFormBody(req.http.getURI(), type, req.body, kFieldLimit);
  if (!fields.ok()) return fields.status();
  posted.fields = std::move(fields).value();
  return posted;
}

std::optional<store::Id> ParseId(const std::string& s) {
  if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const store::Id id = std::stoll(s);
  if (id <= 0) return std::nullopt;
  return id;
}

std::string Cookie(const Request& req, const char* name) {
  Poco::Net::NameValueCollection cookies;
  req.http.getCookies(cookies);
  return cookies.get(name, "");
}

// A busy or unreachable database: the "try again" page, not the form's error.
bool IsUnavailable(const core::Status& st) { return st.code() == core::StatusCode::kUnavailable; }

int HttpStatusFor(const core::Status& st) {
  switch (st.code()) {
    case core::StatusCode::kNotFound: return 404;
    case core::StatusCode::kAlreadyExists:
    case core::StatusCode::kFailedPrecondition: return 409;
    case core::StatusCode::kUnavailable: return 503;
    case core::StatusCode::kInternal: return 500;
    default: return 400;
  }
}

}  // namespace admin

using namespace admin;  // NOLINT(google-build-using-namespace): the admin site's own helpers


const std::vector<AdminSite::Impl::Route>& AdminSite::Impl::Routes() {
  using R = UserRole;
  // THE table of routes and the least role each needs (admin > evaluator >
  // reader). docs/web.md copies it.
  static const std::vector<Route> routes = {
      {false, {"admin", "login"}, std::nullopt, &Impl::LoginPage},
      {true, {"admin", "login"}, std::nullopt, &Impl::Login},
      {true, {"admin", "logout"}, R::kReader, &Impl::Logout},
      {false, {"admin"}, R::kReader, &Impl::Home},
      {true, {"admin", "study"}, R::kEvaluator, &Impl::CreateStudy},
      {false, {"admin", "study", "#"}, R::kEvaluator, &Impl::StudyPage},
      {true, {"admin", "study", "#", "area"}, R::kEvaluator, &Impl::AddArea},
      {true, {"admin", "study", "#", "margins"}, R::kEvaluator, &Impl::UploadMargins},
      {true, {"admin", "study", "#", "wave"}, R::kEvaluator, &Impl::CreateWave},
      {true, {"admin", "study", "#", "wave", "#", "open"}, R::kEvaluator, &Impl::OpenWave},
      {true, {"admin", "study", "#", "wave", "#", "close"}, R::kEvaluator, &Impl::CloseWave},
      {true, {"admin", "study", "#", "kiosk"}, R::kEvaluator, &Impl::RegisterKiosk},
      {true, {"admin", "study", "#", "kiosk", "#", "revoke"}, R::kEvaluator, &Impl::RevokeKiosk},
      {false, {"admin", "study", "#", "wave", "#"}, R::kEvaluator, &Impl::WavePage},
      {true, {"admin", "study", "#", "wave", "#", "invitations"}, R::kEvaluator, &Impl::GenerateInvitations},
      {true, {"admin", "study", "#", "wave", "#", "dispositions"}, R::kEvaluator, &Impl::MarkDispositions},
      {true, {"admin", "study", "#", "evaluate"}, R::kEvaluator, &Impl::RunEvaluation},
      {false, {"admin", "study", "#", "report"}, R::kReader, &Impl::ReportPage},
      {false, {"admin", "study", "#", "report", "html"}, R::kReader, &Impl::ReportHtml},
      {false, {"admin", "study", "#", "report", "pdf"}, R::kReader, &Impl::ReportPdf},
      {false, {"admin", "study", "#", "export", "csv"}, R::kEvaluator, &Impl::Export},
      {false, {"admin", "study", "#", "export", "sav"}, R::kEvaluator, &Impl::Export},
      {false, {"admin", "study", "#", "export", "dta"}, R::kEvaluator, &Impl::Export},
      {false, {"admin", "study", "#", "export", "xlsx"}, R::kEvaluator, &Impl::Export},
      {false, {"admin", "audit"}, R::kAdmin, &Impl::Audit},
      {false, {"admin", "users"}, R::kAdmin, &Impl::Users},
  };
  return routes;
}

Reply AdminSite::Impl::Handle(Request& req, const std::vector<std::string>& seg) {
  Ctx c{req, req.lang == "en" ? "en" : "da", std::nullopt, {}, seg.empty() ? "" : seg.back(), {}};
  const Route* route = nullptr;
  bool other_method = false;
  for (const Route& r : Routes()) {
    if (r.pattern.size() != seg.size()) continue;
    std::vector<store::Id> ids;
    bool match = true;
    for (std::size_t i = 0; i < seg.size() && match; ++i) {
      if (r.pattern[i] == "#") {
        std::optional<store::Id> id = ParseId(seg[i]);
        if (id) ids.push_back(*id);
        else match = false;
      } else {
        match = r.pattern[i] == seg[i];
      }
    }
    if (!match) continue;
    if (r.post != req.post) {
      other_method = true;
      continue;
    }
    route = &r;
    c.ids = std::move(ids);
    break;
  }
  if (route == nullptr) return Message(c, other_method ? 405 : 404, other_method ? "bad" : "notfound");

  std::string token_hash;
  if (route->least) {
    const std::string token = Cookie(req, kSessionCookie);
    if (core::IsToken(token)) {
      token_hash = core::Sha256Hex(token);
      core::Result<store::AdminSession> s = db_.FindAdminSession(token_hash, options_.admin_idle_seconds);
      if (s.ok()) {
        c.session = *s;
      } else if (s.status().code() != core::StatusCode::kNotFound) {
        return Message(c, 503, "busy");
      }
    }
    if (!c.session) {
      // Not signed in, or the session ended: to the sign-in page (nothing done).
      Reply r = Redirect(Url(c, "/admin/login"));
      if (!token.empty()) {
        r.cookies.push_back(std::string(kSessionCookie) + "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict" +
                            (options_.secure_cookies ? "; Secure" : ""));
      }
      return r;
    }
  }
  if (req.post) {
    core::Result<Posted> posted = ReadPosted(req);
    if (!posted.ok()) return Message(c, 400, "bad");
    c.posted = std::move(posted).value();
    if (c.session && !SameSecret(c.posted.Get("csrf"), c.session->csrf)) return Message(c, 403, "csrf");
  }
  if (route->least && c.session->role < *route->least) return Message(c, 403, "forbidden");
  if (!c.session) return (this->*route->handler)(c);
  (void)db_.TouchAdminSession(token_hash);  // a failure only shortens the idle time
  store::ActingAs acting(c.session->user_name);
  return (this->*route->handler)(c);
}

// ---------------------------------------------------------------- rendering

Reply AdminSite::Impl::Page(const Ctx& c, int status, const std::string& title, const std::string& body,
                            const std::string& self, const std::string& head) const {
  const std::string other = c.lang == "en" ? "da" : "en";
  std::string header = "<nav class=\"admin-nav\" aria-label=\"" + EscapeHtml(T(c.lang, "nav")) + "\"><ul>\n";
  if (c.session) {
    header += "<li><a href=\"" + EscapeHtml(Url(c, "/admin")) + "\">" + EscapeHtml(T(c.lang, "nav_studies")) +
              "</a></li>\n";
    if (c.session->role >= UserRole::kAdmin) {
      header += "<li><a href=\"" + EscapeHtml(Url(c, "/admin/audit")) + "\">" + EscapeHtml(T(c.lang, "nav_audit")) +
                "</a></li>\n<li><a href=\"" + EscapeHtml(Url(c, "/admin/users")) + "\">" +
                EscapeHtml(T(c.lang, "nav_users")) + "</a></li>\n";
    }
  }
  header += "<li><a href=\"" + EscapeHtml(self) + "?lang=" + other + "\" lang=\"" + other + "\">" +
            EscapeHtml(T(c.lang, "other_language")) + "</a></li>\n";
  if (c.session) {
    header += "<li>" +
              EscapeHtml(Fmt(T(c.lang, "signed_in_as"),
                             {{"name", c.session->user_name}, {"role", store::UserRoleName(c.session->role)}})) +
              "</li>\n<li>" + FormStart(c, "/admin/logout", false, "inline") + "<button type=\"submit\" class=\"small\">" +
              EscapeHtml(T(c.lang, "logout")) + "</button></form></li>\n";
  }
  header += "</ul></nav>\n";
  Reply r;
  r.status = status;
  r.body = FillPage(c.lang, "ltr", title + " – tryghed", EscapeHtml(T(c.lang, "site")), header, head,
                    "<div class=\"admin\">\n" + body + "</div>\n");
  return r;
}

Reply AdminSite::Impl::Message(const Ctx& c, int status, std::string_view key) const {
  const std::string title = T(c.lang, std::string(key) + "_title");
  return Page(c, status, title,
              "<h1>" + EscapeHtml(title) + "</h1>\n<p>" + EscapeHtml(T(c.lang, std::string(key) + "_text")) +
                  "</p>\n<p><a href=\"" + EscapeHtml(Url(c, "/admin")) + "\">" + EscapeHtml(T(c.lang, "nav_studies")) +
                  "</a></p>\n",
              "/admin");
}

std::string AdminSite::Impl::FormStart(const Ctx& c, const std::string& path, bool multipart,
                                       const std::string& css) const {
  return "<form method=\"post\" action=\"" + EscapeHtml(Url(c, path)) + "\"" +
         (multipart ? " enctype=\"multipart/form-data\"" : "") + (css.empty() ? "" : " class=\"" + css + "\"") +
         ">\n<input type=\"hidden\" name=\"csrf\" value=\"" + EscapeHtml(c.session ? c.session->csrf : "") + "\">\n";
}

namespace admin {

// A labelled input. `type` "text", "number", "date-text", "password", "file", "textarea".
std::string Field(const std::string& id, const std::string& label, const std::string& type, bool required,
                  const std::string& extra) {
  std::string out = "<p class=\"field\"><label for=\"" + id + "\">" + EscapeHtml(label) + "</label>\n";
  const std::string req = required ? " required" : "";
  if (type == "textarea") {
    out += "<textarea id=\"" + id + "\" name=\"" + id + "\" rows=\"6\"" + req + extra + "></textarea>";
  } else {
    out += "<input id=\"" + id + "\" name=\"" + id + "\" type=\"" + type + "\"" + req + extra + ">";
  }
  return out + "</p>\n";
}

std::string Select(const std::string& id, const std::string& label,
                   const std::vector<std::pair<std::string, std::string>>& options) {
  std::string out = "<p class=\"field\"><label for=\"" + id + "\">" + EscapeHtml(label) + "</label>\n<select id=\"" +
                    id + "\" name=\"" + id + "\">\n";
  for (const auto& [value, text] : options) {
    out += "<option value=\"" + EscapeHtml(value) + "\">" + EscapeHtml(text) + "</option>\n";
  }
  return out + "</select></p>\n";
}

std::string Th(const std::string& lang, std::initializer_list<std::string_view> keys) {
  std::string out = "<thead><tr>";
  for (std::string_view k : keys) out += "<th scope=\"col\">" + EscapeHtml(T(lang, k)) + "</th>";
  return out + "</tr></thead>\n";
}

std::string Td(const std::string& text) { return "<td>" + EscapeHtml(text) + "</td>"; }

std::string ErrorBox(const std::string& lang, const std::string& error) {
  if (error.empty()) return "";
  return "<p class=\"error-summary\" role=\"alert\">" + EscapeHtml(Fmt(T(lang, "error"), {{"detail", error}})) +
         "</p>\n";
}

}  // namespace admin

// ---------------------------------------------------------------- sign-in

Reply AdminSite::Impl::LoginForm(Ctx& c, int status, const std::string& error) {
  // Login CSRF: a random value in a cookie scoped to this page and the same
  // value in the form (double submit); a cross-site post has neither.
  core::Result<std::string> nonce = core::NewToken();
  if (!nonce.ok()) return Message(c, 503, "busy");
  std::string body = "<h1>" + EscapeHtml(T(c.lang, "login_title")) + "</h1>\n";
  if (!error.empty()) body += "<p class=\"error-summary\" role=\"alert\">" + EscapeHtml(error) + "</p>\n";
  body += "<p>" + EscapeHtml(T(c.lang, "login_intro")) + "</p>\n<form method=\"post\" action=\"" +
          EscapeHtml(Url(c, "/admin/login")) + "\">\n<input type=\"hidden\" name=\"csrf\" value=\"" + *nonce +
          "\">\n" + Field("name", T(c.lang, "name"), "text", true, " autocomplete=\"username\"") +
          Field("password", T(c.lang, "password"), "password", true, " autocomplete=\"current-password\"") +
          "<p><button type=\"submit\" class=\"primary\">" + EscapeHtml(T(c.lang, "login")) + "</button></p>\n</form>\n";
  Reply r = Page(c, status, T(c.lang, "login_title"), body, "/admin/login");
  r.cookies.push_back(std::string(kLoginCookie) + "=" + *nonce + "; Path=/admin/login; HttpOnly; SameSite=Strict" +
                      (options_.secure_cookies ? "; Secure" : ""));
  return r;
}

void AdminSite::Impl::RecordUnknownFailure(const std::string& name) {
  std::lock_guard lock(unknown_mu_);
  if (unknown_.size() >= kMaxUnknownNames && unknown_.count(name) == 0) unknown_.clear();
  auto& [failures, until] = unknown_[name];
  ++failures;
  if (const std::int64_t seconds = store::LoginLockSeconds(failures); seconds > 0) until = NowSeconds() + seconds;
}

std::int64_t AdminSite::Impl::UnknownLockedUntil(const std::string& name) {
  std::lock_guard lock(unknown_mu_);
  auto it = unknown_.find(name);
  return it == unknown_.end() ? 0 : it->second.second;
}

Reply AdminSite::Impl::Login(Ctx& c) {
  const std::string cookie = Cookie(c.req, kLoginCookie);
  if (!SameSecret(c.posted.Get("csrf"), cookie)) return LoginForm(c, 403, T(c.lang, "login_expired"));
  const std::string name = c.posted.Get("name");
  const std::string password = c.posted.Get("password");
  core::Result<store::User> user = db_.FindUser(name);
  if (!user.ok() && user.status().code() != core::StatusCode::kNotFound) return Message(c, 503, "busy");
  const std::int64_t now = NowSeconds();
  // During a lock the password is not even checked.
  const std::int64_t locked_until = user.ok() ? user->locked_until : UnknownLockedUntil(name);
  if (locked_until > now) {
    return LoginForm(c, 429, Fmt(T(c.lang, "login_locked"), {{"n", std::to_string(locked_until - now)}}));
  }
  if (!verify_slots_.try_acquire_for(std::chrono::seconds(10))) return Message(c, 503, "busy");
  const bool matches = core::VerifyPassword(user.ok() ? user->password_hash : StandInHash(), password);
  verify_slots_.release();
  if (!user.ok() || user->disabled || !matches) {
    if (user.ok()) {
      core::Result<store::User> counted = db_.RecordLoginFailure(user->id);
      if (!counted.ok()) return Message(c, 503, "busy");
    } else {
      RecordUnknownFailure(name);
    }
    return LoginForm(c, 403, T(c.lang, "login_failed"));
  }
  // A new session token at every sign-in; an older session of this browser ends.
  core::Result<std::string> token = core::NewToken();
  core::Result<std::string> csrf = core::NewToken();
  if (!token.ok() || !csrf.ok()) return Message(c, 503, "busy");
  if (!db_.RecordLoginSuccess(user->id).ok()) return Message(c, 503, "busy");
  (void)db_.PurgeExpiredSessions(options_.admin_idle_seconds);
  const std::string old = Cookie(c.req, kSessionCookie);
  if (core::IsToken(old)) (void)db_.DeleteAdminSession(core::Sha256Hex(old));
  if (!db_.CreateAdminSession(core::Sha256Hex(*token), user->id, *csrf, options_.admin_max_seconds).ok()) {
    return Message(c, 503, "busy");
  }
  const std::string secure = options_.secure_cookies ? "; Secure" : "";
  Reply r = Redirect(Url(c, "/admin"));
  r.cookies.push_back(std::string(kSessionCookie) + "=" + *token + "; Path=/admin; Max-Age=" +
                      std::to_string(options_.admin_max_seconds) + "; HttpOnly; SameSite=Strict" + secure);
  r.cookies.push_back(std::string(kLoginCookie) + "=; Path=/admin/login; Max-Age=0; HttpOnly; SameSite=Strict" + secure);
  return r;
}

Reply AdminSite::Impl::Logout(Ctx& c) {
  const std::string token = Cookie(c.req, kSessionCookie);
  if (!db_.DeleteAdminSession(core::Sha256Hex(token)).ok()) return Message(c, 503, "busy");
  Reply r = Redirect(Url(c, "/admin/login"));
  r.cookies.push_back(std::string(kSessionCookie) + "=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict" +
                      (options_.secure_cookies ? "; Secure" : ""));
  return r;
}

// ---------------------------------------------------------------- studies

Reply AdminSite::Impl::Studies(Ctx& c, int status, const std::string& error) {
  core::Result<std::vector<store::Study>> studies = db_.ListStudies();
  if (!studies.ok()) return Failed(c, studies.status());
  const bool evaluator = c.session->role >= UserRole::kEvaluator;
  std::string body = "<h1>" + EscapeHtml(T(c.lang, "studies_title")) + "</h1>\n" + ErrorBox(c.lang, error);
  if (!evaluator) body += "<p class=\"notice\">" + EscapeHtml(T(c.lang, "reader_note")) + "</p>\n";
  if (studies->empty()) {
    body += "<p>" + EscapeHtml(T(c.lang, "no_studies")) + "</p>\n";
  } else {
    body += "<div class=\"table\"><table>\n" + Th(c.lang, {"study_name", "created", "description", "report"}) +
            "<tbody>\n";
    for (const store::Study& s : *studies) {
      const std::string name = evaluator ? "<a href=\"" + EscapeHtml(Url(c, "/admin/study/" + std::to_string(s.id))) +
                                               "\">" + EscapeHtml(s.name) + "</a>"
                                         : EscapeHtml(s.name);
      body += "<tr><td>" + name + "</td>" + Td(s.created_on) + Td(s.description) + "<td>" + ReportLink(c, s.id) +
              "</td></tr>\n";
    }
    body += "</tbody></table></div>\n";
  }
  if (evaluator) {
    body += "<section aria-labelledby=\"create-study\">\n<h2 id=\"create-study\">" +
            EscapeHtml(T(c.lang, "create_study")) + "</h2>\n" + FormStart(c, "/admin/study") +
            Field("study_name", T(c.lang, "study_name"), "text", true) +
            Field("description", T(c.lang, "description"), "text") + "<p><button type=\"submit\" class=\"primary\">" +
            EscapeHtml(T(c.lang, "create")) + "</button></p>\n</form>\n</section>\n";
  }
  return Page(c, status, T(c.lang, "studies_title"), body, "/admin");
}

Reply AdminSite::Impl::CreateStudy(Ctx& c) {
  core::Result<store::Id> id = db_.CreateStudy(c.posted.Get("study_name"), c.posted.Get("description"));
  if (!id.ok()) {
    return IsUnavailable(id.status()) ? Message(c, 503, "busy")
                                      : Studies(c, HttpStatusFor(id.status()), id.status().message());
  }
  return Redirect(Url(c, "/admin/study/" + std::to_string(*id)));
}

std::pair<std::string, std::string> AdminSite::Impl::QuestionnaireLabel(const std::string& lang, store::Id id) {
  {
    std::lock_guard lock(labels_mu_);
    auto it = labels_.find(id);
    if (it != labels_.end()) return it->second;
  }
  core::Result<store::QuestionnaireVersion> v = db_.GetQuestionnaireVersion(id);
  if (!v.ok()) return {"", ""};
  std::string title;
  core::Result<questionnaire::Questionnaire> q = questionnaire::LoadQuestionnaire(v->json, "questionnaire");
  if (q.ok()) {
    auto t = q->title.find(lang);
    if (t == q->title.end()) t = q->title.find(q->default_language);
    if (t != q->title.end()) title = t->second;
  }
  std::lock_guard lock(labels_mu_);
  return labels_.emplace(id, std::make_pair(title, v->content_hash)).first->second;
}

Reply AdminSite::Impl::Study(Ctx& c, int status, const std::string& error, const std::string& notice) {
  const store::Id study_id = c.ids.at(0);
  core::Status failed;
  std::optional<store::Study> study = StudyById(study_id, &failed);
  if (!failed.ok()) return Failed(c, failed);
  if (!study) return Message(c, 404, "notfound");
  core::Result<std::vector<store::Area>> areas = db_.ListAreas(study_id);
  core::Result<std::vector<store::Wave>> waves = db_.ListWaves(study_id);
  core::Result<std::vector<store::Kiosk>> kiosks = db_.ListKiosks();
  if (!areas.ok()) return Failed(c, areas.status());
  if (!waves.ok()) return Failed(c, waves.status());
  if (!kiosks.ok()) return Failed(c, kiosks.status());
  const std::string base = "/admin/study/" + std::to_string(study_id);
  std::map<store::Id, std::string> area_names;
  for (const store::Area& a : *areas) area_names[a.id] = a.name;

  std::string body = "<h1>" + EscapeHtml(study->name) + "</h1>\n";
  if (!study->description.empty()) body += "<p>" + EscapeHtml(study->description) + "</p>\n";
  body += ErrorBox(c.lang, error);
  if (!notice.empty()) body += "<p class=\"notice\" role=\"status\">" + EscapeHtml(notice) + "</p>\n";

  // Areas.
  body += "<section aria-labelledby=\"areas\">\n<h2 id=\"areas\">" + EscapeHtml(T(c.lang, "areas")) + "</h2>\n";
  if (areas->empty()) {
    body += "<p>" + EscapeHtml(T(c.lang, "no_areas")) + "</p>\n";
  } else {
    body += "<div class=\"table\"><table>\n" + Th(c.lang, {"area_name", "role", "population", "margin_cells"}) +
            "<tbody>\n";
    for (const store::Area& a : *areas) {
      core::Result<std::vector<store::Margin>> margins = db_.GetMargins(a.id, std::nullopt);
      body += "<tr>" + Td(a.name) + Td(T(c.lang, std::string("role_") + store::AreaRoleName(a.role))) +
              Td(a.population ? std::to_string(*a.population) : T(c.lang, "none")) +
              Td(margins.ok() ? std::to_string(margins->size()) : T(c.lang, "none")) + "</tr>\n";
    }
    body += "</tbody></table></div>\n";
  }
  body += "<h3>" + EscapeHtml(T(c.lang, "add_area")) + "</h3>\n" + FormStart(c, base + "/area") +
          Field("area_name", T(c.lang, "area_name"), "text", true) +
          Select("role", T(c.lang, "role"),
                 {{"pilot", T(c.lang, "role_pilot")}, {"comparison", T(c.lang, "role_comparison")}}) +
          Field("population", T(c.lang, "population"), "number", false, " min=\"1\" step=\"1\"") +
          "<p><button type=\"submit\">" + EscapeHtml(T(c.lang, "add")) + "</button></p>\n</form>\n";
  if (!areas->empty()) {
    std::vector<std::pair<std::string, std::string>> options;
    for (const store::Area& a : *areas) options.emplace_back(std::to_string(a.id), a.name);
    body += "<h3>" + EscapeHtml(T(c.lang, "margins_title")) + "</h3>\n<p class=\"hint\">" +
            EscapeHtml(T(c.lang, "margins_help")) + "</p>\n" + FormStart(c, base + "/margins", true) +
            Select("margins_area", T(c.lang, "area_name"), options) +
            Field("margins_csv", T(c.lang, "margins_text"), "textarea") +
            Field("margins_file", T(c.lang, "margins_file"), "file", false, " accept=\".csv,text/csv\"") +
            "<p><button type=\"submit\">" + EscapeHtml(T(c.lang, "upload")) + "</button></p>\n</form>\n";
  }
  body += "</section>\n";

  // Waves.
  body += "<section aria-labelledby=\"waves\">\n<h2 id=\"waves\">" + EscapeHtml(T(c.lang, "waves")) + "</h2>\n";
  if (waves->empty()) {
    body += "<p>" + EscapeHtml(T(c.lang, "no_waves")) + "</p>\n";
  } else {
    body += "<div class=\"table\"><table>\n" +
            Th(c.lang, {"wave_label", "from", "to", "status", "questionnaire", "questionnaire_hash", "actions"}) +
            "<tbody>\n";
    for (const store::Wave& w : *waves) {
      std::string title = T(c.lang, "none"), hash;
      if (w.questionnaire_version_id) std::tie(title, hash) = QuestionnaireLabel(c.lang, *w.questionnaire_version_id);
      std::string action;
      const std::string wave_path = base + "/wave/" + std::to_string(w.id);
      if (w.status == store::WaveStatus::kDraft) {
        action = FormStart(c, wave_path + "/open", false, "inline") + "<button type=\"submit\" class=\"small\">" +
                 EscapeHtml(Fmt(T(c.lang, "open_wave"), {{"label", w.label}})) + "</button></form>";
      } else if (w.status == store::WaveStatus::kOpen) {
        action = FormStart(c, wave_path + "/close", false, "inline") + "<button type=\"submit\" class=\"small\">" +
                 EscapeHtml(Fmt(T(c.lang, "close_wave"), {{"label", w.label}})) + "</button></form>";
      }
      body += "<tr><td><a href=\"" + EscapeHtml(Url(c, wave_path)) + "\">" + EscapeHtml(w.label) + "</a></td>" +
              Td(w.starts_on.empty() ? T(c.lang, "none") : w.starts_on) +
              Td(w.ends_on.empty() ? T(c.lang, "none") : w.ends_on) +
              Td(T(c.lang, std::string("status_") + store::WaveStatusName(w.status))) + Td(title) +
              "<td><code class=\"hash\">" + EscapeHtml(hash.empty() ? T(c.lang, "none") : hash) + "</code></td><td>" +
              action + "</td></tr>\n";
    }
    body += "</tbody></table></div>\n";
  }
  std::vector<std::pair<std::string, std::string>> builtins;
  for (std::string_view id : questionnaire::BuiltinQuestionnaireIds()) {
    builtins.emplace_back("builtin:" + std::string(id), std::string(id));
  }
  builtins.emplace_back("upload", T(c.lang, "questionnaire_upload"));
  body += "<h3>" + EscapeHtml(T(c.lang, "create_wave")) + "</h3>\n" + FormStart(c, base + "/wave", true) +
          Field("wave_label", T(c.lang, "wave_label"), "text", true) +
          Field("starts_on", T(c.lang, "from"), "text", false, " pattern=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\"") +
          Field("ends_on", T(c.lang, "to"), "text", false, " pattern=\"[0-9]{4}-[0-9]{2}-[0-9]{2}\"") +
          Select("questionnaire", T(c.lang, "questionnaire"), builtins) +
          Field("questionnaire_file", T(c.lang, "questionnaire_file"), "file", false,
                " accept=\".json,application/json\"") +
          "<p><button type=\"submit\">" + EscapeHtml(T(c.lang, "create")) + "</button></p>\n</form>\n</section>\n";

  // Kiosks of this study's areas.
  body += "<section aria-labelledby=\"kiosks\">\n<h2 id=\"kiosks\">" + EscapeHtml(T(c.lang, "kiosks")) + "</h2>\n";
  std::string rows;
  for (const store::Kiosk& k : *kiosks) {
    if (!k.area_id || area_names.count(*k.area_id) == 0) continue;
    std::string action;
    if (k.revoked_on.empty()) {
      action = FormStart(c, base + "/kiosk/" + std::to_string(k.id) + "/revoke", false, "inline") +
               "<button type=\"submit\" class=\"small\">" + EscapeHtml(Fmt(T(c.lang, "revoke"), {{"name", k.name}})) +
               "</button></form>";
    }
    rows += "<tr>" + Td(k.name) + Td(area_names[*k.area_id]) + Td(k.registered_on) +
            Td(k.revoked_on.empty() ? T(c.lang, "kiosk_active") : Fmt(T(c.lang, "kiosk_revoked"), {{"date", k.revoked_on}})) +
            "<td>" + action + "</td></tr>\n";
  }
  if (rows.empty()) {
    body += "<p>" + EscapeHtml(T(c.lang, "no_kiosks")) + "</p>\n";
  } else {
    body += "<div class=\"table\"><table>\n" + Th(c.lang, {"kiosk_name", "area_name", "registered", "status", "actions"}) +
            "<tbody>\n" + rows + "</tbody></table></div>\n";
  }
  if (!areas->empty()) {
    std::vector<std::pair<std::string, std::string>> options;
    for (const store::Area& a : *areas) options.emplace_back(std::to_string(a.id), a.name);
    body += "<h3>" + EscapeHtml(T(c.lang, "register_kiosk")) + "</h3>\n" + FormStart(c, base + "/kiosk") +
            Field("kiosk_name", T(c.lang, "kiosk_name"), "text", true) +
            Select("kiosk_area", T(c.lang, "area_name"), options) + "<p><button type=\"submit\">" +
            EscapeHtml(T(c.lang, "register")) + "</button></p>\n</form>\n";
  }
  body += "</section>\n" + ResultsSection(c, study_id);
  return Page(c, status, study->name, body, base);
}


Reply AdminSite::Impl::AddArea(Ctx& c) {
  core::Result<store::AreaRole> role = store::ParseAreaRole(c.posted.Get("role"));
  if (!role.ok()) return Study(c, 400, role.status().message(), "");
  std::optional<std::int64_t> population;
  const std::string pop = c.posted.Get("population");
  if (!pop.empty()) {
    std::optional<store::Id> n = ParseId(pop);
    if (!n) return Study(c, 400, "the population must be a whole number above 0, got '" + pop + "'", "");
    population = *n;
  }
  core::Result<store::Id> id = db_.AddArea(c.ids[0], c.posted.Get("area_name"), *role, population);
  if (!id.ok()) {
    return IsUnavailable(id.status()) ? Message(c, 503, "busy")
                                    : Study(c, HttpStatusFor(id.status()), id.status().message(), "");
  }
  return Redirect(Url(c, "/admin/study/" + std::to_string(c.ids[0])));
}

Reply AdminSite::Impl::UploadMargins(Ctx& c) {
  std::optional<store::Id> area_id = ParseId(c.posted.Get("margins_area"));
  core::Result<std::vector<store::Area>> areas = db_.ListAreas(c.ids[0]);
  if (!areas.ok()) return Failed(c, areas.status());
  auto area = std::find_if(areas->begin(), areas->end(), [&](const store::Area& a) { return area_id && a.id == *area_id; });
  if (area == areas->end()) return Study(c, 400, "choose an area of this study", "");
  std::string text = c.posted.Get("margins_csv");
  std::string source = T(c.lang, "text_field");
  if (const auto* file = c.posted.File("margins_file")) {
    source = file->first.empty() ? T(c.lang, "the_file") : file->first;
    text = file->second;
  }
  core::Result<std::vector<store::Margin>> margins = store::ParseMarginsCsv(text, source, area->population);
  if (!margins.ok()) return Study(c, 400, margins.status().message(), "");
  core::Status st = db_.SetMargins(area->id, std::nullopt, *margins);
  if (!st.ok()) return IsUnavailable(st) ? Message(c, 503, "busy") : Study(c, HttpStatusFor(st), st.message(), "");
  return Study(c, 200, "",
               Fmt(T(c.lang, "margins_saved"), {{"n", std::to_string(margins->size())}, {"area", area->name}}));
}

Reply AdminSite::Impl::CreateWave(Ctx& c) {
  const std::string choice = c.posted.Get("questionnaire");
  std::string json, source;
  if (choice.rfind("builtin:", 0) == 0) {
    source = choice.substr(8);
    json = std::string(questionnaire::BuiltinQuestionnaireJson(source));
    if (json.empty()) return Study(c, 400, "there is no built-in questionnaire '" + source + "'", "");
  } else {
    auto file = c.posted.files.find("questionnaire_file");
    if (file == c.posted.files.end() || file->second.second.empty()) {
      return Study(c, 400, "choose a questionnaire, or upload its JSON file", "");
    }
    source = file->second.first.empty() ? "questionnaire.json" : file->second.first;
    json = file->second.second;
  }
  core::Result<questionnaire::Questionnaire> q = questionnaire::LoadQuestionnaire(json, source);
  if (!q.ok()) return Study(c, 400, q.status().message(), "");
  const std::string from = c.posted.Get("starts_on"), to = c.posted.Get("ends_on");
  core::Result<store::Id> qv = db_.AddQuestionnaireVersion(json, q->content_hash);
  if (!qv.ok()) return IsUnavailable(qv.status()) ? Message(c, 503, "busy") : Study(c, 400, qv.status().message(), "");
  core::Result<store::Id> id = db_.CreateWave(c.ids[0], c.posted.Get("wave_label"), from, to, *qv);
  if (!id.ok()) {
    return IsUnavailable(id.status()) ? Message(c, 503, "busy")
                                    : Study(c, HttpStatusFor(id.status()), id.status().message(), "");
  }
  return Redirect(Url(c, "/admin/study/" + std::to_string(c.ids[0])));
}

std::string AdminSite::Impl::SiteBase(const Ctx& c) const {
  return std::string(options_.secure_cookies ? "https" : "http") + "://" + c.req.http.getHost();
}

std::optional<store::Study> AdminSite::Impl::StudyById(store::Id id, core::Status* failed) {
  core::Result<std::vector<store::Study>> studies = db_.ListStudies();
  if (!studies.ok()) {
    if (failed != nullptr) *failed = studies.status();
    return std::nullopt;
  }
  for (const store::Study& s : *studies) {
    if (s.id == id) return s;
  }
  return std::nullopt;
}

std::optional<store::Wave> AdminSite::Impl::WaveOfStudy(store::Id study, store::Id wave) {
  core::Result<store::Wave> w = db_.GetWave(wave);
  if (!w.ok() || w->study_id != study) return std::nullopt;
  return *w;
}

Reply AdminSite::Impl::MoveWave(Ctx& c, bool open) {
  if (!WaveOfStudy(c.ids[0], c.ids[1])) return Message(c, 404, "notfound");
  core::Status st = open ? db_.OpenWave(c.ids[1]) : db_.CloseWave(c.ids[1]);
  if (!st.ok()) return IsUnavailable(st) ? Message(c, 503, "busy") : Study(c, HttpStatusFor(st), st.message(), "");
  return Redirect(Url(c, "/admin/study/" + std::to_string(c.ids[0])));
}

Reply AdminSite::Impl::RegisterKiosk(Ctx& c) {
  std::optional<store::Id> area_id = ParseId(c.posted.Get("kiosk_area"));
  core::Result<std::vector<store::Area>> areas = db_.ListAreas(c.ids[0]);
  if (!areas.ok()) return Failed(c, areas.status());
  if (!area_id || std::none_of(areas->begin(), areas->end(), [&](const store::Area& a) { return a.id == *area_id; })) {
    return Study(c, 400, "choose an area of this study", "");
  }
  core::Result<std::string> secret = core::NewToken();
  if (!secret.ok()) return Message(c, 503, "busy");
  const std::string name = c.posted.Get("kiosk_name");
  core::Result<store::Id> id = db_.RegisterKiosk(name, *area_id, *secret);
  if (!id.ok()) {
    return IsUnavailable(id.status()) ? Message(c, 503, "busy")
                                    : Study(c, HttpStatusFor(id.status()), id.status().message(), "");
  }
  // Shown once: only the secret's SHA-256 is stored.
  const std::string link = SiteBase(c) + "/k/" + std::to_string(*id) + "/setup?secret=" + *secret;
  const std::string title = Fmt(T(c.lang, "kiosk_link_title"), {{"name", name}});
  const std::string body = "<h1>" + EscapeHtml(title) + "</h1>\n<p>" + EscapeHtml(T(c.lang, "kiosk_link_text")) +
                           "</p>\n<p class=\"setup-link\"><code>" + EscapeHtml(link) + "</code></p>\n<p><a href=\"" +
                           EscapeHtml(Url(c, "/admin/study/" + std::to_string(c.ids[0]))) + "\">" +
                           EscapeHtml(T(c.lang, "back_to_study")) + "</a></p>\n";
  return Page(c, 200, title, body, "/admin/study/" + std::to_string(c.ids[0]));
}

Reply AdminSite::Impl::RevokeKiosk(Ctx& c) {
  core::Result<std::vector<store::Area>> areas = db_.ListAreas(c.ids[0]);
  core::Result<std::vector<store::Kiosk>> kiosks = db_.ListKiosks();
  if (!areas.ok()) return Failed(c, areas.status());
  if (!kiosks.ok()) return Failed(c, kiosks.status());
  const bool ours = std::any_of(kiosks->begin(), kiosks->end(), [&](const store::Kiosk& k) {
    return k.id == c.ids[1] && k.area_id &&
           std::any_of(areas->begin(), areas->end(), [&](const store::Area& a) { return a.id == *k.area_id; });
  });
  if (!ours) return Message(c, 404, "notfound");
  core::Status st = db_.RevokeKiosk(c.ids[1]);
  if (!st.ok()) return Failed(c, st);
  return Redirect(Url(c, "/admin/study/" + std::to_string(c.ids[0])));
}

// ---------------------------------------------------------------- admins only

Reply AdminSite::Impl::Audit(Ctx& c) {
  core::Result<std::vector<store::AuditEntry>> log = db_.ReadAuditLog(kAuditShown);
  if (!log.ok()) return Failed(c, log.status());
  std::string body = "<h1>" + EscapeHtml(T(c.lang, "audit_title")) + "</h1>\n<p>" +
                     EscapeHtml(Fmt(T(c.lang, "audit_intro"), {{"n", std::to_string(kAuditShown)}})) +
                     "</p>\n<div class=\"table\"><table>\n" + Th(c.lang, {"at", "actor", "action", "subject", "detail"}) +
                     "<tbody>\n";
  for (auto e = log->rbegin(); e != log->rend(); ++e) {
    body += "<tr>" + Td(e->at) + Td(e->actor) + Td(e->action) + Td(e->subject) + Td(e->detail) + "</tr>\n";
  }
  body += "</tbody></table></div>\n";
  return Page(c, 200, T(c.lang, "audit_title"), body, "/admin/audit");
}

Reply AdminSite::Impl::Users(Ctx& c) {
  core::Result<std::vector<store::User>> users = db_.ListUsers();
  if (!users.ok()) return Failed(c, users.status());
  const std::int64_t now = NowSeconds();
  std::string body = "<h1>" + EscapeHtml(T(c.lang, "users_title")) + "</h1>\n<p>" +
                     EscapeHtml(T(c.lang, "users_intro")) + "</p>\n<div class=\"table\"><table>\n" +
                     Th(c.lang, {"name", "role", "created", "status"}) + "<tbody>\n";
  for (const store::User& u : *users) {
    const char* status = u.disabled ? "user_disabled" : u.locked_until > now ? "user_locked" : "user_active";
    body += "<tr>" + Td(u.name) + Td(store::UserRoleName(u.role)) + Td(u.created_on) + Td(T(c.lang, status)) + "</tr>\n";
  }
  body += "</tbody></table></div>\n";
  return Page(c, 200, T(c.lang, "users_title"), body, "/admin/users");
}

// ---------------------------------------------------------------- AdminSite

AdminSite::AdminSite(store::Store& db, const ServerOptions& options) : impl_(std::make_unique<Impl>(db, options)) {}
AdminSite::~AdminSite() = default;
core::Status AdminSite::Init() { return impl_->Init(); }
Reply AdminSite::Handle(Request& req, const std::vector<std::string>& seg) { return impl_->Handle(req, seg); }

}  // namespace tryghed::web::internal
