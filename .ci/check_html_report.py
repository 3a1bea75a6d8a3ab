#!/usr/bin/env python3
"""Checks what headless Chromium made of the HTML report (standard library only).

    check_html_report.py SCREENSHOT.png DOM.html WIDTH HEIGHT FIGURE...

The screenshot must be a PNG of exactly WIDTH x HEIGHT whose pixels (decoded here:
IDAT inflated with zlib, scanline filters undone) are not a blank page: enough ink, many
colours, and the bars of the criteria-met chart drawn in their colour. The DOM Chromium
dumped must hold the two charts and every FIGURE in its text.
"""
import html.parser
import struct
import sys
import zlib

# The bar colour of the report's charts (src/report/html_charts.rs, BAR_COLOUR).
BAR = (0x1F, 0x5F, 0xA8)


def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        pos += 12 + n
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
    assert ihdr, f"{path}: no IHDR"
    width, height, depth, colour, _, _, interlace = ihdr
    assert depth == 8 and interlace == 0, f"{path}: unexpected PNG layout {ihdr}"
    bpp = {2: 3, 6: 4}[colour]
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    assert len(raw) == height * (stride + 1), f"{path}: truncated image data"
    prev, rows = bytearray(stride), []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + (left + prev[i]) // 2) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        else:
            assert kind == 0, f"{path}: unknown filter {kind} on row {y}"
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self.svg, self.skip = [], 0, 0

    def handle_starttag(self, tag, attrs):
        self.svg += tag == "svg"
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def main(png, dom, width, height, *figures):
    w, h, bpp, rows = read_png(png)
    assert (w, h) == (int(width), int(height)), f"screenshot is {w}x{h}, not {width}x{height}"
    ink = colours = bar = 0
    seen = set()
    inked_rows = 0
    for line in rows:
        row_ink = 0
        for x in range(0, w * bpp, bpp):
            px = tuple(line[x : x + 3])
            if px != (255, 255, 255):
                row_ink += 1
                if len(seen) < 5000:
                    seen.add(px)
            bar += px == BAR
        ink += row_ink
        inked_rows += row_ink > 0
    share = ink / (w * h)
    print(f"screenshot {w}x{h}: {share:.1%} inked, {inked_rows} rows with ink, "
          f"{len(seen)} colours, {bar} chart-bar pixels")
    assert share > 0.03, "the screenshot is (nearly) blank"
    assert inked_rows > h // 3, "ink on too few rows: the page did not lay out"
    assert len(seen) > 100, "too few colours for text, tables and charts"
    assert bar > 5000, "the criteria-met chart's bars are not drawn"

    parser = Text()
    parser.feed(open(dom, encoding="utf-8").read())
    text = " ".join(" ".join(parser.parts).split())
    assert parser.svg == 2, f"{parser.svg} charts in the rendered page, expected 2"
    missing = [f for f in figures if f not in text]
    assert not missing, f"not in the rendered text: {missing}"
    print("rendered page holds", ", ".join(figures))


if __name__ == "__main__":
    main(*sys.argv[1:])
