"""The metadata a model file keeps: free JSON, but the fields glassnet reads back checked.

``save`` checks what ``read`` will check, with the same function, so that no file is
written that cannot be loaded again. The fields glassnet reads: ``features`` (the column
names, one per input), ``target`` (a column name), ``training`` (an object of settings),
``figures`` (final metric values: numbers, or null where one was not finite; the key
keeps its first name for the files already written), ``diagnostics`` (sentences).

Example:
    >>> check_metadata({"features": ["a"]}, n_inputs=2)
    Traceback (most recent call last):
    ValueError: 'features' names 1 columns but the model takes 2 inputs
"""

from __future__ import annotations

import json
import math
from collections import Counter
from typing import Any

import numpy as np

__all__ = ["MAX_DEPTH", "check_metadata", "plain"]

MAX_DEPTH = 64  # nesting of metadata: settings and values, never a deep tree


def _shown(value: Any) -> str:
    try:
        return json.dumps(value)[:80]
    except (TypeError, ValueError, RecursionError):
        return type(value).__name__


def check_metadata(metadata: dict[str, Any], n_inputs: int) -> dict[str, Any]:
    """``metadata`` when its glassnet fields are well formed, else a one-line ValueError.

    Example:
        >>> check_metadata({"figures": {"training": {"loss": 0.1}}}, n_inputs=3)
        {'figures': {'training': {'loss': 0.1}}}
    """
    if not isinstance(metadata, dict):
        raise ValueError(f"metadata must be an object, got {_shown(metadata)}")
    _check_features(metadata.get("features"), n_inputs)
    target = metadata.get("target")
    if target is not None and not isinstance(target, str):
        raise ValueError(f"'target' must be a column name or null, got {_shown(target)}")
    if target is not None and target in (metadata.get("features") or []):
        raise ValueError(f"'features' names the target {target!r} too: a column is a feature "
                         "or the target, not both")  # fmt: skip
    for key, kind, what in (("training", dict, "an object"), ("figures", dict, "an object"),
                            ("diagnostics", list, "a list")):  # fmt: skip
        if metadata.get(key) is not None and not isinstance(metadata[key], kind):
            raise ValueError(f"{key!r} must be {what}, got {_shown(metadata[key])}")
    if not all(isinstance(note, str) for note in metadata.get("diagnostics") or []):
        raise ValueError("'diagnostics' must be a list of sentences")
    for name, value in (metadata.get("figures") or {}).items():
        values = value if isinstance(value, dict) else {name: value}
        if not all(_is_metric_value(number) for number in values.values()):
            raise ValueError(f"figures {name!r} must be finite numbers (or null), got "
                             f"{_shown(value)}")  # fmt: skip
    return metadata


def _check_features(features: Any, n_inputs: int) -> None:
    if features is None:
        return
    if not isinstance(features, list) or not all(isinstance(n, str) for n in features):
        raise ValueError(f"'features' must be a list of column names, got {_shown(features)}")
    if len(features) != n_inputs:
        raise ValueError(
            f"'features' names {len(features)} columns but the model takes {n_inputs} inputs"
        )
    repeated = sorted(name for name, count in Counter(features).items() if count > 1)
    if repeated:
        raise ValueError(f"'features' names a column twice: {repeated[:10]}")


def _is_metric_value(value: Any) -> bool:
    """A final metric value as model.json keeps it: a finite number, or null."""
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an integer beyond any float
        return False


def plain(value: Any, depth: int = 0) -> Any:
    """``value`` as plain JSON: NumPy numbers become Python ones, NaN and infinities None.

    Example:
        >>> plain({"loss": np.float64(0.5), "best": float("nan"), "sizes": (4, 1)})
        {'loss': 0.5, 'best': None, 'sizes': [4, 1]}
    """
    if depth > MAX_DEPTH:
        raise ValueError(f"metadata nests deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        return {str(key): plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item, depth + 1) for item in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist(), depth + 1)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"metadata must be plain JSON values, got {type(value).__name__}")
