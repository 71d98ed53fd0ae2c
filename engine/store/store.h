#pragma once
// tryghed::store — durable, anonymous survey data on SQLite or PostgreSQL.
//
// A Store is one database: an embedded SQLite file (the default, "tryghed.db")
// or a PostgreSQL server ("postgresql://user@host:port/db") that several web
// servers share. Both run the same SQL through Poco::Data; the few dialect
// differences live in one table (store/internal/dialect.h, docs/store.md).
//
// Opening a database creates it when missing and applies the numbered schema
// migrations; a database written by a newer program is refused.
//
// Example:
//
//   core::Result<std::unique_ptr<store::Store>> db = store::Store::Open("tryghed.db");
//   if (!db.ok()) { std::cerr << db.status().ToString() << "\n"; return 1; }
//   core::Result<store::Id> study = (*db)->CreateStudy("Gadehavegård 2026", "pilot");
//   ...
//   store::ResponseMeta meta{.wave_id = w, .area_id = a, .channel = store::Channel::kLink,
//                            .language = "da", .questionnaire_version_id = q};
//   core::Result<store::Id> r = (*db)->SubmitResponse(meta, answers,
//                                                      core::Sha256Hex(token), form_key);
//   // AlreadyExists: the token was used, or this form instance was already submitted.
//
// Guarantees (docs/store.md explains how each is enforced):
//   - a response and its answers are written once, in one transaction, and never
//     changed or deleted (triggers reject UPDATE and DELETE in both dialects);
//   - a response row holds no token, invitation id, IP address, user agent or
//     time finer than the day;
//   - an invitation is marked used in the same transaction as its response is
//     written, by a conditional UPDATE whose affected-row count decides, so a
//     token is used at most once even when several servers race;
//   - a wave's questionnaire version cannot change once the wave is open, and a
//     wave's status only moves draft -> open -> closed.
//
// Thread safety: a Store holds a small pool of database sessions; every method
// may be called from several threads at once. A Store must outlive the calls
// made on it. Several processes may open the same database (SQLite serialises
// writers with a busy timeout; PostgreSQL with row locks).
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/answers.h"
#include "core/progress.h"
#include "core/status.h"

