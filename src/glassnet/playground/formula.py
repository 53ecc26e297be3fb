"""The formula panel's text: one neuron's or one weight's formulas with the numbers of a trace.

Neuron j of layer l is written with a subscript: z[l]_j is column j of the trace's z[l];
W[l]_ij is the weight from input i to neuron j (rows and columns counted from 1). A network
of one layer drops the [l], as its trace does. Numbers are printed with six significant
digits (``glassnet.text.format_number``), negative factors of a product in parentheses.

Example:
    >>> import numpy as np
    >>> from glassnet.engine.layers import Dense
    >>> from glassnet.engine.network import Network
    >>> net = Network([Dense(2, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
    >>> trace = net.trace(np.array([[1.0, 0.0]]), np.array([1]), learning_rate=0.1)
    >>> panel = formula_panel(trace, net, 1, 0, previous=net.get_weights(), optimizer="sgd",
    ...                       learning_rate=0.1)
    >>> panel["title"], panel["lines"][0]
    ('neuron 1 of layer 1 (output)', 'z_1 = sum over i of W_i1 * x_i + b_1')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, SupportsFloat

import numpy as np

from glassnet.engine.layers import Dense
from glassnet.engine.network import Network
from glassnet.engine.perceptron_rules import Rule
from glassnet.glassbox.trace import Trace
from glassnet.text import format_number

__all__ = ["formula_panel", "perceptron_panel"]


def _value(value: SupportsFloat) -> str:
    """A number as the panel prints it: six significant digits."""
    return format_number(float(value), digits=6)


def _factor(value: SupportsFloat) -> str:
    """A number as a factor of a product: in parentheses when it is negative."""
    text = _value(value)
    return f"({text})" if text.startswith("-") else text


@dataclass(frozen=True)
class _Neuron:
    """Neuron ``index`` of layer ``layer`` (from 1), as the panel names it and the trace
    holds it, with the parameters of the update before the one on screen."""

    trace: Trace
    network: Network
    layer: int
    index: int
    previous: list[np.ndarray]
    optimizer: str

    @property
    def depth(self) -> int:
        return len(self.network.dense_layers)

    @property
    def dense(self) -> Dense:
        return self.network.dense_layers[self.layer - 1]

    @property
    def bias(self) -> np.ndarray:
        """This layer's bias (the playground's layers all have one)."""
        bias = self.dense.bias
        if bias is None:
            raise ValueError(f"layer {self.layer} has no bias")
        return bias

    def symbol(self, name: str) -> str:
        """``name`` of this layer as the trace keys it: "z[2]", or "z" in a one-layer network."""
        return name if self.depth == 1 else f"{name}[{self.layer}]"

    def traced(self, name: str) -> np.ndarray:
        return self.trace[self.symbol(name)]

    @property
    def input_name(self) -> str:
        return "x" if self.layer == 1 else f"a[{self.layer - 1}]"

    @property
    def inputs(self) -> np.ndarray:
        return self.trace[self.input_name]

    @property
    def before(self) -> tuple[np.ndarray, np.ndarray]:
        """This layer's W and b before the last step."""
        # The playground's layers all have a bias, so W[l] and b[l] alternate in the parameters.
        return self.previous[2 * (self.layer - 1)], self.previous[2 * (self.layer - 1) + 1]

    @property
    def title(self) -> str:
        role = "output" if self.layer == self.depth else "hidden"
        return f"neuron {self.index + 1} of layer {self.layer} ({role})"

    @property
    def update(self) -> str:
        return f"last update ({self.optimizer}, over the last step)"

    @property
    def delta(self) -> float:
        return self.traced("delta")[0, self.index]


