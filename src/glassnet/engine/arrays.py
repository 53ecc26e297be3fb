"""Arrays in and out of the engine: inputs checked into shape, the one random generator,
the finite test, and the one hold-out split.

Example:
    >>> rng = seeded_generator(0)
    >>> kept, held = holdout_split(10, 0.2, rng)
    >>> len(kept), len(held)
    (8, 2)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = ["as_features", "all_finite", "holdout_split", "seeded_generator"]


def as_features(
    X, n_features: int | None, dtype=np.float64, what: str = "X", owner: str = "the network"
) -> np.ndarray:
    """X as a 2-D array of ``dtype`` with ``n_features`` columns, or a clear error.

    Example:
        >>> as_features([0.3, 0.5], 2).shape
        (1, 2)
    """
    try:
        array = np.asarray(X, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what} must be numbers in rows of equal length ({error})") from None
    if array.ndim == 1 and n_features is not None and array.shape[0] == n_features:
        array = array.reshape(1, -1)
    if array.ndim != 2:
        expected = f"(n_samples, {n_features})" if n_features else "(n_samples, n_features)"
        raise ValueError(f"{what} must have shape {expected}, got shape {array.shape}")
    if n_features is not None and array.shape[1] != n_features:
        raise ValueError(
            f"{what} has {array.shape[1]} columns but {owner} expects {n_features} "
            f"inputs: shape (n_samples, {n_features})"
        )
    if array.shape[0] == 0:
        raise ValueError(f"{what} has no rows")
    if not all_finite([array]):
        row, column = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(f"{what} has a NaN or infinite value at row {row}, column {column}")
    return np.ascontiguousarray(array)


def all_finite(arrays: Sequence[np.ndarray]) -> bool:
    """True when no array holds a NaN or an infinity.

    Example:
        >>> all_finite([np.array([1.0, 2.0]), np.array([np.inf])])
        False

    A sum is NaN or infinite when one of its terms is; finite terms overflow a sum only
    when they are huge, and then the element-wise test decides. One pass over the data
    and no temporary array the size of the data (60,000 x 784 floats: 7 ms).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        sums_finite = all(math.isfinite(np.add.reduce(a, axis=None)) for a in arrays)
    return sums_finite or all(np.isfinite(a).all() for a in arrays)


def seeded_generator(seed: int | None) -> np.random.Generator:
    """The one random generator of a model: ``numpy.random.default_rng(seed)``, never the
    global ``np.random``; None draws fresh entropy.

    Example:
        >>> seeded_generator(42).integers(10)
        np.int64(0)
    """
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0
    ):
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    return np.random.default_rng(seed)


def holdout_split(n: int, share: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(kept, held): row indices, ``round(n * share)`` rows held out, drawn with ``rng``.

    The one split of training rows into those trained on and those held out for
    validation, used by ``Network.fit``, the command line and the playground alike.
    Raises ValueError when the share is not in (0, 1) or leaves one side empty.

    Example:
        >>> kept, held = holdout_split(4, 0.25, seeded_generator(1))
        >>> sorted([*kept.tolist(), *held.tolist()]), len(held)
        ([0, 1, 2, 3], 1)
    """
    if not 0 < share < 1:
        raise ValueError(f"validation share must be in (0, 1), got {share!r}")
    n_held = int(round(n * share))
    if n_held < 1 or n_held >= n:
        raise ValueError(f"a validation share of {share:g} of {n} rows leaves no rows on one side")
    order = rng.permutation(n)
    return order[n_held:], order[:n_held]
