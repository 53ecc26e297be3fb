"""glassnet.plot.figures: what the pictures share, and save."""

import os
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from glassnet import plot  # noqa: E402


def test_save_checks_format_and_folder_and_leaves_no_partial_file(tmp_path, or_perceptron):
    figure = plot.loss_curve(or_perceptron)
    svg = plot.save(figure, tmp_path / "loss.svg")
    assert Path(svg).read_text().lstrip().startswith("<?xml")
    with pytest.raises(ValueError, match="unknown picture format 'jpg'"):
        plot.save(figure, tmp_path / "loss.jpg")
    with pytest.raises(ValueError, match="the folder .* does not exist"):
        plot.save(figure, tmp_path / "missing" / "loss.png")
    assert sorted(os.listdir(tmp_path)) == ["loss.svg"]
