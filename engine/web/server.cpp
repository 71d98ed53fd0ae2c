// The HTTP side of the resident form: routing, form instances in memory,
// security headers, body and rate limits, and the three modes (link, kiosk,
// open). The form logic is in internal/form.cpp, the HTML in
// internal/render.cpp; docs/web.md explains every decision.
#include "web/server.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <thread>
#include <unordered_map>

#include "core/sha256.h"
#include "core/token.h"
#include "questionnaire/loader.h"
#include "questionnaire/scoring.h"
#include "report/svg.h"
#include "web/internal/admin.h"
#include "web/internal/connections.h"
#include "web/internal/form.h"
#include "web/internal/http.h"
#include "web/internal/render.h"

namespace tryghed::web {

namespace {

using internal::EscapeHtml;
using internal::Fields;
using internal::FormState;
using internal::Mode;
using internal::Redirect;
using internal::Reply;
using internal::Request;
using internal::SameSecret;
using internal::Survey;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr const char* kCsp =
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
// Seconds the kiosk's "are you still there?" warning stays before the form is
// cleared (WCAG 2.2.1 asks for at least 20), and the extra seconds the server
// waits beyond the page's own timers before it clears an untouched form.
constexpr int kKioskGraceSeconds = 20;
constexpr int kKioskServerMarginSeconds = 10;
constexpr const char* kKioskCookie = "tryghed_kiosk";
// A body larger than the limit but below this is read and dropped before the
// 413, so that the client sees the answer instead of a reset connection.
constexpr std::size_t kDrainLimit = 4 * 1024 * 1024;
// Days a link-mode draft is kept without being saved again (docs/web.md).
constexpr int kDraftDays = 90;

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}


std::string FieldValue(const Fields& fields, const std::string& name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return "";
}

bool HasField(const Fields& fields, const std::string& name) {
  return std::any_of(fields.begin(), fields.end(), [&](const auto& f) { return f.first == name; });
}

std::optional<int> SmallInt(const std::string& s) {
  if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoi(s);
}

std::optional<store::Id> ParseId(const std::string& s) {
  if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const store::Id id = std::stoll(s);
  if (id <= 0) return std::nullopt;
  return id;
}

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    const std::size_t next = path.find('/', pos);
    const std::string seg = path.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
    if (!seg.empty()) out.push_back(seg);
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return out;
}


}  // namespace

class Server::Impl {
 public:
  Impl(store::Store& db, ServerOptions options) : db_(db), options_(std::move(options)) {}

  core::Status Init() {
    core::Result<std::string> key = core::NewToken(52);
    if (!key.ok()) return key.status();
    rate_key_ = *key;
    rate_window_ms_ = NowMs();
    admin_ = std::make_unique<internal::AdminSite>(db_, options_);
    return admin_->Init();
  }

  void Handle(HTTPServerRequest& request, HTTPServerResponse& response);
  // The secret that keys the hashes of client addresses (rate limit,
  // connection cap); made at start, never stored.
  const std::string& address_key() const { return rate_key_; }

  store::Store& db_;
  const ServerOptions options_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::TCPServer> http_;
  internal::ConnectionFactory* connections_ = nullptr;  // owned by http_
  int port_ = 0;
  bool stopped_ = false;

 private:
  using Status = core::Status;

  struct Kiosk {
    std::string start_csrf;
    std::shared_ptr<FormState> form;
    std::int64_t last_submit_ms = 0;
    bool has_submitted = false;
    bool thanks = false;
    std::string thanks_language;
  };

  Reply Route(Request& req);
  Reply Link(Request& req, const std::string& token);
  Reply KioskPage(Request& req, const std::string& id_text);
  Reply KioskSetup(Request& req, const std::string& id_text);
  // The kiosk `id` when the request carries its secret cookie (filled into
  // `kiosk`, nullopt returned); otherwise the page to answer with (403, or
  // 503 when the database is unavailable).
  std::optional<Reply> AuthenticateKiosk(Request& req, store::Id id, store::KioskInfo& kiosk);
  // GET /k/<id>/alive: the page's script says the resident is still there
  // (templates/kiosk.js); touches the kiosk's form so the server keeps it.
  // GET /k/<id>/reset (`reset`): nobody answered the idle warning; the form is
  // cleared now and the screen goes back to the start.
  Reply KioskAlive(Request& req, const std::string& id_text, bool reset);
  // The <head> additions of a kiosk form page: the idle timer's settings and
  // texts for templates/kiosk.js, and a <noscript> refresh without script.
  std::string KioskHead(const std::string& self, FormState& form);
  Reply OpenStart(Request& req, const std::string& code);
  Reply OpenForm(Request& req, const std::string& code, const std::string& key);
  Reply FormRequest(Request& req, const std::shared_ptr<FormState>& state, const std::string& self,
                    const std::string& head, store::Id kiosk_id);
  Reply Submit(FormState& form, const std::string& self, store::Id kiosk_id);

