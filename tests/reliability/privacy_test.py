#!/usr/bin/env python3
"""Privacy test (docs/reliability.md): after a wave answered through
invitation links, nothing that could identify a resident or the moment they
answered is in the database files, the server's log or the exports.

Residents answer with a recognisable browser User-Agent and a proxy's
X-Forwarded-For address. Then the test searches
  * the SQLite database, its write-ahead log and a backup (raw bytes) for
    the invitation tokens, the addresses and the user agent;
  * the server's output for the same and for the tokens' SHA-256;
  * every export (CSV, codebook CSV and JSON, SPSS, Stata, Excel, with the
    xlsx unpacked) for the same, the token hashes and any time of day;
and checks that the response table has no column that could hold a time,
an address, an agent, a token or an invitation, and that every received_on
is a bare date.

Usage:   privacy_test.py TRYGHED
Example: tests/reliability/privacy_test.py build/dev/tryghed
"""
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import zipfile

from resident import Server, answer_survey, demo_study, parser, report

USER_AGENT = "PrivacyProbe/1.0 (tryghed test; like Gecko)"
FORWARDED = "203.0.113.77"   # TEST-NET-3, never a real client
# A time of day other than midnight (file headers carry the day at 00:00).
TIME_OF_DAY = re.compile(rb"\b(?!00:00)[0-2]\d:[0-5]\d(:[0-5]\d)?\b")


def contents(path):
    """The bytes to search in `path`: an xlsx is unpacked, its members joined."""
    if path.endswith(".xlsx"):
        with zipfile.ZipFile(path) as z:
            return b"\n".join(z.read(name) for name in z.namelist())
    with open(path, "rb") as f:
        return f.read()


def main():
    args = parser(__doc__, __file__).parse_args()
    failures = []
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, TZ="UTC")
        db, config = demo_study(args.tryghed, work, os.path.join(work, "privacy.db"), env=env)
        # The invitations come as a file (as an evaluator makes them), so the
        # server's output has no reason to hold a token.
        conn = sqlite3.connect(db)
        try:
            wave, area = conn.execute(
                "SELECT w.label, a.name FROM wave w JOIN area a ON a.study_id = w.study_id "
                "WHERE w.status = 'open' ORDER BY a.id LIMIT 1").fetchone()
        finally:
            conn.close()
        letters = os.path.join(work, "letters.csv")
        subprocess.run([args.tryghed, "invite", "--db", db, "--study", "demo", "--wave", wave, "--area", area,
                        "--count", "25", "--out", letters], check=True, stdout=subprocess.DEVNULL, env=env)
        with open(letters) as f:
            tokens = [line.split(",")[0] for line in f.read().splitlines()[1:]]
        server = Server(args.tryghed, db, config, 0)
        headers = {"User-Agent": USER_AGENT, "X-Forwarded-For": FORWARDED, "X-Real-IP": FORWARDED}
        answered = [t for t in tokens if answer_survey(server.port, t, headers) == "acknowledged"]
        if len(answered) != len(tokens):
            failures.append(f"only {len(answered)} of {len(tokens)} surveys were acknowledged")
        # The database as it is while the server runs (the log not yet folded in).
        live = {name: contents(os.path.join(work, name)) for name in os.listdir(work)
                if name.startswith("privacy.db")}
        server.stop()
        # Lines where the server names its own address (at start) are not
        # about a client.
        own = f"http://127.0.0.1:{server.port}"
        log = "".join(line for line in server.log().splitlines(keepends=True) if own not in line).encode()

        backup = os.path.join(work, "backup.db")
        subprocess.run([args.tryghed, "backup", "--db", db, backup], check=True, stdout=subprocess.DEVNULL)
        exports = []
        for fmt, ext in [("csv", "csv"), ("codebook", "csv"), ("sav", "sav"), ("dta", "dta"), ("xlsx", "xlsx")]:
            out = os.path.join(work, f"export-{fmt}.{ext}")
            subprocess.run([args.tryghed, "export", "--db", db, "--study", "demo", "--format", fmt, "--out", out],
                           check=True, stdout=subprocess.DEVNULL, env=env)
            exports.append(out)
        exports.append(os.path.join(work, "export-codebook.json"))

        secrets = {"an address": [b"127.0.0.1", FORWARDED.encode()], "the user agent": [b"PrivacyProbe"],
                   "a token": [t.encode() for t in tokens]}
        hashes = [hashlib.sha256(t.encode()).hexdigest().encode() for t in tokens]
        places = dict(live)
        places["the backup"] = contents(backup)
        for what, needles in secrets.items():
            for place, data in places.items():
                if any(n in data for n in needles):
                    failures.append(f"{what} is in {place}")
        for what, needles in list(secrets.items()) + [("a token's hash", hashes)]:
            if any(n in log for n in needles):
                failures.append(f"{what} is in the server's log")
            for path in exports:
                if any(n in contents(path) for n in needles):
                    failures.append(f"{what} is in {os.path.basename(path)}")
        for path in exports:
            m = TIME_OF_DAY.search(contents(path))
            if m:
                failures.append(f"a time of day ({m.group().decode()}) is in {os.path.basename(path)}")

        conn = sqlite3.connect(db)
        try:
            columns = [row[1] for row in conn.execute("PRAGMA table_info(response)")]
            suspicious = [c for c in columns
                          if re.search(r"time|_at$|ip|addr|agent|token|invitation|hash|kiosk", c)]
            if suspicious:
                failures.append(f"the response table has columns {suspicious}")
            bad_days = conn.execute("SELECT COUNT(*) FROM response WHERE received_on NOT GLOB "
                                    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'").fetchone()[0]
            if bad_days:
                failures.append(f"{bad_days} responses have a received_on that is not a bare date")
            answer_columns = [row[1] for row in conn.execute("PRAGMA table_info(answer)")]
            if [c for c in answer_columns if re.search(r"time|_at$|ip|agent|token", c)]:
                failures.append(f"the answer table has columns {answer_columns}")
        finally:
            conn.close()
        print(f"privacy_test: {len(answered)} surveys answered; searched {len(places)} database files, "
              f"the server's log ({len(log)} bytes) and {len(exports)} exports")
    return report(failures)


if __name__ == "__main__":
    sys.exit(main())
