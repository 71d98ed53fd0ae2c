#pragma once
// tryghed::core — reading whole files with errors a user can act on.
#include <string>

#include "core/status.h"

namespace tryghed::core {

// The whole content of the file at `path` as bytes. NotFound when it does not
// exist, InvalidInput when it is a directory or unreadable; the message names
// the path and the system's reason.
Result<std::string> ReadFile(const std::string& path);

}  // namespace tryghed::core
