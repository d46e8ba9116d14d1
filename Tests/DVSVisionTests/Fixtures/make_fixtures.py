#!/usr/bin/env python3
"""Writes the PNG test fixtures of DVSVisionTests with the standard library only
(zlib, struct, json): every PNG color type and bit depth, tRNS, Adam7
interlacing, the five row filters, gamma/sRGB chunks, split IDAT chunks, and a
folder of corrupt, truncated and non-PNG files.

    python3 Tests/DVSVisionTests/Fixtures/make_fixtures.py

Output (deterministic; rerunning rewrites identical files):
  png/*.png, png/manifest.json      -- what each file must load as
  corrupt/*, corrupt/manifest.json  -- the error text each file must give
"""
import json
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PNG_DIR = os.path.join(HERE, "png")
BAD_DIR = os.path.join(HERE, "corrupt")
SIGNATURE = b"\x89PNG\r\n\x1a\n"

GRAY, RGB, PALETTE, GRAY_ALPHA, RGBA = 0, 2, 3, 4, 6
SAMPLES = {GRAY: 1, RGB: 3, PALETTE: 1, GRAY_ALPHA: 2, RGBA: 4}
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def chunk(kind, data, crc=None):
    if crc is None:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def pack_row(samples, depth):
    """One row of samples (already interleaved) as bytes, big-endian, MSB-first bit packing."""
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if depth == 8:
        return bytes(samples)
    out, acc, bits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_rows(rows, bpp, first_filter):
    """Filters each row with a filter type that cycles through all five (0-4)."""
    out, prev = bytearray(), bytes(len(rows[0])) if rows else b""
    for i, row in enumerate(rows):
        ftype = (first_filter + i) % 5
        line = bytearray()
        for j, x in enumerate(row):
            a = row[j - bpp] if j >= bpp else 0
            b = prev[j]
            c = prev[j - bpp] if j >= bpp else 0
            pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][ftype]
            line.append((x - pred) & 0xFF)
        out.append(ftype)
        out += line
        prev = row
    return bytes(out)


