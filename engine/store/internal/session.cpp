#include "store/internal/session.h"

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/PostgreSQL/SessionImpl.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace tryghed::store::internal {


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


namespace {

std::string SqlState(const std::string& text) {
  static const std::regex kState("State: ([0-9A-Z]{5})");
  std::smatch m;
  return std::regex_search(text, m, kState) ? m[1].str() : std::string();
}

}  // namespace

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

bool ConnectionAlive(Session& s) {
  auto* pg = dynamic_cast<Poco::Data::PostgreSQL::SessionImpl*>(s.impl());
  if (pg == nullptr) return true;
  PGconn* conn = pg->handle();
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) return false;
  // libpq keeps its socket non-blocking: PQconsumeInput reads what the
  // server sent while the session was idle and returns 0 when it finds the
  // end of the stream. A closing server sends a notice first ("terminating
  // connection due to administrator command"), which one call reads without
  // reaching the end: read again while the socket says more is waiting.
  for (int reads = 0; reads < 8; ++reads) {
    if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) return false;
    pollfd waiting{PQsocket(conn), POLLIN, 0};
    if (poll(&waiting, 1, 0) <= 0) return true;
  }
  return true;
}

}  // namespace tryghed::store::internal