  Reply Message(int status, const std::string& language, const questionnaire::Questionnaire* q,
                std::string_view key, const std::string& self = "", const std::string& head = "") const {
    Reply r;
    r.status = status;
    r.body = internal::RenderMessage(language.empty() ? (q != nullptr ? q->default_language : "da") : language, q,
                                     std::string(key) + "_title", std::string(key) + "_text", self, head);
    return r;
  }
  Reply NotFound(const Request& req) const { return Message(404, Lang(req, nullptr), nullptr, "notfound"); }
  Reply Busy(const Request& req, const questionnaire::Questionnaire* q) const {
    return Message(503, Lang(req, q), q, "busy");
  }
  Reply BadRequest(const Request& req, const questionnaire::Questionnaire* q) const {
    Reply r = Message(400, Lang(req, q), q, "bad");
    return r;
  }
  // ?lang= when the questionnaire (or, without one, the form's own tables) has it.
  static std::string Lang(const Request& req, const questionnaire::Questionnaire* q) {
    if (q != nullptr) {
      if (std::find(q->languages.begin(), q->languages.end(), req.lang) != q->languages.end()) return req.lang;
      return q->default_language;
    }
    return req.lang == "en" || req.lang == "ar" ? req.lang : "da";
  }

  core::Result<std::shared_ptr<const Survey>> SurveyFor(store::Id questionnaire_version_id);
  core::Result<Fields> ParseFields(const Request& req, int limit) const;
  std::shared_ptr<FormState> NewForm(Mode mode, const store::Wave& wave, store::Id area_id,
                                     std::shared_ptr<const Survey> survey, const std::string& language);
  std::shared_ptr<FormState> FindForm(const std::string& key);
  // Inserts `form` under `key`, or returns the one already there; nullptr when full.
  std::shared_ptr<FormState> InsertForm(const std::string& key, std::shared_ptr<FormState> form);
  void EraseForm(const std::string& key);
  // Deletes drafts of closed waves and old drafts, at most once an hour.
  void PurgeDraftsHourly();
  bool RateLimited(const HTTPServerRequest& request);

  std::string rate_key_;
  std::unique_ptr<internal::AdminSite> admin_;  // everything under /admin (internal/admin.cpp)
  std::mutex surveys_mu_;
  std::map<store::Id, std::shared_ptr<const Survey>> surveys_;
  std::mutex forms_mu_;
  std::unordered_map<std::string, std::shared_ptr<FormState>> forms_;
  std::size_t inserts_ = 0;
  std::mutex kiosks_mu_;
  std::map<store::Id, Kiosk> kiosks_;
  std::mutex rate_mu_;
  std::unordered_map<std::string, int> rate_counts_;
  std::int64_t rate_window_ms_ = 0;
  std::atomic<std::int64_t> last_purge_ms_{0};
};

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(Server::Impl& impl) : impl_(impl) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    impl_.Handle(request, response);
  }

 private:
  Server::Impl& impl_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Server::Impl& impl) : impl_(impl) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new Handler(impl_);
  }

 private:
  Server::Impl& impl_;
};

}  // namespace

// ------------------------------------------------------------------ plumbing

void Server::Impl::Handle(HTTPServerRequest& request, HTTPServerResponse& response) {
  Reply reply;
  Request req{request, false, "", ""};
  try {
    reply = Route(req);
  } catch (const std::exception&) {
    // Nothing about the request (its path holds a token) goes to the log.
    std::cerr << "tryghed serve: internal error while answering a request\n";
    reply = Message(500, "da", nullptr, "error");
    reply.close = true;
  }
  try {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
    response.set("Content-Security-Policy", reply.csp.empty() ? kCsp : reply.csp);
    if (!reply.filename.empty()) response.set("Content-Disposition", "attachment; filename=\"" + reply.filename + "\"");
    response.set("Referrer-Policy", "no-referrer");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
    response.set("Cross-Origin-Opener-Policy", "same-origin");
    response.set("Cache-Control", reply.cacheable ? "public, max-age=3600" : "no-store");
    if (!reply.location.empty()) response.set("Location", reply.location);
    for (const std::string& c : reply.cookies) response.add("Set-Cookie", c);
    if (reply.close) response.setKeepAlive(false);
    response.setContentType(reply.content_type);
    response.sendBuffer(reply.body.data(), reply.body.size());
  } catch (const Poco::Exception&) {
    // The client went away; nothing to do.
  }
}

