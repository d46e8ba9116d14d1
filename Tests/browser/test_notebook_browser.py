#!/usr/bin/env python3
"""Checks a DVS notebook page in a real browser (headless Chromium).

Usage:  python3 Tests/browser/test_notebook_browser.py PAGE.html [--min-figures N] [--keep DIR]

Standard library only. Exit status: 0 passed, 1 failed, 2 usage, 77 skipped
(no Chromium: set $CHROMIUM to its path).

What it checks, and how:
  * statically: every <img>/<svg> of the page is inside a
    <figure class="dvs-figure" id="…">, and every <img> is a data: URI (the
    page must load nothing);
  * that each figure is actually drawn. A headless browser's --screenshot
    gives pixels but no geometry, so the test makes a copy of the page with a
    stylesheet that hides everything else and pins each figure to a known
    300x200 cell of a grid (the picture centered, shrunk to fit), screenshots
    that, decodes the PNG screenshot (a small stdlib decoder below) and looks
    at each cell:
      - a PNG figure must look like its own pixels: the picture is shown at
        its own size (shrunk if larger than the cell), the embedded PNG is
        decoded, scaled the same way and composited on white, and the mean
        difference must be small (per pixel; per 8x8 block when shrunk). A blank area, the broken-image icon or
        another picture fails this;
      - any figure (SVG, or a PNG the decoder cannot read) must have ink
        (non-white pixels) on > 2% of its area spread over > 20% of its rows;
        the broken-image icon is 16 px tall and its alt text is made
        transparent, so it cannot pass.
  * that printing shows folded outputs: a second copy turns the page's
    `@media print` rules on for the screen, pins each folded output
    (<details class="dvs-more">, closed) to a cell, and requires its text to be
    drawn there.
"""

import argparse
import base64
import html.parser
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

CELL_W, CELL_H, GAP = 300, 200, 20
COLS, ROWS = 3, 5  # cells per screenshot
INK = 24  # a channel this far from white (0-255) is ink


# --------------------------------------------------------------------------- PNG


class PNGError(Exception):
    pass


def decode_png(data, max_rows=None):
    """(width, height, rows) of an 8-bit, non-interlaced PNG; rows are lists of
    (r, g, b, a) tuples. Gray, gray+alpha, RGB, RGBA and palette images."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise PNGError("not a PNG")
    pos, idat, palette, trns = 8, [], None, None
    width = height = None
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) != length or zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]:
            raise PNGError("damaged chunk %r" % kind)
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace != 0 or color not in (0, 2, 3, 4, 6):
                raise PNGError("unsupported PNG (bit depth %d, color type %d, interlace %d)" % (depth, color, interlace))
        elif kind == b"PLTE":
            palette = [tuple(body[i:i + 3]) for i in range(0, len(body) - 2, 3)]
        elif kind == b"tRNS":
            trns = body
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if width is None or not idat:
        raise PNGError("no IHDR or IDAT")
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color]
    stride = width * channels
    raw = zlib.decompress(b"".join(idat))
    wanted = height if max_rows is None else min(height, max_rows)
    if len(raw) < (stride + 1) * wanted:
        raise PNGError("image data too short")
    rows, prev = [], bytearray(stride)
    for y in range(wanted):
        start = y * (stride + 1)
        rows.append(unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), prev, channels))
        prev = rows[-1]
    return width, height, [to_rgba(r, color, palette, trns) for r in rows]


def unfilter(kind, line, prev, bpp):
    n = len(line)
    if kind == 0:
        pass
    elif kind == 1:
        for i in range(bpp, n):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif kind == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif kind == 3:
        for i in range(n):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif kind == 4:
        for i in range(n):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    else:
        raise PNGError("bad filter type %d" % kind)
    return line


def to_rgba(line, color, palette, trns):
    if color == 6:
        return [tuple(line[i:i + 4]) for i in range(0, len(line), 4)]
    if color == 2:
        return [tuple(line[i:i + 3]) + (255,) for i in range(0, len(line), 3)]
    if color == 0:
        return [(v, v, v, 255) for v in line]
    if color == 4:
        return [(line[i], line[i], line[i], line[i + 1]) for i in range(0, len(line), 2)]
    if palette is None:
        raise PNGError("palette image without PLTE")
    alpha = trns or b""
    return [palette[i] + (alpha[i] if i < len(alpha) else 255,) for i in line]


# -------------------------------------------------------------------- the page


class PageScan(html.parser.HTMLParser):
    """Figures (id, kind, src, svg size) and pictures outside any figure."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.figures, self.stray, self.problems, self.folds = [], [], [], 0
        self.stack = []  # open figure ids, None for other figures

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure":
            is_dvs = "dvs-figure" in (a.get("class") or "").split()
            self.stack.append(a.get("id") if is_dvs else None)
            if is_dvs and not a.get("id"):
                self.problems.append("a dvs-figure has no id")
        elif tag == "details" and "dvs-more" in (a.get("class") or "").split():
            self.folds += 1
        elif tag in ("img", "svg"):
            owner = self.stack[-1] if self.stack else None
            if not owner:
                self.stray.append(tag)
                return
            fig = next((f for f in self.figures if f["id"] == owner), None)
            if fig is None:  # the figure's picture; an <svg> may hold more <svg>s
                fig = {"id": owner, "kind": tag, "src": a.get("src") or ""}
                self.figures.append(fig)
            if tag == "img" and not fig["src"].startswith("data:"):
                self.problems.append("%s: <img> source is not a data: URI (%s)" % (owner, fig["src"][:60]))

    def handle_endtag(self, tag):
        if tag == "figure" and self.stack:
            self.stack.pop()


