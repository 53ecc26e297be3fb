"""Metrics by name: accuracy for classes; mse, mae and r2 for numbers.

Each metric takes the true targets and the predictions (labels for accuracy, values for
the others) and returns one float.

Example:
    >>> accuracy([0, 1, 1], [0, 1, 0])
    0.6666666666666666
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["accuracy", "mse", "mae", "r2", "METRICS", "get_metric"]


def accuracy(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Share of predictions equal to the true label: 1/n * sum 1[y_pred = y].

    Example:
        >>> accuracy(["a", "b"], ["a", "a"])
        0.5
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    hits = (y_true if y_true.shape == y_pred.shape else y_true.reshape(y_pred.shape)) == y_pred
    return float(np.count_nonzero(hits) / hits.size)  # np.mean of the hits, in a third of the time


def mse(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean squared error: 1/N * sum (y - y_pred)^2.

    Example:
        >>> mse([1.0, 2.0], [1.0, 4.0])
        2.0
    """
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return float(np.mean((y_true.reshape(y_pred.shape) - y_pred) ** 2))


def mae(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Mean absolute error: 1/N * sum |y - y_pred|.

    Example:
        >>> mae([1.0, 2.0], [1.0, 4.0])
        1.0
    """
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    return float(np.mean(np.abs(y_true.reshape(y_pred.shape) - y_pred)))


def r2(y_true: ArrayLike, y_pred: ArrayLike) -> float:
    """Coefficient of determination 1 - SS_res / SS_tot, averaged over outputs.

    Example:
        >>> r2([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
        1.0
    """
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    y_true = y_true.reshape(y_pred.shape)
    if y_true.ndim == 1:
        y_true, y_pred = y_true[:, None], y_pred[:, None]
    residual = np.sum((y_true - y_pred) ** 2, axis=0)
    total = np.sum((y_true - y_true.mean(axis=0)) ** 2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        scores = np.where(total > 0, 1 - residual / np.where(total > 0, total, 1), 0.0)
    return float(np.mean(scores))


METRICS: dict[str, Callable[..., float]] = {f.__name__: f for f in (accuracy, mse, mae, r2)}


def get_metric(identifier: str | Callable[..., float]) -> Callable[..., float]:
    """Return a metric from its name or a callable (y_true, y_pred) -> float.

    Example:
        >>> get_metric("mae").__name__
        'mae'
    """
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in METRICS:
        return METRICS[identifier]
    raise ValueError(f"unknown metric {identifier!r}; expected one of {sorted(METRICS)}")
