// Fuzz target: the CSV importer's reading and checking (exchange/import.h:
// DecodeText, ParseColumnMap, CheckImport) against an in-memory wave of
// tests/data/exchange/survey.json; nothing is written, no database is needed.
//
// Input: a CSV file. When it holds a NUL byte, the part before the first NUL
// is a column mapping file (column,item) and the part after it the CSV. An
// input of odd length is checked against a study with one area (the area
// column may be left out), of even length against two.
//
// Checks, beyond "does not crash":
// * DecodeText always gives well-formed UTF-8, and keeps valid UTF-8 as is;
// * a file refused as a whole is InvalidInput located in the file; the
//   report's hash is the SHA-256 of the bytes and its row count the CSV's;
// * all or nothing: with a problem no submission, without one a submission
//   per row; every problem is located (file, line >= 1, a reason) and they
//   come in line order;
// * every accepted submission belongs to the wave, an area of the study, a
//   language of the questionnaire, a real day, and has answers the
//   questionnaire accepts (CheckAnswers finds nothing);
// * the accepted rows round-trip: written back as CSV (item columns, one
//   0/1 column per option of a multiple item, numbers with 17 digits) they
//   import again to the same submissions.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/sha256.h"
#include "core/utf8.h"
#include "exchange/import.h"
#include "questionnaire/loader.h"
#include "questionnaire/scoring.h"

#ifndef TRYGHED_FUZZ_DATA
#error "TRYGHED_FUZZ_DATA (tests/data) must be defined"
#endif
#include "fuzz_util.h"

