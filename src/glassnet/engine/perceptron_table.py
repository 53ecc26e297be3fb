"""The perceptron's epoch table in the books' layouts.

Online (Negnevitsky's and Fausett's tables): one row per sample with the epoch, the
inputs, the target, the weights the row met, z, the output, the error, the corrections
and the weights after the row. Batch (tutorial 002): one row per sample with the weights
of the epoch and each sample's correction; the weights change once, after the epoch.
Above the table, the header names the rule, the output (its threshold, its value at 0 or
its band) and the arithmetic, with the weight and bias rules written out.

Numbers print as the decimals they are: 0.2, not 0.2000 nor NumPy's spacing; a float64
value that is not a short decimal prints in full, so a float's -2.8e-17 is seen as such.
Pass ``digits`` for that many significant digits instead, or ``decimals`` for that many
decimal places.

Example:
    >>> from glassnet import Perceptron
    >>> p = Perceptron(2, 0.1, weights=[0.3, -0.1], mode="online", threshold=0.2,
    ...                step_at_zero=1).fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 0, 0, 1])
    >>> print(epoch_table(p, [[0, 0], [0, 1], [1, 0], [1, 1]]).splitlines()[3])
    epoch  x1  x2  t  w1   w2    z     y  e   dw1   dw2  new w1  new w2
"""

from __future__ import annotations

from typing import Any, SupportsFloat

import numpy as np
from numpy.typing import ArrayLike

from glassnet.engine.perceptron_epochs import PerceptronEpoch
from glassnet.text import format_number, rounded, table

__all__ = ["number_text", "rule_lines", "epoch_table"]

# Past this many inputs a row shows x, w and the corrections as vectors, not per component.
MAX_COLUMNS_PER_INPUT = 4


def number_text(
    value: ArrayLike | SupportsFloat, digits: int | None = None, decimals: int | None = None
) -> str:
    """A number (or a vector) as the table prints it: the decimal it is, or ``digits``
    significant digits, or rounded to ``decimals`` decimal places.

    Example:
        >>> number_text(0.2), number_text(1.0), number_text(-0.0), number_text(0.30000000000000004)
        ('0.2', '1', '0', '0.30000000000000004')
        >>> number_text(np.array([0.5, -1.0])), number_text(0.49671415, digits=4)
        ('[0.5, -1]', '0.4967')
        >>> number_text(np.array([0.49671415, -0.0382643]), decimals=3)
        '[0.497, -0.038]'
    """
    array = np.asarray(value, dtype=np.float64)
    if decimals is not None:  # rounded, then printed as the decimals they are: 0, not 0.0
        array = rounded(array, decimals)
    if digits is not None or array.size > 16:
        return format_number(array + 0.0, digits)  # + 0.0: no "-0"

    def one(x: SupportsFloat) -> str:
        text = repr(float(x) + 0.0)
        return text[:-2] if text.endswith(".0") else text

    if array.ndim == 0:
        return one(array)
    return "[" + ", ".join(one(x) for x in array.reshape(-1)) + "]"


