#pragma once
// tryghed::web internal — one resident's form in progress, independent of
// HTTP: which pages a questionnaire has, which of them are asked given the
// answers so far, applying one posted page, and the draft encoding of link
// mode. Only engine/web and tests/web include this header.
//
// Pages: a section is one page, except that an item whose show_if refers to
// an item of the same page starts a new page, so every show_if can be
// evaluated on the server before its item is shown (no script needed).
//
// Example:
//
//   Survey survey = MakeSurvey(qv_id, questionnaire);
//   FormState form;  form.survey = ...; form.language = "da";
//   Fields fields = {{"T1", "2"}};
//   Status st = ApplyPage(*form.survey, 0, fields, form);   // InvalidArgument: 400
//   int next = NextPage(*form.survey, form.answers, 0);       // pages.size() = review
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/answers.h"
#include "core/status.h"
#include "questionnaire/model.h"
#include "store/store.h"

namespace tryghed::web::internal {

// Items [first, last) of section `section`.
struct Page {
  std::size_t section = 0;
  std::size_t first = 0;
  std::size_t last = 0;
};

// A questionnaire version as the form uses it.
struct Survey {
  store::Id questionnaire_version_id = 0;
  questionnaire::Questionnaire q;
  std::vector<Page> pages;
  // Most form fields one POST of this survey can carry (HTMLForm's limit).
  int field_limit = 0;
};

Survey MakeSurvey(store::Id questionnaire_version_id, questionnaire::Questionnaire q);

// The posted fields, in order (a name may repeat: checkboxes).
using Fields = std::vector<std::pair<std::string, std::string>>;

enum class Mode { kLink, kKiosk, kOpen };

// One form instance. `mu` guards every other field once the state is shared.
struct FormState {
  std::mutex mu;
  Mode mode = Mode::kLink;
  std::string key;   // the form instance's key: idempotency key of its submission
  std::string csrf;  // the CSRF token every POST must carry
  store::Id wave_id = 0;
  store::Id area_id = 0;
  std::shared_ptr<const Survey> survey;
  std::optional<std::string> token_hash;  // link mode
  std::string language;
  int page = 0;                            // survey->pages.size() = the review step
  core::Answers answers;
  std::map<std::string, std::string> raw;     // what was typed where it could not be used
  std::map<std::string, std::string> errors;  // item -> message key (render.h)
  std::string notice;                         // a one-time message key
  bool submitted = false;
  bool used_elsewhere = false;  // link mode: another form instance used the token
  // Last POST (or creation), steady clock in milliseconds; read without `mu`.
  std::atomic<std::int64_t> touched_ms{0};
};

// True when any item of page `index` is asked given `answers`.
bool PageAsked(const Survey& survey, std::size_t index, const core::Answers& answers);
// The first asked page after `page` (pages.size() = review when none).
int NextPage(const Survey& survey, const core::Answers& answers, int page);
// The last asked page before `page` (or `page` itself when none).
int PreviousPage(const Survey& survey, const core::Answers& answers, int page);
// The first asked page (pages.size() when none).
int FirstPage(const Survey& survey, const core::Answers& answers);

// Reads a posted form as the server does: the fields of the raw query of
// `uri` and then of `body`, decoded by Poco's HTMLForm (percent escapes, '+'
// for a space), in order. InvalidArgument when `content_type` is not
// application/x-www-form-urlencoded, when the query or the body holds more
// than `limit` fields, or when either cannot be decoded.
core::Result<Fields> ParseFormBody(const std::string& uri, const std::string& content_type, const std::string& body,
                                   int limit);

// Reads the fields of page `index` into `form` (answers, raw, errors).
// InvalidArgument for a value no honest form can send (an unknown code, two
// values for a one-choice item): the caller answers 400 and stores nothing.
// Drops answers to items no longer asked afterwards.
core::Status ApplyPage(const Survey& survey, std::size_t index, const Fields& fields, FormState& form);

// Removes answers to items that are not asked, in questionnaire order.
void PruneAnswers(const questionnaire::Questionnaire& q, core::Answers& answers);

// Whether a submitted form counts as complete: at least half of the asked
// items answered (docs/web.md).
bool IsComplete(const questionnaire::Questionnaire& q, const core::Answers& answers);

// The draft of a link-mode form (language, page, answers) as text, and back.
std::string EncodeDraft(const FormState& form);
// InvalidInput when `text` is not a draft; answers the survey would not
// accept are dropped.
core::Status DecodeDraft(const std::string& text, FormState& form);

// The number typed by a resident: "12", "12,5" or "12.5"; nullopt otherwise.
std::optional<double> ParseNumber(const std::string& text);

// Number of Unicode code points in UTF-8 `s`.
std::size_t CodePoints(const std::string& s);

}  // namespace tryghed::web::internal
