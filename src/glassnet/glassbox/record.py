"""Recording one gradient-descent step as a ``Trace``: ``Network.trace`` calls ``trace_step``.

The network computes the step (a forward pass, the loss, the backward pass, then plain
gradient descent); each stage here writes what it computed into the trace, in the order a
tutorial works it: the forward pass layer by layer, the loss, the backward pass from the
output layer down, the update. For a layer with one neuron traced on one sample, the
gradients and the update are also written weight by weight (``dE/dw1``, ``new w1``).

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> trace_step(net, [[0.3, 0.5]], [[1.0]], learning_rate=1.0).names()[:4]
    ['x', 'z', 'a', 'E']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from glassnet.engine.layers import Dense
from glassnet.engine.optimizers import SGD
from glassnet.engine.validation import check_number
from glassnet.glassbox.changes import ParameterChange
from glassnet.glassbox.check import LayerRecord
from glassnet.glassbox.notation import layer_tag
from glassnet.glassbox.trace import Renderer, Trace

if TYPE_CHECKING:
    from glassnet.engine.network import Network

__all__ = ["trace_step"]

Tag = Callable[[str, int], str]


def trace_step(network: Network, X, y, learning_rate: float) -> Trace:
    """Take one gradient-descent step on ``network`` and record it (``Network.trace``).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> trace_step(net, [[1.0]], [[1.0]], 0.1)["new w1"].item()
        1.9
    """
    learning_rate = check_number("learning_rate", learning_rate, low=0, low_open=True)
    X, Y = network.encode_targets(X, y)
    trace = Trace(learning_rate, X.shape[0], loss=network.loss, targets=Y)
    dense = network.dense_layers
    depth = len(dense)
    tag = layer_tag(depth)
    trace.loss_before = network.loss_and_gradients(X, Y)
    _record_inputs(trace, network, X)
    for index, layer in enumerate(dense, start=1):
        _record_forward(trace, layer, index, tag)
    _record_loss(trace, dense[-1], depth)
    for index in range(depth, 0, -1):
        _record_backward(trace, dense[index - 1], index, depth, tag)
    _record_update(trace, network, dense, tag)
    trace.loss_after = network.compute_loss(X, Y)
    return trace


def _input_name(index: int, tag: Tag) -> str:
    return "x" if index == 1 else tag("a", index - 1)


def _by_weight(trace: Trace, layer: Dense) -> bool:
    """Whether the layer's step is also written weight by weight: one neuron, one sample."""
    return trace.n_samples == 1 and layer.n_outputs == 1


def _sum_of_products(terms: list[tuple[str, str]], bias: str | None) -> str:
    text = " + ".join(f"{a}*{b}" for a, b in terms)
    return f"{text} + {bias}" if bias else text


# ---------------------------------------------------------------------- forward pass
def _record_inputs(trace: Trace, network: Network, X: np.ndarray) -> None:
    """x: the data, or what the layers in front of the first Dense layer made of it."""
    first = network.dense_layers[0]
    in_front = network.layers[: network.layers.index(first)]
    if in_front:  # e.g. Standardize: the chain rule starts where the first Dense layer does
        names = ", ".join(type(layer).__name__ for layer in in_front)
        trace.add("x", f"the inputs after {names}", first.cache[0], "forward", per_sample=True)
    else:
        trace.add("x", "the inputs", X, "forward", per_sample=True)


def _record_forward(trace: Trace, layer: Dense, index: int, tag: Tag) -> None:
    """z[l] = a[l-1] @ W[l] + b[l], then a[l] = f(z[l]); the layer's record for ``check``."""
    inputs, z, a = layer.cache
    # Copies: the update below changes the parameters in place, and renderers run later.
    W = layer.weights.copy()
    b = layer.bias.copy() if layer.use_bias else None
    trace.layers.append(LayerRecord(inputs, W, b, z, a, layer.activation, layer.l2))
    formula, render = _weighted_sum(trace, layer, index, tag, W, b)
    trace.add(tag("z", index), formula, z, "forward", render, per_sample=True)
    activation = layer.activation.formula.replace("z", tag("z", index))
    trace.add(tag("a", index), activation, a, "forward", per_sample=True)