bool Server::Impl::RateLimited(const HTTPServerRequest& request) {
  if (options_.rate_limit_per_minute <= 0) return false;
  // A keyed hash of the address, with a key made at start and never stored:
  // the table cannot be turned back into addresses, and it is emptied every minute.
  const std::string who = core::Sha256Hex(rate_key_ + "|" + request.clientAddress().host().toString());
  std::lock_guard lock(rate_mu_);
  const std::int64_t now = NowMs();
  if (now - rate_window_ms_ >= 60000) {
    rate_counts_.clear();
    rate_window_ms_ = now;
  }
  return ++rate_counts_[who] > options_.rate_limit_per_minute;
}

Reply Server::Impl::Route(Request& req) {
  HTTPServerRequest& http = req.http;
  const std::string& method = http.getMethod();
  req.post = method == "POST";
  if (!req.post && method != "GET" && method != "HEAD") {
    Reply r = Message(405, "da", nullptr, "bad");
    return r;
  }
  std::string path;
  try {
    Poco::URI uri(http.getURI());
    path = uri.getPath();
    for (const auto& [k, v] : uri.getQueryParameters()) {
      if (k == "lang" && v.size() <= 8) req.lang = v;
    }
  } catch (const Poco::Exception&) {
    return BadRequest(req, nullptr);
  }
  if (path == "/healthz") {
    Reply r;
    r.body = "ok\n";
    r.content_type = "text/plain; charset=utf-8";
    return r;
  }
  if (path == "/static/chart.css") {  // the live view's chart (report::RenderDailyChart)
    Reply r;
    r.body = std::string(report::ChartCss());
    r.content_type = "text/css; charset=utf-8";
    r.cacheable = true;
    return r;
  }
  if (path == "/static/form.css" || path == "/static/kiosk.js") {
    Reply r;
    const bool css = path == "/static/form.css";
    r.body = std::string(internal::EmbeddedText(css ? "form.css" : "kiosk.js"));
    r.content_type = css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
    r.cacheable = true;
    return r;
  }
  if (path == "/favicon.ico") {  // browsers ask on their own; there is none
    Reply r;
    r.status = 204;
    r.cacheable = true;
    return r;
  }
  if (RateLimited(http)) {
    Reply r = Message(429, Lang(req, nullptr), nullptr, "busy");
    r.close = true;
    return r;
  }
  if (req.post) {
    const std::streamsize declared = http.getContentLength();
    if (declared != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH &&
        static_cast<std::size_t>(declared) > options_.max_body_bytes) {
      if (static_cast<std::size_t>(declared) <= kDrainLimit) http.stream().ignore(declared);
      Reply r = Message(413, Lang(req, nullptr), nullptr, "large");
      r.close = true;
      return r;
    }
    // One byte more than allowed tells "too large"; a declared length bounds
    // the stream, so a small form gets a small buffer, not a zeroed 64 kB one.
    std::size_t room = options_.max_body_bytes + 1;
    if (declared != Poco::Net::HTTPMessage::UNKNOWN_CONTENT_LENGTH && declared >= 0) {
      room = std::min(room, static_cast<std::size_t>(declared) + 1);
    }
    std::string body(room, '\0');
    http.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
    body.resize(static_cast<std::size_t>(http.stream().gcount()));
    if (body.size() > options_.max_body_bytes) {
      Reply r = Message(413, Lang(req, nullptr), nullptr, "large");
      r.close = true;
      return r;
    }
    req.body = std::move(body);
  }
  const std::vector<std::string> seg = Segments(path);
  if (seg.size() == 2 && seg[0] == "s") return Link(req, seg[1]);
  if (seg.size() == 2 && seg[0] == "k") return KioskPage(req, seg[1]);
  if (seg.size() == 3 && seg[0] == "k" && seg[2] == "setup" && !req.post) return KioskSetup(req, seg[1]);
  if (seg.size() == 3 && seg[0] == "k" && (seg[2] == "alive" || seg[2] == "reset") && !req.post) {
    return KioskAlive(req, seg[1], seg[2] == "reset");
  }
  if (seg.size() == 2 && seg[0] == "o" && !req.post) return OpenStart(req, seg[1]);
  if (seg.size() == 3 && seg[0] == "o") return OpenForm(req, seg[1], seg[2]);
  if (!seg.empty() && seg[0] == "admin") return admin_->Handle(req, seg);
  return NotFound(req);
}

core::Result<std::shared_ptr<const Survey>> Server::Impl::SurveyFor(store::Id qv) {
  {
    std::lock_guard lock(surveys_mu_);
    auto it = surveys_.find(qv);
    if (it != surveys_.end()) return it->second;
  }
  core::Result<store::QuestionnaireVersion> version = db_.GetQuestionnaireVersion(qv);
  if (!version.ok()) return version.status();
  core::Result<questionnaire::Questionnaire> q =
      questionnaire::LoadQuestionnaire(version->json, "questionnaire version " + std::to_string(qv));
  if (!q.ok()) return q.status();
  auto survey = std::make_shared<const Survey>(internal::MakeSurvey(qv, std::move(q).value()));
  std::lock_guard lock(surveys_mu_);
  return surveys_.emplace(qv, survey).first->second;
}

