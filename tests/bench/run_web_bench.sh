#!/usr/bin/env bash
# The resident form's web benchmark (docs/benchmarks.md, "Resident form"):
# wrk against (a) the form page of `tryghed serve` and the same page saved as
# a static file served by nginx, in the same run, and (b) durable submissions
# on SQLite (group commit) or PostgreSQL, at each number of connections asked.
# Usage: tests/bench/run_web_bench.sh [PATH/TO/tryghed]    (default build/release/tryghed)
#   DURATION=10s     each wrk run for the pages
#   CONNECTIONS=64   wrk connections, or a list run one after the other ("64 512")
#   THREADS=2        wrk threads
#   FORMS=20000      filled-in forms made for each submission run (each submitted once)
#   SUBMIT_DURATION=3s  the wrk run of submissions (FORMS must outlast it)
#   SERVER_THREADS   tryghed's server.threads (Poco keeps a thread per kept-alive
#                    connection); default the largest of CONNECTIONS, at least 64
#   BACKEND=sqlite   or postgres: a fresh database on the server of $TRYGHED_TEST_PG
#                    (run under tests/scripts/with-postgres.sh), dropped afterwards
#   DEMO_DB=FILE     (SQLite) copy this demo database (made by `tryghed demo`) instead of making one
#   PERF=1           also profile tryghed with perf during the form-page run
# wrk waits up to 30 s for an answer (its default of 2 s would drop the slowest
# submissions at 512 connections from the latencies and count them as errors).
# Needs wrk, nginx, curl and python3 (Debian packages wrk, nginx-light, curl, python3).
# Example: CONNECTIONS="64 512" BACKEND=postgres tests/scripts/with-postgres.sh tests/bench/run_web_bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tryghed=$(realpath "${1:-build/release/tryghed}")
duration=${DURATION:-10s}
read -r -a connection_list <<<"${CONNECTIONS:-64}"
threads=${THREADS:-2}
forms=${FORMS:-20000}
most=64
for c in "${connection_list[@]}"; do ((c > most)) && most=$c; done
server_threads=${SERVER_THREADS:-$most}
backend=${BACKEND:-sqlite}
here=tests/bench/web
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "run_web_bench.sh: $tool is missing" >&2; exit 2; }
done
case $backend in
  sqlite) ;;
  postgres)
    [[ -n ${TRYGHED_TEST_PG:-} ]] || { echo "run_web_bench.sh: BACKEND=postgres needs \$TRYGHED_TEST_PG (tests/scripts/with-postgres.sh)" >&2; exit 2; } ;;
  *) echo "run_web_bench.sh: BACKEND is sqlite or postgres, not '$backend'" >&2; exit 2 ;;
esac
# Each connection is a file descriptor in wrk, in tryghed and twice in nginx.
if (($(ulimit -n) < 4 * most + 256)); then
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  (($(ulimit -n) >= 4 * most + 256)) || { echo "run_web_bench.sh: ulimit -n is $(ulimit -n); $((4 * most + 256)) file descriptors needed" >&2; exit 2; }
fi

