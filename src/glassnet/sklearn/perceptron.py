"""GlassPerceptron: Rosenblatt's perceptron (glassnet's ``Perceptron``) as a scikit-learn
classifier, one perceptron per class against the rest for more than two classes.

Example:
    >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], ["off", "on"])
    >>> model.predict([[1.0]]).tolist()
    ['on']
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from glassnet.engine.perceptron import Perceptron, PerceptronEpoch
from glassnet.sklearn.checks import check_labels, check_perceptron_parameters, seed_from

__all__ = ["GlassPerceptron"]


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
    ``feature_names_in_`` (when X has column names). ``epoch_records(X, y)`` shows the
    numbers of one epoch of the rule.

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

    # ------------------------------------------------------------------ setting up
    def _binary_targets(self, y: np.ndarray) -> list[np.ndarray]:
        """The 0/1 targets of each perceptron: one for two classes, one per class else."""
        if len(self.classes_) == 2:
            return [(y == self.classes_[1]).astype(np.float64)]
        return [(y == label).astype(np.float64) for label in self.classes_]

    def _start(self, X, y, reset: bool, classes) -> tuple[np.ndarray, np.ndarray]:
        """Check the parameters and data, set ``classes_`` and make the perceptrons (from
        the previous weights unless ``reset``); return X and y as arrays."""
        check_perceptron_parameters(self)
        X, y = validate_data(self, X, y, reset=reset, dtype=np.float64)
        check_classification_targets(y)
        self.classes_ = self._classes(y, reset, classes)
        random_state = check_random_state(self.random_state)
        previous = getattr(self, "perceptrons_", None) if not reset else None
        self.perceptrons_ = []
        for index in range(1 if len(self.classes_) == 2 else len(self.classes_)):
            start = previous[index] if previous else None
            bias = None
            if self.fit_intercept:
                bias = start.bias if start is not None and start.bias is not None else 0.0
            self.perceptrons_.append(
                Perceptron(
                    X.shape[1], learning_rate=float(self.eta0),
                    weights=None if start is None else start.weights, bias=bias,
                    mode=self.mode, seed=seed_from(random_state), shuffle=bool(self.shuffle),
                )
            )  # fmt: skip
        return X, y

    def _classes(self, y: np.ndarray, reset: bool, classes) -> np.ndarray:
        """The class labels (from ``classes`` when given, else from y), checked against y
        and against the previous fit."""
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
        return labels

    def _finish(self) -> None:
        self.coef_ = np.vstack([p.weights for p in self.perceptrons_])
        self.intercept_ = np.array([p.bias or 0.0 for p in self.perceptrons_])

    # ------------------------------------------------------------------ training
    def fit(self, X, y) -> GlassPerceptron:
        """Train each perceptron until it stops (see the class docstring); return self.

        Example:
            >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], [0, 1])
            >>> model.n_iter_ >= 1
            True
        """
        reset = not (self.warm_start and hasattr(self, "perceptrons_"))
        X, y = self._start(X, y, reset=reset, classes=None)
        problems = zip(self.perceptrons_, self._binary_targets(y), strict=True)
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
            stacklevel=3,  # the caller of fit
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
        for perceptron, targets in zip(self.perceptrons_, self._binary_targets(y), strict=True):
            perceptron.fit(X, targets, max_epochs=1)
        self.n_iter_ = 1 if first else self.n_iter_ + 1
        self._finish()
        return self

    # ------------------------------------------------------------------ predicting
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

    # ------------------------------------------------------------------ the glass box
    def epoch_records(self, X, y) -> list[PerceptronEpoch]:
        """The ``PerceptronEpoch`` record of one batch epoch of the rule on (X, y), one per
        perceptron: the weights each sample met, z, the predictions step(z), the errors e,
        the corrections alpha * e * x, and the weights after the epoch.

        Runs on copies of ``perceptrons_`` (the estimator is not changed); one record per
        perceptron, in ``classes_`` order for more than two classes. (The MLP estimators'
        ``trace`` gives a ``Trace`` of one step instead.)

        Example:
            >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], [0, 1])
            >>> records = model.epoch_records([[0.0], [1.0]], [0, 1])
            >>> len(records), records[0].corrections.shape
            (1, (2, 1))
        """
        check_is_fitted(self, "perceptrons_")
        X, y = validate_data(self, X, y, reset=False, dtype=np.float64)
        check_labels(y, self.classes_)
        records = []
        for perceptron, targets in zip(self.perceptrons_, self._binary_targets(y), strict=True):
            copy = Perceptron(
                X.shape[1], learning_rate=perceptron.learning_rate, weights=perceptron.weights,
                bias=perceptron.bias, mode="batch",
            )  # fmt: skip
            records.append(copy.fit(X, targets, max_epochs=1).epochs_[0])
        return records
