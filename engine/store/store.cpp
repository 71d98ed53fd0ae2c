#include "store/store.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/Nullable.h>
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <utility>

#include "core/sha256.h"
#include "store/internal/dialect.h"
#include "store/internal/testing.h"

// Like TRYGHED_RETURN_IF_ERROR, for the outer call around a transaction body
// that itself uses TRYGHED_RETURN_IF_ERROR (distinct names: no shadowing).
#define STORE_RETURN_IF_ERROR(expr)                 \
  do {                                              \
    ::tryghed::core::Status store_status_ = (expr); \
    if (!store_status_.ok()) return store_status_;  \
  } while (false)

namespace tryghed::store {

using core::Result;
using core::Status;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using Poco::Int64;

// ---------------------------------------------------------------- names

const char* AreaRoleName(AreaRole role) { return role == AreaRole::kPilot ? "pilot" : "comparison"; }

Result<AreaRole> ParseAreaRole(const std::string& name) {
  if (name == "pilot") return AreaRole::kPilot;
  if (name == "comparison") return AreaRole::kComparison;
  return core::InvalidArgument("area role must be 'pilot' or 'comparison', got '" + name + "'");
}

const char* WaveStatusName(WaveStatus status) {
  switch (status) {
    case WaveStatus::kDraft: return "draft";
    case WaveStatus::kOpen: return "open";
    case WaveStatus::kClosed: return "closed";
  }
  return "draft";
}

const char* ChannelName(Channel channel) {
  switch (channel) {
    case Channel::kKiosk: return "kiosk";
    case Channel::kLink: return "link";
    case Channel::kOpen: return "open";
    case Channel::kImport: return "import";
  }
  return "link";
}

const char* DispositionName(Disposition d) {
  switch (d) {
    case Disposition::kNotUsed: return "not used";
    case Disposition::kComplete: return "complete";
    case Disposition::kPartial: return "partial";
    case Disposition::kRefused: return "refused";
    case Disposition::kUndeliverable: return "undeliverable";
    case Disposition::kNotEligible: return "not eligible";
  }
  return "not used";
}

namespace {

constexpr Disposition kAllDispositions[] = {Disposition::kNotUsed,       Disposition::kComplete,
                                            Disposition::kPartial,       Disposition::kRefused,
                                            Disposition::kUndeliverable, Disposition::kNotEligible};

WaveStatus ParseWaveStatus(const std::string& s) {
  if (s == "open") return WaveStatus::kOpen;
  if (s == "closed") return WaveStatus::kClosed;
  return WaveStatus::kDraft;
}

Channel ParseChannel(const std::string& s) {
  if (s == "kiosk") return Channel::kKiosk;
  if (s == "open") return Channel::kOpen;
  if (s == "import") return Channel::kImport;
  return Channel::kLink;
}

// ---------------------------------------------------------------- time and validation

std::string Today() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{days};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string NowTimestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// True when `s` is a real calendar date written YYYY-MM-DD.
bool IsDate(const std::string& s) {
  static const std::regex kDate("^([0-9]{4})-([0-9]{2})-([0-9]{2})$");
  std::smatch m;
  if (!std::regex_match(s, m, kDate)) return false;
  const std::chrono::year_month_day ymd{std::chrono::year{std::stoi(m[1])},
                                        std::chrono::month{static_cast<unsigned>(std::stoi(m[2]))},
                                        std::chrono::day{static_cast<unsigned>(std::stoi(m[3]))}};
  return ymd.ok();
}

bool IsSha256Hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Status CheckDate(const std::string& what, const std::string& s) {
  if (s.empty() || IsDate(s)) return Status::Ok();
  return core::InvalidArgument(what + " must be a date written YYYY-MM-DD, got '" + s + "'");
}

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db" for messages.
std::string Redact(const std::string& db) {
  static const std::regex kPassword("^(postgres(ql)?://[^:@/]*):[^@/]*@");
  return std::regex_replace(db, kPassword, "$1:***@");
}

// `text` (e.g. a libpq message quoting the URL) without the password of `url`.
std::string RedactIn(std::string text, const std::string& url) {
  static const std::regex kPassword("^postgres(?:ql)?://[^:@/]*:([^@/]*)@");
  std::smatch m;
  if (!std::regex_search(url, m, kPassword) || m[1].length() == 0) return text;
  const std::string password = m[1].str();
  for (std::size_t p = text.find(password); p != std::string::npos; p = text.find(password, p + 3)) {
    text.replace(p, password.size(), "***");
  }
  return text;
}

bool IsPostgresUrl(const std::string& db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

// A libpq URL as the key='value' string Poco's PostgreSQL connector expects.
Result<std::string> PostgresKeyValues(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string why = error ? error : "cannot parse";
    if (error) PQfreemem(error);
    while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
    return core::InvalidArgument("invalid PostgreSQL URL '" + Redact(url) + "': " + RedactIn(why, url));
  }
  std::string out;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    std::string value;
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\\' || *c == '\'') value += '\\';
      value += *c;
    }
    if (!out.empty()) out += ' ';
    out += std::string(o->keyword) + "='" + value + "'";
  }
  PQconninfoFree(options);
  if (out.empty()) return core::InvalidArgument("invalid PostgreSQL URL '" + Redact(url) + "'");
  return out;
}

void RegisterConnectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::PostgreSQL::Connector::registerConnector();
  });
}

// ---------------------------------------------------------------- errors

std::string FirstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

// What a PostgreSQL error says, without Poco's prefixes: "ERROR:  x" -> "x".
std::string PostgresMessage(const std::string& text) {
  const std::size_t e = text.find("ERROR:");
  std::string msg = FirstLine(e == std::string::npos ? text : text.substr(e + 6));
  const std::size_t b = msg.find_first_not_of(' ');
  return b == std::string::npos ? msg : msg.substr(b);
}

std::string SqlState(const std::string& text) {
  static const std::regex kState("State: ([0-9A-Z]{5})");
  std::smatch m;
  return std::regex_search(text, m, kState) ? m[1].str() : std::string();
}

// Result of translating an exception: the status and whether the session is
// no longer usable (connection lost).
struct Translated {
  Status status;
  bool broken = false;
};