def formula_panel(trace: Trace, network: Network, layer: int, neuron: int,
                  source: int | str | None = None, *, previous: list[np.ndarray], optimizer: str,
                  learning_rate: float, inputs: list[str] | None = None
                  ) -> dict[str, Any]:  # fmt: skip
    """{"title", "lines"}: the formulas of neuron ``neuron`` of layer ``layer`` (both counted
    as the network holds them, the layer from 1, the neuron from 0) or, with ``source``, of
    its weight from input ``source`` (or its bias, ``source="bias"``), with the numbers of
    ``trace`` (``Network.trace`` of one sample). ``previous`` holds the parameters before
    the last step, as ``Network.get_weights`` gives them; ``optimizer`` names the rule that
    made that step; ``inputs`` names the network's inputs (x_1, x_2, ...) for layer 1.

    Example:
        >>> import numpy as np
        >>> from glassnet.engine.layers import Dense
        >>> from glassnet.engine.network import Network
        >>> net = Network([Dense(2, 2, "tanh"), Dense(2, 1, "identity")], loss="mse", seed=0)
        >>> trace = net.trace(np.array([[1.0, 0.5]]), np.array([[2.0]]), learning_rate=0.1)
        >>> panel = formula_panel(trace, net, 2, 0, source=1, previous=net.get_weights(),
        ...                       optimizer="sgd", learning_rate=0.1)
        >>> panel["title"], panel["lines"][1]
        ('weight W[2]_21 into neuron 1 of layer 2 (output)', 'dE/dW[2]_21 = a[1]_2 * delta[2]_1')
    """
    place = _Neuron(trace, network, layer, neuron, previous, optimizer)
    if source == "bias":
        panel = _bias_panel(place, learning_rate)
    elif isinstance(source, int):
        panel = _weight_panel(place, source, learning_rate)
    elif source is not None:
        raise ValueError(f"source is an input's index or 'bias', got {source!r}")
    else:
        lines = [*_output_lines(place), *_delta_lines(place), *_gradient_lines(place)]
        panel = {"title": place.title, "lines": lines}
    if layer == 1 and inputs:
        named = ", ".join(f"x_{k + 1} = {name}" for k, name in enumerate(inputs))
        panel["lines"].append(f"the inputs: {named}")
    return panel


def _penalty_terms(dense: Dense, weight: str, value: float) -> tuple[str, str]:
    """The regularisation terms of dE/dW, in symbols and in numbers: + l2 * W, + l1 * sign(W)."""
    symbols, numbers = "", ""
    if dense.l2:
        symbols += f" + l2 * {weight}"
        numbers += f" + {format_number(dense.l2, 6)} * {_factor(value)}"
    if dense.l1:
        symbols += f" + l1 * sign({weight})"
        numbers += f" + {format_number(dense.l1, 6)} * {_factor(np.sign(value))}"
    return symbols, numbers


def _bias_panel(place: _Neuron, learning_rate: float) -> dict[str, Any]:
    """The neuron's bias: value, gradient (delta itself: no regularisation), step, update."""
    j, b = place.index, place.bias
    _, b_before = place.before
    bias = place.symbol("b") + f"_{j + 1}"
    gradient = place.traced("dE/db")[j]
    rate = format_number(learning_rate, 6)
    lines = [
        f"{bias} = {_value(b[j])}   (the bias of {place.title}, not regularised)",
        f"dE/d{bias} = {place.symbol('delta')}_{j + 1} = {_value(gradient)}",
        f"gradient step: {bias} - learning_rate * dE/d{bias}",
        f"  = {_factor(b[j])} - {rate} * {_factor(gradient)}"
        f" = {_value(b[j] - learning_rate * gradient)}",
        f"{place.update}: {_value(b_before[j])} -> {_value(b[j])}"
        f"  (change {_value(b[j] - b_before[j])})",
    ]
    return {"title": f"bias {bias} of {place.title}", "lines": lines}


