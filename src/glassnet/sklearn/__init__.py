"""scikit-learn estimators built on glassnet: pipelines, cross-validation and grid search.

``GlassPerceptron`` (Rosenblatt's rule; several classes one-vs-rest), ``GlassMLPClassifier``
and ``GlassMLPRegressor`` follow the scikit-learn estimator contract and pass its own
``check_estimator`` suite. Their parameters carry scikit-learn's names where the idea is
the same (``hidden_layer_sizes``, ``activation``, ``solver``, ``alpha``, ...). The fitted
``network_`` (or ``perceptrons_``) is an ordinary glassnet object, and ``trace(X, y)``
shows every number of one step, as ``Network.trace`` does.

How scikit-learn's MLP parameters map onto glassnet:

    hidden_layer_sizes=(h1, h2)   Dense(n, h1, f), Dense(h1, h2, f), Dense(h2, k, output)
    activation                    "identity", "logistic" (glassnet's sigmoid), "tanh", "relu"
    solver="sgd"                  SGD, Momentum or Nesterov (from momentum, nesterovs_momentum)
    solver="adam"                 Adam(learning_rate_init, beta_1, beta_2, epsilon)
    batch_size="auto"             min(200, n_samples)
    alpha                         Dense(l2=alpha / batch_size): scikit-learn adds
                                  0.5 * alpha * ||W||^2 / batch_size to each batch's loss,
                                  Dense adds 0.5 * l2 * ||W||^2 (the regressor: 2 * alpha /
                                  batch_size, as glassnet's mse is twice scikit-learn's
                                  squared loss)
    tol, n_iter_no_change         stop when the training loss has not improved by more than
                                  tol for more than n_iter_no_change epochs in a row (an
                                  EarlyStopping callback with scikit-learn's rule)
    early_stopping=True           the same rule on the loss of a validation_fraction of the
                                  rows (stratified for classes), keeping the best weights

Needs scikit-learn: ``pip install 'glassnet[sklearn]'``. ``import glassnet`` never
imports it.

Example:
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> X, y = load_iris(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), GlassMLPClassifier((16,), max_iter=2000,
    ...                                                          random_state=0))
    >>> model.fit(X, y).score(X, y) > 0.95
    True
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Sequence

import numpy as np

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.utils import check_random_state
    from sklearn.utils.multiclass import check_classification_targets, unique_labels
    from sklearn.utils.validation import check_is_fitted, validate_data
except ImportError as error:  # scikit-learn is an optional extra
    raise ImportError(
        "glassnet.sklearn needs scikit-learn (1.6 or newer): pip install 'glassnet[sklearn]'"
    ) from error

from glassnet.engine.callbacks import EarlyStopping
from glassnet.engine.layers import Dense
from glassnet.engine.network import Network
from glassnet.engine.optimizers import SGD, Adam, Momentum, Nesterov, Optimizer
from glassnet.engine.perceptron import Perceptron, PerceptronEpoch
from glassnet.glassbox.trace import Trace

__all__ = ["GlassMLPClassifier", "GlassMLPRegressor", "GlassPerceptron"]

# scikit-learn's names for the hidden activations, and glassnet's for the same functions.
HIDDEN_ACTIVATIONS = {"identity": "identity", "logistic": "sigmoid", "tanh": "tanh", "relu": "relu"}
SOLVERS = ("sgd", "adam")


def _check_number(name: str, value, low: float, high: float = np.inf, integer=False) -> None:
    """Raise a one-line ValueError unless low <= value <= high (and integral if asked)."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
        what = "an integer" if integer else "a number"
        raise ValueError(f"{name} must be {what} in [{low}, {high}], got {value!r}")


def _check_flag(name: str, value) -> None:
    if not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be True or False, got {value!r}")


def _seed(random_state) -> int:
    """A seed for glassnet's generator from scikit-learn's random_state (None, int or
    RandomState), so that an int gives the same model on every fit."""
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def _check_labels(y: np.ndarray, classes: np.ndarray) -> None:
    """Raise a one-line ValueError naming the first label of y that is not in classes.

    Example:
        >>> _check_labels(np.array(["b", "d"]), np.array(["a", "b", "c"]))
        Traceback (most recent call last):
        ValueError: y has a label 'd' that is not one of the classes ['a', 'b', 'c']
    """
    unknown = ~np.isin(y, classes)
    if np.any(unknown):
        label = y[unknown][:1].tolist()[0]
        raise ValueError(
            f"y has a label {label!r} that is not one of the classes {classes.tolist()}"
        )


