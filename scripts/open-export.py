#!/usr/bin/env python3
"""Opens a sealed Tellus export with the office's secret key, using only
PyNaCl (Debian: python3-nacl), no Tellus: the format is in docs/export.md,
"Sealed exports".

Usage: open-export.py office.key EXPORT_DIR OUT_DIR

Checks each sealed file's SHA-256 against SHA256SUMS first (check the
signature of SHA256SUMS with `minisign -Vm SHA256SUMS -p kiosk.pub`), then
writes NAME for every NAME.sealed into OUT_DIR."""
import base64
import hashlib
import os
import sys

from nacl import bindings as b
from nacl.public import PrivateKey, SealedBox

MAGIC = b"TELLUS-SEALED-1\n"
CHUNK = 65536
ABYTES = b.crypto_secretstream_xchacha20poly1305_ABYTES   # 17
TAG_FINAL = b.crypto_secretstream_xchacha20poly1305_TAG_FINAL


def load_office_key(path):
    """office.key: a comment line, then base64("TB" | key id 8 | secret 32 | public 32)."""
    with open(path) as f:
        lines = f.read().splitlines()
    raw = base64.b64decode(lines[1])
    if len(raw) != 74 or raw[:2] != b"TB":
        sys.exit(f"{path} is not a Tellus office secret key")
    return raw[2:10], raw[10:42]


def open_sealed(data, key_id, secret):
    if data[:16] != MAGIC:
        raise ValueError("not a sealed Tellus file")
    if data[16:24] != key_id:
        raise ValueError("sealed to another office key: " + data[16:24].hex().upper())
    file_key = SealedBox(PrivateKey(secret)).decrypt(data[24:104])
    state = b.crypto_secretstream_xchacha20poly1305_state()
    b.crypto_secretstream_xchacha20poly1305_init_pull(state, data[104:128], file_key)
    out, at = [], 128
    while True:
        record = data[at:at + CHUNK + ABYTES]
        if len(record) < ABYTES:
            raise ValueError("cut short: no final record")
        plain, tag = b.crypto_secretstream_xchacha20poly1305_pull(state, record, None)
        out.append(plain)
        at += len(record)
        if tag == TAG_FINAL:
            break
    if at != len(data):
        raise ValueError("bytes after the final record")
    return b"".join(out)


def main():
    if len(sys.argv) != 4 or sys.argv[1] in ("-h", "--help"):
        print("Usage: open-export.py office.key EXPORT_DIR OUT_DIR", file=sys.stderr)
        sys.exit(0 if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help") else 2)
    key_path, export_dir, out_dir = sys.argv[1:4]
    key_id, secret = load_office_key(key_path)
    sums = {}
    with open(os.path.join(export_dir, "SHA256SUMS")) as f:
        for line in f:
            digest, name = line.rstrip("\n").split("  ", 1)
            sums[name] = digest
    os.makedirs(out_dir, mode=0o700, exist_ok=True)
    for name, digest in sums.items():
        if not name.endswith(".sealed"):
            continue
        # a data file, or a drawing in drawings/: nothing else, nowhere else
        parts = name.split("/")
        if not (len(parts) == 1 or (len(parts) == 2 and parts[0] == "drawings")) or \
                any(p in ("", ".", "..") for p in parts):
            sys.exit(f"SHA256SUMS names {name}, which is not a file of an export")
        if len(parts) == 2:
            os.makedirs(os.path.join(out_dir, "drawings"), mode=0o700, exist_ok=True)
        with open(os.path.join(export_dir, name), "rb") as f:
            data = f.read()
        if hashlib.sha256(data).hexdigest() != digest:
            sys.exit(f"{name} does not match SHA256SUMS")
        plain = open_sealed(data, key_id, secret)
        dest = os.path.join(out_dir, name[:-len(".sealed")])
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(plain)
        print(dest)


if __name__ == "__main__":
    main()
