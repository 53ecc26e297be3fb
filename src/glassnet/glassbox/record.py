"""Recording one training step as a ``Trace``: ``Network.trace`` calls ``trace_step``.

The network computes the step as ``fit`` would (a forward pass in training mode, so a
Dropout layer drops what fit would drop, the loss with every regularisation term, the
backward pass, then the optimizer's update); each stage here writes what it computed
into the trace, in the order a tutorial works it. The formulas are the engine's own
(``Activation.formula``, ``Loss.formula``, ...), their symbols named for the layer, and
every line puts the numbers in: the same symbols, replaced by the values that ran. A
printed line, numbers and all, is an expression that evaluates to the value printed after
it (``tests/glassbox/test_truth.py`` checks that on every kind of network). The notation:
``@`` a matrix product, ``*`` and ``/`` entry by entry, ``^T`` a transpose, ``sum(...)``
over every entry, ``sum_i(...)`` over the samples (rows), ``sum_k(...)`` over the outputs
of each sample.

The step is taken on a copy of the network unless ``apply=True``: tracing never changes
the network (its weights, its optimizer or its random generator).

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> trace_step(net, [[0.3, 0.5]], [[1.0]], learning_rate=1.0).names()[:4]
    ['x', 'z', 'a', 'E']
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from glassnet.engine.activations import Activation
from glassnet.engine.layers import Dense, Dropout, Standardize
from glassnet.engine.network import Network
from glassnet.engine.optimizers import Optimizer, get_optimizer
from glassnet.engine.validation import check_number
from glassnet.glassbox.chain import by_weight, input_name, record_backward_pass
from glassnet.glassbox.check import LayerRecord
from glassnet.glassbox.notation import layer_tag, substitute
from glassnet.glassbox.steps import Formatter, Renderer
from glassnet.glassbox.trace import Trace
from glassnet.glassbox.update import record_update

__all__ = ["trace_step"]

Tag = Callable[[str, int], str]


def trace_step(
    network: Network,
    X: ArrayLike,
    y: ArrayLike,
    learning_rate: float = 0.1,
    optimizer: str | Optimizer = "sgd",
    apply: bool = False,
) -> Trace:
    """Take one training step on (X, y) and record every number of it (``Network.trace``).

    ``optimizer``: a name or an ``Optimizer`` (a copy of it is used unless ``apply``);
    ``apply=True`` takes the step on the network itself, as one step of ``fit`` would.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> trace_step(net, [[1.0]], [[1.0]], 0.1)["new w1"].item(), net.get_weights()[0]
        (1.9, array([[2.]]))
    """
    learning_rate = check_number("learning_rate", learning_rate, low=0, low_open=True)
    subject = network if apply else network.copy()
    if isinstance(optimizer, Optimizer):
        rule = optimizer if apply else copy.deepcopy(optimizer)
    else:
        rule = get_optimizer(optimizer, learning_rate)
    inputs, Y = subject.encode_targets(X, y)
    trace = Trace(rule.learning_rate, inputs.shape[0], loss=subject.loss, targets=Y)
    trace.optimizer = rule
    tag = layer_tag(len(subject.dense_layers))
    trace.loss_before = subject.loss_and_gradients(inputs, Y, training=True)  # fit's own pass
    _record_inputs(trace, subject, inputs)
    _record_forward_pass(trace, subject, tag)
    _record_loss(trace, subject, tag, Y)
    record_backward_pass(trace, subject, tag)
    record_update(trace, subject, rule, tag)
    trace.loss_after = subject.compute_loss(inputs, Y)
    if not apply:
        network.targets = network.targets or subject.targets
    return trace


# ---------------------------------------------------------------------- forward pass
def _record_inputs(trace: Trace, network: Network, X: np.ndarray) -> None:
    """x: the data, or, after a Standardize layer, (raw - mean) / scale with its numbers."""
    first = network.dense_layers[0]
    in_front = network.layers[: network.layers.index(first)]
    standardize = next((layer for layer in in_front if isinstance(layer, Standardize)), None)
    if standardize is None:
        trace.add("x", "the inputs", X, "forward", per_sample=True)
        return
    trace.add("raw x", "the inputs as given", X, "forward", per_sample=True)
    mean, scale = standardize.mean.copy(), standardize.scale.copy()
    trace.add(
        "x",
        "(raw x - mean) / scale  (Standardize)",
        first.cache[0],
        "forward",
        lambda fmt, pick: f"({fmt(pick(X))} - {fmt(mean)}) / {fmt(scale)}",
        per_sample=True,
    )


def _record_forward_pass(trace: Trace, network: Network, tag: Tag) -> None:
    for layer in network.layers[network.first_dense_index :]:
        if isinstance(layer, Dense):
            _record_dense_forward(trace, network, layer, tag)
        elif isinstance(layer, Dropout) and layer.mask is not None:
            _record_dropout(trace, network, layer, tag)


def _record_dense_forward(trace: Trace, network: Network, layer: Dense, tag: Tag) -> None:
    """z[l] = a[l-1] @ W[l] + b[l], then a[l] = f(z[l]); the layer's record for ``check``."""
    index = network.dense_layers.index(layer) + 1
    inputs, z, a = layer.cache
    # Copies: the update changes the parameters in place, and renderers run later.
    W = layer.weights.copy()
    b = None if layer.bias is None else layer.bias.copy()
    trace.layers.append(LayerRecord(inputs, W, b, z, a, layer.activation, layer.l2, layer.l1))
    formula, render = _weighted_sum(trace, network, layer, tag, W, b)
    trace.add(tag("z", index), formula, z, "forward", render, per_sample=True)
    trace.add(
        tag("a", index),
        substitute(layer.activation.formula, {"z": tag("z", index)}),
        a,
        "forward",
        _activation_renderer(layer, z),
        per_sample=True,
    )


