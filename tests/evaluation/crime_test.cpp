// Registered crime (evaluation/crime.h): rates per 1,000 residents with exact
// Poisson intervals and change ratios with the exact conditional-binomial
// interval. Expected values are written out from chi-square and beta
// quantiles and were checked with R 4.x: poisson.test(x, T) and
// poisson.test(c(x2, x1), c(T2, T1)).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/app.h"
#include "core/file.h"
#include "evaluation/crime.h"

namespace tryghed::evaluation {
namespace {

constexpr double kTol = 1e-9;

const CrimeRate& FindRate(const CrimeResult& r, const std::string& area, const std::string& period,
                          const std::string& group) {
  for (const CrimeRate& x : r.rates) {
    if (x.area == area && x.period == period && x.offence_group == group) return x;
  }
  ADD_FAILURE() << "no rate " << area << "/" << period << "/" << group;
  static const CrimeRate kNone;
  return kNone;
}

const CrimeChange& FindChange(const CrimeResult& r, const std::string& area, const std::string& group) {
  for (const CrimeChange& c : r.changes) {
    if (c.area == area && c.offence_group == group) return c;
  }
  ADD_FAILURE() << "no change " << area << "/" << group;
  static const CrimeChange kNone;
  return kNone;
}

// The columns `tryghed demo` writes: area,wave,reports,population.
TEST(CrimeTest, DemoFormatGivesExactPoissonRatePerThousand) {
  auto data = ParseCrimeCsv(
      "area,wave,reports,population\n"
      "Gadehavegård,Baseline 2025,12,4500\n"
      "Gadehavegård,Opfølgning 1 2025,9,4500\n",
      "demo.crime.csv");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_FALSE(data->has_offence_groups);
  auto r = EstimateCrime(*data, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->periods.size(), 2u);
  EXPECT_EQ(r->periods[0], "Baseline 2025");
  ASSERT_EQ(r->rates.size(), 2u);  // no totals without offence groups
  const CrimeRate& x = FindRate(*r, "Gadehavegård", "Baseline 2025", kAllOffences);
  // 12 reports among 4,500 residents = 12 / 4.5 = 2.6667 per 1,000.
  // Garwood: lower = qchisq(0.025, 2·12)/2 = qchisq(0.025, 24)/2 = 6.20057510872222,
  //          upper = qchisq(0.975, 2·12 + 2)/2 = qchisq(0.975, 26)/2 = 20.961585048177,
  // each divided by 4.5 (thousands of residents): [1.37790557971605, 4.65813001070599].
  ASSERT_TRUE(x.rate && x.ci_lower && x.ci_upper);
  EXPECT_NEAR(*x.rate, 12.0 / 4.5, kTol);
  EXPECT_NEAR(*x.ci_lower, 6.20057510872222 / 4.5, 1e-9);
  EXPECT_NEAR(*x.ci_upper, 20.961585048177 / 4.5, 1e-9);
  EXPECT_NEAR(*x.ci_lower, 1.37790557971605, 1e-9);
  EXPECT_NEAR(*x.ci_upper, 4.65813001070599, 1e-9);
}

// Semicolon file with offence groups: rates per group, the total over the
// groups, and ratios of the later period to the first.
TEST(CrimeTest, OffenceGroupsTotalsAndRateRatios) {
  auto data = ParseCrimeCsv(
      "Area;Period;Offence group;Count;Population\n"
      "A;2024;indbrud;50;2600\n"
      "A;2024;vold;10;2600\n"
      "A;2025;indbrud;30;2300\n"
      "A;2025;vold;12;2300\n",
      "crime.csv");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_TRUE(data->has_offence_groups);
  auto r = EstimateCrime(*data, {});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->rates.size(), 6u);  // 2 periods × (2 groups + total)
  const CrimeRate& total = FindRate(*r, "A", "2025", kAllOffences);
  EXPECT_TRUE(total.total);
  EXPECT_EQ(total.count, 42);
  // 42 reports / 2.3 thousand; interval qchisq(0.025, 84)/2 / 2.3 and qchisq(0.975, 86)/2 / 2.3.
  EXPECT_NEAR(*total.rate, 42 / 2.3, kTol);
  EXPECT_NEAR(*total.ci_lower, 13.1608285793381, 1e-9);
  EXPECT_NEAR(*total.ci_upper, 24.6833907732568, 1e-9);

