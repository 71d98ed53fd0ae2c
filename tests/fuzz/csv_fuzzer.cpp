// Fuzz target: the CSV reader every data file goes through (core/csv.h:
// ParseCsv, ParseNumber), on any bytes.
//
// Checks, beyond "does not crash":
// * a failure is InvalidInput located as "fuzz.csv:LINE..." (csv.h's contract);
// * a table keeps its invariants: a separator ',' or ';', named and distinct
//   columns, every row as wide as the header, row lines increasing, within
//   the text;
// * the table round-trips: written back with every field quoted (RFC 4180)
//   and the same separator, it parses to the same names and cells;
// * every cell ParseNumber accepts is finite and reads back to the same
//   double when written with 17 significant digits.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <string_view>

#include "core/csv.h"
#include "fuzz_util.h"

namespace {

using tryghed::core::CsvTable;

[[noreturn]] void Fail(const std::string& what) { tryghed::fuzz::Fail("csv_fuzzer", what); }

std::string Write(const CsvTable& t) {
  std::string out;
  auto row = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      out += (i > 0 ? std::string(1, t.separator) : "") + tryghed::fuzz::CsvQuote(fields[i]);
    }
    out += "\r\n";
  };
  row(t.names);
  for (const auto& r : t.rows) row(r);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  tryghed::core::Result<CsvTable> parsed = tryghed::core::ParseCsv(text, "fuzz.csv");
  if (!parsed.ok()) {
    if (parsed.status().code() != tryghed::core::StatusCode::kInvalidInput ||
        parsed.status().message().rfind("fuzz.csv:", 0) != 0) {
      Fail("error not located: " + parsed.status().ToString());
    }
    return 0;
  }
  const CsvTable& t = *parsed;
  if (t.separator != ',' && t.separator != ';') Fail("separator");
  if (t.names.empty()) Fail("no columns");
  std::set<std::string> names;
  for (const auto& n : t.names) {
    if (n.empty() || !names.insert(n).second) Fail("empty or repeated column name");
  }
  if (t.rows.size() != t.lines.size()) Fail("rows and lines differ in number");
  std::size_t newlines = 1;
  for (char c : text) newlines += c == '\n';
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (t.rows[r].size() != t.names.size()) Fail("row width");
    if (t.lines[r] < 2 || t.lines[r] > newlines || (r > 0 && t.lines[r] <= t.lines[r - 1])) Fail("row line");
  }

  // Round trip through an all-quoted writer.
  const std::string written = Write(t);
  tryghed::core::Result<CsvTable> again = tryghed::core::ParseCsv(written, "again.csv");
  if (!again.ok()) Fail("the written table does not parse: " + again.status().ToString() + "\n" + written);
  if (again->names != t.names || again->rows != t.rows) Fail("the written table parses differently:\n" + written);
  if (t.names.size() > 1 && again->separator != t.separator) Fail("the written table has another separator");

  // Numbers read back from their shortest exact spelling.
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    for (std::size_t c = 0; c < t.names.size(); ++c) {
      tryghed::core::Result<std::optional<double>> v = tryghed::core::ParseNumber(t, r, c);
      if (!v.ok()) {
        if (v.status().message().rfind("fuzz.csv:", 0) != 0) Fail("number error not located");
        continue;
      }
      if (!v->has_value()) continue;
      if (!std::isfinite(**v)) Fail("a non-finite number was accepted: " + t.rows[r][c]);
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", **v);
      CsvTable one;
      one.source = "one.csv";
      one.names = {"x"};
      one.rows = {{buf}};
      one.lines = {2};
      tryghed::core::Result<std::optional<double>> back = tryghed::core::ParseNumber(one, 0, 0);
      if (!back.ok() || !back->has_value() || **back != **v) Fail(std::string("number does not read back: ") + buf);
    }
  }
  return 0;
}