work=$(mktemp -d)
serve_pid=
nginx_pid=
pg_name=
cleanup() {
  [[ -n $serve_pid ]] && kill -TERM "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  [[ -n $nginx_pid ]] && kill -TERM "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  [[ -n $pg_name ]] && psql -X -q "$TRYGHED_TEST_PG" -c "DROP DATABASE IF EXISTS $pg_name WITH (FORCE)" || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
count_responses() {
  "$tryghed" export --db "$db" --study demo --format csv --out "$work/count.csv" >/dev/null
  echo $(($(wc -l <"$work/count.csv") - 1))
}
load_average() { cut -d' ' -f1 /proc/loadavg; }
# wrk's summary as "requests/s p50 p99 requests duration errors" (latencies in
# ms; errors = answers other than 2xx/3xx plus socket errors and timeouts).
wrk_figures() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; return v * 1000 }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1; d = $4; sub(/,$/, "", d) }
    /Non-2xx or 3xx/ { bad += $5 }
    /Socket errors:/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %.2f %s %s %d\n", rps, p50, p99, n, d, bad }'
}

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (before)"
chmod 755 "$work"  # nginx's workers run as another user
echo "== demo database ($backend)"
if [[ $backend == postgres ]]; then
  pg_name=bench_$$
  psql -X -q "$TRYGHED_TEST_PG" -c "CREATE DATABASE $pg_name"
  db=${TRYGHED_TEST_PG%/*}/$pg_name
  "$tryghed" demo --db "$db" >/dev/null
elif [[ -n ${DEMO_DB:-} ]]; then
  db=$work/bench.db
  cp "$DEMO_DB" "$db"
else
  db=$work/bench.db
  "$tryghed" demo --db "$db" >/dev/null
fi
# The benchmark is one client with many connections: the rate limit and the
# per-client connection cap (docs/web.md) are off, as behind a proxy.
cat >"$work/serve.properties" <<PROPS
rate_limit.per_minute = 0
server.max_connections_per_client = 0
server.threads = $server_threads
server.max_queued = $((most + 256))
form.max_forms = $((forms * ${#connection_list[@]} + 1000))
PROPS
"$tryghed" serve --db "$db" --config "$work/serve.properties" --port 0 --study demo --print-links 1 \
  >"$work/serve.out" 2>&1 &
serve_pid=$!
for _ in $(seq 300); do grep -q 'admin: ' "$work/serve.out" && break; sleep 0.1; done
base=$(sed -n 's/.* on \(http:[^ ]*\) .*/\1/p' "$work/serve.out")
open=$(sed -n 's/.*open link: //p' "$work/serve.out")
[[ -n $base && -n $open ]] || { cat "$work/serve.out" >&2; exit 1; }

# (a) The form page: the first page of one open-link form instance
# (/o/<code>/<key>). It is rendered per request from the instance in memory
# and sent with Cache-Control: no-store, so no cache can answer it.
page=$(curl -s -o /dev/null -w '%{redirect_url}' "$open")
mkdir -p "$work/www" "$work/tmp"
curl -s -o "$work/www/form.html" "$page"
grep -q 'name="csrf"' "$work/www/form.html" || { echo "no form page at $page" >&2; exit 1; }
nginx_port=$(free_port)
sed -e "s|@PREFIX@|$work|g" -e "s|@PORT@|$nginx_port|g" "$here/nginx.conf.in" >"$work/nginx.conf"
nginx -c "$work/nginx.conf" -p "$work" 2>"$work/nginx.err" &
nginx_pid=$!
for _ in $(seq 300); do curl -sf -o "$work/nginx.html" "http://127.0.0.1:$nginx_port/form.html" && break; sleep 0.1; done
cmp -s "$work/www/form.html" "$work/nginx.html" || { echo "nginx does not serve the page:" >&2; cat "$work/nginx.err" >&2; exit 1; }

# PERF=1: where tryghed spends its time during a wrk run (top symbols).
perf_start() {
  perf_pid=
  if [[ ${PERF:-0} == 1 ]] && command -v perf >/dev/null; then
    perf record -F 499 -g -p "$serve_pid" -o "$work/perf.data" -- sleep "$1" >/dev/null 2>&1 &
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

rows=()
notes=()
for connections in "${connection_list[@]}"; do
  echo "== (a) form page ($(wc -c <"$work/www/form.html") bytes), wrk -t$threads -c$connections -d$duration"
  wrk -t"$threads" -c"$connections" --timeout 30s -d"$duration" --latency "http://127.0.0.1:$nginx_port/form.html" >"$work/nginx.wrk"
  nginx_load=$(load_average)
  read -r nginx_rps nginx_p50 nginx_p99 _ _ nginx_bad < <(wrk_figures <"$work/nginx.wrk")
  perf_start 3
  wrk -t"$threads" -c"$connections" --timeout 30s -d"$duration" --latency "$page" >"$work/page.wrk"
  page_load=$(load_average)
  read -r page_rps page_p50 page_p99 _ _ page_bad < <(wrk_figures <"$work/page.wrk")
  perf_show "the form page"

  # (b) Durable submissions: FORMS instances filled in page by page
  # (prefill.py, not timed), then each submitted once by wrk (web/submit.lua).
  # The figure is the number of new responses in the database divided by
  # wrk's run time; if every form was used before the end, the rate is a
  # lower bound (said below).
  echo "== (b) submissions: filling in $forms forms (not timed)"
  prefill_start=$SECONDS
  python3 "$here/prefill.py" 127.0.0.1 "${base##*:}" "${open#"$base"}" "$forms" 4 >"$work/forms.txt"
  echo "   filled in $forms forms in $((SECONDS - prefill_start)) s"
  before=$(count_responses)
  perf_start 2
  FORMS_FILE="$work/forms.txt" WRK_THREADS=$threads \
    wrk -t"$threads" -c"$connections" --timeout 30s -d"${SUBMIT_DURATION:-3s}" --latency -s "$here/submit.lua" "$base" >"$work/submit.wrk" 2>&1
  sub_load=$(load_average)
  read -r _ sub_p50 sub_p99 sub_n sub_time sub_bad < <(wrk_figures <"$work/submit.wrk")
  after=$(count_responses)
  perf_show "the submissions"
  stored=$((after - before))
  seconds=$(awk -v d="$sub_time" 'BEGIN { if (d ~ /ms$/) print d / 1000; else if (d ~ /m$/) print d * 60; else print d + 0 }')
  sub_rate=$(awk -v n="$stored" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')

  rows+=("| $connections | nginx, the form page as a static file | $nginx_rps | $nginx_p50 | $nginx_p99 | $nginx_bad | $nginx_load |")
  rows+=("| $connections | tryghed serve, GET /o/<code>/<key> | $page_rps | $page_p50 | $page_p99 | $page_bad | $page_load |")
  rows+=("| $connections | tryghed serve, POST submit ($backend) | $sub_rate stored/s | $sub_p50 | $sub_p99 | $sub_bad | $sub_load |")
  notes+=("-c$connections form page: $(awk -v a="$page_rps" -v b="$nginx_rps" 'BEGIN { printf "%.0f", 100 * a / b }') % of nginx (goal >= 50 %)")
  notes+=("-c$connections submissions: $stored stored of $forms forms in ${seconds} s = $sub_rate/s (goal >= 5000/s); wrk sent $sub_n requests")
  if ((sub_n > forms)); then
    notes+=("  wrk sent more requests than there were forms: every form was used before wrk stopped, so the rate is at least this; raise FORMS (latencies include re-sends)")
  fi
done
kill -TERM "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true; nginx_pid=

echo
echo "| connections (wrk -t$threads) | what | requests/s | p50 ms | p99 ms | errors | load average |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${rows[@]}"
echo
printf '%s\n' "${notes[@]}"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (after); tryghed server.threads = $server_threads"
