#include "csv_fixture.h"

#include "core/csv.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace tryghed::testing {
namespace {

std::optional<double> ParseNumber(const std::string& s, const std::string& where) {
  if (s.empty() || s == "NA") return std::nullopt;
  if (s == "Inf") return std::numeric_limits<double>::infinity();
  if (s == "-Inf") return -std::numeric_limits<double>::infinity();
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size()) throw std::runtime_error(where + ": '" + s + "' is not a number");
  return v;
}

}  // namespace

std::string ReferencePath(const std::string& file) { return std::string(TRYGHED_TEST_DATA) + "/reference/" + file; }

void CsvTable::Add(std::vector<std::string> names, std::vector<std::vector<std::string>> columns, std::size_t rows) {
  names_ = names;
  rows_ = rows;
  for (std::size_t j = 0; j < names.size(); ++j) columns_[names[j]] = std::move(columns[j]);
}

const std::vector<std::string>& CsvTable::Strings(const std::string& column) const {
  auto it = columns_.find(column);
  if (it == columns_.end()) throw std::runtime_error(path_ + ": no column '" + column + "'");
  return it->second;
}

std::vector<std::optional<double>> CsvTable::Numbers(const std::string& column) const {
  const std::vector<std::string>& s = Strings(column);
  std::vector<std::optional<double>> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    out.push_back(ParseNumber(s[i], path_ + " column " + column + " row " + std::to_string(i + 1)));
  }
  return out;
}

CsvTable LoadCsv(const std::string& path) {
  // The project's own reader (core/csv.h) parses; the fixture only keeps
  // the cells by column and reads R's "Inf" and "NA" in Numbers().
  core::Result<core::CsvTable> parsed = core::ReadCsvFile(path);
  if (!parsed.ok()) throw std::runtime_error(parsed.status().ToString());
  std::vector<std::vector<std::string>> columns(parsed->names.size());
  for (auto& row : parsed->rows) {
    for (std::size_t j = 0; j < row.size(); ++j) columns[j].push_back(std::move(row[j]));
  }
  CsvTable t;
  t.path_ = path;
  t.Add(parsed->names, std::move(columns), parsed->rows.size());
  return t;
}

const ReferenceRow& ReferenceValues::Get(const std::string& id) const {
  for (const ReferenceRow& r : rows) {
    if (r.id == id) return r;
  }
  throw std::runtime_error("no reference row with id '" + id + "'");
}

std::vector<const ReferenceRow*> ReferenceValues::WithPrefix(const std::string& prefix) const {
  std::vector<const ReferenceRow*> out;
  for (const ReferenceRow& r : rows) {
    if (r.id.rfind(prefix, 0) == 0) out.push_back(&r);
  }
  return out;
}

ReferenceValues LoadReferenceValues(const std::string& file) {
  const CsvTable t = LoadCsv(ReferencePath(file));
  ReferenceValues out;
  const auto& id = t.Strings("id");
  const auto& statistic = t.Strings("statistic");
  const auto& domain = t.Strings("domain");
  const auto& note = t.Strings("note");
  const auto& ci_method = t.Strings("ci_method");
  const auto estimate = t.Numbers("estimate"), se = t.Numbers("se"), lo = t.Numbers("ci_lower"),
             hi = t.Numbers("ci_upper"), df = t.Numbers("df"), tol = t.Numbers("rel_tol");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    ReferenceRow r;
    r.id = id[i];
    r.statistic = statistic[i];
    r.domain = domain[i];
    r.estimate = estimate[i];
    r.se = se[i];
    r.ci_lower = lo[i];
    r.ci_upper = hi[i];
    r.df = df[i];
    r.rel_tol = tol[i].value_or(1e-6);
    r.note = note[i];
    r.ci_method = ci_method[i];
    out.rows.push_back(std::move(r));
  }
  return out;
}

SafetySurvey LoadSafetySurvey() {
  const CsvTable t = LoadCsv(ReferencePath("data/safety_survey.csv"));
  SafetySurvey s;
  for (const auto& w : t.Numbers("wave")) s.wave.push_back(static_cast<int>(w.value()));
  s.area = t.Strings("area");
  s.stratum = t.Strings("stratum");
  std::vector<std::vector<std::optional<double>>> q;
  for (int j = 1; j <= 7; ++j) q.push_back(t.Numbers("q" + std::to_string(j)));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < t.rows(); ++i) {
    double sum100 = 0;
    int answered = 0;
    for (std::size_t j = 0; j < SafetySurvey::kItems; ++j) {
      double v = q[j][i].has_value() ? *q[j][i] : nan;
      if (!std::isnan(v) && (j == 3 || j == 5)) v = 6.0 - v;  // q4, q6 reversed
      s.items.push_back(v);
      if (!std::isnan(v)) {
        sum100 += (v - 1.0) / 4.0 * 100.0;
        ++answered;
      }
    }
    s.index.push_back(answered >= 4 ? std::optional<double>(sum100 / answered) : std::nullopt);
  }
  return s;
}

}  // namespace tryghed::testing
