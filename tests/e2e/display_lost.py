#!/usr/bin/env python3
"""display_lost: the X server dies under a kiosk in the middle of a session.

Starts the real tellus binary in kiosk mode on its own Xvfb, presses Start
and answers one question with xdotool (at the centres e2e_plan printed, as
kiosk_xvfb.py does), waits for the answer's row, then kills the Xvfb
(SIGKILL, as a crashed server goes). Tellus must end by itself within a few
seconds with a non-zero exit status, so that the service manager starts it
again, and first end the person's session as unfinished with their answer
kept: read back with Python's sqlite3. Before, Xlib's default handler
called exit(1) from inside the event loop and the session stayed in
progress.

Then the other way round (a second kiosk on a second Xvfb): the store
writer's thread is the first to find the display broken, with answers
still queued behind the one it had just committed. Before, that thread
only marked the display gone and Xlib exited from there, and the queue was
lost. To make it go first every time, the test holds the database's write
lock (BEGIN IMMEDIATE, as another program might) while four answers are
given, so they wait in the writer's queue (the kiosk moves on at once on a
busy disk); then it has the X server cut SDL's wake-up connection alone
(KillClient on it, x_clients.py: the connection SDL wakes its loop through
from other threads, which the UI thread only writes to while it takes in
X input, and no input comes) and lets go of the lock. The writer commits
the first answer, its wake-up meets the broken connection, and Xlib calls
the kiosk's handler on the writer's thread. Tellus must end by itself,
non-zero, with all four answers in the file (the session still in
progress: the UI thread never heard), and the kiosk started again must
close that session as interrupted at its last answer's time.

Usage: display_lost.py [--tellus BIN] [--plan BIN]
"""

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosk_xvfb as kx  # noqa: E402
import x_clients as xc  # noqa: E402

# How long tellus may take to notice and end: it wakes at once on the
# broken connection; the writer's drain is one commit.
EXIT_WITHIN = 5.0
# The writer's case: answers given while the database is locked, so that
# they wait in the queue; and how long it may take to end once the lock
# is let go (the writer's next try comes within STORE_WRITER_MAX_PAUSE_MS,
# 2 s, and its busy wait; then four commits).
QUEUED = 4
WRITER_EXIT_WITHIN = 10.0


def answer_one(k, db, plan):
    """Start, then the plan's clicks up to the first stored answer."""
    for i, s in enumerate(plan["steps"]):
        time.sleep(kx.CLICK_GAP)
        k.click(s["x"], s["y"])
        want = (s["sessions_after"], s["answers_after"])
        kx.wait_for(f"step {i + 1} ({s['action']}): {want[0]} session(s), {want[1]} answer(s)",
                    lambda: kx.counts(db) == want, kx.ROW_TIMEOUT)
        kx.log(f"step {i + 1}: {s['action']} {s['arg']} -> rows {want}")
        if want[1] >= 1:
            return s
    raise kx.Failure("the plan never stores an answer")


def ui_finds_it(args, plan, tmp):
    """Xvfb killed under a kiosk with an answer stored: the UI thread finds
    it (its connection's socket closes under its wait)."""
    xvfb = k = None
    try:
        xvfb, disp = kx.start_xvfb(tmp)
        db = os.path.join(tmp, "kiosk.db")
        k = kx.Kiosk(args, disp, tmp, "kiosk", False, db)
        step = answer_one(k, db, plan)
        sid = kx.query(db, "SELECT id FROM sessions WHERE status = 'in_progress'")
        if not sid or len(sid) != 1:
            statuses = kx.query(db, "SELECT status FROM sessions")
            raise kx.Failure(f"want one session in progress before the X server goes, got {statuses}")

        xvfb.kill()
        xvfb.wait(10)
        gone = time.monotonic()
        kx.log(f"Xvfb :{disp} killed")
        rc = k.wait_exit(EXIT_WITHIN)
        if rc is None:
            raise kx.Failure(f"tellus still runs {EXIT_WITHIN:.0f} s after its X server died:\n"
                             f"{k.output()}")
        kx.log(f"tellus exited {rc} after {time.monotonic() - gone:.2f} s")
        check_failed_exit(rc, k)

        rows = kx.query(db, "SELECT id, status, ended_at IS NOT NULL FROM sessions")
        if rows != [(sid[0][0], "unfinished", 1)]:
            raise kx.Failure(f"sessions: want the one session ended as unfinished, with its end "
                             f"time, got {rows}\n{k.output()}")
        answers = kx.query(db, "SELECT session_id, question_id FROM answers")
        want_q = plan["answers"][0][0]
        if answers != [(sid[0][0], want_q)]:
            raise kx.Failure(f"answers: want the one answer to {want_q} of that session, "
                             f"got {answers}")
        if kx.query(db, "PRAGMA integrity_check") != [("ok",)]:
            raise kx.Failure("integrity_check failed")
        kx.log(f"database: the session is unfinished with its answer to {want_q} "
               f"(the answer was {step['arg']})")
    finally:
        if k:
            k.kill()
        kx.stop(xvfb, "Xvfb")


def check_failed_exit(rc, k):
    if rc == 0:
        raise kx.Failure(f"tellus exited 0 when its display died: the service manager would "
                         f"take that for a deliberate stop:\n{k.output()}")
    if rc < 0:
        raise kx.Failure(f"tellus died of signal {-rc} when its display died:\n{k.output()}")