core::Result<Fields> Server::Impl::ParseFields(const Request& req, int limit) const {
  return internal::ParseFormBody(req.http.getURI(), req.http.getContentType(), req.body, limit);
}

std::shared_ptr<FormState> Server::Impl::NewForm(Mode mode, const store::Wave& wave, store::Id area_id,
                                                 std::shared_ptr<const Survey> survey, const std::string& language) {
  core::Result<std::string> key = core::NewToken();
  core::Result<std::string> csrf = core::NewToken();
  if (!key.ok() || !csrf.ok()) return nullptr;
  auto form = std::make_shared<FormState>();
  form->mode = mode;
  form->key = *key;
  form->csrf = *csrf;
  form->wave_id = wave.id;
  form->area_id = area_id;
  form->survey = std::move(survey);
  const auto& langs = form->survey->q.languages;
  form->language =
      std::find(langs.begin(), langs.end(), language) != langs.end() ? language : form->survey->q.default_language;
  form->page = internal::FirstPage(*form->survey, form->answers);
  form->touched_ms = NowMs();
  return form;
}

std::shared_ptr<FormState> Server::Impl::FindForm(const std::string& key) {
  std::lock_guard lock(forms_mu_);
  auto it = forms_.find(key);
  return it == forms_.end() ? nullptr : it->second;
}

std::shared_ptr<FormState> Server::Impl::InsertForm(const std::string& key, std::shared_ptr<FormState> form) {
  std::lock_guard lock(forms_mu_);
  auto it = forms_.find(key);
  if (it != forms_.end()) return it->second;
  if (++inserts_ % 256 == 0 || forms_.size() >= static_cast<std::size_t>(options_.max_forms)) {
    const std::int64_t cutoff = NowMs() - std::int64_t{options_.form_ttl_minutes} * 60000;
    for (auto i = forms_.begin(); i != forms_.end();) {
      i = i->second->touched_ms.load() < cutoff ? forms_.erase(i) : std::next(i);
    }
  }
  if (forms_.size() >= static_cast<std::size_t>(options_.max_forms)) return nullptr;
  forms_.emplace(key, form);
  return form;
}

void Server::Impl::PurgeDraftsHourly() {
  const std::int64_t now = NowMs();
  std::int64_t last = last_purge_ms_.load();
  if (last != 0 && now - last < 3600 * 1000) return;
  if (!last_purge_ms_.compare_exchange_strong(last, now)) return;  // another thread does it
  (void)db_.PurgeDrafts(kDraftDays);  // a failure is retried in an hour; nothing depends on it
}

void Server::Impl::EraseForm(const std::string& key) {
  std::lock_guard lock(forms_mu_);
  forms_.erase(key);
}

// ------------------------------------------------------------------ the form

Reply Server::Impl::FormRequest(Request& req, const std::shared_ptr<FormState>& state, const std::string& self,
                                const std::string& head, store::Id kiosk_id) {
  std::unique_lock lock(state->mu);
  const Survey& survey = *state->survey;
  const questionnaire::Questionnaire& q = survey.q;
  if (!req.post) {
    if (state->submitted) {
      const std::string language = req.lang.empty() ? state->language : Lang(req, &q);
      return Message(200, language, &q, state->used_elsewhere ? "already" : "thanks", self);
    }
    Reply r;
    r.body = internal::RenderFormPage(*state, self, head);
    state->notice.clear();
    return r;
  }
  core::Result<Fields> fields = ParseFields(req, survey.field_limit);
  if (!fields.ok()) return BadRequest(req, &q);
  if (!SameSecret(FieldValue(*fields, "csrf"), state->csrf) || FieldValue(*fields, "form") != state->key) {
    return Message(403, state->language, &q, "expired", self);
  }
  if (state->submitted) return Redirect(self);
  state->touched_ms = NowMs();
  const int n = static_cast<int>(survey.pages.size());
  const std::optional<int> page = SmallInt(FieldValue(*fields, "page"));
  if (!page || *page > n) return BadRequest(req, &q);
  // Check the whole post on a copy first: a malformed post changes nothing.
  FormState probe;
  probe.survey = state->survey;
  probe.answers = state->answers;
  probe.raw = state->raw;
  probe.errors = state->errors;
  if (*page < n) {
    Status st = internal::ApplyPage(survey, static_cast<std::size_t>(*page), *fields, probe);
    if (!st.ok()) return BadRequest(req, &q);
  }
  std::optional<std::string> language;
  if (HasField(*fields, "lang")) {
    const std::string l = FieldValue(*fields, "lang");
    if (std::find(q.languages.begin(), q.languages.end(), l) == q.languages.end()) return BadRequest(req, &q);
    language = l;
  }
  std::optional<int> go;
  if (HasField(*fields, "goto")) {
    go = SmallInt(FieldValue(*fields, "goto"));
    if (!go || *go >= n) return BadRequest(req, &q);
  }
  const std::string action = FieldValue(*fields, "action");
  if (!language && !go && action != "next" && action != "back" && action != "submit") return BadRequest(req, &q);
  if (action == "submit" && !language && !go && *page != n) return BadRequest(req, &q);

  state->answers = std::move(probe.answers);
  state->raw = std::move(probe.raw);
  state->errors = std::move(probe.errors);
  bool page_has_errors = false;
  if (*page < n) {
    const internal::Page& p = survey.pages[static_cast<std::size_t>(*page)];
    for (std::size_t i = p.first; i < p.last; ++i) {
      if (state->errors.count(q.sections[p.section].items[i].id) > 0) page_has_errors = true;
    }
  }
  if (language) {
    state->language = *language;
    state->page = *page;
  } else if (go) {
    state->page = internal::PageAsked(survey, static_cast<std::size_t>(*go), state->answers) ? *go : *page;
  } else if (action == "next") {
    state->page = page_has_errors ? *page : internal::NextPage(survey, state->answers, *page);
  } else if (action == "back") {
    state->page = internal::PreviousPage(survey, state->answers, *page);
  } else {
    return Submit(*state, self, kiosk_id);
  }
  if (state->token_hash) {
    Status saved = db_.SaveDraft(*state->token_hash, internal::EncodeDraft(*state));
    if (saved.code() == core::StatusCode::kFailedPrecondition) {
      state->submitted = true;  // used meanwhile (elsewhere): nothing more to fill in
      state->used_elsewhere = true;
      return Message(200, state->language, &q, "already");
    }
    // Other failures leave the answers in memory; the next step tries again.
  }
  return Redirect(self);
}