def raw_image_data(pixels, width, height, depth, ctype, interlace):
    """pixels[y][x] is a tuple of samples. Returns the uncompressed, filtered IDAT stream."""
    bpp = max(1, SAMPLES[ctype] * depth // 8)

    def rows_of(xs, ys):
        return [pack_row([s for x in xs for s in pixels[y][x]], depth) for y in ys]

    if not interlace:
        return filter_rows(rows_of(range(width), range(height)), bpp, 0)
    out = b""
    for n, (x0, y0, dx, dy) in enumerate(ADAM7):
        xs, ys = range(x0, width, dx), range(y0, height, dy)
        if len(xs) and len(ys):
            out += filter_rows(rows_of(xs, ys), bpp, n)
    return out


def png_bytes(pixels, width, height, depth, ctype, interlace=0, palette=None, trns=None,
              extra=(), idat_parts=1, level=9):
    ihdr = struct.pack(">IIBBBBB", width, height, depth, ctype, 0, 0, interlace)
    out = SIGNATURE + chunk(b"IHDR", ihdr)
    for kind, data in extra:
        out += chunk(kind, data)
    if palette is not None:
        out += chunk(b"PLTE", b"".join(bytes(rgb) for rgb in palette))
    if trns is not None:
        out += chunk(b"tRNS", trns)
    z = zlib.compress(raw_image_data(pixels, width, height, depth, ctype, interlace), level)
    step = -(-len(z) // idat_parts)
    for i in range(0, len(z), step):
        out += chunk(b"IDAT", z[i:i + step])
    return out + chunk(b"IEND", b"")


def pattern(width, height, nsamples, maxval, salt):
    """Deterministic samples that include 0 and maxval in every channel."""
    px = []
    for y in range(height):
        row = []
        for x in range(width):
            s = []
            for c in range(nsamples):
                v = (x * 2654435761 + y * 40503 + c * 977 + salt * 7919) % 1000003 % (maxval + 1)
                if (x + c) % width == 0 and y == 0:
                    v = 0
                if (x + c + 1) % width == 0 and y == 0:
                    v = maxval
                s.append(v)
            row.append(tuple(s))
        px.append(row)
    return px


def planar(values_of_pixel, width, height, channels):
    """values_of_pixel(x, y) -> list of `channels` ints; returns channel-major ints."""
    grid = [[values_of_pixel(x, y) for x in range(width)] for y in range(height)]
    return [grid[y][x][c] for c in range(channels) for y in range(height) for x in range(width)]


manifest = []


def add(name, data, width, height, channels, maxval, expected, note, premultiplied=False):
    with open(os.path.join(PNG_DIR, name), "wb") as f:
        f.write(data)
    manifest.append({"file": name, "width": width, "height": height, "channels": channels,
                     "max": maxval, "premultiplied": premultiplied, "note": note, "values": expected})


def direct(name, width, height, depth, ctype, interlace=0, trns_key=False, extra=(), idat_parts=1, note=""):
    """Gray, gray+alpha, RGB, RGBA (optionally with a tRNS color key)."""
    maxval = (1 << depth) - 1
    n = SAMPLES[ctype]
    px = pattern(width, height, n, maxval, len(manifest))
    trns, key = None, None
    if trns_key:
        key = px[1][1] if height > 1 and width > 1 else px[0][0]
        trns = b"".join(struct.pack(">H", k) for k in key)
        # Make the key appear a few more times.
        for (x, y) in [(0, height - 1), (width - 1, height - 1)]:
            px[y][x] = key
    has_alpha = ctype in (GRAY_ALPHA, RGBA) or trns is not None
    channels = (4 if has_alpha else (3 if ctype in (RGB, RGBA) else 1))
    premul = depth == 16 and has_alpha

    def value(x, y):
        s = px[y][x]
        color = list(s[:3]) if ctype in (RGB, RGBA) else [s[0]] * (3 if has_alpha else 1)
        if not has_alpha:
            return color
        alpha = s[-1] if ctype in (GRAY_ALPHA, RGBA) else (0 if s == key else maxval)
        return color + [alpha]

    expected = planar(value, width, height, channels)
    data = png_bytes(px, width, height, depth, ctype, interlace, trns=trns, extra=extra, idat_parts=idat_parts)
    add(name, data, width, height, channels, maxval, expected, note, premul)


def palette(name, width, height, depth, entries, trns_count=0, interlace=0, note=""):
    pal = [((i * 73 + 11) % 256, (i * 151 + 60) % 256, (i * 199 + 200) % 256) for i in range(entries)]
    pal[0], pal[-1] = (0, 0, 0), (255, 255, 255)
    alphas = [(i * 97 + 5) % 256 for i in range(trns_count)]
    if trns_count:
        alphas[0] = 0
    idx = [[((x * 5 + y * 3) % entries,) for x in range(width)] for y in range(height)]
    channels = 4 if trns_count else 3

    def value(x, y):
        i = idx[y][x][0]
        rgb = list(pal[i])
        return rgb + [alphas[i] if i < trns_count else 255] if trns_count else rgb

    expected = planar(value, width, height, channels)
    data = png_bytes(idx, width, height, depth, PALETTE, interlace, palette=pal,
                     trns=bytes(alphas) if trns_count else None)
    add(name, data, width, height, channels, 255, expected, note)


def make_good():
    os.makedirs(PNG_DIR, exist_ok=True)
    for depth in (1, 2, 4, 8, 16):
        direct(f"gray{depth}.png", 13, 7, depth, GRAY, note=f"gray {depth}-bit")
    direct("gray2_trns.png", 9, 5, 2, GRAY, trns_key=True, note="gray 2-bit with a tRNS key -> RGBA")
    direct("gray8_trns.png", 9, 5, 8, GRAY, trns_key=True, note="gray 8-bit with a tRNS key -> RGBA")
    direct("gray16_trns.png", 9, 5, 16, GRAY, trns_key=True, note="gray 16-bit with a tRNS key -> RGBA")
    direct("ga8.png", 11, 6, 8, GRAY_ALPHA, note="gray+alpha 8-bit -> RGBA")
    direct("ga16.png", 11, 6, 16, GRAY_ALPHA, note="gray+alpha 16-bit -> RGBA")
    direct("rgb8.png", 10, 7, 8, RGB, note="RGB 8-bit")
    direct("rgb16.png", 10, 7, 16, RGB, note="RGB 16-bit")
    direct("rgb8_trns.png", 10, 7, 8, RGB, trns_key=True, note="RGB 8-bit with a tRNS key -> RGBA")
    direct("rgba8.png", 9, 8, 8, RGBA, note="RGBA 8-bit")
    direct("rgba16.png", 9, 8, 16, RGBA, note="RGBA 16-bit")
    for depth, entries in ((1, 2), (2, 4), (4, 11), (8, 200)):
        palette(f"palette{depth}.png", 13, 6, depth, entries, note=f"palette {depth}-bit, {entries} entries -> RGB")
    palette("palette4_trns.png", 13, 6, 4, 11, trns_count=5, note="palette 4-bit, tRNS on 5 of 11 entries -> RGBA")
    palette("palette8_trns.png", 13, 6, 8, 200, trns_count=200, note="palette 8-bit, tRNS on every entry -> RGBA")
    # Adam7: odd sizes so that passes are partial; 1x1 leaves six passes empty.
    direct("gray1_interlaced.png", 13, 11, 1, GRAY, interlace=1, note="gray 1-bit Adam7")
    direct("gray8_interlaced.png", 1, 1, 8, GRAY, interlace=1, note="gray 8-bit 1x1 Adam7")
    direct("gray16_interlaced.png", 3, 2, 16, GRAY, interlace=1, note="gray 16-bit 3x2 Adam7")
    direct("ga8_interlaced.png", 10, 9, 8, GRAY_ALPHA, interlace=1, note="gray+alpha 8-bit Adam7")
    direct("rgb8_interlaced.png", 17, 9, 8, RGB, interlace=1, note="RGB 8-bit Adam7")
    direct("rgba16_interlaced.png", 12, 10, 16, RGBA, interlace=1, note="RGBA 16-bit Adam7")
    palette("palette2_interlaced.png", 13, 11, 2, 4, interlace=1, note="palette 2-bit Adam7")
    palette("palette8_trns_interlaced.png", 9, 9, 8, 30, trns_count=12, interlace=1, note="palette 8-bit tRNS Adam7")
    # Color-space chunks are ignored: values are the stored samples.
    direct("rgb8_gama_linear.png", 8, 5, 8, RGB, extra=[(b"gAMA", struct.pack(">I", 100000))],
           note="RGB 8-bit with gAMA 1.0 (ignored)")
    direct("gray16_gama.png", 8, 5, 16, GRAY, extra=[(b"gAMA", struct.pack(">I", 45455))],
           note="gray 16-bit with gAMA 1/2.2 (ignored)")
    direct("rgb16_srgb.png", 8, 5, 16, RGB, extra=[(b"sRGB", b"\x00")], note="RGB 16-bit with sRGB (ignored)")
    direct("gray8_text_split.png", 40, 30, 8, GRAY, idat_parts=5,
           extra=[(b"tEXt", b"Comment\x00made by make_fixtures.py")],
           note="gray 8-bit, tEXt chunk, image data split over 5 IDAT chunks")
    with open(os.path.join(PNG_DIR, "manifest.json"), "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(m, separators=(",", ":")) for m in manifest) + "\n]\n")


def make_bad():
    os.makedirs(BAD_DIR, exist_ok=True)
    px = pattern(6, 4, 1, 255, 0)
    good = png_bytes(px, 6, 4, 8, GRAY)
    ihdr_end = 8 + 8 + 13 + 4
    cases = []

    def bad(name, data, expect):
        with open(os.path.join(BAD_DIR, name), "wb") as f:
            f.write(data)
        cases.append({"file": name, "error": expect})

    def with_ihdr(width, height, depth, ctype, rest=b""):
        return SIGNATURE + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, ctype, 0, 0, 0)) + rest

    bad("empty.png", b"", "is not a PNG file: it is empty")
    bad("text.png", b"hello, this is text\n", "is not a PNG file: it does not start with the 8-byte PNG signature")
    bad("jpeg.png", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", "is not a PNG file: it does not start with the 8-byte PNG signature")
    bad("short_signature.png", SIGNATURE[:5], "is not a PNG file: it does not start with the 8-byte PNG signature")
    bad("signature_only.png", SIGNATURE, "is truncated or corrupt: libpng: read beyond end of data")
    bad("truncated_ihdr.png", good[:20], "is truncated or corrupt: libpng: read beyond end of data")
    bad("truncated_idat.png", good[:len(good) - 12 - 10], "is truncated or corrupt: libpng: read beyond end of data")
    bad("no_idat.png", good[:ihdr_end] + chunk(b"IEND", b""), "is truncated or corrupt: libpng: IEND: out of place")
    crc_ihdr = bytearray(good)
    crc_ihdr[ihdr_end - 1] ^= 0xFF
    bad("bad_crc_ihdr.png", bytes(crc_ihdr), "is truncated or corrupt: libpng: IHDR: CRC error")
    crc_idat = bytearray(good)
    crc_idat[len(good) - 12 - 1] ^= 0xFF
    bad("bad_crc_idat.png", bytes(crc_idat), "is truncated or corrupt: libpng: IDAT: CRC error")
    bad("bad_zlib.png", good[:ihdr_end] + chunk(b"IDAT", b"\x12\x34not zlib data at all") + chunk(b"IEND", b""),
        "is truncated or corrupt: libpng: IDAT: incorrect header check")
    bad("short_image_data.png", good[:ihdr_end] + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b""),
        "is truncated or corrupt: libpng: Not enough image data")
    bad("bad_depth.png", with_ihdr(4, 4, 4, RGB), "is truncated or corrupt: libpng: Invalid IHDR data")
    bad("bad_color_type.png", with_ihdr(4, 4, 8, 5), "is truncated or corrupt: libpng: Invalid IHDR data")
    bad("zero_width.png", with_ihdr(0, 4, 8, GRAY), "is truncated or corrupt: libpng: Invalid IHDR data")
    bad("missing_plte.png", with_ihdr(4, 4, 8, PALETTE, chunk(b"IDAT", zlib.compress(b"\x00" * 20)) + chunk(b"IEND", b"")),
        "is truncated or corrupt: libpng: IDAT: Missing PLTE before IDAT")
    # Absurd sizes: valid headers whose pixels would not fit in memory; rejected before decoding.
    tiny_idat = chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    bad("too_wide.png", with_ihdr(40000, 1, 8, GRAY, tiny_idat), "is 40000×1 pixels: each side must be 1…32768")
    bad("too_many_pixels.png", with_ihdr(30000, 30000, 8, RGBA, tiny_idat), "is 30000×30000 pixels: 900000000 pixels, more than the limit of 67108864")
    # Within the limits, but 8000x8000 pixels cannot come out of a 60-byte file.
    bad("claims_huge.png", with_ihdr(8000, 8000, 8, GRAY, tiny_idat), "is truncated or corrupt: 69 bytes cannot hold 8000×8000 pixels")
    with open(os.path.join(BAD_DIR, "manifest.json"), "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    make_good()
    make_bad()
