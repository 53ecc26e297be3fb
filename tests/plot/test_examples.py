"""glassnet.plot.examples: the built-in examples, and the README's pictures drawn from them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from glassnet import plot  # noqa: E402
from glassnet.datasets import logic_gate  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def test_examples():
    assert plot.example("xor").model.predict(logic_gate("XOR")[0]).tolist() == [0, 1, 1, 0]
    assert plot.example("or", train=False).model.epochs_ == []
    spirals = plot.example("spirals")
    assert spirals.model.evaluate(spirals.X, spirals.y)["accuracy"] > 0.95
    with pytest.raises(ValueError, match="unknown example 'and'; expected one of or, xor"):
        plot.example("and")


def test_the_readme_pictures_script_writes_small_pngs(tmp_path):
    script = ROOT / "docs" / "make_pictures.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    names = sorted(os.listdir(tmp_path))
    assert names == [
        "or_boundary.png",
        "or_loss.png",
        "spirals_boundary.png",
        "xor_boundary.png",
        "xor_loss.png",
        "xor_network.png",
    ]
    for name in names:
        assert (tmp_path / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (tmp_path / name).stat().st_size < 100_000


def test_the_demo_pictures_refuse_a_file_for_their_folder(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    with pytest.raises(ValueError, match="notes.txt is a file, not a folder: give a folder"):
        plot.save_demo_pictures(notes)
    assert notes.read_text() == "mine"
