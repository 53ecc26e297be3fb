"""What the commands print: JSON for programs, aligned tables of metric values for people.

Example:
    >>> print(metrics_table({"training": {"loss": 0.25, "accuracy": 1.0}}))
              loss  accuracy
    training  0.25         1
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np

from glassnet.text import table

__all__ = ["finite_values", "metrics_table", "print_json"]


def print_json(value: Any) -> None:
    """Print ``value`` as strict JSON (NumPy numbers and arrays as plain ones; no NaN).

    Example:
        >>> print_json({"rows": np.int64(4), "weights": np.array([0.5, -1.0])})
        {
          "rows": 4,
          "weights": [
            0.5,
            -1.0
          ]
        }
    """
    print(json.dumps(value, indent=2, allow_nan=False, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def finite_values(metrics: dict[str, float]) -> dict[str, float | None]:
    """The metric values with None for NaN or infinity, which JSON cannot hold.

    Example:
        >>> finite_values({"loss": float("nan"), "accuracy": 0.5})
        {'loss': None, 'accuracy': 0.5}
    """
    return {name: (value if math.isfinite(value) else None) for name, value in metrics.items()}


def metrics_table(rows: dict[str, dict[str, float | None]]) -> str:
    """Named rows of metric values as an aligned text table; None (or absent) shows as nan.

    Example:
        >>> print(metrics_table({"training": {"loss": 0.5}, "validation": {"loss": None}}))
                    loss
        training     0.5
        validation   nan
    """
    names = list(dict.fromkeys(name for metrics in rows.values() for name in metrics))
    cells = [["", *names]]
    for label, metrics in rows.items():
        values = [metrics.get(name) for name in names]
        cells.append([label, *(f"{math.nan if v is None else v:.6g}" for v in values)])
    return table(cells, align="lr")
