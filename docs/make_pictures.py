"""Draw the README's pictures: python docs/make_pictures.py [FOLDER] (default: docs/).

The demo's pictures (OR and XOR decision regions, their training curves, the XOR network
diagram) and a three-class spirals picture, as small PNGs. The tests run this script
into a temporary folder, so the committed pictures are always ones the code can draw.
"""

from __future__ import annotations

import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no window

from matplotlib import pyplot  # noqa: E402

from glassnet import plot  # noqa: E402


def make_pictures(folder: str) -> list[str]:
    """Write every README picture into ``folder``; returns their paths."""
    written = plot.save_demo_pictures(folder, animation=False)
    spirals = plot.example("spirals")
    figure = plot.decision_boundary(spirals.model, spirals.X, spirals.y, title=spirals.title)
    written.append(plot.save(figure, os.path.join(folder, "spirals_boundary.png"), dpi=80))
    pyplot.close(figure)
    return written


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for path in make_pictures(target):
        print(f"{path}  {os.path.getsize(path) / 1024:.0f} KB")
