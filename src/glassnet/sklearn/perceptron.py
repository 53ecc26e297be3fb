"""GlassPerceptron: glassnet's ``Perceptron`` as scikit-learn's ``Perceptron``, one
perceptron per class against the rest for more than two classes.

It takes scikit-learn's parameters (``penalty``, ``alpha``, ``l1_ratio``, ``tol=None``,
``class_weight``, ``early_stopping``, sparse X, ...) and the textbooks' as extras (``rule``,
``threshold``, ``step_at_zero``, ``band``, ``mode``, ``arithmetic``). Its default rule,
Fausett's with ``band=0``, is scikit-learn's: a move of eta0 * t * x whenever t z <= 0.

Example:
    >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], ["off", "on"])
    >>> model.predict([[1.0]]).tolist()
    ['on']
"""

from __future__ import annotations

import html
import warnings
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import check_is_fitted, validate_data

from glassnet.engine.arrays import holdout_split, seeded_generator
from glassnet.engine.perceptron import Perceptron, PerceptronEpoch
from glassnet.sklearn.checks import check_labels, check_perceptron_parameters, seed_from
from glassnet.sklearn.display import estimator_html
from glassnet.sklearn.mlp import MatrixLike

__all__ = ["GlassPerceptron"]

# Each perceptron's record keeps every epoch's weights, errors and RMSE, and the per-sample
# rows of its latest epochs within this many numbers (400 kB of float64, the last epoch's
# always): a run of max_iter epochs on a wide data set stays about one epoch's size, and
# the textbook table in a notebook's display a few thousand lines (iris: 16 epochs).
ROW_BUDGET = 50_000


def _read_only(rows: np.ndarray) -> np.ndarray:
    """A read-only copy of the rows: the engine perceptrons' records keep it as it is, one
    copy for them all (the caller's X may change after fit)."""
    copy = np.array(rows, dtype=np.float64, copy=True)
    copy.setflags(write=False)
    return copy