namespace tryghed::store {

namespace internal {
struct StoreTestAccess;  // store/internal/testing.h
}  // namespace internal

// Row ids are positive 64-bit integers assigned by the database.
using Id = std::int64_t;

// The schema version this program writes (the highest migration it knows).
int CurrentSchemaVersion();

// Which database a Store talks to.
enum class Backend { kSqlite, kPostgres };

// How to open a Store. Every field has a default that suits the CLI.
struct OpenOptions {
  // Who performs administrative actions; written to the audit log.
  std::string actor = "tryghed";
  // Most sessions the pool opens (callers beyond this wait for a free one).
  int max_sessions = 16;
  // How long a call waits for a free session or (SQLite) a write lock before
  // it fails with Unavailable, in milliseconds.
  int busy_timeout_ms = 10000;
};

// An evaluation project: one intervention evaluated over several waves.
struct Study {
  Id id = 0;
  std::string name;          // unique, e.g. "Gadehavegård 2026"
  std::string description;   // free text for evaluators, may be empty
  std::string created_on;    // YYYY-MM-DD (UTC)
};

// Whether an area receives the intervention or serves as a comparison.
enum class AreaRole { kPilot, kComparison };

// "pilot" / "comparison".
const char* AreaRoleName(AreaRole role);
// The role named `name`; InvalidArgument for anything else.
core::Result<AreaRole> ParseAreaRole(const std::string& name);

// A housing area within a study.
struct Area {
  Id id = 0;
  Id study_id = 0;
  std::string name;             // unique within the study
  AreaRole role = AreaRole::kPilot;
  std::optional<std::int64_t> population;  // residents in the survey population
};

// One population margin cell used for weighting: e.g. margin "sex", level "f", N 412.
struct Margin {
  std::string margin;
  std::string level;
  std::int64_t n = 0;
  friend bool operator==(const Margin&, const Margin&) = default;
};

// The lifecycle of a wave. Only draft -> open -> closed is allowed.
enum class WaveStatus { kDraft, kOpen, kClosed };

// "draft" / "open" / "closed".
const char* WaveStatusName(WaveStatus status);

// One round of data collection within a study.
struct Wave {
  Id id = 0;
  Id study_id = 0;
  std::string label;                          // unique within the study, e.g. "baseline"
  std::string starts_on;                      // YYYY-MM-DD or empty
  std::string ends_on;                        // YYYY-MM-DD or empty
  std::optional<Id> questionnaire_version_id; // must be set before the wave opens
  WaveStatus status = WaveStatus::kDraft;
};

// A stored questionnaire version: its JSON and the hash of its canonical form.
struct QuestionnaireVersion {
  Id id = 0;
  std::string content_hash;  // 64 lower-case hex characters
  std::string json;
};

// How a response reached us.
enum class Channel { kKiosk, kLink, kOpen, kImport };
// "kiosk" / "link" / "open" / "import".
const char* ChannelName(Channel channel);

// Whether a response counts as a complete or a partial interview (AAPOR).
enum class Completeness { kComplete, kPartial };

// AAPOR-style dispositions of an invitation.
enum class Disposition {
  kNotUsed, kComplete, kPartial, kRefused, kUndeliverable, kNotEligible
};
// "not used", "complete", "partial", "refused", "undeliverable", "not eligible".
const char* DispositionName(Disposition d);

// What is stored about a response besides its answers. Deliberately nothing
// that identifies a person or a moment: no token, no invitation, no address,
// no time finer than the day.
struct ResponseMeta {
  Id wave_id = 0;
  Id area_id = 0;
  Channel channel = Channel::kLink;
  std::string language = "da";        // BCP 47 tag of the form's language
  Id questionnaire_version_id = 0;    // must equal the wave's version
  std::string received_on;            // YYYY-MM-DD; empty = today (UTC)
  Completeness completeness = Completeness::kComplete;
  std::optional<Id> import_batch_id;  // set for channel kImport only
};

// A stored response, as read back for evaluation and export.
struct StoredResponse {
  Id id = 0;
  ResponseMeta meta;
  core::Answers answers;
};

// One response to be written: what SubmitResponse takes, as one value.
struct Submission {
  ResponseMeta meta;
  core::Answers answers;
  std::optional<std::string> token_hash;       // SHA-256 hex of an invitation token
  std::optional<std::string> idempotency_key;  // the form instance's key
};

// One import of an older wave from a file (paper, telephone, police survey).
struct ImportBatch {
  Id id = 0;
  Id wave_id = 0;
  std::string file_hash;   // SHA-256 hex of the imported file
  std::int64_t row_count = 0;
  std::string imported_by;
  std::string imported_at; // YYYY-MM-DDTHH:MM:SSZ
};

// One entry of the audit log of administrative actions.
struct AuditEntry {
  Id id = 0;
  std::string at;       // YYYY-MM-DDTHH:MM:SSZ (UTC)
  std::string actor;
  std::string action;   // e.g. "wave.open"
  std::string subject;  // e.g. "wave 3"
  std::string detail;
};

// Invitation counts of one wave by disposition (response-rate input).
struct DispositionCount {
  Disposition disposition = Disposition::kNotUsed;
  std::int64_t count = 0;
};

// --- live counts for the dashboard (Store::ResponsesPerDay; docs/store.md) ---
// How many responses one area received on one day through one channel. Only
// counts: nothing of any single answer.
struct DailyResponses {
  std::string day;             // YYYY-MM-DD (the response's received_on)
  Id area_id = 0;
  Channel channel = Channel::kLink;
  std::int64_t responses = 0;  // complete and partial
  std::int64_t complete = 0;   // of which complete
  friend bool operator==(const DailyResponses&, const DailyResponses&) = default;
};

// --- the dashboard's results (Store::SaveEvaluation; docs/store.md) ---
// A study's stored evaluation: the JSON of evaluation::ToJson, who made it
// and when. Aggregates after disclosure control only.
struct StoredEvaluation {
  Id id = 0;
  Id study_id = 0;
  std::string made_at;  // YYYY-MM-DDTHH:MM:SSZ (UTC)
  std::string made_by;  // the acting user (ActingAs) or OpenOptions::actor
  std::string result_json;
};

// --- the resident form ---
// What an invitation token opens (Store::FindInvitation).
struct FormInvitation {
  Id wave_id = 0;
  Id area_id = 0;
  bool used = false;  // any disposition other than "not used"
};

// A registered kiosk (Store::AuthenticateKioskById).
struct KioskInfo {
  Id id = 0;
  std::string name;
  std::optional<Id> area_id;
};

// What an open-link code opens (Store::FindOpenLink).
struct OpenLink {
  Id wave_id = 0;
  Id area_id = 0;
};

// --- admin accounts and sessions (store/accounts.cpp; docs/web.md "Admin") ---
// What an account may do. Ordered: a higher role may do everything a lower
// one may (admin > evaluator > reader).
enum class UserRole { kReader = 0, kEvaluator = 1, kAdmin = 2 };
// "reader" / "evaluator" / "admin".
const char* UserRoleName(UserRole role);
// The role named `name`; InvalidArgument for anything else.
core::Result<UserRole> ParseUserRole(const std::string& name);

// Failed logins an account may have before it is locked, and the longest lock.
// The n-th failure (n >= kLoginFailuresBeforeLock) locks the account for
// min(2^(n-1), kMaxLockSeconds) seconds: 4 s, 8 s, 16 s ... 5 minutes.
inline constexpr int kLoginFailuresBeforeLock = 3;
inline constexpr int kMaxLockSeconds = 300;
// The seconds the `failures`-th failed login in a row locks an account for
// (0 below kLoginFailuresBeforeLock).
std::int64_t LoginLockSeconds(std::int64_t failures);

// One account of the admin site.
struct User {
  Id id = 0;
  std::string name;             // unique, 1-64 characters, no spaces or control characters
  UserRole role = UserRole::kReader;
  std::string password_hash;    // Argon2id PHC string (core/password.h)
  std::string created_on;       // YYYY-MM-DD (UTC)
  bool disabled = false;
  int failed_logins = 0;        // since the last successful login
  std::int64_t locked_until = 0;  // unix seconds; no login before then (0 = not locked)
};

// A signed-in browser (Store::FindAdminSession), with its account.
struct AdminSession {
  Id user_id = 0;
  std::string user_name;
  UserRole role = UserRole::kReader;
  std::string csrf;             // the token every form of this session carries
  std::int64_t created_at = 0;  // unix seconds
  std::int64_t last_seen_at = 0;
  std::int64_t expires_at = 0;  // absolute end, whatever the activity
};

// A registered kiosk as the admin site lists it (Store::ListKiosks).
struct Kiosk {
  Id id = 0;
  std::string name;
  std::optional<Id> area_id;
  std::string registered_on;  // YYYY-MM-DD
  std::string revoked_on;     // YYYY-MM-DD, empty while it may collect answers
};

// While an ActingAs lives, the audit log entries written by this thread's
// store calls name `actor` instead of OpenOptions::actor: the admin site
// wraps each request of a signed-in user in one, so CreateStudy, OpenWave
// and the rest log that user's name. Nests (the innermost wins).
//
//   store::ActingAs as(session.user_name);
//   (void)db.OpenWave(wave_id);   // audit_log.actor = session.user_name
class ActingAs {
 public:
  explicit ActingAs(std::string actor);
  ~ActingAs();
  ActingAs(const ActingAs&) = delete;
  ActingAs& operator=(const ActingAs&) = delete;

