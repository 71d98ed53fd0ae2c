#pragma once
// Test helper for calibration_test, replicates_test and regression_test: the
// R reference designs (apiclus1, apistrat, the safety survey) built from the
// CSV fixtures, and small checks against reference_values.csv rows.
//
//   ApiData c = LoadApi("apiclus1");
//   stats::Design dclus1 = ApiClusterDesign(c);      // svydesign(id=~dnum, weights=~pw, fpc=~fpc)
//   ExpectRow(ref.Get("A19.api00_mean_poststrat.t"), est, se);
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "csv_fixture.h"
#include "stats/design.h"
#include "stats/intervals.h"
#include "stats/matrix.h"

namespace tryghed::testing {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline std::vector<double> Column(const CsvTable& t, const std::string& name) {
  std::vector<double> out;
  for (const auto& v : t.Numbers(name)) out.push_back(v.has_value() ? *v : kNaN);
  return out;
}

// Dense codes 0..L-1 in sorted order of the values (R's factor levels).
inline std::vector<std::int64_t> Codes(const std::vector<std::string>& values, std::vector<std::string>* levels = nullptr) {
  std::map<std::string, std::int64_t> index;
  for (const auto& v : values) index.emplace(v, 0);
  std::int64_t k = 0;
  for (auto& [v, idx] : index) {
    idx = k++;
    if (levels) levels->push_back(v);
  }
  std::vector<std::int64_t> out;
  for (const auto& v : values) out.push_back(index[v]);
  return out;
}

struct ApiData {
  CsvTable table;
  std::vector<double> pw, fpc, api00, api99, enroll, ell, meals, mobility;
  std::vector<std::string> stype, sch_wide;
  std::vector<std::int64_t> dnum;
  std::size_t rows() const { return pw.size(); }
};

inline ApiData LoadApi(const std::string& name) {
  ApiData a;
  a.table = LoadCsv(ReferencePath("data/api_" + name + ".csv"));
  a.pw = Column(a.table, "pw");
  a.fpc = Column(a.table, "fpc");
  a.api00 = Column(a.table, "api00");
  a.api99 = Column(a.table, "api99");
  a.enroll = Column(a.table, "enroll");
  a.ell = Column(a.table, "ell");
  a.meals = Column(a.table, "meals");
  a.mobility = Column(a.table, "mobility");
  a.stype = a.table.Strings("stype");
  a.sch_wide = a.table.Strings("sch.wide");
  for (double d : Column(a.table, "dnum")) a.dnum.push_back(static_cast<std::int64_t>(d));
  return a;
}

// svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=apiclus1)
inline stats::Design ApiClusterDesign(const ApiData& a) {
  stats::DesignSpec spec;
  spec.weights = a.pw;
  spec.clusters = a.dnum;
  spec.fpc = a.fpc;
  auto d = stats::Design::Create(std::move(spec));
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return *d;
}

// svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)
inline stats::Design ApiStratDesign(const ApiData& a) {
  stats::DesignSpec spec;
  spec.weights = a.pw;
  spec.strata = Codes(a.stype);
  spec.fpc = a.fpc;
  auto d = stats::Design::Create(std::move(spec));
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return *d;
}

// The safety survey with reference.R's derived columns.
struct Safety {
  CsvTable table;
  std::vector<double> w_design, n_h_pop, index, unsafe;
  std::vector<int> wave;
  std::vector<std::string> area, stratum, age, sex, tenure;
  std::vector<std::int64_t> domain;  // svyby(~wave+area) order: 1C 2C 3C 1P 2P 3P
  std::size_t rows() const { return wave.size(); }
  // "W<wave>_<area>" index 0..5 in R's factor order (W1_C, W1_P, W2_C, ...).
  std::int64_t Wa(std::size_t i) const { return (wave[i] - 1) * 2 + (area[i] == "P" ? 1 : 0); }
};

inline Safety LoadSafety() {
  Safety s;
  s.table = LoadCsv(ReferencePath("data/safety_survey.csv"));
  s.w_design = Column(s.table, "w_design");
  s.n_h_pop = Column(s.table, "N_h");
  for (double w : Column(s.table, "wave")) s.wave.push_back(static_cast<int>(w));
  s.area = s.table.Strings("area");
  s.stratum = s.table.Strings("stratum");
  s.age = s.table.Strings("age_group");
  s.sex = s.table.Strings("sex");
  s.tenure = s.table.Strings("tenure");
  const CsvTable derived = LoadCsv(ReferencePath("respondent_derived.csv"));
  s.index = Column(derived, "index");
  s.unsafe = Column(derived, "unsafe");
  for (std::size_t i = 0; i < s.wave.size(); ++i) s.domain.push_back((s.area[i] == "P" ? 3 : 0) + (s.wave[i] - 1));
  return s;
}

// svydesign(id=~1, strata=~stratum, fpc=~N_h, weights=~w_design)
inline stats::Design SafetyDesign(const Safety& s) {
  stats::DesignSpec spec;
  spec.weights = s.w_design;
  spec.strata = Codes(s.stratum);
  spec.fpc = s.n_h_pop;
  auto d = stats::Design::Create(std::move(spec));
  EXPECT_TRUE(d.ok()) << d.status().ToString();
  return *d;
}

// Population count of (area, margin, level) from population_margins.csv.
inline double PopulationCount(const std::string& area, const std::string& margin, const std::string& level) {
  static const CsvTable t = LoadCsv(ReferencePath("data/population_margins.csv"));
  static const std::vector<double> n = Column(t, "N");
  const auto& a = t.Strings("area");
  const auto& m = t.Strings("margin");
  const auto& l = t.Strings("level");
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (a[i] == area && m[i] == margin && l[i] == level) return n[i];
  }
  ADD_FAILURE() << "no population count for " << area << " " << margin << " " << level;
  return kNaN;
}

