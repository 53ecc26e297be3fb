"""The glass box tells the truth: on networks of every kind, each printed line, numbers put
in, is an expression that evaluates to the value printed after it, and every traced
gradient is the true one (finite differences, and PyTorch autograd to 1e-10 in float64).

The lines are read back as the trace's notation defines them (glassnet.glassbox.record):
``@`` a matrix product, ``*`` ``/`` ``^`` entry by entry, ``^T`` a transpose, ``sum`` over
every entry, ``sum_i`` over samples, ``sum_k`` over each sample's outputs.
"""

from __future__ import annotations

import itertools
import re
import zlib

import numpy as np
import pytest

from glassnet import Dense, Dropout, Network, Standardize, gradcheck

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "identity"]
# (output activation, outputs, loss, kind of target): every pair the engine allows, with one
# and several outputs, including the pairs that do not simplify (softmax with mse).
OUTPUTS = [
    ("sigmoid", 1, "binary_crossentropy", "binary"),
    ("sigmoid", 2, "binary_crossentropy", "binary"),
    ("softmax", 3, "crossentropy", "classes"),
    ("identity", 1, "mse", "values"),
    ("identity", 2, "mse", "values"),
    ("tanh", 2, "half_sse", "values"),
    ("sigmoid", 1, "half_sse", "binary"),
    ("softmax", 3, "mse", "onehot"),
    ("leaky_relu", 1, "mse", "values"),
]
OPTIMIZERS = ["sgd", "momentum", "nesterov", "adam"]


def full_precision(value) -> str:
    return repr(np.asarray(value, dtype=float).tolist())


def _wrap_arrays(text: str) -> str:
    """Every bracketed literal at depth 0 becomes A([...]) so that @ and ^T apply."""
    out, depth, start = [], 0, None
    for position, char in enumerate(text):
        if char == "[":
            if depth == 0:
                start = position
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                out.append(f"A({text[start : position + 1]})")
                continue
        if depth == 0:
            out.append(char)
    return "".join(out)


CONDITION = re.compile(r"^(?P<then>.+) if (?P<value>.+) > 0 else (?P<else>.+)$")
SIGN = re.compile(r"^-1 if (?P<z>.+) < (?P<t>.+), 0 if .+ = .+, 1 if .+ > .+$")
NAMESPACE = {
    "A": lambda value: np.array(value, dtype=float),
    "exp": np.exp,
    "log": np.log,
    "tanh": np.tanh,
    "sqrt": np.sqrt,
    "sign": np.sign,
    "abs": np.abs,
    "max": np.maximum,
    "sum": np.sum,
    "sum_i": lambda value: np.sum(value, axis=0),
    "sum_k": lambda value: np.sum(value, axis=1, keepdims=True),
    "where": np.where,
}


def evaluate(expression: str) -> np.ndarray:
    sign = SIGN.match(expression)
    if sign:
        z, theta = sign["z"], sign["t"]
        expression = f"where({z} < {theta}, -1, where({z} == {theta}, 0, 1))"
    condition = CONDITION.match(expression)
    if condition:
        expression = f"where({condition['value']} > 0, {condition['then']}, {condition['else']})"
    python = _wrap_arrays(expression).replace("^T", ".T").replace("^", "**")
    return np.asarray(eval(python, dict(NAMESPACE)), dtype=float)  # noqa: S307 (test data)


def targets(kind: str, n: int, k: int, rng: np.random.Generator):
    if kind == "binary":
        return rng.integers(0, 2, (n, k)).astype(float) if k > 1 else rng.integers(0, 2, n) * 1.0
    if kind == "classes" and n >= k:
        return np.arange(n) % k
    if kind == "classes":  # a batch that cannot hold every class: one-hot rows
        return np.eye(k)[np.arange(n) % k]
    if kind == "onehot":
        return np.eye(k)[np.arange(n) % k]
    return rng.normal(size=(n, k))


