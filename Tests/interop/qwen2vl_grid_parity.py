#!/usr/bin/env python3
"""Parity of DVS's qwen2vl_grid with Hugging Face transformers' Qwen2-VL image processor.

Usage:  python3 Tests/interop/qwen2vl_grid_parity.py DVS [--keep DIR]

The reference is transformers' PIL-backend processor, `Qwen2VLImageProcessorPil`
(transformers 5, `image_processing_pil_qwen2_vl.py`; with transformers 4 the slow
`Qwen2VLImageProcessor`, the same PIL/NumPy path), which needs Pillow and NumPy but
not PyTorch. scripts/setup installs transformers, pillow and numpy.

The test makes PNG images of many sizes and modes (gray, RGB, RGBA, gray + alpha,
palette) with noise, gradients and hard edges; DVS runs `qwen2vl_grid` on each and
writes `pixel_values` (safetensors) and the grid (JSON); the same files go through
the reference processor. Each case passes when grid_thw is identical and
pixel_values agree to 1e-5, or when both refuse the image. Exit status 0 when every
case passes; the last line is `qwen2vl parity: N of M passed`.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image
from safetensors.numpy import load_file

try:
    from transformers import Qwen2VLImageProcessorPil as Reference
except ImportError:  # transformers 4: the slow processor is the PIL/NumPy one
    from transformers import Qwen2VLImageProcessor as Reference

TOLERANCE = 1e-5
DEFAULT_MIN, DEFAULT_MAX = 56 * 56, 28 * 28 * 1280

# name, width, height, PIL mode, min_pixels, max_pixels
CASES = [
    ("one_pixel", 1, 1, "L", DEFAULT_MIN, DEFAULT_MAX),
    ("tiny_5x7", 5, 7, "RGB", DEFAULT_MIN, DEFAULT_MAX),
    ("below_half_factor_13x200", 13, 200, "L", DEFAULT_MIN, DEFAULT_MAX),
    ("side_under_28", 20, 300, "RGB", DEFAULT_MIN, DEFAULT_MAX),
    ("exact_28", 28, 28, "RGB", DEFAULT_MIN, DEFAULT_MAX),
    ("half_to_even_70x42", 70, 42, "RGB", DEFAULT_MIN, DEFAULT_MAX),
    ("exact_56", 56, 56, "L", DEFAULT_MIN, DEFAULT_MAX),
    ("odd_333x517", 333, 517, "RGB", DEFAULT_MIN, DEFAULT_MAX),
    ("page_640x480", 640, 480, "L", DEFAULT_MIN, DEFAULT_MAX),
    ("rgba_300x200", 300, 200, "RGBA", DEFAULT_MIN, DEFAULT_MAX),
    ("gray_alpha_150x90", 150, 90, "LA", DEFAULT_MIN, DEFAULT_MAX),
    ("palette_210x130", 210, 130, "P", DEFAULT_MIN, DEFAULT_MAX),
    ("max_pixels_1000", 1000, 1000, "RGB", DEFAULT_MIN, DEFAULT_MAX),
    ("huge_2600x1900", 2600, 1900, "RGB", DEFAULT_MIN, DEFAULT_MAX),
    ("wide_ratio_200", 2000, 10, "RGB", DEFAULT_MIN, DEFAULT_MAX),
    ("tall_ratio_200", 10, 2000, "L", DEFAULT_MIN, DEFAULT_MAX),
    ("tall_vertical_first", 40, 4100, "RGB", DEFAULT_MIN, DEFAULT_MAX),
    ("tall_huge_shrunk", 100, 15000, "L", DEFAULT_MIN, DEFAULT_MAX),
    ("min_pixels_256_tokens", 120, 90, "RGB", 256 * 28 * 28, DEFAULT_MAX),
    ("max_pixels_16_tokens", 500, 370, "RGB", DEFAULT_MIN, 16 * 28 * 28),
    ("upscale_both_ways", 61, 45, "RGB", 100 * 28 * 28, 200 * 28 * 28),
    ("error_ratio_300", 1, 300, "L", DEFAULT_MIN, DEFAULT_MAX),
    ("error_ratio_201", 2010, 10, "RGB", DEFAULT_MIN, DEFAULT_MAX),
]

DVS_SCRIPT = r"""
let folder = args()[0]
let cases = from_json(read_text("{folder}/cases.json"))
var results = []
for c in cases {
    let r = try {
        let g = qwen2vl_grid(load_image("{folder}/{c.name}.png"), min_pixels: c.min_pixels, max_pixels: c.max_pixels)
        save({pixel_values: g.pixel_values}, "{folder}/{c.name}.dvs.safetensors")
        {name: c.name, grid_thw: g.grid_thw, image_tokens: g.image_tokens, resized_size: g.resized_size}
    } catch e {
        {name: c.name, error: e.message}
    }
    push(results, r)
}
write_text("{folder}/results.json", to_json(results))
"""


def make_image(rng, width, height, mode):
    """Noise, a smooth gradient and hard-edged bars: exercises ringing and clipping."""
    y, x = np.mgrid[0:height, 0:width]
    base = (x * 255.0 / max(width - 1, 1) + y * 127.0 / max(height - 1, 1)) % 256
    bars = np.where(((x // 3) + (y // 5)) % 4 == 0, 255.0, 0.0)
    channels = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4, "P": 1}[mode]
    planes = []
    for c in range(channels):
        noise = rng.integers(0, 256, size=(height, width))
        planes.append(np.clip([base, bars, noise, (base + noise) / 2][(c + height) % 4], 0, 255))
    if mode in ("RGBA", "LA"):
        alpha = rng.choice([0, 255, 128, 17, 240], size=(height, width))
        planes[-1] = alpha
    array = np.stack(planes, axis=-1).astype(np.uint8)
    if mode in ("L", "P"):
        image = Image.fromarray(array[..., 0], mode="L")
        return image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64) if mode == "P" else image
    return Image.fromarray(array, mode=mode)


def reference(path, min_pixels, max_pixels):
    processor = Reference(min_pixels=min_pixels, max_pixels=max_pixels)
    out = processor(images=Image.open(path), return_tensors="np")
    return np.asarray(out["pixel_values"]), [int(v) for v in out["image_grid_thw"][0]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dvs")
    parser.add_argument("--keep", help="folder to keep the images and outputs in")
    options = parser.parse_args()
    folder = options.keep or tempfile.mkdtemp(prefix="dvs-qwen2vl-")
    os.makedirs(folder, exist_ok=True)
    print(f"reference: transformers.{Reference.__name__} "
          f"(transformers {__import__('transformers').__version__}, Pillow {Image.__version__}, NumPy {np.__version__})")

    rng = np.random.default_rng(20261213)
    for name, width, height, mode, _, _ in CASES:
        make_image(rng, width, height, mode).save(os.path.join(folder, f"{name}.png"))
    with open(os.path.join(folder, "cases.json"), "w") as f:
        json.dump([{"name": n, "min_pixels": lo, "max_pixels": hi} for n, _, _, _, lo, hi in CASES], f)
    script = os.path.join(folder, "parity.dvs")
    with open(script, "w") as f:
        f.write(DVS_SCRIPT)
    run = subprocess.run([options.dvs, "run", script, folder], capture_output=True, text=True)
    if run.returncode != 0:
        print(f"dvs failed ({run.returncode}):\n{run.stdout}{run.stderr}")
        print(f"qwen2vl parity: 0 of {len(CASES)} passed")
        return 1
    with open(os.path.join(folder, "results.json")) as f:
        results = {r["name"]: r for r in json.load(f)}

    passed = 0
    for name, width, height, mode, lo, hi in CASES:
        path = os.path.join(folder, f"{name}.png")
        got = results.get(name, {"error": "no result"})
        try:
            want_values, want_thw = reference(path, lo, hi)
            want_error = None
        except ValueError as e:
            want_error = str(e)
        if want_error is not None:
            ok = "error" in got and "aspect ratio" in got["error"]
            detail = f"both refuse: {got.get('error')!r}" if ok else f"reference refuses ({want_error}), DVS gives {got}"
        elif "error" in got:
            ok, detail = False, f"DVS refuses: {got['error']}"
        else:
            values = load_file(os.path.join(folder, f"{name}.dvs.safetensors"))["pixel_values"]
            thw_ok = got["grid_thw"] == want_thw and got["image_tokens"] == np.prod(want_thw) // 4
            size_ok = got["resized_size"] == [want_thw[2] * 14, want_thw[1] * 14]
            shape_ok = values.shape == want_values.shape
            diff = float(np.max(np.abs(values - want_values))) if shape_ok else float("inf")
            ok = thw_ok and size_ok and shape_ok and diff <= TOLERANCE
            detail = f"grid_thw {got['grid_thw']} (reference {want_thw}), pixel_values {values.shape}, max |diff| {diff:.3g}"
        passed += ok
        print(f"{'ok  ' if ok else 'FAIL'} {name} ({width}×{height} {mode}, min {lo}, max {hi}): {detail}")
    print(f"qwen2vl parity: {passed} of {len(CASES)} passed")
    return 0 if passed == len(CASES) else 1


if __name__ == "__main__":
    sys.exit(main())
