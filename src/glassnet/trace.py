"""The glass box: one gradient-descent step with every number named and kept in order.

A ``Trace`` lists the steps of a forward pass, the loss, the backward pass (every factor
of the chain rule) and the update. Names follow one notation throughout:

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
dz/dw1 = x1, dE/dw1 = dE/da * da/dz * dz/dw1, new w1 = w1 - learning_rate * dE/dw1.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> trace = net.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    >>> trace["dE/dw1"].item()
    -0.03533258827937781
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .layers import Dense
from .optimizers import SGD

if TYPE_CHECKING:
    from .network import Network

__all__ = ["Trace", "TraceStep", "trace_step", "format_number"]

# A renderer receives a number formatter and returns the formula with numbers substituted.
Renderer = Callable[[Callable[[np.ndarray], str]], str]


def format_number(value, digits: int | None = None, max_items: int = 12) -> str:
    """A scalar or a small array as text: full precision, or ``digits`` significant digits.

    Arrays with more than ``max_items`` entries are shown by their shape.

    Example:
        >>> format_number(0.5274723043445937, digits=4)
        '0.5275'
        >>> format_number(np.array([[0.3, 0.5]]))
        '[[0.3, 0.5]]'
    """
    array = np.asarray(value)
    if array.size > max_items:
        return f"<{' x '.join(map(str, array.shape))} matrix>"

    def one(x: float) -> str:
        x = float(x)
        return repr(x) if digits is None else f"{x:.{digits}g}"

    if array.size == 1:  # a 1 x 1 matrix reads as the number it holds
        return one(array.reshape(()))
    return _nested(array, one)


def _nested(array: np.ndarray, one: Callable[[float], str]) -> str:
    if array.ndim == 0:
        return one(array)
    return "[" + ", ".join(_nested(part, one) for part in array) + "]"


@dataclass
class TraceStep:
    """One named quantity: its formula, how to substitute numbers into it, and its value."""

    name: str
    formula: str
    value: np.ndarray
    stage: str  # "forward", "loss", "backward" or "update"
    render: Renderer | None = field(default=None, repr=False)
    shown: bool = True  # False for matrix steps that the weight-by-weight steps spell out

    def substituted(self, digits: int | None = None) -> str:
        if self.render is None:
            return ""
        return self.render(lambda v: format_number(v, digits))

    def text(self, digits: int | None = None) -> str:
        lines = [f"{self.name} = {self.formula}"]
        numbers = self.substituted(digits)
        if numbers:
            lines.append(f"{' ' * len(self.name)} = {numbers}")
        lines.append(f"{' ' * len(self.name)} = {format_number(self.value, digits)}")
        return "\n".join(lines)


class Trace:
    """Every quantity of one gradient-descent step, in the order a tutorial computes them.

    ``trace[name]`` returns a value, ``names()`` lists them, ``str(trace)`` is the worked
    example and ``to_dict()`` the full-precision numbers.
    """

    def __init__(self, learning_rate: float, n_samples: int) -> None:
        self.learning_rate = learning_rate
        self.n_samples = n_samples
        self.steps: list[TraceStep] = []
        self.loss_before = float("nan")
        self.loss_after = float("nan")

    def add(
        self,
        name: str,
        formula: str,
        value,
        stage: str,
        render: Renderer | None = None,
        shown: bool = True,
    ) -> None:
        self.steps.append(TraceStep(name, formula, np.array(value), stage, render, shown))

    def names(self) -> list[str]:
        """Every quantity's name, in order."""
        return [step.name for step in self.steps]

    def step(self, name: str) -> TraceStep:
        for step in self.steps:
            if step.name == name:
                return step
        raise KeyError(f"the trace has no quantity {name!r}; it has: {', '.join(self.names())}")

    def __getitem__(self, name: str) -> np.ndarray:
        return self.step(name).value

    def __contains__(self, name: str) -> bool:
        return name in self.names()

    def to_dict(self) -> dict:
        """Every quantity at full float64 precision, JSON-serialisable (nested lists)."""
        return {
            "learning_rate": self.learning_rate,
            "n_samples": self.n_samples,
            "loss_before": self.loss_before,
            "loss_after": self.loss_after,
            "quantities": {step.name: step.value.tolist() for step in self.steps},
        }

    def to_text(self, digits: int | None = None) -> str:
        """The worked example: each step's formula, numbers substituted and result."""
        titles = {
            "forward": "Forward pass",
            "loss": "Loss",
            "backward": "Backward pass (chain rule)",
            "update": f"Update (learning rate {self.learning_rate:g})",
        }
        lines: list[str] = []
        stage = None
        for step in self.steps:
            if not step.shown:
                continue
            if step.stage != stage:
                stage = step.stage
                lines += ["", titles[stage], "-" * len(titles[stage])]
            lines.append(step.text(digits))
        lines += ["", f"loss before the step: {format_number(self.loss_before, digits)}",
                  f"loss after the step:  {format_number(self.loss_after, digits)}"]  # fmt: skip
        return "\n".join(lines).lstrip("\n")

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"Trace({len(self.steps)} quantities, learning_rate={self.learning_rate})"


