"""``glassnet trace --format ipynb`` and ``--decimals``; ``glassnet plot graph``
(glassnet.cli.inspection, glassnet.cli.pictures)."""

from __future__ import annotations

import json
import re

import pytest

from glassnet.cli.main import main


@pytest.fixture
def small(tmp_path, write_csv, monkeypatch):
    """A 2-2-1 model trained on a small CSV, in the current folder."""
    monkeypatch.chdir(tmp_path)
    write_csv(tmp_path / "xor.csv", ["x1", "x2", "y"],
              [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]] * 3)  # fmt: skip
    assert main(["train", "xor.csv", "--target", "y", "--hidden", "2", "--epochs", "3",
                 "--out", "xor.glassnet", "--quiet"]) == 0  # fmt: skip
    return tmp_path


def test_trace_writes_the_step_as_a_notebook_that_recomputes_it(small, capsys):
    capsys.readouterr()
    assert main(["trace", "xor.glassnet", "xor.csv", "--row", "1", "--format", "ipynb",
                 "--out", "step.ipynb"]) == 0  # fmt: skip
    assert capsys.readouterr().out.startswith("wrote step.ipynb: one training step on data row 1")
    book = json.loads((small / "step.ipynb").read_text())
    assert book["nbformat"] == 4
    assert "data row 1 (counted from 0) of xor.csv" in book["cells"][0]["source"]
    code = "\n".join(cell["source"] for cell in book["cells"] if cell["cell_type"] == "code")
    namespace: dict = {}
    exec(compile(code, "step.ipynb", "exec"), namespace)  # plain NumPy: it runs as it is
    assert set(namespace["trace_numbers"]) >= {"E", "delta[2]", "dE/dW[1]", "new W[2]"}


def test_trace_rounds_to_decimal_places(small, capsys):
    capsys.readouterr()
    assert main(["trace", "xor.glassnet", "xor.csv", "--optimizer", "sgd", "--decimals", "2"]) == 0
    text = capsys.readouterr().out
    # The lines of numbers (under each formula) hold no number of more than 2 decimals.
    lines = [line for line in text.splitlines() if line.lstrip().startswith("= ")]
    numbers = re.findall(r"-?\d+\.\d+", "\n".join(lines))
    assert len(numbers) > 20 and all(len(n.split(".")[1]) <= 2 for n in numbers)
    assert main(["trace", "xor.glassnet", "xor.csv", "--optimizer", "sgd"]) == 0
    full = re.findall(r"-?\d+\.\d+", capsys.readouterr().out)
    assert any(len(n.split(".")[1]) > 6 for n in full)


@pytest.mark.parametrize("args,message", [
    (["--digits", "3", "--decimals", "3"], "give --digits (significant digits) or --decimals"),
    (["--format", "ipynb"], "--format ipynb writes a notebook: give --out STEP.ipynb"),
    (["--out", "step.ipynb"], "--out goes with --format ipynb"),
    (["--format", "ipynb", "--out", "step.txt"], "--out step.txt: a notebook's name ends in"),
])  # fmt: skip
def test_trace_output_refusals_are_one_line(small, capsys, one_line_error, args, message):
    capsys.readouterr()
    assert main(["trace", "xor.glassnet", "xor.csv", *args]) == 2
    one_line_error(capsys.readouterr().err, message)
    assert not (small / "step.ipynb").exists()


def test_plot_graph_draws_one_rows_computation_graph(small, capsys):
    pytest.importorskip("matplotlib")
    capsys.readouterr()
    assert main(["plot", "graph", "--model", "xor.glassnet", "--data", "xor.csv", "--row", "2",
                 "--out", "graph.svg"]) == 0  # fmt: skip
    assert capsys.readouterr().out == "wrote graph.svg\n"
    svg = (small / "graph.svg").read_text()
    assert svg.startswith("<svg") and "x[0,1] * W[1][1,0]" in svg and "E = " in svg
    assert main(["plot", "graph", "--model", "xor.glassnet", "--data", "xor.csv",
                 "--out", "graph.png"]) == 0  # fmt: skip
    assert (small / "graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args,message", [
    (["graph", "--model", "xor.glassnet", "--data", "xor.csv", "--row", "12"],
     "--row 12 is past the end: xor.csv has 12 data rows (rows 0 to 11)"),
    (["graph", "--example", "xor"], "'glassnet plot graph' draws one data row through a model"),
    (["network", "--example", "xor", "--row", "1"], "--row N is for 'glassnet plot graph'"),
])  # fmt: skip
def test_plot_graph_refusals_are_one_line(small, capsys, one_line_error, args, message):
    pytest.importorskip("matplotlib")
    capsys.readouterr()
    assert main(["plot", *args, "--out", "graph.svg"]) == 2
    one_line_error(capsys.readouterr().err, message)
    assert not (small / "graph.svg").exists()


def test_demo_prints_the_tutorials_numbers_to_decimal_places(capsys):
    assert main(["demo", "neuron", "--decimals", "4"]) == 0
    text = capsys.readouterr().out
    assert "  = 0.5275\n" in text and "= -0.0353\n" in text and "0.5274723" not in text.split(
        "Where the tutorial differs")[0]  # fmt: skip
    assert main(["demo", "single-layer", "--decimals", "4"]) == 0
    assert "prediction for [1, 0, 0]: 0.0593  (close to 0)" in capsys.readouterr().out
    assert main(["demo", "perceptron-or", "--decimals", "2"]) == 0
    assert "  1  [0.5, -0.04]" in capsys.readouterr().out
    assert main(["demo", "neuron", "--format", "json", "--decimals", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["neuron"]["a"] == 0.5274723043445937
