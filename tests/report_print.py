#!/usr/bin/env python3
"""Prints a Tellus report with headless Chromium to PDF, as a forum would
print it, and checks the pages with poppler's tools: fails when the print
layout does not fit A4.

Usage: report_print.py REPORT.html OUT_DIR [--max-pages N]

- pdfinfo: every page is A4 (595 x 842 pt) and there are 1 to N pages.
- pdftoppm: each page as a greyscale picture; the outer 9 mm of every side
  (the layout's margin is 14 mm) holds no ink, so nothing ran off the page.
- pdftotext -bbox: no word lies outside the page's margins, and the big
  heading is still its print size (28 pt): Chromium shrinks a page that is
  too wide to fit, and a shrunk page is an overflow too.
The PDF and a PNG of each page stay in OUT_DIR, to be looked at. Exits 0
when the print fits, 1 saying what does not, 77 never (no skips: Chromium
and poppler-utils are in scripts/setup's list).
"""
import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

A4 = (595.28, 841.89)
MM = 72 / 25.4


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    sys.exit("report_print: no Chromium (Debian: apt-get install chromium)")


def read_pgm(path):
    """A binary PGM (P5): width, height, bytes."""
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m:
        raise ValueError(f"{path}: not a binary PGM")
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("out_dir")
    ap.add_argument("--max-pages", type=int, default=20)
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    pdf = os.path.join(a.out_dir, "report.pdf")
    if os.path.exists(pdf):
        os.remove(pdf)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--no-first-run", "--user-data-dir=" + profile,
                        "--no-pdf-header-footer", "--print-to-pdf=" + pdf,
                        "file://" + os.path.abspath(a.report)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, HOME=profile), timeout=240)
    bad = []
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", pdf], check=True,
                          capture_output=True, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    if not 1 <= pages <= a.max_pages:
        bad.append(f"{pages} pages, want 1 to {a.max_pages}")
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    if len(sizes) != pages:
        bad.append(f"pdfinfo gave {len(sizes)} page sizes for {pages} pages")
    for i, (w, h) in enumerate(sizes, 1):
        if abs(float(w) - A4[0]) > 1 or abs(float(h) - A4[1]) > 1:
            bad.append(f"page {i} is {w} x {h} pt, not A4")

    # Ink in the outer 9 mm of any page: something ran past the margin.
    dpi = 50
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", pdf, os.path.join(a.out_dir, "page")],
                   check=True)
    subprocess.run(["pdftoppm", "-r", "60", "-png", pdf, os.path.join(a.out_dir, "page")],
                   check=True)
    edge = int(9 / 25.4 * dpi)
    for name in sorted(n for n in os.listdir(a.out_dir) if n.endswith(".pgm")):
        w, h, px = read_pgm(os.path.join(a.out_dir, name))
        inked = 0
        for y in range(h):
            row = px[y * w:(y + 1) * w]
            strip = row[:edge] + row[w - edge:] if edge < y < h - edge else row
            inked += sum(1 for v in strip if v < 200)
        if inked:
            bad.append(f"{name}: {inked} dark pixels in the outer 9 mm")
        os.remove(os.path.join(a.out_dir, name))

    # Every word inside the margins; the heading at its print size.
    bbox = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True,
                          text=True).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                       r'yMax="([\d.]+)">([^<]*)</word>', bbox)
    if not words:
        bad.append("pdftotext found no words")
    lo, hi = 13 * MM, A4[0] - 13 * MM
    for x0, y0, x1, y1, t in words:
        if float(x0) < lo or float(x1) > hi:
            bad.append(f"word {html.unescape(t)!r} at x {float(x0):.0f}-{float(x1):.0f} pt, "
                       f"outside the margins ({lo:.0f}-{hi:.0f})")
            break
    first_page = bbox.split("</page>")[0]
    first = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', first_page)
    tallest = max((float(b) - float(t) for t, b in first), default=0)
    if tallest < 24:
        bad.append(f"the tallest word on page 1 is {tallest:.1f} pt: the page was shrunk "
                   "to fit (the heading is 28 pt)")
    for b in bad:
        print("report_print:", b, file=sys.stderr)
    if not bad:
        print(f"report_print: {pages} A4 pages, margins clear, heading {tallest:.1f} pt; "
              f"pages in {a.out_dir}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
