#include "evaluation/crime.h"

#include <boost/math/distributions/binomial.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <exception>
#include <map>
#include <set>
#include <utility>

#include "core/csv.h"
#include "core/file.h"
#include "evaluation/internal/json_fields.h"
#include "stats/intervals.h"

namespace tryghed::evaluation {

namespace {

using core::Result;
using core::Status;

// "Offence Group" -> "offence_group".
std::string NormalName(std::string_view name) {
  std::string out;
  for (char ch : name) {
    if (ch == ' ' || ch == '-') {
      out.push_back('_');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    }
  }
  const auto first = out.find_first_not_of('_');
  if (first == std::string::npos) return "";
  return out.substr(first, out.find_last_not_of('_') - first + 1);
}

std::optional<std::size_t> FindColumn(const core::CsvTable& t, std::initializer_list<std::string_view> names) {
  for (std::size_t c = 0; c < t.names.size(); ++c) {
    const std::string n = NormalName(t.names[c]);
    for (std::string_view want : names) {
      if (n == want) return c;
    }
  }
  return std::nullopt;
}

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

// Two-sided exact binomial p-value of x successes in n trials against p0, as
// R's binom.test: the sum of the probabilities of the outcomes no more likely
// than x (with R's relative tolerance 1 + 1e-7).
double BinomialTestP(std::int64_t x, std::int64_t n, double p0) {
  const boost::math::binomial_distribution<double> b(static_cast<double>(n), p0);
  const double d = boost::math::pdf(b, static_cast<double>(x)) * (1 + 1e-7);
  double p = 0;
  for (std::int64_t k = 0; k <= n; ++k) {
    const double dk = boost::math::pdf(b, static_cast<double>(k));
    if (dk <= d) p += dk;
  }
  return std::min(1.0, p);
}

}  // namespace

Result<CrimeData> ParseCrimeCsv(std::string_view text, std::string source) {
  Result<core::CsvTable> table = core::ParseCsv(text, source);
  if (!table.ok()) return table.status();
  const core::CsvTable& t = *table;
  const auto area = FindColumn(t, {"area"});
  const auto period = FindColumn(t, {"period", "wave"});
  const auto group = FindColumn(t, {"offence_group", "offence", "offense_group", "offense"});
  const auto count = FindColumn(t, {"count", "reports"});
  const auto population = FindColumn(t, {"population"});
  std::string missing;
  if (!area) missing += " area";
  if (!period) missing += " period";
  if (!count) missing += " count";
  if (!population) missing += " population";
  if (!missing.empty()) {
    std::string have;
    for (const std::string& n : t.names) have += (have.empty() ? "" : ", ") + n;
    return core::InvalidInput(source + ": the registered-crime file lacks the column(s)" + missing +
                              " (it has: " + have + "; needed: area, period, [offence_group,] count, population)");
  }

  CrimeData out;
  out.source = source;
  out.has_offence_groups = group.has_value();
  std::vector<std::string> errors;
  auto bad = [&](std::size_t r, std::size_t c, const std::string& what) {
    errors.push_back(source + ":" + std::to_string(t.lines[r]) + ":" + std::to_string(c + 1) + ": column \"" +
                     t.names[c] + "\": " + what);
  };
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> seen;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    CrimeRecord rec;
    rec.line = t.lines[r];
    bool ok = true;
    auto text_cell = [&](std::size_t c, std::string& into) {
      into = Trim(t.rows[r][c]);
      if (into.empty()) {
        bad(r, c, "empty");
        ok = false;
      }
    };
    text_cell(*area, rec.area);
    text_cell(*period, rec.period);
    if (group) {
      text_cell(*group, rec.offence_group);
    } else {
      rec.offence_group = kAllOffences;
    }
    Result<std::optional<double>> n = core::ParseNumber(t, r, *count);
    if (!n.ok() || !n->has_value() || **n < 0 || **n != std::floor(**n) || **n > 9.0e15) {
      bad(r, *count, "\"" + t.rows[r][*count] + "\" is not a whole number of reports >= 0");
      ok = false;
    } else {
      rec.count = static_cast<std::int64_t>(**n);
    }
    Result<std::optional<double>> pop = core::ParseNumber(t, r, *population);
    if (!pop.ok() || !pop->has_value() || !(**pop > 0)) {
      bad(r, *population, "\"" + t.rows[r][*population] + "\" is not a population > 0");
      ok = false;
    } else {
      rec.population = **pop;
    }
    if (!ok) continue;
    auto key = std::make_tuple(rec.area, rec.period, rec.offence_group);
    if (auto it = seen.find(key); it != seen.end()) {
      errors.push_back(source + ":" + std::to_string(rec.line) + ": area \"" + rec.area + "\", period \"" +
                       rec.period + "\", offence group \"" + rec.offence_group + "\" repeats line " +
                       std::to_string(it->second));
      continue;
    }
    seen.emplace(std::move(key), rec.line);
    out.records.push_back(std::move(rec));
  }
  if (!errors.empty()) {
    constexpr std::size_t kShown = 20;
    std::string message = std::to_string(errors.size()) + " problem(s) in the registered-crime file:";
    for (std::size_t i = 0; i < errors.size() && i < kShown; ++i) message += "\n  " + errors[i];
    if (errors.size() > kShown) message += "\n  ... and " + std::to_string(errors.size() - kShown) + " more";
    return core::InvalidInput(message);
  }
  if (out.records.empty()) return core::InvalidInput(source + ": the registered-crime file has no rows");
  return out;
}

