#!/usr/bin/env python3
"""Two servers behind nginx on one PostgreSQL database, and a PostgreSQL
restart under load (docs/reliability.md, docs/deployment.md).

Two `tryghed serve` processes share one PostgreSQL database; Debian's nginx,
run by this script with the configuration of tests/reliability/nginx.conf.in
on a loopback port, balances between them.

  1. Residents (many threads) answer complete surveys through nginx. At the
     same time the same invitation tokens race: two residents fill in one
     token, one on each server, and press "send" at the same moment, both
     directly at the two servers and one through nginx against the other
     server directly. Exactly one of each pair is told "thank you", the
     other "already answered"; both servers answered requests.
  2. While residents keep answering through nginx, the PostgreSQL server is
     stopped (pg_ctl stop -m fast) for a while and started again. During the
     outage a send is answered 503 ("try again later"), never anything else;
     the same two tryghed processes, not restarted, store again once
     PostgreSQL is back, and each of them stores a survey sent to it
     directly at the first try.
  3. PostgreSQL is restarted while both servers are idle, so every session
     they keep open is to the old server: the first surveys sent to each
     afterwards are stored at the first try.

Then, with the servers stopped, the database is checked (resident.Checker):
every acknowledged submission is stored, exactly once (responses written =
invitations used = form keys written), and no response is half there.

Needs the PostgreSQL server of tests/scripts/with-postgres.sh
($TRYGHED_TEST_PG, and $TRYGHED_TEST_PG_DATA / $TRYGHED_TEST_PG_BIN to stop
and start it) and nginx; skips (exit 77) without them, fails when $CI is set.

Usage:   multi_server_test.py TRYGHED [--residents N] [--threads N] [--races N] [--restarts N]
Example (the CI run; the long run is documented in docs/reliability.md):
  tests/scripts/with-postgres.sh tests/reliability/multi_server_test.py build/dev/tryghed
"""
import collections
import http.client
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

from resident import Checker, Server, ServerDown, answer_survey, demo_study, parser, postgres_database, report

HERE = os.path.dirname(os.path.abspath(__file__))


def skip(why):
    print(f"multi_server_test: {why}", file=sys.stderr)
    return 1 if os.environ.get("CI") else 77


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_ctl(*args):
    """Runs pg_ctl on the cluster of tests/scripts/with-postgres.sh, as the
    owner of its data directory."""
    data = os.environ["TRYGHED_TEST_PG_DATA"]
    cmd = [os.path.join(os.environ["TRYGHED_TEST_PG_BIN"], "pg_ctl"), "-D", data, "-w", "-t", "60", *args]
    owner = os.stat(data).st_uid
    if owner != os.getuid():
        cmd = ["runuser", "-u", pwd.getpwuid(owner).pw_name, "--", *cmd]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


