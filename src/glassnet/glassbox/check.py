"""Checking a learner's hand-worked numbers against a trace, and naming every slip that
gives a wrong one.

``Trace.check`` calls ``check_values``: each value given is compared with the trace's. A
wrong one is compared with the same step made with one common slip at a time, and every
slip that gives the learner's number is named, with the first factor of the chain rule
that it changes; when several give it, the report says so and names a value that tells
them apart, and a slip that would change another value the learner has right is set
aside. For a new parameter value the report compares changes (yours - old against the
step's -learning_rate * gradient), not weights.

The slips of the chain rule run through the engine itself (``glassnet.glassbox.slips``
rebuilds the traced network and traces it again with a loss or an activation whose formula
is the slip); the slips of the update (a gradient added, another learning rate) are
arithmetic on the trace's changes; the slips of one value (a transposed matrix, swapped
entries, the wrong input x_i) are looked for here, on the value itself. Indices as
everywhere: layers from 1, samples and matrix entries from 0, W[l][i,j] the weight from
input i to neuron j of layer l.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> trace = net.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    >>> report = check_values(trace, {"dE/dw1": 0.0353})
    >>> report["dE/dw1"].slip, report["dE/dw1"].factor
    ('sign flipped', 'dE/da')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.engine.activations import Activation
from glassnet.engine.validation import check_number
from glassnet.glassbox.display import report_html
from glassnet.glassbox.notation import layer_tag
from glassnet.glassbox.slips import (
    SLIPS,
    UPDATE_SLIPS,
    divisor_slips,
    plain_descent,
    update_operands,
    variants,
)
from glassnet.text import format_number

# The trace being checked, as this module names it: trace.py imports this module (its
# Trace.check calls check_values), so this one does not import trace.py back.
TraceLike = Any

__all__ = ["CheckItem", "CheckReport", "LayerRecord", "check_values"]


@dataclass
class CheckItem:
    """The verdict on one hand-worked value: right or wrong, and if wrong every slip that
    gives it.

    ``slip`` is the likeliest slip and ``slips`` all that give the value (several when
    they give the same number); ``factor`` is the first quantity of the step that the
    slip changes (for example ``da/dz``, or ``learning_rate``). ``ratio`` compares a
    single number (or a matrix whose entries share one ratio): your change over the
    step's change for a new parameter value, yours over the trace's otherwise.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> item = net.trace([[1.0]], [[1.0]], 0.1).check({"z": 3.0})["z"]
        >>> item.name, item.given, item.expected, item.right, item.ratio
        ('z', 3.0, 2.0, False, 1.5)
    """

    name: str
    given: float | list
    expected: float | list
    right: bool
    message: str
    slip: str | None = None
    factor: str | None = None
    slips: list[str] = field(default_factory=list)
    ratio: float | None = None


@dataclass
class CheckReport:
    """What ``Trace.check`` found: one ``CheckItem`` per value, in the order given.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
        ...               loss="half_sse")
        >>> report = net.trace([[0.3, 0.5]], [[1.0]], 1.0).check({"z": 0.11})
        >>> report.all_right
        True
    """

    items: list[CheckItem]
    tolerance: float

    @property
    def all_right(self) -> bool:
        return all(item.right for item in self.items)

    def __getitem__(self, name: str) -> CheckItem:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(f"no value named {name!r} was checked")

    def __iter__(self) -> Iterator[CheckItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def to_dict(self) -> dict:
        """Each item as plain data (JSON-serialisable).

        Example:
            >>> import json
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
            ...               loss="half_sse")
            >>> report = net.trace([[1.0]], [[1.0]], 0.1).check({"z": 2.0})
            >>> json.loads(json.dumps(report.to_dict()))["all_right"]
            True
        """
        return {
            "tolerance": self.tolerance,
            "all_right": self.all_right,
            "items": [vars(item).copy() for item in self.items],
        }

    def __str__(self) -> str:
        return "\n".join(item.message for item in self.items)

    def _repr_html_(self) -> str:
        return report_html(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))


@dataclass
class LayerRecord:
    """A Dense layer as the step used it, copied before the update: its input, weights,
    bias, z, a, activation and regularisation (what ``check`` rebuilds the network from).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> record = net.trace([[1.0]], [[3.0]], 0.1).layers[0]
        >>> record.weights.tolist(), record.a.tolist(), record.bias is None
        ([[2.0]], [[2.0]], True)
    """

    inputs: np.ndarray
    weights: np.ndarray
    bias: np.ndarray | None
    z: np.ndarray
    a: np.ndarray
    activation: Activation
    l2: float
    l1: float = 0.0


_INDEXED = re.compile(r"^(?P<base>.+?)\[(?P<index>\d+(?:\s*,\s*\d+)*)\]$")


# ---------------------------------------------------------------------- the values given
@dataclass
class _Given:
    """One value given: its name, the trace's quantity and entry it names, both values."""

    name: str
    base: str
    index: tuple | None
    value: np.ndarray
    expected: np.ndarray
    transposed: bool = False  # given with the transposed shape


