#include "report/letters.h"

#include <algorithm>
#include <chrono>
#include <string_view>

#include "report/format.h"
#include "report/html.h"
#include "report/internal/qr.h"
#include "report/internal/texts.h"

namespace tryghed::report {

namespace {

using TextMap = std::map<std::string, std::string>;

// Every letter text file has these keys (letter-da.txt has the notes too).
constexpr const char* kLetterKeys[] = {"language_name", "dir",       "default_title", "greeting", "who",
                                       "why",           "anonymous", "duration",      "how",      "how_back",
                                       "personal",      "last_date", "contact",       "thanks",   "regards",
                                       "see_back",      "qr_label",  "date",          "months"};
constexpr const char* kNoteKeys[] = {"note_print", "note_no_back", "note_missing"};
constexpr std::string_view kPrefix = "letter-", kSuffix = ".txt";

// The letter text of `lang`: NotFound when there is none, Internal when the
// compiled-in file is broken.
core::Result<TextMap> LoadLetterText(const std::string& lang) {
  const std::string name = std::string(kPrefix) + lang + std::string(kSuffix);
  const std::string_view text = internal::EmbeddedText(name);
  if (text.empty()) return core::NotFound("no letter text in language '" + lang + "'");
  core::Result<TextMap> t = internal::ParseTexts(text, "reports/" + name);
  if (!t.ok()) return core::Internal(t.status().message());
  for (const char* key : kLetterKeys) {
    if (!t->contains(key)) return core::Internal("reports/" + name + ": no text for \"" + key + "\"");
  }
  if (t->at("dir") != "ltr" && t->at("dir") != "rtl") {
    return core::Internal("reports/" + name + ": dir must be ltr or rtl");
  }
  return t;
}

// A value from the data: escaped and isolated from the surrounding text's
// direction (an area name in Latin letters inside Arabic text).
std::string Value(std::string_view text) { return "<bdi>" + EscapeHtml(text) + "</bdi>"; }

core::Result<std::string> Fill(const TextMap& t, const std::string& key, const TextMap& values) {
  core::Result<std::string> s = FillTemplate(t.at(key), values);
  if (!s.ok()) return core::Internal("letter text \"" + key + "\": " + s.status().message());
  return s;
}

// "a", "a og b", "a, b og c".
std::string JoinNames(const std::vector<std::string>& names, std::string_view and_word) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " " + std::string(and_word) + " " : ", ";
    out += names[i];
  }
  return out;
}

// The date YYYY-MM-DD in the letter's language ("31. maj 2026").
core::Result<std::string> LetterDate(const TextMap& t, const std::chrono::year_month_day& date) {
  std::vector<std::string> months;
  std::string_view list = t.at("months");
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    months.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  if (months.size() != 12) return core::Internal("letter text \"months\" must name 12 months");
  return Fill(t, "date", {{"day", std::to_string(static_cast<unsigned>(date.day()))},
                          {"month", months[static_cast<unsigned>(date.month()) - 1]},
                          {"year", std::to_string(static_cast<int>(date.year()))}});
}

// One language's letter, split around the link so each resident's letter
// is before + link + after.
struct LanguageBlock {
  std::string lang;
  std::string dir;
  std::string before;  // up to the link
  std::string tail;    // after the link (and the QR code on the front)
  std::string qr_label;
};

core::Result<LanguageBlock> MakeBlock(const std::string& lang, const TextMap& t, const LetterSpec& spec,
                                      const std::optional<std::chrono::year_month_day>& date, bool front) {
  LanguageBlock b;
  b.lang = lang;
  b.dir = t.at("dir");
  b.qr_label = t.at("qr_label");
  const std::string sender = spec.sender.empty() ? spec.study : spec.sender;
  const TextMap values = {{"area", Value(spec.area)},
                          {"study", Value(spec.study)},
                          {"minutes", std::to_string(spec.minutes)},
                          {"contact", Value(spec.contact)}};
  auto title = spec.titles.find(lang);
  const std::string heading = EscapeHtml(title != spec.titles.end() && !title->second.empty() ? title->second
                                                                                               : t.at("default_title"));
  std::string& o = b.before;
  if (front) {
    o += "<header class=\"letterhead\"><p class=\"sender\">" + Value(sender) + "</p><p class=\"area\">" +
         Value(spec.area) + "</p></header>\n<h1>" + heading + "</h1>\n";
  } else {
    o += "<div class=\"lang-block\" lang=\"" + EscapeHtml(lang) + "\" dir=\"" + b.dir + "\">\n<h2>" + heading +
         "</h2>\n";
  }
  o += "<p>" + EscapeHtml(t.at("greeting")) + "</p>\n";
  for (const char* key : {"who", "why", "anonymous", "duration"}) {
    core::Result<std::string> p = Fill(t, key, values);
    if (!p.ok()) return p.status();
    o += "<p>" + *p + "</p>\n";
  }
  o += "<p>" + EscapeHtml(t.at(front ? "how" : "how_back")) + "</p>\n";
  o += front ? "<div class=\"access\"><p class=\"link\" dir=\"ltr\">" : "<p class=\"link\" dir=\"ltr\">";
  std::string& tail = b.tail;
  tail = "<p>" + EscapeHtml(t.at("personal"));
  if (date) {
    core::Result<std::string> when = LetterDate(t, *date);
    if (!when.ok()) return when.status();
    core::Result<std::string> p = Fill(t, "last_date", {{"date", "<bdi class=\"date\">" + *when + "</bdi>"}});
    if (!p.ok()) return p.status();
    tail += " " + *p;
  }
  tail += "</p>\n";
  if (!spec.contact.empty()) {
    core::Result<std::string> p = Fill(t, "contact", values);
    if (!p.ok()) return p.status();
    tail += "<p>" + *p + "</p>\n";
  }
  tail += "<p>" + EscapeHtml(t.at("thanks")) + "</p>\n<p class=\"regards\">" + EscapeHtml(t.at("regards")) +
          "<br>" + Value(sender) + "</p>\n";
  if (!front) tail += "</div>\n";
  return b;
}

}  // namespace

