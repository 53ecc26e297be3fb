"""Checking a learner's hand-worked numbers against a trace, and naming the likely slip.

``Trace.check`` calls ``check_values``: each value given is compared with the trace's,
and a wrong one with the same step replayed with one common slip made at a time (sign
flipped, the sigmoid's derivative taken of a, a missing 1/2 or 2, the learning rate twice,
summed versus averaged over samples). The replay runs from the ``LayerRecord`` of each
Dense layer, the copies of what the step computed before the update.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> trace = net.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    >>> report = check_values(trace, {"dE/dw1": 0.0353})
    >>> report["dE/dw1"].slip, report["dE/dw1"].factor
    ('sign flipped', 'dE/da')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.engine.activations import Activation, Sigmoid
from glassnet.engine.losses import MSE, HalfSSE
from glassnet.engine.validation import check_number
from glassnet.glassbox.notation import layer_tag
from glassnet.text import format_number

# The trace being checked, as this module names it: trace.py imports this module (its
# Trace.check calls check_values), so this one does not import trace.py back.
TraceLike = Any

__all__ = ["CheckItem", "CheckReport", "LayerRecord", "check_values", "replay", "SLIPS"]


@dataclass
class CheckItem:
    """The verdict on one hand-worked value: right or wrong, and if wrong the likely slip.

    ``factor`` is the first quantity of the chain rule that the slip changes (for example
    ``da/dz``); ``slip`` and ``factor`` are None when the value is right or no known slip
    explains it.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> item = net.trace([[1.0]], [[1.0]], 0.1).check({"z": 3.0})["z"]
        >>> item.name, item.given, item.expected, item.right
        ('z', 3.0, 2.0, False)
    """

    name: str
    given: float | list
    expected: float | list
    right: bool
    message: str
    slip: str | None = None
    factor: str | None = None


@dataclass
class CheckReport:
    """What ``Trace.check`` found: one ``CheckItem`` per value, in the order given.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
        ...               loss="half_sse")
        >>> report = net.trace([[0.3, 0.5]], [[1.0]], 1.0).check({"z": 0.11})
        >>> report.all_right
        True
    """

    items: list[CheckItem]
    tolerance: float

    @property
    def all_right(self) -> bool:
        return all(item.right for item in self.items)

    def __getitem__(self, name: str) -> CheckItem:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(f"no value named {name!r} was checked")

    def __iter__(self) -> Iterator[CheckItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def to_dict(self) -> dict:
        """Each item as plain data (JSON-serialisable).

        Example:
            >>> import json
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> report = net.trace([[1.0]], [[1.0]], 0.1).check({"z": 2.0})
            >>> json.loads(json.dumps(report.to_dict()))["all_right"]
            True
        """
        return {
            "tolerance": self.tolerance,
            "all_right": self.all_right,
            "items": [vars(item).copy() for item in self.items],
        }

    def __str__(self) -> str:
        return "\n".join(item.message for item in self.items)


@dataclass
class LayerRecord:
    """What the replay of a Dense layer's backward pass needs, copied before the update.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> record = net.trace([[1.0]], [[3.0]], 0.1).layers[0]
        >>> record.weights.tolist(), record.a.tolist(), record.bias is None
        ([[2.0]], [[2.0]], True)
    """

    inputs: np.ndarray
    weights: np.ndarray
    bias: np.ndarray | None
    z: np.ndarray
    a: np.ndarray
    activation: Activation
    l2: float


# Each slip: its replay switch -> its short name, and why it is a slip.
SLIPS: dict[str, tuple[str, str]] = {
    "sign": (
        "sign flipped",
        "dE/da is a - y (output minus target); y - a flips the sign of every gradient "
        "after it, and new w = w - learning_rate * dE/dw subtracts the gradient",
    ),
    "sigmoid_of_a": (
        "sigmoid's derivative taken of a instead of z",
        "da/dz = sigmoid(z) * (1 - sigmoid(z)) = a * (1 - a); sigmoid(a) * (1 - sigmoid(a)) "
        "applies the sigmoid twice",
    ),
    "missing_half": (
        "missing 1/2",
        "E = 1/2 * sum (y - a)^2; without the 1/2, E and dE/da double (the 1/2 is there to "
        "cancel the 2 that comes down from the square)",
    ),
    "missing_two": (
        "missing 2",
        "the derivative of (a - y)^2 is 2 * (a - y): dE/da = 2 * (a - y) / N",
    ),
    "learning_rate_twice": (
        "learning rate applied twice",
        "new w = w - learning_rate * dE/dw takes the learning rate once; dE/dw has none in it",
    ),
    "averaged": (
        "averaged instead of summed over samples",
        "this loss is a sum over the samples, so its gradients are sums: no 1/n",
    ),
    "summed": (
        "summed instead of averaged over samples",
        "this loss is a mean over the samples, so every gradient carries a 1/n",
    ),
}

_INDEXED = re.compile(r"^(?P<base>.+?)\[(?P<index>\d+(?:\s*,\s*\d+)*)\]$")


def check_values(trace: TraceLike, values: dict, tolerance: float = 0.01) -> CheckReport:
    """Mark hand-worked values right or wrong; for a wrong one, name the likely slip.

    ``Trace.check`` documents the arguments. A value is right when
    |given - true| <= tolerance * |true|.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> print(check_values(net.trace([[1.0]], [[1.0]], 0.1), {"z": 2.0}))
        z = 2: right (the trace has 2)
    """
    if not isinstance(values, dict) or not values:
        raise ValueError("check needs a dict of name -> value, e.g. {'a': 0.527}")
    if not trace.layers:
        raise ValueError("check needs a trace made by Network.trace (it replays the step)")
    tolerance = check_number("tolerance", tolerance, low=0)
    truth = replay(trace)
    variants = {slip: replay(trace, slip) for slip in _possible_slips(trace)}
    items = []
    for name, given in values.items():
        base, index = _resolve(trace, name)
        expected = trace[base][index] if index is not None else trace[base]
        given_array = _as_given(name, given, expected)
        items.append(
            _verdict(trace, name, base, index, given_array, expected, truth, variants, tolerance)
        )
    return CheckReport(items, tolerance)


def _resolve(trace: TraceLike, name: str) -> tuple[str, tuple | None]:
    """The trace's name for ``name`` and the index of one entry in it (None: all of it)."""
    if not isinstance(name, str):
        raise ValueError(f"names must be strings, got {name!r}")
    if name in trace:
        return name, None
    match = _INDEXED.match(name.strip())
    if match and match.group("base") in trace:
        index = tuple(int(i) for i in match.group("index").split(","))
        shape = trace[match.group("base")].shape
        if len(index) > len(shape) or any(
            i >= s for i, s in zip(index, shape[: len(index)], strict=True)
        ):
            raise ValueError(f"{name}: index {index} is outside the shape {shape}")
        return match.group("base"), index
    raise ValueError(
        f"the trace has no quantity {name!r}; it has: {', '.join(trace.names())} "
        "(one entry of a matrix: name[row,column], e.g. dE/dW[1][0,2])"
    )


