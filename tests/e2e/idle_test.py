#!/usr/bin/env python3
"""idle_test: the kiosk as shipped sleeps on its welcome screen.

On a real X server (Xvfb), in fullscreen kiosk mode with the default
settings, once with `renderer: auto` (SDL's software renderer here: no GPU)
and once with `renderer: gpu` forced (OpenGL on Mesa's llvmpipe), each on a
database that already holds a session (so the welcome screen shows, not the
staff set-up): pixels_x11 starts tellus and waits until its screen is whole
(checked with screen_check.welcome_problems), then the test lets it idle
for 20 s and reads from /proc what its threads did (idle.py).

Prints the CPU ticks and wakeups of each renderer and which threads woke.
Fails when the kiosk used any CPU tick in the 20 s, or woke more than
MAX_WAKEUPS times (a stray X event may wake it once or twice). What it
catches: SDL's joystick subsystem left up with no joystick wakes the loop
every 3 s (7 wakeups and 2 to 3 ticks in 20 s: switch_devices.c keeps it
down), an open sound device wakes every 23 ms, a busy loop thousands of
times.

Usage: idle_test.py --tellus BIN --pixels BIN [--seconds 20]
"""

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import idle  # noqa: E402
import kiosk_xvfb as kx  # noqa: E402
import screen_check as sc  # noqa: E402

MAX_WAKEUPS = 2
MAX_TICKS = 0


def make_db(tellus, db, env):
    """A database made by tellus itself, with one made-up finished session."""
    subprocess.run([tellus, "--exit-after-first-frame", "--windowed", "--db", db],
                   env=dict(env, SDL_VIDEODRIVER="dummy"), check=True, capture_output=True)
    con = sqlite3.connect(db)
    con.execute("INSERT OR IGNORE INTO flows(hash, id, version, source) VALUES('idle', 'school-day', 1, '')")
    con.execute("INSERT INTO sessions(id, kiosk_id, flow_id, flow_version, flow_hash, started_at, ended_at,"
                " status, language, presentation) VALUES('00000000-0000-0000-0000-000000000001',"
                " 'idle', 'school-day', 1, 'idle', '2026-11-02T10:00:00Z', '2026-11-02T10:01:00Z',"
                " 'completed', 'en', 'large-symbol')")
    con.commit()
    con.close()


def run_one(args, env, tmp, name, extra):
    shot = os.path.join(tmp, f"{name}.ppm")
    # Files, not pipes: tellus inherits them and outlives pixels_x11.
    with open(os.path.join(tmp, f"{name}.out"), "w+") as o, open(os.path.join(tmp, f"{name}.err"), "w+") as e:
        rc = subprocess.run([args.pixels, "--settle-ms", "1000", "--timeout-ms", "90000", "--keep",
                             "--out", shot, "--", args.tellus, "--db", os.path.join(tmp, "kiosk.db")] + extra,
                            env=env, stdout=o, stderr=e, timeout=150).returncode
        o.seek(0)
        e.seek(0)
        out, err = o.read(), e.read()
    vals = dict(kv.split("=", 1) for kv in out.split() if "=" in kv)
    pid = int(vals.get("pid", "0"))
    if rc != 0 or not pid:
        raise kx.Failure(f"{name}: tellus showed no settled screen: {out} {err[-800:]}")
    try:
        problems = sc.welcome_problems(sc.read_ppm(shot))
        if problems:
            raise kx.Failure(f"{name}: the screen is not the welcome screen: {'; '.join(problems)}")
        # Speech's sound device opens after the first frame and closes 3 s
        # after its last sound: idling starts once it has.
        if not idle.wait_sound_closed(pid):
            print(f"{name}: tellus's sound device was still open after 30 s", flush=True)
        if not idle.wait_quiet(pid):
            # Measured all the same: the figures below then say what kept it awake.
            print(f"{name}: tellus never spent 2 s without a wakeup in 20 s", flush=True)
        if not os.path.exists(f"/proc/{pid}"):
            raise kx.Failure(f"{name}: tellus ended while it should idle")
        ticks, wakeups, busy = idle.measure(pid, args.seconds)
        print(f"idle.{name}.ticks {ticks} ticks_in_{args.seconds:.0f}s", flush=True)
        print(f"idle.{name}.wakeups {wakeups} in_{args.seconds:.0f}s", flush=True)
        for b in busy:
            print(f"  {b}", flush=True)
        return ticks, wakeups
    finally:
        try:
            os.kill(pid, 15)
        except OSError:
            pass
        end = time.monotonic() + 15
        while os.path.exists(f"/proc/{pid}") and time.monotonic() < end:
            try:
                # Reap it if it is ours (pixels_x11 left it to us: it is its child,
                # reparented to init once pixels_x11 exited).
                if open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
            except OSError:
                break
            time.sleep(0.1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tellus", required=True)
    ap.add_argument("--pixels", required=True)
    ap.add_argument("--seconds", type=float, default=20)
    args = ap.parse_args()
    src = os.environ.get("TELLUS_SOURCE_ROOT", os.path.join(HERE, "..", ".."))
    tmp = tempfile.mkdtemp(prefix="tellus-idle-")
    xvfb = None
    try:
        env = dict(os.environ, TELLUS_DATA_DIR=src, SDL_AUDIODRIVER="dummy")
        env.pop("SDL_RENDER_DRIVER", None)
        # SDL's x11 backend brings in libdbus, whose few allocations at exit
        # no suppression can name (kiosk_xvfb.py says more).
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
        make_db(args.tellus, os.path.join(tmp, "kiosk.db"), env)
        gpu = os.path.join(tmp, "gpu.yaml")
        with open(gpu, "w") as f:
            f.write("renderer: gpu\n")
        xvfb, n = kx.start_xvfb(tmp)
        env["DISPLAY"] = f":{n}"
        env["SDL_VIDEODRIVER"] = "x11"
        bad = []
        for name, extra in (("auto", []), ("gpu", ["--config", gpu])):
            ticks, wakeups = run_one(args, env, tmp, name, extra)
            if wakeups > MAX_WAKEUPS:
                bad.append(f"{name}: {wakeups} wakeups in {args.seconds:.0f} s (at most {MAX_WAKEUPS})")
            if ticks > MAX_TICKS:
                bad.append(f"{name}: {ticks} ticks of CPU in {args.seconds:.0f} s (at most {MAX_TICKS})")
        if bad:
            raise kx.Failure("the kiosk does not sleep on its welcome screen: " + "; ".join(bad))
        print("the kiosk sleeps on its welcome screen with either renderer")
    finally:
        kx.stop(xvfb, "Xvfb")
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except kx.Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
