#!/usr/bin/env python3
"""bench_launch: launch to the whole welcome screen drawn, against a bare
SDL2 program drawing a comparable screen (bare_sdl.c), both measured in the
same run on the same Xvfb display by pixels_x11, which starts the command
and polls the root window every 2 ms from outside the process.

Tellus runs as shipped: fullscreen kiosk mode, default settings (no
--config: the three bundled demo flows), on an existing database holding
10,000 answers (2,000 made-up sessions of 5). Runs are interleaved
(tellus, bare, tellus, bare...) so that the machine's load falls on both
alike. Then, on one more kiosk left running on the welcome screen: its
memory (PSS from /proc/PID/smaps_rollup) and the CPU ticks it uses in 20 s
of idling there. The same again with `renderer: gpu` forced (and the bare
program on SDL's accelerated renderer).

Prints `name value unit` lines: launch.<renderer>.tellus.p50, .bare.p50,
.ratio (tellus p50 / bare p50; the target is 1.25 or less), pss.<renderer>,
idle_ticks.<renderer> (target 0), idle_wakeups.<renderer>. A benchmark, not pass/fail.
Usage: bench_launch.py --tellus BIN --bare BIN --pixels BIN [--runs N] [--idle-seconds N]
"""

import argparse
import os
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
import idle  # noqa: E402
import kiosk_xvfb as kx  # noqa: E402

def fig(name, value, unit):
    print(f"{name} {value} {unit}", flush=True)


def make_db(tellus, db, env):
    """A database made by tellus itself, then 10,000 made-up answers."""
    subprocess.run([tellus, "--exit-after-first-frame", "--windowed", "--db", db],
                   env=dict(env, SDL_VIDEODRIVER="dummy"), check=True, capture_output=True)
    con = sqlite3.connect(db)
    kiosk = con.execute("SELECT value FROM meta WHERE key='kiosk_id'").fetchone()
    kiosk = kiosk[0] if kiosk else "bench"
    con.execute("INSERT OR IGNORE INTO flows(hash, id, version, source) VALUES('bench', 'school-day', 1, '')")
    for s in range(2000):
        sid = str(uuid.UUID(int=s + 1))
        t = f"2026-11-{1 + s % 28:02d}T10:{s % 60:02d}:00Z"
        con.execute("INSERT INTO sessions(id, kiosk_id, flow_id, flow_version, flow_hash, started_at,"
                    " ended_at, status, language, presentation) VALUES(?,?,?,?,?,?,?,?,?,?)",
                    (sid, kiosk, "school-day", 1, "bench", t, t, "completed", "en", "large-symbol"))
        for q in range(5):
            con.execute("INSERT INTO answers(session_id, seq, question_id, question_index, question_text,"
                        " kind, given_at, time_taken_ms, input_method) VALUES(?,?,?,?,?,?,?,?,?)",
                        (sid, q + 1, f"q{q}", q, f"Question {q}", "chosen", t, 1500, "touch"))
            con.execute("INSERT INTO answer_choices(session_id, seq, position, answer_id, answer_label)"
                        " VALUES(?,?,?,?,?)", (sid, q + 1, 0, "yes", "Yes"))
    con.commit()
    n = con.execute("SELECT count(*) FROM answers").fetchone()[0]
    con.close()
    return n


