#!/usr/bin/env python3
"""Reads a drawing back, with nothing of Tellus's own: the PNG is decoded
by hand with Python's zlib and struct (signature, IHDR, the IDAT stream,
every row's filter), from the kiosk's database, or from an export, the
database merged from it and the two reports drawn from that. The drawing
is the one test_ui_drawing.c makes: red, then blue, on white paper.

A sealed export (--sealed) holds the drawing sealed only, and the folders
`tellus open` and scripts/open-export.py wrote from it hold it plain, the
same bytes the office's merge took.

usage: check_draw.py --db KIOSK_DB
       check_draw.py --export EXPORT_DIR MERGED_DB REPORT_HTML WITH_DRAWINGS_HTML
       check_draw.py --sealed EXPORT_DIR OPENED_DIR PYTHON_OPENED_DIR MERGED_DB"""
import base64
import csv
import hashlib
import json
import os
import re
import sqlite3
import struct
import sys
import zlib

problems = []


def check(cond, msg):
    if not cond:
        problems.append(msg)


def read(path):
    """The bytes of path, or b"" with a problem said."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        problems.append(f"{path}: {e.strerror}")
        return b""


def decode(png):
    """(width, height, rows of (r, g, b, a)) of an 8-bit RGB or RGBA PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG signature"
    pos, idat, ihdr = 8, b"", None
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        data = png[pos + 8:pos + 8 + n]
        crc, = struct.unpack(">I", png[pos + 8 + n:pos + 12 + n])
        assert zlib.crc32(kind + data) & 0xFFFFFFFF == crc, f"bad CRC in {kind}"
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            idat += data
        elif kind == b"IEND":
            break
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, f"IHDR {ihdr}"
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return w, h, bpp, rows


def check_picture(png, where):
    try:
        w, h, bpp, rows = decode(png)
    except (AssertionError, zlib.error, struct.error, TypeError) as e:
        problems.append(f"{where}: {e}")
        return
    check((w, h) == (800, 600), f"{where}: {w} x {h}, not 800 x 600")
    counts = {}
    for row in rows[::4]:
        for x in range(0, len(row), bpp * 4):
            px = tuple(row[x:x + 3])
            counts[px] = counts.get(px, 0) + 1
    total = sum(counts.values())
    white, red, blue = counts.get((255, 255, 255), 0), counts.get((0xd6, 0x27, 0x28), 0), \
        counts.get((0x1f, 0x5f, 0xc4), 0)
    check(white > total // 2, f"{where}: white paper is {white} of {total} samples")
    check(red > 20, f"{where}: only {red} red samples")
    check(blue > 20, f"{where}: only {blue} blue samples")


def main():
    if sys.argv[1] == "--db":
        db = sqlite3.connect(sys.argv[2])
        for (png,) in db.execute("SELECT png FROM answer_drawings"):
            check_picture(png, "database")
    elif sys.argv[1] == "--sealed":
        export_dir, opened, by_python, merged = sys.argv[2:6]
        with open(os.path.join(opened, "answers.csv"), newline="", encoding="utf-8-sig") as f:
            rows = [r for r in csv.DictReader(f) if r["question_id"] == "draw-school"]
        check(len(rows) == 1, f"opened answers.csv: {len(rows)} rows for the draw question")
        want = f"drawings/{rows[0]['session_id']}-draw-school.png" if rows else "?"
        check(rows and rows[0]["drawing"] == want, f"opened answers.csv names {rows and rows[0]['drawing']!r}")
        sums = open(os.path.join(export_dir, "SHA256SUMS"), encoding="utf-8").read()
        check(f"  {want}.sealed\n" in sums, f"the export's SHA256SUMS does not list {want}.sealed")
        check(f"  {want}\n" not in sums, f"the sealed export's SHA256SUMS lists {want} plain")
        check(not os.path.exists(os.path.join(export_dir, want)), f"the sealed export holds {want} plain")
        sealed = read(os.path.join(export_dir, want + ".sealed"))
        check(sealed.startswith(b"TELLUS-SEALED-1\n"), "the sealed drawing is not a sealed file")
        check(b"IDAT" not in sealed, "the sealed drawing shows PNG chunks")
        png = read(os.path.join(opened, want))
        check_picture(png, f"opened {want}")
        osums = open(os.path.join(opened, "SHA256SUMS"), encoding="utf-8").read()
        check(f"{hashlib.sha256(png).hexdigest()}  {want}\n" in osums,
              "the opened folder's SHA256SUMS does not list the drawing")
        check(read(os.path.join(by_python, want)) == png,
              "scripts/open-export.py opened other bytes")
        db = sqlite3.connect(merged)
        check(db.execute("SELECT png FROM answer_drawings").fetchall() == [(png,)],
              "the office's merged database: not the same drawing")
    else:
        export_dir, merged, report, with_drawings = sys.argv[2:6]
        with open(os.path.join(export_dir, "answers.csv"), newline="", encoding="utf-8-sig") as f:
            rows = [r for r in csv.DictReader(f) if r["question_id"] == "draw-school"]
        check(len(rows) == 1, f"answers.csv: {len(rows)} rows for the draw question")
        name = rows[0]["drawing"] if rows else ""
        want = f"drawings/{rows[0]['session_id']}-draw-school.png" if rows else "?"
        check(name == want, f"answers.csv drawing {name!r}, not {want!r}")
        with open(os.path.join(export_dir, "export.json"), encoding="utf-8") as f:
            doc = json.load(f)
        got = [a["drawing"] for s in doc["sessions"] for a in s["answers"]
               if a["question_id"] == "draw-school"]
        check(got == [want], f"export.json drawings {got}")
        png = open(os.path.join(export_dir, want), "rb").read() if rows else b""
        check_picture(png, want)
        sums = open(os.path.join(export_dir, "SHA256SUMS"), encoding="utf-8").read()
        check(f"{hashlib.sha256(png).hexdigest()}  {want}\n" in sums, "SHA256SUMS does not list it")
        db = sqlite3.connect(merged)
        merged_png = db.execute("SELECT png FROM answer_drawings").fetchall()
        check(merged_png == [(png,)], "merged database: not the same drawing")
        plain = open(report, encoding="utf-8").read()
        check("1 person drew a picture." in plain, "report: no '1 person drew a picture.'")
        check("data:image/png" not in plain, "report: a drawing without --with-drawings")
        full = open(with_drawings, encoding="utf-8").read()
        imgs = re.findall(r'class="drawing"[^>]*src="data:image/png;base64,([^"]+)"', full)
        check(len(imgs) == 1 and base64.b64decode(imgs[0]) == png,
              f"report --with-drawings: {len(imgs)} drawings, not this one")
    if problems:
        for m in problems:
            print("check_draw:", m, file=sys.stderr)
        sys.exit(1)
    print("check_draw: the drawing reads back as drawn")


main()
