"""Gradient checking: backpropagation against central finite differences.

For every parameter entry p, the estimate is the five-point central difference

    dE/dp ~ (8 [E(p + h) - E(p - h)] - [E(p + 2h) - E(p - 2h)]) / (12 h)

whose truncation error shrinks as h^4, so h can stay large (1e-4) and the rounding
error of E small: even gradients of 1e-5 are estimated to many digits, where the plain
(E(p + h) - E(p - h)) / 2h would drown them in rounding noise. The relative error is
|backprop - estimate| / (|backprop| + |estimate|). A correct backward pass in float64
agrees to 1e-8 or better.

A finite difference is only valid where E is smooth between p - 2h and p + 2h. An entry
whose nudges move a pre-activation across a kink (z = 0 of a ReLU, a leaky ReLU or a
step; z = theta of a sign), or a weight within 2h of 0 under an L1 term (the kink of |W|),
is reported as not checkable there, with the reason, and never makes the check fail: the
estimate there averages two slopes, and backprop takes one of them.

Entries are named as in the trace: ``W[l][i,j]`` joins input i to neuron j of layer l
(layers counted from 1, entries from 0); a network of one layer drops the ``[1]``.

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
from numpy.typing import ArrayLike

from glassnet.engine.activations import LeakyReLU, ReLU, Sign, Step
from glassnet.engine.layers import Dense
from glassnet.glassbox.display import gradcheck_html
from glassnet.glassbox.notation import layer_tag
from glassnet.glassbox.steps import INDICES
from glassnet.text import table

if TYPE_CHECKING:
    from glassnet.engine.network import Network

__all__ = ["gradcheck", "GradcheckResult", "GradcheckRow"]


@dataclass
class GradcheckRow:
    """One parameter entry: its name (e.g. ``W[2][0,1]``), both gradients, their error;
    ``checkable`` is False where the finite difference straddles a kink (``reason`` says
    which), and then the error does not count.

    Example:
        >>> GradcheckRow("b[1][0]", backprop=0.25, numerical=0.25, relative_error=0.0).name
        'b[1][0]'
    """

    name: str
    backprop: float
    numerical: float
    relative_error: float
    checkable: bool = True
    reason: str = ""


@dataclass
class GradcheckResult:
    """All rows, the largest relative error of the checkable ones and where it is.

    Example:
        >>> result = GradcheckResult([GradcheckRow("W[1][0,0]", 0.5, 0.5, 0.0),
        ...                           GradcheckRow("b[1][0]", 0.2, 0.3, 0.2)])
        >>> result.worst, result.passed, [row.name for row in result.flagged]
        ('b[1][0]', False, ['b[1][0]'])
    """

    rows: list[GradcheckRow] = field(default_factory=list)
    tolerance: float = 1e-6
    epsilon: float = 1e-4

    @property
    def checked(self) -> list[GradcheckRow]:
        """The rows where finite differences are valid."""
        return [row for row in self.rows if row.checkable]

    @property
    def not_checkable(self) -> list[GradcheckRow]:
        """The rows whose finite difference straddles a kink."""
        return [row for row in self.rows if not row.checkable]

    @property
    def max_relative_error(self) -> float:
        return max((row.relative_error for row in self.checked), default=0.0)

    @property
    def worst(self) -> str:
        """The checkable parameter entry with the largest relative error."""
        checked = self.checked
        return max(checked, key=lambda row: row.relative_error).name if checked else ""

    @property
    def passed(self) -> bool:
        return self.max_relative_error <= self.tolerance

    def verdict(self) -> str:
        """One line: passed or FAILED, how many entries, the largest error and where, and
        how many could not be checked.

        Example:
            >>> result = GradcheckResult([GradcheckRow("b[1][0]", 0.2, 0.3, 0.2)])
            >>> print(result.verdict())  # doctest: +NORMALIZE_WHITESPACE
            gradient check FAILED: 1 entries, largest relative error 2.00e-01 at b[1][0]
            (tolerance 1e-06)
        """
        state = "passed" if self.passed else "FAILED"
        skipped = len(self.not_checkable)
        if not self.checked:
            return (
                f"gradient check: none of the {skipped} entries is checkable (every one at a kink)"
            )
        text = (
            f"gradient check {state}: {len(self.checked)} entries, largest relative error "
            f"{self.max_relative_error:.2e} at {self.worst} (tolerance {self.tolerance:.0e})"
        )
        return text + (f"; {skipped} not checkable at a kink" if skipped else "")

    @property
    def flagged(self) -> list[GradcheckRow]:
        """The checkable rows whose relative error is above the tolerance."""
        return [row for row in self.checked if row.relative_error > self.tolerance]

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
            INDICES,
            "",
            str(self),
        ]
        if self.not_checkable:
            lines.insert(-1, (
                f"{len(self.not_checkable)} entries are not checkable here: their nudges "
                f"(up to 2h = {2 * self.epsilon:g}) cross a kink, where E has two slopes; "
                "the estimate averages them and backprop takes one, so a difference there "
                "says nothing about the backward formula.\n"
            ))  # fmt: skip
        if self.flagged:
            names = sorted({row.name[: row.name.rindex("[")] for row in self.flagged})
            lines.insert(-1, (
                f"{len(self.flagged)} entries disagree, in {', '.join(names)}: look at the "
                "backward formula that produces them (the activation's derivative, the "
                "loss's gradient, or the sum over samples).\n"
            ))  # fmt: skip
        return "\n".join(lines)

    def __str__(self) -> str:
        # The header's cells are padded to the widths the table has always had, so that
        # every number of a small network's check lines up in the same columns.
        header = [f"{'parameter':<16}", f"{'backprop':>14}", f"{'numerical':>14}", "rel. error"]
        rows = [header]
        for row in self.rows:
            numbers = [f"{row.backprop:.6e}", f"{row.numerical:.6e}"]
            if not row.checkable:
                rows.append([row.name, *numbers, "-", f" not checkable: {row.reason}"])
                continue
            flag = " <-- above tolerance" if row.relative_error > self.tolerance else ""
            rows.append([row.name, *numbers, f"{row.relative_error:.2e}", flag])
        lines = table(rows, align="lrrrl", gap=" ").splitlines()
        lines.insert(1, "-" * len(lines[0]))
        lines.append(self.verdict())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return gradcheck_html(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


def _kinked_layers(network: Network) -> list[tuple[int, Dense, float]]:
    """(index from 1, layer, where its kink is) of each Dense layer with a kinked
    activation."""
    found = []
    for index, layer in enumerate(network.dense_layers, start=1):
        activation = layer.activation
        if isinstance(activation, ReLU | LeakyReLU | Step):
            found.append((index, layer, 0.0))
        elif isinstance(activation, Sign):
            found.append((index, layer, activation.threshold))
    return found


def _sides(network: Network) -> list[np.ndarray]:
    """Which side of its kink each pre-activation of the last pass lies on (-1, 0, 1)."""
    return [np.sign(layer.cache[1] - at) for _, layer, at in _kinked_layers(network)]


def _kink_crossed(network: Network, base: list[np.ndarray], base_z: list[np.ndarray], tag):
    """Why the last pass is on another side of a kink than the unnudged one, or ""."""
    for (index, layer, at), side, before, z in zip(
        _kinked_layers(network), _sides(network), base, base_z, strict=True
    ):
        moved = np.argwhere(side != before)
        if len(moved):
            n, j = moved[0]
            return (
                f"{tag('z', index)}[{n},{j}] = {z[n, j]:.3g}: a nudge of up to 2h moves it "
                f"across {layer.activation.name}'s kink at {at:g}"
            )
    return ""


def _estimate(network: Network, X, Y, param, position, epsilon, before, tag):
    """The five-point estimate of dE/dp for one entry, and why it is not valid ("" if it
    is): the nudges moved a pre-activation across a kink."""
    original = param[position]
    losses, crossed = [], ""
    for shift in (epsilon, -epsilon, 2 * epsilon, -2 * epsilon):
        param[position] = original + shift
        losses.append(network.compute_loss(X, Y))
        crossed = crossed or _kink_crossed(network, before[0], before[1], tag)
    param[position] = original
    return (8 * (losses[0] - losses[1]) - (losses[2] - losses[3])) / (12 * epsilon), crossed


def gradcheck(
    network: Network,
    X: ArrayLike,
    y: ArrayLike,
    epsilon: float = 1e-4,
    tolerance: float = 1e-6,
    report: bool = False,
) -> GradcheckResult:
    """Compare every backprop gradient of ``network`` on (X, y) with finite differences.

    Dropout is off during the check (the loss must be a fixed function of the weights);
    L2 and L1 terms are included. Entries whose nudges cross a kink are marked not
    checkable (see the module docstring). The parameters are left exactly as they were.
    With ``report=True`` the lesson is printed: each entry's backprop gradient, its
    estimate and their relative error, the rows above tolerance flagged, and a one-line
    verdict (``str(result)`` is the same table, ``result.lesson()`` the whole text).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], bias=[0.0])], "mse")
        >>> print(gradcheck(net, [[1.0]], [1.0]).verdict())  # doctest: +ELLIPSIS
        gradient check passed: 2 entries, largest relative error ... at W[0,0] (tolerance 1e-06)
    """
    X, Y = network.encode_targets(X, y)
    network.loss_and_gradients(X, Y)
    analytic = [g.copy() for g in network.gradients]
    before = (_sides(network), [layer.cache[1].copy() for _, layer, _ in _kinked_layers(network)])
    tag = layer_tag(len(network.dense_layers))
    result = GradcheckResult(tolerance=tolerance, epsilon=epsilon)
    names = [(tag(symbol, index), layer)
             for index, layer in enumerate(network.dense_layers, start=1)
             for symbol in layer.parameter_names]  # fmt: skip
    for (name, layer), param, grad in zip(names, network.parameters, analytic, strict=True):
        for position in np.ndindex(param.shape):
            label = f"{name}[{','.join(map(str, position))}]"
            reason = ""
            if layer.l1 and param is layer.weights and abs(param[position]) < 2 * epsilon:
                reason = (f"|{label}| = {abs(param[position]):.3g}: a nudge of up to 2h moves "
                          "it across 0, the kink of l1 * |W|")  # fmt: skip
            numerical, crossed = _estimate(network, X, Y, param, position, epsilon, before, tag)
            backprop = float(grad[position])
            scale = max(abs(backprop) + abs(numerical), 1e-12)
            error = abs(backprop - numerical) / scale
            reason = reason or crossed
            result.rows.append(GradcheckRow(label, backprop, numerical, error, not reason, reason))
    if report:
        print(result.lesson())
    return result
