#!/usr/bin/env python3
"""Reads a Tellus export's sessions back with Python's own csv and json
modules and checks which kiosk and event each carries.

Usage: check_events.py EXPORT_DIR KIOSK=EVENT...

One KIOSK=EVENT per session exported, in any order ("KIOSK=" for a
session begun with no event running: empty in sessions.csv, null in
export.json). Exits 0 when sessions.csv and export.json both hold exactly
those, 1 with the difference otherwise. Standard library only.
"""
import csv
import json
import os
import sys


def main():
    folder, want = sys.argv[1], sorted(tuple(a.split("=", 1)) for a in sys.argv[2:])
    with open(os.path.join(folder, "sessions.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    from_csv = sorted((r["kiosk_id"], r["event"]) for r in rows)
    with open(os.path.join(folder, "export.json"), encoding="utf-8") as f:
        doc = json.load(f)
    from_json = sorted((s["kiosk_id"], s["event"] if s["event"] is not None else "")
                       for s in doc["sessions"])
    # An empty event is null in export.json, never "".
    empties = [s for s in doc["sessions"] if s["event"] == ""]
    ok = True
    for name, got in (("sessions.csv", from_csv), ("export.json", from_json)):
        if got != want:
            print(f"{name}: {got} != {want}")
            ok = False
    if empties:
        print(f"export.json: an event of \"\" instead of null: {empties[0]['id']}")
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
