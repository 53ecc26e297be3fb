"""What a command writes: checked before any work, never over an input, never half a file
(glassnet.cli.files)."""

from __future__ import annotations

import os
from pathlib import Path

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
