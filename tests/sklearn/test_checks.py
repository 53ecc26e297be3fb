"""The estimators' parameter checks: named in one line by fit (not __init__), through
glassnet's one validator, and the checks of glassnet.sklearn.checks on their own."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from glassnet.sklearn import GlassMLPClassifier, GlassMLPRegressor, GlassPerceptron  # noqa: E402
from glassnet.sklearn.checks import (  # noqa: E402
    check_batch_size,
    check_hidden_sizes,
    check_labels,
    check_sample_weight,
    seed_from,
)


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(solver="newton"), "solver must be one of 'lbfgs', 'sgd', 'adam', got 'newton'"),
        (dict(learning_rate="cyclic"),
         "learning_rate must be one of 'constant', 'invscaling', 'adaptive', got 'cyclic'"),
        (dict(max_fun=0), "max_fun must be a whole number in [1, inf), got 0"),
        (dict(power_t=-1.0), "power_t must be a number in [0, inf), got -1.0"),
        (dict(verbose=-1), "verbose must be True, False or a whole number in [0, inf), got -1"),
        (dict(activation="softplus"),
         "activation must be one of 'identity', 'logistic', 'tanh', 'relu', got 'softplus'"),
        (dict(hidden_layer_sizes=(4, 0)),
         "hidden_layer_sizes must be positive integers (one per hidden layer), got (4, 0)"),
        (dict(batch_size=0), "batch_size must be 'auto' or a whole number in [1, inf), got 0"),
        (dict(learning_rate_init=-1.0),
         "learning_rate_init must be a number in (0, inf), got -1.0"),
        (dict(early_stopping=True, validation_fraction=0.0),
         "validation_fraction must be a number in (0, 1), got 0.0 (with early_stopping)"),
        (dict(shuffle="yes"), "shuffle must be True or False, got 'yes'"),
    ],
)  # fmt: skip
def test_bad_parameters_are_named_in_fit(params, message, iris):
    X, y = iris
    model = GlassMLPClassifier(**params)  # __init__ only stores
    with pytest.raises(ValueError) as error:
        model.fit(X, y)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(alpha=float("inf")), "alpha must be a number in [0, inf), got inf"),
        (dict(max_iter=2.5), "max_iter must be a whole number in [1, inf), got 2.5"),
        (dict(tol=-1e-4), "tol must be a number in [0, inf), got -0.0001"),
        (dict(momentum=1.5), "momentum must be a number in [0, 1], got 1.5"),
        (dict(validation_fraction=1.5), "validation_fraction must be a number in [0, 1), got 1.5"),
        (dict(beta_1=1.0), "beta_1 must be a number in [0, 1), got 1.0"),
        (dict(beta_2=-0.1), "beta_2 must be a number in [0, 1), got -0.1"),
        (dict(epsilon=0.0), "epsilon must be a number in (0, inf), got 0.0"),
        (dict(n_iter_no_change=0), "n_iter_no_change must be a whole number in [1, inf), got 0"),
        (dict(warm_start=1), "warm_start must be True or False, got 1"),
    ],
)
def test_every_mlp_number_and_flag_is_checked_in_fit(params, message):
    X, y = np.array([[0.0], [1.0]]), np.array([0.0, 1.0])
    with pytest.raises(ValueError) as error:
        GlassMLPRegressor(**params).fit(X, y)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "params, message",
    [
        (dict(eta0=0), "eta0 must be a number in (0, inf), got 0"),
        (dict(max_iter=0), "max_iter must be a whole number in [1, inf), got 0"),
        (dict(tol=-1), "tol must be a number in [0, inf), got -1"),
        (
            dict(n_iter_no_change=1.5),
            "n_iter_no_change must be a whole number in [1, inf), got 1.5",
        ),
        (dict(mode="both"), "mode must be one of 'online', 'batch', got 'both'"),
        (dict(fit_intercept="no"), "fit_intercept must be True or False, got 'no'"),
    ],
)
def test_bad_perceptron_parameters_are_named_in_fit_and_partial_fit(params, message):
    X, y = np.array([[0.0], [1.0]]), np.array([0, 1])
    for train in (lambda model: model.fit(X, y), lambda model: model.partial_fit(X, y, [0, 1])):
        with pytest.raises(ValueError) as error:
            train(GlassPerceptron(**params))  # __init__ only stores
        assert str(error.value) == message


def test_hidden_layer_sizes_take_an_int_or_a_sequence():
    assert check_hidden_sizes(5) == [5]
    assert check_hidden_sizes(np.int64(5)) == [5]
    assert check_hidden_sizes((16, 8)) == [16, 8]
    assert check_hidden_sizes([]) == []
    for bad in ((4, 0), 0, (2.5,), "16", (True,), None):
        with pytest.raises(ValueError, match="hidden_layer_sizes must be positive integers"):
            check_hidden_sizes(bad)


def test_batch_size_is_auto_or_a_positive_whole_number():
    assert check_batch_size("auto") == "auto"
    assert check_batch_size(np.int32(7)) == 7
    for bad in ("all", 0, 2.0, True):
        with pytest.raises(ValueError, match="batch_size must be 'auto' or a whole number"):
            check_batch_size(bad)


def test_labels_outside_the_classes_are_named():
    check_labels(np.array([1, 2]), np.array([0, 1, 2]))
    with pytest.raises(
        ValueError, match=r"^y has a label 7 that is not one of the classes \[0, 1\]$"
    ):
        check_labels(np.array([0, 7, 9]), np.array([0, 1]))


def test_a_seed_from_random_state():
    assert seed_from(3) == seed_from(3)
    assert seed_from(3) != seed_from(4)
    state = np.random.RandomState(0)
    first, second = seed_from(state), seed_from(state)
    assert first != second  # a RandomState moves on with each draw
    assert seed_from(np.random.RandomState(0)) == first
    assert isinstance(seed_from(None), int)


def test_what_scikit_learn_accepts_is_accepted(iris):
    X, y = iris
    model = GlassMLPClassifier((3,), n_iter_no_change=np.inf, verbose=0, max_iter=2)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    assert model.n_iter_ == 2


def test_sample_weight_is_checked_and_named():
    assert check_sample_weight(None, 3, np.float64) is None
    assert check_sample_weight(2.0, 3, np.float64).tolist() == [2.0, 2.0, 2.0]
    for bad, message in (
        ([1.0, 2.0], r"sample_weight must have shape \(3,\)"),
        ([1.0, np.nan, 1.0], "sample_weight must be finite, got nan at row 1"),
        ([0.0, 0.0, 0.0], "sample_weight is zero for every row"),
        (["a", "b", "c"], "sample_weight must be numbers"),
    ):
        with pytest.raises(ValueError, match=message):
            check_sample_weight(bad, 3, np.float64)