Translated Translate(const Poco::Exception& e, const std::string& doing) {
  namespace sq = Poco::Data::SQLite;
  namespace pg = Poco::Data::PostgreSQL;
  const std::string text = e.displayText();
  const std::string prefix = doing + ": ";
  if (dynamic_cast<const sq::DBLockedException*>(&e) || dynamic_cast<const sq::TableLockedException*>(&e)) {
    return {core::Unavailable(prefix + "the database is busy (another program holds its write lock); try again"), false};
  }
  if (dynamic_cast<const sq::DatabaseFullException*>(&e)) {
    return {core::Unavailable(prefix + "the disk is full: " + FirstLine(text)), false};
  }
  if (dynamic_cast<const sq::IOErrorException*>(&e) || dynamic_cast<const sq::CantOpenDBFileException*>(&e) ||
      dynamic_cast<const sq::ReadOnlyException*>(&e) || dynamic_cast<const sq::DBAccessDeniedException*>(&e)) {
    return {core::Unavailable(prefix + "cannot read or write the database file: " + FirstLine(text)), true};
  }
  if (dynamic_cast<const sq::CorruptImageException*>(&e) || text.find("not a database") != std::string::npos) {
    return {core::FailedPrecondition(prefix + "the file is not a SQLite database or is damaged: " + FirstLine(text)), true};
  }
  if (dynamic_cast<const sq::ConstraintViolationException*>(&e)) {
    std::string msg = FirstLine(text);
    const std::string kPrefix = "Constraint violation: ";
    if (msg.rfind(kPrefix, 0) == 0) msg = msg.substr(kPrefix.size());
    if (msg.find("UNIQUE") != std::string::npos) return {core::AlreadyExists(prefix + msg), false};
    return {core::FailedPrecondition(prefix + msg), false};
  }
  if (dynamic_cast<const pg::PostgreSQLException*>(&e)) {
    const std::string state = SqlState(text);
    const std::string msg = PostgresMessage(text);
    if (state == "23505") return {core::AlreadyExists(prefix + msg), false};
    if (state.rfind("23", 0) == 0 || state == "P0001") return {core::FailedPrecondition(prefix + msg), false};
    if (state == "40001" || state == "40P01" || state == "55P03" || state.rfind("53", 0) == 0) {
      return {core::Unavailable(prefix + "the database is busy: " + msg + "; try again"), false};
    }
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state.empty() ||
        dynamic_cast<const pg::ConnectionException*>(&e)) {
      return {core::Unavailable(prefix + "lost the connection to PostgreSQL: " + msg), true};
    }
    return {core::Internal(prefix + msg + " (SQLSTATE " + state + ")"), false};
  }
  if (dynamic_cast<const Poco::Data::ConnectionFailedException*>(&e) ||
      dynamic_cast<const Poco::Data::NotConnectedException*>(&e) ||
      dynamic_cast<const Poco::Data::SessionUnavailableException*>(&e)) {
    return {core::Unavailable(prefix + "the database is not reachable: " + FirstLine(text)), true};
  }
  return {core::Internal(prefix + FirstLine(text)), false};
}

// ---------------------------------------------------------------- session pool

class SessionPool;

// One session borrowed from the pool; given back when destroyed (or dropped
// when marked broken).
class Lease {
 public:
  Lease(SessionPool* pool, std::unique_ptr<Session> s) : pool_(pool), session_(std::move(s)) {}
  Lease(Lease&& o) noexcept : pool_(o.pool_), session_(std::move(o.session_)), broken_(o.broken_) {
    o.pool_ = nullptr;
  }
  Lease& operator=(Lease&&) = delete;
  ~Lease();
  Session& session() { return *session_; }
  void MarkBroken() { broken_ = true; }

 private:
  SessionPool* pool_;
  std::unique_ptr<Session> session_;
  bool broken_ = false;
};

class SessionPool {
 public:
  SessionPool(const internal::Dialect& dialect, std::string connection, std::string display,
              const OpenOptions& options)
      : dialect_(dialect), connection_(std::move(connection)), display_(std::move(display)),
        options_(options) {}

  Result<Lease> Acquire() {
    std::unique_lock lock(mu_);
    const bool got = cv_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms), [&] {
      return !idle_.empty() || open_ < std::max(1, options_.max_sessions);
    });
    if (!got) {
      return core::Unavailable("all " + std::to_string(options_.max_sessions) + " sessions to " + display_ +
                               " are busy; try again");
    }
    if (!idle_.empty()) {
      std::unique_ptr<Session> s = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(s));
    }
    ++open_;
    lock.unlock();
    Result<std::unique_ptr<Session>> s = Connect();
    if (!s.ok()) {
      std::lock_guard relock(mu_);
      --open_;
      cv_.notify_one();
      return s.status();
    }
    return Lease(this, std::move(s).value());
  }

  void Release(std::unique_ptr<Session> s, bool broken) {
    std::lock_guard lock(mu_);
    if (broken || s == nullptr) {
      --open_;
      s.reset();
    } else {
      idle_.push_back(std::move(s));
    }
    cv_.notify_one();
  }

  const std::string& display() const { return display_; }

 private:
  Result<std::unique_ptr<Session>> Connect() {
    try {
      auto s = std::make_unique<Session>(dialect_.connector, connection_);
      for (std::string sql : dialect_.session_setup) {
        const std::size_t p = sql.find("%BUSY%");
        if (p != std::string::npos) sql.replace(p, 6, std::to_string(options_.busy_timeout_ms));
        if (sql.rfind("PRAGMA journal_mode", 0) == 0) {
          std::string mode;
          *s << sql, into(mode), now;
          if (mode != "wal") {
            return core::FailedPrecondition("cannot switch " + display_ + " to write-ahead logging (journal mode is '" +
                                            mode + "'); is it on a network file system?");
          }
        } else {
          *s << sql, now;
        }
      }
      return s;
    } catch (const Poco::Exception& e) {
      Translated t = Translate(e, "opening " + display_);
      if (dialect_.backend == Backend::kPostgres &&
          (t.status.code() == core::StatusCode::kInternal || t.status.code() == core::StatusCode::kUnavailable)) {
        std::string why = PostgresMessage(e.displayText());
        static const std::regex kPassword("password='((?:[^'\\\\]|\\\\.)*)'");
        std::smatch m;
        if (std::regex_search(connection_, m, kPassword) && m[1].length() > 0) {
          const std::string password = m[1].str();
          for (std::size_t p = why.find(password); p != std::string::npos; p = why.find(password, p + 3)) {
            why.replace(p, password.size(), "***");
          }
        }
        return core::Unavailable("cannot connect to PostgreSQL at " + display_ + ": " + why);
      }
      return t.status;
    }
  }

  const internal::Dialect& dialect_;
  const std::string connection_;
  const std::string display_;
  const OpenOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Session>> idle_;
  int open_ = 0;
};

Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(session_), broken_);
}

// Executes `sql` with the bindings already attached to `st`; returns the rows affected.
std::size_t Exec(Statement& st) { return st.execute(); }

}  // namespace

// ---------------------------------------------------------------- Store::Impl

class Store::Impl {
 public:
  Impl(const internal::Dialect& dialect, std::string connection, std::string display, OpenOptions options)
      : dialect_(dialect), options_(options),
        pool_(dialect, std::move(connection), std::move(display), options) {}

  const internal::Dialect& dialect() const { return dialect_; }
  const OpenOptions& options() const { return options_; }
  const std::string& display() const { return pool_.display(); }