@dataclass
class _Found:
    """A slip that gives a value: its key, what it did here, the factor it changes first,
    and, for a slip made on the whole step, every quantity it gives (None otherwise)."""

    key: str
    detail: str
    factor: str
    values: dict | None = None


def _pick(value, index: tuple | None) -> np.ndarray:
    return np.asarray(value) if index is None else np.asarray(value)[index]


def _resolve(trace: TraceLike, name: str) -> tuple[str, tuple | None]:
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


def _given(trace: TraceLike, name: str, value) -> _Given:
    base, index = _resolve(trace, name)
    expected = _pick(trace[base], index)
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: the value must be a number, got {value!r}") from None
    if array.size == 1 and expected.size == 1:
        return _Given(name, base, index, array.reshape(expected.shape), expected)
    if array.shape == expected.shape:
        return _Given(name, base, index, array, expected)
    if expected.ndim == 2 and array.shape == expected.shape[::-1]:
        return _Given(name, base, index, array, expected, transposed=True)
    raise ValueError(f"{name} has shape {expected.shape}; the value given has shape {array.shape}")


def _plain(value: np.ndarray) -> float | list:
    array = np.asarray(value)
    return float(array.reshape(())) if array.size == 1 else array.tolist()


# ---------------------------------------------------------------------- the check
class _Check:
    """The values given, the step's slips (made on first need) and the tolerance."""

    def __init__(self, trace: TraceLike, givens: list[_Given], tolerance: float) -> None:
        self.trace, self.givens, self.tolerance = trace, givens, tolerance
        self.right = {g.name: not g.transposed and self.close(g.value, g.expected)
                      for g in givens}  # fmt: skip
        self.operands = update_operands(trace)
        self.plain = plain_descent(trace)
        self._variants: dict[str | None, dict] | None = None

    def close(self, value, target) -> bool:
        value, target = np.asarray(value, dtype=float), np.asarray(target, dtype=float)
        if value.shape != target.shape:
            return False
        return bool(np.all(np.abs(value - target) <= self.tolerance * np.abs(target) + 1e-12))

    def gives(self, g: _Given, slipped) -> bool:
        """Whether a slip's value is the value given (and not the step's own): for a new
        parameter, its change (new - old) against the change given."""
        slipped = np.asarray(slipped, dtype=float)
        mine, theirs, true = g.value, slipped, g.expected
        if g.base in self.operands:
            old = _pick(self.operands[g.base][0], g.index)
            mine, theirs, true = mine - old, theirs - old, true - old
        return self.close(mine, theirs) and not self.close(theirs, true)

    @property
    def variants(self) -> dict[str | None, dict]:
        """Every possible slip's values, the step itself under the key None (made when
        first needed: a check with every value right runs no slip)."""
        if self._variants is None:
            self._variants = variants(self.trace)
        return self._variants

    def value_of(self, values: dict, name: str):
        """A slip's value of ``name``: its own, or the step's where it changes nothing."""
        return values.get(name, self.variants[None].get(name))

    def factor(self, key: str) -> str:
        """The first quantity of the step (from dE/da on) that the slip changes."""
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


def check_values(trace: TraceLike, values: dict, tolerance: float = 0.01) -> CheckReport:
    """Mark hand-worked values right or wrong; for a wrong one, name every slip that
    gives it (see the module docstring).

    ``Trace.check`` documents the arguments. A value is right when
    |given - true| <= tolerance * |true|.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> print(check_values(net.trace([[1.0]], [[1.0]], 0.1), {"z": 2.0}))
        z = 2: right (the trace has 2)
    """
    if not isinstance(values, dict) or not values:
        raise ValueError("check needs a dict of name -> value, e.g. {'a': 0.527}")
    if not trace.layers:
        raise ValueError("check needs a trace made by Network.trace (it rebuilds the step)")
    tolerance = check_number("tolerance", tolerance, low=0)
    givens = [_given(trace, name, value) for name, value in values.items()]
    check = _Check(trace, givens, tolerance)
    return CheckReport([_verdict(check, given) for given in givens], tolerance)


