// `tryghed stats`: survey estimates from a CSV file, as JSON on stdout.
//
// Each verb (mean, total, ratio, prop, quantile, contrast, ttest, alpha)
// reads the data file, builds the design (weights, strata, clusters, fpc,
// lonely-PSU rule), optionally calibrates it or makes replicate weights,
// computes the statistic for the whole sample or each domain of --by, and
// writes {"estimates":[...]} (see the help text below and docs/statistics.md).
// Every failure is one line on stderr and exit code 2 (cli/exit_codes.h).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <span>
#include <tuple>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "core/csv.h"
#include "core/status.h"
#include "stats/calibration.h"
#include "stats/contrast.h"
#include "stats/design.h"
#include "stats/design_effect.h"
#include "stats/estimators.h"
#include "stats/intervals.h"
#include "stats/proportion.h"
#include "stats/quantile.h"
#include "stats/reliability.h"
#include "stats/replicates.h"

namespace tryghed::cli {

namespace {

using core::InvalidArgument;
using core::InvalidInput;
using core::Result;
using core::Status;

enum class Verb { kMean, kTotal, kRatio, kProp, kQuantile, kContrast, kTTest, kAlpha };

const char* VerbName(Verb v) {
  switch (v) {
    case Verb::kMean: return "mean";
    case Verb::kTotal: return "total";
    case Verb::kRatio: return "ratio";
    case Verb::kProp: return "prop";
    case Verb::kQuantile: return "quantile";
    case Verb::kContrast: return "contrast";
    case Verb::kTTest: return "ttest";
    case Verb::kAlpha: return "alpha";
  }
  return "?";
}

struct StatsArgs {
  std::string data;
  std::string weights, strata, cluster, fpc, lonely_psu = "fail";
  std::string poststratify, poststrata, rake, calibrate, calfun = "linear";
  std::string replicates;
  std::size_t replicate_count = 50;
  std::uint64_t seed = 1;
  std::vector<std::string> vars, by;
  std::string num, den, success, method = "logit", contrast;
  std::string ci = "t";
  double level = 0.95;
  std::vector<double> probs = {0.5};
  std::string alpha_missing = "complete";
  // Which options were given (CLI11 option pointers).
  CLI::Option* replicate_count_opt = nullptr;
  CLI::Option* seed_opt = nullptr;
  CLI::Option* method_opt = nullptr;
  CLI::Option* success_opt = nullptr;
};

// ---------------------------------------------------------------- data

std::string Trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

std::string Line(const core::CsvTable& t, std::size_t row) { return t.source + ":" + std::to_string(t.lines[row]); }

Result<std::vector<std::string>> TextColumn(const core::CsvTable& t, const std::string& name) {
  auto c = t.Column(name);
  if (!c.ok()) return c.status();
  std::vector<std::string> out(t.rows.size());
  for (std::size_t r = 0; r < t.rows.size(); ++r) out[r] = Trim(t.rows[r][*c]);
  return out;
}

// A design column that must be present in every row.
Result<std::vector<std::string>> RequiredText(const core::CsvTable& t, const std::string& name, const char* role) {
  auto v = TextColumn(t, name);
  if (!v.ok()) return v.status();
  for (std::size_t r = 0; r < v->size(); ++r) {
    if ((*v)[r].empty()) {
      return InvalidInput(Line(t, r) + ": column \"" + name + "\" (" + role + ") is empty; every row needs a value");
    }
  }
  return v;
}

std::optional<double> AsNumber(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Sorted distinct levels as R's factor(): numerically when every value is a
// number, else by bytes.
std::vector<std::string> SortedLevels(const std::vector<std::string>& values) {
  std::set<std::string> distinct;
  for (const auto& v : values) {
    if (!v.empty()) distinct.insert(v);
  }
  std::vector<std::string> levels(distinct.begin(), distinct.end());
  const bool numeric = std::all_of(levels.begin(), levels.end(), [](const std::string& s) { return AsNumber(s).has_value(); });
  if (numeric) {
    std::stable_sort(levels.begin(), levels.end(),
                     [](const std::string& a, const std::string& b) { return *AsNumber(a) < *AsNumber(b); });
  }
  return levels;
}

// Integer codes of a string column in sorted-level order.
std::vector<std::int64_t> Codes(const std::vector<std::string>& values) {
  const auto levels = SortedLevels(values);
  std::map<std::string, std::int64_t> index;
  for (std::size_t i = 0; i < levels.size(); ++i) index[levels[i]] = static_cast<std::int64_t>(i);
  std::vector<std::int64_t> out(values.size(), -1);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!values[i].empty()) out[i] = index[values[i]];
  }
  return out;
}

// ---------------------------------------------------------------- domains

struct DomainSet {
  std::vector<std::int64_t> of_unit;                 // domain of each unit, -1: none
  std::vector<std::vector<std::string>> levels;      // per domain: the level of each --by column
  std::vector<std::string> names;                    // per domain: levels joined by ':'
  std::size_t count() const { return names.size(); }
};

// Domains of the --by columns in R's svyby order (first column fastest),
// only combinations that occur; a unit with an empty --by cell is in none.
Result<DomainSet> MakeDomains(const core::CsvTable& t, const std::vector<std::string>& by) {
  DomainSet d;
  const std::size_t n = t.rows.size();
  if (by.empty()) {
    d.of_unit.assign(n, 0);
    d.levels.emplace_back();
    d.names.emplace_back();
    return d;
  }
  std::vector<std::vector<std::string>> cols;
  std::vector<std::vector<std::string>> col_levels;
  std::vector<std::vector<std::int64_t>> codes;
  for (const auto& b : by) {
    auto v = TextColumn(t, b);
    if (!v.ok()) return v.status();
    col_levels.push_back(SortedLevels(*v));
    codes.push_back(Codes(*v));
    cols.push_back(std::move(*v));
  }
  std::vector<std::int64_t> key(n, -1);
  std::set<std::int64_t> present;
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t k = 0, radix = 1;
    bool ok = true;
    for (std::size_t c = 0; c < by.size(); ++c) {
      if (codes[c][i] < 0) {
        ok = false;
        break;
      }
      k += codes[c][i] * radix;
      radix *= static_cast<std::int64_t>(col_levels[c].size());
    }
    if (!ok) continue;
    key[i] = k;
    present.insert(k);
  }
  std::map<std::int64_t, std::int64_t> index;
  for (std::int64_t k : present) {
    index[k] = static_cast<std::int64_t>(d.names.size());
    std::vector<std::string> lv;
    std::string name;
    std::int64_t rest = k;
    for (std::size_t c = 0; c < by.size(); ++c) {
      const auto L = static_cast<std::int64_t>(col_levels[c].size());
      lv.push_back(col_levels[c][static_cast<std::size_t>(rest % L)]);
      rest /= L;
      name += (c ? ":" : "") + lv.back();
    }
    d.levels.push_back(std::move(lv));
    d.names.push_back(std::move(name));
  }
  if (d.names.empty()) return core::Numerical("--by " + by[0] + ": no row has a value in every --by column");
  d.of_unit.assign(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    if (key[i] >= 0) d.of_unit[i] = index[key[i]];
  }
  return d;
}

