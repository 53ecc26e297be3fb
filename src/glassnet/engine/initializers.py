"""Weight initialisation schemes, all drawn from the network's one random generator.

Each scheme maps (generator, n_inputs, n_outputs, dtype) to a weight matrix of shape
(n_inputs, n_outputs). Because every draw comes from the network's seeded
``numpy.random.Generator``, the same seed gives the same starting weights on every
machine.

Example:
    >>> import numpy as np
    >>> w = get_initializer("zeros")(np.random.default_rng(0), 2, 3, np.float64)
    >>> w.shape
    (2, 3)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

__all__ = ["INITIALIZERS", "get_initializer", "default_initializer"]

Initializer = Callable[[np.random.Generator, int, int, DTypeLike], NDArray[Any]]


def glorot_uniform(
    rng: np.random.Generator, n_in: int, n_out: int, dtype: DTypeLike
) -> NDArray[Any]:
    """W ~ U(-limit, limit), limit = sqrt(6 / (n_in + n_out)) (Glorot and Bengio, 2010)."""
    limit = np.sqrt(6.0 / (n_in + n_out))
    return rng.uniform(-limit, limit, size=(n_in, n_out)).astype(dtype)


def he_normal(rng: np.random.Generator, n_in: int, n_out: int, dtype: DTypeLike) -> NDArray[Any]:
    """W ~ N(0, 2 / n_in) (He et al., 2015): keeps the variance of ReLU layers steady."""
    return (rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in)).astype(dtype)


def normal(rng: np.random.Generator, n_in: int, n_out: int, dtype: DTypeLike) -> NDArray[Any]:
    """W ~ N(0, 0.05^2), small random weights as in the early textbooks."""
    return (rng.standard_normal((n_in, n_out)) * 0.05).astype(dtype)


def uniform(rng: np.random.Generator, n_in: int, n_out: int, dtype: DTypeLike) -> NDArray[Any]:
    """W ~ U(-0.05, 0.05)."""
    return rng.uniform(-0.05, 0.05, size=(n_in, n_out)).astype(dtype)


def zeros(rng: np.random.Generator, n_in: int, n_out: int, dtype: DTypeLike) -> NDArray[Any]:
    """W = 0: every neuron of a layer stays identical, useful only to show why not to."""
    return np.zeros((n_in, n_out), dtype=dtype)


INITIALIZERS: dict[str, Initializer] = {
    f.__name__: f for f in (glorot_uniform, he_normal, normal, uniform, zeros)
}


def get_initializer(identifier: str | Initializer) -> Initializer:
    """Return an initialiser from its name or a callable (rng, n_in, n_out, dtype) -> W.

    Example:
        >>> get_initializer("he_normal").__name__
        'he_normal'
    """
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in INITIALIZERS:
        return INITIALIZERS[identifier]
    raise ValueError(f"unknown initializer {identifier!r}; expected one of {sorted(INITIALIZERS)}")


def default_initializer(activation_name: str) -> str:
    """he_normal for the ReLU family, glorot_uniform for everything else.

    Example:
        >>> default_initializer("relu")
        'he_normal'
    """
    return "he_normal" if activation_name in ("relu", "leaky_relu") else "glorot_uniform"
