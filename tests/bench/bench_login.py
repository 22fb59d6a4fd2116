#!/usr/bin/env python3
"""bench_login: the kiosk's memory before and after staff logins, measured
on what a user gets: the shipped binary, fullscreen kiosk mode, its default
renderer, on an Xvfb display, read from outside the process.

The PIN is checked with argon2id (libsodium, 64 MiB of working memory, on
the staff worker thread); a login must not leave the kiosk bigger. Each
round is a person's login as the README tells staff: the hidden gesture
(hold the top-left corner 3 s, tap the top-right), the PIN on the pad, the
staff menu, Close. The buttons are found in the kiosk's frame log
(TELLUS_TEST_FRAME_LOG, tests/e2e/frames.py), clicked with xdotool; PSS is
read from /proc/PID/smaps_rollup on the welcome screen before, on the
staff menu and back on welcome after each round, and the kiosk's dirty private
memory beside it (see memory()).

Prints `name value unit` lines. The first login warms the staff screens'
text and textures (kept in their caches) and starts the worker thread; a
later login must leave its dirty private memory within 1 MiB of the first's:
exits 1 if not, or if any step fails.
Usage: bench_login.py --tellus BIN [--rounds N]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import event_day as ed  # noqa: E402
import kiosk_xvfb as kx  # noqa: E402

ROUNDS = 3
SLACK_MIB = 1.0


def memory(pid):
    """(PSS, dirty) in MiB from smaps_rollup. PSS shares each library page
    among the processes mapping it, and a clean library page counts as
    private while no other process maps it, so both move by megabytes when
    other programs using SDL, HarfBuzz or OpenSSL start or end (seen here);
    the kiosk's dirty private memory (its heap, stacks and anonymous maps,
    Private_Dirty) is its alone, and is what a login could leave behind."""
    got = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[0].endswith(":"):
                got[parts[0][:-1]] = int(parts[1])
    if "Pss" not in got:
        raise ed.Failure("no Pss line in smaps_rollup")
    return got["Pss"] / 1024.0, got.get("Private_Dirty", 0) / 1024.0


def settled_memory(pid, samples=8, gap=0.25):
    """The least of several readings 0.25 s apart: what stays, not a frame's
    passing buffers (a redraw of the 1280x800 screen takes some MiB for a
    moment)."""
    got = []
    for _ in range(samples):
        got.append(memory(pid))
        time.sleep(gap)
    return min(m[0] for m in got), min(m[1] for m in got)


def show(name, m):
    print(f"login.pss.{name} {m[0]:.1f} MiB")
    print(f"login.dirty.{name} {m[1]:.1f} MiB")


class ShippedKiosk(ed.Kiosk):
    """event_day's kiosk, but as shipped: fullscreen, SDL's renderer as the
    kiosk chooses it (no SDL_RENDER_DRIVER), no leak checker to weigh it."""

    def __init__(self, args, tmp, db):
        self.name, self.args, self.db = "kiosk", args, db
        self.display = f":{args.display}"
        self.xenv = dict(os.environ, DISPLAY=self.display)
        self.frames_path = os.path.join(tmp, "kiosk.frames.jsonl")
        self.log = ed.fl.FrameLog(self.frames_path)
        env = {k: v for k, v in os.environ.items() if k != "SDL_RENDER_DRIVER"}
        env.update(DISPLAY=self.display, SDL_VIDEODRIVER="x11", SDL_AUDIODRIVER="dummy",
                   TELLUS_TEST_FRAME_LOG=self.frames_path)
        self.env = env
        self.cmd = [args.tellus, "--db", db]
        self.out_path = os.path.join(tmp, "kiosk.log")
        self.p = None
        self.last_click = 0.0
        self.start()


def run(args, tmp):
    db = os.path.join(tmp, "tellus.db")
    r = subprocess.run([args.tellus, "set-pin", "--db", db], input=f"{ed.PIN}\n{ed.PIN}\n",
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise ed.Failure(f"tellus set-pin: {r.stdout}{r.stderr}")
    k = ShippedKiosk(args, tmp, db)
    try:
        k.screen("the welcome screen", lambda f: f.screen == "welcome" and f.staff == "off")
        time.sleep(4)   # speech's sound device closes 3 s after start
        before = settled_memory(k.p.pid)
        show("welcome_before", before)
        after = []
        for n in range(1, args.rounds + 1):
            k.open_staff_menu()
            show(f"round{n}.staff_menu", settled_memory(k.p.pid))
            k.press("staff-close", what="the staff menu's Close")
            k.screen("the welcome screen again",
                     lambda f: f.screen == "welcome" and f.staff == "off")
            time.sleep(1)
            after.append(settled_memory(k.p.pid))
            show(f"round{n}.welcome_after", after[-1])
        first = after[0][1] - before[1]
        later = after[-1][1] - after[0][1]
        print(f"login.dirty.first_login_cost {first:.1f} MiB")
        print(f"login.dirty.later_logins_cost {later:.1f} MiB")
        if later > SLACK_MIB:
            raise ed.Failure(f"logins after the first left {later:.1f} MiB of dirty "
                             f"memory behind (more than {SLACK_MIB} MiB)")
    finally:
        k.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tellus", required=True)
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tellus-login-") as tmp:
        args.tmp = tmp
        xvfb, args.display = ed.start_xvfb(tmp, None)
        try:
            run(args, tmp)
        except ed.Failure as e:
            print(f"bench_login: {e}", file=sys.stderr)
            return 1
        finally:
            kx.stop(xvfb, "Xvfb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
