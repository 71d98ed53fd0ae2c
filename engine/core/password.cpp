#include "core/password.h"

#include <argon2.h>

#include <vector>

#include "core/token.h"

namespace tryghed::core {

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kTagBytes = 32;

}  // namespace

Result<std::string> HashPasswordWithSalt(std::string_view plain, std::string_view salt, const PasswordCost& cost) {
  if (plain.empty()) return InvalidArgument("a password cannot be empty");
  if (salt.size() < 8) return InvalidArgument("an Argon2 salt needs at least 8 bytes");
  const std::size_t length =
      argon2_encodedlen(cost.passes, cost.memory_kib, cost.lanes, static_cast<std::uint32_t>(salt.size()),
                        static_cast<std::uint32_t>(kTagBytes), Argon2_id);
  std::vector<char> encoded(length + 1, '\0');
  const int rc = argon2id_hash_encoded(cost.passes, cost.memory_kib, cost.lanes, plain.data(), plain.size(),
                                       salt.data(), salt.size(), kTagBytes, encoded.data(), encoded.size());
  if (rc == ARGON2_MEMORY_ALLOCATION_ERROR) {
    return Unavailable(std::string("hashing a password: ") + argon2_error_message(rc));
  }
  if (rc != ARGON2_OK) {
    const bool bad_cost = rc == ARGON2_TIME_TOO_SMALL || rc == ARGON2_TIME_TOO_LARGE ||
                          rc == ARGON2_MEMORY_TOO_LITTLE || rc == ARGON2_MEMORY_TOO_MUCH ||
                          rc == ARGON2_LANES_TOO_FEW || rc == ARGON2_LANES_TOO_MANY ||
                          rc == ARGON2_PWD_TOO_LONG;
    const std::string why = std::string("hashing a password: ") + argon2_error_message(rc);
    return bad_cost ? InvalidArgument(why) : Internal(why);
  }
  return std::string(encoded.data());
}

Result<std::string> HashPassword(std::string_view plain, const PasswordCost& cost) {
  Result<std::string> salt = RandomBytes(kSaltBytes);
  if (!salt.ok()) return salt.status();
  return HashPasswordWithSalt(plain, *salt, cost);
}

bool VerifyPassword(std::string_view encoded, std::string_view plain) {
  constexpr std::string_view kPrefix = "$argon2id$";
  if (encoded.substr(0, kPrefix.size()) != kPrefix || encoded.size() > 512) return false;
  const std::string terminated(encoded);  // the library wants a C string
  // argon2id_verify decodes the cost and salt from the string, recomputes the
  // tag and compares it in constant time.
  return argon2id_verify(terminated.c_str(), plain.data(), plain.size()) == ARGON2_OK;
}

}  // namespace tryghed::core
