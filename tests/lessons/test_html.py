"""make lessons renders the lessons with docs/lesson.html.j2: JupyterLab's template, with
each figure's alternative text taken from its cell's "alt" (nbconvert's own template has
none, warns, and writes "No description has been provided for this image")."""

from __future__ import annotations

import base64
import logging
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import nbformat

nbconvert = pytest.importorskip("nbconvert", reason="needs the notebook extra: nbconvert")

TEMPLATE = Path(__file__).resolve().parents[2] / "docs" / "lesson.html.j2"
pytestmark = pytest.mark.skipif(not TEMPLATE.is_file(), reason="docs/lesson.html.j2 is not here")
# The smallest PNG there is: one transparent pixel.
PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4"/></svg>'


def figure_cell(kind, data, alt=None):
    cell = nbformat.v4.new_code_cell("plot.loss_curve(history)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={kind: data, "text/plain": "fig"})]
    if alt is not None:
        cell.metadata["alt"] = alt
    return cell


class Pictures(HTMLParser):
    """The alt attribute of every <img> of a page, in order (None where there is none)."""

    def __init__(self):
        super().__init__()
        self.alts = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def alts_of(html):
    pictures = Pictures()
    pictures.feed(html)
    return pictures.alts


def render(cells, caplog):
    book = nbformat.v4.new_notebook(cells=cells)
    exporter = nbconvert.HTMLExporter(template_file=str(TEMPLATE))
    with caplog.at_level(logging.WARNING):
        html, _ = exporter.from_notebook_node(book)
    return html


def test_a_figure_gets_its_cells_alt_text_and_no_warning(caplog):
    html = render(
        [
            figure_cell("image/png", PIXEL, alt='The loss falls from 0.7 to 0.1 ("fast")'),
            figure_cell("image/svg+xml", SVG, alt="A graph of three nodes"),
        ],
        caplog,
    )
    assert alts_of(html) == ['The loss falls from 0.7 to 0.1 ("fast")', "A graph of three nodes"]
    assert "Alternative text is missing" not in caplog.text


def test_a_figure_without_alt_text_is_still_reported_missing(caplog):
    html = render([figure_cell("image/png", PIXEL)], caplog)
    assert alts_of(html) == ["No description has been provided for this image"]
