#!/usr/bin/env python3
"""bench_process: what the real tellus process costs: start-up, memory, idle CPU.

Figures, printed as `name value unit` lines (a benchmark, not pass/fail;
targets from issue 2 in brackets):
  start.first_frame.p50/p90   wall time of `tellus --exit-after-first-frame
                              --windowed` under SDL's dummy video driver and
                              software renderer, 20 runs on an existing
                              database (<= 150 ms); the first run, which makes
                              the database, is reported on its own
  rss.first_frame             peak RSS of that run (ru_maxrss via wait4)
  rss.whole_flow.x11          peak RSS of the kiosk in a real X window (Xvfb)
                              clicked through a whole flow (<= 40 MB)
  idle_cpu.x11 / .dummy       utime+stime from /proc/PID/stat over 20 s on the
                              welcome screen, as a share of one CPU (<= 0.1 %)

The whole-flow and x11 figures need Xvfb and xdotool (scripts/setup installs
them) and reuse the end-to-end test's helpers (tests/e2e/kiosk_xvfb.py); if
they are missing those lines say so and the rest still print.
Usage: bench_process.py [--tellus BIN] [--plan BIN] [--idle-seconds N]
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import kiosk_xvfb as kx  # noqa: E402

RUNS = 20
TICK = os.sysconf("SC_CLK_TCK")


def fig(name, value, unit):
    print(f"{name} {value} {unit}", flush=True)


def pct(sorted_xs, p):
    """Nearest-rank percentile."""
    k = max(1, min(len(sorted_xs), int(p / 100.0 * len(sorted_xs) + 0.999999)))
    return sorted_xs[k - 1]


def dummy_env():
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_RENDER_DRIVER="software",
               SDL_AUDIODRIVER="dummy")
    return env


def spawn_wait(cmd, env):
    """Runs cmd; returns (wall ms, exit status, ru_maxrss in KiB)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    ms = (time.monotonic() - t0) * 1000.0
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if p.returncode != 0:
        raise kx.Failure(f"{' '.join(cmd)} exited {p.returncode}: {err[-500:]}")
    return ms, ru.ru_maxrss


def first_frame(args, tmp):
    db = os.path.join(tmp, "first-frame.db")
    cmd = [args.tellus, "--exit-after-first-frame", "--windowed", "--db", db]
    env = dummy_env()
    ms, rss = spawn_wait(cmd, env)
    fig("start.first_frame.new_db", f"{ms:.1f}", "ms")
    times, rsss = [], []
    for _ in range(RUNS):
        ms, rss = spawn_wait(cmd, env)
        times.append(ms)
        rsss.append(rss)
    times.sort()
    fig("start.first_frame.p50", f"{pct(times, 50):.1f}", "ms")
    fig("start.first_frame.p90", f"{pct(times, 90):.1f}", "ms")
    fig("start.first_frame.runs", RUNS, "runs")
    fig("rss.first_frame.dummy", f"{max(rsss) / 1024:.1f}", "MiB")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        # The command name may hold spaces: fields count from after ')'.
        rest = f.read().rsplit(")", 1)[1].split()
    return int(rest[11]) + int(rest[12])  # utime, stime (fields 14, 15)


def vm_hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def idle(pid, seconds, out):
    """CPU share of one core the process used over `seconds`, after it has
    settled on the welcome screen."""
    c0, t0 = cpu_ticks(pid), time.monotonic()
    time.sleep(seconds)
    c1, t1 = cpu_ticks(pid), time.monotonic()
    out["cpu"] = 100.0 * (c1 - c0) / TICK / (t1 - t0)
    out["ticks"] = c1 - c0


def stop_and_reap(p):
    """SIGTERM, then wait4 for the exit status and the peak RSS."""
    p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            p.returncode = os.waitstatus_to_exitcode(status)
            return p.returncode, ru.ru_maxrss
        time.sleep(0.05)
    p.kill()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return None, ru.ru_maxrss


