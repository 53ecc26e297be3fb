"""Model files: bit-identical round trips, atomic writes, and every bad file refused clearly."""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
import pytest

import glassnet as gn
from glassnet.modelfile import FORMAT_VERSION, ModelFileError, read


def _trained_classifier(dtype=np.float64) -> tuple[gn.Network, np.ndarray]:
    rng = np.random.default_rng(0)
    X = rng.normal(5.0, 3.0, size=(60, 3))
    y = np.array(["cat", "dog", "eel"])[np.argmax(X, axis=1)]
    net = gn.Network(
        [
            gn.Standardize.fit(X),
            gn.Dense(3, 5, {"name": "leaky_relu", "slope": 0.05}, l2=0.001),
            gn.Dropout(0.1),
            gn.Dense(5, 3, "softmax"),
        ],
        loss="crossentropy",
        seed=3,
        dtype=dtype,
    )
    net.fit(X, y, epochs=20, learning_rate=0.1, batch_size=16)
    return net, X


def _rewrite(source, target, replace: dict[str, bytes | None]) -> None:
    """Copy a model zip, replacing (or with None, dropping) some members."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = replace.get(name, old.read(name))
            if data is not None:
                new.writestr(name, data)
        for name, data in replace.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)


def _edit_json(source, target, change) -> None:
    with zipfile.ZipFile(source) as archive:
        document = json.loads(archive.read("model.json"))
    change(document)
    _rewrite(source, target, {"model.json": json.dumps(document).encode()})


def _npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_network_round_trip_is_bit_identical(tmp_path, dtype):
    net, X = _trained_classifier(dtype)
    path = tmp_path / "model.glassnet"
    gn.save(net, path, metadata={"note": "hello", "figure": np.float32(0.25)})
    loaded = read(path)
    again = loaded.model
    assert isinstance(again, gn.Network)
    assert again.predict_proba(X).tobytes() == net.predict_proba(X).tobytes()
    assert again.predict(X).tolist() == net.predict(X).tolist()
    assert again.config() == net.config()
    for mine, theirs in zip(again.get_weights(), net.get_weights(), strict=True):
        assert mine.dtype == theirs.dtype and mine.tobytes() == theirs.tobytes()
    assert again.layers[0].mean.tobytes() == net.layers[0].mean.tobytes()
    assert loaded.metadata == {"note": "hello", "figure": 0.25}
    assert loaded.format_version == 1  # nothing of format 2 in it: older readers read it
    assert loaded.glassnet_version == gn.__version__


def test_binary_integer_labels_and_regression_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 2))
    binary = gn.Network([gn.Dense(2, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
    binary.fit(X, np.where(X[:, 0] > 0, 7, 3), epochs=30, learning_rate=0.5)
    regression = gn.Network([gn.Dense(2, 4, "tanh"), gn.Dense(4, 1, "identity")], seed=0)
    regression.fit(X, X[:, 0] - 2 * X[:, 1], epochs=30, learning_rate=0.1)
    for net in (binary, regression):
        gn.save(net, tmp_path / "m.glassnet")
        again = gn.load(tmp_path / "m.glassnet")
        assert again.predict(X).tobytes() == net.predict(X).tobytes()
    assert gn.load(tmp_path / "m.glassnet").targets.kind == "values"
    gn.save(binary, tmp_path / "b.glassnet")
    labels = gn.load(tmp_path / "b.glassnet").classes
    assert labels.tolist() == [3, 7] and labels.dtype.kind == "i"


def test_untrained_network_has_no_targets_after_loading(tmp_path):
    net = gn.Network([gn.Dense(2, 3, "relu", use_bias=False), gn.Dense(3, 1)], seed=5)
    gn.save(net, tmp_path / "m.glassnet")
    again = gn.load(tmp_path / "m.glassnet")
    assert again.targets is None
    assert again.forward([[0.3, 0.5]]).tobytes() == net.forward([[0.3, 0.5]]).tobytes()


@pytest.mark.parametrize("activation,bias", [("step", 0.0), ("sign", None)])
def test_perceptron_round_trip(tmp_path, activation, bias):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    labels = np.array(["off", "on", "on", "on"])
    perceptron = gn.Perceptron(2, learning_rate=0.3, bias=bias, activation=activation, seed=2)
    perceptron.fit(X, labels, max_epochs=50)
    gn.save(perceptron, tmp_path / "p.glassnet")
    again = gn.load(tmp_path / "p.glassnet")
    assert isinstance(again, gn.Perceptron)
    assert again.weights.tobytes() == perceptron.weights.tobytes()
    assert again.bias == perceptron.bias
    assert again.predict(X).tolist() == perceptron.predict(X).tolist()
    assert (again.converged, again.message) == (perceptron.converged, perceptron.message)
    assert again.activation == perceptron.activation


def test_the_same_model_gives_the_same_bytes(tmp_path):
    net, _ = _trained_classifier()
    gn.save(net, tmp_path / "a.glassnet")
    gn.save(net, tmp_path / "b.glassnet")
    assert (tmp_path / "a.glassnet").read_bytes() == (tmp_path / "b.glassnet").read_bytes()


def test_a_failed_save_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    net, _ = _trained_classifier()
    path = tmp_path / "m.glassnet"
    gn.save(net, path)
    before = path.read_bytes()

    def broken_save(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(np, "save", broken_save)
    with pytest.raises(RuntimeError, match="disk on fire"):
        gn.save(gn.Network([gn.Dense(1, 1)], seed=0), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["m.glassnet"]


def test_a_model_with_nan_weights_is_not_saved(tmp_path):
    net = gn.Network([gn.Dense(2, 1)], seed=0)
    net.layers[0].weights[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"W\[1\] holds NaN"):
        gn.save(net, tmp_path / "m.glassnet")
    assert os.listdir(tmp_path) == []


def test_save_names_a_missing_folder_and_refuses_other_objects(tmp_path):
    net = gn.Network([gn.Dense(2, 1)], seed=0)
    with pytest.raises(OSError, match="does not exist"):
        gn.save(net, tmp_path / "nowhere" / "m.glassnet")
    with pytest.raises(TypeError, match="Network or a Perceptron"):
        gn.save("not a model", tmp_path / "m.glassnet")


@pytest.fixture
def saved(tmp_path):
    net, _ = _trained_classifier()
    path = tmp_path / "good.glassnet"
    gn.save(net, path)
    return path


def test_missing_file_folder_and_non_zip_are_refused(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        gn.load(tmp_path / "absent.glassnet")
    with pytest.raises(ModelFileError, match="is a folder"):
        gn.load(tmp_path)
    text = tmp_path / "data.csv"
    text.write_text("a,b\n1,2\n")
    with pytest.raises(ModelFileError, match=r"data.csv: not a glassnet model file \(not a zip"):
        gn.load(text)


def test_truncated_file_is_refused(saved, tmp_path):
    data = saved.read_bytes()
    cut = tmp_path / "cut.glassnet"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="damaged or truncated zip"):
        gn.load(cut)


def test_altered_bytes_fail_the_checksum(saved, tmp_path):
    data = bytearray(saved.read_bytes())
    with zipfile.ZipFile(saved) as archive:
        info = archive.getinfo("arrays/1.npy")
    # The member's data starts after its 30-byte local header and its name.
    start = info.header_offset + 30 + len(info.filename)
    data[start + info.compress_size // 2] ^= 0xFF
    altered = tmp_path / "altered.glassnet"
    altered.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match=r"arrays/1.npy is damaged"):
        gn.load(altered)


def test_a_member_in_the_archive_twice_is_refused(saved, tmp_path):
    doubled = tmp_path / "doubled.glassnet"
    with zipfile.ZipFile(saved) as good, zipfile.ZipFile(doubled, "w") as archive:
        archive.writestr("model.json", b'{"format": "glassnet-model"}')  # read by some tools
        with pytest.warns(UserWarning, match="Duplicate name"):
            for name in good.namelist():
                archive.writestr(name, good.read(name))  # the copy Python's zipfile reads
    with pytest.raises(ModelFileError, match="model.json is in the archive twice; the file may"):
        gn.load(doubled)


def test_a_dash_for_the_model_is_not_standard_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ModelFileError, match="^-: a model file is read from a file on disk, not"):
        gn.load("-")


def test_zip_that_is_not_a_model(tmp_path):
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ModelFileError, match=r"not a glassnet model file \(a zip archive "
                       r"without model.json; it holds readme.txt\)"):  # fmt: skip
        gn.load(other)
    arrays = tmp_path / "arrays.npz"  # another program's file: NumPy's
    np.savez(arrays, weights=np.zeros(3), bias=np.zeros(1))
    with pytest.raises(ModelFileError, match="without model.json; it holds weights.npy, bias"):
        gn.load(arrays)
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("model.json", '{"format": "something-else"}')
    with pytest.raises(ModelFileError, match="not a glassnet model"):
        gn.load(other)
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("model.json", "{not json")
    with pytest.raises(ModelFileError, match="not valid JSON"):
        gn.load(other)


def test_newer_format_asks_for_an_upgrade(saved, tmp_path):
    newer = tmp_path / "newer.glassnet"
    _edit_json(saved, newer, lambda d: d.update(format_version=FORMAT_VERSION + 1))
    with pytest.raises(ModelFileError, match=f"format {FORMAT_VERSION + 1}.*upgrade"):
        gn.load(newer)


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda d: d["layers"][1]["activation"].update(name="swish"), "unknown activation 'swish'"),
        (lambda d: d["layers"][1]["activation"].update(bogus=1), "bad activation settings"),
        (lambda d: d.update(loss="hinge"), "unknown loss 'hinge'"),
        (lambda d: d["layers"][1].update(n_outputs=6), r"shape \(3, 5\); the architecture needs"),
        (lambda d: d["layers"][3].update(n_inputs=4), "architecture needs"),
        (lambda d: d["layers"].append({"type": "Conv2D"}), "unknown layer type 'Conv2D'"),
        (lambda d: d.update(dtype="float16"), "dtype must be"),
        (lambda d: d["targets"].update(classes=["a", "b", "b"]), "distinct labels"),
        (lambda d: d["targets"].update(classes=[1, 2, 3]), "not of type str"),
        (lambda d: d["targets"].update(kind="binary"), "binary labels need"),
        (lambda d: d["arrays"].pop(), "needs 6 arrays"),
        (lambda d: d["arrays"][0].update(name="W[9]"), r"names it 'W\[9\]'"),
        (lambda d: d["arrays"][0].update(file="arrays/99.npy"), "arrays/99.npy is missing"),
        (lambda d: d["arrays"][0].update(shape=[3, 5]), r"lists shape \[3, 5\]; the arch"),
        (lambda d: d["arrays"][0].update(shape=[-3, 5]), r"lists shape \[-3, 5\]"),
        (lambda d: d["arrays"][0].update(shape="3x5"), "'shape' has the wrong type"),
        (lambda d: d["arrays"][0].update(dtype="int8"), "lists dtype 'int8'; the model's is"),
        (lambda d: d.update(kind="Transformer"), "unknown model kind"),
        (lambda d: d.pop("layers"), "has no 'layers'"),
        (lambda d: d.update(seed="zero"), "'seed' has the wrong type"),
    ],
)
def test_tampered_model_json_is_refused(saved, tmp_path, change, message):
    tampered = tmp_path / "tampered.glassnet"
    _edit_json(saved, tampered, change)
    with pytest.raises(ModelFileError, match=message):
        gn.load(tampered)


@pytest.mark.parametrize(
    "metadata,message",
    [
        ({"features": [1, 2, 3]}, r"'features' must be a list of column names, got \[1, 2, 3\]"),
        ({"features": "abc"}, "'features' must be a list of column names"),
        ({"features": ["a"]}, "'features' names 1 columns but the model takes 3 inputs"),
        ({"features": ["a", "b", "a"]}, r"'features' names a column twice: \['a'\]"),
        ({"target": 7}, "'target' must be a column name or null, got 7"),
        ({"features": ["a", "b", "y"], "target": "y"}, "'features' names the target 'y' too"),
        ({"training": [1]}, "'training' must be an object"),
        (
            {"figures": {"validation": {"accuracy": "high"}}},
            "figures 'validation' must be finite numbers",
        ),
        ({"figures": {"rmse": True}}, "figures 'rmse' must be finite numbers"),
        ({"diagnostics": "fine"}, "'diagnostics' must be a list"),
        ({"diagnostics": [1]}, "'diagnostics' must be a list of sentences"),
    ],
)
def test_tampered_metadata_is_refused(saved, tmp_path, metadata, message):
    tampered = tmp_path / "tampered.glassnet"
    _edit_json(saved, tampered, lambda d: d["metadata"].update(metadata))
    with pytest.raises(ModelFileError, match=message) as error:
        gn.load(tampered)
    assert str(error.value).startswith(f"{tampered}: metadata: ")


def test_metadata_fields_glassnet_reads_are_accepted_when_well_formed(saved, tmp_path):
    metadata = {"features": ["a", "b", "c"], "target": None, "training": {"epochs": 3},
                "figures": {"training": {"loss": 0.5, "r2": None}, "errors": 0},
                "diagnostics": ["a note"], "anything": {"else": [1, "x"]}}  # fmt: skip
    kept = tmp_path / "kept.glassnet"
    _edit_json(saved, kept, lambda d: d["metadata"].update(metadata))
    assert read(kept).metadata == metadata


def test_nan_wrong_dtype_and_pickled_arrays_are_refused(saved, tmp_path):
    with zipfile.ZipFile(saved) as archive:
        weights = np.load(io.BytesIO(archive.read("arrays/2.npy")))
    bad = tmp_path / "bad.glassnet"
    with_nan = weights.copy()
    with_nan[0, 0] = np.nan
    _rewrite(saved, bad, {"arrays/2.npy": _npy(with_nan)})
    with pytest.raises(ModelFileError, match="NaN or infinite"):
        gn.load(bad)
    _rewrite(saved, bad, {"arrays/2.npy": _npy(weights.astype(np.float32))})
    with pytest.raises(ModelFileError, match="holds float32, expected float64"):
        gn.load(bad)
    # An object array can only be read by unpickling, which could run code: refused.
    objects = np.empty(weights.shape, dtype=object)
    _rewrite(saved, bad, {"arrays/2.npy": _npy(objects, allow_pickle=True)})
    with pytest.raises(ModelFileError, match="not a readable .npy array"):
        gn.load(bad)
    _rewrite(saved, bad, {"arrays/2.npy": b"\x00" * 100_000})
    with pytest.raises(ModelFileError, match="more than the"):
        gn.load(bad)


def test_standardize_layer_scales_and_passes_gradients_back():
    X = np.array([[1.0, 10.0, 7.0], [3.0, 30.0, 7.0], [5.0, 20.0, 7.0]])
    layer = gn.Standardize.fit(X)
    # Column means 3, 20, 7; standard deviations sqrt(8/3), sqrt(200/3); the constant
    # column keeps scale 1 so it is only centred.
    assert layer.mean.tolist() == [3.0, 20.0, 7.0]
    assert np.allclose(layer.scale, [np.sqrt(8 / 3), np.sqrt(200 / 3), 1.0])
    out = layer.forward(X)
    assert np.allclose(out.mean(axis=0), 0) and np.allclose(out[:, :2].std(axis=0), 1)
    grad = np.array([[1.0, 2.0, 3.0]])
    assert np.allclose(layer.backward(grad), grad / layer.scale)
    net = gn.Network([layer, gn.Dense(3, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
    assert gn.gradcheck(net, X, np.array([0, 1, 1])).passed
    with pytest.raises(ValueError, match="must come first"):
        gn.Network([gn.Dense(3, 3), gn.Standardize.fit(X)])
    with pytest.raises(ValueError, match="scale must be positive"):
        gn.Standardize([0.0, 0.0], [1.0, 0.0])


def test_custom_activations_and_losses_are_refused_before_writing(tmp_path):
    class Cube(gn.Activation):
        name = "cube"

        def forward(self, z):
            return z**3

        def derivative(self, z, a):
            return 3 * z**2

    with pytest.raises(ValueError, match="custom activation"):
        gn.save(gn.Network([gn.Dense(2, 1, Cube())], seed=0), tmp_path / "m.glassnet")

    class Quartic(gn.Loss):
        name = "quartic"

    with pytest.raises(ValueError, match="custom loss"):
        gn.save(gn.Network([gn.Dense(2, 1)], loss=Quartic(), seed=0), tmp_path / "m.glassnet")
    assert os.listdir(tmp_path) == []


def test_l1_survives_a_round_trip_and_old_files_without_it_load(tmp_path):
    net = gn.Network([gn.Dense(2, 1, "sigmoid", l1=0.25)], loss="binary_crossentropy", seed=0)
    path = tmp_path / "l1.glassnet"
    gn.save(net, path)
    assert gn.load(path).layers[0].l1 == 0.25
    old = tmp_path / "old.glassnet"
    _edit_json(path, old, lambda document: document["layers"][0].pop("l1"))
    assert gn.load(old).layers[0].l1 == 0.0


def test_a_model_that_needs_format_2_says_so_and_one_that_does_not_stays_1(tmp_path):
    plain = gn.Network([gn.Dense(2, 1)], seed=0)
    with_l1 = gn.Network([gn.Dense(2, 1, l1=0.1)], seed=0)
    textbook = gn.Perceptron(2, weights=[0.3, -0.1], threshold=0.2, step_at_zero=1)
    for model, version in ((plain, 1), (with_l1, FORMAT_VERSION), (textbook, FORMAT_VERSION)):
        gn.save(model, tmp_path / "m.glassnet")
        assert read(tmp_path / "m.glassnet").format_version == version