class _ScikitLearnStopping(EarlyStopping):
    """EarlyStopping with scikit-learn's MLP rule, which differs in one point: the best
    figure so far moves on every improvement, however small, while the count of epochs
    without improvement resets only on one better than the previous best by more than
    ``min_delta`` (tol). A loss that creeps down by less than tol per epoch thus stops
    training after ``patience`` epochs, as in scikit-learn, instead of running on.

    Example:
        >>> stopper = _ScikitLearnStopping("loss", patience=10, min_delta=1e-4)
    """

    def moves_best(self, value: float) -> bool:
        return self.is_improvement(value, self.best, min_delta=0.0)


class _GlassMLP(BaseEstimator):
    """What the MLP classifier and regressor share: parameters, network and training."""

    def __init__(
        self,
        hidden_layer_sizes: int | Sequence[int] = (100,),
        activation: str = "relu",
        *,
        solver: str = "adam",
        alpha: float = 0.0001,
        batch_size: int | str = "auto",
        learning_rate_init: float = 0.001,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change

    # What a subclass defines: the output layer and loss, and the targets as columns.
    _loss = ""

    def _output(self, n_outputs: int) -> str:
        raise NotImplementedError

    def _n_outputs(self, Y: np.ndarray) -> int:
        raise NotImplementedError

    def _targets(self, y: np.ndarray, first_pass: bool, classes=None, warm=False) -> np.ndarray:
        """y as the network takes it (class labels, or one column per output), checked
        against what was fitted before; ``warm``: a warm-started fit (same classes)."""
        raise NotImplementedError

    def _l2(self, batch: int) -> float:
        return self.alpha / batch

    # ------------------------------------------------------------------ checks
    def _hidden_sizes(self) -> list[int]:
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, numbers.Integral) else sizes
        try:
            sizes = list(sizes)
        except TypeError:
            sizes = [sizes]
        for size in sizes:
            if isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1:
                raise ValueError(
                    "hidden_layer_sizes must be positive integers (one per hidden layer), "
                    f"got {self.hidden_layer_sizes!r}"
                )
        return [int(size) for size in sizes]

    def _check_parameters(self) -> None:
        self._hidden_sizes()
        if self.activation not in HIDDEN_ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {sorted(HIDDEN_ACTIVATIONS)}, got {self.activation!r}"
            )
        if self.solver not in SOLVERS:
            raise ValueError(
                f"solver must be one of {list(SOLVERS)}, got {self.solver!r} "
                "(glassnet has no 'lbfgs')"
            )
        size = self.batch_size
        if not (isinstance(size, str) and size == "auto") and (
            isinstance(size, bool) or not isinstance(size, numbers.Integral) or size < 1
        ):
            raise ValueError(f"batch_size must be 'auto' or a positive integer, got {size!r}")
        _check_number("alpha", self.alpha, 0.0)
        _check_number("learning_rate_init", self.learning_rate_init, np.finfo(float).tiny)
        _check_number("max_iter", self.max_iter, 1, integer=True)
        _check_number("tol", self.tol, 0.0)
        _check_number("momentum", self.momentum, 0.0, 1.0)
        _check_number("validation_fraction", self.validation_fraction, 0.0, 1.0)
        if self.early_stopping and not 0 < self.validation_fraction < 1:
            raise ValueError(
                "validation_fraction must be in (0, 1) with early_stopping, "
                f"got {self.validation_fraction!r}"
            )
        _check_number("beta_1", self.beta_1, 0.0, 1.0 - 1e-12)
        _check_number("beta_2", self.beta_2, 0.0, 1.0 - 1e-12)
        _check_number("epsilon", self.epsilon, np.finfo(float).tiny)
        _check_number("n_iter_no_change", self.n_iter_no_change, 1, integer=True)
        for flag in ("shuffle", "verbose", "warm_start", "nesterovs_momentum", "early_stopping"):
            _check_flag(flag, getattr(self, flag))

    # ------------------------------------------------------------------ building
    def _new_network(self, n_features: int, Y: np.ndarray, seed: int) -> Network:
        n_outputs = self._n_outputs(Y)
        widths = [n_features, *self._hidden_sizes()]
        hidden = HIDDEN_ACTIVATIONS[self.activation]
        layers = [
            Dense(n_in, n_out, hidden) for n_in, n_out in zip(widths[:-1], widths[1:], strict=True)
        ]
        layers.append(Dense(widths[-1], n_outputs, self._output(n_outputs)))
        return Network(layers, loss=self._loss, seed=seed)

    def _new_optimizer(self) -> Optimizer:
        if self.solver == "adam":
            return Adam(self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon)
        if self.momentum == 0:
            return SGD(self.learning_rate_init)
        if self.nesterovs_momentum:
            return Nesterov(self.learning_rate_init, self.momentum)
        return Momentum(self.learning_rate_init, self.momentum)

    def _batch(self, n_samples: int) -> int:
        return min(200, n_samples) if self.batch_size == "auto" else min(self.batch_size, n_samples)

    # ------------------------------------------------------------------ training
    def _fit(self, X, y, incremental: bool, classes=None):
        self._check_parameters()
        first_pass = not hasattr(self, "network_") or not (self.warm_start or incremental)
        X, y = self._validate(X, y, reset=first_pass)
        Y = self._targets(y, first_pass, classes, warm=not first_pass and not incremental)
        random_state = check_random_state(self.random_state)
        if first_pass:
            self.network_ = self._new_network(X.shape[1], Y, _seed(random_state))
            self.loss_curve_: list[float] = []
            self.validation_loss_curve_: list[float] | None = None
            self.n_iter_ = 0
        if not incremental or not hasattr(self, "_optimizer"):
            self._optimizer = self._new_optimizer()

        epochs, callbacks, validation = self.max_iter, [], None
        if incremental:
            epochs = 1
        elif self.early_stopping:
            stratify = y if isinstance(self, ClassifierMixin) else None
            X, X_val, Y, Y_val = train_test_split(
                X, Y, test_size=self.validation_fraction, stratify=stratify,
                random_state=random_state,
            )  # fmt: skip
            validation = (X_val, Y_val)
            callbacks = [
                _ScikitLearnStopping(
                    "val_loss", self.n_iter_no_change, self.tol, restore_best_weights=True
                )
            ]
        else:
            callbacks = [_ScikitLearnStopping("loss", self.n_iter_no_change, self.tol)]

        batch = self._batch(X.shape[0])
        for layer in self.network_.dense_layers:
            layer.l2 = self._l2(batch)
        history = self.network_.fit(
            X, Y, epochs=epochs, batch_size=batch, optimizer=self._optimizer,
            validation_data=validation, callbacks=callbacks, verbose=int(self.verbose),
            shuffle=bool(self.shuffle),
        )  # fmt: skip
        self.loss_curve_ += history.loss
        if validation is not None:
            self.validation_loss_curve_ = list(history.history["val_loss"])
        self.n_iter_ += len(history)
        if not incremental and not self.network_.stop.early:
            warnings.warn(
                f"{type(self).__name__} reached max_iter={self.max_iter} epochs before the "
                f"loss stopped improving (by more than tol={self.tol} for more than "
                f"n_iter_no_change={self.n_iter_no_change} epochs): it may not have converged",
                ConvergenceWarning,
                stacklevel=3,
            )
        return self

    def _validate(self, X, y, reset: bool):
        raise NotImplementedError

    def _checked(self, X) -> np.ndarray:
        check_is_fitted(self, "network_")
        return validate_data(self, X, reset=False, dtype=np.float64)

    def trace(self, X, y, learning_rate: float | None = None) -> Trace:
        """One gradient-descent step of the fitted network on (X, y), every number named.

        The step is taken on a copy (``network_.copy()``): the estimator is not changed.
        ``learning_rate`` defaults to ``learning_rate_init``; the L2 term uses
        l2 = alpha / len(X), as a batch of that size would.

        Example:
            >>> import numpy as np
            >>> X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0.5, -0.5])
            >>> model = GlassMLPRegressor((2,), max_iter=3, tol=1.0, n_iter_no_change=1).fit(X, y)
            >>> model.trace(X, y)["z[1]"].shape
            (2, 2)
        """
        check_is_fitted(self, "network_")
        X, y = self._validate(X, y, reset=False)
        Y = self._targets(y, first_pass=False)
        network = self.network_.copy()
        for layer in network.dense_layers:
            layer.l2 = self._l2(X.shape[0])
        rate = self.learning_rate_init if learning_rate is None else learning_rate
        return network.trace(X, Y, rate)


