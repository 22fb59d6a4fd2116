#!/usr/bin/env python3
"""event_day: a forum's event day, end to end, with the real tellus binary
in a real X window (Xvfb), clicked with xdotool (issue 10's first test).

1. A new kiosk (a new database, no PIN) opens its set-up screen; it is set
   up by clicks only: the staff PIN twice on the pad, the kiosk's name on
   the screen's keys, one of its two flows left out, today's event named,
   "Start the kiosk". The database then holds what was chosen.
2. A "stick" (a 1 MB tmpfs, the kiosk's stick_folder) holds
   TELLUS/flows/*.yaml (one broken, one good) and TELLUS/cards/*.yaml with
   two cards, each with its own picture (a square of one colour no screen
   of the kiosk uses). Staff menu (the staff gesture and the PIN), "Load
   from the stick": the broken flow is refused in plain words, the good
   flow and the cards are taken; "Quit Tellus", and the kiosk starts again
   as its service would.
3. The welcome screen offers the two flows (the one left in and the
   stick's) and shows the newest card (its words drawn and its picture's
   colour on the screen's pixels); a child picks the SECOND flow and
   answers it to the end; the thank-you screen shows the other card (its
   words, its colour). The database holds one completed session of that
   flow, with the event and the kiosk's name.
4. Staff menu, "Show the room": the event's chart is on the whole screen,
   "1 person" (room_min_count 1) and the child's answer counted; the staff
   gesture leaves it, to the PIN pad.
5. "Export to stick", "Safe to remove" with the counts; the folder checks
   with sha256sum -c. A second kiosk (its own database, another name from
   kiosk.yaml, the same event) answers one session with the last pictures
   and exports to the same stick. `tellus merge` takes both exports into a
   forum database; `tellus report --event NAME --cards ...` reports the
   event: read back with Python's csv, json and html.parser, it holds both
   kiosks, both sessions' answers and the cards.

Every wait names its step; a missed click fails at once. Fails, never
skips. Needs root (mount -t tmpfs), Xvfb and xdotool.

Usage: event_day.py --tellus BIN [--display N] [--keep]
"""

import argparse
import csv
import html.parser
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import frames as fl  # noqa: E402
import kiosk_xvfb as kx  # noqa: E402
import screen_check as sc  # noqa: E402

W, H = 1280, 800
PIN = "246810"
KIOSK_A = "hall-a"
KIOSK_B = "hall-b"
EVENT = "Winter Fair"     # typed on the screen's keys as "winter fair"
# Generous: two cores shared by several people, and the ASan build.
STEP_TIMEOUT = 30.0
START_TIMEOUT = 90.0
CLICK_GAP = 0.45          # more than the kiosk's 300 ms double-tap guard
QUIET = 0.3               # no new frame for this long: the screen has settled
# The cards' pictures: one colour each, used by no screen of the kiosk.
CARD_NEW = (0xC2, 0x18, 0x7A)
CARD_OLD = (0x0F, 0x8A, 0x5F)

Failure = kx.Failure
log = kx.log


# ---- the stick's files (made-up content) --------------------------------

GOOD_FLOW = """\
# A made-up forum's own flow for its winter drop-in (test data).
id: hall-day
version: 1
title: Our drop-in
languages: [en]
symbol: people
presentation: large-symbol
questions:
  - id: today
    type: feelings
    scale: 3
    prompt: How was the drop-in?
    symbol: people
  - id: again
    type: yes-no
    prompt: Would you come again?
    symbol: family
"""

BROKEN_FLOW = """\
id: forum-survey
version: 1
title: Forum survey
languages: [en]
questions:
  - id: feeling
    type: feelingz
    prompt: How do you feel?
"""

CARDS = """\
languages: [en]
cards:
  - id: bus-times
    you_said: The bus times were hard to read.
    symbol: photos/bus-times.svg
    we_did: We print the times in big letters now.
    date: 2026-11-28
  - id: snack-table
    you_said: There was nothing to eat.
    symbol: photos/snacks.svg
    we_did: We set up a snack table.
    date: 2026-10-10
"""


