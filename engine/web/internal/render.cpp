#include "web/internal/render.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "questionnaire/scoring.h"

namespace tryghed::web::internal {

namespace {

using questionnaire::Item;
using questionnaire::ItemType;
using questionnaire::Questionnaire;
using UiTable = std::map<std::string_view, std::string_view>;

// The form's own words. A language missing here falls back to English.
const std::map<std::string_view, UiTable>& Tables() {
  static const std::map<std::string_view, UiTable> tables = {
      {"da",
       {{"next", "Næste"},
        {"back", "Tilbage"},
        {"review_title", "Se dine svar igennem"},
        {"review_intro", "Du kan rette et svar, før du sender. Spørgsmål uden svar er helt i orden."},
        {"submit", "Send mine svar"},
        {"edit", "Ret svarene i denne del"},
        {"not_answered", "Ikke besvaret"},
        {"page_of", "Side {n} af {m}"},
        {"skip_hint", "Du kan springe ethvert spørgsmål over."},
        {"no_answer", "Intet svar"},
        {"language", "Sprog"},
        {"thanks_title", "Tak for dine svar"},
        {"thanks_text", "Dine svar er gemt. Du kan lukke siden."},
        {"thanks_kiosk", "Dine svar er gemt. Skærmen går tilbage til start om et øjeblik."},
        {"idle_warning", "Er du her stadig? Om 20 sekunder ryddes skærmen, så den næste ikke ser dine svar."},
        {"idle_more", "Jeg er her – giv mig mere tid"},
        {"already_title", "Du har allerede svaret"},
        {"already_text", "Svarene fra dette link er allerede modtaget. Tak for din hjælp!"},
        {"notfound_title", "Siden findes ikke"},
        {"notfound_text", "Tjek, at linket er skrevet rigtigt."},
        {"closed_title", "Undersøgelsen er lukket"},
        {"closed_text", "Der kan ikke svares lige nu. Tak for din interesse."},
        {"expired_title", "Siden er udløbet"},
        {"expired_text", "Åbn linket igen for at fortsætte. Dine gemte svar er ikke tabt."},
        {"bad_title", "Formularen kunne ikke læses"},
        {"bad_text", "Gå tilbage og prøv igen. Intet er gemt."},
        {"large_title", "Der blev sendt for meget"},
        {"large_text", "Gør teksten kortere, og prøv igen. Intet er gemt."},
        {"busy_title", "Prøv igen om lidt"},
        {"busy_text", "Der er travlt lige nu. Dine svar er ikke sendt endnu – tryk igen om lidt."},
        {"error_title", "Der skete en fejl"},
        {"error_text", "Dine svar er ikke sendt. Prøv igen om lidt."},
        {"wait_text", "Vent et øjeblik, og tryk så på »Send mine svar« igen."},
        {"kiosk_title", "Denne skærm er ikke sat op"},
        {"kiosk_text", "En medarbejder skal åbne opsætningslinket på denne skærm."},
        {"start_title", "Velkommen"},
        {"start_text", "Vælg dit sprog for at begynde. Det tager omkring 5 minutter, og dine svar er anonyme."},
        {"err_number_invalid", "Skriv et tal, fx 12."},
        {"err_number_whole", "Skriv et helt tal."},
        {"err_number_range", "Skriv et tal fra {min} til {max}."},
        {"err_text_long", "Teksten er for lang (højst {max} tegn)."},
        {"errors_summary", "Ret venligst det markerede:"}}},
      {"en",
       {{"next", "Next"},
        {"back", "Back"},
        {"review_title", "Check your answers"},
        {"review_intro", "You can change an answer before you send. Questions without an answer are fine."},
        {"submit", "Send my answers"},
        {"edit", "Change the answers in this part"},
        {"not_answered", "Not answered"},
        {"page_of", "Page {n} of {m}"},
        {"skip_hint", "You may skip any question."},
        {"no_answer", "No answer"},
        {"language", "Language"},
        {"thanks_title", "Thank you for your answers"},
        {"thanks_text", "Your answers are saved. You may close this page."},
        {"thanks_kiosk", "Your answers are saved. The screen returns to the start in a moment."},
        {"idle_warning", "Are you still there? In 20 seconds the screen is cleared so the next person cannot see your answers."},
        {"idle_more", "I am here – give me more time"},
        {"already_title", "You have already answered"},
        {"already_text", "The answers from this link have already been received. Thank you for your help!"},
        {"notfound_title", "Page not found"},
        {"notfound_text", "Check that the link is typed correctly."},
        {"closed_title", "The survey is closed"},
        {"closed_text", "Answers cannot be given right now. Thank you for your interest."},
        {"expired_title", "This page has expired"},
        {"expired_text", "Open the link again to continue. Your saved answers are not lost."},
        {"bad_title", "The form could not be read"},
        {"bad_text", "Go back and try again. Nothing was saved."},
        {"large_title", "Too much was sent"},
        {"large_text", "Make the text shorter and try again. Nothing was saved."},
        {"busy_title", "Please try again shortly"},
        {"busy_text", "The server is busy. Your answers have not been sent yet – press again in a moment."},
        {"error_title", "Something went wrong"},
        {"error_text", "Your answers have not been sent. Please try again shortly."},
        {"wait_text", "Please wait a moment, then press “Send my answers” again."},
        {"kiosk_title", "This screen is not set up"},
        {"kiosk_text", "A staff member must open the set-up link on this screen."},
        {"start_title", "Welcome"},
        {"start_text", "Choose your language to begin. It takes about 5 minutes, and your answers are anonymous."},
        {"err_number_invalid", "Write a number, for example 12."},
        {"err_number_whole", "Write a whole number."},
        {"err_number_range", "Write a number from {min} to {max}."},
        {"err_text_long", "The text is too long (at most {max} characters)."},
        {"errors_summary", "Please correct what is marked:"}}},
      {"ar",
       {{"next", "التالي"},
        {"back", "السابق"},
        {"review_title", "راجع إجاباتك"},
        {"review_intro", "يمكنك تغيير أي إجابة قبل الإرسال. لا بأس بترك أسئلة دون إجابة."},
        {"submit", "أرسل إجاباتي"},
        {"edit", "غيّر الإجابات في هذا الجزء"},
        {"not_answered", "لم تتم الإجابة"},
        {"page_of", "الصفحة {n} من {m}"},
        {"skip_hint", "يمكنك تخطي أي سؤال."},
        {"no_answer", "بلا إجابة"},
        {"language", "اللغة"},
        {"thanks_title", "شكرًا على إجاباتك"},
        {"thanks_text", "تم حفظ إجاباتك. يمكنك إغلاق هذه الصفحة."},
        {"thanks_kiosk", "تم حفظ إجاباتك. ستعود الشاشة إلى البداية بعد لحظات."},
        {"idle_warning", "هل ما زلت هنا؟ بعد 20 ثانية سيتم مسح الشاشة حتى لا يرى الشخص التالي إجاباتك."},
        {"idle_more", "أنا هنا – أعطني وقتًا إضافيًا"},
        {"already_title", "لقد أجبت بالفعل"},
        {"already_text", "تم استلام الإجابات من هذا الرابط بالفعل. شكرًا على مساعدتك!"},
        {"notfound_title", "الصفحة غير موجودة"},
        {"notfound_text", "تحقق من كتابة الرابط بشكل صحيح."},
        {"closed_title", "الاستبيان مغلق"},
        {"closed_text", "لا يمكن الإجابة الآن. شكرًا لاهتمامك."},
        {"expired_title", "انتهت صلاحية هذه الصفحة"},
        {"expired_text", "افتح الرابط مرة أخرى للمتابعة. إجاباتك المحفوظة لم تضِع."},
        {"bad_title", "تعذرت قراءة النموذج"},
        {"bad_text", "ارجع وحاول مرة أخرى. لم يُحفظ شيء."},
        {"large_title", "تم إرسال الكثير"},
        {"large_text", "اجعل النص أقصر وحاول مرة أخرى. لم يُحفظ شيء."},
        {"busy_title", "يرجى المحاولة بعد قليل"},
        {"busy_text", "الخادم مشغول. لم تُرسل إجاباتك بعد – اضغط مرة أخرى بعد لحظة."},
        {"error_title", "حدث خطأ"},
        {"error_text", "لم تُرسل إجاباتك. يرجى المحاولة بعد قليل."},
        {"wait_text", "انتظر لحظة ثم اضغط «أرسل إجاباتي» مرة أخرى."},
        {"kiosk_title", "هذه الشاشة غير مُعدّة"},
        {"kiosk_text", "يجب على أحد الموظفين فتح رابط الإعداد على هذه الشاشة."},
        {"start_title", "أهلًا وسهلًا"},
        {"start_text", "اختر لغتك للبدء. يستغرق الأمر حوالي 5 دقائق، وإجاباتك مجهولة الهوية."},
        {"err_number_invalid", "اكتب رقمًا، مثل 12."},
        {"err_number_whole", "اكتب عددًا صحيحًا."},
        {"err_number_range", "اكتب رقمًا من {min} إلى {max}."},
        {"err_text_long", "النص طويل جدًا (بحد أقصى {max} حرفًا)."},
        {"errors_summary", "يرجى تصحيح ما هو محدد:"}}},
  };
  return tables;
}

std::string LanguageName(const std::string& code) {
  static const std::map<std::string, std::string> names = {
      {"da", "Dansk"},   {"en", "English"}, {"ar", "العربية"}, {"de", "Deutsch"},   {"tr", "Türkçe"},
      {"so", "Soomaali"}, {"ur", "اردو"},    {"fa", "فارسی"},   {"pl", "Polski"},    {"uk", "Українська"},
      {"sv", "Svenska"}, {"no", "Norsk"},   {"ti", "ትግርኛ"},    {"prs", "دری"},      {"ps", "پښتو"}};
  auto it = names.find(code);
  return it == names.end() ? code : it->second;
}

std::string Replace(std::string s, std::string_view from, const std::string& to) {
  for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) {
    s.replace(p, from.size(), to);
  }
  return s;
}

std::string FormatValue(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// The text of `t` in `language`, else the default language, else any.
const std::string& Pick(const questionnaire::Text& t, const std::string& language, const Questionnaire& q) {
  static const std::string kNone;
  auto it = t.find(language);
  if (it == t.end()) it = t.find(q.default_language);
  if (it == t.end()) it = t.begin();
  return it == t.end() ? kNone : it->second;
}

// The form's own word `key` in `language`, else English, else the key itself.
std::string_view UiText(std::string_view language, std::string_view key) {
  const auto& tables = Tables();
  for (std::string_view l : {language, std::string_view("en")}) {
    auto t = tables.find(l);
    if (t == tables.end()) continue;
    auto it = t->second.find(key);
    if (it != t->second.end()) return it->second;
  }
  return key;
}

// Appends page.html to `out`, filled in one left-to-right pass, so a value
// containing "{{" is never expanded; `body` appends the page's body where
// the template says {{body}}. `title` is plain text; `survey`, `header` and
// `head` are markup.
template <typename Body>
void AppendPage(std::string& out, const std::string& language, const std::string& dir, const std::string& title,
                const std::string& survey, const std::string& header, const std::string& head, Body&& body) {
  const std::string_view tpl = EmbeddedText("page.html");
  std::size_t pos = 0;
  while (pos < tpl.size()) {
    const std::size_t open = tpl.find("{{", pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = tpl.find("}}", open);
    if (close == std::string_view::npos) break;
    out.append(tpl.substr(pos, open - pos));
    const std::string_view name = tpl.substr(open + 2, close - open - 2);
    if (name == "lang") AppendEscapedHtml(out, language);
    else if (name == "dir") out += dir;
    else if (name == "title") AppendEscapedHtml(out, title);  // plain text; every other value is markup already
    else if (name == "survey") out += survey;
    else if (name == "header") out += header;
    else if (name == "head") out += head;
    else if (name == "body") body(out);
    pos = close + 2;
  }
  out.append(tpl.substr(pos));
}

}  // namespace

std::string FillPage(const std::string& language, const std::string& dir, const std::string& title,
                     const std::string& survey, const std::string& header, const std::string& head,
                     const std::string& body) {
  std::string out;
  out.reserve(EmbeddedText("page.html").size() + body.size() + header.size() + head.size() + 256);
  AppendPage(out, language, dir, title, survey, header, head, [&](std::string& o) { o += body; });
  return out;
}

namespace {

// The skip link to the language choice at the bottom of a form page, in every language.
std::string LanguageJump(const Questionnaire& q) {
  std::string out = "<a href=\"#languages\">";
  bool first = true;
  for (const std::string& l : q.languages) {
    if (!first) out += " · ";
    first = false;
    out += "<span lang=\"";
    AppendEscapedHtml(out, l);
    out.append("\" dir=\"").append(Direction(&q, l)).append("\">");
    AppendEscapedHtml(out, UiText(l, "language"));
    out += "</span>";
  }
  return out + "</a>\n";
}

void AppendLanguageButtons(std::string& out, const Questionnaire& q, const std::string& current) {
  out += "<nav class=\"languages\" id=\"languages\" aria-label=\"";
  AppendEscapedHtml(out, UiText(current, "language"));
  out += "\"><ul>\n";
  for (const std::string& l : q.languages) {
    if (l == current) continue;
    out += "<li><button type=\"submit\" class=\"small\" name=\"lang\" value=\"";
    AppendEscapedHtml(out, l);
    out += "\" lang=\"";
    AppendEscapedHtml(out, l);
    out.append("\" dir=\"").append(Direction(&q, l)).append("\">");
    AppendEscapedHtml(out, LanguageName(l));
    out += "</button></li>\n";
  }
  out += "</ul></nav>\n";
}

std::string ErrorText(const std::string& language, const Item& item, const std::string& key) {
  std::string text = Ui(language, "err_" + key);
  text = Replace(text, "{min}", FormatValue(item.min));
  text = Replace(text, "{max}", key == "text_long" ? std::to_string(item.max_length) : FormatValue(item.max));
  return text;
}

void AppendItem(std::string& out, const FormState& form, const Item& item) {
  const Questionnaire& q = form.survey->q;
  const std::string& lang = form.language;
  const std::string id = EscapeHtml(item.id);
  auto answer = form.answers.find(item.id);
  auto error = form.errors.find(item.id);
  const bool has_error = error != form.errors.end();
  // aria-describedby: the help text, then the error message.
  std::string aria;
  if (item.help || has_error) {
    aria = " aria-describedby=\"";
    if (item.help) aria.append("h-").append(id);
    if (item.help && has_error) aria += ' ';
    if (has_error) aria.append("e-").append(id);
    aria += '"';
  }
  const auto append_extra = [&] {
    if (item.help) {
      out.append("<p class=\"help\" id=\"h-").append(id).append("\">");
      AppendEscapedHtml(out, Pick(*item.help, lang, q));
      out += "</p>\n";
    }
    if (has_error) {
      out.append("<p class=\"error\" id=\"e-").append(id).append("\">");
      AppendEscapedHtml(out, ErrorText(lang, item, error->second));
      out += "</p>\n";
    }
  };
  if (questionnaire::HasOptions(item.type)) {
    const bool multi = questionnaire::IsMultiCoded(item.type);
    out.append("<fieldset class=\"question\" id=\"q-").append(id).append("\"").append(aria).append(">\n<legend>");
    AppendEscapedHtml(out, Pick(item.text, lang, q));
    out += "</legend>\n";
    append_extra();
    out += "<div class=\"options\">\n";
    for (const auto& option : item.options) {
      bool checked = false;
      if (answer != form.answers.end()) {
        if (const auto* code = std::get_if<core::Code>(&answer->second)) checked = *code == option.code;
        if (const auto* codes = std::get_if<core::Codes>(&answer->second)) {
          checked = std::find(codes->begin(), codes->end(), option.code) != codes->end();
        }
      }
      out.append("<label class=\"option\"><input type=\"")
          .append(multi ? "checkbox" : "radio")
          .append("\" name=\"")
          .append(id)
          .append("\" value=\"")
          .append(std::to_string(option.code))
          .append(checked ? "\" checked> <span>" : "\"> <span>");
      AppendEscapedHtml(out, Pick(option.label, lang, q));
      out += "</span></label>\n";
    }
    if (!multi && answer != form.answers.end()) {
      // A chosen radio button cannot be cleared without script: offer "no answer".
      out.append("<label class=\"option none\"><input type=\"radio\" name=\"").append(id).append("\" value=\"\"> <span>");
      AppendEscapedHtml(out, UiText(lang, "no_answer"));
      out += "</span></label>\n";
    }
    out += "</div>\n</fieldset>\n";
    return;
  }
  std::string value;
  auto raw = form.raw.find(item.id);
  if (raw != form.raw.end()) {
    value = raw->second;
  } else if (answer != form.answers.end()) {
    if (const auto* number = std::get_if<double>(&answer->second)) value = FormatValue(*number);
    if (const auto* s = std::get_if<std::string>(&answer->second)) value = *s;
  }
  out.append("<div class=\"question\" id=\"q-").append(id).append("\">\n<label class=\"question-text\" for=\"f-");
  out.append(id).append("\">");
  AppendEscapedHtml(out, Pick(item.text, lang, q));
  out += "</label>\n";
  append_extra();
  if (item.type == ItemType::kNumber) {
    out.append("<input type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" id=\"f-").append(id);
    out.append("\" name=\"").append(id).append("\" value=\"");
    AppendEscapedHtml(out, value);
    out.append("\"").append(aria).append(">");
    if (item.unit) {
      out += "<span class=\"unit\">";
      AppendEscapedHtml(out, Pick(*item.unit, lang, q));
      out += "</span>";
    }
    out += "\n";
  } else {
    out.append("<textarea id=\"f-").append(id).append("\" name=\"").append(id).append("\" maxlength=\"");
    out.append(std::to_string(item.max_length)).append("\" rows=\"5\"").append(aria).append(">");
    AppendEscapedHtml(out, value);
    out += "</textarea>\n";
  }
  out += "</div>\n";
}

void AppendAnswerText(std::string& out, const FormState& form, const Item& item) {
  const Questionnaire& q = form.survey->q;
  auto answer = form.answers.find(item.id);
  if (answer == form.answers.end()) {
    out += "<span class=\"not-answered\">";
    AppendEscapedHtml(out, UiText(form.language, "not_answered"));
    out += "</span>";
    return;
  }
  const auto& v = answer->second;
  const auto append_code = [&](core::Code c) {
    const auto* o = item.FindOption(c);
    if (o != nullptr) AppendEscapedHtml(out, Pick(o->label, form.language, q));
    else out += std::to_string(c);
  };
  if (const auto* code = std::get_if<core::Code>(&v)) {
    append_code(*code);
  } else if (const auto* codes = std::get_if<core::Codes>(&v)) {
    // Codes are joined with "; "; an option's label may be empty, so the
    // separator follows what was written so far, as a join of texts would.
    const std::size_t start = out.size();
    for (core::Code c : *codes) {
      if (out.size() > start) out += "; ";
      append_code(c);
    }
  } else if (const auto* number = std::get_if<double>(&v)) {
    out += FormatValue(*number);
    if (item.unit) {
      out += " ";
      AppendEscapedHtml(out, Pick(*item.unit, form.language, q));
    }
  } else {
    AppendEscapedHtml(out, std::get<std::string>(v));
  }
}

void AppendHiddenFields(std::string& out, const FormState& form) {
  out += "<input type=\"hidden\" name=\"csrf\" value=\"";
  AppendEscapedHtml(out, form.csrf);
  out += "\">\n<input type=\"hidden\" name=\"form\" value=\"";
  AppendEscapedHtml(out, form.key);
  out.append("\">\n<input type=\"hidden\" name=\"page\" value=\"").append(std::to_string(form.page)).append("\">\n");
}

// The <button>s at the end of a page: the primary one (`action`, `label_key`)
// and "back" when `back`.
void AppendButtons(std::string& out, const std::string& lang, const char* action, std::string_view label_key,
                   bool back) {
  out.append("<div class=\"buttons\"><button type=\"submit\" class=\"primary\" name=\"action\" value=\"")
      .append(action)
      .append("\">");
  AppendEscapedHtml(out, UiText(lang, label_key));
  out += "</button>";
  if (back) {
    out += "<button type=\"submit\" name=\"action\" value=\"back\">";
    AppendEscapedHtml(out, UiText(lang, "back"));
    out += "</button>";
  }
  out += "</div>\n";
}

// The review step: every asked page's answers, section by section.
void AppendReview(std::string& out, const FormState& form, const std::vector<int>& visible) {
  const Survey& survey = *form.survey;
  const Questionnaire& q = survey.q;
  const std::string& lang = form.language;
  out += "<p class=\"intro\">";
  AppendEscapedHtml(out, UiText(lang, "review_intro"));
  out += "</p>\n";
  std::size_t last_section = static_cast<std::size_t>(-1);
  bool open = false;
  for (int pi : visible) {
    const Page& p = survey.pages[static_cast<std::size_t>(pi)];
    const auto& section = q.sections[p.section];
    if (p.section != last_section) {
      if (open) out += "</section>\n";
      last_section = p.section;
      open = true;
      out += "<section class=\"review-section\" aria-labelledby=\"r-";
      AppendEscapedHtml(out, section.id);
      out += "\">\n<h2 id=\"r-";
      AppendEscapedHtml(out, section.id);
      out += "\">";
      AppendEscapedHtml(out, Pick(section.title, lang, q));
      out += "</h2>\n";
    }
    out += "<dl class=\"review\">\n";
    for (std::size_t i = p.first; i < p.last; ++i) {
      const Item& item = section.items[i];
      if (!questionnaire::IsAsked(q, item, form.answers)) continue;
      out += "<dt>";
      AppendEscapedHtml(out, Pick(item.text, lang, q));
      out += "</dt>\n<dd>";
      AppendAnswerText(out, form, item);
      out += "</dd>\n";
    }
    out.append("</dl>\n<button type=\"submit\" class=\"small\" name=\"goto\" value=\"").append(std::to_string(pi));
    out += "\">";
    AppendEscapedHtml(out, UiText(lang, "edit"));
    out += "<span class=\"visually-hidden\">: ";
    AppendEscapedHtml(out, Pick(section.title, lang, q));
    out += "</span></button>\n";
  }
  if (open) out += "</section>\n";
  AppendButtons(out, lang, "submit", "submit", !visible.empty());
}

// One page of questions (`p`, at `position` of the asked pages).
void AppendQuestions(std::string& out, const FormState& form, const Page& p, int position) {
  const Questionnaire& q = form.survey->q;
  const std::string& lang = form.language;
  const auto& section = q.sections[p.section];
  if (section.intro && p.first == 0) {
    out += "<p class=\"intro\">";
    AppendEscapedHtml(out, Pick(*section.intro, lang, q));
    out += "</p>\n";
  }
  if (position == 1) {
    out += "<p class=\"hint\">";
    AppendEscapedHtml(out, UiText(lang, "skip_hint"));
    out += "</p>\n";
  }
  if (!form.errors.empty()) {
    out += "<div class=\"error-summary\" role=\"alert\"><p>";
    AppendEscapedHtml(out, UiText(lang, "errors_summary"));
    out += "</p><ul>";
    for (const auto& [item_id, key] : form.errors) {
      const Item* item = q.FindItem(item_id);
      if (item == nullptr) continue;
      out += "<li><a href=\"#q-";
      AppendEscapedHtml(out, item_id);
      out += "\">";
      AppendEscapedHtml(out, Pick(item->text, lang, q));
      out += "</a></li>";
    }
    out += "</ul></div>\n";
  }
  for (std::size_t i = p.first; i < p.last; ++i) {
    if (questionnaire::IsAsked(q, section.items[i], form.answers)) AppendItem(out, form, section.items[i]);
  }
  AppendButtons(out, lang, "next", "next", position > 1);
}

}  // namespace

std::string Ui(const std::string& language, std::string_view key) { return std::string(UiText(language, key)); }

std::string Direction(const Questionnaire* q, const std::string& language) {
  if (q != nullptr) {
    return std::find(q->rtl_languages.begin(), q->rtl_languages.end(), language) != q->rtl_languages.end() ? "rtl"
                                                                                                          : "ltr";
  }
  return language == "ar" || language == "fa" || language == "he" || language == "ur" ? "rtl" : "ltr";
}

// The page is written into one buffer, reserved once: the template, the
// questionnaire's texts (escaped straight into it) and the instance's token,
// key and answers, without building and copying pieces on the way.
std::string RenderFormPage(const FormState& form, const std::string& action, const std::string& head) {
  const Survey& survey = *form.survey;
  const Questionnaire& q = survey.q;
  const std::string& lang = form.language;
  const int n_pages = static_cast<int>(survey.pages.size());
  std::vector<int> visible;
  for (int i = 0; i < n_pages; ++i) {
    if (PageAsked(survey, static_cast<std::size_t>(i), form.answers)) visible.push_back(i);
  }
  const int total = static_cast<int>(visible.size()) + 1;
  int position = total;
  for (int i = 0; i < static_cast<int>(visible.size()); ++i) {
    if (visible[i] >= form.page) {
      position = i + 1;
      break;
    }
  }
  const bool review = form.page >= n_pages;
  const std::string& title = review ? Ui(lang, "review_title")
                                    : Pick(q.sections[survey.pages[static_cast<std::size_t>(form.page)].section].title,
                                           lang, q);
  const std::string& survey_title = Pick(q.title, lang, q);
  std::string out;
  out.reserve(12 * 1024 + head.size());
  std::string escaped_survey_title;
  AppendEscapedHtml(escaped_survey_title, survey_title);
  AppendPage(out, lang, Direction(&q, lang), title + " – " + survey_title, escaped_survey_title, LanguageJump(q), head,
             [&](std::string& body) {
               body += "<h1>";
               AppendEscapedHtml(body, title);
               body += "</h1>\n<p class=\"progress-text\">";
               AppendEscapedHtml(body, Replace(Replace(Ui(lang, "page_of"), "{n}", std::to_string(position)), "{m}",
                                               std::to_string(total)));
               body.append("</p>\n<progress max=\"").append(std::to_string(total)).append("\" value=\"");
               body.append(std::to_string(position)).append("\" aria-hidden=\"true\"></progress>\n");
               if (!form.notice.empty()) {
                 body += "<p class=\"notice\" role=\"status\">";
                 AppendEscapedHtml(body, UiText(lang, form.notice));
                 body += "</p>\n";
               }
               body += "<form method=\"post\" action=\"";
               AppendEscapedHtml(body, action);
               body += "\" novalidate>\n";
               AppendHiddenFields(body, form);
               if (review) AppendReview(body, form, visible);
               else AppendQuestions(body, form, survey.pages[static_cast<std::size_t>(form.page)], position);
               AppendLanguageButtons(body, q, lang);
               body += "</form>\n";
             });
  return out;
}

std::string RenderMessage(const std::string& language, const Questionnaire* q, std::string_view title_key,
                          std::string_view text_key, const std::string& self, const std::string& head) {
  const std::string title = Ui(language, title_key);
  std::string body = "<h1>" + EscapeHtml(title) + "</h1>\n<p>" + EscapeHtml(Ui(language, text_key)) + "</p>\n";
  std::string survey;
  if (q != nullptr) {
    survey = EscapeHtml(Pick(q->title, language, *q));
    if (!self.empty() && q->languages.size() > 1) {
      body += "<nav class=\"languages\" id=\"languages\" aria-label=\"" + EscapeHtml(Ui(language, "language")) +
              "\"><ul>\n";
      for (const std::string& l : q->languages) {
        if (l == language) continue;
        body += "<li><a class=\"button small\" href=\"" + EscapeHtml(self) + "?lang=" + EscapeHtml(l) + "\" lang=\"" +
                EscapeHtml(l) + "\" dir=\"" + Direction(q, l) + "\">" + EscapeHtml(LanguageName(l)) + "</a></li>\n";
      }
      body += "</ul></nav>\n";
    }
  } else {
    survey = "tryghed";
  }
  return FillPage(language, Direction(q, language), title, survey, "", head, body);
}

std::string RenderStart(const Questionnaire& q, const std::string& language, const std::string& action,
                        const std::string& csrf) {
  std::string body = "<h1>" + EscapeHtml(Ui(language, "start_title")) + "</h1>\n";
  for (const std::string& l : q.languages) {
    body += "<p lang=\"" + EscapeHtml(l) + "\" dir=\"" + Direction(&q, l) + "\">" + EscapeHtml(Ui(l, "start_text")) +
            "</p>\n";
  }
  body += "<form method=\"post\" action=\"" + EscapeHtml(action) + "\">\n<input type=\"hidden\" name=\"csrf\" value=\"" +
          EscapeHtml(csrf) + "\">\n<input type=\"hidden\" name=\"action\" value=\"start\">\n<ul class=\"start-languages\">\n";
  for (const std::string& l : q.languages) {
    body += "<li><button type=\"submit\" class=\"primary\" name=\"lang\" value=\"" + EscapeHtml(l) + "\" lang=\"" +
            EscapeHtml(l) + "\" dir=\"" + Direction(&q, l) + "\">" + EscapeHtml(LanguageName(l)) + "</button></li>\n";
  }
  body += "</ul>\n</form>\n";
  return FillPage(language, Direction(&q, language), Ui(language, "start_title") + " – " + Pick(q.title, language, q),
              EscapeHtml(Pick(q.title, language, q)), "", "", body);
}

}  // namespace tryghed::web::internal