def _verdict(check: _Check, g: _Given, right: bool | None = None) -> CheckItem:
    """The verdict on one value (``right`` overrides the check's own, for a matrix
    transposed back)."""
    shown, true_text = format_number(g.value, 6), format_number(g.expected, 6)
    if g.transposed:
        return _transposed_verdict(check, g)
    if check.right[g.name] if right is None else right:
        message = f"{g.name} = {shown}: right (the trace has {true_text})"
        return CheckItem(g.name, _plain(g.value), _plain(g.expected), True, message)
    ratio = _ratio(check, g)
    found = _found(check, g)
    found, ruled = _rule_out(check, g, found)
    if not found:
        found = _inferred_rate(check, g, ratio)
    message = f"{g.name} = {shown}: wrong, the trace has {true_text}."
    message += _slips_text(check, g, found) + "".join(
        f" Not {SLIPS[f.key][0]}: it would change {other}, which you have right."
        for f, other in ruled
    )
    message += _ratio_text(check, g, ratio, explained=bool(found))
    titles = [SLIPS[f.key][0] for f in found]
    return CheckItem(g.name, _plain(g.value), _plain(g.expected), False, message,
                     titles[0] if titles else None, found[0].factor if found else None,
                     titles, ratio)  # fmt: skip


def _transposed_verdict(check: _Check, g: _Given) -> CheckItem:
    """A matrix given with its rows and columns the other way round: transposed back, is
    it right, or wrong by another slip too?"""
    back = _Given(g.name, g.base, g.index, g.value.T, g.expected)
    inner = _verdict(check, back, right=check.close(back.value, back.expected))
    title, why = SLIPS["transposed"]
    message = (
        f"{g.name}: yours has shape {g.value.shape}, the trace's {g.expected.shape}. Likely "
        f"slip: {title}: {why}."
    )
    message += (
        " Transposed back, it is right."
        if inner.right
        else (f" Transposed back, it is still wrong: {inner.message.split(': wrong, ', 1)[-1]}")
    )
    return CheckItem(g.name, _plain(g.value), _plain(g.expected), False, message, title,
                     g.base, [title, *inner.slips], inner.ratio)  # fmt: skip


def _found(check: _Check, g: _Given) -> list[_Found]:
    """Every slip that gives the value: those of one value first (transposed, swapped
    entries, the wrong input), then the update's, then the chain rule's, the factor
    nearest the value first."""
    found = _transposed_square(check, g) + _wrong_input(check, g) + _swapped(check, g)
    order = list(check.variants[None])
    made = []
    for key, values in check.variants.items():
        if key is None or g.base not in values:
            continue
        if check.gives(g, _pick(values[g.base], g.index)):
            made.append(_Found(key, _detail(check, key), check.factor(key), values))

    def nearest_first(f: _Found) -> tuple[bool, int]:
        return f.key not in UPDATE_SLIPS, -order.index(f.factor) if f.factor in order else 0

    return found + sorted(made, key=nearest_first)


def _detail(check: _Check, key: str) -> str:
    """What the slip did on this step, in numbers."""
    rate = check.trace.learning_rate
    if key == "learning_rate_one":
        return f" (1 used in place of {rate:g})"
    if key == "learning_rate_twice":
        return f" ({rate * rate:g} = {rate:g}^2 in place of {rate:g})"
    divisors = divisor_slips(check.trace)
    if key not in divisors:
        return ""
    true, wrong = divisors[key]
    if wrong == 1:
        return f" (no 1/{true})"
    return (
        f" (1/{wrong} where the loss has none)"
        if true == 1
        else f" (1/{wrong} in place of 1/{true})"
    )


def _rule_out(check: _Check, g: _Given, found: list[_Found]):
    """The slips that leave every other value the learner has right as it is, and those
    that would change one (with its name); all of them if every one would."""
    kept, ruled = [], []
    for f in found:
        other = None
        for o in check.givens:
            if f.values is None or o.name == g.name or not check.right[o.name]:
                continue
            value = check.value_of(f.values, o.base)
            if value is not None and not check.close(o.value, _pick(value, o.index)):
                other = o.name
                break
        if other is None:
            kept.append(f)
        else:
            ruled.append((f, other))
    return (kept, ruled) if kept else (found, [])


