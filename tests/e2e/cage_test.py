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
- SIGTERM ends tellus with exit 0, and cage with it.

grim takes a screenshot of cage's output too, and the test says what it
shows. Debian 12's cage 0.1.4 (wlroots 0.15) composites nothing but black
on the headless backend with pixman, for every client (Xwayland ones too;
its own output buffer in /dev/shm is black), which is why the frame is read
at the client's side. Input cannot be driven either: cage 0.1.4 has no
virtual-keyboard protocol (wtype says so) and the headless backend has no
input devices, so the answer is driven in the X11 end-to-end test instead.

Needs root (runuser, /proc/PID/mem); fails, never skips.
Usage: cage_test.py --tellus BIN [--keep]
"""

import argparse
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import screen_check as sc  # noqa: E402

WIDTHS = (1280, 1920, 1024, 800)


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tellus", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise Failure("the cage test runs cage as the user nobody and reads tellus's frame "
                      "through /proc, so it needs root")
    for tool in ("cage", "grim", "runuser"):
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
        time.sleep(1.0)
        for p in children(cage.pid):
            seen_xwayland |= comm(p).lower().startswith("xwayland")
        if seen_xwayland:
            raise Failure("Xwayland ran under cage: tellus should draw through Wayland itself")
        if not os.path.exists(db):
            raise Failure("tellus under cage made no database")
        log("no Xwayland ran; the database is there")

        shot = os.path.join(run_dir, "grim.png")
        r = subprocess.run(["runuser", "-u", "nobody", "--", "env", f"XDG_RUNTIME_DIR={run_dir}",
                            "WAYLAND_DISPLAY=wayland-0", "grim", shot], capture_output=True,
                           text=True, timeout=30)
        if r.returncode == 0 and os.path.exists(shot):
            img = sc.read_png(shot)
            problems = sc.welcome_problems(img)
            log(f"grim: cage's output {img.w}x{img.h} "
                + ("shows the welcome screen" if not problems else
                   "is not the welcome screen (cage 0.1.4 with pixman composites black): "
                   + "; ".join(problems[:1])))
        else:
            log(f"grim could not take a screenshot: {r.stderr.strip()[-300:]}")

        os.kill(tellus, signal.SIGTERM)
        try:
            cage.wait(30)
        except subprocess.TimeoutExpired:
            raise Failure("cage did not end within 30 s of tellus being sent SIGTERM") from None
        errf.seek(0)
        out = errf.read()
        if "Tellus exited" in out or "exited with status" in out:
            pass
        log(f"SIGTERM: tellus ended and cage with it (cage exit {cage.returncode})")
        if cage.returncode != 0:
            raise Failure(f"cage ended with {cage.returncode} after tellus's SIGTERM (cage passes "
                          f"on its client's status):\n{out[-800:]}")
    finally:
        if cage.poll() is None:
            cage.terminate()
            try:
                cage.wait(10)
            except subprocess.TimeoutExpired:
                cage.kill()
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
