"""The perceptron's rules as the textbooks state them, and the arithmetic they are worked in.

A ``Rule`` turns the net input z = w . x + b - theta into an output and says how far the
weights move:

- ``rule="rosenblatt"``: the output is step(z) (0/1; step(0) = ``step_at_zero``) or sign(z)
  (-1/1; sign(0) = 0, or 1 with ``step_at_zero=1``); the error is e = t - y, and every row
  moves the weights by alpha * e * x (Negnevitsky's rule: theta is given, not learned).
- ``rule="fausett"``: bipolar targets -1/1; the output is 1 above the band, 0 inside it
  (-band <= z <= band, undecided) and -1 below; the weights move only when the output is
  wrong, by alpha * t * x (Fausett's rule). With ``band=0`` this is scikit-learn's
  Perceptron: a move whenever t z <= 0.

The arithmetic: a book's table is worked in decimals, where 0.3 - 0.1 - 0.2 is 0; in
float64 it is -2.8e-17, and the step at 0 then decides the next row the other way.
``choose_arithmetic`` picks exact rational arithmetic (``fractions.Fraction`` of each
number as written, its shortest repr) for small tables of short decimals, float64 otherwise.

Example:
    >>> rule = Rule("rosenblatt", "step", threshold=0.2, step_at_zero=1)
    >>> rule.outputs(np.array([-0.1, 0.0, 0.1])).tolist()
    [0.0, 1.0, 1.0]
    >>> rule.output_formula()
    'step(z) = 1 if z >= 0 else 0'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from glassnet.text import format_number

__all__ = [
    "ARITHMETICS",
    "MAX_EXACT_DECIMALS",
    "MAX_EXACT_ROWS",
    "RULES",
    "Rule",
    "choose_arithmetic",
    "exact",
    "is_short_decimal",
]

RULES = ("rosenblatt", "fausett")
ARITHMETICS = ("auto", "float64", "exact")
# "auto" works exactly when every number given has at most this many decimals and the
# data has at most this many rows: the books' tables, not real data.
MAX_EXACT_DECIMALS = 6
MAX_EXACT_ROWS = 64

# One number of a run's arithmetic: a float (float64) or an exact Fraction.
Number = float | Fraction


@dataclass(frozen=True)
class Rule:
    """How a perceptron turns z into an output, and how far a row moves the weights.

    ``activation`` is "step" or "sign"; ``sign_threshold`` is the threshold of a ``Sign``
    activation (compared with z after theta is subtracted). Works on float64 arrays and
    on object arrays of ``Fraction`` alike.

    Example:
        >>> rule = Rule("fausett", "sign", band=0.2)
        >>> rule.outputs(np.array([-0.5, 0.2, 0.3])).tolist()
        [-1.0, 0.0, 1.0]
        >>> rule.factors(np.array([1.0, 1.0, 1.0]), np.array([-1.0, 0.0, 1.0])).tolist()
        [1.0, 1.0, 0.0]
    """

    rule: str
    activation: str
    threshold: Number = 0.0
    step_at_zero: int = 0
    band: Number = 0.0
    sign_threshold: Number = 0.0

    @property
    def levels(self) -> tuple[float, float]:
        """The two target values: (0, 1) for the step, (-1, 1) for sign and Fausett's rule.

        Example:
            >>> Rule("rosenblatt", "step").levels
            (0.0, 1.0)
        """
        return (0.0, 1.0) if self.activation == "step" else (-1.0, 1.0)

    @overload
    def outputs(self, z: NDArray[Any]) -> NDArray[np.float64]: ...
    @overload
    def outputs(self, z: Number | np.floating[Any]) -> float: ...

    def outputs(self, z: NDArray[Any] | Number | np.floating[Any]) -> NDArray[np.float64] | float:
        """The output for each net input z: a float64 array for an array (of floats or of
        ``Fraction``), a float for one number.

        Example:
            >>> Rule("rosenblatt", "sign").outputs(np.array([-2.0, 0.0, 3.0])).tolist()
            [-1.0, 0.0, 1.0]
            >>> Rule("rosenblatt", "step", step_at_zero=1).outputs(0.0)
            1.0
        """
        if isinstance(z, np.floating):  # a row of an online epoch: Python's float is faster
            z = float(z)
        # Any: an array or one number, of floats or of Fractions (NumPy's types know no
        # object array of Fractions compared with a Fraction).
        s: Any = z - self.sign_threshold if self.sign_threshold else z
        low, high = self.levels
        # One formula for arrays and single numbers alike (a comparison is 0 or 1).
        if self.rule == "fausett":
            y = high * (s > self.band) + low * (s < -self.band)
        else:
            # step(0) and sign(0) are both step_at_zero: 0 by default, 1 as Negnevitsky's.
            y = high * (s > 0) + low * (s < 0) + float(self.step_at_zero) * (s == 0)
        return np.asarray(y, dtype=np.float64) if isinstance(z, np.ndarray) else float(y)

    @overload
    def factors(self, targets: NDArray[Any], outputs: NDArray[Any]) -> NDArray[Any]: ...
    @overload
    def factors(self, targets: Number, outputs: Number) -> Number: ...

    def factors(
        self, targets: NDArray[Any] | Number, outputs: NDArray[Any] | Number
    ) -> NDArray[Any] | Number:
        """What multiplies alpha * x in each row's move: e = t - y for Rosenblatt's rule;
        t where the output is wrong (else 0) for Fausett's. Arrays or single numbers, in
        the targets' arithmetic.

        Example:
            >>> Rule("rosenblatt", "step").factors(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
            array([ 1., -1.])
            >>> Rule("fausett", "sign").factors(np.array([1.0, 1.0]), np.array([0.0, 1.0]))
            array([1., 0.])
        """
        if self.rule == "fausett":
            return (outputs != targets) * targets
        return targets - outputs

    def output_formula(self) -> str:
        """The output as a formula of z, as the table's header writes it.

        Example:
            >>> Rule("rosenblatt", "sign", step_at_zero=1).output_formula()
            'sign(z) = 1 if z >= 0 else -1'
        """
        if self.rule == "fausett":
            band = format_number(self.band)
            return (f"y = 1 if z > {band}, 0 if -{band} <= z <= {band} (undecided), "
                    f"-1 if z < -{band}")  # fmt: skip
        if self.activation == "step":
            return "step(z) = 1 if z >= 0 else 0" if self.step_at_zero else (
                "step(z) = 1 if z > 0 else 0")  # fmt: skip
        if self.step_at_zero:
            return "sign(z) = 1 if z >= 0 else -1"
        return "sign(z) = 1 if z > 0, 0 if z = 0, -1 if z < 0"

    def update_formula(self, bias: bool, batch: bool) -> str:
        """The weight rule (and the bias rule), written out as the header prints them.

        Example:
            >>> Rule("fausett", "sign").update_formula(bias=True, batch=False)
            'when y != t: w <- w + alpha * t * x, b <- b + alpha * t'
        """
        if self.rule == "fausett":
            if batch:
                text = "w <- w + alpha * sum(t * x over the wrong rows)"
                return text + (", b <- b + alpha * sum(t over the wrong rows)" if bias else "")
            return "when y != t: w <- w + alpha * t * x" + (", b <- b + alpha * t" if bias else "")
        if batch:
            text = "w <- w + alpha * sum(e * x) = w + alpha * X^T e"
            return text + (", b <- b + alpha * sum(e)" if bias else "")
        return "w <- w + alpha * e * x" + (", b <- b + alpha * e" if bias else "")

    def sides(self) -> tuple[str, str]:
        """(what class 1 needs of z, what class 0 needs), the conditions a verdict cites.

        Example:
            >>> Rule("rosenblatt", "step").sides()
            ('z > 0', 'z <= 0')
        """
        if self.rule == "fausett":
            band = format_number(self.band)
            return f"z > {band}", f"z < -{band}"
        if self.step_at_zero:
            return "z >= 0", "z < 0"
        if self.activation == "sign":
            return "z > 0", "z < 0"
        return "z > 0", "z <= 0"

    def exact(self) -> Rule:
        """The same rule with its numbers as exact fractions of their decimals (``exact``),
        so that z = 3/10 meets a band of 0.3 as on paper, not the float nearest to 0.3.

        Example:
            >>> Rule("fausett", "sign", band=0.3).exact().outputs(exact([0.3])).tolist()
            [0.0]
        """
        return replace(self, threshold=exact(self.threshold).item(),
                       band=exact(self.band).item(),
                       sign_threshold=exact(self.sign_threshold).item())  # fmt: skip


def is_short_decimal(value: float, decimals: int = MAX_EXACT_DECIMALS) -> bool:
    """Whether a float is a decimal of at most ``decimals`` places as written (its repr).

    Example:
        >>> is_short_decimal(0.3), is_short_decimal(-0.1382643), is_short_decimal(1e-7)
        (True, False, False)
    """
    exponent = Decimal(repr(float(value))).as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -decimals


def exact(values: ArrayLike | Number) -> NDArray[np.object_]:
    """Numbers as exact fractions of their decimals as written: Fraction(repr(x)), so 0.1 is
    1/10 and not the binary float nearest to it. Returns an object array of Fraction.

    Example:
        >>> exact([0.3, -0.1]).tolist()
        [Fraction(3, 10), Fraction(-1, 10)]
    """
    array = np.asarray(values, dtype=np.float64)
    flat = [Fraction(repr(float(value))) for value in array.reshape(-1)]
    return np.array(flat, dtype=object).reshape(array.shape)


def choose_arithmetic(setting: str, numbers: Sequence[ArrayLike | Number | None], rows: int,
                      penalty: bool) -> str:  # fmt: skip
    """The arithmetic of a run, "exact" or "float64": ``setting`` itself unless "auto", which is
    exact when there is no penalty, at most ``MAX_EXACT_ROWS`` rows, and every number in
    ``numbers`` (arrays or scalars: the data, the weights, the rates and thresholds) is a
    short decimal (``is_short_decimal``).

    Example:
        >>> choose_arithmetic("auto", [[0.0, 1.0], 0.3, -0.1, 0.2], rows=4, penalty=False)
        'exact'
        >>> choose_arithmetic("auto", [[0.49671415, -0.1382643]], rows=4, penalty=False)
        'float64'
    """
    if setting != "auto":
        return setting
    if penalty or rows > MAX_EXACT_ROWS:
        return "float64"
    for value in numbers:
        if value is None:  # a setting not given (no bias, no row weights)
            continue
        flat = np.asarray(value, dtype=np.float64).reshape(-1)
        # Whole numbers are exact in both; only the others need looking at one by one.
        for number in np.unique(flat[flat != np.round(flat)]).tolist():
            if not is_short_decimal(number):
                return "float64"
    return "exact"