def picture_size(fig):
    """(width, height, intrinsic) of a figure's picture in CSS pixels, or None.
    `intrinsic` is False for an SVG with only a viewBox (it has a shape, no size)."""
    src = fig["src"]
    try:
        if src.startswith("data:image/png;base64,"):
            data = base64.b64decode(src.split(",", 1)[1])
            if data[12:16] == b"IHDR":
                return struct.unpack(">II", data[16:24]) + (True,)
        if src.startswith("data:image/svg+xml;base64,"):
            svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8", "replace")
            tag = re.search(r"<svg\b[^>]*>", svg)
            if tag:
                w = re.search(r'\swidth="([\d.]+)(px|pt)?"', tag.group(0))
                h = re.search(r'\sheight="([\d.]+)(px|pt)?"', tag.group(0))
                if w and h:
                    px = [float(m.group(1)) * (4 / 3 if m.group(2) == "pt" else 1) for m in (w, h)]
                    return px[0], px[1], True
                box = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', tag.group(0))
                if box and not (w or h):
                    return float(box.group(1)), float(box.group(2)), False
    except (ValueError, UnicodeError):
        pass
    return None


def fitted_rect(size):
    """Where a picture lands in its cell with object-fit: scale-down (centered,
    made smaller to fit, never larger; a picture without a size of its own is
    fitted to the cell)."""
    if not size or size[0] <= 0 or size[1] <= 0:
        return 0, 0, CELL_W, CELL_H
    scale = min(CELL_W / size[0], CELL_H / size[1])
    if size[2]:
        scale = min(1, scale)
    w, h = max(1, round(size[0] * scale)), max(1, round(size[1] * scale))
    return (CELL_W - w) // 2, (CELL_H - h) // 2, w, h


