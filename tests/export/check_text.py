#!/usr/bin/env python3
"""Reads a typed answer back from an export, a database merged from it and
the report drawn from that, with nothing of Tellus's own: Python's csv,
json, sqlite3 and html.parser. The answer is the one test_ui_typing.c
types: a text a spreadsheet would run as a formula, with a quote and a
comma in it.

usage: check_text.py EXPORT_DIR MERGED_DB REPORT_HTML"""
import csv
import html.parser
import json
import os
import sqlite3
import sys

WANT = '=1+2 "fun", ok'
problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)


class Typed(html.parser.HTMLParser):
    """The items of every <ul class="typed">, and the paragraph counts."""

    def __init__(self):
        super().__init__()
        self.items, self.each = [], []
        self.where = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "ul" and a.get("class") == "typed":
            self.where = "ul"
        elif tag == "li" and self.where == "ul":
            self.where = "li"
            self.items.append("")
        elif tag == "p" and a.get("class") == "each":
            self.where = "p"
            self.each.append("")

    def handle_endtag(self, tag):
        if tag == "li" and self.where == "li":
            self.where = "ul"
        elif tag in ("ul", "p"):
            self.where = None

    def handle_data(self, data):
        if self.where == "li":
            self.items[-1] += data
        elif self.where == "p":
            self.each[-1] += data


def main():
    export_dir, merged, report = sys.argv[1:4]
    with open(os.path.join(export_dir, "answers.csv"), newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    typed = [r for r in rows if r["question_id"] == "one-word"]
    check(len(typed) == 1, f"answers.csv: {len(typed)} rows for the text question")
    if typed:
        # the formula guard: an apostrophe first, the rest exactly as typed
        check(typed[0]["typed_text"] == "'" + WANT,
              f"answers.csv typed_text {typed[0]['typed_text']!r}, not the guarded {WANT!r}")
        check(typed[0]["kind"] == "chosen" and typed[0]["answer_id"] == "",
              f"answers.csv: the typed answer's row {typed[0]}")
    others = [r for r in rows if r["question_id"] != "one-word" and r["typed_text"]]
    check(not others, f"answers.csv: typed_text on other questions: {others}")

    with open(os.path.join(export_dir, "export.json"), encoding="utf-8") as f:
        doc = json.load(f)
    check(doc["format_version"] == 3, f"export.json format_version {doc['format_version']}")
    got = [a for s in doc["sessions"] for a in s["answers"] if a["question_id"] == "one-word"]
    check(len(got) == 1 and got[0]["typed_text"] == WANT and got[0]["answer_ids"] == [],
          f"export.json: the typed answer {got}")

    db = sqlite3.connect(merged)
    rows = db.execute("SELECT typed_text, kind FROM answers WHERE question_id = 'one-word'").fetchall()
    check(rows == [(WANT, "chosen")], f"merged database: {rows}")
    n = db.execute("SELECT count(*) FROM answers WHERE typed_text IS NOT NULL").fetchone()[0]
    check(n == 1, f"merged database: {n} typed answers")

    p = Typed()
    with open(report, encoding="utf-8") as f:
        p.feed(f.read())
    check(p.items == [WANT], f"report: typed answers listed {p.items}")
    check(any("1 person typed an answer." in e for e in p.each),
          f"report: no '1 person typed an answer.' in {p.each}")

    if problems:
        for m in problems:
            print("check_text:", m, file=sys.stderr)
        sys.exit(1)
    print("check_text: the typed answer matches in the export, the merge and the report")


main()
