#!/usr/bin/env python3
"""Reads a Tellus export back with Python's own csv and json modules and
compares it with what the session machine handed to the store.

Usage: check_export.py EXPORT_DIR EXPECTED.json

EXPECTED.json is written by tests/test_export.c: {"answers": [...], "sessions":
{id: status}} with every answer record as given (in-progress sessions
included: they must NOT be in the export). Exits 0 when everything matches,
1 with the first few differences otherwise. Standard library only.
"""
import csv
import json
import os
import re
import subprocess
import sys

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "export.md")


def documented(path=DOCS):
    """The lists docs/export.md documents, so the export is checked against
    what people read rather than against another copy: the names in the
    first cell of each table row under a "### <file>" heading, in order.
    For export.json, {object: set of keys}: "" the document, "sessions[]",
    "sessions[].answers[]" (written "answers[]" there), "flows[]", "counts".
    A name without a dot continues the path of the first name in its cell."""
    tables, cur = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("## "):
                cur = None
            m = re.match(r"^### (\S+)", line)
            if m:
                cur = m.group(1)
            elif cur and line.startswith("| `"):
                tables.setdefault(cur, []).append(re.findall(r"`([^`]+)`", line.split("|")[1]))
    cols = {name: [n for cell in cells for n in cell] for name, cells in tables.items()}
    keys = {}
    for cell in tables["export.json"]:
        head = cell[0].replace("answers[].", "sessions[].answers[].", 1) \
            if cell[0].startswith("answers[]") else cell[0]
        prefix = head.rsplit(".", 1)[0] if "." in head else ""
        for name in [head] + [f"{prefix}.{n}" if prefix and "." not in n else n for n in cell[1:]]:
            parts = name.split(".")
            for i, part in enumerate(parts):
                keys.setdefault(".".join(parts[:i]), set()).add(part.removesuffix("[]"))
    return cols["sessions.csv"], cols["answers.csv"], keys


SESSION_COLS, ANSWER_COLS, JSON_KEYS = documented()

problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)
    return cond


def cell(text):
    """A text as docs/export.md says the CSV holds it: with an apostrophe in
    front when it would run as a spreadsheet formula (OWASP)."""
    return "'" + text if text and text[0] in "=+-@\t\r" else text


