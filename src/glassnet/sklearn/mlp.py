"""What the MLP classifier and regressor share: parameters, network, optimizer, training,
the worked step, and scikit-learn's stopping rule.

``BaseGlassMLP`` holds scikit-learn's ``MLPClassifier``/``MLPRegressor`` parameters and
trains a glassnet ``Network`` with them; ``GlassMLPClassifier`` and ``GlassMLPRegressor``
add what differs: the output layer and loss (both chosen by
``glassnet.engine.recipes.output_for``), the targets, and the L2 strength per batch.

scikit-learn's stopping rule ends this run after 3 epochs: the first sets the best loss,
and the next two do not beat it by more than tol=1.0, which is more than
n_iter_no_change=1 epoch without improvement.

Example:
    >>> from glassnet.sklearn import GlassMLPRegressor
    >>> model = GlassMLPRegressor((3,), max_iter=50, tol=1.0, n_iter_no_change=1)
    >>> model.fit([[0.0], [1.0]], [0.0, 1.0]).n_iter_, model.network_.stop.kind
    (3, 'early_stopping')
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from glassnet.engine.callbacks import Callback, EarlyStopping
from glassnet.engine.network import Network
from glassnet.engine.optimizers import SGD, Adam, Momentum, Nesterov, Optimizer
from glassnet.engine.recipes import Output, build_mlp
from glassnet.glassbox.trace import Trace
from glassnet.sklearn.checks import (
    HIDDEN_ACTIVATIONS,
    check_hidden_sizes,
    check_mlp_parameters,
    seed_from,
)

__all__ = ["BaseGlassMLP"]


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


class BaseGlassMLP(BaseEstimator):
    """What the MLP classifier and regressor share: parameters, network and training.

    Not an estimator on its own: a subclass says which output layer and loss to use
    (``_output_layer``), how y is checked and turned into targets (``_validate``,
    ``_targets``) and the L2 strength for a batch (``_l2``). The parameters are those
    of ``GlassMLPClassifier`` (see its docstring, and the module docstring of
    ``glassnet.sklearn`` for how they map onto glassnet).

    Example:
        >>> from glassnet.sklearn import GlassMLPClassifier
        >>> issubclass(GlassMLPClassifier, BaseGlassMLP)
        True
    """

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

    # ------------------------------------------------------------------ what a subclass says
    def _output_layer(self, Y: np.ndarray) -> Output:
        """The output layer and loss for targets Y, from ``recipes.output_for``."""
        raise NotImplementedError

    def _validate(self, X, y, reset: bool) -> tuple[np.ndarray, np.ndarray]:
        """X and y checked by scikit-learn's ``validate_data``, as this estimator takes y."""
        raise NotImplementedError

    def _targets(self, y: np.ndarray, first_pass: bool, classes=None, warm=False) -> np.ndarray:
        """y as the network takes it (class labels, or one column per output), checked
        against what was fitted before; ``warm``: a warm-started fit (same classes)."""
        raise NotImplementedError

    def _l2(self, batch: int) -> float:
        """Dense's l2 that matches scikit-learn's penalty 0.5 * alpha * ||W||^2 / batch."""
        return self.alpha / batch

    # ------------------------------------------------------------------ building
    def _new_network(self, n_features: int, Y: np.ndarray, seed: int) -> Network:
        hidden = check_hidden_sizes(self.hidden_layer_sizes)
        activation = HIDDEN_ACTIVATIONS[self.activation]
        return build_mlp(n_features, hidden, activation, self._output_layer(Y), seed=seed)

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
        """Check, build on the first pass, train (one epoch when ``incremental``), record."""
        check_mlp_parameters(self)
        first_pass = not hasattr(self, "network_") or not (self.warm_start or incremental)
        X, y = self._validate(X, y, reset=first_pass)
        Y = self._targets(y, first_pass, classes, warm=not first_pass and not incremental)
        random_state = check_random_state(self.random_state)
        if first_pass:
            self.network_ = self._new_network(X.shape[1], Y, seed_from(random_state))
            self.loss_curve_: list[float] = []
            self.validation_loss_curve_: list[float] | None = None
            self.n_iter_ = 0
        if not incremental or not hasattr(self, "_optimizer"):
            self._optimizer = self._new_optimizer()
        if incremental:
            self._train(X, Y, epochs=1, validation=None, callbacks=[])
            return self
        validation = None
        if self.early_stopping:
            X, Y, validation = self._hold_out(X, Y, y, random_state)
        self._train(X, Y, self.max_iter, validation, [self._stopping(validation is not None)])
        if not self.network_.stop.early:
            warnings.warn(
                f"{type(self).__name__} reached max_iter={self.max_iter} epochs before the "
                f"loss stopped improving (by more than tol={self.tol} for more than "
                f"n_iter_no_change={self.n_iter_no_change} epochs): it may not have converged",
                ConvergenceWarning,
                stacklevel=3,  # the caller of fit
            )
        return self

    def _hold_out(self, X, Y, y, random_state) -> tuple[np.ndarray, np.ndarray, tuple]:
        """The training rows and targets, and the validation pair (stratified for classes)."""
        X, X_val, Y, Y_val = train_test_split(
            X, Y, test_size=self.validation_fraction, stratify=y if is_classifier(self) else None,
            random_state=random_state,
        )  # fmt: skip
        return X, Y, (X_val, Y_val)

    def _stopping(self, on_validation: bool) -> Callback:
        """scikit-learn's rule on the training loss, or on the validation loss (keeping the
        best weights) with early stopping."""
        if on_validation:
            return _ScikitLearnStopping(
                "val_loss", self.n_iter_no_change, self.tol, restore_best_weights=True
            )
        return _ScikitLearnStopping("loss", self.n_iter_no_change, self.tol)

    def _train(self, X, Y, epochs: int, validation, callbacks: list[Callback]) -> None:
        """Run ``network_.fit`` and add its epochs to the curves and ``n_iter_``."""
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

    def _checked(self, X) -> np.ndarray:
        check_is_fitted(self, "network_")
        return validate_data(self, X, reset=False, dtype=np.float64)

    # ------------------------------------------------------------------ the glass box
    def trace(self, X, y, learning_rate: float | None = None) -> Trace:
        """One gradient-descent step of the fitted network on (X, y), every number named.

        The step is taken on a copy (``network_.copy()``): the estimator is not changed.
        ``learning_rate`` defaults to ``learning_rate_init``; the L2 term is the one a
        batch of len(X) rows has in training (the classifier's l2 = alpha / len(X)).

        Example:
            >>> import numpy as np
            >>> from glassnet.sklearn import GlassMLPRegressor
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
