#!/usr/bin/env python3
"""deb_test: the Debian package, built, checked and installed for real.

1. The source tree (the files git knows, committed or not) is copied to a
   temporary folder and `dpkg-buildpackage -us -uc -b` builds
   tellus_<version>_<arch>.deb there (debian/: debhelper with meson).
2. lintian must find no error or warning (debian/tellus.lintian-overrides
   lists the exceptions, each with why).
3. `apt-get install ./tellus_<version>_<arch>.deb` on this machine; then the
   installed /usr/bin/tellus prints its version and draws its first
   welcome frame (--exit-after-first-frame, SDL's dummy video driver) from
   the installed data only; the package made the user tellus and
   /var/lib/tellus owned by it; the kiosk service is installed but not
   enabled, and systemd-analyze accepts it.
4. The package is removed again (`apt-get remove`), so the machine is left
   as it was, apart from the user tellus, which Debian keeps by design.

Needs root (apt) like the rest of the CI machine's set-up; fails, never skips.
Usage: deb_test.py [--keep]   (TELLUS_SOURCE_ROOT names the source tree)
"""

import argparse
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


class Failure(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def run(cmd, timeout, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if r.returncode != 0:
        raise Failure(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r


def version_of(src):
    for line in open(os.path.join(src, "debian/changelog"), encoding="utf-8"):
        return line.split("(", 1)[1].split(")", 1)[0]
    raise Failure("debian/changelog is empty")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise Failure("the package test installs the .deb with apt, so it needs root")
    for tool in ("dpkg-buildpackage", "lintian", "apt-get", "git"):
        if not shutil.which(tool):
            raise Failure(f"{tool} is missing; scripts/setup installs it")
    src = os.path.realpath(os.environ.get("TELLUS_SOURCE_ROOT", os.path.join(HERE, "..", "..")))
    tmp = tempfile.mkdtemp(prefix="tellus-deb-")
    installed = False
    try:
        tree = os.path.join(tmp, "tellus")
        files = run(["git", "-C", src, "ls-files", "-co", "--exclude-standard", "-z"], 60).stdout
        for rel in filter(None, files.split("\0")):
            if rel.startswith(("build", "obj-")) or not os.path.exists(os.path.join(src, rel)):
                continue
            os.makedirs(os.path.dirname(os.path.join(tree, rel)), exist_ok=True)
            shutil.copy2(os.path.join(src, rel), os.path.join(tree, rel), follow_symlinks=False)
        log(f"building the package in {tree}")
        run(["nice", "dpkg-buildpackage", "-us", "-uc", "-b"], 1500, cwd=tree)
        arch = run(["dpkg", "--print-architecture"], 10).stdout.strip()
        version = version_of(tree)
        deb = os.path.join(tmp, f"tellus_{version}_{arch}.deb")
        if not os.path.exists(deb):
            raise Failure(f"dpkg-buildpackage made no {os.path.basename(deb)}: {os.listdir(tmp)}")
        log(f"built {os.path.basename(deb)}")

        r = subprocess.run(["lintian", "--fail-on", "error,warning", deb], capture_output=True,
                           text=True, timeout=600)
        if r.returncode != 0:
            raise Failure(f"lintian found errors or warnings:\n{r.stdout}{r.stderr[-1000:]}")
        log("lintian: no errors or warnings" + (f" ({len(r.stdout.splitlines())} notes)" if r.stdout else ""))

        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", deb], 900, env=env)
        installed = True
        log("installed with apt-get install ./" + os.path.basename(deb))

        clean = {k: v for k, v in os.environ.items() if not k.startswith("TELLUS_")}
        out = run(["/usr/bin/tellus", "--version"], 30, env=clean).stdout.strip()
        if out != f"tellus {version}":
            raise Failure(f"/usr/bin/tellus --version says '{out}', not 'tellus {version}'")
        db = os.path.join(tmp, "first-frame.db")
        r = run(["/usr/bin/tellus", "--exit-after-first-frame", "--windowed", "--db", db,
                 "--config", "/etc/tellus/kiosk.yaml"], 120,
                env=dict(clean, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy"))
        if "drawing with" not in r.stderr or not os.path.exists(db):
            raise Failure(f"the installed kiosk drew no first frame: {r.stderr[-800:]}")
        log("the installed tellus --version and --exit-after-first-frame work: " + out)

        try:
            user = pwd.getpwnam("tellus")
        except KeyError:
            raise Failure("installing the package made no user tellus (sysusers.d)") from None
        st = os.stat("/var/lib/tellus")
        if st.st_uid != user.pw_uid:
            raise Failure("/var/lib/tellus is not owned by the user tellus (tmpfiles.d)")
        unit = "/lib/systemd/system/tellus-kiosk.service"
        if not os.path.exists(unit):
            raise Failure(f"the package has no {unit}")
        if os.path.exists("/etc/systemd/system/graphical.target.wants/tellus-kiosk.service"):
            raise Failure("installing the package enabled the kiosk service; it must wait for "
                          "systemctl enable --now tellus-kiosk")
        r = subprocess.run(["systemd-analyze", "verify", unit], capture_output=True, text=True,
                           timeout=120)
        bad = [ln for ln in (r.stdout + r.stderr).splitlines() if "tellus-kiosk.service" in ln]
        if bad:
            raise Failure("systemd-analyze verify finds fault with the unit:\n" + "\n".join(bad))
        log(f"user tellus ({user.pw_uid}) owns /var/lib/tellus; {unit} installed, not enabled, "
            "accepted by systemd-analyze")
    finally:
        if installed:
            subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "remove", "-y", "-q", "tellus"],
                           capture_output=True, timeout=600,
                           env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except (Failure, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
