"""The one validator of settings: numbers in a range, whole numbers, choices and flags.

Every room checks what comes in through these: the optimizers and layers (Python values),
the command line (after parsing the option's text with ``parse_number``), the playground
(JSON values) and the scikit-learn estimators. Each raises a one-line ``ValueError`` that
names the setting, the range it takes and the value it got; the rooms above turn it into
their own kind of error (a usage error, a 400 reply).

Example:
    >>> check_number("learning rate", 0.5, low=0, low_open=True)
    0.5
    >>> check_number("learning rate", -1, low=0, low_open=True)
    Traceback (most recent call last):
    ValueError: learning rate must be a number in (0, inf), got -1
"""

from __future__ import annotations

import contextlib
import math
import numbers
from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "check_choice",
    "check_flag",
    "check_integer",
    "check_matrix",
    "check_number",
    "parse_number",
]


def _interval(low: float, high: float, low_open: bool, high_open: bool) -> str:
    def end(value: float) -> str:
        if value == math.inf:
            return "inf"
        if value == -math.inf:
            return "-inf"
        if float(value).is_integer() and abs(value) < 2**53:
            return str(int(value))  # whole bounds exactly: [0, 4294967295], not 4.29497e+09
        return f"{value:g}"

    return f"{'(' if low_open else '['}{end(low)}, {end(high)}{')' if high_open else ']'}"


def check_number(
    name: str,
    value: object,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a float when it is a finite real number in the interval, else ValueError.

    An infinite bound is always open. Booleans are not numbers here; NumPy's are.

    Example:
        >>> check_number("dropout rate", 0.2, 0, 1, high_open=True)
        0.2
        >>> check_number("alpha", float("nan"), 0)
        Traceback (most recent call last):
        ValueError: alpha must be a number in [0, inf), got nan
    """
    low_open = low_open or low == -math.inf
    high_open = high_open or high == math.inf
    number = math.nan  # stays NaN, refused below, for anything but a real number
    if isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_):
        with contextlib.suppress(OverflowError):  # an int too large for a float
            number = float(value)
    ok = math.isfinite(number)
    ok = ok and (number > low if low_open else number >= low)
    ok = ok and (number < high if high_open else number <= high)
    if not ok:
        interval = _interval(low, high, low_open, high_open)
        raise ValueError(f"{name} must be a number in {interval}, got {_shown(value)}")
    return number


def check_integer(name: str, value: object, low: int = 0, high: float = math.inf) -> int:
    """``value`` as an int when it is a whole number (Python's or NumPy's) in [low, high].

    Example:
        >>> check_integer("epochs", np.int64(3), low=0)
        3
        >>> check_integer("batch size", 2.5, low=1)
        Traceback (most recent call last):
        ValueError: batch size must be a whole number in [1, inf), got 2.5
    """
    if (
        isinstance(value, numbers.Integral)
        and not isinstance(value, bool | np.bool_)
        and low <= int(value) <= high
    ):
        return int(value)
    interval = _interval(low, high, False, high == math.inf)
    raise ValueError(f"{name} must be a whole number in {interval}, got {_shown(value)}")


def check_choice(name: str, value: object, choices: Iterable[str]) -> str:
    """``value`` when it is one of ``choices``, else ValueError listing them.

    Example:
        >>> check_choice("mode", "online", ("online", "batch"))
        'online'
        >>> check_choice("mode", "both", ("online", "batch"))
        Traceback (most recent call last):
        ValueError: mode must be one of 'online', 'batch', got 'both'
    """
    choices = tuple(choices)
    if not isinstance(value, str) or value not in choices:
        listed = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {listed}, got {_shown(value)}")
    return value


def check_flag(name: str, value: object) -> bool:
    """``value`` when it is True or False (Python's or NumPy's), else ValueError.

    Example:
        >>> check_flag("shuffle", "yes")
        Traceback (most recent call last):
        ValueError: shuffle must be True or False, got 'yes'
    """
    if not isinstance(value, bool | np.bool_):
        raise ValueError(f"{name} must be True or False, got {_shown(value)}")
    return bool(value)


def check_matrix(name: str, value: ArrayLike, shape: tuple[int, ...]) -> NDArray[np.float64]:
    """``value`` as a float64 array of ``shape`` (a flat list of as many entries is
    reshaped), every entry finite, else ValueError: a layer's given weights, bias, mean.

    Example:
        >>> check_matrix("weights", [1.0, 2.0], (2, 1)).tolist()
        [[1.0], [2.0]]
        >>> check_matrix("bias", [1.0, 2.0], (3,))
        Traceback (most recent call last):
        ValueError: bias must have shape (3,), got (2,)
    """
    array = np.array(value, dtype=np.float64)
    if array.size == int(np.prod(shape)) and array.ndim <= len(shape):
        array = array.reshape(shape)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {np.shape(value)}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers, got {_shown(value)}")
    return array


def parse_number(name: str, text: str) -> float:
    """A number written as text (an option, a form field), finite, else ValueError.

    Example:
        >>> parse_number("--learning-rate", "1e-3")
        0.001
        >>> parse_number("--learning-rate", "fast")
        Traceback (most recent call last):
        ValueError: --learning-rate expected a number, got 'fast'
    """
    try:
        value = float(text)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{name} expected a number, got {_shown(text)}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} expected a finite number, got {_shown(text)}")
    return value


def _shown(value: object, limit: int = 60) -> str:
    """The value as it is reported: its repr, cut short (a 5,000-digit number stays one line)."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's digit limit for str()
        return f"<an integer of more than {limit} digits>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
