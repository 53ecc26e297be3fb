"""The estimators' solvers, run as scikit-learn runs its own: the stochastic epoch loop
(sgd and adam) and L-BFGS.

The stochastic loop takes each mini-batch through the network's own
``loss_and_gradients`` and the optimizer's ``step`` on the network's flat arrays, as
``Network.fit`` does; what is scikit-learn's is around it: the row order drawn from the
estimator's ``random_state``, the sample weights and the L2 term alpha / (the batch's
weight) set on every batch (the short last one included), the learning-rate schedules
(``invscaling`` after each epoch from the samples seen, ``adaptive`` dividing by 5 when
the loss stalls), its stopping rule on the training loss or on the validation score,
``verbose`` printing each epoch, and the ``ConvergenceWarning`` at ``max_iter``. L-BFGS
minimises the loss over the network's flat parameter array with SciPy
(``glassnet.engine.lbfgs``).

Example:
    >>> optimizer = new_optimizer("adam", 0.01)
    >>> type(optimizer).__name__, optimizer.epsilon_on
    ('Adam', 'v')
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import shuffle as shuffled

from glassnet.engine.lbfgs import minimize
from glassnet.engine.network import Network
from glassnet.engine.optimizers import SGD, Adam, Momentum, Nesterov, Optimizer
from glassnet.sklearn.losses import SampleWeighted

# The rows kept for early stopping: X, y (as labels or values), their sample weights.
Validation = tuple[Any, np.ndarray, np.ndarray | None]

__all__ = ["Solvers", "new_optimizer"]


def new_optimizer(
    solver: str,
    learning_rate_init: float,
    momentum: float = 0.9,
    nesterovs_momentum: bool = True,
    beta_1: float = 0.9,
    beta_2: float = 0.999,
    epsilon: float = 1e-8,
) -> Optimizer:
    """The optimizer scikit-learn's solver uses, as a glassnet optimizer: Adam with epsilon
    added to sqrt(v); SGD, with momentum, or with Nesterov's momentum.

    Example:
        >>> new_optimizer("sgd", 0.1, momentum=0.5, nesterovs_momentum=False)
        Momentum(learning_rate=Constant(0.1))
    """
    if solver == "adam":
        return Adam(learning_rate_init, beta_1, beta_2, epsilon, epsilon_on="v")
    if momentum == 0:
        return SGD(learning_rate_init)
    if nesterovs_momentum:
        return Nesterov(learning_rate_init, momentum)
    return Momentum(learning_rate_init, momentum)


class Solvers:
    """The solvers of ``BaseGlassMLP`` (a mixin): ``_fit_stochastic`` for sgd and adam,
    ``_fit_lbfgs`` for lbfgs, each on the estimator's ``network_``, keeping scikit-learn's
    curves and counters on the estimator.

    Example:
        >>> from glassnet.sklearn import GlassMLPRegressor
        >>> model = GlassMLPRegressor((2,), solver="sgd", max_iter=1, random_state=0)
        >>> isinstance(model, Solvers), model.partial_fit([[0.0], [1.0]], [0.0, 1.0]).t_
        (True, 2)
    """

    # What the solvers read and keep on the estimator: its parameters and fitted
    # attributes, set by BaseGlassMLP (declared here, not assigned: a fitted attribute
    # exists only once fitted, as scikit-learn's checks require).
    network_: Network
    alpha: float
    batch_size: int | str
    validation_fraction: float
    verbose: bool | int
    tol: float
    n_iter_no_change: int | float
    solver: str
    learning_rate: str
    learning_rate_init: float
    power_t: float
    momentum: float
    nesterovs_momentum: bool
    beta_1: float
    beta_2: float
    epsilon: float
    early_stopping: bool
    max_iter: int
    max_fun: int
    shuffle: bool
    coefs_: list[np.ndarray]
    intercepts_: list[np.ndarray]
    loss_: float
    loss_curve_: list[float]
    best_loss_: float | None  # None with early stopping
    validation_scores_: list[float] | None  # None without early stopping
    best_validation_score_: float | None  # None without early stopping
    n_iter_: int
    t_: int
    _random_state: np.random.RandomState
    _no_improvement_count: int
    _best_coefs: list[np.ndarray]
    _best_intercepts: list[np.ndarray]
    _optimizer: Optimizer

    def _score(self, X: Any, y: Any, sample_weight: np.ndarray | None = None) -> float:
        """The score early stopping watches (the estimator's: accuracy, or R^2)."""
        raise NotImplementedError

    def _decode(self, Y: np.ndarray) -> np.ndarray:
        """Labels (or values) from the output layer's columns (the estimator's)."""
        raise NotImplementedError

    def _restore(self, coefs: list[np.ndarray], intercepts: list[np.ndarray]) -> None:
        """Put these weights into the network (early stopping's best)."""
        self.network_.set_weights([p for pair in zip(coefs, intercepts, strict=True)
                                   for p in pair])  # fmt: skip

    def _set_batch(self, weights: np.ndarray | None, n_rows: int) -> None:
        """The sample weights of the next batch on the loss, and the L2 term for its weight."""
        loss = self.network_.loss
        if not isinstance(loss, SampleWeighted):
            raise TypeError(
                f"the estimator's network has the loss {loss.name!r}, not one of "
                "scikit-learn's that take sample weights (glassnet.sklearn.losses)"
            )
        loss.weights = weights
        total = n_rows if weights is None else float(weights.sum())
        for layer in self.network_.dense_layers:
            layer.l2 = self.alpha / total

    def _split(
        self, X: Any, Y: np.ndarray, sample_weight: np.ndarray | None
    ) -> tuple[Any, np.ndarray, np.ndarray | None, Validation]:
        """Training and validation rows for early stopping (stratified for one output)."""
        # the classes as scikit-learn names them here: its 0/1 column of booleans
        stratify = Y.astype(bool) if is_classifier(self) and Y.shape[1] == 1 else None
        arrays = (X, Y) if sample_weight is None else (X, Y, sample_weight)
        parts = train_test_split(
            *arrays, random_state=self._random_state, test_size=self.validation_fraction,
            stratify=stratify,
        )  # fmt: skip
        X_train, X_val, Y_train, Y_val = parts[:4]
        weights_train, weights_val = (None, None) if sample_weight is None else parts[4:]
        if X_val.shape[0] < 2:
            raise ValueError(
                "The validation set is too small. Increase 'validation_fraction' or the size of "
                "your dataset."
            )
        return X_train, Y_train, weights_train, (X_val, self._decode(Y_val), weights_val)

    def _batch_size(self, n_samples: int) -> int:
        size = self.batch_size
        if isinstance(size, str):  # "auto", the one name check_mlp_parameters lets through
            return min(200, n_samples)
        if size > n_samples:
            warnings.warn(
                "Got `batch_size` less than 1 or larger than sample size. It is going to be "
                "clipped",
                stacklevel=5,
            )
        return int(np.clip(size, 1, n_samples))

    def _epoch(
        self,
        optimizer: Optimizer,
        X: Any,
        Y: np.ndarray,
        weights: np.ndarray | None,
        order: np.ndarray,
        batch: int,
    ) -> float:
        """One pass over the rows in mini-batches; returns the mean of the batches' losses."""
        network = self.network_
        flat, flat_gradients = network.flat_storage()
        n, total = X.shape[0], 0.0
        for start in range(0, n, batch):
            rows = order[start : start + batch]
            Xb, Yb = X[rows], Y[rows]
            self._set_batch(None if weights is None else weights[rows], len(rows))
            total += network.loss_and_gradients(Xb, Yb, training=True) * len(rows)
            optimizer.step([flat], [flat_gradients])
        self._set_batch(None, n)
        return total / n

    def _no_improvement(self, validation: Validation | None) -> None:
        """scikit-learn's count of epochs without improvement by more than tol: on the
        validation score (keeping the best weights) with early stopping, else on the loss.

        A warm start that turned early stopping on (or off) since the last fit finds the
        other rule's record (None): the rule's own starts here."""
        if validation is not None:
            score = self._score(*validation)
            scores = [] if self.validation_scores_ is None else self.validation_scores_
            best = -np.inf if self.best_validation_score_ is None else self.best_validation_score_
            scores.append(score)
            self.validation_scores_, self.best_validation_score_ = scores, best
            if self.verbose:
                print(f"Validation score: {score:f}")
            if score < best + self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if score > best:
                self.best_validation_score_ = score
                self._best_coefs = [c.copy() for c in self.coefs_]
                self._best_intercepts = [b.copy() for b in self.intercepts_]
            return
        best_loss = np.inf if self.best_loss_ is None else self.best_loss_
        if self.loss_curve_[-1] > best_loss - self.tol:
            self._no_improvement_count += 1
        else:
            self._no_improvement_count = 0
        self.best_loss_ = min(best_loss, self.loss_curve_[-1])

    def _keeps_going(self, optimizer: Optimizer, validation: Validation | None) -> bool:
        """After n_iter_no_change epochs without improvement: stop, or (``adaptive``) divide
        the learning rate by 5 and go on while it is above 1e-6."""
        what = "Validation score" if validation is not None else "Training loss"
        message = (
            f"{what} did not improve more than tol={self.tol:f} for "
            f"{self.n_iter_no_change} consecutive epochs."
        )
        if self.solver == "adam" or self.learning_rate != "adaptive":
            if self.verbose:
                print(message + " Stopping.")
            return False
        if optimizer.learning_rate <= 1e-6:
            if self.verbose:
                print(message + " Learning rate too small. Stopping.")
            return False
        optimizer.learning_rate /= 5.0
        if self.verbose:
            print(message + f" Setting learning rate to {optimizer.learning_rate:f}")
        self._no_improvement_count = 0
        return True

    def _fit_stochastic(
        self, X: Any, Y: np.ndarray, sample_weight: np.ndarray | None, incremental: bool
    ) -> bool:
        """Train ``self.network_`` with sgd or adam as scikit-learn's ``_fit_stochastic``:
        up to ``max_iter`` epochs (one when ``incremental``), the curves and counters kept
        on the estimator.

        Example:
            >>> import numpy as np
            >>> from glassnet.sklearn import GlassMLPRegressor
            >>> model = GlassMLPRegressor((2,), solver="sgd", max_iter=1, random_state=0)
            >>> model.partial_fit([[0.0], [1.0]], [0.0, 1.0]).t_  # one epoch over two rows
            2

        Returns True when the stopping rule ended the run (it converged).
        """
        if not incremental or not hasattr(self, "_optimizer"):
            self._optimizer = new_optimizer(
                self.solver, self.learning_rate_init, self.momentum, self.nesterovs_momentum,
                self.beta_1, self.beta_2, self.epsilon,
            )  # fmt: skip
        optimizer = self._optimizer
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        validation: Validation | None = None
        if self.early_stopping:
            X, Y, sample_weight, validation = self._split(X, Y, sample_weight)
        n_samples = X.shape[0]
        batch = self._batch_size(n_samples)
        order = np.arange(n_samples)
        self.n_iter_, converged = 0, False
        for _ in range(self.max_iter):
            if self.shuffle:
                order = shuffled(order, random_state=self._random_state)
            self.loss_ = self._epoch(optimizer, X, Y, sample_weight, order, batch)
            self.n_iter_ += 1
            self.t_ += n_samples
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            self._no_improvement(validation)
            if self.solver == "sgd" and self.learning_rate == "invscaling":
                optimizer.learning_rate = self.learning_rate_init / (self.t_ + 1) ** self.power_t
            if self._no_improvement_count > self.n_iter_no_change and not self._keeps_going(
                optimizer, validation
            ):
                converged = True
                break
            if incremental:
                break
            if self.n_iter_ == self.max_iter:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and the "
                    "optimization hasn't converged yet.",
                    ConvergenceWarning,
                    stacklevel=4,  # the caller of fit
                )
        if validation is not None:
            self._restore(self._best_coefs, self._best_intercepts)
        return converged

    def _fit_lbfgs(self, X: Any, Y: np.ndarray, sample_weight: np.ndarray | None) -> bool:
        """Train ``self.network_`` with L-BFGS over its flat parameter array, scikit-learn's
        way: at most ``max_iter`` iterations and ``max_fun`` evaluations of the loss, stopping
        when the largest gradient entry is below ``tol``.

        Example:
            >>> from glassnet.sklearn import GlassMLPRegressor
            >>> model = GlassMLPRegressor((2,), solver="lbfgs", random_state=0)
            >>> model.fit([[0.0], [1.0]], [0.0, 1.0]).loss_ < 1e-4
            True
        """
        self._set_batch(sample_weight, X.shape[0])

        def report(iteration: int, loss: float) -> None:
            print(f"Iteration {iteration}, loss = {loss:.8f}")

        try:
            result = minimize(self.network_, X, Y, self.max_iter, self.max_fun, self.tol,
                              report if self.verbose else None)  # fmt: skip
        finally:
            self._set_batch(None, X.shape[0])
        self.n_iter_ = min(result.nit, self.max_iter)
        self.loss_ = float(result.fun)
        if result.status == 0:
            return True
        warnings.warn(
            f"lbfgs failed to converge after {result.nit} iteration(s) (status={result.status}):"
            f"\n{result.message}\n\nIncrease the number of iterations to improve the "
            f"convergence (max_iter={self.max_iter}).",
            ConvergenceWarning,
            stacklevel=4,
        )
        return False
