"""One epoch of the perceptron's rule, batch or online, and the record of what it did.

The same code runs in both arithmetics: on float64 arrays, or on object arrays of
``Fraction`` (exact decimals, ``engine/perceptron_rules.py``); the record holds float64.
A ``RowBudget`` can bound a perceptron's record: past it, the oldest epochs keep their
summary (weights, bias, errors, RMSE) and lose their per-sample rows.

Example:
    >>> import numpy as np
    >>> from glassnet.engine.perceptron_rules import Rule
    >>> X, t = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([0.0, 1.0])
    >>> record, w, b = batch_epoch(1, Rule("rosenblatt", "step"), (X, t, None),
    ...                            np.array([0.5, -0.5]), None, 0.1)
    >>> record.errors, w.tolist()
    (1, [0.6, -0.4])
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from glassnet.engine.display import epoch_html, epoch_summary
from glassnet.engine.perceptron_rules import Number, Rule, exact

# A run's data in its arithmetic (float64, or object arrays of Fraction): the inputs X,
# the targets, and each row's weight (None: every row counts once).
EpochData = tuple[NDArray[Any], NDArray[Any], NDArray[Any] | None]

__all__ = ["Penalties", "PerceptronEpoch", "RowBudget", "batch_epoch", "move", "online_epoch"]

# The per-sample arrays of a record, each with one entry (or one row) per sample seen.
ROW_FIELDS = ("order", "sample_weights", "sample_bias", "z", "predictions", "sample_errors",
              "corrections", "targets", "bias_corrections", "weights_after",
              "bias_after")  # fmt: skip


@dataclass
class PerceptronEpoch:
    """What one epoch did.

    ``weights`` and ``bias`` are the values after the epoch; the per-sample arrays hold,
    for each sample in the order seen, the weights it met, z, the output, the target, the
    error e = t - y, the weight correction (alpha * e * x, or alpha * t * x under Fausett's
    rule) and the bias correction; online, also the weights and bias after the sample.
    ``inputs`` is the X the epoch ran on (one copy shared by the epochs of a run on the
    same data), for its table. A record whose rows were dropped (``without_rows``) keeps
    its summary: ``epoch``, ``weights``, ``bias``, ``errors`` and ``rmse``.

    Example:
        >>> from glassnet import Perceptron
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
    targets: np.ndarray
    bias_corrections: np.ndarray | None = None
    weights_after: np.ndarray | None = None
    bias_after: np.ndarray | None = None
    inputs: np.ndarray | None = None

    @property
    def rows_kept(self) -> bool:
        """Whether the record still holds its per-sample rows (every epoch sees a sample).

        Example:
            >>> from glassnet import Perceptron
            >>> p = Perceptron(1, weights=[1.0]).fit([[1.0], [-1.0]], [1, 0])
            >>> p.epochs_[0].rows_kept, p.epochs_[0].without_rows().rows_kept
            (True, False)
        """
        return self.order.size > 0

    @property
    def row_values(self) -> int:
        """How many numbers the per-sample rows hold (what a ``RowBudget`` counts).

        Example:
            >>> from glassnet import Perceptron
            >>> p = Perceptron(2, weights=[1.0, 0.0]).fit([[1.0, 0.0], [-1.0, 0.0]], [1, 0])
            >>> p.epochs_[0].row_values  # order, z, outputs, errors, targets: 2 each; 2 x 2 twice
            18
        """
        arrays = (getattr(self, name) for name in ROW_FIELDS)
        return sum(array.size for array in arrays if array is not None)

    def without_rows(self) -> PerceptronEpoch:
        """The record's summary alone: the per-sample arrays emptied (None stays None, so
        the record still says whether it had a bias and was online), no inputs.

        Example:
            >>> from glassnet import Perceptron
            >>> p = Perceptron(2, weights=[1.0, 0.0]).fit([[1.0, 0.0], [-1.0, 0.0]], [1, 0])
            >>> summary = p.epochs_[0].without_rows()
            >>> summary.epoch, summary.errors, summary.weights.tolist(), summary.z.shape
            (1, 0, [1.0, 0.0], (0,))
        """
        emptied: dict[str, Any] = {}
        for name in ROW_FIELDS:
            array = getattr(self, name)
            if array is not None:
                emptied[name] = np.empty((0, *array.shape[1:]), dtype=array.dtype)
        return replace(self, inputs=None, **emptied)

    def _repr_html_(self) -> str:
        return epoch_html(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(epoch_summary(self))


class Penalties:
    """The l2 and l1 penalties of scikit-learn's SGD, around each move of the rule.

    Before a move the weights shrink: w <- w * max(0, 1 - alpha * l2). After it, the
    cumulative l1 penalty (Tsuruoka, Tsujii and Ananiadou 2009, as scikit-learn applies
    it): u, the total l1 step so far, grows by alpha * l1; each weight moves toward 0 by
    u less what it has already taken (q), never past 0. u and q are kept from move to move
    and from fit to fit (a new ``Perceptron`` starts them at 0).

    Example:
        >>> penalties = Penalties(l2=0.0, l1=0.5)
        >>> penalties.after(np.array([1.0, -0.2]), alpha=1.0).tolist()
        [0.5, 0.0]
        >>> penalties.after(np.array([0.5, 0.3]), alpha=1.0).tolist()  # u = 1, q = [-0.5, -0.2]
        [0.0, 0.0]
    """

    def __init__(self, l2: float = 0.0, l1: float = 0.0) -> None:
        self.l2: float = l2
        self.l1: float = l1
        self.total: float = 0.0  # u
        self.taken: np.ndarray | None = None  # q

    def before(self, w: NDArray[Any], alpha: Number) -> NDArray[Any]:
        """w shrunk by l2 before a move.

        Example:
            >>> Penalties(l2=0.5).before(np.array([1.0, -2.0]), alpha=0.1).tolist()
            [0.95, -1.9]
        """
        return w * max(0.0, 1.0 - alpha * self.l2) if self.l2 else w

    def after(self, w: NDArray[Any], alpha: Number) -> NDArray[Any]:
        """w after the cumulative l1 step that follows a move.

        Example:
            >>> Penalties(l1=0.1).after(np.array([1.0, -0.05]), alpha=1.0).tolist()
            [0.9, 0.0]
        """
        if not self.l1:
            return w
        self.total += alpha * self.l1
        taken = np.zeros(w.shape) if self.taken is None else self.taken
        lowered = np.maximum(0.0, w - (self.total + taken))
        raised = np.minimum(0.0, w + (self.total - taken))
        new = np.where(w > 0, lowered, np.where(w < 0, raised, w))
        self.taken = taken + (new - w)
        return new


class RowBudget:
    """Keeps a record's per-sample rows within ``values`` numbers: after each epoch is
    added, the oldest epochs that still hold rows lose them (``without_rows``) until the
    rows kept fit; the newest epoch always keeps its own. The summaries are never dropped.

    A run's copy of X (``inputs``, shared by its epochs) goes with the rows: each copy is
    held by at least one epoch with rows, which holds twice its size or more, so the
    copies kept are at most half the budget.

    Example:
        >>> from glassnet import Perceptron
        >>> p = Perceptron(1, weights=[0.0], bias=0.0, mode="online")
        >>> p.fit([[1.0], [2.0], [3.0]], [0, 1, 0], max_epochs=3).epochs_[0].row_values
        33
        >>> budget, kept = RowBudget(70), []
        >>> for record in p.epochs_:
        ...     kept.append(record)
        ...     budget.keep(kept)
        >>> [record.rows_kept for record in kept], [record.errors for record in kept]
        ([False, True, True], [2, 2, 2])
    """

    def __init__(self, values: int) -> None:
        self.values: int = values
        self._records: list[PerceptronEpoch] | None = None
        self._length = 0  # how many records the count below has seen
        self._first = 0  # the oldest record that may still hold rows
        self._kept = 0  # the numbers in the rows kept

    def keep(self, records: list[PerceptronEpoch]) -> None:
        """Drop the oldest rows of ``records`` (in place) past the budget; called after each
        record is appended (a list it has not seen, or changed, is counted afresh).

        Example:
            >>> from glassnet import Perceptron
            >>> records = Perceptron(1, weights=[0.0]).fit([[1.0]], [1], max_epochs=1).epochs_
            >>> RowBudget(1).keep(records)  # the newest keeps its rows, whatever their size
            >>> records[0].rows_kept
            True
        """
        if records is self._records and len(records) == self._length + 1:
            self._kept += records[-1].row_values
        else:
            self._records, self._first = records, 0
            self._kept = sum(record.row_values for record in records if record.rows_kept)
        self._length = len(records)
        while self._kept > self.values and self._first < len(records) - 1:
            oldest = records[self._first]
            if oldest.rows_kept:
                self._kept -= oldest.row_values
                records[self._first] = oldest.without_rows()
            self._first += 1


def move(
    w: NDArray[Any],
    b: Number | None,
    factor: NDArray[Any] | Number,
    x: NDArray[Any],
    alpha: Number,
    penalties: Penalties | None = None,
) -> tuple[NDArray[Any], Number | None]:
    """(w, b) after one move w <- w + factor * x (b <- b + the factor, summed in batch),
    with the penalties around it in scikit-learn's order (``Penalties``).

    Example:
        >>> w, b = move(np.array([1.0, -1.0]), 0.0, 0.5, np.array([1.0, 0.0]), 0.1,
        ...             Penalties(l2=1.0))
        >>> w.tolist(), b
        ([1.4, -0.9], 0.5)
    """
    if penalties is not None:
        w = penalties.before(w, alpha)
    w = w + factor * x
    if b is not None:
        b = b + (factor.sum() if isinstance(factor, np.ndarray) else factor)
    if penalties is not None:
        w = penalties.after(w, alpha)
    return w, b


def _in_kind(outputs: np.ndarray, X: np.ndarray) -> np.ndarray:
    """The outputs (float64) in the arithmetic of X, so that e = t - y stays exact."""
    return exact(outputs) if X.dtype == object else outputs


def batch_epoch(epoch: int, rule: Rule, data: EpochData, w: NDArray[Any], b: Number | None,
                alpha: Number, penalties: Penalties | None = None
                ) -> tuple[PerceptronEpoch, NDArray[Any], Number | None]:  # fmt: skip
    """One batch epoch: every sample meets the same weights, the corrections are summed
    and applied once. ``data`` is (X, targets, row weights or None). Returns the record
    and the new w and b.

    Example:
        >>> X, t = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 0.0])
        >>> record, w, b = batch_epoch(1, Rule("rosenblatt", "step"), (X, t, None),
        ...                            np.zeros(2), 0.0, 0.5)
        >>> record.sample_errors.tolist(), w.tolist(), b
        ([1.0, 0.0], [0.5, 0.0], 0.5)
    """
    X, targets, rows = data
    n = X.shape[0]
    z = X @ w if b is None else X @ w + b
    if rule.threshold:
        z = z - rule.threshold
    outputs = rule.outputs(z)
    factors = rule.factors(targets, _in_kind(outputs, X))
    if rows is not None:
        factors = factors * rows
    corrections = alpha * factors[:, None] * X  # alpha * e * x, one row per sample
    met, met_b = np.tile(w, (n, 1)), None if b is None else np.full(n, b)
    # w <- w + alpha * X^T e (the sum of the corrections); b <- b + alpha * sum(e)
    w, _ = move(w, None, alpha, X.T @ factors, alpha, penalties)
    if b is not None:
        total = factors.sum()
        b = b + alpha * (total if X.dtype == object else float(total))
    bias_corrections = None if b is None else alpha * factors
    record = _record(epoch, np.arange(n), w, b, _Rows(
        met, met_b, z, outputs, targets, corrections, bias_corrections, None, None))  # fmt: skip
    return record, w, b


def online_epoch(epoch: int, rule: Rule, data: EpochData, w: NDArray[Any], b: Number | None,
                 alpha: Number, order: np.ndarray, penalties: Penalties | None = None
                 ) -> tuple[PerceptronEpoch, NDArray[Any], Number | None]:  # fmt: skip
    """One online epoch: the samples in ``order``, each meeting the weights the one
    before it left. ``data`` is (X, targets, row weights or None). Returns the record and
    the new w and b.

    Example:
        >>> X, t = np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([1.0, 1.0])
        >>> record, w, b = online_epoch(1, Rule("rosenblatt", "step"), (X, t, None),
        ...                             np.zeros(2), None, 0.5, np.arange(2))
        >>> record.sample_errors.tolist(), w.tolist()  # the second row meets w = [0.5, 0]
        ([1.0, 0.0], [0.5, 0.0])
    """
    # The online rule is sequential by definition: each update changes what the next
    # sample sees, so this loop over samples is the algorithm itself.
    X, targets, rows = data
    n, kind = X.shape
    met, met_b = np.empty((n, kind), X.dtype), np.empty(n, X.dtype)
    after, after_b = np.empty((n, kind), X.dtype), np.empty(n, X.dtype)
    z, outputs = np.empty(n, X.dtype), np.empty(n)
    factors, corrections = np.empty(n, X.dtype), np.empty((n, kind), X.dtype)
    for position, row in enumerate(order):
        x = X[row]
        met[position], met_b[position] = w, 0 if b is None else b
        net = x @ w if b is None else x @ w + b
        z[position] = net = net - rule.threshold if rule.threshold else net
        outputs[position] = output = rule.outputs(net)
        if X.dtype == object:  # e = t - y exact too
            output = exact(output).item()
        factor = alpha * rule.factors(targets[row], output)
        factors[position] = factor if rows is None else factor * rows[row]
        corrections[position] = factors[position] * x
        w, b = move(w, b, factors[position], x, alpha, penalties)
        after[position], after_b[position] = w, 0 if b is None else b
    has_bias = b is not None
    record = _record(epoch, order, w, b, _Rows(
        met, met_b if has_bias else None, z, outputs, targets[order], corrections,
        factors if has_bias else None, after, after_b if has_bias else None))  # fmt: skip
    return record, w, b


class _Rows(NamedTuple):
    """The per-sample arrays of an epoch, in its arithmetic (None: not kept)."""

    met: NDArray[Any]
    met_b: NDArray[Any] | None
    z: NDArray[Any]
    outputs: NDArray[Any]
    targets: NDArray[Any]
    corrections: NDArray[Any]
    bias_corrections: NDArray[Any] | None
    after: NDArray[Any] | None
    after_b: NDArray[Any] | None


def _floats(values: NDArray[Any]) -> NDArray[np.float64]:
    try:
        return np.asarray(values, dtype=np.float64)
    except OverflowError:  # an exact fraction beyond float64's range: the record can't hold it
        raise ValueError(
            "exact arithmetic: a value grew beyond float64's range (about 1.8e308), in which "
            "the record keeps its numbers; scale the inputs, or take arithmetic='float', "
            "where it becomes inf and the fit stops as diverged"
        ) from None


def _floats_or_none(values: NDArray[Any] | None) -> NDArray[np.float64] | None:
    return None if values is None else _floats(values)


def _record(epoch: int, order: np.ndarray, w: NDArray[Any], b: Number | None,
            rows: _Rows) -> PerceptronEpoch:  # fmt: skip
    outputs, targets = _floats(rows.outputs), _floats(rows.targets)
    errors = targets - outputs  # e = t - y
    bias_corrections = _floats_or_none(rows.bias_corrections)
    return PerceptronEpoch(
        epoch=epoch,
        weights=_floats(w),
        bias=None if b is None else float(b),
        errors=int(np.count_nonzero(errors)),
        rmse=float(np.sqrt(np.mean(errors**2))),
        order=order,
        sample_weights=_floats(rows.met),
        sample_bias=_floats_or_none(rows.met_b),
        z=_floats(rows.z),
        predictions=outputs,
        sample_errors=errors,
        corrections=_floats(rows.corrections) + 0.0,  # no "-0"
        targets=targets,
        bias_corrections=None if bias_corrections is None else bias_corrections + 0.0,
        weights_after=_floats_or_none(rows.after),
        bias_after=_floats_or_none(rows.after_b),
    )
