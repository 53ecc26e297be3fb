"""The slips of one value, looked for on the value itself: a square matrix given as its
own transpose, the right numbers in the wrong places (swapped entries, or one entry given
another's value), and a weight's gradient taken with the wrong input x_j in place of x_i.

The slips of the chain rule and of the update are made on the whole step
(``glassnet.glassbox.slips``); these need no replay, only the value, the trace and the
``Comparison``'s tolerance. Indices as everywhere: layers from 1, samples and matrix
entries from 0, W[l][i,j] the weight from input i to neuron j of layer l.

Example:
    >>> from glassnet import Dense, Network
    >>> from glassnet.glassbox.given import Comparison, read_given
    >>> net = Network([Dense(2, 1, "identity", weights=[[2.0], [1.0]], use_bias=False)],
    ...               loss="half_sse")
    >>> trace = net.trace([[1.0, 3.0]], [[1.0]], 0.1)
    >>> given = read_given(trace, "dz/dw1", 3.0)
    >>> [(f.key, f.detail) for f in value_slips(Comparison(trace, [given], 0.01), given)]
    [('wrong_input', ': x2 in place of x1')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from glassnet.glassbox.given import Comparison, Found, Given
from glassnet.glassbox.notation import layer_tag

__all__ = ["value_slips"]

_WEIGHT = re.compile(r"^(?P<kind>dz/dw|dE/dw|new w)(?P<i>\d+)(?P<layer>\[\d+\])?$")
_MATRIX = re.compile(r"^(?P<kind>dz/dW|dE/dW|new W)(?P<layer>\[\d+\])?$")


def value_slips(check: Comparison, g: Given) -> list[Found]:
    """Every slip of one value that gives the value ``g``: a transposed square matrix, the
    wrong input, swapped entries, in that order.

    Example:
        >>> from glassnet import Dense, Network
        >>> from glassnet.glassbox.given import Comparison, read_given
        >>> net = Network([Dense(2, 2, "identity", weights=[[1.0, 2.0], [3.0, 4.0]],
        ...                      use_bias=False)], loss="half_sse")
        >>> trace = net.trace([[1.0, 1.0]], [[0.0, 0.0]], 0.1)
        >>> given = read_given(trace, "dE/dW", [[4.0, 4.0], [6.0, 6.0]])
        >>> [f.key for f in value_slips(Comparison(trace, [given], 0.01), given)]
        ['transposed', 'swapped']
    """
    return _transposed_square(check, g) + _wrong_input(check, g) + _swapped(check, g)


def _transposed_square(check: Comparison, g: Given) -> list[Found]:
    """A square matrix given as its own transpose."""
    e = g.expected
    if e.ndim != 2 or e.shape[0] != e.shape[1] or check.close(e, e.T):
        return []
    return [Found("transposed", "", g.base)] if check.close(g.value, e.T) else []


def _weight_entry(g: Given) -> tuple[str, int, int, int, bool] | None:
    """For one entry of dz/dW, dE/dW or new W (or dz/dw_i, dE/dw_i, new w_i): its kind,
    its layer, the input it takes (i) and its column (the neuron j, or for dz/dW the
    sample), and whether it is named weight by weight; None for anything else."""
    match = _WEIGHT.match(g.name) if g.index is None else None
    if match:
        i, j, by_weight = int(match["i"]) - 1, 0, True
    else:
        match = _MATRIX.match(g.base) if g.index is not None and len(g.index) == 2 else None
        if not match or g.index is None:
            return None
        (i, j), by_weight = g.index, False
        if match["kind"] == "dz/dW":  # dz/dW[l][n,i]: sample n, input i
            i, j = j, i
    layer = int(match["layer"][1:-1]) if match["layer"] else 1
    return match["kind"][:4].rstrip("/"), layer, i, j, by_weight


def _wrong_input(check: Comparison, g: Given) -> list[Found]:
    """dz/dw_i = x_j, or dE/dw_i (and new w_i) computed with x_j in place of x_i."""
    entry = _weight_entry(g)
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
            found.append(Found("wrong_input", detail, factor))
    return found


def _siblings(check: Comparison, g: Given) -> Iterator[tuple[str, np.ndarray]]:
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


def _swapped(check: Comparison, g: Given) -> list[Found]:
    """The right numbers in the wrong places: entries of a matrix that hold each other's
    values, or a single entry given another entry's value."""
    if g.value.size == 1:
        return [
            Found("swapped", f": yours is {name}'s value", g.base)
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
    return [Found("swapped", f": {shown}", g.base)]
