// Benchmarks of the statistics engine on a national-scale survey (see
// docs/benchmarks.md and tests/bench/run_stats_bench.sh, which also times the
// same work in R's survey package on the same file).
//
// Data: the CSV written by tests/bench/make_data.py, path in the environment
// variable TRYGHED_BENCH_DATA (default /tmp/tryghed-bench/survey.csv).
//
//   BM_DomainMeans   (a) means of 8 items with 95 % t intervals for every
//                    wave x area (200 domains), stratified design with fpc.
//   BM_Rake          (b) the same design raked to three margins (sex, age
//                    band, tenure; margins.csv beside the data).
//   BM_Bootstrap     (c) 500 bootstrap replicates of (a): replicate weights
//                    (seeded), replicate means and t intervals for the 200
//                    domains, on both cores.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "stats/calibration.h"
#include "stats/design.h"
#include "stats/estimators.h"
#include "stats/intervals.h"
#include "stats/replicates.h"

namespace {

using tryghed::stats::Design;
using tryghed::stats::DesignSpec;

struct BenchData {
  DesignSpec spec;
  std::vector<std::int64_t> domain;  // wave x area, 0-based
  std::size_t domain_count = 0;
  std::vector<std::vector<double>> items;  // q1..q8
  std::vector<std::int64_t> sex, age, tenure;
  std::vector<tryghed::stats::Margin> margins;  // sex, age, tenure (0-based levels)
};

// Reads margins.csv (margin,level,N; levels 1-based) beside the data.
std::vector<double> ReadMargin(const std::string& path, const std::string& name) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "benchmark margins not found: " << path << " (run tests/bench/run_stats_bench.sh)\n";
    std::exit(2);
  }
  std::string line;
  std::getline(in, line);
  std::vector<double> population;
  while (std::getline(in, line)) {
    std::istringstream row(line);
    std::string margin, level, count;
    std::getline(row, margin, ',');
    std::getline(row, level, ',');
    std::getline(row, count, ',');
    if (margin != name) continue;
    const auto l = static_cast<std::size_t>(std::stoi(level));
    if (population.size() < l) population.resize(l, 0.0);
    population[l - 1] = std::stod(count);
  }
  return population;
}

// Reads the numeric CSV of make_data.py (fixed columns; empty cell = NaN).
const BenchData& Data() {
  static const BenchData data = [] {
    BenchData d;
    const char* env = std::getenv("TRYGHED_BENCH_DATA");
    const std::string path = env ? env : "/tmp/tryghed-bench/survey.csv";
    std::ifstream in(path);
    if (!in) {
      std::cerr << "benchmark data not found: " << path << " (run tests/bench/run_stats_bench.sh)\n";
      std::exit(2);
    }
    std::string line;
    std::getline(in, line);  // header
    d.items.resize(8);
    std::int64_t max_stratum = 0;
    while (std::getline(in, line)) {
      double cols[16];
      std::size_t c = 0, start = 0;
      for (std::size_t i = 0; i <= line.size() && c < 16; ++i) {
        if (i == line.size() || line[i] == ',') {
          cols[c++] = i == start ? std::nan("") : std::strtod(line.c_str() + start, nullptr);
          start = i + 1;
        }
      }
      const auto stratum = static_cast<std::int64_t>(cols[2]);
      max_stratum = std::max(max_stratum, stratum);
      d.spec.strata.push_back(stratum);
      d.spec.fpc.push_back(cols[3]);
      d.spec.weights.push_back(cols[4]);
      d.domain.push_back(stratum - 1);
      d.sex.push_back(static_cast<std::int64_t>(cols[5]) - 1);
      d.age.push_back(static_cast<std::int64_t>(cols[6]) - 1);
      d.tenure.push_back(static_cast<std::int64_t>(cols[7]) - 1);
      for (int j = 0; j < 8; ++j) d.items[static_cast<std::size_t>(j)].push_back(cols[8 + j]);
    }
    d.domain_count = static_cast<std::size_t>(max_stratum);
    const std::string margins = path.substr(0, path.find_last_of('/') + 1) + "margins.csv";
    d.margins = {{d.sex, ReadMargin(margins, "sex")},
                 {d.age, ReadMargin(margins, "age")},
                 {d.tenure, ReadMargin(margins, "tenure")}};
    return d;
  }();
  return data;
}

// False (and the benchmark skipped with the message) when `r` failed.
template <typename T>
bool Ok(benchmark::State& state, const tryghed::core::Result<T>& r) {
  if (!r.ok()) state.SkipWithError(r.status().ToString().c_str());
  return r.ok();
}

// The domain means of (a) and (c) with 95 % t intervals (df = the design's
// df, as R's confint(df = degf(design))).
template <typename AnyDesign>
bool MeansWithIntervals(benchmark::State& state, const AnyDesign& design) {
  const BenchData& data = Data();
  std::vector<std::span<const double>> vars(data.items.begin(), data.items.end());
  auto m = tryghed::stats::MeanByDomain(design, vars, {data.domain, data.domain_count});
  if (!Ok(state, m)) return false;
  auto q = tryghed::stats::CriticalValue(0.95, m->df);
  if (!Ok(state, q)) return false;
  const auto se = m->StandardErrors();
  double lower_sum = 0;
  for (std::size_t i = 0; i < se.size(); ++i) lower_sum += m->estimate[i] - *q * se[i];
  benchmark::DoNotOptimize(lower_sum);
  state.counters["respondents"] = static_cast<double>(data.spec.weights.size());
  state.counters["estimates"] = static_cast<double>(se.size());
  return true;
}

void BM_DomainMeans(benchmark::State& state) {
  const BenchData& data = Data();  // read before the timing starts
  for (auto _ : state) {
    auto design = Design::Create(data.spec);
    if (!Ok(state, design) || !MeansWithIntervals(state, *design)) return;
  }
}
BENCHMARK(BM_DomainMeans)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_Rake(benchmark::State& state) {
  const BenchData& data = Data();
  for (auto _ : state) {
    auto design = Design::Create(data.spec);
    if (!Ok(state, design)) return;
    auto raked = tryghed::stats::Rake(*design, data.margins, {});
    if (!Ok(state, raked)) return;
    benchmark::DoNotOptimize(raked->weights().data());
  }
  state.counters["respondents"] = static_cast<double>(data.spec.weights.size());
}
BENCHMARK(BM_Rake)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_Bootstrap(benchmark::State& state) {
  tryghed::stats::ReplicateOptions options;
  options.type = tryghed::stats::ReplicateType::kBootstrap;
  options.replicates = static_cast<std::size_t>(state.range(0));
  options.seed = 1;
  const BenchData& data = Data();  // read before the timing starts
  for (auto _ : state) {
    auto design = Design::Create(data.spec);
    if (!Ok(state, design)) return;
    auto rep = tryghed::stats::MakeReplicates(*design, options);
    if (!Ok(state, rep) || !MeansWithIntervals(state, *rep)) return;
  }
}
// Both cores: CPU time of all threads, wall-clock time per iteration.
BENCHMARK(BM_Bootstrap)->Arg(500)->Unit(benchmark::kMillisecond)->MinTime(2.0)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
