#!/usr/bin/env python3
"""dpi_xvfb: runs a UI test program under a real X server that reports a
panel of a given dpi (Xvfb -dpi), with SDL's x11 video driver, so the test
sees the dpi SDL reports (the dummy driver reports none).

Xvfb picks its own free display (-displayfd) and is stopped afterwards.
Fails, never skips, when Xvfb is missing: scripts/setup installs it.

Usage: dpi_xvfb.py --dpi N PROGRAM [ARGS...]
"""

import os
import shutil
import subprocess
import sys


def main():
    args = sys.argv[1:]
    if len(args) < 3 or args[0] != "--dpi":
        print(__doc__, file=sys.stderr)
        return 2
    dpi, prog = args[1], args[2:]
    xvfb = shutil.which("Xvfb")
    if not xvfb:
        print("Xvfb is not installed; scripts/setup installs it (apt-get install xvfb)",
              file=sys.stderr)
        return 1
    r, w = os.pipe()
    p = subprocess.Popen([xvfb, "-displayfd", str(w), "-screen", "0", "1920x1080x24",
                          "-dpi", dpi, "-nolisten", "tcp", "-noreset"],
                         pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    try:
        with os.fdopen(r) as f:
            disp = f.readline().strip()
        if not disp:
            print("Xvfb did not start", file=sys.stderr)
            return 1
        # Xvfb's RandR output has no size in millimetres, so SDL is told
        # to read the core protocol's screen size, which -dpi sets.
        env = dict(os.environ, DISPLAY=":" + disp, SDL_VIDEODRIVER="x11",
                   SDL_VIDEO_X11_XRANDR="0")
        # No leak check here, as in e2e/kiosk_xvfb.py: SDL's x11 backend
        # brings in libdbus, which keeps a few allocations at exit whose
        # stacks end in libraries already unloaded, so no suppression can
        # name them. The other UI tests check the same code for leaks.
        env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":detect_leaks=0"
        return subprocess.run(prog, env=env).returncode
    finally:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


if __name__ == "__main__":
    sys.exit(main())