class Nginx:
    """nginx in the foreground with tests/reliability/nginx.conf.in."""

    def __init__(self, work, ports):
        self.port = free_port()
        prefix = os.path.join(work, "nginx")
        os.makedirs(os.path.join(prefix, "tmp"))
        with open(os.path.join(HERE, "nginx.conf.in")) as f:
            conf = f.read()
        for name, value in [("@PREFIX@", prefix), ("@PORT@", str(self.port)),
                            ("@SERVER_A@", f"127.0.0.1:{ports[0]}"), ("@SERVER_B@", f"127.0.0.1:{ports[1]}")]:
            conf = conf.replace(name, value)
        path = os.path.join(prefix, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        self.err = os.path.join(prefix, "nginx-error.log")
        self.proc = subprocess.Popen(["nginx", "-c", path, "-p", prefix], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.05)
        raise RuntimeError("nginx did not start: " + self.log())

    def log(self):
        try:
            with open(self.err) as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


class Load:
    """Residents answering through nginx from a shared list of tokens, each
    retrying (after a pause) a survey whose request failed with 503."""

    def __init__(self, port, tokens, threads):
        self.port = port
        self.lock = threading.Lock()
        self.todo = list(tokens)
        self.acknowledged = set()
        self.errors = []
        self.refusals = []           # when a request was answered 503 or the connection failed
        self.upstreams = collections.Counter()
        self.threads = [threading.Thread(target=self.resident) for _ in range(threads)]

    def seen(self, response):
        upstream = response.getheader("X-Upstream")
        if upstream:
            with self.lock:
                self.upstreams[upstream] += 1

    def resident(self):
        while True:
            with self.lock:
                if not self.todo:
                    return
                token = self.todo.pop()
            refused = False
            for _ in range(600):
                try:
                    outcome = answer_survey(self.port, token, seen=self.seen)
                except ServerDown as e:
                    refused = True
                    with self.lock:
                        self.refusals.append((time.time(), str(e)))
                    time.sleep(0.1)
                    continue
                except Exception as e:  # noqa: BLE001 - a wrong page is a finding, not a crash
                    with self.lock:
                        self.errors.append(f"{token[:6]}…: {e}")
                    break
                with self.lock:
                    # "already answered" after a refused send: the send was
                    # committed but its answer lost with the connection.
                    if outcome == "acknowledged" or refused:
                        self.acknowledged.add(token)
                    else:
                        self.errors.append(f"{token[:6]}…: a fresh token was '{outcome}'")
                break
            else:
                with self.lock:
                    self.errors.append(f"{token[:6]}…: refused for a minute")

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        for t in self.threads:
            t.join()


def upstream_of(nginx_port, token):
    """Opens the link of `token` through nginx; the port of the server that
    answered (and now holds the token's form)."""
    conn = http.client.HTTPConnection("127.0.0.1", nginx_port, timeout=30)
    try:
        conn.request("GET", "/s/" + token)
        r = conn.getresponse()
        r.read()
        return int(r.getheader("X-Upstream", ":0").rsplit(":", 1)[1])
    finally:
        conn.close()


def race(token, ports, outcomes, errors):
    """Two residents fill in `token`, one through each of `ports`, and send at
    the same moment: exactly one is told "thank you", the other "already
    answered"."""
    barrier = threading.Barrier(2, timeout=60)
    got = [None, None]

    def one(i):
        try:
            got[i] = answer_survey(ports[i], token, before_submit=barrier.wait)
        except Exception as e:  # noqa: BLE001
            got[i] = f"failed: {e}"
            barrier.abort()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if sorted(got) != ["acknowledged", "already"]:
        errors.append(f"race on {token[:6]}… through ports {ports}: {got}")
    outcomes.append((token, got))


def direct_surveys(ports, tokens, acknowledged, when):
    """Right after PostgreSQL is back: two surveys sent to each server
    directly, each of which must be acknowledged at the first try."""
    failures = []
    for port in ports:
        for _ in range(2):
            token = tokens.pop()
            try:
                outcome = answer_survey(port, token)
            except ServerDown as e:
                outcome = f"refused ({e})"
            except Exception as e:  # noqa: BLE001 - a wrong page is a finding
                outcome = f"failed: {e}"
            if outcome == "acknowledged":
                acknowledged.add(token)
            else:
                failures.append(f"{when}: a survey sent to the server on port {port} after PostgreSQL was back: "
                                f"{outcome}")
    return failures


def main():
    ap = parser(__doc__, __file__)
    ap.add_argument("--residents", type=int, default=120,
                    help="surveys answered through nginx in each phase (default 120)")
    ap.add_argument("--threads", type=int, default=12, help="residents answering at once (default 12)")
    ap.add_argument("--races", type=int, default=8,
                    help="tokens raced directly, and as many through nginx (default 8)")
    ap.add_argument("--restarts", type=int, default=1, help="PostgreSQL restarts under load (default 1)")
    ap.add_argument("--outage", type=float, default=2.0, help="seconds PostgreSQL stays down (default 2)")
    args = ap.parse_args()
    if shutil.which("nginx") is None:
        return skip("nginx is not installed (scripts/install-deps --test)")
    if not os.environ.get("TRYGHED_TEST_PG_DATA") and os.environ.get("TRYGHED_TEST_PG"):
        return skip("TRYGHED_TEST_PG_DATA is not set; run under tests/scripts/with-postgres.sh")
    needed = args.residents * (1 + args.restarts) + 4 * args.races + 4 * (args.restarts + 1)
    if needed > 1000:
        return skip(f"{needed} invitations needed, at most 1000 (fewer --residents)")
    with postgres_database("multi") as url:
        return run(args, url, needed)


def run(args, url, needed):
    failures = []
    started = time.time()
    with tempfile.TemporaryDirectory() as work:
        os.chmod(work, 0o755)  # nginx's workers run as another user
        db, config = demo_study(args.tryghed, work, url, {
            "server.max_connections_per_client": 0,  # every connection comes from nginx
            "server.threads": 64,
        })
        made = time.time()
        checker = Checker(db)
        base = checker.snapshot()
        servers = [Server(args.tryghed, db, config, needed), None]
        servers[1] = Server(args.tryghed, db, config, 0)
        pids = [s.proc.pid for s in servers]
        ports = [s.port for s in servers]
        tokens = list(servers[0].links)
        nginx = Nginx(work, ports)
        acknowledged = set()
        pg_log = os.path.join(os.path.dirname(os.environ["TRYGHED_TEST_PG_DATA"]), "server.log")
        try:
            # 1. Load through nginx, and token races, at the same time.
            load = Load(nginx.port, [tokens.pop() for _ in range(args.residents)], args.threads)
            load.start()
            outcomes, race_errors = [], []
            racers = []
            for i in range(args.races):
                racers.append(threading.Thread(target=race, args=(tokens.pop(), ports, outcomes, race_errors)))
                # Through nginx, against the server nginx did not pick.
                token = tokens.pop()
                picked = upstream_of(nginx.port, token)
                other = ports[1] if picked == ports[0] else ports[0]
                racers.append(threading.Thread(target=race, args=(token, (nginx.port, other), outcomes, race_errors)))
            for t in racers:
                t.start()
            for t in racers:
                t.join()
            load.join()
            acknowledged |= load.acknowledged
            acknowledged |= {token for token, got in outcomes if "acknowledged" in got}
            failures += [f"load: {e}" for e in load.errors] + race_errors
            if load.refusals:
                failures.append(f"load: {len(load.refusals)} requests refused with PostgreSQL up: {load.refusals[0]}")
            served = {f"127.0.0.1:{p}": load.upstreams[f"127.0.0.1:{p}"] for p in ports}
            if min(served.values()) == 0:
                failures.append(f"nginx did not use both servers: {served}")
            print(f"load: {len(load.acknowledged)} of {args.residents} surveys acknowledged through nginx "
                  f"(requests per server {sorted(served.values())}); {len(outcomes)} token races, "
                  f"{sum(1 for _, got in outcomes if sorted(got) == ['acknowledged', 'already'])} with one winner")

            # 2. PostgreSQL restarts under load.
            for restart in range(1, args.restarts + 1):
                load = Load(nginx.port, [tokens.pop() for _ in range(args.residents)], args.threads)
                load.start()
                time.sleep(1.0)
                down = time.time()
                pg_ctl("stop", "-m", "fast")
                time.sleep(args.outage)
                pg_ctl("start", "-l", pg_log)
                up = time.time()
                failures += direct_surveys(ports, tokens, acknowledged, f"restart {restart}")
                load.join()
                acknowledged |= load.acknowledged
                failures += [f"restart {restart}: {e}" for e in load.errors]
                during = [r for r in load.refusals if down <= r[0] <= up + 0.5]
                after = [r for r in load.refusals if r[0] > up + 0.5]
                before = [r for r in load.refusals if r[0] < down]
                if not during:
                    failures.append(f"restart {restart}: no request was refused while PostgreSQL was down: "
                                    "the test proved nothing")
                if before or after:
                    failures.append(f"restart {restart}: {len(before)} requests refused before the outage, "
                                    f"{len(after)} more than 0.5 s after PostgreSQL was back")
                if any(why != "busy" for _, why in during):
                    failures.append(f"restart {restart}: a connection failed during the outage (not a 503): "
                                    f"{[why for _, why in during if why != 'busy'][:3]}")
                print(f"restart {restart}: PostgreSQL down {up - down:.1f} s; {len(during)} requests answered 503 "
                      f"meanwhile, {len(after)} later; {len(load.acknowledged)} of {args.residents} surveys "
                      f"acknowledged")
            # 3. A restart while both servers are idle: every session in their
            # pools is to the old PostgreSQL, and the first survey after it
            # must still be stored at the first try.
            pg_ctl("restart", "-m", "fast", "-l", pg_log)
            failures += direct_surveys(ports, tokens, acknowledged, "restart while idle")
            for i, s in enumerate(servers):
                if s.proc.poll() is not None or s.proc.pid != pids[i]:
                    failures.append(f"server {i + 1} is not the process it was: {s.log()[-2000:]}")
        finally:
            nginx.stop()
            for s in servers:
                s.stop()
        problems, stored = checker.check(base, acknowledged)
        failures += problems
        if stored != len(acknowledged):
            failures.append(f"{len(acknowledged)} acknowledged but {stored} responses stored")
        if "[emerg]" in nginx.log() or "[crit]" in nginx.log():
            failures.append("nginx: " + nginx.log()[-1000:])
        print(f"multi_server_test: {len(acknowledged)} acknowledged, {stored} stored, {args.restarts} PostgreSQL "
              f"restarts; demo study {made - started:.0f} s, the test {time.time() - made:.0f} s")
    return report(failures)


if __name__ == "__main__":
    sys.exit(main())
