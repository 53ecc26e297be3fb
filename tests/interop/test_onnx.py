"""ONNX export checked against onnxruntime: random networks of every activation in
float32 and float64, Standardize and Dropout, classifiers' labels and probabilities, the
estimators, and save_onnx."""

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")

from glassnet import Dense, Dropout, Network, Standardize  # noqa: E402
from glassnet.interop import save_onnx, to_onnx  # noqa: E402

ACTIVATIONS = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "softmax", "step", "sign"]


def run(model, X, dtype=np.float32):
    session = onnxruntime.InferenceSession(
        to_onnx(model, dtype).SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return dict(zip([o.name for o in session.get_outputs()],
                    session.run(None, {"X": X.astype(dtype)}), strict=True))  # fmt: skip


def random_network(activation, seed, dtype):
    rng = np.random.default_rng(seed)
    layers = [
        Standardize(rng.normal(size=5), rng.uniform(0.5, 2.0, size=5)),
        Dense(5, 7, activation),
        Dropout(0.3),
        Dense(7, 4, "tanh"),
        Dense(4, 3, activation if activation != "softmax" else "softmax"),
    ]
    loss = "crossentropy" if activation == "softmax" else "mse"
    return Network(layers, loss=loss, seed=seed, dtype=dtype), rng.normal(size=(64, 5))


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_every_activation_matches_onnxruntime_in_float32(activation, seed):
    network, X = random_network(activation, seed, np.float32)
    expected = network.forward(X.astype(np.float32))
    got = run(network, X)["variable"]
    if activation in ("step", "sign"):  # comparisons: equal where z is not within rounding of 0
        z = network.pre_activations(X.astype(np.float32))[-1]
        clear = np.abs(z) > 1e-5
        np.testing.assert_array_equal(got[clear], expected[clear])
    else:
        scale = np.maximum(np.abs(expected), 1.0)
        assert np.max(np.abs(got - expected) / scale) <= 1e-6


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_float64_matches_to_1e_12(activation):
    network, X = random_network(activation, 3, np.float64)
    got = run(network, X, np.float64)["variable"]
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, network.forward(X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("labels", [np.array([3, 5, 9]), np.array(["cat", "dog", "eel"])])
def test_a_classifier_gives_labels_and_probabilities(labels):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 4))
    y = labels[np.argmax(X[:, :3], axis=1)]
    network = Network([Dense(4, 6, "relu"), Dense(6, 3, "softmax")], loss="crossentropy", seed=0)
    network.fit(X, y, epochs=20, learning_rate=0.1)
    outputs = run(network, X)
    assert outputs["label"].tolist() == network.predict(X.astype(np.float32)).tolist()
    np.testing.assert_allclose(outputs["probabilities"], network.predict_proba(X), rtol=1e-5)


def test_a_binary_classifier_gives_two_probability_columns():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    network = Network([Dense(2, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
    network.fit(X, ["no", "yes", "yes", "yes"], epochs=300, learning_rate=1.0)
    outputs = run(network, X)
    assert outputs["label"].tolist() == ["no", "yes", "yes", "yes"]
    np.testing.assert_allclose(outputs["probabilities"], network.predict_proba(X), atol=1e-6)


def test_the_estimators_convert():
    sklearn_datasets = pytest.importorskip("sklearn.datasets")
    from sklearn.exceptions import ConvergenceWarning

    from glassnet.sklearn import GlassMLPClassifier, GlassMLPRegressor

    X, y = sklearn_datasets.load_iris(return_X_y=True)
    with pytest.warns(ConvergenceWarning):
        model = GlassMLPClassifier((8,), max_iter=20, random_state=0).fit(X, y)
    outputs = run(model, X, np.float64)
    assert outputs["label"].tolist() == model.predict(X).tolist()
    np.testing.assert_allclose(outputs["probabilities"], model.predict_proba(X), rtol=1e-12)
    with pytest.warns(ConvergenceWarning):
        regressor = GlassMLPRegressor((8,), max_iter=20, random_state=0).fit(X[:, :3], X[:, 3])
    np.testing.assert_allclose(run(regressor, X[:, :3], np.float64)["variable"].ravel(),
                               regressor.predict(X[:, :3]), rtol=1e-12)  # fmt: skip


def test_save_onnx_writes_a_model_onnx_reads(tmp_path):
    network, _ = random_network("relu", 0, np.float64)
    path = save_onnx(network, tmp_path / "model.onnx")
    onnx.checker.check_model(onnx.load(str(path)))
    with pytest.raises(ValueError, match="dtype must be float32 or float64"):
        to_onnx(network, np.int32)
    with pytest.raises(TypeError, match="takes a glassnet Network"):
        to_onnx("not a network")
