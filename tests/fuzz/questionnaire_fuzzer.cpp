// Fuzz target: the questionnaire loader (questionnaire/loader.h) and the
// canonical form (questionnaire/canonical.h), on any bytes.
//
// Checks, beyond "does not crash":
// * CheckQuestionnaire returns a questionnaire exactly when it reports no
//   problem, and every problem is located (this file, line and column >= 1,
//   a JSON path starting with "$") and says something;
// * the canonical form of any JSON text is a fixed point (canonicalising it
//   again gives the same bytes) and has the same hash as the text;
// * a document that loads has a content hash equal to ContentHash(text), and
//   its canonical form loads again to the same hash and the same items.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include "questionnaire/canonical.h"
#include "questionnaire/loader.h"
#include "fuzz_util.h"

namespace {

using tryghed::questionnaire::CanonicalJson;
using tryghed::questionnaire::CheckQuestionnaire;
using tryghed::questionnaire::ContentHash;
using tryghed::questionnaire::LoadOutcome;
using tryghed::questionnaire::Questionnaire;

[[noreturn]] void Fail(const std::string& what) { tryghed::fuzz::Fail("questionnaire_fuzzer", what); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string file = "fuzz.json";

  LoadOutcome out = CheckQuestionnaire(text, file);
  if (out.questionnaire.has_value() == !out.problems.empty()) {
    Fail("a questionnaire must be returned exactly when there are no problems");
  }
  for (const auto& p : out.problems) {
    if (p.file != file || p.line < 1 || p.column < 1 || p.path.empty() || p.path[0] != '$' || p.message.empty()) {
      Fail("problem not located: " + p.ToString());
    }
  }

  tryghed::core::Result<std::string> canonical = CanonicalJson(text);
  if (canonical.ok()) {
    tryghed::core::Result<std::string> again = CanonicalJson(*canonical);
    if (!again.ok()) Fail("the canonical form is not JSON: " + again.status().ToString());
    if (*again != *canonical) Fail("canonical form is not a fixed point:\n" + *canonical + "\n" + *again);
    tryghed::core::Result<std::string> h1 = ContentHash(text), h2 = ContentHash(*canonical);
    if (!h1.ok() || !h2.ok() || *h1 != *h2 || h1->size() != 64) Fail("content hash differs from its canonical form's");
  }

  if (out.questionnaire) {
    const Questionnaire& q = *out.questionnaire;
    if (!canonical.ok()) Fail("a questionnaire loaded from text that has no canonical form");
    tryghed::core::Result<std::string> hash = ContentHash(text);
    if (!hash.ok() || q.content_hash != *hash) Fail("content_hash is not ContentHash(text)");
    LoadOutcome reloaded = CheckQuestionnaire(*canonical, "canonical.json");
    if (!reloaded.questionnaire) {
      Fail("the canonical form does not load: " +
           (reloaded.problems.empty() ? std::string("?") : reloaded.problems[0].ToString()));
    }
    const Questionnaire& r = *reloaded.questionnaire;
    if (r.content_hash != q.content_hash) Fail("the canonical form loads to another hash");
    if (r.id != q.id || r.languages != q.languages || r.sections.size() != q.sections.size() ||
        r.ItemCount() != q.ItemCount()) {
      Fail("the canonical form loads to another questionnaire");
    }
  }
  return 0;
}
