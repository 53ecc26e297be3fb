"""What a command writes: checked before any work, never over an input, never half a file
(glassnet.cli.files)."""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from glassnet.cli.errors import UsageError
from glassnet.cli.files import check_distinct, check_writable, write_text
from glassnet.cli.main import main

OUT = "never.glassnet"


def test_check_writable_writes_nothing(tmp_path):
    check_writable(str(tmp_path / "model.glassnet"))
    assert os.listdir(tmp_path) == []
    with pytest.raises(OSError, match="it is a folder"):
        check_writable(str(tmp_path))
    with pytest.raises(OSError, match="the folder .* does not exist"):
        check_writable(str(tmp_path / "missing" / "model.glassnet"))


def test_check_distinct_names_both_options(tmp_path):
    path = str(tmp_path / "same.csv")
    with pytest.raises(UsageError, match="--log .* and --out .* are the same file"):
        check_distinct({}, {"--out": path, "--log": path})
    check_distinct({"the data file": str(tmp_path / "data.csv")}, {"--out": path, "--log": None})


def test_a_failed_write_leaves_no_file(tmp_path):
    path = tmp_path / "predictions.csv"

    def fail(handle) -> None:
        handle.write("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_text(str(path), fail)
    assert os.listdir(tmp_path) == []


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


BAD_INPUT = [
    (
        "folder missing",
        ["train", "blobs.csv", "--target", "label", "--out", "no/m.glassnet"],
        1,
        "the folder",
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
# Rule: rename only over a regular file or a new name; write a device, a FIFO or /dev/stdout
# as a stream; refuse what is neither, in one line. A model and its log go in together.
PREDICT = ["predict", "blobs.glassnet", "blobs.csv"]


def test_a_link_to_a_device_stays_a_link_and_the_device_a_device(workspace, tmp_path, run_script):
    link = tmp_path / "null-link"
    link.symlink_to(os.devnull)
    done = run_script([*PREDICT, "--out", str(link)], workspace)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert os.listdir(tmp_path) == ["null-link"]


def test_a_fifo_gets_the_predictions_as_a_stream(workspace, tmp_path, run_script):
    fifo = tmp_path / "predictions"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    done = run_script([*PREDICT, "--out", str(fifo)], workspace)
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received == [run_script(PREDICT, workspace).stdout]


def test_a_log_to_dev_stdout_reaches_standard_output(workspace, tmp_path, run_script):
    done = run_script(["train", str(workspace / "or.csv"), "--target", "y", "--epochs", "2",
                       "--validation-split", "0", "--out", "m.glassnet",
                       "--log", "/dev/stdout"], tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("epoch,loss,accuracy\n1,")
    assert "saved m.glassnet" in done.stdout
    assert sorted(os.listdir(tmp_path)) == ["m.glassnet"]


def test_a_socket_or_a_folder_is_refused_in_one_line(refused_by_script):
    folder = tempfile.mkdtemp(prefix="gn", dir="/tmp")  # a socket's path must be short
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(os.path.join(folder, "s"))
            refused_by_script([*PREDICT, "--out", os.path.join(folder, "s")], 1,
                              f"cannot write {folder}/s: it is a socket")  # fmt: skip
        refused_by_script([*PREDICT, "--out", folder], 1, "it is a folder")
    finally:
        shutil.rmtree(folder)


def test_when_the_model_cannot_be_written_its_log_is_not_left_behind(workspace, tmp_path,
                                                                     run_script):  # fmt: skip
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    log = tmp_path / "log.csv"
    done = run_script(["train", str(workspace / "or.csv"), "--target", "y", "--epochs", "2",
                       "--validation-split", "0", "--quiet", "--out", "/dev/full",
                       "--log", str(log)], tmp_path)  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == "glassnet: error: cannot write /dev/full: No space left on device\n"
    assert os.listdir(tmp_path) == []


def test_a_failed_save_removes_the_log_written_with_it(inside, capsys, monkeypatch):
    def full(network, path, metadata=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("glassnet.cli.train.save", full)
    before = set(os.listdir(inside))
    args = ["train", "or.csv", "--target", "y", "--epochs", "2", "--validation-split", "0",
            "--quiet", "--out", "full.glassnet", "--log", "full-log.csv"]  # fmt: skip
    assert main(args) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert set(os.listdir(inside)) == before


def test_sigterm_while_saving_removes_the_temporary(inside, capsys, monkeypatch):
    from glassnet.modelfile import save

    def terminated_midway(network, path, metadata=None):
        save(network, path, metadata)  # the whole model under its temporary name
        os.kill(os.getpid(), signal.SIGTERM)  # then a kill, before the rename

    monkeypatch.setattr("glassnet.cli.train.save", terminated_midway)
    before = set(os.listdir(inside))
    args = ["train", "or.csv", "--target", "y", "--epochs", "2", "--validation-split", "0",
            "--quiet", "--out", "term.glassnet", "--log", "term-log.csv"]  # fmt: skip
    assert main(args) == 143
    assert capsys.readouterr().err == "glassnet: terminated\n"
    assert set(os.listdir(inside)) == before
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # put back as it was


def test_the_temporary_of_a_killed_writer_is_swept_at_the_next_write(workspace, tmp_path,
                                                                     run_script):  # fmt: skip
    stale = tmp_path / ".gn999999999-0123abcd.tmp.glassnet"  # no process has that number
    stale.write_bytes(b"half a model")
    done = run_script(["train", str(workspace / "or.csv"), "--target", "y", "--epochs", "1",
                       "--validation-split", "0", "--quiet", "--out", "m.glassnet"],
                      tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert os.listdir(tmp_path) == ["m.glassnet"]


def test_a_name_too_long_is_refused_before_training(refused_by_script, workspace, run_script):
    # The check is made before training: the one line is all standard error holds (no
    # progress lines).
    too_long = "m" * 250 + ".glassnet"
    refused_by_script(["train", "blobs.csv", "--target", "label", "--out", too_long], 1,
                      f"cannot write {too_long}: File name too long")  # fmt: skip
    longest = "m" * 245 + ".glassnet"  # 254 bytes: fits, and so does the short temporary name
    try:
        done = run_script(["train", "or.csv", "--target", "y", "--epochs", "1",
                           "--validation-split", "0", "--quiet", "--out", longest],
                          workspace)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert (workspace / longest).exists()
    finally:
        (workspace / longest).unlink(missing_ok=True)


def test_kills_at_random_moments_leave_no_partial_model_and_no_temporary(workspace, tmp_path):
    # 20 SIGKILLs and 20 SIGTERMs at seeded random moments of `train ... --out`, weighted
    # towards the end of the run, where the model and the log are written (a 3-300-300-3
    # network: 0.7 MB to save), in two folders at a time. After each: the model file is the
    # old one or a whole new one; after a SIGTERM no temporary is left (or the kill came
    # before glassnet had started, while Python imported it: -15); after the next write
    # none at all.
    lanes = [tmp_path / "a", tmp_path / "b"]
    for lane in lanes:
        lane.mkdir()
    with concurrent.futures.ThreadPoolExecutor(len(lanes)) as pool:
        results = list(pool.map(_kill_at_random, lanes, [workspace] * 2, [16, 17]))
    codes = {sig: set().union(*(result[sig] for result in results)) for sig in results[0]}
    assert -signal.SIGKILL in codes[signal.SIGKILL] and 143 in codes[signal.SIGTERM]
    for lane in lanes:
        assert sorted(os.listdir(lane)) == ["log.csv", "model.glassnet"]


def _kill_at_random(folder: Path, workspace: Path, seed: int) -> dict[int, set[int]]:
    """Ten SIGKILLs and ten SIGTERMs of train in ``folder``; the exit codes seen of each."""
    import glassnet as gn

    command = [sys.executable, "-m", "glassnet.cli.main", "train", str(workspace / "blobs.csv"),
               "--target", "label", "--hidden", "300,300", "--epochs", "2", "--quiet",
               "--out", "model.glassnet", "--log", "log.csv"]  # fmt: skip

    pids: list[int] = []

    def run(after: float | None = None, sig: int = signal.SIGKILL) -> tuple[int, str]:
        with subprocess.Popen(command, cwd=folder, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) as process:  # fmt: skip
            pids.append(process.pid)
            if after is not None:
                try:
                    process.wait(timeout=after)
                except subprocess.TimeoutExpired:
                    process.send_signal(sig)
            _, errors = process.communicate(timeout=120)
        return process.returncode, errors

    started = time.perf_counter()
    assert run() == (0, "")
    duration = time.perf_counter() - started
    rng = np.random.default_rng(seed)
    codes: dict[int, set[int]] = {signal.SIGKILL: set(), signal.SIGTERM: set()}
    for index in range(20):
        sig = signal.SIGKILL if index % 2 else signal.SIGTERM
        code, errors = run(float(rng.uniform(0.4, 1.05)) * duration, sig)
        codes[sig].add(code)
        gn.load(folder / "model.glassnet")  # whole: a partial file raises ModelFileError
        if sig == signal.SIGTERM:
            assert code in (0, 143, -signal.SIGTERM), errors
            assert errors in ("", "glassnet: terminated\n"), errors
            # none of its own: a SIGKILLed run's may wait for the next write that sweeps
            assert not [name for name in os.listdir(folder) if name.startswith(f".gn{pids[-1]}-")]
    assert run() == (0, "")  # the next write sweeps what a SIGKILL left
    return codes