  // Runs `body` on a borrowed session outside a transaction (reads).
  Status Read(const std::string& doing, const std::function<Status(Session&)>& body) {
    Result<Lease> lease = pool_.Acquire();
    if (!lease.ok()) return lease.status().WithContext(doing);
    try {
      return body(lease->session());
    } catch (const Poco::Exception& e) {
      Translated t = Translate(e, doing);
      if (t.broken) lease->MarkBroken();
      return t.status;
    } catch (const std::exception& e) {
      return core::Internal(doing + ": " + e.what());
    }
  }

  // Runs `body` inside one read-write transaction: committed when it returns
  // ok, rolled back otherwise (also on any exception).
  Status Write(const std::string& doing, const std::function<Status(Session&)>& body) {
    Result<Lease> lease = pool_.Acquire();
    if (!lease.ok()) return lease.status().WithContext(doing);
    Session& s = lease->session();
    bool in_transaction = false;
    try {
      s << dialect_.begin, now;
      in_transaction = true;
      Status st = body(s);
      if (!st.ok()) {
        in_transaction = false;
        s << "ROLLBACK", now;
        return st;
      }
      s << "COMMIT", now;  // when COMMIT itself fails, the handler below rolls back
      in_transaction = false;
      return Status::Ok();
    } catch (const Poco::Exception& e) {
      Translated t = Translate(e, doing);
      if (in_transaction) {
        try {
          s << "ROLLBACK", now;
        } catch (const Poco::Exception&) {
          t.broken = true;
        }
      }
      if (t.broken) lease->MarkBroken();
      return t.status;
    } catch (const std::exception& e) {
      lease->MarkBroken();  // unknown state: never reuse
      return core::Internal(doing + ": " + e.what());
    }
  }

  // Appends one entry to the audit log (inside the caller's transaction).
  void Audit(Session& s, const std::string& action, const std::string& subject, const std::string& detail) {
    std::string at = NowTimestamp();
    std::string actor = options_.actor;
    std::string a = action, sub = subject, det = detail;
    s << "INSERT INTO audit_log (occurred_at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
        use(at), use(actor), use(a), use(sub), use(det), now;
  }

  // Refuses a database from a newer program; applies missing migrations. An
  // up-to-date database is only read (no write lock), so opening never waits
  // for another program's write.
  Status Migrate() {
    Int64 recorded = -1;
    TRYGHED_RETURN_IF_ERROR(Read("reading the schema version of " + display(), [&](Session& s) {
      Int64 exists = 0;
      std::string table = "schema_version";
      s << dialect_.table_exists, use(table), into(exists), now;
      if (exists > 0) s << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(recorded), now;
      return Status::Ok();
    }));
    if (recorded > CurrentSchemaVersion()) return NewerSchema(recorded);
    if (recorded == CurrentSchemaVersion()) return Status::Ok();
    return Write("migrating the schema of " + display(), [&](Session& s) -> Status {
      if (*dialect_.migration_lock) s << dialect_.migration_lock, now;
      s << internal::VersionTableStatement(), now;
      Int64 version = 0;
      s << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(version), now;
      if (version > CurrentSchemaVersion()) return NewerSchema(version);
      for (int v = static_cast<int>(version) + 1; v <= CurrentSchemaVersion(); ++v) {
        for (const std::string& sql : internal::MigrationStatements(v, dialect_)) s << sql, now;
        Int64 v64 = v;
        std::string at = NowTimestamp();
        std::string program = "tryghed";
        s << "INSERT INTO schema_version (version, applied_at, program) VALUES ($1, $2, $3)", use(v64), use(at),
            use(program), now;
      }
      return Status::Ok();
    });
  }

 private:
  Status NewerSchema(Int64 version) const {
    return core::FailedPrecondition(
        "database " + pool_.display() + " has schema version " + std::to_string(version) +
        ", but this tryghed understands versions up to " + std::to_string(CurrentSchemaVersion()) +
        ": it was written by a newer tryghed; upgrade tryghed to use it (the database was not changed)");
  }

  const internal::Dialect& dialect_;
  const OpenOptions options_;
  SessionPool pool_;
};

// ---------------------------------------------------------------- Open

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

std::string Store::DefaultDatabase() {
  const char* env = std::getenv("TRYGHED_DB");
  if (env != nullptr && *env != '\0') return env;
  return "tryghed.db";
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& db, const OpenOptions& options) {
  RegisterConnectors();
  if (db.empty()) return core::InvalidArgument("no database given: name a SQLite file or a postgresql:// URL");
  std::unique_ptr<Impl> impl;
  if (IsPostgresUrl(db)) {
    Result<std::string> kv = PostgresKeyValues(db);
    if (!kv.ok()) return kv.status();
    impl = std::make_unique<Impl>(internal::DialectFor(Backend::kPostgres), *kv, Redact(db), options);
  } else {
    if (db.find("://") != std::string::npos) {
      return core::InvalidArgument("unsupported database URL '" + Redact(db) +
                                   "': use a SQLite file path or a postgresql:// URL");
    }
    const std::filesystem::path path(db);
    const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      return core::NotFound("cannot create database '" + db + "': directory '" + dir.string() + "' does not exist");
    }
    if (std::filesystem::is_directory(path, ec)) {
      return core::InvalidArgument("database '" + db + "' is a directory; name a file");
    }
    impl = std::make_unique<Impl>(internal::DialectFor(Backend::kSqlite), db, "'" + db + "'", options);
  }
  TRYGHED_RETURN_IF_ERROR(impl->Migrate());
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Backend Store::backend() const { return impl_->dialect().backend; }

Result<int> Store::SchemaVersion() {
  Int64 version = 0;
  STORE_RETURN_IF_ERROR(impl_->Read("reading the schema version", [&](Session& s) {
    s << "SELECT COALESCE(MAX(version), 0) FROM schema_version", into(version), now;
    return Status::Ok();
  }));
  return static_cast<int>(version);
}

// ---------------------------------------------------------------- studies

Result<Id> Store::CreateStudy(const std::string& name, const std::string& description) {
  if (name.empty()) return core::InvalidArgument("a study needs a name");
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("creating study '" + name + "'", [&](Session& s) -> Status {
    Int64 taken = 0;
    std::string n = name, d = description, today = Today();
    s << "SELECT COUNT(*) FROM study WHERE name = $1", use(n), into(taken), now;
    if (taken > 0) return core::AlreadyExists("a study named '" + name + "' already exists");
    s << "INSERT INTO study (name, description, created_on) VALUES ($1, $2, $3) RETURNING id", use(n), use(d),
        use(today), into(id), now;
    impl_->Audit(s, "study.create", "study " + std::to_string(id), name);
    return Status::Ok();
  }));
  return Id{id};
}

Result<std::vector<Study>> Store::ListStudies() {
  std::vector<Study> out;
  STORE_RETURN_IF_ERROR(impl_->Read("listing studies", [&](Session& s) {
    std::vector<Int64> ids;
    std::vector<std::string> names, descriptions, created;
    s << "SELECT id, name, description, created_on FROM study ORDER BY id", into(ids), into(names),
        into(descriptions), into(created), now;
    for (std::size_t i = 0; i < ids.size(); ++i) out.push_back({ids[i], names[i], descriptions[i], created[i]});
    return Status::Ok();
  }));
  return out;
}

