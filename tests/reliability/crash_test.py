#!/usr/bin/env python3
"""Crash test of the resident form (issue: proof of reliability; docs/reliability.md).

Residents submit complete surveys through their invitation links over
loopback while `tryghed serve` is killed with SIGKILL at random moments, many
times. After every kill, with the server down, the database is checked:

  * PRAGMA integrity_check is "ok" (SQLite);
  * every submission the server acknowledged (its 303 after "send") is stored:
    the token's invitation is marked used;
  * exactly once: the responses written during the test equal the
    invitations used during the test and the submission keys written;
  * nothing is half there: every response written during the test has the
    same number of answers (the simulated residents all answer alike).

Then the server is restarted and the residents go on; a resident whose
"send" got no answer opens the link again and either sees "already answered"
(it was stored) or fills it in again.

Usage:
  crash_test.py TRYGHED [--kills N] [--residents N] [--db postgresql://...] [--seed S]
Example (the CI run is short; the long run is documented in docs/reliability.md):
  tests/reliability/crash_test.py build/dev/tryghed --kills 10
  tests/reliability/crash_test.py build/release/tryghed --kills 200 --residents 1000
On PostgreSQL give --db with a database of its own (the demo study is made
in it); checks then go through psql.
"""
import random
import sys
import tempfile
import threading
import time

from resident import Checker, Server, ServerDown, answer_survey, demo_study, parser, postgres_database, report

class State:
    """What the residents share with the conductor."""

    def __init__(self, tokens):
        self.lock = threading.Lock()
        self.todo = list(tokens)          # not yet begun
        self.acknowledged = set()         # the server said "stored"
        self.port = None                  # None while the server is down
        self.up = threading.Event()
        self.stop = False
        self.retries = 0


def resident(state, errors):
    while True:
        with state.lock:
            if state.stop or not state.todo:
                return
            token = state.todo.pop()
        while True:
            state.up.wait()
            with state.lock:
                if state.stop:
                    return
                port = state.port
            if port is None:
                continue
            try:
                outcome = answer_survey(port, token)
            except ServerDown:
                with state.lock:
                    state.retries += 1
                time.sleep(0.05)
                continue
            except Exception as e:  # a wrong page is a finding, not a crash
                errors.append(f"{token[:6]}…: {e}")
                return
            if outcome == "acknowledged":
                with state.lock:
                    state.acknowledged.add(token)
            break


def main():
    ap = parser(__doc__, __file__)
    ap.add_argument("--kills", type=int, default=10, help="SIGKILLs of the server (default 10)")
    ap.add_argument("--residents", type=int, default=300, help="invitations answered, at most 1000 (default 300)")
    ap.add_argument("--threads", type=int, default=8, help="residents answering at once (default 8)")
    ap.add_argument("--db", help="a postgresql:// URL (default: a SQLite file in a temporary directory)")
    ap.add_argument("--postgres-from-env", action="store_true",
                    help="make a fresh database on the server of $TRYGHED_TEST_PG (tests/scripts/with-postgres.sh) "
                         "and drop it afterwards; skips (exit 77) when it is not set, fails when $CI is set")
    ap.add_argument("--seed", type=int, default=None, help="random seed of the kill moments")
    args = ap.parse_args()
    if args.postgres_from_env:
        with postgres_database("crash") as url:
            args.db = url
            return run(args)
    return run(args)


def run(args):
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    quiet = not sys.stdout.isatty()

    with tempfile.TemporaryDirectory() as work:
        db, config = demo_study(args.tryghed, work, args.db, {"kiosk.min_interval_seconds": 0})
        checker = Checker(db)
        base = checker.snapshot()

        server = Server(args.tryghed, db, config, min(args.residents, 1000))
        state = State(server.links)
        errors = []
        threads = [threading.Thread(target=resident, args=(state, errors)) for _ in range(args.threads)]
        state.port = server.port
        state.up.set()
        for t in threads:
            t.start()
        failures = []
        kills = 0
        for kills in range(1, args.kills + 1):
            time.sleep(rng.uniform(0.05, 1.0))
            with state.lock:
                state.port = None
                state.up.clear()
            server.kill()
            with state.lock:
                acknowledged = set(state.acknowledged)
            problems, stored = checker.check(base, acknowledged)
            failures += [f"after kill {kills}: {p}" for p in problems]
            if not quiet:
                print(f"\rkill {kills}/{args.kills}: {len(acknowledged)} acknowledged, {stored} stored",
                      end="", flush=True)
            server = Server(args.tryghed, db, config, 0)
            with state.lock:
                state.port = server.port
                state.up.set()
            with state.lock:
                if not state.todo and all(not t.is_alive() for t in threads):
                    break
        for t in threads:
            t.join()
        server.stop()
        with state.lock:
            acknowledged = set(state.acknowledged)
        problems, stored = checker.check(base, acknowledged)
        failures += [f"at the end: {p}" for p in problems]
        failures += [f"resident {e}" for e in errors]
        if not quiet:
            print()
        print(f"crash_test: seed {seed}, {kills} kills, {len(acknowledged)} acknowledged submissions, "
              f"{stored} stored, {state.retries} retried requests, "
              f"{'PostgreSQL' if checker.pg else 'SQLite'}")
        if len(acknowledged) == 0:
            failures.append("no submission was acknowledged: the test proved nothing")
        return report(failures)


if __name__ == "__main__":
    sys.exit(main())