  // Burglary, 2025 against 2024: θ = (30/2300)/(50/2600) = 0.678260869565217.
  // Given n = 80, x₂ = 30 ~ Bin(80, π), π = θc/(1 + θc), c = 2300/2600.
  // Clopper–Pearson for π: qbeta(0.025, 30, 51) = 0.269193169946805,
  // qbeta(0.975, 31, 50) = 0.490354764407112; θ = π/((1 − π)c):
  // 0.269193169946805 / (0.730806830053195 · 0.884615384615385) = 0.416396385521482,
  // 0.490354764407112 / (0.509645235592888 · 0.884615384615385) = 1.087646941031126.
  // p: binom.test(30, 80, c/(1 + c)) = 0.0939655417538447.
  const CrimeChange& burglary = FindChange(*r, "A", "indbrud");
  EXPECT_EQ(burglary.from_period, "2024");
  EXPECT_EQ(burglary.to_period, "2025");
  EXPECT_EQ(burglary.from_count, 50);
  EXPECT_EQ(burglary.to_count, 30);
  ASSERT_TRUE(burglary.ratio && burglary.ci_lower && burglary.ci_upper && burglary.p);
  EXPECT_NEAR(*burglary.ratio, 0.678260869565217, 1e-12);
  EXPECT_NEAR(*burglary.ci_lower, 0.416396385521482, 1e-9);
  EXPECT_NEAR(*burglary.ci_upper, 1.087646941031126, 1e-9);
  EXPECT_NEAR(*burglary.p, 0.0939655417538447, 1e-9);

  // All offences: poisson.test(c(42, 60), c(2300, 2600)).
  const CrimeChange& all = FindChange(*r, "A", kAllOffences);
  EXPECT_NEAR(*all.ratio, 0.791304347826087, 1e-12);
  EXPECT_NEAR(*all.ci_lower, 0.520379958627234, 1e-9);
  EXPECT_NEAR(*all.ci_upper, 1.193480882772587, 1e-9);
  EXPECT_NEAR(*all.p, 0.275291470200358, 1e-9);

