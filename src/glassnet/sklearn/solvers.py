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

import numpy as np
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import shuffle as shuffled

from glassnet.engine.lbfgs import minimize
from glassnet.engine.optimizers import SGD, Adam, Momentum, Nesterov, Optimizer

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

    def _set_batch(self, weights: np.ndarray | None, n_rows: int) -> None:
        """The sample weights of the next batch on the loss, and the L2 term for its weight."""
        self.network_.loss.weights = weights
        total = n_rows if weights is None else float(weights.sum())
        for layer in self.network_.dense_layers:
            layer.l2 = self.alpha / total

    def _split(self, X, Y, sample_weight):
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
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                "Got `batch_size` less than 1 or larger than sample size. It is going to be "
                "clipped",
                stacklevel=5,
            )
        return int(np.clip(self.batch_size, 1, n_samples))

    def _epoch(self, optimizer: Optimizer, X, Y, weights, order, batch: int) -> float:
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

    def _no_improvement(self, validation) -> None:
        """scikit-learn's count of epochs without improvement by more than tol: on the
        validation score (keeping the best weights) with early stopping, else on the loss."""
        if validation is not None:
            score = self._score(*validation)
            self.validation_scores_.append(score)
            if self.verbose:
                print(f"Validation score: {score:f}")
            if score < self.best_validation_score_ + self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_coefs = [c.copy() for c in self.coefs_]
                self._best_intercepts = [b.copy() for b in self.intercepts_]
            return
        if self.loss_curve_[-1] > self.best_loss_ - self.tol:
            self._no_improvement_count += 1
        else:
            self._no_improvement_count = 0
        self.best_loss_ = min(self.best_loss_, self.loss_curve_[-1])

    def _keeps_going(self, optimizer: Optimizer, validation) -> bool:
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

    def _fit_stochastic(self, X, Y, sample_weight, incremental: bool) -> bool:
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
        validation = None
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

    def _fit_lbfgs(self, X, Y, sample_weight) -> bool:
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
        report = None
        if self.verbose:

            def report(iteration: int, loss: float) -> None:
                print(f"Iteration {iteration}, loss = {loss:.8f}")

        try:
            result = minimize(self.network_, X, Y, self.max_iter, self.max_fun, self.tol, report)
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