def _weight_panel(place: _Neuron, source: int, learning_rate: float) -> dict[str, Any]:
    """The weight from input ``source`` into the neuron: value, gradient, step and update."""
    i, j = source, place.index
    W = place.dense.weights
    W_before, _ = place.before
    weight = place.symbol("W") + f"_{i + 1}{j + 1}"
    gradient = place.traced("dE/dW")[i, j]
    l2_term, l2_numbers = _penalty_terms(place.dense, weight, W[i, j])
    rate = format_number(learning_rate, 6)
    lines = [
        f"{weight} = {_value(W[i, j])}   (from {place.input_name}_{i + 1} to {place.title})",
        f"dE/d{weight} = {place.input_name}_{i + 1} * {place.symbol('delta')}_{j + 1}{l2_term}",
        f"  = {_factor(place.inputs[0, i])} * {_factor(place.delta)}{l2_numbers}"
        f" = {_value(gradient)}",
        f"gradient step: {weight} - learning_rate * dE/d{weight}",
        f"  = {_factor(W[i, j])} - {rate} * {_factor(gradient)}"
        f" = {_value(W[i, j] - learning_rate * gradient)}",
        f"{place.update}: {_value(W_before[i, j])} -> {_value(W[i, j])}"
        f"  (change {_value(W[i, j] - W_before[i, j])})",
    ]
    return {"title": f"weight {weight} into {place.title}", "lines": lines}


def _output_lines(place: _Neuron) -> list[str]:
    """z as the weighted sum of the inputs, in symbols and in numbers, then a = f(z)."""
    j, dense = place.index, place.dense
    W, b, inputs = dense.weights, place.bias, place.inputs
    terms = " + ".join(f"{_factor(W[k, j])}*{_factor(inputs[0, k])}"
                       for k in range(dense.n_inputs))  # fmt: skip
    z, a = place.symbol("z") + f"_{j + 1}", place.symbol("a") + f"_{j + 1}"
    activation = dense.activation
    return [
        f"{z} = sum over i of {place.symbol('W')}_i{j + 1} * {place.input_name}_i"
        f" + {place.symbol('b')}_{j + 1}",
        f"  = {terms} + {_factor(b[j])}",
        f"  = {_value(place.traced('z')[0, j])}",
        f"{a} = {activation.formula} = {_value(place.traced('a')[0, j])}   ({activation.name})",
    ]


def _delta_lines(place: _Neuron) -> list[str]:
    """delta = dE/dz: a - y for an output paired with its loss, else the chain rule."""
    j, network, activation = place.index, place.network, place.dense.activation
    z, a = place.symbol("z") + f"_{j + 1}", place.symbol("a") + f"_{j + 1}"
    delta = f"{place.symbol('delta')}_{j + 1}"
    if place.layer == place.depth and network.loss.pairs_with(activation):
        output = place.traced("a")[0, j]
        target = round(float(output - place.delta), 12)  # the paired delta is a - y on one sample
        return [
            f"{delta} = {a} - y  ({activation.name} with {network.loss.name})",
            f"  = {_factor(output)} - {_factor(target)} = {_value(place.delta)}",
        ]
    dE_da, da_dz = place.traced("dE/da")[0, j], place.traced("da/dz")[0, j]
    if place.layer == place.depth:
        source = network.loss.gradient_formula
    else:
        source = f"(delta[{place.layer + 1}] @ W[{place.layer + 1}]^T)_{j + 1}"
    return [
        f"dE/d{a} = {source} = {_value(dE_da)}",
        f"d{a}/d{z} = {activation.derivative_formula} = {_value(da_dz)}",
        f"{delta} = dE/d{a} * d{a}/d{z} = {_factor(dE_da)} * {_factor(da_dz)}"
        f" = {_value(place.delta)}",
    ]


def _gradient_lines(place: _Neuron) -> list[str]:
    """The gradients of the neuron's weights and bias, the last update, the sample's loss."""
    j, dense = place.index, place.dense
    W_before, b_before = place.before
    weights, bias = place.symbol("W") + f"_i{j + 1}", place.symbol("b") + f"_{j + 1}"
    delta = f"{place.symbol('delta')}_{j + 1}"
    gradients = ", ".join(_value(g) for g in place.traced("dE/dW")[:, j])
    changes = ", ".join(_value(c) for c in dense.weights[:, j] - W_before[:, j])
    l2_term = _penalty_terms(dense, weights, 0.0)[0]
    return [
        f"dE/d{weights} = {place.input_name}_i * {delta}{l2_term} = [{gradients}]",
        f"dE/d{bias} = {delta} = {_value(place.traced('dE/db')[j])}",
        f"{place.update}: {weights} by [{changes}], {bias} by "
        f"{_value(place.bias[j] - b_before[j])}",
        f"E for this sample ({place.network.loss.name}) = {_value(place.trace.loss_before)}",
    ]


