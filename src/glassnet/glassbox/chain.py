"""The backward pass as the trace writes it: the chain rule, layer by layer, from the loss
down, every factor with its numbers.

For each Dense layer l, from the output down:

    dE/da[l]   the gradient arriving at its output: the loss's gradient for the output
               layer; delta[l+1] @ W[l+1]^T below it (times the dropout mask, if any)
    da/dz[l]   the activation's derivative, entry by entry
    delta[l]   dE/da[l] * da/dz[l]; for an output activation and a loss that pair, the
               simplified (a - y) / N, N what the loss averages over; for a softmax
               without cross-entropy, the Jacobian's product a * (dE/da - sum_k(dE/da * a))
    dz/dW[l]   the layer's input: for each sample, dz_j/dW_ij = input_i
    dE/dW[l]   input^T @ delta[l], plus l2 * W[l] and l1 * sign(W[l]) when regularised
    dE/db[l]   sum_i(delta[l]): the deltas summed over the samples

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False, l2=0.5)],
    ...               loss="half_sse")
    >>> net.trace([[1.0]], [[1.0]], 0.1).step("dE/dw1").formula
    'dE/da * da/dz * dz/dw1 + 0.5 * w1'
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from glassnet.engine.activations import Softmax
from glassnet.engine.layers import Dense, Dropout
from glassnet.engine.network import Network
from glassnet.glassbox.notation import substitute
from glassnet.glassbox.steps import Formatter, Renderer
from glassnet.glassbox.trace import Trace

__all__ = ["by_weight", "input_name", "record_backward_pass"]

Tag = Callable[[str, int], str]
# (dE/da, da/dz) of a layer whose delta is their product (da/dz None for a softmax);
# None for the output layer whose delta the loss gives, paired with its activation.
Factors = tuple[np.ndarray, np.ndarray | None] | None


def _computed(value: np.ndarray | None, what: str) -> np.ndarray:
    """A quantity the network's backward pass left on a layer (None only before one)."""
    if value is None:
        raise RuntimeError(f"{what} was not computed: the trace records a pass the network made")
    return value


def _targets(trace: Trace) -> np.ndarray:
    if trace.targets is None:
        raise ValueError("the trace holds no targets: the backward pass records a traced step")
    return trace.targets


def by_weight(trace: Trace, layer: Dense) -> bool:
    """Whether the layer's step is also written weight by weight: one neuron, one sample.

    Example:
        >>> from glassnet import Dense
        >>> by_weight(Trace(0.1, n_samples=1), Dense(2, 1)), by_weight(Trace(0.1, 3), Dense(2, 1))
        (True, False)
    """
    return trace.n_samples == 1 and layer.n_outputs == 1


def _dropout_after(network: Network, layer: Dense) -> Dropout | None:
    position = network.layers.index(layer)
    after = network.layers[position + 1] if position + 1 < len(network.layers) else None
    return after if isinstance(after, Dropout) and after.mask is not None else None


def input_name(network: Network, layer: Dense, tag: Tag) -> str:
    """What layer l reads: x, a[l-1], or a[l-1] after dropout.

    Example:
        >>> from glassnet import Dense, Network
        >>> from glassnet.glassbox.notation import layer_tag
        >>> net = Network([Dense(2, 3), Dense(3, 1)])
        >>> input_name(net, net.layers[1], layer_tag(2))
        'a[1]'
    """
    index = network.dense_layers.index(layer) + 1
    if index == 1:
        return "x"
    below = network.dense_layers[index - 2]
    return (
        f"dropped {tag('a', index - 1)}" if _dropout_after(network, below) else tag("a", index - 1)
    )


def record_backward_pass(trace: Trace, network: Network, tag: Tag) -> None:
    """Every layer's chain rule, from the output layer down.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]])], loss="half_sse")
        >>> [n for n in net.trace([[1.0]], [[1.0]], 0.1).names() if n.startswith("d")][:3]
        ['dE/da', 'da/dz', 'delta']
    """
    dense = network.dense_layers
    for index in range(len(dense), 0, -1):
        _record_layer(trace, network, dense[index - 1], index, tag)


def _record_layer(trace: Trace, network: Network, layer: Dense, index: int, tag: Tag) -> None:
    depth = len(network.dense_layers)
    paired = index == depth and network.loss.pairs_with(layer.activation)
    factors: Factors = None
    if paired:
        _record_paired_delta(trace, network, layer, index, tag)
    else:
        factors = _record_chain_delta(trace, network, layer, index, tag)
    _record_weight_gradient(trace, network, layer, index, tag, paired, factors)
    if layer.grad_bias is not None:
        trace.add(
            tag("dE/db", index),
            f"sum_i({tag('delta', index)})",
            layer.grad_bias,
            "backward",
            _sum_over_samples(_computed(layer.delta, "delta").copy()),
        )


