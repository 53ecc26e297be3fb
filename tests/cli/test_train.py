"""``glassnet train`` on CSV files (glassnet.cli.train), and what it shares with ``glassnet
perceptron``: standard input, blank lines, bad input."""

from __future__ import annotations

import csv
import os
import shlex
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import glassnet as gn
from glassnet.cli.main import main
from glassnet.modelfile import read as read_model_file

OUT = "never.glassnet"
TRAIN = ["train", "--target", "label", "--out", OUT]
# Diverges in its first epoch: one row per step at a huge learning rate.
DIVERGES = "train values.csv --target y --optimizer sgd --learning-rate 1e6 --batch-size 1".split()


# ---------------------------------------------------------------------- what works
def test_train_reports_metrics_and_saves_a_loadable_model(inside, capsys):
    code = main(["train", "blobs.csv", "--target", "label", "--hidden", "6,4", "--epochs", "30",
                 "--early-stopping", "5", "--seed", "3", "--out", "fresh.glassnet"])  # fmt: skip
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


def test_task_and_loss_choices(inside, capsys, write_csv):
    # Two text labels: one sigmoid output with binary crossentropy.
    rows = [[i, "yes" if i > 4 else "no"] for i in range(10)]
    write_csv(inside / "two.csv", ["x", "answer"], rows)
    assert main(["train", "two.csv", "--target", "answer", "--epochs", "5", "--quiet",
                 "--validation-split", "0", "--out", "two.glassnet"]) == 0  # fmt: skip
    two = gn.load("two.glassnet")
    assert two.loss.name == "binary_crossentropy" and two.classes.tolist() == ["no", "yes"]
    # Many distinct integers are values unless --task says classes.
    write_csv(inside / "counts.csv", ["x", "n"], [[i, i * 3] for i in range(30)])
    base = ["train", "counts.csv", "--target", "n", "--epochs", "2", "--quiet", "--out",
            "c.glassnet"]  # fmt: skip
    assert main(base) == 0 and gn.load("c.glassnet").loss.name == "mse"
    assert main([*base, "--task", "classification", "--validation-split", "0"]) == 0
    assert len(gn.load("c.glassnet").classes) == 30
    capsys.readouterr()
    assert main([*base, "--task", "regression", "--loss", "crossentropy"]) == 2
    assert "needs class labels" in capsys.readouterr().err


def test_a_loss_that_does_not_fit_the_task_names_the_option(inside, capsys):
    base = ["train", "blobs.csv", "--target", "label", "--epochs", "2", "--quiet", "--out", OUT]
    assert main([*base, "--task", "classification", "--loss", "mse"]) == 2
    assert "--loss mse is for regression; this is classification" in capsys.readouterr().err
    assert main([*base, "--loss", "binary_crossentropy"]) == 2
    err = capsys.readouterr().err
    assert "--loss binary_crossentropy separates two classes" in err and "use crossentropy" in err
    assert not Path(OUT).exists()


def test_too_few_rows_for_the_validation_split_is_a_data_error(inside, one_line_error, capsys):
    args = ["train", "or.csv", "--target", "y", "--validation-split", "0.1", "--out", OUT]
    assert main(args) == 1
    one_line_error(capsys.readouterr().err, "or.csv: 4 data rows are too few for "
                   "--validation-split 0.1 (it leaves one side empty)")  # fmt: skip


def test_regression_on_a_target_that_is_not_numbers_names_the_cell(inside, write_csv, refused):
    rows = [[0, "1.5"], [1, "2.5"], [2, "1_000"], [3, "4"]]
    write_csv(inside / "unreadable.csv", ["x", "y"], rows)
    try:
        refused(["train", "unreadable.csv", "--target", "y", "--task", "regression", "--out", OUT],
                1, "unreadable.csv: row 4, column 'y': '1_000' is not a number; regression "
                "needs numbers")  # fmt: skip
    finally:
        os.remove("unreadable.csv")