def _sum_of_products(terms: list[tuple[str, str]], bias: str | None) -> str:
    text = " + ".join(f"{a}*{b}" for a, b in terms)
    return f"{text} + {bias}" if bias else text


def trace_step(network: Network, X, y, learning_rate: float) -> Trace:
    """Take one gradient-descent step on ``network`` and record it (``Network.trace``)."""
    if not (isinstance(learning_rate, int | float) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    X, Y = network.encode_targets(X, y)
    n = X.shape[0]
    trace = Trace(float(learning_rate), n)
    dense = [layer for layer in network.layers if isinstance(layer, Dense)]
    depth = len(dense)

    def tag(symbol: str, index: int) -> str:
        return symbol if depth == 1 else f"{symbol}[{index}]"

    def input_name(index: int) -> str:
        return "x" if index == 1 else tag("a", index - 1)

    loss_before = network.loss_and_gradients(X, Y)
    trace.loss_before = loss_before
    trace.add("x", "the inputs", X, "forward")
    for index, layer in enumerate(dense, start=1):
        inputs, z, a = layer.cache
        # Copies: the update below changes the parameters in place, and renderers run later.
        W = layer.weights.copy()
        b = layer.bias.copy() if layer.use_bias else None
        scalar = n == 1 and layer.n_outputs == 1
        x_name = input_name(index)
        bias = tag("b", index) if layer.use_bias else None
        if scalar:
            symbol = "x" if index == 1 else "a"
            terms = [(f"{symbol}{i + 1}", f"w{i + 1}") for i in range(layer.n_inputs)]
            formula = _sum_of_products(terms, "b" if bias else None)

            def render(fmt, inputs=inputs, W=W, b=b, bias=bias):
                pairs = [(fmt(inputs[0, i]), fmt(W[i, 0])) for i in range(len(W))]
                return _sum_of_products(pairs, fmt(b[0]) if bias else None)

        else:
            formula = f"{x_name} @ {tag('W', index)}" + (f" + {bias}" if bias else "")

            def render(fmt, inputs=inputs, W=W, b=b, bias=bias):
                text = f"{fmt(inputs)} @ {fmt(W)}"
                return f"{text} + {fmt(b)}" if bias else text

        trace.add(tag("z", index), formula, z, "forward", render)
        activation = layer.activation
        trace.add(
            tag("a", index),
            activation.formula.removeprefix("a = ").replace("z", tag("z", index)),
            a,
            "forward",
        )

    output = dense[-1]
    loss = network.loss
    trace.add(
        "E",
        loss.formula.removeprefix("E = ") + ("" if depth == 1 else f", a = a[{depth}]"),
        loss_before,
        "loss",
        lambda fmt, a=output.cache[2]: f"with a = {fmt(a)}, y = {fmt(Y)}",
    )

    for index in range(depth, 0, -1):
        layer = dense[index - 1]
        inputs, z, a = layer.cache
        paired = index == depth and loss.pairs_with(layer.activation)
        delta = layer._delta
        scalar = n == 1 and layer.n_outputs == 1
        if paired:
            grad_output = derivative = None
            trace.add(
                tag("delta", index),
                f"({tag('a', index)} - y) / n  ({layer.activation.name} with {loss.name})",
                delta,
                "backward",
                lambda fmt, a=a: f"({fmt(a)} - {fmt(Y)}) / {n}",
            )
        else:
            if index == depth:
                grad_output = loss.gradient(a, Y)
                formula = loss.gradient_formula.removeprefix("dE/da = ")
            else:
                grad_output = layer._grad_output
                formula = f"{tag('delta', index + 1)} @ {tag('W', index + 1)}^T"
            derivative = layer.activation.derivative(z, a)
            trace.add(tag("dE/da", index), formula, grad_output, "backward")
            trace.add(
                tag("da/dz", index),
                layer.activation.derivative_formula.removeprefix("da/dz = "),
                derivative,
                "backward",
            )
            trace.add(
                tag("delta", index),
                f"{tag('dE/da', index)} * {tag('da/dz', index)}",
                delta,
                "backward",
                lambda fmt, g=grad_output, d=derivative: f"{fmt(g)} * {fmt(d)}",
            )
        trace.add(tag("dz/dW", index), input_name(index), inputs, "backward", shown=not scalar)
        trace.add(
            tag("dE/dW", index),
            f"{input_name(index)}^T @ {tag('delta', index)}"
            + (f" + l2 * {tag('W', index)}" if layer.l2 else ""),
            layer.grad_weights,
            "backward",
            shown=not scalar,
        )
        if scalar:
            symbol = "x" if index == 1 else "a"
            chain = (
                tag("delta", index)
                if paired
                else f"{tag('dE/da', index)} * {tag('da/dz', index)}"
            )
            for i in range(layer.n_inputs):
                trace.add(tag(f"dz/dw{i + 1}", index), f"{symbol}{i + 1}", inputs[0, i], "backward")
                trace.add(
                    tag(f"dE/dw{i + 1}", index),
                    f"{chain} * {tag(f'dz/dw{i + 1}', index)}",
                    layer.grad_weights[i, 0],
                    "backward",
                    _chain_renderer(inputs[0, i], delta, grad_output, derivative),
                )
        if layer.use_bias:
            trace.add(
                tag("dE/db", index),
                f"sum over samples of {tag('delta', index)}",
                layer.grad_bias,
                "backward",
            )

    weights_before = [layer.weights.copy() for layer in dense]
    bias_before = [layer.bias.copy() if layer.use_bias else None for layer in dense]
    SGD(learning_rate).step(network.parameters, network.gradients)
    for index, layer in enumerate(dense, start=1):
        old_weights = weights_before[index - 1]
        scalar = n == 1 and layer.n_outputs == 1
        trace.add(
            tag("new W", index),
            f"{tag('W', index)} - learning_rate * {tag('dE/dW', index)}",
            layer.weights,
            "update",
            lambda fmt, w=old_weights, g=layer.grad_weights.copy(): (
                f"{fmt(w)} - {fmt(learning_rate)} * {fmt(g)}"
            ),
            shown=not scalar,
        )
        if scalar:
            for i in range(layer.n_inputs):
                trace.add(
                    tag(f"new w{i + 1}", index),
                    f"w{i + 1} - learning_rate * {tag(f'dE/dw{i + 1}', index)}",
                    layer.weights[i, 0],
                    "update",
                    lambda fmt, w=old_weights[i, 0], g=layer.grad_weights[i, 0]: (
                        f"{fmt(w)} - {fmt(learning_rate)} * {fmt(g)}"
                    ),
                )
        if layer.use_bias:
            trace.add(
                tag("new b", index),
                f"{tag('b', index)} - learning_rate * {tag('dE/db', index)}",
                layer.bias,
                "update",
                lambda fmt, b=bias_before[index - 1], g=layer.grad_bias.copy(): (
                    f"{fmt(b)} - {fmt(learning_rate)} * {fmt(g)}"
                ),
            )
    trace.loss_after = network.compute_loss(X, Y)
    return trace


def _chain_renderer(x, delta, grad_output, derivative) -> Renderer:
    """dE/dw_i of one neuron on one sample, written as the product of its factors."""
    if grad_output is None:
        return lambda fmt: f"{fmt(delta[0, 0])} * {fmt(x)}"
    return lambda fmt: f"{fmt(grad_output[0, 0])} * {fmt(derivative[0, 0])} * {fmt(x)}"