Result<Study> Store::FindStudy(const std::string& name) {
  Result<std::vector<Study>> all = ListStudies();
  if (!all.ok()) return all.status();
  for (const Study& st : *all) {
    if (st.name == name) return st;
  }
  return core::NotFound("no study named '" + name + "' (see `tryghed study list`)");
}

// ---------------------------------------------------------------- areas

namespace {

Status StudyExists(Session& s, Id study_id) {
  Int64 n = 0, id = study_id;
  s << "SELECT COUNT(*) FROM study WHERE id = $1", use(id), into(n), now;
  return n > 0 ? Status::Ok() : core::NotFound("no study with id " + std::to_string(study_id));
}

}  // namespace

Result<Id> Store::AddArea(Id study_id, const std::string& name, AreaRole role,
                          std::optional<std::int64_t> population) {
  if (name.empty()) return core::InvalidArgument("an area needs a name");
  if (population && *population <= 0) {
    return core::InvalidArgument("the population of area '" + name + "' must be positive, got " +
                                 std::to_string(*population));
  }
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("adding area '" + name + "'", [&](Session& s) -> Status {
    TRYGHED_RETURN_IF_ERROR(StudyExists(s, study_id));
    Int64 sid = study_id, taken = 0;
    std::string n = name, r = AreaRoleName(role);
    s << "SELECT COUNT(*) FROM area WHERE study_id = $1 AND name = $2", use(sid), use(n), into(taken), now;
    if (taken > 0) return core::AlreadyExists("the study already has an area named '" + name + "'");
    Poco::Nullable<Int64> pop;
    if (population) pop = *population;
    s << "INSERT INTO area (study_id, name, role, population) VALUES ($1, $2, $3, $4) RETURNING id", use(sid),
        use(n), use(r), use(pop), into(id), now;
    impl_->Audit(s, "area.add", "area " + std::to_string(id),
                 name + " (" + r + ", study " + std::to_string(study_id) + ")");
    return Status::Ok();
  }));
  return Id{id};
}

Result<std::vector<Area>> Store::ListAreas(Id study_id) {
  std::vector<Area> out;
  STORE_RETURN_IF_ERROR(impl_->Read("listing areas", [&](Session& s) {
    TRYGHED_RETURN_IF_ERROR(StudyExists(s, study_id));
    Int64 sid = study_id;
    std::vector<Int64> ids, pops;
    std::vector<std::string> names, roles;
    s << "SELECT id, name, role, COALESCE(population, 0) FROM area WHERE study_id = $1 ORDER BY id", use(sid),
        into(ids), into(names), into(roles), into(pops), now;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      Area a{ids[i], study_id, names[i], roles[i] == "pilot" ? AreaRole::kPilot : AreaRole::kComparison,
             std::nullopt};
      if (pops[i] > 0) a.population = pops[i];
      out.push_back(std::move(a));
    }
    return Status::Ok();
  }));
  return out;
}

Result<Area> Store::FindArea(Id study_id, const std::string& name) {
  Result<std::vector<Area>> all = ListAreas(study_id);
  if (!all.ok()) return all.status();
  for (const Area& a : *all) {
    if (a.name == name) return a;
  }
  return core::NotFound("the study has no area named '" + name + "' (see `tryghed area list`)");
}

Status Store::SetMargins(Id area_id, std::optional<Id> wave_id, const std::vector<Margin>& margins) {
  for (const Margin& m : margins) {
    if (m.margin.empty() || m.level.empty()) return core::InvalidArgument("a margin cell needs a margin and a level");
    if (m.n < 0) return core::InvalidArgument("margin '" + m.margin + "' level '" + m.level + "' has N < 0");
  }
  return impl_->Write("setting margins of area " + std::to_string(area_id), [&](Session& s) -> Status {
    Int64 aid = area_id, n = 0;
    s << "SELECT COUNT(*) FROM area WHERE id = $1", use(aid), into(n), now;
    if (n == 0) return core::NotFound("no area with id " + std::to_string(area_id));
    if (wave_id) {
      Int64 wid = *wave_id;
      s << "SELECT COUNT(*) FROM wave w JOIN area a ON a.study_id = w.study_id WHERE w.id = $1 AND a.id = $2",
          use(wid), use(aid), into(n), now;
      if (n == 0) return core::NotFound("no wave " + std::to_string(*wave_id) + " in the area's study");
      s << "DELETE FROM area_margin WHERE area_id = $1 AND wave_id = $2", use(aid), use(wid), now;
    } else {
      s << "DELETE FROM area_margin WHERE area_id = $1 AND wave_id IS NULL", use(aid), now;
    }
    for (const Margin& m : margins) {
      Poco::Nullable<Int64> wid;
      if (wave_id) wid = *wave_id;
      std::string margin = m.margin, level = m.level;
      Int64 cell_n = m.n;
      s << "INSERT INTO area_margin (area_id, wave_id, margin, level, n) VALUES ($1, $2, $3, $4, $5)", use(aid),
          use(wid), use(margin), use(level), use(cell_n), now;
    }
    impl_->Audit(s, "area.margins", "area " + std::to_string(area_id),
                 std::to_string(margins.size()) + " cells" +
                     (wave_id ? " for wave " + std::to_string(*wave_id) : std::string(" (default)")));
    return Status::Ok();
  });
}

