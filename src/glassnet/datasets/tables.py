"""The tutorials' tables: the logic gates, tutorial 001's seven records, and tutorial 002's
starting weights.

Example:
    >>> X, y = logic_gate("XOR")
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0.0, 1.0, 1.0, 0.0])
"""

from __future__ import annotations

import numpy as np

__all__ = ["GATES", "logic_gate", "seven_records", "tutorial_002_weights"]

_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)

GATES: dict[str, list[int]] = {
    "AND": [0, 0, 0, 1],
    "OR": [0, 1, 1, 1],
    "NAND": [1, 1, 1, 0],
    "NOR": [1, 0, 0, 0],
    "XOR": [0, 1, 1, 0],
}


def logic_gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input gate: AND, OR, NAND, NOR or XOR.

    Example:
        >>> logic_gate("and")[1].tolist()
        [0.0, 0.0, 0.0, 1.0]
    """
    key = name.upper()
    if key not in GATES:
        raise ValueError(f"unknown gate {name!r}; expected one of {', '.join(GATES)}")
    return _INPUTS.copy(), np.array(GATES[key], dtype=np.float64)


def seven_records() -> tuple[np.ndarray, np.ndarray]:
    """Tutorial 001's table: three binary features per person and a binary target.

    Example:
        >>> X, y = seven_records(); X.shape, y.tolist()
        ((7, 3), [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    """
    X = np.array(
        [[0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 1, 0], [1, 1, 1], [0, 1, 1], [0, 1, 0]],
        dtype=np.float64,
    )
    return X, np.array([1, 0, 0, 1, 1, 0, 1], dtype=np.float64)


def tutorial_002_weights(seed: int = 42) -> np.ndarray:
    """Tutorial 002's starting weights: NumPy's legacy ``RandomState(seed).randn(2)``.

    The tutorial seeds the global generator with 42 and draws two normal numbers; they are
    drawn here from a private legacy generator, which gives the same two numbers without
    touching ``np.random``. Every place that starts the tutorial's perceptron takes them
    from here.

    Example:
        >>> tutorial_002_weights().round(8).tolist()
        [0.49671415, -0.1382643]
    """
    return np.random.RandomState(seed).randn(2)
