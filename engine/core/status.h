#pragma once
// tryghed::core — Status and Result<T>: how every expected failure travels.
//
// Expected failures (bad input, a missing file, a closed wave, a database that
// is unavailable) are returned as values, never thrown. Exceptions from
// third-party libraries (Poco, Boost.Math) are caught where they enter the
// project and turned into a Status whose message a user can act on.
//
// Example:
//
//   core::Result<Questionnaire> q = questionnaire::LoadFile(path);
//   if (!q.ok()) {
//     std::cerr << q.status().ToString() << "\n";   // "invalid input: ..."
//     return 1;
//   }
//   Use(q.value());
//
// Thread safety: Status and Result are plain values; distinct objects may be
// used from different threads freely.
#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tryghed::core {

// What kind of failure a Status reports. The CLI maps codes to exit codes
// (see cli/exit_codes.h).
enum class StatusCode {
  kOk = 0,
  kInvalidInput,      // the caller's data is wrong: a file, a CSV cell, an answer
  kInvalidArgument,   // a programmatic or command-line argument is wrong or contradictory
  kNotFound,          // a named thing (file, column, study, wave) does not exist
  kAlreadyExists,     // a unique thing would be created twice (token used, file imported)
  kFailedPrecondition,// the state forbids it (wave closed, schema newer than program)
  kNumerical,         // the computation has no defined answer (empty domain, no convergence)
  kUnavailable,       // a resource is temporarily unavailable (database busy, disk full)
  kInternal,          // a bug: an invariant of our own was broken
};

// Stable lower-case name of a code, e.g. "invalid input".
const char* StatusCodeName(StatusCode code);

// The outcome of an operation: ok, or a code and a message saying what went
// wrong and where (file, line, column, field) in words a user can act on.
class [[nodiscard]] Status {
 public:
  // An ok status.
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "ok", or "<code name>: <message>".
  std::string ToString() const;

  // A copy whose message is prefixed by `context` and ": " (e.g. a file name).
  Status WithContext(const std::string& context) const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Shorthands that read well at the point of failure.
inline Status InvalidInput(std::string m) { return {StatusCode::kInvalidInput, std::move(m)}; }
inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
inline Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
inline Status Numerical(std::string m) { return {StatusCode::kNumerical, std::move(m)}; }
inline Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Either a value of type T or a non-ok Status. Accessing value() of a failed
// Result is a programmer error (asserted), never reachable from input when
// callers check ok() first.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "a Result made from a Status must carry an error");
    if (status_.ok()) status_ = Internal("Result constructed from an ok Status without a value");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  const T& value() const& { assert(ok()); return *value_; }
  T& value() & { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }

  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace tryghed::core

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define TRYGHED_RETURN_IF_ERROR(expr)                 \
  do {                                                \
    ::tryghed::core::Status tryghed_status_ = (expr); \
    if (!tryghed_status_.ok()) return tryghed_status_; \
  } while (false)
