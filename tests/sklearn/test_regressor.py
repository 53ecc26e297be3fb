"""GlassMLPRegressor: parity with MLPRegressor step for step, several outputs, its loss,
lbfgs, and the worked step."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.datasets import make_regression  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.neural_network import MLPRegressor  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from glassnet import Trace  # noqa: E402
from glassnet.sklearn import GlassMLPRegressor  # noqa: E402


def test_regression_matches_scikit_learn_with_adam(one_step_pair):
    # scikit-learn's squared loss and Adam with epsilon on sqrt(v): the same step.
    X, y = make_regression(n_samples=12, n_features=4, noise=1.0, random_state=0)
    start, glass, reference = one_step_pair(
        GlassMLPRegressor, MLPRegressor, X, y / 100, batch_size=5, learning_rate_init=0.1
    )
    glass = glass[0::2] + glass[1::2]
    for ours, theirs in zip(glass, reference, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    assert not np.allclose(start[0], glass[0])


def test_regressor_with_several_outputs():
    X, Y = make_regression(n_samples=200, n_features=5, n_targets=2, random_state=0)
    X, Y = StandardScaler().fit_transform(X), Y / Y.std(axis=0)
    model = GlassMLPRegressor((32,), learning_rate_init=0.01, max_iter=1000, random_state=0)
    reference = MLPRegressor(
        hidden_layer_sizes=(32,), learning_rate_init=0.01, max_iter=1000, random_state=0
    )
    model.fit(X, Y), reference.fit(X, Y)
    assert model.predict(np.zeros((3, 5))).shape == (3, 2)
    np.testing.assert_allclose(model.predict(X), reference.predict(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(model.loss_curve_, reference.loss_curve_, rtol=1e-9)
    with pytest.raises(ValueError, match="y has 1 output columns"):
        model.set_params(warm_start=True).fit(X, Y[:, 0])


def test_output_layer_is_linear_with_scikit_learns_squared_loss():
    X, Y = make_regression(n_samples=20, n_features=3, n_targets=3, random_state=0)
    model = GlassMLPRegressor((4, 5), "logistic", max_iter=3, tol=1.0, n_iter_no_change=1)
    network = model.fit(X, Y / 100).network_
    assert [layer.activation.name for layer in network.dense_layers] == [
        "sigmoid",
        "sigmoid",
        "identity",
    ]
    assert [layer.n_outputs for layer in network.dense_layers] == [4, 5, 3]
    assert network.loss.name == "mse" and model.out_activation_ == "identity"
    with pytest.raises(ValueError, match="glassnet has no Poisson loss"):
        GlassMLPRegressor(loss="poisson").fit(X, Y[:, 0])


def test_partial_fit_takes_one_epoch_without_a_convergence_warning():
    X, y = make_regression(n_samples=20, n_features=3, random_state=0)
    model = GlassMLPRegressor((4,), random_state=0)
    model.partial_fit(X, y / 100).partial_fit(X, y / 100)  # warnings are errors here
    assert model.n_iter_ == 1 and len(model.loss_curve_) == 2 and model.t_ == 40


def test_max_iter_reached_warns_that_it_may_not_have_converged():
    X, y = make_regression(n_samples=20, n_features=3, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(2\) reached"):
        model = GlassMLPRegressor((4,), max_iter=2, random_state=0).fit(X, y / 100)
    assert model.n_iter_ == 2 and not model.network_.stop.early


def test_lbfgs_matches_scikit_learns_lbfgs():
    X, y = make_regression(n_samples=50, n_features=3, noise=5.0, random_state=0)
    settings = dict(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=5, random_state=0)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        model = GlassMLPRegressor(**settings).fit(X, y / 100)
    with pytest.warns(ConvergenceWarning):
        reference = MLPRegressor(**settings).fit(X, y / 100)
    assert model.n_iter_ == reference.n_iter_ == 5
    assert model.loss_ == pytest.approx(reference.loss_, rel=1e-6)


def test_trace_uses_the_l2_of_a_batch_of_its_rows():
    X, y = make_regression(n_samples=20, n_features=3, random_state=0)
    model = GlassMLPRegressor((4,), alpha=0.5, max_iter=3, tol=1.0, n_iter_no_change=1)
    model.fit(X, y / 100)
    before = model.network_.get_weights()
    trace = model.trace(X[:4], y[:4] / 100, learning_rate=0.1)
    assert isinstance(trace, Trace)
    for old, now in zip(before, model.network_.get_weights(), strict=True):
        np.testing.assert_array_equal(old, now)  # the estimator is untouched
    np.testing.assert_allclose(trace["new W[1]"], before[0] - 0.1 * trace["dE/dW[1]"])
    # Without the penalty the gradient lacks l2 * W, with l2 = alpha / 4 for 4 rows.
    plain = model.set_params(alpha=0.0).trace(X[:4], y[:4] / 100, learning_rate=0.1)
    np.testing.assert_allclose(trace["dE/dW[1]"] - plain["dE/dW[1]"], 0.5 / 4 * before[0])