def perceptron_panel(step: dict[str, Any], rule: Rule, learning_rate: float, *,
                     threshold: float = 0.0, batch: bool = True, after: np.ndarray | None = None,
                     after_bias: float | None = None) -> dict[str, Any]:  # fmt: skip
    """{"title", "lines"}: one sample's step of a perceptron's epoch, from ``step`` (as
    ``PerceptronRun.sample`` gives it: the weights met, z, the output, the target, the
    factor and the move) and the perceptron's ``rule`` (``Perceptron.decision_rule``);
    ``after`` and ``after_bias``: the weights and bias the epoch ended with.

    Example:
        >>> from glassnet.engine.perceptron_rules import Rule
        >>> step = {"epoch": 1, "x": np.array([1.0, 0.0]), "target": 1.0, "output": 1.0,
        ...         "weights": np.array([0.5, -0.1]), "bias": None, "z": 0.5, "factor": 0.0,
        ...         "correction": np.array([0.0, 0.0]), "after": None}
        >>> print("\\n".join(perceptron_panel(step, Rule("rosenblatt", "step"), 0.1)["lines"][:4]))
        z = w1*x1 + w2*x2
          = 0.5*1 + -0.1*0 = 0.5
        y = 1   (step(z) = 1 if z > 0 else 0)
        e = t - y = 1 - 1 = 0
    """

    def digits8(value: SupportsFloat) -> str:
        return format_number(float(value), digits=8)

    x, weights, bias = step["x"], step["weights"], step["bias"]
    x1, x2 = digits8(x[0]), digits8(x[1])
    symbols = "z = w1*x1 + w2*x2" + (" + b" if bias is not None else "")
    numbers = f"  = {digits8(weights[0])}*{x1} + {digits8(weights[1])}*{x2}"
    numbers += f" + {digits8(bias)}" if bias is not None else ""
    if threshold:
        symbols += " - theta"
        numbers += f" - {digits8(threshold)}"
    target, output, factor = (digits8(step[key]) for key in ("target", "output", "factor"))
    rate = format_number(learning_rate, 6)
    moves = [digits8(c) for c in step["correction"]]
    lines = [symbols, f"{numbers} = {_value(step['z'])}",
             f"y = {output}   ({rule.output_formula()})"]  # fmt: skip
    if rule.rule == "fausett":
        wrong = step["output"] != step["target"]
        lines += [f"t = {target}: y {'!=' if wrong else '='} t, so "
                  f"{'the weights move' if wrong else 'no move'}",
                  f"correction = alpha * t * x = [{moves[0]}, {moves[1]}]"]  # fmt: skip
    else:
        lines += [f"e = t - y = {target} - {output} = {factor}",
                  f"correction = alpha * e * x = {rate} * {factor} * [{x1}, {x2}]"
                  f" = [{moves[0]}, {moves[1]}]"]  # fmt: skip
    if step.get("bias_correction") is not None:
        lines.append(f"bias correction = alpha * {'t' if rule.rule == 'fausett' else 'e'} = "
                     f"{digits8(step['bias_correction'])}")  # fmt: skip
    lines.append(f"the rule: {rule.update_formula(bias=bias is not None, batch=batch)}")
    if step.get("after") is not None:
        moved = f"after this sample: w = [{digits8(step['after'][0])}, {digits8(step['after'][1])}]"
        if step.get("bias_after") is not None:
            moved += f", b = {digits8(step['bias_after'])}"
        lines.append(moved)
    if after is not None:
        ended = f"after epoch {step['epoch']}: w = [{digits8(after[0])}, {digits8(after[1])}]"
        lines.append(ended + (f", b = {digits8(after_bias)}" if after_bias is not None else ""))
    return {"title": f"the perceptron, epoch {step['epoch']}", "lines": lines}
