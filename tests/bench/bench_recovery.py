#!/usr/bin/env python3
"""bench_recovery: start-up to the first frame with work left by a killed run.

A database is made by the real binary (schema, kiosk id, signing key), then
filled with Python's sqlite3 as a day at a busy kiosk would leave it:
10,000 answers not yet exported (with their chosen pictures), in sessions
that ended, and 50 sessions still "in progress" with answers of their own:
what a kiosk that lost its power (or was killed) leaves. Then, on a fresh
copy of it each time, the real kiosk is started as shipped (fullscreen
kiosk mode, its default renderer, the bundled flows) on an Xvfb display,
and the time from its start to the whole welcome screen drawn is taken
from outside the process by pixels_x11, which polls the root window every
2 ms (as the launch benchmark does). The database has a staff PIN (set by
`tellus set-pin`, as the README's set-up does), as a kiosk in use has.

Each run is then checked with Python's sqlite3: the 50 are closed as
interrupted, each ending at the time of its last answer, none is left in
progress, and all 10,000 answers are still there.

Figures (`name value unit`), p50 and the worst of RUNS runs:
  recovery.first_frame.p50 / .max  with 50 to close and 10,000 answers waiting
  baseline.first_frame.p50 / .max  the same database once they are closed
Usage: bench_recovery.py --tellus BIN --pixels BIN [--runs N]
"""

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import kiosk_xvfb as kx  # noqa: E402

ANSWERS = 10000
OPEN_SESSIONS = 50
PER_SESSION = 8


def env_for(log):
    """For the database's first start: headless."""
    env = dict(os.environ)
    env["SDL_VIDEODRIVER"] = "dummy"
    env["SDL_RENDER_DRIVER"] = "software"
    env["SDL_AUDIODRIVER"] = "dummy"
    env["TELLUS_TEST_DRAWN_LOG"] = log
    return env


def shipped_env(display):
    """As shipped: the X display, the renderer the kiosk chooses itself."""
    env = dict(os.environ, DISPLAY=f":{display}", SDL_VIDEODRIVER="x11",
               SDL_AUDIODRIVER="dummy")
    env.pop("SDL_RENDER_DRIVER", None)
    env.pop("TELLUS_TEST_DRAWN_LOG", None)
    return env


