#!/usr/bin/env python3
"""crash_loop: the real tellus binary killed at random moments, again and again.

Each round starts the kiosk (headless: SDL's dummy video driver and the
software renderer) on one database that lives across all rounds, with two
test-only hooks of the binary switched on: TELLUS_TEST_AUTOPLAY makes it tap
its own screens (real SDL mouse events through its loop: Start, answers,
Done, Skip, Back, Finish...), TELLUS_TEST_DRAWN_LOG makes it append
"drawn SESSION SEQ" for every answer whose next screen it has presented
(and a "shown" line when what a frame offers changes).
After a random while the round ends with SIGKILL (every tenth round with
SIGTERM instead, which must end the kiosk with exit 0 and the live session
as unfinished); --kills N counts the SIGKILLs, so N of them happen and the
SIGTERM rounds come on top. Then, read with Python's own sqlite3 (not Tellus's code):

- PRAGMA integrity_check is "ok" after every kill;
- every answer logged as drawn before the kill is in the answers table;
- after SIGTERM no session is left in_progress;
- at the next start every session an earlier round left in_progress is
  closed as interrupted (checked after each round but the last);
- at the end a last start closes the last one, `tellus export --all` writes
  an export whose sessions.csv (read with Python's csv) holds every session
  of the database, none in_progress, and whose answers.csv holds every
  answer (Python counts the rows); sha256sum -c checks its SHA256SUMS.

Usage: crash_loop.py --tellus BIN [--kills N] [--seed S] [--keep] [--bench]
--bench prints "crash_loop kills=N kills_per_minute=... lost_nothing=...%".
"""

import argparse
import csv
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

DRAWN = re.compile(r"^drawn ([0-9a-f-]{36}) (\d+)$")


class Failure(Exception):
    pass


def env_for(tellus_env, seed, drawn):
    env = dict(os.environ)
    env.update(tellus_env)
    env["SDL_VIDEODRIVER"] = "dummy"
    env["SDL_RENDER_DRIVER"] = "software"
    env["SDL_AUDIODRIVER"] = "dummy"
    env["TELLUS_TEST_AUTOPLAY"] = str(seed)
    env["TELLUS_TEST_DRAWN_LOG"] = drawn
    return env


def drawn_answers(path):
    out = set()
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = DRAWN.match(line.rstrip("\n"))
            if m:
                out.add((m.group(1), int(m.group(2))))
    return out


