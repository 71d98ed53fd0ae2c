#pragma once
// tryghed::exchange — exporting a wave or a whole study for statisticians:
// CSV (wide, one row per response), a codebook (CSV and JSON), SPSS .sav and
// Stata .dta with variable and value labels (through ReadStat), and Excel
// .xlsx (through libxlsxwriter; sheets "data" and "codebook").
//
// The wide table (docs/store.md, "Exporting"): columns `wave` (whole-study
// exports only), `area`, `channel`, `received_on`, `language`,
// `completeness`, then one column per item in questionnaire order; a
// multiple/place item becomes one 0/1 column per option, `ITEM_CODE`. Free-
// text items are left out unless ExportOptions::include_free_text. Response
// ids are never exported. A single-wave CSV export imports again unchanged
// (exchange/import.h reads the same columns).
//
// Example:
//
//   ExportOptions opt;  opt.format = ExportFormat::kSav;
//   core::Result<ExportTable> t = BuildExportTable(db, study_id, wave_id, opt);
//   if (!t.ok()) return t.status();
//   core::Result<std::vector<std::string>> files = WriteExport(*t, opt, "baseline.sav");
//
// Files are written beside their final name and renamed into place, so a
// failed export never leaves half a file under that name (an existing file
// is replaced). Thread-safe; no state.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace tryghed::exchange {

enum class ExportFormat { kCsv, kCodebook, kSav, kDta, kXlsx };
// "csv" / "codebook" / "sav" / "dta" / "xlsx".
const char* ExportFormatName(ExportFormat format);
// The format named `name`; InvalidArgument for anything else.
core::Result<ExportFormat> ParseExportFormat(const std::string& name);

struct ExportOptions {
  ExportFormat format = ExportFormat::kCsv;
  bool labels = false;             // CSV/xlsx: option labels instead of codes
  bool include_free_text = false;  // text items are personal data: only on request
  std::string language;            // labels' language; empty = the questionnaire's default
};

// One column of the wide table.
struct ExportColumn {
  enum class Kind { kText, kCode, kNumber };
  std::string name;                // variable name: "area", "T1", "M1_2"
  std::string label;               // variable label: the question text
  Kind kind = Kind::kText;
  std::string item;                // the item id; empty for the response's own columns
  std::string item_type;           // "single", "multiple", ... ("" for own columns)
  std::optional<std::int64_t> option;  // the option of a 0/1 column of a multiple item
  // Value labels of a coded column, in questionnaire order, and which are
  // non-substantive ("Ved ikke").
  struct ValueLabel {
    std::int64_t code = 0;
    std::string label;
    bool missing = false;
  };
  std::vector<ValueLabel> values;
};

// A cell: empty (not answered / not asked), a code, a number or text.
using ExportCell = std::variant<std::monostate, std::int64_t, double, std::string>;

struct ExportTable {
  std::string title;               // "study S, wave W"
  std::vector<ExportColumn> columns;
  std::vector<std::vector<ExportCell>> rows;  // rows[r][c], one cell per column
};

// The responses of `wave_id` (or of every wave of the study when nullopt) as a
// wide table. When waves use different questionnaire versions the columns are
// the union of their items, labelled by the newest version holding each item.
core::Result<ExportTable> BuildExportTable(store::Store& db, store::Id study_id, std::optional<store::Id> wave_id,
                                           const ExportOptions& options);

// Writes `table` in options.format to `path` and returns the files written:
// one, or for kCodebook the CSV at `path` and the JSON beside it (same name,
// extension .json; `path` ending in .json writes the CSV beside it instead).
core::Result<std::vector<std::string>> WriteExport(const ExportTable& table, const ExportOptions& options,
                                                   const std::string& path);

// `table` in options.format as the bytes of one file, for a server that
// sends it rather than keeping it: CSV and the codebook (its CSV) are made
// in memory; .sav, .dta and .xlsx are written to a private temporary file
// (mode 0600, a unique name under the system's temporary directory),
// read back and removed before this returns, whatever the outcome.
core::Result<std::string> ExportBytes(const ExportTable& table, const ExportOptions& options);

// The codebook as CSV text (variable,item,type,label,code,value_label,missing;
// one row per variable, then one per value label) and as JSON text
// ({"title":…, "variables":[{"name","item","type","label","values":[{"code","label","missing"}]}]}).
std::string CodebookCsv(const ExportTable& table);
std::string CodebookJson(const ExportTable& table);

}  // namespace tryghed::exchange
