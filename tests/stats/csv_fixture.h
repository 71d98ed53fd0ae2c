#pragma once
// Test helper: read the CSV fixtures in tests/data/ (R's write.csv format:
// a header row, fields optionally in double quotes with "" for a quote, empty
// cell or NA = missing) and look up reference values by id.
//
// Example:
//
//   tryghed::testing::CsvTable t = tryghed::testing::LoadCsv(TRYGHED_TEST_DATA "/reference/data/safety_survey.csv");
//   std::vector<std::optional<double>> q1 = t.Numbers("q1");
//   std::vector<std::string> area = t.Strings("area");
//
//   tryghed::testing::ReferenceValues ref = tryghed::testing::LoadReferenceValues();
//   const tryghed::testing::ReferenceRow& row = ref.Get("B23.alpha_complete_cases");
//
// Failures (missing file, unknown column, unknown id) throw std::runtime_error
// with the file and name: in a test that is a clear failure, not a crash.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tryghed::testing {

// A CSV file as columns of raw text.
class CsvTable {
 public:
  // The column names in file order.
  const std::vector<std::string>& names() const { return names_; }
  std::size_t rows() const { return rows_; }
  bool Has(const std::string& column) const { return columns_.count(column) > 0; }

  // A column as text (quotes removed). Throws when the column does not exist.
  const std::vector<std::string>& Strings(const std::string& column) const;

  // A column as numbers: empty, "NA" -> nullopt; "Inf", "-Inf" -> ±infinity.
  // Throws when the column does not exist or a cell is not a number.
  std::vector<std::optional<double>> Numbers(const std::string& column) const;

  // Used by LoadCsv.
  void Add(std::vector<std::string> names, std::vector<std::vector<std::string>> columns, std::size_t rows);

 private:
  std::vector<std::string> names_;
  std::map<std::string, std::vector<std::string>> columns_;
  std::size_t rows_ = 0;
  std::string path_;
  friend CsvTable LoadCsv(const std::string& path);
};

// Reads a whole CSV file. Throws std::runtime_error when the file cannot be
// read or a row has the wrong number of fields.
CsvTable LoadCsv(const std::string& path);

// One row of tests/data/reference/reference_values.csv.
struct ReferenceRow {
  std::string id;
  std::string statistic;
  std::string domain;
  std::optional<double> estimate, se, ci_lower, ci_upper, df;
  std::string ci_method;
  double rel_tol = 1e-6;
  std::string note;
};

// All reference rows by id.
class ReferenceValues {
 public:
  // Throws when `id` is not in the file.
  const ReferenceRow& Get(const std::string& id) const;
  // Rows whose id starts with `prefix`, in file order.
  std::vector<const ReferenceRow*> WithPrefix(const std::string& prefix) const;

  std::vector<ReferenceRow> rows;
};

// Loads reference_values.csv (default) or another file of the same columns,
// e.g. extra_values.csv.
ReferenceValues LoadReferenceValues(const std::string& file = "reference_values.csv");

// The safety survey (tests/data/reference/data/safety_survey.csv) with the
// derived values of reference.R: items q1..q7 with q4 and q6 reversed (6 − x),
// and the 0–100 index = mean of (x − 1)/4·100 over answered items when at
// least 4 of 7 are answered.
struct SafetySurvey {
  static constexpr std::size_t kItems = 7;
  std::vector<int> wave;
  std::vector<std::string> area;      // "P" or "C"
  std::vector<std::string> stratum;
  std::vector<double> items;          // row-major rows() × 7, reversed, NaN = missing
  std::vector<std::optional<double>> index;
  std::size_t rows() const { return wave.size(); }
};
SafetySurvey LoadSafetySurvey();

// "<TRYGHED_TEST_DATA>/reference/<file>".
std::string ReferencePath(const std::string& file);

}  // namespace tryghed::testing