inline const char* kDomainLabels[6] = {"wave=1;area=C", "wave=2;area=C", "wave=3;area=C",
                                       "wave=1;area=P", "wave=2;area=P", "wave=3;area=P"};

inline bool Near(double actual, double expected, double rel_tol) {
  return std::abs(actual - expected) <= rel_tol * std::max(std::abs(expected), 1e-300);
}

// Compares estimate and SE with a reference row (and the row's Wald interval
// from them when it has one and `check_ci`).
inline void ExpectRow(const ReferenceRow& row, double estimate, double se, double df_for_t = kNaN) {
  SCOPED_TRACE(row.id);
  const double tol = row.rel_tol > 0 ? row.rel_tol : 1e-6;
  ASSERT_TRUE(row.estimate.has_value());
  EXPECT_TRUE(Near(estimate, *row.estimate, tol)) << "estimate " << estimate << " vs R " << *row.estimate;
  if (row.se.has_value()) {
    EXPECT_TRUE(Near(se, *row.se, tol)) << "se " << se << " vs R " << *row.se;
  }
  if (!std::isnan(df_for_t) && row.df.has_value() && std::isfinite(*row.df)) {
    EXPECT_EQ(df_for_t, *row.df) << "df";
  }
  // The Wald interval from our estimate and SE with R's df.
  if ((row.ci_method == "wald_z" || row.ci_method == "wald_t") && row.ci_lower && row.ci_upper && row.df) {
    auto ci = stats::WaldInterval(estimate, se, 0.95, *row.df);
    ASSERT_TRUE(ci.ok()) << ci.status().ToString();
    EXPECT_TRUE(Near(ci->lower, *row.ci_lower, tol)) << "ci lower " << ci->lower << " vs R " << *row.ci_lower;
    EXPECT_TRUE(Near(ci->upper, *row.ci_upper, tol)) << "ci upper " << ci->upper << " vs R " << *row.ci_upper;
  }
}

// Every row with `prefix` (".z" and ".t" variants) against one estimate.
inline int ExpectRows(const ReferenceValues& ref, const std::string& prefix, double estimate, double se,
                      double df_for_t = kNaN) {
  int count = 0;
  for (const ReferenceRow* row : ref.WithPrefix(prefix)) {
    if (row->ci_method != "wald_z" && row->ci_method != "wald_t") continue;
    ExpectRow(*row, estimate, se, df_for_t);
    ++count;
  }
  EXPECT_GT(count, 0) << "no reference rows for " << prefix;
  return count;
}

}  // namespace tryghed::testing
