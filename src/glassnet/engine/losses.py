"""Loss functions E(a, y), each with its gradient dE/da written beside it.

``a`` is the network's output (n samples x k outputs) and ``y`` the target of the same
shape. Two output activations pair with a loss so that the output delta dE/dz is simply
(a - y) / n, computed from z without overflow:

- ``sigmoid`` + ``binary_crossentropy``
- ``softmax`` + ``crossentropy``

``output_delta`` and ``value_at`` take the pairing into account; any other combination is
handled by the chain rule dE/dz = dE/da * da/dz.

Example:
    >>> import numpy as np
    >>> get_loss("half_sse").value(np.array([[0.5]]), np.array([[1.0]]))
    0.125
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from glassnet.engine.activations import Activation, Sigmoid, Softmax

__all__ = [
    "Loss",
    "HalfSSE",
    "MSE",
    "BinaryCrossentropy",
    "Crossentropy",
    "LOSSES",
    "get_loss",
]


def _probability_floor(dtype: np.dtype) -> float:
    """Smallest probability a log is taken of: log(0) would be -inf."""
    return float(np.finfo(dtype).eps) if np.issubdtype(dtype, np.floating) else 1e-15


class Loss:
    """A loss E(a, y) and its gradient dE/da.

    ``formula`` (what E equals) and ``gradient_formula`` (what dE/da equals) are
    right-hand sides in the notation the trace prints.

    Example:
        >>> MSE().formula
        '1/N * sum((y - a)^2)'
        >>> isinstance(get_loss("mse"), Loss)
        True
    """

    name: str = ""
    formula: str = ""
    gradient_formula: str = ""

    def divisor(self, a: NDArray[Any]) -> tuple[str, int, str] | None:
        """What the loss averages over, as its formula names it: (symbol, count, what it
        counts), or None for a sum. The paired output delta divides by the same count.

        Example:
            >>> import numpy as np
            >>> MSE().divisor(np.zeros((3, 2))), HalfSSE().divisor(np.zeros((3, 2)))
            (('N', 6, 'samples * outputs = 3 * 2'), None)
        """
        return None

    def value(self, a: NDArray[Any], y: NDArray[Any]) -> float:
        """E for the outputs a against the targets y, a Python float.

        Example:
            >>> import numpy as np
            >>> MSE().value(np.array([[0.5], [1.0]]), np.array([[1.0], [1.0]]))
            0.125
        """
        raise NotImplementedError

    def gradient(self, a: NDArray[Any], y: NDArray[Any]) -> NDArray[Any]:
        """dE/da, same shape as a.

        Example:
            >>> import numpy as np
            >>> HalfSSE().gradient(np.array([[0.5, 2.0]]), np.array([[1.0, 1.0]]))
            array([[-0.5,  1. ]])
        """
        raise NotImplementedError

    def pairs_with(self, activation: Activation) -> bool:
        """True when dE/dz simplifies to (a - y) / n for this output activation.

        Example:
            >>> from glassnet.engine.activations import Sigmoid, Softmax
            >>> BinaryCrossentropy().pairs_with(Sigmoid()), MSE().pairs_with(Sigmoid())
            (True, False)
            >>> Crossentropy().pairs_with(Softmax())
            True
        """
        return False

    def value_at(
        self, activation: Activation, z: NDArray[Any], a: NDArray[Any], y: NDArray[Any]
    ) -> float:
        """E computed from the output layer's z and a (stable for the paired activations).

        Example:
            >>> import numpy as np
            >>> from glassnet.engine.activations import Sigmoid
            >>> z = np.array([[1000.0]])
            >>> BinaryCrossentropy().value_at(Sigmoid(), z, Sigmoid().forward(z), np.zeros((1, 1)))
            1000.0
        """
        return self.value(a, y)

    def output_delta(
        self, activation: Activation, z: NDArray[Any], a: NDArray[Any], y: NDArray[Any]
    ) -> NDArray[Any]:
        """dE/dz of the output layer: the chain rule, or (a - y) / n for a paired activation.

        Example:
            >>> import numpy as np
            >>> from glassnet.engine.activations import Sigmoid
            >>> z = np.array([[0.0], [0.0]])
            >>> a, y = Sigmoid().forward(z), np.array([[1.0], [0.0]])
            >>> BinaryCrossentropy().output_delta(Sigmoid(), z, a, y)
            array([[-0.25],
                   [ 0.25]])
        """
        return activation.backward(self.gradient(a, y), z, a)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)


class HalfSSE(Loss):
    """Half the sum of squared errors: E = 1/2 * sum (a - y)^2; dE/da = a - y.

    Tutorial 000's error for one sample, and what tutorial 001's code descends over
    all its samples (it sums the gradients rather than averaging them).

    Example:
        >>> import numpy as np
        >>> HalfSSE().value(np.array([[0.5], [2.0]]), np.array([[1.0], [1.0]]))
        0.625
    """

    name = "half_sse"
    formula = "1/2 * sum((y - a)^2)"
    gradient_formula = "a - y"

    def value(self, a: NDArray[Any], y: NDArray[Any]) -> float:
        return float(0.5 * np.sum((a - y) ** 2))

    def gradient(self, a: NDArray[Any], y: NDArray[Any]) -> NDArray[Any]:
        return a - y


class MSE(Loss):
    """Mean squared error over all N entries: E = 1/N * sum (a - y)^2; dE/da = 2 (a - y) / N.

    Example:
        >>> import numpy as np
        >>> MSE().gradient(np.array([[0.5], [2.0]]), np.array([[1.0], [1.0]]))
        array([[-0.5],
               [ 1. ]])
    """

    name = "mse"
    formula = "1/N * sum((y - a)^2)"
    gradient_formula = "2 * (a - y) / N"

    def divisor(self, a: NDArray[Any]) -> tuple[str, int, str] | None:
        n, k = a.shape[0], a.size // max(a.shape[0], 1)
        return "N", a.size, f"samples * outputs = {n} * {k}"

    def value(self, a: NDArray[Any], y: NDArray[Any]) -> float:
        squared = (a - y) ** 2
        return float(squared.sum() / squared.size)

    def gradient(self, a: NDArray[Any], y: NDArray[Any]) -> NDArray[Any]:
        return (2.0 / a.size) * (a - y)


class BinaryCrossentropy(Loss):
    """Binary cross-entropy over N entries: E = -1/N * sum [y log a + (1 - y) log(1 - a)].

    dE/da = (a - y) / (a (1 - a)) / N. After a sigmoid, dE/dz = (a - y) / N, and E is
    computed from z as 1/N * sum [max(z, 0) - z y + log(1 + exp(-|z|))], which never
    overflows and never takes log(0).

    Example:
        >>> import numpy as np
        >>> round(BinaryCrossentropy().value(np.array([[0.5]]), np.array([[1.0]])), 4)
        0.6931
    """

    name = "binary_crossentropy"
    formula = "-1/N * sum(y * log(a) + (1 - y) * log(1 - a))"
    gradient_formula = "(a - y) / (a * (1 - a) * N)"

    def divisor(self, a: NDArray[Any]) -> tuple[str, int, str] | None:
        n, k = a.shape[0], a.size // max(a.shape[0], 1)
        return "N", a.size, f"samples * outputs = {n} * {k}"

    def value(self, a: NDArray[Any], y: NDArray[Any]) -> float:
        floor = _probability_floor(a.dtype)
        p = np.clip(a, floor, 1 - floor)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log1p(-p)))

    def gradient(self, a: NDArray[Any], y: NDArray[Any]) -> NDArray[Any]:
        floor = _probability_floor(a.dtype)
        p = np.clip(a, floor, 1 - floor)
        return (p - y) / (p * (1 - p)) / a.size

    def pairs_with(self, activation: Activation) -> bool:
        return isinstance(activation, Sigmoid)

    def value_at(
        self, activation: Activation, z: NDArray[Any], a: NDArray[Any], y: NDArray[Any]
    ) -> float:
        if not self.pairs_with(activation):
            return self.value(a, y)
        # max(z, 0) - z y + log(1 + exp(-|z|)), in place: a call fewer on each term
        terms = np.maximum(z, 0.0)
        np.subtract(terms, z * y, terms)
        soft = np.abs(z)
        np.negative(soft, soft)
        np.exp(soft, soft)
        np.log1p(soft, soft)
        np.add(terms, soft, terms)
        return float(np.add.reduce(terms, None) / terms.size)

    def output_delta(
        self, activation: Activation, z: NDArray[Any], a: NDArray[Any], y: NDArray[Any]
    ) -> NDArray[Any]:
        if not self.pairs_with(activation):
            return super().output_delta(activation, z, a, y)
        return (a - y) / a.size


class Crossentropy(Loss):
    """Categorical cross-entropy over n samples: E = -1/n * sum_i sum_k y_ik log a_ik.

    dE/da = -y / (a n). After a softmax, dE/dz = (a - y) / n, and log a is taken as it
    is while every a keeps full precision (a normal float); below that, it is computed as
    z - max(z) - log(sum exp(z - max(z))), which holds for any z.

    Example:
        >>> import numpy as np
        >>> round(Crossentropy().value(np.array([[0.25, 0.75]]), np.array([[0.0, 1.0]])), 4)
        0.2877
    """

    name = "crossentropy"
    formula = "-1/n * sum(y * log(a))"
    gradient_formula = "-y / (a * n)"

    def divisor(self, a: NDArray[Any]) -> tuple[str, int, str] | None:
        return "n", a.shape[0], "samples"

    def value(self, a: NDArray[Any], y: NDArray[Any]) -> float:
        p = np.clip(a, _probability_floor(a.dtype), 1.0)
        return float(-np.sum(y * np.log(p)) / a.shape[0])

    def gradient(self, a: NDArray[Any], y: NDArray[Any]) -> NDArray[Any]:
        p = np.clip(a, _probability_floor(a.dtype), 1.0)
        return -y / p / a.shape[0]

    def pairs_with(self, activation: Activation) -> bool:
        return isinstance(activation, Softmax)

    def value_at(
        self, activation: Activation, z: NDArray[Any], a: NDArray[Any], y: NDArray[Any]
    ) -> float:
        if not self.pairs_with(activation):
            return self.value(a, y)
        # While every probability is a normal float (full precision), log a is the
        # formula itself, in a few NumPy calls; a probability that underflowed towards 0
        # has lost digits, and log a = z - max(z) - log(sum exp(z - max(z))), exact for
        # any z, gives the value instead (its row-wise reductions make it 3x slower).
        if a.min() >= np.finfo(a.dtype).tiny:
            return float(-(y * np.log(a)).sum() / z.shape[0])
        shifted = z - z.max(axis=-1, keepdims=True)
        log_a = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        return float(-np.sum(y * log_a) / z.shape[0])

    def output_delta(
        self, activation: Activation, z: NDArray[Any], a: NDArray[Any], y: NDArray[Any]
    ) -> NDArray[Any]:
        if not self.pairs_with(activation):
            return super().output_delta(activation, z, a, y)
        return (a - y) / a.shape[0]


LOSSES: dict[str, type[Loss]] = {
    cls.name: cls for cls in (HalfSSE, MSE, BinaryCrossentropy, Crossentropy)
}


def get_loss(identifier: str | Loss) -> Loss:
    """Return a loss from its name or an instance.

    Example:
        >>> get_loss("crossentropy")
        Crossentropy()
    """
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if isinstance(identifier, str) and identifier.lower() in LOSSES:
        return LOSSES[identifier.lower()]()
    raise ValueError(f"unknown loss {identifier!r}; expected one of {sorted(LOSSES)}")
