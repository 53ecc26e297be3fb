"""The command line on CSV files: in-process through ``main`` and through the real script."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import glassnet as gn
from glassnet.cli.main import main
from glassnet.modelfile import read as read_model_file

SCRIPT = Path(sys.executable).with_name("glassnet")
FEATURES = ["x1", "x2", "x3"]


def _write_csv(path: Path, header: list[str], rows) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """CSV files good and bad, and models trained from them, in one folder."""
    folder = tmp_path_factory.mktemp("cli")
    rng = np.random.default_rng(0)
    centres = np.array([[0.0, 0.0, 0.0], [4.0, 4.0, 0.0], [0.0, 4.0, 4.0]])
    names = np.array(["red", "green", "blue"])
    which = np.arange(90) % 3
    X = centres[which] + rng.normal(scale=0.6, size=(90, 3))
    _write_csv(
        folder / "blobs.csv",
        [*FEATURES, "label"],
        [[*map(repr, x.tolist()), label] for x, label in zip(X, names[which], strict=True)],
    )
    _write_csv(
        folder / "reordered.csv",
        ["x3", "label", "x1", "x2"],
        [
            [repr(float(x[2])), label, repr(float(x[0])), repr(float(x[1]))]
            for x, label in zip(X, names[which], strict=True)
        ],
    )
    _write_csv(
        folder / "features_only.csv", FEATURES, [list(map(repr, x.tolist())) for x in X[:10]]
    )
    _write_csv(folder / "missing_column.csv", ["x1", "x3"], [[1, 2]])
    _write_csv(folder / "extra_column.csv", [*FEATURES, "id"], [[1, 2, 3, 4]])
    _write_csv(folder / "unseen_label.csv", [*FEATURES, "label"], [[1, 2, 3, "purple"]])
    _write_csv(folder / "one_class.csv", ["x1", "label"], [[i, "red"] for i in range(5)])
    values = rng.uniform(-1, 1, size=(80, 2))
    _write_csv(
        folder / "values.csv",
        ["u", "v", "y"],
        [[repr(u), repr(v), repr(2 * u - v + 0.5)] for u, v in values.tolist()],
    )
    _write_csv(folder / "or.csv", ["a", "b", "y"], [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    _write_csv(folder / "xor.csv", ["a", "b", "y"], [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]])
    (folder / "empty.csv").write_text("")
    (folder / "header_only.csv").write_text("x1,x2,label\n")
    (folder / "ragged.csv").write_text("x1,x2,label\n1,2,red\n3,blue\n")
    (folder / "text_cell.csv").write_text("x1,x2,label\n1,2,red\n3,abc,blue\n")
    (folder / "nan.csv").write_text("x1,x2,label\n1,2,red\n3,4,blue\nnan,5,red\n")
    (folder / "inf.csv").write_text("x1,x2,label\n1,inf,red\n3,4,blue\n")
    (folder / "not_a_model.glassnet").write_text("x1,x2\n1,2\n")
    (folder / "blank_lines.csv").write_text("x1,x2,label\n1,2,red\n\n3,oops,blue\n")
    (folder / "blank_then_nan.csv").write_text("x1,x2,label\n\n1,2,red\n\nnan,4,blue\n")
    (folder / "unseen_after_blank.csv").write_text("x1,x2,x3,label\n1,2,3,red\n\n1,2,3,purple\n")
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        assert (
            main(
                [
                    "train",
                    "blobs.csv",
                    "--target",
                    "label",
                    "--hidden",
                    "8",
                    "--epochs",
                    "60",
                    "--standardize",
                    "--quiet",
                    "--out",
                    "blobs.glassnet",
                ]
            )
            == 0
        )
        assert main(["perceptron", "or.csv", "--target", "y", "--out", "or.glassnet"]) == 0
        with (
            zipfile.ZipFile("blobs.glassnet") as good,
            zipfile.ZipFile("tampered.glassnet", "w") as tampered,
        ):
            for name in good.namelist():
                content = good.read(name)
                if name == "model.json":
                    document = json.loads(content)
                    document["metadata"]["features"] = [1, 2, 3]
                    content = json.dumps(document).encode()
                tampered.writestr(name, content)
    finally:
        os.chdir(cwd)
    return folder


@pytest.fixture
def inside(workspace, monkeypatch) -> Path:
    monkeypatch.chdir(workspace)
    return workspace


def run_script(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    if not SCRIPT.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _predictions(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# ---------------------------------------------------------------------- what works
def test_train_reports_figures_and_saves_a_loadable_model(inside, capsys):
    code = main(
        [
            "train",
            "blobs.csv",
            "--target",
            "label",
            "--hidden",
            "6,4",
            "--epochs",
            "30",
            "--early-stopping",
            "5",
            "--seed",
            "3",
            "--out",
            "fresh.glassnet",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "3 classes ['blue', 'green', 'red']" in captured.out
    assert "training" in captured.out and "validation" in captured.out
    assert captured.out.rstrip().endswith("saved fresh.glassnet")
    # Not a terminal: one plain progress line per epoch on standard error.
    assert "epoch  1/30 - loss:" in captured.err
    model = gn.load("fresh.glassnet")
    assert [layer.n_outputs for layer in model.dense_layers] == [6, 4, 3]
    assert model.output_layer.activation.name == "softmax"


def test_saved_model_remembers_columns_settings_and_figures(inside, capsys):
    assert main(["info", "blobs.glassnet", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["kind"] == "Network" and info["classes"] == ["blue", "green", "red"]
    metadata = info["metadata"]
    assert metadata["features"] == FEATURES and metadata["target"] == "label"
    assert metadata["training"]["epochs"] == 60 and metadata["training"]["standardize"] is True
    assert metadata["training"]["training_rows"] + metadata["training"]["validation_rows"] == 90
    assert 0.9 <= metadata["figures"]["validation"]["accuracy"] <= 1.0
    assert info["architecture"]["layers"][0]["type"] == "Standardize"
    assert main(["info", "blobs.glassnet"]) == 0
    text = capsys.readouterr().out
    assert "features (3): x1, x2, x3" in text and "Standardize" in text


def test_evaluate_prints_accuracy_and_confusion_matrix(inside, capsys):
    assert main(["evaluate", "blobs.glassnet", "blobs.csv", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    counts = np.array(result["confusion_matrix"]["counts"])
    assert result["rows"] == 90 and counts.sum() == 90
    assert result["accuracy"] == pytest.approx(np.trace(counts) / 90)
    assert result["confusion_matrix"]["labels"] == ["blue", "green", "red"]
    assert main(["evaluate", "blobs.glassnet", "blobs.csv"]) == 0
    text = capsys.readouterr().out
    assert "confusion matrix (rows: true class, columns: predicted class)" in text


def test_predict_matches_the_python_api_and_columns_are_matched_by_name(inside, capsys):
    assert main(["predict", "blobs.glassnet", "blobs.csv"]) == 0
    rows = _predictions(capsys.readouterr().out)
    data = np.loadtxt("blobs.csv", delimiter=",", skiprows=1, usecols=(0, 1, 2))
    assert rows[0] == ["label"] and len(rows) == 91
    assert [row[0] for row in rows[1:]] == gn.load("blobs.glassnet").predict(data).tolist()
    assert main(["predict", "blobs.glassnet", "reordered.csv"]) == 0
    assert _predictions(capsys.readouterr().out) == rows


def test_predict_probabilities_to_a_file(inside, capsys):
    assert (
        main(
            [
                "predict",
                "blobs.glassnet",
                "features_only.csv",
                "--proba",
                "--out",
                "predictions.csv",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == ""
    rows = _predictions(Path("predictions.csv").read_text())
    assert rows[0] == ["label", "P(blue)", "P(green)", "P(red)"] and len(rows) == 11
    probabilities = np.array([[float(p) for p in row[1:]] for row in rows[1:]])
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    labels = np.array(["blue", "green", "red"])[np.argmax(probabilities, axis=1)]
    assert [row[0] for row in rows[1:]] == labels.tolist()
    os.remove("predictions.csv")


def test_regression_float32_round_trip_through_the_files(inside, capsys):
    assert (
        main(
            [
                "train",
                "values.csv",
                "--target",
                "y",
                "--hidden",
                "0",
                "--epochs",
                "200",
                "--dtype",
                "float32",
                "--learning-rate",
                "0.05",
                "--validation-split",
                "0",
                "--quiet",
                "--out",
                "values.glassnet",
            ]
        )
        == 0
    )
    assert "(regression)" in capsys.readouterr().out
    model = gn.load("values.glassnet")
    assert model.dtype == np.float32 and model.output_layer.activation.name == "identity"
    assert main(["evaluate", "values.glassnet", "values.csv", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"loss", "mse", "mae", "r2"} and result["r2"] > 0.99
    assert main(["predict", "values.glassnet", "values.csv"]) == 0
    rows = _predictions(capsys.readouterr().out)
    data = np.loadtxt("values.csv", delimiter=",", skiprows=1, usecols=(0, 1), dtype=np.float32)
    expected = model.predict(data)[:, 0]
    assert np.array([row[0] for row in rows[1:]], dtype=np.float32).tobytes() == expected.tobytes()


def test_task_and_loss_choices(inside, capsys):
    # Two text labels: one sigmoid output with binary crossentropy.
    rows = [[i, "yes" if i > 4 else "no"] for i in range(10)]
    _write_csv(inside / "two.csv", ["x", "answer"], rows)
    assert (
        main(
            [
                "train",
                "two.csv",
                "--target",
                "answer",
                "--epochs",
                "5",
                "--quiet",
                "--validation-split",
                "0",
                "--out",
                "two.glassnet",
            ]
        )
        == 0
    )
    two = gn.load("two.glassnet")
    assert two.loss.name == "binary_crossentropy" and two.classes.tolist() == ["no", "yes"]
    # Many distinct integers are values unless --task says classes.
    _write_csv(inside / "counts.csv", ["x", "n"], [[i, i * 3] for i in range(30)])
    base = [
        "train",
        "counts.csv",
        "--target",
        "n",
        "--epochs",
        "2",
        "--quiet",
        "--out",
        "c.glassnet",
    ]
    assert main(base) == 0 and gn.load("c.glassnet").loss.name == "mse"
    assert main([*base, "--task", "classification", "--validation-split", "0"]) == 0
    assert len(gn.load("c.glassnet").classes) == 30
    capsys.readouterr()
    assert main([*base, "--task", "regression", "--loss", "crossentropy"]) == 2
    assert "needs class labels" in capsys.readouterr().err


def test_perceptron_table_json_and_model(inside, capsys):
    assert main(["perceptron", "or.csv", "--target", "y"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[1].split() == ["epoch", "weights", "bias", "errors", "RMSE"]
    assert "converged at epoch" in text
    assert main(["perceptron", "xor.csv", "--target", "y", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["converged"] is False and "not linearly separable" in result["message"]
    assert all(epoch["errors"] > 0 for epoch in result["epochs"])
    model = gn.load("or.glassnet")
    assert isinstance(model, gn.Perceptron) and model.converged
    assert main(["evaluate", "or.glassnet", "or.csv", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == 1.0


def test_trace_in_three_formats_with_a_check(inside, capsys):
    assert main(["trace", "blobs.glassnet", "blobs.csv", "--row", "2", "--digits", "4"]) == 0
    text = capsys.readouterr().out
    assert "data row 2 of blobs.csv (line 3)" in text and "standardized" in text
    assert "Forward pass" in text and "Backward pass" in text
    assert main(["trace", "blobs.glassnet", "blobs.csv", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_samples"] == 1 and result["loss_after"] < result["loss_before"]
    a = result["quantities"]["a[2]"][0][0]
    assert (
        main(
            [
                "trace",
                "blobs.glassnet",
                "blobs.csv",
                "--format",
                "markdown",
                "--check",
                f"a[2][0,0]={a}",
                "--check",
                f"E={result['loss_before'] * 2}",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "$$" in text and "right" in text and "wrong" in text
    # The trace works on a copy: the model file is unchanged.
    assert main(["trace", "blobs.glassnet", "blobs.csv", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["loss_before"] == result["loss_before"]


def test_the_real_script_trains_and_predicts(workspace, tmp_path):
    done = run_script(
        [
            "train",
            str(workspace / "or.csv"),
            "--target",
            "y",
            "--epochs",
            "3",
            "--validation-split",
            "0",
            "--out",
            str(tmp_path / "m.glassnet"),
        ],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "saved" in done.stdout and "epoch 3/3" in done.stderr
    done = run_script(["predict", "m.glassnet", str(workspace / "or.csv")], tmp_path)
    assert done.returncode == 0 and done.stdout.splitlines()[0] == "y"
    assert len(done.stdout.splitlines()) == 5


# ---------------------------------------------------------------------- bad input
OUT = "never.glassnet"
TRAIN = ["train", "--target", "label", "--out", OUT]
# Diverges in its first epoch: one row per step at a huge learning rate.
DIVERGES = "train values.csv --target y --optimizer sgd --learning-rate 1e6 --batch-size 1".split()

BAD_INPUT = [
    (
        "missing file",
        ["train", "absent.csv", "--target", "label", "--out", OUT],
        1,
        "absent.csv: no such file",
    ),
    ("empty file", [*TRAIN, "empty.csv"], 1, "empty.csv: the file is empty"),
    ("header only", [*TRAIN, "header_only.csv"], 1, "only a header row"),
    ("ragged rows", [*TRAIN, "ragged.csv"], 1, "row 3 has 2 cells but the header has 3"),
    ("text in a feature", [*TRAIN, "text_cell.csv"], 1, "row 3, column 'x2': 'abc' is not"),
    ("NaN", [*TRAIN, "nan.csv"], 1, "row 4, column 'x1': nan is not a finite number"),
    ("infinity", [*TRAIN, "inf.csv"], 1, "row 2, column 'x2': inf is not a finite number"),
    (
        "unknown target",
        ["train", "blobs.csv", "--target", "colour", "--out", OUT],
        1,
        "no column named 'colour'",
    ),
    ("one class", [*TRAIN, "one_class.csv"], 1, "'label' has a single class 'red'"),
    (
        "missing column",
        ["predict", "blobs.glassnet", "missing_column.csv", "--out", "p.csv"],
        1,
        "missing_column.csv: no column named 'x2'",
    ),
    (
        "extra column",
        ["predict", "blobs.glassnet", "extra_column.csv", "--out", "p.csv"],
        1,
        "column 'id' is not one of the model's features",
    ),
    (
        "unseen label",
        ["evaluate", "blobs.glassnet", "unseen_label.csv"],
        1,
        "row 2, column 'label': label 'purple' was not seen in training",
    ),
    (
        "not a model",
        ["predict", "not_a_model.glassnet", "blobs.csv", "--out", "p.csv"],
        1,
        "not_a_model.glassnet: not a glassnet model file",
    ),
    ("missing model", ["evaluate", "absent.glassnet", "blobs.csv"], 1, "no such file"),
    ("perceptron trace", ["trace", "or.glassnet", "or.csv"], 1, "holds a perceptron"),
    (
        "unknown activation",
        [*TRAIN, "blobs.csv", "--activation", "swish"],
        2,
        "argument --activation: invalid choice: 'swish'",
    ),
    (
        "unknown optimizer",
        [*TRAIN, "blobs.csv", "--optimizer", "adamw"],
        2,
        "argument --optimizer: invalid choice: 'adamw'",
    ),
    (
        "negative learning rate",
        [*TRAIN, "blobs.csv", "--learning-rate", "-0.1"],
        2,
        "argument --learning-rate: must be a positive number, got -0.1",
    ),
    ("zero epochs", [*TRAIN, "blobs.csv", "--epochs", "0"], 2, "argument --epochs: must be"),
    ("bad hidden", [*TRAIN, "blobs.csv", "--hidden", "8,x"], 2, "neurons per layer"),
    ("no target", ["train", "blobs.csv", "--out", OUT], 2, "--target"),
    ("unknown command", ["fit", "blobs.csv"], 2, "invalid choice: 'fit'"),
    (
        "row past the end",
        ["trace", "blobs.glassnet", "blobs.csv", "--row", "91"],
        2,
        "--row 91 is past the end: blobs.csv has 90 data rows",
    ),
    (
        "bad check",
        ["trace", "blobs.glassnet", "blobs.csv", "--check", "zz=1"],
        2,
        "--check: the trace has no quantity 'zz'",
    ),
    ("proba of values", ["predict", "or.glassnet", "or.csv", "--proba"], 2, "--proba needs"),
    (
        "folder missing",
        ["train", "blobs.csv", "--target", "label", "--out", "no/m.glassnet"],
        1,
        "the folder",
    ),
    (
        "perceptron three classes",
        ["perceptron", "blobs.csv", "--target", "label", "--out", OUT],
        1,
        "blobs.csv: column 'label': a perceptron separates two classes",
    ),
    (
        "out is the data",
        ["train", "or.csv", "--target", "y", "--out", "or.csv"],
        2,
        "--out or.csv is the data file or.csv: writing it would destroy that file",
    ),
    (
        "log is the data",
        ["train", "or.csv", "--target", "y", "--log", "./or.csv", "--out", OUT],
        2,
        "--log ./or.csv is the data file or.csv",
    ),
    (
        "log is the out",
        ["train", "or.csv", "--target", "y", "--log", "m.csv", "--out", "m.csv"],
        2,
        "--log m.csv and --out m.csv are the same file",
    ),
    (
        "predictions over the data",
        ["predict", "blobs.glassnet", "features_only.csv", "--out", "features_only.csv"],
        2,
        "--out features_only.csv is the data file features_only.csv",
    ),
    (
        "predictions over the model",
        ["predict", "blobs.glassnet", "features_only.csv", "--out", "blobs.glassnet"],
        2,
        "--out blobs.glassnet is the model file blobs.glassnet",
    ),
    (
        "perceptron over the data",
        ["perceptron", "or.csv", "--target", "y", "--out", "or.csv"],
        2,
        "--out or.csv is the data file or.csv",
    ),
    (
        "tampered features",
        ["info", "tampered.glassnet"],
        1,
        "tampered.glassnet: metadata: 'features' must be a list of column names, got [1, 2, 3]",
    ),
    (
        "diverged in the first epoch",
        [*DIVERGES, "--log", "never.csv", "--out", OUT],
        1,
        f"training diverged in epoch 1, before any epoch completed: {OUT} not written",
    ),
    (
        "text after a blank line",
        [*TRAIN, "blank_lines.csv"],
        1,
        "blank_lines.csv: row 4, column 'x2': 'oops' is not a number",
    ),
    (
        "NaN after blank lines",
        [*TRAIN, "blank_then_nan.csv"],
        1,
        "blank_then_nan.csv: row 5, column 'x1': nan is not a finite number",
    ),
    (
        "unseen label after a blank line",
        ["evaluate", "blobs.glassnet", "unseen_after_blank.csv"],
        1,
        "row 4, column 'label': label 'purple' was not seen in training",
    ),
]


def _assert_one_line(stderr: str, message: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("glassnet: error: ")
    assert message in lines[0]


def _untouched(folder: Path, before: set[str]) -> None:
    assert set(os.listdir(folder)) == before, "a failed command left a file behind"


@pytest.mark.parametrize(
    "args,code,message", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_in_process(inside, capsys, args, code, message):
    before = set(os.listdir(inside))
    assert main(args) == code
    captured = capsys.readouterr()
    _assert_one_line(captured.err, message)
    assert captured.out == ""
    _untouched(inside, before)


@pytest.mark.parametrize(
    "args,code,message", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_through_the_console_script(workspace, args, code, message):
    before = set(os.listdir(workspace))
    done = run_script(args, workspace)
    assert done.returncode == code
    _assert_one_line(done.stderr, message)
    assert done.stdout == ""
    _untouched(workspace, before)


def test_interrupted_training_writes_no_model(inside, capsys, monkeypatch):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(gn.Network, "fit", interrupt)
    assert main(["train", "blobs.csv", "--target", "label", "--out", "late.glassnet"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert not Path("late.glassnet").exists()


def test_diverged_training_warns_in_one_line_and_keeps_the_last_good_weights(inside, capsys):
    code = main(["train", "values.csv", "--target", "y", "--optimizer", "sgd", "--learning-rate",
                 "1e6", "--epochs", "30", "--quiet", "--out", "diverged.glassnet"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err.startswith("glassnet: warning: training diverged at epoch")
    assert len(captured.err.strip().splitlines()) == 1
    weights = gn.load("diverged.glassnet").get_weights()
    assert all(np.all(np.isfinite(w)) for w in weights)
    os.remove("diverged.glassnet")


def test_a_model_saved_from_python_needs_the_target_named(inside, capsys):
    data = np.loadtxt("or.csv", delimiter=",", skiprows=1)
    net = gn.Network([gn.Dense(2, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
    net.fit(data[:, :2], data[:, 2].astype(int), epochs=300, learning_rate=1.0)
    gn.save(net, "bare.glassnet")
    assert main(["evaluate", "bare.glassnet", "or.csv"]) == 2
    assert "does not name its target column; give --target" in capsys.readouterr().err
    assert main(["evaluate", "bare.glassnet", "or.csv", "--target", "y", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == 1.0
    # Without column names, every column but the target is a feature, in file order.
    assert main(["predict", "bare.glassnet", "or.csv", "--target", "y"]) == 0
    assert _predictions(capsys.readouterr().out) == [["prediction"], ["0"], ["1"], ["1"], ["1"]]
    os.remove("bare.glassnet")


def test_info_on_a_perceptron_and_training_with_dropout(inside, capsys):
    assert main(["info", "or.glassnet"]) == 0
    text = capsys.readouterr().out
    assert "a glassnet Perceptron" in text and "features (2): a, b" in text
    assert main(["train", "blobs.csv", "--target", "label", "--hidden", "5,5", "--dropout", "0.3",
                 "--epochs", "2", "--quiet", "--out", "drop.glassnet"]) == 0  # fmt: skip
    layers = [type(layer).__name__ for layer in gn.load("drop.glassnet").layers]
    assert layers == ["Dense", "Dropout", "Dense", "Dropout", "Dense"]
    os.remove("drop.glassnet")


def test_train_shows_diagnostics_and_writes_a_per_epoch_log(inside, capsys):
    code = main(["train", "blobs.csv", "--target", "label", "--hidden", "6", "--epochs", "12",
                 "--quiet", "--log", "epochs.csv", "--out", "logged.glassnet"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "Diagnostics: nothing unusual in this training run." in out
    with open("epochs.csv", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy"]
    assert [row[0] for row in rows[1:]] == [str(epoch) for epoch in range(1, 13)]
    assert read_model_file("logged.glassnet").metadata["diagnostics"] == []


def test_train_explains_a_bad_run_in_plain_words(inside, capsys):
    code = main(["train", "blobs.csv", "--target", "label", "--hidden", "8", "--activation",
                 "tanh", "--optimizer", "sgd", "--learning-rate", "50", "--epochs", "40",
                 "--quiet", "--out", "wild.glassnet"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    notes = read_model_file("wild.glassnet").metadata["diagnostics"]
    assert notes, out
    assert "Diagnostics:\n- " in out
    assert "Layer 1 (tanh)" in out


def test_outputs_never_overwrite_an_input_even_through_a_link(inside, capsys):
    before = Path("or.csv").read_bytes()
    os.link("or.csv", "hard.csv")
    os.symlink("or.csv", "soft.csv")
    try:
        for args in (
            ["train", "hard.csv", "--target", "y", "--out", "or.csv"],
            ["train", "or.csv", "--target", "y", "--out", "soft.csv"],
            ["perceptron", "soft.csv", "--target", "y", "--out", "hard.csv"],
            ["predict", "or.glassnet", "or.csv", "--out", "../" + inside.name + "/or.csv"],
        ):
            assert main(args) == 2, args
            err = capsys.readouterr().err
            assert "is the data file" in err and "writing it would destroy that file" in err
        assert Path("or.csv").read_bytes() == before
    finally:
        os.remove("hard.csv")
        os.remove("soft.csv")


def test_trace_checks_an_entry_of_a_wide_layer_as_the_readme_shows(inside, capsys):
    assert main(["train", "blobs.csv", "--target", "label", "--hidden", "16,8", "--standardize",
                 "--epochs", "5", "--quiet", "--out", "wide.glassnet"]) == 0  # fmt: skip
    capsys.readouterr()
    trace = ["trace", "wide.glassnet", "blobs.csv", "--row", "3"]
    try:
        assert main([*trace, "--format", "json"]) == 0
        worked = json.loads(capsys.readouterr().out)
        probability, loss = worked["quantities"]["a[3]"][0][0], worked["quantities"]["E"]
        assert main([*trace, "--check", f"a[3][0,0]={probability:.6g}", "--check",
                     f"E={loss:.6g}"]) == 0  # fmt: skip
        out = capsys.readouterr().out
        assert f"a[3][0,0] = {probability:.6g}: right" in out
        assert f"E = {loss:.6g}: right" in out
        # The whole 8-wide layer is not one number: the message says so in one line.
        assert main([*trace, "--check", "a[2]=0.41"]) == 2
        _assert_one_line(capsys.readouterr().err, "a[2] has shape (1, 8)")
    finally:
        os.remove("wide.glassnet")


def test_an_unknown_check_name_lists_a_dozen_names_not_all(inside, capsys):
    assert main(["trace", "blobs.glassnet", "blobs.csv", "--check", "bogus=1"]) == 2
    err = capsys.readouterr().err
    _assert_one_line(err, "--check: the trace has no quantity 'bogus'; it has ")
    assert "x, z[1], a[1], z[2], a[2], E, " in err
    assert "the text output of 'glassnet trace' lists them all" in err
    assert "new W[1]" not in err and len(err) < 400


def test_a_csv_ending_in_blank_lines_gives_no_warning(inside, capsys, tmp_path):
    data = tmp_path / "trailing.csv"
    data.write_text(Path("or.csv").read_text() + "\n\n\n")
    # Warnings are errors under pytest: NumPy's "contained no data" would fail this call.
    assert main(["perceptron", str(data), "--target", "y", "--json"]) == 0
    assert capsys.readouterr().err == ""
    done = run_script(["perceptron", str(data), "--target", "y"], tmp_path)
    assert done.returncode == 0 and done.stderr == ""


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_output_pipe_ends_quietly(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["demo", "neuron", "--json"]) == 141
    monkeypatch.undo()
    assert capsys.readouterr().err == ""


def test_a_closed_output_pipe_ends_the_script_quietly(tmp_path):
    if not SCRIPT.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    errors = tmp_path / "stderr.txt"
    with open(errors, "w") as stderr:
        process = subprocess.Popen(
            [str(SCRIPT), "demo", "--json"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=stderr
        )
        process.stdout.close()  # the reader goes before a byte is written, as head -c may
        assert process.wait(timeout=120) == 141
    assert errors.read_text() == ""