Result<CrimeData> ReadCrimeCsv(const std::string& path) {
  Result<std::string> text = core::ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseCrimeCsv(*text, path);
}

Result<CrimeResult> EvaluateCrimeFile(const std::string& path, const CrimeOptions& options) {
  Result<CrimeData> data = ReadCrimeCsv(path);
  if (!data.ok()) return data.status();
  return EstimateCrime(*data, options);
}

CrimeChange PoissonRateRatio(std::int64_t x1, double t1, std::int64_t x2, double t2, double level) {
  CrimeChange ch;
  ch.from_count = x1;
  ch.to_count = x2;
  const std::int64_t n = x1 + x2;
  if (n == 0) {
    ch.note = "no reports in either period, so no ratio";
    return ch;
  }
  const double c = t2 / t1;
  Result<stats::Interval> pi = stats::ClopperPearsonInterval(x2, n, level);
  if (!pi.ok()) {
    ch.note = pi.status().message();
    return ch;
  }
  auto theta = [c](double p) { return p / ((1 - p) * c); };
  ch.ci_lower = theta(pi->lower);
  if (x1 > 0) {
    ch.ratio = (static_cast<double>(x2) / t2) / (static_cast<double>(x1) / t1);
    ch.ci_upper = theta(pi->upper);
  } else {
    ch.note = "no reports in the first period: the ratio and its upper limit are unbounded";
  }
  try {
    ch.p = BinomialTestP(x2, n, c / (1 + c));
  } catch (const std::exception& e) {
    ch.note = std::string("exact test failed: ") + e.what();
  }
  return ch;
}