class GlassMLPClassifier(ClassifierMixin, _GlassMLP):
    """A multi-layer perceptron classifier: glassnet's Network behind scikit-learn's API.

    Hidden layers use ``activation``; the output is one sigmoid neuron with binary
    cross-entropy for two classes, and a softmax over k neurons with cross-entropy for k
    classes, so the output delta is (a - y) / n. Parameters are those of scikit-learn's
    ``MLPClassifier`` (see the module docstring for how they map), without
    ``learning_rate``, ``power_t``, ``max_fun`` and the ``lbfgs`` solver. With
    ``early_stopping`` the validation loss (not the accuracy) decides when to stop.

    Fitted attributes: ``classes_``, ``n_features_in_``, ``feature_names_in_`` (when X
    has column names), ``network_`` (a glassnet ``Network``), ``loss_curve_`` (mean
    training loss of each epoch, L2 term included), ``validation_loss_curve_`` (with
    early stopping, else None), ``n_iter_`` (epochs run, summed over warm starts).

    Example:
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> model = GlassMLPClassifier((8,), "tanh", learning_rate_init=0.05, max_iter=5000,
        ...                            random_state=0)
        >>> model.fit(X, ["no", "yes", "yes", "no"]).predict(X).tolist()
        ['no', 'yes', 'yes', 'no']
    """

    def _output(self, n_outputs: int) -> str:
        return "sigmoid" if n_outputs == 1 else "softmax"

    def _n_outputs(self, Y: np.ndarray) -> int:
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    def _new_network(self, n_features: int, Y: np.ndarray, seed: int) -> Network:
        network = super()._new_network(n_features, Y, seed)
        # A network learns its labels from the first targets it encodes; partial_fit may
        # see only some classes in a batch, so it is shown every class first.
        network.encode_targets(np.zeros((len(self.classes_), n_features)), self.classes_)
        return network

    @property
    def _loss(self) -> str:
        return "binary_crossentropy" if len(self.classes_) == 2 else "crossentropy"

    def _validate(self, X, y, reset: bool):
        X, y = validate_data(self, X, y, reset=reset, dtype=np.float64)
        check_classification_targets(y)
        return X, y

    def _targets(self, y: np.ndarray, first_pass: bool, classes=None, warm=False) -> np.ndarray:
        if first_pass:
            self.classes_ = unique_labels(y) if classes is None else unique_labels(classes)
            if len(self.classes_) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs at least two classes; y has one class: "
                    f"{self.classes_.tolist()}"
                )
        elif warm and not np.array_equal(unique_labels(y), self.classes_):
            raise ValueError(
                "warm_start needs y to have the same classes as the previous fit: "
                f"{self.classes_.tolist()}, got {unique_labels(y).tolist()}"
            )
        _check_labels(y, self.classes_)
        return y

    def fit(self, X, y) -> GlassMLPClassifier:
        """Train for up to ``max_iter`` epochs and return self.

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0, 1]).n_iter_
            3
        """
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y, classes=None) -> GlassMLPClassifier:
        """One epoch over (X, y), continuing from the current weights and optimizer state.

        ``classes`` (every label that will ever occur) is needed on the first call.

        Example:
            >>> model = GlassMLPClassifier((4,), random_state=0)
            >>> model.partial_fit([[0.0], [1.0]], [0, 0], classes=[0, 1]).classes_.tolist()
            [0, 1]
        """
        if not hasattr(self, "network_") and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit")
        if classes is not None and hasattr(self, "classes_"):
            if not np.array_equal(self.classes_, unique_labels(classes)):
                raise ValueError(
                    f"classes={unique_labels(classes).tolist()} differs from the classes of "
                    f"the first call to partial_fit: {self.classes_.tolist()}"
                )
        return self._fit(X, y, incremental=True, classes=classes)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), columns in ``classes_`` order.

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0, 1]).predict_proba([[0.5]]).shape
            (1, 2)
        """
        X = self._checked(X)
        return self.network_.predict_proba(X)

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row.

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], ["a", "b"]).predict([[0.0]]).shape
            (1,)
        """
        X = self._checked(X)
        return self.network_.predict(X)


