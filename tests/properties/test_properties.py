"""Properties that hold for every input, checked on generated ones (hypothesis, bounded and
derandomized so that every run checks the same examples): random CSV bytes only ever give
a DataError; a mutated model file only ever gives a ModelFileError or a model that
predicts exactly as the original; save and load are bit-identical; predictions do not
depend on the order of the rows."""

from __future__ import annotations

import io
import os
import zipfile

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import glassnet as gn  # noqa: E402
from glassnet.cli.main import main  # noqa: E402
from glassnet.datasets import CSVData, DataError, load_csv  # noqa: E402
from glassnet.modelfile import ModelFileError  # noqa: E402


def bounded(examples: int):
    """The same examples on every run, no time limit per example, no database."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])  # fmt: skip


# ---------------------------------------------------------------------- CSV bytes
# Bytes that look like CSV often enough to reach past the header: digits, signs, commas,
# quotes, line ends, letters, a byte that is not UTF-8, a BOM.
CSV_PIECES = st.sampled_from(
    [b"0", b"1", b"7", b"-", b"+", b".", b"e", b"x", b"y", b"a", b" ", b",", b'"', b"\n",
     b"\r\n", b"\r", b"nan", b"inf", b"1_000", b"\xff", b"\xef\xbb\xbf", b"\x00", b"9" * 30]
)  # fmt: skip
CSV_BYTES = st.one_of(st.binary(max_size=200), st.lists(CSV_PIECES, max_size=60).map(b"".join))


@bounded(1500)
@given(raw=CSV_BYTES, target=st.sampled_from([None, "y", "x"]))
def test_random_csv_bytes_give_data_or_a_data_error(tmp_path_factory, raw, target):
    path = tmp_path_factory.mktemp("csv") / "random.csv"
    path.write_bytes(raw)
    try:
        data = load_csv(path, target=target)
    except DataError as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
        return
    assert isinstance(data, CSVData) and np.isfinite(data.X).all()
    assert data.X.shape[0] == len(data.lines) >= 1


@bounded(100)
@given(raw=st.lists(CSV_PIECES, max_size=40).map(lambda pieces: b"x,y\n" + b"".join(pieces)))
def test_random_csv_bytes_never_make_train_fail_as_a_bug(tmp_path_factory, capsys, raw):
    folder = tmp_path_factory.mktemp("train")
    (folder / "random.csv").write_bytes(raw)
    code = main(["train", str(folder / "random.csv"), "--target", "y", "--epochs", "1",
                 "--validation-split", "0", "--hidden", "2", "--quiet",
                 "--out", str(folder / "m.glassnet")])  # fmt: skip
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err  # 2 is a usage error, 3 a bug: neither may happen
    if code == 1:
        assert len(captured.err.strip().splitlines()) == 1
        assert not (folder / "m.glassnet").exists()


# ---------------------------------------------------------------------- model files
def _trained_model_file() -> tuple[bytes, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    y = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    net = gn.Network([gn.Standardize.fit(X), gn.Dense(3, 4, "tanh", l2=0.01),
                      gn.Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)  # fmt: skip
    net.fit(X, y, epochs=3, learning_rate=0.5)
    buffer = io.BytesIO()
    folder = os.environ.get("TMPDIR", "/tmp")
    path = os.path.join(folder, f"glassnet-properties-{os.getpid()}.glassnet")
    try:
        gn.save(net, path, metadata={"features": ["a", "b", "c"], "target": "label"})
        with open(path, "rb") as handle:
            buffer.write(handle.read())
    finally:
        os.remove(path)
    return buffer.getvalue(), X, net.predict_proba(X)


MODEL, MODEL_X, MODEL_PROBABILITIES = _trained_model_file()
# Half the positions fall in the zip's headers (local headers, central directory, its end),
# where a flipped bit changes a version, a method, a flag or a size rather than the CRC.
HEADERS = sorted(
    offset
    for signature in (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06")
    for offset in range(len(MODEL))
    if MODEL.startswith(signature, offset)
)
POSITION = st.one_of(
    st.integers(0, len(MODEL) - 1),
    st.sampled_from(HEADERS).flatmap(lambda at: st.integers(at, min(at + 46, len(MODEL) - 1))),
)
MUTATION = st.one_of(
    st.tuples(st.just("flip"), POSITION, st.integers(0, 7)),
    st.tuples(st.just("set"), POSITION, st.integers(0, 255)),
    st.tuples(st.just("cut"), POSITION, st.just(0)),
    st.tuples(st.just("insert"), POSITION, st.integers(0, 255)),
)


def _mutated(mutations) -> bytes:
    raw = bytearray(MODEL)
    for kind, position, value in mutations:
        position = min(position, len(raw) - 1)
        if kind == "flip":
            raw[position] ^= 1 << value
        elif kind == "set":
            raw[position] = value
        elif kind == "cut":
            del raw[position:]
        else:
            raw.insert(position, value)
        if not raw:
            break
    return bytes(raw)


@bounded(2000)
@given(mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_a_mutated_model_file_is_refused_or_predicts_exactly_as_before(tmp_path_factory,
                                                                       mutations):  # fmt: skip
    path = tmp_path_factory.mktemp("model") / "mutated.glassnet"
    path.write_bytes(_mutated(mutations))
    try:
        model = gn.load(path)
    except ModelFileError as error:
        assert str(error).startswith(f"{path}: ") and "\n" not in str(error)
        return
    assert np.array_equal(model.predict_proba(MODEL_X), MODEL_PROBABILITIES)


# ---------------------------------------------------------------------- save and load
ACTIVATIONS = ["relu", "tanh", "sigmoid", "leaky_relu", "identity"]


@st.composite
def networks(draw):
    """A small network with weights drawn over many magnitudes, and inputs for it."""
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    sizes = draw(st.lists(st.integers(1, 5), min_size=2, max_size=4))
    hidden = [draw(st.sampled_from(ACTIVATIONS)) for _ in sizes[1:-1]]
    layers = [gn.Dense(a, b, f, l2=draw(st.sampled_from([0.0, 1e-3])))
              for a, b, f in zip(sizes[:-2], sizes[1:-1], hidden, strict=True)]  # fmt: skip
    layers.append(gn.Dense(sizes[-2], sizes[-1], "identity"))
    net = gn.Network(layers, "mse", seed=draw(st.integers(0, 2**32 - 1)), dtype=dtype)
    floats = st.floats(-1e3, 1e3, allow_nan=False, width=32)
    weights = [np.array(draw(st.lists(floats, min_size=p.size, max_size=p.size)),
                        dtype=dtype).reshape(p.shape) for p in net.get_weights()]  # fmt: skip
    net.set_weights(weights)
    rows = draw(st.integers(1, 12))
    X = np.array(draw(st.lists(floats, min_size=rows * sizes[0], max_size=rows * sizes[0])))
    return net, X.reshape(rows, sizes[0])


@bounded(300)
@given(case=networks())
def test_save_and_load_are_bit_identical(tmp_path_factory, case):
    net, X = case
    folder = tmp_path_factory.mktemp("saved")
    gn.save(net, folder / "a.glassnet", metadata={"note": "round trip"})
    loaded = gn.load(folder / "a.glassnet")
    for before, after in zip(net.get_weights(), loaded.get_weights(), strict=True):
        assert before.dtype == after.dtype and before.tobytes() == after.tobytes()
    with np.errstate(all="ignore"):
        assert np.array_equal(net.predict(X), loaded.predict(X), equal_nan=True)
    gn.save(loaded, folder / "b.glassnet", metadata={"note": "round trip"})
    with zipfile.ZipFile(folder / "a.glassnet") as a, zipfile.ZipFile(folder / "b.glassnet") as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}


@bounded(300)
@given(case=networks(), seed=st.integers(0, 2**32 - 1))
def test_predictions_do_not_depend_on_the_order_of_the_rows(case, seed):
    net, X = case
    order = np.random.default_rng(seed).permutation(len(X))
    with np.errstate(all="ignore"):
        assert np.array_equal(net.predict(X[order]), net.predict(X)[order], equal_nan=True)


def test_a_classifier_labels_rows_the_same_in_any_order():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(500, 4))
    net = gn.Network([gn.Dense(4, 16, "relu"), gn.Dense(16, 3, "softmax")], "crossentropy",
                     seed=0)  # fmt: skip
    net.fit(X, np.arange(500) % 3, epochs=2)
    order = rng.permutation(500)
    assert np.array_equal(net.predict(X[order]), net.predict(X)[order])
    assert np.array_equal(net.predict_proba(X[order]), net.predict_proba(X)[order])