Result<std::vector<Margin>> Store::GetMargins(Id area_id, std::optional<Id> wave_id) {
  std::vector<Margin> out;
  STORE_RETURN_IF_ERROR(impl_->Read("reading margins", [&](Session& s) {
    Int64 aid = area_id;
    std::vector<std::string> margins, levels;
    std::vector<Int64> ns;
    if (wave_id) {
      Int64 wid = *wave_id;
      s << "SELECT margin, level, n FROM area_margin WHERE area_id = $1 AND wave_id = $2 ORDER BY margin, level",
          use(aid), use(wid), into(margins), into(levels), into(ns), now;
    }
    if (margins.empty()) {
      s << "SELECT margin, level, n FROM area_margin WHERE area_id = $1 AND wave_id IS NULL ORDER BY margin, level",
          use(aid), into(margins), into(levels), into(ns), now;
    }
    for (std::size_t i = 0; i < margins.size(); ++i) out.push_back({margins[i], levels[i], ns[i]});
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------- questionnaires

Result<Id> Store::AddQuestionnaireVersion(const std::string& json, const std::string& content_hash) {
  if (!IsSha256Hex(content_hash)) {
    return core::InvalidArgument("a questionnaire content hash must be 64 lower-case hex characters, got '" +
                                 content_hash + "'");
  }
  if (json.empty()) return core::InvalidArgument("the questionnaire JSON is empty");
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("storing questionnaire version " + content_hash.substr(0, 12), [&](Session& s) -> Status {
    std::string h = content_hash, j = json, today = Today();
    std::vector<Int64> ids;
    std::vector<std::string> jsons;
    s << "SELECT id, json_text FROM questionnaire_version WHERE content_hash = $1", use(h), into(ids), into(jsons),
        now;
    if (!ids.empty()) {
      if (jsons[0] != json) {
        return core::AlreadyExists("questionnaire version " + content_hash.substr(0, 12) +
                                   "… is stored with different JSON; the hash must identify the content");
      }
      id = ids[0];
      return Status::Ok();
    }
    s << "INSERT INTO questionnaire_version (content_hash, json_text, added_on) VALUES ($1, $2, $3) RETURNING id",
        use(h), use(j), use(today), into(id), now;
    impl_->Audit(s, "questionnaire.add", "questionnaire_version " + std::to_string(id), content_hash);
    return Status::Ok();
  }));
  return Id{id};
}

Result<QuestionnaireVersion> Store::GetQuestionnaireVersion(Id id) {
  QuestionnaireVersion q;
  STORE_RETURN_IF_ERROR(impl_->Read("reading questionnaire version", [&](Session& s) -> Status {
    Int64 qid = id;
    std::vector<std::string> hashes, jsons;
    s << "SELECT content_hash, json_text FROM questionnaire_version WHERE id = $1", use(qid), into(hashes),
        into(jsons), now;
    if (hashes.empty()) return core::NotFound("no questionnaire version with id " + std::to_string(id));
    q = {id, hashes[0], jsons[0]};
    return Status::Ok();
  }));
  return q;
}

// ---------------------------------------------------------------- waves

namespace {

Result<std::vector<Wave>> SelectWaves(Session& s, const std::string& where, Int64 key) {
  std::vector<Int64> ids, studies, qvs;
  std::vector<std::string> labels, starts, ends, statuses;
  s << "SELECT id, study_id, label, COALESCE(starts_on, ''), COALESCE(ends_on, ''),"
       " COALESCE(questionnaire_version_id, 0), status FROM wave WHERE " + where + " ORDER BY id",
      use(key), into(ids), into(studies), into(labels), into(starts), into(ends), into(qvs), into(statuses), now;
  std::vector<Wave> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Wave w{ids[i], studies[i], labels[i], starts[i], ends[i], std::nullopt, ParseWaveStatus(statuses[i])};
    if (qvs[i] > 0) w.questionnaire_version_id = qvs[i];
    out.push_back(std::move(w));
  }
  return out;
}

Result<Wave> SelectWave(Session& s, Id wave_id) {
  Result<std::vector<Wave>> w = SelectWaves(s, "id = $1", wave_id);
  if (!w.ok()) return w.status();
  if (w->empty()) return core::NotFound("no wave with id " + std::to_string(wave_id));
  return w->front();
}

}  // namespace

Result<Id> Store::CreateWave(Id study_id, const std::string& label, const std::string& starts_on,
                             const std::string& ends_on, std::optional<Id> questionnaire_version_id) {
  if (label.empty()) return core::InvalidArgument("a wave needs a label");
  TRYGHED_RETURN_IF_ERROR(CheckDate("the start date", starts_on));
  TRYGHED_RETURN_IF_ERROR(CheckDate("the end date", ends_on));
  if (!starts_on.empty() && !ends_on.empty() && ends_on < starts_on) {
    return core::InvalidArgument("wave '" + label + "' ends (" + ends_on + ") before it starts (" + starts_on + ")");
  }
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("creating wave '" + label + "'", [&](Session& s) -> Status {
    TRYGHED_RETURN_IF_ERROR(StudyExists(s, study_id));
    Int64 sid = study_id, n = 0;
    std::string l = label;
    s << "SELECT COUNT(*) FROM wave WHERE study_id = $1 AND label = $2", use(sid), use(l), into(n), now;
    if (n > 0) return core::AlreadyExists("the study already has a wave labelled '" + label + "'");
    Poco::Nullable<std::string> from, to;
    Poco::Nullable<Int64> qv;
    if (!starts_on.empty()) from = starts_on;
    if (!ends_on.empty()) to = ends_on;
    if (questionnaire_version_id) {
      Int64 q = *questionnaire_version_id;
      s << "SELECT COUNT(*) FROM questionnaire_version WHERE id = $1", use(q), into(n), now;
      if (n == 0) return core::NotFound("no questionnaire version with id " + std::to_string(q));
      qv = q;
    }
    s << "INSERT INTO wave (study_id, label, starts_on, ends_on, questionnaire_version_id) VALUES ($1, $2, $3, $4, $5)"
         " RETURNING id",
        use(sid), use(l), use(from), use(to), use(qv), into(id), now;
    impl_->Audit(s, "wave.create", "wave " + std::to_string(id), label + " (study " + std::to_string(study_id) + ")");
    return Status::Ok();
  }));
  return Id{id};
}

Result<Wave> Store::GetWave(Id wave_id) {
  Wave out;
  STORE_RETURN_IF_ERROR(impl_->Read("reading wave", [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    out = *w;
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Wave>> Store::ListWaves(Id study_id) {
  std::vector<Wave> out;
  STORE_RETURN_IF_ERROR(impl_->Read("listing waves", [&](Session& s) -> Status {
    TRYGHED_RETURN_IF_ERROR(StudyExists(s, study_id));
    Result<std::vector<Wave>> w = SelectWaves(s, "study_id = $1", study_id);
    if (!w.ok()) return w.status();
    out = std::move(w).value();
    return Status::Ok();
  }));
  return out;
}

Result<Wave> Store::FindWave(Id study_id, const std::string& label) {
  Result<std::vector<Wave>> all = ListWaves(study_id);
  if (!all.ok()) return all.status();
  for (const Wave& w : *all) {
    if (w.label == label) return w;
  }
  return core::NotFound("the study has no wave labelled '" + label + "' (see `tryghed wave list`)");
}

Status Store::SetWaveQuestionnaire(Id wave_id, Id questionnaire_version_id) {
  return impl_->Write("setting the questionnaire of wave " + std::to_string(wave_id), [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    if (w->status != WaveStatus::kDraft) {
      return core::FailedPrecondition("wave '" + w->label + "' is " + WaveStatusName(w->status) +
                                      "; the questionnaire version of an open or closed wave cannot change");
    }
    Int64 q = questionnaire_version_id, wid = wave_id, n = 0;
    s << "SELECT COUNT(*) FROM questionnaire_version WHERE id = $1", use(q), into(n), now;
    if (n == 0) return core::NotFound("no questionnaire version with id " + std::to_string(q));
    s << "UPDATE wave SET questionnaire_version_id = $1 WHERE id = $2", use(q), use(wid), now;
    impl_->Audit(s, "wave.questionnaire", "wave " + std::to_string(wave_id),
                 "questionnaire_version " + std::to_string(questionnaire_version_id));
    return Status::Ok();
  });
}

namespace {

Status MoveWave(Store::Impl& impl, Session& s, Id wave_id, WaveStatus from, WaveStatus to) {
  Result<Wave> w = SelectWave(s, wave_id);
  if (!w.ok()) return w.status();
  if (w->status != from) {
    return core::FailedPrecondition("wave '" + w->label + "' is " + WaveStatusName(w->status) + "; only a " +
                                    WaveStatusName(from) + " wave can become " + WaveStatusName(to) +
                                    " (waves move draft -> open -> closed)");
  }
  if (to == WaveStatus::kOpen && !w->questionnaire_version_id) {
    return core::FailedPrecondition("wave '" + w->label + "' has no questionnaire version; set one before opening it");
  }
  std::string next = WaveStatusName(to), prev = WaveStatusName(from);
  Int64 wid = wave_id;
  Statement st(s);
  st << "UPDATE wave SET status = $1 WHERE id = $2 AND status = $3", use(next), use(wid), use(prev);
  if (Exec(st) != 1) return core::Unavailable("wave '" + w->label + "' changed meanwhile; try again");
  impl.Audit(s, std::string("wave.") + (to == WaveStatus::kOpen ? "open" : "close"), "wave " + std::to_string(wave_id),
             w->label);
  return Status::Ok();
}

}  // namespace

Status Store::OpenWave(Id wave_id) {
  return impl_->Write("opening wave " + std::to_string(wave_id),
                      [&](Session& s) { return MoveWave(*impl_, s, wave_id, WaveStatus::kDraft, WaveStatus::kOpen); });
}

Status Store::CloseWave(Id wave_id) {
  return impl_->Write("closing wave " + std::to_string(wave_id),
                      [&](Session& s) { return MoveWave(*impl_, s, wave_id, WaveStatus::kOpen, WaveStatus::kClosed); });
}

// ---------------------------------------------------------------- kiosks

Result<Id> Store::RegisterKiosk(const std::string& name, std::optional<Id> area_id, const std::string& secret) {
  if (name.empty()) return core::InvalidArgument("a kiosk needs a name");
  if (secret.size() < 16) return core::InvalidArgument("a kiosk secret must have at least 16 characters");
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("registering kiosk '" + name + "'", [&](Session& s) -> Status {
    std::string n = name, hash = core::Sha256Hex(secret), today = Today();
    Int64 taken = 0;
    s << "SELECT COUNT(*) FROM kiosk WHERE name = $1", use(n), into(taken), now;
    if (taken > 0) return core::AlreadyExists("a kiosk named '" + name + "' is already registered");
    Poco::Nullable<Int64> area;
    if (area_id) area = *area_id;
    s << "INSERT INTO kiosk (name, area_id, secret_hash, registered_on) VALUES ($1, $2, $3, $4) RETURNING id", use(n),
        use(area), use(hash), use(today), into(id), now;
    impl_->Audit(s, "kiosk.register", "kiosk " + std::to_string(id), name);
    return Status::Ok();
  }));
  return Id{id};
}

Result<Id> Store::AuthenticateKiosk(const std::string& name, const std::string& secret) {
  Id found = 0;
  STORE_RETURN_IF_ERROR(impl_->Read("authenticating kiosk", [&](Session& s) -> Status {
    std::string n = name;
    std::vector<Int64> ids;
    std::vector<std::string> hashes;
    s << "SELECT id, secret_hash FROM kiosk WHERE name = $1", use(n), into(ids), into(hashes), now;
    const std::string given = core::Sha256Hex(secret);
    const std::string stored = hashes.empty() ? std::string(64, '0') : hashes[0];
    unsigned diff = 0;  // constant-time comparison
    for (std::size_t i = 0; i < 64; ++i) diff |= static_cast<unsigned>(given[i] ^ stored[i]);
    if (ids.empty() || diff != 0) return core::NotFound("unknown kiosk or wrong secret");
    found = ids[0];
    return Status::Ok();
  }));
  return found;
}

// ---------------------------------------------------------------- invitations

Status Store::AddInvitations(Id wave_id, Id area_id, const std::vector<std::string>& token_hashes) {
  for (const std::string& h : token_hashes) {
    if (!IsSha256Hex(h)) return core::InvalidArgument("an invitation token hash must be 64 lower-case hex characters");
  }
  return impl_->Write("adding invitations to wave " + std::to_string(wave_id), [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    if (w->status == WaveStatus::kClosed) return core::FailedPrecondition("wave '" + w->label + "' is closed");
    Int64 aid = area_id, sid = w->study_id, n = 0, wid = wave_id;
    s << "SELECT COUNT(*) FROM area WHERE id = $1 AND study_id = $2", use(aid), use(sid), into(n), now;
    if (n == 0) return core::NotFound("no area " + std::to_string(area_id) + " in the wave's study");
    std::string hash;
    Statement insert(s);
    insert << "INSERT INTO invitation (wave_id, area_id, token_hash) VALUES ($1, $2, $3)", use(wid), use(aid),
        use(hash);
    for (const std::string& h : token_hashes) {
      hash = h;
      Int64 dup = 0;
      s << "SELECT COUNT(*) FROM invitation WHERE token_hash = $1", use(hash), into(dup), now;
      if (dup > 0) return core::AlreadyExists("an invitation with token hash " + h.substr(0, 12) + "… already exists");
      Exec(insert);
    }
    impl_->Audit(s, "invitation.add", "wave " + std::to_string(wave_id),
                 std::to_string(token_hashes.size()) + " for area " + std::to_string(area_id));
    return Status::Ok();
  });
}

Status Store::SetDisposition(const std::string& token_hash, Disposition disposition) {
  if (disposition != Disposition::kRefused && disposition != Disposition::kUndeliverable &&
      disposition != Disposition::kNotEligible) {
    return core::InvalidArgument(std::string("an invitation can be set to refused, undeliverable or not eligible, not '") +
                                 DispositionName(disposition) + "'");
  }
  if (!IsSha256Hex(token_hash)) return core::InvalidArgument("an invitation token hash must be 64 lower-case hex characters");
  return impl_->Write("setting an invitation's disposition", [&](Session& s) -> Status {
    std::string d = DispositionName(disposition), h = token_hash;
    Statement st(s);
    st << "UPDATE invitation SET disposition = $1 WHERE token_hash = $2 AND disposition = 'not used'", use(d), use(h);
    if (Exec(st) == 1) {
      impl_->Audit(s, "invitation.disposition", "invitation", d);
      return Status::Ok();
    }
    std::vector<std::string> current;
    s << "SELECT disposition FROM invitation WHERE token_hash = $1", use(h), into(current), now;
    if (current.empty()) return core::NotFound("no invitation with this token");
    return core::FailedPrecondition("the invitation is already '" + current[0] + "'");
  });
}

Result<std::vector<DispositionCount>> Store::CountDispositions(Id wave_id) {
  std::vector<DispositionCount> out;
  STORE_RETURN_IF_ERROR(impl_->Read("counting invitations", [&](Session& s) -> Status {
    Int64 wid = wave_id;
    std::vector<std::string> names;
    std::vector<Int64> counts;
    s << "SELECT disposition, COUNT(*) FROM invitation WHERE wave_id = $1 GROUP BY disposition", use(wid),
        into(names), into(counts), now;
    for (Disposition d : kAllDispositions) {
      DispositionCount c{d, 0};
      for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i] == DispositionName(d)) c.count = counts[i];
      }
      out.push_back(c);
    }
    return Status::Ok();
  }));
  return out;
}

// ---------------------------------------------------------------- responses

namespace {

std::string JoinCodes(const core::Codes& codes) {
  std::string out;
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(codes[i]);
  }
  return out;
}

core::Codes SplitCodes(const std::string& s) {
  core::Codes out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t comma = s.find(',', pos);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(std::stoll(s.substr(pos, comma - pos)));
    pos = comma + 1;
  }
  return out;
}