Reply Server::Impl::Submit(FormState& form, const std::string& self, store::Id kiosk_id) {
  const questionnaire::Questionnaire& q = form.survey->q;
  if (!form.errors.empty()) {
    // A number or text still to correct (left with "back"): show its page.
    const auto& pages = form.survey->pages;
    for (std::size_t i = 0; i < pages.size(); ++i) {
      const auto& items = q.sections[pages[i].section].items;
      for (std::size_t j = pages[i].first; j < pages[i].last; ++j) {
        if (form.errors.count(items[j].id) > 0 && questionnaire::IsAsked(q, items[j], form.answers)) {
          form.page = static_cast<int>(i);
          return Redirect(self);
        }
      }
    }
    form.errors.clear();  // only errors of items no longer asked: nothing to correct
    form.raw.clear();
  }
  internal::PruneAnswers(q, form.answers);
  if (!questionnaire::ValidateAnswers(q, form.answers).ok()) return Message(400, form.language, &q, "bad");
  if (kiosk_id > 0) {
    std::lock_guard lock(kiosks_mu_);
    Kiosk& k = kiosks_[kiosk_id];
    if (k.has_submitted && NowMs() - k.last_submit_ms < std::int64_t{options_.kiosk_min_interval_seconds} * 1000) {
      form.notice = "wait_text";
      return Redirect(self);
    }
  }
  store::ResponseMeta meta;
  meta.wave_id = form.wave_id;
  meta.area_id = form.area_id;
  meta.channel = form.mode == Mode::kLink ? store::Channel::kLink
                 : form.mode == Mode::kKiosk ? store::Channel::kKiosk
                                             : store::Channel::kOpen;
  meta.language = form.language;
  meta.questionnaire_version_id = form.survey->questionnaire_version_id;
  meta.completeness = internal::IsComplete(q, form.answers) ? store::Completeness::kComplete
                                                            : store::Completeness::kPartial;
  core::Result<store::Id> written = db_.SubmitResponse(meta, form.answers, form.token_hash, form.key);
  if (written.ok() || (written.status().code() == core::StatusCode::kAlreadyExists &&
                       written.status().message().find("already submitted") != std::string::npos)) {
    // Stored (now, or by the same form instance before): thank you.
    form.submitted = true;
    form.answers.clear();
    form.raw.clear();
    if (kiosk_id > 0) {
      std::lock_guard lock(kiosks_mu_);
      Kiosk& k = kiosks_[kiosk_id];
      k.last_submit_ms = NowMs();
      k.has_submitted = true;
      k.form.reset();
      k.thanks = true;
      k.thanks_language = form.language;
    }
    return Redirect(self);
  }
  switch (written.status().code()) {
    case core::StatusCode::kAlreadyExists:
      form.submitted = true;
      form.used_elsewhere = true;
      form.answers.clear();
      return Message(200, form.language, &q, "already");
    case core::StatusCode::kNotFound:
      return Message(404, form.language, &q, "notfound");
    case core::StatusCode::kFailedPrecondition:
      return Message(200, form.language, &q, "closed");
    default:
      // Unavailable (busy, disk full, connection lost): nothing was stored;
      // the form stays as it is, so pressing send again retries.
      return Message(503, form.language, &q, "busy");
  }
}