 private:
  std::string previous_;
};

// The durable store. Create with Open(); see the header comment for the
// guarantees and thread safety. Every method returns a Status or Result; none
// throws. Database failures map to: Unavailable (busy, locked, connection lost,
// disk full: retry later), FailedPrecondition (schema or state forbids it),
// AlreadyExists, NotFound, InvalidArgument, Internal (a bug).
class Store {
 public:
  // Opens `db`: a SQLite file path (created when missing) or a
  // postgresql:// / postgres:// URL (the database must exist). Applies pending
  // migrations. FailedPrecondition when the database was written by a newer
  // program; Unavailable when it cannot be reached.
  static core::Result<std::unique_ptr<Store>> Open(const std::string& db,
                                                   const OpenOptions& options = {});

  // The database to use when the user named none: $TRYGHED_DB when set and
  // not empty, else "tryghed.db".
  static std::string DefaultDatabase();

  // Closes every pooled session. No call may be running.
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Which database this Store talks to.
  Backend backend() const;
  // The schema version recorded in the database.
  core::Result<int> SchemaVersion();

  // --- studies ---
  // Creates a study; AlreadyExists when the name is taken, InvalidArgument when empty.
  core::Result<Id> CreateStudy(const std::string& name, const std::string& description);
  // Every study, ordered by id.
  core::Result<std::vector<Study>> ListStudies();
  // The study named `name`; NotFound when none.
  core::Result<Study> FindStudy(const std::string& name);