def _weighted_sum(
    trace: Trace, layer: Dense, index: int, tag: Tag, W: np.ndarray, b: np.ndarray | None
) -> tuple[str, Renderer]:
    """z's formula and renderer: x1*w1 + x2*w2 + b weight by weight, else x @ W + b."""
    inputs = layer.cache[0]
    bias = tag("b", index) if layer.use_bias else None
    if _by_weight(trace, layer):
        symbol = "x" if index == 1 else "a"
        terms = [(f"{symbol}{i + 1}", f"w{i + 1}") for i in range(layer.n_inputs)]

        def render_by_weight(fmt, pick) -> str:
            pairs = [(fmt(inputs[0, i]), fmt(W[i, 0])) for i in range(len(W))]
            return _sum_of_products(pairs, fmt(b[0]) if bias else None)

        return _sum_of_products(terms, "b" if bias else None), render_by_weight

    def render_matrices(fmt, pick) -> str:
        text = f"{fmt(pick(inputs))} @ {fmt(W)}"
        return f"{text} + {fmt(b)}" if bias else text

    formula = f"{_input_name(index, tag)} @ {tag('W', index)}" + (f" + {bias}" if bias else "")
    return formula, render_matrices


# ---------------------------------------------------------------------- loss
def _record_loss(trace: Trace, output: Dense, depth: int) -> None:
    """E, the loss before the step, with the output and the targets it compares."""
    formula = trace.loss.formula
    formula += "" if depth == 1 else f", a = a[{depth}]"
    targets = trace.targets
    trace.add(
        "E",
        formula,
        trace.loss_before,
        "loss",
        lambda fmt, pick, a=output.cache[2]: f"with a = {fmt(a)}, y = {fmt(targets)}",
    )


# ---------------------------------------------------------------------- backward pass
def _record_backward(trace: Trace, layer: Dense, index: int, depth: int, tag: Tag) -> None:
    """One layer's chain rule: delta[l], then dz/dW[l], dE/dW[l] (weight by weight for one
    neuron on one sample) and dE/db[l]."""
    inputs = layer.cache[0]
    paired = index == depth and trace.loss.pairs_with(layer.activation)
    if paired:
        _record_paired_delta(trace, layer, index, tag)
        grad_output = derivative = None
    else:
        grad_output, derivative = _record_chain_delta(trace, layer, index, depth, tag)
    by_weight = _by_weight(trace, layer)
    x_name = _input_name(index, tag)
    trace.add(tag("dz/dW", index), x_name, inputs, "backward", shown=not by_weight, per_sample=True)
    penalty = f" + l2 * {tag('W', index)}" if layer.l2 else ""
    trace.add(
        tag("dE/dW", index),
        f"{x_name}^T @ {tag('delta', index)}{penalty}",
        layer.grad_weights,
        "backward",
        shown=not by_weight,
    )
    if by_weight:
        chain = tag("delta", index) if paired else f"{tag('dE/da', index)} * {tag('da/dz', index)}"
        _record_weight_gradients(trace, layer, index, tag, chain, grad_output, derivative)
    if layer.use_bias:
        summed = f"sum over samples of {tag('delta', index)}"
        trace.add(tag("dE/db", index), summed, layer.grad_bias, "backward")


def _record_paired_delta(trace: Trace, layer: Dense, index: int, tag: Tag) -> None:
    """delta = (a - y) / n: the output activation and the loss paired, as they simplify."""
    a, targets, n = layer.cache[2], trace.targets, trace.n_samples
    trace.add(
        tag("delta", index),
        f"({tag('a', index)} - y) / n  ({layer.activation.name} with {trace.loss.name})",
        layer.delta,
        "backward",
        lambda fmt, pick, a=a: f"({fmt(pick(a))} - {fmt(pick(targets))}) / {n}",
        per_sample=True,
    )


def _record_chain_delta(trace: Trace, layer: Dense, index: int, depth: int, tag: Tag):
    """dE/da[l], da/dz[l] and delta[l] = dE/da[l] * da/dz[l]; returns the first two."""
    _, z, a = layer.cache
    if index == depth:
        grad_output = trace.loss.gradient(a, trace.targets)
        formula = trace.loss.gradient_formula
    else:
        grad_output = layer.output_gradient
        formula = f"{tag('delta', index + 1)} @ {tag('W', index + 1)}^T"
    derivative = layer.activation.derivative(z, a)
    trace.add(tag("dE/da", index), formula, grad_output, "backward", per_sample=True)
    trace.add(
        tag("da/dz", index),
        layer.activation.derivative_formula,
        derivative,
        "backward",
        per_sample=True,
    )
    trace.add(
        tag("delta", index),
        f"{tag('dE/da', index)} * {tag('da/dz', index)}",
        layer.delta,
        "backward",
        lambda fmt, pick, g=grad_output, d=derivative: f"{fmt(pick(g))} * {fmt(pick(d))}",
        per_sample=True,
    )
    return grad_output, derivative


