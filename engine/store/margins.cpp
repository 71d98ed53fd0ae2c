#include "store/margins.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <utility>

namespace tryghed::store {

namespace {

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Splits one CSV line into fields; "quoted" fields may contain commas and "".
core::Result<std::vector<std::string>> SplitCsvLine(std::string_view line, const std::string& where) {
  std::vector<std::string> fields;
  std::string field;
  std::size_t i = 0;
  while (true) {
    // Skip leading blanks of a field.
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '"') {
      ++i;
      field.clear();
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field += line[i++];
      }
      if (!closed) return core::InvalidInput(where + ": a quoted field is not closed");
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',') {
        return core::InvalidInput(where + ": unexpected text after a quoted field");
      }
      fields.push_back(field);
    } else {
      const std::size_t comma = line.find(',', i);
      const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
      fields.push_back(Trim(line.substr(i, end - i)));
      i = end;
    }
    if (i >= line.size()) break;
    ++i;  // the comma
    if (i == line.size()) {  // trailing comma: one more empty field
      fields.emplace_back();
      break;
    }
  }
  return fields;
}

}  // namespace

core::Result<std::vector<Margin>> ParseMarginsCsv(std::string_view text, const std::string& source,
                                                  std::optional<std::int64_t> population) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Margin> cells;
  std::set<std::pair<std::string, std::string>> seen;
  std::map<std::string, std::int64_t> totals;
  std::map<std::string, int> first_line_of_margin;
  bool header_seen = false;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty()) {
      if (nl == text.size()) break;
      continue;
    }
    const std::string where = source + ":" + std::to_string(line_no);
    auto fields = SplitCsvLine(line, where);
    if (!fields.ok()) return fields.status();
    if (!header_seen) {
      const auto& f = *fields;
      if (f.size() != 3 || Lower(f[0]) != "margin" || Lower(f[1]) != "level" || Lower(f[2]) != "n") {
        return core::InvalidInput(where + ": the header must be 'margin,level,N', got '" +
                                  std::string(line) + "'");
      }
      header_seen = true;
      continue;
    }
    if (fields->size() != 3) {
      return core::InvalidInput(where + ": expected 3 fields (margin,level,N), got " +
                                std::to_string(fields->size()));
    }
    Margin cell{(*fields)[0], (*fields)[1], 0};
    if (cell.margin.empty()) return core::InvalidInput(where + ": the margin name is empty");
    if (cell.level.empty()) return core::InvalidInput(where + ": the level is empty");
    const std::string& n_text = (*fields)[2];
    const char* first = n_text.data();
    const char* last = n_text.data() + n_text.size();
    auto [ptr, ec] = std::from_chars(first, last, cell.n);
    if (n_text.empty() || ec != std::errc() || ptr != last || cell.n < 0) {
      return core::InvalidInput(where + ": N must be a whole number >= 0, got '" + n_text + "'");
    }
    if (!seen.insert({cell.margin, cell.level}).second) {
      return core::InvalidInput(where + ": margin '" + cell.margin + "' level '" + cell.level +
                                "' appears twice");
    }
    if (!first_line_of_margin.count(cell.margin)) first_line_of_margin[cell.margin] = line_no;
    totals[cell.margin] += cell.n;
    cells.push_back(std::move(cell));
    if (nl == text.size()) break;
  }
  if (!header_seen) return core::InvalidInput(source + ": empty file; expected the header 'margin,level,N'");
  if (cells.empty()) return core::InvalidInput(source + ": no margin rows after the header");

  // Every margin describes the same population, so all totals must agree.
  const auto& [first_margin, first_total] = *std::min_element(
      totals.begin(), totals.end(), [&](const auto& a, const auto& b) {
        return first_line_of_margin[a.first] < first_line_of_margin[b.first];
      });
  if (population && first_total != *population) {
    return core::InvalidInput(source + ":" + std::to_string(first_line_of_margin[first_margin]) +
                              ": margin '" + first_margin + "' sums to " + std::to_string(first_total) +
                              " but the area's population is " + std::to_string(*population));
  }
  for (const auto& [name, total] : totals) {
    if (total != first_total) {
      return core::InvalidInput(source + ":" + std::to_string(first_line_of_margin[name]) +
                                ": margin '" + name + "' sums to " + std::to_string(total) +
                                " but margin '" + first_margin + "' sums to " +
                                std::to_string(first_total) + "; every margin must describe the same population");
    }
  }
  return cells;
}

}  // namespace tryghed::store
