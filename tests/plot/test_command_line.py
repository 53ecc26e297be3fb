"""The pictures from the command line: ``glassnet plot`` and the demo's pictures."""

import os
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from PIL import Image  # noqa: E402

import glassnet as gn  # noqa: E402
from glassnet import plot  # noqa: E402
from glassnet.cli.main import main  # noqa: E402
from glassnet.datasets import logic_gate, make_blobs  # noqa: E402


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def test_cli_draws_an_example(tmp_path, capsys, gif_frames):
    out = tmp_path / "xor.png"
    assert main(["plot", "boundary", "--example", "xor", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size[0] > 300
    for kind, name, extra in (("loss", "loss.svg", ["--metric", "accuracy", "--log"]),
                              ("network", "net.png", ["--x", "1,0"]),
                              ("animation", "or.gif", [])):  # fmt: skip
        example = "or" if kind == "animation" else "xor"
        args = ["plot", kind, "--example", example, "--out", str(tmp_path / name), *extra]
        assert main(args) == 0, capsys.readouterr().err
    assert sorted(os.listdir(tmp_path)) == ["loss.svg", "net.png", "or.gif", "xor.png"]
    assert len(gif_frames(tmp_path / "or.gif")) == 4


def test_cli_draws_a_model_file_with_its_data(tmp_path, capsys):
    X, labels = make_blobs(60, centers=3, n_features=3, seed=2)
    y = np.array(["ant", "bee", "cat"])[labels]
    data = tmp_path / "bugs.csv"
    rows = [f"{a},{b},{c},{label}" for (a, b, c), label in zip(X, y, strict=True)]
    data.write_text("width,height,depth,kind\n" + "\n".join(rows) + "\n")
    network = gn.Network([gn.Dense(3, 6, "tanh"), gn.Dense(6, 3, "softmax")],
                         loss="crossentropy", seed=0)  # fmt: skip
    network.fit(X, y, epochs=50, learning_rate=0.05, optimizer="adam")
    model = tmp_path / "bugs.glassnet"
    gn.save(network, model)
    out = tmp_path / "bugs.png"
    args = ["plot", "boundary", "--model", str(model), "--data", str(data), "--target", "kind"]
    assert main([*args, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "3 feature columns (width, height, depth); choose the two to draw with --features" in err
    assert main([*args, "--features", "0,2", "--out", str(out)]) == 0
    assert out.exists()
    assert main(["plot", "network", "--model", str(model), "--out", str(tmp_path / "n.png")]) == 0


def test_cli_draws_a_training_log(tmp_path):
    X, y = logic_gate("XOR")
    network = gn.Network([gn.Dense(2, 4, "tanh"), gn.Dense(4, 1, "sigmoid")],
                         loss="binary_crossentropy", seed=0)  # fmt: skip
    log = tmp_path / "log.csv"
    network.fit(X, y, epochs=30, learning_rate=0.5, callbacks=[gn.CSVLogger(log)])
    out = tmp_path / "loss.png"
    assert main(["plot", "loss", "--history", str(log), "--metric", "accuracy",
                 "--out", str(out)]) == 0  # fmt: skip
    assert out.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["plot", "boundary", "--out", "x.png"], 2, "give one of --model FILE, --example NAME"),
        (["plot", "loss", "--model", "m.glassnet", "--out", "x.png"], 2, "--history LOG.csv"),
        (["plot", "network", "--example", "or", "--out", "x.png"], 2, "this is a Perceptron"),
        (["plot", "boundary", "--example", "or", "--out", "x.jpg"], 1, "unknown picture format"),
        (["plot", "animation", "--example", "or", "--out", "x.png"], 1, "end the name in .gif"),
        (["plot", "boundary", "--example", "or", "--features", "0", "--out", "x.png"], 2,
         "expected two column numbers"),
        (["plot", "boundary", "--example", "or", "--features", "0,2", "--out", "x.png"], 2,
         "--features 0,2: give two different column numbers from 0 to 1; the model has 2 "
         "inputs"),
        (["plot", "network", "--example", "xor", "--x", "1", "--out", "x.png"], 2,
         "--x gives 1 value; the model takes 2 inputs"),
        (["plot", "boundary", "--model", "missing.glassnet", "--data", "d.csv",
          "--out", "x.png"], 1, "missing.glassnet: no such file"),
    ],
)  # fmt: skip
def test_cli_plot_errors_are_one_line(args, code, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(args) == code
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("kind", "out", "message"),
    [
        ("boundary", "missing/s.png", "missing/s.png: the folder missing does not exist"),
        ("boundary", ".", ".: is a folder; name the picture's file, such as ./picture.png"),
        ("animation", "missing/s.gif", "missing/s.gif: the folder missing does not exist"),
    ],
)
def test_cli_plot_refuses_a_bad_picture_path_before_training(kind, out, message, tmp_path,
                                                              monkeypatch, capsys):  # fmt: skip
    def train(*args, **kwargs):
        raise AssertionError("the example was trained before the path was checked")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(plot, "example", train)
    assert main(["plot", kind, "--example", "spirals", "--out", out]) == 1
    error = capsys.readouterr().err
    assert error == f"glassnet: error: {message}\n"
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("epoch,accuracy\n1,0.5\n", "log.csv: no 'loss' column; expected a training log"),
        ("epoch,loss\n1,0.5\n1.5,0.4\n", "row 3, column 'epoch': 1.5 does not follow on; a log"),
        ("epoch,loss\n2,0.5\n1,0.4\n", "row 3, column 'epoch': 1 does not follow on"),
        ("epoch,loss\n0,0.5\n", "row 2, column 'epoch': 0 does not follow on"),
        ("epoch,loss\n1,high\n", "row 2, column 'loss': 'high' is not a number; a log's columns"),
    ],
)
def test_cli_refuses_a_training_log_it_cannot_draw_as_one(text, message, tmp_path, capsys):
    log = tmp_path / "log.csv"
    log.write_text(text)
    assert main(["plot", "loss", "--history", str(log), "--out", str(tmp_path / "l.png")]) == 1
    error = capsys.readouterr().err
    assert message in error and len(error.splitlines()) == 1
    assert os.listdir(tmp_path) == ["log.csv"]