def _parameters_of(activation: Activation) -> dict[str, Any]:
    """The activation's own constants that its formulas name (slope, theta)."""
    return {
        name: getattr(activation, name) for name in ("slope", "theta") if hasattr(activation, name)
    }


def _activation_renderer(layer: Dense, z: np.ndarray) -> Renderer:
    formula, constants = layer.activation.formula, _parameters_of(layer.activation)
    return lambda fmt, pick: substitute(formula, {**constants, "z": pick(z)}, fmt)


def _sum_of_products(terms: list[tuple[str, str]], bias: str | None) -> str:
    text = " + ".join(f"{a}*{b}" for a, b in terms)
    return f"{text} + {bias}" if bias else text


def _weighted_sum(
    trace: Trace, network: Network, layer: Dense, tag: Tag, W: np.ndarray, b: np.ndarray | None
) -> tuple[str, Renderer]:
    """z's formula and renderer: x1*w1 + x2*w2 + b weight by weight, else x @ W + b."""
    index = network.dense_layers.index(layer) + 1
    inputs = layer.cache[0]
    bias = None if b is None else tag("b", index)
    Pick = Callable[[np.ndarray], np.ndarray]
    if by_weight(trace, layer):
        symbol = "x" if index == 1 else "a"
        terms = [(f"{symbol}{i + 1}", f"w{i + 1}") for i in range(layer.n_inputs)]

        def render_by_weight(fmt: Formatter, pick: Pick) -> str:
            pairs = [(fmt(inputs[0, i]), fmt(W[i, 0])) for i in range(len(W))]
            return _sum_of_products(pairs, None if b is None else fmt(b[0]))

        return _sum_of_products(terms, "b" if bias else None), render_by_weight

    def render_matrices(fmt: Formatter, pick: Pick) -> str:
        text = f"{fmt(pick(inputs))} @ {fmt(W)}"
        return text if b is None else f"{text} + {fmt(b)}"

    source = input_name(network, layer, tag)
    formula = f"{source} @ {tag('W', index)}" + (f" + {bias}" if bias else "")
    return formula, render_matrices


def _record_dropout(trace: Trace, network: Network, layer: Dropout, tag: Tag) -> None:
    """The mask fit's step draws (from the network's generator) and the kept inputs,
    scaled by 1 / (1 - rate)."""
    below = network.layers[network.layers.index(layer) - 1]
    if not isinstance(below, Dense) or layer.mask is None:  # connect() puts a Dense below
        raise ValueError(f"{layer!r} follows no Dense layer, or drew no mask in this step")
    index = network.dense_layers.index(below) + 1
    before = below.cache[2]
    mask = layer.mask.copy()
    trace.add(
        tag("mask", index),
        f"0 (dropped, probability {layer.rate:g}) or 1 / (1 - {layer.rate:g}) (kept)",
        mask,
        "forward",
        per_sample=True,
    )
    trace.add(
        f"dropped {tag('a', index)}",
        f"{tag('a', index)} * {tag('mask', index)}",
        before * mask,
        "forward",
        lambda fmt, pick: f"{fmt(pick(before))} * {fmt(pick(mask))}",
        per_sample=True,
    )


# ---------------------------------------------------------------------- loss
def _penalty_term(template: str, strength: float, W: np.ndarray) -> Renderer:
    """A regularisation term's renderer: ``template`` with the strength and W put in."""
    return lambda fmt, pick: template.format(strength=fmt(strength), W=fmt(W))


def _penalty_terms(network: Network, tag: Tag) -> list[tuple[str, Renderer]]:
    """The regularisation terms of E, each as (formula, renderer)."""
    terms: list[tuple[str, Renderer]] = []
    for index, layer in enumerate(network.dense_layers, start=1):
        W = layer.weights.copy()
        if layer.l2:
            formula = f"{layer.l2:g}/2 * sum({tag('W', index)}^2)"
            terms.append((formula, _penalty_term("{strength}/2 * sum({W}^2)", layer.l2, W)))
        if layer.l1:
            formula = f"{layer.l1:g} * sum(abs({tag('W', index)}))"
            terms.append((formula, _penalty_term("{strength} * sum(abs({W}))", layer.l1, W)))
    return terms


def _record_loss(trace: Trace, network: Network, tag: Tag, targets: np.ndarray) -> None:
    """E, the loss before the step: the loss of the output against the targets, with the
    average's divisor named and every regularisation term."""
    output = network.output_layer
    depth = len(network.dense_layers)
    a = output.cache[2].copy()
    loss = network.loss
    divisor = loss.divisor(a)
    counts = {} if divisor is None else {divisor[0]: divisor[1]}
    formula = substitute(loss.formula, {"a": tag("a", depth)})
    penalties = _penalty_terms(network, tag)
    formula += "".join(f" + {term}" for term, _ in penalties)
    if divisor is not None:
        formula += f"  ({divisor[0]} = {divisor[2]})"

    def render(fmt: Formatter, pick: Callable[[np.ndarray], np.ndarray]) -> str:
        text = substitute(loss.formula, {"a": a, "y": targets, **counts}, fmt)
        return text + "".join(f" + {draw(fmt, pick)}" for _, draw in penalties)

    trace.add("E", formula, trace.loss_before, "loss", render)
