"""``glassnet perceptron`` (glassnet.cli.perceptron): its epoch table, JSON and model file, and
the textbooks' settings: --threshold, --step-at-zero, --rule, --band, --weights, --bias,
--arithmetic and --rows."""

from __future__ import annotations

import json

import pytest

import glassnet as gn
from glassnet.cli.main import main

# Negnevitsky's AND (tests/engine/test_perceptron_textbook.py has the book's rows).
NEGNEVITSKY = ["perceptron", "and.csv", "--target", "y", "--no-bias", "--weights", "0.3,-0.1",
               "--threshold", "0.2", "--step-at-zero", "1", "--mode", "online",
               "--learning-rate", "0.1"]  # fmt: skip
# Fausett's AND: binary inputs, bipolar targets, in the book's order.
FAUSETT = ["perceptron", "fausett_and.csv", "--target", "t", "--rule", "fausett", "--band",
           "0.2", "--learning-rate", "1", "--weights", "0,0", "--bias", "0", "--mode",
           "online"]  # fmt: skip


def test_perceptron_table_json_and_model(inside, capsys):
    assert main(["perceptron", "or.csv", "--target", "y"]) == 0
    text = capsys.readouterr().out
    # A heading, the rule's three lines (rule, output, arithmetic), then the epoch table.
    assert text.splitlines()[1].startswith("Rosenblatt's rule, batch (once per epoch)")
    assert text.splitlines()[4].split() == ["epoch", "weights", "bias", "errors", "RMSE"]
    assert "converged at epoch" in text
    assert main(["perceptron", "xor.csv", "--target", "y", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["converged"] is False and "not linearly separable" in result["message"]
    assert all(epoch["errors"] > 0 for epoch in result["epochs"])
    model = gn.load("or.glassnet")
    assert isinstance(model, gn.Perceptron) and model.converged
    assert main(["evaluate", "or.glassnet", "or.csv", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == 1.0


def test_the_perceptron_table_is_aligned(inside, capsys):
    assert main(["perceptron", "or.csv", "--target", "y", "--no-bias"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header, rows = lines[4], lines[5:-1]
    assert lines[-1].startswith("converged at epoch") and len(rows) >= 2
    starts = [header.index(name) for name in ("weights", "bias", "errors", "RMSE")]
    for line in rows:
        # Each cell starts under its column's name, two spaces after the cell before it.
        assert all(line[start - 2 : start] == "  " and line[start] != " " for start in starts)
        assert line == line.rstrip()


@pytest.fixture
def books(inside, write_csv):
    """and.csv (0/1 targets) and fausett_and.csv (bipolar) in the workspace."""
    write_csv(inside / "and.csv", ["x1", "x2", "y"], [[0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 1, 1]])
    write_csv(inside / "fausett_and.csv", ["x1", "x2", "t"],
              [[1, 1, 1], [1, 0, -1], [0, 1, -1], [0, 0, -1]])  # fmt: skip
    return inside


def test_negnevitsky_table_row_by_row_from_the_command_line(books, capsys):
    assert main([*NEGNEVITSKY, "--rows"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("Rosenblatt's rule, online (after each sample), alpha = 0.1")
    assert lines[2].startswith("z = w . x - theta (theta = 0.2, fixed), no bias; "
                               "step(z) = 1 if z >= 0 else 0")  # fmt: skip
    assert lines[3].startswith("arithmetic: exact")
    rows = [line.split() for line in lines if line[:1].isdigit()]
    assert len(rows) == 20  # five epochs of four rows
    # epoch 2, row (1, 1): z = 0.2 + 0 - 0.2 = 0 exactly, step(0) = 1 = the target: no change.
    assert rows[7] == ["2", "1", "1", "1", "0.2", "0", "0", "1", "0", "0", "0", "0.2", "0"]
    assert rows[-1][-2:] == ["0.1", "0.1"]  # the book's final weights
    assert lines[-1] == "converged at epoch 5: every sample is classified right"


def test_fausett_rows_as_json(books, capsys):
    assert main([*FAUSETT, "--rows", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    settings = {"rule": "fausett", "activation": "sign", "threshold": 0.0, "step_at_zero": 0,
                "band": 0.2, "arithmetic": "exact"}  # fmt: skip
    assert result["settings"] == settings
    rows = result["rows"]
    assert len(rows) == 40 and result["converged"] is True  # ten epochs of four rows
    # Epoch 1, row 1: z = 0 lies in the band, y = 0 != t = 1: w, b += 1 * 1 * (1, 1, 1).
    assert rows[0]["z"] == 0 and rows[0]["output"] == 0 and rows[0]["corrections"] == [1, 1]
    assert (rows[-1]["weights_after"], rows[-1]["bias_after"]) == ([2, 3], -4)


def test_the_model_file_keeps_the_textbook_settings(books, capsys):
    assert main([*NEGNEVITSKY, "--out", "negnevitsky.glassnet"]) == 0
    model = gn.load("negnevitsky.glassnet")
    assert (model.threshold, model.step_at_zero, model.rule, model.band) == (0.2, 1, "rosenblatt",
                                                                            0.0)  # fmt: skip
    assert model.weights.tolist() == [0.1, 0.1] and model.bias is None
    # (1, 1): z = 0.1 + 0.1 - 0.2 = 0, and step(0) = 1 as on the page.
    assert model.predict([[1, 1], [1, 0]]).tolist() == [1, 0]
    capsys.readouterr()
    assert main(["evaluate", "negnevitsky.glassnet", "and.csv", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == 1.0


def test_and_without_a_bias_is_told_to_add_one(books, capsys):
    assert (
        main(["perceptron", "and.csv", "--target", "y", "--no-bias", "--weights", "0.5,0.5"]) == 0
    )
    text = capsys.readouterr().out
    assert "no line through the origin separates these classes; a line with a bias does" in text
    assert "Evidence: [1, 1] = [0, 1] + [1, 0]." in text
    assert "With a bias the line 3 x1 + 2 x2 - 4 = 0 separates them" in text
    assert main(["perceptron", "xor.csv", "--target", "y", "--no-bias", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["message"].startswith("not linearly separable: no line separates these "
                                        "classes, with or without a bias")  # fmt: skip
    assert "midpoint [0.5, 0.5]" in result["evidence"]


def test_float64_leaves_the_book_at_its_first_tie(books, capsys):
    assert main([*NEGNEVITSKY, "--arithmetic", "float64", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # 0.3 - 0.1 - 0.2 = -2.8e-17 < 0 in epoch 2: another path, other final weights.
    assert result["settings"]["arithmetic"] == "float64"
    assert result["epochs"][-1]["weights"] == [0.19999999999999998, 0.1]


BAD = [
    ("negative band", ["--rule", "fausett", "--band", "-0.2"], 2,
     "--band must be a number in [0, inf), got -0.2"),
    ("unknown rule", ["--rule", "widrow"], 2, "argument --rule: invalid choice: 'widrow'"),
    ("step at zero 2", ["--step-at-zero", "2"], 2, "argument --step-at-zero: invalid choice: 2"),
    ("band without fausett", ["--band", "0.2"], 2,
     "--band=0.2 is the undecided zone of rule='fausett'"),
    ("0/1 targets for fausett", ["--rule", "fausett"], 1,
     "and.csv: column 'y': rule='fausett' wants bipolar targets -1/1, y has 0/1: map them "
     "with t = 2 * y - 1 (0 -> -1, 1 -> 1)"),
    ("bias and no bias", ["--no-bias", "--bias", "0.5"], 2, "choose one"),
    ("weights per feature", ["--weights", "1,2,3"], 2, "--weights must have shape (2,)"),
    ("step at zero under fausett", ["--rule", "fausett", "--step-at-zero", "1"], 2,
     "--step-at-zero applies to rule='rosenblatt'"),
]  # fmt: skip


@pytest.mark.parametrize("extra, code, message", [case[1:] for case in BAD],
                         ids=[case[0] for case in BAD])  # fmt: skip
def test_bad_textbook_options_are_one_line(books, refused, extra, code, message):
    refused(["perceptron", "and.csv", "--target", "y", *extra, "--out", "never.glassnet"], code,
            message)  # fmt: skip


def test_info_shows_the_textbook_settings(books, capsys):
    assert main([*NEGNEVITSKY, "--out", "negnevitsky.glassnet"]) == 0
    capsys.readouterr()
    assert main(["info", "negnevitsky.glassnet", "--format", "json"]) == 0
    architecture = json.loads(capsys.readouterr().out)["architecture"]
    assert (architecture["threshold"], architecture["step_at_zero"], architecture["rule"]) == (
        0.2, 1, "rosenblatt")  # fmt: skip