def first_frame_since(path, offset):
    """True once the drawn log holds a "shown" line written after offset."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return any(line.startswith(b"shown ") for line in f)
    except FileNotFoundError:
        return False


def db_state(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        ok = con.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "answers" not in tables or "sessions" not in tables:
            return ok, set(), {}   # killed while the first start made the schema
        answers = set(con.execute("SELECT session_id, seq FROM answers"))
        sessions = dict(con.execute("SELECT id, status FROM sessions"))
    finally:
        con.close()
    return ok, answers, sessions


def run_round(args, rnd, i, work, db, drawn):
    seed = rnd.randrange(1, 1 << 30)
    term = (i % 10) == 9
    cmd = [args.tellus, "--db", db, "--config", os.path.join(work, "kiosk.yaml"),
           "--windowed", "--size", "800x600"]
    env = env_for({}, seed, drawn)
    start = os.path.getsize(drawn) if os.path.exists(drawn) else 0
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if term or rnd.random() < 0.75:
        # A SIGTERM is a person stopping a kiosk they see: it comes once
        # the kiosk has drawn its first frame (the hook's first "shown"
        # line of this run). Before main() runs (the dynamic loader, a
        # few hundred ms on a loaded machine) no program can catch it.
        # Three SIGKILLs in four wait for it too, so that on a loaded
        # machine (a start-up of seconds) most kills still land among
        # answers rather than in the start-up; the rest keep killing it
        # while it starts.
        waited = 0.0
        while not first_frame_since(drawn, start) and p.poll() is None and waited < 60:
            time.sleep(0.01)
            waited += 0.01
    time.sleep(rnd.uniform(args.min_s, args.max_s))
    if p.poll() is not None:
        raise Failure(f"round {i}: the kiosk ended by itself ({p.returncode}): "
                      f"{p.stderr.read().decode(errors='replace')[-500:]}")
    if term:
        p.send_signal(signal.SIGTERM)
        try:
            _, err = p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            raise Failure(f"round {i}: SIGTERM did not end the kiosk within 30 s")
        if p.returncode != 0:
            raise Failure(f"round {i}: SIGTERM ended the kiosk with {p.returncode}: "
                          f"{err.decode(errors='replace')[-500:]}")
    else:
        p.send_signal(signal.SIGKILL)
        p.communicate()
    return term


def final_start(args, db, drawn):
    env = env_for({}, 1, drawn)
    del env["TELLUS_TEST_AUTOPLAY"]
    r = subprocess.run([args.tellus, "--db", db, "--windowed", "--size", "800x600",
                        "--exit-after-first-frame"], env=env, capture_output=True, timeout=120)
    if r.returncode != 0:
        raise Failure(f"the last start failed ({r.returncode}): {r.stderr.decode(errors='replace')}")


def check_export(args, work, db, sessions, answers):
    out = os.path.join(work, "stick")
    os.makedirs(out, exist_ok=True)
    r = subprocess.run([args.tellus, "export", "--db", db, "--to", out, "--all"],
                       capture_output=True, timeout=300)
    if r.returncode != 0:
        raise Failure(f"tellus export --all failed ({r.returncode}): "
                      f"{r.stderr.decode(errors='replace')}")
    folders = []
    for root, dirs, files in os.walk(out):
        if "SHA256SUMS" in files:
            folders.append(root)
    if len(folders) != 1:
        raise Failure(f"expected one export folder, found {folders}")
    folder = folders[0]
    r = subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=folder,
                       capture_output=True)
    if r.returncode != 0:
        raise Failure(f"sha256sum -c failed: {r.stdout.decode()} {r.stderr.decode()}")
    with open(os.path.join(folder, "sessions.csv"), newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    exported = {row["session_id"]: row["status"] for row in rows}
    if set(exported) != set(sessions):
        missing = set(sessions) - set(exported)
        raise Failure(f"{len(missing)} sessions not exported by --all, e.g. {sorted(missing)[:3]}")
    bad = [s for s, st in exported.items() if st == "in_progress"]
    if bad:
        raise Failure(f"{len(bad)} sessions exported as in_progress")
    with open(os.path.join(folder, "answers.csv"), newline="", encoding="utf-8-sig") as f:
        arows = list(csv.DictReader(f))
    keys = set()
    for row in arows:
        sid = row.get("session_id")
        seq = row.get("seq") or row.get("answer_seq")
        if sid is not None and seq is not None:
            keys.add((sid, int(seq)))
    if keys and keys != answers:
        raise Failure(f"answers.csv holds {len(keys)} answers, the database {len(answers)}")
    return exported, len(arows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tellus", required=True)
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--min-s", type=float, default=0.2)
    ap.add_argument("--max-s", type=float, default=1.8)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--bench", action="store_true")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rnd = random.Random(seed)
    print(f"crash_loop: seed {seed}, {args.kills} SIGKILLs", flush=True)
    work = tempfile.mkdtemp(prefix="tellus-crash-")
    db = os.path.join(work, "answers.db")
    drawn = os.path.join(work, "drawn")
    # Quick taps and a short thank-you, so a round of a second or so holds
    # answers, endings and new sessions, not only a start-up.
    with open(os.path.join(work, "kiosk.yaml"), "w", encoding="utf-8") as f:
        f.write("double_tap_ms: 60\nthanks_seconds: 1\n")
    # A new database opens staff set-up instead of the welcome: the kiosk is
    # prepared as the README's set-up says, its PIN set by tellus set-pin.
    r = subprocess.run([args.tellus, "set-pin", "--db", db], input="246810\n246810\n",
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        sys.exit(f"crash_loop: tellus set-pin failed: {r.stdout}{r.stderr}")
    t0 = time.monotonic()
    kills = terms = clean = 0
    known_lost = set()
    first_loss = None
    try:
        # --kills counts the SIGKILLs; the SIGTERM rounds come on top.
        i = -1
        while kills < args.kills:
            i += 1
            term = run_round(args, rnd, i, work, db, drawn)
            terms += term
            kills += not term
            if not os.path.exists(db):
                if drawn_answers(drawn):
                    raise Failure(f"round {i}: answers were drawn but there is no database")
                clean += 1
                continue
            ok, answers, sessions = db_state(db)
            if ok != "ok":
                raise Failure(f"round {i}: integrity_check says {ok!r}")
            # A loss is counted against the round it happened in (the
            # share that lost nothing is a real figure) and reported at
            # the end.
            lost = drawn_answers(drawn) - answers - known_lost
            if lost:
                known_lost |= lost
                if not first_loss:
                    first_loss = (f"round {i} ({'SIGTERM' if term else 'SIGKILL'}): {len(lost)} "
                                  f"answers drawn but not on disk, e.g. {sorted(lost)[:3]}")
                continue
            open_now = [s for s, st in sessions.items() if st == "in_progress"]
            if len(open_now) > 1:
                raise Failure(f"round {i}: {len(open_now)} sessions in progress; every start "
                              "must close what the last run left open")
            if term and open_now:
                raise Failure(f"round {i}: SIGTERM left {open_now[0]} in progress")
            clean += 1
        elapsed = time.monotonic() - t0
        final_start(args, db, drawn)
        ok, answers, sessions = db_state(db)
        if ok != "ok":
            raise Failure(f"after the last start integrity_check says {ok!r}")
        left = [s for s, st in sessions.items() if st == "in_progress"]
        if left:
            raise Failure(f"the last start left {len(left)} sessions in progress")
        lost = drawn_answers(drawn) - answers - known_lost
        if lost:
            raise Failure(f"{len(lost)} drawn answers missing at the end")
        exported, n_rows = check_export(args, work, db, sessions, answers)
        counts = {}
        for st in sessions.values():
            counts[st] = counts.get(st, 0) + 1
        print(f"crash_loop: {kills} SIGKILLs, {terms} SIGTERMs, {len(sessions)} sessions "
              f"({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}), "
              f"{len(answers)} answers, {len(drawn_answers(drawn))} seen drawn, "
              f"all exported ({n_rows} answer rows)", flush=True)
        if args.bench:
            print(f"crash_loop kills={kills} sigterms={terms} "
                  f"kills_per_minute={60.0 * (kills + terms) / elapsed:.1f} "
                  f"lost_nothing={100.0 * clean / (kills + terms):.1f}%", flush=True)
        if first_loss:
            raise Failure(f"{kills + terms - clean} rounds lost answers; the first: {first_loss}")
        if counts.get("interrupted", 0) == 0:
            raise Failure("no session was interrupted: the kills never caught one")
    except Failure as e:
        print(f"crash_loop: FAILED (seed {seed}): {e}", flush=True)
        print(f"crash_loop: kept {work}", flush=True)
        return 1
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"crash_loop: kept {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
