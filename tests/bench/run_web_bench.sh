#!/usr/bin/env bash
# The resident form's web benchmark (docs/benchmarks.md, "Resident form"):
# wrk against (a) the form page of `tryghed serve` and the same page saved as
# a static file served by nginx, in the same run, and (b) durable submissions
# on SQLite (group commit). With BASELINE, an older build is measured the same
# way in the same run (before/after on a shared, noisy machine).
# Usage: tests/bench/run_web_bench.sh [PATH/TO/tryghed]    (default build/release/tryghed)
#   BASELINE=PATH    also measure this tryghed (e.g. a build of main), on its own copy of the database
#   DURATION=10s     each wrk run for the pages
#   CONNECTIONS=64   wrk connections (the issue's goal is stated at 64)
#   THREADS=2        wrk threads
#   FORMS=20000      filled-in forms made for each submission run (each submitted once)
#   SUBMIT_DURATION=3s  the wrk run of submissions (FORMS must outlast it)
#   SERVER_THREADS=64  tryghed's server.threads (Poco keeps a thread per kept-alive connection)
#   DEMO_DB=FILE     copy this demo database (made by `tryghed demo`) instead of making one
#   PERF=1           also profile tryghed with perf during the wrk runs
# Needs wrk, nginx, curl and python3 (Debian packages wrk, nginx-light, curl, python3).
set -euo pipefail
cd "$(dirname "$0")/../.."
tryghed=$(realpath "${1:-build/release/tryghed}")
baseline=${BASELINE:+$(realpath "$BASELINE")}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
forms=${FORMS:-20000}
server_threads=${SERVER_THREADS:-64}
here=tests/bench/web
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "run_web_bench.sh: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d)
serve_pids=()
nginx_pid=
cleanup() {
  for pid in "${serve_pids[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  [[ -n $nginx_pid ]] && kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# count_responses NAME: responses in NAME's database.
count_responses() {
  "$tryghed" export --db "$work/$1.db" --study demo --format csv --out "$work/count.csv" >/dev/null
  echo $(($(wc -l <"$work/count.csv") - 1))
}
# wrk's summary as "requests/s p50 p99 requests duration non-2xx/3xx" (latencies in ms).
wrk_figures() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; return v * 1000 }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1; d = $4; sub(/,$/, "", d) }
    /Non-2xx or 3xx/ { bad = $5 }
    END { printf "%.0f %.2f %.2f %s %s %d\n", rps, p50, p99, n, d, bad }'
}
# PERF=1: where tryghed (pid $2) spends its time during a wrk run (top symbols).
perf_start() {
  perf_pid=
  if [[ ${PERF:-0} == 1 ]] && command -v perf >/dev/null; then
    perf record -F 499 -g -p "$2" -o "$work/perf.data" -- sleep "$1" >/dev/null 2>&1 &
    perf_pid=$!
  fi
}
perf_show() {
  [[ -n $perf_pid ]] || return 0
  wait "$perf_pid" || true
  echo "== perf: tryghed during $1 (self time, top 25)"
  { perf report -i "$work/perf.data" --stdio --no-children --sort dso,symbol -g none 2>/dev/null |
      grep -E '^ +[0-9.]+%' | sed -E 's/ +$//; s/ {2,}/  /g' | head -25; } || true
}

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (before)"
chmod 755 "$work"  # nginx's workers run as another user
echo "== demo database"
if [[ -n ${DEMO_DB:-} ]]; then
  cp "$DEMO_DB" "$work/demo.db"
else
  "$tryghed" demo --db "$work/demo.db" >/dev/null
fi
cat >"$work/serve.properties" <<PROPS
rate_limit.per_minute = 0
server.max_connections_per_client = 0
server.threads = $server_threads
form.max_forms = $((forms + 1000))
PROPS

# start_server NAME BINARY: serves a copy of the demo database; sets pid_NAME,
# base_NAME (http://host:port) and open_NAME (the open link).
start_server() {
  cp "$work/demo.db" "$work/$1.db"
  "$2" serve --db "$work/$1.db" --config "$work/serve.properties" --port 0 --study demo --print-links 1 \
    >"$work/$1.out" 2>&1 &
  serve_pids+=($!)
  printf -v "pid_$1" '%s' "$!"
  for _ in $(seq 300); do grep -q 'admin: ' "$work/$1.out" && break; sleep 0.1; done
  printf -v "base_$1" '%s' "$(sed -n 's/.* on \(http:[^ ]*\) .*/\1/p' "$work/$1.out")"
  printf -v "open_$1" '%s' "$(sed -n 's/.*open link: //p' "$work/$1.out")"
  local b="base_$1" o="open_$1"
  [[ -n ${!b} && -n ${!o} ]] || { cat "$work/$1.out" >&2; exit 1; }
}

names=(new)
start_server new "$tryghed"
if [[ -n $baseline ]]; then
  names+=(baseline)
  start_server baseline "$baseline"
fi

# (a) The form page: the first page of one open-link form instance
# (/o/<code>/<key>). It is rendered per request from the instance in memory
# and sent with Cache-Control: no-store, so no cache can answer it.
declare -A page_url
for name in "${names[@]}"; do
  o="open_$name"
  page_url[$name]=$(curl -s -o /dev/null -w '%{redirect_url}' "${!o}")
