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

Usage: display_lost.py [--tellus BIN] [--plan BIN]
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosk_xvfb as kx  # noqa: E402

# How long tellus may take to notice and end: it wakes at once on the
# broken connection; the writer's drain is one commit.
EXIT_WITHIN = 5.0


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.environ.get("TELLUS_BUILD_ROOT", "build")
    ap.add_argument("--tellus", default=os.path.join(build, "tellus"))
    ap.add_argument("--plan", default=os.path.join(build, "tests", "e2e", "e2e_plan"))
    args = ap.parse_args()
    args.source = os.environ.get("TELLUS_SOURCE_ROOT") or \
        os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    tmp = tempfile.mkdtemp(prefix="tellus-display-lost-")
    xvfb = k = None
    ok = False
    try:
        kx.need("xdotool")
        plan = kx.make_plan(args, tmp)
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
        if rc == 0:
            raise kx.Failure(f"tellus exited 0 when its display died: the service manager would "
                             f"take that for a deliberate stop:\n{k.output()}")
        if rc < 0:
            raise kx.Failure(f"tellus died of signal {-rc} when its display died:\n{k.output()}")

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
        ok = True
    except kx.Failure as e:
        kx.log(f"FAIL: {e}")
    finally:
        if k:
            k.kill()
        kx.stop(xvfb, "Xvfb")
        shutil.rmtree(tmp, ignore_errors=True)
    if ok:
        kx.log("PASS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