def read_csv(path, cols):
    with open(path, "rb") as f:
        raw = f.read()
    check(raw.startswith(b"\xef\xbb\xbf"), f"{path}: no UTF-8 byte-order mark")
    body = raw[3:]
    check(body.count(b"\n") == body.count(b"\r\n") or b'"' in body,
          f"{path}: line ends are not CRLF")
    check(body.endswith(b"\r\n"), f"{path}: last line does not end with CRLF")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    check(rows and rows[0] == cols, f"{path}: header is {rows[0] if rows else None}")
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def main():
    export_dir, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    statuses = expected["sessions"]
    ended = {sid for sid, st in statuses.items() if st != "in_progress"}
    exp_answers = [a for a in expected["answers"] if a["session_id"] in ended]
    latest = {}
    for a in exp_answers:
        key = (a["session_id"], a["question_id"])
        latest[key] = max(latest.get(key, 0), a["seq"])

    names = sorted(os.listdir(export_dir))
    check(names == sorted(["sessions.csv", "answers.csv", "export.json", "report.html",
                           "SHA256SUMS", "SHA256SUMS.minisig", "kiosk.pub"]), f"files: {names}")
    # the kiosk's signature, checked by minisign itself (no Tellus needed)
    signed = subprocess.run(["minisign", "-Vqm", "SHA256SUMS", "-p", "kiosk.pub"],
                            cwd=export_dir, capture_output=True)
    check(signed.returncode == 0, f"minisign -V: {signed.stderr!r}")

    # sessions.csv
    srows = read_csv(os.path.join(export_dir, "sessions.csv"), SESSION_COLS)
    by_id = {r["session_id"]: r for r in srows}
    check(len(srows) == len(ended), f"sessions.csv has {len(srows)} rows, want {len(ended)}")
    for sid in ended:
        r = by_id.get(sid)
        if not check(r is not None, f"session {sid} missing from sessions.csv"):
            continue
        check(r["status"] == statuses[sid], f"{sid}: status {r['status']} != {statuses[sid]}")
        check(ISO.match(r["started_at"]) and ISO.match(r["ended_at"]), f"{sid}: times {r}")
        n = sum(1 for a in exp_answers if a["session_id"] == sid)
        check(r["answer_records"] == str(n), f"{sid}: answer_records {r['answer_records']} != {n}")
    for sid, st in statuses.items():
        if st == "in_progress":
            check(sid not in by_id, f"in-progress session {sid} was exported")

    # answers.csv: one row per chosen picture, or one for a skip/decline
    arows = read_csv(os.path.join(export_dir, "answers.csv"), ANSWER_COLS)
    want_rows = sum(max(1, len(a["answer_ids"])) for a in exp_answers)
    check(len(arows) == want_rows, f"answers.csv has {len(arows)} rows, want {want_rows}")
    grouped = {}
    for r in arows:
        grouped.setdefault((r["session_id"], int(r["seq"])), []).append(r)
    for a in exp_answers:
        rows = grouped.get((a["session_id"], a["seq"]), [])
        where = f"{a['session_id']} seq {a['seq']}"
        if not check(len(rows) == max(1, len(a["answer_ids"])), f"{where}: {len(rows)} rows"):
            continue
        is_latest = "yes" if latest[(a["session_id"], a["question_id"])] == a["seq"] else "no"
        for k, r in enumerate(rows):
            check(r["question_id"] == a["question_id"], f"{where}: question {r['question_id']}")
            check(r["question_text"] == cell(a["question_text"]), f"{where}: text {r['question_text']}")
            check(r["question_index"] == str(a["question_index"]), f"{where}: index")
            check(r["kind"] == a["kind"], f"{where}: kind {r['kind']} != {a['kind']}")
            check(r["skipped"] == ("yes" if a["kind"] == "skipped" else "no"), f"{where}: skipped")
            check(r["declined"] == ("yes" if a["kind"] == "declined" else "no"), f"{where}: declined")
            want_id = a["answer_ids"][k] if a["answer_ids"] else ""
            want_label = a["answer_labels"][k] if a["answer_labels"] else ""
            check(r["answer_id"] == want_id, f"{where}: answer {r['answer_id']} != {want_id}")
            check(r["answer_label"] == cell(want_label), f"{where}: label {r['answer_label']} != {want_label}")
            # a sort answer's rows each say the picture's column; others none
            cols, clabels = a.get("sort_columns") or [], a.get("sort_column_labels") or []
            want_col = cell(cols[k]) if cols else ""
            want_clabel = cell(clabels[k]) if clabels else ""
            check(r["sort_column"] == want_col, f"{where}: sort column {r['sort_column']!r} != {want_col!r}")
            check(r["sort_column_label"] == want_clabel,
                  f"{where}: sort column label {r['sort_column_label']!r} != {want_clabel!r}")
            check(r["time_taken_ms"] == str(a["time_taken_ms"]), f"{where}: time taken")
            check(r["input_method"] == a["input_method"], f"{where}: input method")
            check(r["is_latest"] == is_latest, f"{where}: is_latest {r['is_latest']} != {is_latest}")
            check(r["session_status"] == statuses[a["session_id"]], f"{where}: session status")
            check(ISO.match(r["given_at"]), f"{where}: given_at {r['given_at']}")
            check(r["kiosk_id"] == by_id.get(a["session_id"], {}).get("kiosk_id"), f"{where}: kiosk")

    # export.json: the same, with full fidelity, and the flows
    with open(os.path.join(export_dir, "export.json"), encoding="utf-8") as f:
        doc = json.load(f)
    check(set(doc) == JSON_KEYS[""], f"json keys {sorted(doc)} != {sorted(JSON_KEYS[''])}")
    check(set(doc.get("counts", {})) == JSON_KEYS["counts"], "json counts keys")
    for s in doc["sessions"]:
        check(set(s) == JSON_KEYS["sessions[]"], f"json session keys {sorted(s)}")
        for x in s["answers"]:
            check(set(x) == JSON_KEYS["sessions[].answers[]"], f"json answer keys {sorted(x)}")
    for f in doc["flows"]:
        check(set(f) == JSON_KEYS["flows[]"], f"json flow keys {sorted(f)}")
    check(doc.get("format") == "tellus-export" and doc.get("format_version") == 3, "json format")
    check(ISO.match(doc.get("exported_at", "")), "json exported_at")
    js = {s["id"]: s for s in doc["sessions"]}
    check(set(js) == ended, f"json sessions {sorted(js)} != {sorted(ended)}")
    check(doc.get("counts") == {"sessions": len(ended), "answers": len(exp_answers)},
          f"json counts {doc.get('counts')}")
    for a in exp_answers:
        s = js.get(a["session_id"])
        if s is None:
            continue
        got = [x for x in s["answers"] if x["seq"] == a["seq"]]
        if not check(len(got) == 1, f"json {a['session_id']} seq {a['seq']} missing"):
            continue
        g = got[0]
        # every documented field the session machine handed over
        for key in sorted(a.keys() & JSON_KEYS["sessions[].answers[]"]):
            check(g[key] == a[key], f"json {a['session_id']} seq {a['seq']}: {key} {g[key]!r} != {a[key]!r}")
        check(g["is_latest"] == (latest[(a["session_id"], a["question_id"])] == a["seq"]),
              f"json is_latest at {a['session_id']} seq {a['seq']}")
    flows = {f["hash"]: f for f in doc["flows"]}
    for s in doc["sessions"]:
        check(s["status"] == statuses[s["id"]], f"json status of {s['id']}")
        f = flows.get(s["flow_hash"])
        if check(f is not None, f"json: flow {s['flow_hash']} of {s['id']} missing"):
            check(f["id"] == s["flow_id"] and f["version"] == s["flow_version"], "json flow id")
            import hashlib
            check(hashlib.sha256(f["source"].encode("utf-8")).hexdigest() == f["hash"],
                  f"json: flow {f['id']} source does not match its hash")

    if problems:
        for p in problems[:20]:
            print("check_export:", p, file=sys.stderr)
        print(f"check_export: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check_export: {len(exp_answers)} answers in {len(ended)} sessions match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