def iso(ms):
    t = time.gmtime(ms // 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", t) + f".{ms % 1000:03d}Z"


def make_db(tellus, path, work):
    """The real binary makes the database; Python fills it."""
    r = subprocess.run([tellus, "--db", path, "--windowed", "--size", "800x600",
                        "--exit-after-first-frame"], env=env_for(os.path.join(work, "first.log")),
                       capture_output=True, timeout=120)
    if r.returncode != 0:
        sys.exit(f"bench_recovery: the first start failed: {r.stderr.decode(errors='replace')}")
    r = subprocess.run([tellus, "set-pin", "--db", path], input=b"246810\n246810\n",
                       env=env_for(os.path.join(work, "pin.log")), capture_output=True, timeout=120)
    if r.returncode != 0:
        sys.exit(f"bench_recovery: tellus set-pin failed: {r.stderr.decode(errors='replace')}")
    con = sqlite3.connect(path)
    kiosk = con.execute("SELECT value FROM meta WHERE key = 'kiosk_id'").fetchone()[0]
    src = open(os.path.join(os.environ.get("TELLUS_DATA_DIR", "."), "config", "flows",
                            "school-day.yaml"), encoding="utf-8").read()
    fhash = "ab" * 32
    con.execute("INSERT OR IGNORE INTO flows(hash, id, version, source) VALUES (?, 'school-day', 1, ?)",
                (fhash, src))
    rnd = random.Random(8)
    wall = 1795000000000
    questions = ["feeling", "activities", "lunch", "safe", "help", "feeling", "lunch", "safe"]
    choices = ["happy", "sad", "ok", "yes", "no", "friend", "teacher", "art"]
    n_sessions = ANSWERS // PER_SESSION
    open_ids = []
    given = 0
    for i in range(n_sessions):
        sid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        started = wall + i * 60000
        is_open = i >= n_sessions - OPEN_SESSIONS
        con.execute("INSERT INTO sessions(id, kiosk_id, flow_id, flow_version, flow_hash,"
                    " started_at, ended_at, status, language, presentation)"
                    " VALUES (?, ?, 'school-day', 1, ?, ?, ?, ?, 'en', 'large-symbol')",
                    (sid, kiosk, fhash, iso(started),
                     None if is_open else iso(started + 50000),
                     "in_progress" if is_open else "completed"))
        for seq in range(1, PER_SESSION + 1):
            q = questions[seq - 1]
            con.execute("INSERT INTO answers(session_id, seq, question_id, question_index,"
                        " question_text, kind, given_at, time_taken_ms, input_method)"
                        " VALUES (?, ?, ?, ?, ?, 'chosen', ?, ?, 'touch')",
                        (sid, seq, q, seq - 1, q.capitalize() + "?", iso(started + seq * 5000 + i % 997),
                         1200 + rnd.randrange(3000)))
            a = rnd.choice(choices)
            con.execute("INSERT INTO answer_choices(session_id, seq, position, answer_id, answer_label)"
                        " VALUES (?, ?, 0, ?, ?)", (sid, seq, a, a.capitalize()))
            given += 1
        if is_open:
            open_ids.append(sid)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return open_ids, given


def first_frame_ms(tellus, pixels, db, env):
    """Start to the whole welcome screen drawn, polled from outside."""
    r = subprocess.run([pixels, "--settle-ms", "1000", "--timeout-ms", "60000", "--",
                        tellus, "--db", db], env=env, capture_output=True, text=True,
                       timeout=120)
    if r.returncode != 0:
        sys.exit(f"bench_recovery: the kiosk showed no settled screen: {r.stdout}"
                 f"{r.stderr[-500:]}")
    vals = dict(kv.split("=") for kv in r.stdout.split())
    return float(vals["whole_ms"])


def check_closed(db, open_ids, given):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        left = con.execute("SELECT count(*) FROM sessions WHERE status = 'in_progress'").fetchone()[0]
        bad = []
        for sid in open_ids:
            status, ended = con.execute("SELECT status, ended_at FROM sessions WHERE id = ?",
                                        (sid,)).fetchone()
            last = con.execute("SELECT max(given_at) FROM answers WHERE session_id = ?",
                               (sid,)).fetchone()[0]
            if status != "interrupted" or ended != last:
                bad.append((sid, status, ended, last))
        n = con.execute("SELECT count(*) FROM answers").fetchone()[0]
    finally:
        con.close()
    if left or bad or n != given:
        sys.exit(f"bench_recovery: after start-up {left} sessions in progress, {len(bad)} of the "
                 f"{len(open_ids)} not closed as interrupted at their last answer "
                 f"(e.g. {bad[:2]}), {n} answers of {given}")


def fig(name, value, unit):
    print(f"{name} {value} {unit}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tellus", required=True)
    ap.add_argument("--pixels", required=True)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="tellus-recovery-")
    xvfb = None
    try:
        master = os.path.join(work, "master.db")
        open_ids, given = make_db(args.tellus, master, work)
        xvfb, display = kx.start_xvfb(work)
        env = shipped_env(display)
        rec, base = [], []
        for n in range(args.runs):
            db = os.path.join(work, f"copy{n}.db")
            for ext in ("", "-wal", "-shm", "-kiosk.key"):
                if os.path.exists(master + ext):
                    shutil.copyfile(master + ext, db + ext)
            rec.append(first_frame_ms(args.tellus, args.pixels, db, env))
            check_closed(db, open_ids, given)
            # the same database, nothing left to close
            base.append(first_frame_ms(args.tellus, args.pixels, db, env))
            for ext in ("", "-wal", "-shm", "-kiosk.key"):
                if os.path.exists(db + ext):
                    os.remove(db + ext)
        print(f"bench_recovery: {given} answers waiting, {OPEN_SESSIONS} sessions left in "
              f"progress; every run closed them as interrupted at their last answer", flush=True)
        fig("recovery.first_frame.p50", f"{statistics.median(rec):.1f}", "ms")
        fig("recovery.first_frame.max", f"{max(rec):.1f}", "ms")
        fig("baseline.first_frame.p50", f"{statistics.median(base):.1f}", "ms")
        fig("baseline.first_frame.max", f"{max(base):.1f}", "ms")
        fig("recovery.runs", args.runs, "runs")
    finally:
        kx.stop(xvfb, "Xvfb")
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except kx.Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
