"""The trace's notation: the names of a layer's quantities, and the same formulas in LaTeX.

The trace writes its formulas in plain text (``dE/da * da/dz``, ``x @ W[1] + b[1]``) so
that they read the same in a terminal, a test and a docstring. This module names the
quantities of layer l (``W[2]``; a network of one layer drops the ``[1]``) and turns the
plain formulas and numbers into LaTeX for the Markdown worksheet.

Example:
    >>> latex_formula("new W[1]")
    '\\\\text{new }{W^{[1]}}'
    >>> layer_tag(2)("delta", 1)
    'delta[1]'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, SupportsFloat

import numpy as np
from numpy.typing import ArrayLike

__all__ = [
    "layer_tag",
    "latex_number",
    "latex_formula",
    "latex_with_numbers",
    "substitute",
    "PLACEHOLDER",
]

# A number's place in a formula while it is turned into LaTeX: the marker holds no letters,
# so latex_formula passes it through untouched, and latex_with_numbers puts the number in.
PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDERS = re.compile("\x00(\\d+)\x00")


def layer_tag(depth: int) -> Callable[[str, int], str]:
    """The namer of a network of ``depth`` Dense layers: ``tag(symbol, index)`` is the
    name of layer ``index``'s quantity, ``W[2]``, or plain ``W`` when there is one layer.

    Example:
        >>> tag = layer_tag(1)
        >>> tag("W", 1), layer_tag(3)("dE/dW", 3)
        ('W', 'dE/dW[3]')
    """

    def tag(symbol: str, index: int) -> str:
        return symbol if depth == 1 else f"{symbol}[{index}]"

    return tag


def substitute(formula: str, values: dict[str, Any], fmt: Callable[[Any], str] = str) -> str:
    """``formula`` with each whole-word symbol of ``values`` replaced by ``fmt(value)``.

    Example:
        >>> substitute("a * (1 - a)", {"a": 0.25})
        '0.25 * (1 - 0.25)'
        >>> substitute("1 / (1 + exp(-z))", {"z": -0.5})
        '1 / (1 + exp(-(-0.5)))'
        >>> substitute("1 / (1 + exp(-z))", {"z": "z[1]"})
        '1 / (1 + exp(-z[1]))'
    """
    if not values:
        return formula
    symbols = sorted(values, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w\[])(" + "|".join(map(re.escape, symbols)) + r")(?![\w\[])")

    def number(match: re.Match) -> str:
        value = values[match.group(1)]
        text = fmt(value)
        # a negative number put in for a symbol keeps its own sign: exp(-(-0.3)), whatever
        # the formatter makes of it (plain text, LaTeX, HTML)
        negative = (
            not isinstance(value, str) and np.size(value) == 1 and float(np.ravel(value)[0]) < 0
        )
        return f"({text})" if negative or text.startswith("-") else text

    return pattern.sub(number, formula)


def _latex_scalar(value: SupportsFloat, digits: int | None) -> str:
    x = float(value)
    if not np.isfinite(x):
        return r"\text{NaN}" if np.isnan(x) else ("-" if x < 0 else "") + r"\infty"
    text = repr(x) if digits is None else f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def _kept(count: int, limit: int) -> list[int | None]:
    """The indices shown of ``count`` rows (or columns): all, or both ends with None between."""
    if count <= limit:
        return list(range(count))
    half = limit // 2
    return [*range(half), None, *range(count - half, count)]


def latex_number(
    value: ArrayLike, digits: int | None = None, max_rows: int = 6, max_columns: int = 6
) -> str:
    """A scalar as a LaTeX number, an array as a ``bmatrix`` (large ones with dots elided).

    Example:
        >>> latex_number([[0.3, 0.5]])
        '\\\\begin{bmatrix}0.3 & 0.5\\\\end{bmatrix}'
        >>> latex_number(1.5e-05)
        '1.5 \\\\times 10^{-5}'
    """
    array = np.asarray(value, dtype=float)
    if array.size == 1:
        return _latex_scalar(array.reshape(()), digits)
    matrix = array.reshape(1, -1) if array.ndim <= 1 else array.reshape(array.shape[0], -1)
    rows, columns = matrix.shape
    lines = []
    for i in _kept(rows, max_rows):
        cells = []
        for j in _kept(columns, max_columns):
            if i is None:
                cells.append(r"\vdots" if j is not None else r"\ddots")
            else:
                cells.append(r"\cdots" if j is None else _latex_scalar(matrix[i, j], digits))
        lines.append(" & ".join(cells))
    return r"\begin{bmatrix}" + r" \\ ".join(lines) + r"\end{bmatrix}"


_TOKENS = re.compile(
    r"""
    (?P<sum_samples>sum\ over\ samples\ of)
    |(?P<new>new\ )
    |(?P<partial>d(?P<num>[A-Za-z](?:_[a-z])?)/d(?P<den>[A-Za-z](?:_[a-z])?)(?P<den_index>\d*)
        (?:\[(?P<den_layer>\d+)\])?)
    |(?P<delta>delta)(?:\[(?P<delta_layer>\d+)\])?
    |(?P<rate>learning_rate)
    |(?P<l2>l2\b)
    |(?P<function>exp|log|tanh|max)\b
    |(?P<sum>sum)(?:_(?P<sum_index>[a-z]))?
    |(?P<greek>theta)\b
    |(?P<indexed>[A-Za-z])_(?P<indexed_sub>[a-z]+)\b
    |(?P<word>[A-Za-z][A-Za-z_]+(?:\ [A-Za-z][A-Za-z_]+)*)
    |(?P<symbol>[A-Za-z])(?P<index>\d+|_[a-z]+)?(?:\[(?P<layer>\d+)\])?
    |(?P<transpose>\^T)
    |(?P<matmul>\s*@\s*)
    |(?P<times>\s*\*\s*)
    |(?P<other>.)
    """,
    re.VERBOSE,
)

# Tokens written the same way every time they occur.
_FIXED = {
    "sum_samples": r"\sum_{\text{samples}}",
    "new": r"\text{new }",
    "rate": r"\eta",
    "l2": r"\lambda",
    "greek": r"\theta",
    "transpose": r"^\top",
    "matmul": r" \, ",
}


def _symbol(letter: str, index: str | None, layer: str | None) -> str:
    text = letter
    if index:
        text += "_{" + index.lstrip("_") + "}"
    if layer:
        text += "^{[" + layer + "]}"
    return "{" + text + "}"


def _named_token(groups: dict[str, str | None]) -> str | None:
    """A partial derivative, delta, indexed symbol, symbol or sum in LaTeX (None if the
    token is none of these)."""
    num, den = groups["num"], groups["den"]  # matched whenever "partial" is
    if groups["partial"] is not None and num is not None and den is not None:
        layer = groups["den_layer"]
        numerator = "E" if num == "E" else _symbol(num, None, layer)
        denominator = _symbol(den, groups["den_index"], layer)
        return rf"\frac{{\partial {numerator}}}{{\partial {denominator}}}"
    if groups["delta"] is not None:
        layer = groups["delta_layer"]
        return r"{\delta" + ("^{[" + layer + "]}" if layer else "") + "}"
    if groups["indexed"] is not None:
        return _symbol(groups["indexed"], groups["indexed_sub"], None)
    if groups["symbol"] is not None:
        return _symbol(groups["symbol"], groups["index"], groups["layer"])
    if groups["sum"] is not None:
        index = groups["sum_index"]
        return r"\sum" + ("_{" + index + "}" if index else "")
    return None


def _token(match: re.Match, elementwise: bool) -> str:
    named = _named_token(match.groupdict())
    if named is not None:
        return named
    kind = match.lastgroup
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "function":
        return "\\" + match.group()
    if kind == "word":
        return r"\text{ " + match.group().replace("_", r"\_") + " }"
    if kind == "times":
        return r" \odot " if elementwise else r" \cdot "
    return match.group()


def latex_formula(formula: str, elementwise: bool = False) -> str:
    """A formula in the trace's plain notation, written in LaTeX.

    With ``elementwise``, ``*`` is the entry-by-entry product of matrices (odot).

    Example:
        >>> latex_formula("dE/da * da/dz * dz/dw1")
        '\\\\frac{\\\\partial E}{\\\\partial {a}} \\\\cdot \\\\frac{\\\\partial {a}}{\\\\partial {z}} \\\\cdot \\\\frac{\\\\partial {z}}{\\\\partial {w_{1}}}'
    """  # noqa: E501
    return "".join(_token(match, elementwise) for match in _TOKENS.finditer(formula))


def _operand(number: str) -> str:
    """A negative number inside a product or difference is written in parentheses."""
    return f"({number})" if number.startswith("-") else number


def latex_with_numbers(
    skeleton: str,
    numbers: Sequence[ArrayLike],
    digits: int | None = None,
    elementwise: bool = False,
) -> str:
    """A formula whose numbers stand as ``PLACEHOLDER``s, in LaTeX with the numbers put in.

    ``numbers[i]`` replaces ``PLACEHOLDER.format(i)``; a negative one is put in
    parentheses, as it is written by hand.

    Example:
        >>> skeleton = f"{PLACEHOLDER.format(0)} * {PLACEHOLDER.format(1)}"
        >>> latex_with_numbers(skeleton, [-0.5, 0.25])
        '(-0.5) \\\\cdot 0.25'
    """
    return _PLACEHOLDERS.sub(
        lambda match: _operand(latex_number(numbers[int(match.group(1))], digits)),
        latex_formula(skeleton, elementwise),
    )
