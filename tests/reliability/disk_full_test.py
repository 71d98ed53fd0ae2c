#!/usr/bin/env python3
"""Disk-full and read-only database test of the resident form
(docs/reliability.md).

The SQLite database lives on a small tmpfs of its own. (1) While residents
submit, the file system is filled to the last byte by another file: every
send must then be answered with the friendly "try again later" page (HTTP
503), nothing may be acknowledged that was not stored, and when the filler is
deleted the same server, not restarted, must store the residents' answers
again, the refused ones included. (2) Started on a read-only file system,
`tryghed serve` refuses with a message naming the database; once the file
system is writable again it serves and stores.

Needs root (mount); exits 77 (skipped) without it, or fails when $CI is set.

Usage:   disk_full_test.py TRYGHED
Example: tests/reliability/disk_full_test.py build/dev/tryghed
"""
import os
import shutil
import subprocess
import sys
import tempfile

from resident import Checker, Server, ServerDown, answer_survey, demo_study, parser, report


def mount(*args):
    return subprocess.run(["mount", *args], capture_output=True, text=True)


def submit_all(port, tokens):
    """Each token answered once. Returns (acknowledged, refused with 503)."""
    acknowledged, refused = [], []
    for token in tokens:
        try:
            outcome = answer_survey(port, token)
        except ServerDown:
            refused.append(token)
            continue
        if outcome != "acknowledged":
            raise RuntimeError(f"unexpected outcome {outcome!r}")
        acknowledged.append(token)
    return acknowledged, refused


def fill(directory):
    """Writes a file until the file system is full; returns its path."""
    path = os.path.join(directory, "filler")
    block = b"\0" * 65536
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(block)
        except OSError:
            pass
        try:
            while True:
                f.write(b"\0")
        except OSError:
            pass
    return path


def main():
    args = parser(__doc__, __file__).parse_args()

    failures = []
    with tempfile.TemporaryDirectory() as work:
        mnt = os.path.join(work, "mnt")
        os.mkdir(mnt)
        db = os.path.join(mnt, "full.db")
        seed, config = demo_study(args.tryghed, work)
        # Room for the demo database, its write-ahead log and a little more.
        size_kb = os.path.getsize(seed) // 1024 + 6144
        m = mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", mnt)
        if m.returncode != 0:
            why = f"disk_full_test: cannot mount a tmpfs ({m.stderr.strip()}); needs root"
            print(why, file=sys.stderr)
            return 1 if os.environ.get("CI") else 77
        server = None
        try:
            shutil.copy(seed, db)
            checker = Checker(db)
            base = checker.snapshot()
            server = Server(args.tryghed, db, config, 120)
            tokens = server.links
            stored = []

            ack, refused = submit_all(server.port, tokens[0:10])
            if refused:
                failures.append(f"{len(refused)} sends refused before the disk was full")
            stored += ack

            # (1) Disk full.
            filler = fill(mnt)
            ack, refused_full = submit_all(server.port, tokens[10:40])
            stored += ack
            print(f"disk full: {len(ack)} acknowledged (room left in the write-ahead log), "
                  f"{len(refused_full)} answered 503")
            if not refused_full:
                failures.append("the disk was full but no send was refused: the test proved nothing")
            os.remove(filler)
            ack, refused = submit_all(server.port, refused_full + tokens[40:50])
            stored += ack
            if refused:
                failures.append(f"{len(refused)} sends still refused after space returned")

            # (2) Read-only file system. Linux refuses to remount a file
            # system read-only while a file on it is open for writing, so the
            # server is stopped first: started on a read-only database it
            # must refuse with a message that names the file, and store again
            # once the file system is writable.
            server.stop()
            server = None
            ro = mount("-o", "remount,ro", mnt)
            if ro.returncode != 0:
                failures.append(f"cannot remount read-only: {ro.stderr.strip()}")
            refused_start = subprocess.run([args.tryghed, "serve", "--db", db, "--port", "0"],
                                           capture_output=True, text=True, timeout=60)
            print(f"read-only: tryghed serve exited {refused_start.returncode}: {refused_start.stderr.strip()}")
            if refused_start.returncode == 0 or db not in refused_start.stderr:
                failures.append("tryghed serve on a read-only database did not refuse with a message naming it")
            mount("-o", "remount,rw", mnt)
            server = Server(args.tryghed, db, config, 0)
            ack, refused = submit_all(server.port, tokens[50:60])
            stored += ack
            if refused:
                failures.append(f"{len(refused)} sends refused after the file system became writable")

            server.stop()
            server = None
            problems, written = checker.check(base, set(stored))
            failures += problems
            if written != len(stored):
                failures.append(f"{len(stored)} acknowledged but {written} responses written")
            print(f"disk_full_test: {len(stored)} acknowledged, {written} stored")
        finally:
            if server is not None:
                server.kill()
            mount("-o", "remount,rw", mnt)
            subprocess.run(["umount", mnt], check=False)
    return report(failures)


if __name__ == "__main__":
    sys.exit(main())
