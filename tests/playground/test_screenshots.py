"""docs/make_screenshots.py draws the README's two playground screenshots (1280 and 390
pixels wide) in a real browser: the committed ones are pictures the page can draw."""

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from tests.playground.conftest import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is missing")
def test_the_screenshots_script_draws_both_widths(tmp_path):
    pytest.importorskip("playwright.sync_api")
    script = ROOT / "docs" / "make_screenshots.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True,
                   timeout=300)  # fmt: skip
    assert sorted(os.listdir(tmp_path)) == ["playground-1280.png", "playground-390.png"]
    assert png_size(tmp_path / "playground-1280.png") == (1280, 800)
    assert png_size(tmp_path / "playground-390.png") == (390, 844)
    for name in ("playground-1280.png", "playground-390.png"):
        assert (tmp_path / name).stat().st_size > 30_000  # a trained run, not a blank page
        assert png_size(ROOT / "docs" / name) == png_size(tmp_path / name)  # the committed ones