// ------------------------------------------------------------------ modes

Reply Server::Impl::Link(Request& req, const std::string& token) {
  if (!core::IsToken(token)) return NotFound(req);
  const std::string hash = core::Sha256Hex(token);
  const std::string self = "/s/" + token;
  std::shared_ptr<FormState> state = FindForm("s:" + hash);
  if (state == nullptr) {
    PurgeDraftsHourly();
    core::Result<store::FormInvitation> inv = db_.FindInvitation(hash);
    if (!inv.ok()) {
      return inv.status().code() == core::StatusCode::kNotFound ? NotFound(req) : Busy(req, nullptr);
    }
    core::Result<store::Wave> wave = db_.GetWave(inv->wave_id);
    if (!wave.ok() || !wave->questionnaire_version_id) return Busy(req, nullptr);
    core::Result<std::shared_ptr<const Survey>> survey = SurveyFor(*wave->questionnaire_version_id);
    if (!survey.ok()) return Busy(req, nullptr);
    const questionnaire::Questionnaire& q = (*survey)->q;
    if (inv->used) return Message(200, Lang(req, &q), &q, "already", self);
    if (wave->status != store::WaveStatus::kOpen) return Message(200, Lang(req, &q), &q, "closed", self);
    if (req.post) return Message(403, Lang(req, &q), &q, "expired", self);
    auto fresh = NewForm(Mode::kLink, *wave, inv->area_id, *survey, Lang(req, &q));
    if (fresh == nullptr) return Busy(req, &q);
    fresh->token_hash = hash;
    core::Result<std::optional<std::string>> draft = db_.LoadDraft(hash);
    if (draft.ok() && draft->has_value()) {
      (void)internal::DecodeDraft(**draft, *fresh);  // an unreadable draft starts afresh
    }
    state = InsertForm("s:" + hash, fresh);
    if (state == nullptr) return Busy(req, &q);
  }
  return FormRequest(req, state, self, "", 0);
}

Reply Server::Impl::KioskSetup(Request& req, const std::string& id_text) {
  std::optional<store::Id> id = ParseId(id_text);
  if (!id) return NotFound(req);
  std::string secret;
  try {
    for (const auto& [k, v] : Poco::URI(req.http.getURI()).getQueryParameters()) {
      if (k == "secret") secret = v;
    }
  } catch (const Poco::Exception&) {
    return BadRequest(req, nullptr);
  }
  core::Result<store::KioskInfo> kiosk = db_.AuthenticateKioskById(*id, secret);
  if (!kiosk.ok()) {
    return kiosk.status().code() == core::StatusCode::kNotFound ? Message(403, Lang(req, nullptr), nullptr, "kiosk")
                                                                 : Busy(req, nullptr);
  }
  Reply r = Redirect("/k/" + id_text);
  // The secret lives on the device only: HttpOnly (no script reads it),
  // SameSite=Strict (no other site can send it), scoped to this kiosk's path.
  r.cookies.push_back(std::string(kKioskCookie) + "=" + secret + "; Path=/k/" + id_text +
                      "; Max-Age=31536000; HttpOnly; SameSite=Strict" + (options_.secure_cookies ? "; Secure" : ""));
  return r;
}

std::optional<Reply> Server::Impl::AuthenticateKiosk(Request& req, store::Id id, store::KioskInfo& kiosk) {
  Poco::Net::NameValueCollection cookies;
  req.http.getCookies(cookies);
  const std::string secret = cookies.get(kKioskCookie, "");
  if (secret.empty()) return Message(403, Lang(req, nullptr), nullptr, "kiosk");
  core::Result<store::KioskInfo> found = db_.AuthenticateKioskById(id, secret);
  if (!found.ok()) {
    return found.status().code() == core::StatusCode::kNotFound ? Message(403, Lang(req, nullptr), nullptr, "kiosk")
                                                                 : Busy(req, nullptr);
  }
  kiosk = *found;
  return std::nullopt;
}

