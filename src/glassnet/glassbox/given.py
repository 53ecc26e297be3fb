"""The values a learner gives to ``Trace.check``, read against the trace and compared.

Each value is resolved to the trace's quantity it names, or to one entry of it
(``dE/dW[1][0,2]``: indices from 0, W[l][i,j] the weight from input i to neuron j of
layer l), and put in that quantity's shape (``Given``). A ``Comparison`` holds every value
given, which of them are right within the tolerance, and the step made again with each
common slip (on first need, from ``glassnet.glassbox.slips``); a slip found to give a
value is a ``Found``. ``glassnet.glassbox.check`` turns them into the report.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
    ...               loss="half_sse")
    >>> trace = net.trace([[1.0]], [[1.0]], 0.1)
    >>> comparison = Comparison(trace, [read_given(trace, "z", 2.0)], tolerance=0.01)
    >>> comparison.right
    {'z': True}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from glassnet.glassbox.slips import UPDATE_SLIPS, plain_descent, update_operands, variants

# The trace being checked, as this module names it: trace.py imports check.py, which
# imports this module, so this one does not import trace.py back.
TraceLike = Any

__all__ = ["Given", "Found", "Comparison", "read_given", "pick", "plain"]

_INDEXED = re.compile(r"^(?P<base>.+?)\[(?P<index>\d+(?:\s*,\s*\d+)*)\]$")


@dataclass
class Given:
    """One value given: its name, the trace's quantity and entry it names (``index`` None:
    all of it), the value in that quantity's shape, the trace's, and whether it came with
    the transposed shape.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "identity", weights=[[2.0], [1.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> given = read_given(net.trace([[1.0, 3.0]], [[1.0]], 0.1), "dE/dW[1,0]", 1.5)
        >>> given.base, given.index, given.value.item(), given.expected.item()
        ('dE/dW', (1, 0), 1.5, 12.0)
    """

    name: str
    base: str
    index: tuple[int, ...] | None
    value: np.ndarray
    expected: np.ndarray
    transposed: bool = False  # given with the transposed shape


@dataclass
class Found:
    """A slip that gives a value: its key in ``SLIPS``, what it did here, the factor it
    changes first, and, for a slip made on the whole step, every quantity it gives (None
    otherwise).

    Example:
        >>> Found("transposed", "", "W").factor
        'W'
    """

    key: str
    detail: str
    factor: str
    values: dict[str, np.ndarray] | None = None


def pick(value: Any, index: tuple[int, ...] | None) -> np.ndarray:
    """The entry ``index`` of a value, or all of it for None, as an array.

    Example:
        >>> pick([[1.0, 2.0], [3.0, 4.0]], (1, 0)).item(), pick(5.0, None).item()
        (3.0, 5.0)
    """
    return np.asarray(value) if index is None else np.asarray(value)[index]


def plain(value: Any) -> float | list[Any]:
    """A value as plain data: a float for one number, nested lists for a matrix.

    Example:
        >>> import numpy as np
        >>> plain(np.array([[0.5]])), plain(np.array([[1.0, 2.0]]))
        (0.5, [[1.0, 2.0]])
    """
    array = np.asarray(value)
    return float(array.reshape(())) if array.size == 1 else array.tolist()


def _resolve(trace: TraceLike, name: str) -> tuple[str, tuple[int, ...] | None]:
    """The trace's name for ``name`` and the index of one entry in it (None: all of it)."""
    if not isinstance(name, str):
        raise ValueError(f"names must be strings, got {name!r}")
    if name in trace:
        return name, None
    match = _INDEXED.match(name.strip())
    if match and match.group("base") in trace:
        index = tuple(int(i) for i in match.group("index").split(","))
        shape = trace[match.group("base")].shape
        if len(index) > len(shape) or any(
            i >= s for i, s in zip(index, shape[: len(index)], strict=True)
        ):
            raise ValueError(f"{name}: index {index} is outside the shape {shape}")
        return match.group("base"), index
    raise ValueError(
        f"the trace has no quantity {name!r}; it has: {', '.join(trace.names())} (one entry "
        "of a matrix: name[row,column], counted from 0, e.g. dE/dW[1][0,2]: W[l][i,j] joins "
        "input i to neuron j of layer l)"
    )


def read_given(trace: TraceLike, name: str, value: Any) -> Given:
    """A value given under ``name``, resolved against the trace and put in the shape of the
    quantity it names (a matrix given transposed is kept as given, and marked so).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "identity", weights=[[2.0], [1.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> given = read_given(net.trace([[1.0, 3.0]], [[1.0]], 0.1), "dE/dW", [[4.0, 12.0]])
        >>> given.transposed, given.value.shape, given.expected.shape
        (True, (1, 2), (2, 1))
    """
    base, index = _resolve(trace, name)
    expected = pick(trace[base], index)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: the value must be a number, got {value!r}") from None
    if array.size == 1 and expected.size == 1:
        return Given(name, base, index, array.reshape(expected.shape), expected)
    if array.shape == expected.shape:
        return Given(name, base, index, array, expected)
    if expected.ndim == 2 and array.shape == expected.shape[::-1]:
        return Given(name, base, index, array, expected, transposed=True)
    raise ValueError(f"{name} has shape {expected.shape}; the value given has shape {array.shape}")


class Comparison:
    """The values given, which are right, the step's slips (made on first need) and the
    tolerance: a value is right when |given - true| <= tolerance * |true|.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> trace = net.trace([[1.0]], [[1.0]], 0.1)
        >>> Comparison(trace, [read_given(trace, "z", 2.5)], tolerance=0.01).right
        {'z': False}
    """

    def __init__(self, trace: TraceLike, givens: list[Given], tolerance: float) -> None:
        self.trace: TraceLike = trace
        self.givens: list[Given] = givens
        self.tolerance: float = tolerance
        self.right: dict[str, bool] = {
            g.name: not g.transposed and self.close(g.value, g.expected) for g in givens
        }
        self.operands: dict[str, tuple[np.ndarray, np.ndarray]] = update_operands(trace)
        self.plain: bool = plain_descent(trace)
        self._variants: dict[str | None, dict[str, np.ndarray]] | None = None

    def close(self, value: Any, target: Any) -> bool:
        """Whether two values have one shape and agree within the tolerance.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]])], loss="half_sse")
            >>> comparison = Comparison(net.trace([[1.0]], [[1.0]], 0.1), [], tolerance=0.01)
            >>> comparison.close(1.005, 1.0), comparison.close([1.0], [[1.0]])
            (True, False)
        """
        value, target = np.asarray(value, dtype=float), np.asarray(target, dtype=float)
        if value.shape != target.shape:
            return False
        return bool(np.all(np.abs(value - target) <= self.tolerance * np.abs(target) + 1e-12))

    def gives(self, g: Given, slipped: Any) -> bool:
        """Whether a slip's value is the value given (and not the step's own): for a new
        parameter, its change (new - old) against the change given.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> trace = net.trace([[1.0]], [[1.0]], 0.1)
            >>> given = read_given(trace, "new w1", 2.1)
            >>> Comparison(trace, [given], 0.01).gives(given, 2.1)
            True
        """
        slipped = np.asarray(slipped, dtype=float)
        mine, theirs, true = g.value, slipped, g.expected
        if g.base in self.operands:
            old = pick(self.operands[g.base][0], g.index)
            mine, theirs, true = mine - old, theirs - old, true - old
        return self.close(mine, theirs) and not self.close(theirs, true)

    @property
    def variants(self) -> dict[str | None, dict[str, np.ndarray]]:
        """Every possible slip's values, the step itself under the key None (made when
        first needed: a check with every value right runs no slip)."""
        if self._variants is None:
            self._variants = variants(self.trace)
        return self._variants

    def value_of(self, values: dict[str, np.ndarray], name: str) -> np.ndarray | None:
        """A slip's value of ``name``: its own, or the step's where it changes nothing
        (None for a name the step does not compute from E on).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> comparison = Comparison(net.trace([[1.0]], [[1.0]], 0.1), [], 0.01)
            >>> comparison.value_of({}, "dE/dw1").item(), comparison.value_of({}, "z")
            (1.0, None)
        """
        return values.get(name, self.variants[None].get(name))

    def factor(self, key: str) -> str:
        """The first quantity of the step (from dE/da on) that the slip changes.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "sigmoid", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> comparison = Comparison(net.trace([[1.0]], [[1.0]], 0.1), [], 0.01)
            >>> comparison.factor("sign"), comparison.factor("sigmoid_of_a")
            ('dE/da', 'da/dz')
        """
        if key in UPDATE_SLIPS:
            return "learning_rate"
        truth, values = self.variants[None], self.variants[key]
        for name, value in truth.items():
            if (
                name != "E"
                and name in values
                and not np.allclose(values[name], value, rtol=1e-9, atol=1e-15)
            ):
                return name
        return "E"
