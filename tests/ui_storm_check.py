#!/usr/bin/env python3
"""ui_storm_check: every answer in the database was one the person was shown.

Usage: ui_storm_check.py LOG DB

LOG is what the kiosk's test hook (TELLUS_TEST_DRAWN_LOG, see
src/ui/app_testhooks.c) wrote during the touch storm (tests/test_ui_storm.c):
"shown SESSION QUESTION a:ID... k:ID... skip decline done" whenever what a
presented frame offered changed, and "drawn SESSION SEQ" for each answer
given before a frame, written before that frame's own "shown" line. So the
last "shown" line before an answer's "drawn" line is the frame the answer
was given on. DB is the kiosk's database, read with Python's sqlite3.

Every answer row must:
- have been drawn (its next frame presented), and every drawn answer must
  be in the database;
- belong to the session and question on the frame it was given on;
- if skipped or declined, have had that button on that frame;
- if chosen on a frame without Done (one picture), be a picture of that
  frame; if chosen with Done (choose-several, sort), have Done on that
  frame and each picture shown on that question in that session, in a
  sort column that was shown.
No session may be left in progress. Exits 0, or 1 with the first problems.
"""
import sqlite3
import sys


def main():
    log_path, db_path = sys.argv[1], sys.argv[2]
    shown = None               # (sid, qid, answers, columns, buttons)
    seen = {}                  # (sid, qid) -> pictures shown on it so far
    drawn = {}                 # (sid, seq) -> (shown, pictures seen then)
    problems = []
    frames = 0
    with open(log_path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "shown" and len(parts) >= 3:
                frames += 1
                sid, qid = parts[1], parts[2]
                answers = {p[2:] for p in parts[3:] if p.startswith("a:")}
                columns = {p[2:] for p in parts[3:] if p.startswith("k:")}
                buttons = {p for p in parts[3:] if ":" not in p}
                shown = (sid, qid, answers, columns, buttons)
                if qid != "-":
                    seen.setdefault((sid, qid), set()).update(answers)
            elif parts[0] == "drawn" and len(parts) == 3:
                key = (parts[1], int(parts[2]))
                if key in drawn:
                    problems.append(f"answer {key} drawn twice")
                if shown is None:
                    problems.append(f"answer {key} drawn before any frame was shown")
                    continue
                drawn[key] = (shown, frozenset(seen.get((shown[0], shown[1]), ())))
            else:
                problems.append(f"a line the hook does not write: {line!r}")

    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = con.execute("SELECT session_id, seq, question_id, kind FROM answers"
                       " ORDER BY session_id, seq").fetchall()
    choices = {}
    for sid, seq, aid, col in con.execute("SELECT session_id, seq, answer_id, sort_column"
                                          " FROM answer_choices"):
        choices.setdefault((sid, seq), []).append((aid, col))
    open_sessions = con.execute("SELECT count(*) FROM sessions WHERE status = 'in_progress'"
                                ).fetchone()[0]
    statuses = dict(con.execute("SELECT status, count(*) FROM sessions GROUP BY status"))
    con.close()

    in_db = set()
    kinds = {}
    for sid, seq, qid, kind in rows:
        key = (sid, seq)
        in_db.add(key)
        kinds[kind] = kinds.get(kind, 0) + 1
        if key not in drawn:
            problems.append(f"answer {key} ({qid}, {kind}) is in the database but no frame "
                            "followed it")
            continue
        (fsid, fqid, answers, columns, buttons), pictures = drawn[key]
        where = f"answer {sid} #{seq} ({qid}, {kind})"
        if fsid != sid or fqid != qid:
            problems.append(f"{where} was given on a frame of {fsid} {fqid}")
            continue
        picked = choices.get(key, [])
        if kind == "skipped":
            if "skip" not in buttons:
                problems.append(f"{where}: no Skip on its frame")
        elif kind == "declined":
            if "decline" not in buttons:
                problems.append(f"{where}: no \"I don't want to say\" on its frame")
        elif kind == "chosen":
            if "done" in buttons:
                for aid, col in picked:
                    if aid not in pictures:
                        problems.append(f"{where}: {aid} was never shown on {qid}")
                    if col is not None and col != "unsorted" and col not in columns:
                        problems.append(f"{where}: column {col} was not on its frame")
            else:
                if len(picked) != 1:
                    problems.append(f"{where}: {len(picked)} pictures without a Done")
                for aid, _ in picked:
                    if aid not in answers:
                        problems.append(f"{where}: {aid} was not on its frame "
                                        f"(it showed {sorted(answers)})")
        else:
            problems.append(f"{where}: unknown kind")
    lost = set(drawn) - in_db
    for key in sorted(lost)[:5]:
        problems.append(f"answer {key} was drawn but is not in the database")
    if open_sessions:
        problems.append(f"{open_sessions} sessions left in progress")

    print(f"ui_storm_check: {frames} frames logged, {len(rows)} answers "
          f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))}), sessions "
          f"({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))})")
    if problems:
        print(f"ui_storm_check: {len(problems)} problems, the first:")
        for p in problems[:20]:
            print("  " + p)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
