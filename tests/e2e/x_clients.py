"""x_clients: one connection of a process to a local X server, found and cut.

A bare X11 protocol client (Python's standard library only: a Unix socket
and struct) with just the requests needed: QueryExtension, GetAtomName,
X-Resource's QueryClientIds (1.2) and QueryClientResources, and
KillClient. The server tells, for every client, its process id and the
resources it holds; KillClient then closes that one connection on the
server's side, as a dying server closes them all, while the process's
other connections go on working.

display_lost.py uses it to break only SDL's wake-up connection under a
kiosk (SDL's x11 driver opens a second display connection, whose only
resource is Xlib's default GC, to wake its event loop from other threads),
so that the store writer's wake-up is the first to meet a broken display.

Assumes an Xvfb started as kiosk_xvfb.start_xvfb does: local socket,
no authorisation, the server's byte order any (requests are sent
little-endian, which the server accepts from any client).
"""

import socket
import struct

X_GET_ATOM_NAME = 17
X_GET_INPUT_FOCUS = 43
X_QUERY_EXTENSION = 98
X_KILL_CLIENT = 113
XRES_QUERY_CLIENT_RESOURCES = 2
XRES_QUERY_CLIENT_IDS = 4
XRES_CLIENT_ID_PID_MASK = 2


class XError(Exception):
    pass


class XConn:
    def __init__(self, display_number, timeout=10.0):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(timeout)
        self.s.connect(f"/tmp/.X11-unix/X{display_number}")
        # byte order 'l', protocol 11.0, no authorisation
        self.s.sendall(struct.pack("<BxHHHHxx", 0x6C, 11, 0, 0, 0))
        ok, _, _, _, words = struct.unpack("<BBHHH", self._read(8))
        body = self._read(words * 4)
        if ok != 1:
            raise XError(f"the X server refused the connection: {body!r}")
        self.xres = None

    def close(self):
        self.s.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _read(self, n):
        b = b""
        while len(b) < n:
            c = self.s.recv(n - len(b))
            if not c:
                raise XError("the X server closed our connection")
            b += c
        return b

    def _request(self, data, reply=True):
        """Sends one request (its length field filled in here); returns
        its reply, or raises XError for an error."""
        data += b"\0" * (-len(data) % 4)
        self.s.sendall(data[:2] + struct.pack("<H", len(data) // 4) + data[4:])
        if not reply:
            return None
        while True:
            pkt = self._read(32)
            if pkt[0] == 0:
                raise XError(f"X error {pkt[1]} (request {pkt[10]}.{pkt[8]})")
            if pkt[0] == 1:
                extra = struct.unpack_from("<I", pkt, 4)[0]
                return pkt + self._read(extra * 4)
            # an event: none is selected, but skip it all the same

    def sync(self):
        """A round trip: every request sent before has been dealt with."""
        self._request(struct.pack("<BxH", X_GET_INPUT_FOCUS, 0))

    def _xres_opcode(self):
        if self.xres is None:
            name = b"X-Resource"
            r = self._request(struct.pack("<BxHHxx", X_QUERY_EXTENSION, 0, len(name)) + name)
            if not r[8]:
                raise XError("the X server has no X-Resource extension")
            self.xres = r[9]
        return self.xres

    def client_pids(self):
        """{resource base: pid} for every client that the server knows the
        process of."""
        r = self._request(struct.pack("<BBHIII", self._xres_opcode(), XRES_QUERY_CLIENT_IDS, 0,
                                      1, 0, XRES_CLIENT_ID_PID_MASK))
        n = struct.unpack_from("<I", r, 8)[0]
        out, off = {}, 32
        for _ in range(n):
            client, mask, length = struct.unpack_from("<III", r, off)
            off += 12
            if mask == XRES_CLIENT_ID_PID_MASK and length == 4:
                out[client] = struct.unpack_from("<I", r, off)[0]
            off += length
        return out

    def atom_name(self, atom):
        r = self._request(struct.pack("<BxHI", X_GET_ATOM_NAME, 0, atom))
        n = struct.unpack_from("<H", r, 8)[0]
        return r[32:32 + n].decode()

    def client_resources(self, base):
        """{resource type name: count} held by the client with that base."""
        r = self._request(struct.pack("<BBHI", self._xres_opcode(), XRES_QUERY_CLIENT_RESOURCES, 0,
                                      base))
        n = struct.unpack_from("<I", r, 8)[0]
        out = {}
        for i in range(n):
            atom, count = struct.unpack_from("<II", r, 32 + 8 * i)
            out[self.atom_name(atom)] = count
        return out

    def kill_client(self, resource):
        """KillClient: the server closes the connection of the client that
        owns resource; returns once the server has done it."""
        self._request(struct.pack("<BxHI", X_KILL_CLIENT, 0, resource), reply=False)
        self.sync()


def sdl_wakeup_connection(display_number, pid):
    """The resource base of the SDL wake-up connection of process pid: of
    its connections, the one that holds no window and nothing but one GC
    (Xlib's default GC, whose id is the base itself). Raises XError when
    there is not exactly one such."""
    with XConn(display_number) as x:
        mine = [b for b, p in x.client_pids().items() if p == pid]
        held = {b: x.client_resources(b) for b in mine}
    bare = [b for b, r in held.items() if r == {"GC": 1}]
    if len(bare) != 1:
        shown = {hex(b): r for b, r in held.items()}
        raise XError(f"want one connection of pid {pid} holding a single GC, got {shown}")
    return bare[0]


def kill_connection(display_number, base):
    with XConn(display_number) as x:
        x.kill_client(base)
        if base in x.client_pids():
            raise XError(f"the X server still lists client {base:#x} after KillClient")