def launch(pixels, cmd, env):
    r = subprocess.run([pixels, "--settle-ms", "1000", "--timeout-ms", "60000", "--"] + cmd,
                       env=env, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise kx.Failure(f"{cmd[0]} showed no settled screen: {r.stdout}{r.stderr[-500:]}")
    vals = dict(kv.split("=") for kv in r.stdout.split())
    return float(vals["whole_ms"])


def idle_figures(pixels, tellus_cmd, env, seconds):
    """PSS on the welcome screen, and the ticks and wakeups of every thread
    idling there (idle.py). Waits for the conditions, not for a time: the
    screen whole (pixels_x11 --keep leaves the kiosk running and says its
    pid), then speech's sound device closed again (3 s after it opened,
    after the first frame)."""
    with tempfile.TemporaryFile("w+") as o:
        # A file, not a pipe: tellus inherits it and outlives pixels_x11.
        r = subprocess.run([pixels, "--settle-ms", "1000", "--timeout-ms", "60000", "--keep", "--"]
                           + tellus_cmd, env=env, stdout=o, stderr=subprocess.DEVNULL, timeout=120)
        o.seek(0)
        out = o.read()
    vals = dict(kv.split("=", 1) for kv in out.split() if "=" in kv)
    pid = int(vals.get("pid", "0"))
    if r.returncode != 0 or not pid:
        raise kx.Failure(f"the kiosk showed no settled screen to idle on: {out}")
    try:
        if not idle.wait_sound_closed(pid):
            raise kx.Failure("the kiosk's sound device stayed open 30 s after its first frame")
        if not os.path.exists(f"/proc/{pid}"):
            raise kx.Failure("the kiosk exited before it could idle")
        pss = idle.pss_kib(pid)
        used, wakeups, _ = idle.measure(pid, seconds)
        return pss, used, wakeups
    finally:
        stop_pid(pid)


def stop_pid(pid):
    """SIGTERM, then waits for it to be gone (pixels_x11 left it running;
    it is reaped by init once pixels_x11 has exited)."""
    try:
        os.kill(pid, 15)
    except OSError:
        return
    end = time.monotonic() + 15
    while time.monotonic() < end:
        try:
            state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state == "Z":
            return
        time.sleep(0.05)
    os.kill(pid, 9)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tellus", required=True)
    ap.add_argument("--bare", required=True)
    ap.add_argument("--pixels", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--idle-seconds", type=float, default=20)
    args = ap.parse_args()
    src = os.environ.get("TELLUS_SOURCE_ROOT", os.path.join(HERE, "..", ".."))
    tmp = tempfile.mkdtemp(prefix="tellus-launch-")
    xvfb = None
    try:
        env = dict(os.environ, TELLUS_DATA_DIR=src, SDL_AUDIODRIVER="dummy")
        env.pop("SDL_RENDER_DRIVER", None)
        env.pop("SDL_VIDEODRIVER", None)
        db = os.path.join(tmp, "kiosk.db")
        fig("launch.db_answers", make_db(args.tellus, db, env), "answers")
        gpu_conf = os.path.join(tmp, "gpu.yaml")
        with open(gpu_conf, "w") as f:
            f.write("renderer: gpu\n")
        xvfb, n = kx.start_xvfb(tmp)
        env["DISPLAY"] = f":{n}"
        env["SDL_VIDEODRIVER"] = "x11"
        for name, extra, bare_r in [("auto", [], "software"), ("gpu", ["--config", gpu_conf], "gpu")]:
            tellus_cmd = [args.tellus, "--db", db] + extra
            bare_cmd = [args.bare, "--renderer", bare_r, src]
            launch(args.pixels, tellus_cmd, env)  # warm the page cache for both
            launch(args.pixels, bare_cmd, env)
            t, b = [], []
            for _ in range(args.runs):
                t.append(launch(args.pixels, tellus_cmd, env))
                b.append(launch(args.pixels, bare_cmd, env))
            tp, bp = statistics.median(t), statistics.median(b)
            fig(f"launch.{name}.tellus.p50", f"{tp:.1f}", "ms")
            fig(f"launch.{name}.bare.p50", f"{bp:.1f}", "ms")
            fig(f"launch.{name}.tellus.min", f"{min(t):.1f}", "ms")
            fig(f"launch.{name}.bare.min", f"{min(b):.1f}", "ms")
            fig(f"launch.{name}.ratio", f"{tp / bp:.2f}", "x")
            pss, used, wakeups = idle_figures(args.pixels, tellus_cmd, env, args.idle_seconds)
            fig(f"pss.{name}", f"{pss / 1024:.1f}", "MiB")
            fig(f"idle_ticks.{name}", used, f"ticks_in_{args.idle_seconds:.0f}s")
            fig(f"idle_wakeups.{name}", wakeups, f"in_{args.idle_seconds:.0f}s")
    finally:
        kx.stop(xvfb, "Xvfb")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except kx.Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