// ---------------------------------------------------------------- output

struct OutRow {
  std::string statistic, variable;
  const std::vector<std::string>* domain_levels = nullptr;  // null: no --by
  std::optional<std::string> contrast;
  double estimate = 0, se = 0, lower = 0, upper = 0, df = 0;
  std::optional<std::size_t> n;
  std::vector<std::pair<std::string, std::optional<double>>> extra;
  std::vector<std::pair<std::string, std::string>> extra_text;
};

void WriteNumber(rapidjson::Writer<rapidjson::StringBuffer>& w, std::optional<double> v) {
  if (!v || !std::isfinite(*v)) {
    w.Null();
    return;
  }
  char buf[40];
  const int len = std::snprintf(buf, sizeof buf, "%.17g", *v);
  w.RawValue(buf, static_cast<rapidjson::SizeType>(len), rapidjson::kNumberType);
}

std::string ToJson(const std::vector<OutRow>& rows, const std::vector<std::string>& by) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("estimates");
  w.StartArray();
  for (const auto& r : rows) {
    w.StartObject();
    w.Key("statistic");
    w.String(r.statistic.c_str());
    w.Key("variable");
    w.String(r.variable.c_str());
    w.Key("domain");
    if (r.domain_levels) {
      w.StartObject();
      for (std::size_t c = 0; c < by.size(); ++c) {
        w.Key(by[c].c_str());
        w.String((*r.domain_levels)[c].c_str());
      }
      w.EndObject();
    } else {
      w.Null();
    }
    if (r.contrast) {
      w.Key("contrast");
      w.String(r.contrast->c_str());
    }
    w.Key("estimate");
    WriteNumber(w, r.estimate);
    w.Key("se");
    WriteNumber(w, r.se);
    w.Key("ci_lower");
    WriteNumber(w, r.lower);
    w.Key("ci_upper");
    WriteNumber(w, r.upper);
    w.Key("df");
    WriteNumber(w, r.df);
    w.Key("n");
    if (r.n) w.Uint64(*r.n); else w.Null();
    for (const auto& [k, v] : r.extra) {
      w.Key(k.c_str());
      WriteNumber(w, v);
    }
    for (const auto& [k, v] : r.extra_text) {
      w.Key(k.c_str());
      w.String(v.c_str());
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return sb.GetString();
}

// ---------------------------------------------------------------- design

Result<stats::LonelyPsu> ParseLonely(const std::string& s) {
  if (s == "fail") return stats::LonelyPsu::kFail;
  if (s == "adjust") return stats::LonelyPsu::kAdjust;
  if (s == "average") return stats::LonelyPsu::kAverage;
  if (s == "certainty") return stats::LonelyPsu::kCertainty;
  if (s == "remove") return stats::LonelyPsu::kRemove;
  return InvalidArgument("--lonely-psu " + s + ": choose fail, adjust, average, certainty or remove");
}

Result<stats::Design> BuildDesign(const core::CsvTable& t, const StatsArgs& a) {
  stats::DesignSpec spec;
  const std::size_t n = t.rows.size();
  if (n == 0) return InvalidInput(t.source + ": the file has a header but no data rows");
  if (!a.weights.empty()) {
    auto w = core::NumericColumn(t, a.weights);
    if (!w.ok()) return w.status();
    for (std::size_t r = 0; r < n; ++r) {
      if (std::isnan((*w)[r])) return InvalidInput(Line(t, r) + ": column \"" + a.weights + "\": the weight is missing");
      if (!((*w)[r] > 0)) {
        return InvalidInput(Line(t, r) + ": column \"" + a.weights + "\": weight " + t.rows[r][*t.Find(a.weights)] +
                            " is not positive; sampling weights must be > 0");
      }
    }
    spec.weights = std::move(*w);
  }
  if (!a.strata.empty()) {
    auto s = RequiredText(t, a.strata, "strata");
    if (!s.ok()) return s.status();
    spec.strata = Codes(*s);
  }
  if (!a.cluster.empty()) {
    auto c = RequiredText(t, a.cluster, "cluster");
    if (!c.ok()) return c.status();
    spec.clusters = Codes(*c);
  }
  if (!a.fpc.empty()) {
    auto f = core::NumericColumn(t, a.fpc);
    if (!f.ok()) return f.status();
    for (std::size_t r = 0; r < n; ++r) {
      if (std::isnan((*f)[r])) return InvalidInput(Line(t, r) + ": column \"" + a.fpc + "\": the fpc is missing");
    }
    spec.fpc = std::move(*f);
  }
  if (spec.weights.empty() && spec.strata.empty() && spec.clusters.empty() && spec.fpc.empty()) {
    spec.weights.assign(n, 1.0);
  }
  auto lonely = ParseLonely(a.lonely_psu);
  if (!lonely.ok()) return lonely.status();
  spec.lonely_psu = *lonely;
  auto d = stats::Design::Create(std::move(spec));
  if (!d.ok()) return d.status().WithContext(t.source + ": design");
  return d;
}

// The level index of each unit in a margin's levels; an error names the
// line of a unit whose value has no population figure.
Result<stats::Margin> MarginFor(const core::CsvTable& t, const std::string& column,
                                const std::vector<std::pair<std::string, double>>& levels, const std::string& file) {
  auto v = TextColumn(t, column);
  if (!v.ok()) return v.status();
  stats::Margin m;
  std::map<std::string, std::int64_t> index;
  for (const auto& [name, count] : levels) {
    index[name] = static_cast<std::int64_t>(m.population.size());
    m.population.push_back(count);
  }
  m.level.resize(v->size());
  for (std::size_t r = 0; r < v->size(); ++r) {
    auto it = index.find((*v)[r]);
    if (it == index.end()) {
      return InvalidInput(Line(t, r) + ": column \"" + column + "\": level \"" + (*v)[r] + "\" has no row in " + file);
    }
    m.level[r] = it->second;
  }
  return m;
}

struct MarginRow {
  std::string margin, level;
  double n = 0;
};

Result<std::vector<MarginRow>> ReadMargins(const std::string& path) {
  auto t = core::ReadCsvFile(path);
  if (!t.ok()) return t.status();
  auto cm = t->Column("margin");
  auto cl = t->Column("level");
  auto cn = t->Column("N");
  if (!cm.ok()) return cm.status();
  if (!cl.ok()) return cl.status();
  if (!cn.ok()) return cn.status();
  std::vector<MarginRow> out;
  for (std::size_t r = 0; r < t->rows.size(); ++r) {
    auto v = core::ParseNumber(*t, r, *cn);
    if (!v.ok()) return v.status();
    if (!v->has_value()) return InvalidInput(Line(*t, r) + ": column \"N\" is empty");
    out.push_back({Trim(t->rows[r][*cm]), Trim(t->rows[r][*cl]), **v});
  }
  if (out.empty()) return InvalidInput(path + ": no margin rows");
  return out;
}

Result<stats::Design> Calibrate(const core::CsvTable& t, const StatsArgs& a, stats::Design design) {
  const int given = !a.poststratify.empty() + !a.rake.empty() + !a.calibrate.empty();
  if (given == 0) return design;
  if (!a.poststratify.empty()) {
    auto rows = ReadMargins(a.poststratify);
    if (!rows.ok()) return rows.status();
    std::vector<std::pair<std::string, double>> levels;
    for (const auto& r : *rows) {
      if (r.margin == a.poststrata) levels.emplace_back(r.level, r.n);
    }
    if (levels.empty()) return InvalidInput(a.poststratify + ": no row has margin \"" + a.poststrata + "\"");
    auto m = MarginFor(t, a.poststrata, levels, a.poststratify);
    if (!m.ok()) return m.status();
    return stats::PostStratify(design, *m);
  }
  if (!a.rake.empty()) {
    auto rows = ReadMargins(a.rake);
    if (!rows.ok()) return rows.status();
    std::vector<std::string> order;
    std::map<std::string, std::vector<std::pair<std::string, double>>> by_margin;
    for (const auto& r : *rows) {
      if (!by_margin.count(r.margin)) order.push_back(r.margin);
      by_margin[r.margin].emplace_back(r.level, r.n);
    }
    std::vector<stats::Margin> margins;
    for (const auto& name : order) {
      auto m = MarginFor(t, name, by_margin[name], a.rake);
      if (!m.ok()) return m.status();
      margins.push_back(std::move(*m));
    }
    stats::RakeOptions opt;
    opt.max_iterations = 200;
    opt.epsilon = 1e-12;
    return stats::Rake(design, margins, opt);
  }
  // --calibrate: one model-matrix column per margins row.
  auto rows = ReadMargins(a.calibrate);
  if (!rows.ok()) return rows.status();
  const std::size_t n = t.rows.size();
  stats::Matrix model(n, rows->size());
  std::vector<double> totals;
  for (std::size_t j = 0; j < rows->size(); ++j) {
    const auto& r = (*rows)[j];
    totals.push_back(r.n);
    if (r.margin == "(Intercept)") {
      for (std::size_t i = 0; i < n; ++i) model(i, j) = 1.0;
    } else if (r.level.empty()) {
      auto x = core::NumericColumn(t, r.margin);
      if (!x.ok()) return x.status();
      for (std::size_t i = 0; i < n; ++i) {
        if (std::isnan((*x)[i])) {
          return InvalidInput(Line(t, i) + ": column \"" + r.margin + "\" is empty; calibration variables need a value");
        }
        model(i, j) = (*x)[i];
      }
    } else {
      auto v = TextColumn(t, r.margin);
      if (!v.ok()) return v.status();
      for (std::size_t i = 0; i < n; ++i) model(i, j) = (*v)[i] == r.level ? 1.0 : 0.0;
    }
  }
  stats::CalibrationOptions opt;
  if (a.calfun == "raking") {
    opt.function = stats::CalibrationFunction::kRaking;
    opt.epsilon = 1e-12;
    opt.max_iterations = 200;
  } else if (a.calfun != "linear") {
    return InvalidArgument("--calfun " + a.calfun + ": choose linear or raking");
  }
  return stats::Calibrate(design, model, totals, opt);
}

// ---------------------------------------------------------------- verbs

struct Context {
  const core::CsvTable& table;
  const StatsArgs& args;
  const stats::Design& design;
  const DomainSet& domains;
  double df_choice;  // +inf for --ci z, NaN for "design df"
  const stats::ReplicateDesign* rep = nullptr;  // --replicates: variances from replicate weights
};

double DfFor(const Context& c, double natural) { return std::isinf(c.df_choice) ? c.df_choice : natural; }

Result<std::pair<double, double>> Wald(double est, double se, double level, double df) {
  auto q = stats::CriticalValue(level, df);
  if (!q.ok()) return q.status();
  return std::make_pair(est - *q * se, est + *q * se);
}

Result<std::vector<std::vector<double>>> Variables(const core::CsvTable& t, const std::vector<std::string>& names) {
  std::vector<std::vector<double>> out;
  for (const auto& v : names) {
    auto x = core::NumericColumn(t, v);
    if (!x.ok()) return x.status();
    out.push_back(std::move(*x));
  }
  return out;
}

// Mean, total (and their replicate versions) of the --var columns.
Result<std::vector<OutRow>> MeanOrTotal(const Context& c, bool mean) {
  const stats::ReplicateDesign* rep = c.rep;
  auto vars = Variables(c.table, c.args.vars);
  if (!vars.ok()) return vars.status();
  std::vector<std::span<const double>> spans(vars->begin(), vars->end());
  const stats::Domains dom{c.domains.of_unit, c.domains.count()};
  Result<stats::Estimates> e = core::Internal("unset");
  if (rep) {
    e = mean ? stats::MeanByDomain(*rep, spans, dom) : stats::TotalByDomain(*rep, spans, dom);
  } else {
    e = mean ? stats::MeanByDomain(c.design, spans, dom) : stats::TotalByDomain(c.design, spans, dom);
  }
  if (!e.ok()) return e.status();
  const auto se = e->StandardErrors();
  const std::size_t k = spans.size();
  std::vector<OutRow> out;
  for (std::size_t d = 0; d < c.domains.count(); ++d) {
    for (std::size_t j = 0; j < k; ++j) {
      OutRow r;
      r.statistic = mean ? "mean" : "total";
      r.variable = c.args.vars[j];
      r.domain_levels = c.args.by.empty() ? nullptr : &c.domains.levels[d];
      r.estimate = e->estimate[d * k + j];
      r.se = se[d * k + j];
      r.df = DfFor(c, e->df);
      auto ci = Wald(r.estimate, r.se, c.args.level, r.df);
      if (!ci.ok()) return ci.status();
      std::tie(r.lower, r.upper) = *ci;
      r.n = e->n[d * k + j];
      if (mean && !rep) {
        std::unique_ptr<bool[]> in(new bool[c.design.size()]);
        for (std::size_t i = 0; i < c.design.size(); ++i) {
          bool complete = c.domains.of_unit[i] == static_cast<std::int64_t>(d);
          for (std::size_t v = 0; v < k && complete; ++v) complete = !std::isnan(spans[v][i]);
          in[i] = complete;
        }
        auto deff = stats::MeanDesignEffect(c.design, spans[j], std::span<const bool>(in.get(), c.design.size()));
        r.extra.emplace_back("deff", deff.ok() ? std::optional<double>(*deff) : std::nullopt);
      }
      out.push_back(std::move(r));
    }
  }
  return out;
}

Result<std::vector<OutRow>> RatioVerb(const Context& c) {
  auto num = core::NumericColumn(c.table, c.args.num);
  if (!num.ok()) return num.status();
  auto den = core::NumericColumn(c.table, c.args.den);
  if (!den.ok()) return den.status();
  const stats::Domains dom{c.domains.of_unit, c.domains.count()};
  auto e = c.rep ? stats::RatioByDomain(*c.rep, *num, *den, dom) : stats::RatioByDomain(c.design, *num, *den, dom);
  if (!e.ok()) return e.status();
  const auto se = e->StandardErrors();
  std::vector<OutRow> out;
  for (std::size_t d = 0; d < c.domains.count(); ++d) {
    OutRow r;
    r.statistic = "ratio";
    r.variable = c.args.num + "/" + c.args.den;
    r.domain_levels = c.args.by.empty() ? nullptr : &c.domains.levels[d];
    r.estimate = e->estimate[d];
    r.se = se[d];
    r.df = DfFor(c, e->df);
    auto ci = Wald(r.estimate, r.se, c.args.level, r.df);
    if (!ci.ok()) return ci.status();
    std::tie(r.lower, r.upper) = *ci;
    r.n = e->n[d];
    out.push_back(std::move(r));
  }
  return out;
}

std::unique_ptr<bool[]> DomainMask(const Context& c, std::size_t d) {
  std::unique_ptr<bool[]> in(new bool[c.design.size()]);
  for (std::size_t i = 0; i < c.design.size(); ++i) in[i] = c.domains.of_unit[i] == static_cast<std::int64_t>(d);
  return in;
}

Result<std::vector<OutRow>> PropVerb(const Context& c) {
  auto text = TextColumn(c.table, c.args.vars[0]);
  if (!text.ok()) return text.status();
  const std::string success = Trim(c.args.success);
  const auto success_num = AsNumber(success);
  std::vector<double> y(text->size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    const std::string& v = (*text)[i];
    if (v.empty()) {
      y[i] = stats::kMissing;
      continue;
    }
    const auto vn = AsNumber(v);
    y[i] = (v == success || (success_num && vn && *vn == *success_num)) ? 1.0 : 0.0;
  }
  auto method = stats::ParseProportionMethod(c.args.method);
  if (!method.ok()) return method.status();
  std::vector<OutRow> out;
  for (std::size_t d = 0; d < c.domains.count(); ++d) {
    auto in = DomainMask(c, d);
    stats::ProportionOptions opt;
    opt.method = *method;
    opt.level = c.args.level;
    if (std::isinf(c.df_choice)) opt.df = c.df_choice;
    const std::span<const bool> in_domain(in.get(), c.design.size());
    auto p = c.rep ? stats::CiProportion(*c.rep, y, in_domain, opt) : stats::CiProportion(c.design, y, in_domain, opt);
    if (!p.ok()) {
      return c.args.by.empty() ? p.status() : p.status().WithContext("domain " + c.domains.names[d]);
    }
    OutRow r;
    r.statistic = "prop";
    r.variable = c.args.vars[0];
    r.domain_levels = c.args.by.empty() ? nullptr : &c.domains.levels[d];
    r.estimate = p->estimate;
    r.se = p->se;
    r.lower = p->lower;
    r.upper = p->upper;
    r.df = p->df;
    r.n = p->n;
    r.extra.emplace_back("n_eff", p->n_effective);
    r.extra_text.emplace_back("method", stats::ProportionMethodName(*method));
    r.extra_text.emplace_back("success", success);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<OutRow>> QuantileVerb(const Context& c) {
  auto vars = Variables(c.table, c.args.vars);
  if (!vars.ok()) return vars.status();
  std::vector<OutRow> out;
  for (std::size_t d = 0; d < c.domains.count(); ++d) {
    auto in = DomainMask(c, d);
    for (std::size_t j = 0; j < vars->size(); ++j) {
      for (double p : c.args.probs) {
        stats::QuantileOptions opt;
        opt.level = c.args.level;
        if (std::isinf(c.df_choice)) opt.df = c.df_choice;
        const std::span<const bool> in_domain(in.get(), c.design.size());
        auto q = c.rep ? stats::Quantile(*c.rep, (*vars)[j], in_domain, p, opt)
                       : stats::Quantile(c.design, (*vars)[j], in_domain, p, opt);
        if (!q.ok()) return q.status();
        OutRow r;
        r.statistic = "quantile";
        r.variable = c.args.vars[j];
        r.domain_levels = c.args.by.empty() ? nullptr : &c.domains.levels[d];
        r.estimate = q->estimate;
        r.se = q->se;
        r.lower = q->lower;
        r.upper = q->upper;
        r.df = q->df;
        r.n = q->n;
        r.extra.emplace_back("probability", p);
        out.push_back(std::move(r));
      }
    }
  }
  return out;
}

Result<std::vector<OutRow>> ContrastVerb(const Context& c) {
  auto vars = Variables(c.table, c.args.vars);
  if (!vars.ok()) return vars.status();
  std::vector<std::span<const double>> spans(vars->begin(), vars->end());
  if (!c.args.by.empty() && spans.size() != 1) {
    return InvalidArgument("contrast with --by takes one --var (the contrast is between domains)");
  }
  const stats::Domains dom{c.domains.of_unit, c.domains.count()};
  auto e = c.rep ? stats::MeanByDomain(*c.rep, spans, dom) : stats::MeanByDomain(c.design, spans, dom);
  if (!e.ok()) return e.status();
  const std::vector<std::string>& names = c.args.by.empty() ? c.args.vars : c.domains.names;
  auto coef = stats::ParseContrast(c.args.contrast, names);
  if (!coef.ok()) return coef.status();
  auto r0 = stats::LinearContrast(*e, *coef);
  if (!r0.ok()) return r0.status();
  OutRow r;
  r.statistic = "contrast";
  r.variable = c.args.by.empty() ? std::string() : c.args.vars[0];
  r.contrast = c.args.contrast;
  r.estimate = r0->estimate;
  r.se = r0->se;
  r.df = DfFor(c, r0->df);
  auto ci = Wald(r.estimate, r.se, c.args.level, r.df);
  if (!ci.ok()) return ci.status();
  std::tie(r.lower, r.upper) = *ci;
  return std::vector<OutRow>{r};
}

Result<std::vector<OutRow>> TTestVerb(const Context& c) {
  auto y = core::NumericColumn(c.table, c.args.vars[0]);
  if (!y.ok()) return y.status();
  std::int64_t first = 0, second = 1;
  std::string label;
  if (!c.args.contrast.empty()) {
    auto coef = stats::ParseContrast(c.args.contrast, c.domains.names);
    if (!coef.ok()) return coef.status();
    int plus = -1, minus = -1, others = 0;
    for (std::size_t d = 0; d < coef->size(); ++d) {
      if ((*coef)[d] == 1 && plus < 0) plus = static_cast<int>(d);
      else if ((*coef)[d] == -1 && minus < 0) minus = static_cast<int>(d);
      else if ((*coef)[d] != 0) ++others;
    }
    if (plus < 0 || minus < 0 || others) {
      return InvalidArgument("ttest --contrast \"" + c.args.contrast + "\": write one domain minus another, e.g. \"A-B\"");
    }
    second = plus;
    first = minus;
    label = c.args.contrast;
  } else {
    if (c.domains.count() != 2) {
      return InvalidArgument("ttest: --by gives " + std::to_string(c.domains.count()) +
                             " domains; give a --by with two levels or --contrast \"A-B\"");
    }
    label = c.domains.names[1] + "-" + c.domains.names[0];
  }
  std::vector<std::int64_t> group(c.design.size(), -1);
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (c.domains.of_unit[i] == second) group[i] = 1;
    else if (c.domains.of_unit[i] == first) group[i] = 0;
  }
  auto t = c.rep ? stats::DomainMeanTTest(*c.rep, *y, group, c.args.level)
                 : stats::DomainMeanTTest(c.design, *y, group, c.args.level);
  if (!t.ok()) return t.status();
  OutRow r;
  r.statistic = "ttest";
  r.variable = c.args.vars[0];
  r.contrast = label;
  r.estimate = t->difference;
  r.se = t->se;
  r.lower = t->lower;
  r.upper = t->upper;
  r.df = t->df;
  r.n = t->n_first + t->n_second;
  r.extra.emplace_back("t", t->t);
  r.extra.emplace_back("p_value", t->p_value);
  return std::vector<OutRow>{r};
}

Result<std::vector<OutRow>> AlphaVerb(const Context& c) {
  auto vars = Variables(c.table, c.args.vars);
  if (!vars.ok()) return vars.status();
  const std::size_t k = vars->size();
  stats::ReliabilityOptions opt;
  opt.level = c.args.level;
  if (c.args.alpha_missing == "pairwise") opt.missing = stats::MissingItems::kPairwise;
  else if (c.args.alpha_missing != "complete") return InvalidArgument("--alpha-missing: choose complete or pairwise");
  std::vector<OutRow> out;
  for (std::size_t d = 0; d < c.domains.count(); ++d) {
    std::vector<double> values;
    for (std::size_t i = 0; i < c.design.size(); ++i) {
      if (c.domains.of_unit[i] != static_cast<std::int64_t>(d)) continue;
      for (std::size_t j = 0; j < k; ++j) values.push_back((*vars)[j][i]);
    }
    auto a = stats::CronbachAlpha(values, k, opt);
    if (!a.ok()) return a.status();
    std::optional<stats::AlphaBootstrapResult> boot;
    if (c.args.replicates == "bootstrap") {
      stats::AlphaBootstrapOptions bo;
      const bool count_given = c.args.replicate_count_opt && c.args.replicate_count_opt->count();
      bo.replicates = count_given ? c.args.replicate_count : 2000;
      bo.seed = c.args.seed;
      bo.level = c.args.level;
      auto b = stats::BootstrapAlpha(values, k, bo);
      if (!b.ok()) return b.status();
      boot = *b;
    }
    OutRow r;
    r.statistic = "alpha";
    std::string items;
    for (const auto& v : c.args.vars) items += (items.empty() ? "" : ",") + v;
    r.variable = items;
    r.domain_levels = c.args.by.empty() ? nullptr : &c.domains.levels[d];
    r.estimate = a->raw_alpha;
    r.se = a->ase;
    r.lower = a->feldt_lower;
    r.upper = a->feldt_upper;
    r.df = std::numeric_limits<double>::quiet_NaN();
    r.n = a->n;
    r.extra.emplace_back("std_alpha", a->std_alpha);
    r.extra.emplace_back("average_r", a->average_r);
    if (boot) {  // bootstrap se and percentile interval; BCa and Feldt beside them
      r.se = boot->se;
      r.lower = boot->percentile_lower;
      r.upper = boot->percentile_upper;
      r.extra.emplace_back("bca_lower", boot->bca_lower);
      r.extra.emplace_back("bca_upper", boot->bca_upper);
      r.extra.emplace_back("feldt_lower", a->feldt_lower);
      r.extra.emplace_back("feldt_upper", a->feldt_upper);
      r.extra.emplace_back("replicates", static_cast<double>(boot->replicates));
    }
    out.push_back(std::move(r));
  }
  return out;
}

// Contradictory or missing options, before any file is read.
Status CheckArgs(Verb verb, const StatsArgs& a) {
  const std::string v = VerbName(verb);
  const bool needs_var = verb != Verb::kRatio;
  if (needs_var && a.vars.empty()) return InvalidArgument(v + " needs --var COL");
  if (verb == Verb::kRatio && (a.num.empty() || a.den.empty())) return InvalidArgument("ratio needs --num COL and --den COL");
  if (verb != Verb::kRatio && (!a.num.empty() || !a.den.empty())) return InvalidArgument("--num/--den belong to ratio, not " + v);
  if ((verb == Verb::kProp || verb == Verb::kTTest) && a.vars.size() != 1) return InvalidArgument(v + " takes exactly one --var");
  if (verb == Verb::kProp && a.success.empty()) return InvalidArgument("prop needs --success VALUE (the value counted as 1)");
  if (verb != Verb::kProp && a.success_opt && a.success_opt->count()) return InvalidArgument("--success belongs to prop, not " + v);
  if (verb != Verb::kProp && a.method_opt && a.method_opt->count()) return InvalidArgument("--method belongs to prop, not " + v);
  if (verb == Verb::kContrast && a.contrast.empty()) return InvalidArgument("contrast needs --contrast \"A-B\"");
  if (verb != Verb::kContrast && verb != Verb::kTTest && !a.contrast.empty()) {
    return InvalidArgument("--contrast belongs to contrast or ttest, not " + v);
  }
  if (verb == Verb::kTTest && a.by.empty()) return InvalidArgument("ttest needs --by COL (the two groups)");
  const int cal = !a.poststratify.empty() + !a.rake.empty() + !a.calibrate.empty();
  if (cal > 1) return InvalidArgument("give only one of --poststratify, --rake and --calibrate");
  if (!a.poststratify.empty() != !a.poststrata.empty()) {
    return InvalidArgument("--poststratify MARGINS.csv and --poststrata COL go together");
  }
  if (!a.replicates.empty() && cal) {
    return InvalidArgument("--replicates with calibration is not supported yet; use one or the other");
  }
  if (verb == Verb::kAlpha && !a.replicates.empty()) {
    if (a.replicates != "bootstrap") {
      return InvalidArgument("alpha takes --replicates bootstrap (resampling respondents), not " + a.replicates);
    }
    if (a.alpha_missing != "complete") {
      return InvalidArgument("alpha --replicates bootstrap resamples complete cases; drop --alpha-missing pairwise");
    }
  }
  if (a.replicates.empty() && ((a.replicate_count_opt && a.replicate_count_opt->count()) ||
                               (a.seed_opt && a.seed_opt->count()))) {
    return InvalidArgument("--replicate-count and --seed need --replicates");
  }
  if (a.ci != "t" && a.ci != "z") return InvalidArgument("--ci " + a.ci + ": choose t or z");
  if (!(a.level > 0 && a.level < 1)) return InvalidArgument("--level must lie strictly between 0 and 1, e.g. 0.95");
  if (verb == Verb::kAlpha && a.vars.size() < 2) return InvalidArgument("alpha needs at least two items in --var");
  for (double p : a.probs) {
    if (!(p > 0 && p < 1)) return InvalidArgument("--probs values must lie strictly between 0 and 1");
  }
  return Status::Ok();
}

Result<std::string> Run(Verb verb, const StatsArgs& a) {
  TRYGHED_RETURN_IF_ERROR(CheckArgs(verb, a));
  auto table = core::ReadCsvFile(a.data);
  if (!table.ok()) return table.status();
  auto design = BuildDesign(*table, a);
  if (!design.ok()) return design.status();
  auto calibrated = Calibrate(*table, a, std::move(*design));
  if (!calibrated.ok()) return calibrated.status();
  auto domains = MakeDomains(*table, a.by);
  if (!domains.ok()) return domains.status();
  std::unique_ptr<stats::ReplicateDesign> rep;
  if (!a.replicates.empty() && verb != Verb::kAlpha) {  // alpha resamples respondents itself
    stats::ReplicateOptions opt;
    if (a.replicates == "jk1") opt.type = stats::ReplicateType::kJK1;
    else if (a.replicates == "jkn") opt.type = stats::ReplicateType::kJKn;
    else if (a.replicates == "bootstrap") opt.type = stats::ReplicateType::kBootstrap;
    else return InvalidArgument("--replicates " + a.replicates + ": choose jk1, jkn or bootstrap");
    opt.replicates = a.replicate_count;
    opt.seed = a.seed;
    auto r = stats::MakeReplicates(*calibrated, opt);
    if (!r.ok()) return r.status();
    rep = std::make_unique<stats::ReplicateDesign>(std::move(*r));
  }
  const Context c{*table, a, *calibrated, *domains,
                  a.ci == "z" ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN(),
                  rep.get()};
  Result<std::vector<OutRow>> rows = core::Internal("unset");
  switch (verb) {
    case Verb::kMean: rows = MeanOrTotal(c, true); break;
    case Verb::kTotal: rows = MeanOrTotal(c, false); break;
    case Verb::kRatio: rows = RatioVerb(c); break;
    case Verb::kProp: rows = PropVerb(c); break;
    case Verb::kQuantile: rows = QuantileVerb(c); break;
    case Verb::kContrast: rows = ContrastVerb(c); break;
    case Verb::kTTest: rows = TTestVerb(c); break;
    case Verb::kAlpha: rows = AlphaVerb(c); break;
  }
  if (!rows.ok()) return rows.status();
  return ToJson(*rows, a.by);
}

constexpr const char* kStatsFooter = R"HELP(Design options:
  --weights COL     sampling weights (> 0); default 1 (or N_h/n_h from --fpc)
  --strata COL      stratum of each row (any text)
  --cluster COL     primary sampling unit (one-stage cluster sample; any text)
  --fpc COL         population size of the stratum (> 1) or sampling fraction (<= 1)
  --lonely-psu R    a stratum with one PSU: fail (default), adjust, average, certainty, remove
Calibration (one of):
  --poststratify MARGINS.csv --poststrata COL   rows with margin = COL give N per level
  --rake MARGINS.csv                            one row per level of each margin column
  --calibrate MARGINS.csv [--calfun linear|raking]
      each row is one model-matrix column: margin "(Intercept)" = all rows;
      margin COL with a level = the dummy COL == level; margin COL with an empty level = numeric COL.
  MARGINS.csv has columns margin,level,N.
Replicate weights: --replicates jk1|jkn|bootstrap [--replicate-count N] [--seed N]
  mean, total, ratio, prop, quantile, contrast, ttest (as R's as.svrepdesign): the variance from
  the estimates recomputed in every replicate (quantile: Woodruff with the replicate variance);
  df = the replicate design's degf (prop, quantile, ttest: of the domain's rows).
  alpha --replicates bootstrap: i.i.d. bootstrap of the complete cases (boot::boot), se and
  percentile interval in se/ci_*, BCa in bca_lower/bca_upper; --replicate-count default 2000
Intervals: --ci t (default; df = design df, or the domain's df for prop/quantile) | z; --level 0.95
Data: CSV with a header row, ',' or ';' separated (';' files may use decimal commas), empty cell = missing.
Output: JSON {"estimates":[{"statistic","variable","domain","estimate","se","ci_lower","ci_upper","df","n",...}]}
Examples:
  tryghed stats mean --data apistrat.csv --weights pw --strata stype --fpc fpc --var api00
  tryghed stats mean --data survey.csv --weights w --strata stratum --var index --by wave,area
  tryghed stats total --data apiclus1.csv --weights pw --cluster dnum --fpc fpc --var enroll --by stype --ci z
  tryghed stats ratio --data apiclus1.csv --weights pw --cluster dnum --num api.stu --den enroll
  tryghed stats prop --data survey.csv --weights w --strata stratum --var unsafe --success 1 --by wave,area --method beta
  tryghed stats quantile --data survey.csv --weights w --strata stratum --var index --probs 0.25,0.5,0.75
  tryghed stats contrast --data survey.csv --weights w --strata stratum --var index --by wave,area --contrast "3:P-1:P"
  tryghed stats ttest --data survey.csv --weights w --strata stratum --var index --by wave,area --contrast "3:P-3:C"
  tryghed stats prop --data apiclus1.csv --weights pw --cluster dnum --fpc fpc --var sch.wide --success Yes --replicates jk1
  tryghed stats alpha --data survey.csv --var q1,q2,q3,q4r,q5,q6r,q7
  tryghed stats alpha --data survey.csv --var q1,q2,q3,q4r,q5,q6r,q7 --replicates bootstrap --seed 99
  tryghed stats mean --data survey.csv --weights w --strata stratum --var index --rake margins.csv
Errors (unknown column, a non-number with its line, contradictory options) are one line on stderr, exit code 2.)HELP";

void AddVerb(CLI::App* stats, Verb verb, const char* description, const Io& io) {
  auto a = std::make_shared<StatsArgs>();
  CLI::App* cmd = stats->add_subcommand(VerbName(verb), description);
  cmd->footer(kStatsFooter);
  cmd->add_option("--data", a->data, "the data file (CSV with a header row)")->required();
  cmd->add_option("--weights", a->weights, "column of sampling weights, e.g. --weights pw");
  cmd->add_option("--strata", a->strata, "column of strata, e.g. --strata stype");
  cmd->add_option("--cluster", a->cluster, "column of PSUs (clusters), e.g. --cluster dnum");
  cmd->add_option("--fpc", a->fpc, "column of population sizes or sampling fractions, e.g. --fpc fpc");
  cmd->add_option("--lonely-psu", a->lonely_psu, "fail|adjust|average|certainty|remove (default fail)");
  cmd->add_option("--poststratify", a->poststratify, "margins file for post-stratification, with --poststrata");
  cmd->add_option("--poststrata", a->poststrata, "the data column that defines the post-strata");
  cmd->add_option("--rake", a->rake, "margins file for raking (one row per level of each margin)");
  cmd->add_option("--calibrate", a->calibrate, "margins file for linear calibration (see below)");
  cmd->add_option("--calfun", a->calfun, "calibration function for --calibrate: linear (default) or raking");
  cmd->add_option("--replicates", a->replicates, "jk1|jkn|bootstrap: variance from replicate weights");
  a->replicate_count_opt =
      cmd->add_option("--replicate-count", a->replicate_count, "bootstrap replicates (default 50; alpha 2000)");
  a->seed_opt = cmd->add_option("--seed", a->seed, "bootstrap seed (default 1)");
  cmd->add_option("--var", a->vars, "variable(s), comma-separated, e.g. --var api00,api99")->delimiter(',');
  cmd->add_option("--by", a->by, "domain column(s), comma-separated, e.g. --by wave,area")->delimiter(',');
  if (verb == Verb::kRatio) {
    cmd->add_option("--num", a->num, "numerator column (ratio)");
    cmd->add_option("--den", a->den, "denominator column (ratio)");
  }
  if (verb == Verb::kProp) {
    a->success_opt = cmd->add_option("--success", a->success, "the value of --var counted as a success, e.g. --success Yes");
    a->method_opt = cmd->add_option(
        "--method", a->method, "logit (default)|likelihood|asin|beta|mean|xlogit|wilson|clopper-pearson");
  }
  if (verb == Verb::kContrast || verb == Verb::kTTest) {
    cmd->add_option("--contrast", a->contrast,
                    "domains (levels joined by ':' with several --by) or variables, e.g. \"E-H\", \"3:P-1:P\"");
  }
  if (verb == Verb::kQuantile) {
    cmd->add_option("--probs", a->probs, "probabilities, comma-separated (default 0.5)")->delimiter(',');
  }
  if (verb == Verb::kAlpha) {
    cmd->add_option("--alpha-missing", a->alpha_missing, "complete (default: complete cases) or pairwise");
  }
  cmd->add_option("--ci", a->ci, "t (default, design df) or z (normal)");
  cmd->add_option("--level", a->level, "confidence level (default 0.95)");
  cmd->callback([verb, a, io] {
    auto json = Run(verb, *a);
    if (!json.ok()) {
      io.err << "tryghed stats " << VerbName(verb) << ": " << json.status().message() << "\n";
      Finish(ExitCodeFor(json.status()));
      return;
    }
    io.out << *json << "\n";
  });
}

}  // namespace

void AddStatsCommands(CLI::App& app, const Io& io) {
  CLI::App* stats = app.add_subcommand("stats", "survey estimates from a CSV file (R survey's numbers), as JSON");
  stats->require_subcommand(1);
  stats->footer(kStatsFooter);
  AddVerb(stats, Verb::kMean, "weighted means with Taylor-linearised SEs (svymean, svyby)", io);
  AddVerb(stats, Verb::kTotal, "estimated population totals (svytotal)", io);
  AddVerb(stats, Verb::kRatio, "ratio of two totals (svyratio)", io);
  AddVerb(stats, Verb::kProp, "a proportion with svyciprop's intervals, Wilson or Clopper-Pearson", io);
  AddVerb(stats, Verb::kQuantile, "quantiles with Woodruff intervals (svyquantile)", io);
  AddVerb(stats, Verb::kContrast, "a linear contrast of domain means or of variables (svycontrast)", io);
  AddVerb(stats, Verb::kTTest, "design-based t test of two domain means (svyttest)", io);
  AddVerb(stats, Verb::kAlpha, "Cronbach's alpha of items with the Feldt interval (psych::alpha)", io);
}

}  // namespace tryghed::cli
