"""``main``: the exit codes, one line per mistake, a bug told from a data error, and the real
console script (glassnet.cli.main)."""

from __future__ import annotations

import io
import os
import signal
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


def test_ctrl_c_in_the_middle_of_training_keeps_the_old_model_and_its_log(workspace, tmp_path):
    """A real SIGINT to the console script while it trains: exit 130, one line, and the model
    and log already there untouched, no temporary file beside them."""
    if not SCRIPT.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    (tmp_path / "m.glassnet").write_bytes(b"the model of yesterday")
    (tmp_path / "log.csv").write_text("epoch,loss\n1,0.5\n")
    args = [str(SCRIPT), "train", str(workspace / "blobs.csv"), "--target", "label",
            "--epochs", "1000000", "--log", "log.csv", "--out", "m.glassnet"]  # fmt: skip

    # SIGINT as a terminal sends it, even where the tests run with it ignored (in background).
    def as_a_terminal_does() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    process = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=as_a_terminal_does)  # fmt: skip
    try:
        for line in process.stderr:  # training has begun once an epoch is reported
            if line.startswith("epoch"):
                break
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130
    assert rest.splitlines()[-1] == "glassnet: interrupted" and "Traceback" not in rest
    assert (tmp_path / "m.glassnet").read_bytes() == b"the model of yesterday"
    assert (tmp_path / "log.csv").read_text() == "epoch,loss\n1,0.5\n"
    assert sorted(os.listdir(tmp_path)) == ["log.csv", "m.glassnet"]


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
    assert main(["demo", "neuron", "--format", "json"]) == 141
    monkeypatch.undo()
    assert capsys.readouterr().err == ""


def test_a_closed_output_pipe_ends_the_script_quietly(tmp_path):
    if not SCRIPT.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    errors = tmp_path / "stderr.txt"
    with open(errors, "w") as stderr:
        process = subprocess.Popen(
            [str(SCRIPT), "demo", "--format", "json"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
        process.stdout.close()  # the reader goes before a byte is written, as head -c may
        assert process.wait(timeout=120) == 141
    assert errors.read_text() == ""


# ---------------------------------------------------------------------- issue 16
def test_memory_that_runs_out_anywhere_is_one_line_saying_how_much(inside, capsys, monkeypatch):
    asked = "Unable to allocate 74.5 GiB for an array with shape (100000, 100000) and data type"
    _break_fit(monkeypatch, MemoryError(asked + " float64"))
    assert main(TRAIN) == 1
    captured = capsys.readouterr()
    assert captured.err == f"glassnet: error: out of memory: {asked} float64\n"
    assert not Path("late.glassnet").exists()


def test_warnings_are_one_line_without_their_source_line(inside, capsys, monkeypatch):
    def load_csv(*args, **kwargs):
        import warnings

        warnings.warn("the data look\nodd", UserWarning, stacklevel=1)
        raise KeyboardInterrupt

    monkeypatch.setattr("glassnet.cli.rows.load_csv", load_csv)
    assert main(TRAIN) == 130
    assert capsys.readouterr().err == (
        "glassnet: warning: the data look odd\nglassnet: interrupted\n"
    )


def test_a_full_standard_output_is_named_and_exits_1(workspace):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    for args in (["info", "blobs.glassnet"], ["predict", "blobs.glassnet", "blobs.csv"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "glassnet.cli.main", *args],
                                  cwd=workspace, stdout=full, stderr=subprocess.PIPE, text=True,
                                  timeout=120)  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert done.stderr == (
            "glassnet: error: cannot write standard output: No space left on device\n"
        )


def test_a_closed_standard_output_is_named_and_exits_1(workspace):
    for args in (["info", "blobs.glassnet"], ["predict", "blobs.glassnet", "blobs.csv"]):
        done = subprocess.run([sys.executable, "-m", "glassnet.cli.main", *args], cwd=workspace,
                              stderr=subprocess.PIPE, text=True, timeout=120,
                              preexec_fn=lambda: os.close(1))  # fmt: skip
        assert done.returncode == 1
        assert done.stderr == ("glassnet: error: standard output is closed; send it somewhere "
                               "(> FILE, or > /dev/null)\n")  # fmt: skip


def test_a_zip_bomb_with_lying_sizes_is_one_line(workspace, tmp_path):
    # A member declaring 1,000 bytes that holds 100 MB of zeros: read in bounded chunks
    # against its declared size, it is refused after 1,001 bytes.
    import struct
    import zipfile

    with zipfile.ZipFile(workspace / "blobs.glassnet") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["arrays/0.npy"] = bytes(100 * 2**20)
    bomb = tmp_path / "bomb.glassnet"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    raw = bytearray(bomb.read_bytes())
    with zipfile.ZipFile(bomb) as archive:
        info = archive.getinfo("arrays/0.npy")
    struct.pack_into("<I", raw, info.header_offset + 22, 1000)
    central = raw.find(b"arrays/0.npy", raw.find(b"PK\x01\x02")) - 46
    struct.pack_into("<I", raw, central + 24, 1000)
    bomb.write_bytes(bytes(raw))
    done = subprocess.run([sys.executable, "-m", "glassnet.cli.main", "info", "bomb.glassnet"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("glassnet: error: bomb.glassnet: ")
    assert "arrays/0.npy" in lines[0]
