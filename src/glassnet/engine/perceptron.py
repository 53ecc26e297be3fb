"""The Rosenblatt perceptron, as the textbooks teach it: a step output and its learning rule.

For each sample the net input is z = w . x + b - theta (no b without a bias; theta a fixed
threshold, never learned, 0 unless given), the output y comes from z by the rule
(``engine/perceptron_rules.py``), and the weights move:

    rule="rosenblatt" (default):  e = t - y,  w <- w + alpha * e * x,  b <- b + alpha * e
    rule="fausett":  only when y != t,  w <- w + alpha * t * x,  b <- b + alpha * t

``mode="batch"`` (tutorial 002) adds up the corrections of every sample and updates once
per epoch: w <- w + alpha * X^T e. ``mode="online"`` (the books' tables) updates after each
sample. Training stops after the first epoch without an error, at ``max_epochs``, or as
soon as the weights return to a state they had at the start of an earlier epoch: from
there the rule can only repeat itself, which proves that it will never reach zero error.
The verdict then says whether no line separates the classes (XOR) or only no line
through the origin, for a perceptron without a bias (``engine/separability.py``).
``fit(..., resume=True)`` goes on with the run: its epochs are numbered on and recorded
after the earlier ones, so a caller that runs the rule epoch by epoch (scikit-learn's
stopping rules) still gets the record of the whole run.

Small tables of short decimals are worked in exact arithmetic, as on paper (``arithmetic``).

Example:
    >>> import numpy as np
    >>> p = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
    >>> p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]).converged
    True
    >>> [round(r.rmse, 3) for r in p.epochs_], p.arithmetic_
    ([0.5, 0.5, 0.0], 'float64')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from glassnet.engine.activations import Activation, Sign, Step, get_activation
from glassnet.engine.arrays import as_features, seeded_generator
from glassnet.engine.display import perceptron_html
from glassnet.engine.perceptron_epochs import (
    Penalties,
    PerceptronEpoch,
    RowBudget,
    batch_epoch,
    online_epoch,
)
from glassnet.engine.perceptron_rules import (
    ARITHMETICS,
    RULES,
    Number,
    Rule,
    choose_arithmetic,
    exact,
)
from glassnet.engine.perceptron_table import epoch_table
from glassnet.engine.separability import MAX_EVIDENCE_SAMPLES, verdict
from glassnet.engine.validation import check_choice, check_integer, check_number

__all__ = ["Perceptron", "PerceptronEpoch"]

# The search for a line with a bias (the evidence for a perceptron without one) stops here.
LINE_SEARCH_EPOCHS = 200


class Perceptron:
    """A single Rosenblatt neuron with a step (or sign) output.

    Args:
        n_inputs: number of features.
        learning_rate: alpha in the rule.
        weights: starting weights (n_inputs,); None draws them from U(-0.5, 0.5) with the
            perceptron's seeded generator.
        bias: None for no bias term (tutorial 002); a number is a bias learned from there.
        mode: ``"batch"`` (one update per epoch, summed corrections) or ``"online"``.
        seed: seeds the generator for starting weights and shuffling.
        shuffle: online mode only: visit the samples in a new seeded order each epoch.
        activation: ``"step"`` (targets 0/1) or ``"sign"`` (targets -1/1); None: step, or
            sign under ``rule="fausett"``.
        threshold: theta, subtracted from the net input (z = w . x + b - theta), not learned
            (Negnevitsky's theta).
        step_at_zero: the output at z = 0, 0 or 1 (Negnevitsky's step gives 1 at 0).
        rule: ``"rosenblatt"`` (e = t - y, every row moves by alpha * e * x) or ``"fausett"``
            (bipolar targets, a move of alpha * t * x only when the output is wrong).
        band: Fausett's theta: the output is 0 (undecided) for -band <= z <= band.
        arithmetic: ``"auto"`` (exact for small tables of short decimals, else float64),
            ``"float64"`` or ``"exact"`` (each number as the decimal written, in fractions).
        l2, l1: penalties (scikit-learn's): before each move the weights shrink by the factor
            1 - alpha * l2; after it each weight moves toward 0 by the cumulative l1 step
            (``engine/perceptron_epochs.Penalties``), not past 0.
        row_budget: None keeps every epoch's per-sample rows in ``epochs_``; a number keeps
            those of the latest epochs within that many numbers (``RowBudget``; the
            newest epoch's always), the older epochs their weights, errors and RMSE alone.

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
        weights: ArrayLike | None = None,
        bias: float | None = None,
        mode: str = "batch",
        seed: int | None = None,
        shuffle: bool = False,
        activation: str | dict[str, Any] | Activation | None = None,
        *,
        threshold: float = 0.0,
        step_at_zero: int = 0,
        rule: str = "rosenblatt",
        band: float = 0.0,
        arithmetic: str = "auto",
        l2: float = 0.0,
        l1: float = 0.0,
        row_budget: int | None = None,
    ) -> None:
        if isinstance(n_inputs, bool) or not isinstance(n_inputs, int) or n_inputs < 1:
            raise ValueError(f"n_inputs must be a positive integer, got {n_inputs!r}")
        if not (isinstance(learning_rate, int | float) and np.isfinite(learning_rate)):
            raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
        if learning_rate <= 0:
            raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
        if mode not in ("batch", "online"):
            raise ValueError(f"mode must be 'batch' or 'online', got {mode!r}")
        self.rule: str = check_choice("rule", rule, RULES)
        default = "sign" if self.rule == "fausett" else "step"
        chosen = get_activation(default if activation is None else activation)
        if not isinstance(chosen, Step | Sign):
            raise ValueError(f"a perceptron's activation is 'step' or 'sign', got {activation!r}")
        self.activation: Step | Sign = chosen
        self.threshold: float = check_number("threshold", threshold)
        self.step_at_zero: int = check_integer("step_at_zero", step_at_zero, low=0, high=1)
        self.band: float = check_number("band", band, low=0)
        self.arithmetic: str = check_choice("arithmetic", arithmetic, ARITHMETICS)
        self.l2: float = check_number("l2", l2, low=0)
        self.l1: float = check_number("l1", l1, low=0)
        self._check_combination()
        self.n_inputs: int = n_inputs
        self.learning_rate: float = float(learning_rate)
        self.mode: str = mode
        self.shuffle: bool = shuffle
        self.rng: np.random.Generator = seeded_generator(seed)
        self.weights: NDArray[np.float64]
        if weights is None:
            self.weights = self.rng.uniform(-0.5, 0.5, n_inputs)
        else:
            self.weights = np.array(weights, dtype=np.float64).reshape(-1)
            if self.weights.shape != (n_inputs,):
                raise ValueError(f"weights must have shape ({n_inputs},), got {np.shape(weights)}")
            if not np.all(np.isfinite(self.weights)):
                raise ValueError(f"weights must be finite numbers, got {self.weights.tolist()}")
        self.bias: float | None = None if bias is None else check_number("bias", bias)
        self.epochs_: list[PerceptronEpoch] = []
        self.converged: bool = False
        self.message: str = ""
        self.arithmetic_: str = ""
        self.classes_: np.ndarray | None = None
        self._evidence: str | None = ""
        self._inputs: np.ndarray | None = None  # the rows of the last fit, for its table
        # what the verdict of a fit that ran out of epochs needs: X, positive, cycled
        self._pending: tuple[np.ndarray, np.ndarray, bool] | None = None
        self._exact_state: tuple[tuple[tuple[float, ...], float | None], np.ndarray,
                                 Number | None] | None = None  # fmt: skip
        self._penalties = Penalties(self.l2, self.l1)  # its l1 state goes on from fit to fit
        self.row_budget: int | None = (
            None if row_budget is None else check_integer("row_budget", row_budget, low=1)
        )
        self._budget: RowBudget | None = None  # made by the first fit under a row_budget

    def _check_combination(self) -> None:
        """The settings that do not go together, each refused in one line."""
        if self.rule == "fausett":
            if not isinstance(self.activation, Sign):
                raise ValueError("rule='fausett' has bipolar outputs -1/0/1: use "
                                 "activation='sign' (or leave activation out)")  # fmt: skip
            if self.step_at_zero:
                raise ValueError("step_at_zero applies to rule='rosenblatt'; Fausett's rule "
                                 "outputs 0 inside its band -band <= z <= band")  # fmt: skip
        elif self.band:
            raise ValueError(
                f"band={self.band:g} is the undecided zone of rule='fausett'; rule='rosenblatt' "
                "has none (for a fixed theta, use threshold)"
            )
        if self.arithmetic == "exact" and (self.l2 or self.l1):
            raise ValueError("arithmetic='exact' cannot take a penalty: l2 and l1 make the "
                             "decimals grow without end; use arithmetic='float64'")  # fmt: skip

    @property
    def decision_rule(self) -> Rule:
        """The ``Rule`` that turns z into an output and sizes each move (its formulas too).

        Example:
            >>> Perceptron(2, threshold=0.2, step_at_zero=1).decision_rule.output_formula()
            'step(z) = 1 if z >= 0 else 0'
        """
        return Rule(
            self.rule, self.activation.name, threshold=self.threshold,
            step_at_zero=self.step_at_zero, band=self.band,
            sign_threshold=getattr(self.activation, "threshold", 0.0),
        )  # fmt: skip

    @property
    def _levels(self) -> tuple[float, float]:
        return self.decision_rule.levels

    def _arithmetic_for(self, X: np.ndarray, extra: Sequence[ArrayLike | None]) -> str:
        rule = self.decision_rule
        numbers = [X, self.weights, self.bias or 0.0, self.threshold, self.band,
                   rule.sign_threshold, *extra]  # fmt: skip
        return choose_arithmetic(self.arithmetic, numbers, X.shape[0], bool(self.l2 or self.l1))

    def _net_inputs(self, X: NDArray[Any], arithmetic: str) -> NDArray[Any]:
        """z = X @ w + b - theta in the given arithmetic (an object array if exact)."""
        w: NDArray[Any] = self.weights
        b: Number | None = self.bias
        theta: Number = self.threshold
        if arithmetic == "exact":
            X, w = exact(X), exact(w)
            b = None if b is None else exact(b).item()
            theta = exact(theta).item()
        z = X @ w
        if b is not None:
            z = z + b
        return z - theta if theta else z

    def decision_function(self, X: ArrayLike) -> NDArray[np.float64]:
        """z = X @ w + b - theta for each row.

        Example:
            >>> Perceptron(2, weights=[0.5, 0.5], bias=-0.2).decision_function([[0, 0], [1, 1]])
            array([-0.2,  0.8])
        """
        inputs = as_features(X, self.n_inputs, owner="the perceptron")
        return self._net_inputs(inputs, self._arithmetic_for(inputs, [])).astype(np.float64)

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """The output for each row, as the labels given to ``fit`` (an undecided 0 of the
        sign or of Fausett's band counts as the first class).

        Example:
            >>> Perceptron(1, weights=[1.0]).predict([[2.0], [-1.0]]).tolist()
            [1.0, 0.0]
        """
        inputs = as_features(X, self.n_inputs, owner="the perceptron")
        z = self._net_inputs(inputs, self._arithmetic_for(inputs, []))
        outputs = self.decision_rule.outputs(z)
        if self.classes_ is None:
            return outputs
        return self.classes_[(outputs == self._levels[1]).astype(int)]

    def _encode(self, y: ArrayLike, n: int) -> np.ndarray:
        y = np.asarray(y).reshape(-1)
        if y.shape[0] != n:
            raise ValueError(f"y has {y.shape[0]} labels but X has {n} rows; they must match")
        classes = np.unique(y)
        if len(classes) > 2:
            raise ValueError(
                f"a perceptron separates two classes, y has {len(classes)}: {classes.tolist()}"
            )
        low, high = self._levels
        numeric = classes.dtype.kind in "biuf"
        labels = set(classes.tolist())
        if numeric and self.rule == "fausett" and labels <= {0, 1} and 0 in labels:
            raise ValueError(
                "rule='fausett' wants bipolar targets -1/1, y has 0/1: map them with "
                "t = 2 * y - 1 (0 -> -1, 1 -> 1)"
            )
        if numeric and labels <= {low, high}:
            classes = np.array([low, high], dtype=classes.dtype)
        elif len(classes) < 2:
            raise ValueError(f"y has a single class {classes.tolist()}; need two classes")
        self.classes_ = classes
        return np.where(y == classes[-1], high, low)

    def _sample_weights(self, sample_weight: ArrayLike | None, n: int) -> np.ndarray | None:
        if sample_weight is None:
            return None
        weights = np.asarray(sample_weight, dtype=np.float64).reshape(-1)
        if weights.shape != (n,) or not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError(f"sample_weight must be {n} finite numbers >= 0, one per row")
        return weights

    def _start(
        self, arithmetic: str, X: np.ndarray, targets: np.ndarray, sample_weight: np.ndarray | None
    ) -> tuple[NDArray[Any], NDArray[Any], NDArray[Any] | None, NDArray[Any], Number | None,
               Number]:  # fmt: skip
        """The numbers of the run in its arithmetic: X, targets, row weights, w, b, alpha."""
        if arithmetic == "float64":
            return X, targets, sample_weight, self.weights.copy(), self.bias, self.learning_rate
        state = self._exact_state
        if state is not None and state[0] == (tuple(self.weights.tolist()), self.bias):
            w, b = state[1].copy(), state[2]  # go on from the exact values of the last fit
        else:
            w, b = exact(self.weights), None if self.bias is None else exact(self.bias).item()
        rows = None if sample_weight is None else exact(sample_weight)
        return exact(X), exact(targets), rows, w, b, exact(self.learning_rate).item()

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        max_epochs: int = 100,
        sample_weight: ArrayLike | None = None,
        *,
        resume: bool = False,
    ) -> Perceptron:
        """Apply the rule until an epoch makes no error, the weights cycle, or max_epochs.

        ``sample_weight`` (one number >= 0 per row) scales each row's move. Records each
        epoch in ``epochs_``; sets ``converged``, ``message``, ``arithmetic_`` (the one
        used) and, when it does not converge, ``evidence`` (``engine/separability.py``).
        Each fit goes on from the weights the last one left; ``resume=True`` also goes on
        with its record: the epochs are numbered on from the last one in ``epochs_`` and
        added after it (up to ``max_epochs`` more; the cycle check compares this fit's
        epochs). Without it the record starts again at epoch 1.

        Example:
            >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
            >>> p = Perceptron(2, learning_rate=0.1, weights=[0.5, 0.5], bias=0.0)
            >>> p.fit(X, [0, 1, 1, 0], max_epochs=20).converged  # XOR
            False
            >>> p.message  # doctest: +ELLIPSIS
            'not linearly separable: no line separates these classes. ...'
            >>> q = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
            >>> q.fit(X, [0, 1, 1, 1], max_epochs=1).fit(X, [0, 1, 1, 1], resume=True).message
            'converged at epoch 3: every sample is classified right'
            >>> [record.epoch for record in q.epochs_]
            [1, 2, 3]
        """
        if isinstance(max_epochs, bool) or not isinstance(max_epochs, int) or max_epochs < 1:
            raise ValueError(f"max_epochs must be a positive integer, got {max_epochs!r}")
        inputs = as_features(X, self.n_inputs, owner="the perceptron")
        targets = self._encode(y, inputs.shape[0])
        rows = self._sample_weights(sample_weight, inputs.shape[0])
        self.epochs_ = self.epochs_ if resume else []
        self._inputs = self._kept_inputs(inputs)
        self.arithmetic_ = self._arithmetic_for(inputs, [self.learning_rate, rows])
        run = self._start(self.arithmetic_, inputs, targets, rows)
        rule = self.decision_rule if self.arithmetic_ == "float64" else self.decision_rule.exact()
        self.converged, self._evidence = False, None
        first = self.epochs_[-1].epoch + 1 if self.epochs_ else 1
        seen: dict[tuple[tuple[float, ...], Number | None], int] = {}
        w, b = run[3], run[4]
        penalties = self._penalties if self.l2 or self.l1 else None
        for epoch in range(first, first + max_epochs):
            state = (tuple(w.tolist()), b)
            if state in seen and not self.shuffle:
                self._stop_cycling(epoch, seen[state], inputs, targets)
                break
            seen[state] = epoch
            if self.mode == "batch":
                record, w, b = batch_epoch(epoch, rule, run[:3], w, b, run[5], penalties)
            else:
                n = len(inputs)
                order = self.rng.permutation(n) if self.shuffle else np.arange(n)
                record, w, b = online_epoch(epoch, rule, run[:3], w, b, run[5], order,
                                            penalties)  # fmt: skip
            self._add(record)
            self.weights, self.bias = record.weights.copy(), record.bias
            if record.errors == 0:
                self.converged = True
                self.message = f"converged at epoch {epoch}: every sample is classified right"
                break
        else:
            self._stop_out_of_epochs(first, max_epochs)
            self._pending = (inputs, targets == self._levels[1], False)
        if self.arithmetic_ == "exact":
            self._exact_state = ((tuple(self.weights.tolist()), self.bias), w.copy(), b)
        return self

    def _kept_inputs(self, inputs: np.ndarray) -> np.ndarray:
        """The X the records keep: the last record's when X is the same data (a resumed run
        shares one), X itself when it is a read-only array of its own (nothing can change
        it: a caller training several perceptrons on it shares it), else a copy."""
        last = self.epochs_[-1].inputs if self.epochs_ else None
        if last is not None and (last is inputs or (
                last.shape == inputs.shape and np.array_equal(last, inputs))):  # fmt: skip
            return last
        if not inputs.flags.writeable and inputs.flags.owndata:
            return inputs
        return inputs.copy()

    def _add(self, record: PerceptronEpoch) -> None:
        """Append an epoch's record (with the run's X), within the row budget if there is one."""
        record.inputs = self._inputs
        self.epochs_.append(record)
        if self.row_budget is not None:
            if self._budget is None or self._budget.values != self.row_budget:
                self._budget = RowBudget(self.row_budget)
            self._budget.keep(self.epochs_)

    def _stop_out_of_epochs(self, first: int, max_epochs: int) -> None:
        """The message of a fit that ran its ``max_epochs`` (from epoch ``first``) with errors."""
        last = self.epochs_[-1]
        if first == 1:
            ran = f"within {max_epochs} epoch{'' if max_epochs == 1 else 's'}"
        elif max_epochs == 1:  # a resumed run, as from here on
            ran = f"by epoch {last.epoch} (epoch {first} in this fit)"
        else:
            ran = f"by epoch {last.epoch} (epochs {first} to {last.epoch} in this fit)"
        self.message = (
            f"did not converge {ran}: the last epoch made {last.errors} "
            f"error{'' if last.errors == 1 else 's'}. The classes "
            f"may not be linearly separable"
            f"{'' if self.bias is not None else ' (or not by a line through the origin)'}"
            ", or need more epochs."
        )

    def _stop_cycling(self, epoch: int, start: int, X: np.ndarray, targets: np.ndarray) -> None:
        """The verdict on a cycle: the weights of ``epoch`` are those of ``start``."""
        positive = targets == self._levels[1]
        headline, self._evidence = self._verdict(X, positive, cycled=True)
        self.message = (
            f"{headline}. At the start of epoch {epoch} the weights are back to those of "
            f"epoch {start}, so the rule repeats the same {epoch - start} "
            f"epoch{'' if epoch - start == 1 else 's'} forever; "
            f"each cycle makes {self.epochs_[-1].errors} or more errors."
        )

    def _verdict(self, X: np.ndarray, positive: np.ndarray, cycled: bool) -> tuple[str, str]:
        line: tuple[ArrayLike, float] | None = None
        if self.bias is None and X.shape[0] <= MAX_EVIDENCE_SAMPLES:
            probe = Perceptron(self.n_inputs, learning_rate=1.0, weights=np.zeros(self.n_inputs),
                               bias=0.0, mode="online", rule="fausett")  # fmt: skip
            probe.fit(X, np.where(positive, 1.0, -1.0), max_epochs=LINE_SEARCH_EPOCHS)
            if probe.converged and probe.bias is not None:  # the probe learns a bias from 0
                line = (probe.weights, probe.bias)
        return verdict(X, positive, self.decision_rule, learned_bias=self.bias is not None,
                       classes=self.classes_, line=line, cycled=cycled)  # fmt: skip

    @property
    def evidence(self) -> str:
        """Why the last fit could not reach zero errors, with the points that show it;
        "" after a fit that converged (worked out when first asked for).

        Example:
            >>> p = Perceptron(2, weights=[0.5, 0.5]).fit([[0, 0], [0, 1], [1, 0], [1, 1]],
            ...                                           [0, 0, 0, 1])  # AND, no bias
            >>> print(p.evidence.splitlines()[0])  # doctest: +ELLIPSIS
            Evidence: [1, 1] = [0, 1] + [1, 0]. Without a bias z = w . x is linear, ...
        """
        if self._evidence is None:
            pending = None if self.converged else self._pending
            self._evidence = "" if pending is None else self._verdict(*pending)[1]
        return self._evidence

    def table(self, digits: int | None = None, decimals: int | None = None) -> str:
        """The textbook table of ``fit``: a header naming the rule, the output and the
        arithmetic, then a row per sample (``engine/perceptron_table.py`` for the layouts).

        Example:
            >>> p = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
            >>> table = p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]).table()
            >>> table.splitlines()[-1]
            'converged at epoch 3: every sample is classified right'
        """
        if not self.epochs_ or self._inputs is None:
            raise ValueError("the perceptron has not been fitted: call fit(X, y) first")
        return epoch_table(self, self._inputs, digits, decimals)

    def __repr__(self) -> str:
        bias = "" if self.bias is None else f", bias={self.bias}"
        extra = "".join(
            f", {name}={value!r}"
            for name, value, default in (
                ("threshold", self.threshold, 0.0), ("step_at_zero", self.step_at_zero, 0),
                ("rule", self.rule, "rosenblatt"), ("band", self.band, 0.0),
                ("arithmetic", self.arithmetic, "auto"), ("l2", self.l2, 0.0),
                ("l1", self.l1, 0.0), ("row_budget", self.row_budget, None),
            )
            if value != default
        )  # fmt: skip
        return (
            f"Perceptron({self.n_inputs}, learning_rate={self.learning_rate}, "
            f"weights={self.weights.tolist()}{bias}, mode={self.mode!r}{extra})"
        )

    def _repr_html_(self) -> str:
        return perceptron_html(self)
