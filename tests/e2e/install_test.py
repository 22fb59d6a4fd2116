#!/usr/bin/env python3
"""install_test: `meson install` puts everything in its place, and the
installed tellus runs on installed data only.

1. `meson install --destdir TMP` from the build tree; every file the issue
   names is checked to be there (binary, data folders, /etc example, man
   page, desktop file and icon, kiosk service, PAM session, udev rule,
   sysusers and tmpfiles entries), the example settings name the installed
   flows, and the unit names the installed binary and settings.
2. In a private mount namespace (unshare, as root) TMP/PREFIX is mounted
   over PREFIX and an empty tmpfs over the source tree and the build tree,
   so neither can be reached; TELLUS_DATA_DIR is unset. There the installed
   tellus prints its version, `tellus check` passes the installed flows,
   and the kiosk, started fullscreen under Xvfb with the installed
   /etc example settings, shows the welcome screen: pixels_x11 polls the
   screen from outside until it settles, and the screenshot must be the
   whole welcome screen (screen_check.welcome_problems) and the very same
   pixels as the build tree's tellus shows on its source tree's data.

Fails, never skips: it needs root (unshare) and a prefix other than /usr.
Usage: install_test.py --build DIR --pixels BIN [--keep]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import kiosk_xvfb as kx  # noqa: E402
import screen_check as sc  # noqa: E402


def log(msg):
    print(msg, flush=True)


def build_options(build):
    out = subprocess.run(["meson", "introspect", "--buildoptions", build], check=True,
                         capture_output=True, text=True).stdout
    return {o["name"]: o["value"] for o in json.loads(out)}


def check_tree(dest, opt):
    prefix = opt["prefix"]
    root = dest + prefix

    def p(*parts):
        return os.path.join(*parts)
    sysconf = opt["sysconfdir"] if opt["sysconfdir"].startswith("/") else p(prefix, opt["sysconfdir"])
    want = {
        "the binary": p(root, opt["bindir"], "tellus"),
        "the symbols": p(root, opt["datadir"], "tellus/assets/symbols/start.svg"),
        "the fonts": p(root, opt["datadir"], "tellus/fonts"),
        "the demo flows": p(root, opt["datadir"], "tellus/config/flows/school-day.yaml"),
        "the example settings": dest + p(sysconf, "tellus/kiosk.yaml"),
        "the PAM session": dest + p(sysconf, "pam.d/tellus-kiosk"),
        "the man page": p(root, opt["mandir"], "man1/tellus.1"),
        "the desktop file": p(root, opt["datadir"], "applications/tellus.desktop"),
        "the icon": p(root, opt["datadir"], "icons/hicolor/scalable/apps/tellus.svg"),
    }
    missing = [f"{what} ({path})" for what, path in want.items() if not os.path.exists(path)]
    # Files whose folder comes from systemd.pc (absolute, outside PREFIX).
    found = {}
    for dirpath, _, files in os.walk(dest):
        for f in files:
            found.setdefault(f, []).append(os.path.join(dirpath, f))
    for what, name, folder in [("the kiosk service", "tellus-kiosk.service", "systemd/system"),
                               ("the udev rule", "99-tellus-usb.rules", "udev/rules.d"),
                               ("the sysusers entry", "tellus.conf", "sysusers.d"),
                               ("the tmpfiles entry", "tellus.conf", "tmpfiles.d")]:
        if not any(folder in path for path in found.get(name, [])):
            missing.append(f"{what} ({folder}/{name})")
    if missing:
        raise kx.Failure("meson install did not put these in place: " + "; ".join(missing))
    yaml = open(want["the example settings"], encoding="utf-8").read()
    flows_dir = p(prefix, opt["datadir"], "tellus/config/flows/")
    if flows_dir + "school-day.yaml" not in yaml:
        raise kx.Failure(f"the installed kiosk.yaml does not name {flows_dir}school-day.yaml")
    unit = open(next(x for x in found["tellus-kiosk.service"] if "systemd/system" in x)).read()
    for needle in [f"{p(prefix, opt['bindir'])}/tellus ", f"--config {sysconf}/tellus/kiosk.yaml",
                   "User=tellus", "Restart=always", "TTYPath=/dev/tty1", "SDL_VIDEODRIVER=wayland"]:
        if needle not in unit:
            raise kx.Failure(f"tellus-kiosk.service lacks '{needle}'")
    man = open(want["the man page"], encoding="utf-8").read()
    if ".TH" not in man or "set-pin" not in man:
        raise kx.Failure("the installed man page is not a man page naming the commands")
    log(f"installed tree complete under {dest} (prefix {prefix})")
    return p(prefix, opt["bindir"], "tellus"), p(sysconf, "tellus/kiosk.yaml")


# The installed tellus with its own data hidden and the source tree in
# plain sight: it must say its data is missing, not quietly use the source.
NO_GUESS = r"""
set -eu
mount --make-rprivate /
mount --bind "$DEST$PREFIX" "$PREFIX"
mount -t tmpfs -o size=1m tellus-gone "$PREFIX/$DATADIR/tellus"
unset TELLUS_DATA_DIR
ls "$SRC/assets/symbols/start.svg" >/dev/null
exec "$TELLUS" --exit-after-first-frame --windowed --db "$DB"
"""

INSIDE = r"""
set -eu
mount --make-rprivate /
mount --bind "$DEST$PREFIX" "$PREFIX"
mount -t tmpfs -o size=1m tellus-gone "$SRC"
if [ -d "$BUILD" ]; then mount -t tmpfs -o size=1m tellus-gone "$BUILD"; fi
if ls "$SRC"/* >/dev/null 2>&1; then echo "the source tree is still reachable" >&2; exit 3; fi
unset TELLUS_DATA_DIR
"$TELLUS" --version
"$TELLUS" check "$FLOW"
exec "$PIXELS" --out "$OUT" -- "$TELLUS" --config "$CONF" --db "$DB"
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--pixels", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise kx.Failure("the install test needs root (it hides the source tree with unshare "
                         "--mount); run the suite as root, as scripts/test does on a kiosk machine")
    opt = build_options(args.build)
    if opt["prefix"] in ("/", "/usr"):
        raise kx.Failure(f"the build's prefix is {opt['prefix']}; the install test mounts the "
                         "installed tree over the prefix, so use a prefix such as /usr/local")
    src = os.path.realpath(os.environ.get("TELLUS_SOURCE_ROOT", os.path.join(HERE, "..", "..")))
    build = os.path.realpath(args.build)
    tmp = tempfile.mkdtemp(prefix="tellus-install-")
    xvfb = None
    try:
        dest = os.path.join(tmp, "dest")
        r = subprocess.run(["meson", "install", "-C", build, "--destdir", dest, "--no-rebuild",
                            "--quiet"], capture_output=True, text=True)
        if r.returncode != 0:
            raise kx.Failure(f"meson install failed: {r.stdout[-800:]}{r.stderr[-800:]}")
        tellus, conf = check_tree(dest, opt)

        os.chmod(tmp, 0o755)
        r = subprocess.run(["unshare", "--mount", "sh", "-c", NO_GUESS], capture_output=True,
                           text=True, timeout=60,
                           env=dict(os.environ, DEST=dest, PREFIX=opt["prefix"], SRC=src,
                                    DATADIR=opt["datadir"], TELLUS=tellus,
                                    DB=os.path.join(tmp, "guess.db"), SDL_VIDEODRIVER="dummy"))
        want = os.path.join(opt["prefix"], opt["datadir"], "tellus")
        if r.returncode != 1 or f"not in {want}" not in r.stderr:
            raise kx.Failure(f"with its installed data hidden and the source tree there, the "
                             f"installed tellus should say its data is not in {want} and exit 1; "
                             f"it exited {r.returncode}: {r.stderr[-600:]}")
        log(f"with {want} hidden it says so and does not fall back to the source tree")

        xvfb, n = kx.start_xvfb(tmp)
        env = dict(os.environ, DISPLAY=f":{n}", SDL_VIDEODRIVER="x11", SDL_AUDIODRIVER="dummy")
        env.pop("SDL_RENDER_DRIVER", None)

        # The build tree on its source tree's data: the reference.
        ref = os.path.join(tmp, "build-tree.ppm")
        r = subprocess.run([args.pixels, "--out", ref, "--", os.path.join(build, "tellus"),
                            "--config", os.path.join(src, "config/kiosk.yaml"),
                            "--db", os.path.join(tmp, "ref.db")],
                           env=dict(env, TELLUS_DATA_DIR=src), capture_output=True, text=True,
                           timeout=120)
        if r.returncode != 0:
            raise kx.Failure(f"the build tree's tellus showed no settled screen: {r.stdout}{r.stderr[-800:]}")

        got = os.path.join(tmp, "installed.ppm")
        inside_env = dict(env, DEST=dest, PREFIX=opt["prefix"], SRC=src, BUILD=build,
                          TELLUS=tellus, CONF=conf, PIXELS=os.path.realpath(args.pixels),
                          OUT=got, DB=os.path.join(tmp, "installed.db"),
                          FLOW=os.path.join(opt["prefix"], opt["datadir"],
                                            "tellus/config/flows/school-day.yaml"))
        # pixels_x11 itself lives in the build tree, which is about to be hidden.
        px = os.path.join(tmp, "pixels_x11")
        shutil.copy2(args.pixels, px)
        inside_env["PIXELS"] = px
        r = subprocess.run(["unshare", "--mount", "sh", "-c", INSIDE], env=inside_env,
                           capture_output=True, text=True, timeout=180)
        log(r.stdout.strip())
        if r.returncode != 0:
            raise kx.Failure(f"the installed tellus, source tree hidden, failed (exit "
                             f"{r.returncode}): {r.stderr[-1500:]}")
        if "tellus " not in r.stdout:
            raise kx.Failure("the installed tellus --version printed no version")
        if "drawing with" not in r.stderr:
            raise kx.Failure(f"the installed kiosk did not say how it draws: {r.stderr[-600:]}")
        img = sc.read_ppm(got)
        img.save_png(os.path.join(tmp, "installed.png"))
        problems = sc.welcome_problems(img)
        if problems:
            raise kx.Failure("the installed kiosk's screen is not the welcome screen: "
                             + "; ".join(problems) + f" (see {tmp}/installed.png)")
        refimg = sc.read_ppm(ref)
        if refimg.rgb != img.rgb:
            diff = sum(1 for i in range(0, len(img.rgb), 3) if img.rgb[i:i + 3] != refimg.rgb[i:i + 3])
            refimg.save_png(os.path.join(tmp, "build-tree.png"))
            raise kx.Failure(f"the installed kiosk's welcome screen differs from the build tree's "
                             f"in {diff} pixels (see {tmp}/installed.png, build-tree.png)")
        log("the installed tellus, with the source and build trees out of reach, shows the "
            "same whole welcome screen as the build tree")
        if args.keep:
            log(f"kept {tmp}")
    finally:
        kx.stop(xvfb, "Xvfb")
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except kx.Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
