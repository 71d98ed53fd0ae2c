// SPSS .sav and Stata .dta through ReadStat's writer API.
#include <readstat.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>
#include <memory>

#include "exchange/internal/write.h"

namespace tryghed::exchange::internal {

namespace {

ssize_t WriteBytes(const void* data, size_t len, void* ctx) {
  auto* f = static_cast<std::FILE*>(ctx);
  return std::fwrite(data, 1, len, f) == len ? static_cast<ssize_t>(len) : -1;
}

// `s` cut to at most `max` bytes without splitting a UTF-8 character.
std::string Truncate(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

struct WriterDeleter {
  void operator()(readstat_writer_t* w) const { readstat_writer_free(w); }
};

}  // namespace

core::Status WriteReadStat(const ExportTable& table, bool dta, const std::string& path) {
  const char* format = dta ? "Stata .dta" : "SPSS .sav";
  // Limits of the formats (Stata 14+ .dta version 118; SPSS .sav).
  const std::size_t var_label_max = dta ? 80 : 255;
  const std::size_t value_label_max = dta ? 32000 : 120;
  const std::size_t string_max = dta ? 2045 : 32767;
  const std::int64_t code_max = dta ? 2147483620 : std::numeric_limits<std::int32_t>::max();

  std::unique_ptr<readstat_writer_t, WriterDeleter> writer(readstat_writer_init());
  if (!writer) return core::Internal("ReadStat could not start a writer");
  readstat_set_data_writer(writer.get(), WriteBytes);
  if (dta) readstat_writer_set_file_format_version(writer.get(), 118);
  const std::string file_label = Truncate("tryghed export: " + table.title, 80);
  readstat_writer_set_file_label(writer.get(), file_label.c_str());

  std::vector<readstat_variable_t*> vars;
  for (std::size_t c = 0; c < table.columns.size(); ++c) {
    const ExportColumn& col = table.columns[c];
    readstat_variable_t* v = nullptr;
    if (col.kind == ExportColumn::Kind::kText) {
      std::size_t width = 1;
      for (const auto& row : table.rows) {
        if (const auto* s = std::get_if<std::string>(&row[c])) width = std::max(width, s->size());
      }
      if (width > string_max) {
        return core::FailedPrecondition("column " + col.name + " has a text of " + std::to_string(width) +
                                        " bytes; " + format + " holds at most " + std::to_string(string_max));
      }
      v = readstat_add_variable(writer.get(), col.name.c_str(), READSTAT_TYPE_STRING, width);
    } else if (col.kind == ExportColumn::Kind::kCode) {
      v = readstat_add_variable(writer.get(), col.name.c_str(), READSTAT_TYPE_INT32, 0);
      if (!col.values.empty()) {
        readstat_label_set_t* set = readstat_add_label_set(writer.get(), READSTAT_TYPE_INT32, col.name.c_str());
        std::vector<double> missing;
        for (const auto& value : col.values) {
          if (value.code < -code_max || value.code > code_max) {
            return core::FailedPrecondition("column " + col.name + ": code " + std::to_string(value.code) +
                                            " does not fit a " + format + " integer");
          }
          const std::string label = Truncate(value.label, value_label_max);
          readstat_label_int32_value(set, static_cast<std::int32_t>(value.code), label.c_str());
          if (value.missing) missing.push_back(static_cast<double>(value.code));
        }
        readstat_variable_set_label_set(v, set);
        // SPSS: "Ved ikke" and the like are declared user-missing (at most three values).
        if (!dta && !missing.empty() && missing.size() <= 3) {
          for (double m : missing) readstat_variable_add_missing_double_value(v, m);
        }
      }
      readstat_variable_set_measure(v, READSTAT_MEASURE_NOMINAL);
    } else {
      v = readstat_add_variable(writer.get(), col.name.c_str(), READSTAT_TYPE_DOUBLE, 0);
      readstat_variable_set_measure(v, READSTAT_MEASURE_SCALE);
    }
    if (v == nullptr) return core::Internal("ReadStat refused variable " + col.name);
    const std::string label = Truncate(col.label, var_label_max);
    readstat_variable_set_label(v, label.c_str());
    vars.push_back(v);
  }

  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return core::Unavailable("cannot write " + path + ": " + std::strerror(errno));
  auto check = [&](readstat_error_t e, const std::string& doing) -> core::Status {
    if (e == READSTAT_OK) return core::Status::Ok();
    return core::FailedPrecondition("writing " + std::string(format) + " " + path + ": " + doing + ": " +
                                    readstat_error_message(e));
  };
  auto finish = [&](core::Status st) {
    if (std::fclose(f) != 0 && st.ok()) st = core::Unavailable("cannot write " + path + ": " + std::strerror(errno));
    return st;
  };
  // The header's creation time is the day only (midnight UTC): an export
  // carries no time of day (docs/store.md, privacy), and the same data
  // exported twice on one day gives the same bytes.
  const std::time_t now = std::time(nullptr);
  readstat_writer_set_file_timestamp(writer.get(), now - now % 86400);
  const long rows = static_cast<long>(table.rows.size());
  core::Status st = check(dta ? readstat_begin_writing_dta(writer.get(), f, rows)
                              : readstat_begin_writing_sav(writer.get(), f, rows),
                          "the header");
  if (!st.ok()) return finish(st);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    st = check(readstat_begin_row(writer.get()), "row " + std::to_string(r + 1));
    if (!st.ok()) return finish(st);
    for (std::size_t c = 0; c < row.size(); ++c) {
      readstat_error_t e = READSTAT_OK;
      const ExportCell& cell = row[c];
      if (std::holds_alternative<std::monostate>(cell)) {
        e = readstat_insert_missing_value(writer.get(), vars[c]);
      } else if (const auto* code = std::get_if<std::int64_t>(&cell)) {
        if (*code < -code_max || *code > code_max) {
          return finish(core::FailedPrecondition("row " + std::to_string(r + 1) + ", column " +
                                                 table.columns[c].name + ": code " + std::to_string(*code) +
                                                 " does not fit a " + format + " integer"));
        }
        e = readstat_insert_int32_value(writer.get(), vars[c], static_cast<std::int32_t>(*code));
      } else if (const auto* number = std::get_if<double>(&cell)) {
        e = readstat_insert_double_value(writer.get(), vars[c], *number);
      } else {
        e = readstat_insert_string_value(writer.get(), vars[c], std::get<std::string>(cell).c_str());
      }
      st = check(e, "row " + std::to_string(r + 1) + ", column " + table.columns[c].name);
      if (!st.ok()) return finish(st);
    }
    st = check(readstat_end_row(writer.get()), "row " + std::to_string(r + 1));
    if (!st.ok()) return finish(st);
  }
  st = check(readstat_end_writing(writer.get()), "the end of the file");
  return finish(st);
}

}  // namespace tryghed::exchange::internal