namespace {

namespace ex = tryghed::exchange;
namespace qn = tryghed::questionnaire;
using tryghed::store::Submission;

[[noreturn]] void Fail(const std::string& what) { tryghed::fuzz::Fail("import_fuzzer", what); }

const qn::Questionnaire& Survey() {
  static const qn::Questionnaire q = [] {
    auto r = qn::LoadQuestionnaireFile(std::string(TRYGHED_FUZZ_DATA) + "/exchange/survey.json");
    if (!r.ok()) Fail("cannot load the questionnaire: " + r.status().ToString());
    return std::move(r).value();
  }();
  return q;
}

ex::ImportTarget Target(bool one_area) {
  ex::ImportTarget t;
  t.questionnaire = &Survey();
  t.wave.id = 5;
  t.wave.study_id = 2;
  t.wave.label = "baseline";
  t.wave.starts_on = "2025-09-01";
  t.wave.questionnaire_version_id = 9;
  tryghed::store::Area a;
  a.id = 11;
  a.study_id = 2;
  a.name = "Gadehaveg\xc3\xa5rd";
  t.areas.push_back(a);
  if (!one_area) {
    a.id = 12;
    a.name = "Charlotteager";
    a.role = tryghed::store::AreaRole::kComparison;
    t.areas.push_back(a);
  }
  return t;
}

bool IsValidDay(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

// The accepted submissions as an import file: meta columns, then the items
// (multiple items as one 0/1 column per option).
std::string WriteBack(const qn::Questionnaire& q, const ex::ImportTarget& target, const std::vector<Submission>& subs) {
  std::string out = "area,received_on,language,completeness";
  for (const auto& section : q.sections) {
    for (const auto& item : section.items) {
      if (qn::IsMultiCoded(item.type)) {
        for (const auto& o : item.options) out += "," + item.id + "_" + std::to_string(o.code);
      } else {
        out += "," + item.id;
      }
    }
  }
  out += "\n";
  for (const Submission& s : subs) {
    std::string area;
    for (const auto& a : target.areas) {
      if (a.id == s.meta.area_id) area = a.name;
    }
    out += tryghed::fuzz::CsvQuote(area) + "," + s.meta.received_on + "," + s.meta.language + "," +
           (s.meta.completeness == tryghed::store::Completeness::kPartial ? "partial" : "complete");
    for (const auto& section : q.sections) {
      for (const auto& item : section.items) {
        auto it = s.answers.find(item.id);
        if (qn::IsMultiCoded(item.type)) {
          for (const auto& o : item.options) {
            out += ",";
            if (it == s.answers.end()) continue;
            const auto& codes = std::get<tryghed::core::Codes>(it->second);
            out += std::find(codes.begin(), codes.end(), o.code) != codes.end() ? "1" : "0";
          }
          continue;
        }
        out += ",";
        if (it == s.answers.end()) continue;
        if (const auto* code = std::get_if<tryghed::core::Code>(&it->second)) {
          out += std::to_string(*code);
        } else if (const auto* number = std::get_if<double>(&it->second)) {
          char buf[40];
          std::snprintf(buf, sizeof buf, "%.17g", *number);
          out += buf;
        } else if (const auto* text = std::get_if<std::string>(&it->second)) {
          out += tryghed::fuzz::CsvQuote(*text);
        } else {
          Fail("a multiple answer to a single item " + item.id);
        }
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const qn::Questionnaire& q = Survey();
  const ex::ImportTarget target = Target(size % 2 == 1);
  ex::ImportOptions options;
  std::string_view bytes = input;
  if (const std::size_t nul = input.find('\0'); nul != std::string_view::npos) {
    tryghed::core::Result<ex::ColumnMap> map = ex::ParseColumnMap(input.substr(0, nul), "map.csv");
    if (!map.ok()) {
      if (map.status().message().rfind("map.csv:", 0) != 0) Fail("map error not located: " + map.status().ToString());
      return 0;
    }
    options.map = std::move(map).value();
    bytes = input.substr(nul + 1);
  }

  const ex::DecodedText decoded = ex::DecodeText(bytes);
  if (!tryghed::core::IsValidUtf8(decoded.utf8)) Fail("DecodeText gave malformed UTF-8");
  if (decoded.encoding != ex::TextEncoding::kWindows1252) {
    const std::string_view plain = decoded.encoding == ex::TextEncoding::kUtf8Bom ? bytes.substr(3) : bytes;
    if (decoded.utf8 != plain) Fail("DecodeText changed valid UTF-8");
  }

  std::vector<Submission> subs;
  tryghed::core::Result<ex::ImportReport> report = ex::CheckImport(bytes, "fuzz.csv", target, options, subs);
  if (!report.ok()) {
    if (report.status().code() != tryghed::core::StatusCode::kInvalidInput ||
        report.status().message().rfind("fuzz.csv:", 0) != 0) {
      Fail("file error not located: " + report.status().ToString());
    }
    if (!subs.empty()) Fail("submissions from a refused file");
    return 0;
  }
  if (report->file_hash != tryghed::core::Sha256Hex(bytes)) Fail("file hash");
  if (report->encoding != decoded.encoding) Fail("encoding");
  auto table = tryghed::core::ParseCsv(decoded.utf8, "fuzz.csv");
  if (!table.ok() || table->rows.size() != report->rows || table->separator != report->separator) Fail("row count");
  if (!report->problems.empty()) {
    if (!subs.empty()) Fail("submissions although there are problems");
    std::size_t last = 0;
    for (const auto& p : report->problems) {
      if (p.file != "fuzz.csv" || p.line < 1 || p.why.empty() || p.line < last) Fail("problem: " + p.ToString());
      last = p.line;
    }
    return 0;
  }
  if (subs.size() != report->rows || subs.empty()) Fail("not one submission per row");
  for (const Submission& s : subs) {
    if (s.meta.wave_id != target.wave.id || s.meta.questionnaire_version_id != 9 ||
        s.meta.channel != tryghed::store::Channel::kImport) {
      Fail("submission outside the wave");
    }
    bool area = false;
    for (const auto& a : target.areas) area |= a.id == s.meta.area_id;
    if (!area) Fail("submission outside the study's areas");
    if (std::find(q.languages.begin(), q.languages.end(), s.meta.language) == q.languages.end()) Fail("language");
    if (!IsValidDay(s.meta.received_on)) Fail("received_on: " + s.meta.received_on);
    const auto problems = qn::CheckAnswers(q, s.answers);
    if (!problems.empty()) Fail("an accepted row has an answer the questionnaire refuses: " + problems[0].message);
    if (s.token_hash || s.idempotency_key) Fail("an imported row carries a token or key");
  }

  const std::string written = WriteBack(q, target, subs);
  std::vector<Submission> again;
  tryghed::core::Result<ex::ImportReport> second = ex::CheckImport(written, "again.csv", target, {}, again);
  if (!second.ok()) Fail("the written rows are not CSV: " + second.status().ToString() + "\n" + written);
  if (!second->problems.empty()) Fail("the written rows are refused: " + second->problems[0].ToString() + "\n" + written);
  if (again.size() != subs.size()) Fail("the written rows import to another number of rows");
  for (std::size_t i = 0; i < subs.size(); ++i) {
    const auto &a = subs[i].meta, &b = again[i].meta;
    if (a.area_id != b.area_id || a.language != b.language || a.received_on != b.received_on ||
        a.completeness != b.completeness || subs[i].answers != again[i].answers) {
      Fail("row " + std::to_string(i + 1) + " imports differently when written back:\n" + written);
    }
  }
  return 0;
}
