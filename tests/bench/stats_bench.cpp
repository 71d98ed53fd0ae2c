// Benchmarks of the statistics engine on a national-scale survey (see
// docs/benchmarks.md and tests/bench/run_stats_bench.sh, which also times the
// same work in R's survey package on the same file).
//
// Data: the CSV written by tests/bench/make_data.py, path in the environment
// variable TRYGHED_BENCH_DATA (default /tmp/tryghed-bench/survey.csv).
//
//   BM_DomainMeans   (a) means of 8 items with 95 % t intervals for every
//                    wave x area (200 domains), stratified design with fpc.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "stats/design.h"
#include "stats/estimators.h"

namespace {

using tryghed::stats::Design;
using tryghed::stats::DesignSpec;

struct BenchData {
  DesignSpec spec;
  std::vector<std::int64_t> domain;  // wave x area, 0-based
  std::size_t domain_count = 0;
  std::vector<std::vector<double>> items;  // q1..q8
  std::vector<std::int64_t> sex, age, tenure;
};

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
    return d;
  }();
  return data;
}

void BM_DomainMeans(benchmark::State& state) {
  const BenchData& data = Data();
  for (auto _ : state) {
    auto design = Design::Create(data.spec);
    if (!design.ok()) {
      state.SkipWithError(design.status().ToString().c_str());
      return;
    }
    std::vector<std::span<const double>> vars(data.items.begin(), data.items.end());
    auto m = tryghed::stats::MeanByDomain(*design, vars, {data.domain, data.domain_count});
    if (!m.ok()) {
      state.SkipWithError(m.status().ToString().c_str());
      return;
    }
    // 95 % t intervals (df = design df, large here, so ~1.96).
    const auto se = m->StandardErrors();
    double lower_sum = 0;
    for (std::size_t i = 0; i < se.size(); ++i) lower_sum += m->estimate[i] - 1.96 * se[i];
    benchmark::DoNotOptimize(lower_sum);
  }
  state.counters["respondents"] = static_cast<double>(data.spec.weights.size());
  state.counters["estimates"] = static_cast<double>(data.domain_count * 8);
}
BENCHMARK(BM_DomainMeans)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