Result<CrimeResult> EstimateCrime(const CrimeData& data, const CrimeOptions& options) {
  if (!(options.per > 0) || !std::isfinite(options.per)) {
    return core::InvalidArgument("registered crime: rates must be per a positive number of residents");
  }
  if (!(options.level > 0 && options.level < 1)) {
    return core::InvalidArgument("registered crime: the confidence level must lie in (0, 1)");
  }
  CrimeResult out;
  out.source = data.source;
  out.per = options.per;
  out.level = options.level;
  std::vector<std::string> areas, groups;
  auto remember = [](std::vector<std::string>& v, const std::string& s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
  };
  for (const CrimeRecord& r : data.records) {
    remember(areas, r.area);
    remember(out.periods, r.period);
    remember(groups, r.offence_group);
  }
  if (!options.study_areas.empty()) {
    for (const std::string& a : areas) {
      if (std::find(options.study_areas.begin(), options.study_areas.end(), a) == options.study_areas.end()) {
        out.notes.push_back("area \"" + a + "\" of " + data.source + " is not an area of the study");
      }
    }
  }
  const bool totals = data.has_offence_groups && groups.size() > 1;

  auto rate_of = [&](CrimeRate& x) {
    Result<stats::Interval> ci = stats::PoissonRateInterval(x.count, x.population, options.per, options.level);
    if (!ci.ok()) {
      x.note = ci.status().message();
      return;
    }
    x.rate = ci->estimate;
    x.ci_lower = ci->lower;
    x.ci_upper = ci->upper;
  };
  // (area, group) -> per period: (count, population), in period order.
  std::map<std::pair<std::string, std::string>, std::map<std::size_t, std::pair<std::int64_t, double>>> series;
  for (const std::string& a : areas) {
    for (std::size_t pi = 0; pi < out.periods.size(); ++pi) {
      const std::string& p = out.periods[pi];
      CrimeRate total{a, p, kAllOffences, true, 0, 0, {}, {}, {}, ""};
      const CrimeRecord* first = nullptr;
      for (const std::string& g : groups) {
        for (const CrimeRecord& r : data.records) {
          if (r.area != a || r.period != p || r.offence_group != g) continue;
          CrimeRate x{a, p, g, false, r.count, r.population, {}, {}, {}, ""};
          rate_of(x);
          out.rates.push_back(std::move(x));
          series[{a, g}][pi] = {r.count, r.population};
          if (first && std::abs(r.population - first->population) > 1e-9 * first->population) {
            return core::InvalidInput(data.source + ":" + std::to_string(r.line) + ": area \"" + a + "\", period \"" +
                                      p + "\": population " + std::to_string(r.population) + " differs from " +
                                      std::to_string(first->population) + " on line " + std::to_string(first->line) +
                                      "; the offence groups of one area and period must share the population");
          }
          if (!first) first = &r;
          total.count += r.count;
          total.population = r.population;
        }
      }
      if (totals && first) {
        rate_of(total);
        series[{a, kAllOffences}][pi] = {total.count, total.population};
        out.rates.push_back(std::move(total));
      }
    }
  }
  for (const std::string& a : areas) {
    std::vector<std::string> gs = groups;
    if (totals) gs.push_back(kAllOffences);
    for (const std::string& g : gs) {
      auto it = series.find({a, g});
      if (it == series.end() || it->second.size() < 2) continue;
      const auto& [first_period, first] = *it->second.begin();
      for (const auto& [pi, later] : it->second) {
        if (pi == first_period) continue;
        CrimeChange ch = PoissonRateRatio(first.first, first.second, later.first, later.second, options.level);
        ch.area = a;
        ch.offence_group = g;
        ch.from_period = out.periods[first_period];
        ch.to_period = out.periods[pi];
        out.changes.push_back(std::move(ch));
      }
    }
  }
  return out;
}

std::string CrimeToJson(const CrimeResult& result) {
  using internal::JsonField;
  return internal::JsonText(result, [](internal::JsonWriter& w, const CrimeResult& r) {
    w.StartObject();
    JsonField(w, "source", r.source);
    JsonField(w, "per", std::optional<double>(r.per));
    JsonField(w, "level", std::optional<double>(r.level));
    JsonField(w, "periods", r.periods);
    w.Key("rates");
    w.StartArray();
    for (const CrimeRate& x : r.rates) {
      w.StartObject();
      JsonField(w, "area", x.area);
      JsonField(w, "period", x.period);
      JsonField(w, "offence_group", x.offence_group);
      JsonField(w, "total", x.total);
      JsonField(w, "count", x.count);
      JsonField(w, "population", std::optional<double>(x.population));
      JsonField(w, "rate", x.rate);
      JsonField(w, "ci_lower", x.ci_lower);
      JsonField(w, "ci_upper", x.ci_upper);
      JsonField(w, "note", x.note);
      w.EndObject();
    }
    w.EndArray();
    w.Key("changes");
    w.StartArray();
    for (const CrimeChange& c : r.changes) {
      w.StartObject();
      JsonField(w, "area", c.area);
      JsonField(w, "offence_group", c.offence_group);
      JsonField(w, "from_period", c.from_period);
      JsonField(w, "to_period", c.to_period);
      JsonField(w, "from_count", c.from_count);
      JsonField(w, "to_count", c.to_count);
      JsonField(w, "ratio", c.ratio);
      JsonField(w, "ci_lower", c.ci_lower);
      JsonField(w, "ci_upper", c.ci_upper);
      JsonField(w, "p", c.p);
      JsonField(w, "note", c.note);
      w.EndObject();
    }
    w.EndArray();
    JsonField(w, "notes", r.notes);
    w.EndObject();
  });
}

}  // namespace tryghed::evaluation