def square_svg(rgb):
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" '
            f'viewBox="0 0 100 100"><rect width="100" height="100" '
            f'fill="#{rgb[0]:02x}{rgb[1]:02x}{rgb[2]:02x}"/></svg>\n')


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_stick(stick):
    os.makedirs(stick, exist_ok=True)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tellus-stick", stick],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f"mount -t tmpfs (needs root): {r.stderr.strip()}")
    t = os.path.join(stick, "TELLUS")
    write(os.path.join(t, "flows", "hall-day.yaml"), GOOD_FLOW)
    write(os.path.join(t, "flows", "broken.yaml"), BROKEN_FLOW)
    write(os.path.join(t, "cards", "winter.yaml"), CARDS)
    write(os.path.join(t, "cards", "photos", "bus-times.svg"), square_svg(CARD_NEW))
    write(os.path.join(t, "cards", "photos", "snacks.svg"), square_svg(CARD_OLD))


def unmount(stick):
    if os.path.ismount(stick):
        subprocess.run(["umount", stick], capture_output=True)


# ---- the kiosk ------------------------------------------------------------

class Kiosk:
    """The real tellus in a window the size of the screen, with its frame
    log; clicks by what the log says a frame offers."""

    def __init__(self, args, tmp, name, db, config):
        self.name, self.args, self.db = name, args, db
        self.display = f":{args.display}"
        self.xenv = dict(os.environ, DISPLAY=self.display)
        self.frames_path = os.path.join(tmp, f"{name}.frames.jsonl")
        self.log = fl.FrameLog(self.frames_path)
        env = dict(os.environ, DISPLAY=self.display, SDL_VIDEODRIVER="x11",
                   SDL_RENDER_DRIVER="software", SDL_AUDIODRIVER="dummy",
                   TELLUS_TEST_FRAME_LOG=self.frames_path)
        # As kiosk_xvfb.py says: SDL's x11 backend leaves libdbus's
        # allocations at exit; the UI tests check the app for leaks.
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
        self.env = env
        self.cmd = [args.tellus, "--config", config, "--db", db, "--windowed",
                    "--size", f"{W}x{H}"]
        self.out_path = os.path.join(tmp, f"{name}.log")
        self.p = None
        self.last_click = 0.0
        self.start()

    def start(self):
        self.log.read()
        self.mark0 = self.log.mark()
        self.out = open(self.out_path, "a")
        log(f"[{self.name}] " + " ".join(self.cmd))
        self.p = subprocess.Popen(self.cmd, env=self.env, stdout=self.out,
                                  stderr=subprocess.STDOUT)
        self.win = self.find_window()

    def output(self):
        self.out.flush()
        with open(self.out_path, errors="replace") as f:
            return f.read()[-3000:]

    def alive(self):
        return self.p is not None and self.p.poll() is None

    def xdo(self, *a, check=True, timeout=30):
        r = subprocess.run(["xdotool", *a], env=self.xenv, capture_output=True, text=True,
                           timeout=timeout)
        if check and r.returncode != 0:
            raise Failure(f"[{self.name}] xdotool {' '.join(a)} failed: {r.stderr.strip()}")
        return r

    def find_window(self):
        # The first frame logged says the window is drawn; then its id.
        end = time.monotonic() + START_TIMEOUT
        while time.monotonic() < end:
            if not self.alive():
                raise Failure(f"[{self.name}] tellus exited with {self.p.returncode} before "
                              f"its window appeared:\n{self.output()}")
            if self.log.mark() > self.mark0:
                r = self.xdo("search", "--onlyvisible", "--name", "^Tellus$", check=False)
                ids = r.stdout.split()
                if ids:
                    return ids[-1]
            time.sleep(0.2)
        raise Failure(f"[{self.name}] no window after {START_TIMEOUT:.0f} s")

    def check_alive(self):
        if not self.alive():
            raise Failure(f"[{self.name}] tellus exited with {self.p.returncode}:\n"
                          f"{self.output()}")

    def screen(self, what, pred, timeout=STEP_TIMEOUT):
        """The frame on the glass once it is what pred wants and has
        settled (no newer frame for a moment)."""
        self.check_alive()
        try:
            return self.log.settled(what, pred, timeout, quiet=QUIET, after=self.mark0)
        except fl.FrameLogError as e:
            self.check_alive()
            raise Failure(f"[{self.name}] {e}")

    def click_at(self, x, y):
        self.check_alive()
        # Past the double-tap guard since the last click, however long the
        # wait for its screen took.
        wait = CLICK_GAP - (time.monotonic() - self.last_click)
        if wait > 0:
            time.sleep(wait)
        self.xdo("mousemove", "--window", self.win, str(x), str(y), "click", "1")
        self.last_click = time.monotonic()

    def press(self, action, arg=None, what=None):
        """Clicks the target the frame on the glass offers for action."""
        fr = self.screen(what or f"a frame offering {action} {arg}",
                         lambda f: f.target(action, arg) is not None)
        x, y = fr.target(action, arg)
        self.click_at(x, y)
        return fr

    def staff_gesture(self):
        """Holds the top-left corner 3 s, lets go, taps the top-right corner
        (README: At the end of the day)."""
        self.check_alive()
        time.sleep(CLICK_GAP)
        self.xdo("mousemove", "--window", self.win, "2", "2", "mousedown", "1")
        time.sleep(3.4)
        self.xdo("mouseup", "1")
        time.sleep(0.3)
        self.xdo("mousemove", "--window", self.win, str(W - 3), "2", "click", "1")

    def type_pin(self):
        for d in PIN:
            self.press("staff-digit", int(d), what="the PIN pad")
        self.press("staff-ok", what="the PIN pad's OK")

    def open_staff_menu(self):
        self.staff_gesture()
        self.screen("the PIN pad after the staff gesture", lambda f: f.staff == "pin")
        self.type_pin()
        return self.screen("the staff menu", lambda f: f.staff == "menu")

    def shot(self, name):
        img = fl.screenshot(self.display, W, H)
        img.save_png(os.path.join(self.args.tmp, f"{self.name}-{name}.png"))
        return img

    def wait_exit(self, timeout=30):
        try:
            return self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        if self.alive():
            self.p.send_signal(signal.SIGTERM)
            if self.wait_exit(30) is None:
                self.p.kill()
                self.p.wait(10)
        if self.p is not None:
            self.out.close()