def rule_lines(perceptron: Any) -> list[str]:
    """The header: the rule with its weight and bias updates written out, the net input and
    the output, the penalties if any, and the arithmetic of the last fit.

    Example:
        >>> from glassnet import Perceptron
        >>> rule_lines(Perceptron(2, 0.1, weights=[0.3, -0.1], bias=0.0, mode="online"))[0]
        "Rosenblatt's rule, online (after each sample), alpha = 0.1: w <- w + alpha * e * x, b <- b + alpha * e"
    """  # noqa: E501
    rule = perceptron.decision_rule
    has_bias = perceptron.bias is not None
    batch = perceptron.mode == "batch"
    name = "Fausett's rule" if rule.rule == "fausett" else "Rosenblatt's rule"
    when = "batch (once per epoch)" if batch else "online (after each sample)"
    update = rule.update_formula(bias=has_bias, batch=batch)
    first = f"{name}, {when}, alpha = {number_text(perceptron.learning_rate)}: {update}"
    theta = rule.threshold
    net = "z = w . x" + (" + b" if has_bias else "") + (
        f" - theta (theta = {number_text(float(theta))}, fixed)" if theta else "")  # fmt: skip
    if not has_bias:
        net += ", no bias"
    output = rule.output_formula()
    if rule.sign_threshold:
        output += f" (z less the sign's threshold {number_text(float(rule.sign_threshold))})"
    low, high = rule.levels
    lines = [first, f"{net}; {output}; e = t - y; targets {low:g}/{high:g}"]
    if perceptron.l2 or perceptron.l1:
        lines.append(
            f"penalties: before each move w <- w * (1 - alpha * l2), l2 = "
            f"{number_text(perceptron.l2)}; after it each weight moves toward 0 (not past it) "
            f"by the l1 steps alpha * l1 so far, less what it took before, l1 = "
            f"{number_text(perceptron.l1)}"
        )
    arithmetic = getattr(perceptron, "arithmetic_", "") or "not run yet"
    lines.append({
        "exact": "arithmetic: exact (each number as the decimal written, in fractions: "
                 "0.3 - 0.1 - 0.2 = 0, as on paper)",
        "float64": "arithmetic: float64 (binary floating point: 0.3 - 0.1 - 0.2 = -2.8e-17)",
    }.get(arithmetic, f"arithmetic: {arithmetic}"))  # fmt: skip
    return lines


def _cells(
    values: ArrayLike, digits: int | None, wide: bool, decimals: int | None = None
) -> list[str]:
    """One cell per component, or one cell holding the vector when there are many."""
    if wide:
        return [number_text(values, digits, decimals)]
    return [number_text(value, digits, decimals) for value in np.asarray(values).reshape(-1)]


def _names(prefix: str, n: int, wide: bool) -> list[str]:
    return [prefix] if wide else [f"{prefix}{i}" for i in range(1, n + 1)]


def _online_rows(
    perceptron: Any,
    X: np.ndarray,
    record: PerceptronEpoch,
    digits: int | None,
    decimals: int | None = None,
) -> list[list[str]]:
    wide = perceptron.n_inputs > MAX_COLUMNS_PER_INPUT
    targets, after = record.targets, record.weights_after
    if after is None:
        raise ValueError(f"epoch {record.epoch} is not an online epoch's record")
    rows = []
    for position, sample in enumerate(record.order):
        cells = [str(record.epoch)] + ([str(int(sample))] if perceptron.shuffle else [])
        cells += _cells(X[sample], digits, wide, decimals)
        cells.append(number_text(targets[position], digits, decimals))
        cells += _cells(record.sample_weights[position], digits, wide, decimals)
        if record.sample_bias is not None:
            cells.append(number_text(record.sample_bias[position], digits, decimals))
        cells += [number_text(record.z[position], digits, decimals),
                  number_text(record.predictions[position], digits, decimals),
                  number_text(record.sample_errors[position], digits, decimals)]  # fmt: skip
        cells += _cells(record.corrections[position], digits, wide, decimals)
        if record.bias_corrections is not None:
            cells.append(number_text(record.bias_corrections[position], digits, decimals))
        cells += _cells(after[position], digits, wide, decimals)
        if record.bias_after is not None:
            cells.append(number_text(record.bias_after[position], digits, decimals))
        rows.append(cells)
    return rows


def _online_header(perceptron: Any, has_bias: bool) -> list[str]:
    n, wide = perceptron.n_inputs, perceptron.n_inputs > MAX_COLUMNS_PER_INPUT
    header = ["epoch"] + (["sample"] if perceptron.shuffle else []) + _names("x", n, wide)
    header += ["t", *_names("w", n, wide), *(["b"] if has_bias else []), "z", "y", "e"]
    header += [*_names("dw", n, wide), *(["db"] if has_bias else [])]
    return header + _names("new w", n, wide) + (["new b"] if has_bias else [])


