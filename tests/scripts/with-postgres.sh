#!/usr/bin/env bash
# with-postgres.sh CMD [ARGS...]
#
# Runs CMD with a throwaway PostgreSQL server: creates a cluster in a fresh
# temporary directory, listening only on 127.0.0.1 on a free port (its unix
# socket also lives in that directory), creates a database, exports
#   TRYGHED_TEST_PG=postgresql://USER@127.0.0.1:PORT/tryghed_test
#   TRYGHED_TEST_PG_DATA=<the cluster's data directory>
#   TRYGHED_TEST_PG_BIN=<the folder of pg_ctl>
# (the last two for tests that stop and start the server itself: its address
# and port are in the data directory's postgresql.auto.conf, so a plain
# `pg_ctl -D "$TRYGHED_TEST_PG_DATA" start`, run as the directory's owner,
# brings it back as it was), runs CMD, then stops the cluster and removes the
# directory (also when CMD fails or the script is interrupted). Exits with
# CMD's exit code.
#
# Uses Debian's PostgreSQL binaries (/usr/lib/postgresql/<version>/bin; the
# newest installed unless PG_BIN is set). As root the server runs as the user
# `postgres` (through runuser), which owns the temporary directory.
#
# Example:
#   tests/scripts/with-postgres.sh ctest --test-dir build/dev -R store
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

pg_bin="${PG_BIN:-}"
if [[ -z "$pg_bin" ]]; then
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" ]] && pg_bin="$d"
  done
fi
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" || ! -x "$pg_bin/pg_ctl" ]]; then
  echo "$0: no PostgreSQL server binaries found (install the Debian package 'postgresql', or set PG_BIN)" >&2
  exit 3
fi

# Run a server command as the cluster owner.
if [[ $(id -u) -eq 0 ]]; then
  pg_user=postgres
  as_owner() { runuser -u "$pg_user" -- "$@"; }
else
  pg_user=$(id -un)
  as_owner() { "$@"; }
fi

# A free TCP port on loopback: ask the kernel for one.
free_port() {
  python3 - <<'EOF' 2>/dev/null && return 0
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
  # Fallback without python: a random port that nothing listens on.
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tryghed-pg.XXXXXX")
chmod 700 "$tmp"
[[ $(id -u) -eq 0 ]] && chown "$pg_user" "$tmp"
data="$tmp/data"
started=0

cleanup() {
  local rc=$?
  if [[ $started -eq 1 ]]; then
    as_owner "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_owner "$pg_bin/initdb" -D "$data" -U "$pg_user" --auth=trust -E UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 || {
  echo "$0: initdb failed:" >&2; cat "$tmp/initdb.log" >&2; exit 3; }

port=""
for _ in 1 2 3 4 5; do
  port=$(free_port) || { echo "$0: no free port found" >&2; exit 3; }
  printf "listen_addresses = '127.0.0.1'\nport = %d\nunix_socket_directories = '%s'\nfsync = on\n" \
    "$port" "$tmp" | as_owner tee "$data/postgresql.auto.conf" >/dev/null
  if as_owner "$pg_bin/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 30 start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [[ $started -ne 1 ]]; then
  echo "$0: the PostgreSQL server did not start; its log:" >&2
  cat "$tmp/server.log" >&2 || true
  exit 3
fi

as_owner "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U "$pg_user" tryghed_test

export TRYGHED_TEST_PG="postgresql://$pg_user@127.0.0.1:$port/tryghed_test"
export TRYGHED_TEST_PG_DATA="$data" TRYGHED_TEST_PG_BIN="$pg_bin"
echo "with-postgres: TRYGHED_TEST_PG=$TRYGHED_TEST_PG" >&2

set +e
"$@"
rc=$?
set -e
exit "$rc"
