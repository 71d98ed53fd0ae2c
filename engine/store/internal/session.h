#pragma once
// tryghed::store internal — what every store source file shares: the session
// pool, the transaction runner Store::Impl, exception translation and small
// validation helpers. Only engine/store/*.cpp include this header; it carries
// Poco types and must never appear in a public header.
//
// Contract of Store::Impl: Read() runs a body on a pooled session outside a
// transaction; Write() runs it inside one read-write transaction that is
// committed when the body returns ok and rolled back otherwise (also on any
// exception). Poco exceptions become Status values through Translate(); a
// session whose connection is lost is dropped from the pool, and an idle one
// whose server closed it meanwhile is replaced before it is handed out.
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/String.h>
#include <Poco/Types.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/internal/dialect.h"
#include "store/store.h"

// Like TRYGHED_RETURN_IF_ERROR, for the outer call around a transaction body
// that itself uses TRYGHED_RETURN_IF_ERROR (distinct names: no shadowing).
#define STORE_RETURN_IF_ERROR(expr)                 \
  do {                                              \
    ::tryghed::core::Status store_status_ = (expr); \
    if (!store_status_.ok()) return store_status_;  \
  } while (false)

namespace tryghed::store::internal {

using core::Result;
using core::Status;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;
using Poco::Int64;

inline constexpr Disposition kAllDispositions[] = {Disposition::kNotUsed,       Disposition::kComplete,
                                                   Disposition::kPartial,       Disposition::kRefused,
                                                   Disposition::kUndeliverable, Disposition::kNotEligible};

struct PendingSubmission;  // responses.cpp

// The actor named by the innermost store::ActingAs of this thread, or ""
// (accounts.cpp).
const std::string& ActingActor();

// The enum value a stored status / channel / disposition name stands for.
WaveStatus ParseWaveStatus(const std::string& s);
Channel ParseChannel(const std::string& s);

// Today's date (UTC) as YYYY-MM-DD, and the current time as YYYY-MM-DDTHH:MM:SSZ.
std::string Today();
std::string NowTimestamp();
// True when `s` is a real calendar date written YYYY-MM-DD.
bool IsDate(const std::string& s);
// True when `s` is 64 lower-case hex characters.
bool IsSha256Hex(const std::string& s);
// Ok when `s` is empty or a date; InvalidArgument naming `what` otherwise.
Status CheckDate(const std::string& what, const std::string& s);

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db" for messages.
std::string Redact(const std::string& db);
// `text` (e.g. a libpq message quoting the URL) without the password of `url`.
std::string RedactIn(std::string text, const std::string& url);
bool IsPostgresUrl(const std::string& db);
// A libpq URL as the key='value' string Poco's PostgreSQL connector expects.
Result<std::string> PostgresKeyValues(const std::string& url);
// Registers Poco's SQLite and PostgreSQL connectors once per process.
void RegisterConnectors();

// The wave with this id (NotFound when none), or the waves matching `where`
// (an SQL condition on table wave with one parameter $1 bound to `key`).
Result<Wave> SelectWave(Session& s, Id wave_id);
Result<std::vector<Wave>> SelectWaves(Session& s, const std::string& where, Int64 key);

// The first line of `s`, without trailing blanks.
std::string FirstLine(const std::string& s);
// What a PostgreSQL error says, without Poco's prefixes: "ERROR:  x" -> "x".
std::string PostgresMessage(const std::string& text);

// Result of translating an exception: the status and whether the session is
// no longer usable (connection lost).
struct Translated {
  Status status;
  bool broken = false;
};

// `e` as a Status prefixed with `doing`, and whether the session is broken.
Translated Translate(const Poco::Exception& e, const std::string& doing);

// The dialect of the database `s` is connected to. Poco looks connectors up
// without regard to case and a session reports its connector's own spelling
// ("postgresql"), so the names are compared the same way.
inline const Dialect& DialectOf(const Session& s) {
  const Dialect& postgres = DialectFor(Backend::kPostgres);
  return Poco::icompare(s.connector(), std::string(postgres.connector)) == 0 ? postgres
                                                                            : DialectFor(Backend::kSqlite);
}

// False when `s` is a PostgreSQL session whose server has closed the
// connection since its last use (a PostgreSQL restart, an administrator's
// pg_terminate_backend): libpq reads what is already waiting on the socket,
// without a round trip and without blocking. A connection lost silently (a
// network that drops everything) still looks alive; its first statement
// fails and the session is dropped then. A SQLite session is always alive.
bool ConnectionAlive(Session& s);

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
    // An idle session whose server has gone away (PostgreSQL restarted while
    // it waited here) is dropped, not handed out to fail the caller's call.
    while (!idle_.empty()) {
      std::unique_ptr<Session> s = std::move(idle_.back());
      idle_.pop_back();
      if (ConnectionAlive(*s)) return Lease(this, std::move(s));
      --open_;
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

inline Lease::~Lease() {
  if (pool_ != nullptr) pool_->Release(std::move(session_), broken_);
}

// Executes the statement with the bindings already attached; returns the rows affected.
inline std::size_t Exec(Statement& st) { return st.execute(); }

// Runs `sql` once per row of the bound columns (vectors of equal length).
// Works around Poco 1.11's PostgreSQL connector: it runs such a statement
// row by row, and when a row after the first fails (the connection is lost
// in the middle, or a trigger refuses the row) the statement's destructor
// frees a result a second time and the program aborts with a double free.
// A PostgreSQL statement that threw is therefore never destroyed: it is
// leaked (a few kilobytes, only on that failure; the LeakSanitizer
// suppression `leak:ExecuteBatch` in tests/sanitizer/lsan.supp names this
// function), and the caller rolls its session back or drops it as after any
// failure. SQLite statements are destroyed as usual.
// StoreTest.AConnectionLostInTheMiddleOfABatchFailsTheBatchAndNothingElse.
// ExecuteBatch is the general form: `bind(st)` attaches the bindings (use()
// of columns and into() of returned rows) to the statement of `sql`.
template <typename Bind>
void ExecuteBatch(Session& s, const std::string& sql, const Bind& bind) {
  auto st = std::make_unique<Statement>(s);
  *st << sql;
  bind(*st);
  try {
    st->execute();
  } catch (...) {
    if (DialectOf(s).backend == Backend::kPostgres) (void)st.release();  // deliberately leaked, see above
    throw;
  }
}

template <typename... Columns>
void ExecuteRows(Session& s, const std::string& sql, Columns&... columns) {
  ExecuteBatch(s, sql, [&](Statement& st) { (st, ..., use(columns)); });
}

}  // namespace tryghed::store::internal

namespace tryghed::store {

// Store sources use these helpers unqualified (only they include this header).
using namespace internal;  // NOLINT(google-build-using-namespace)


class Store::Impl {
 public:
  using Session = internal::Session;

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

  // Who the current call acts for: this thread's store::ActingAs, else
  // OpenOptions::actor (accounts.cpp).
  std::string Actor() const {
    const std::string& acting = internal::ActingActor();
    return acting.empty() ? options_.actor : acting;
  }

  // Appends one entry to the audit log (inside the caller's transaction).
  void Audit(Session& s, const std::string& action, const std::string& subject, const std::string& detail) {
    std::string at = NowTimestamp();
    std::string actor = Actor();
    std::string a = action, sub = subject, det = detail;
    s << "INSERT INTO audit_log (occurred_at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
        use(at), use(actor), use(a), use(sub), use(det), now;
  }

  // The group commit of SubmitResponse (responses.cpp): submissions waiting
  // for a transaction and whether one is being written.
  struct GroupCommit {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<internal::PendingSubmission*> queue;
    bool writing = false;
  };
  GroupCommit& group_commit() { return group_commit_; }

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
  GroupCommit group_commit_;
};

}  // namespace tryghed::store