def drawn_count(path):
    """Answers whose next screen the kiosk has presented (its
    TELLUS_TEST_DRAWN_LOG)."""
    try:
        with open(path) as f:
            return sum(1 for line in f if line.startswith("drawn "))
    except OSError:
        return 0


def writer_finds_it(args, plan, tmp):
    """The writer's wake-up is the first to meet the broken display, with
    answers queued behind the one it just committed: none may be lost."""
    xvfb = k = again = lock = None
    try:
        xvfb, disp = kx.start_xvfb(tmp)
        db = os.path.join(tmp, "writer.db")
        drawn = os.path.join(tmp, "writer-drawn.log")
        os.environ["TELLUS_TEST_DRAWN_LOG"] = drawn
        try:
            k = kx.Kiosk(args, disp, tmp, "writer", False, db)
        finally:
            del os.environ["TELLUS_TEST_DRAWN_LOG"]
        steps = plan["steps"]
        k.click(steps[0]["x"], steps[0]["y"])
        kx.wait_for("Start's session row", lambda: kx.counts(db) == (1, 0), kx.ROW_TIMEOUT)
        sid = kx.query(db, "SELECT id FROM sessions")[0][0]

        # Every answer from now on waits in the writer's queue: the kiosk
        # shows the next question at once on a busy disk (after HOLD_MS for
        # the first), which its drawn log says.
        lock = sqlite3.connect(db, timeout=5, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        given = 0
        for i, s in enumerate(steps[1:], 2):
            time.sleep(kx.CLICK_GAP)
            k.click(s["x"], s["y"])
            if s["answers_after"] > given:
                given = s["answers_after"]
                kx.wait_for(f"step {i} ({s['action']}): answer {given}'s next screen",
                            lambda: drawn_count(drawn) >= given, kx.ROW_TIMEOUT)
                kx.log(f"step {i}: {s['action']} {s['arg']}: answer {given} given, queued")
            if given == QUEUED:
                break
        if given != QUEUED:
            raise kx.Failure(f"the plan gives only {given} answers")
        if kx.counts(db) != (1, 0):
            raise kx.Failure(f"an answer reached the locked database: {kx.counts(db)}")

        base = xc.sdl_wakeup_connection(disp, k.p.pid)
        xc.kill_connection(disp, base)
        kx.log(f"the X server cut SDL's wake-up connection ({base:#x}); the lock is let go")
        lock.execute("ROLLBACK")
        lock.close()
        lock = None
        gone = time.monotonic()
        rc = k.wait_exit(WRITER_EXIT_WITHIN)
        if rc is None:
            raise kx.Failure(f"tellus still runs {WRITER_EXIT_WITHIN:.0f} s after its wake-up "
                             f"connection broke:\n{k.output()}")
        kx.log(f"tellus exited {rc} after {time.monotonic() - gone:.2f} s")
        check_failed_exit(rc, k)

        want = [a[0] for a in plan["answers"][:QUEUED]]
        got = [r[0] for r in kx.query(db, f"SELECT question_id FROM answers WHERE session_id = "
                                          f"'{sid}' ORDER BY seq") or []]
        if got != want:
            raise kx.Failure(f"answers: want all {QUEUED} given, {want}, got {got}: the writer's "
                             f"queue was lost\n{k.output()}")
        if "answer writer" not in k.output():
            raise kx.Failure(f"the writer's thread was not the one to find the display gone "
                             f"(the case this tests):\n{k.output()}")
        rows = kx.query(db, "SELECT id, status FROM sessions")
        if rows != [(sid, "in_progress")]:
            raise kx.Failure(f"sessions: want the one session still in progress (the UI thread "
                             f"never heard), got {rows}")
        kx.log(f"database: all {QUEUED} answers are there, the session is in progress")

        # The next start closes it, at its last answer's time.
        again = kx.Kiosk(args, disp, tmp, "writer-again", False, db)
        last = kx.query(db, f"SELECT max(given_at) FROM answers WHERE session_id = '{sid}'")[0][0]
        kx.wait_for("the session closed as interrupted",
                    lambda: kx.query(db, "SELECT id, status, ended_at FROM sessions")
                    == [(sid, "interrupted", last)], kx.ROW_TIMEOUT)
        again.terminate_expect_zero()
        if [r[0] for r in kx.query(db, "SELECT question_id FROM answers ORDER BY seq")] != want:
            raise kx.Failure("the answers changed when the kiosk started again")
        if kx.query(db, "PRAGMA integrity_check") != [("ok",)]:
            raise kx.Failure("integrity_check failed")
        kx.log(f"started again: the session is interrupted, ended at its last answer ({last})")
    finally:
        if lock:
            lock.close()
        for p in (k, again):
            if p:
                p.kill()
        kx.stop(xvfb, "Xvfb")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.environ.get("TELLUS_BUILD_ROOT", "build")
    ap.add_argument("--tellus", default=os.path.join(build, "tellus"))
    ap.add_argument("--plan", default=os.path.join(build, "tests", "e2e", "e2e_plan"))
    args = ap.parse_args()
    args.source = os.environ.get("TELLUS_SOURCE_ROOT") or \
        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    tmp = tempfile.mkdtemp(prefix="tellus-display-lost-")
    ok = False
    try:
        kx.need("xdotool")
        plan = kx.make_plan(args, tmp)
        ui_finds_it(args, plan, tmp)
        writer_finds_it(args, plan, tmp)
        ok = True
    except (kx.Failure, xc.XError) as e:
        kx.log(f"FAIL: {e}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if ok:
        kx.log("PASS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
