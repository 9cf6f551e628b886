#!/usr/bin/env python3
"""Checks a report screenshot and the report's SVG files (standard library only).

    check_screenshot.py SCREENSHOT.png RESULTS_DIR

Fails (exit 1, with the reason) when
  - a plots/*.svg is not well-formed XML (a browser would show an error
    page for it, and may drop it when inlined);
  - the PNG is not an 8-bit RGB(A) image, or is blank: fewer than 1% of its
    pixels differ from white;
  - the plots were not drawn: fewer than 0.05% of the pixels in the hue of
    the first algorithm (blue, #0072B2) or of the second (orange, #D55E00);
    tables and text are grey, so only rendered plots give these colours.
"""
import glob
import struct
import sys
import xml.etree.ElementTree as ET
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat = 8, []
    width = height = None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or color not in (2, 6) or interlace:
                raise ValueError(f"unsupported PNG (depth {depth}, colour type {color}, interlace {interlace})")
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
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
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def main():
    png, results = sys.argv[1], sys.argv[2]
    for svg in sorted(glob.glob(f"{results}/plots/*.svg")):
        try:
            ET.parse(svg)
        except ET.ParseError as e:
            sys.exit(f"check_screenshot: {svg} is not well-formed XML: {e}")
    try:
        width, height, channels, rows = read_png(png)
    except (ValueError, zlib.error, struct.error) as e:
        sys.exit(f"check_screenshot: {png}: {e}")
    total = width * height
    inked = blue = orange = 0
    for line in rows:
        for x in range(0, width * channels, channels):
            r, g, b = line[x], line[x + 1], line[x + 2]
            if r < 245 or g < 245 or b < 245:
                inked += 1
            # Hues, not exact values: lines and bands are anti-aliased and
            # blended with white.
            if b > r + 40 and b > g + 15:
                blue += 1
            if r > g + 40 and g > b + 20:
                orange += 1
    print(f"check_screenshot: {width}x{height}, {100 * inked / total:.1f}% non-white, "
          f"{blue} blue and {orange} orange pixels")
    if inked < 0.01 * total:
        sys.exit(f"check_screenshot: {png} is blank ({inked} of {total} pixels not white)")
    if blue < 0.0005 * total or orange < 0.0005 * total:
        sys.exit(f"check_screenshot: {png}: the plots were not drawn (blue {blue}, orange {orange} pixels)")


if __name__ == "__main__":
    main()
