"""``glassnet demo`` and ``glassnet plot`` as the command line sees them: options that do not
go together, and the plotting library's refusals as one-line data errors
(glassnet.cli.pictures; the pictures themselves are tested in tests/plot)."""

from __future__ import annotations

import json
import os

import pytest

from glassnet.cli.main import main


def test_demo_json_prints_every_demo(capsys):
    assert main(["demo", "neuron", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["neuron"] and result["neuron"]["a"] == 0.5274723043445937


def test_demo_pictures_go_with_the_text_output(tmp_path, monkeypatch, capsys, one_line_error):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "neuron", "--format", "json", "--pictures", "pics"]) == 2
    one_line_error(capsys.readouterr().err, "--pictures goes with the text output")
    assert os.listdir(tmp_path) == []


def test_demo_pictures_into_a_file_are_refused_before_any_demo(tmp_path, monkeypatch, capsys,
                                                               one_line_error):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["demo", "--pictures", "notes.txt"]) == 2
    captured = capsys.readouterr()
    one_line_error(captured.err, "--pictures notes.txt is a file, not a folder")
    assert captured.out == ""  # no demo ran
    assert (tmp_path / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["loss", "--example", "or", "--log-scale"], "a perceptron's errors reach 0"),
        (["loss", "--example", "xor", "--metric", "bogus"], "the history has no metric 'bogus'"),
        (["boundary", "--example", "or", "--out", "x.jpg"], "unknown picture format"),
    ],
)  # fmt: skip
def test_a_value_the_plots_refuse_is_a_data_error(args, message, tmp_path, monkeypatch, capsys,
                                                  one_line_error):  # fmt: skip
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    if "--out" not in args:
        args = [*args, "--out", "x.png"]
    assert main(["plot", *args]) == 1
    one_line_error(capsys.readouterr().err, message)
    assert os.listdir(tmp_path) == []