Reply Server::Impl::KioskPage(Request& req, const std::string& id_text) {
  std::optional<store::Id> id = ParseId(id_text);
  if (!id) return NotFound(req);
  store::KioskInfo kiosk_info;
  if (std::optional<Reply> refused = AuthenticateKiosk(req, *id, kiosk_info)) return *refused;
  const store::KioskInfo* kiosk = &kiosk_info;
  if (!kiosk->area_id) return Message(200, Lang(req, nullptr), nullptr, "closed");
  core::Result<store::Wave> wave = db_.CurrentOpenWave(*kiosk->area_id);
  if (!wave.ok()) {
    return wave.status().code() == core::StatusCode::kNotFound ? Message(200, Lang(req, nullptr), nullptr, "closed")
                                                                : Busy(req, nullptr);
  }
  core::Result<std::shared_ptr<const Survey>> survey = SurveyFor(*wave->questionnaire_version_id);
  if (!survey.ok()) return Busy(req, nullptr);
  const questionnaire::Questionnaire& q = (*survey)->q;
  const std::string self = "/k/" + id_text;
  std::shared_ptr<FormState> form;
  std::string start_csrf;
  {
    std::lock_guard lock(kiosks_mu_);
    Kiosk& k = kiosks_[*id];
    if (k.start_csrf.empty()) {
      core::Result<std::string> t = core::NewToken();
      if (!t.ok()) return Busy(req, &q);
      k.start_csrf = *t;
    }
    // The idle timeout: a half-filled form nobody touched is gone, server-side.
    const std::int64_t clear_after_ms =
        std::int64_t{options_.kiosk_idle_seconds + kKioskGraceSeconds + kKioskServerMarginSeconds} * 1000;
    if (k.form != nullptr && (NowMs() - k.form->touched_ms.load() > clear_after_ms ||
                              k.form->wave_id != wave->id)) {
      k.form.reset();
    }
    if (!req.post && k.thanks) {
      k.thanks = false;
      const std::string seconds = std::to_string(options_.kiosk_thanks_seconds);
      const std::string refresh = "<meta name=\"tryghed-return\" data-seconds=\"" + seconds + "\" data-home=\"" +
                                  self + "\">\n<script src=\"/static/kiosk.js\" defer></script>\n" +
                                  "<noscript><meta http-equiv=\"refresh\" content=\"" + seconds + ";url=" + self +
                                  "\"></noscript>\n";
      Reply r;
      r.body = internal::RenderMessage(k.thanks_language, &q, "thanks_title", "thanks_kiosk", "", refresh);
      return r;
    }
    form = k.form;
    start_csrf = k.start_csrf;
  }
  if (!req.post) {
    if (form == nullptr) {
      Reply r;
      r.body = internal::RenderStart(q, Lang(req, &q), self, start_csrf);
      return r;
    }
    return FormRequest(req, form, self, KioskHead(self, *form), *id);
  }
  core::Result<Fields> fields = ParseFields(req, (*survey)->field_limit);
  if (!fields.ok()) return BadRequest(req, &q);
  if (FieldValue(*fields, "action") == "start") {
    if (!SameSecret(FieldValue(*fields, "csrf"), start_csrf)) return Message(403, Lang(req, &q), &q, "expired", self);
    auto fresh = NewForm(Mode::kKiosk, *wave, *kiosk->area_id, *survey, FieldValue(*fields, "lang"));
    if (fresh == nullptr) return Busy(req, &q);
    std::lock_guard lock(kiosks_mu_);
    Kiosk& k = kiosks_[*id];
    k.form = fresh;
    k.thanks = false;
    return Redirect(self);
  }
  if (form == nullptr || FieldValue(*fields, "form") != form->key) {
    // The form this page belonged to was cleared (idle, or finished): start over.
    return Redirect(self);
  }
  return FormRequest(req, form, self, KioskHead(self, *form), *id);
}

std::string Server::Impl::KioskHead(const std::string& self, FormState& form) {
  std::string language;
  {
    std::lock_guard lock(form.mu);
    language = form.language;
  }
  const std::string idle = std::to_string(options_.kiosk_idle_seconds);
  const std::string fallback = std::to_string(options_.kiosk_idle_seconds + kKioskGraceSeconds);
  return "<meta name=\"tryghed-kiosk\" data-idle=\"" + idle + "\" data-grace=\"" +
         std::to_string(kKioskGraceSeconds) + "\" data-home=\"" + self + "/reset\" data-alive=\"" + self +
         "/alive\" data-warning=\"" + EscapeHtml(internal::Ui(language, "idle_warning")) + "\" data-more=\"" +
         EscapeHtml(internal::Ui(language, "idle_more")) + "\">\n<script src=\"/static/kiosk.js\" defer></script>\n" +
         "<noscript><meta http-equiv=\"refresh\" content=\"" + fallback + ";url=" + self + "/reset\"></noscript>\n";
}

Reply Server::Impl::KioskAlive(Request& req, const std::string& id_text, bool reset) {
  std::optional<store::Id> id = ParseId(id_text);
  if (!id) return NotFound(req);
  store::KioskInfo kiosk_info;
  if (std::optional<Reply> refused = AuthenticateKiosk(req, *id, kiosk_info)) return *refused;
  {
    std::lock_guard lock(kiosks_mu_);
    auto k = kiosks_.find(*id);
    if (k != kiosks_.end() && k->second.form != nullptr) {
      if (reset) k->second.form.reset();
      else k->second.form->touched_ms = NowMs();
    }
  }
  if (reset) return Redirect("/k/" + id_text);
  Reply r;
  r.status = 204;
  return r;
}

