#pragma once
// tryghed::web internal — the HTML of the resident form, from the embedded
// templates (engine/web/templates/, compiled in by cmake/TryghedEmbed.cmake).
// Every text from a questionnaire or a resident passes through EscapeHtml.
// Only engine/web and tests/web include this header.
//
// Example:
//
//   PageText t = TextsFor("ar");                  // the form's own words
//   std::string html = RenderFormPage(form, "/s/" + token, {});
#include <string>
#include <string_view>
#include <vector>

#include "report/html.h"
#include "web/internal/form.h"

namespace tryghed::web::internal {

// HTML escaping is the report module's (one escaper for every page we write).
using report::AppendEscapedHtml;
using report::EscapeHtml;

// The embedded text file `name` ("page.html", "form.css"); empty when unknown.
std::string_view EmbeddedText(std::string_view name);
std::vector<std::string_view> EmbeddedTextNames();

// The form's own words (buttons, messages) in `language`; English for a
// language without its own table. `key` as in render.cpp's table.
std::string Ui(const std::string& language, std::string_view key);

// "rtl" for the questionnaire's right-to-left languages (and "ar", "fa",
// "he", "ur" when there is no questionnaire), else "ltr".
std::string Direction(const questionnaire::Questionnaire* q, const std::string& language);

// A question page or the review step of `form` (by form.page), posting to
// `action`. `head` is extra markup for <head> (a kiosk's idle refresh).
std::string RenderFormPage(const FormState& form, const std::string& action, const std::string& head);

// templates/page.html filled in one left-to-right pass (a value holding
// "{{" is never expanded). `title` is plain text (escaped here); `survey`
// (the banner), `header`, `head` and `body` are markup, already escaped.
std::string FillPage(const std::string& language, const std::string& dir, const std::string& title,
                     const std::string& survey, const std::string& header, const std::string& head,
                     const std::string& body);

// A page with a heading and a paragraph, both keys of the Ui table, in
// `language`; `q` gives the title and direction when known; `languages`
// lists languages to offer as links (`self` + "?lang=xx"); `head` as above.
std::string RenderMessage(const std::string& language, const questionnaire::Questionnaire* q,
                          std::string_view title_key, std::string_view text_key, const std::string& self,
                          const std::string& head);

// A kiosk's start screen: one large start button per language, posting to
// `action` with `csrf`.
std::string RenderStart(const questionnaire::Questionnaire& q, const std::string& language,
                        const std::string& action, const std::string& csrf);

}  // namespace tryghed::web::internal
