// Store::Backup and Store::Restore: SQLite's online backup API on the
// connection's own handle, and an atomic, checked restore (docs/store.md,
// "Backup and restore").
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <Poco/Data/SQLite/Utility.h>

#include <cerrno>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>

#include "core/file.h"
#include "store/internal/session.h"
#include "store/store.h"

namespace tryghed::store {

namespace {

namespace fs = std::filesystem;

std::string SysError() { return std::strerror(errno); }

// A SQLite connection closed on scope exit.
struct Db {
  sqlite3* handle = nullptr;
  ~Db() {
    if (handle != nullptr) sqlite3_close_v2(handle);
  }
  std::string Error() const { return handle != nullptr ? sqlite3_errmsg(handle) : "out of memory"; }
};

// Every row of the first column of `sql` as text.
Status QueryColumn(Db& db, const std::string& sql, std::vector<std::string>& out) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db.handle, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    return core::FailedPrecondition(db.Error());
  }
  int rc = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(st, 0);
    out.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) return core::FailedPrecondition(db.Error());
  return Status::Ok();
}

Status Exec(Db& db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db.handle, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err != nullptr ? err : db.Error();
    sqlite3_free(err);
    return core::FailedPrecondition(why);
  }
  return Status::Ok();
}

// Copies the file `from` to `to` (created, must not exist) and fsyncs it.
Status CopyFile(const std::string& from, const std::string& to) {
  std::FILE* in = std::fopen(from.c_str(), "rb");
  if (in == nullptr) return core::NotFound("cannot read " + from + ": " + SysError());
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (out < 0) {
    std::fclose(in);
    return core::Unavailable("cannot create " + to + ": " + SysError());
  }
  char buf[1 << 16];
  Status st = Status::Ok();
  for (;;) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, in);
    if (n > 0 && ::write(out, buf, n) != static_cast<ssize_t>(n)) {
      st = core::Unavailable("cannot write " + to + ": " + SysError());
      break;
    }
    if (n < sizeof buf) {
      if (std::ferror(in)) st = core::Unavailable("cannot read " + from + ": " + SysError());
      break;
    }
  }
  std::fclose(in);
  if (st.ok() && ::fsync(out) != 0) st = core::Unavailable("cannot flush " + to + " to disk: " + SysError());
  ::close(out);
  if (!st.ok()) std::remove(to.c_str());
  return st;
}

}  // namespace

