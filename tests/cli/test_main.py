"""``main``: the exit codes, one line per mistake, a bug told from a data error, and the real
console script (glassnet.cli.main)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

import glassnet as gn
from glassnet.cli.main import main

SCRIPT = Path(sys.executable).with_name("glassnet")
TRAIN = ["train", "blobs.csv", "--target", "label", "--quiet", "--out", "late.glassnet"]


def _break_fit(monkeypatch, error: Exception) -> None:
    def fit(*args, **kwargs):
        raise error

    monkeypatch.setattr(gn.Network, "fit", fit)


def test_the_real_script_trains_and_predicts(workspace, tmp_path, run_script):
    done = run_script(["train", str(workspace / "or.csv"), "--target", "y", "--epochs", "3",
                       "--validation-split", "0", "--out", str(tmp_path / "m.glassnet")],
                      tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "saved" in done.stdout and "epoch 3/3" in done.stderr
    done = run_script(["predict", "m.glassnet", str(workspace / "or.csv")], tmp_path)
    assert done.returncode == 0 and done.stdout.splitlines()[0] == "y"
    assert len(done.stdout.splitlines()) == 5


def test_interrupted_training_writes_no_model(inside, capsys, monkeypatch):
    _break_fit(monkeypatch, KeyboardInterrupt())
    assert main(["train", "blobs.csv", "--target", "label", "--out", "late.glassnet"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert not Path("late.glassnet").exists()


# ---------------------------------------------------------------------- a bug in glassnet
def test_a_bug_exits_3_with_one_line_saying_so(inside, capsys, monkeypatch):
    _break_fit(monkeypatch, RuntimeError("the weights went missing"))
    assert main(TRAIN) == 3
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err
    assert lines[0].startswith("glassnet: internal error: RuntimeError: the weights went missing")
    assert "a bug in glassnet" in lines[0] and "report it" in lines[0] and "--debug" in lines[0]
    assert not Path("late.glassnet").exists()


def test_a_value_error_glassnet_did_not_raise_about_the_input_is_a_bug(inside, capsys,
                                                                        monkeypatch):  # fmt: skip
    _break_fit(monkeypatch, ValueError("operands could not be broadcast together"))
    assert main(TRAIN) == 3
    err = capsys.readouterr().err
    assert "internal error: ValueError: operands could not be broadcast" in err
    assert len(err.strip().splitlines()) == 1


def test_a_bug_message_over_several_lines_is_one_line(inside, capsys, monkeypatch):
    _break_fit(monkeypatch, RuntimeError("first\nsecond " + "x" * 1000))
    assert main(TRAIN) == 3
    line = capsys.readouterr().err.strip()
    assert "\n" not in line and "RuntimeError: first second xxx" in line and len(line) < 600


def test_debug_shows_the_traceback_of_a_bug(inside, capsys, monkeypatch):
    _break_fit(monkeypatch, RuntimeError("the weights went missing"))
    assert main(["--debug", *TRAIN]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "RuntimeError: the weights went missing" in err and "in fit" in err
    assert err.strip().splitlines()[-1].startswith("glassnet: this is a bug in glassnet")


def test_a_data_error_is_still_exit_1_in_one_line(inside, capsys, one_line_error):
    assert main(["--debug", "train", "empty.csv", "--target", "label", "--out", "x.glassnet"]) == 1
    one_line_error(capsys.readouterr().err, "empty.csv: the file is empty")
    assert main(["train", "empty.csv", "--target", "label", "--out", "x.glassnet"]) == 1
    one_line_error(capsys.readouterr().err, "empty.csv: the file is empty")


def test_the_script_exits_3_on_a_bug(workspace, tmp_path):
    program = (
        "import sys\n"
        "import glassnet as gn\n"
        "from glassnet.cli.main import main\n"
        "def fit(*args, **kwargs):\n"
        "    raise RuntimeError('the weights went missing')\n"
        "gn.Network.fit = fit\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    args = ["train", str(workspace / "or.csv"), "--target", "y", "--out", str(tmp_path / "m")]
    done = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 3 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "a bug in glassnet" in done.stderr
    done = subprocess.run([sys.executable, "-c", program, "--debug", *args],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 3 and "Traceback" in done.stderr
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------- a closed pipe
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
