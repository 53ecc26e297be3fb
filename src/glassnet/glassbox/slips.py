"""The common slips of a hand-worked step, made on the step itself.

A slip of the chain rule runs through the engine: the traced network is rebuilt from the
trace's layer records (weights, bias, regularisation, and the dropout masks the step
drew) and traced again on the same inputs, with a loss or an activation whose formula is
the slip: y - a for a - y (``SlippedLoss``), a loss without its 1/2 or its 2, or divided by
the wrong count, tutorial 000's printed 0.5 * (y - a) (``UnsquaredError``), the sigmoid's
derivative taken of a, or da/dz left out (``SlippedActivation``). Nothing here computes a
gradient: the engine does, as it does in ``fit``. A slip of the update (the gradient added
instead of subtracted, the learning rate left out or applied twice) is arithmetic on the
trace's own changes. ``glassnet.glassbox.check`` compares a learner's values with these.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> trace = net.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    >>> round(float(replay(trace, "missing_half")["dE/dw1"]), 6)
    -0.070665
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from glassnet.engine.activations import Activation, Identity, Sigmoid
from glassnet.engine.layers import Dense, Dropout
from glassnet.engine.losses import MSE, HalfSSE, Loss
from glassnet.glassbox.notation import layer_tag

# The trace, as this module names it: trace.py imports check.py, which imports this one.
TraceLike = Any

__all__ = ["SLIPS", "UPDATE_SLIPS", "SlippedLoss", "UnsquaredError", "SlippedActivation",
           "divisor_slips", "plain_descent", "possible_slips", "update_operands", "replay",
           "variants"]  # fmt: skip


# Each slip: its key -> its short name, and why it is a slip.
SLIPS: dict[str, tuple[str, str]] = {
    "sign": (
        "sign flipped",
        "dE/da is a - y (output minus target); y - a flips the sign of every gradient after it",
    ),
    "missing_half": (
        "missing 1/2",
        "E = 1/2 * sum((y - a)^2); without the 1/2, E and dE/da "
        "double (the 1/2 is there to cancel the 2 that comes down from the square)",
    ),
    "missing_two": (
        "missing 2",
        "the derivative of (a - y)^2 is 2 * (a - y): dE/da = 2 * (a - y) / N",
    ),
    "unsquared": (
        "the error written 0.5 * (y - a), as tutorial 000 prints it",
        "E = 1/2 * "
        "(y - a)^2: tutorial 000 states the square but prints 0.5 * (y - a); the "
        "square keeps E positive and gives dE/da = a - y",
    ),
    "summed": (
        "summed instead of averaged over samples",
        "this loss is a mean, so E and "
        "every gradient carry its 1/n (or 1/N, N = samples x outputs)",
    ),
    "averaged": (
        "averaged instead of summed over samples",
        "this loss is a sum over the samples, so its gradients are sums: no 1/n",
    ),
    "averaged_entries": (
        "averaged over samples x outputs instead of summed",
        "this loss is a sum over every entry: no 1/N",
    ),
    "by_samples": (
        "divided by the samples n instead of N = samples x outputs",
        "this loss averages over every entry of a, N = n x k",
    ),
    "by_entries": (
        "divided by N = samples x outputs instead of the samples n",
        "this loss sums over the outputs of each sample and averages over the n samples",
    ),
    "sigmoid_of_a": (
        "sigmoid's derivative taken of a instead of z",
        "da/dz = sigmoid(z) * "
        "(1 - sigmoid(z)) = a * (1 - a); sigmoid(a) * (1 - sigmoid(a)) applies "
        "the sigmoid twice",
    ),
    "no_derivative": (
        "da/dz left out",
        "delta = dE/da * da/dz: left out, the activation's "
        "slope (sigma'(z) = a * (1 - a) for a sigmoid) is missing from every "
        "gradient below it",
    ),
    "added": (
        "gradient added instead of subtracted",
        "new w = w - learning_rate * dE/dw: the step goes against the gradient, downhill",
    ),
    "learning_rate_one": (
        "learning rate left out",
        "new w = w - learning_rate * dE/dw with the step's learning rate",
    ),
    "learning_rate_twice": (
        "learning rate applied twice",
        "new w = w - learning_rate * dE/dw takes the learning rate once; dE/dw has none in it",
    ),
    "learning_rate": (
        "a different learning rate",
        "new w = w - learning_rate * dE/dw with the step's learning rate",
    ),
    "transposed": (
        "transposed",
        "W[l][i,j] joins input i to neuron j, so W[l] and dE/dW[l] "
        "= a[l-1]^T @ delta[l] have one row per input and one column per neuron",
    ),
    "swapped": (
        "entries swapped",
        "each entry has its own place: W[l][i,j] joins input i to "
        "neuron j, and the row of a per-sample matrix is its sample",
    ),
    "wrong_input": (
        "the wrong input x_i",
        "dz/dw_i = x_i: each weight's gradient takes the input that the weight multiplies",
    ),
}
# The slips of the update, made by arithmetic on the trace's changes.
UPDATE_SLIPS = ("added", "learning_rate_one", "learning_rate_twice")


# ---------------------------------------------------------------------- the variants
class SlippedLoss(Loss):
    """A loss with one slip made: E times ``value_scale``, dE/da (and a paired output's
    delta) times ``gradient_scale``.

    Example:
        >>> import numpy as np
        >>> from glassnet.engine.losses import HalfSSE
        >>> no_half = SlippedLoss(HalfSSE(), value_scale=2.0, gradient_scale=2.0)
        >>> no_half.value(np.array([[0.5]]), np.array([[1.0]])), no_half.gradient(
        ...     np.array([[0.5]]), np.array([[1.0]]))
        (0.25, array([[-1.]]))
    """

    def __init__(self, base: Loss, value_scale: float = 1.0, gradient_scale: float = 1.0) -> None:
        self.base: Loss = base
        self.value_scale: float = value_scale
        self.gradient_scale: float = gradient_scale
        self.name: str = base.name
        self.formula: str = base.formula
        self.gradient_formula: str = base.gradient_formula

    def divisor(self, a: np.ndarray) -> tuple[str, int, str] | None:
        return self.base.divisor(a)

    def value(self, a: np.ndarray, y: np.ndarray) -> float:
        return self.value_scale * self.base.value(a, y)

    def value_at(
        self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray
    ) -> float:
        return self.value_scale * self.base.value_at(activation, z, a, y)

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        return self.gradient_scale * self.base.gradient(a, y)

    def pairs_with(self, activation: Activation) -> bool:
        return self.base.pairs_with(activation)

    def output_delta(
        self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray
    ) -> np.ndarray:
        if self.pairs_with(activation):
            return self.gradient_scale * self.base.output_delta(activation, z, a, y)
        return activation.backward(self.gradient(a, y), z, a)


class UnsquaredError(Loss):
    """Tutorial 000's printed error, the square forgotten: E = 1/2 * sum(y - a), so
    dE/da = -1/2.

    Example:
        >>> import numpy as np
        >>> UnsquaredError().value(np.array([[0.5274723043445937]]), np.array([[1.0]]))
        0.23626384782770316
    """

    name = "half_sse"
    formula = "1/2 * sum(y - a)"
    gradient_formula = "-1/2"

    def value(self, a: np.ndarray, y: np.ndarray) -> float:
        return float(0.5 * np.sum(y - a))

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.full_like(a, -0.5)


class SlippedActivation(Activation):
    """An activation whose derivative has one slip: ``"sigmoid_of_a"`` (the sigmoid's
    derivative taken of a instead of z, tutorial 001's slip) or ``"no_derivative"``
    (da/dz left out, as if it were 1). The forward pass is the activation's own.

    Example:
        >>> import numpy as np
        >>> from glassnet.engine.activations import Sigmoid
        >>> z = np.array([[0.0]]); a = Sigmoid().forward(z)
        >>> SlippedActivation(Sigmoid(), "sigmoid_of_a").derivative(z, a).round(4)
        array([[0.235]])
    """

    def __init__(self, base: Activation, slip: str) -> None:
        if slip not in ("sigmoid_of_a", "no_derivative"):
            raise ValueError(f"slip must be 'sigmoid_of_a' or 'no_derivative', got {slip!r}")
        self.base: Activation = base
        self.slip: str = slip
        self.name: str = base.name
        self.formula: str = base.formula
        self.derivative_formula: str = (
            "sigmoid(a) * (1 - sigmoid(a))" if slip == "sigmoid_of_a" else "1"
        )

    def forward(self, z: np.ndarray) -> np.ndarray:
        return self.base.forward(z)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        if self.slip == "no_derivative":
            return np.ones_like(z)
        twice = self.base.forward(a)
        return twice * (1 - twice)

    def backward(self, da: np.ndarray, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return da * self.derivative(z, a)


class _RecordedMask(Dropout):
    """The dropout mask the traced step drew, applied again as it was (for the rebuild)."""

    def __init__(self, mask: np.ndarray) -> None:
        kept = float(np.max(mask)) if np.size(mask) else 0.0
        super().__init__(1 - 1 / kept if kept > 0 else 0.5)
        self.recorded = np.asarray(mask)

    def forward(self, inputs: np.ndarray, training: bool = False) -> np.ndarray:
        return inputs * self.recorded

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        return grad_output * self.recorded

    @property
    def mask(self) -> np.ndarray:
        return self.recorded


# ---------------------------------------------------------------------- which slips
def _paired(trace: TraceLike, index: int) -> bool:
    return index == len(trace.layers) and trace.loss.pairs_with(trace.layers[-1].activation)


def divisor_slips(trace: TraceLike) -> dict[str, tuple[int, int]]:
    """The slips of the loss's divisor on this batch: key -> (the count the loss divides
    by, the count the slip divides by); 1 is a sum.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 2, "sigmoid")], loss="mse", seed=0)
        >>> divisor_slips(net.trace([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [[0, 1]] * 3))
        {'summed': (6, 1), 'by_samples': (6, 3)}
    """
    a = trace.layers[-1].a
    n, entries = a.shape[0], a.size
    divisor = trace.loss.divisor(a)
    true = 1 if divisor is None else int(divisor[1])
    slips = {}
    if true != 1:
        slips["summed"] = (true, 1)
    if true == 1:
        if n > 1:
            slips["averaged"] = (1, n)
        if entries > n:
            slips["averaged_entries"] = (1, entries)
    elif true == entries and n not in (1, entries):
        slips["by_samples"] = (true, n)
    elif true == n and entries > n:
        slips["by_entries"] = (true, entries)
    return slips


def _engine_slips(trace: TraceLike) -> dict[str, tuple[Loss, str | None]]:
    """key -> (the loss, the activation slip or None) of each slip the engine runs."""
    loss = trace.loss
    slips: dict[str, tuple[Loss, str | None]] = {"sign": (SlippedLoss(loss, 1, -1), None)}
    if isinstance(loss, HalfSSE):
        slips["missing_half"] = (SlippedLoss(loss, 2, 2), None)
        slips["unsquared"] = (UnsquaredError(), None)
    if isinstance(loss, MSE):
        slips["missing_two"] = (SlippedLoss(loss, 1, 0.5), None)
    for key, (true, wrong) in divisor_slips(trace).items():
        slips[key] = (SlippedLoss(loss, true / wrong, true / wrong), None)
    unpaired = [
        layer.activation
        for index, layer in enumerate(trace.layers, start=1)
        if not _paired(trace, index)
    ]
    if any(isinstance(activation, Sigmoid) for activation in unpaired):
        slips["sigmoid_of_a"] = (loss, "sigmoid_of_a")
    if any(not isinstance(activation, Identity) for activation in unpaired):
        slips["no_derivative"] = (loss, "no_derivative")
    return slips


def plain_descent(trace: TraceLike) -> bool:
    """Whether the step's update was new = old - learning_rate * gradient (plain gradient
    descent, or a momentum rule's first step): the update slips are slips of that rule.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]])], loss="half_sse")
        >>> plain_descent(net.trace([[1.0]], [[1.0]], 0.1)), plain_descent(
        ...     net.trace([[1.0]], [[1.0]], 0.1, optimizer="adam"))
        (True, False)
    """
    rate = trace.learning_rate
    return bool(trace.changes) and all(
        np.allclose(change.new, change.old - rate * change.gradient, rtol=1e-12, atol=1e-15)
        for change in trace.changes
    )


def possible_slips(trace: TraceLike) -> list[str]:
    """The keys of ``SLIPS`` that ``replay`` can make on this step: only those its loss,
    layers, batch and update allow (the slips of one value, such as a transposed matrix,
    are looked for on the value itself).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
        ...               loss="half_sse")
        >>> possible_slips(net.trace([[0.3, 0.5]], [[1.0]], 0.5))  # doctest: +NORMALIZE_WHITESPACE
        ['sign', 'missing_half', 'unsquared', 'sigmoid_of_a', 'no_derivative', 'added',
         'learning_rate_one', 'learning_rate_twice']
    """
    keys = list(_engine_slips(trace))
    if plain_descent(trace):
        keys += ["added"] + (["learning_rate_one", "learning_rate_twice"]
                             if trace.learning_rate != 1 else [])  # fmt: skip
    return keys


# ---------------------------------------------------------------------- the replay
def _rebuild(trace: TraceLike, loss: Loss, activation_slip: str | None):
    """The traced network from its layer records, with the loss and the activation slip
    (made in every layer where the output does not pair with the loss)."""
    # Imported here: network.py names the trace for type checkers, and trace.py imports
    # this module, so a module-level import would draw a circle on paper.
    from glassnet.engine.network import Network

    tag = layer_tag(len(trace.layers))
    layers: list[Any] = []
    for index, record in enumerate(trace.layers, start=1):
        activation = record.activation
        if activation_slip and not _paired(trace, index):
            applies = activation_slip == "no_derivative" or isinstance(activation, Sigmoid)
            activation = SlippedActivation(activation, activation_slip) if applies else activation
        W = record.weights
        use_bias = record.bias is not None
        layers.append(Dense(W.shape[0], W.shape[1], activation, weights=W, bias=record.bias,
                            use_bias=use_bias, l2=record.l2, l1=record.l1))  # fmt: skip
        if index < len(trace.layers) and tag("mask", index) in trace:
            layers.append(_RecordedMask(trace[tag("mask", index)]))
    with warnings.catch_warnings():  # softmax without crossentropy: the trace said so once
        warnings.simplefilter("ignore")
        return Network(layers, loss=loss, dtype=trace.layers[0].weights.dtype)


def _engine_values(trace: TraceLike, loss: Loss, activation_slip: str | None) -> dict[str, Any]:
    """Every quantity from E on, as the engine computes the step with the slip made."""
    network = _rebuild(trace, loss, activation_slip)
    variant = network.trace(trace.layers[0].inputs, trace.targets, trace.learning_rate)
    keep_update = plain_descent(trace)  # a variant's update is plain gradient descent
    values = {}
    for name in variant.names():
        stage = variant.step(name).stage
        if stage != "forward" and (keep_update or stage != "update"):
            values[name] = np.asarray(variant[name])
    return values


def update_operands(trace: TraceLike) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each new parameter's name in the trace -> (its old value, its gradient), whole
    arrays and weight by weight.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> old, gradient = update_operands(net.trace([[1.0]], [[1.0]], 0.1))["new w1"]
        >>> old.item(), gradient.item()
        (2.0, 1.0)
    """
    operands = {}
    for change in trace.changes:
        operands[f"new {change.name}"] = (change.old, change.gradient)
        for entry, old, gradient in zip(
            change.entries, change.old.ravel(), change.gradient.ravel(), strict=True
        ):
            if f"new {entry}" in trace:
                operands[f"new {entry}"] = (np.asarray(old), np.asarray(gradient))
    return operands


