"""The lessons (src/glassnet/lessons/*.ipynb), run as a learner runs them: each in a fresh
Jupyter kernel, top to bottom. Every "your turn" cell runs three times: blank, with a
typical wrong answer (the check must name its slip) and with the solution (the check must
say right); the tutorials' numbers must appear in the outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import glassnet

from .conftest import nbformat, run_notebook, text_of  # noqa: F401  (skips without the extra)

LESSONS = sorted((Path(glassnet.__file__).parent / "lessons").glob("*.ipynb"))
NEEDS = {"06-digits": "sklearn", "08-pytorch": "torch"}


def exercises(book):
    return [
        (i, c) for i, c in enumerate(book.cells) if "exercise" in c.metadata.get("glassnet", {})
    ]


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each lesson run once per test session: (the notebook with outputs, variant outputs)."""
    done = {}

    def run(name: str):
        if name not in done:
            module = NEEDS.get(name)
            if module:
                pytest.importorskip(module, reason=f"lesson {name} needs {module}")
            book = nbformat.read(LESSONS[[p.stem for p in LESSONS].index(name)], as_version=4)
            variants = {}
            for index, cell in exercises(book):
                task = cell.metadata["glassnet"]["exercise"]
                variants[index] = [cell.source, cell.source.replace("...", task["wrong"])]
                cell.source = cell.source.replace("...", task["solution"])
            seen = run_notebook(book, tmp_path_factory.mktemp(name), variants)
            done[name] = book, seen
        return done[name]

    return run


def test_there_are_the_lessons_the_issue_lists():
    names = [path.stem for path in LESSONS]
    assert names == ["01-one-neuron", "02-single-layer", "03-perceptron", "04-xor",
                     "05-backprop-2-2-1", "06-digits", "07-when-training-goes-wrong",
                     "08-pytorch"]  # fmt: skip


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_a_lesson_is_stored_valid_without_outputs(path):
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert code and all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert json.loads(path.read_text())["nbformat_minor"] >= 5  # cell ids


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_your_turn_cell_has_one_blank_and_its_solution_next(path):
    book = nbformat.read(path, as_version=4)
    found = exercises(book)
    assert len(found) >= 2
    for index, cell in found:
        assert cell.source.count("...") == 1 and "answer" in cell.source
        assert book.cells[index - 1].cell_type == "markdown"
        assert "Your turn" in book.cells[index - 1].source
        assert "solution" in book.cells[index + 1].metadata.get("tags", [])


@pytest.mark.parametrize("name", [p.stem for p in LESSONS])
def test_a_lesson_runs_and_its_checks_say_right_or_name_the_slip(executed, name):
    book, seen = executed(name)
    for index, cell in exercises(book):
        task = cell.metadata["glassnet"]["exercise"]
        blank, wrong = (text_of(outputs) for outputs in seen[index])
        right = text_of(cell.outputs)
        assert "Your turn" in blank
        assert ": right" in right and "wrong" not in right, (index, right)
        assert "wrong" in wrong and task["slip"] in wrong, (index, wrong)
    shown = "\n".join(text_of(cell.outputs) for cell in book.cells if cell.cell_type == "code")
    assert re.search(r"object at 0x|Error|Traceback", shown) is None


@pytest.mark.parametrize("name", [p.stem for p in LESSONS])
def test_every_figure_a_lesson_draws_has_its_alternative_text(executed, name):
    # The lessons' HTML (make lessons) gives each picture its cell's "alt": a figure
    # added without one would reach a reader of a screen reader as "no description".
    book, _ = executed(name)
    pictures = ("image/png", "image/svg+xml", "image/jpeg")
    drawn = [
        index
        for index, cell in enumerate(book.cells)
        if cell.cell_type == "code"
        and any(kind in output.get("data", {}) for output in cell.outputs for kind in pictures)
    ]
    lacking = [index for index in drawn if len(book.cells[index].metadata.get("alt", "")) < 40]
    assert lacking == [], f"cells {lacking} of {name} draw a figure without an alt text"


def test_lesson_1_shows_tutorial_000s_numbers(executed):
    book, _ = executed("01-one-neuron")
    shown = "\n".join(text_of(cell.outputs) for cell in book.cells if cell.cell_type == "code")
    for number in ("0.11", "0.5274723043445937", "-0.4725276956554063", "0.24924527249399803",
                   "-0.03533258827937781", "-0.058887647132296356", "0.2353325882793778",
                   "0.15888764713229636"):  # fmt: skip
        assert number in shown
    html = [o.data["text/html"] for c in book.cells if c.cell_type == "code" for o in c.outputs
            if "text/html" in o.get("data", {})]  # fmt: skip
    assert any('class="glassnet-trace"' in page for page in html)
    markdown = [o.data["text/markdown"] for c in book.cells if c.cell_type == "code"
                for o in c.outputs if "text/markdown" in o.get("data", {})]  # fmt: skip
    assert any(r"\frac{\partial E}" in page for page in markdown)
    assert any(
        "image/svg+xml" in o.get("data", {}) for c in book.cells for o in c.get("outputs", [])
    )


def test_lesson_2_reproduces_tutorial_001_and_says_why_the_page_cannot_be(executed):
    book, _ = executed("02-single-layer")
    shown = "\n".join(text_of(cell.outputs) for cell in book.cells if cell.cell_type == "code")
    assert "[1, 0, 0] -> 0.0593   [0, 1, 0] -> 0.9618" in shown
    assert "as printed:    0.0226 0.9878" in shown
    assert "the page:      0.0103 0.9944" in shown


def test_lesson_3_shows_tutorial_002s_weights_and_a_textbook_table(executed):
    book, _ = executed("03-perceptron")
    shown = "\n".join(text_of(cell.outputs) for cell in book.cells if cell.cell_type == "code")
    assert "1 [ 0.49671415 -0.0382643 ] 1 0.5" in shown
    assert "2 [0.49671415 0.0617357 ] 1 0.5" in shown
    assert "3 [0.49671415 0.0617357 ] 0 0.0" in shown
    assert "converged at epoch 5" in shown  # Negnevitsky's AND, final weights (0.1, 0.1)
