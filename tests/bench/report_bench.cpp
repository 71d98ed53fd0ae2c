// The HTML report of a synthetic evaluation result with 10 waves × 20 areas
// (RenderReportFromJson: parsing the JSON and rendering every section and
// chart). Target: under 1 second (docs/benchmarks.md). The PDF is timed
// apart (docs/report.md): Chromium's start-up and layout dominate it.
#include <benchmark/benchmark.h>

#include <string>

#include "evaluation/result.h"
#include "report/report.h"

namespace {

using tryghed::evaluation::Cell;
using tryghed::evaluation::Change;
using tryghed::evaluation::Estimate;
using tryghed::evaluation::EvaluationResult;
using tryghed::evaluation::IndicatorKind;

// 10 waves × 20 areas (2 pilot), 13 indicators per cell, 5 scored items of
// 5 categories, 2 background variables of 4 levels, 2 population margins of 5
// levels, a place item of 8 places, every change against the baseline and
// the previous wave, and DiD per wave; a kiosk series in every second area.
EvaluationResult Synthetic() {
  EvaluationResult r;
  r.study = "benchmark";
  for (int w = 0; w < 10; ++w) r.waves.push_back("Måling " + std::to_string(w + 1));
  for (int a = 0; a < 20; ++a) r.areas.push_back("Område " + std::to_string(a + 1));
  const char* ids[] = {"tryghedsindeks", "tryghed", "problemfrihed", "tillid", "naboskab", "tryg", "hverken",
                       "utryg", "utryg_efter_moerke", "hoej_problembelastning", "tillid_til_politiet", "anmeldt",
                       "udsat"};
  for (int w = 0; w < 10; ++w) {
    for (int a = 0; a < 20; ++a) {
      Cell c;
      c.wave = r.waves[w];
      c.area = r.areas[a];
      c.role = a < 2 ? "pilot" : "comparison";
      c.series = "invited";
      c.respondents = 250 + 7 * a + 3 * w;
      for (int i = 0; i < 13; ++i) {
        Estimate e;
        e.id = ids[i];
        e.label = std::string("Indikator ") + ids[i];
        e.kind = i == 0 ? IndicatorKind::kOverall
                        : (i < 5 ? IndicatorKind::kSubIndex : (i < 12 ? IndicatorKind::kShare : IndicatorKind::kPrevalence));
        const double x = i < 5 ? 50.0 + a * 0.5 + w * 0.7 + i : 0.1 + 0.01 * ((a + w + i) % 30);
        e.estimate = x;
        e.se = i < 5 ? 1.6 : 0.02;
        e.ci_lower = x - 1.96 * *e.se;
        e.ci_upper = x + 1.96 * *e.se;
        e.df = c.respondents - 1.0;
        e.n = c.respondents;
        e.effective_n = c.respondents * 0.9;
        c.estimates.push_back(e);
      }
      for (int item = 0; item < 5; ++item) {
        tryghed::evaluation::ItemDistribution d;
        d.item = "T" + std::to_string(item + 1);
        d.text = "Spørgsmål " + std::to_string(item + 1);
        d.answered = c.respondents;
        for (int k = 1; k <= 5; ++k) d.categories.push_back({k, "Svar " + std::to_string(k), false, 50, 0.2});
        c.distributions.push_back(d);
      }
      for (const char* variable : {"sex", "age_band"}) {
        tryghed::evaluation::GroupVariable g;
        g.variable = variable;
        g.label = variable;
        for (int l = 0; l < 4; ++l) {
          tryghed::evaluation::Group level;
          level.code = l + 1;
          level.label = "Niveau " + std::to_string(l + 1);
          level.respondents = l == 3 ? 3 : 60;
          level.suppressed = l == 3;
          level.suppression = l == 3 ? "primary: 3 respondents, fewer than 5" : "";
          if (!level.suppressed) level.estimates.push_back(c.estimates[0]);
          g.levels.push_back(level);
        }
        c.groups.push_back(g);
      }
      for (const char* margin : {"sex", "age_band"}) {
        for (int l = 0; l < 5; ++l) {
          tryghed::evaluation::MarginShare m;
          m.margin = margin;
          m.level = std::to_string(l + 1);
          m.label = "Niveau " + m.level;
          m.population = 200;
          m.population_share = 0.2;
          if (l < 4) {
            m.sample = 50;
            m.sample_share = 0.19;
          } else {
            m.suppressed = true;
            m.suppression = "primary: fewer than 5 respondents in the level";
          }
          m.weighted_share = 0.2;
          c.margins.push_back(m);
        }
      }
      tryghed::evaluation::PlaceShares places;
      places.item = "S2";
      places.text = "Hvor føler du dig utryg?";
      places.base = c.respondents - 20;
      for (int k = 1; k <= 8; ++k) {
        Estimate e = c.estimates[5];
        e.id = std::to_string(k);
        e.label = "Sted " + e.id;
        places.places.push_back(e);
      }
      c.places.push_back(places);
      r.cells.push_back(c);
      if (a % 2 == 0) {
        Cell kiosk = c;
        kiosk.series = "kiosk";
        kiosk.respondents = 40;
        kiosk.margins.clear();
        kiosk.places.clear();
        r.cells.push_back(kiosk);
      }
    }
  }
  for (int a = 0; a < 20; ++a) {
    for (int i = 0; i < 13; ++i) {
      for (int w = 1; w < 10; ++w) {
        for (const char* comparison : {"baseline", "previous"}) {
          if (w == 1 && std::string(comparison) == "previous") continue;
          Change ch;
          ch.series = "invited";
          ch.area = r.areas[a];
          ch.indicator = ids[i];
          ch.comparison = comparison;
          ch.from_wave = std::string(comparison) == "baseline" ? r.waves[0] : r.waves[w - 1];
          ch.to_wave = r.waves[w];
          ch.difference = 1.5;
          ch.ci_lower = -1.0;
          ch.ci_upper = 4.0;
          ch.p = 0.2;
          ch.p_adjusted = 0.6;
          ch.mdd = 5.0;
          ch.verdict = "ikke statistisk signifikant";
          r.changes.push_back(ch);
        }
      }
    }
  }
  for (int w = 1; w < 10; ++w) {
    tryghed::evaluation::DiD d;
    d.series = "invited";
    d.indicator = "tryghedsindeks";
    d.baseline_wave = r.waves[0];
    d.wave = r.waves[w];
    d.estimate = 2.0;
    d.ci_lower = -1.0;
    d.ci_upper = 5.0;
    d.p = 0.2;
    r.did.push_back(d);
  }
  return r;
}

void BM_ReportHtml_10Waves20Areas(benchmark::State& state) {
  const std::string json = tryghed::evaluation::ToJson(Synthetic());
  std::size_t bytes = 0;
  for (auto _ : state) {
    tryghed::core::Result<std::string> html = tryghed::report::RenderReportFromJson(json, "synthetic", {});
    if (!html.ok()) {
      state.SkipWithError(html.status().ToString().c_str());
      break;
    }
    bytes = html->size();
    benchmark::DoNotOptimize(html);
  }
  state.counters["json_MB"] = static_cast<double>(json.size()) / 1e6;
  state.counters["html_MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_ReportHtml_10Waves20Areas)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
