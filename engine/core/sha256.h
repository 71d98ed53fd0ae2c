#pragma once
// tryghed::core — SHA-256 digests, used for questionnaire version ids
// (the hash of the canonical JSON) and for invitation tokens (only the hash
// of a token is ever stored). Thread-safe; no state.
#include <string>
#include <string_view>

namespace tryghed::core {

// The SHA-256 of `data` as 64 lower-case hexadecimal characters.
std::string Sha256Hex(std::string_view data);

}  // namespace tryghed::core
