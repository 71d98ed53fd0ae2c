#!/usr/bin/env python3
"""Attack tests of the resident form over real HTTP (docs/reliability.md).

Against a running `tryghed serve` on the demo study:
  * path traversal on the static files (plain, percent-encoded, doubled);
  * SQL injection through every parameter the form routes take (token,
    kiosk id, open-link code, form key, query string), checked by the
    database's counts not moving and no 500;
  * oversized bodies (413) and oversized or endless headers (rejected, the
    server keeps serving);
  * token guessing: random tokens are 404, and a client is rate limited
    (429) long before it could guess one;
  * slowloris: many connections from another address that send their
    headers a line a second; a resident must be able to answer the whole
    survey meanwhile (server.max_connections_per_client keeps the slow
    client from holding every thread).

Usage:   attack_test.py TRYGHED [--slow-connections N]
Example: tests/reliability/attack_test.py build/dev/tryghed
"""
import http.client
import random
import socket
import sys
import tempfile
import threading
import time

from resident import Checker, Server, answer_survey, demo_study, parser, report, write_properties

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def get(port, path, method="GET", body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


TABLES = ("response", "answer", "invitation", "kiosk", "study", "area", "wave")


def main():
    ap = parser(__doc__, __file__)
    ap.add_argument("--slow-connections", type=int, default=200,
                    help="slowloris connections held open at once (default 200)")
    args = ap.parse_args()
    failures = []

    def expect(cond, what):
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory() as work:
        db, config = demo_study(args.tryghed, work, settings={"rate_limit.per_minute": 120})
        checker = Checker(db)
        server = Server(args.tryghed, db, config, 3)
        port = server.port
        try:
            before = checker.counts(TABLES)

            # Path traversal.
            for path in ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                         "/static/..%2f..%2fetc%2fpasswd", "/static/form.css/../../../etc/passwd",
                         "/static/%252e%252e/etc/passwd", "//etc/passwd", "/static/form.css%00.js"]:
                status, body = get(port, path)
                expect(status in (400, 404), f"{path}: HTTP {status}")
                expect(b"root:" not in body, f"{path}: served a system file")

            # SQL injection through every parameter of the form's routes.
            payloads = ["' OR '1'='1", "1; DROP TABLE response; --", "1 OR 1=1", "\" OR \"\"=\"",
                        "%27%20OR%201%3D1--", "x') UNION SELECT token_hash FROM invitation--"]
            for p in payloads:
                q = p.replace(" ", "%20").replace("'", "%27").replace('"', "%22").replace(";", "%3B")
                for path in [f"/s/{q}", f"/k/{q}", f"/k/{q}/setup?secret={q}", f"/k/1/alive?x={q}",
                             f"/o/{q}", f"/o/{q}/{q}", f"/healthz?lang={q}"]:
                    status, _ = get(port, path)
                    expect(status < 500, f"{path}: HTTP {status}")
                status, _ = get(port, f"/s/{server.links[0]}", "POST",
                                f"csrf={q}&form={q}&page={q}&action=submit",
                                {"Content-Type": "application/x-www-form-urlencoded"})
                expect(status in (400, 403), f"POST with {p!r}: HTTP {status}")
            after = checker.counts(TABLES)
            expect(after == before, f"the database changed under injection: {before} -> {after}")

            # Oversized body and headers.
            status, _ = get(port, f"/s/{server.links[0]}", "POST", "a=" + "x" * 200000,
                            {"Content-Type": "application/x-www-form-urlencoded"})
            expect(status == 413, f"200 kB body: HTTP {status}")
            try:
                status, _ = get(port, "/healthz", headers={"X-Big": "y" * 100000})
                expect(status >= 400, f"100 kB header: HTTP {status}")
            except (OSError, http.client.HTTPException):
                pass  # closing the connection is a fine answer too
            status, _ = get(port, "/healthz")
            expect(status == 200, f"after the oversized requests /healthz: HTTP {status}")

            # Token guessing: random well-formed tokens are unknown, and a
            # client is stopped by the rate limit.
            rng = random.Random(7)
            statuses = []
            for _ in range(150):
                guess = "".join(rng.choice(CROCKFORD) for _ in range(26))
                statuses.append(get(port, f"/s/{guess}")[0])
            expect(200 not in statuses, "a guessed token opened a survey")
            expect(429 in statuses, "150 guesses in a few seconds were never rate limited")
            print(f"token guessing: {statuses.count(404)} answered 404, then {statuses.count(429)} 429")
        finally:
            server.kill()

        # Slowloris, on a server without the rate limit (the limiter would
        # refuse most slow connections itself and hide the thread question).
        write_properties(config, {"rate_limit.per_minute": 0})
        server = Server(args.tryghed, db, config, 3)
        port = server.port
        stop = threading.Event()
        sockets = []

        def trickle():
            for _ in range(args.slow_connections):
                try:
                    # From another loopback address than the resident's, as an
                    # attacker elsewhere on the internet would be.
                    s = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=("127.0.0.2", 0))
                    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                    sockets.append(s)
                except OSError:
                    pass
            while not stop.is_set():
                for s in list(sockets):
                    try:
                        s.sendall(b"X-a: b\r\n")
                    except OSError:
                        sockets.remove(s)
                stop.wait(1.0)

        t = threading.Thread(target=trickle)
        t.start()
        try:
            time.sleep(3)
            held = len(sockets)
            started = time.time()
            outcome = None
            try:
                outcome = answer_survey(port, server.links[0])
            except Exception as e:  # noqa: BLE001 - a refusal is the finding
                outcome = f"failed: {e}"
            took = time.time() - started
            print(f"slowloris: {args.slow_connections} slow connections tried, {held} held by the server; "
                  f"a resident's whole survey took {took:.1f} s ({outcome})")
            expect(outcome == "acknowledged", f"with {held} slow connections a resident could not answer: {outcome}")
            expect(took < 20, f"with {held} slow connections a resident's survey took {took:.1f} s")
        finally:
            stop.set()
            t.join()
            for s in sockets:
                s.close()
            server.kill()
    return report(failures)


if __name__ == "__main__":
    sys.exit(main())
