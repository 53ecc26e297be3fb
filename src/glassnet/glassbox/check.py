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
entries, the wrong input x_i) are looked for on the value itself
(``glassnet.glassbox.value_slips``). ``glassnet.glassbox.given`` reads the values given
against the trace and compares them; this module makes the verdicts and their words.
Indices as everywhere: layers from 1, samples and matrix entries from 0, W[l][i,j] the
weight from input i to neuron j of layer l.

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

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from glassnet.engine.activations import Activation
from glassnet.engine.validation import check_number
from glassnet.glassbox.display import report_html
from glassnet.glassbox.given import Comparison, Found, Given, pick, plain, read_given
from glassnet.glassbox.slips import SLIPS, UPDATE_SLIPS, divisor_slips
from glassnet.glassbox.value_slips import value_slips
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
    given: float | list[Any]
    expected: float | list[Any]
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

    def to_dict(self) -> dict[str, Any]:
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

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
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


def check_values(
    trace: TraceLike, values: dict[str, ArrayLike], tolerance: float = 0.01
) -> CheckReport:
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
    givens = [read_given(trace, name, value) for name, value in values.items()]
    check = Comparison(trace, givens, tolerance)
    return CheckReport([_verdict(check, given) for given in givens], tolerance)


def _verdict(check: Comparison, g: Given, right: bool | None = None) -> CheckItem:
    """The verdict on one value (``right`` overrides the check's own, for a matrix
    transposed back)."""
    shown, true_text = format_number(g.value, 6), format_number(g.expected, 6)
    if g.transposed:
        return _transposed_verdict(check, g)
    if check.right[g.name] if right is None else right:
        message = f"{g.name} = {shown}: right (the trace has {true_text})"
        return CheckItem(g.name, plain(g.value), plain(g.expected), True, message)
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
    return CheckItem(g.name, plain(g.value), plain(g.expected), False, message,
                     titles[0] if titles else None, found[0].factor if found else None,
                     titles, ratio)  # fmt: skip


def _transposed_verdict(check: Comparison, g: Given) -> CheckItem:
    """A matrix given with its rows and columns the other way round: transposed back, is
    it right, or wrong by another slip too?"""
    back = Given(g.name, g.base, g.index, g.value.T, g.expected)
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
    return CheckItem(g.name, plain(g.value), plain(g.expected), False, message, title,
                     g.base, [title, *inner.slips], inner.ratio)  # fmt: skip


def _found(check: Comparison, g: Given) -> list[Found]:
    """Every slip that gives the value: those of one value first (transposed, swapped
    entries, the wrong input), then the update's, then the chain rule's, the factor
    nearest the value first."""
    found = value_slips(check, g)
    order = list(check.variants[None])
    made = []
    for key, values in check.variants.items():
        if key is None or g.base not in values:
            continue
        if check.gives(g, pick(values[g.base], g.index)):
            made.append(Found(key, _detail(check, key), check.factor(key), values))

    def nearest_first(f: Found) -> tuple[bool, int]:
        return f.key not in UPDATE_SLIPS, -order.index(f.factor) if f.factor in order else 0

    return found + sorted(made, key=nearest_first)


def _detail(check: Comparison, key: str) -> str:
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


def _rule_out(
    check: Comparison, g: Given, found: list[Found]
) -> tuple[list[Found], list[tuple[Found, str]]]:
    """The slips that leave every other value the learner has right as it is, and those
    that would change one (with its name); all of them if every one would."""
    kept, ruled = [], []
    for f in found:
        other = None
        for o in check.givens:
            if f.values is None or o.name == g.name or not check.right[o.name]:
                continue
            value = check.value_of(f.values, o.base)
            if value is not None and not check.close(o.value, pick(value, o.index)):
                other = o.name
                break
        if other is None:
            kept.append(f)
        else:
            ruled.append((f, other))
    return (kept, ruled) if kept else (found, [])


# ---------------------------------------------------------------------- changes and ratios
def _ratio(check: Comparison, g: Given) -> float | None:
    """Yours over the trace's, when every entry shares one ratio; for a new parameter,
    your change (yours - old) over the step's change."""
    mine, theirs = g.value, g.expected
    if g.base in check.operands:
        old = pick(check.operands[g.base][0], g.index)
        mine, theirs = mine - old, theirs - old
    if not np.any(theirs):
        return None
    ratio = float(np.sum(mine * theirs) / np.sum(theirs * theirs))
    return ratio if check.close(mine, ratio * theirs) else None


def _inferred_rate(check: Comparison, g: Given, ratio: float | None) -> list[Found]:
    """For a new parameter no slip explains: the learning rate that gives it."""
    if ratio is None or g.base not in check.operands or not check.plain:
        return []
    rate = check.trace.learning_rate * ratio
    if ratio > 0:
        return [Found("learning_rate", f" ({rate:.4g} in place of "
                       f"{check.trace.learning_rate:g})", "learning_rate")]  # fmt: skip
    return [Found("added", f" (with a learning rate of {-rate:.4g})", "learning_rate")]


def _ratio_text(check: Comparison, g: Given, ratio: float | None, explained: bool) -> str:
    if g.base in check.operands and ratio is not None:
        old = pick(check.operands[g.base][0], g.index)
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


def _slips_text(check: Comparison, g: Given, found: list[Found]) -> str:
    """The slips found, each with the first factor it changes and why it is a slip; for
    several, the value that tells the first two apart."""
    if not found:
        return ""

    def described(f: Found) -> str:
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


def _apart(check: Comparison, g: Given, found: list[Found]) -> str:
    """A value that tells the first two slips made on the whole step apart."""
    made = [(f, f.values) for f in found if f.values is not None][:2]
    if len(made) < 2:
        return ""
    (first, first_values), (second, second_values) = made
    for name in check.variants[None]:
        a, b = check.value_of(first_values, name), check.value_of(second_values, name)
        if a is None or b is None:  # a name of the step itself: every slip has it
            continue
        if name != g.base and not np.allclose(a, b, rtol=1e-6, atol=1e-12):
            return (
                f" To tell them apart, check {name} too: {SLIPS[first.key][0]} gives "
                f"{format_number(a, 4)}, {SLIPS[second.key][0]} gives {format_number(b, 4)}."
            )
    return ""
