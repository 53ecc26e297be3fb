"""The update as the trace writes it: the optimizer's own rule, every term with its numbers.

The optimizer takes the step exactly as in ``fit`` (the whole network as one flat array
for a built-in rule); the trace then writes, for each parameter P (W[l], b[l]) with its
gradient g = dE/dP:

    sgd        new P = P - learning_rate * g
    momentum   v[P] = mu * v[P] - learning_rate * g;   new P = P + v[P]
    nesterov   v[P] = mu * v[P] - learning_rate * g;   new P = P + mu * v[P] - learning_rate * g
    adam       m[P] = beta1 * m[P] + (1 - beta1) * g;  v[P] = beta2 * v[P] + (1 - beta2) * g^2
               m_hat[P] = m[P] / (1 - beta1^t);        v_hat[P] = v[P] / (1 - beta2^t)
               new P = P - learning_rate * m_hat[P] / (sqrt(v_hat[P]) + epsilon)

The velocities and moments on the right are the optimizer's state before the step (zeros
for a fresh optimizer: the trace says so); those on the left are the engine's after it.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
    ...               loss="half_sse")
    >>> trace = net.trace([[1.0]], [[1.0]], 0.1, optimizer="momentum")
    >>> trace.step("v[W]").formula, trace["new W"].item()
    ('0.9 * v[W] - learning_rate * dE/dW', 1.9)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from glassnet.engine.network import Network
from glassnet.engine.optimizers import SGD, Adam, Momentum, Nesterov, Optimizer
from glassnet.glassbox.changes import ParameterChange
from glassnet.glassbox.trace import Trace

__all__ = ["record_update", "optimizer_state"]

Tag = Callable[[str, int], str]


def optimizer_state(optimizer: Optimizer, arrays: list[np.ndarray]) -> dict[str, list[np.ndarray]]:
    """The optimizer's per-array state, one entry per array of ``arrays``: velocities, or
    Adam's first and second moments (zeros where the optimizer has none yet).

    Example:
        >>> import numpy as np
        >>> optimizer_state(Momentum(0.1), [np.ones(2)])["v"][0]
        array([0., 0.])
    """

    def aligned(store: Sequence[np.ndarray | None]) -> list[np.ndarray]:
        kept = [*store, *[None] * (len(arrays) - len(store))]
        return [np.zeros_like(array) if state is None else state.copy()
                for state, array in zip(kept, arrays, strict=False)]  # fmt: skip

    if isinstance(optimizer, Momentum):
        return {"v": aligned(optimizer.velocities)}
    if isinstance(optimizer, Adam):
        return {"m": aligned(optimizer.first_moments), "v": aligned(optimizer.second_moments)}
    return {}


def _parameter_slices(network: Network) -> list[tuple[int, str, np.ndarray]]:
    """(dense index, "W" or "b", the array) in the order of the flat storage."""
    found = []
    for index, layer in enumerate(network.dense_layers, start=1):
        found.append((index, "W", layer.weights))
        if layer.bias is not None:
            found.append((index, "b", layer.bias))
    return found


def record_update(trace: Trace, network: Network, optimizer: Optimizer, tag: Tag) -> None:
    """Take the optimizer's step on the network and record every parameter's update.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[1.0]], bias=[0.0])], loss="mse")
        >>> net.trace([[1.0]], [[2.0]], 0.25)["new b"].tolist()
        [0.5]
    """
    parameters = _parameter_slices(network)
    old = [array.copy() for _, _, array in parameters]
    gradients = [g.copy() for g in network.gradients]
    flat, flat_gradients = network.flat_storage()
    arrays, grads = (
        ([flat], [flat_gradients]) if optimizer.flat else (network.parameters, network.gradients)
    )
    before = optimizer_state(optimizer, arrays)
    fresh = not any(np.any(state) for states in before.values() for state in states)
    optimizer.step(arrays, grads)
    after = optimizer_state(optimizer, arrays)
    if optimizer.flat:  # the state of the one flat array, cut back into the parameters
        before = {key: _split(value[0], old) for key, value in before.items()}
        after = {key: _split(value[0], old) for key, value in after.items()}
    trace.optimizer = optimizer
    trace.optimizer_note = _note(optimizer, fresh)
    for position, (index, symbol, array) in enumerate(parameters):
        name = tag(symbol, index)
        states = {key: (before[key][position], after[key][position]) for key in before}
        layer = network.dense_layers[index - 1]
        single = layer.n_outputs == 1 and trace.n_samples == 1
        by_weight = single and symbol == "W" and isinstance(optimizer, SGD)
        _record_parameter(
            trace,
            optimizer,
            name,
            old[position],
            gradients[position],
            array.copy(),
            states,
            tag("dE/d" + symbol, index),
            not by_weight,
        )
        entries = _entry_names(tag, index, symbol, array.shape, single)
        trace.changes.append(
            ParameterChange(name, old[position], gradients[position], array.copy(), entries)
        )
        if by_weight:  # as a tutorial works one neuron by hand
            _record_weight_by_weight(trace, index, tag, old[position], gradients[position], array)


def _split(flat: np.ndarray, like: list[np.ndarray]) -> list[np.ndarray]:
    pieces, start = [], 0
    for array in like:
        pieces.append(flat[start : start + array.size].reshape(array.shape))
        start += array.size
    return pieces


def _note(optimizer: Optimizer, fresh: bool) -> str:
    settings = ", ".join(
        f"{key} {value:g}"
        for key, value in optimizer.config().items()
        if key != "name" and isinstance(value, int | float)
    )
    note = f"{optimizer.name} ({settings})"
    if fresh and not isinstance(optimizer, SGD):
        note += "; its velocities and moments start at zero (a fresh optimizer)"
    return note


def _record_parameter(trace, optimizer, name, old, gradient, new, states, grad_name, shown):
    rate = optimizer.learning_rate
    if isinstance(optimizer, Adam):
        _record_adam(trace, optimizer, name, old, gradient, new, states, grad_name)
        return
    if isinstance(optimizer, Momentum):  # Nesterov too
        mu = optimizer.momentum
        v_old, v_new = states["v"]
        trace.add(
            f"v[{name}]",
            f"{mu:g} * v[{name}] - learning_rate * {grad_name}",
            v_new,
            "update",
            lambda fmt, pick: f"{fmt(mu)} * {fmt(v_old)} - {fmt(rate)} * {fmt(gradient)}",
        )
        if isinstance(optimizer, Nesterov):
            formula = f"{name} + {mu:g} * v[{name}] - learning_rate * {grad_name}"
            render = lambda fmt, pick: (  # noqa: E731
                f"{fmt(old)} + {fmt(mu)} * {fmt(v_new)} - {fmt(rate)} * {fmt(gradient)}"
            )
        else:
            formula = f"{name} + v[{name}]"
            render = lambda fmt, pick: f"{fmt(old)} + {fmt(v_new)}"  # noqa: E731
        trace.add(f"new {name}", formula, new, "update", render)
        return
    trace.add(
        f"new {name}",
        f"{name} - learning_rate * {grad_name}",
        new,
        "update",
        lambda fmt, pick: f"{fmt(old)} - {fmt(rate)} * {fmt(gradient)}",
        shown=shown,
    )


def _record_adam(trace, adam: Adam, name, old, gradient, new, states, grad_name) -> None:
    rate, b1, b2, eps, t = adam.learning_rate, adam.beta1, adam.beta2, adam.epsilon, adam.iterations
    (m_old, m_new), (v_old, v_new) = states["m"], states["v"]
    m_hat, v_hat = m_new / (1 - b1**t), v_new / (1 - b2**t)
    trace.add(
        f"m[{name}]",
        f"{b1:g} * m[{name}] + (1 - {b1:g}) * {grad_name}",
        m_new,
        "update",
        lambda fmt, pick: f"{fmt(b1)} * {fmt(m_old)} + (1 - {fmt(b1)}) * {fmt(gradient)}",
    )
    trace.add(
        f"v[{name}]",
        f"{b2:g} * v[{name}] + (1 - {b2:g}) * {grad_name}^2",
        v_new,
        "update",
        lambda fmt, pick: f"{fmt(b2)} * {fmt(v_old)} + (1 - {fmt(b2)}) * {fmt(gradient)}^2",
    )
    trace.add(
        f"m_hat[{name}]",
        f"m[{name}] / (1 - {b1:g}^{t})",
        m_hat,
        "update",
        lambda fmt, pick: f"{fmt(m_new)} / (1 - {fmt(b1)}^{t})",
    )
    trace.add(
        f"v_hat[{name}]",
        f"v[{name}] / (1 - {b2:g}^{t})",
        v_hat,
        "update",
        lambda fmt, pick: f"{fmt(v_new)} / (1 - {fmt(b2)}^{t})",
    )
    if getattr(adam, "epsilon_on", "v_hat") == "v":  # scikit-learn's form: epsilon beside sqrt(v)
        root = (1 - b2**t) ** 0.5
        trace.add(
            f"new {name}",
            f"{name} - learning_rate * m_hat[{name}] * sqrt(1 - {b2:g}^{t}) / (sqrt(v[{name}]) + "
            f"{eps:g})",
            new,
            "update",
            lambda fmt, pick: (
                f"{fmt(old)} - {fmt(rate)} * {fmt(m_hat)} * {fmt(root)} / "
                f"(sqrt({fmt(v_new)}) + {fmt(eps)})"
            ),
        )
        return
    trace.add(
        f"new {name}",
        f"{name} - learning_rate * m_hat[{name}] / (sqrt(v_hat[{name}]) + {eps:g})",
        new,
        "update",
        lambda fmt, pick: (
            f"{fmt(old)} - {fmt(rate)} * {fmt(m_hat)} / (sqrt({fmt(v_hat)}) + {fmt(eps)})"
        ),
    )


def _record_weight_by_weight(trace, index, tag, old, gradient, new) -> None:
    rate = trace.learning_rate
    for i in range(old.shape[0]):
        trace.add(
            tag(f"new w{i + 1}", index),
            f"w{i + 1} - learning_rate * {tag(f'dE/dw{i + 1}', index)}",
            new[i, 0],
            "update",
            lambda fmt, pick, i=i: f"{fmt(old[i, 0])} - {fmt(rate)} * {fmt(gradient[i, 0])}",
        )


def _entry_names(
    tag: Tag, index: int, symbol: str, shape: tuple[Any, ...], one_neuron: bool
) -> list[str]:
    """Entry names in the trace's notation: w1, w2 for one neuron, else W[1][0,2]."""
    if one_neuron:
        if symbol == "b":
            return [tag("b", index)]
        return [tag(f"w{i + 1}", index) for i in range(shape[0])]
    return [
        f"{tag(symbol, index)}[{','.join(map(str, position))}]" for position in np.ndindex(shape)
    ]