def test_training_with_dropout(inside):
    assert main(["train", "blobs.csv", "--target", "label", "--hidden", "5,5", "--dropout", "0.3",
                 "--epochs", "2", "--quiet", "--out", "drop.glassnet"]) == 0  # fmt: skip
    layers = [type(layer).__name__ for layer in gn.load("drop.glassnet").layers]
    assert layers == ["Dense", "Dropout", "Dense", "Dropout", "Dense"]
    os.remove("drop.glassnet")


def test_train_shows_diagnostics_and_writes_a_per_epoch_log(inside, capsys):
    code = main(["train", "blobs.csv", "--target", "label", "--hidden", "6", "--epochs", "12",
                 "--log", "epochs.csv", "--out", "logged.glassnet"])  # fmt: skip
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
                 "--out", "wild.glassnet"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    notes = read_model_file("wild.glassnet").metadata["diagnostics"]
    assert notes, out
    assert "Diagnostics:\n- " in out
    assert "Layer 1 (tanh)" in out


def test_early_stopping_without_a_validation_split_watches_the_loss_as_its_help_says(
    inside, capsys
):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "the validation loss (the training loss, with --validation-split 0) has not" in help_text
    code = main(["train", "blobs.csv", "--target", "label", "--hidden", "4", "--epochs", "200",
                 "--learning-rate", "0.5", "--early-stopping", "0", "--validation-split", "0",
                 "--out", "stopped.glassnet"])  # fmt: skip
    out = capsys.readouterr().out
    os.remove("stopped.glassnet")
    assert code == 0
    ran = next(line for line in out.splitlines() if line.startswith("trained "))
    assert "the best loss" in ran and "val_loss" not in ran


