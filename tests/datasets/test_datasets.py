"""Data sets: tables, seeded generators, scikit-learn's bundled sets, the CSV loader."""

import io
import os
import sys
import threading

import numpy as np
import pytest

from glassnet import datasets
from glassnet.datasets import DataError, load_csv


@pytest.mark.parametrize(
    "gate, expected",
    [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0]),
     ("NOR", [1, 0, 0, 0]), ("XOR", [0, 1, 1, 0])],
)  # fmt: skip
def test_logic_gates(gate, expected):
    X, y = datasets.logic_gate(gate)
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.tolist() == expected


def test_unknown_gate():
    with pytest.raises(ValueError, match="unknown gate 'XNOR'"):
        datasets.logic_gate("XNOR")


def test_seven_records_are_the_original_table():
    X, y = datasets.seven_records()
    assert X.tolist()[0] == [0, 1, 0] and X.tolist()[4] == [1, 1, 1]
    assert y.tolist() == [1, 0, 0, 1, 1, 0, 1]


@pytest.mark.parametrize(
    "make",
    [datasets.make_moons, datasets.make_circles, datasets.make_spirals, datasets.make_blobs,
     datasets.make_sine, datasets.make_plane, datasets.make_gauss],
)  # fmt: skip
def test_generators_are_seeded(make):
    X1, y1 = make(n_samples=120, seed=4)
    X2, y2 = make(n_samples=120, seed=4)
    X3, _ = make(n_samples=120, seed=5)
    assert X1.shape[0] == y1.shape[0] == 120
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_spiral_arms_are_balanced_and_reach_radius_five():
    X, y = datasets.make_spirals(1000, noise=0.0, seed=0)
    assert np.bincount(y).tolist() == [500, 500]
    assert np.linalg.norm(X, axis=1).max() == pytest.approx(5, abs=0.05)


def test_the_regression_planes_are_their_formulas_over_the_square():
    X, y = datasets.make_plane(500, noise=0.0, seed=2)
    assert X.shape == (500, 2) and np.all(np.abs(X) <= 1.0)
    assert X.min() < -0.9 and X.max() > 0.9  # the whole square, not a corner of it
    np.testing.assert_allclose(y, 0.6 * X[:, 0] - 0.4 * X[:, 1])
    X, y = datasets.make_gauss(500, noise=0.0, seed=2)
    np.testing.assert_allclose(y, np.exp(-(X[:, 0] ** 2 + X[:, 1] ** 2) / (2 * 0.45**2)))


@pytest.mark.parametrize("make", [datasets.make_plane, datasets.make_gauss])
def test_noise_moves_the_targets_not_the_points(make):
    X, y = make(2000, noise=0.0, seed=1)
    noisy_X, noisy_y = make(2000, noise=0.2, seed=1)
    np.testing.assert_array_equal(noisy_X, X)
    assert np.std(noisy_y - y) == pytest.approx(0.2, rel=0.1)


@pytest.mark.parametrize("make", [datasets.make_plane, datasets.make_gauss])
def test_a_generator_given_as_the_seed_is_drawn_from_and_goes_on(make):
    rng = np.random.default_rng(5)
    X, y = make(50, noise=0.1, seed=rng)
    same_X, same_y = make(50, noise=0.1, seed=5)  # a fresh generator draws what the seed does
    np.testing.assert_array_equal(X, same_X)
    np.testing.assert_array_equal(y, same_y)
    after = np.random.default_rng(5)
    after.uniform(size=(50, 2)), after.normal(size=50)
    assert rng.integers(1000) == after.integers(1000)  # advanced by exactly the draws made


@pytest.mark.parametrize(
    "arguments, message",
    [((1, 0.1), "n_samples must be a whole number"), ((10, -0.1), "noise must be"),
     ((10, 0.1, -1), "seed must be a non-negative integer or None, got -1")],
)  # fmt: skip
def test_the_planes_name_a_bad_argument(arguments, message):
    for make in (datasets.make_plane, datasets.make_gauss):
        with pytest.raises(ValueError, match=message):
            make(*arguments)


def test_the_delimiter_finder_is_public_beside_the_loader():
    assert datasets.detect_delimiter("a;b;y\n1,5;2;0\n") == ";"
    assert datasets.detect_delimiter("x\ty\n1\t0\n") == "\t"