  // --- areas ---
  // Adds an area to a study. `population` must be positive when given.
  core::Result<Id> AddArea(Id study_id, const std::string& name, AreaRole role,
                           std::optional<std::int64_t> population);
  // The areas of a study, ordered by id; NotFound when the study does not exist.
  core::Result<std::vector<Area>> ListAreas(Id study_id);
  // The area of the study named `name`; NotFound when none.
  core::Result<Area> FindArea(Id study_id, const std::string& name);
  // Replaces the population margins of `area_id` for `wave_id` (nullopt: the
  // default for every wave without its own). Cells must be unique by
  // (margin, level) with N >= 0.
  core::Status SetMargins(Id area_id, std::optional<Id> wave_id, const std::vector<Margin>& margins);
  // The margins for `wave_id`: its own when set, else the area's default
  // (nullopt asks for the default directly). Sorted by margin, level.
  core::Result<std::vector<Margin>> GetMargins(Id area_id, std::optional<Id> wave_id);

  // --- questionnaire versions ---
  // Stores a questionnaire version, or returns the id of the one with the same
  // hash. InvalidArgument when the hash is not 64 hex characters or the JSON is
  // empty; AlreadyExists when the hash is stored with different JSON.
  core::Result<Id> AddQuestionnaireVersion(const std::string& json, const std::string& content_hash);
  // The stored version with this id; NotFound when none.
  core::Result<QuestionnaireVersion> GetQuestionnaireVersion(Id id);

  // --- waves ---
  // Creates a draft wave. Dates are YYYY-MM-DD or empty; the questionnaire
  // version may be set now or later (before Open).
  core::Result<Id> CreateWave(Id study_id, const std::string& label, const std::string& starts_on,
                              const std::string& ends_on, std::optional<Id> questionnaire_version_id);
  // The wave with this id; NotFound when none.
  core::Result<Wave> GetWave(Id wave_id);
  // The wave of the study labelled `label`; NotFound when none.
  core::Result<Wave> FindWave(Id study_id, const std::string& label);
  // The waves of a study, ordered by id; NotFound when the study does not exist.
  core::Result<std::vector<Wave>> ListWaves(Id study_id);
  // Sets the questionnaire version of a draft wave; FailedPrecondition once open.
  core::Status SetWaveQuestionnaire(Id wave_id, Id questionnaire_version_id);
  // draft -> open (needs a questionnaire version); FailedPrecondition otherwise.
  core::Status OpenWave(Id wave_id);
  // open -> closed; FailedPrecondition otherwise.
  core::Status CloseWave(Id wave_id);