Status Store::Backup(const std::string& out_path) {
  if (backend() == Backend::kPostgres) {
    return core::FailedPrecondition(
        "a PostgreSQL database is backed up with PostgreSQL's own tool while the servers run: pg_dump --format=custom "
        "--file=" + out_path + " '" + impl_->display() +
        "' (restore with: pg_restore --clean --if-exists --dbname='" + impl_->display() + "' " + out_path + ")");
  }
  std::error_code ec;
  if (fs::exists(out_path, ec)) {
    return core::AlreadyExists(out_path + " exists; a backup never overwrites a file, choose a new name");
  }
  const std::string tmp = core::TempPathBeside(out_path);
  std::remove(tmp.c_str());
  const int timeout_ms = impl_->options().busy_timeout_ms;
  Status st = impl_->Read("backing up " + impl_->display() + " to " + out_path, [&](Session& s) -> Status {
    sqlite3* src = Poco::Data::SQLite::Utility::dbHandle(s);
    if (src == nullptr) return core::Internal("the session has no SQLite handle");
    Db dst;
    if (sqlite3_open_v2(tmp.c_str(), &dst.handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      return core::Unavailable("cannot create " + tmp + ": " + dst.Error());
    }
    sqlite3_backup* b = sqlite3_backup_init(dst.handle, "main", src, "main");
    if (b == nullptr) return core::Unavailable("cannot start the backup: " + dst.Error());
    // One step copies every page under one read transaction: a consistent
    // snapshot, while writers carry on in the write-ahead log.
    int rc = SQLITE_OK;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      if (std::chrono::steady_clock::now() > deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
      return core::Unavailable("the backup did not complete: " + std::string(sqlite3_errstr(rc)) + "; try again");
    }
    // A backup is one self-contained file: rollback journal, not WAL.
    return Exec(dst, "PRAGMA journal_mode=DELETE");
  });
  if (st.ok()) st = core::FsyncPath(tmp, false);
  // link() refuses an existing name, so a file that appeared meanwhile is kept.
  if (st.ok() && ::link(tmp.c_str(), out_path.c_str()) != 0) {
    st = errno == EEXIST ? core::AlreadyExists(out_path + " exists; a backup never overwrites a file, choose a new name")
                         : core::Unavailable("cannot write " + out_path + ": " + SysError());
  }
  std::remove(tmp.c_str());
  if (st.ok()) st = core::FsyncPath(core::DirectoryOf(out_path), true);
  return st;
}

Status Store::Restore(const std::string& backup_path, const std::string& target_path, bool force) {
  if (IsPostgresUrl(target_path)) {
    return core::FailedPrecondition("restore a PostgreSQL database with PostgreSQL's own tool: pg_restore --clean "
                                    "--if-exists --dbname='" + Redact(target_path) + "' " + backup_path);
  }
  std::error_code ec;
  if (!fs::is_regular_file(backup_path, ec)) return core::NotFound("backup " + backup_path + " does not exist");
  // Check the backup before anything is touched.
  {
    Db db;
    if (sqlite3_open_v2(backup_path.c_str(), &db.handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      return core::InvalidInput("cannot open backup " + backup_path + ": " + db.Error());
    }
    std::vector<std::string> check;
    Status st = QueryColumn(db, "PRAGMA integrity_check", check);
    if (!st.ok()) return core::InvalidInput(backup_path + " is not a SQLite database: " + st.message());
    if (check != std::vector<std::string>{"ok"}) {
      std::string first = check.empty() ? "no answer" : check[0];
      return core::InvalidInput("backup " + backup_path + " is damaged (PRAGMA integrity_check: " + first +
                                (check.size() > 1 ? ", and " + std::to_string(check.size() - 1) + " more" : "") +
                                "); nothing was restored");
    }
    std::vector<std::string> version;
    st = QueryColumn(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version", version);
    if (!st.ok() || version.empty()) {
      return core::InvalidInput(backup_path + " is not a tryghed database (it has no schema_version table)");
    }
    const int v = std::atoi(version[0].c_str());
    if (v > CurrentSchemaVersion()) {
      return core::FailedPrecondition("backup " + backup_path + " has schema version " + version[0] +
                                      ", but this tryghed understands versions up to " +
                                      std::to_string(CurrentSchemaVersion()) + "; restore it with a newer tryghed");
    }
  }
  const bool exists = fs::exists(target_path, ec);
  const std::string before = target_path + ".before-restore";
  if (exists && !force) {
    return core::AlreadyExists(target_path + " exists; pass --force to replace it (the old database is then kept as " +
                               before + ")");
  }
  if (exists && fs::exists(before, ec)) {
    return core::AlreadyExists(before + " exists from an earlier restore; move it away first");
  }
  const std::string tmp = core::TempPathBeside(target_path);
  std::remove(tmp.c_str());
  TRYGHED_RETURN_IF_ERROR(CopyFile(backup_path, tmp));
  if (exists) {
    // Fold the old database's write-ahead log into its file, so the file kept
    // as .before-restore is complete on its own.
    Db old;
    if (sqlite3_open_v2(target_path.c_str(), &old.handle, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      std::remove(tmp.c_str());
      return core::Unavailable("cannot open " + target_path + ": " + old.Error());
    }
    sqlite3_busy_timeout(old.handle, 2000);
    Status st = Exec(old, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (st.ok()) st = Exec(old, "PRAGMA journal_mode=DELETE");
    if (!st.ok()) {
      std::remove(tmp.c_str());
      return core::Unavailable("cannot take " + target_path + " out of use (" + st.message() +
                               "); stop every program using it (tryghed serve) and try again");
    }
    sqlite3_close_v2(old.handle);
    old.handle = nullptr;
    if (std::rename(target_path.c_str(), before.c_str()) != 0) {
      std::remove(tmp.c_str());
      return core::Unavailable("cannot rename " + target_path + " to " + before + ": " + SysError());
    }
  }
  for (const char* suffix : {"-wal", "-shm", "-journal"}) std::remove((target_path + suffix).c_str());
  if (std::rename(tmp.c_str(), target_path.c_str()) != 0) {
    const std::string why = SysError();
    std::remove(tmp.c_str());
    return core::Unavailable("cannot rename " + tmp + " to " + target_path + ": " + why);
  }
  return core::FsyncPath(core::DirectoryOf(target_path), true);
}

}  // namespace tryghed::store
