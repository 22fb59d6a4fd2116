"""screen_check: reading screenshots (binary PPM from pixels_x11, PNG from
grim) and the checks that say a whole welcome screen is on them. Python
standard library only."""

import struct
import zlib

# The default theme (src/ui/draw/theme.c): the page and the Start button.
BG = (0xFB, 0xF7, 0xEE)
PRIMARY = (0x16, 0x4B, 0x8C)
TEXT = (0x1B, 0x1F, 0x2A)
CARD = (0xFF, 0xFF, 0xFF)


class Image:
    def __init__(self, w, h, rgb):
        self.w, self.h, self.rgb = w, h, rgb

    def px(self, x, y):
        i = (y * self.w + x) * 3
        return tuple(self.rgb[i:i + 3])

    def count(self, colour):
        n = 0
        c = bytes(colour)
        for i in range(0, len(self.rgb), 3):
            if self.rgb[i:i + 3] == c:
                n += 1
        return n

    def save_png(self, path):
        rows = b"".join(b"\0" + self.rgb[y * self.w * 3:(y + 1) * self.w * 3] for y in range(self.h))

        def chunk(t, c):
            return struct.pack(">I", len(c)) + t + c + struct.pack(">I", zlib.crc32(t + c))
        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
                    + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def read_ppm(path):
    data = open(path, "rb").read()
    magic, dims, maxv, rgb = data.split(b"\n", 3)
    if magic != b"P6" or maxv != b"255":
        raise ValueError(f"{path} is not an 8-bit binary PPM")
    w, h = map(int, dims.split())
    return Image(w, h, rgb[:w * h * 3])


def read_png(path):
    """8-bit RGB or RGBA, non-interlaced (what grim writes)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, = struct.unpack(">I", data[pos:pos + 4])
        t, c = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if t == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", c)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError(f"{path}: PNG depth {depth} colour type {ctype} not read here")
            bpp = 3 if ctype == 2 else 4
        elif t == b"IDAT":
            idat += c
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    out = bytearray()
    prev = bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if bpp == 3:
            out += line
        else:
            for i in range(0, stride, 4):
                out += line[i:i + 3]
    return Image(w, h, bytes(out))


def welcome_problems(img):
    """What is missing for img to be a whole welcome screen in the default
    theme: mostly page colour, dark title text, and either a big Start
    button (one flow) or white picture cards in the middle (a kiosk
    offering several flows: one card each). Empty when it is one."""
    total = img.w * img.h
    bg, primary, text, card = img.count(BG), img.count(PRIMARY), img.count(TEXT), img.count(CARD)
    problems = []
    if bg < total * 0.40:
        problems.append(f"only {bg / total:.0%} of the screen is the page colour (want 40 % or more)")
    if text < total * 0.01:
        problems.append(f"only {text / total:.2%} is title text (want 1 % or more)")
    mid = (img.px(img.w // 2, img.h * 3 // 5), img.px(img.w // 2, img.h // 2))
    start = primary >= total * 0.08 and PRIMARY in mid
    # Cards: white, a good share of the screen, left and right of the middle.
    across = [img.px(img.w * k // 12, img.h * 3 // 5) for k in (3, 4, 6, 8, 9)]
    cards = card >= total * 0.15 and across.count(CARD) >= 2
    if not (start or cards):
        problems.append(f"neither a Start button ({primary / total:.1%} of the screen is its blue, "
                        f"want 8 % or more, in the middle) nor flow cards ({card / total:.1%} is "
                        f"card white, want 15 % or more, across the middle)")
    return problems