Status CheckAnswers(const core::Answers& answers) {
  for (const auto& [item, value] : answers) {
    if (item.empty() || item.size() > 64) return core::InvalidArgument("an item id must have 1 to 64 characters");
    if (const auto* codes = std::get_if<core::Codes>(&value)) {
      for (std::size_t i = 1; i < codes->size(); ++i) {
        if ((*codes)[i] <= (*codes)[i - 1]) {
          return core::InvalidArgument("the codes of item '" + item + "' must be sorted without duplicates");
        }
      }
    } else if (const auto* number = std::get_if<double>(&value)) {
      if (!std::isfinite(*number)) return core::InvalidArgument("the number of item '" + item + "' is not finite");
    }
  }
  return Status::Ok();
}

void InsertAnswers(Session& s, Int64 response_id, const core::Answers& answers) {
  for (const auto& [item_id, value] : answers) {
    std::string item = item_id;
    if (const auto* code = std::get_if<core::Code>(&value)) {
      Int64 c = *code;
      s << "INSERT INTO answer (response_id, item, kind, code) VALUES ($1, $2, 'code', $3)", use(response_id),
          use(item), use(c), now;
    } else if (const auto* codes = std::get_if<core::Codes>(&value)) {
      std::string joined = JoinCodes(*codes);
      s << "INSERT INTO answer (response_id, item, kind, codes) VALUES ($1, $2, 'codes', $3)", use(response_id),
          use(item), use(joined), now;
    } else if (const auto* number = std::get_if<double>(&value)) {
      double x = *number;
      s << "INSERT INTO answer (response_id, item, kind, number_value) VALUES ($1, $2, 'number', $3)",
          use(response_id), use(item), use(x), now;
    } else {
      std::string text = std::get<std::string>(value);
      s << "INSERT INTO answer (response_id, item, kind, text_value) VALUES ($1, $2, 'text', $3)", use(response_id),
          use(item), use(text), now;
    }
  }
}

}  // namespace