def _batch_rows(
    perceptron: Any,
    X: np.ndarray,
    record: PerceptronEpoch,
    digits: int | None,
    decimals: int | None = None,
) -> list[list[str]]:
    rows = []
    for position, sample in enumerate(record.order):
        cells = [
            str(record.epoch),
            str(int(sample)),
            number_text(X[sample], digits, decimals),
            number_text(record.sample_weights[position], digits, decimals),
            number_text(record.z[position], digits, decimals),
            number_text(record.predictions[position], digits, decimals),
            number_text(record.targets[position], digits, decimals),
            number_text(record.sample_errors[position], digits, decimals),
            number_text(record.corrections[position], digits, decimals),
        ]
        if record.sample_bias is not None and record.bias_corrections is not None:
            cells.insert(4, number_text(record.sample_bias[position], digits, decimals))
            cells.append(number_text(record.bias_corrections[position], digits, decimals))
        rows.append(cells)
    return rows


def _batch_header(perceptron: Any, has_bias: bool) -> list[str]:
    rule = perceptron.decision_rule
    output = "y" if rule.rule == "fausett" else f"{rule.activation}(z)"
    header = ["epoch", "sample", "x", "w", "z", output, "t", "error", "correction"]
    if has_bias:
        header.insert(4, "b")
        header.append("b correction")
    return header


def epoch_table(
    perceptron: Any, X: ArrayLike, digits: int | None = None, decimals: int | None = None
) -> str:
    """The whole table of a fitted perceptron: the header (``rule_lines``), a row per
    sample of each epoch in the layout of its mode, after each epoch its errors, RMSE and
    weights, then how the run ended and, if it did not converge, the evidence why.

    Each epoch's rows show the X it ran on (its record's ``inputs``; ``X`` for a record
    without them). An epoch whose rows were dropped (a ``row_budget``) shows its summary
    alone, and a line above the table says which.

    Example:
        >>> from glassnet import Perceptron
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> p = Perceptron(2, 0.1, weights=[0.49671415, -0.1382643]).fit(X, [0, 1, 1, 1])
        >>> print(epoch_table(p, X, digits=4).splitlines()[6])
        1      1       [0, 1]  [0.4967, -0.1383]  -0.1383  0        1  1      [0, 0.1]
    """
    records: list[PerceptronEpoch] = perceptron.epochs_
    has_bias = records[0].sample_bias is not None
    online = perceptron.mode == "online"
    header = (_online_header if online else _batch_header)(perceptron, has_bias)
    rows: list[list[str]] = [header]
    summaries: dict[int, list[str]] = {}
    for record in records:
        inputs = np.asarray(X if record.inputs is None else record.inputs, dtype=np.float64)
        rows += (_online_rows if online else _batch_rows)(perceptron, inputs, record, digits,
                                                          decimals)  # fmt: skip
        bias = "" if record.bias is None else f", b = {number_text(record.bias, digits, decimals)}"
        summaries.setdefault(len(rows), []).append(
            f"  epoch {record.epoch}: {record.errors} error"
            f"{'' if record.errors == 1 else 's'}, RMSE {record.rmse:.4g}; "
            f"after it w = {number_text(record.weights, digits, decimals)}{bias}"
        )
    aligned = table(rows).splitlines()
    lines = rule_lines(perceptron) + _dropped_rows(records, perceptron)
    for number, line in enumerate(aligned, start=1):
        lines.append(line)
        if number == 1:  # the widest row is as wide as the table
            lines.append("-" * max(len(row) for row in aligned))
        lines.extend(summaries.get(number, []))
    lines.append(perceptron.message)
    if not perceptron.converged and perceptron.evidence:
        lines.extend(perceptron.evidence.splitlines())
    return "\n".join(line.rstrip() for line in lines)


def _dropped_rows(records: list[PerceptronEpoch], perceptron: Any) -> list[str]:
    """The line naming the epochs whose rows the record no longer holds (none: no line)."""
    dropped = [record.epoch for record in records if not record.rows_kept]
    if not dropped:
        return []
    which = f"epoch {dropped[0]}" if len(dropped) == 1 else f"epochs {dropped[0]} to {dropped[-1]}"
    if len(dropped) > 1 and dropped[-1] - dropped[0] + 1 != len(dropped):
        which = f"{len(dropped)} epochs from {dropped[0]} to {dropped[-1]}"
    budget = getattr(perceptron, "row_budget", None)
    bound = "" if budget is None else f" (row_budget={budget} numbers)"
    return [f"{which}: the rows are not kept{bound}, only the summary after each"]