def build(case) -> tuple[Network, np.ndarray, np.ndarray]:
    hidden, (output, k, loss, kind), l2, l1, dropout, standardize, n, _ = case
    rng = np.random.default_rng(zlib.crc32(str(case).encode()))  # the same data in every run
    X = rng.normal(2.0, 3.0, size=(n, 3)) if standardize else rng.normal(size=(n, 3))
    layers = [Standardize.fit(X + rng.normal(size=X.shape))] if standardize else []
    layers.append(Dense(3, 4, hidden, l2=l2, l1=l1))
    if dropout:
        layers.append(Dropout(dropout))
    layers.append(Dense(4, k, output, l2=l2, l1=l1))
    unpaired = output == "softmax" and loss != "crossentropy"
    with pytest.warns(UserWarning) if unpaired else _nothing():
        network = Network(layers, loss=loss, seed=n)
    return network, X, targets(kind, n, k, rng)


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


ALL = list(
    itertools.product(
        HIDDEN, OUTPUTS, [0.0, 0.1], [0.0, 0.05], [0.0, 0.3], [False, True], [1, 3], OPTIMIZERS
    )
)
CASES = [ALL[i] for i in np.random.default_rng(14).choice(len(ALL), 240, replace=False)]


@pytest.mark.parametrize("case", CASES, ids=lambda case: "-".join(map(str, case)))
def test_every_printed_line_evaluates_to_the_value_printed_after_it(case):
    network, X, y = build(case)
    trace = network.trace(X, y, learning_rate=0.05, optimizer=case[-1])
    checked = 0
    for step in trace.steps:
        numbers = step.substituted(fmt=full_precision)
        if not numbers:
            continue
        got = evaluate(numbers)
        expected = np.asarray(step.value, dtype=float)
        np.testing.assert_allclose(
            np.broadcast_to(got, expected.shape) if got.size == 1 else got.reshape(expected.shape),
            expected,
            rtol=1e-9,
            atol=1e-12,
            err_msg=f"{step.name} = {step.formula}\n  = {numbers}",
        )
        checked += 1
    assert checked >= 12  # forward, loss, backward and update all put their numbers in


@pytest.mark.parametrize("case", CASES[:60], ids=lambda case: "-".join(map(str, case)))
def test_the_traced_gradients_are_the_true_ones(case):
    network, X, y = build(case)
    trace = network.trace(X, y, learning_rate=0.05)
    torch = pytest.importorskip("torch")
    masks = [trace[name] for name in trace.names() if name.startswith("mask")]
    expected = _torch_gradients(torch, network, X, trace.targets, masks)
    for index, gradient in enumerate(expected, start=1):
        name = "dE/dW" if len(network.dense_layers) == 1 else f"dE/dW[{index}]"
        np.testing.assert_allclose(trace[name], gradient, rtol=1e-10, atol=1e-13)
    if not masks and case[3] == 0.0:  # finite differences hold off the kinks (no dropout, no |W|)
        assert gradcheck(network, X, y).max_relative_error < 1e-5


def _torch_gradients(torch, network, X, Y, masks):
    """dE/dW of every Dense layer, by autograd in float64, from the same starting point."""
    out = torch.tensor(X, dtype=torch.float64)
    weights, penalty, masks = [], 0.0, list(masks)
    for layer in network.layers:
        if isinstance(layer, Standardize):
            out = (out - torch.tensor(layer.mean)) / torch.tensor(layer.scale)
        elif isinstance(layer, Dropout):
            out = out * torch.tensor(masks.pop(0))
        else:
            W = torch.tensor(layer.weights, requires_grad=True)
            weights.append(W)
            out = out @ W + (torch.tensor(layer.bias) if layer.use_bias else 0.0)
            out = _torch_activation(torch, layer.activation, out)
            penalty = penalty + layer.l2 / 2 * (W**2).sum() + layer.l1 * W.abs().sum()
    target = torch.tensor(Y, dtype=torch.float64)
    name = network.loss.name
    if name == "half_sse":
        loss = 0.5 * ((out - target) ** 2).sum()
    elif name == "mse":
        loss = ((out - target) ** 2).mean()
    elif name == "binary_crossentropy":
        loss = -(target * out.log() + (1 - target) * (1 - out).log()).mean()
    else:
        loss = -(target * out.log()).sum() / out.shape[0]
    (loss + penalty).backward()
    return [W.grad.numpy() for W in weights]


def _torch_activation(torch, activation, z):
    name = activation.name
    if name == "sigmoid":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return torch.relu(z)
    if name == "leaky_relu":
        return torch.nn.functional.leaky_relu(z, activation.slope)
    if name == "softmax":
        return torch.softmax(z, dim=1)
    return z