def query(db, sql):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def meta(db):
    return dict(query(db, "SELECT key, value FROM meta"))


def wait_db(what, db, sql, want, timeout=STEP_TIMEOUT):
    got = [None]

    def ok():
        try:
            got[0] = query(db, sql)
        except sqlite3.OperationalError:
            return False
        return got[0] == want
    try:
        kx.wait_for(what, ok, timeout)
    except Failure as e:
        raise Failure(f"{e}: {sql} gave {got[0]}, want {want}")


# ---- the steps --------------------------------------------------------------

def set_up_by_clicks(k):
    """Step 1: the set-up screen of a new database, by clicks only."""
    fr = k.screen("the set-up's PIN step on a new database",
                  lambda f: f.staff == "pin" and f.has_text("Choose a staff PIN"))
    if not fr.has_text("Setting up this kiosk"):
        raise Failure(f"a new database did not open the set-up: {fr.all_text()}")
    for _ in range(2):
        m = k.log.mark()
        k.type_pin()
        k.log.wait_frame("the next set-up step after the PIN", lambda f: True, STEP_TIMEOUT,
                         after=m)
    k.screen("the set-up's name step", lambda f: f.has_text("What is this kiosk called?"))
    for ch in KIOSK_A:
        k.press("staff-key", ord(ch), what=f"the key {ch!r}")
    k.screen(f"the name {KIOSK_A} typed", lambda f: KIOSK_A in f.texts)
    k.press("staff-next", 1)
    fr = k.screen("the set-up's flows step", lambda f: f.has_text("Which question sets"))
    for t in ("How was today?", "Your visit"):
        if t not in fr.texts:
            raise Failure(f"the flows step does not show {t!r}: {fr.all_text()}")
    ticks = sum(1 for i in fr.images if i[4].endswith("/done.svg"))
    if ticks != 2:
        raise Failure(f"both flows should start ticked (offered); {ticks} ticks drawn")
    # Leave out "How was today?" (the first card).
    k.press("staff-toggle", 0)
    k.screen("one tick left on the flows step",
             lambda f: f.has_text("Which question sets")
             and sum(1 for i in f.images if i[4].endswith("/done.svg")) == 1)
    k.press("staff-next", 1)
    k.screen("the set-up's event step", lambda f: f.has_text("What is today's event called?"))
    for ch in EVENT.lower():
        k.press("staff-key", ord(ch), what=f"the key {ch!r}")
    k.screen(f"the event {EVENT!r} typed (capitals at each word's start)",
             lambda f: EVENT in f.texts)
    k.press("staff-next", 1)
    fr = k.screen("the set-up's review", lambda f: f.has_text("Ready to start"))
    for t in (KIOSK_A, "Your visit", EVENT):
        if t not in fr.texts:
            raise Failure(f"the review does not show {t!r}: {fr.all_text()}")
    if "How was today?" in fr.texts:
        raise Failure("the review still offers the flow left out")
    k.press("staff-next", 1, what="Start the kiosk")
    k.screen("the welcome screen after set-up", lambda f: f.screen == "welcome"
             and f.staff == "off")
    m = meta(k.db)
    want = {"kiosk_id": KIOSK_A, "event": EVENT, "flow_hidden:school-day": "1"}
    for key, v in want.items():
        if m.get(key) != v:
            raise Failure(f"after set-up the database's meta {key} is {m.get(key)!r}, "
                          f"want {v!r}")
    if not m.get("pin_hash", "").startswith("$argon2"):
        raise Failure("after set-up no PIN hash is kept")
    log(f"[{k.name}] set up by clicks: PIN, name {KIOSK_A}, 'How was today?' left out, "
        f"event {EVENT!r}")