# ---------------------------------------------------------------------- slips of one value
_WEIGHT = re.compile(r"^(?P<kind>dz/dw|dE/dw|new w)(?P<i>\d+)(?P<layer>\[\d+\])?$")
_MATRIX = re.compile(r"^(?P<kind>dz/dW|dE/dW|new W)(?P<layer>\[\d+\])?$")


def _transposed_square(check: _Check, g: _Given) -> list[_Found]:
    """A square matrix given as its own transpose."""
    e = g.expected
    if e.ndim != 2 or e.shape[0] != e.shape[1] or check.close(e, e.T):
        return []
    return [_Found("transposed", "", g.base)] if check.close(g.value, e.T) else []


def _weight_entry(check: _Check, g: _Given):
    """For one entry of dz/dW, dE/dW or new W (or dz/dw_i, dE/dw_i, new w_i): its kind,
    its layer, the input it takes (i) and its column (the neuron j, or for dz/dW the
    sample), and whether it is named weight by weight; None for anything else."""
    match = _WEIGHT.match(g.name) if g.index is None else None
    if match:
        i, j, by_weight = int(match["i"]) - 1, 0, True
    else:
        match = _MATRIX.match(g.base) if g.index is not None and len(g.index) == 2 else None
        if not match:
            return None
        (i, j), by_weight = g.index, False
        if match["kind"] == "dz/dW":  # dz/dW[l][n,i]: sample n, input i
            i, j = j, i
    layer = int(match["layer"][1:-1]) if match["layer"] else 1
    return match["kind"][:4].rstrip("/"), layer, i, j, by_weight


def _wrong_input(check: _Check, g: _Given) -> list[_Found]:
    """dz/dw_i = x_j, or dE/dw_i (and new w_i) computed with x_j in place of x_i."""
    entry = _weight_entry(check, g)
    if entry is None:
        return []
    kind, layer, i, j, by_weight = entry
    record = check.trace.layers[layer - 1]
    tag = layer_tag(len(check.trace.layers))
    if kind == "dz/d":
        wrong = {k: record.inputs[j, k] for k in range(record.inputs.shape[1])}
    else:
        W = record.weights
        penalty = record.l2 * W + record.l1 * np.sign(W)
        data = check.trace[tag("dE/dW", layer)] - penalty  # the sum over samples of x_i * delta_j
        wrong = {k: data[k, j] + penalty[i, j] for k in range(W.shape[0])}
        if kind == "new ":
            if not check.plain:
                return []
            wrong = {k: W[i, j] - check.trace.learning_rate * v for k, v in wrong.items()}
    symbol = "x" if layer == 1 else ("a" if by_weight else tag("a", layer - 1))
    factor = tag(f"dz/dw{i + 1}", layer) if by_weight else tag("dz/dW", layer)
    found = []
    for k, value in wrong.items():
        if k != i and check.gives(g, value):
            if by_weight:
                detail = f": {symbol}{k + 1} in place of {symbol}{i + 1}"
            else:
                detail = f": input {k} in place of input {i} ({symbol}[:, {k}] for [:, {i}])"
            found.append(_Found("wrong_input", detail, factor))
    return found


def _siblings(check: _Check, g: _Given) -> Iterator[tuple[str, np.ndarray]]:
    """The other entries of the matrix a single entry belongs to, by name and value."""
    whole = np.asarray(check.trace[g.base])
    if g.index is not None and len(g.index) == whole.ndim:
        for position in np.ndindex(whole.shape):
            if position != g.index:
                yield f"{g.base}[{','.join(map(str, position))}]", whole[position]
        return
    match = _WEIGHT.match(g.name)
    if match and match["kind"] != "dz/dw":  # a wrong dz/dw_i is the wrong input
        layer = int(match["layer"][1:-1]) if match["layer"] else 1
        for k in range(1, check.trace.layers[layer - 1].weights.shape[0] + 1):
            name = f"{match['kind']}{k}{match['layer'] or ''}"
            if name != g.name and name in check.trace:
                yield name, np.asarray(check.trace[name])


