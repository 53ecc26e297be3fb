"""One named quantity of a trace: its formula, how numbers go into it, and its value.

A ``TraceStep`` is one line of a worked example. Its name follows one notation throughout:

    x            the inputs (one row per sample)
    z[l], a[l]   layer l's pre-activation X @ W + b and its output f(z)
    E            the loss
    dE/da[l]     the gradient arriving at layer l's output
    da/dz[l]     the activation's derivative
    delta[l]     dE/dz[l] = dE/da[l] * da/dz[l]
    dz/dW[l]     the layer's input (a[l-1], or x for the first layer)
    dE/dW[l]     a[l-1]^T @ delta[l];   dE/db[l] = sum of delta[l] over samples
    new W[l]     W[l] - learning_rate * dE/dW[l]

A network with a single layer drops the "[1]". For a layer with one neuron traced on one
sample, the chain rule is also written weight by weight, as a tutorial works it by hand:
dz/dw1 = x1, dE/dw1 = dE/da * da/dz * dz/dw1, new w1 = w1 - learning_rate * dE/dw1. One
entry of a matrix is named with its 0-based index, e.g. ``dE/dW[1][0,2]`` (``INDICES``).

A step shows itself as three lines of text (``text``) or one LaTeX equation (``latex``);
``glassnet.glassbox.trace`` keeps the steps of one gradient-descent step in order.

Example:
    >>> step = TraceStep("x", "the inputs", np.eye(2), "forward", per_sample=True)
    >>> step.value_for(0), step.stage
    (array([[1., 0.]]), 'forward')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from glassnet.glassbox.notation import PLACEHOLDER, latex_formula, latex_number, latex_with_numbers
from glassnet.text import format_number, rounded

__all__ = ["INDICES", "TraceStep"]

# A renderer receives a number formatter and a row picker (which keeps one sample's row of
# a per-sample array when a single sample is shown) and returns the formula with numbers.
Formatter = Callable[[ArrayLike], str]
Renderer = Callable[[Formatter, Callable[[np.ndarray], np.ndarray]], str]

# The one index convention of every output (trace, check, gradcheck, views, summary, the
# command line, the playground's formula panel).
INDICES = (
    "Indices: layers count from 1 (the input is layer 0); samples, rows and matrix entries "
    "count from 0, and W[l][i,j] joins input i to neuron j of layer l."
)


@dataclass
class TraceStep:
    """One named quantity: its formula, how to substitute numbers into it, and its value.

    ``per_sample`` marks arrays with one row per sample (x, z, a, dE/da, da/dz, delta),
    of which a single sample's row can be shown.

    Example:
        >>> step = TraceStep("E", "1/2 * (y - a)^2", np.array(0.125), "loss")
        >>> step.name, step.stage, step.value.item()
        ('E', 'loss', 0.125)
    """

    name: str
    formula: str
    value: np.ndarray
    stage: str  # "forward", "loss", "backward" or "update"
    render: Renderer | None = field(default=None, repr=False)
    shown: bool = True  # False for matrix steps that the weight-by-weight steps spell out
    per_sample: bool = False

    def value_for(self, sample: int | None = None) -> np.ndarray:
        """The value, or only the row of ``sample`` for a per-sample quantity.

        Example:
            >>> TraceStep("x", "the inputs", np.eye(2), "forward", per_sample=True).value_for(1)
            array([[0., 1.]])
        """
        if sample is None or not self.per_sample:
            return self.value
        return self.value[sample : sample + 1]

    def substituted(
        self,
        digits: int | None = None,
        sample: int | None = None,
        fmt: Formatter | None = None,
        decimals: int | None = None,
    ) -> str:
        """The formula with the numbers put in ("" for a step with no renderer).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> net.trace([[1.0]], [[1.0]], 0.1).step("z").substituted()
            '1.0*2.0'
        """
        if self.render is None:
            return ""
        fmt = fmt or (lambda v: format_number(v, digits, decimals=decimals))
        return self.render(fmt, _picker(sample))

    def text(
        self, digits: int | None = None, sample: int | None = None, decimals: int | None = None
    ) -> str:
        """Three lines: name = formula, = the numbers substituted, = the value.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> print(net.trace([[1.0]], [[1.0]], 0.1).step("z").text())
            z = x1*w1
              = 1.0*2.0
              = 2.0
        """
        lines = [f"{self.name} = {self.formula}"]
        numbers = self.substituted(digits, sample, decimals=decimals)
        if numbers:
            lines.append(f"{' ' * len(self.name)} = {numbers}")
        shown = self.value_for(sample)
        value = format_number(shown, digits, decimals=decimals)
        if shown.size > 1 and not value.startswith("<"):  # its shape, unless elided with it
            value += f"   ({' x '.join(map(str, shown.shape))})"
        lines.append(f"{' ' * len(self.name)} = {value}")
        return "\n".join(lines)

    def latex(
        self, digits: int | None = None, sample: int | None = None, decimals: int | None = None
    ) -> str:
        """The step as one LaTeX equation: name = formula = numbers = value.

        With ``decimals`` the numbers are rounded to that many decimal places first.

        Example:
            >>> print(TraceStep("E", "1/2 * (y - a)^2", np.array(0.125), "loss").latex())
            {E} = 1/2 \\cdot ({y} - {a})^2 = 0.125
        """
        numbers: list[np.ndarray] = []

        def placeholder(value: ArrayLike) -> str:
            numbers.append(rounded(value, decimals))
            return PLACEHOLDER.format(len(numbers) - 1)

        skeleton = self.substituted(sample=sample, fmt=placeholder)
        # Between per-sample matrices (da/dz = a * (1 - a), delta = dE/da * da/dz) the
        # product is taken entry by entry.
        elementwise = self.per_sample and self.value_for(sample).size > 1
        equation = f"{latex_formula(self.name)} = {latex_formula(self.formula, elementwise)}"
        substituted = latex_with_numbers(skeleton, numbers, digits, elementwise)
        shown = self.value_for(sample)
        value = latex_number(rounded(shown, decimals), digits)
        if shown.size > 1:  # a matrix says its shape: rows x columns
            value += r" \quad (" + r" \times ".join(map(str, shown.shape)) + ")"
        if skeleton.startswith("with "):  # the loss names its inputs rather than expanding
            return rf"{equation} = {value} \quad ({substituted})"
        if skeleton:
            return f"{equation} = {substituted} = {value}"
        return f"{equation} = {value}"


def _picker(sample: int | None) -> Callable[[np.ndarray], np.ndarray]:
    if sample is None:
        return lambda value: value
    return lambda value: np.asarray(value)[sample : sample + 1]
