#include "core/csv.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "core/file.h"

namespace tryghed::core {

namespace {

std::string Where(const std::string& source, std::size_t line) { return source + ":" + std::to_string(line); }

char DetectSeparator(std::string_view text) {
  std::size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char ch : text) {
    if (ch == '"') quoted = !quoted;
    if (quoted) continue;
    if (ch == '\n' || ch == '\r') break;
    if (ch == ',') ++commas;
    if (ch == ';') ++semicolons;
  }
  return semicolons > commas ? ';' : ',';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::size_t> CsvTable::Find(std::string_view name) const {
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (names[c] == name) return c;
  }
  return std::nullopt;
}

Result<std::size_t> CsvTable::Column(std::string_view name) const {
  if (auto c = Find(name)) return *c;
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return NotFound(source + ": no column \"" + std::string(name) + "\" (columns: " + list + ")");
}

Result<CsvTable> ParseCsv(std::string_view text, std::string source) {
  CsvTable t;
  t.source = std::move(source);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  t.separator = DetectSeparator(text);
  const char sep = t.separator;

  std::vector<std::vector<std::string>> records;
  std::vector<std::size_t> record_lines;
  std::vector<std::string> fields;
  std::string field;
  std::size_t line = 1, col = 1;
  std::size_t record_line = 1;
  bool quoted = false;       // inside a quoted field
  bool was_quoted = false;   // the current field was quoted (closed)
  bool field_started = false;
  std::size_t quote_line = 0, quote_col = 0;
  auto end_field = [&] {
    fields.push_back(std::move(field));
    field.clear();
    was_quoted = false;
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    // An empty line (a single empty unquoted field) is skipped.
    if (!(fields.size() == 1 && fields[0].empty())) {
      records.push_back(std::move(fields));
      record_lines.push_back(record_line);
    }
    fields.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
          col += 2;
          continue;
        }
        quoted = false;
        was_quoted = true;
      } else {
        field += ch;
        if (ch == '\n') {
          ++line;
          col = 0;
        }
      }
      ++col;
      continue;
    }
    if (ch == sep) {
      end_field();
    } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      // CRLF: handled at the '\n'.
    } else if (ch == '\n') {
      end_record();
      ++line;
      col = 0;
      record_line = line;
    } else if (ch == '"') {
      if (field_started || was_quoted) {
        return InvalidInput(Where(t.source, line) + ":" + std::to_string(col) +
                            ": a quote inside a field; quote the whole field and write \"\" for a quote");
      }
      quoted = true;
      field_started = true;
      quote_line = line;
      quote_col = col;
    } else {
      if (was_quoted) {
        return InvalidInput(Where(t.source, line) + ":" + std::to_string(col) +
                            ": text after the closing quote of a field; expected the separator '" +
                            std::string(1, sep) + "' or the end of the line");
      }
      field += ch;
      field_started = true;
    }
    ++col;
  }
  if (quoted) {
    return InvalidInput(Where(t.source, quote_line) + ":" + std::to_string(quote_col) +
                        ": unterminated quote: the quoted field never ends");
  }
  if (field_started || was_quoted || !fields.empty()) end_record();

  if (records.empty()) return InvalidInput(t.source + ":1: the file is empty; expected a header row of column names");
  t.names = std::move(records[0]);
  std::set<std::string> seen;
  for (std::size_t c = 0; c < t.names.size(); ++c) {
    if (t.names[c].empty()) {
      return InvalidInput(Where(t.source, record_lines[0]) + ": column " + std::to_string(c + 1) +
                          " of the header has no name");
    }
    if (!seen.insert(t.names[c]).second) {
      return InvalidInput(Where(t.source, record_lines[0]) + ": column name \"" + t.names[c] + "\" appears twice");
    }
  }
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != t.names.size()) {
      return InvalidInput(Where(t.source, record_lines[r]) + ": the row has " + std::to_string(records[r].size()) +
                          " fields, the header " + std::to_string(t.names.size()) + " (separator '" +
                          std::string(1, sep) + "')");
    }
    t.rows.push_back(std::move(records[r]));
    t.lines.push_back(record_lines[r]);
  }
  return t;
}

Result<CsvTable> ReadCsvFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseCsv(*text, path);
}

Result<std::optional<double>> ParseNumber(const CsvTable& table, std::size_t row, std::size_t col) {
  const std::string& cell = table.rows[row][col];
  std::string_view s = Trim(cell);
  if (s.empty() || s == "NA") return std::optional<double>();
  std::string buf(s);
  if (table.separator == ';') {
    const auto comma = buf.find(',');
    if (comma != std::string::npos && buf.find(',', comma + 1) == std::string::npos &&
        buf.find('.') == std::string::npos) {
      buf[comma] = '.';
    }
  }
  const char* b = buf.data();
  const char* e = buf.data() + buf.size();
  if (b != e && *b == '+') ++b;
  double value = 0;
  auto [ptr, ec] = std::from_chars(b, e, value);
  const bool alpha_start = b != e && (std::isalpha(static_cast<unsigned char>(*b)) ||
                                      (*b == '-' && b + 1 != e && std::isalpha(static_cast<unsigned char>(b[1]))));
  if (ec != std::errc() || ptr != e || alpha_start || !std::isfinite(value)) {
    return InvalidInput(Where(table.source, table.lines[row]) + ": column \"" + table.names[col] + "\": \"" + cell +
                        "\" is not a number");
  }
  return std::optional<double>(value);
}

Result<std::vector<double>> NumericColumn(const CsvTable& table, std::string_view name) {
  auto col = table.Column(name);
  if (!col.ok()) return col.status();
  std::vector<double> out(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    auto v = ParseNumber(table, r, *col);
    if (!v.ok()) return v.status();
    out[r] = v->has_value() ? **v : std::nan("");
  }
  return out;
}

}  // namespace tryghed::core
