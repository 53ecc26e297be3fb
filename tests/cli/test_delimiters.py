"""Semicolon- and tab-separated files through every command that reads CSV: the delimiter
found and said on standard error, --delimiter to give it (glassnet.cli.rows.read_csv)."""

from __future__ import annotations

import json

import pytest

from glassnet.cli.main import main

OR_ROWS = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1]]


@pytest.fixture
def separated(tmp_path, monkeypatch):
    """or.csv written with a comma, semi.csv with semicolons, tabs.csv with tabs."""
    monkeypatch.chdir(tmp_path)
    for name, delimiter in (("or.csv", ","), ("semi.csv", ";"), ("tabs.csv", "\t")):
        lines = [delimiter.join(["a", "b", "y"])] + [delimiter.join(map(str, r)) for r in OR_ROWS]
        (tmp_path / name).write_text("\n".join(lines) + "\n")
    return tmp_path


def test_the_issue_s_semicolon_file_trains_and_says_its_delimiter(separated, capsys):
    # Before: "no column named 'y'; the columns are ['a;b;y']".
    assert main(["perceptron", "semi.csv", "--target", "y", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "glassnet: read semi.csv: 4 rows, 3 columns, delimiter ';'\n"
    assert json.loads(captured.out)["features"] == ["a", "b"]


@pytest.mark.parametrize("name, shown", [("semi.csv", "';'"), ("tabs.csv", "tab")])
def test_every_command_reads_a_separated_file_as_its_comma_twin(separated, capsys, name, shown):
    note = f"glassnet: read {name}: 4 rows, 3 columns, delimiter {shown}\n"
    assert main(["train", name, "--target", "y", "--epochs", "3", "--validation-split", "0",
                 "--quiet", "--out", "m.glassnet"]) == 0  # fmt: skip
    capsys.readouterr()  # --quiet: not even the note
    commands = [["evaluate", "m.glassnet", "{}", "--format", "json"],
                ["predict", "m.glassnet", "{}", "--proba"],
                ["trace", "m.glassnet", "{}", "--row", "1", "--format", "json"],
                ["perceptron", "{}", "--target", "y", "--format", "json"]]  # fmt: skip
    for command in commands:
        assert main([word.format("or.csv") for word in command]) == 0
        commas = capsys.readouterr()
        assert commas.err == ""  # a comma is said only with --verbose
        assert main([word.format(name) for word in command]) == 0
        other = capsys.readouterr()
        assert other.err == note, command
        assert other.out == commas.out.replace("or.csv", name), command


def test_quiet_silences_the_note_and_verbose_says_it_for_commas_too(separated, capsys):
    assert main(["perceptron", "semi.csv", "--target", "y", "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert main(["perceptron", "or.csv", "--target", "y", "--verbose"]) == 0
    assert capsys.readouterr().err == "glassnet: read or.csv: 4 rows, 3 columns, delimiter ','\n"


def test_a_delimiter_given_is_used_and_not_said_again(separated, capsys):
    (separated / "pipes.csv").write_text("a|b|y\n0|0|0\n0|1|1\n1|0|1\n1|1|1\n")
    assert main(["perceptron", "pipes.csv", "--target", "y", "--delimiter", "|"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "features ['a', 'b']" in captured.out
    assert main(["perceptron", "tabs.csv", "--target", "y", "--delimiter", "tab", "-q"]) == 0


# ``refused`` runs in the shared workspace: these name the files by their full paths.
def test_a_wrong_delimiter_names_the_column_and_what_the_header_holds(separated, refused):
    refused(["perceptron", str(separated / "semi.csv"), "--target", "y", "--delimiter", ","], 1,
            "semi.csv: no column named 'y'; the columns are ['a;b;y'] (one column, whose "
            "name holds ';': the file may be ';'-separated)")  # fmt: skip


def test_a_delimiter_that_cannot_separate_numbers_is_a_usage_error(separated, refused):
    refused(["perceptron", str(separated / "semi.csv"), "--target", "y", "--delimiter", "."], 2,
            "argument --delimiter: must be one character that cannot be part of a "
            "number")  # fmt: skip


def test_errors_in_a_semicolon_file_name_the_file_row_and_column(separated, refused):
    (separated / "bad.csv").write_text("a;b;y\n0;0;0\n0;x;1\n")
    refused(["perceptron", str(separated / "bad.csv"), "--target", "y"], 1,
            "bad.csv: row 3, column 'b': 'x' is not a number; feature columns must be "
            "numbers")  # fmt: skip


def test_a_training_log_with_semicolons_draws(separated, capsys):
    pytest.importorskip("matplotlib")
    (separated / "log.csv").write_text("epoch;loss\n1;0.5\n2;0.25\n")
    assert main(["plot", "loss", "--history", "log.csv", "--out", "loss.png"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "glassnet: read log.csv: 2 rows, 2 columns, delimiter ';'\n"
    assert captured.out == "wrote loss.png\n" and (separated / "loss.png").stat().st_size > 0
