"""Gradient checking: backpropagation against central finite differences.

For every parameter entry p, the estimate is the five-point central difference

    dE/dp ~ (8 [E(p + h) - E(p - h)] - [E(p + 2h) - E(p - 2h)]) / (12 h)

whose truncation error shrinks as h^4, so h can stay large (1e-4) and the rounding
error of E small: even gradients of 1e-5 are estimated to many digits, where the plain
(E(p + h) - E(p - h)) / 2h would drown them in rounding noise. The relative error is
|backprop - estimate| / (|backprop| + |estimate|). A correct backward pass in float64
agrees to 1e-8 or better.

Example:
    >>> import numpy as np
    >>> from glassnet import Dense, Network, gradcheck
    >>> net = Network([Dense(3, 4, "tanh"), Dense(4, 2, "softmax")], loss="crossentropy", seed=1)
    >>> X = np.random.default_rng(0).normal(size=(5, 3)); y = [0, 1, 1, 0, 1]
    >>> gradcheck(net, X, y).max_relative_error < 1e-6
    True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from glassnet.text import table

if TYPE_CHECKING:
    from glassnet.engine.network import Network

__all__ = ["gradcheck", "GradcheckResult", "GradcheckRow"]


@dataclass
class GradcheckRow:
    """One parameter entry: its name (e.g. ``W[2][0,1]``), both gradients, their error.

    Example:
        >>> GradcheckRow("b[1][0]", backprop=0.25, numerical=0.25, relative_error=0.0).name
        'b[1][0]'
    """

    name: str
    backprop: float
    numerical: float
    relative_error: float


@dataclass
class GradcheckResult:
    """All rows, the largest relative error and where it is.

    Example:
        >>> result = GradcheckResult([GradcheckRow("W[1][0,0]", 0.5, 0.5, 0.0),
        ...                           GradcheckRow("b[1][0]", 0.2, 0.3, 0.2)])
        >>> result.worst, result.passed, [row.name for row in result.flagged]
        ('b[1][0]', False, ['b[1][0]'])
    """

    rows: list[GradcheckRow] = field(default_factory=list)
    tolerance: float = 1e-6

    @property
    def max_relative_error(self) -> float:
        return max((row.relative_error for row in self.rows), default=0.0)

    @property
    def worst(self) -> str:
        """The parameter entry with the largest relative error."""
        return max(self.rows, key=lambda row: row.relative_error).name if self.rows else ""

    @property
    def passed(self) -> bool:
        return self.max_relative_error <= self.tolerance

    def verdict(self) -> str:
        """One line: passed or FAILED, how many entries, the largest error and where.

        Example:
            >>> result = GradcheckResult([GradcheckRow("b[1][0]", 0.2, 0.3, 0.2)])
            >>> print(result.verdict())  # doctest: +NORMALIZE_WHITESPACE
            gradient check FAILED: 1 entries, largest relative error 2.00e-01 at b[1][0]
            (tolerance 1e-06)
        """
        state = "passed" if self.passed else "FAILED"
        return (
            f"gradient check {state}: {len(self.rows)} entries, largest relative error "
            f"{self.max_relative_error:.2e} at {self.worst} (tolerance {self.tolerance:.0e})"
        )

    @property
    def flagged(self) -> list[GradcheckRow]:
        """The rows whose relative error is above the tolerance."""
        return [row for row in self.rows if row.relative_error > self.tolerance]

    def lesson(self) -> str:
        """The check explained: what each column is, the table, and what to do about it.

        Example:
            >>> result = GradcheckResult([GradcheckRow("W[1][0,0]", 0.5, 0.5, 0.0)])
            >>> result.lesson().splitlines()[-1]
            'gradient check passed: 1 entries, largest relative error 0.00e+00 at W[1][0,0] (tolerance 1e-06)'
        """  # noqa: E501
        lines = [
            "Each parameter entry p is nudged by +-h and +-2h and the loss measured again:",
            "  numerical = (8 [E(p + h) - E(p - h)] - [E(p + 2h) - E(p - 2h)]) / (12 h)",
            "backprop is dE/dp from the chain rule; relative error = |backprop - numerical| /",
            "(|backprop| + |numerical|). Correct float64 backprop agrees to 1e-8 or better.",
            "",
            str(self),
        ]
        if self.flagged:
            names = sorted({row.name.split("][")[0].rstrip("]") + "]" for row in self.flagged})
            lines.insert(
                -1,
                f"{len(self.flagged)} entries disagree, in {', '.join(names)}: look at the "
                "backward formula that produces them (the activation's derivative, the "
                "loss's gradient, or the sum over samples).\n",
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        # The header's cells are padded to the widths the table has always had, so that
        # every number of a small network's check lines up in the same columns.
        header = [f"{'parameter':<16}", f"{'backprop':>14}", f"{'numerical':>14}", "rel. error"]
        rows = [header]
        for row in self.rows:
            flag = " <-- above tolerance" if row.relative_error > self.tolerance else ""
            numbers = (row.backprop, row.numerical)
            rows.append([row.name, *(f"{v:.6e}" for v in numbers), f"{row.relative_error:.2e}",
                         flag])  # fmt: skip
        lines = table(rows, align="lrrrl", gap=" ").splitlines()
        lines.insert(1, "-" * len(lines[0]))
        lines.append(self.verdict())
        return "\n".join(lines)


def gradcheck(
    network: Network,
    X,
    y,
    epsilon: float = 1e-4,
    tolerance: float = 1e-6,
    report: bool = False,
) -> GradcheckResult:
    """Compare every backprop gradient of ``network`` on (X, y) with finite differences.

    Dropout is off during the check (the loss must be a fixed function of the weights);
    L2 terms are included. The parameters are left exactly as they were. With
    ``report=True`` the lesson is printed: each entry's backprop gradient, its estimate
    and their relative error, the rows above tolerance flagged, and a one-line verdict
    (``str(result)`` is the same table, ``result.lesson()`` the whole text).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], bias=[0.0])], "mse")
        >>> print(gradcheck(net, [[1.0]], [1.0]).verdict())  # doctest: +ELLIPSIS
        gradient check passed: 2 entries, largest relative error ... at ...
    """
    X, Y = network.encode_targets(X, y)
    network.loss_and_gradients(X, Y)
    analytic = [g.copy() for g in network.gradients]
    result = GradcheckResult(tolerance=tolerance)
    for name, param, grad in zip(
        network.parameter_names, network.parameters, analytic, strict=True
    ):
        for position in np.ndindex(param.shape):
            original = param[position]
            losses = []
            for shift in (epsilon, -epsilon, 2 * epsilon, -2 * epsilon):
                param[position] = original + shift
                losses.append(network.compute_loss(X, Y))
            param[position] = original
            numerical = (8 * (losses[0] - losses[1]) - (losses[2] - losses[3])) / (12 * epsilon)
            backprop = float(grad[position])
            scale = max(abs(backprop) + abs(numerical), 1e-12)
            label = f"{name}[{','.join(map(str, position))}]"
            result.rows.append(
                GradcheckRow(label, backprop, numerical, abs(backprop - numerical) / scale)
            )
    if report:
        print(result.lesson())
    return result
