"""The pictures the page paints, as small payloads: maps over the grid, scaled to bytes.

A map is one value per grid point scaled to [0, 1] and sent as base64 bytes 0..255 (a
40 x 40 map travels in about 2 kB), with the ``low`` and ``high`` its ends stand for, so
the page can write its scale. The class regions send each grid point's class and the
confidence of it.

Example:
    >>> import numpy as np
    >>> value_map(np.array([1.0, 2.0, 3.0]))["low"]
    1.0
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

__all__ = ["ACTIVATION_RANGES", "class_map", "encode_bytes", "encode_unit", "unit_map",
           "value_map"]  # fmt: skip

# Bounded activations keep their own scale on the maps, so a saturated neuron looks
# saturated; the others are stretched from their lowest to their highest value.
ACTIVATION_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0)}


def encode_bytes(values: np.ndarray) -> str:
    """Small non-negative integers (below 256) as base64 bytes.

    Example:
        >>> encode_bytes(np.array([0, 1, 255]))
        'AAH/'
    """
    return base64.b64encode(values.astype(np.uint8).tobytes()).decode()


def encode_unit(unit: np.ndarray) -> str:
    """Values in [0, 1] as base64 bytes 0..255 (NaN as 0, values outside clipped).

    Example:
        >>> encode_unit(np.array([0.0, 0.5, 1.0, np.nan]))
        'AID/AA=='
    """
    scaled = np.nan_to_num(np.round(unit * 255), nan=0.0, posinf=255.0, neginf=0.0)
    return encode_bytes(np.clip(scaled, 0, 255))


def class_map(output: np.ndarray) -> dict[str, Any]:
    """Each grid point's predicted class and its confidence scaled to [0, 1], from the
    network's output (one probability column, or one column per class).

    Example:
        >>> regions = class_map(np.array([[0.9], [0.2]]))
        >>> base64.b64decode(regions["label"]).hex()
        '0100'
    """
    if output.shape[1] == 1:
        probability = output[:, 0]
        label, confidence = (probability > 0.5).astype(int), np.abs(probability - 0.5) * 2
    else:
        k = output.shape[1]
        label = np.argmax(output, axis=1)
        confidence = (output.max(axis=1) - 1 / k) / (1 - 1 / k)
    return {"label": encode_bytes(label), "confidence": encode_unit(confidence)}


def value_map(values: np.ndarray) -> dict[str, Any]:
    """Values over the grid, stretched from their lowest to their highest.

    Example:
        >>> sorted(value_map(np.array([0.0, 4.0])))
        ['high', 'low', 'value']
    """
    values = np.nan_to_num(values, nan=0.0, posinf=1e300, neginf=-1e300)
    low, high = float(values.min()), float(values.max())
    spread = high - low if high - low > 1e-12 else 1.0
    return {"value": encode_unit((values - low) / spread), "low": low, "high": high}


def unit_map(values: np.ndarray, activation: str = "") -> dict[str, Any]:
    """One neuron's values over the grid as a map, on its activation's own scale when it has
    one (``ACTIVATION_RANGES``), else stretched to its range.

    Example:
        >>> unit_map(np.array([-0.5, 0.5]), "tanh")["low"], unit_map(np.array([2.0, 3.0]))["low"]
        (-1.0, 2.0)
    """
    values = np.nan_to_num(values, nan=0.0, posinf=1e300, neginf=-1e300)
    low, high = ACTIVATION_RANGES.get(activation, (float(values.min()), float(values.max())))
    spread = high - low if high - low > 1e-12 else 1.0
    return {"map": encode_unit((values - low) / spread), "low": low, "high": high}