def test_cli_refuses_a_log_scale_for_a_log_with_a_loss_of_zero(tmp_path, capsys):
    log = tmp_path / "log.csv"
    log.write_text("epoch,loss\n1,0.5\n2,0\n")
    out = tmp_path / "loss.png"
    assert main(["plot", "loss", "--history", str(log), "--log-scale", "--out", str(out)]) == 1
    assert capsys.readouterr().err == (
        "glassnet: error: log scale: the loss of epoch 2 is 0, which has no logarithm; "
        "draw the loss on a linear scale\n"
    )
    assert not out.exists()


def test_demo_writes_its_pictures_and_names_the_folder_last(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    line = last_line(capsys.readouterr().out)
    assert line.endswith("written to glassnet-demo")
    names = ["or_boundary.png", "or_loss.png", "xor_boundary.png", "xor_loss.png",
             "xor_network.png", "or_training.gif"]  # fmt: skip
    assert sorted(os.listdir(tmp_path / "glassnet-demo")) == sorted(names)
    assert all(name in line for name in names)
    assert main(["demo", "neuron"]) == 0  # one demo: no pictures unless asked
    assert "Pictures" not in capsys.readouterr().out


def test_demo_without_matplotlib_says_how_to_get_the_pictures(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    assert main(["demo", "perceptron-or", "--pictures", "pics"]) == 0
    assert "pip install 'glassnet[plot]'" in last_line(capsys.readouterr().out)
    assert os.listdir(tmp_path) == []
    assert main(["plot", "boundary", "--example", "or", "--out", "or.png"]) == 2
    assert "pip install 'glassnet[plot]'" in capsys.readouterr().err
