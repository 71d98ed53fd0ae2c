// National-scale evaluation benchmark (docs/benchmarks.md, "Evaluation"):
// Evaluate() on a study of 50 areas (5 pilot, 45 comparison), 10 waves and
// 100,000 invited respondents per wave (1,000,000 in all), each with sex and
// age band, the overall index, four sub-indices, two shares, a prevalence
// and 16 scored items; every area has sex and age-band margins, so the
// invited series is raked. The target is under 2 seconds per evaluation.
//
// Run (release build):  evaluation_bench --benchmark_repetitions=3
// Options: --benchmark_filter=Small runs a 10,000-per-wave version;
// NationalUnweighted the national study without raking.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "evaluation/dataset.h"
#include "evaluation/evaluate.h"

namespace tryghed::evaluation {
namespace {

constexpr double kAgeShare[] = {0.05, 0.14, 0.19, 0.17, 0.15, 0.12, 0.11, 0.07};

StudyData MakeStudy(std::size_t per_wave, std::size_t waves, std::size_t areas) {
  std::mt19937_64 rng(2026);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  StudyData d;
  d.study = "national";
  const std::int64_t population = static_cast<std::int64_t>(per_wave / areas) * 8;
  for (std::size_t a = 0; a < areas; ++a) {
    d.areas.push_back({"area " + std::to_string(a + 1), a < 5 ? store::AreaRole::kPilot : store::AreaRole::kComparison,
                       population});
  }
  std::vector<store::Margin> margins;
  const std::int64_t women = population * 51 / 100;
  margins.push_back({"sex", "1", population - women});
  margins.push_back({"sex", "2", women});
  std::int64_t assigned = 0;
  for (int b = 0; b < 8; ++b) {
    const std::int64_t n = b == 7 ? population - assigned
                                  : static_cast<std::int64_t>(std::llround(static_cast<double>(population) * kAgeShare[b]));
    assigned += n;
    margins.push_back({"age_band", std::to_string(b + 1), n});
  }
  for (std::size_t w = 0; w < waves; ++w) {
    d.waves.push_back({"wave " + std::to_string(w + 1), std::vector<std::vector<store::Margin>>(areas, margins)});
  }
  d.indicators = {{"tryghedsindeks", "Tryghedsindeks", IndicatorKind::kOverall},
                  {"tryghed", "Tryghed", IndicatorKind::kSubIndex},
                  {"problemfrihed", "Problemfrihed", IndicatorKind::kSubIndex},
                  {"tillid", "Tillid", IndicatorKind::kSubIndex},
                  {"sammenhold", "Sammenhold", IndicatorKind::kSubIndex},
                  {"utryg", "Utryg", IndicatorKind::kShare},
                  {"tryg", "Tryg", IndicatorKind::kShare},
                  {"udsat", "Udsat for kriminalitet", IndicatorKind::kPrevalence}};
  for (int j = 1; j <= 16; ++j) d.items.push_back("T" + std::to_string(j));
  d.respondents.reserve(per_wave * waves);
  for (std::size_t w = 0; w < waves; ++w) {
    for (std::size_t i = 0; i < per_wave; ++i) {
      Respondent r;
      r.wave = w;
      r.area = i % areas;
      r.background["sex"] = uniform(rng) < 0.55 ? 2 : 1;
      double u = uniform(rng), acc = 0;
      core::Code age = 8;
      for (int b = 0; b < 8; ++b) {
        acc += kAgeShare[b];
        if (u < acc) {
          age = b + 1;
          break;
        }
      }
      r.background["age_band"] = age;
      const double latent = normal(rng) + (r.area < 5 && w >= 2 ? 0.2 : 0.0);
      auto score = [&](double shift) {
        return std::optional<double>(100 / (1 + std::exp(-(latent + shift + 0.5 * normal(rng)))));
      };
      r.values = {score(0.3), score(0.9), score(0.5), score(0.6), score(0.3),
                  latent < -1.6 ? 1.0 : 0.0, latent > 0.5 ? 1.0 : 0.0, uniform(rng) < 0.1 ? 1.0 : 0.0};
      if (uniform(rng) < 0.03) r.values[3].reset();
      for (int j = 0; j < 16; ++j) {
        r.items.push_back(uniform(rng) < 0.02 ? std::nullopt : std::optional<double>(std::floor(uniform(rng) * 5) * 25));
      }
      d.respondents.push_back(std::move(r));
    }
  }
  return d;
}

void Run(benchmark::State& state, const StudyData& data, bool weighted = true) {
  EvaluationOptions options;
  options.weighted = weighted;
  for (auto _ : state) {
    auto r = Evaluate(data, options);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(r->cells.size());
  }
  state.counters["respondents"] = static_cast<double>(data.respondents.size());
}

void BM_EvaluateNational(benchmark::State& state) {
  static const StudyData data = MakeStudy(100000, 10, 50);
  Run(state, data);
}
BENCHMARK(BM_EvaluateNational)->Unit(benchmark::kMillisecond)->Iterations(1)->MeasureProcessCPUTime()->UseRealTime();

// The same study without raking (--unweighted): the design is not
// calibrated, so the variances take the streaming path of MeanByDomain.
void BM_EvaluateNationalUnweighted(benchmark::State& state) {
  static const StudyData data = MakeStudy(100000, 10, 50);
  Run(state, data, false);
}
BENCHMARK(BM_EvaluateNationalUnweighted)->Unit(benchmark::kMillisecond)->Iterations(1)->MeasureProcessCPUTime()->UseRealTime();

void BM_EvaluateSmall(benchmark::State& state) {
  static const StudyData data = MakeStudy(10000, 10, 50);
  Run(state, data);
}
BENCHMARK(BM_EvaluateSmall)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace
}  // namespace tryghed::evaluation

BENCHMARK_MAIN();
