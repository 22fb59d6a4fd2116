#!/usr/bin/env python3
"""The build holds the boundaries: the core static library refers to no SDL
symbol and includes no SDL header, and a core test program does not link
libSDL2. Inside the core, the store is below what reads it: no file of
src/core/store includes a header of report, export or merge (they read
the store, never the other way round). Fails (exit 1) naming what crossed
the line.

Usage: check_layers.py CORE_LIB.a CORE_TEST_EXE SRC_CORE_DIR
"""
import os
import re
import subprocess
import sys


def main():
    lib, exe, src = sys.argv[1:4]
    bad = []
    syms = subprocess.run(["nm", "-u", "--format=posix", lib], capture_output=True,
                          text=True, check=True).stdout
    sdl = sorted({l.split()[0] for l in syms.splitlines()
                  if l.split() and re.match(r"(SDL|TTF|IMG)_", l.split()[0])})
    if sdl:
        bad.append("the core library uses SDL: " + ", ".join(sdl[:10]))
    libs = subprocess.run(["ldd", exe], capture_output=True, text=True, check=True).stdout
    if re.search(r"libSDL2", libs):
        bad.append(f"{os.path.basename(exe)} links libSDL2")
    # folder of src/core -> the folders whose headers it must not include
    below = {"store": ("report", "export", "merge")}
    for root, _, files in os.walk(src):
        for f in files:
            if f.endswith((".c", ".h")):
                path = os.path.join(root, f)
                with open(path, encoding="utf-8") as fh:
                    for n, line in enumerate(fh, 1):
                        if re.match(r'\s*#\s*include\s*[<"](SDL|SDL2/)', line):
                            bad.append(f"{path}:{n}: includes SDL")
                        folder = os.path.relpath(root, src).split(os.sep)[0]
                        m = re.match(r'\s*#\s*include\s*"([a-z_]+)/', line)
                        if m and m.group(1) in below.get(folder, ()):
                            bad.append(f"{path}:{n}: {folder} includes {m.group(1)}, "
                                       f"which reads {folder}")
    for b in bad:
        print(b, file=sys.stderr)
    if not bad:
        print(f"core: no SDL symbol in {os.path.basename(lib)}, none linked by "
              f"{os.path.basename(exe)}, no SDL header under {src}, the store "
              f"below what reads it")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
