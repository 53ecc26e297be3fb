"""What the command-line tests share: a folder of CSV files good and bad with models trained
from them, the real console script, and the checks every refusal gets (one line on
standard error, the right exit code, nothing on standard output, no file left behind)."""

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

from glassnet.cli.main import main

SCRIPT = Path(sys.executable).with_name("glassnet")
FEATURES = ["x1", "x2", "x3"]


def _write_csv(path: Path, header: list[str], rows) -> None:
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="session")
def write_csv():
    """Write a CSV file: ``write_csv(path, header, rows)``."""
    return _write_csv


def _write_good_and_bad_files(folder: Path) -> None:
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


def _train_the_models() -> None:
    """blobs.glassnet (a 3-8-3 network), or.glassnet (a perceptron) and a tampered copy."""
    trained = main(["train", "blobs.csv", "--target", "label", "--hidden", "8", "--epochs", "60",
                    "--standardize", "--quiet", "--out", "blobs.glassnet"])  # fmt: skip
    assert trained == 0
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


@pytest.fixture(scope="session")
def workspace(tmp_path_factory) -> Path:
    """CSV files good and bad, and models trained from them, in one folder."""
    folder = tmp_path_factory.mktemp("cli")
    _write_good_and_bad_files(folder)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        _train_the_models()
    finally:
        os.chdir(cwd)
    return folder


@pytest.fixture
def inside(workspace, monkeypatch) -> Path:
    """The workspace as the current folder."""
    monkeypatch.chdir(workspace)
    return workspace


def _run_script(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    if not SCRIPT.exists():
        pytest.skip(f"the console script is not installed next to {sys.executable}")
    return subprocess.run(
        [str(SCRIPT), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="session")
def run_script():
    """Run the installed ``glassnet`` script: ``run_script(args, cwd)`` (skips without it)."""
    return _run_script


@pytest.fixture(scope="session")
def predictions():
    """The rows of a CSV text, as lists of cells."""
    return lambda text: list(csv.reader(io.StringIO(text)))


def _assert_one_line(stderr: str, message: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("glassnet: error: ")
    assert message in lines[0]


@pytest.fixture(scope="session")
def one_line_error():
    """Check that standard error is one "glassnet: error:" line holding ``message``."""
    return _assert_one_line


def _untouched(folder: Path, before: set[str]) -> None:
    assert set(os.listdir(folder)) == before, "a failed command left a file behind"


@pytest.fixture
def refused(inside, capsys):
    """Run ``main(args)`` in the workspace and check it refuses: ``refused(args, code,
    message)`` asserts the exit code, the one line, an empty stdout and no file left."""

    def check(args: list[str], code: int, message: str) -> None:
        before = set(os.listdir(inside))
        assert main(args) == code
        captured = capsys.readouterr()
        _assert_one_line(captured.err, message)
        assert captured.out == ""
        _untouched(inside, before)

    return check


@pytest.fixture
def refused_by_script(workspace):
    """As ``refused``, through the installed console script."""

    def check(args: list[str], code: int, message: str) -> None:
        before = set(os.listdir(workspace))
        done = _run_script(args, workspace)
        assert done.returncode == code
        _assert_one_line(done.stderr, message)
        assert done.stdout == ""
        _untouched(workspace, before)

    return check