def test_early_stopping_says_why_and_whose_weights_it_kept(inside, capsys):
    # Patience 0: the first epoch that does not improve ends the run.
    code = main(["train", "blobs.csv", "--target", "label", "--hidden", "4", "--epochs", "200",
                 "--learning-rate", "0.5", "--early-stopping", "0",
                 "--out", "stopped.glassnet"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    ran = next(line for line in out.splitlines() if line.startswith("trained "))
    assert "early stopping: val_loss has not improved" in ran
    assert "kept the weights of epoch" in ran and "the best val_loss" in ran
    settings = read_model_file("stopped.glassnet").metadata["training"]
    assert settings["stopped_reason"].startswith("early stopping: val_loss")
    assert settings["epochs_run"] < 200
    os.remove("stopped.glassnet")


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


def test_a_csv_ending_in_blank_lines_gives_no_warning(inside, capsys, tmp_path, run_script):
    data = tmp_path / "trailing.csv"
    data.write_text(Path("or.csv").read_text() + "\n\n\n")
    # Warnings are errors under pytest: NumPy's "contained no data" would fail this call.
    assert main(["perceptron", str(data), "--target", "y", "--format", "json"]) == 0
    assert capsys.readouterr().err == ""
    done = run_script(["perceptron", str(data), "--target", "y"], tmp_path)
    assert done.returncode == 0 and done.stderr == ""


# ---------------------------------------------------------------------- bad input
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
        "perceptron three classes",
        ["perceptron", "blobs.csv", "--target", "label", "--out", OUT],
        1,
        "blobs.csv: column 'label': a perceptron separates two classes",
    ),
    (
        "diverged in the first epoch",
        [*DIVERGES, "--log", "never.csv", "--out", OUT],
        1,
        f"training diverged in epoch 1: {OUT} not written",
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


def error_line(done: subprocess.CompletedProcess) -> str:
    """The one line of standard error, checked to be one "glassnet: error:" line."""
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("glassnet: error: "), done.stderr
    return lines[0]


def test_a_full_batch_run_that_diverges_in_its_first_epoch_writes_nothing(workspace, tmp_path):
    # Epoch 1 at 1e308 leaves finite weights near 1e308 whose every output is NaN: the
    # weights before epoch 1 are the only ones whose loss was finite, so no model is saved.
    done = cli(["train", str(workspace / "values.csv"), "--target", "y", "--batch-size", "1000",
                "--learning-rate", "1e308", "--optimizer", "sgd", "--epochs", "5", "--quiet",
                "--out", "m.glassnet"], tmp_path)  # fmt: skip
    assert done.returncode == 1 and done.stdout == b""
    assert "training diverged in epoch 1: m.glassnet not written" in error_line(done)
    assert os.listdir(tmp_path) == []


def test_the_last_epochs_update_is_checked_and_undone(tmp_path):
    (tmp_path / "two.csv").write_text("x,y\n0,0\n115,602\n")
    done = cli(["train", "two.csv", "--target", "y", "--task", "regression", "--hidden", "1",
                "--activation", "leaky_relu", "--optimizer", "sgd", "--learning-rate", "0.001",
                "--dtype", "float32", "--batch-size", "2", "--epochs", "5",
                "--validation-split", "0", "--quiet", "--out", "m.glassnet"], tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    warning = done.stderr.decode()
    assert warning.startswith("glassnet: warning: training diverged at epoch 5: the loss became")
    assert len(warning.splitlines()) == 1  # and no NumPy warning with its source line
    predicted = cli(["predict", "m.glassnet", "two.csv"], tmp_path)
    assert predicted.returncode == 0 and predicted.stderr == b""
    values = [float(line) for line in predicted.stdout.decode().split()[1:]]
    assert len(values) == 2 and all(np.isfinite(values))


def test_targets_are_kept_as_written_unless_float64_holds_them(tmp_path):
    (tmp_path / "past_int64.csv").write_text("x,y\n1,9223372036854775809\n2,5\n3,6\n")
    done = cli(["train", "past_int64.csv", "--target", "y", "--task", "regression",
                "--out", "m.glassnet"], tmp_path)  # fmt: skip
    assert done.returncode == 1
    assert "past_int64.csv: row 2, column 'y': 9223372036854775809 is an integer beyond 2^53" in (
        error_line(done)
    )
    (tmp_path / "past_2_53.csv").write_text(
        "x,y\n" + "".join(f"{i},900719925474099{2 + i % 2}\n" for i in range(10))
    )
    done = cli(["train", "past_2_53.csv", "--target", "y", "--epochs", "1",
                "--validation-split", "0", "--out", "m.glassnet"], tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2 classes ['9007199254740992', '9007199254740993']" in done.stdout.decode()
    (tmp_path / "quote.csv").write_text('x,y\n1,a\n2,"b\n3,a\n4,b\n5,a\n')
    done = cli(["train", "quote.csv", "--target", "y", "--out", "q.glassnet"], tmp_path)
    assert done.returncode == 1
    assert "quote.csv: row 3: a quote opens there and never closes" in error_line(done)


def test_standard_input_is_read_once_by_every_command(workspace, tmp_path):
    data = (workspace / "blobs.csv").read_bytes()
    done = cli(["train", "-", "--target", "label", "--epochs", "3",
                "--out", "m.glassnet"], tmp_path, stdin=data)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith("standard input: 90 rows, 3 feature columns")
    from_file = cli(["predict", "m.glassnet", str(workspace / "blobs.csv")], tmp_path)
    for command in (["predict", "m.glassnet", "-"], ["evaluate", "m.glassnet", "-"],
                    ["trace", "m.glassnet", "-", "--row", "3", "--format", "json"],
                    ["perceptron", "-", "--target", "y"]):  # fmt: skip
        given = (workspace / "or.csv").read_bytes() if command[0] == "perceptron" else data
        done = cli(command, tmp_path, stdin=given)
        assert done.returncode == 0, (command, done.stderr)
    assert cli(["predict", "m.glassnet", "-"], tmp_path, stdin=data).stdout == from_file.stdout


def test_a_fifo_written_once_and_a_process_substitution_are_read_once(workspace, tmp_path):
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=((workspace / "or.csv").read_bytes(),))
    writer.start()
    done = cli(["train", str(fifo), "--target", "y", "--epochs", "2", "--quiet",
                "--validation-split", "0", "--out", "m.glassnet"], tmp_path)  # fmt: skip
    writer.join(timeout=60)
    assert done.returncode == 0, done.stderr
    if shutil.which("bash"):  # <(cat file): a pipe named /dev/fd/N, readable once
        script = (f"{shlex.quote(sys.executable)} -m glassnet.cli.main predict m.glassnet "
                  f"<(cat {shlex.quote(str(workspace / 'or.csv'))})")  # fmt: skip
        done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True,
                              timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.decode().splitlines()[0] == "y"


def test_out_dash_writes_the_model_to_standard_output_and_the_report_to_standard_error(
    workspace, tmp_path
):
    done = cli(["train", str(workspace / "or.csv"), "--target", "y", "--epochs", "3",
                "--validation-split", "0", "--out", "-"], tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"PK\x03\x04")  # a zip file, nothing printed into it
    assert "saved the model to standard output" in done.stderr.decode()
    (tmp_path / "m.glassnet").write_bytes(done.stdout)
    assert gn.load(tmp_path / "m.glassnet").n_inputs == 2
    assert os.listdir(tmp_path) == ["m.glassnet"]


def test_a_network_too_large_for_the_memory_is_refused_before_it_is_built(refused_by_script):
    refused_by_script(["train", "blobs.csv", "--target", "label", "--hidden", "100000,100000",
                       "--out", OUT], 1, "--hidden 100000,100000 gives 10,000,800,003 "
                      "parameters on 3 inputs: training them takes about")  # fmt: skip


def test_features_whose_squares_overflow_are_named_with_the_way_out(tmp_path):
    rows = "".join(f"{(i % 2) * 1e300},{i % 3},{i % 2}\n" for i in range(40))
    (tmp_path / "huge.csv").write_text("x1,x2,label\n" + rows)
    done = cli(["train", "huge.csv", "--target", "label", "--out", "m.glassnet"], tmp_path)
    assert done.returncode == 1 and os.listdir(tmp_path) == ["huge.csv"]
    assert "huge.csv: row 3, column 'x1': 1e+300 is too large for the network's float64 " in (
        error_line(done)
    )
    assert "use --standardize" in error_line(done)


def test_a_regression_target_whose_square_overflows_is_named_even_standardized(tmp_path):
    rows = "".join(f"{i % 3},{i % 2},{1e300 if i == 5 else i / 7}\n" for i in range(40))
    (tmp_path / "huge_target.csv").write_text("x1,x2,y\n" + rows)
    for extra in ([], ["--standardize"]):
        done = cli(["train", "huge_target.csv", "--target", "y", "--out", "m.glassnet", *extra],
                   tmp_path)  # fmt: skip
        assert done.returncode == 1 and os.listdir(tmp_path) == ["huge_target.csv"]
        assert error_line(done) == (
            "glassnet: error: huge_target.csv: row 7, column 'y': 1e+300 is too large a target "
            "for the network's float64 arithmetic (the square of its error overflows past "
            "1.34e+154); divide the column by a power of ten"
        )


def test_a_quoted_newline_in_a_header_cell_is_a_column_name(tmp_path):
    (tmp_path / "header.csv").write_text('"first\nfeature",x2,label\n1,2,r\n3,4,g\n5,1,r\n')
    done = cli(["train", "header.csv", "--target", "label", "--epochs", "1", "--quiet",
                "--validation-split", "0", "--out", "m.glassnet"], tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert gn.load(tmp_path / "m.glassnet") is not None
    assert cli(["predict", "m.glassnet", "header.csv"], tmp_path).returncode == 0


def test_a_csv_file_that_is_not_utf8_is_refused_naming_the_encoding(tmp_path):
    (tmp_path / "latin1.csv").write_bytes("x,label\n1,été\n2,ètè\n".encode("latin-1"))
    done = cli(["train", "latin1.csv", "--target", "label", "--out", "m.glassnet"], tmp_path)
    assert done.returncode == 1
    assert "latin1.csv: not UTF-8 text: byte 0xe9 on line 2" in error_line(done)
