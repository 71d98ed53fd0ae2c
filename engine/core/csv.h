#pragma once
// tryghed::core — reading user CSV files (survey data, population margins).
//
// Accepted format:
// * the first line is the header row of column names (it must not be empty);
// * the separator is ',' or ';', detected from the header line: the one that
//   occurs more often outside quotes (',' when neither occurs);
// * UTF-8, with or without a byte-order mark; lines end in LF or CRLF;
// * RFC 4180 quoting: a field in double quotes may hold the separator, line
//   breaks and "" for a quote; a quote inside an unquoted field is an error;
// * every row has as many fields as the header; empty lines are skipped;
//   an empty cell is a missing value.
// Cells are kept as text; ParseNumber turns one into a number.
//
// Example:
//
//   Result<CsvTable> t = ReadCsvFile("wave3.csv");
//   if (!t.ok()) return t.status();          // "wave3.csv:14:7: unterminated quote"
//   Result<std::vector<double>> q2 = NumericColumn(*t, "q2");  // NaN = missing
//   if (!q2.ok()) return q2.status();        // wave3.csv:9: column "q2": "abc" is not a number
//
// Thread safety: a CsvTable is a plain value.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tryghed::core {

struct CsvTable {
  std::string source;                         // file name used in messages
  char separator = ',';                       // ',' or ';'
  std::vector<std::string> names;             // column names, in file order
  std::vector<std::vector<std::string>> rows; // rows[r][c], one entry per column
  std::vector<std::size_t> lines;             // 1-based line where row r starts

  // The index of column `name`, or nullopt.
  std::optional<std::size_t> Find(std::string_view name) const;
  // The index of column `name`; NotFound "FILE: no column "x" (columns: a, b, c)".
  [[nodiscard]] Result<std::size_t> Column(std::string_view name) const;
};

// Parses CSV text; `source` names it in messages. InvalidInput located as
// "SOURCE:LINE:COLUMN: ..." (column = 1-based character position) for an
// unterminated quote or a stray quote, "SOURCE:LINE: ..." for a row with the
// wrong number of fields, an empty header or a duplicate column name.
[[nodiscard]] Result<CsvTable> ParseCsv(std::string_view text, std::string source);

// ReadFile (core/file.h) then ParseCsv with the path as source.
[[nodiscard]] Result<CsvTable> ReadCsvFile(const std::string& path);

// The number in cell (row, col): nullopt for an empty cell or "NA" (missing).
// Accepts decimal and scientific notation with '.' as decimal mark, and, when
// the table's separator is ';', also a decimal comma ("1,5"). Surrounding
// spaces are ignored. InvalidInput for anything else, or a non-finite number:
//   SOURCE:LINE: column "q2": "abc" is not a number
[[nodiscard]] Result<std::optional<double>> ParseNumber(const CsvTable& table, std::size_t row, std::size_t col);

// A whole column as numbers, NaN for missing cells. NotFound for an unknown
// column; the first bad cell as ParseNumber.
[[nodiscard]] Result<std::vector<double>> NumericColumn(const CsvTable& table, std::string_view name);

}  // namespace tryghed::core