def quit_from_menu(k):
    k.press("staff-quit", what="Quit Tellus in the staff menu")
    rc = k.wait_exit(30)
    if rc != 0:
        raise Failure(f"[{k.name}] Quit Tellus: exit {rc}:\n{k.output()}")
    k.out.close()
    log(f"[{k.name}] Quit Tellus: exited 0")


def kiosk_config(path, flows, stick, extra=""):
    write(path, "flows:\n" + "".join(f"  - {f}\n" for f in flows)
          + f"stick_folder: {stick}\nfullscreen: false\n" + extra)


def load_from_stick(k, stick):
    """Step 2: Load from the stick: the broken flow refused in plain words,
    the good flow and the cards taken, into the kiosk's own folders."""
    k.open_staff_menu()
    k.press("staff-load", what="Load from the stick in the staff menu")
    fr = k.screen("the stick's files listed", lambda f: f.staff == "load"
                  and any(t.startswith("flows/broken.yaml") for t in f.texts))
    texts = fr.texts
    want = {"flows/broken.yaml: Not taken", "flows/hall-day.yaml: Taken",
            "cards/winter.yaml: Taken"}
    missing = want - set(texts)
    if missing:
        raise Failure(f"Load from the stick does not say {sorted(missing)}: {fr.all_text()}")
    i = texts.index("flows/broken.yaml: Not taken")
    why = texts[i + 1] if i + 1 < len(texts) else ""
    # The checker's words, with the line, not a code or a bare "error".
    if "Line 7" not in why or "feelingz" not in why or "use one of feelings" not in why:
        raise Failure(f"the broken flow's refusal is not in plain words: {why!r}")
    if not fr.has_text("2 files taken"):
        raise Failure(f"the summary does not say 2 files taken: {fr.all_text()}")
    kdir = os.path.dirname(k.db)
    for rel in ("flows/hall-day.yaml", "cards/winter.yaml", "cards/photos/bus-times.svg",
                "cards/photos/snacks.svg"):
        if not os.path.isfile(os.path.join(kdir, rel)):
            raise Failure(f"Load from the stick said Taken but {rel} is not beside the database")
    if os.path.exists(os.path.join(kdir, "flows", "forum-survey.yaml")) or \
            os.path.exists(os.path.join(kdir, "flows", "broken.yaml")):
        raise Failure("the broken flow was copied onto the kiosk")
    log(f"[{k.name}] Load from the stick: broken.yaml refused ({why}); hall-day.yaml and "
        "winter.yaml (2 pictures) taken")
    k.press("staff-menu", what="Back to the staff menu")
    k.screen("the staff menu again", lambda f: f.staff == "menu")
    quit_from_menu(k)


