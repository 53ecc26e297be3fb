"""``glassnet evaluate``, ``predict``, ``trace`` and ``info`` on saved models
(glassnet.cli.inspection)."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import glassnet as gn
from glassnet.cli.main import main

FEATURES = ["x1", "x2", "x3"]


# ---------------------------------------------------------------------- info
def test_saved_model_remembers_columns_settings_and_metrics(inside, capsys):
    assert main(["info", "blobs.glassnet", "--format", "json"]) == 0
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


def test_info_prints_the_metrics_as_an_aligned_table(inside, capsys):
    assert main(["info", "blobs.glassnet"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.split()[:2] == ["loss", "accuracy"])
    training, validation = lines[lines.index(header) + 1 : lines.index(header) + 3]
    assert training.startswith("training ") and validation.startswith("validation ")
    # Numbers are right-aligned under their names.
    end = header.index("accuracy") + len("accuracy")
    assert len(training) == len(validation) == end == len(header)


def test_info_on_a_perceptron(inside, capsys):
    assert main(["info", "or.glassnet"]) == 0
    text = capsys.readouterr().out
    assert "a glassnet Perceptron" in text and "features (2): a, b" in text
    assert "figures: errors 0, rmse 0.0" in text


# ---------------------------------------------------------------------- evaluate
def test_evaluate_prints_accuracy_and_confusion_matrix(inside, capsys):
    assert main(["evaluate", "blobs.glassnet", "blobs.csv", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    counts = np.array(result["confusion_matrix"]["counts"])
    assert result["rows"] == 90 and counts.sum() == 90
    assert result["accuracy"] == pytest.approx(np.trace(counts) / 90)
    assert result["confusion_matrix"]["labels"] == ["blue", "green", "red"]
    assert main(["evaluate", "blobs.glassnet", "blobs.csv"]) == 0
    text = capsys.readouterr().out
    assert "confusion matrix (rows: true class, columns: predicted class)" in text
    matrix = text.splitlines()[-4:]
    assert matrix[0].split() == ["blue", "green", "red"]
    assert [line.split()[0] for line in matrix[1:]] == ["blue", "green", "red"]
    assert [[int(n) for n in line.split()[1:]] for line in matrix[1:]] == counts.tolist()
    # Counts are right-aligned under their labels.
    assert {len(line) for line in matrix} == {len(matrix[0])}


# ---------------------------------------------------------------------- predict
def test_predict_matches_the_python_api_and_columns_are_matched_by_name(
    inside, capsys, predictions
):
    assert main(["predict", "blobs.glassnet", "blobs.csv"]) == 0
    rows = predictions(capsys.readouterr().out)
    data = np.loadtxt("blobs.csv", delimiter=",", skiprows=1, usecols=(0, 1, 2))
    assert rows[0] == ["label"] and len(rows) == 91
    assert [row[0] for row in rows[1:]] == gn.load("blobs.glassnet").predict(data).tolist()
    assert main(["predict", "blobs.glassnet", "reordered.csv"]) == 0
    assert predictions(capsys.readouterr().out) == rows


def test_predict_probabilities_to_a_file(inside, capsys, predictions):
    assert main(["predict", "blobs.glassnet", "features_only.csv", "--proba", "--out",
                 "predictions.csv"]) == 0  # fmt: skip
    assert capsys.readouterr().out == ""
    rows = predictions(Path("predictions.csv").read_text())
    assert rows[0] == ["label", "P(blue)", "P(green)", "P(red)"] and len(rows) == 11
    probabilities = np.array([[float(p) for p in row[1:]] for row in rows[1:]])
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    labels = np.array(["blue", "green", "red"])[np.argmax(probabilities, axis=1)]
    assert [row[0] for row in rows[1:]] == labels.tolist()
    os.remove("predictions.csv")


def test_regression_float32_round_trip_through_the_files(inside, capsys, predictions):
    assert main(["train", "values.csv", "--target", "y", "--hidden", "0", "--epochs", "200",
                 "--dtype", "float32", "--learning-rate", "0.05", "--validation-split", "0",
                 "--out", "values.glassnet"]) == 0  # fmt: skip
    assert "(regression)" in capsys.readouterr().out
    model = gn.load("values.glassnet")
    assert model.dtype == np.float32 and model.output_layer.activation.name == "identity"
    assert main(["evaluate", "values.glassnet", "values.csv", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {"loss", "mse", "mae", "r2"} and result["r2"] > 0.99
    assert main(["predict", "values.glassnet", "values.csv"]) == 0
    rows = predictions(capsys.readouterr().out)
    data = np.loadtxt("values.csv", delimiter=",", skiprows=1, usecols=(0, 1), dtype=np.float32)
    expected = model.predict(data)[:, 0]
    assert np.array([row[0] for row in rows[1:]], dtype=np.float32).tobytes() == expected.tobytes()


# ---------------------------------------------------------------------- trace
def test_trace_in_three_formats_with_a_check(inside, capsys):
    assert main(["trace", "blobs.glassnet", "blobs.csv", "--row", "1", "--digits", "4"]) == 0
    text = capsys.readouterr().out
    assert "data row 1 (counted from 0) of blobs.csv (line 3)" in text
    # the raw row, then as the model standardized it: with the training means and scales
    assert "raw x = the inputs as given" in text and "x = (raw x - mean) / scale" in text
    assert "Forward pass" in text and "Backward pass" in text
    assert main(["trace", "blobs.glassnet", "blobs.csv", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_samples"] == 1 and result["loss_after"] < result["loss_before"]
    a = result["quantities"]["a[2]"][0][0]
    assert main(["trace", "blobs.glassnet", "blobs.csv", "--format", "markdown",
                 "--check", f"a[2][0,0]={a}", "--check",
                 f"E={result['loss_before'] * 2}"]) == 0  # fmt: skip
    text = capsys.readouterr().out
    assert "$$" in text and "right" in text and "wrong" in text
    # The trace works on a copy: the model file is unchanged.
    assert main(["trace", "blobs.glassnet", "blobs.csv", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["loss_before"] == result["loss_before"]


def test_trace_of_a_row_whose_loss_overflows_says_so_and_still_shows_every_number(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    Path("d.csv").write_text("x1,x2,y\n0,0,0\n1,1,1\n0,1,1\n1,0,0\n")
    Path("big.csv").write_text("x1,x2,y\n1,0,1\n1.7e308,1.7e308,0\n")
    assert main(["train", "d.csv", "--target", "y", "--out", "m.glassnet", "--epochs", "5",
                 "--seed", "0", "-q"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["trace", "m.glassnet", "big.csv", "--row", "0", "-q"]) == 0
    assert "warning" not in capsys.readouterr().err  # a finite loss: nothing to say
    assert main(["trace", "m.glassnet", "big.csv", "--row", "1", "-q"]) == 0
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and err.startswith("glassnet: warning: the loss of row 1 is ")
    assert "overflow the network's arithmetic" in err and "1.7e+308" in err
    assert "Backward pass" in out  # the trace itself, every number as computed


def test_trace_checks_an_entry_of_a_wide_layer_as_the_readme_shows(inside, capsys, one_line_error):
    assert main(["train", "blobs.csv", "--target", "label", "--hidden", "16,8", "--standardize",
                 "--epochs", "5", "--quiet", "--out", "wide.glassnet"]) == 0  # fmt: skip
    capsys.readouterr()
    trace = ["trace", "wide.glassnet", "blobs.csv", "--row", "2"]
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
        one_line_error(capsys.readouterr().err, "a[2] has shape (1, 8)")
    finally:
        os.remove("wide.glassnet")


def test_an_unknown_check_name_lists_a_dozen_names_not_all(inside, capsys, one_line_error):
    assert main(["trace", "blobs.glassnet", "blobs.csv", "--check", "bogus=1"]) == 2
    err = capsys.readouterr().err
    one_line_error(err, "--check: the trace has no quantity 'bogus'; it has ")
    assert "x, z[1], a[1], z[2], a[2], E, " in err
    assert "the text output of 'glassnet trace' lists them all" in err
    assert "new W[1]" not in err and len(err) < 400


# ---------------------------------------------------------------------- bad input
BAD_INPUT = [
    (
        "not a model",
        ["predict", "not_a_model.glassnet", "blobs.csv", "--out", "p.csv"],
        1,
        "not_a_model.glassnet: not a glassnet model file",
    ),
    ("missing model", ["evaluate", "absent.glassnet", "blobs.csv"], 1, "no such file"),
    ("perceptron trace", ["trace", "or.glassnet", "or.csv"], 1, "holds a perceptron"),
    (
        "row past the end",
        ["trace", "blobs.glassnet", "blobs.csv", "--row", "90"],
        2,
        "--row 90 is past the end: blobs.csv has 90 data rows (rows 0 to 89)",
    ),
    (
        "bad check",
        ["trace", "blobs.glassnet", "blobs.csv", "--check", "zz=1"],
        2,
        "--check: the trace has no quantity 'zz'",
    ),
    ("proba of values", ["predict", "or.glassnet", "or.csv", "--proba"], 2, "--proba needs"),
    (
        "tampered features",
        ["info", "tampered.glassnet"],
        1,
        "tampered.glassnet: metadata: 'features' must be a list of column names, got [1, 2, 3]",
    ),
]


@pytest.mark.parametrize(
    "args,code,message", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_in_process(refused, args, code, message):
    refused(args, code, message)


@pytest.mark.parametrize(
    "args,code,message", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_through_the_console_script(refused_by_script, args, code, message):
    refused_by_script(args, code, message)


# ---------------------------------------------------------------------- issue 16
def cli(args: list[str], cwd, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """The real command, python -m glassnet.cli.main, in a fresh process."""
    return subprocess.run([sys.executable, "-m", "glassnet.cli.main", *args], cwd=cwd,
                          input=stdin, capture_output=True, timeout=120)  # fmt: skip


def refused_in_one_line(done: subprocess.CompletedProcess, code: int = 1) -> str:
    """The one "glassnet: error:" line of a refusal that printed nothing else."""
    assert done.returncode == code and done.stdout == b"", (done.stdout, done.stderr)
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("glassnet: error: "), done.stderr
    assert "Traceback" not in lines[0] and "Warning" not in lines[0]
    return lines[0]


def rewritten(source: Path, target: Path, change=None, arrays=None) -> Path:
    """A copy of a model file with model.json changed by ``change(text)`` and some
    arrays replaced; every other member as it was."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    if change is not None:
        members["model.json"] = change(members["model.json"].decode()).encode()
    for name, array in (arrays or {}).items():
        buffer = io.BytesIO()
        np.save(buffer, array)
        members[name] = buffer.getvalue()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def test_crafted_model_files_are_one_line_before_any_output(workspace, tmp_path):
    # blobs.glassnet: Standardize (arrays 0, 1), Dense 3-8 relu (2, 3), Dense 8-3 softmax (4, 5).
    source = workspace / "blobs.glassnet"
    l2 = '"l2": 0.0'
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }"
    claims = b"\x93NUMPY\x01\x00" + struct.pack("<H", 118) + header.ljust(117) + b"\n"
    cases = {
        "l2.glassnet": (lambda t: t.replace(l2, '"l2": 1' + "0" * 400, 1), None, "401 digits"),
        "nan.glassnet": (lambda t: t.replace(l2, '"l2": NaN', 1), None, "NaN"),
        "deep.glassnet": (lambda t: t.replace('"metadata": {', '"metadata": {"x": '
                                              + "[" * 200_000, 1), None, "too deeply"),
        "digits.glassnet": (lambda t: t.replace('"seed": 0', '"seed": ' + "9" * 5000, 1),
                            None, "5000 digits"),
    }  # fmt: skip
    for name, (change, arrays, words) in cases.items():
        path = rewritten(source, tmp_path / name, change, arrays)
        line = refused_in_one_line(cli(["info", name], tmp_path))
        assert line.startswith(f"glassnet: error: {name}: ") and words in line, line
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["arrays/2.npy"] = claims
    with zipfile.ZipFile(tmp_path / "claims.glassnet", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    assert "declares shape (1000000, 1000000)" in refused_in_one_line(
        cli(["info", "claims.glassnet"], tmp_path)
    )
    (tmp_path / "zero.glassnet").symlink_to("/dev/zero")
    assert "not a regular file" in refused_in_one_line(cli(["info", "zero.glassnet"], tmp_path))
    path = tmp_path / "flipped.glassnet"
    raw = bytearray(source.read_bytes())
    raw[raw.find(b"PK\x01\x02") + 10] ^= 0x08  # the compression method of the first member
    path.write_bytes(bytes(raw))
    assert refused_in_one_line(cli(["info", "flipped.glassnet"], tmp_path)).startswith(
        "glassnet: error: flipped.glassnet: "
    )


def test_outputs_that_are_not_finite_are_refused_naming_the_first_row(workspace, tmp_path):
    source = workspace / "blobs.glassnet"
    rewritten(source, tmp_path / "scale.glassnet", arrays={"arrays/1.npy": np.full(3, 1e-320)})
    rewritten(
        source, tmp_path / "weights.glassnet", arrays={"arrays/4.npy": np.full((8, 3), 1e308)}
    )
    for name in ("scale.glassnet", "weights.glassnet"):
        for command in ("predict", "evaluate"):
            line = refused_in_one_line(cli([command, name, str(workspace / "blobs.csv")], tmp_path))
            assert "blobs.csv: row " in line and "the model's output is" in line
            assert "--allow-nonfinite" in line
    done = cli(["predict", "scale.glassnet", str(workspace / "blobs.csv"), "--allow-nonfinite"],
               tmp_path)  # fmt: skip
    assert done.returncode == 0 and done.stderr == b""  # no NumPy warning, no source line
    assert len(done.stdout.decode().splitlines()) == 91


def test_a_confusion_matrix_of_many_classes_prints_its_largest_confusions(tmp_path):
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(300), 2)
    rows = "".join(f"{x!r},c{label}\n" for x, label in zip(rng.normal(size=600).tolist(),
                                                            labels, strict=True))  # fmt: skip
    (tmp_path / "many.csv").write_text("x,label\n" + rows)
    done = cli(["train", "many.csv", "--target", "label", "--hidden", "0", "--epochs", "1",
                "--validation-split", "0", "--quiet", "--out", "m.glassnet"], tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = cli(["evaluate", "m.glassnet", "many.csv"], tmp_path).stdout.decode()
    assert "confusion matrix: 300 classes, too many to print" in text
    assert "the 20 largest confusions (--format json has every count)" in text
    assert len(text.splitlines()) < 40  # not 300 rows of 300 columns
    result = json.loads(
        cli(["evaluate", "m.glassnet", "many.csv", "--format", "json"], tmp_path).stdout
    )
    counts = np.array(result["confusion_matrix"]["counts"])
    assert counts.shape == (300, 300) and counts.sum() == 600


def test_control_characters_from_a_file_are_escaped_in_everything_printed(tmp_path):
    esc = "\x1b[2J"
    (tmp_path / "esc.csv").write_text(f"x{esc},label\n1,r{esc}\n2,g\n3,r{esc}\n4,g\n")
    done = cli(["train", "esc.csv", "--target", "label", "--epochs", "2", "--quiet",
                "--validation-split", "0", "--out", "m.glassnet"], tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    commands = [["info", "m.glassnet"], ["evaluate", "m.glassnet", "esc.csv"],
                ["predict", "m.glassnet", "esc.csv"],
                ["info", "m.glassnet", "--format", "json"]]  # fmt: skip
    for command in commands:
        printed = cli(command, tmp_path).stdout.decode()
        escaped = "\\u001b" if "json" in command else "\\x1b"
        assert "\x1b" not in printed and escaped in printed, (command, printed)
    # Written to a file, the labels are the model's own, exactly.
    assert cli(["predict", "m.glassnet", "esc.csv", "--out", "p.csv"], tmp_path).returncode == 0
    assert esc in (tmp_path / "p.csv").read_text()
    done = cli(["predict", "m.glassnet", "missing\x1b[31m.csv"], tmp_path)
    assert "\x1b" not in done.stderr.decode() and "\\x1b[31m" in refused_in_one_line(done)


def test_too_many_digits_is_a_usage_error_with_nothing_printed(workspace):
    line = refused_in_one_line(cli(["trace", "blobs.glassnet", "blobs.csv", "--digits",
                                    "1000000000000000000000"], workspace), code=2)  # fmt: skip
    assert "argument --digits: must be a whole number in [1, 17]" in line


def test_forty_thousand_columns_train_and_predict(tmp_path, run_script):
    # Header handling is linear in the columns: 40,000 of them took 15.6 s to train and
    # 38.8 s to predict when every column was looked up in a list of all the others.
    names = [f"c{i}" for i in range(40_000)]
    rng = np.random.default_rng(1)
    with open(tmp_path / "wide.csv", "w") as handle:
        handle.write(",".join([*names, "y"]) + "\n")
        for row in range(4):
            handle.write(",".join(map(str, rng.integers(0, 9, 40_000))) + f",{row % 2}\n")
    done = run_script(["train", "wide.csv", "--target", "y", "--hidden", "2", "--epochs", "1",
                       "--validation-split", "0", "--quiet", "--out", "w.glassnet"],
                      tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = run_script(["predict", "w.glassnet", "wide.csv"], tmp_path)
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 5
