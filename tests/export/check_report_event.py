#!/usr/bin/env python3
"""Reads an event's report (tellus report --event) back with Python's own
html.parser and YAML-free checks: the opening names the event, its place
and its kiosks; "You said, we did" holds every card's "You said" words;
"N people took part" is right; and one question's rows say exactly the
counts given.

Usage: check_report_event.py REPORT.html --event NAME --place TEXT
         --kiosks "a, b" --people N --question TEXT --cards CARDS.yaml
         LABEL=COUNT...

The cards' "You said" words are taken from the card file's `en:` lines
under `you_said:` (the file is the bundled example's shape). Exits 0 when
everything matches, 1 with the differences otherwise. Standard library
only.
"""
import argparse
import re
import sys
from html.parser import HTMLParser


class Report(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.text = {}          # tag path -> text pieces
        self.h1 = ""
        self.facts = {}
        self.dt = None
        self.in_tag = None
        self.h2 = []
        self.h3 = []
        self.lead = ""
        self.rows = {}          # question -> {label: count}
        self.q = None
        self.cell = None
        self.label = ""
        self.buf = ""

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class", "")
        if tag in ("h1", "h2", "h3", "dt", "dd") or (tag == "p" and cls == "lead"):
            self.in_tag = tag if tag != "p" else "lead"
            self.buf = ""
        if tag == "td" and cls in ("who", "n"):
            self.cell = cls
            self.buf = ""

    def handle_endtag(self, tag):
        t = self.buf.strip()
        if self.in_tag == tag or (self.in_tag == "lead" and tag == "p"):
            if tag == "h1":
                self.h1 = t
            elif tag == "h2":
                self.h2.append(t)
            elif tag == "h3":
                self.h3.append(t)
                self.q = t
                self.rows.setdefault(t, {})
            elif tag == "dt":
                self.dt = t
            elif tag == "dd" and self.dt:
                self.facts[self.dt] = t
            elif self.in_tag == "lead":
                self.lead = t
            self.in_tag = None
        if tag == "td" and self.cell:
            if self.cell == "who":
                self.label = t
            elif self.cell == "n" and self.q is not None:
                self.rows[self.q][self.label] = int(t)
            self.cell = None

    def handle_data(self, data):
        self.buf += data


def card_said(path):
    """The `en:` line after each `you_said:` in the card file."""
    out = []
    want = False
    for line in open(path, encoding="utf-8"):
        if re.match(r"\s*you_said:\s*$", line):
            want = True
        elif want:
            m = re.match(r"\s*en:\s*(.+?)\s*$", line)
            if m:
                out.append(m.group(1))
                want = False
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--event", required=True)
    ap.add_argument("--place", required=True)
    ap.add_argument("--kiosks", required=True)
    ap.add_argument("--people", type=int, required=True)
    ap.add_argument("--question", required=True)
    ap.add_argument("--cards", required=True)
    ap.add_argument("rows", nargs="+")
    a = ap.parse_args()
    r = Report()
    r.feed(open(a.report, encoding="utf-8").read())
    bad = []
    if r.h1 != a.event:
        bad.append(f"heading {r.h1!r}, want the event {a.event!r}")
    for k, v in (("Event", a.event), ("Place", a.place),
                 ("Kiosks", a.kiosks)):
        if r.facts.get(k) != v:
            bad.append(f"{k}: {r.facts.get(k)!r}, want {v!r}")
    if not r.facts.get("Date"):
        bad.append("no Date in the opening")
    want_lead = f"{a.people} people took part."
    if r.lead != want_lead:
        bad.append(f"lead {r.lead!r}, want {want_lead!r}")
    if "You said, we did" not in r.h2:
        bad.append("no 'You said, we did' section")
    for said in card_said(a.cards):
        if said not in r.h3:
            bad.append(f"card {said!r} missing")
    if not card_said(a.cards):
        bad.append("no cards read from the card file")
    got = r.rows.get(a.question)
    if got is None:
        bad.append(f"question {a.question!r} missing (have {list(r.rows)})")
    else:
        for spec in a.rows:
            label, n = spec.rsplit("=", 1)
            if got.get(label) != int(n):
                bad.append(f"{a.question}: {label!r} says {got.get(label)!r}, want {n}")
    for b in bad:
        print("check_report_event:", b, file=sys.stderr)
    if not bad:
        print(f"check_report_event: {a.report}: the event, {len(r.rows)} questions, "
              f"{len(card_said(a.cards))} cards as expected")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