def _update_values(trace: TraceLike, slip: str) -> dict[str, np.ndarray]:
    rate = trace.learning_rate
    used = {"added": -rate, "learning_rate_one": 1.0, "learning_rate_twice": rate * rate}[slip]
    return {name: old - used * g for name, (old, g) in update_operands(trace).items()}


def replay(trace: TraceLike, slip: str | None = None) -> dict[str, np.ndarray]:
    """The step from E on, made again with one slip (a key of ``possible_slips``): the
    slips of the chain rule by the engine on the network rebuilt from the trace's layer
    records, the slips of the update by arithmetic on the trace's own changes. Without a
    slip it gives the trace's own values.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> trace = net.trace([[1.0]], [[1.0]], 0.1)
        >>> replay(trace)["dE/dw1"].item(), replay(trace, "sign")["dE/dw1"].item()
        (1.0, -1.0)
    """
    if not trace.layers:
        raise ValueError("check needs a trace made by Network.trace (it rebuilds the step)")
    if slip is None:
        return _engine_values(trace, trace.loss, None)
    if slip not in possible_slips(trace):
        raise ValueError(
            f"this step cannot be replayed with the slip {slip!r}; it can with: "
            f"{', '.join(possible_slips(trace))}"
        )
    if slip in UPDATE_SLIPS:
        return {**_engine_values(trace, trace.loss, None), **_update_values(trace, slip)}
    return _engine_values(trace, *_engine_slips(trace)[slip])


def variants(trace: TraceLike) -> dict[str | None, dict[str, np.ndarray]]:
    """The step's own values (key None) and, for each possible slip, what the slip gives:
    every quantity from E on for a slip of the chain rule, the new parameters for a slip
    of the update (the other quantities are the step's).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> found = variants(net.trace([[1.0]], [[1.0]], 0.5))
        >>> found[None]["new w1"].item(), found["added"]["new w1"].item()
        (1.5, 2.5)
    """
    found: dict[str | None, dict[str, np.ndarray]] = {None: replay(trace)}
    for key, (loss, activation_slip) in _engine_slips(trace).items():
        found[key] = _engine_values(trace, loss, activation_slip)
    for key in possible_slips(trace):
        if key in UPDATE_SLIPS:
            found[key] = _update_values(trace, key)
    return found