  // --- kiosks ---
  // Registers a kiosk device. Only the SHA-256 of `secret` (at least 16
  // characters) is stored.
  core::Result<Id> RegisterKiosk(const std::string& name, std::optional<Id> area_id,
                                 const std::string& secret);
  // The kiosk id when `name` and `secret` match a registered kiosk; NotFound otherwise
  // (the message does not say which of the two was wrong).
  core::Result<Id> AuthenticateKiosk(const std::string& name, const std::string& secret);

  // --- invitations ---
  // Adds invitations for (wave, area) in one transaction; each token hash is the
  // SHA-256 hex of a token. AlreadyExists when a hash is already stored.
  core::Status AddInvitations(Id wave_id, Id area_id, const std::vector<std::string>& token_hashes);
  // Marks an unused invitation refused, undeliverable or not eligible.
  // FailedPrecondition when it was already used or given a disposition.
  core::Status SetDisposition(const std::string& token_hash, Disposition disposition);
  // SetDisposition for many invitations (token hash, disposition) in one
  // transaction, all or nothing: the first failure is returned with "row N: "
  // (1-based position in `marks`) and nothing is changed. A hash may appear
  // once; a second mark of it fails as already given a disposition.
  core::Status SetDispositions(std::span<const std::pair<std::string, Disposition>> marks);
  // Counts of invitations of a wave (of one of its areas when `area_id` is
  // given) by disposition: all six, zeros included, in enum order.
  core::Result<std::vector<DispositionCount>> CountDispositions(Id wave_id,
                                                                std::optional<Id> area_id = std::nullopt);

  // --- responses ---
  // Writes one response and its answers durably and returns its id; returns
  // only after the transaction holding it committed. With `token_hash`, the
  // invitation for (wave, area) with that hash is marked complete/partial in
  // the same transaction, and only if it was not used: AlreadyExists when it
  // was, NotFound when there is no such invitation for this wave and area.
  // With `idempotency_key` (the form instance's key), its hash is recorded in
  // the same transaction, in a table not linked to the response:
  // AlreadyExists when it was recorded before (the earlier submit was
  // stored). FailedPrecondition when the wave is not open or the
  // questionnaire version is not the wave's.
  //
  // Group commit: concurrent calls on one Store are written together. The
  // first caller that finds no transaction in progress writes every waiting
  // submission (at most 512) in one transaction, each in its own savepoint,
  // so one failure (a used token) rolls back only that submission; callers
  // arriving meanwhile wait for the next transaction. One fsync serves many
  // residents, and nobody is acknowledged before their commit.
  core::Result<Id> SubmitResponse(const ResponseMeta& meta, const core::Answers& answers,
                                  const std::optional<std::string>& token_hash,
                                  const std::optional<std::string>& idempotency_key);
  // Writes `batch` in one transaction; outcome i is what SubmitResponse would
  // have returned for batch[i] (failures roll back only their own
  // submission). When the transaction itself fails (busy, disk full,
  // connection lost), every outcome is that error and nothing was written.
  std::vector<core::Result<Id>> SubmitResponses(std::span<const Submission> batch);
  // Imports `rows` into `wave_id` all or nothing, in one transaction that
  // also records the import batch (file hash, row count, who, when): either
  // the batch and every response are stored, or nothing is. Rows must be of
  // that wave and carry no token or form key; their channel becomes 'import'.
  // The wave may be in any status (older waves are imported after they
  // closed) but its questionnaire version must match. AlreadyExists when a
  // file with this hash was imported into the wave before; a row's failure
  // is returned with "row N" (1-based position in `rows`) in its message.
  // `progress` (if set) hears the rows written so far inside the transaction,
  // every 1,000 rows and once all are written (the commit follows); a retried
  // transaction starts counting again.
  core::Result<std::vector<Id>> ImportResponses(Id wave_id, const std::string& file_hash,
                                                std::span<const Submission> rows, const core::ProgressFn& progress = {});
  // All responses of a wave, ordered by id, with their answers.
  core::Result<std::vector<StoredResponse>> ReadResponses(Id wave_id);
  // How many responses a wave has.
  core::Result<std::int64_t> CountResponses(Id wave_id);
  // --- live counts for the dashboard (responses.cpp; docs/store.md) ---
  // The responses of a wave per day, area and channel, ordered by day, area
  // id and channel name: one GROUP BY over the response table (the same SQL
  // on SQLite and PostgreSQL). Days without responses have no row.
  // NotFound when the wave does not exist.
  core::Result<std::vector<DailyResponses>> ResponsesPerDay(Id wave_id);

