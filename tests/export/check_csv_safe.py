#!/usr/bin/env python3
"""Reads an export's CSV files with Python's csv module, as a spreadsheet
would get them, and checks that every text that would run as a formula
(it begins with =, +, -, @, a tab or a carriage return) comes out as text:
with the apostrophe OWASP advises in front, and otherwise exactly the text
export.json holds (which keeps the true value).

Usage: check_csv_safe.py EXPORT_DIR"""
import csv
import json
import os
import sys

RISKY = "=+-@\t\r"


def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def main():
    d = sys.argv[1]
    with open(os.path.join(d, "export.json"), encoding="utf-8") as f:
        doc = json.load(f)
    labels, texts = [], []
    for s in doc["sessions"]:
        for a in s["answers"]:
            texts.append(a["question_text"])
            labels.extend(a["answer_labels"])
    problems = []
    risky_seen = 0
    answers = rows(os.path.join(d, "answers.csv"))
    got_labels = [r["answer_label"] for r in answers if r["answer_label"]]
    got_texts = sorted({r["question_text"] for r in answers})
    for want, got in zip(labels, got_labels):
        if want and want[0] in RISKY:
            risky_seen += 1
            if got != "'" + want:
                problems.append(f"label {want!r} is {got!r} in answers.csv")
        elif got != want:
            problems.append(f"label {want!r} changed to {got!r}")
    for want in set(texts):
        safe = "'" + want if want[0] in RISKY else want
        if safe not in got_texts:
            problems.append(f"question {want!r} is not in answers.csv as {safe!r}")
        risky_seen += want[0] in RISKY
    for path in ("sessions.csv", "answers.csv"):
        for r in rows(os.path.join(d, path)):
            for k, v in r.items():
                if v and v[0] in RISKY and not (k == "time_taken_ms" and v.lstrip("-").isdigit()):
                    problems.append(f"{path}: {k} = {v!r} would run as a formula")
    if len(labels) != len(got_labels):
        problems.append(f"{len(got_labels)} labels in answers.csv, {len(labels)} in export.json")
    if risky_seen == 0:
        problems.append("the export holds no text that would run as a formula: nothing was checked")
    for p in problems:
        print("check_csv_safe:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
