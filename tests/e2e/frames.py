"""frames: what a real tellus window showed, read from outside it.

Two readers, for the end-to-end tests that click a kiosk through more than
one flow (event_day.py):

- FrameLog reads the kiosk's TELLUS_TEST_FRAME_LOG (src/ui/app_testhooks.c):
  one JSON line per presented frame that differed from the last, naming its
  screen, its targets (what a press there finds, with their rectangles),
  its texts and its pictures, as they went to the renderer. A test finds a
  button there as a person finds it by looking, and reads what a screen
  said.
- screenshot() grabs the X screen itself (XGetImage on the root window,
  through ctypes and libX11: Python's standard library only), as a
  screen_check.Image, so a test can check pixels the kiosk really put on
  the glass rather than what it meant to draw.
"""

import ctypes
import ctypes.util
import json
import os
import time

import screen_check as sc


class FrameLogError(Exception):
    pass


class Frame:
    def __init__(self, d, index):
        self.d = d
        self.index = index
        self.screen = d.get("screen")
        self.staff = d.get("staff")
        self.overlay = d.get("overlay")
        self.targets = d.get("targets", [])
        self.texts = [t[4] for t in d.get("texts", [])]
        self.text_boxes = d.get("texts", [])
        self.images = d.get("images", [])

    def where(self):
        return self.screen if self.staff == "off" else f"staff {self.staff}"

    def target(self, action, arg=None):
        """The centre of the target for action (and arg), the one on top
        (the last, as a press finds it), or None."""
        for t in reversed(self.targets):
            if t[0] == action and (arg is None or t[1] == arg):
                return (t[2] + t[4] // 2, t[3] + t[5] // 2)
        return None

    def args(self, action):
        return [t[1] for t in self.targets if t[0] == action]

    def has_text(self, words):
        return any(words in t for t in self.texts)

    def all_text(self):
        return " | ".join(self.texts)


class FrameLog:
    def __init__(self, path):
        self.path = path
        self.frames = []
        self._pos = 0
        self._part = b""

    def read(self):
        if not os.path.exists(self.path):
            return self.frames
        with open(self.path, "rb") as f:
            f.seek(self._pos)
            data = f.read()
            self._pos += len(data)
        data = self._part + data
        lines = data.split(b"\n")
        self._part = lines.pop()
        for line in lines:
            if not line.strip():
                continue
            d = json.loads(line.decode("utf-8"))
            if "error" in d:
                raise FrameLogError(f"the frame log says: {d['error']}")
            self.frames.append(Frame(d, len(self.frames)))
        return self.frames

    def mark(self):
        """A point in the log: wait_frame(after=mark) looks only at frames
        presented after it."""
        self.read()
        return len(self.frames)

    def wait_frame(self, what, pred, timeout, after=0):
        """The newest frame presented after `after` for which pred holds,
        waiting for it; FrameLogError names what was last shown."""
        end = time.monotonic() + timeout
        while True:
            self.read()
            for fr in reversed(self.frames[after:]):
                if pred(fr):
                    return fr
            if time.monotonic() > end:
                last = self.frames[-1] if self.frames else None
                seen = (f"the last frame was {last.where()}: {last.all_text()[:600]}"
                        if last else "no frame was logged")
                raise FrameLogError(f"timed out after {timeout:.0f} s waiting for {what}; {seen}")
            time.sleep(0.1)

    def settled(self, what, pred, timeout, quiet=0.6, after=0):
        """The frame on the glass now, once it satisfies pred and no new
        frame came for `quiet` seconds (a screen still changing is not
        clicked on in the middle). Only the newest frame counts: an older
        one that satisfied pred is not what a person sees now."""
        end = time.monotonic() + timeout
        while True:
            self.read()
            n = len(self.frames)
            if n > after and pred(self.frames[-1]):
                time.sleep(quiet)
                self.read()
                if len(self.frames) == n:
                    return self.frames[-1]
                continue
            if time.monotonic() > end:
                last = self.frames[-1] if self.frames else None
                seen = (f"the last frame was {last.where()}: {last.all_text()[:600]}"
                        if last else "no frame was logged")
                raise FrameLogError(f"timed out after {timeout:.0f} s waiting for {what}; {seen}")
            time.sleep(0.1)


# ---- the X screen ------------------------------------------------------------

class _XImage(ctypes.Structure):
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte)),
                ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
                ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int),
                ("bits_per_pixel", ctypes.c_int), ("red_mask", ctypes.c_ulong),
                ("green_mask", ctypes.c_ulong), ("blue_mask", ctypes.c_ulong)]


_x11 = None


def _lib():
    global _x11
    if _x11 is None:
        name = ctypes.util.find_library("X11")
        if not name:
            raise FrameLogError("libX11 not found (it comes with SDL2's x11 driver)")
        x = ctypes.CDLL(name)
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x.XGetImage.restype = ctypes.POINTER(_XImage)
        x.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                                ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
        x.XFree.argtypes = [ctypes.c_void_p]
        x.XCloseDisplay.argtypes = [ctypes.c_void_p]
        _x11 = x
    return _x11


def screenshot(display, w, h):
    """The root window's pixels now, as an RGB screen_check.Image (a
    24-bit TrueColor screen, as Xvfb -screen 0 WxHx24 makes)."""
    x = _lib()
    d = x.XOpenDisplay(display.encode())
    if not d:
        raise FrameLogError(f"cannot open {display} for a screenshot")
    try:
        img = x.XGetImage(d, x.XDefaultRootWindow(d), 0, 0, w, h, 0xFFFFFFFF, 2)  # ZPixmap
        if not img:
            raise FrameLogError("XGetImage failed")
        im = img.contents
        try:
            if im.bits_per_pixel != 32 or im.red_mask != 0xFF0000 or im.blue_mask != 0xFF:
                raise FrameLogError(f"a screen of {im.bits_per_pixel} bits per pixel, masks "
                                    f"{im.red_mask:x}/{im.blue_mask:x}: not read here")
            stride, lsb_first = im.bytes_per_line, im.byte_order == 0
            raw = ctypes.string_at(im.data, stride * h)
        finally:
            x.XFree(im.data)
            x.XFree(img)
    finally:
        x.XCloseDisplay(d)
    rgb = bytearray(w * h * 3)
    for y in range(h):
        row = raw[y * stride:y * stride + w * 4]
        o = y * w * 3
        if lsb_first:  # B G R X
            rgb[o + 0:o + w * 3:3] = row[2::4]
            rgb[o + 1:o + w * 3:3] = row[1::4]
            rgb[o + 2:o + w * 3:3] = row[0::4]
        else:          # X R G B
            rgb[o + 0:o + w * 3:3] = row[1::4]
            rgb[o + 1:o + w * 3:3] = row[2::4]
            rgb[o + 2:o + w * 3:3] = row[3::4]
    return sc.Image(w, h, bytes(rgb))