class GlassMLPRegressor(RegressorMixin, _GlassMLP):
    """A multi-layer perceptron regressor: glassnet's Network behind scikit-learn's API.

    Hidden layers use ``activation``, the output layer is linear (identity) with one
    neuron per target, and the loss is glassnet's ``mse``, mean (a - y)^2. That is twice
    scikit-learn's squared loss, so the L2 term doubles too (l2 = 2 * alpha / batch_size)
    and the minimum is the same; ``loss_curve_`` holds the mse. Parameters and fitted
    attributes as in ``GlassMLPClassifier`` (without ``classes_``); y may have several
    columns.

    Example:
        >>> import numpy as np
        >>> X = np.linspace(-1, 1, 40).reshape(-1, 1)
        >>> model = GlassMLPRegressor((16,), learning_rate_init=0.01, max_iter=2000,
        ...                           n_iter_no_change=100, random_state=0)
        >>> model.fit(X, np.abs(X.ravel())).score(X, np.abs(X.ravel())) > 0.99
        True
    """

    _loss = "mse"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _output(self, n_outputs: int) -> str:
        return "identity"

    def _n_outputs(self, Y: np.ndarray) -> int:
        return Y.shape[1]

    def _l2(self, batch: int) -> float:
        return 2.0 * self.alpha / batch

    def _validate(self, X, y, reset: bool):
        return validate_data(
            self, X, y, reset=reset, dtype=np.float64, multi_output=True, y_numeric=True
        )

    def _targets(self, y: np.ndarray, first_pass: bool, classes=None, warm=False) -> np.ndarray:
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if not first_pass and Y.shape[1] != self.network_.n_outputs:
            raise ValueError(
                f"y has {Y.shape[1]} columns but the network was fitted with "
                f"{self.network_.n_outputs}: shape (n_samples, {self.network_.n_outputs})"
            )
        return Y

    def fit(self, X, y) -> GlassMLPRegressor:
        """Train for up to ``max_iter`` epochs and return self.

        Example:
            >>> model = GlassMLPRegressor((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0.0, 1.0]).n_iter_
            3
        """
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y) -> GlassMLPRegressor:
        """One epoch over (X, y), continuing from the current weights and optimizer state.

        Example:
            >>> model = GlassMLPRegressor((4,), random_state=0)
            >>> model.partial_fit([[0.0], [1.0]], [0.0, 1.0]).n_iter_
            1
        """
        return self._fit(X, y, incremental=True)

    def predict(self, X) -> np.ndarray:
        """The network's outputs: shape (n_samples,) for one target, else (n_samples, k).

        Example:
            >>> model = GlassMLPRegressor((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0.0, 1.0]).predict([[0.5]]).shape
            (1,)
        """
        X = self._checked(X)
        output = self.network_.forward(X)
        return output.ravel() if output.shape[1] == 1 else output