def _sum_over_samples(delta: np.ndarray) -> Renderer:
    """sum_i(delta) written out, one sample's row per term, for up to 4 samples; the
    matrix under sum_i for more."""
    if len(delta) > 4:
        return lambda fmt, pick: f"sum_i({fmt(delta)})"
    return lambda fmt, pick: " + ".join(fmt(row) for row in delta)


def _record_paired_delta(
    trace: Trace, network: Network, layer: Dense, index: int, tag: Tag
) -> None:
    """delta = (a - y) / N: the output activation and the loss paired, as they simplify;
    N is what the loss averages over (samples, or samples x outputs)."""
    a, targets = layer.cache[2].copy(), _targets(trace)
    divisor = network.loss.divisor(a)
    if divisor is None:  # a loss that pairs averages its delta over something
        raise ValueError(
            f"the loss {network.loss.name!r} pairs with an output but names no divisor"
        )
    symbol, count, what = divisor
    trace.add(
        tag("delta", index),
        f"({tag('a', index)} - y) / {symbol}  ({layer.activation.name} with "
        f"{network.loss.name}; {symbol} = {what})",
        _computed(layer.delta, "delta"),
        "backward",
        lambda fmt, pick: f"({fmt(pick(a))} - {fmt(pick(targets))}) / {fmt(count)}",
        per_sample=True,
    )


def _record_chain_delta(
    trace: Trace, network: Network, layer: Dense, index: int, tag: Tag
) -> tuple[np.ndarray, np.ndarray | None]:
    """dE/da[l], da/dz[l] and delta[l]; returns (dE/da, da/dz) for the weight-by-weight
    lines (da/dz is None for a softmax, whose Jacobian is not one factor per entry)."""
    _, z, a = (value.copy() for value in layer.cache)
    grad_output = _record_output_gradient(trace, network, layer, index, tag)
    name_a, name_z = tag("a", index), tag("z", index)
    if isinstance(layer.activation, Softmax):
        trace.add(
            tag("delta", index),
            f"{name_a} * ({tag('dE/da', index)} - sum_k({tag('dE/da', index)} * {name_a}))"
            "  (the softmax's Jacobian times the gradient)",
            _computed(layer.delta, "delta"),
            "backward",
            lambda fmt, pick: (
                f"{fmt(pick(a))} * ({fmt(pick(grad_output))} - "
                f"sum_k({fmt(pick(grad_output))} * {fmt(pick(a))}))"
            ),
            per_sample=True,
        )
        return grad_output, None
    derivative = layer.activation.derivative(z, a)
    constants = {
        name: getattr(layer.activation, name)
        for name in ("slope", "theta")
        if hasattr(layer.activation, name)
    }
    formula = layer.activation.derivative_formula
    trace.add(
        tag("da/dz", index),
        substitute(formula, {"a": name_a, "z": name_z}),
        derivative,
        "backward",
        lambda fmt, pick: substitute(formula, {**constants, "a": pick(a), "z": pick(z)}, fmt),
        per_sample=True,
    )
    trace.add(
        tag("delta", index),
        f"{tag('dE/da', index)} * {tag('da/dz', index)}",
        _computed(layer.delta, "delta"),
        "backward",
        lambda fmt, pick: f"{fmt(pick(grad_output))} * {fmt(pick(derivative))}",
        per_sample=True,
    )
    return grad_output, derivative


def _record_output_gradient(
    trace: Trace, network: Network, layer: Dense, index: int, tag: Tag
) -> np.ndarray:
    """dE/da[l]: the loss's gradient at the output layer, the next layer's delta carried
    back below it (and through the dropout mask in between)."""
    depth = len(network.dense_layers)
    if index == depth:
        a, targets = layer.cache[2].copy(), _targets(trace)
        grad_output = network.loss.gradient(a, targets)
        divisor = network.loss.divisor(a)
        counts = {} if divisor is None else {divisor[0]: divisor[1]}
        formula = network.loss.gradient_formula
        trace.add(
            tag("dE/da", index),
            substitute(formula, {"a": tag("a", index)})
            + (f"  ({divisor[0]} = {divisor[2]})" if divisor else ""),
            grad_output,
            "backward",
            lambda fmt, pick: substitute(
                formula, {"a": pick(a), "y": pick(targets), **counts}, fmt
            ),
            per_sample=True,
        )
        return grad_output
    above = network.dense_layers[index]
    delta, W = _computed(above.delta, "delta").copy(), above.weights.copy()  # before the update
    dropout = _dropout_after(network, layer)
    mask = None if dropout is None else _computed(dropout.mask, "the dropout mask").copy()
    formula = f"{tag('delta', index + 1)} @ {tag('W', index + 1)}^T"
    if mask is not None:
        formula = f"({formula}) * {tag('mask', index)}"

    def render(fmt: Formatter, pick: Callable[[np.ndarray], np.ndarray]) -> str:
        text = f"{fmt(pick(delta))} @ {fmt(W)}^T"
        return text if mask is None else f"({text}) * {fmt(pick(mask))}"

    grad_output = _computed(layer.output_gradient, "dE/da").copy()
    trace.add(tag("dE/da", index), formula, grad_output, "backward", render, per_sample=True)
    return grad_output


