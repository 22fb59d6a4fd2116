#!/usr/bin/env python3
"""bench_launch_cage: bench_launch's launch ratio under cage, the Wayland
kiosk compositor of tellus-kiosk.service. Launch to the whole welcome
screen shown on cage's output, against the bare SDL2 program (bare_sdl.c),
both through SDL's Wayland driver, both measured in the same run on the
same cage by pixels_wayland, which starts the command and watches cage's
output from outside through wlr-screencopy (every frame cage shows, at the
time cage showed it).

cage runs as in the cage test: as the unprivileged user nobody with its
own XDG_RUNTIME_DIR, on wlroots' headless backend with the pixman renderer
(WLR_BACKENDS=headless WLR_RENDERER=pixman), one 1280x720 output. It is
started once, with a stand-in as its own client (`cat` reading a pipe of
ours: cage ends when its client does), and each launch is another client
connecting to it, so cage's own start-up is in neither figure. Tellus runs
as shipped (fullscreen kiosk mode, default settings, the database of
bench_launch: 10,000 answers); runs are interleaved (tellus, bare, tellus,
bare...). The same again with `renderer: gpu` forced (and the bare
program on SDL's accelerated renderer).

Prints `name value unit` lines: launch_cage.<renderer>.tellus.p50,
.bare.p50, .tellus.min, .bare.min, .ratio (tellus p50 / bare p50; the
target is 1.25 or less); .tellus.cpu_p50, .bare.cpu_p50 and .cpu_ratio:
the CPU time each had used by the time its final frame was shown (user +
system, all threads, in 10 ms ticks), which the machine's load does not
stretch as it does the wall time; and frame_interval (cage's headless
output shows a frame at most every 1/60 s: a frame handed over just after
one waits up to that long, for both programs alike). A benchmark, not
pass/fail. Needs root (runuser).
Usage: bench_launch_cage.py --tellus BIN --bare BIN --pixels BIN [--runs N]
                            [--verbose]
"""

import argparse
import os
import pwd
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench_launch as bl  # noqa: E402


class Failure(Exception):
    pass


def as_nobody(env):
    return ["runuser", "-u", "nobody", "--", "env", "-i"] + [f"{k}={v}" for k, v in env.items()]


