#pragma once
// tryghed::evaluation — registered crime beside the survey: reports per 1,000
// residents with exact Poisson intervals, and the change ratio between
// periods with an exact conditional-binomial interval. Shown beside the
// tryghedsindeks, never merged into it (docs/evaluation.md, docs/methods.md).
//
// Input: a CSV file (comma or semicolon, as core::ReadCsvFile reads) with a
// header row and the columns
//   area           the area's name as in the study
//   period         a label, e.g. "2025" or the wave label (alias: wave)
//   offence_group  optional, e.g. "indbrud" (aliases: "offence group",
//                  offence); without it every row is one group, "alle"
//   count          registered reports, a whole number ≥ 0 (alias: reports)
//   population     residents the count refers to, > 0
// Column names are matched ignoring case, and ' ' and '-' count as '_'.
// This is what `tryghed demo` writes (area,wave,reports,population). Periods
// are ordered by their first appearance in the file; the first is the
// reference period of the change ratios.
//
// Example:
//
//   Result<CrimeData> d = ReadCrimeCsv("crime.csv");
//   if (!d.ok()) return d.status();  // every bad cell: "crime.csv:4:3: column "count": ..."
//   Result<CrimeResult> r = EstimateCrime(*d, {});
//   for (const CrimeRate& x : r->rates)
//     std::cout << x.area << " " << x.period << " " << *x.rate << " per 1,000\n";
//
// Plain values and pure functions; safe to share between threads.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tryghed::evaluation {

// The offence group of rows in a file without an offence-group column, and
// of the totals over the groups of one area and period.
inline constexpr const char* kAllOffences = "alle";

// One row of the crime file.
struct CrimeRecord {
  std::string area;
  std::string period;
  std::string offence_group;  // kAllOffences when the file has no such column
  std::int64_t count = 0;
  double population = 0;
  std::size_t line = 0;  // 1-based line in the file, for messages
};

struct CrimeData {
  std::string source;                // file name
  bool has_offence_groups = false;   // the file has an offence-group column
  std::vector<CrimeRecord> records;  // file order
};

// Reports per `per` residents in one area, period and offence group (or the
// total over the groups, offence_group == kAllOffences).
struct CrimeRate {
  std::string area;
  std::string period;
  std::string offence_group;
  bool total = false;                 // a sum over offence groups
  std::int64_t count = 0;
  double population = 0;
  std::optional<double> rate;         // count / population · per
  std::optional<double> ci_lower;     // exact Poisson (Garwood) interval
  std::optional<double> ci_upper;
  std::string note;
};

// The ratio of the rate in `to_period` to the rate in `from_period`.
struct CrimeChange {
  std::string area;
  std::string offence_group;
  std::string from_period;
  std::string to_period;
  std::int64_t from_count = 0;
  std::int64_t to_count = 0;
  std::optional<double> ratio;     // (to_count / to_pop) / (from_count / from_pop)
  std::optional<double> ci_lower;  // exact, conditional on the sum of the two counts
  std::optional<double> ci_upper;  // empty when unbounded (from_count == 0)
  std::optional<double> p;         // two-sided exact test of ratio = 1
  std::string note;
};

struct CrimeResult {
  std::string source;
  double per = 1000;
  double level = 0.95;
  std::vector<std::string> periods;  // in file order; the first is the reference
  std::vector<CrimeRate> rates;      // area (file order) × period × group, then the area's total
  std::vector<CrimeChange> changes;  // per area and group: every later period against the first
  std::vector<std::string> notes;    // e.g. an area that is not in the study
};

struct CrimeOptions {
  double per = 1000;     // rates per 1,000 residents
  double level = 0.95;   // confidence level of every interval
  // The study's area names; an area of the file outside them gets a note
  // (a likely misspelling). Empty: no check.
  std::vector<std::string> study_areas;
};

// Parses crime CSV text (see the top of this file); `source` names it in
// messages. InvalidInput listing every bad cell as "SOURCE:LINE:COLUMN:
// column "name": what is wrong" (COLUMN = 1-based field number), a missing
// column, or a repeated area × period × group; CSV syntax errors as
// core::ParseCsv.
core::Result<CrimeData> ParseCrimeCsv(std::string_view text, std::string source);

// core::ReadFile then ParseCrimeCsv.
core::Result<CrimeData> ReadCrimeCsv(const std::string& path);

// ReadCrimeCsv then EstimateCrime: what `tryghed evaluate --crime FILE` does.
core::Result<CrimeResult> EvaluateCrimeFile(const std::string& path, const CrimeOptions& options);

// Rates, totals and change ratios. InvalidArgument for per ≤ 0 or a level
// outside (0, 1); InvalidInput when the offence groups of one area and period
// give different populations (the total would have no denominator).
core::Result<CrimeResult> EstimateCrime(const CrimeData& data, const CrimeOptions& options);

// The exact interval for the ratio of two Poisson rates, θ = (x₂/T₂)/(x₁/T₁):
// conditional on n = x₁ + x₂, x₂ ~ Binomial(n, π) with π = θc/(1 + θc),
// c = T₂/T₁; the Clopper–Pearson interval of π mapped back, θ = π/((1 − π)c),
// and the exact two-sided binomial test of π = c/(1 + c) (as R's
// poisson.test(c(x2, x1), c(T2, T1))). ratio/upper empty when x₁ = 0;
// everything empty (with a note) when x₁ = x₂ = 0.
CrimeChange PoissonRateRatio(std::int64_t x1, double t1, std::int64_t x2, double t2, double level = 0.95);

// `result` as one JSON object, in the conventions of ToJson (result.h):
// keys as the field names above, 17 significant digits, null when empty.
std::string CrimeToJson(const CrimeResult& result);

}  // namespace tryghed::evaluation
