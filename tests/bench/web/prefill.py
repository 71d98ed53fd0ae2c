#!/usr/bin/env python3
"""Makes N filled-in form instances on a running `tryghed serve` for the
submission benchmark (tests/bench/run_web_bench.sh, docs/benchmarks.md).

Each instance comes from the open link (GET /o/<code> -> 303 /o/<code>/<key>)
and is walked page by page like a resident would: the first option of every
question, "next", until the review page. The instance is left there, not
submitted. Prints one line per instance: "<path> <csrf> <form key> <review page>".

Usage: prefill.py HOST PORT OPEN_PATH N [THREADS]
"""
import http.client
import re
import sys
import threading
import urllib.parse

HOST, PORT, OPEN_PATH, N = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
THREADS = int(sys.argv[5]) if len(sys.argv) > 5 else 4

HIDDEN = re.compile(r'<input type="hidden" name="(csrf|form|page)" value="([^"]*)">')
OPTION = re.compile(r'<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]+)"')


def request(conn, method, path, body=None):
    headers = {}
    if body is not None:
        headers['Content-Type'] = 'application/x-www-form-urlencoded'
    conn.request(method, path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read().decode('utf-8')
    return r.status, r.getheader('Location'), data


def make_one(conn):
    status, location, _ = request(conn, 'GET', OPEN_PATH)
    if status != 303:
        raise RuntimeError(f'GET {OPEN_PATH}: {status}')
    path = urllib.parse.urlsplit(location).path
    for _ in range(40):
        status, _, page = request(conn, 'GET', path)
        if status != 200:
            raise RuntimeError(f'GET form page: {status}')
        hidden = dict(HIDDEN.findall(page))
        if 'value="submit"' in page:
            return f"{path} {hidden['csrf']} {hidden['form']} {hidden['page']}"
        answers = {}
        for name, value in OPTION.findall(page):
            answers.setdefault(name, value)  # the first option of each question
        fields = [('csrf', hidden['csrf']), ('form', hidden['form']), ('page', hidden['page'])]
        fields += list(answers.items()) + [('action', 'next')]
        status, _, _ = request(conn, 'POST', path, urllib.parse.urlencode(fields))
        if status != 303:
            raise RuntimeError(f'POST page {hidden["page"]}: {status}')
    raise RuntimeError('no review page after 40 pages')


out = []
errors = []
lock = threading.Lock()


def worker(count):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    lines = []
    try:
        for _ in range(count):
            lines.append(make_one(conn))
    except Exception as e:  # reported below; the benchmark stops
        errors.append(str(e))
    with lock:
        out.extend(lines)


threads = [threading.Thread(target=worker, args=(N // THREADS + (i < N % THREADS),)) for i in range(THREADS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
if errors:
    sys.exit('prefill failed: ' + errors[0])
sys.stdout.write('\n'.join(out) + '\n')
