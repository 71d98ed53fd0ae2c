"""What the reliability tests share (tests/reliability/): their command line
and set-up (the demo study and a serve.properties), a `tryghed serve`
process, a simulated resident who answers a survey through an invitation
link, checks of the database with the server down, and the report of
failures.

A resident answers the first option of every question, page by page, and
sends. The server's 303 after "send" is its acknowledgement: it is sent only
after the response is durably committed (docs/web.md).
"""
import argparse
import contextlib
import hashlib
import http.client
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

HIDDEN = re.compile(r'<input type="hidden" name="(csrf|form|page)" value="([^"]*)">')
OPTION = re.compile(r'<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]+)"')
ALREADY = ("Du har allerede svaret", "You have already answered")
THANKS = ("Tak for dine svar", "Thank you for your answers")


def parser(doc, script):
    """The command line every script here starts from: its description is the
    first line of `doc` (the script's docstring, shown whole under --help),
    and its one positional argument the tryghed program to test."""
    name = os.path.basename(script)
    ap = argparse.ArgumentParser(description=doc, epilog=f"Example: tests/reliability/{name} build/dev/tryghed",
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tryghed", help="the tryghed program to test")
    return ap


def write_properties(path, settings):
    """Writes a serve.properties with `settings` (name -> value)."""
    with open(path, "w") as f:
        f.writelines(f"{name} = {value}\n" for name, value in settings.items())


def demo_study(tryghed, work, db=None, settings=None, env=None):
    """Makes the demo study (`tryghed demo`) in `db` (default: demo.db in the
    folder `work`) and a serve.properties in `work` with the rate limit off
    and `settings` on top. Returns (db, path of the properties file)."""
    db = db or os.path.join(work, "demo.db")
    config = os.path.join(work, "serve.properties")
    write_properties(config, {"rate_limit.per_minute": 0, **(settings or {})})
    subprocess.run([tryghed, "demo", "--db", db], check=True, stdout=subprocess.DEVNULL, env=env)
    return db, config


@contextlib.contextmanager
def postgres_database(prefix):
    """A fresh database on the PostgreSQL server of $TRYGHED_TEST_PG
    (tests/scripts/with-postgres.sh), dropped afterwards; yields its URL.
    Without $TRYGHED_TEST_PG it exits the script with 77 (skipped), or with 1
    when $CI is set (CI must run it)."""
    server_url = os.environ.get("TRYGHED_TEST_PG", "")
    if not server_url:
        script = os.path.basename(sys.argv[0])
        if os.environ.get("CI"):
            print(f"{script}: TRYGHED_TEST_PG is not set in CI", file=sys.stderr)
            sys.exit(1)
        print(f"{script}: TRYGHED_TEST_PG is not set; run under tests/scripts/with-postgres.sh", file=sys.stderr)
        sys.exit(77)
    name = "%s_%d" % (prefix, os.getpid())
    subprocess.run(["psql", "-X", "-q", server_url, "-c", f"CREATE DATABASE {name}"], check=True)
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        subprocess.run(["psql", "-X", "-q", server_url, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                       check=False)


def report(failures):
    """Prints each failure on stderr; the script's exit code (1 if any)."""
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    return 1 if failures else 0


class ServerDown(Exception):
    """The connection failed: the server is being killed or restarted."""


class Server:
    """One `tryghed serve` process and the address it listens on."""

    def __init__(self, tryghed, db, config, links):
        self.out = tempfile.TemporaryFile(mode="w+")
        args = [tryghed, "serve", "--db", db, "--config", config, "--port", "0", "--study", "demo",
                "--print-links", str(links)]
        self.proc = subprocess.Popen(args, stdout=self.out, stderr=subprocess.STDOUT, text=True)
        self.port = None
        self.links = []
        deadline = time.time() + 60
        while time.time() < deadline:
            self.out.seek(0)
            text = self.out.read()
            m = re.search(r" on http://127\.0\.0\.1:(\d+)", text)
            if m and (links == 0 or "open link:" in text):
                self.port = int(m.group(1))
                self.links = re.findall(r"invitation link: \S+/s/(\S+)", text)
                return
            if self.proc.poll() is not None:
                raise RuntimeError("tryghed serve exited at start:\n" + text)
            time.sleep(0.05)
        raise RuntimeError("tryghed serve did not start within 60 s")

    def log(self):
        """Everything the server has written to stdout and stderr."""
        self.out.seek(0)
        return self.out.read()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def request(conn, method, path, body=None, extra_headers=None, seen=None):
    """One request on `conn`: (status, Location, body). `seen`, when given, is
    called with every response (to read other headers)."""
    headers = dict(extra_headers or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        if seen is not None:
            seen(r)
        return r.status, r.getheader("Location"), r.read().decode("utf-8")
    except (OSError, http.client.HTTPException) as e:
        raise ServerDown(str(e)) from e


def answer_survey(port, token, headers=None, before_submit=None, seen=None):
    """Walks the survey of `token` to the end and sends it. Returns
    "acknowledged" (303 after send), "already" (the link says it was used,
    before or in answer to the send) or raises ServerDown (no connection, or
    503: nothing was stored). `headers` are sent with every request (a
    browser's User-Agent, a proxy's X-Forwarded-For); `before_submit` is
    called right before the send (to line up racing residents); `seen` with
    every response."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        path = "/s/" + token
        for _ in range(60):
            status, _, page = request(conn, "GET", path, extra_headers=headers, seen=seen)
            if status == 503:
                raise ServerDown("busy")
            if any(a in page for a in ALREADY):
                return "already"
            if status != 200:
                raise RuntimeError(f"GET {path}: HTTP {status}")
            if any(t in page for t in THANKS):
                return "acknowledged"  # stored by an earlier send of this form
            hidden = dict(HIDDEN.findall(page))
            fields = [("csrf", hidden["csrf"]), ("form", hidden["form"]), ("page", hidden["page"])]
            submit = 'value="submit"' in page
            if submit:
                fields.append(("action", "submit"))
                if before_submit is not None:
                    before_submit()
            else:
                answers = {}
                for name, value in OPTION.findall(page):
                    answers.setdefault(name, value)
                fields += list(answers.items()) + [("action", "next")]
            status, _, page = request(conn, "POST", path, urllib.parse.urlencode(fields), headers, seen)
            if status == 503:
                raise ServerDown("busy")
            if submit and status == 200 and any(a in page for a in ALREADY):
                return "already"  # another form of this token was stored first
            if status != 303:
                raise RuntimeError(f"POST {path}: HTTP {status}")
            if submit:
                return "acknowledged"
        raise RuntimeError("no end of the survey after 60 pages")
    finally:
        conn.close()


class Checker:
    """Reads the database with the server down."""

    def __init__(self, db):
        self.db = db
        self.pg = db.startswith("postgresql://")

    def query(self, sql):
        if self.pg:
            out = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-F", "|", self.db, "-c", sql],
                                 check=True, capture_output=True, text=True).stdout
            return [tuple(line.split("|")) for line in out.splitlines() if line]
        conn = sqlite3.connect(self.db)
        try:
            return [tuple(str(v) for v in row) for row in conn.execute(sql)]
        finally:
            conn.close()

    def scalar(self, sql):
        return int(self.query(sql)[0][0])

    def counts(self, tables):
        """The number of rows of each table, as a tuple."""
        return tuple(self.scalar(f"SELECT COUNT(*) FROM {t}") for t in tables)

    def snapshot(self):
        return {
            "responses": self.scalar("SELECT COUNT(*) FROM response"),
            "used": self.scalar("SELECT COUNT(*) FROM invitation WHERE disposition <> 'not used'"),
            "keys": self.scalar("SELECT COUNT(*) FROM submission_key"),
            "max_response": self.scalar("SELECT COALESCE(MAX(id), 0) FROM response"),
        }

    def check(self, base, acknowledged):
        problems = []
        if not self.pg:
            ok = self.query("PRAGMA integrity_check")
            if ok != [("ok",)]:
                problems.append(f"integrity_check: {ok[:3]}")
        now = self.snapshot()
        new_responses = now["responses"] - base["responses"]
        new_used = now["used"] - base["used"]
        new_keys = now["keys"] - base["keys"]
        if new_responses != new_used:
            problems.append(f"{new_responses} responses written but {new_used} invitations used")
        if new_keys != new_responses:
            problems.append(f"{new_responses} responses written but {new_keys} submission keys")
        used = {row[0] for row in self.query("SELECT token_hash FROM invitation WHERE disposition <> 'not used'")}
        lost = [t for t in acknowledged if hashlib.sha256(t.encode()).hexdigest() not in used]
        if lost:
            problems.append(f"{len(lost)} acknowledged submissions are not stored")
        counts = self.query("SELECT COUNT(*) FROM answer WHERE response_id > %d GROUP BY response_id"
                            % base["max_response"])
        sizes = sorted({int(c[0]) for c in counts})
        if len(counts) != new_responses:
            problems.append(f"{new_responses - len(counts)} responses without any answer")
        if len(sizes) > 1:
            problems.append(f"responses with different numbers of answers: {sizes}")
        return problems, new_responses
