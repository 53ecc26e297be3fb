"""What the estimators take in, checked: their parameters, the class labels, the seed.

The numbers, choices and flags go through glassnet's one validator of settings
(``glassnet.engine.validation``); here stand only the rules that are scikit-learn's:
``hidden_layer_sizes`` as an int or a sequence, ``batch_size="auto"``, a validation
fraction that must leave rows on both sides with ``early_stopping``, and ``random_state``
turned into a seed. Every check raises a one-line ``ValueError`` naming the parameter, what
it takes and the value it got. The estimators run them in ``fit``, not in ``__init__``,
as scikit-learn's contract asks (``__init__`` only stores).

Example:
    >>> check_hidden_sizes((16, 8))
    [16, 8]
    >>> check_hidden_sizes((16, 0))
    Traceback (most recent call last):
    ValueError: hidden_layer_sizes must be positive integers (one per hidden layer), got (16, 0)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike
from sklearn.utils import check_random_state

from glassnet.engine.validation import check_choice, check_flag, check_integer, check_number

__all__ = [
    "HIDDEN_ACTIVATIONS",
    "LEARNING_RATES",
    "MODES",
    "PENALTIES",
    "SOLVERS",
    "check_batch_size",
    "check_hidden_sizes",
    "check_labels",
    "check_mlp_parameters",
    "check_sample_weight",
    "check_perceptron_parameters",
    "seed_from",
]

# scikit-learn's names for the hidden activations, and glassnet's for the same functions.
HIDDEN_ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu"}
SOLVERS = ("lbfgs", "sgd", "adam")
LEARNING_RATES = ("constant", "invscaling", "adaptive")
MODES = ("online", "batch")
PENALTIES = ("l2", "l1", "elasticnet")


def check_hidden_sizes(sizes: object) -> list[int]:
    """``hidden_layer_sizes`` (one int, or one per hidden layer) as a list of positive ints.

    Example:
        >>> check_hidden_sizes(5), check_hidden_sizes(()), check_hidden_sizes(np.array([3, 2]))
        ([5], [], [3, 2])
    """
    if isinstance(sizes, Iterable) and not isinstance(sizes, numbers.Integral):
        listed = list(sizes)
    else:  # one value: an int, or anything else, refused below with the others
        listed = [sizes]
    try:
        return [check_integer("a hidden layer size", size, low=1) for size in listed]
    except ValueError:
        raise ValueError(
            f"hidden_layer_sizes must be positive integers (one per hidden layer), got {sizes!r}"
        ) from None


def check_batch_size(size: object) -> int | str:
    """``batch_size``: ``"auto"`` or a whole number of rows, at least 1.

    Example:
        >>> check_batch_size("auto"), check_batch_size(32)
        ('auto', 32)
        >>> check_batch_size(0)
        Traceback (most recent call last):
        ValueError: batch_size must be 'auto' or a whole number in [1, inf), got 0
    """
    if isinstance(size, str) and size == "auto":
        return size
    try:
        return check_integer("batch_size", size, low=1)
    except ValueError as error:
        # The validator's message, with the one choice it does not know of.
        raise ValueError(str(error).replace(" must be ", " must be 'auto' or ", 1)) from None


# The estimators checked are named Any: their modules import this one.


def check_mlp_parameters(estimator: Any) -> None:
    """Check the parameters of a ``GlassMLPClassifier`` or ``GlassMLPRegressor``, with
    scikit-learn's ranges (``n_iter_no_change`` may be ``np.inf``, ``verbose`` an integer).

    Example:
        >>> from glassnet.sklearn import GlassMLPClassifier
        >>> check_mlp_parameters(GlassMLPClassifier(alpha=0.1, solver="lbfgs"))
        >>> check_mlp_parameters(GlassMLPClassifier(learning_rate="cyclic"))
        Traceback (most recent call last):
        ValueError: learning_rate must be one of 'constant', 'invscaling', 'adaptive', got 'cyclic'
    """
    check_hidden_sizes(estimator.hidden_layer_sizes)
    check_choice("activation", estimator.activation, HIDDEN_ACTIVATIONS)
    check_choice("solver", estimator.solver, SOLVERS)
    check_choice("learning_rate", estimator.learning_rate, LEARNING_RATES)
    check_batch_size(estimator.batch_size)
    check_number("alpha", estimator.alpha, 0)
    check_number("learning_rate_init", estimator.learning_rate_init, 0, low_open=True)
    check_number("power_t", estimator.power_t, 0)
    check_integer("max_iter", estimator.max_iter, low=1)
    check_integer("max_fun", estimator.max_fun, low=1)
    check_number("tol", estimator.tol, 0)
    check_number("momentum", estimator.momentum, 0, 1)
    check_number("validation_fraction", estimator.validation_fraction, 0, 1, high_open=True)
    if estimator.early_stopping:
        try:
            # Both the training and the validation part need rows.
            check_number(
                "validation_fraction", estimator.validation_fraction, 0, 1,
                low_open=True, high_open=True,
            )  # fmt: skip
        except ValueError as error:
            raise ValueError(f"{error} (with early_stopping)") from None
    check_number("beta_1", estimator.beta_1, 0, 1, high_open=True)
    check_number("beta_2", estimator.beta_2, 0, 1, high_open=True)
    check_number("epsilon", estimator.epsilon, 0, low_open=True)
    if not (isinstance(estimator.n_iter_no_change, float) and estimator.n_iter_no_change == np.inf):
        check_integer("n_iter_no_change", estimator.n_iter_no_change, low=1)
    if not isinstance(estimator.verbose, bool):
        try:
            check_integer("verbose", estimator.verbose, low=0)
        except ValueError as error:
            raise ValueError(
                str(error).replace(" must be ", " must be True, False or ", 1)
            ) from None
    for flag in ("shuffle", "warm_start", "nesterovs_momentum", "early_stopping"):
        check_flag(flag, getattr(estimator, flag))


def check_perceptron_parameters(estimator: Any) -> None:
    """Check the parameters of a ``GlassPerceptron``.

    Example:
        >>> from glassnet.sklearn import GlassPerceptron
        >>> check_perceptron_parameters(GlassPerceptron(eta0=0.1))
        >>> check_perceptron_parameters(GlassPerceptron(eta0=0))
        Traceback (most recent call last):
        ValueError: eta0 must be a number in (0, inf), got 0
    """
    check_number("eta0", estimator.eta0, 0, low_open=True)
    check_integer("max_iter", estimator.max_iter, low=1)
    if estimator.tol is not None:  # None: no stopping rule, as scikit-learn's
        check_number("tol", estimator.tol, 0)
    check_integer("n_iter_no_change", estimator.n_iter_no_change, low=1)
    check_choice("mode", estimator.mode, MODES)
    if estimator.penalty is not None:
        try:
            check_choice("penalty", estimator.penalty, PENALTIES)
        except ValueError as error:
            raise ValueError(str(error).replace(", got", " or None, got", 1)) from None
    check_number("alpha", estimator.alpha, 0)
    check_number("l1_ratio", estimator.l1_ratio, 0, 1)
    check_integer("verbose", int(estimator.verbose) if isinstance(estimator.verbose, bool)
                  else estimator.verbose, low=0)  # fmt: skip
    if estimator.n_jobs is not None:
        check_integer("n_jobs", estimator.n_jobs, low=-(2**31))
    if estimator.early_stopping:
        check_number("validation_fraction", estimator.validation_fraction, 0, 1,
                     low_open=True, high_open=True)  # fmt: skip
    if not (estimator.class_weight is None or estimator.class_weight == "balanced"
            or isinstance(estimator.class_weight, dict)):  # fmt: skip
        raise ValueError(f"class_weight must be None, 'balanced' or a dict of weights, got "
                         f"{estimator.class_weight!r}")  # fmt: skip
    for flag in ("fit_intercept", "shuffle", "warm_start", "early_stopping"):
        check_flag(flag, getattr(estimator, flag))


def check_labels(y: np.ndarray, classes: np.ndarray) -> None:
    """Raise a one-line ValueError naming the first label of y that is not in classes.

    Example:
        >>> check_labels(np.array(["b", "a"]), np.array(["a", "b", "c"]))
        >>> check_labels(np.array(["b", "d"]), np.array(["a", "b", "c"]))
        Traceback (most recent call last):
        ValueError: y has a label 'd' that is not one of the classes ['a', 'b', 'c']
    """
    unknown = ~np.isin(y, classes)
    if np.any(unknown):
        label = y[unknown][:1].tolist()[0]
        raise ValueError(
            f"y has a label {label!r} that is not one of the classes {classes.tolist()}"
        )


def seed_from(random_state: int | np.random.RandomState | None) -> int:
    """A seed for glassnet's generator from scikit-learn's ``random_state`` (None, an int
    or a RandomState): an int gives the same seed, and so the same model, on every fit;
    a RandomState moves on with each seed drawn.

    Example:
        >>> seed_from(0) == seed_from(0)
        True
        >>> state = np.random.RandomState(0)
        >>> seed_from(state) == seed_from(state)
        False
    """
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def check_sample_weight(
    sample_weight: ArrayLike | None, n_samples: int, dtype: DTypeLike
) -> np.ndarray | None:
    """``sample_weight`` as a float array of one weight per row (None stays None): finite,
    non-negative, not all zero; a one-line ValueError otherwise.

    Example:
        >>> check_sample_weight([1, 2], 2, np.float64).tolist()
        [1.0, 2.0]
        >>> check_sample_weight([1.0, -1.0], 2, np.float64)
        Traceback (most recent call last):
        ValueError: sample_weight must be non-negative, got -1.0 at row 1
    """
    if sample_weight is None:
        return None
    try:
        weights = np.asarray(sample_weight, dtype=dtype)
    except (TypeError, ValueError):
        raise ValueError("sample_weight must be numbers, one per row of X") from None
    if weights.ndim == 0:
        weights = np.full(n_samples, weights, dtype=dtype)
    if weights.shape != (n_samples,):
        raise ValueError(
            f"sample_weight must have shape ({n_samples},), one weight per row of X, "
            f"got {weights.shape}"
        )
    if not np.all(np.isfinite(weights)):
        row = int(np.argmax(~np.isfinite(weights)))
        raise ValueError(f"sample_weight must be finite, got {weights[row]} at row {row}")
    if np.any(weights < 0):
        row = int(np.argmax(weights < 0))
        raise ValueError(f"sample_weight must be non-negative, got {weights[row]} at row {row}")
    if not np.any(weights > 0):
        raise ValueError("sample_weight is zero for every row: no row would count")
    return weights
