#!/usr/bin/env python3
"""Is a two-class mask set offset from its images, and does a model's prediction lean one way? The measurements
behind docs/results.md's membrane paragraph on the ground truth's half-pixel offset.

    /usr/bin/python3 segnet-bench/src/main/python/mask_alignment.py data/membrane/train/image data/membrane/train/label
    /usr/bin/python3 segnet-bench/src/main/python/mask_alignment.py data/membrane/train/image data/membrane/train/label \
        --predictions preds/masks

Without --predictions: the mean over all image/mask pairs (same file names) of the correlation between the image's
darkness and the mask's dark class, with the mask rolled by dy, dx in -2..2 (rows: dy, columns: dx), and the
sub-pixel peak from a parabola through the best shift and its neighbours. A peak away from (0, 0) means the masks are
drawn offset from what the images show (positive dy: the masks would have to move down).

With --predictions (a folder of `segnet predict --outputs index` class maps for some of the images): the pixel accuracy
of each prediction rolled by one pixel in every direction. For a prediction without bias, opposite directions cost
the same; a lopsided cost means the model's edges lean one way against the ground truth.

Masks are read as foreground where the pixel is >= 128 (0/255 masks such as the ISBI membrane set, where 0 is
membrane); class maps as foreground where the class id is > 0. Needs NumPy and Pillow.
"""
import argparse
import os

import numpy as np
from PIL import Image


def load(path, predicate):
    return predicate(np.array(Image.open(path).convert("L")))


def correlation(images, masks, margin=4):
    sums = np.zeros((5, 5))
    names = sorted(os.listdir(masks))
    for name in names:
        dark = 255.0 - np.array(Image.open(os.path.join(images, name)).convert("L"), dtype=np.float64)
        dark -= dark.mean()
        fg = load(os.path.join(masks, name), lambda a: a < 128).astype(np.float64)
        fg -= fg.mean()
        for dy in range(-2, 3):
            for dx in range(-2, 3):
                rolled = np.roll(np.roll(fg, dy, 0), dx, 1)
                sums[dy + 2, dx + 2] += (dark[margin:-margin, margin:-margin]
                                         * rolled[margin:-margin, margin:-margin]).mean()
    return sums / len(names), len(names)


def vertex(minus, centre, plus):
    denominator = minus - 2 * centre + plus
    return 0.0 if denominator == 0 else 0.5 * (minus - plus) / denominator


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("images")
    parser.add_argument("masks")
    parser.add_argument("--predictions")
    args = parser.parse_args()
    if args.predictions is None:
        c, n = correlation(args.images, args.masks)
        print(f"correlation of image darkness with the mask's class 0, masks rolled by (dy, dx), {n} pairs:")
        print("dy\\dx " + " ".join(f"{dx:8d}" for dx in range(-2, 3)))
        for dy in range(-2, 3):
            print(f"{dy:5d} " + " ".join(f"{c[dy + 2, dx + 2]:8.3f}" for dx in range(-2, 3)))
        iy, ix = np.unravel_index(np.argmax(c[1:4, 1:4]), (3, 3))
        iy, ix = iy + 1, ix + 1
        py = iy - 2 + vertex(c[iy - 1, ix], c[iy, ix], c[iy + 1, ix])
        px = ix - 2 + vertex(c[iy, ix - 1], c[iy, ix], c[iy, ix + 1])
        print(f"peak at dy {py:+.2f}, dx {px:+.2f} pixels")
        return
    names = sorted(os.listdir(args.predictions))
    names = [n for n in names if n.endswith(".png")]
    accuracy = {}
    for name in names:
        prediction = load(os.path.join(args.predictions, name), lambda a: a > 0)
        truth = load(os.path.join(args.masks, name), lambda a: a >= 128)
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                rolled = np.roll(np.roll(prediction, dy, 0), dx, 1)
                accuracy.setdefault((dy, dx), []).append((rolled[2:-2, 2:-2] == truth[2:-2, 2:-2]).mean())
    base = np.mean(accuracy[(0, 0)])
    print(f"{len(names)} predictions, pixel accuracy {100 * base:.2f}% (2-pixel border left out)")
    for (dy, dx), label in (((-1, 0), "up"), ((1, 0), "down"), ((0, -1), "left"), ((0, 1), "right")):
        print(f"rolled one pixel {label:5s}: {100 * np.mean(accuracy[(dy, dx)]):.2f}% "
              f"(costs {100 * (base - np.mean(accuracy[(dy, dx)])):.2f} points)")


if __name__ == "__main__":
    main()
