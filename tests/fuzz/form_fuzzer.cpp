// Fuzz target: a posted resident form, from the raw body to the stored
// draft (web/internal/form.h: ParseFormBody, ApplyPage, EncodeDraft,
// DecodeDraft) on tests/data/questionnaire/mini.json, which has every kind of
// item (single, yes/no, number, text, place) and show_if rules.
//
// Input: the first byte chooses the page (and whether earlier answers are
// present), the rest is the urlencoded body.
//
// Checks, beyond "does not crash":
// * the body parser keeps its limit (never more fields than the survey's
//   field_limit) and every field round-trips: encoded again, the fields
//   parse to the same names and values in the same order;
// * ApplyPage either refuses the post and changes nothing, or leaves only
//   answers the questionnaire accepts (CheckAnswers finds no problem: known
//   codes, numbers in range, texts within max_length, only asked items),
//   with inline errors only for items of that page, and every stored text
//   and every entry kept for correction is UTF-8 (what the store and the
//   exports expect);
// * the draft of the form decodes to the same language, page and answers;
// * any text DecodeDraft accepts leaves only accepted answers and a page
//   within the survey.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <variant>

#include "core/utf8.h"
#include "questionnaire/loader.h"
#include "questionnaire/scoring.h"
#include "web/internal/form.h"

#ifndef TRYGHED_FUZZ_DATA
#error "TRYGHED_FUZZ_DATA (tests/data) must be defined"
#endif
#include "fuzz_util.h"

namespace {

namespace web = tryghed::web::internal;
using tryghed::questionnaire::CheckAnswers;

const char* const kType = "application/x-www-form-urlencoded";

[[noreturn]] void Fail(const std::string& what) { tryghed::fuzz::Fail("form_fuzzer", what); }

std::shared_ptr<const web::Survey> LoadSurvey() {
  auto q = tryghed::questionnaire::LoadQuestionnaireFile(std::string(TRYGHED_FUZZ_DATA) + "/questionnaire/mini.json");
  if (!q.ok()) Fail("cannot load the questionnaire: " + q.status().ToString());
  return std::make_shared<const web::Survey>(web::MakeSurvey(1, std::move(q).value()));
}

// `s` as the shortest form body text that decodes to it: a space as '+',
// the bytes with a meaning ('%', '&', '+', and '=' in a name) percent-encoded,
// every other byte as it is. Never longer than the text it was decoded from,
// so it stays within the parser's length limits.
std::string FormEncode(const std::string& s, bool name) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (c == ' ') {
      out += '+';
    } else if (c == '%' || c == '&' || c == '+' || (name && c == '=')) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void CheckAccepted(const web::Survey& survey, const tryghed::core::Answers& answers, const std::string& where) {
  const auto problems = CheckAnswers(survey.q, answers);
  if (!problems.empty()) Fail(where + " left an answer the questionnaire refuses: " + problems[0].message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::shared_ptr<const web::Survey> survey = LoadSurvey();
  if (size == 0) return 0;
  const std::size_t pages = survey->pages.size();
  const std::size_t page = data[0] % pages;
  const bool prefilled = (data[0] / pages) % 2 == 1;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);

  // Any text as a stored draft.
  {
    web::FormState draft;
    draft.survey = survey;
    draft.language = "da";
    if (web::DecodeDraft(body, draft).ok()) {
      CheckAccepted(*survey, draft.answers, "DecodeDraft");
      if (draft.page < 0 || draft.page > static_cast<int>(pages)) Fail("DecodeDraft page out of range");
      if (draft.language != "da" && draft.language != "en") Fail("DecodeDraft language: " + draft.language);
    }
  }

  tryghed::core::Result<web::Fields> fields = web::ParseFormBody("/s/fuzz", kType, body, survey->field_limit);
  if (!fields.ok()) {
    if (fields.status().code() != tryghed::core::StatusCode::kInvalidArgument) Fail("body error code");
    return 0;
  }
  if (fields->size() > static_cast<std::size_t>(survey->field_limit)) Fail("more fields than the limit");
  std::string encoded;
  for (const auto& [k, v] : *fields) {
    encoded += (encoded.empty() ? "" : "&") + FormEncode(k, true) + "=" + FormEncode(v, false);
  }
  tryghed::core::Result<web::Fields> again = web::ParseFormBody("/s/fuzz", kType, encoded, survey->field_limit);
  if (!again.ok()) Fail("re-encoded fields do not parse: " + again.status().ToString());
  if (*again != *fields) Fail("re-encoded fields parse differently: " + encoded);

  web::FormState form;
  form.survey = survey;
  form.language = "en";
  form.page = static_cast<int>(page);
  if (prefilled) {
    // A resident who answered the first pages already (valid answers).
    form.answers = {{"T1", tryghed::core::Code{3}}, {"V1", tryghed::core::Code{1}}, {"B3", 42.0}, {"C1", std::string("ok")}};
    web::PruneAnswers(survey->q, form.answers);
  }
  const tryghed::core::Answers before = form.answers;
  const auto raw_before = form.raw;
  const auto errors_before = form.errors;
  tryghed::core::Status st = web::ApplyPage(*survey, page, *fields, form);
  if (!st.ok()) {
    if (form.answers != before || form.raw != raw_before || form.errors != errors_before) {
      Fail("a refused post changed the form: " + st.ToString());
    }
    return 0;
  }
  CheckAccepted(*survey, form.answers, "ApplyPage");
  for (const auto& [item, value] : form.answers) {
    const auto* text = std::get_if<std::string>(&value);
    if (text != nullptr && !tryghed::core::IsValidUtf8(*text)) Fail("a text answer that is not UTF-8: " + item);
  }
  for (const auto& [item, text] : form.raw) {
    if (!tryghed::core::IsValidUtf8(text)) Fail("a kept entry that is not UTF-8: " + item);
  }
  const web::Page& p = survey->pages[page];
  for (const auto& [item, message] : form.errors) {
    bool on_page = false;
    for (std::size_t i = p.first; i < p.last; ++i) on_page |= survey->q.sections[p.section].items[i].id == item;
    if (!on_page) Fail("an inline error for an item of another page: " + item);
    if (form.answers.count(item) > 0) Fail("an item with an inline error kept an answer: " + item);
  }

  const std::string text = web::EncodeDraft(form);
  web::FormState back;
  back.survey = survey;
  back.language = "da";
  tryghed::core::Status decoded = web::DecodeDraft(text, back);
  if (!decoded.ok()) Fail("the form's own draft does not decode: " + decoded.ToString());
  if (back.answers != form.answers || back.page != form.page || back.language != form.language) {
    Fail("the draft does not round-trip:\n" + text);
  }
  return 0;
}