def _penalty_gradient(layer: Dense, symbol: str) -> tuple[str, Callable[[Formatter], str]]:
    """The regularisation's part of dE/dW: (formula, renderer of the numbers)."""
    W, l2, l1 = layer.weights.copy(), layer.l2, layer.l1
    formula = (f" + {l2:g} * {symbol}" if l2 else "") + (
        f" + {l1:g} * sign({symbol})" if l1 else ""
    )

    def draw(fmt: Formatter) -> str:
        text = f" + {fmt(l2)} * {fmt(W)}" if l2 else ""
        return text + (f" + {fmt(l1)} * sign({fmt(W)})" if l1 else "")

    return formula, draw


def _record_weight_gradient(trace: Trace, network: Network, layer: Dense, index: int, tag: Tag,
                            paired: bool, factors: Factors) -> None:  # fmt: skip
    """dz/dW[l] and dE/dW[l] = input^T @ delta[l] (+ the penalties); weight by weight for
    one neuron on one sample."""
    inputs, delta = layer.cache[0].copy(), _computed(layer.delta, "delta").copy()
    source = input_name(network, layer, tag)
    single = by_weight(trace, layer)
    trace.add(
        tag("dz/dW", index),
        f"{source}  (each sample's row: W[i,j] multiplies its entry i)",
        inputs,
        "backward",
        shown=not single,
        per_sample=True,
    )
    penalty, draw_penalty = _penalty_gradient(layer, tag("W", index))
    trace.add(
        tag("dE/dW", index),
        f"{source}^T @ {tag('delta', index)}{penalty}",
        layer.grad_weights,
        "backward",
        lambda fmt, pick: f"{fmt(inputs)}^T @ {fmt(delta)}{draw_penalty(fmt)}",
        shown=not single,
    )
    if single:
        _record_weight_by_weight(trace, layer, index, tag, paired, factors)


def _record_weight_by_weight(trace: Trace, layer: Dense, index: int, tag: Tag, paired: bool,
                             factors: Factors) -> None:  # fmt: skip
    """dz/dw_i = x_i and dE/dw_i = (the chain) * dz/dw_i (+ the penalty's part)."""
    inputs, W = layer.cache[0].copy(), layer.weights.copy()
    delta = _computed(layer.delta, "delta").copy()
    symbol = "x" if index == 1 else "a"
    chain = tag("delta", index) if paired else f"{tag('dE/da', index)} * {tag('da/dz', index)}"
    for i in range(layer.n_inputs):
        weight = f"w{i + 1}"
        trace.add(tag(f"dz/dw{i + 1}", index), f"{symbol}{i + 1}", inputs[0, i], "backward")
        penalty = (f" + {layer.l2:g} * {weight}" if layer.l2 else "") + (
            f" + {layer.l1:g} * sign({weight})" if layer.l1 else ""
        )
        trace.add(
            tag(f"dE/dw{i + 1}", index),
            f"{chain} * {tag(f'dz/dw{i + 1}', index)}{penalty}",
            layer.grad_weights[i, 0],
            "backward",
            _chain_renderer(layer, inputs[0, i], W[i, 0], delta, factors),
        )


def _chain_renderer(
    layer: Dense, x: ArrayLike, w: ArrayLike, delta: np.ndarray, factors: Factors
) -> Renderer:
    """dE/dw_i of one neuron on one sample, written as the product of its factors."""

    def penalty(fmt: Formatter) -> str:
        text = f" + {fmt(layer.l2)} * {fmt(w)}" if layer.l2 else ""
        return text + (f" + {fmt(layer.l1)} * sign({fmt(w)})" if layer.l1 else "")

    if factors is None or factors[1] is None:
        return lambda fmt, pick: f"{fmt(delta[0, 0])} * {fmt(x)}{penalty(fmt)}"
    grad_output, derivative = factors[0], factors[1]
    return lambda fmt, pick: (
        f"{fmt(grad_output[0, 0])} * {fmt(derivative[0, 0])} * {fmt(x)}{penalty(fmt)}"
    )