def test_sklearn_sets_load_when_installed():
    pytest.importorskip("sklearn")
    X, y = datasets.load_iris()
    assert X.shape == (150, 4) and sorted(set(y.tolist())) == [0, 1, 2]
    assert datasets.load_digits()[0].shape == (1797, 64)


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_csv_with_text_labels(tmp_path):
    path = write(tmp_path, "x1,x2,species\n1.5,2,setosa\n3, 4 ,virginica\n")
    data = load_csv(path, target="species")
    assert data.X.tolist() == [[1.5, 2.0], [3.0, 4.0]]
    assert data.y.tolist() == ["setosa", "virginica"]
    assert data.feature_names == ["x1", "x2"]


def test_csv_with_integer_and_float_targets(tmp_path):
    assert load_csv(write(tmp_path, "a,y\n1,0\n2,1\n"), "y").y.dtype == np.int64
    assert load_csv(write(tmp_path, "a,y\n1,0.5\n2,1\n"), "y").y.dtype == np.float64


def test_csv_targets_kept_as_text_when_asked(tmp_path):
    path = write(tmp_path, "a,y\n1,0\n2, 1 \n")
    data = load_csv(path, "y", target_text=True)
    assert data.y.tolist() == ["0", "1"]
    assert data.target_problem is not None  # a caller that needs numbers is told
    with pytest.raises(DataError, match="row 3, column 'y': the target is empty"):
        load_csv(write(tmp_path, "a,y\n1,0\n2,\n"), "y", target_text=True)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the file is empty"),
        ("a,b,y\n", "only a header row"),
        ("a,b,y\n1,2,0\n3,4\n", "row 3 has 2 cells but the header has 3 columns"),
        ("a,b,y\n1,2,0\n3,oops,1\n", "row 3, column 'b': 'oops' is not a number"),
        ("a,b,y\n1,,0\n", "row 2, column 'b': the cell is empty"),
        ("a,b,y\n1,nan,0\n", "row 2, column 'b': nan is not a finite number"),
        ("a,b,y\n1,inf,0\n", "row 2, column 'b': inf is not a finite number"),
        (
            "a,b,y\n1,2,0\n3,-1e400,1\n",
            "row 3, column 'b': -1e400 (too large for float64: it reads as -inf) is not a finite",
        ),
        ("a,a,y\n1,2,0\n", "column names repeat: ['a']"),
    ],
)
def test_csv_errors_name_the_row_and_column(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(DataError) as error:
        load_csv(path, target="y")
    assert message in str(error.value)
    assert str(error.value).startswith(path)


def test_a_number_too_large_for_float32_is_named_as_written(tmp_path):
    path = write(tmp_path, "a,b,y\n1,2,0\n\n3, 1e39 ,1\n")
    with pytest.raises(DataError, match=r"row 4, column 'b': 1e39 \(too large for float32: "
                       r"it reads as inf\) is not a finite number"):  # fmt: skip
        load_csv(path, target="y", dtype=np.float32)


def test_features_that_repeat_a_column_or_name_the_target_are_refused(tmp_path):
    path = write(tmp_path, "a,b,y\n1,2,0\n3,4,1\n")
    with pytest.raises(DataError, match=r"data.csv: features names a column twice: \['a'\]"):
        load_csv(path, "y", features=["a", "b", "a"])
    with pytest.raises(DataError, match="features names the target 'y' too; a column is a"):
        load_csv(path, "y", features=["a", "y"])
    with pytest.raises(TypeError, match=r"got the text 'a'; for one column write \['a'\]"):
        load_csv(path, "y", features="a")
    assert load_csv(path, "y", features=["b"]).X.tolist() == [[2.0], [4.0]]


def test_csv_unknown_target_and_missing_file(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n")
    with pytest.raises(DataError, match=r"no column named 'label'; the columns are \['a', 'b'\]"):
        load_csv(path, target="label")
    with pytest.raises(DataError, match="no such file"):
        load_csv(str(tmp_path / "missing.csv"))


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b,y\n1,2,0\n\n3,4,1\n5,6,1\n7,x,0\n", "row 6, column 'b': 'x' is not a number"),
        ("a,b,y\n\n1,2,0\n\n3,nan,1\n", "row 5, column 'b': nan is not a finite number"),
        ("a,b,y\n1,2,0\n\n\n3,4,\n", "row 5, column 'y': the target is empty"),
        ("a,b,y\n1,2,0\n\n3,4,inf\n", "row 4, column 'y': 'inf' is not a finite number"),
        ('a,b,y\n1,"2\n",0\n\n3,4\n', "row 5 has 2 cells but the header has 3 columns"),
    ],
)
def test_csv_errors_name_the_file_line_after_blank_lines(tmp_path, text, message):
    with pytest.raises(DataError) as error:
        load_csv(write(tmp_path, text), target="y")
    assert message in str(error.value)


