"""Same data, same parameters, the same numbers as scikit-learn's MLPs: the starting
weights, every step of sgd, momentum, Nesterov and Adam with mini-batches, a short last
batch and alpha > 0, and the curves and counters, to 1e-12."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPClassifier, MLPRegressor  # noqa: E402

from glassnet.sklearn import GlassMLPClassifier, GlassMLPRegressor  # noqa: E402
from glassnet.sklearn.mlp import scikit_learn_weights  # noqa: E402

SOLVERS = {
    "sgd": dict(solver="sgd", momentum=0.0),
    "momentum": dict(solver="sgd", momentum=0.9, nesterovs_momentum=False),
    "nesterov": dict(solver="sgd", momentum=0.9, nesterovs_momentum=True),
    "adam": dict(solver="adam"),
}


def data(task: str):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(53, 4))  # batches of 10: the last one has 3 rows
    if task == "binary":
        return X, (X[:, 0] + X[:, 1] > 0).astype(int)
    if task == "multiclass":
        return X, np.digitize(X[:, 0], [-0.5, 0.5])
    return X, np.stack([X[:, 0] - X[:, 1], X[:, 2] * X[:, 3]], axis=1)


@pytest.mark.parametrize("task", ["binary", "multiclass", "regression"])
@pytest.mark.parametrize("solver", sorted(SOLVERS))
@pytest.mark.parametrize("shuffle", [False, True])
def test_every_step_is_scikit_learns(task, solver, shuffle):
    glass_class, reference_class = (
        (GlassMLPRegressor, MLPRegressor) if task == "regression" else
        (GlassMLPClassifier, MLPClassifier)
    )  # fmt: skip
    X, y = data(task)
    settings = dict(hidden_layer_sizes=(6, 5), activation="tanh", alpha=0.3, batch_size=10,
                    learning_rate_init=0.05, max_iter=15, shuffle=shuffle, random_state=3,
                    **SOLVERS[solver])  # fmt: skip
    with pytest.warns(ConvergenceWarning):
        glass = glass_class(**settings).fit(X, y)
    with pytest.warns(ConvergenceWarning):
        reference = reference_class(**settings).fit(X, y)
    for ours, theirs in zip(glass.coefs_ + glass.intercepts_,
                            reference.coefs_ + reference.intercepts_, strict=True):  # fmt: skip
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(glass.loss_curve_, reference.loss_curve_, rtol=1e-12)
    assert (glass.n_iter_, glass.t_) == (reference.n_iter_, reference.t_) == (15, 15 * 53)


@pytest.mark.parametrize("activation", ["relu", "logistic"])
def test_starting_weights_are_glorot_uniform_as_scikit_learn_draws_them(activation):
    # One epoch of plain SGD with a learning rate too small to move anything measurably:
    # what scikit-learn ends with is its starting weights to 1e-12.
    X, y = data("multiclass")
    settings = dict(hidden_layer_sizes=(7,), activation=activation, solver="sgd",
                    momentum=0.0, learning_rate_init=1e-14, max_iter=1, random_state=5)  # fmt: skip
    with pytest.warns(ConvergenceWarning):
        reference = MLPClassifier(**settings).fit(X, y)
    start = scikit_learn_weights([4, 7, 3], activation, 5, np.float64)
    theirs_all = [reference.coefs_[0], reference.intercepts_[0], reference.coefs_[1],
                  reference.intercepts_[1]]  # fmt: skip
    for ours, theirs in zip(start, theirs_all, strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-12)
    factor = 2.0 if activation == "logistic" else 6.0
    assert np.abs(start[0]).max() <= np.sqrt(factor / (4 + 7))