def _swapped(check: _Check, g: _Given) -> list[_Found]:
    """The right numbers in the wrong places: entries of a matrix that hold each other's
    values, or a single entry given another entry's value."""
    if g.value.size == 1:
        return [
            _Found("swapped", f": yours is {name}'s value", g.base)
            for name, value in _siblings(check, g)
            if check.close(g.value.ravel(), np.ravel(value))
            and not check.close(np.ravel(value), g.expected.ravel())
        ]
    differs = ~np.isclose(g.value, g.expected, rtol=check.tolerance, atol=1e-12)
    wrong = [tuple(p) for p in np.argwhere(differs)]
    pairs, left = [], list(wrong)
    while left:
        p = left.pop(0)
        q = next((q for q in left if check.close(g.value[p], g.expected[q])
                  and check.close(g.value[q], g.expected[p])), None)  # fmt: skip
        if q is None:
            return []
        left.remove(q)
        pairs.append(" and ".join(f"[{','.join(map(str, e))}]" for e in (p, q)))
    if not pairs:
        return []
    shown = "; ".join(pairs[:3]) + (f"; and {len(pairs) - 3} more pairs" if len(pairs) > 3 else "")
    return [_Found("swapped", f": {shown}", g.base)]


# ---------------------------------------------------------------------- changes and ratios
def _ratio(check: _Check, g: _Given) -> float | None:
    """Yours over the trace's, when every entry shares one ratio; for a new parameter,
    your change (yours - old) over the step's change."""
    mine, theirs = g.value, g.expected
    if g.base in check.operands:
        old = _pick(check.operands[g.base][0], g.index)
        mine, theirs = mine - old, theirs - old
    if not np.any(theirs):
        return None
    ratio = float(np.sum(mine * theirs) / np.sum(theirs * theirs))
    return ratio if check.close(mine, ratio * theirs) else None


def _inferred_rate(check: _Check, g: _Given, ratio: float | None) -> list[_Found]:
    """For a new parameter no slip explains: the learning rate that gives it."""
    if ratio is None or g.base not in check.operands or not check.plain:
        return []
    rate = check.trace.learning_rate * ratio
    if ratio > 0:
        return [_Found("learning_rate", f" ({rate:.4g} in place of "
                       f"{check.trace.learning_rate:g})", "learning_rate")]  # fmt: skip
    return [_Found("added", f" (with a learning rate of {-rate:.4g})", "learning_rate")]


def _ratio_text(check: _Check, g: _Given, ratio: float | None, explained: bool) -> str:
    if g.base in check.operands and ratio is not None:
        old = _pick(check.operands[g.base][0], g.index)
        text = (
            f" Your change {format_number(g.value - old, 6)} is {ratio:.4g} times the step's "
            f"change {format_number(g.expected - old, 6)} (change = new - old)."
        )
        return text if explained else text + " No common slip explains that."
    if explained:
        return ""
    if ratio is not None:
        return f" Yours is {ratio:.4g} times it; no common slip explains that."
    return f" No common slip explains it; the formula is {check.trace.step(g.base).formula}."


def _slips_text(check: _Check, g: _Given, found: list[_Found]) -> str:
    """The slips found, each with the first factor it changes and why it is a slip; for
    several, the value that tells the first two apart."""
    if not found:
        return ""

    def described(f: _Found) -> str:
        title, why = SLIPS[f.key]
        if f.factor == "learning_rate":
            where = "The factor that differs is the update's learning_rate"
        elif f.factor == g.base:
            where = f"It is {g.base} itself that differs"
        else:
            where = f"The first factor of the chain rule that differs is {f.factor}"
        return f"{title}{f.detail}. {where}: {why}"

    if len(found) == 1:
        return f" Likely slip: {described(found[0])}."
    text = f" {len(found)} slips give this value equally: " + " ".join(
        f"({number}) {described(f)}." for number, f in enumerate(found, start=1)
    )
    return text + _apart(check, g, found)


def _apart(check: _Check, g: _Given, found: list[_Found]) -> str:
    """A value that tells the first two slips made on the whole step apart."""
    made = [f for f in found if f.values is not None][:2]
    if len(made) < 2:
        return ""
    first, second = made
    for name in check.variants[None]:
        a, b = check.value_of(first.values, name), check.value_of(second.values, name)
        if name != g.base and not np.allclose(a, b, rtol=1e-6, atol=1e-12):
            return (
                f" To tell them apart, check {name} too: {SLIPS[first.key][0]} gives "
                f"{format_number(a, 4)}, {SLIPS[second.key][0]} gives {format_number(b, 4)}."
            )
    return ""