def answer_to_the_end(k, flow_id, last=False):
    """Answers every question with its first picture (or its last), as a
    child taps."""
    n = 0
    while True:
        m = k.log.mark()
        fr = k.screen("a question or the thank-you screen",
                      lambda f: f.staff == "off" and f.overlay == 0
                      and (f.screen == "thanks" or (f.screen == "question" and f.args("answer"))))
        if fr.screen == "thanks":
            return n
        k.press("answer", fr.args("answer")[-1 if last else 0], what="an answer picture")
        n += 1
        k.log.wait_frame("the next screen after an answer", lambda f: True, STEP_TIMEOUT, after=m)
        if n > 20:
            raise Failure(f"[{k.name}] more than 20 questions in {flow_id}")


def child_picks_second_flow(k):
    """Step 3: two flows on the welcome screen, the newest card beside them;
    the second flow chosen and answered; the other card on thank-you."""
    fr = k.screen("the welcome screen with two flows and a card",
                  lambda f: f.screen == "welcome" and f.staff == "off"
                  and len(f.args("start")) == 2 and f.has_text("The bus times"))
    starts = sorted((t for t in fr.targets if t[0] == "start"), key=lambda t: t[2])

    def title_in(t):
        return [b[4] for b in fr.text_boxes if t[2] <= b[0] + b[2] // 2 < t[2] + t[4]
                and t[3] <= b[1] + b[3] // 2 < t[3] + t[5]]
    titles = [title_in(t) for t in starts]
    if titles != [["Your visit"], ["Our drop-in"]]:
        raise Failure(f"the welcome's flow cards, left to right, read {titles}; want "
                      "'Your visit' (kept in the set-up) then 'Our drop-in' (from the stick), "
                      "and not 'How was today?' (left out)")
    for t in ("You said", "The bus times were hard to read.", "We did",
              "We print the times in big letters now."):
        if t not in fr.texts:
            raise Failure(f"the welcome's card does not say {t!r}: {fr.all_text()}")
    img = k.shot("welcome")
    new, old = img.count(CARD_NEW), img.count(CARD_OLD)
    if new < 2000 or old != 0:
        raise Failure(f"on the welcome screen's pixels the newest card's picture has {new} "
                      f"pixels (want 2000 or more) and the older card's {old} (want 0)")
    problems = sc.welcome_problems(img)
    if problems:
        raise Failure("the welcome screen is not whole: " + "; ".join(problems))
    log(f"[{k.name}] welcome: 'Your visit' and 'Our drop-in' offered; the newest card's words "
        f"drawn and its picture on the glass ({new} px)")

    second = starts[1]
    k.click_at(second[2] + second[4] // 2, second[3] + second[5] // 2)
    k.screen("the first question of the second flow",
             lambda f: f.screen == "question" and f.has_text("How was the drop-in?"))
    n = answer_to_the_end(k, "hall-day")
    fr = k.screen("the thank-you screen with a card",
                  lambda f: f.screen == "thanks" and f.has_text("There was nothing to eat."))
    for t in ("You said", "We did", "We set up a snack table."):
        if t not in fr.texts:
            raise Failure(f"the thank-you card does not say {t!r}: {fr.all_text()}")
    img = k.shot("thanks")
    new, old = img.count(CARD_NEW), img.count(CARD_OLD)
    if old < 2000 or new != 0:
        raise Failure(f"on the thank-you screen's pixels the other card's picture has {old} "
                      f"pixels (want 2000 or more) and the welcome's card {new} (want 0)")
    log(f"[{k.name}] 'Our drop-in' answered ({n} questions); thank-you shows the other card "
        f"({old} px)")
    wait_db("the session kept as completed", k.db,
            "SELECT kiosk_id, flow_id, status, event FROM sessions",
            [(KIOSK_A, "hall-day", "completed", EVENT)])
    rows = query(k.db, "SELECT question_id, kind FROM answers ORDER BY seq")
    if rows != [("today", "chosen"), ("again", "chosen")]:
        raise Failure(f"the answers kept are {rows}")
    k.press("finish", what="Finish on the thank-you screen")
    k.screen("the welcome screen again", lambda f: f.screen == "welcome" and f.staff == "off")


def show_the_room(k):
    """Step 4: Show the room from the staff menu; the staff gesture leaves
    it, to the PIN pad."""
    k.open_staff_menu()
    k.press("staff-room", what="Show the room in the staff menu")
    fr = k.screen("the room's first chart",
                  lambda f: f.staff == "room" and f.has_text("How was the drop-in?"))
    heading = f"What you told us \u00b7 {EVENT}"
    if heading not in fr.texts:
        raise Failure(f"the room's heading is not {heading!r}: {fr.all_text()}")
    # room_min_count is 1 here: one person's answers are shown, in words
    # that fit one person.
    if "1 person" not in fr.texts:
        raise Failure(f"the room does not say '1 person' took part: {fr.all_text()}")
    if any(t.endswith(" people") and t.split()[0] == "1" for t in fr.texts):
        raise Failure(f"the room says '1 people': {fr.all_text()}")
    if fr.targets:
        raise Failure(f"the room offers something to press: {fr.targets}")
    # The child's answer (the first face) counted once; the others 0.
    rows = fr.texts[fr.texts.index("How was the drop-in?") + 1:]
    if rows[:6] != ["Sad", "1", "OK", "0", "Happy", "0"]:
        raise Failure(f"the room's chart reads {rows}, want Sad 1, OK 0, Happy 0")
    if "1 / 2" not in fr.texts:
        raise Failure(f"the room does not count its charts (1 / 2 for two questions): "
                      f"{fr.all_text()}")
    img = k.shot("room")
    bg = img.count(sc.BG)
    if bg < W * H * 0.3:
        raise Failure(f"the room is not on the whole screen ({bg} px of page colour)")
    log(f"[{k.name}] Show the room: {heading!r}, '1 person', the first question's chart")
    k.staff_gesture()
    k.screen("the PIN pad after the staff gesture on the room", lambda f: f.staff == "pin")
    log(f"[{k.name}] the staff gesture left the room for the PIN pad")
    k.type_pin()
    return k.screen("the staff menu", lambda f: f.staff == "menu")


def export_to_stick(k, stick, kiosk_id):
    """Step 5: Export to stick, 'Safe to remove'; the export folder on the
    stick checks with sha256sum -c."""
    before = set(exports(stick, kiosk_id))
    k.press("staff-export", 0, what="Export to stick")
    fr = k.screen("Safe to remove", lambda f: f.staff == "export"
                  and f.has_text("Safe to remove"), timeout=90)
    if "1 session, 2 answers" not in fr.texts:
        raise Failure(f"[{k.name}] the export does not say it took 1 session, 2 answers: "
                      f"{fr.all_text()}")
    new = sorted(set(exports(stick, kiosk_id)) - before)
    if len(new) != 1:
        raise Failure(f"[{k.name}] want one new export folder under TELLUS/{kiosk_id}, got {new}")
    d = new[0]
    r = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=d,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Failure(f"sha256sum -c in {d}: {r.stdout}{r.stderr}")
    log(f"[{k.name}] exported: 'Safe to remove', '1 session, 2 answers'; "
        f"{os.path.relpath(d, stick)} checks with sha256sum -c")
    return d


def exports(stick, kiosk_id):
    base = os.path.join(stick, "TELLUS", kiosk_id)
    if not os.path.isdir(base):
        return []
    return [os.path.join(base, n) for n in os.listdir(base) if not n.startswith(".")]


def read_export(d):
    """sessions.csv and export.json, read with Python's own readers."""
    with open(os.path.join(d, "sessions.csv"), encoding="utf-8-sig", newline="") as f:
        sessions = list(csv.DictReader(f))
    with open(os.path.join(d, "answers.csv"), encoding="utf-8-sig", newline="") as f:
        answers = list(csv.DictReader(f))
    with open(os.path.join(d, "export.json"), encoding="utf-8") as f:
        doc = json.load(f)
    return sessions, answers, doc


def second_kiosk(args, tmp, stick):
    """A second kiosk of the same event, prepared by kiosk.yaml (its name
    and the event) and `tellus set-pin`: one child answers, staff export."""
    db = os.path.join(tmp, "b", "tellus.db")
    os.makedirs(os.path.dirname(db))
    conf = os.path.join(tmp, "b", "kiosk.yaml")
    kiosk_config(conf, [os.path.join(stick, "TELLUS", "flows", "hall-day.yaml")], stick,
                 f"kiosk_id: {KIOSK_B}\nevent: {EVENT}\n")
    r = subprocess.run([args.tellus, "set-pin", "--db", db], input=f"{PIN}\n{PIN}\n",
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "")
                                + ":detect_leaks=0"))
    if r.returncode != 0:
        raise Failure(f"tellus set-pin: {r.stdout}{r.stderr}")
    k = Kiosk(args, tmp, "kiosk-b", db, conf)
    try:
        k.press("start", what="Start on the second kiosk's welcome")
        k.screen("the second kiosk's first question",
                 lambda f: f.screen == "question" and f.has_text("How was the drop-in?"))
        answer_to_the_end(k, "hall-day", last=True)
        wait_db("the second kiosk's session kept", db,
                "SELECT kiosk_id, flow_id, status, event FROM sessions",
                [(KIOSK_B, "hall-day", "completed", EVENT)])
        k.press("finish", what="Finish on the second kiosk")
        k.screen("the second kiosk's welcome", lambda f: f.screen == "welcome")
        k.open_staff_menu()
        d = export_to_stick(k, stick, KIOSK_B)
        k.press("staff-menu", what="Back to the staff menu")
        k.screen("the staff menu", lambda f: f.staff == "menu")
        quit_from_menu(k)
    finally:
        k.stop()
    return d


