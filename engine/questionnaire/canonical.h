#pragma once
// tryghed::questionnaire — the canonical JSON form of a questionnaire file and
// its content hash, the questionnaire's real version id.
//
// Canonical form: the same JSON value with object keys sorted by byte order,
// no whitespace, integers written as integers (also when written 1.0 or 1e2),
// other numbers in the shortest form that reads back to the same double,
// strings with minimal escaping (only '"', '\\' and control characters;
// UTF-8 kept as is). Two files that differ only in key order, whitespace or
// number spelling have the same canonical form; any change of a code, a text,
// a weight or a rule changes it. A wave stores the hash of the questionnaire
// it was collected with, so a later edit can never silently change the
// meaning of old answers.
//
// Thread-safe; no state.
#include <string>
#include <string_view>

#include "core/status.h"

namespace tryghed::questionnaire {

// The canonical form of the JSON text `json`. InvalidInput (with the byte
// offset) when `json` is not valid JSON. Does not check the questionnaire
// rules; see loader.h for that.
core::Result<std::string> CanonicalJson(std::string_view json);

// core::Sha256Hex of CanonicalJson(json): 64 lower-case hex characters.
core::Result<std::string> ContentHash(std::string_view json);

}  // namespace tryghed::questionnaire