class GlassPerceptron(ClassifierMixin, BaseEstimator):
    """Rosenblatt's perceptron (glassnet's ``Perceptron``) behind scikit-learn's API.

    Two classes: one perceptron, step(z) picks ``classes_[1]``. More classes: one
    perceptron per class against the rest, and the largest z wins. Each perceptron
    applies the rule w <- w + eta0 * e * x (e = y - step(z)) for up to ``max_iter``
    epochs, and stops early after an epoch without an error, or when its share of errors
    has not fallen by more than ``tol`` for ``n_iter_no_change`` epochs.

    Args:
        eta0: the learning rate alpha of the rule.
        max_iter: the most epochs per perceptron.
        tol, n_iter_no_change: the stopping rule above.
        fit_intercept: learn a bias b (z = w . x + b).
        mode: ``"online"`` (update after each sample, as Rosenblatt's rule) or ``"batch"``
            (sum the corrections of an epoch, then update once).
        shuffle: online mode: visit the samples in a new seeded order each epoch.
        random_state: seeds the starting weights (U(-0.5, 0.5)) and the shuffles.
        warm_start: ``fit`` starts from the weights of the previous fit.

    Fitted attributes: ``classes_``, ``coef_`` (n_perceptrons, n_features),
    ``intercept_`` (n_perceptrons,), ``perceptrons_`` (the glassnet ``Perceptron`` objects),
    ``n_iter_`` (the most epochs any perceptron ran), ``n_features_in_``,
    ``feature_names_in_`` (when X has column names).

    Example:
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> GlassPerceptron(random_state=0).fit(X, ["off", "on", "on", "on"]).predict(X).tolist()
        ['off', 'on', 'on', 'on']
    """

    def __init__(
        self,
        *,
        eta0: float = 1.0,
        max_iter: int = 1000,
        tol: float = 1e-3,
        n_iter_no_change: int = 5,
        fit_intercept: bool = True,
        mode: str = "online",
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        warm_start: bool = False,
    ) -> None:
        self.eta0 = eta0
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.fit_intercept = fit_intercept
        self.mode = mode
        self.shuffle = shuffle
        self.random_state = random_state
        self.warm_start = warm_start

    def _check_parameters(self) -> None:
        _check_number("eta0", self.eta0, np.finfo(float).tiny)
        _check_number("max_iter", self.max_iter, 1, integer=True)
        _check_number("tol", self.tol, 0.0)
        _check_number("n_iter_no_change", self.n_iter_no_change, 1, integer=True)
        if self.mode not in ("online", "batch"):
            raise ValueError(f"mode must be 'online' or 'batch', got {self.mode!r}")
        for flag in ("fit_intercept", "shuffle", "warm_start"):
            _check_flag(flag, getattr(self, flag))

    def _problems(self, y: np.ndarray) -> list[np.ndarray]:
        """The 0/1 targets of each perceptron: one for two classes, one per class else."""
        if len(self.classes_) == 2:
            return [(y == self.classes_[1]).astype(np.float64)]
        return [(y == label).astype(np.float64) for label in self.classes_]

    def _start(self, X, y, reset: bool, classes) -> np.ndarray:
        self._check_parameters()
        X, y = validate_data(self, X, y, reset=reset, dtype=np.float64)
        check_classification_targets(y)
        labels = unique_labels(y) if classes is None else unique_labels(classes)
        if not np.isin(unique_labels(y), labels).all():
            raise ValueError(
                f"y has labels {np.setdiff1d(unique_labels(y), labels).tolist()} that are not "
                f"in classes {labels.tolist()}"
            )
        if not reset and not np.array_equal(labels, self.classes_):
            raise ValueError(
                f"the classes {labels.tolist()} differ from those of the previous fit: "
                f"{self.classes_.tolist()}"
            )
        if len(labels) < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least two classes; y has one class: "
                f"{labels.tolist()}"
            )
        self.classes_ = labels
        random_state = check_random_state(self.random_state)
        previous = getattr(self, "perceptrons_", None) if not reset else None
        self.perceptrons_ = []
        for index in range(1 if len(labels) == 2 else len(labels)):
            start = previous[index] if previous else None
            bias = None
            if self.fit_intercept:
                bias = start.bias if start is not None and start.bias is not None else 0.0
            self.perceptrons_.append(
                Perceptron(
                    X.shape[1], learning_rate=float(self.eta0),
                    weights=None if start is None else start.weights, bias=bias,
                    mode=self.mode, seed=_seed(random_state), shuffle=bool(self.shuffle),
                )
            )  # fmt: skip
        return X, y

    def _finish(self) -> None:
        self.coef_ = np.vstack([p.weights for p in self.perceptrons_])
        self.intercept_ = np.array([p.bias or 0.0 for p in self.perceptrons_])

    def fit(self, X, y) -> GlassPerceptron:
        """Train each perceptron until it stops (see the class docstring); return self.

        Example:
            >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], [0, 1])
            >>> model.n_iter_ >= 1
            True
        """
        reset = not (self.warm_start and hasattr(self, "perceptrons_"))
        X, y = self._start(X, y, reset=reset, classes=None)
        problems = zip(self.perceptrons_, self._problems(y), strict=True)
        epochs_run = [self._train(perceptron, X, targets) for perceptron, targets in problems]
        self.n_iter_ = max(epochs_run)
        self._finish()
        return self

    def _train(self, perceptron: Perceptron, X: np.ndarray, targets: np.ndarray) -> int:
        """Run the rule epoch by epoch until the stopping rule; return the epochs run."""
        best, wait = np.inf, 0
        for epoch in range(1, self.max_iter + 1):
            # One epoch per call keeps one epoch of records in memory, not max_iter.
            errors = perceptron.fit(X, targets, max_epochs=1).epochs_[-1].errors
            share = errors / X.shape[0]
            if share < best - self.tol:
                best, wait = share, 0
            else:
                wait += 1
            if errors == 0 or wait >= self.n_iter_no_change:
                return epoch
        warnings.warn(
            f"{type(self).__name__} ran all max_iter={self.max_iter} epochs and was still "
            "making fewer errors; raise max_iter",
            ConvergenceWarning,
            stacklevel=3,
        )
        return self.max_iter

    def partial_fit(self, X, y, classes=None) -> GlassPerceptron:
        """One epoch of the rule for each perceptron, from the current weights.

        ``classes`` (every label that will ever occur) is needed on the first call.

        Example:
            >>> model = GlassPerceptron(random_state=0)
            >>> model.partial_fit([[0.0], [1.0]], [0, 0], classes=[0, 1]).n_iter_
            1
        """
        first = not hasattr(self, "perceptrons_")
        if first and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit")
        if not first and classes is None:
            classes = self.classes_
        X, y = self._start(X, y, reset=first, classes=classes)
        for perceptron, targets in zip(self.perceptrons_, self._problems(y), strict=True):
            perceptron.fit(X, targets, max_epochs=1)
        self.n_iter_ = 1 if first else self.n_iter_ + 1
        self._finish()
        return self

    def decision_function(self, X) -> np.ndarray:
        """z = X @ w + b: shape (n_samples,) for two classes, (n_samples, n_classes) else.

        Example:
            >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], [0, 1])
            >>> model.decision_function([[0.0], [1.0]]).shape
            (2,)
        """
        check_is_fitted(self, "perceptrons_")
        X = validate_data(self, X, reset=False, dtype=np.float64)
        z = np.column_stack([p.decision_function(X) for p in self.perceptrons_])
        return z.ravel() if z.shape[1] == 1 else z

    def predict(self, X) -> np.ndarray:
        """step(z) for two classes; otherwise the class whose perceptron gives the largest z.

        Example:
            >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], ["a", "b"])
            >>> model.predict([[0.0], [1.0]]).tolist()
            ['a', 'b']
        """
        z = self.decision_function(X)
        if z.ndim == 1:
            return self.classes_[(z > 0).astype(int)]
        return self.classes_[np.argmax(z, axis=1)]

    def trace(self, X, y) -> list[PerceptronEpoch]:
        """One batch epoch of the rule on (X, y) for each perceptron, every number kept.

        Runs on copies of ``perceptrons_`` (the estimator is not changed); one record per
        perceptron, in ``classes_`` order for more than two classes.

        Example:
            >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], [0, 1])
            >>> model.trace([[0.0], [1.0]], [0, 1])[0].corrections.shape
            (2, 1)
        """
        check_is_fitted(self, "perceptrons_")
        X, y = validate_data(self, X, y, reset=False, dtype=np.float64)
        _check_labels(y, self.classes_)
        records = []
        for perceptron, targets in zip(self.perceptrons_, self._problems(y), strict=True):
            copy = Perceptron(
                X.shape[1], learning_rate=perceptron.learning_rate, weights=perceptron.weights,
                bias=perceptron.bias, mode="batch",
            )  # fmt: skip
            records.append(copy.fit(X, targets, max_epochs=1).epochs_[0])
        return records
