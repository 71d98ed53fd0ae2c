#pragma once
// tryghed::report — printable invitation letters: one self-contained HTML
// document with one A4 sheet per resident, the front in Danish and the back
// in the questionnaire's other languages, each with the resident's personal
// link in large type and as a QR code (docs/report.md, "Letters").
//
// Each sheet is exactly two pages (front, back), so a duplex print on the
// long edge keeps every resident's two sides on one sheet and a sheet never
// carries two residents' links; when no other language has a letter text the
// back page is left blank for the same reason. The letter texts live in
// reports/letter-<language>.txt (compiled in); a questionnaire language
// without such a file is left off the back and named in Letters::left_out
// and in a note shown on screen (never printed). Every value (names, links,
// sender, contact) is escaped; the page has no scripts and requests nothing
// (Content-Security-Policy).
//
// Example:
//
//   LetterSpec spec;
//   spec.study = "Gadehavegård 2026";
//   spec.area = "Gadehavegård";
//   spec.sender = "Høje-Taastrup Kommune";
//   spec.languages = {"da", "en", "ar"};
//   spec.last_date = "2026-05-31";
//   spec.links = {"https://tryg.example.dk/s/0123456789abcdefghjkmnpqrs"};
//   core::Result<Letters> letters = RenderLetters(spec);
//   if (!letters.ok()) return letters.status();
//   core::WriteFileAtomically("letters.html", letters->html);   // then PrintToPdf (report/pdf.h)
//
// Pure function (texts compiled in); safe from any thread.
#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace tryghed::report {

struct LetterSpec {
  std::string study;    // the study's name, as the letter names the project
  std::string area;     // the housing area the residents live in
  std::string sender;   // who signs, e.g. "Høje-Taastrup Kommune og Midt- og Vestsjællands Politi"; default: study
  std::string contact;  // optional: a phone number or address for questions
  // The questionnaire's languages (its `languages`, in order); the front is
  // always Danish, the back holds the others that have a letter text.
  std::vector<std::string> languages = {"da"};
  // The questionnaire's title per language (its `title`); a language
  // without one gets its letter text's default title.
  std::map<std::string, std::string> titles;
  std::string last_date;  // YYYY-MM-DD (the wave's end) or empty
  int minutes = 10;       // how long answering takes, as the letter says
  std::vector<std::string> links;  // one letter per link, in this order
};

struct Letters {
  std::string html;
  std::vector<std::string> back_languages;  // on the back, in order
  std::vector<std::string> left_out;        // questionnaire languages without a letter text
};

// The languages that have a letter text (reports/letter-*.txt), sorted.
std::vector<std::string> LetterLanguages();

// The letters of `spec`. InvalidArgument when there are no links, a link is
// empty or too long for a QR code, `last_date` is not a date or `minutes`
// is not 1..120; Internal when a compiled-in text is broken (a build
// defect, covered by the tests).
core::Result<Letters> RenderLetters(const LetterSpec& spec);

}  // namespace tryghed::report
