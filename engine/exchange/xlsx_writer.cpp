// Excel .xlsx through libxlsxwriter: sheet "data" (the wide table) and sheet
// "codebook" (exchange::CodebookCsv as cells).
#include <xlsxwriter.h>

#include <cstdint>
#include <string>

#include "exchange/internal/write.h"

namespace tryghed::exchange::internal {

namespace {

constexpr std::size_t kMaxRows = 1048576;  // Excel's limit, header included
constexpr std::size_t kMaxColumns = 16384;

}  // namespace

core::Status WriteXlsx(const ExportTable& table, const ExportOptions& options, const std::string& path) {
  if (table.rows.size() + 1 > kMaxRows || table.columns.size() > kMaxColumns) {
    return core::FailedPrecondition("the export has " + std::to_string(table.rows.size()) + " rows and " +
                                    std::to_string(table.columns.size()) +
                                    " columns; an Excel sheet holds at most 1048575 rows and 16384 columns; "
                                    "export to csv, sav or dta instead");
  }
  lxw_workbook_options wo{};
  wo.constant_memory = LXW_TRUE;  // rows go straight to disk: big exports need little memory
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &wo);
  if (wb == nullptr) return core::Unavailable("cannot create " + path);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);

  lxw_worksheet* data = workbook_add_worksheet(wb, "data");
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    worksheet_write_string(data, 0, static_cast<lxw_col_t>(c), table.columns[c].name.c_str(), bold);
  }
  worksheet_freeze_panes(data, 1, 0);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto row_index = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < table.rows[r].size(); ++c) {
      const ExportCell& cell = table.rows[r][c];
      const ExportColumn& column = table.columns[c];
      const auto col = static_cast<lxw_col_t>(c);
      if (std::holds_alternative<std::monostate>(cell)) continue;
      if (const auto* number = std::get_if<double>(&cell)) {
        worksheet_write_number(data, row_index, col, *number, nullptr);
      } else if (const auto* code = std::get_if<std::int64_t>(&cell); code != nullptr && !options.labels) {
        worksheet_write_number(data, row_index, col, static_cast<double>(*code), nullptr);
      } else {
        worksheet_write_string(data, row_index, col, CellText(column, cell, options.labels).c_str(), nullptr);
      }
    }
  }

  lxw_worksheet* book = workbook_add_worksheet(wb, "codebook");
  const char* header[] = {"variable", "item", "type", "label", "code", "value_label", "missing"};
  for (lxw_col_t c = 0; c < 7; ++c) worksheet_write_string(book, 0, c, header[c], bold);
  lxw_row_t r = 1;
  for (const ExportColumn& c : table.columns) {
    const std::string type = c.item_type.empty() ? "response" : c.item_type;
    worksheet_write_string(book, r, 0, c.name.c_str(), nullptr);
    worksheet_write_string(book, r, 1, c.item.c_str(), nullptr);
    worksheet_write_string(book, r, 2, type.c_str(), nullptr);
    worksheet_write_string(book, r, 3, c.label.c_str(), nullptr);
    ++r;
    for (const auto& v : c.values) {
      worksheet_write_string(book, r, 0, c.name.c_str(), nullptr);
      worksheet_write_number(book, r, 4, static_cast<double>(v.code), nullptr);
      worksheet_write_string(book, r, 5, v.label.c_str(), nullptr);
      worksheet_write_number(book, r, 6, v.missing ? 1 : 0, nullptr);
      ++r;
    }
  }
  const lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) return core::Unavailable("cannot write " + path + ": " + lxw_strerror(e));
  return core::Status::Ok();
}

}  // namespace tryghed::exchange::internal
