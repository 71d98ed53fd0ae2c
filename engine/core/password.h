#pragma once
// tryghed::core — passwords of the admin accounts, hashed with Argon2id
// (RFC 9106) through the reference library (Debian's libargon2).
//
// HashPassword makes a fresh 16-byte salt from the operating system's random
// source and returns the PHC string form, which carries the algorithm, the
// version, the cost and the salt with the 32-byte tag:
//
//   $argon2id$v=19$m=65536,t=3,p=1$<salt, base64>$<tag, base64>
//
// Only this string is stored. VerifyPassword reads the cost from the string,
// so hashes made with another cost keep verifying after the default changes.
// The default cost (t = 3 passes over m = 64 MiB, one lane) is RFC 9106's
// second recommended option with one lane instead of four: about 0.1–0.2 s on
// one core, which keeps an offline guesser at a few guesses per second per
// core while a login stays quick; docs/web.md says why.
//
// Example:
//
//   core::Result<std::string> hash = core::HashPassword("correct horse battery");
//   if (!hash.ok()) return hash.status();             // no randomness
//   bool ok = core::VerifyPassword(*hash, typed);     // constant time in the tag
//
// Thread-safe; no state. Each call holds m KiB of memory while it runs.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tryghed::core {

// The Argon2id cost: passes, memory in KiB, lanes.
struct PasswordCost {
  std::uint32_t passes = 3;
  std::uint32_t memory_kib = 64 * 1024;
  std::uint32_t lanes = 1;
};

// Shortest password an account may have (NIST SP 800-63B asks at least 8;
// docs/web.md says why tryghed asks 12).
inline constexpr std::size_t kMinPasswordLength = 12;

// The Argon2id PHC string of `plain` with a fresh random salt. Unavailable
// when the random source fails; InvalidArgument for an empty password or a
// cost the library refuses; Internal when the library fails otherwise.
Result<std::string> HashPassword(std::string_view plain, const PasswordCost& cost = {});

// The same with a given `salt` (at least 8 bytes): deterministic, for the
// library's known-answer tests. Real hashes use HashPassword.
Result<std::string> HashPasswordWithSalt(std::string_view plain, std::string_view salt, const PasswordCost& cost);

// True when `encoded` is an Argon2id PHC string and `plain` is its password.
// False for anything else (a malformed string, another Argon2 variant).
bool VerifyPassword(std::string_view encoded, std::string_view plain);

}  // namespace tryghed::core