def _as_given(name: str, given, expected: np.ndarray) -> np.ndarray:
    try:
        array = np.asarray(given, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: the value must be a number, got {given!r}") from None
    if array.size == 1 and np.size(expected) == 1:
        return array.reshape(np.shape(expected))
    if array.shape != np.shape(expected):
        raise ValueError(
            f"{name} has shape {np.shape(expected)}; the value given has shape {array.shape}"
        )
    return array


def _possible_slips(trace: TraceLike) -> list[str]:
    """The slips this step could show: only those its loss, layers and settings allow."""
    slips = ["sign"]
    loss, layers = trace.loss, trace.layers
    paired = loss.pairs_with(layers[-1].activation)
    if any(
        isinstance(layer.activation, Sigmoid)
        for index, layer in enumerate(layers, start=1)
        if not (paired and index == len(layers))
    ):
        slips.append("sigmoid_of_a")
    if isinstance(loss, HalfSSE):
        slips.append("missing_half")
    if isinstance(loss, MSE):
        slips.append("missing_two")
    if trace.learning_rate != 1:
        slips.append("learning_rate_twice")
    if trace.n_samples > 1:
        slips.append("averaged" if isinstance(loss, HalfSSE) else "summed")
    return slips


def _plain(value: np.ndarray) -> float | list:
    array = np.asarray(value)
    return float(array.reshape(())) if array.size == 1 else array.tolist()


def _verdict(trace, name, base, index, given, expected, truth, variants, tolerance) -> CheckItem:
    def close(value: np.ndarray, target: np.ndarray) -> bool:
        return bool(np.all(np.abs(value - target) <= tolerance * np.abs(target) + 1e-12))

    def pick(value: np.ndarray) -> np.ndarray:
        return value[index] if index is not None else value

    shown, true_text = format_number(given, 6), format_number(expected, 6)
    plain = _plain(given)
    if close(given, expected):
        message = f"{name} = {shown}: right (the trace has {true_text})"
        return CheckItem(name, plain, _plain(expected), True, message)
    message = f"{name} = {shown}: wrong, the trace has {true_text}."
    for slip, replayed in variants.items():
        if base in replayed and close(given, pick(replayed[base])):
            factor = _first_difference(trace, truth, replayed, slip)
            title, why = SLIPS[slip]
            message += (
                f" Likely slip: {title}. The first factor of the chain rule that differs "
                f"is {factor}: {why}."
            )
            return CheckItem(name, plain, _plain(expected), False, message, title, factor)
    if np.size(expected) == 1 and float(np.ravel(expected)[0]) != 0:
        ratio = float(np.ravel(given)[0]) / float(np.ravel(expected)[0])
        message += f" Yours is {ratio:.4g} times it; no common slip explains that."
    else:
        message += f" No common slip explains it; the formula is {trace.step(base).formula}."
    return CheckItem(name, plain, _plain(expected), False, message)


def _first_difference(trace: TraceLike, truth: dict, replayed: dict, slip: str) -> str:
    if slip == "learning_rate_twice":
        return "learning_rate"
    for name in trace.names():
        if name in truth and not np.allclose(truth[name], replayed[name], rtol=1e-12):
            return name
    return "E"


def replay(trace: TraceLike, slip: str | None = None) -> dict[str, np.ndarray]:
    """The loss, backward pass and update recomputed, optionally with one slip (a key of
    ``SLIPS``) made. The names match the trace's; without a slip it gives the trace's own
    values of every quantity from E on.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> trace = net.trace([[1.0]], [[1.0]], 0.1)
        >>> replay(trace)["dE/dw1"].item(), replay(trace, "sign")["dE/dw1"].item()
        (1.0, -1.0)
    """
    layers, loss, Y = trace.layers, trace.loss, trace.targets
    depth, n, rate = len(layers), trace.n_samples, trace.learning_rate
    scale = {"missing_half": 2.0, "averaged": 1 / n, "summed": float(n)}.get(slip, 1.0)
    gradient_scale = scale * {"sign": -1.0, "missing_two": 0.5}.get(slip, 1.0)
    if slip == "learning_rate_twice":
        rate = rate * rate
    tag = layer_tag(depth)
    output = layers[-1]
    penalty = sum(0.5 * layer.l2 * float(np.sum(layer.weights**2)) for layer in layers)
    data_loss = loss.value_at(output.activation, output.z, output.a, Y)
    values: dict[str, np.ndarray] = {"E": np.array(scale * data_loss + penalty)}
    grad = None
    for index in range(depth, 0, -1):
        layer = layers[index - 1]
        if index == depth and loss.pairs_with(layer.activation):
            delta = gradient_scale * loss.output_delta(layer.activation, layer.z, layer.a, Y)
        else:
            if index == depth:
                grad = gradient_scale * loss.gradient(layer.a, Y)
            derivative, delta = _activation_backward(layer, grad, slip)
            values[tag("dE/da", index)] = grad
            values[tag("da/dz", index)] = derivative
        values.update(_parameter_gradients(layer, delta, rate, tag, index))
        grad = delta @ layer.weights.T
    return {name: np.asarray(value) for name, value in values.items()}


def _activation_backward(layer: LayerRecord, grad: np.ndarray, slip: str | None):
    """da/dz and delta = dE/da * da/dz, with the sigmoid taken twice for that slip."""
    if slip == "sigmoid_of_a" and isinstance(layer.activation, Sigmoid):
        twice = layer.activation.forward(layer.a)
        derivative = twice * (1 - twice)
        return derivative, grad * derivative
    derivative = layer.activation.derivative(layer.z, layer.a)
    return derivative, layer.activation.backward(grad, layer.z, layer.a)


def _parameter_gradients(
    layer: LayerRecord, delta: np.ndarray, rate: float, tag: Callable[[str, int], str], index: int
) -> dict[str, np.ndarray]:
    """delta, dz/dW, dE/dW, the new W (matrix and weight by weight), dE/db and new b."""
    grad_weights = layer.inputs.T @ delta + layer.l2 * layer.weights
    values = {
        tag("delta", index): delta,
        tag("dz/dW", index): layer.inputs,
        tag("dE/dW", index): grad_weights,
        tag("new W", index): layer.weights - rate * grad_weights,
    }
    for i in range(layer.weights.shape[0]):
        values[tag(f"dz/dw{i + 1}", index)] = layer.inputs[0, i]
        values[tag(f"dE/dw{i + 1}", index)] = grad_weights[i, 0]
        values[tag(f"new w{i + 1}", index)] = layer.weights[i, 0] - rate * grad_weights[i, 0]
    if layer.bias is not None:
        grad_bias = delta.sum(axis=0)
        values[tag("dE/db", index)] = grad_bias
        values[tag("new b", index)] = layer.bias - rate * grad_bias
    return values
