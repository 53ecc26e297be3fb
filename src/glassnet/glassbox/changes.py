"""What one step changed: each parameter's old value, gradient, change and new value, and
the loss before and after beside the first-order prediction -learning_rate * ||g||^2.

``Trace.what_changed`` prints it as text; the Markdown worksheet and the HTML table show
the same rows. Up to 24 entries are listed one by one; past that, one row per array: the
entry that changed most, each column that entry's own. The change is signed: new - old,
which is -learning_rate * gradient for plain gradient descent.

Example:
    >>> import numpy as np
    >>> change = ParameterChange("W", np.array([[2.0]]), np.array([[1.0]]), np.array([[1.5]]),
    ...                          ["w1"])
    >>> print(changes_text([change]))
    parameter  old  gradient  change  new
    -------------------------------------
    w1         2.0       1.0    -0.5  1.5
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from glassnet.text import format_number, table

__all__ = [
    "ParameterChange",
    "change_rows",
    "predicted_loss_change",
    "loss_lines",
    "changes_text",
    "changes_markdown",
    "changes_html",
]


@dataclass
class ParameterChange:
    """One parameter array's step: old value, gradient, change -learning_rate * gradient, new.

    ``entries`` names each entry in the trace's notation (w1, W[1][0,2], b[2], ...).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> change = net.trace([[1.0]], [[1.0]], 0.1).changes[0]
        >>> change.name, change.entries, change.gradient, change.change
        ('W', ['w1'], array([[1.]]), array([[-0.1]]))
    """

    name: str
    old: np.ndarray
    gradient: np.ndarray
    new: np.ndarray
    entries: list[str]

    @property
    def change(self) -> np.ndarray:
        return self.new - self.old


def change_rows(
    changes: list[ParameterChange], max_rows: int = 24
) -> Iterator[tuple[str, float, float, float, float]]:
    """(name, old, gradient, change, new) per entry, the change signed (new - old, which
    plain gradient descent makes -learning_rate * gradient). Past ``max_rows`` entries in
    all, one row per array: the entry that changed most, every column that entry's.

    Example:
        >>> change = ParameterChange("b", np.array([0.5]), np.array([0.25]), np.array([0.25]),
        ...                          ["b"])
        >>> list(change_rows([change]))
        [('b', 0.5, 0.25, -0.25, 0.25)]
        >>> wide = ParameterChange("W[1]", np.zeros((1, 3)), np.array([[1.0, -4.0, 2.0]]),
        ...                        np.array([[-0.1, 0.4, -0.2]]), ["W[1][0,0]", "W[1][0,1]",
        ...                                                        "W[1][0,2]"])
        >>> list(change_rows([wide], max_rows=2))
        [('W[1][0,1] (largest |change| of 3 in W[1], 1 x 3)', 0.0, -4.0, 0.4, 0.4)]
    """
    entries = sum(change.old.size for change in changes)
    for change in changes:
        columns = [np.ravel(v) for v in (change.old, change.gradient, change.change, change.new)]
        if entries <= max_rows:
            for position, name in enumerate(change.entries):
                old, gradient, step, new = (float(column[position]) for column in columns)
                yield name, old, gradient, step, new
        else:
            largest = int(np.argmax(np.abs(columns[2])))
            shape = " x ".join(map(str, change.old.shape))
            name = (f"{change.entries[largest]} (largest |change| of {change.old.size} in "
                    f"{change.name}, {shape})")  # fmt: skip
            old, gradient, step, new = (float(column[largest]) for column in columns)
            yield name, old, gradient, step, new


def predicted_loss_change(changes: list[ParameterChange], learning_rate: float) -> float:
    """The first-order prediction of the loss change: -learning_rate * ||g||^2.

    Example:
        >>> change = ParameterChange("W", np.array([[2.0]]), np.array([[3.0]]),
        ...                          np.array([[1.7]]), ["w1"])
        >>> predicted_loss_change([change], learning_rate=0.1)
        -0.9
    """
    squared = sum(float(np.sum(change.gradient**2)) for change in changes)
    return -learning_rate * squared


def loss_lines(
    loss_before: float,
    loss_after: float,
    predicted: float,
    digits: int | None = None,
    decimals: int | None = None,
) -> list[str]:
    """The loss before and after the step, the prediction, and what their gap says.

    Example:
        >>> loss_lines(0.5, 2.0, -3.0)[2]
        'the loss went UP: the step overshot the valley. Try a smaller learning rate.'
    """
    actual = loss_after - loss_before

    def number(value: float) -> str:
        return format_number(value, digits, decimals=decimals)

    lines = [
        f"loss before {number(loss_before)}, after {number(loss_after)}: actual change "
        f"{number(actual)}",
        f"first-order prediction -learning_rate * ||gradient||^2 = {number(predicted)}",
    ]
    if not np.isfinite(actual):
        lines.append("the loss is no longer finite: the step diverged")
    elif actual > 0:
        lines.append("the loss went UP: the step overshot the valley. Try a smaller learning rate.")
    elif predicted < 0 and actual > 0.5 * predicted:
        lines.append(
            "the loss fell by less than half the prediction: the step is large for the "
            "curvature here, so the straight-line estimate overstates the gain."
        )
    else:
        lines.append("the actual change is close to the prediction: a small, safe step.")
    return lines


def changes_text(
    changes: list[ParameterChange], digits: int | None = None, decimals: int | None = None
) -> str:
    """The rows as an aligned table, a rule under its header.

    Example:
        >>> change = ParameterChange("b", np.array([0.5]), np.array([0.25]), np.array([0.25]),
        ...                          ["b"])
        >>> changes_text([change]).splitlines()[2]
        'b          0.5      0.25   -0.25  0.25'
    """
    header = ("parameter", "old", "gradient", "change", "new")
    rows = [header] + [
        (name, *(format_number(v, digits, decimals=decimals) for v in numbers))
        for name, *numbers in change_rows(changes)
    ]
    lines = table(rows, align="lr").splitlines()
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def changes_markdown(
    changes: list[ParameterChange], digits: int | None = None, decimals: int | None = None
) -> list[str]:
    """The rows as the lines of a Markdown table.

    Example:
        >>> change = ParameterChange("b", np.array([0.5]), np.array([0.25]), np.array([0.25]),
        ...                          ["b"])
        >>> changes_markdown([change])[-1]
        '| `b` | 0.5 | 0.25 | -0.25 | 0.25 |'
    """
    lines = [
        "| parameter | old | gradient | change = $-\\eta \\cdot$ gradient | new |",
        "|---|---|---|---|---|",
    ]
    for name, old, gradient, change, new in change_rows(changes):
        cells = [format_number(v, digits, decimals=decimals) for v in (old, gradient, change, new)]
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return lines


def changes_html(
    changes: list[ParameterChange], digits: int | None = None, decimals: int | None = None
) -> list[str]:
    """The rows as the lines of an HTML table.

    Example:
        >>> change = ParameterChange("b", np.array([0.5]), np.array([0.25]), np.array([0.25]),
        ...                          ["b"])
        >>> changes_html([change])[3]
        '<tr><td><code>b</code></td><td>0.5</td><td>0.25</td><td>-0.25</td><td>0.25</td></tr>'
    """
    lines = [
        '<table class="glassnet-changes">',
        "<caption>What changed</caption>",
        "<tr><th>parameter</th><th>old</th><th>gradient</th>"
        "<th>change = -learning_rate * gradient</th><th>new</th></tr>",
    ]
    for name, *numbers in change_rows(changes):
        cells = "".join(f"<td>{format_number(v, digits, decimals=decimals)}</td>" for v in numbers)
        lines.append(f"<tr><td><code>{html.escape(name)}</code></td>{cells}</tr>")
    lines.append("</table>")
    return lines
