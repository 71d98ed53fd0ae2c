// Fuzz target: the answers packed into a response row (store/internal/
// answers_json.h: UnpackAnswers, PackAnswers), on any bytes. Every stored
// response is read back through UnpackAnswers, so a crash or a wrong value
// here would be a response read wrongly.
//
// Checks, beyond "does not crash":
// * a failure is InvalidInput saying "stored answers are not valid" and the
//   byte where reading stopped, a byte inside the text;
// * what is read has no non-finite number (a number too large for a double
//   is refused, never read as infinity);
// * what is read packs and unpacks to the same answers (codes, code lists,
//   numbers to the bit, texts byte for byte), and packing that again gives
//   the same bytes (PackAnswers is a fixed point).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_util.h"
#include "store/internal/answers_json.h"

namespace {

namespace core = tryghed::core;
using tryghed::store::internal::PackAnswers;
using tryghed::store::internal::UnpackAnswers;

[[noreturn]] void Fail(const std::string& what) { tryghed::fuzz::Fail("answers_fuzzer", what); }

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool Same(const core::Answers& a, const core::Answers& b) {
  if (a.size() != b.size()) return false;
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
    if (i->first != j->first || i->second.index() != j->second.index()) return false;
    if (const double* d = std::get_if<double>(&i->second)) {
      if (!SameBits(*d, std::get<double>(j->second))) return false;
    } else if (i->second != j->second) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  core::Result<core::Answers> read = UnpackAnswers(text);
  if (!read.ok()) {
    const std::string& m = read.status().message();
    if (read.status().code() != core::StatusCode::kInvalidInput || m.find("stored answers are not valid") == std::string::npos) {
      Fail("unexpected error: " + read.status().ToString());
    }
    const std::size_t at = m.rfind(" at byte ");
    if (at == std::string::npos || std::stoull(m.substr(at + 9)) > size) Fail("error not located in the text: " + m);
    return 0;
  }
  for (const auto& [item, value] : *read) {
    if (const double* d = std::get_if<double>(&value); d != nullptr && !std::isfinite(*d)) {
      Fail("a non-finite number was read for " + item);
    }
  }
  const std::string packed = PackAnswers(*read);
  core::Result<core::Answers> again = UnpackAnswers(packed);
  if (!again.ok()) Fail("packed answers do not read back: " + again.status().ToString() + "\n" + packed);
  if (!Same(*read, *again)) Fail("packed answers read back differently:\n" + packed);
  if (PackAnswers(*again) != packed) Fail("packing is not a fixed point:\n" + packed);
  return 0;
}
