#!/usr/bin/env python3
"""Reads a sort answer back from an export, a database merged from it and
the report drawn from that, with nothing of Tellus's own: Python's csv,
json and sqlite3. The answers are the ones test_ui_sort.c gives.

usage: check_sort.py EXPORT_DIR MERGED_DB REPORT_HTML"""
import csv
import json
import os
import sqlite3
import sys

# (question, position, answer id, label, column, column words), mat order
WANT = [
    ("school-mat", 0, "lunch", "Lunch", "like", "I like"),
    ("school-mat", 1, "football", "Football", "like", "I like"),
    ("school-mat", 2, "books", "Reading", "not-sure", "Not sure"),
    ("school-mat", 3, "music", "Music", "dislike", "I don't like"),
    ("school-mat", 4, "bus", "The bus", "dislike", "I don't like"),
    ("school-mat", 5, "painting", "Art", "unsorted", ""),
    ("how-hard", 0, "reading", "Reading", "easy", "Easy"),
    ("how-hard", 1, "playtime", "Playtime", "unsorted", ""),
    ("how-hard", 2, "waiting", "Waiting", "unsorted", ""),
]
problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)


def main():
    export_dir, merged, report = sys.argv[1:4]
    with open(os.path.join(export_dir, "answers.csv"), newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    got = []
    pos = {}
    for r in rows:
        if r["sort_column"]:
            k = pos.get((r["question_id"], r["seq"]), 0)
            pos[(r["question_id"], r["seq"])] = k + 1
            got.append((r["question_id"], k, r["answer_id"], r["answer_label"], r["sort_column"],
                        r["sort_column_label"]))
    check(got == WANT, f"answers.csv mat rows {got}")
    feel = [r for r in rows if r["question_id"] == "feeling"]
    check(len(feel) == 1 and feel[0]["sort_column"] == "" and feel[0]["sort_column_label"] == "",
          f"answers.csv: a feelings answer has a sort column: {feel}")

    with open(os.path.join(export_dir, "export.json"), encoding="utf-8") as f:
        doc = json.load(f)
    check(doc["format_version"] == 2, "format_version")
    got = []
    for s in doc["sessions"]:
        for a in s["answers"]:
            if a["question_id"] == "feeling":
                check(a["sort_columns"] == [] and a["sort_column_labels"] == [],
                      f"json: feelings answer with sort columns {a}")
                continue
            check(len(a["sort_columns"]) == len(a["answer_ids"]) == len(a["sort_column_labels"]),
                  f"json: lists of different lengths {a}")
            for k, (i, l, c, cl) in enumerate(zip(a["answer_ids"], a["answer_labels"],
                                                   a["sort_columns"], a["sort_column_labels"])):
                got.append((a["question_id"], k, i, l, c, cl))
    check(got == WANT, f"export.json mat {got}")

    db = sqlite3.connect(merged)
    got = db.execute(
        "SELECT a.question_id, c.position, c.answer_id, c.answer_label, c.sort_column,"
        " c.sort_column_label FROM answers a JOIN answer_choices c"
        " ON c.session_id = a.session_id AND c.seq = a.seq"
        " WHERE c.sort_column IS NOT NULL ORDER BY a.seq, c.position").fetchall()
    check(got == WANT, f"merged database mat {got}")
    check(db.execute("SELECT count(*) FROM answer_choices WHERE sort_column IS NULL").fetchone()[0] == 1,
          "merged database: the feelings answer")

    with open(report, encoding="utf-8") as f:
        html = f.read()
    check("What do you think?" in html, "report: the sort question is not in the report")

    if problems:
        for p in problems:
            print("check_sort:", p, file=sys.stderr)
        return 1
    print(f"check_sort: {len(WANT)} pictures match in the export, the merge and the report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