Result<Id> Store::SubmitResponse(const ResponseMeta& meta, const core::Answers& answers,
                                 const std::optional<std::string>& token_hash,
                                 const std::optional<std::string>& idempotency_key) {
  static const std::regex kLanguage("^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$");
  if (!std::regex_match(meta.language, kLanguage) || meta.language.size() > 35) {
    return core::InvalidArgument("the response language must be a language tag such as 'da' or 'ar', got '" +
                                 meta.language + "'");
  }
  const std::string day = meta.received_on.empty() ? Today() : meta.received_on;
  if (!IsDate(day)) {
    return core::InvalidArgument("the day a response came in must be written YYYY-MM-DD (no time), got '" +
                                 meta.received_on + "'");
  }
  if ((meta.channel == Channel::kImport) != meta.import_batch_id.has_value()) {
    return core::InvalidArgument("an import batch is given exactly for responses of channel 'import'");
  }
  if (token_hash && !IsSha256Hex(*token_hash)) {
    return core::InvalidArgument("an invitation token hash must be 64 lower-case hex characters");
  }
  if (idempotency_key && (idempotency_key->empty() || idempotency_key->size() > 256)) {
    return core::InvalidArgument("an idempotency key must have 1 to 256 characters");
  }
  TRYGHED_RETURN_IF_ERROR(CheckAnswers(answers));

  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("storing a response", [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, meta.wave_id);
    if (!w.ok()) return w.status();
    if (w->status != WaveStatus::kOpen) {
      return core::FailedPrecondition("wave '" + w->label + "' is " + WaveStatusName(w->status) +
                                      "; responses are accepted only while a wave is open");
    }
    if (w->questionnaire_version_id != meta.questionnaire_version_id) {
      return core::FailedPrecondition("the response uses questionnaire version " +
                                      std::to_string(meta.questionnaire_version_id) + " but wave '" + w->label +
                                      "' uses " + std::to_string(w->questionnaire_version_id.value_or(0)));
    }
    Int64 wid = meta.wave_id, aid = meta.area_id, sid = w->study_id, n = 0;
    s << "SELECT COUNT(*) FROM area WHERE id = $1 AND study_id = $2", use(aid), use(sid), into(n), now;
    if (n == 0) return core::NotFound("no area " + std::to_string(meta.area_id) + " in the wave's study");
    if (meta.import_batch_id) {
      Int64 bid = *meta.import_batch_id;
      s << "SELECT COUNT(*) FROM import_batch WHERE id = $1 AND wave_id = $2", use(bid), use(wid), into(n), now;
      if (n == 0) return core::NotFound("no import batch " + std::to_string(bid) + " for this wave");
    }

    if (idempotency_key) {
      std::string key_hash = core::Sha256Hex(*idempotency_key);
      Statement st(s);
      st << "INSERT INTO submission_key (key_hash, wave_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", use(key_hash),
          use(wid);
      if (Exec(st) != 1) {
        return core::AlreadyExists("this form was already submitted (the earlier submission is stored)");
      }
    }
    if (token_hash) {
      std::string disposition = meta.completeness == Completeness::kComplete ? "complete" : "partial";
      std::string h = *token_hash;
      Statement st(s);
      st << "UPDATE invitation SET disposition = $1 WHERE token_hash = $2 AND wave_id = $3 AND area_id = $4"
            " AND disposition = 'not used'",
          use(disposition), use(h), use(wid), use(aid);
      if (Exec(st) != 1) {
        std::vector<Int64> waves, areas;
        s << "SELECT wave_id, area_id FROM invitation WHERE token_hash = $1", use(h), into(waves), into(areas), now;
        if (waves.empty() || waves[0] != wid || areas[0] != aid) {
          return core::NotFound("no invitation with this token for this wave and area");
        }
        return core::AlreadyExists("this invitation has already been used");
      }
    }
    std::string channel = ChannelName(meta.channel), language = meta.language, received = day;
    std::string completeness = meta.completeness == Completeness::kComplete ? "complete" : "partial";
    Int64 qv = meta.questionnaire_version_id;
    Poco::Nullable<Int64> batch;
    if (meta.import_batch_id) batch = *meta.import_batch_id;
    s << "INSERT INTO response (wave_id, area_id, channel, language, questionnaire_version_id, received_on,"
         " completeness, import_batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        use(wid), use(aid), use(channel), use(language), use(qv), use(received), use(completeness), use(batch),
        into(id), now;
    InsertAnswers(s, id, answers);
    return Status::Ok();
  }));
  return Id{id};
}