Reply Server::Impl::OpenStart(Request& req, const std::string& code) {
  if (!core::IsToken(code)) return NotFound(req);
  core::Result<store::OpenLink> link = db_.FindOpenLink(code);
  if (!link.ok()) return link.status().code() == core::StatusCode::kNotFound ? NotFound(req) : Busy(req, nullptr);
  core::Result<store::Wave> wave = db_.GetWave(link->wave_id);
  if (!wave.ok() || !wave->questionnaire_version_id) return Busy(req, nullptr);
  core::Result<std::shared_ptr<const Survey>> survey = SurveyFor(*wave->questionnaire_version_id);
  if (!survey.ok()) return Busy(req, nullptr);
  const questionnaire::Questionnaire& q = (*survey)->q;
  if (wave->status != store::WaveStatus::kOpen) return Message(200, Lang(req, &q), &q, "closed", "/o/" + code);
  auto fresh = NewForm(Mode::kOpen, *wave, link->area_id, *survey, Lang(req, &q));
  if (fresh == nullptr || InsertForm("o:" + fresh->key, fresh) == nullptr) return Busy(req, &q);
  return Redirect("/o/" + code + "/" + fresh->key);
}

Reply Server::Impl::OpenForm(Request& req, const std::string& code, const std::string& key) {
  if (!core::IsToken(code) || !core::IsToken(key)) return NotFound(req);
  std::shared_ptr<FormState> state = FindForm("o:" + key);
  if (state == nullptr) {
    if (!req.post) return Redirect("/o/" + code);
    return Message(403, Lang(req, nullptr), nullptr, "expired");
  }
  return FormRequest(req, state, "/o/" + code + "/" + key, "", 0);
}

// ------------------------------------------------------------------ server

core::Result<std::unique_ptr<Server>> Server::Start(store::Store& db, const ServerOptions& options) {
  if (options.port < 0 || options.port > 65535) return core::InvalidArgument("the port must be 0 to 65535");
  if (options.threads < 1 || options.max_queued < 1) {
    return core::InvalidArgument("server.threads and server.max_queued must be at least 1");
  }
  if (options.max_connections_per_client < 0) {
    return core::InvalidArgument("server.max_connections_per_client must be 0 (no cap) or more");
  }
  if (options.max_body_bytes < 1024) return core::InvalidArgument("form.max_body_bytes must be at least 1024");
  if (options.max_forms < 1 || options.form_ttl_minutes < 1 || options.kiosk_idle_seconds < 1 ||
      options.kiosk_min_interval_seconds < 0 || options.kiosk_thanks_seconds < 1) {
    return core::InvalidArgument(
        "form.max_forms, form.ttl_minutes, kiosk.idle_seconds and kiosk.thanks_seconds must be at least 1, "
        "kiosk.min_interval_seconds at least 0");
  }
  if (options.admin_idle_seconds < 1 || options.admin_max_seconds < options.admin_idle_seconds) {
    return core::InvalidArgument("admin.idle_minutes must be at least 1 and admin.max_hours at least as long");
  }
  auto impl = std::make_unique<Impl>(db, options);
  TRYGHED_RETURN_IF_ERROR(impl->Init());
  try {
    Poco::Net::SocketAddress address(options.host, static_cast<Poco::UInt16>(options.port));
    Poco::Net::ServerSocket socket;
    socket.bind(address, true);
    socket.listen(options.max_queued);
    Poco::Net::HTTPServerParams::Ptr params(new Poco::Net::HTTPServerParams);
    params->setMaxThreads(options.threads);
    params->setMaxQueued(options.max_queued);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(30, 0));
    impl->pool_ = std::make_unique<Poco::ThreadPool>(2, options.threads + 2, 60);
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers(new Factory(*impl));
    auto* connections = new internal::ConnectionFactory(params, handlers, impl->address_key(),
                                                        options.max_connections_per_client);
    impl->connections_ = connections;
    impl->http_ = std::make_unique<Poco::Net::TCPServer>(connections, *impl->pool_, socket, params);
    impl->http_->start();
    impl->port_ = socket.address().port();
  } catch (const Poco::Exception& e) {
    return core::Unavailable("cannot serve on " + options.host + ":" + std::to_string(options.port) + ": " +
                             e.displayText());
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Stop(); }

int Server::port() const { return impl_->port_; }

void Server::Stop() {
  if (impl_ == nullptr || impl_->stopped_) return;
  impl_->stopped_ = true;
  impl_->http_->stop();  // no new connections; requests in flight finish
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(impl_->options_.shutdown_grace_seconds);
  while (impl_->http_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (impl_->http_->currentConnections() > 0) impl_->connections_->ShutdownAll();
  impl_->pool_->joinAll();
}

}  // namespace tryghed::web
