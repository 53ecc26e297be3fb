"""The Rosenblatt perceptron: a step output and the perceptron learning rule.

For each sample, z = w . x + b, the prediction is step(z) (1 if z > 0, else 0; or the
three-valued sign), the error is e = y - prediction, and the rule moves the weights by
the correction alpha * e * x (and the bias by alpha * e):

    w <- w + alpha * x * e        b <- b + alpha * e

``mode="batch"`` (tutorial 002) adds up the corrections of every sample and updates once
per epoch: w <- w + alpha * X^T e. ``mode="online"`` updates after each sample. Training
stops after the first epoch without an error, at ``max_epochs``, or as soon as the
weights return to a state they had at the start of an earlier epoch: from there the rule
can only repeat itself, which proves that it will never reach zero error (XOR does this).

Example:
    >>> import numpy as np
    >>> p = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
    >>> p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]).converged
    True
    >>> [round(r.rmse, 3) for r in p.epochs_]
    [0.5, 0.5, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from glassnet.engine.activations import Sign, Step, get_activation
from glassnet.engine.arrays import as_features, seeded_generator
from glassnet.text import format_number, table

__all__ = ["Perceptron", "PerceptronEpoch", "separability_evidence"]


@dataclass
class PerceptronEpoch:
    """What one epoch did.

    ``weights`` and ``bias`` are the values after the epoch; the per-sample arrays hold,
    for each sample in the order seen, the weights it met, z, the prediction, the error
    and the weight correction alpha * e * x.

    Example:
        >>> p = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
        >>> first = p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]).epochs_[0]
        >>> first.epoch, first.errors, first.rmse, first.predictions.tolist()
        (1, 1, 0.5, [0.0, 0.0, 1.0, 1.0])
    """

    epoch: int
    weights: np.ndarray
    bias: float | None
    errors: int
    rmse: float
    order: np.ndarray
    sample_weights: np.ndarray
    sample_bias: np.ndarray | None
    z: np.ndarray
    predictions: np.ndarray
    sample_errors: np.ndarray
    corrections: np.ndarray


class Perceptron:
    """A single Rosenblatt neuron with a step (or sign) output.

    Args:
        n_inputs: number of features.
        learning_rate: alpha in the rule w <- w + alpha * x * e.
        weights: starting weights (n_inputs,); None draws them from U(-0.5, 0.5) with the
            perceptron's seeded generator.
        bias: None for no bias term (tutorial 002); a number is a bias learned from there.
        mode: ``"batch"`` (one update per epoch, summed corrections) or ``"online"``.
        shuffle: online mode only: visit the samples in a new seeded order each epoch.
        activation: ``"step"`` (labels 0/1) or ``"sign"`` (labels -1/1).
        seed: seeds the generator for starting weights and shuffling.

    Example:
        >>> X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]  # OR
        >>> p = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643]).fit(X, y)
        >>> p.converged, p.predict(X).tolist()
        (True, [0, 1, 1, 1])
    """

    def __init__(
        self,
        n_inputs: int,
        learning_rate: float = 0.1,
        weights: Sequence[float] | np.ndarray | None = None,
        bias: float | None = None,
        mode: str = "batch",
        seed: int | None = None,
        shuffle: bool = False,
        activation: str = "step",
    ) -> None:
        if isinstance(n_inputs, bool) or not isinstance(n_inputs, int) or n_inputs < 1:
            raise ValueError(f"n_inputs must be a positive integer, got {n_inputs!r}")
        if not (isinstance(learning_rate, int | float) and np.isfinite(learning_rate)):
            raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
        if learning_rate <= 0:
            raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
        if mode not in ("batch", "online"):
            raise ValueError(f"mode must be 'batch' or 'online', got {mode!r}")
        self.activation = get_activation(activation)
        if not isinstance(self.activation, Step | Sign):
            raise ValueError(f"a perceptron's activation is 'step' or 'sign', got {activation!r}")
        self.n_inputs = n_inputs
        self.learning_rate = float(learning_rate)
        self.mode = mode
        self.shuffle = shuffle
        self.rng = seeded_generator(seed)
        if weights is None:
            self.weights = self.rng.uniform(-0.5, 0.5, n_inputs)
        else:
            self.weights = np.array(weights, dtype=np.float64).reshape(-1)
            if self.weights.shape != (n_inputs,):
                raise ValueError(f"weights must have shape ({n_inputs},), got {np.shape(weights)}")
        self.bias = None if bias is None else float(bias)
        self.epochs_: list[PerceptronEpoch] = []
        self.converged = False
        self.message = ""
        self.evidence = ""
        self.classes_: np.ndarray | None = None

    @property
    def _levels(self) -> tuple[float, float]:
        return (-1.0, 1.0) if isinstance(self.activation, Sign) else (0.0, 1.0)

    def decision_function(self, X) -> np.ndarray:
        """z = X @ w + b for each row.

        Example:
            >>> Perceptron(2, weights=[0.5, 0.5], bias=-0.2).decision_function([[0, 0], [1, 1]])
            array([-0.2,  0.8])
        """
        X = as_features(X, self.n_inputs, owner="the perceptron")
        z = X @ self.weights
        return z if self.bias is None else z + self.bias

    def predict(self, X) -> np.ndarray:
        """step(z) for each row, as the labels given to ``fit``.

        Example:
            >>> Perceptron(1, weights=[1.0]).predict([[2.0], [-1.0]]).tolist()
            [1.0, 0.0]
        """
        outputs = self.activation.forward(self.decision_function(X))
        if self.classes_ is None:
            return outputs
        return self.classes_[(outputs == self._levels[1]).astype(int)]

    def _encode(self, y, n: int) -> np.ndarray:
        y = np.asarray(y).reshape(-1)
        if y.shape[0] != n:
            raise ValueError(f"y has {y.shape[0]} labels but X has {n} rows; they must match")
        classes = np.unique(y)
        if len(classes) > 2:
            raise ValueError(
                f"a perceptron separates two classes, y has {len(classes)}: {classes.tolist()}"
            )
        low, high = self._levels
        if set(classes.tolist()) <= {low, high}:
            classes = np.array([low, high], dtype=classes.dtype)
        elif len(classes) < 2:
            raise ValueError(f"y has a single class {classes.tolist()}; need two classes")
        self.classes_ = classes
        return np.where(y == classes[-1], high, low)

    def fit(self, X, y, max_epochs: int = 100) -> Perceptron:
        """Apply the rule until an epoch makes no error, the weights cycle, or max_epochs.

        Records each epoch in ``epochs_``; sets ``converged``, ``message`` and, when it
        does not converge, ``evidence`` (see ``separability_evidence``).

        Example:
            >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
            >>> p = Perceptron(2, learning_rate=0.1, weights=[0.5, 0.5])
            >>> p.fit(X, [0, 1, 1, 0], max_epochs=20).converged  # XOR
            False
            >>> p.message  # doctest: +ELLIPSIS
            'not linearly separable: no line separates these classes. ...'
        """
        if isinstance(max_epochs, bool) or not isinstance(max_epochs, int) or max_epochs < 1:
            raise ValueError(f"max_epochs must be a positive integer, got {max_epochs!r}")
        X = as_features(X, self.n_inputs, owner="the perceptron")
        targets = self._encode(y, X.shape[0])
        self._inputs = X
        alpha = self.learning_rate
        self.epochs_, self.converged = [], False
        self.evidence = separability_evidence(X, targets == self._levels[1], self.classes_)
        seen: dict[bytes, int] = {}
        for epoch in range(1, max_epochs + 1):
            state = self.weights.tobytes() + np.float64(self.bias or 0.0).tobytes()
            if state in seen and not self.shuffle:
                self.message = (
                    f"not linearly separable: no line separates these classes. At the start of "
                    f"epoch {epoch} the weights are back to those of epoch {seen[state]}, so the "
                    f"rule repeats the same {epoch - seen[state]} epochs forever; "
                    f"each cycle makes {self.epochs_[-1].errors} or more errors."
                )
                return self
            seen[state] = epoch
            if self.mode == "batch":
                record = self._batch_epoch(epoch, X, targets, alpha)
            else:
                record = self._online_epoch(epoch, X, targets, alpha)
            self.epochs_.append(record)
            if record.errors == 0:
                self.converged = True
                self.message = f"converged at epoch {epoch}: every sample is classified right"
                return self
        self.message = (
            f"did not converge within {max_epochs} epochs: the last epoch made "
            f"{self.epochs_[-1].errors} errors. The classes may not be linearly separable, "
            f"or need more epochs."
        )
        return self

    def _batch_epoch(self, epoch, X, targets, alpha) -> PerceptronEpoch:
        n = X.shape[0]
        z = X @ self.weights if self.bias is None else X @ self.weights + self.bias
        predictions = self.activation.forward(z)
        errors = targets - predictions  # e = y - step(z)
        corrections = alpha * errors[:, None] * X  # alpha * e * x, one row per sample
        sample_weights = np.tile(self.weights, (n, 1))
        sample_bias = None if self.bias is None else np.full(n, self.bias)
        self.weights = self.weights + alpha * (X.T @ errors)  # w <- w + alpha * X^T e
        if self.bias is not None:
            self.bias = self.bias + alpha * float(errors.sum())
        return self._record(
            epoch, np.arange(n), sample_weights, sample_bias, z, predictions, errors, corrections
        )

    def _online_epoch(self, epoch, X, targets, alpha) -> PerceptronEpoch:
        # The online rule is sequential by definition: each update changes what the next
        # sample sees, so this loop over samples is the algorithm itself.
        n = X.shape[0]
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        sample_weights = np.empty((n, self.n_inputs))
        sample_bias = None if self.bias is None else np.empty(n)
        z, predictions, errors = np.empty(n), np.empty(n), np.empty(n)
        corrections = np.empty((n, self.n_inputs))
        for position, row in enumerate(order):
            x = X[row]
            sample_weights[position] = self.weights
            z[position] = x @ self.weights + (self.bias or 0.0)
            if sample_bias is not None:
                sample_bias[position] = self.bias
            predictions[position] = self.activation.forward(z[position : position + 1])[0]
            errors[position] = targets[row] - predictions[position]
            corrections[position] = alpha * errors[position] * x
            self.weights = self.weights + corrections[position]
            if self.bias is not None:
                self.bias = self.bias + alpha * errors[position]
        return self._record(
            epoch, order, sample_weights, sample_bias, z, predictions, errors, corrections
        )

    def _record(self, epoch, order, sample_weights, sample_bias, z, predictions, errors,
                corrections) -> PerceptronEpoch:  # fmt: skip
        return PerceptronEpoch(
            epoch=epoch,
            weights=self.weights.copy(),
            bias=self.bias,
            errors=int(np.count_nonzero(errors)),
            rmse=float(np.sqrt(np.mean(errors**2))),
            order=order,
            sample_weights=sample_weights,
            sample_bias=sample_bias,
            z=z,
            predictions=predictions,
            sample_errors=errors,
            corrections=corrections,
        )

    def table(self, digits: int = 4) -> str:
        """The textbook table of ``fit``: for each epoch and sample, x, the weights it met,
        z, the prediction step(z), the target, the error e = y - prediction and the
        corrections alpha * e * x (and alpha * e for the bias); after each epoch its errors
        and RMSE; then how it ended.

        Example:
            >>> p = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
            >>> table = p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]).table()
            >>> table.splitlines()[-1]
            'converged at epoch 3: every sample is classified right'
        """
        if not self.epochs_:
            raise ValueError("the perceptron has not been fitted: call fit(X, y) first")
        low, high = self._levels
        header = ["epoch", "sample", "x", "w", "z", "step(z)", "y", "error", "correction"]
        if self.bias is not None:
            header.insert(4, "b")
            header.append("b correction")
        rows: list[list[str]] = [header]
        summaries: dict[int, str] = {}
        X = self._inputs
        for record in self.epochs_:
            for position, sample in enumerate(record.order):
                error = record.sample_errors[position]
                prediction = record.predictions[position]
                cells = [
                    str(record.epoch),
                    str(int(sample)),
                    format_number(X[sample], digits),
                    format_number(record.sample_weights[position], digits),
                    format_number(record.z[position], digits),
                    format_number(prediction, digits),
                    format_number(prediction + error, digits),
                    format_number(error, digits),
                    format_number(record.corrections[position] + 0.0, digits),  # no "-0"
                ]
                if record.sample_bias is not None:
                    cells.insert(4, format_number(record.sample_bias[position], digits))
                    cells.append(format_number(self.learning_rate * error + 0.0, digits))
                rows.append(cells)
            bias = "" if record.bias is None else f", b = {format_number(record.bias, digits)}"
            summaries[len(rows)] = (
                f"  epoch {record.epoch}: {record.errors} error"
                f"{'' if record.errors == 1 else 's'}, RMSE {record.rmse:.4g}; "
                f"after it w = {format_number(record.weights, digits)}{bias}"
            )
        aligned = table(rows).splitlines()
        lines = []
        for number, line in enumerate(aligned, start=1):
            lines.append(line)
            if number == 1:  # the widest row is as wide as the table
                lines.append("-" * max(len(row) for row in aligned))
            if number in summaries:
                lines.append(summaries[number])
        rule = "w <- w + (the sum of the epoch's corrections)" if self.mode == "batch" else (
            "w <- w + alpha * e * x after each sample")  # fmt: skip
        if self.bias is not None:
            rule += ", b <- b + alpha * e"
        lines.insert(0, f"alpha = {self.learning_rate:g}, {self.mode} mode: {rule}; "
                     f"labels {low:g}/{high:g}")  # fmt: skip
        lines.append(self.message)
        if self.evidence and not self.converged:
            lines.append(self.evidence)
        return "\n".join(line.rstrip() for line in lines)

    def __repr__(self) -> str:
        bias = "" if self.bias is None else f", bias={self.bias}"
        return (
            f"Perceptron({self.n_inputs}, learning_rate={self.learning_rate}, "
            f"weights={self.weights.tolist()}{bias}, mode={self.mode!r})"
        )


def separability_evidence(X, positive, classes=None, max_samples: int = 60) -> str:
    """Proof that no line (hyperplane) separates two classes, when one is easy to show.

    If two points of one class and two of the other share a midpoint, no line separates
    them: a half-plane that holds both points of a pair holds their midpoint too, so the
    one midpoint would have to lie on both sides. (XOR: (0, 1) and (1, 0) against (0, 0)
    and (1, 1), midpoint (0.5, 0.5).) A point labelled both ways is the one-point case.
    Returns "" when no such pairs exist, or when there are more than ``max_samples``.

    Example:
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> print(separability_evidence(X, [False, True, True, False]))  # doctest: +ELLIPSIS
        Evidence: [0, 1] and [1, 0] are class 1, [0, 0] and [1, 1] are class 0, and both pairs have the midpoint [0.5, 0.5]...
    """  # noqa: E501
    X = np.asarray(X, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    if X.shape[0] > max_samples:
        return ""
    names = ["0", "1"] if classes is None else [_label(label) for label in np.asarray(classes)]

    def pair_midpoints(points: np.ndarray) -> dict[tuple, tuple[int, int]]:
        first, second = np.triu_indices(len(points))
        midpoints = np.round((points[first] + points[second]) / 2, 12)
        return {tuple(m): (i, j) for m, i, j in zip(midpoints.tolist(), first, second, strict=True)}

    ones, zeros = X[positive], X[~positive]
    on_one_side = pair_midpoints(ones)
    for midpoint, (k, m) in pair_midpoints(zeros).items():
        if midpoint in on_one_side:
            i, j = on_one_side[midpoint]

            def show(point: np.ndarray) -> str:
                return format_number(point, digits=6)

            if i == j and k == m:
                return (f"Evidence: the point {show(ones[i])} is labelled both {names[1]} and "
                        f"{names[0]}: no line can put it on both sides.")  # fmt: skip
            return (
                f"Evidence: {show(ones[i])} and {show(ones[j])} are class {names[1]}, "
                f"{show(zeros[k])} and {show(zeros[m])} are class {names[0]}, and both pairs "
                f"have the midpoint {show(np.array(midpoint))}. A line with both class-"
                f"{names[1]} points on one side has their midpoint there too; with both "
                f"class-{names[0]} points on the other side, that same midpoint would be on "
                "the other side as well. No line can do both."
            )
    return ""


def _label(label) -> str:
    """A class label as a reader writes it: 1 rather than 1.0."""
    if isinstance(label, int | float | np.number) and not isinstance(label, bool | np.bool_):
        return format_number(label, digits=6)
    return str(label)