Result<std::vector<StoredResponse>> Store::ReadResponses(Id wave_id) {
  std::vector<StoredResponse> out;
  STORE_RETURN_IF_ERROR(impl_->Read("reading responses", [&](Session& s) -> Status {
    Int64 wid = wave_id;
    std::vector<Int64> ids, waves, areas, qvs, batches;
    std::vector<std::string> channels, languages, days, completeness;
    s << "SELECT id, wave_id, area_id, channel, language, questionnaire_version_id, received_on, completeness,"
         " COALESCE(import_batch_id, 0) FROM response WHERE wave_id = $1 ORDER BY id",
        use(wid), into(ids), into(waves), into(areas), into(channels), into(languages), into(qvs), into(days),
        into(completeness), into(batches), now;
    std::map<Int64, std::size_t> index;
    for (std::size_t i = 0; i < ids.size(); ++i) {
      StoredResponse r;
      r.id = ids[i];
      r.meta = {waves[i], areas[i], ParseChannel(channels[i]), languages[i], qvs[i], days[i],
                completeness[i] == "complete" ? Completeness::kComplete : Completeness::kPartial, std::nullopt};
      if (batches[i] > 0) r.meta.import_batch_id = batches[i];
      index[ids[i]] = out.size();
      out.push_back(std::move(r));
    }
    std::vector<Int64> rids, codes;
    std::vector<std::string> items, kinds, code_sets, texts;
    std::vector<double> numbers;
    s << "SELECT a.response_id, a.item, a.kind, COALESCE(a.code, 0), COALESCE(a.codes, ''),"
         " COALESCE(a.number_value, 0.0), COALESCE(a.text_value, '')"
         " FROM answer a JOIN response r ON r.id = a.response_id WHERE r.wave_id = $1 ORDER BY a.response_id, a.item",
        use(wid), into(rids), into(items), into(kinds), into(codes), into(code_sets), into(numbers), into(texts), now;
    for (std::size_t i = 0; i < rids.size(); ++i) {
      auto it = index.find(rids[i]);
      if (it == index.end()) return core::Internal("an answer belongs to no response of the wave");
      core::Answers& a = out[it->second].answers;
      if (kinds[i] == "code") a[items[i]] = core::Code{codes[i]};
      else if (kinds[i] == "codes") a[items[i]] = SplitCodes(code_sets[i]);
      else if (kinds[i] == "number") a[items[i]] = numbers[i];
      else a[items[i]] = texts[i];
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::int64_t> Store::CountResponses(Id wave_id) {
  Int64 n = 0;
  STORE_RETURN_IF_ERROR(impl_->Read("counting responses", [&](Session& s) {
    Int64 wid = wave_id;
    s << "SELECT COUNT(*) FROM response WHERE wave_id = $1", use(wid), into(n), now;
    return Status::Ok();
  }));
  return std::int64_t{n};
}

// ---------------------------------------------------------------- imports and audit

Result<Id> Store::RecordImportBatch(Id wave_id, const std::string& file_hash, std::int64_t row_count) {
  if (!IsSha256Hex(file_hash)) return core::InvalidArgument("an import file hash must be 64 lower-case hex characters");
  if (row_count < 0) return core::InvalidArgument("an import's row count cannot be negative");
  Int64 id = 0;
  STORE_RETURN_IF_ERROR(impl_->Write("recording an import", [&](Session& s) -> Status {
    Result<Wave> w = SelectWave(s, wave_id);
    if (!w.ok()) return w.status();
    Int64 wid = wave_id, rows = row_count, n = 0;
    std::string h = file_hash, who = impl_->options().actor, at = NowTimestamp();
    s << "SELECT COUNT(*) FROM import_batch WHERE wave_id = $1 AND file_hash = $2", use(wid), use(h), into(n), now;
    if (n > 0) return core::AlreadyExists("this file was already imported into wave '" + w->label + "'");
    s << "INSERT INTO import_batch (wave_id, file_hash, row_count, imported_by, imported_at) VALUES ($1, $2, $3, $4, $5)"
         " RETURNING id",
        use(wid), use(h), use(rows), use(who), use(at), into(id), now;
    impl_->Audit(s, "import.record", "wave " + std::to_string(wave_id),
                 std::to_string(row_count) + " rows, file " + file_hash.substr(0, 12));
    return Status::Ok();
  }));
  return Id{id};
}

Result<std::vector<AuditEntry>> Store::ReadAuditLog(int limit) {
  std::vector<AuditEntry> out;
  STORE_RETURN_IF_ERROR(impl_->Read("reading the audit log", [&](Session& s) {
    Int64 lim = std::max(0, limit);
    std::vector<Int64> ids;
    std::vector<std::string> at, actors, actions, subjects, details;
    s << "SELECT id, occurred_at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT $1", use(lim),
        into(ids), into(at), into(actors), into(actions), into(subjects), into(details), now;
    for (std::size_t i = ids.size(); i-- > 0;) {
      out.push_back({ids[i], at[i], actors[i], actions[i], subjects[i], details[i]});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace tryghed::store

// ---------------------------------------------------------------- test access

namespace tryghed::store::internal {

core::Result<std::int64_t> StoreTestAccess::Execute(Store& store, const std::string& sql) {
  std::int64_t rows = 0;
  STORE_RETURN_IF_ERROR(store.impl_->Read("executing test SQL", [&](Session& s) {
    Statement st(s);
    st << sql;
    rows = static_cast<std::int64_t>(st.execute());
    return core::Status::Ok();
  }));
  return rows;
}

core::Result<std::vector<std::string>> StoreTestAccess::QueryText(Store& store, const std::string& sql) {
  std::vector<std::string> out;
  STORE_RETURN_IF_ERROR(store.impl_->Read("querying test SQL", [&](Session& s) {
    s << sql, into(out), now;
    return core::Status::Ok();
  }));
  return out;
}

core::Result<std::vector<std::string>> StoreTestAccess::Columns(Store& store, const std::string& table) {
  std::vector<std::string> out;
  STORE_RETURN_IF_ERROR(store.impl_->Read("listing columns", [&](Session& s) {
    std::string t = table;
    s << store.impl_->dialect().list_columns, use(t), into(out), now;
    return core::Status::Ok();
  }));
  return out;
}

}  // namespace tryghed::store::internal