def _record_weight_gradients(
    trace: Trace, layer: Dense, index: int, tag: Tag, chain: str, grad_output, derivative
) -> None:
    """dz/dw_i = x_i and dE/dw_i = (the chain) * dz/dw_i, one weight at a time."""
    inputs = layer.cache[0]
    symbol = "x" if index == 1 else "a"
    for i in range(layer.n_inputs):
        trace.add(tag(f"dz/dw{i + 1}", index), f"{symbol}{i + 1}", inputs[0, i], "backward")
        trace.add(
            tag(f"dE/dw{i + 1}", index),
            f"{chain} * {tag(f'dz/dw{i + 1}', index)}",
            layer.grad_weights[i, 0],
            "backward",
            _chain_renderer(inputs[0, i], layer.delta, grad_output, derivative),
        )


def _chain_renderer(x, delta, grad_output, derivative) -> Renderer:
    """dE/dw_i of one neuron on one sample, written as the product of its factors."""
    if grad_output is None:
        return lambda fmt, pick: f"{fmt(delta[0, 0])} * {fmt(x)}"
    return lambda fmt, pick: f"{fmt(grad_output[0, 0])} * {fmt(derivative[0, 0])} * {fmt(x)}"


# ---------------------------------------------------------------------- update
def _record_update(trace: Trace, network: Network, dense: list[Dense], tag: Tag) -> None:
    """Take the step (plain gradient descent) and record each layer's new parameters."""
    weights_before = [layer.weights.copy() for layer in dense]
    bias_before = [layer.bias.copy() if layer.use_bias else None for layer in dense]
    SGD(trace.learning_rate).step(network.parameters, network.gradients)
    for index, layer in enumerate(dense, start=1):
        _record_weights_update(trace, layer, index, tag, weights_before[index - 1])
        if layer.use_bias:
            _record_bias_update(trace, layer, index, tag, bias_before[index - 1])


def _update_renderer(old, gradient, learning_rate: float) -> Renderer:
    return lambda fmt, pick: f"{fmt(old)} - {fmt(learning_rate)} * {fmt(gradient)}"


def _record_weights_update(
    trace: Trace, layer: Dense, index: int, tag: Tag, old_weights: np.ndarray
) -> None:
    """new W[l] = W[l] - learning_rate * dE/dW[l] (weight by weight for one neuron on one
    sample), and W's change."""
    by_weight, rate = _by_weight(trace, layer), trace.learning_rate
    trace.add(
        tag("new W", index),
        f"{tag('W', index)} - learning_rate * {tag('dE/dW', index)}",
        layer.weights,
        "update",
        _update_renderer(old_weights, layer.grad_weights.copy(), rate),
        shown=not by_weight,
    )
    entries = _entry_names(tag, index, "W", old_weights.shape, one_neuron=by_weight)
    change = ParameterChange(
        tag("W", index), old_weights, layer.grad_weights.copy(), layer.weights.copy(), entries
    )
    trace.changes.append(change)
    if by_weight:
        for i in range(layer.n_inputs):
            trace.add(
                tag(f"new w{i + 1}", index),
                f"w{i + 1} - learning_rate * {tag(f'dE/dw{i + 1}', index)}",
                layer.weights[i, 0],
                "update",
                _update_renderer(old_weights[i, 0], layer.grad_weights[i, 0], rate),
            )


def _record_bias_update(
    trace: Trace, layer: Dense, index: int, tag: Tag, old_bias: np.ndarray
) -> None:
    """new b[l] = b[l] - learning_rate * dE/db[l], and b's change."""
    trace.add(
        tag("new b", index),
        f"{tag('b', index)} - learning_rate * {tag('dE/db', index)}",
        layer.bias,
        "update",
        _update_renderer(old_bias, layer.grad_bias.copy(), trace.learning_rate),
    )
    entries = _entry_names(tag, index, "b", layer.bias.shape, layer.n_outputs == 1)
    change = ParameterChange(
        tag("b", index), old_bias, layer.grad_bias.copy(), layer.bias.copy(), entries
    )
    trace.changes.append(change)


def _entry_names(tag: Tag, index: int, symbol: str, shape: tuple, one_neuron: bool) -> list[str]:
    """Entry names in the trace's notation: w1, w2 for one neuron, else W[1][0,2]."""
    if one_neuron:
        if symbol == "b":
            return [tag("b", index)]
        return [tag(f"w{i + 1}", index) for i in range(shape[0])]
    return [
        f"{tag(symbol, index)}[{','.join(map(str, position))}]" for position in np.ndindex(shape)
    ]