class TextOf(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "svg"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "svg") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.parts.append(" ".join(data.split()))


def merge_and_report(args, tmp, stick, export_a, export_b):
    """Step 6: both exports of the event read back, merged, reported."""
    for d, kiosk, labels in ((export_a, KIOSK_A, ["Sad", "Yes"]),
                             (export_b, KIOSK_B, ["Happy", "Not sure"])):
        sessions, answers, doc = read_export(d)
        got = [(s["kiosk_id"], s["flow_id"], s["event"], s["status"]) for s in sessions]
        if got != [(kiosk, "hall-day", EVENT, "completed")]:
            raise Failure(f"{d}/sessions.csv holds {got}")
        got = [(a["question_id"], a["kind"], a["answer_label"]) for a in answers]
        if got != [("today", "chosen", labels[0]), ("again", "chosen", labels[1])]:
            raise Failure(f"{d}/answers.csv holds {got}")
        if doc.get("kiosk_id") != kiosk or [s.get("event") for s in doc["sessions"]] != [EVENT]:
            raise Failure(f"{d}/export.json: kiosk {doc.get('kiosk_id')}, events "
                          f"{[s.get('event') for s in doc['sessions']]}")
    forum = os.path.join(tmp, "forum.db")
    r = subprocess.run([args.tellus, "merge", "--into", forum, export_a, export_b],
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise Failure(f"tellus merge: exit {r.returncode}: {r.stdout}{r.stderr}")
    said = " ".join((r.stdout + r.stderr).split())
    if said.count("1 new, 0 already there") != 2:
        raise Failure(f"tellus merge does not say 1 new session from each export: {said}")
    log("tellus merge: 1 new session from each export")
    rows = query(forum, "SELECT kiosk_id, event, flow_id, status FROM sessions ORDER BY kiosk_id")
    if rows != [(KIOSK_A, EVENT, "hall-day", "completed"), (KIOSK_B, EVENT, "hall-day", "completed")]:
        raise Failure(f"the merged database holds {rows}")
    n = query(forum, "SELECT count(*) FROM answers")[0][0]
    if n != 4:
        raise Failure(f"the merged database holds {n} answers, want 4 (2 from each kiosk)")
    out = os.path.join(tmp, "winter-fair.html")
    cards = os.path.join(stick, "TELLUS", "cards", "winter.yaml")
    r = subprocess.run([args.tellus, "report", "--db", forum, "--event", EVENT, "--cards", cards,
                        "--out", out], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise Failure(f"tellus report --event: exit {r.returncode}: {r.stdout}{r.stderr}")
    p = TextOf()
    with open(out, encoding="utf-8") as f:
        p.feed(f.read())
    text = " | ".join(p.parts)
    # In the report's own order: the event, its kiosks and people, the
    # cards newest first, then each question's counts: kiosk A's child
    # chose the first pictures, kiosk B's the last.
    want = [["Event", EVENT], ["Kiosks", f"{KIOSK_A}, {KIOSK_B}"], ["2", "people took part."],
            ["You said, we did", "You said", "The bus times were hard to read.", "We did",
             "We print the times in big letters now."],
            ["You said", "There was nothing to eat.", "We did", "We set up a snack table."],
            ["Our drop-in", "2 people answered these questions.", "How was the drop-in?",
             "2 people answered. Each picture = 1 person.", "Sad", "1", "OK", "0", "Happy", "1",
             "Would you come again?", "2 people answered. Each picture = 1 person.",
             "Yes", "1", "No", "0", "Not sure", "1"]]
    parts, at = p.parts, 0
    for run_ in want:
        for i in range(at, len(parts) - len(run_) + 1):
            if parts[i:i + len(run_)] == run_:
                at = i + len(run_)
                break
        else:
            raise Failure(f"the event's report does not hold {' | '.join(run_)!r} (after part "
                          f"{at}): {text[:2000]}")
    log(f"tellus report --event {EVENT!r}: both kiosks, both questions and both cards "
        f"({os.path.getsize(out)} bytes)")
    return text


def start_xvfb(tmp, n):
    """Xvfb on display n (given), or on a free one (kiosk_xvfb's)."""
    if n is None:
        return kx.start_xvfb(tmp)
    xvfb = kx.need("Xvfb")
    p = subprocess.Popen([xvfb, f":{n}", "-screen", "0", f"{W}x{H}x24", "-dpi", "96",
                          "-nolisten", "tcp", "-noreset"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = dict(os.environ, DISPLAY=f":{n}")
    end = time.monotonic() + 20
    while time.monotonic() < end and p.poll() is None:
        if subprocess.run(["xdpyinfo"], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0:
            return p, n
        time.sleep(0.2)
    kx.stop(p, "Xvfb")
    raise Failure(f"Xvfb would not start on :{n}")


def run(args, tmp):
    src = args.source
    stick = os.path.join(tmp, "stick")
    make_stick(stick)
    try:
        a = os.path.join(tmp, "a")
        os.makedirs(a)
        db = os.path.join(a, "tellus.db")
        conf = os.path.join(a, "kiosk.yaml")
        kiosk_config(conf, [os.path.join(src, "config", "flows", "school-day.yaml"),
                            os.path.join(src, "config", "flows", "clinic-visit.yaml")],
                     stick, "room_min_count: 1\n")
        k = Kiosk(args, tmp, "kiosk-a", db, conf)
        try:
            set_up_by_clicks(k)
            load_from_stick(k, stick)
            k.start()   # as the kiosk's service starts it again
            child_picks_second_flow(k)
            show_the_room(k)
            export_a = export_to_stick(k, stick, KIOSK_A)
            k.press("staff-menu", what="Back to the staff menu")
            k.screen("the staff menu", lambda f: f.staff == "menu")
            quit_from_menu(k)
        finally:
            k.stop()
        export_b = second_kiosk(args, tmp, stick)
        merge_and_report(args, tmp, stick, export_a, export_b)
    finally:
        unmount(stick)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.environ.get("TELLUS_BUILD_ROOT", "build")
    ap.add_argument("--tellus", default=os.path.join(build, "tellus"))
    ap.add_argument("--display", type=int, help="the Xvfb display number (else a free one)")
    ap.add_argument("--keep", action="store_true",
                    help="keep the temporary folder (or set TELLUS_KEEP_TMP)")
    args = ap.parse_args()
    args.source = os.environ.get("TELLUS_SOURCE_ROOT") or os.path.dirname(os.path.dirname(HERE))
    os.environ.setdefault("TELLUS_DATA_DIR", args.source)
    args.tellus = os.path.abspath(args.tellus)
    tmp = tempfile.mkdtemp(prefix="tellus-event-day-")
    args.tmp = tmp
    xvfb = None
    ok = False
    t0 = time.monotonic()
    try:
        kx.need("xdotool")
        if os.geteuid() != 0:
            raise Failure("the event-day test needs root: its stick is a tmpfs it mounts")
        if not os.access(args.tellus, os.X_OK):
            raise Failure(f"{args.tellus} is not built")
        xvfb, n = start_xvfb(tmp, args.display)
        args.display = n
        log(f"Xvfb on :{n}")
        run(args, tmp)
        ok = True
    except (Failure, fl.FrameLogError) as e:
        log(f"FAIL: {e}")
    finally:
        kx.stop(xvfb, "Xvfb")
        if args.keep or os.environ.get("TELLUS_KEEP_TMP") or not ok:
            log(f"kept {tmp} (screenshots, frame logs, the kiosks' output)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log(f"{'PASS' if ok else 'FAIL'} in {time.monotonic() - t0:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
