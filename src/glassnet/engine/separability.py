"""The perceptron's verdict when it cannot reach zero errors, and the evidence for it.

Two different things can be true, and the verdict says which:

- no line separates the classes at all (XOR): the evidence is two pairs of points, one
  pair per class, with the same midpoint (``separability_evidence``);
- no line *through the origin* does, which is all a perceptron without a bias can draw
  (AND): the evidence is a point at the origin on the wrong side, or a point of one class
  that is a non-negative combination of points of the other (``origin_evidence``,
  ``cone_evidence``), and beside it the line with a bias that would separate them
  (``line_evidence``).

Example:
    >>> X, positive = [[0, 0], [0, 1], [1, 0], [1, 1]], [False, False, False, True]  # AND
    >>> print(cone_evidence(X, positive, Rule("rosenblatt", "step")))  # doctest: +ELLIPSIS
    Evidence: [1, 1] = [0, 1] + [1, 0]. Without a bias z = w . x is linear...
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from glassnet.engine.perceptron_rules import Rule
from glassnet.text import format_number

__all__ = [
    "MAX_EVIDENCE_SAMPLES",
    "cone_evidence",
    "label_text",
    "line_evidence",
    "origin_evidence",
    "separability_evidence",
    "verdict",
]

# The searches for evidence look at data sets of at most this many rows.
MAX_EVIDENCE_SAMPLES = 60


def label_text(label: object) -> str:
    """A class label as a reader writes it: 1 rather than 1.0.

    Example:
        >>> label_text(1.0), label_text("yes")
        ('1', 'yes')
    """
    if isinstance(label, int | float | np.number) and not isinstance(label, bool | np.bool_):
        return format_number(label, digits=6)
    return str(label)


def _names(classes: ArrayLike | None) -> list[str]:
    return ["0", "1"] if classes is None else [label_text(label) for label in np.asarray(classes)]


def _show(point: ArrayLike) -> str:
    point = np.asarray(point, dtype=np.float64)
    if point.size == 1 and point.ndim == 1:  # a point of one feature is still a point: [0]
        return f"[{format_number(point[0], digits=6)}]"
    return format_number(point, digits=6)


def separability_evidence(X: ArrayLike, positive: ArrayLike, classes: ArrayLike | None = None,
                          max_samples: int = MAX_EVIDENCE_SAMPLES) -> str:  # fmt: skip
    """Proof that no line (hyperplane) separates two classes, when one is easy to show.

    If two points of one class and two of the other share a midpoint, no line separates
    them: a half-plane that holds both points of a pair holds their midpoint too, so the
    one midpoint would have to lie on both sides. (XOR: (0, 1) and (1, 0) against (0, 0)
    and (1, 1), midpoint (0.5, 0.5).) A point labelled both ways is the one-point case.
    Returns "" when no such pairs exist, or when there are more than ``max_samples``.

    Example:
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> print(separability_evidence(X, [False, True, True, False]))  # doctest: +ELLIPSIS
        Evidence: [0, 1] and [1, 0] are class 1, [0, 0] and [1, 1] are class 0, and both pairs have the midpoint [0.5, 0.5]...
    """  # noqa: E501
    X = np.asarray(X, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    if X.shape[0] > max_samples:
        return ""
    names = _names(classes)

    def pair_midpoints(points: np.ndarray) -> dict[tuple[float, ...], tuple[int, int]]:
        first, second = np.triu_indices(len(points))
        # Halves first: no sum of two large values overflows (halving is exact). Rounding to
        # 12 decimals merges the midpoints that differ by float noise; beyond about 1e4 it
        # changes nothing, and for values near the float range its scaling would overflow.
        midpoints = points[first] / 2 + points[second] / 2
        with np.errstate(over="ignore", invalid="ignore"):
            rounded = np.round(midpoints, 12)
        midpoints = np.where(np.isfinite(rounded), rounded, midpoints)
        return {tuple(m): (i, j) for m, i, j in
                zip(midpoints.tolist(), first.tolist(), second.tolist(), strict=True)}  # fmt: skip

    ones, zeros = X[positive], X[~positive]
    on_one_side = pair_midpoints(ones)
    for midpoint, (k, m) in pair_midpoints(zeros).items():
        if midpoint in on_one_side:
            i, j = on_one_side[midpoint]
            if i == j and k == m:
                return (f"Evidence: the point {_show(ones[i])} is labelled both {names[1]} and "
                        f"{names[0]}: no line can put it on both sides.")  # fmt: skip
            return (
                f"Evidence: {_show(ones[i])} and {_show(ones[j])} are class {names[1]}, "
                f"{_show(zeros[k])} and {_show(zeros[m])} are class {names[0]}, and both pairs "
                f"have the midpoint {_show(np.array(midpoint))}. A line with both class-"
                f"{names[1]} points on one side has their midpoint there too; with both "
                f"class-{names[0]} points on the other side, that same midpoint would be on "
                "the other side as well. No line can do both."
            )
    return ""


def origin_evidence(
    X: ArrayLike, positive: ArrayLike, rule: Rule, classes: ArrayLike | None = None
) -> str:
    """Evidence from a point at the origin, for a perceptron without a bias: there
    z = w . x - theta = -theta whatever the weights, so its output never changes.

    Example:
        >>> rule = Rule("rosenblatt", "step", step_at_zero=1)
        >>> print(origin_evidence([[0, 0], [1, 1]], [False, True], rule))  # doctest: +ELLIPSIS
        Evidence: [0, 0] is the origin: without a bias z = w . x = 0 there whatever...
    """
    X = np.asarray(X, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    at_origin = np.flatnonzero(~X.any(axis=1))
    if not len(at_origin):
        return ""
    names, low, high = _names(classes), *rule.levels
    z = -rule.threshold
    output = float(rule.outputs(np.array([z], dtype=object))[0])
    for row in at_origin.tolist():
        target = high if positive[row] else low
        if output != target:
            formula = "w . x = 0" if not z else f"w . x - theta = {format_number(float(z))}"
            return (
                f"Evidence: {_show(X[row])} is the origin: without a bias z = {formula} there "
                f"whatever the weights, so its output is always {format_number(output, 6)}, but it "
                f"is class {names[1] if positive[row] else names[0]}."
            )
    return ""


def _combinations(
    sources: np.ndarray, points: np.ndarray
) -> tuple[int, int, int, float, float] | None:
    """(point, i, j, a, b) with point = a * sources[i] + b * sources[j], a, b >= 0 and
    a + b > 0 (j == i: one source scaled), the first found; None if there is none."""
    norm = 1e-9 * (1.0 + np.abs(points).max(initial=0.0) + np.abs(sources).max(initial=0.0))
    for i, u in enumerate(sources):  # one source, scaled: p = a u
        a = points @ u / (u @ u)
        close = np.linalg.norm(points - a[:, None] * u, axis=1) <= norm
        found = np.flatnonzero(close & (a > norm))
        if len(found):
            return int(found[0]), i, i, float(a[found[0]]), 0.0
    first, second = np.triu_indices(len(sources), k=1)
    if not len(first):
        return None
    u, v = sources[first], sources[second]  # (K, d) each
    uu, vv, uv = (u * u).sum(1), (v * v).sum(1), (u * v).sum(1)
    det = uu * vv - uv**2
    usable = det > norm
    up, vp = points @ u.T, points @ v.T  # (P, K)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = (vv * up - uv * vp) / det
        b = (uu * vp - uv * up) / det
    rebuilt = a[:, :, None] * u[None] + b[:, :, None] * v[None]  # (P, K, d)
    close = np.linalg.norm(rebuilt - points[:, None], axis=2) <= norm
    ok = close & usable[None] & (a >= -norm) & (b >= -norm)
    hits = np.argwhere(ok)
    if not len(hits):
        return None
    p, k = hits[0]
    return (int(p), int(first[k]), int(second[k]), max(float(a[p, k]), 0.0),
            max(float(b[p, k]), 0.0))  # fmt: skip


def cone_evidence(X: ArrayLike, positive: ArrayLike, rule: Rule,
                  classes: ArrayLike | None = None, max_samples: int = MAX_EVIDENCE_SAMPLES
                  ) -> str:  # fmt: skip
    """Evidence that no line through the origin separates the classes: a point of one class
    that is a non-negative combination of one or two points of the other. Without a bias
    z = w . x is linear, so z at that point is the same combination of their z, on their
    side of 0. Returns "" when none is found, or past ``max_samples`` rows.

    Example:
        >>> X, positive = [[1, 0], [2, 0]], [False, True]
        >>> print(cone_evidence(X, positive, Rule("rosenblatt", "step")))  # doctest: +ELLIPSIS
        Evidence: [2, 0] = 2 [1, 0]. Without a bias z = w . x is linear...
    """
    X = np.asarray(X, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    if X.shape[0] > max_samples:
        return ""
    names = _names(classes)
    need_one, need_zero = rule.sides()
    nonzero = X.any(axis=1)
    ones, zeros = X[positive & nonzero], X[~positive & nonzero]
    # A sum of values > 0 is > 0; of values >= 0 is >= 0; the band only sharpens each side.
    sum_zero = "z <= 0" if need_zero == "z <= 0" else "z < 0"
    sum_one = "z >= 0" if need_one == "z >= 0" else "z > 0"
    for points, sources, (target, source), (needs, gives, target_needs) in (
        (ones, zeros, (names[1], names[0]), (need_zero, sum_zero, need_one)),
        (zeros, ones, (names[0], names[1]), (need_one, sum_one, need_zero)),
    ):
        found = _combinations(sources, points) if len(points) and len(sources) else None
        if found is None:
            continue
        p, i, j, a, b = found
        terms = [(a, sources[i])] + ([(b, sources[j])] if j != i and b > 0 else [])
        combination = " + ".join(
            (_show(point) if coefficient == 1 else f"{format_number(coefficient, 6)} "
             f"{_show(point)}") for coefficient, point in terms
        )  # fmt: skip
        values = " + ".join(
            (f"z({_show(point)})" if coefficient == 1 else
             f"{format_number(coefficient, 6)} z({_show(point)})") for coefficient, point in terms
        )  # fmt: skip
        at = " and ".join(_show(point) for _, point in terms)
        point = _show(points[p])
        return (
            f"Evidence: {point} = {combination}. Without a bias z = w . x is linear, so "
            f"z({point}) = {values}. Class {source} needs {needs} at {at}, so "
            f"{gives.replace('z', f'z({point})', 1)} too: {point} cannot be class {target}, "
            f"which needs {target_needs}, whatever the weights."
        )
    return ""


def line_evidence(weights: ArrayLike, bias: float, classes: ArrayLike | None = None) -> str:
    """The line w . x + b = 0 that separates the classes, as a sentence.

    Example:
        >>> print(line_evidence([2.0, 3.0], -4.0))
        With a bias the line 2 x1 + 3 x2 - 4 = 0 separates them: z = w . x + b > 0 at every class-1 point and < 0 at every class-0 point (w = [2, 3], b = -4).
    """  # noqa: E501
    weights = np.asarray(weights, dtype=np.float64)
    names = _names(classes)
    terms = [f"{format_number(w, 6)} x{i}" for i, w in enumerate(weights.tolist(), start=1) if w]
    if len(terms) <= 8:
        line = " + ".join(terms) or "0"
        if bias:
            line += f" + {format_number(bias, 6)}"
        line = line.replace("+ -", "- ") + " = 0"
    else:
        line = "w . x + b = 0"
    return (
        f"With a bias the line {line} separates them: z = w . x + b > 0 at every "
        f"class-{names[1]} point and < 0 at every class-{names[0]} point "
        f"(w = {format_number(weights, 6)}, b = {format_number(bias, 6)})."
    )


def verdict(X: ArrayLike, positive: ArrayLike, rule: Rule, *, learned_bias: bool,
            classes: ArrayLike | None = None, line: tuple[ArrayLike, float] | None = None,
            cycled: bool = True) -> tuple[str, str]:  # fmt: skip
    """(headline, evidence) for a perceptron that did not reach zero errors.

    ``learned_bias``: whether the perceptron learns a bias; ``line``: (w, b) of a line with
    a bias that separates the classes, when one was found; ``cycled``: the weights came
    back to an earlier state (a proof that the rule never ends; else it ran out of epochs).

    Example:
        >>> X, positive = [[0, 0], [0, 1], [1, 0], [1, 1]], [False, True, True, False]
        >>> verdict(X, positive, Rule("rosenblatt", "step"), learned_bias=False)[0]
        'not linearly separable: no line separates these classes, with or without a bias'
    """
    no_line = separability_evidence(X, positive, classes)
    if no_line or (learned_bias and cycled):
        headline = "not linearly separable: no line separates these classes"
        return headline + ("" if learned_bias else ", with or without a bias"), no_line
    if learned_bias:
        return "the classes may not be linearly separable", ""
    theta = rule.threshold
    found = origin_evidence(X, positive, rule, classes)
    if not found and not theta and not rule.sign_threshold:
        found = cone_evidence(X, positive, rule, classes)
    where = "through the origin" if not theta else (
        f"w . x = {format_number(float(theta))} (theta fixed, no bias)")  # fmt: skip
    if found:
        headline = f"no line {where} separates these classes"
    else:
        headline = f"the rule finds no line {where} that separates these classes"
    if line is not None:
        line_text = line_evidence(*line, classes=classes)
        return f"{headline}; a line with a bias does: add a bias", "\n".join(
            part for part in (found, line_text) if part)  # fmt: skip
    return f"{headline}; a bias may help: try one", found
