#!/usr/bin/env python3
"""Reads a Tellus report.html back with Python's own html.parser and checks
that every chosen answer is counted under its own label.

Usage: check_report.py REPORT.html EXPECTED.json

EXPECTED.json is the one tests/test_choices.c writes for check_export.py:
{"answers": [...], "sessions": {id: status}}. The report counts, for each
ended session, the latest answer to each question; a choose-several answer
counts once for each picture chosen. For every question this script wants
each label's count in the HTML to be the one worked out here, every other
answer row to say 0, the skips and declines counted, and "N people
answered" right. Exits 0 when everything matches, 1 with the differences
otherwise. Standard library only.
"""
import json
import re
import sys
from html.parser import HTMLParser

SKIPPED = "Skipped"
DECLINED = "Didn't want to say"


class Report(HTMLParser):
    """Collects {question text: {"people": n, "rows": {label: count}}}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.questions = {}
        self.q = None
        self.where = None      # "h3", "who", "n", "each"
        self.text = ""
        self.label = None
        self.problems = []

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class", "")
        if tag == "section" and cls == "q":
            self.q = None
        elif tag == "h3" or (tag == "td" and cls in ("who", "n")) or (tag == "p" and cls == "each"):
            self.where = tag if tag == "h3" else cls
            self.text = ""

    def handle_endtag(self, tag):
        if self.where is None:
            return
        if tag == "h3" and self.where == "h3":
            self.q = self.text
            if self.q in self.questions:
                self.problems.append(f"question {self.q!r} drawn twice")
            self.questions[self.q] = {"people": None, "rows": {}}
        elif tag == "td" and self.where == "who":
            self.label = self.text
        elif tag == "td" and self.where == "n":
            rows = self.questions[self.q]["rows"]
            if self.label in rows:
                self.problems.append(f"{self.q!r}: label {self.label!r} drawn twice")
            rows[self.label] = int(self.text)
        elif tag == "p" and self.where == "each":
            m = re.match(r"(\d+) (person|people) answered", self.text)
            self.questions[self.q]["people"] = int(m.group(1)) if m else None
        else:
            return
        self.where = None

    def handle_data(self, data):
        if self.where is not None:
            self.text += data


def main():
    report_path, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)
    statuses = expected["sessions"]
    ended = {sid for sid, st in statuses.items() if st != "in_progress"}
    latest = {}
    for a in expected["answers"]:
        if a["session_id"] not in ended:
            continue
        key = (a["session_id"], a["question_id"])
        if key not in latest or latest[key]["seq"] < a["seq"]:
            latest[key] = a
    want = {}
    for a in latest.values():
        q = want.setdefault(a["question_text"], {"people": 0, "rows": {}})
        q["people"] += 1
        if a["kind"] == "skipped":
            labels = [SKIPPED]
        elif a["kind"] == "declined":
            labels = [DECLINED]
        else:
            labels = a["answer_labels"]
        for label in labels:
            q["rows"][label] = q["rows"].get(label, 0) + 1

    with open(report_path, encoding="utf-8") as f:
        html = f.read()
    parsed = Report()
    parsed.feed(html)
    parsed.close()
    problems = list(parsed.problems)
    for text, w in want.items():
        got = parsed.questions.get(text)
        if got is None:
            problems.append(f"question {text!r} is not in the report")
            continue
        if got["people"] != w["people"]:
            problems.append(f"{text!r}: {got['people']} people answered, want {w['people']}")
        for label, n in w["rows"].items():
            if got["rows"].get(label) != n:
                problems.append(f"{text!r}: {label!r} counted {got['rows'].get(label)}, want {n}")
        for label, n in got["rows"].items():
            if label not in w["rows"] and n != 0:
                problems.append(f"{text!r}: {label!r} counted {n}, want 0")

    if problems:
        for p in problems[:20]:
            print("check_report:", p, file=sys.stderr)
        print(f"check_report: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check_report: {len(want)} questions counted right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
