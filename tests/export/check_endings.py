#!/usr/bin/env python3
"""Reads how the sessions ended from a Tellus report.html, with Python's own
html.parser, and compares it with what the test expects.

Usage: check_endings.py REPORT.html completed=N completed_early=N
                        unfinished=N interrupted=N

The report has one row per way a session can end (<tr class="ended-STATUS">,
the count in its <td class="ended-n">), every way even at 0. Exits 0 when
each count is the one asked for and no row is missing or doubled, 1 with
the differences otherwise. Standard library only.
"""
import sys
from html.parser import HTMLParser


class Endings(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.row = None
        self.in_n = False
        self.text = ""
        self.counts = {}
        self.problems = []

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class", "") or ""
        if tag == "tr" and cls.startswith("ended-"):
            self.row = cls[len("ended-"):]
        elif tag == "td" and cls == "ended-n" and self.row:
            self.in_n = True
            self.text = ""

    def handle_endtag(self, tag):
        if tag == "td" and self.in_n:
            self.in_n = False
            if self.row in self.counts:
                self.problems.append(f"{self.row} shown twice")
            self.counts[self.row] = int(self.text.strip())
        elif tag == "tr":
            self.row = None

    def handle_data(self, data):
        if self.in_n:
            self.text += data


def main():
    path = sys.argv[1]
    want = {}
    for arg in sys.argv[2:]:
        k, v = arg.split("=")
        want[k] = int(v)
    p = Endings()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    problems = list(p.problems)
    for k, v in want.items():
        if p.counts.get(k) != v:
            problems.append(f"{k}: the report says {p.counts.get(k)}, expected {v}")
    for k in p.counts:
        if k not in want:
            problems.append(f"{k}: a way of ending the test does not know")
    if problems:
        print(f"check_endings: {path}:")
        for q in problems:
            print("  " + q)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