def idle_dummy_start(args, tmp):
    env = dummy_env()
    return subprocess.Popen([args.tellus, "--windowed", "--db", os.path.join(tmp, "idle-dummy.db")],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def x11_part(args, tmp, dummy_proc, results):
    """Under Xvfb: the idle kiosk (at the same time as the dummy one, which
    is also idle, to keep the benchmark short) and a whole flow."""
    for tool in ("Xvfb", "xdotool", "xdpyinfo"):
        if not shutil.which(tool):
            print(f"# {tool} is missing (scripts/setup installs it): no x11 figures", flush=True)
            return False
    xvfb = None
    try:
        xvfb, disp = kx.start_xvfb(tmp)
        # Idle: kiosk mode (fullscreen), exactly as deployed.
        k = kx.Kiosk(args, disp, tmp, "idle-x11", False, os.path.join(tmp, "idle-x11.db"))
        try:
            time.sleep(2.0)  # settle after the first frames
            res_x, res_d = {}, {}
            tx = threading.Thread(target=idle, args=(k.p.pid, args.idle_seconds, res_x))
            td = threading.Thread(target=idle, args=(dummy_proc.pid, args.idle_seconds, res_d))
            tx.start()
            td.start()
            tx.join()
            td.join()
            results["idle_x11"] = res_x
            results["idle_dummy"] = res_d
            results["rss_idle_x11"] = vm_hwm_kib(k.p.pid)
            rc, _ = stop_and_reap(k.p)
            results["idle_x11_exit"] = rc
        finally:
            k.kill()

        # A whole flow, clicked in a real window, for its peak RSS.
        plan = kx.make_plan(args, tmp)
        db = os.path.join(tmp, "flow.db")
        k = kx.Kiosk(args, disp, tmp, "flow-x11", True, db)
        try:
            for s in plan["steps"]:
                time.sleep(kx.CLICK_GAP)
                k.click(s["x"], s["y"])
                want = (s["sessions_after"], s["answers_after"])
                kx.wait_for("rows", lambda: kx.counts(db) == want, kx.ROW_TIMEOUT)
            rc, rss = stop_and_reap(k.p)
            results["rss_flow_x11"] = rss
            results["flow_exit"] = rc
        finally:
            k.kill()
        return True
    finally:
        kx.stop(xvfb, "Xvfb")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    build = os.environ.get("TELLUS_BUILD_ROOT", "build")
    ap.add_argument("--tellus", default=os.path.join(build, "tellus"))
    ap.add_argument("--plan", default=os.path.join(build, "tests", "e2e", "e2e_plan"))
    ap.add_argument("--idle-seconds", type=float, default=20.0)
    args = ap.parse_args()
    args.source = os.environ.get("TELLUS_SOURCE_ROOT") or os.path.abspath(os.path.join(HERE, "..", ".."))
    os.environ.setdefault("TELLUS_SOURCE_ROOT", args.source)
    os.environ.setdefault("TELLUS_DATA_DIR", args.source)

    tmp = tempfile.mkdtemp(prefix="tellus-bench-")
    rc = 0
    dummy = None
    try:
        first_frame(args, tmp)
        dummy = idle_dummy_start(args, tmp)
        r = {}
        have_x11 = x11_part(args, tmp, dummy, r)
        if not have_x11:
            time.sleep(2.0)
            idle(dummy.pid, args.idle_seconds, r.setdefault("idle_dummy", {}))
        if "idle_x11" in r:
            fig("idle_cpu.x11", f"{r['idle_x11']['cpu']:.3f}", "%")
            fig("idle_cpu.x11.ticks", r["idle_x11"]["ticks"], f"ticks_of_1/{TICK}s")
            fig("rss.idle.x11", f"{r['rss_idle_x11'] / 1024:.1f}", "MiB")
        fig("idle_cpu.dummy", f"{r['idle_dummy']['cpu']:.3f}", "%")
        fig("idle_cpu.dummy.ticks", r["idle_dummy"]["ticks"], f"ticks_of_1/{TICK}s")
        fig("idle_cpu.seconds", f"{args.idle_seconds:.0f}", "s")
        if "rss_flow_x11" in r:
            fig("rss.whole_flow.x11", f"{r['rss_flow_x11'] / 1024:.1f}", "MiB")
        for what in ("idle_x11_exit", "flow_exit"):
            if what in r and r[what] != 0:
                print(f"# {what}: tellus exited {r[what]} after SIGTERM", flush=True)
                rc = 1
    except kx.Failure as e:
        print(f"bench_process: {e}", file=sys.stderr, flush=True)
        rc = 1
    finally:
        if dummy is not None:
            d_rc, d_rss = stop_and_reap(dummy)
            if rc == 0:
                fig("rss.idle.dummy", f"{d_rss / 1024:.1f}", "MiB")
        shutil.rmtree(tmp, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
