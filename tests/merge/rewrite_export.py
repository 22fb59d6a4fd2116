#!/usr/bin/env python3
"""Makes broken copies of a good export for test_merge: each a copy whose
export.json is rewritten and whose SHA256SUMS is then made to match, so
that only merge's reader stands between the file and the database.

    rewrite_export.py GOOD_DIR CASES.json

CASES.json is a list of {"dir": ..., "change": ...}: "change" is Python run
with `j` (export.json parsed) and `raw` (None); it changes `j`, or sets
`raw` to the exact bytes to write. One run for every case, since starting
Python is the slow part.
"""
import hashlib
import json
import os
import shutil
import sys

NAMES = ["sessions.csv", "answers.csv", "export.json", "report.html"]

good, cases_path = sys.argv[1], sys.argv[2]
with open(cases_path, encoding="utf-8") as f:
    cases = json.load(f)
for case in cases:
    d = case["dir"]
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(good, d)
    path = os.path.join(d, "export.json")
    with open(path, encoding="utf-8") as f:
        j = json.load(f)
    scope = {"j": j, "raw": None, "json": json}
    exec(case["change"], scope)
    raw = scope["raw"]
    if raw is None:
        raw = json.dumps(scope["j"], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with open(path, "wb") as f:
        f.write(raw)
    with open(os.path.join(d, "SHA256SUMS"), "w") as f:
        for n in NAMES:
            with open(os.path.join(d, n), "rb") as g:
                f.write(hashlib.sha256(g.read()).hexdigest() + "  " + n + "\n")
