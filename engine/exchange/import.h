#pragma once
// tryghed::exchange — importing older waves (paper, telephone, another system)
// from CSV files, all or nothing.
//
// A file is read as bytes, its encoding decided (UTF-8 with or without a
// byte-order mark; anything that is not valid UTF-8 is read as Windows-1252,
// which is what Danish Excel writes, and converted), parsed as CSV (',' or
// ';', core/csv.h), its columns mapped to items (by default a column is named
// by its item id; a mapping file renames), and every cell of every row checked
// against the wave's questionnaire (questionnaire/scoring.h CheckAnswers:
// unknown codes, numbers out of range, answers to items show_if says were not
// asked). Nothing is written unless every cell of every row is good; then the
// rows go to Store::ImportResponses, which writes the import batch and every
// response in one transaction and refuses a file (by SHA-256) imported before.
//
// Columns (docs/store.md, "Importing a wave"): item ids; `ITEM_CODE` 0/1
// columns for multiple/place items; optional `area` (area name; may be left
// out when the study has one area), `received_on` (YYYY-MM-DD, DD-MM-YYYY or
// DD.MM.YYYY; default the wave's first day, else today), `language` (default
// the questionnaire's), `completeness` (complete/partial, default complete)
// and `channel` (accepted for re-importing an export; imported rows are
// always channel import).
//
// Example:
//
//   ImportOptions opt;  opt.dry_run = true;
//   core::Result<ImportReport> r = ImportCsvFile(db, study_id, wave_id, "wave1.csv", opt);
//   if (!r.ok()) return r.status();                 // the file could not be read at all
//   for (const CellProblem& p : r->problems) std::cerr << p.ToString() << "\n";
//   // r->written is true only when problems is empty, dry_run is false and the
//   // store accepted the batch.
//
// Thread-safe; no state.
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.h"
#include "core/status.h"
#include "questionnaire/model.h"
#include "store/store.h"

namespace tryghed::exchange {

// The encodings an import file may come in.
enum class TextEncoding { kUtf8, kUtf8Bom, kWindows1252 };
// "UTF-8", "UTF-8 with BOM", "Windows-1252".
const char* TextEncodingName(TextEncoding encoding);

// Text as UTF-8 and what it was.
struct DecodedText {
  std::string utf8;  // without a byte-order mark
  TextEncoding encoding = TextEncoding::kUtf8;
};

// Decides the encoding of `bytes` and returns them as UTF-8: a UTF-8 BOM is
// removed; valid UTF-8 is kept; anything else is read as Windows-1252 (the
// five bytes Windows-1252 leaves undefined, 0x81 0x8D 0x8F 0x90 0x9D, become
// U+FFFD).
DecodedText DecodeText(std::string_view bytes);

// One bad cell (or a bad column, then line is the header line and value the
// column name): where it is, what it holds and why it is refused.
struct CellProblem {
  std::string file;
  std::size_t line = 0;     // 1-based line of the file
  std::string column;       // the column name as written in the file
  std::string value;
  std::string why;
  // "FILE:LINE: column "C": "VALUE": WHY".
  std::string ToString() const;
};

// A column-to-item mapping: file column name -> item id (or a meta column
// name such as "area", or ITEM_CODE for one option of a multiple item).
using ColumnMap = std::map<std::string, std::string>;

// Reads a mapping file with the header `column,item` (',' or ';'). Errors
// name the file and line: a missing header, an empty name, a column twice.
core::Result<ColumnMap> ParseColumnMap(std::string_view text, const std::string& source);

struct ImportOptions {
  ColumnMap map;                      // empty: columns are named by item id
  std::set<std::string> ignore;       // file columns to skip (else unknown columns are errors)
  bool dry_run = false;               // check and report, write nothing
  core::ProgressFn progress;          // rows checked so far / all rows
  core::ProgressFn write_progress;    // then rows written so far / all rows (one transaction)
};

// What an import found and did.
struct ImportReport {
  std::string file_hash;              // SHA-256 hex of the file's bytes
  TextEncoding encoding = TextEncoding::kUtf8;
  char separator = ',';
  std::size_t rows = 0;               // data rows read
  std::vector<CellProblem> problems;  // every bad cell, in file order
  bool written = false;               // the rows are stored
  std::vector<store::Id> response_ids;
};

// Everything a file's rows are checked against.
struct ImportTarget {
  const questionnaire::Questionnaire* questionnaire = nullptr;  // the wave's version
  store::Wave wave;
  std::vector<store::Area> areas;     // the study's areas
};

// Reads `bytes` (the file named `source`) into submissions for
// target.wave. Problems with cells or columns are collected in the report;
// a file that is not CSV at all (unterminated quote, wrong field count) is
// InvalidInput. `submissions` receives one entry per data row when there are
// no problems.
core::Result<ImportReport> CheckImport(std::string_view bytes, const std::string& source,
                                       const ImportTarget& target, const ImportOptions& options,
                                       std::vector<store::Submission>& submissions);

// Reads the file at `path`, checks it against the wave's questionnaire and,
// unless options.dry_run or a problem was found, writes it with
// Store::ImportResponses (AlreadyExists when the file was imported into this
// wave before; with dry_run that is reported too, without writing).
core::Result<ImportReport> ImportCsvFile(store::Store& db, store::Id wave_id, const std::string& path,
                                         const ImportOptions& options);

// The questionnaire version of `wave` loaded from the store (shared by
// import and export). FailedPrecondition when the wave has none.
core::Result<questionnaire::Questionnaire> LoadWaveQuestionnaire(store::Store& db, const store::Wave& wave);

}  // namespace tryghed::exchange
