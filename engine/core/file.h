#pragma once
// tryghed::core — reading and durably writing whole files, with errors a user
// can act on.
//
// Writing follows one pattern everywhere (exports, reports, backups, token
// files): write a temporary file beside the target, fsync it, rename (or
// link) it into place, fsync the directory. A crash leaves either the old
// file or the new one, never half of one.
//
// Example:
//
//   core::Status s = core::WriteFileAtomically("report.html", html);
//   if (!s.ok()) { std::cerr << s.ToString() << "\n"; return 1; }
#include <string>

#include "core/status.h"

namespace tryghed::core {

// The whole content of the file at `path` as bytes. NotFound when it does not
// exist, InvalidInput when it is a directory or unreadable; the message names
// the path and the system's reason.
Result<std::string> ReadFile(const std::string& path);

// "DIR/.NAME.tmp-PID": a temporary name in the same directory as `path`, so
// that the final rename stays on one file system.
std::string TempPathBeside(const std::string& path);

// fsyncs the file (or, with `directory`, the directory) at `path`; an empty
// path is the current directory. Unavailable with the path and the reason.
Status FsyncPath(const std::string& path, bool directory);

// The directory holding `path` ("." for a bare file name).
std::string DirectoryOf(const std::string& path);

// fsyncs the file at `tmp`, renames it to `path` (replacing it) and fsyncs the
// directory. On failure `tmp` is removed. Unavailable with the paths and the
// system's reason.
Status CommitTempFile(const std::string& tmp, const std::string& path);

// Writes `content` to `path` through a temporary file beside it (fsynced,
// then renamed over `path`). Unavailable with the path and the reason.
Status WriteFileAtomically(const std::string& path, const std::string& content);

// Writes `content` to a new temporary file beside `path` (mode 0600, fsynced)
// and returns its name; the caller links it into place (link(2) refuses an
// existing name) or removes it. For files that must appear only once
// something else has succeeded, such as invitation tokens.
Result<std::string> WriteTempBeside(const std::string& path, const std::string& content);

}  // namespace tryghed::core
