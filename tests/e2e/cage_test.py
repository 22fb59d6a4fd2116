#!/usr/bin/env python3
"""cage_test: the real tellus under cage (the Wayland kiosk compositor of
tellus-kiosk.service), drawing through SDL's native Wayland driver.

cage refuses to run as root, so it runs as the unprivileged user nobody
with its own XDG_RUNTIME_DIR, on wlroots' headless backend with the pixman
renderer (WLR_BACKENDS=headless WLR_RENDERER=pixman: no GPU, no screen).
Inside it tellus starts with SDL_VIDEODRIVER=wayland on a fresh database.
The test then checks, from outside both processes:

- the frame tellus hands to cage is the whole welcome screen: the pixels
  of the wl_shm buffers its Wayland surface is drawn into (Mesa's
  memfd "mesa-shared", read through /proc/PID/mem) pass
  screen_check.welcome_problems;
- no Xwayland ever ran (cage starts it only when an X client connects),
  and tellus made its database;
- idle on the welcome screen for 20 s it uses no CPU tick and wakes at
  most twice (read from /proc, idle.py);
- SIGTERM ends tellus with exit 0, and cage with it.
- cage killed under a kiosk in the middle of its answers (the autoplay
  one below): tellus ends by itself, with status 1, and leaves no session
  in progress.

- grim's screenshot of cage's output (the screencopy protocol, what a
  person would see) is the whole welcome screen, and tellus's frame is the
  output's size: the kiosk fills the screen. (Both failed while SDL drew
  through libdecor: the window kept its asked-for 1280x800 on the 1280x720
  output and cage composited black; tellus now tells SDL to leave libdecor
  out in kiosk mode.)
- one answer through cage: cage 0.1.4 offers no virtual-keyboard protocol,
  so wtype cannot type into it (the test tries, and says so), and the
  headless backend has no input devices. What stands in: a second kiosk
  under cage with TELLUS_TEST_AUTOPLAY, which taps its own screen through
  SDL's event queue and the real loop (app_testhooks.c), must store an
  answer and then hand cage a frame other than the welcome. grim's view
  after it is only reported: once frames come quickly, cage 0.1.4's
  headless output fails its output test on most of them ("Basic output
  test failed" in its log) and keeps showing its last good frame. The X11
  end-to-end test (kiosk_xvfb.py) drives a whole session with real input
  from outside.

Needs root (runuser, /proc/PID/mem); fails, never skips.
Usage: cage_test.py --tellus BIN [--keep]
"""

import argparse
import os
import pwd
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import idle  # noqa: E402
import screen_check as sc  # noqa: E402

WIDTHS = (1280, 1920, 1024, 800)
IDLE_S = 20
idle_max_wakeups = 2


