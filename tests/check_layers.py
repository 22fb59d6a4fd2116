#!/usr/bin/env python3
"""The build holds the boundaries: the core static library refers to no SDL
symbol and includes no SDL header, and a core test program does not link
libSDL2. Fails (exit 1) naming what crossed the line.

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
    for root, _, files in os.walk(src):
        for f in files:
            if f.endswith((".c", ".h")):
                path = os.path.join(root, f)
                with open(path, encoding="utf-8") as fh:
                    for n, line in enumerate(fh, 1):
                        if re.match(r'\s*#\s*include\s*[<"](SDL|SDL2/)', line):
                            bad.append(f"{path}:{n}: includes SDL")
    for b in bad:
        print(b, file=sys.stderr)
    if not bad:
        print(f"core: no SDL symbol in {os.path.basename(lib)}, none linked by "
              f"{os.path.basename(exe)}, no SDL header under {src}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
