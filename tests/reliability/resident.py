"""What the reliability tests share (tests/reliability/): a `tryghed serve`
process, a simulated resident who answers a survey through an invitation
link, and checks of the database with the server down.

A resident answers the first option of every question, page by page, and
sends. The server's 303 after "send" is its acknowledgement: it is sent only
after the response is durably committed (docs/web.md).
"""
import hashlib
import http.client
import re
import signal
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

HIDDEN = re.compile(r'<input type="hidden" name="(csrf|form|page)" value="([^"]*)">')
OPTION = re.compile(r'<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]+)"')
ALREADY = ("Du har allerede svaret", "You have already answered")
THANKS = ("Tak for dine svar", "Thank you for your answers")


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


def request(conn, method, path, body=None, extra_headers=None):
    headers = dict(extra_headers or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.getheader("Location"), r.read().decode("utf-8")
    except (OSError, http.client.HTTPException) as e:
        raise ServerDown(str(e)) from e


def answer_survey(port, token, headers=None):
    """Walks the survey of `token` to the end and sends it. Returns
    "acknowledged" (303 after send), "already" (the link says it was used) or
    raises ServerDown (no connection, or 503: nothing was stored). `headers`
    are sent with every request (a browser's User-Agent, a proxy's
    X-Forwarded-For)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        path = "/s/" + token
        for _ in range(60):
            status, _, page = request(conn, "GET", path, extra_headers=headers)
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
            if 'value="submit"' in page:
                fields.append(("action", "submit"))
            else:
                answers = {}
                for name, value in OPTION.findall(page):
                    answers.setdefault(name, value)
                fields += list(answers.items()) + [("action", "next")]
            status, _, _ = request(conn, "POST", path, urllib.parse.urlencode(fields), headers)
            if status == 503:
                raise ServerDown("busy")
            if status != 303:
                raise RuntimeError(f"POST {path}: HTTP {status}")
            if fields[-1] == ("action", "submit"):
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