def launch(pixels, cmd, env, verbose=False):
    """(whole_ms, cpu_ms, frame_interval_ms) of one launch under cage."""
    r = subprocess.run(as_nobody(env) + [pixels, "--settle-ms", "1000", "--timeout-ms", "60000", "--"]
                       + cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise Failure(f"{cmd[0]} showed no settled screen under cage: {r.stdout}{r.stderr[-500:]}")
    if verbose:
        print(f"  {os.path.basename(cmd[0])}: {r.stdout.strip()}", file=sys.stderr, flush=True)
    vals = dict(kv.split("=") for kv in r.stdout.split())
    return float(vals["whole_ms"]), float(vals["cpu_ms"]), float(vals["frame_interval_ms"])


def start_cage(env, run_dir, log):
    """cage with a stand-in client that reads our pipe (cage ends when its
    client does), once cage's socket is there."""
    cage = subprocess.Popen(as_nobody(env) + ["cage", "--", "sh", "-c", "exec cat >/dev/null"],
                            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
    end = time.monotonic() + 30
    while time.monotonic() < end and cage.poll() is None:
        if os.path.exists(os.path.join(run_dir, "wayland-0")):
            return cage
        time.sleep(0.05)
    stop_cage(cage)
    log.seek(0)
    raise Failure(f"cage did not start: {log.read()[-800:]}")


def stop_cage(cage):
    """The pipe closed, the stand-in ends and cage with it."""
    if cage is None:
        return
    cage.stdin.close()
    try:
        cage.wait(15)
    except subprocess.TimeoutExpired:
        cage.kill()
        cage.wait(15)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tellus", required=True)
    ap.add_argument("--bare", required=True)
    ap.add_argument("--pixels", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--verbose", action="store_true", help="each run's pixels_wayland line on stderr")
    args = ap.parse_args()
    if os.geteuid() != 0:
        raise Failure("cage runs as the user nobody (cage refuses root), through runuser: run as root")
    for tool in ("cage", "runuser"):
        if not shutil.which(tool):
            raise Failure(f"{tool} is missing; scripts/setup installs it")
    src = os.path.realpath(os.environ.get("TELLUS_SOURCE_ROOT", os.path.join(HERE, "..", "..")))
    tellus, bare, pixels = (os.path.realpath(p) for p in (args.tellus, args.bare, args.pixels))
    nobody = pwd.getpwnam("nobody")
    tmp = tempfile.mkdtemp(prefix="tellus-launch-cage-")
    os.chmod(tmp, 0o755)
    run_dir = os.path.join(tmp, "run")
    os.mkdir(run_dir, 0o700)
    cage = None
    log = open(os.path.join(tmp, "cage.log"), "w+")
    try:
        db = os.path.join(run_dir, "kiosk.db")
        fig("launch_cage.db_answers",
            bl.make_db(tellus, db, dict(os.environ, TELLUS_DATA_DIR=src, SDL_AUDIODRIVER="dummy")),
            "answers")
        gpu_conf = os.path.join(run_dir, "gpu.yaml")
        with open(gpu_conf, "w") as f:
            f.write("renderer: gpu\n")
        for name in os.listdir(run_dir):
            os.chown(os.path.join(run_dir, name), nobody.pw_uid, nobody.pw_gid)
        os.chown(run_dir, nobody.pw_uid, nobody.pw_gid)
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": run_dir,
            "XDG_RUNTIME_DIR": run_dir,
            "WLR_BACKENDS": "headless",
            "WLR_RENDERER": "pixman",
            "WLR_LIBINPUT_NO_DEVICES": "1",
        }
        cage = start_cage(env, run_dir, log)
        cenv = dict(env, WAYLAND_DISPLAY="wayland-0", TELLUS_DATA_DIR=src,
                    SDL_VIDEODRIVER="wayland", SDL_AUDIODRIVER="dummy")
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                cenv[k] = os.environ[k]
        intervals = []
        for name, extra, bare_r in [("auto", [], "software"), ("gpu", ["--config", gpu_conf], "gpu")]:
            tellus_cmd = [tellus, "--db", db] + extra
            bare_cmd = [bare, "--renderer", bare_r, src]
            launch(pixels, tellus_cmd, cenv)  # warm the page cache for both
            launch(pixels, bare_cmd, cenv)
            t, b, tc, bc = [], [], [], []
            for _ in range(args.runs):
                for cmd, out, cpu in ((tellus_cmd, t, tc), (bare_cmd, b, bc)):
                    whole, used, interval = launch(pixels, cmd, cenv, args.verbose)
                    out.append(whole)
                    cpu.append(used)
                    intervals.append(interval)
            tp, bp = statistics.median(t), statistics.median(b)
            fig(f"launch_cage.{name}.tellus.p50", f"{tp:.1f}", "ms")
            fig(f"launch_cage.{name}.bare.p50", f"{bp:.1f}", "ms")
            fig(f"launch_cage.{name}.tellus.min", f"{min(t):.1f}", "ms")
            fig(f"launch_cage.{name}.bare.min", f"{min(b):.1f}", "ms")
            fig(f"launch_cage.{name}.ratio", f"{tp / bp:.2f}", "x")
            tcp, bcp = statistics.median(tc), statistics.median(bc)
            fig(f"launch_cage.{name}.tellus.cpu_p50", f"{tcp:.0f}", "ms")
            fig(f"launch_cage.{name}.bare.cpu_p50", f"{bcp:.0f}", "ms")
            if bcp > 0:
                fig(f"launch_cage.{name}.cpu_ratio", f"{tcp / bcp:.2f}", "x")
        fig("launch_cage.frame_interval", f"{statistics.median(intervals):.1f}", "ms")
        if cage.poll() is not None:
            log.seek(0)
            raise Failure(f"cage ended during the runs: {log.read()[-800:]}")
    finally:
        stop_cage(cage)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def fig(name, value, unit):
    print(f"{name} {value} {unit}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except (Failure, bl.kx.Failure) as e:
        print(f"FAIL: {e}", file=sys.stderr)
        sys.exit(1)