def test_csv_blank_lines_hold_no_rows_and_raise_no_warning(tmp_path):
    # pytest turns warnings into errors here, so NumPy's "contained no data" would fail it.
    data = load_csv(write(tmp_path, "a,b,y\n\n1,2,red\n\n3,4,blue\n\n\n"), target="y")
    assert data.X.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert data.y.tolist() == ["red", "blue"]
    assert [data.line(0), data.line(1)] == [3, 5]


@pytest.mark.parametrize("load", [datasets.load_iris, datasets.load_digits])
def test_sklearn_sets_name_the_extra_when_scikit_learn_is_missing(load, monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` fail
    with pytest.raises(ImportError, match=r"pip install 'glassnet\[sklearn\]'"):
        load()


def test_csv_from_standard_input_is_read_once(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"a,y\n1,0\n2,1\n")))
    data = load_csv("-", target="y")
    assert data.X.tolist() == [[1.0], [2.0]] and data.path == "standard input"


def test_csv_from_a_fifo_written_once(tmp_path):
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("a,b,y\n1,2,x\n3,4,z\n"))
    writer.start()
    data = load_csv(str(fifo), target="y")
    writer.join(timeout=10)
    assert data.X.tolist() == [[1.0, 2.0], [3.0, 4.0]] and data.y.tolist() == ["x", "z"]


def test_a_quote_that_never_closes_names_the_row_where_it_opened(tmp_path):
    path = write(tmp_path, 'a,y\n1,0\n2,"oops\n3,1\n4,0\n5,1\n')
    with pytest.raises(DataError, match=r"row 3: a quote opens there and never closes"):
        load_csv(path, target="y")


def test_a_file_that_is_not_utf8_names_the_byte_and_line(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("a,label\n1,été\n2,ètè\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"not UTF-8 text: byte 0xe9 on line 2"):
        load_csv(str(path), target="label")


@pytest.mark.parametrize(
    "cells, expected, problem",
    [
        # beyond 2^53 two integers would merge into one float: kept as written
        (["9007199254740993", "9007199254740992"], ["9007199254740993", "9007199254740992"],
         "9007199254740993 is an integer beyond 2^53"),
        # beyond int64 (it became INT64_MIN before): kept as written
        (["99999999999999999999", "1"], ["99999999999999999999", "1"], "beyond 2^53"),
        # one rule for what a number is, the features' own: "1_000" is not one
        (["1_000", "2"], ["1_000", "2"], "'1_000' is not a number"),
        (["1", "2"], [1, 2], None),
        (["1e30", "2"], [1e30, 2.0], None),
    ],
)  # fmt: skip
def test_targets_are_kept_as_written_unless_float64_holds_them(tmp_path, cells, expected, problem):
    text = "a,y\n" + "".join(f"{row},{cell}\n" for row, cell in enumerate(cells))
    data = load_csv(write(tmp_path, text), target="y")
    assert data.y.tolist() == expected
    if problem is None:
        assert data.target_problem is None
    else:
        assert problem in data.target_problem and "row 2, column 'y'" in data.target_problem


def test_a_feature_cell_with_underscores_is_not_a_number_either(tmp_path):
    with pytest.raises(DataError, match="'1_000' is not a number"):
        load_csv(write(tmp_path, "a,y\n1_000,0\n"), target="y")


def test_a_header_cell_with_a_quoted_newline(tmp_path):
    data = load_csv(write(tmp_path, 'a,"b\nsecond line",y\n1,2,0\n3,4,1\n'), target="y")
    assert data.X.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert data.feature_names == ["a", "b\nsecond line"] and data.line(0) == 3


def test_many_columns_read_and_a_repeated_name_is_found(tmp_path):
    names = [f"c{i}" for i in range(40_000)]
    row = ",".join("1" for _ in names)
    data = load_csv(write(tmp_path, ",".join([*names, "y"]) + f"\n{row},0\n"), target="y")
    assert data.X.shape == (1, 40_000)
    with pytest.raises(DataError, match=r"column names repeat: \['c7'\]"):
        load_csv(write(tmp_path, ",".join([*names, "c7", "y"]) + f"\n{row},1,0\n"), target="y")


@pytest.mark.parametrize("path", ["/dev/zero", "/"])
def test_what_is_not_a_file_or_a_pipe_is_refused(path):
    with pytest.raises(DataError, match="not a regular file or a pipe|is a folder"):
        load_csv(path)
