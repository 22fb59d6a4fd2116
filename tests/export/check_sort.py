#!/usr/bin/env python3
"""Reads a sort answer back from an export, a database merged from it and
the report drawn from that, with nothing of Tellus's own: Python's csv,
json and sqlite3. The answers are the ones test_ui_sort.c gives.

usage: check_sort.py EXPORT_DIR MERGED_DB REPORT_HTML"""
import csv
import html.parser
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
# the report's mats: per picture, how many put it in each column, then off the mat
WANT_MATS = [
    [("Lunch", [1, 0, 0, 0]), ("Music", [0, 0, 1, 0]), ("Reading", [0, 1, 0, 0]),
     ("Football", [1, 0, 0, 0]), ("The bus", [0, 0, 1, 0]), ("Art", [0, 0, 0, 1])],
    [("Reading", [1, 0, 0, 0]), ("Playtime", [0, 0, 0, 1]), ("Waiting", [0, 0, 0, 1])],
]
WANT_HEADS = [["I like", "Not sure", "I don't like", "Not on the mat"],
              ["Easy", "Not sure", "Hard", "Not on the mat"]]
problems = []


class Mats(html.parser.HTMLParser):
    """Every <table class="mat">: its header words and, per row, the
    picture's words and the numbers."""

    def __init__(self):
        super().__init__()
        self.mats, self.heads = [], []
        self.in_mat = False
        self.cell = None
        self.row = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("class") == "mat":
            self.in_mat = True
            self.mats.append([])
            self.heads.append([])
        elif self.in_mat and tag == "tr":
            self.row = []
        elif self.in_mat and tag in ("td", "th"):
            self.cell = [tag, a.get("class", ""), ""]

    def handle_endtag(self, tag):
        if tag == "table" and self.in_mat:
            self.in_mat = False
        elif self.in_mat and tag in ("td", "th") and self.cell:
            self.row.append(self.cell)
            self.cell = None
        elif self.in_mat and tag == "tr" and self.row is not None:
            if self.row and self.row[-1][0] == "th":
                self.heads[-1] = [c[2].strip() for c in self.row if c[0] == "th"]
            elif self.row:
                self.mats[-1].append((self.row[0][2].strip(),
                                      [int(c[2]) for c in self.row[1:]]))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[2] += data


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
    check(doc["format_version"] == 3, "format_version")
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

    # the report tellus report drew from the merged database (counted in
    # SQL) and the one in the export (counted as the export went)
    for path in (report, os.path.join(export_dir, "report.html")):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        check("What do you think?" in text, f"{path}: the sort question is not in the report")
        m = Mats()
        m.feed(text)
        check(m.mats == WANT_MATS, f"{path}: mats {m.mats}")
        check(m.heads == WANT_HEADS, f"{path}: mat headers {m.heads}")

    if problems:
        for p in problems:
            print("check_sort:", p, file=sys.stderr)
        return 1
    print(f"check_sort: {len(WANT)} pictures match in the export, the merge and the report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
