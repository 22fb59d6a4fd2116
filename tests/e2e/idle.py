"""idle: what a process does while it should be doing nothing, read from
outside it in /proc (Linux), for the idle test, the cage test and the
launch benchmark.

Two figures over a stretch of time, summed over every thread:
- ticks: CPU time (utime + stime, in clock ticks of 1/SC_CLK_TCK s), the
  figure the issue asks to be 0 in 20 s;
- wakeups: voluntary context switches, that is how often a thread went to
  sleep again after something woke it. This one does not depend on the
  machine's load or on when the kernel's tick falls, so a test can demand a
  bound of it; ticks follow from it (a wake costs microseconds).
Ticks are the whole process's (its /proc/PID/stat counts the CPU time of
threads that have already ended, too), so a short-lived thread started and
ended within the stretch still shows. Wakeups are summed per thread, the
thread list polled every 50 ms through the stretch: a thread born within it
counts from zero, one that ended counts up to when it was last seen.
Python standard library only."""

import os
import time

TICK = os.sysconf("SC_CLK_TCK")


def _threads(pid):
    """{tid: (name, ticks, voluntary switches)} for every thread now."""
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
            status = open(f"/proc/{pid}/task/{tid}/status").read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        f = stat.rsplit(")", 1)[1].split()
        ticks = int(f[11]) + int(f[12])
        vol = 0
        for line in status.splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                vol = int(line.split()[1])
        out[tid] = (name, ticks, vol)
    return out


def _process_ticks(pid):
    """utime + stime of the whole process, ended threads included."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    f = stat.rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


def measure(pid, seconds, poll_s=0.05):
    """(ticks, wakeups, per_thread) used by pid over seconds; per_thread is
    a list of "name: ticks/wakeups" for the threads that woke (ticks per
    thread are those of the threads still alive or last seen)."""
    p0 = _process_ticks(pid)
    before = _threads(pid)
    last = dict(before)
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            break
        time.sleep(min(poll_s, left))
        for tid, v in _threads(pid).items():
            last[tid] = v
    p1 = _process_ticks(pid)
    wakeups = 0
    thread_ticks = 0
    busy = []
    for tid, (name, t1, v1) in last.items():
        t0, w0 = (before[tid][1], before[tid][2]) if tid in before else (0, 0)
        t, v = t1 - t0, v1 - w0
        thread_ticks += t
        wakeups += v
        if t or v:
            born = "" if tid in before else " (started within the stretch)"
            busy.append(f"{name}[{tid}]: {t} ticks, {v} wakeups{born}")
    if p0 is None or p1 is None:
        ticks = thread_ticks
    else:
        ticks = max(p1 - p0, thread_ticks)
        if p1 - p0 > thread_ticks:
            busy.append(f"threads that ended unseen: {p1 - p0 - thread_ticks} ticks")
    return ticks, wakeups, busy


def pss_kib(pid):
    """The process's proportional set size (all its mappings), KiB."""
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return -1


def wait_quiet(pid, most_s=20.0, window_s=2.0):
    """Waits (at most most_s) until pid spends a whole window_s without a
    wakeup: start-up work after the first frame (speech comes up, its
    sound device closes 3 s after its last sound) takes longer on a loaded
    machine or under ASan. True when it went quiet."""
    end = time.monotonic() + most_s
    while time.monotonic() < end:
        if measure(pid, window_s)[1] == 0:
            return True
    return False


def thread_names(pid):
    """The names of pid's threads now (empty once it has ended)."""
    return [v[0] for v in _threads(pid).values()]


def wait_sound_closed(pid, most_s=30.0):
    """Waits (at most most_s) until pid has no SDL audio thread: speech
    opens its sound device after the first frame and closes it 3 s after
    its last sound, and SDL plays from a thread of its own ("SDLAudioP1")
    while a device is open. True when there is none (or pid ended)."""
    end = time.monotonic() + most_s
    while time.monotonic() < end:
        if not any(n.startswith("SDLAudio") for n in thread_names(pid)):
            return True
        time.sleep(0.05)
    return False
