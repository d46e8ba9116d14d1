#!/usr/bin/env python3
"""Generate the OCR test pages: two lines of known words drawn with DejaVu Sans.

Each page N is written as pageNN.pgm (binary P5, 8-bit, ink = 255 on a 0
background — the DVS text-page convention, ink = 1 on 0) and pageNN.json with
every word's tight ink box (x, y, w, h; right/bottom exclusive) and each line's
box (the union of its words). Deterministic: a fixed seed per page.

    python3 make_fixtures.py [--count 10] [--out DIR] [--png] [--jitter PX] [--seed N]

--png also writes pageNN.png, dark text on white, for feeding the `tesseract` CLI.
Needs Pillow (pip install pillow).
"""
import argparse, json, os, random
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
WORDS = ("the quick brown fox jumps over lazy dog vision model green river "
         "paper window table garden music light water stone house train "
         "number simple small large field plant market summer winter coffee "
         "little mountain letter bridge orange yellow purple silver golden "
         "morning evening village castle forest ocean island planet rocket").split()
SIZES = (28, 32, 36, 30, 26)

def page(index, out, png, jitter=0, seed=1000):
    rng = random.Random(seed + index)
    size = SIZES[index % len(SIZES)]
    font = ImageFont.truetype(FONT, size)
    space = font.getlength(" ")
    lines = []
    for _ in range(2):
        words = [rng.choice(WORDS) for _ in range(rng.randint(4, 6))]
        if rng.random() < 0.5:  # a number now and then
            words[rng.randrange(len(words))] = str(rng.randint(10, 9999))
        lines.append(words)
    margin, pitch = 24, int(size * 1.7)
    width = int(max(sum(font.getlength(w) for w in ws) + (space + 2 * jitter) * (len(ws) - 1) for ws in lines)) + 2 * margin
    height = 2 * margin + pitch * (len(lines) - 1) + int(size * 1.3)
    img = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(img)
    words_meta, lines_meta = [], []
    for li, ws in enumerate(lines):
        x, y = float(margin), margin + li * pitch
        boxes = []
        for w in ws:
            dy = rng.randint(-jitter, jitter) if jitter else 0
            draw.text((x, y + dy), w, font=font, fill=255)
            solo = Image.new("L", (width, height), 0)
            ImageDraw.Draw(solo).text((x, y + dy), w, font=font, fill=255)
            l, t, r, b = solo.getbbox()
            boxes.append((l, t, r, b))
            words_meta.append({"text": w, "line": li, "x": l, "y": t, "w": r - l, "h": b - t})
            x += font.getlength(w) + space + (rng.randint(0, 2 * jitter) if jitter else 0)
        l = min(b[0] for b in boxes); t = min(b[1] for b in boxes)
        r = max(b[2] for b in boxes); bt = max(b[3] for b in boxes)
        lines_meta.append({"text": " ".join(ws), "x": l, "y": t, "w": r - l, "h": bt - t})
    name = os.path.join(out, "page%02d" % index)
    with open(name + ".pgm", "wb") as f:
        f.write(b"P5\n%d %d\n255\n" % (width, height))
        f.write(img.tobytes())
    with open(name + ".json", "w") as f:
        json.dump({"width": width, "height": height, "font": os.path.basename(FONT), "size": size,
                   "words": words_meta, "lines": lines_meta}, f, indent=1)
        f.write("\n")
    if png:
        Image.eval(img, lambda v: 255 - v).save(name + ".png")

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--png", action="store_true")
    ap.add_argument("--jitter", type=int, default=0, help="words move up/down by up to this many pixels and get up to twice as much extra space")
    ap.add_argument("--seed", type=int, default=1000)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    for i in range(a.count):
        page(i, a.out, a.png, a.jitter, a.seed)
