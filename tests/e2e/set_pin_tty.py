#!/usr/bin/env python3
"""set_pin_tty: `tellus set-pin` as staff use it, at a real terminal (a pty).

- While the PIN is asked, the terminal does not echo; Ctrl+C then ends the
  program by SIGINT and the terminal's echo is back (a shell left without
  echo is what this guards against). Nothing is stored.
- Through a pipe: five digits are refused (pin_min_digits is 6), six are
  stored as an argon2id hash; --config with pin_min_digits: 8 refuses seven.
"""
import argparse
import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import termios
import time


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def read_until(fd, needle, timeout=10.0):
    out = b""
    end = time.monotonic() + timeout
    os.set_blocking(fd, False)
    while needle not in out:
        if time.monotonic() > end:
            fail("waited for %r, got %r" % (needle, out))
        try:
            chunk = os.read(fd, 4096)
            if chunk:
                out += chunk
        except BlockingIOError:
            time.sleep(0.02)
    return out


def echo_on(fd):
    return bool(termios.tcgetattr(fd)[3] & termios.ECHO)


def pin_hash(db):
    if not os.path.exists(db):
        return None
    con = sqlite3.connect(db)
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'pin_hash'").fetchone()
    except sqlite3.OperationalError:
        row = None
    con.close()
    return row[0] if row else None


def ctrl_c_restores_the_terminal(tellus, db):
    master, slave = os.openpty()
    assert echo_on(slave), "a fresh pty echoes"

    def own_tty():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen([tellus, "set-pin", "--db", db], stdin=slave, stdout=slave,
                         stderr=slave, preexec_fn=own_tty, close_fds=True)
    read_until(master, b"New staff PIN")
    # tellus turns echo off just after the prompt: give it a moment.
    end = time.monotonic() + 5
    while echo_on(slave) and time.monotonic() < end:
        time.sleep(0.02)
    if echo_on(slave):
        fail("echo is still on while the PIN is asked")
    os.write(master, b"12")      # half a PIN, then Ctrl+C
    time.sleep(0.1)
    os.write(master, b"\x03")
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("Ctrl+C did not end tellus set-pin")
    if rc != -signal.SIGINT:
        fail("tellus set-pin ended with %r, not by SIGINT" % rc)
    if not echo_on(slave):
        fail("after Ctrl+C the terminal no longer echoes")
    if pin_hash(db):
        fail("Ctrl+C stored a PIN")
    os.close(master)
    os.close(slave)
    print("ok: Ctrl+C ends set-pin by SIGINT and the terminal echoes again")


def piped(tellus, db, text, extra=()):
    return subprocess.run([tellus, "set-pin", "--db", db, *extra], input=text.encode(),
                          capture_output=True, timeout=60)


def length_rules(tellus, db, tmp):
    r = piped(tellus, db, "24680\n24680\n")
    if r.returncode != 1 or b"6 to 12 digits" not in r.stderr or pin_hash(db):
        fail("five digits were not refused: %r %r" % (r.returncode, r.stderr))
    r = piped(tellus, db, "246801\n246801\n")
    h = pin_hash(db)
    if r.returncode != 0 or not h or not h.startswith("$argon2id$") or "246801" in h:
        fail("six digits were not stored as a hash: %r %r" % (r.returncode, r.stderr))
    cfg = os.path.join(tmp, "kiosk.yaml")
    with open(cfg, "w") as f:
        f.write("pin_min_digits: 8\n")
    r = piped(tellus, db, "1357913\n1357913\n", ("--config", cfg))
    if r.returncode != 1 or b"8 to 12 digits" not in r.stderr or pin_hash(db) != h:
        fail("pin_min_digits 8 let seven digits in: %r %r" % (r.returncode, r.stderr))
    r = piped(tellus, db, "13579135\n13579135\n", ("--config", cfg))
    if r.returncode != 0 or pin_hash(db) == h:
        fail("eight digits under pin_min_digits 8 were refused: %r" % r.stderr)
    print("ok: at least 6 digits, or pin_min_digits")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tellus", required=True)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tellus-setpin-") as tmp:
        ctrl_c_restores_the_terminal(a.tellus, os.path.join(tmp, "tty.db"))
        length_rules(a.tellus, os.path.join(tmp, "pipe.db"), tmp)


if __name__ == "__main__":
    main()
