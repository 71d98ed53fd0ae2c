#include "core/token.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

namespace tryghed::core {

Result<std::string> RandomBytes(std::size_t count) {
  if (count > 1024) return InvalidArgument("at most 1024 random bytes at once, asked for " + std::to_string(count));
  std::string bytes(count, '\0');
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unavailable(std::string("the system's random source failed: ") + std::strerror(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  return bytes;
}

Result<std::string> NewToken(std::size_t length) {
  if (length == 0 || length > 256) {
    return InvalidArgument("a token must have 1 to 256 characters, asked for " + std::to_string(length));
  }
  Result<std::string> bytes = RandomBytes(length);
  if (!bytes.ok()) return bytes.status();
  std::string out(length, '0');
  // 256 is a multiple of 32, so taking each byte modulo 32 is unbiased.
  for (std::size_t i = 0; i < length; ++i) out[i] = kTokenAlphabet[static_cast<unsigned char>((*bytes)[i]) % 32];
  return out;
}

bool IsToken(std::string_view s, std::size_t length) {
  if (s.size() != length) return false;
  for (char c : s) {
    if (kTokenAlphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace tryghed::core
