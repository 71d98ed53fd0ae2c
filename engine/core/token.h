#pragma once
// tryghed::core — unguessable secrets: invitation tokens, kiosk secrets,
// session and CSRF tokens, form instance keys.
//
// A token is 26 characters of lower-case Crockford base32
// ("0123456789abcdefghjkmnpqrstvwxyz": no i, l, o, u, so a letter read aloud
// or typed from paper is unambiguous) carrying 130 bits from the operating
// system's random source (getrandom(2)). Only the SHA-256 of an invitation
// token or kiosk secret is ever stored (core/sha256.h).
//
// Example:
//
//   core::Result<std::string> t = core::NewToken();
//   if (!t.ok()) return t.status();        // the kernel refused randomness
//   std::string link = base_url + "/s/" + *t;
//   store_hashes.push_back(core::Sha256Hex(*t));
//
// Thread-safe; no state.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tryghed::core {

// Characters of a token, in order of their 5-bit value.
inline constexpr std::string_view kTokenAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
// Length of a token from NewToken().
inline constexpr std::size_t kTokenLength = 26;

// A fresh random token of `length` characters (5 bits each; the default
// gives 130 bits). Unavailable when the system's random source fails;
// InvalidArgument when length is 0 or above 256.
Result<std::string> NewToken(std::size_t length = kTokenLength);

// `count` bytes from the operating system's random source (getrandom(2)),
// for salts and keys. Unavailable when the source fails; InvalidArgument
// when count is above 1024.
Result<std::string> RandomBytes(std::size_t count);

// True when `s` has `length` characters, all from kTokenAlphabet. Use it to
// reject a malformed token before any lookup.
bool IsToken(std::string_view s, std::size_t length = kTokenLength);

}  // namespace tryghed::core
