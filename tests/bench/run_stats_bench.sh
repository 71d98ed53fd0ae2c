#!/usr/bin/env bash
# Runs the statistics benchmarks and the same work in R survey on the same
# data, one after the other on this machine, and prints both with peak memory.
# Usage: tests/bench/run_stats_bench.sh [ROWS]     (default 1000000)
# Needs: the bench build (cmake --preset bench && cmake --build --preset bench),
#        R for the comparison (apt-get install r-base-core r-cran-survey time).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
data=/tmp/tryghed-bench
if [[ ! -f $data/survey.csv || $(($(wc -l < $data/survey.csv) - 1)) -ne $rows ]]; then
  python3 tests/bench/make_data.py --rows "$rows" --out "$data"
fi
export TRYGHED_BENCH_DATA=$data/survey.csv
echo "== tryghed (Google Benchmark)"
/usr/bin/time -f "peak RSS %M KB" build/bench/tests/bench/stats_bench --benchmark_counters_tabular=true
if command -v Rscript >/dev/null; then
  for work in domain_means rake bootstrap; do
    echo "== R survey: $work"
    /usr/bin/time -f "peak RSS %M KB" Rscript tests/bench/r_bench.R "$data/survey.csv" "$data/margins.csv" "$work" || true
  done
else
  echo "R not installed: apt-get install r-base-core r-cran-survey" >&2
fi
