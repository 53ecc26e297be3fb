"""What --quiet and --verbose do, command by command: quiet leaves only the results (and the
warnings and errors), verbose adds detail (glassnet.cli; each command's --help says it)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from glassnet.cli.main import main

TRAIN = ["train", "or.csv", "--target", "y", "--epochs", "4", "--validation-split", "0"]
READ_OR = "glassnet: read or.csv: 4 rows, 3 columns, delimiter ','\n"


def run(args, capsys):
    assert main(args) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_train_quiet_prints_the_figures_alone_and_no_progress(inside, capsys):
    out, err = run([*TRAIN, "--quiet", "--out", "q.glassnet"], capsys)
    assert out.split() == ["loss", "accuracy", "training", *out.split()[3:5]] and err == ""
    assert len(out.splitlines()) == 2 and os.path.exists("q.glassnet")
    os.remove("q.glassnet")


def test_train_default_reports_and_shows_progress(inside, capsys):
    out, err = run([*TRAIN, "--out", "d.glassnet"], capsys)
    assert out.startswith("or.csv: 4 rows, 2 feature columns") and "saved d.glassnet" in out
    assert "epoch 4/4" in err and "glassnet: read" not in err
    assert "took" not in out
    os.remove("d.glassnet")


def test_train_verbose_adds_what_was_read_every_epoch_and_the_times(inside, capsys):
    out, err = run([*TRAIN, "--verbose", "--out", "v.glassnet"], capsys)
    assert err.startswith(READ_OR)
    lines = out.splitlines()
    start = lines.index(next(line for line in lines if line.split() == ["epoch", "loss",
                                                                         "accuracy"]))  # fmt: skip
    assert [line.split()[0] for line in lines[start + 1 : start + 6]] == ["0", "1", "2", "3", "4"]
    assert re.search(r"^took \S+ s to read, \S+ s to train, \S+ s to evaluate and save$", out,
                     re.MULTILINE)  # fmt: skip
    assert "saved v.glassnet" in out
    os.remove("v.glassnet")


def test_perceptron_quiet_keeps_the_table_and_the_verdict(inside, capsys):
    default, _ = run(["perceptron", "or.csv", "--target", "y", "--out", "p.glassnet"], capsys)
    quiet, err = run(["perceptron", "or.csv", "--target", "y", "-q", "--out", "p.glassnet"],
                     capsys)  # fmt: skip
    assert err == ""
    assert quiet.splitlines()[0].split() == ["epoch", "weights", "bias", "errors", "RMSE"]
    assert "converged at epoch" in quiet and quiet in default  # what is left is the default's
    for gone in ("perceptron on or.csv", "Rosenblatt's rule", "saved p.glassnet"):
        assert gone in default and gone not in quiet
    rows, _ = run(["perceptron", "or.csv", "--target", "y", "--rows", "-q"], capsys)
    assert rows.splitlines()[0].split()[:2] == ["epoch", "sample"]  # the books' rows, no rule
    assert "Rosenblatt's rule" not in rows and "converged at epoch" in rows
    os.remove("p.glassnet")


def test_perceptron_verbose_says_what_was_read_and_the_time(inside, capsys):
    out, err = run(["perceptron", "or.csv", "--target", "y", "-v"], capsys)
    assert err == READ_OR
    assert re.search(r"^trained \d+ epochs in \S+ s$", out, re.MULTILINE)


def test_evaluate_quiet_drops_the_heading_verbose_adds_the_layers(inside, capsys):
    default, _ = run(["evaluate", "blobs.glassnet", "blobs.csv"], capsys)
    quiet, err = run(["evaluate", "blobs.glassnet", "blobs.csv", "--quiet"], capsys)
    assert default.startswith("blobs.glassnet on blobs.csv (90 rows)\n")
    assert quiet == default.split("\n", 1)[1] and err == ""
    verbose, err = run(["evaluate", "blobs.glassnet", "blobs.csv", "--verbose"], capsys)
    assert err == "glassnet: read blobs.csv: 90 rows, 4 columns, delimiter ','\n"
    assert "total parameters: 59" in verbose and verbose.endswith(default)


def test_predict_quiet_is_the_predictions_verbose_counts_them_on_stderr(inside, capsys):
    default, _ = run(["predict", "blobs.glassnet", "blobs.csv"], capsys)
    quiet, err = run(["predict", "blobs.glassnet", "blobs.csv", "-q"], capsys)
    assert quiet == default and err == ""
    verbose, err = run(["predict", "blobs.glassnet", "blobs.csv", "-v"], capsys)
    assert verbose == default
    assert err.splitlines() == [
        "glassnet: read blobs.csv: 90 rows, 4 columns, delimiter ','",
        "glassnet: predicted 90 rows, 1 columns (label), to standard output",
    ]


def test_trace_quiet_is_the_step_alone_verbose_adds_the_layers_on_stderr(inside, capsys):
    default, _ = run(["trace", "blobs.glassnet", "blobs.csv", "--row", "2"], capsys)
    quiet, err = run(["trace", "blobs.glassnet", "blobs.csv", "--row", "2", "-q"], capsys)
    assert default.startswith("one training step on data row 2") and err == ""
    assert quiet == default.split("\n\n", 1)[1]
    verbose, err = run(["trace", "blobs.glassnet", "blobs.csv", "--row", "2", "-v"], capsys)
    assert verbose == default and "total parameters: 59" in err


def test_info_quiet_is_the_layers_and_figures_verbose_adds_the_diagnostics(inside, capsys):
    default, _ = run(["info", "blobs.glassnet"], capsys)
    quiet, _ = run(["info", "blobs.glassnet", "--quiet"], capsys)
    verbose, _ = run(["info", "blobs.glassnet", "--verbose"], capsys)
    assert default.startswith("blobs.glassnet: a glassnet Network")
    assert quiet.startswith("layer  type") and "trained with" not in quiet
    assert "training" in quiet.splitlines()[-2] or "validation" in quiet.splitlines()[-1]
    assert verbose.startswith(default.rstrip("\n")) and "diagnostics:" in verbose
    assert "diagnostics:" not in default


def test_lessons_quiet_says_nothing_verbose_names_each_file(tmp_path, capsys):
    out, _ = run(["lessons", str(tmp_path / "q"), "--quiet"], capsys)
    copied = sorted(os.listdir(tmp_path / "q"))
    assert out == "" and copied and all(name.endswith(".ipynb") for name in copied)
    out, _ = run(["lessons", str(tmp_path / "v"), "--verbose"], capsys)
    named = [line.removeprefix("copied ") for line in out.splitlines() if line.startswith("copied")]
    assert named == [str(tmp_path / "v" / name) for name in copied]


def test_plot_quiet_says_nothing_verbose_gives_the_size(tmp_path, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    out, _ = run(["plot", "boundary", "--example", "or", "--out", "q.png", "-q"], capsys)
    assert out == "" and Path("q.png").stat().st_size > 0
    out, _ = run(["plot", "boundary", "--example", "or", "--out", "v.png", "-v"], capsys)
    assert out == f"wrote v.png ({Path('v.png').stat().st_size:,} bytes)\n"


def test_demo_quiet_draws_the_pictures_without_a_word_verbose_names_them(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out, _ = run(["demo", "neuron", "--pictures", str(tmp_path / "q"), "-q"], capsys)
    assert "Pictures" not in out and os.listdir(tmp_path / "q")
    out, _ = run(["demo", "neuron", "--pictures", str(tmp_path / "v"), "-v"], capsys)
    listed = out.split(f"Pictures written to {tmp_path / 'v'}:\n")[1].splitlines()
    assert sorted(listed) == sorted(str(tmp_path / "v" / name)
                                    for name in os.listdir(tmp_path / "v"))  # fmt: skip


def test_export_quiet_says_nothing_verbose_gives_the_outputs(inside, capsys):
    pytest.importorskip("onnx")
    out, _ = run(["export", "blobs.glassnet", "--out", "q.onnx", "-q"], capsys)
    assert out == "" and os.path.getsize("q.onnx") > 0
    out, _ = run(["export", "blobs.glassnet", "--out", "v.onnx", "-v"], capsys)
    size = os.path.getsize("v.onnx")
    assert (
        out.splitlines()[1] == f"outputs: label and probabilities; 3 output columns; {size:,} bytes"
    )
    os.remove("q.onnx")
    os.remove("v.onnx")


def test_playground_verbose_names_the_page_s_files(monkeypatch, capsys):
    import glassnet.playground.server as server

    served = []
    monkeypatch.setattr(server, "serve", lambda port, open_browser: served.append(port))
    assert main(["playground", "--quiet"]) == 0 and capsys.readouterr().out == ""
    assert main(["playground", "--verbose"]) == 0 and served == [0, 0]
    out = capsys.readouterr().out
    folder = out.removeprefix("the page's files: ").split(";")[0]
    assert os.path.isfile(os.path.join(folder, "index.html")), out


def test_completion_verbose_says_how_to_install_it(capsys):
    out, err = run(["completion", "bash", "--verbose"], capsys)
    assert out.startswith("# bash completion for glassnet")
    assert err == 'to install it: add  eval "$(glassnet completion bash)"  to ~/.bashrc\n'
    quiet, err = run(["completion", "bash", "--quiet"], capsys)
    assert quiet == out and err == ""
