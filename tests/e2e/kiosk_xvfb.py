#!/usr/bin/env python3
"""kiosk_xvfb: the end-to-end test of the real tellus binary in a real X window.

Starts Xvfb on a free display, runs build/tellus there with SDL's x11 video
driver and the software renderer, finds its window by the title "Tellus", and
clicks through the school-day flow with xdotool at the centres e2e_plan
printed (it walks the same flow headless at the same size). After every click
that should store something it waits for the row to be in the SQLite file, so
a missed click fails at once and names the step. Then it checks the whole
session in the database, that SIGTERM ends the kiosk with exit 0, that in
kiosk mode Escape and a window-close request do not quit, and (so those two
checks prove something) that in windowed mode both do.

Fails, never skips, when Xvfb or xdotool is missing: scripts/setup installs
them. Python 3 standard library only (ctypes reaches libX11 for the close
request, which xdotool 3.2016 cannot send).

Usage: kiosk_xvfb.py [--tellus BIN] [--plan BIN] [--keep]
TELLUS_SOURCE_ROOT and TELLUS_BUILD_ROOT (set by meson) locate the rest.
"""

import argparse
import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

W, H = 1280, 800
FLOW = "school-day.yaml"
# Generous: a 2-core machine running the ASan build starts slowly.
START_TIMEOUT = 60.0
ROW_TIMEOUT = 20.0
EXIT_TIMEOUT = 15.0
# More than the kiosk's 300 ms double-tap guard.
CLICK_GAP = 0.45