  // --- evaluations for the dashboard (evaluations.cpp; docs/store.md) ---
  // Stores `result_json` as the study's latest evaluation and deletes the
  // older ones of the study, in one transaction with its audit entry
  // ("evaluation.save"). NotFound when the study does not exist;
  // InvalidArgument for empty JSON.
  core::Result<Id> SaveEvaluation(Id study_id, const std::string& result_json);
  // The study's latest stored evaluation; NotFound when it has none (or the
  // study does not exist).
  core::Result<StoredEvaluation> LatestEvaluation(Id study_id);
  // Writes one audit entry for an action that changes nothing in the store
  // (a download of raw data or of invitation tokens), under the acting user.
  // InvalidArgument for an empty action.
  core::Status LogAction(const std::string& action, const std::string& subject, const std::string& detail);

  // --- imports and audit ---
  // Whether a file with this SHA-256 (lower-case hex) was imported into the
  // wave before (what ImportResponses would refuse); lets a dry run say so.
  core::Result<bool> WasImported(Id wave_id, const std::string& file_hash);
  // Records an import batch; AlreadyExists when a file with this hash was
  // imported into the wave before.
  core::Result<Id> RecordImportBatch(Id wave_id, const std::string& file_hash, std::int64_t row_count);
  // The audit log, newest last; at most `limit` entries (the newest).
  core::Result<std::vector<AuditEntry>> ReadAuditLog(int limit);

  // --- backup and restore (backup.cpp) ---
  // Copies the SQLite database into the new file `out_path` with SQLite's
  // online backup API on one of this Store's connections: a consistent
  // snapshot taken while other connections and servers keep writing. The copy
  // is written beside `out_path`, fsynced and linked into place, so
  // `out_path` is either complete or absent; it is one self-contained file
  // (rollback journal). AlreadyExists when `out_path` exists. On PostgreSQL:
  // FailedPrecondition whose message gives the pg_dump command to run.
  //
  //   core::Status st = db->Backup("/srv/backup/tryghed-2026-05-01.db");
  core::Status Backup(const std::string& out_path);
  // Puts the backup `backup_path` in place as the SQLite database
  // `target_path`, after checking it: PRAGMA integrity_check is ok and it is
  // a tryghed database whose schema is not newer than this program
  // (InvalidInput / FailedPrecondition otherwise, nothing touched). The copy
  // goes to a temporary file beside the target, is fsynced and renamed. An
  // existing target is refused (AlreadyExists) unless `force`; then it is
  // kept as TARGET.before-restore. No program may have the target open.
  // FailedPrecondition with the pg_restore command for a postgresql:// target.
  static core::Status Restore(const std::string& backup_path, const std::string& target_path, bool force);

