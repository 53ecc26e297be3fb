"""The option types of the command line: text in, a checked value out.

Each is an argparse ``type``: it parses the option's text and checks the value with
``glassnet.engine.validation``, the one validator of settings, turning its ValueError into
``argparse.ArgumentTypeError``. argparse puts the option's name in front, so the message
reads "argument --epochs: must be a whole number in [1, inf), got 0".

Example:
    >>> positive_number("0.01"), count("200"), hidden_sizes("16,8")
    (0.01, 200, (16, 8))
    >>> positive_number("-1")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a number in (0, inf), got -1.0
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable
from typing import TypeVar

from glassnet.datasets.csvfile import check_delimiter
from glassnet.engine.validation import check_integer, check_number, parse_number

__all__ = [
    "check_value",
    "column_pair",
    "count",
    "delimiter",
    "fraction",
    "hidden_sizes",
    "non_negative_count",
    "numbers",
    "port",
    "positive_number",
    "significant_digits",
]

Value = TypeVar("Value")


def _checked(check: Callable[[], Value]) -> Value:
    """``check()``, its ValueError raised again as the ArgumentTypeError argparse reports.

    The validators name the setting first; argparse names the option, so the name given
    to them is empty and the message starts at "must be" or "expected".
    """
    try:
        return check()
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).strip()) from None


def _number(text: str) -> float:
    return _checked(lambda: parse_number("", text))


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def positive_number(text: str) -> float:
    """An option value that must be a finite number above zero.

    Example:
        >>> positive_number("0.01")
        0.01
    """
    value = _number(text)
    return _checked(lambda: check_number("", value, low=0, low_open=True))


def fraction(text: str) -> float:
    """An option value in [0, 1), such as a validation split or a dropout rate.

    Example:
        >>> fraction("0.2")
        0.2
        >>> fraction("1")
        Traceback (most recent call last):
        argparse.ArgumentTypeError: must be a number in [0, 1), got 1.0
    """
    value = _number(text)
    return _checked(lambda: check_number("", value, 0, 1, high_open=True))


def count(text: str, low: int = 1) -> int:
    """An option value that must be a whole number of at least ``low``.

    Example:
        >>> count("200")
        200
        >>> count("0")
        Traceback (most recent call last):
        argparse.ArgumentTypeError: must be a whole number in [1, inf), got 0
    """
    value = _whole_number(text)
    return _checked(lambda: check_integer("", value, low=low))


def significant_digits(text: str) -> int:
    """``--digits``: significant digits to show, 1 to 17 (a float64 has at most 17).

    Example:
        >>> significant_digits("4")
        4
        >>> significant_digits("1000000000000000000000")
        Traceback (most recent call last):
        argparse.ArgumentTypeError: must be a whole number in [1, 17], got 1000000000000000000000
    """
    value = _whole_number(text)
    return _checked(lambda: check_integer("", value, low=1, high=17))


def non_negative_count(text: str) -> int:
    """A whole number of at least 0: a seed, a patience.

    Example:
        >>> non_negative_count("0")
        0
    """
    return count(text, low=0)


def port(text: str) -> int:
    """``--port``: a TCP port, 0 (any free one) to 65535.

    Example:
        >>> port("8000")
        8000
        >>> port("99999")
        Traceback (most recent call last):
        argparse.ArgumentTypeError: must be a whole number in [0, 65535], got 99999
    """
    value = _whole_number(text)
    return _checked(lambda: check_integer("", value, low=0, high=65535))


def hidden_sizes(text: str) -> tuple[int, ...]:
    """``--hidden``: neurons per hidden layer, comma-separated; "0" or "" for none.

    Example:
        >>> hidden_sizes("16,8")
        (16, 8)
        >>> hidden_sizes("8,0")
        Traceback (most recent call last):
        argparse.ArgumentTypeError: neurons per layer must be a whole number in [1, inf), got 0
    """
    if text.strip() in ("", "0", "none"):
        return ()
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected neurons per layer such as 16,8, got {text!r}"
        ) from None
    for size in sizes:
        _checked(functools.partial(check_integer, "neurons per layer", size, low=1))
    return sizes


def check_value(text: str) -> tuple[str, float]:
    """``--check name=value``: a hand-worked value to compare with the trace.

    Example:
        >>> check_value("dE/dw1=-0.0353")
        ('dE/dw1', -0.0353)
    """
    name, equals, value = text.rpartition("=")
    if not equals or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE such as a=0.53, got {text!r}")
    return name.strip(), _number(value)


def column_pair(text: str) -> tuple[int, int]:
    """``--features I,J``: the two columns a picture draws, counting from 0.

    Example:
        >>> column_pair("0,2")
        (0, 2)
    """
    try:
        first, second = (int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected two column numbers such as 0,2, got {text!r}"
        ) from None
    return first, second


def numbers(text: str) -> list[float]:
    """``--x X1,X2,...``: finite numbers separated by commas, such as one sample's features.

    Example:
        >>> numbers("0.3,0.5")
        [0.3, 0.5]
    """
    try:
        return [parse_number("", part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected numbers separated by commas such as 0.3,0.5, got {text!r}"
        ) from None


def delimiter(text: str) -> str:
    """``--delimiter``: the one character between a CSV file's cells; ``tab`` (or ``\\t``)
    for a tab.

    Example:
        >>> delimiter(";"), delimiter("tab")
        (';', '\\t')
        >>> delimiter("--")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        argparse.ArgumentTypeError: must be one character that cannot be part of a number ...
    """
    value = {"tab": "\t", "\\t": "\t"}.get(text.lower(), text)
    try:
        return check_delimiter(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("delimiter ")) from None