class Failure(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def need(tool):
    path = shutil.which(tool)
    if not path:
        raise Failure(f"{tool} is not installed; scripts/setup installs it "
                      "(apt-get install xvfb xdotool x11-utils)")
    return path


def wait_for(what, pred, timeout, interval=0.1):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > end:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


# ---- Xvfb ---------------------------------------------------------------

def free_display():
    for n in range(90, 400):
        if not os.path.exists(f"/tmp/.X11-unix/X{n}") and not os.path.exists(f"/tmp/.X{n}-lock"):
            return n
    raise Failure("no free X display number between :90 and :399")


def start_xvfb(tmp):
    xvfb = need("Xvfb")
    need("xdpyinfo")
    # -dpi 96: the layout's minimum target size depends on the panel's DPI,
    # and e2e_plan computes its centres headless where SDL assumes 96.
    for attempt in range(5):
        n = free_display()
        errf = open(os.path.join(tmp, f"xvfb-{n}.log"), "w")
        p = subprocess.Popen([xvfb, f":{n}", "-screen", "0", f"{W}x{H}x24", "-dpi", "96",
                              "-nolisten", "tcp", "-noreset"],
                             stdout=subprocess.DEVNULL, stderr=errf)
        env = dict(os.environ, DISPLAY=f":{n}")
        end = time.monotonic() + 20
        while time.monotonic() < end and p.poll() is None:
            r = subprocess.run(["xdpyinfo"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            if r.returncode == 0:
                log(f"Xvfb is up on :{n}")
                return p, n
            time.sleep(0.2)
        # Lost a race for the display number, or it hung: try another.
        stop(p, "Xvfb")
        errf.close()
        log(f"Xvfb on :{n} did not come up (attempt {attempt + 1}): "
            + open(os.path.join(tmp, f"xvfb-{n}.log")).read()[-400:])
    raise Failure("Xvfb would not start")


def stop(p, name):
    if p is None or p.poll() is not None:
        return
    p.terminate()
    try:
        p.wait(5)
    except subprocess.TimeoutExpired:
        log(f"{name} ignored SIGTERM; killing it")
        p.kill()
        p.wait(5)


# ---- the kiosk ----------------------------------------------------------

class Kiosk:
    def __init__(self, args, disp, tmp, name, windowed, db):
        self.name = name
        self.disp = disp
        self.xenv = dict(os.environ, DISPLAY=f":{disp}")
        env = dict(os.environ,
                   DISPLAY=f":{disp}",
                   SDL_VIDEODRIVER="x11",
                   SDL_RENDER_DRIVER="software",
                   SDL_AUDIODRIVER="dummy")
        # No leak check here: SDL's x11 backend brings in libdbus, which
        # keeps a few allocations at exit, and their stacks end in libraries
        # SDL has already unloaded, so no suppression can name them. The UI
        # tests check the same app code for leaks under the dummy driver.
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
        # A new database opens staff set-up instead of the welcome: these
        # kiosks are prepared the way the README's set-up says, with the
        # PIN set by `tellus set-pin` first (two lines on stdin, as scripts do).
        if not os.path.exists(db):
            r = subprocess.run([args.tellus, "set-pin", "--db", db], env=env,
                               input="246810\n246810\n", capture_output=True, text=True,
                               timeout=60)
            if r.returncode != 0:
                raise SystemExit(f"FAIL: tellus set-pin: {r.stdout}{r.stderr}")
        cmd = [args.tellus, "--db", db, "--flow",
               os.path.join(args.source, "config", "flows", FLOW)]
        if windowed:
            cmd += ["--windowed", "--size", f"{W}x{H}"]
        self.out_path = os.path.join(tmp, f"{name}.log")
        self.out = open(self.out_path, "w")
        log(f"[{name}] " + " ".join(cmd))
        self.p = subprocess.Popen(cmd, env=env, stdout=self.out, stderr=subprocess.STDOUT)
        self.win = self.find_window()

    def output(self):
        self.out.flush()
        with open(self.out_path, errors="replace") as f:
            return f.read()[-3000:]

    def xdo(self, *a, check=True, timeout=30):
        r = subprocess.run(["xdotool", *a], env=self.xenv, capture_output=True,
                           text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise Failure(f"[{self.name}] xdotool {' '.join(a)} failed: {r.stderr.strip()}")
        return r

    def alive(self):
        return self.p.poll() is None

    def find_window(self):
        # --sync waits for the window, but a slow start may outlast one try.
        end = time.monotonic() + START_TIMEOUT
        while time.monotonic() < end:
            if not self.alive():
                raise Failure(f"[{self.name}] tellus exited with {self.p.returncode} "
                              f"before its window appeared:\n{self.output()}")
            try:
                r = self.xdo("search", "--sync", "--onlyvisible", "--name", "^Tellus$",
                             check=False, timeout=10)
            except subprocess.TimeoutExpired:
                continue
            ids = r.stdout.split()
            if r.returncode != 0 or not ids:
                continue
            # SDL may replace its first X window while it sets up the
            # renderer (it tries a GL framebuffer and recreates the window),
            # so only trust an id that is still there a moment later, after
            # the first frame has reached the screen.
            win = ids[-1]
            time.sleep(1.0)
            again = self.xdo("search", "--onlyvisible", "--name", "^Tellus$", check=False)
            if win not in again.stdout.split():
                log(f"[{self.name}] window {win} went away; looking again")
                continue
            geo = self.xdo("getwindowgeometry", win, check=False)
            if geo.returncode != 0:
                continue
            geo = geo.stdout.strip().replace("\n", "; ")
            log(f"[{self.name}] window {win}: {geo}")
            if f"{W}x{H}" not in geo:
                raise Failure(f"[{self.name}] the window is not {W}x{H}: {geo}")
            return win
        raise Failure(f"[{self.name}] no window called Tellus after {START_TIMEOUT:.0f} s")

    def click(self, x, y):
        if not self.alive():
            raise Failure(f"[{self.name}] tellus exited with {self.p.returncode}:\n{self.output()}")
        self.xdo("mousemove", "--window", self.win, str(x), str(y), "click", "1")

    def key(self, *keys):
        # Through XTEST to the window under the pointer (no window manager,
        # so focus follows the pointer), as a real keyboard would type.
        self.xdo("mousemove", "--window", self.win, "5", "5")
        self.xdo("key", "--delay", "50", *keys)

    def close_request(self):
        """Asks the window to close the way a window manager does
        (WM_PROTOCOLS / WM_DELETE_WINDOW), which is what SDL turns into
        SDL_WINDOWEVENT_CLOSE and SDL_QUIT."""
        send_wm_delete(f":{self.disp}", int(self.win))

    def wait_exit(self, timeout=EXIT_TIMEOUT):
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def terminate_expect_zero(self):
        self.p.send_signal(signal.SIGTERM)
        rc = self.wait_exit()
        if rc is None:
            raise Failure(f"[{self.name}] tellus did not exit within {EXIT_TIMEOUT:.0f} s of SIGTERM")
        if rc != 0:
            raise Failure(f"[{self.name}] tellus exited with {rc} after SIGTERM, not 0:\n{self.output()}")
        log(f"[{self.name}] SIGTERM: exited 0")

    def kill(self):
        if self.alive():
            self.p.kill()
            self.p.wait(10)
        self.out.close()


class XClientMessageEvent(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class XEvent(ctypes.Union):
    _fields_ = [("xclient", XClientMessageEvent), ("pad", ctypes.c_long * 24)]


def send_wm_delete(display, window):
    name = ctypes.util.find_library("X11")
    if not name:
        raise Failure("libX11 not found (it comes with SDL2's x11 driver)")
    x = ctypes.CDLL(name)
    x.XOpenDisplay.restype = ctypes.c_void_p
    x.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x.XInternAtom.restype = ctypes.c_ulong
    x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                             ctypes.c_long, ctypes.POINTER(XEvent)]
    x.XFlush.argtypes = [ctypes.c_void_p]
    x.XCloseDisplay.argtypes = [ctypes.c_void_p]
    d = x.XOpenDisplay(display.encode())
    if not d:
        raise Failure(f"cannot open {display} to send WM_DELETE_WINDOW")
    try:
        ev = XEvent()
        ev.xclient.type = 33  # ClientMessage
        ev.xclient.send_event = 1
        ev.xclient.display = d
        ev.xclient.window = window
        ev.xclient.message_type = x.XInternAtom(d, b"WM_PROTOCOLS", 0)
        ev.xclient.format = 32
        ev.xclient.data[0] = x.XInternAtom(d, b"WM_DELETE_WINDOW", 0)
        ev.xclient.data[1] = 0  # CurrentTime
        if not x.XSendEvent(d, window, 0, 0, ctypes.byref(ev)):
            raise Failure("XSendEvent failed")
        x.XFlush(d)
    finally:
        x.XCloseDisplay(d)


# ---- the database -------------------------------------------------------

def query(db, sql):
    if not os.path.exists(db):
        return None
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    except sqlite3.OperationalError:
        return None  # not created yet, or the schema is being made


def counts(db):
    s = query(db, "SELECT count(*) FROM sessions")
    a = query(db, "SELECT count(*) FROM answers")
    return (s[0][0] if s else 0, a[0][0] if a else 0)


# ---- the test -----------------------------------------------------------

def make_plan(args, tmp):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_RENDER_DRIVER="software",
               TMPDIR=tmp)
    r = subprocess.run([args.plan, FLOW, str(W), str(H)], env=env, capture_output=True,
                       text=True, timeout=300)
    if r.returncode != 0:
        raise Failure(f"e2e_plan failed ({r.returncode}):\n{r.stderr}")
    plan = json.loads(r.stdout)
    kinds = {s["action"] for s in plan["steps"]}
    for k in ("start", "answer", "done", "skip", "back", "decline", "finish"):
        if k not in kinds:
            raise Failure(f"the plan never presses {k}; the walk in e2e_plan.c needs mending")
    log(f"plan: {len(plan['steps'])} clicks, {len(plan['answers'])} answer rows, "
        f"min target {plan['min_target_px']} px")
    return plan


def walk_flow(args, disp, tmp, plan):
    db = os.path.join(tmp, "tellus.db")
    k = Kiosk(args, disp, tmp, "windowed-flow", True, db)
    try:
        for i, s in enumerate(plan["steps"]):
            time.sleep(CLICK_GAP)
            k.click(s["x"], s["y"])
            want = (s["sessions_after"], s["answers_after"])
            try:
                wait_for(f"{want[0]} session(s) and {want[1]} answer(s)",
                         lambda: counts(db) == want, ROW_TIMEOUT)
            except Failure as e:
                raise Failure(f"step {i + 1} ({s['action']} {s['arg']} at {s['x']},{s['y']} "
                              f"on {s['screen_before']} {s['question']}): {e}; "
                              f"the file has {counts(db)}")
            log(f"step {i + 1:2}: {s['action']:8} {s['arg']} at ({s['x']:4},{s['y']:4}) "
                f"{s['question'] or s['screen_before']:12} -> rows {want}")

        wait_for("the session to be marked completed",
                 lambda: query(db, "SELECT status FROM sessions") == [(plan["status"],)], ROW_TIMEOUT)
        check_db(db, plan)
        k.terminate_expect_zero()
    finally:
        k.kill()
    # After a clean exit the rows are still all there.
    check_db(db, plan)


def check_db(db, plan):
    rows = query(db, "SELECT status, ended_at IS NOT NULL, flow_id FROM sessions")
    if rows != [("completed", 1, plan["flow"])]:
        raise Failure(f"sessions: want one completed {plan['flow']} session with an end time, got {rows}")
    # the chosen ids joined by spaces, from their answer_choices rows (as
    # tests/store_sql.h does for the headless walk)
    ids = ("(SELECT ifnull(group_concat(answer_id, ' '), '') FROM (SELECT answer_id"
           " FROM answer_choices c WHERE c.session_id = answers.session_id"
           " AND c.seq = answers.seq ORDER BY c.position))")
    got = query(db, f"SELECT question_id, kind, {ids}, input_method FROM answers ORDER BY seq")
    want = [tuple(r) for r in plan["answers"]]
    if got != want:
        raise Failure(f"answers differ from the headless walk:\n  want {want}\n  got  {got}")
    methods = {r[3] for r in got}
    if methods != {"mouse"}:
        raise Failure(f"input_method: want only 'mouse', got {methods}")
    ok = query(db, "PRAGMA integrity_check")
    if ok != [("ok",)]:
        raise Failure(f"integrity_check: {ok}")
    log(f"database: 1 completed session, {len(got)} answer rows as expected, all by mouse")


def kiosk_mode_does_not_quit(args, disp, tmp, plan):
    db = os.path.join(tmp, "kiosk.db")
    k = Kiosk(args, disp, tmp, "kiosk", False, db)
    try:
        geo = k.xdo("getwindowgeometry", k.win).stdout
        if f"{W}x{H}" not in geo:
            raise Failure(f"[kiosk] not fullscreen on a {W}x{H} screen: {geo}")
        k.key("Escape")
        k.key("alt+F4")  # without a window manager nobody acts on it; SDL must not either
        k.close_request()
        time.sleep(2.0)
        if not k.alive():
            raise Failure(f"[kiosk] Escape, Alt+F4 or a close request quit the kiosk "
                          f"(exit {k.p.returncode}):\n{k.output()}")
        # Still answering: Start opens a session.
        start = plan["steps"][0]
        time.sleep(CLICK_GAP)
        k.click(start["x"], start["y"])
        wait_for("the kiosk to start a session after Escape", lambda: counts(db)[0] == 1, ROW_TIMEOUT)
        log("[kiosk] Escape, Alt+F4 and a close request did not quit; Start still works")
        k.terminate_expect_zero()
    finally:
        k.kill()


def windowed_quits(args, disp, tmp, how):
    """The control for the kiosk check: the same input does quit a window."""
    db = os.path.join(tmp, f"windowed-{how}.db")
    k = Kiosk(args, disp, tmp, f"windowed-{how}", True, db)
    try:
        if how == "escape":
            k.key("Escape")
        else:
            k.close_request()
        rc = k.wait_exit()
        if rc is None:
            raise Failure(f"[windowed-{how}] the window did not quit: so the kiosk check above "
                          "proved nothing (the input never arrived)")
        if rc != 0:
            raise Failure(f"[windowed-{how}] exited {rc}, not 0:\n{k.output()}")
        log(f"[windowed-{how}] quit with 0, as a window should")
    finally:
        k.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.environ.get("TELLUS_BUILD_ROOT", "build")
    ap.add_argument("--tellus", default=os.path.join(build, "tellus"))
    ap.add_argument("--plan", default=os.path.join(build, "tests", "e2e", "e2e_plan"))
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary folder (or set TELLUS_KEEP_TMP)")
    args = ap.parse_args()
    args.source = os.environ.get("TELLUS_SOURCE_ROOT") or \
        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    os.environ.setdefault("TELLUS_SOURCE_ROOT", args.source)

    tmp = tempfile.mkdtemp(prefix="tellus-e2e-")
    xvfb = None
    ok = False
    try:
        need("xdotool")
        for f in (args.tellus, args.plan):
            if not os.access(f, os.X_OK):
                raise Failure(f"{f} is not built")
        plan = make_plan(args, tmp)
        xvfb, disp = start_xvfb(tmp)
        walk_flow(args, disp, tmp, plan)
        kiosk_mode_does_not_quit(args, disp, tmp, plan)
        windowed_quits(args, disp, tmp, "escape")
        windowed_quits(args, disp, tmp, "close")
        ok = True
    except Failure as e:
        log(f"FAIL: {e}")
    finally:
        stop(xvfb, "Xvfb")
        if args.keep or os.environ.get("TELLUS_KEEP_TMP"):
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if ok:
        log("PASS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