  // --- the resident form --- (store/forms.cpp; docs/web.md)
  // What an invitation token hash opens: its wave and area and whether it was
  // used (any disposition other than "not used"). NotFound when no invitation
  // has this hash (one indexed lookup, nothing else, whatever the outcome).
  core::Result<FormInvitation> FindInvitation(const std::string& token_hash);
  // The kiosk with id `kiosk_id` when `secret` is its secret (constant-time
  // comparison of the hashes); NotFound otherwise, not saying which was wrong.
  core::Result<KioskInfo> AuthenticateKioskById(Id kiosk_id, const std::string& secret);
  // The open wave of the area's study with the highest id; NotFound when the
  // area does not exist or its study has no open wave.
  core::Result<Wave> CurrentOpenWave(Id area_id);
  // The open-link code of (wave, area), made (from core::NewToken) and stored
  // the first time it is asked for.
  core::Result<std::string> OpenLinkCode(Id wave_id, Id area_id);
  // The wave and area of an open-link code; NotFound when none.
  core::Result<OpenLink> FindOpenLink(const std::string& code);
  // Saves the link-mode form in progress of an invitation (`state` is the
  // form's own encoding, opaque here), replacing an earlier draft.
  // FailedPrecondition when the invitation was already used (so no draft can
  // outlive its submission); NotFound when there is no such invitation.
  // SubmitResponse deletes the draft of its token in its own transaction.
  core::Status SaveDraft(const std::string& token_hash, const std::string& state);
  // The saved draft of an invitation, or nullopt when there is none.
  core::Result<std::optional<std::string>> LoadDraft(const std::string& token_hash);
  // Deletes the drafts of waves that are no longer open and those not saved
  // for `max_age_days` days (a draft is answers linkable to a token, so it is
  // kept no longer than it can be finished). Returns how many went.
  core::Result<std::int64_t> PurgeDrafts(int max_age_days);

  // --- admin accounts and sessions (store/accounts.cpp; docs/web.md "Admin") ---
  // Creates an account. `password_hash` is an Argon2id PHC string
  // (core::HashPassword); the password itself never reaches the store.
  // InvalidArgument for a bad name or hash; AlreadyExists when the name is taken.
  core::Result<Id> CreateUser(const std::string& name, UserRole role, const std::string& password_hash);
  // Every account, ordered by name.
  core::Result<std::vector<User>> ListUsers();
  // The account named `name`; NotFound when none.
  core::Result<User> FindUser(const std::string& name);
  // Disables (or enables again) the account named `name`; disabling also ends
  // its sessions. NotFound when none.
  core::Status SetUserDisabled(const std::string& name, bool disabled);
  // Counts one failed login of `user_id` and, from the
  // kLoginFailuresBeforeLock-th failure on, locks the account (see
  // kMaxLockSeconds). Returns the account as it is now (locked_until set).
  core::Result<User> RecordLoginFailure(Id user_id);
  // Clears the failure count and the lock after a successful login.
  core::Status RecordLoginSuccess(Id user_id);
  // Stores a new session of `user_id` under the SHA-256 of its cookie token
  // (never the token), with its CSRF token; it ends `max_age_seconds` from
  // now whatever the activity. AlreadyExists for a hash already stored.
  core::Status CreateAdminSession(const std::string& token_hash, Id user_id, const std::string& csrf,
                                  int max_age_seconds);
  // The session with this token hash and its account. NotFound when there is
  // none, it passed its absolute end, it was not seen for more than
  // `idle_seconds` (whole seconds), or
  // its account is disabled (one message for all: the caller signs in again).
  core::Result<AdminSession> FindAdminSession(const std::string& token_hash, int idle_seconds);
  // Marks the session seen now (restarts its idle time).
  core::Status TouchAdminSession(const std::string& token_hash);
  // Ends a session (logout). Ok when there is none.
  core::Status DeleteAdminSession(const std::string& token_hash);
  // Deletes sessions past their absolute end or idle for more than `idle_seconds`;
  // returns how many went.
  core::Result<std::int64_t> PurgeExpiredSessions(int idle_seconds);
  // Every registered kiosk, ordered by id, revoked ones included.
  core::Result<std::vector<Kiosk>> ListKiosks();
  // Revokes a kiosk: its secret opens nothing any more (AuthenticateKiosk*
  // answer NotFound). NotFound when there is no such kiosk; revoking twice is ok.
  core::Status RevokeKiosk(Id kiosk_id);

  // The implementation (store.cpp): the dialect and the session pool.
  class Impl;

 private:
  friend struct internal::StoreTestAccess;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tryghed::store