class Failure(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def comm(pid):
    try:
        return open(f"/proc/{pid}/comm").read().strip()
    except OSError:
        return ""


def frames(pid):
    """The images in the process's mesa-shared buffers (XRGB8888)."""
    maps = open(f"/proc/{pid}/maps").read()
    out = []
    with open(f"/proc/{pid}/mem", "rb") as mem:
        for a, b in re.findall(r"^([0-9a-f]+)-([0-9a-f]+) rw-s .*memfd:mesa-shared", maps, re.M):
            a, b = int(a, 16), int(b, 16)
            mem.seek(a)
            data = mem.read(b - a)
            for w in WIDTHS:
                if len(data) % (w * 4) == 0:
                    h = len(data) // (w * 4)
                    rgb = bytearray(w * h * 3)
                    rgb[0::3] = data[2::4]
                    rgb[1::3] = data[1::4]
                    rgb[2::3] = data[0::4]
                    out.append(sc.Image(w, h, bytes(rgb)))
                    break
    return out


def as_nobody(run_dir):
    return ["runuser", "-u", "nobody", "--", "env", f"XDG_RUNTIME_DIR={run_dir}",
            "WAYLAND_DISPLAY=wayland-0"]


def grim(run_dir, name):
    """grim's screenshot of cage's output."""
    shot = os.path.join(run_dir, name)
    r = subprocess.run(as_nobody(run_dir) + ["grim", shot], capture_output=True, text=True, timeout=30)
    if r.returncode != 0 or not os.path.exists(shot):
        raise Failure(f"grim could not take a screenshot of cage's output: {r.stderr.strip()[-300:]}")
    return sc.read_png(shot)


def descendants(pid):
    out, todo = [], children(pid)
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children(p)
    return out


def autoplay_answer(args, env, tmp, run_dir, db, welcome):
    """A kiosk under cage tapping its own screen (TELLUS_TEST_AUTOPLAY)
    stores an answer, and cage's output then shows another screen."""
    before = answers(db)
    errf = open(os.path.join(tmp, "cage-autoplay.log"), "w+")
    # Through sh, which writes tellus's exit status down: once cage is
    # killed nobody waits for tellus but init.
    rc_file = os.path.join(run_dir, "tellus-rc")
    # No leak check for this one (as in kiosk_xvfb.py): ending on a dead
    # Wayland connection, SDL leaves its Wayland objects unfreed, in stacks
    # of libraries it has unloaded by then, so no suppression can name them.
    # The UI tests check the app's own code for leaks.
    aenv = dict(env, TELLUS_TEST_AUTOPLAY="7",
                ASAN_OPTIONS=env.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
    cage = subprocess.Popen(["runuser", "-u", "nobody", "--", "env"]
                            + [f"{k}={v}" for k, v in aenv.items()]
                            + ["cage", "--", "sh", "-c", 'exec 3>"$1"; shift; "$@"; echo $? >&3',
                               "sh", rc_file, os.path.realpath(args.tellus), "--db", db],
                            stdout=errf, stderr=subprocess.STDOUT)
    try:
        end = time.monotonic() + 90
        while time.monotonic() < end and cage.poll() is None and answers(db) <= before:
            time.sleep(0.25)
        n = answers(db)
        if n <= before:
            errf.seek(0)
            raise Failure(f"the kiosk under cage stored no answer while tapping its own screen:\n"
                          f"{errf.read()[-800:]}")
        # What tellus hands to cage now: a frame other than the welcome.
        tl = [p for p in descendants(cage.pid) if comm(p) == "tellus"]
        shown = [img for img in (frames(tl[0]) if tl else [])
                 if (img.w, img.h) == (welcome.w, welcome.h) and differ_px(img, welcome) >= img.w * img.h // 10]
        if not shown:
            raise Failure("after an answer was stored tellus under cage still hands over only the welcome screen")
        # grim's view, said: cage 0.1.4's headless output fails its output
        # test ("Basic output test failed" in the log) on most frames once
        # they come quickly, and keeps showing its last good one.
        img = grim(run_dir, "grim-answered.png")
        log("grim after the answer: " + ("another screen" if differ_px(img, welcome) >= img.w * img.h // 10
                                         else "still the welcome screen (cage's output test failed)"))
        log(f"an answer through the loop under cage: {n - before} stored, tellus hands cage the next screen")
        compositor_lost(cage, rc_file, db, errf)
    finally:
        end_cage(cage)
        errf.close()


def compositor_lost(cage, rc_file, db, errf):
    """cage killed under a kiosk that is tapping its way through a session:
    tellus ends by itself within 5 s with status 1 (so the service starts
    it again), leaving no session in progress (the live one unfinished)."""
    tl = [p for p in descendants(cage.pid) if comm(p) == "tellus"]
    if not tl:
        raise Failure("no tellus under cage to lose its compositor")
    # cage runs as nobody through runuser: the kill goes to cage itself.
    cg = [p for p in descendants(cage.pid) if comm(p) == "cage"] or [cage.pid]
    os.kill(cg[0], signal.SIGKILL)
    cage.wait(30)
    end = time.monotonic() + 5
    while time.monotonic() < end and not (os.path.exists(rc_file) and open(rc_file).read().strip()):
        time.sleep(0.05)
    rc = open(rc_file).read().strip() if os.path.exists(rc_file) else ""
    if not rc:
        for p in tl:   # not cage's any more, so end_cage would miss it
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        errf.seek(0)
        raise Failure(f"tellus still runs 5 s after cage was killed:\n{errf.read()[-800:]}")
    if rc != "1":
        errf.seek(0)
        raise Failure(f"tellus exited {rc} when cage was killed, not 1:\n{errf.read()[-800:]}")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        st = dict(con.execute("SELECT status, count(*) FROM sessions GROUP BY status").fetchall())
    finally:
        con.close()
    if st.get("in_progress"):
        raise Failure(f"a session was left in progress when cage was killed: {st}")
    log(f"cage killed: tellus exited 1 by itself, sessions {st}")


def differ_px(a, b):
    """Pixels that differ between two images of one size."""
    return sum(1 for i in range(0, min(len(a.rgb), len(b.rgb)), 3) if a.rgb[i:i + 3] != b.rgb[i:i + 3])


def end_cage(cage):
    """Ends cage and every tellus under it. A tellus whose compositor is
    gone ends by itself now, with status 1 (src/ui/app_display.c; before,
    it slept on for ever), but one stuck must not hold the test, so they
    go first, by pid."""
    if cage.poll() is None:
        kids = [p for p in descendants(cage.pid) if comm(p) == "tellus"]
        for p in kids:
            try:
                os.kill(p, signal.SIGKILL)
            except OSError:
                pass
        cage.terminate()
        try:
            cage.wait(10)
        except subprocess.TimeoutExpired:
            cage.kill()
            cage.wait(10)


def answers(db):
    """Answers in the kiosk's database (read-only, as the kiosk writes)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM answers").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tellus", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise Failure("the cage test runs cage as the user nobody and reads tellus's frame "
                      "through /proc, so it needs root")
    for tool in ("cage", "grim", "wtype", "runuser"):
        if not shutil.which(tool):
            raise Failure(f"{tool} is missing; scripts/setup installs it")
    src = os.path.realpath(os.environ.get("TELLUS_SOURCE_ROOT", os.path.join(HERE, "..", "..")))
    nobody = pwd.getpwnam("nobody")
    tmp = tempfile.mkdtemp(prefix="tellus-cage-")
    os.chmod(tmp, 0o755)
    run_dir = os.path.join(tmp, "run")
    os.mkdir(run_dir, 0o700)
    os.chown(run_dir, nobody.pw_uid, nobody.pw_gid)
    db = os.path.join(run_dir, "tellus.db")
    env = {
        "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        "XDG_RUNTIME_DIR": run_dir,
        "WLR_BACKENDS": "headless",
        "WLR_RENDERER": "pixman",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "TELLUS_DATA_DIR": src,
        "SDL_VIDEODRIVER": "wayland",
        "SDL_AUDIODRIVER": "dummy",
        "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", ""),
        "UBSAN_OPTIONS": os.environ.get("UBSAN_OPTIONS", ""),
    }
    # A new database opens staff set-up instead of the welcome: the kiosk is
    # prepared as the README's set-up says, its PIN set by tellus set-pin
    # (two lines on stdin), as the user the kiosk runs as.
    r = subprocess.run(["runuser", "-u", "nobody", "--", "env"] + [f"{k}={v}" for k, v in env.items()]
                       + [os.path.realpath(args.tellus), "set-pin", "--db", db],
                       input="246810\n246810\n", capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise Failure(f"tellus set-pin: {(r.stdout + r.stderr).strip()[-300:]}")
    errf = open(os.path.join(tmp, "cage.log"), "w+")
    cage = subprocess.Popen(["runuser", "-u", "nobody", "--", "env"] + [f"{k}={v}" for k, v in env.items()]
                            + ["cage", "--", os.path.realpath(args.tellus), "--db", db],
                            stdout=errf, stderr=subprocess.STDOUT)
    tellus = None
    try:
        end = time.monotonic() + 90
        good = None
        seen_xwayland = False
        while time.monotonic() < end and cage.poll() is None:
            procs = []
            todo = children(cage.pid)
            while todo:
                p = todo.pop()
                procs.append(p)
                todo += children(p)
            seen_xwayland |= any(comm(p).lower().startswith("xwayland") for p in procs)
            tl = [p for p in procs if comm(p) == "tellus"]
            if tl:
                tellus = tl[0]
                try:
                    for img in frames(tellus):
                        if not sc.welcome_problems(img):
                            good = img
                except OSError:
                    pass
                if good:
                    break
            time.sleep(0.25)
        errf.seek(0)
        out = errf.read()
        if good is None:
            raise Failure("tellus under cage never presented a whole welcome screen through "
                          f"Wayland (cage {'exited ' + str(cage.returncode) if cage.poll() is not None else 'running'}"
                          f"):\n{out[-1500:]}")
        good.save_png(os.path.join(tmp, "tellus-wayland-frame.png"))
        log(f"tellus drew the whole welcome screen into its Wayland surface ({good.w}x{good.h})")
        if "drawing with" not in out:
            raise Failure(f"tellus did not say how it draws:\n{out[-800:]}")
        if not os.path.exists(db):
            raise Failure("tellus under cage made no database")
        log("the database is there")

        # Idle on the welcome screen under cage, as on X11 (idle_test.py):
        # once speech's sound device has closed (3 s after its last sound).
        if not idle.wait_sound_closed(tellus):
            log("tellus's sound device was still open after 30 s")
        idle.wait_quiet(tellus)
        ticks, wakeups, busy = idle.measure(tellus, IDLE_S)
        log(f"idle.cage.ticks {ticks} ticks_in_{IDLE_S}s")
        log(f"idle.cage.wakeups {wakeups} in_{IDLE_S}s")
        for b in busy:
            log(f"  {b}")
        if ticks > 0 or wakeups > idle_max_wakeups:
            raise Failure(f"tellus under cage does not sleep on its welcome screen: {ticks} ticks, "
                          f"{wakeups} wakeups in {IDLE_S} s (want 0 ticks, at most {idle_max_wakeups} wakeups)")
        # Xwayland would have been started by now (cage starts it when an X
        # client connects): the idle stretch is the window it had.
        for p in children(cage.pid):
            seen_xwayland |= comm(p).lower().startswith("xwayland")
        if seen_xwayland:
            raise Failure("Xwayland ran under cage: tellus should draw through Wayland itself")
        log("no Xwayland ran")

        img = grim(run_dir, "grim.png")
        problems = sc.welcome_problems(img)
        if problems:
            raise Failure(f"grim: cage's output {img.w}x{img.h} is not the welcome screen: "
                          + "; ".join(problems))
        # The frame tellus hands over now is the output's size (under
        # Wayland the fullscreen size comes after the window is shown, so
        # a first frame may be at the asked-for 1280x800).
        end = time.monotonic() + 20
        full = None
        while full is None and time.monotonic() < end:
            full = next((f for f in frames(tellus) if (f.w, f.h) == (img.w, img.h)
                         and not sc.welcome_problems(f)), None)
            time.sleep(0.25)
        if full is None:
            raise Failure(f"tellus never handed cage a whole welcome screen of the output's size "
                          f"{img.w}x{img.h} (its first was {good.w}x{good.h}): the kiosk does not "
                          "fill the screen")
        log(f"grim: cage's output {img.w}x{img.h} shows the welcome screen, tellus's frame fills it")

        r = subprocess.run(as_nobody(run_dir) + ["wtype", "-k", "Return"], capture_output=True,
                           text=True, timeout=30)
        if r.returncode == 0:
            raise Failure("wtype typed into cage: it takes virtual keyboards now, so drive the "
                          "answer with it instead of TELLUS_TEST_AUTOPLAY")
        log(f"wtype cannot type into cage 0.1.4: {r.stderr.strip()[-200:]}")

        os.kill(tellus, signal.SIGTERM)
        try:
            cage.wait(30)
        except subprocess.TimeoutExpired:
            raise Failure("cage did not end within 30 s of tellus being sent SIGTERM") from None
        errf.seek(0)
        out = errf.read()
        log(f"SIGTERM: tellus ended and cage with it (cage exit {cage.returncode})")
        if cage.returncode != 0:
            raise Failure(f"cage ended with {cage.returncode} after tellus's SIGTERM (cage passes "
                          f"on its client's status):\n{out[-800:]}")
        errf.close()
        autoplay_answer(args, env, tmp, run_dir, db, img)
    finally:
        end_cage(cage)
        errf.close()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