def cell_origin(k):
    return GAP + (k % COLS) * (CELL_W + GAP), GAP + (k // COLS) * (CELL_H + GAP)


def inject(page, css):
    style = "<style>\n%s\n</style>" % css
    if re.search(r"</head>", page, re.I):
        return re.sub(r"</head>", lambda _: style + "</head>", page, count=1, flags=re.I)
    return style + page


HIDE_ALL = """
html,body{background:#fff!important;margin:0!important;padding:0!important;overflow:hidden!important}
body *{visibility:hidden!important;position:static!important;transform:none!important;filter:none!important;
  contain:none!important;animation:none!important;transition:none!important}
figcaption{display:none!important}
"""


def grid_page(page, ids, shown, element_css):
    """CSS that shows only the elements `shown` (ids), each pinned to its cell."""
    rules = [HIDE_ALL]
    rules += ["#%s{display:none!important}" % i for i in ids if i not in shown]
    for k, i in enumerate(shown):
        x, y = cell_origin(k)
        rules.append(
            "#%s{position:absolute!important;left:%dpx!important;top:%dpx!important;width:%dpx!important;"
            "height:%dpx!important;margin:0!important;padding:0!important;border:0!important;"
            "background:#fff!important;overflow:hidden!important;visibility:visible!important;display:block!important}"
            % (i, x, y, CELL_W, CELL_H))
        rules.append(element_css.replace("ID", i))
    return inject(page, "\n".join(rules))


FIGURE_CSS = """
#ID img,#ID svg{visibility:visible!important;display:block!important;position:absolute!important;left:0!important;
  top:0!important;width:%dpx!important;height:%dpx!important;max-width:none!important;max-height:none!important;
  object-fit:scale-down!important;margin:0!important;padding:0!important;border:0!important;
  color:transparent!important;font-size:0!important}
#ID svg *{visibility:visible!important}
""" % (CELL_W, CELL_H)

FOLD_CSS = """
#ID,#ID *{visibility:visible!important}
"""


# ------------------------------------------------------------------ the browser


def find_chromium():
    for name in [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]:
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def screenshot(chromium, html_text, workdir, name, rows):
    path = os.path.join(workdir, name + ".html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(html_text)
    shot = os.path.join(workdir, name + ".png")
    height = GAP + rows * (CELL_H + GAP)
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
           "--force-device-scale-factor=1", "--force-color-profile=srgb", "--mute-audio", "--no-first-run",
           "--user-data-dir=" + os.path.join(workdir, "profile"),
           "--screenshot=" + shot, "--window-size=%d,%d" % (GAP + COLS * (CELL_W + GAP), height),
           "file://" + os.path.abspath(path)]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise RuntimeError("chromium did not finish within 120 s")
    if run.returncode != 0 or not os.path.exists(shot):
        raise RuntimeError("chromium failed (status %d): %s" % (run.returncode, run.stderr.strip()[-800:]))
    with open(shot, "rb") as f:
        return decode_png(f.read(), max_rows=height)


# ---------------------------------------------------------------------- checks


def region(shot, x0, y0, w, h):
    _, _, rows = shot
    return [row[x0:x0 + w] for row in rows[y0:y0 + h]]


def is_ink(p):
    return max(255 - p[0], 255 - p[1], 255 - p[2]) > INK


def ink_stats(pixels):
    """(fraction of ink pixels, fraction of rows with ink)."""
    total = sum(len(r) for r in pixels) or 1
    ink = [sum(1 for p in r if is_ink(p)) for r in pixels]
    return sum(ink) / total, sum(1 for n in ink if n) / (len(pixels) or 1)


def expected_pixels(png, w, h):
    """The PNG at w x h composited on white: as is at its own size, else each
    pixel the average of the source pixels it covers (as browsers shrink)."""
    pw, ph, rows = png
    out = []
    for y in range(h):
        y0 = y * ph // h
        y1 = max(y0 + 1, (y + 1) * ph // h)
        line = []
        for x in range(w):
            x0 = x * pw // w
            x1 = max(x0 + 1, (x + 1) * pw // w)
            acc = [0, 0, 0]
            for sy in range(y0, y1):
                for r, g, b, a in rows[sy][x0:x1]:
                    acc[0] += (r * a + 255 * (255 - a)) // 255
                    acc[1] += (g * a + 255 * (255 - a)) // 255
                    acc[2] += (b * a + 255 * (255 - a)) // 255
            n = (y1 - y0) * (x1 - x0)
            line.append((acc[0] // n, acc[1] // n, acc[2] // n))
        out.append(line)
    return out


def block_means(pixels, b):
    """Average colors of b x b blocks: shrinking filters differ from browser
    to browser in detail, not in what a block looks like."""
    out = []
    for by in range(0, len(pixels), b):
        line = []
        for bx in range(0, len(pixels[0]) if pixels else 0, b):
            acc, n = [0, 0, 0], 0
            for row in pixels[by:by + b]:
                for p in row[bx:bx + b]:
                    acc[0] += p[0]
                    acc[1] += p[1]
                    acc[2] += p[2]
                    n += 1
            line.append(tuple(c / n for c in acc))
        out.append(line)
    return out


def mean_difference(got, want):
    total = count = 0
    for grow, wrow in zip(got, want):
        for g, w in zip(grow, wrow):
            total += abs(g[0] - w[0]) + abs(g[1] - w[1]) + abs(g[2] - w[2])
            count += 3
    return total / (count or 1)


def check_figure(shot, k, fig):
    """A failure message, or None; and a one-line description."""
    size = picture_size(fig)
    dx, dy, w, h = fitted_rect(size)
    x0, y0 = cell_origin(k)
    got = region(shot, x0 + dx, y0 + dy, w, h)
    ink, rows = ink_stats(got)
    desc = "%s (%s, %s): ink %.1f%% of pixels, on %.0f%% of rows" % (
        fig["id"], fig["src"][5:fig["src"].find(";")] if fig["src"] else fig["kind"],
        "%gx%g" % size[:2] if size else "size unknown", 100 * ink, 100 * rows)
    if fig["src"].startswith("data:image/png;base64,"):
        try:
            png = decode_png(base64.b64decode(fig["src"].split(",", 1)[1]))
        except (PNGError, ValueError, zlib.error) as e:
            desc += "; embedded PNG not compared (%s)" % e
        else:
            want = expected_pixels(png, w, h)
            if (w, h) == (png[0], png[1]):
                diff = mean_difference(got, want)
                desc += "; mean difference from its own pixels %.1f/255" % diff
            else:
                diff = mean_difference(block_means(got, 8), block_means(want, 8))
                desc += "; shrunk, mean difference from its own pixels in 8x8 blocks %.1f/255" % diff
            want_ink, _ = ink_stats(want)
            if diff > 12:
                return "not drawn as its pixels (mean difference %.1f/255)" % diff, desc
            if want_ink > 0.02 and ink < 0.5 * want_ink:
                return "mostly blank (%.1f%% ink, the image has %.1f%%)" % (100 * ink, 100 * want_ink), desc
            return None, desc
    if ink <= 0.02 or rows <= 0.20:
        return "blank or a broken-image icon (ink on %.1f%% of pixels, %.0f%% of rows)" % (100 * ink, 100 * rows), desc
    return None, desc


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("page", help="a notebook HTML page made by DVS")
    ap.add_argument("--min-figures", type=int, default=0, help="fail if the page has fewer figures")
    ap.add_argument("--keep", metavar="DIR", help="keep the test pages and screenshots in DIR")
    args = ap.parse_args()

    try:
        with open(args.page, encoding="utf-8") as f:
            page = f.read()
    except OSError as e:
        print("cannot read the page: %s" % e)
        return 2
    chromium = find_chromium()
    if not chromium:
        print("SKIP: no Chromium found (install chromium or set $CHROMIUM); the browser test did not run")
        return 77

    scan = PageScan()
    scan.feed(page)
    failures = list(scan.problems)
    failures += ["a <%s> outside any dvs-figure cannot be checked" % t for t in scan.stray]
    ids = [f["id"] for f in scan.figures]
    if len(set(ids)) != len(ids):
        failures.append("figure ids are not unique")
    if len(ids) < args.min_figures:
        failures.append("%d figures, expected at least %d" % (len(ids), args.min_figures))

    workdir = args.keep or tempfile.mkdtemp(prefix="dvs-notebook-browser-")
    os.makedirs(workdir, exist_ok=True)
    per_shot = COLS * ROWS
    fold_ids = []
    try:
        for start in range(0, len(ids), per_shot):
            batch = scan.figures[start:start + per_shot]
            shown = [f["id"] for f in batch]
            shot = screenshot(chromium, grid_page(page, ids, shown, FIGURE_CSS), workdir,
                              "figures-%d" % (start // per_shot + 1), (len(batch) + COLS - 1) // COLS)
            for k, fig in enumerate(batch):
                problem, desc = check_figure(shot, k, fig)
                print(("FAIL " if problem else "ok   ") + desc)
                if problem:
                    failures.append("%s: %s" % (fig["id"], problem))

        # Folded outputs, with the page's print rules applied to the screen.
        printed = re.sub(r"@media\s+print\b", "@media all", page)

        def name_fold(m):
            fold_ids.append("dvs-test-fold-%d" % (len(fold_ids) + 1))
            return '<details id="%s"' % fold_ids[-1]
        printed = re.sub(r"<details(?=[^>]*\bclass=\"[^\"]*\bdvs-more\b)", name_fold, printed)
        for start in range(0, len(fold_ids), per_shot):
            shown = fold_ids[start:start + per_shot]
            shot = screenshot(chromium, grid_page(printed, fold_ids, shown, FOLD_CSS), workdir,
                              "print-%d" % (start // per_shot + 1), (len(shown) + COLS - 1) // COLS)
            for k, fold in enumerate(shown):
                x0, y0 = cell_origin(k)
                ink, rows = ink_stats(region(shot, x0, y0, CELL_W, CELL_H))
                ok = ink > 0.005 and rows > 0.20
                print("%s folded output %d when printed: ink %.1f%% of pixels, on %.0f%% of rows"
                      % ("ok  " if ok else "FAIL", start + k + 1, 100 * ink, 100 * rows))
                if not ok:
                    failures.append("folded output %d is not shown when printing" % (start + k + 1))
    except (RuntimeError, PNGError, zlib.error) as e:
        failures.append(str(e))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    print("%d figures, %d folded outputs checked with %s" % (len(ids), len(fold_ids), chromium))
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