std::vector<std::string> LetterLanguages() {
  std::vector<std::string> out;
  for (std::string_view name : internal::EmbeddedTextNames()) {
    if (name.starts_with(kPrefix) && name.ends_with(kSuffix)) {
      out.emplace_back(name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size()));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

core::Result<Letters> RenderLetters(const LetterSpec& spec) {
  if (spec.links.empty()) return core::InvalidArgument("letters need at least one link");
  if (spec.minutes < 1 || spec.minutes > 120) {
    return core::InvalidArgument("the time to answer must be 1 to 120 minutes, got " + std::to_string(spec.minutes));
  }
  std::optional<std::chrono::year_month_day> date;
  if (!spec.last_date.empty()) {
    date = ParseIsoDate(spec.last_date);
    if (!date) return core::InvalidArgument("the last date \"" + spec.last_date + "\" is not a date YYYY-MM-DD");
  }
  core::Result<TextMap> danish = LoadLetterText("da");
  if (!danish.ok()) return core::Internal("the Danish letter text is missing: " + danish.status().message());
  for (const char* key : kNoteKeys) {
    if (!danish->contains(key)) return core::Internal(std::string("reports/letter-da.txt: no text for \"") + key + "\"");
  }

  Letters out;
  core::Result<LanguageBlock> front = MakeBlock("da", *danish, spec, date, /*front=*/true);
  if (!front.ok()) return front.status();
  std::vector<LanguageBlock> back;
  std::vector<std::string> back_names;
  std::string see_back;
  for (const std::string& lang : spec.languages) {
    if (lang == "da" || std::find(out.back_languages.begin(), out.back_languages.end(), lang) !=
                            out.back_languages.end()) {
      continue;
    }
    core::Result<TextMap> t = LoadLetterText(lang);
    if (t.status().code() == core::StatusCode::kNotFound) {
      out.left_out.push_back(lang);
      continue;
    }
    if (!t.ok()) return t.status();
    core::Result<LanguageBlock> b = MakeBlock(lang, *t, spec, date, /*front=*/false);
    if (!b.ok()) return b.status();
    back.push_back(std::move(b).value());
    out.back_languages.push_back(lang);
    back_names.push_back("<bdi>" + EscapeHtml(t->at("language_name")) + "</bdi>");
    see_back += "<p lang=\"" + EscapeHtml(lang) + "\" dir=\"" + t->at("dir") + "\">" + EscapeHtml(t->at("see_back")) +
                "</p>";
  }

  std::string& h = out.html;
  h.reserve(spec.links.size() * 9000 + 4096);
  h += "<!DOCTYPE html>\n<html lang=\"da\">\n<head>\n<meta charset=\"utf-8\">\n"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "img-src data:\">\n<title>Invitationer: " +
       EscapeHtml(spec.area) + " \u2013 " + EscapeHtml(spec.study) + "</title>\n<style>\n" +
       std::string(internal::EmbeddedText("letters.css")) + "</style>\n</head>\n<body>\n";
  const std::string count = std::to_string(spec.links.size());
  core::Result<std::string> note =
      back.empty() ? Fill(*danish, "note_no_back", {{"count", count}, {"area", Value(spec.area)}})
                   : Fill(*danish, "note_print",
                          {{"count", count}, {"area", Value(spec.area)}, {"languages", JoinNames(back_names, "og")}});
  if (!note.ok()) return note.status();
  h += "<div class=\"screen-note\"><p>" + *note + "</p>";
  if (!out.left_out.empty()) {
    std::vector<std::string> codes;
    for (const std::string& l : out.left_out) codes.push_back(EscapeHtml(l));
    core::Result<std::string> missing = Fill(*danish, "note_missing", {{"languages", JoinNames(codes, "og")}});
    if (!missing.ok()) return missing.status();
    h += "<p>" + *missing + "</p>";
  }
  h += "</div>\n";

  const std::string footer = see_back.empty() ? "" : "<footer class=\"see-back\">" + see_back + "</footer>\n";
  const std::string back_open =
      std::string("<section class=\"sheet back") + (back.size() > 2 ? " many" : "") + "\">\n";
  for (std::size_t i = 0; i < spec.links.size(); ++i) {
    const std::string& link = spec.links[i];
    if (link.empty()) return core::InvalidArgument("letter " + std::to_string(i + 1) + ": the link is empty");
    core::Result<std::string> qr = internal::QrSvg(link, front->qr_label);
    if (!qr.ok()) return qr.status().WithContext("letter " + std::to_string(i + 1));
    const std::string escaped = EscapeHtml(link);
    h += "<section class=\"sheet front\" lang=\"da\" dir=\"ltr\">\n" + front->before + escaped + "</p>" + *qr +
         "</div>\n" + front->tail + footer + "</section>\n" + back_open;
    for (const LanguageBlock& b : back) h += b.before + escaped + "</p>\n" + b.tail;
    h += "</section>\n";
  }
  h += "</body>\n</html>\n";
  return out;
}

}  // namespace tryghed::report