done
mkdir -p "$work/www" "$work/tmp"
curl -s -o "$work/www/form.html" "${page_url[new]}"
grep -q 'name="csrf"' "$work/www/form.html" || { echo "no form page at ${page_url[new]}" >&2; exit 1; }
nginx_port=$(free_port)
sed -e "s|@PREFIX@|$work|g" -e "s|@PORT@|$nginx_port|g" "$here/nginx.conf.in" >"$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" 2>"$work/nginx.err" &
nginx_pid=$!
for _ in $(seq 300); do curl -sf -o "$work/nginx.html" "http://127.0.0.1:$nginx_port/form.html" && break; sleep 0.1; done
cmp -s "$work/www/form.html" "$work/nginx.html" || { echo "nginx does not serve the page:" >&2; cat "$work/nginx.err" >&2; exit 1; }

echo "== (a) form page ($(wc -c <"$work/www/form.html") bytes), wrk -t$threads -c$connections -d$duration"
wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://127.0.0.1:$nginx_port/form.html" >"$work/nginx.wrk"
read -r nginx_rps nginx_p50 nginx_p99 _ _ nginx_bad < <(wrk_figures <"$work/nginx.wrk")
declare -A page_rps page_p50 page_p99 page_bad
for name in "${names[@]}"; do
  p="pid_$name"
  perf_start 3 "${!p}"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "${page_url[$name]}" >"$work/page-$name.wrk"
  read -r page_rps[$name] page_p50[$name] page_p99[$name] _ _ page_bad[$name] < <(wrk_figures <"$work/page-$name.wrk")
  perf_show "the form page ($name)"
done
kill -TERM "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=

# (b) Durable submissions: FORMS instances filled in page by page (prefill.py,
# not timed), then each submitted once by wrk (web/submit.lua). The figure is
# the number of new responses in the database divided by wrk's run time; if
# every form was used before the end, the rate is a lower bound (said below).
declare -A sub_rate sub_p50 sub_p99 sub_n sub_stored sub_seconds sub_bad
for name in "${names[@]}"; do
  b="base_$name" o="open_$name" p="pid_$name"
  echo "== (b) submissions ($name): filling in $forms forms (not timed)"
  prefill_start=$SECONDS
  python3 "$here/prefill.py" 127.0.0.1 "${!b##*:}" "${!o#"${!b}"}" "$forms" 4 >"$work/forms-$name.txt"
  echo "   filled in $forms forms in $((SECONDS - prefill_start)) s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  before=$(count_responses "$name")
  perf_start 2 "${!p}"
  FORMS_FILE="$work/forms-$name.txt" WRK_THREADS=$threads \
    wrk -t"$threads" -c"$connections" -d"${SUBMIT_DURATION:-3s}" --latency -s "$here/submit.lua" "${!b}" \
    >"$work/submit-$name.wrk" 2>&1
  read -r _ sub_p50[$name] sub_p99[$name] sub_n[$name] took sub_bad[$name] < <(wrk_figures <"$work/submit-$name.wrk")
  after=$(count_responses "$name")
  perf_show "the submissions ($name)"
  sub_stored[$name]=$((after - before))
  sub_seconds[$name]=$(awk -v d="$took" 'BEGIN { if (d ~ /ms$/) print d / 1000; else if (d ~ /m$/) print d * 60; else print d + 0 }')
  sub_rate[$name]=$(awk -v n="${sub_stored[$name]}" -v s="${sub_seconds[$name]}" 'BEGIN { printf "%.0f", n / s }')
done

echo
echo "| what (wrk -t$threads -c$connections) | requests/s | p50 ms | p99 ms | errors |"
echo "| --- | ---: | ---: | ---: | ---: |"
echo "| nginx, the form page as a static file | $nginx_rps | $nginx_p50 | $nginx_p99 | $nginx_bad |"
for name in "${names[@]}"; do
  pct=$(awk -v a="${page_rps[$name]}" -v b="$nginx_rps" 'BEGIN { printf "%.0f", 100 * a / b }')
  echo "| tryghed serve ($name), GET /o/<code>/<key> | ${page_rps[$name]} ($pct % of nginx) | ${page_p50[$name]} | ${page_p99[$name]} | ${page_bad[$name]} |"
done
for name in "${names[@]}"; do
  echo "| tryghed serve ($name), POST submit (SQLite) | ${sub_rate[$name]} stored/s | ${sub_p50[$name]} | ${sub_p99[$name]} | ${sub_bad[$name]} |"
done
echo
for name in "${names[@]}"; do
  echo "$name: form page $(awk -v a="${page_rps[$name]}" -v b="$nginx_rps" 'BEGIN { printf "%.0f", 100 * a / b }') % of nginx (goal >= 50 %);" \
    "submissions ${sub_stored[$name]} stored of $forms forms in ${sub_seconds[$name]} s = ${sub_rate[$name]}/s (goal >= 5000/s);" \
    "wrk sent ${sub_n[$name]} requests"
  if ((sub_stored[$name] >= forms)); then
    echo "  every form was used before wrk stopped: the rate is at least this; raise FORMS (latencies include re-sends)"
  fi
done
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (after)"
