#!/usr/bin/env bash
# Builds the fuzz preset and runs libFuzzer targets (tests/fuzz/*_fuzzer.cpp).
# Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
#   SECONDS  run time of each target (default 45); tests/fuzz/run.sh 3600 is the long run
#   TARGET   questionnaire, csv, form, import, stats, answers (default: all)
# Each target starts from a copy of its seed corpus (tests/fuzz/corpus/NAME,
# never modified) in a temporary folder, with its dictionary NAME.dict when
# there is one, -rss_limit_mb=2048 and -timeout=60 (a unit slower than a
# minute counts as a hang). FUZZ_JOBS targets run at once (default: the number
# of processors). Crash inputs are kept in build/fuzz/fuzz/artifacts/NAME/;
# the script prints their paths and exits 1 when any target failed. The last
# line of each target's summary gives libFuzzer's final figures: executions,
# cov (edges) and ft (features) of the final corpus.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
seconds=${1:-45}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(questionnaire csv form import stats answers); fi
if ! [[ $seconds =~ ^[0-9]+$ ]]; then
  echo "usage: tests/fuzz/run.sh [SECONDS] [TARGET...]" >&2
  exit 2
fi

export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake --preset fuzz >/dev/null
build_targets=()
for t in "${targets[@]}"; do build_targets+=("${t}_fuzzer"); done
cmake --build --preset fuzz -j"$(nproc)" --target "${build_targets[@]}"

bin=$root/build/fuzz/fuzz
work=$(mktemp -d "${TMPDIR:-/tmp}/tryghed-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$root/tests/sanitizer/lsan.supp"

run_one() {
  local t=$1
  local corpus=$work/corpus-$t artifacts=$bin/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  cp -R "$root/tests/fuzz/corpus/$t/." "$corpus/"
  local args=("$corpus" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=60 -print_final_stats=1
              -artifact_prefix="$artifacts/")
  if [[ -f $root/tests/fuzz/$t.dict ]]; then args+=(-dict="$root/tests/fuzz/$t.dict"); fi
  # libFuzzer ends a timed run with _Exit, so a target's own temporary files
  # (the stats target's CSV folder) go into $work, which the trap removes.
  TMPDIR="$work" "$bin/${t}_fuzzer" "${args[@]}" >"$work/$t.log" 2>&1
}

declare -A pid_of=()
jobs_max=${FUZZ_JOBS:-$(nproc)}
failed=()
finish() {
  local t=$1 rc=0
  wait "${pid_of[$t]}" || rc=$?
  unset "pid_of[$t]"
  local log=$work/$t.log
  local done_line execs
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$log" | tail -1)
  echo "== fuzz $t: ${seconds}s, ${execs:-?} executions; ${done_line:-no final line}" >&2
  if ((rc != 0)); then
    failed+=("$t")
    grep -E 'ERROR|invariant broken|SUMMARY|deadly signal|timeout' "$log" | head -20 >&2 || true
    local crash
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    echo "== fuzz $t FAILED (exit $rc); crash input: ${crash:-see the log}" >&2
    mkdir -p "$bin/logs" && cp "$log" "$bin/logs/$t.log"
    echo "   full log: $bin/logs/$t.log; reproduce: $bin/${t}_fuzzer ${crash:-INPUT}" >&2
  fi
}

for t in "${targets[@]}"; do
  while ((${#pid_of[@]} >= jobs_max)); do
    # Wait for the oldest running target.
    for running in "${!pid_of[@]}"; do finish "$running"; break; done
  done
  echo "== fuzz $t: running for ${seconds}s" >&2
  run_one "$t" &
  pid_of[$t]=$!
done
for running in "${!pid_of[@]}"; do finish "$running"; done

if ((${#failed[@]} > 0)); then
  echo "== fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
echo "== fuzz: ${#targets[@]} target(s), no crash" >&2