class GlassPerceptron(ClassifierMixin, BaseEstimator):
    """Rosenblatt's perceptron (glassnet's ``Perceptron``) behind scikit-learn's API.

    Two classes: one perceptron, z > 0 picks ``classes_[1]``. More classes: one perceptron
    per class against the rest, and the largest z wins. Each perceptron starts from zero
    weights (or ``coef_init``) and applies its rule for up to ``max_iter`` epochs,
    stopping as scikit-learn's does: when the epoch's loss (the hinge max(0, band - t z)
    summed over the rows, before each row's move) has not fallen below the best by
    ``tol * n_samples`` for ``n_iter_no_change`` epochs (with ``early_stopping``: when the
    held-out accuracy has not risen by ``tol``); ``tol=None``: never. It also stops after
    an epoch with no error and no penalty, from which the rule changes nothing.

    Args:
        penalty: None, "l2", "l1" or "elasticnet", with strength ``alpha`` and
            ``l1_ratio`` (the share of l1): before each move the weights shrink by
            1 - eta0 * alpha * (1 - l1_ratio), after it each steps eta0 * alpha * l1_ratio
            toward 0 (not past it; scikit-learn's l1 is the cumulative form of this).
        fit_intercept: learn a bias b (z = w . x + b).
        max_iter, tol, n_iter_no_change, early_stopping, validation_fraction: the stopping
            rule above (held-out rows from ``glassnet.engine.arrays.holdout_split``).
        shuffle: online mode: visit the samples in a new seeded order each epoch.
        verbose: print each epoch's norm, bias and average loss.
        eta0: the learning rate alpha of the rule.
        n_jobs: accepted for scikit-learn's sake; the perceptrons train one after another.
        random_state: seeds the shuffles and the held-out rows (0, as scikit-learn's).
        class_weight: None, "balanced" or {label: weight}; a weight scales the moves of
            its class's rows (one-vs-rest: the class's own rows, as scikit-learn does).
        warm_start: ``fit`` starts from the weights of the previous fit.
        mode: "online" (a move after each row) or "batch" (the moves of an epoch summed).
        rule, threshold, step_at_zero, band, arithmetic: the textbook settings of
            glassnet's ``Perceptron``; rule="rosenblatt" uses 0/1 targets and e = t - y.

    Sparse X is accepted and made dense (glassnet's engine is dense; scikit-learn also
    slows the bias for sparse data, which this does not). Fitted attributes: ``classes_``,
    ``coef_`` (n_perceptrons, n_features), ``intercept_``, ``perceptrons_`` (the glassnet
    ``Perceptron`` objects), ``n_iter_`` (the most epochs any perceptron ran),
    ``n_features_in_``, ``feature_names_in_``. Each perceptron's ``epochs_`` holds every
    epoch it ran, numbered from 1 (``partial_fit`` numbers on; ``fit`` starts again, warm
    or not), with the per-sample rows of the latest within ``ROW_BUDGET`` numbers.
    ``epoch_records(X, y)`` shows the numbers of one epoch of the rule.

    Example:
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> GlassPerceptron(random_state=0).fit(X, ["off", "on", "on", "on"]).predict(X).tolist()
        ['off', 'on', 'on', 'on']
    """

    def __init__(
        self,
        *,
        penalty: str | None = None,
        alpha: float = 0.0001,
        l1_ratio: float = 0.15,
        fit_intercept: bool = True,
        max_iter: int = 1000,
        tol: float | None = 1e-3,
        shuffle: bool = True,
        verbose: int = 0,
        eta0: float = 1.0,
        n_jobs: int | None = None,
        random_state: int | np.random.RandomState | None = 0,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 5,
        class_weight: dict[Any, float] | str | None = None,
        warm_start: bool = False,
        mode: str = "online",
        rule: str = "fausett",
        threshold: float = 0.0,
        step_at_zero: int = 0,
        band: float = 0.0,
        arithmetic: str = "auto",
    ) -> None:
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.eta0 = eta0
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.mode = mode
        self.rule = rule
        self.threshold = threshold
        self.step_at_zero = step_at_zero
        self.band = band
        self.arithmetic = arithmetic

    def __sklearn_tags__(self) -> Any:  # scikit-learn's Tags
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    # ------------------------------------------------------------------ setting up
    def _penalties(self) -> tuple[float, float]:
        """glassnet's l2 and l1 from scikit-learn's penalty, alpha and l1_ratio."""
        share = {None: None, "l2": 0.0, "l1": 1.0, "elasticnet": self.l1_ratio}[self.penalty]
        if share is None:
            return 0.0, 0.0
        return self.alpha * (1.0 - share), self.alpha * share

    def _targets(self, y: np.ndarray) -> list[np.ndarray]:
        """Each perceptron's targets: 1 for its class, -1 (0 under Rosenblatt's rule) else."""
        low = 0.0 if self.rule == "rosenblatt" else -1.0
        labels = [self.classes_[1]] if len(self.classes_) == 2 else list(self.classes_)
        return [np.where(y == label, 1.0, low) for label in labels]

    def _row_weights(self, y: np.ndarray, fitting_all: bool) -> list[np.ndarray | None]:
        """Each perceptron's row weights from ``class_weight`` (None: every row 1)."""
        count = 1 if len(self.classes_) == 2 else len(self.classes_)
        if self.class_weight is None:
            return [None] * count
        if self.class_weight == "balanced" and not fitting_all:
            raise ValueError("class_weight='balanced' needs all of y: not in partial_fit; "
                             "pass a dict of weights instead")  # fmt: skip
        weights = compute_class_weight(self.class_weight, classes=self.classes_, y=y)
        if count == 1:  # scikit-learn's binary case: each class its own weight
            return [np.where(y == self.classes_[1], weights[1], weights[0])]
        return [np.where(y == label, weight, 1.0)
                for label, weight in zip(self.classes_, weights, strict=True)]  # fmt: skip

    def _data(self, X: MatrixLike, *y: ArrayLike, reset: bool = False) -> Any:
        """X (dense float64, sparse accepted), and y if given, checked by scikit-learn's
        validator."""
        checked = validate_data(self, X, *y, reset=reset, accept_sparse=["csr"],
                                dtype=np.float64)  # fmt: skip
        rows, rest = (checked[0], checked[1:]) if y else (checked, ())
        rows = rows.toarray() if sparse.issparse(rows) else rows
        return (rows, *rest) if y else rows

    def _start(
        self,
        X: MatrixLike,
        y: ArrayLike,
        reset: bool,
        classes: ArrayLike | None,
        coef_init: ArrayLike | None = None,
        intercept_init: ArrayLike | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Check the parameters and data, set ``classes_`` and make the perceptrons (from
        the previous weights unless ``reset``); return X and y as arrays."""
        check_perceptron_parameters(self)
        rows, labels = self._data(X, y, reset=reset)
        check_classification_targets(labels)
        self.classes_: np.ndarray = self._classes(labels, reset, classes)
        random_state = check_random_state(self.random_state)
        previous = getattr(self, "perceptrons_", None) if not reset else None
        count = 1 if len(self.classes_) == 2 else len(self.classes_)
        starts = self._starting_weights(count, rows.shape[1], previous, coef_init, intercept_init)
        l2, l1 = self._penalties()
        self.perceptrons_: list[Perceptron] = []
        for weights, bias in starts:
            try:
                self.perceptrons_.append(Perceptron(
                    rows.shape[1], learning_rate=float(self.eta0), weights=weights,
                    bias=bias if self.fit_intercept else None, mode=self.mode,
                    seed=seed_from(random_state), shuffle=bool(self.shuffle), rule=self.rule,
                    threshold=self.threshold, step_at_zero=self.step_at_zero, band=self.band,
                    arithmetic=self.arithmetic, l2=l2, l1=l1, row_budget=ROW_BUDGET,
                ))  # fmt: skip
            except ValueError as error:
                raise ValueError(f"{type(self).__name__}: {error}") from None
        return rows, labels

    def _starting_weights(
        self,
        count: int,
        n_features: int,
        previous: list[Perceptron] | None,
        coef_init: ArrayLike | None,
        intercept_init: ArrayLike | None,
    ) -> list[tuple[np.ndarray, float]]:
        """[(weights, bias)] for each perceptron: coef_init, the previous fit's, or zeros."""
        if coef_init is not None:
            coef = np.asarray(coef_init, dtype=np.float64).reshape(count, -1)
            if coef.shape != (count, n_features):
                raise ValueError(f"coef_init must have shape ({count}, {n_features}), "
                                 f"got {np.shape(coef_init)}")  # fmt: skip
        elif previous:
            coef = np.vstack([p.weights for p in previous])
        else:
            coef = np.zeros((count, n_features))
        if intercept_init is not None:
            intercept = np.asarray(intercept_init, dtype=np.float64).reshape(-1)
            if intercept.shape != (count,):
                raise ValueError(f"intercept_init must have shape ({count},), "
                                 f"got {np.shape(intercept_init)}")  # fmt: skip
        elif previous:
            intercept = np.array([p.bias or 0.0 for p in previous])
        else:
            intercept = np.zeros(count)
        return list(zip(coef, intercept.tolist(), strict=True))

    def _classes(self, y: np.ndarray, reset: bool, classes: ArrayLike | None) -> np.ndarray:
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
        self.coef_: np.ndarray = np.vstack([p.weights for p in self.perceptrons_])
        self.intercept_: np.ndarray = np.array([p.bias or 0.0 for p in self.perceptrons_])

    # ------------------------------------------------------------------ training
    def fit(
        self,
        X: MatrixLike,
        y: ArrayLike,
        coef_init: ArrayLike | None = None,
        intercept_init: ArrayLike | None = None,
    ) -> GlassPerceptron:
        """Train each perceptron until it stops (see the class docstring); return self.

        ``coef_init`` (n_perceptrons, n_features) and ``intercept_init`` (n_perceptrons,)
        are starting weights, as scikit-learn's.

        Example:
            >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], [0, 1])
            >>> model.n_iter_ >= 1
            True
        """
        reset = not (self.warm_start and hasattr(self, "perceptrons_"))
        rows, labels = self._start(X, y, reset, None, coef_init, intercept_init)
        holdout = None
        if self.early_stopping:
            rng = seeded_generator(seed_from(check_random_state(self.random_state)))
            _, held = holdout_split(rows.shape[0], self.validation_fraction, rng)
            kept = np.setdiff1d(np.arange(rows.shape[0]), held)  # in the rows' order
            holdout = (kept, held, rows[held])
        training = _read_only(rows if holdout is None else rows[holdout[0]])
        problems = zip(self.perceptrons_, self._targets(labels), self._row_weights(labels, True),
                       strict=True)  # fmt: skip
        epochs_run = [self._train(p, training, targets, weights, holdout)
                      for p, targets, weights in problems]  # fmt: skip
        self.n_iter_: int = max(epochs_run)
        self._finish()
        if self.tol is not None and self.n_iter_ == self.max_iter:
            warnings.warn(
                f"{type(self).__name__} ran all max_iter={self.max_iter} epochs without "
                f"meeting its stopping rule (tol={self.tol}); raise max_iter",
                ConvergenceWarning,
                stacklevel=2,  # the caller of fit
            )
        return self

    def _train(
        self,
        perceptron: Perceptron,
        X: np.ndarray,
        targets: np.ndarray,
        rows: np.ndarray | None,
        holdout: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    ) -> int:
        """Run the rule epoch by epoch until the stopping rule; return the epochs run. X is
        the training rows; ``holdout`` (early stopping) their indices, the held-out ones and
        the held-out X, for the targets and row weights of each part."""
        held = None
        if holdout is not None:
            kept, held, X_held = holdout
            targets, rows, held_targets = (
                targets[kept], None if rows is None else rows[kept], targets[held])  # fmt: skip
        tol = -np.inf if self.tol is None else self.tol
        best, wait, fixed = (-np.inf if held is not None else np.inf), 0, self.penalty is None
        for epoch in range(1, self.max_iter + 1):
            # One epoch per call, for scikit-learn's stopping rule to judge each (no cycle
            # of the engine's fits in one epoch); resume=True numbers it on in the record.
            record = perceptron.fit(X, targets, max_epochs=1, sample_weight=rows,
                                    resume=True).epochs_[-1]  # fmt: skip
            signs = np.where(record.targets > 0, 1.0, -1.0)  # the hinge of each row
            loss = float(np.maximum(0.0, perceptron.band - signs * record.z).sum())
            self._report(perceptron, epoch, loss, X.shape[0])
            if held is not None:
                score = float(np.mean(perceptron.predict(X_held) == held_targets))
                wait = wait + 1 if score < best + tol else 0
                best = max(best, score)
            else:
                wait = wait + 1 if loss > best - tol * X.shape[0] else 0
                best = min(best, loss)
            if wait >= self.n_iter_no_change or (fixed and record.errors == 0):
                return epoch
        return self.max_iter

    def _report(self, perceptron: Perceptron, epoch: int, loss: float, n: int) -> None:
        if self.verbose:
            print(
                f"-- Epoch {epoch}\nNorm: {np.linalg.norm(perceptron.weights):.2f}, NNZs: "
                f"{np.count_nonzero(perceptron.weights)}, Bias: {perceptron.bias or 0.0:.6f}, "
                f"T: {epoch * n}, Avg. loss: {loss / n:.6f}"
            )

    def partial_fit(
        self, X: MatrixLike, y: ArrayLike, classes: ArrayLike | None = None
    ) -> GlassPerceptron:
        """One epoch of the rule for each perceptron, from the current weights.

        ``classes`` (every label that will ever occur) is needed on the first call. Each
        perceptron's record goes on: the epoch is numbered after those it ran before.

        Example:
            >>> model = GlassPerceptron(random_state=0)
            >>> model.partial_fit([[0.0], [1.0]], [0, 0], classes=[0, 1]).n_iter_
            1
            >>> model.partial_fit([[0.0], [1.0]], [0, 1]).perceptrons_[0].epochs_[-1].epoch
            2
        """
        first = not hasattr(self, "perceptrons_")
        if first and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit")
        if not first and classes is None:
            classes = self.classes_
        records = [] if first else [p.epochs_ for p in self.perceptrons_]
        rows, labels = self._start(X, y, reset=first, classes=classes)
        rows = _read_only(rows)
        problems = zip(self.perceptrons_, self._targets(labels), self._row_weights(labels, False),
                       strict=True)  # fmt: skip
        for k, (perceptron, targets, weights) in enumerate(problems):
            # A new engine perceptron per call (scikit-learn's: its shuffle seed and l1
            # state start afresh) that goes on with the record of the one it replaces.
            perceptron.epochs_ = records[k] if records else []
            perceptron.fit(rows, targets, max_epochs=1, sample_weight=weights, resume=True)
        self.n_iter_ = 1 if first else self.n_iter_ + 1
        self._finish()
        return self

    # ------------------------------------------------------------------ predicting
    def decision_function(self, X: MatrixLike) -> np.ndarray:
        """z = X @ w + b - theta: shape (n_samples,) for two classes, (n_samples, n_classes)
        else.

        Example:
            >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], [0, 1])
            >>> model.decision_function([[0.0], [1.0]]).shape
            (2,)
        """
        check_is_fitted(self, "perceptrons_")
        rows = self._data(X)
        z = np.column_stack([p.decision_function(rows) for p in self.perceptrons_])
        return z.ravel() if z.shape[1] == 1 else z

    def predict(self, X: MatrixLike) -> np.ndarray:
        """z > 0 picks classes_[1] for two classes; else the class whose perceptron gives
        the largest z.

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
    def epoch_records(self, X: MatrixLike, y: ArrayLike) -> list[PerceptronEpoch]:
        """The ``PerceptronEpoch`` record of one batch epoch of the rule on (X, y), one per
        perceptron: the weights each sample met, z, the outputs, the errors e, the
        corrections, and the weights after the epoch.

        Runs on copies of ``perceptrons_`` (the estimator is not changed) with their rule,
        threshold and penalties; one record per perceptron, in ``classes_`` order for more
        than two classes. (The MLP estimators' ``trace`` gives a ``Trace`` of one step.)

        Example:
            >>> model = GlassPerceptron(random_state=0).fit([[0.0], [1.0]], [0, 1])
            >>> records = model.epoch_records([[0.0], [1.0]], [0, 1])
            >>> len(records), records[0].corrections.shape
            (1, (2, 1))
        """
        check_is_fitted(self, "perceptrons_")
        rows, labels = self._data(X, y)
        check_labels(labels, self.classes_)
        records = []
        for perceptron, targets in zip(self.perceptrons_, self._targets(labels), strict=True):
            copy = Perceptron(
                rows.shape[1], learning_rate=perceptron.learning_rate, weights=perceptron.weights,
                bias=perceptron.bias, mode="batch", rule=perceptron.rule,
                threshold=perceptron.threshold, step_at_zero=perceptron.step_at_zero,
                band=perceptron.band, arithmetic=perceptron.arithmetic, l2=perceptron.l2,
                l1=perceptron.l1,
            )  # fmt: skip
            records.append(copy.fit(rows, targets, max_epochs=1).epochs_[0])
        return records

    def _html_repr(self) -> str:
        # What a notebook shows: scikit-learn's diagram of the estimator, then, once
        # fitted, each perceptron in its own display (the engine Perceptron's).
        if not hasattr(self, "perceptrons_"):
            return estimator_html(self)
        labels = [html.escape(repr(label), quote=False) for label in self.classes_.tolist()]
        if len(self.perceptrons_) == 1:
            captions = [f"z &gt; 0 picks {labels[1]}, else {labels[0]}"]
        else:
            captions = [f"{label} against the rest" for label in labels]
        shown = [f"<p>n_iter_ = {self.n_iter_}: the most epochs any perceptron ran.</p>"]
        for k, perceptron in enumerate(self.perceptrons_):
            shown.append(f"<p><b>perceptrons_[{k}]</b>: {captions[k]}</p>\n"
                         + perceptron._repr_html_())  # fmt: skip
        return estimator_html(self, shown)