  const std::string json = CrimeToJson(*r);
  EXPECT_NE(json.find("\"offence_group\":\"alle\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"ratio\":0.67826086956521"), std::string::npos) << json;
}

// A period with no reports: the ratio is 0 with a finite upper limit; with no
// reports in the first period the ratio is unbounded (empty, with a note).
TEST(CrimeTest, ZeroCountsNeverGiveNaN) {
  // poisson.test(c(0, 7), c(1, 1)): θ = 0, upper = qbeta(0.975, 1, 7)/(1 − ...)
  // = 0.693813980096453, p = 2 · 0.5⁷ = 0.015625.
  CrimeChange down = PoissonRateRatio(7, 1, 0, 1);
  ASSERT_TRUE(down.ratio && down.ci_lower && down.ci_upper && down.p);
  EXPECT_EQ(*down.ratio, 0);
  EXPECT_EQ(*down.ci_lower, 0);
  EXPECT_NEAR(*down.ci_upper, 0.693813980096453, 1e-9);
  EXPECT_NEAR(*down.p, 0.015625, 1e-12);
  // poisson.test(c(5, 0), c(1, 2)): c = 1/2, lower = qbeta(0.025, 5, 1) = 0.478176249895019,
  // θ = 0.478176249895019 / (0.521823750104981 · 0.5) = 1.83271171463092,
  // p = P(X = 5 | n = 5, π₀ = 1/3) = (1/3)⁵ = 0.00411522633744856.
  CrimeChange up = PoissonRateRatio(0, 2, 5, 1);
  EXPECT_FALSE(up.ratio);
  EXPECT_FALSE(up.ci_upper);
  ASSERT_TRUE(up.ci_lower && up.p);
  EXPECT_NEAR(*up.ci_lower, 1.83271171463092, 1e-9);
  EXPECT_NEAR(*up.p, 0.00411522633744856, 1e-12);
  EXPECT_FALSE(up.note.empty());
  CrimeChange none = PoissonRateRatio(0, 1, 0, 1);
  EXPECT_FALSE(none.ratio || none.ci_lower || none.ci_upper || none.p);
  EXPECT_FALSE(none.note.empty());
}

TEST(CrimeTest, EveryBadCellIsReportedWithLineAndColumn) {
  auto data = ParseCrimeCsv(
      "area,period,count,population\n"
      "A,2024,-3,1000\n"
      "B,2024,x,0\n"
      ",2025,2.5,1000\n"
      "C,2024,4,1000\n",
      "bad.csv");
  ASSERT_FALSE(data.ok());
  const std::string m = data.status().message();
  EXPECT_NE(m.find("5 problem(s)"), std::string::npos) << m;
  EXPECT_NE(m.find("bad.csv:2:3: column \"count\""), std::string::npos) << m;
  EXPECT_NE(m.find("bad.csv:3:3: column \"count\""), std::string::npos) << m;
  EXPECT_NE(m.find("bad.csv:3:4: column \"population\""), std::string::npos) << m;
  EXPECT_NE(m.find("bad.csv:4:1: column \"area\": empty"), std::string::npos) << m;
  EXPECT_NE(m.find("bad.csv:4:3: column \"count\""), std::string::npos) << m;
  EXPECT_EQ(m.find("bad.csv:5:"), std::string::npos) << m;
}

TEST(CrimeTest, MissingColumnsRepeatsAndInconsistentPopulationsAreErrors) {
  auto no_count = ParseCrimeCsv("area,period,population\nA,2024,10\n", "x.csv");
  ASSERT_FALSE(no_count.ok());
  EXPECT_NE(no_count.status().message().find("count"), std::string::npos);

  auto repeat = ParseCrimeCsv("area,period,count,population\nA,2024,1,10\nA,2024,2,10\n", "r.csv");
  ASSERT_FALSE(repeat.ok());
  EXPECT_NE(repeat.status().message().find("r.csv:3: area \"A\", period \"2024\""), std::string::npos)
      << repeat.status().message();

  auto data = ParseCrimeCsv(
      "area,period,offence,count,population\nA,2024,vold,1,100\nA,2024,tyveri,2,120\n", "p.csv");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  auto r = EstimateCrime(*data, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("p.csv:3:"), std::string::npos) << r.status().message();
}

TEST(CrimeTest, AreaOutsideTheStudyIsNotedAndFileIsRead) {
  const auto path = std::filesystem::temp_directory_path() / "tryghed_crime_test.csv";
  {
    std::ofstream f(path);
    f << "area,wave,reports,population\nNordparken,b,3,2600\nNordparkn,b,4,2600\n";
  }
  auto data = ReadCrimeCsv(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  CrimeOptions options;
  options.study_areas = {"Nordparken", "Gadehavegård"};
  auto r = EstimateCrime(*data, options);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->notes.size(), 1u);
  EXPECT_NE(r->notes[0].find("Nordparkn"), std::string::npos);
  EXPECT_TRUE(r->changes.empty());  // one period only
  EXPECT_FALSE(ReadCrimeCsv("/nonexistent/crime.csv").ok());
}

// `tryghed demo` writes its crime CSV beside the database; `tryghed evaluate
// --crime` reads it and puts the rates beside the index in the JSON.
TEST(CrimeCliTest, EvaluateReadsTheDemoCrimeFile) {
  const auto dir = std::filesystem::temp_directory_path() / "tryghed_crime_cli_test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "demo.db").string();
  std::ostringstream out, err;
  ASSERT_EQ(cli::Main({"tryghed", "demo", "--db", db}, out, err), 0) << err.str();
  const std::string crime = db + ".crime.csv";
  ASSERT_TRUE(std::filesystem::exists(crime));
  const std::string json_path = (dir / "r.json").string();
  std::ostringstream out1, err1;
  ASSERT_EQ(cli::Main({"tryghed", "evaluate", "--study", "demo", "--db", db, "--crime", crime, "--first-post-wave",
                       "Opfølgning 2 2026", "--out", json_path},
                      out1, err1),
            0)
      << err1.str();
  auto json = core::ReadFile(json_path);
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"from_period\":\"Baseline 2025\",\"to_period\":\"Opfølgning 2 2026\""), std::string::npos);
  const auto crime_at = json->find("\"crime\":{");
  ASSERT_NE(crime_at, std::string::npos);
  EXPECT_NE(json->find("\"notes\":[]", crime_at), std::string::npos);  // every crime area is a study area
  EXPECT_NE(json->find("\"pre_waves\":[\"Baseline 2025\",\"Opfølgning 1 2025\"]"), std::string::npos);

  // A bad crime file: exit code 2 and one line naming the cell.
  const std::string bad = (dir / "bad.csv").string();
  std::ofstream(bad) << "area,wave,reports,population\nGadehavegård,b,-1,2300\n";
  std::ostringstream out2, err2;
  EXPECT_EQ(cli::Main({"tryghed", "evaluate", "--study", "demo", "--db", db, "--crime", bad}, out2, err2), 2);
  const std::string e = err2.str();
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 1) << e;
  EXPECT_NE(e.find("bad.csv:2:3"), std::string::npos) << e;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tryghed::evaluation
