#!/usr/bin/env bash
# Runs the statistics benchmarks and the same work in R survey on the same
# data, one after the other on this machine, and prints both with peak memory.
# Usage: tests/bench/run_stats_bench.sh [ROWS]     (default 1000000)
# Environment:
#   TRYGHED_BENCH_BUILD      build folder with tests/bench/stats_bench (default build/bench)
#   TRYGHED_BENCH_BOOT_ROWS  rows for the bootstrap comparison (c) (default 100000):
#                            R's svyby over 500 replicate columns takes about 8
#                            minutes at 100,000 rows and would take over an hour
#                            (and ~20 GB) at 1,000,000, so (c) is compared on a
#                            separate 100,000-row sample of the same design;
#                            tryghed's (c) at ROWS is printed as well.
#   TRYGHED_BENCH_SKIP_R     set to skip the R runs
# Needs: the bench build (cmake --preset bench && cmake --build --preset bench),
#        R for the comparison (apt-get install r-base-core r-cran-survey time).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
boot_rows=${TRYGHED_BENCH_BOOT_ROWS:-100000}
bench=${TRYGHED_BENCH_BUILD:-build/bench}/tests/bench/stats_bench
make_data() {  # ROWS FOLDER
  if [[ ! -f $2/survey.csv || ! -f $2/margins.csv || $(($(wc -l < "$2/survey.csv") - 1)) -ne $1 ]]; then
    python3 tests/bench/make_data.py --rows "$1" --out "$2"
  fi
}
data=/tmp/tryghed-bench
boot_data=/tmp/tryghed-bench-$boot_rows
make_data "$rows" "$data"
make_data "$boot_rows" "$boot_data"
peak() { /usr/bin/time -f "peak RSS %M KB, %e s elapsed, %U s user, %S s system" "$@"; }
echo "== tryghed (Google Benchmark), $rows rows"
TRYGHED_BENCH_DATA=$data/survey.csv peak "$bench" --benchmark_counters_tabular=true
echo "== tryghed, one run of each case (peak memory per case), $rows rows"
for case in DomainMeans Rake Bootstrap; do
  echo "-- $case"
  TRYGHED_BENCH_DATA=$data/survey.csv peak "$bench" --benchmark_filter="BM_$case" --benchmark_min_time=0.01 \
    2>&1 | grep -E "^BM_|peak RSS"
done
echo "-- Bootstrap, $boot_rows rows"
TRYGHED_BENCH_DATA=$boot_data/survey.csv peak "$bench" --benchmark_filter=BM_Bootstrap --benchmark_min_time=0.01 \
  2>&1 | grep -E "^BM_|peak RSS"
if [[ -n ${TRYGHED_BENCH_SKIP_R:-} ]]; then exit 0; fi
if command -v Rscript >/dev/null; then
  for work in domain_means rake; do
    echo "== R survey: $work, $rows rows"
    peak Rscript tests/bench/r_bench.R "$data/survey.csv" "$data/margins.csv" "$work" || true
  done
  echo "== R survey: bootstrap, $boot_rows rows"
  peak Rscript tests/bench/r_bench.R "$boot_data/survey.csv" "$boot_data/margins.csv" bootstrap || true
else
  echo "R not installed: apt-get install r-base-core r-cran-survey" >&2
fi
