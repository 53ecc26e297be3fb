"""What a notebook shows: HTML tables from rows, numbers as small tables, text that is a table.

Jupyter shows the last value of a cell through its ``_repr_html_`` (or ``_repr_markdown_``)
when it has one, else its ``repr``. The objects a learner meets (the network, its history,
the perceptron, the diagnostics, and in the glass box the trace, the check report, the
gradient check and the three views) each add a thin display method that calls a function
here, so that every notebook display is built the same way: cells escaped, numbers through
``glassnet.text.format_number``, matrices as small bracketed tables, and never a dataclass
repr. The glass box's own renderings (``glassnet.glassbox.display``) build on these.

Example:
    >>> print(html_table([["layer", "units"], ["1", "4"]]))
    <table class="glassnet">
    <tr><th>layer</th><th>units</th></tr>
    <tr><td>1</td><td>4</td></tr>
    </table>
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from glassnet.text import format_number, table

__all__ = ["Html", "TableText", "html_table", "html_number", "loss_chart", "history_html",
           "perceptron_html", "epoch_html", "epoch_summary", "notes_html"]  # fmt: skip

# The cells of a small matrix: right-aligned, tight, between brackets drawn as borders.
MATRIX_STYLE = (
    "display:inline-table;border-collapse:collapse;vertical-align:middle;margin:1px 2px;"
    "border-left:1px solid currentColor;border-right:1px solid currentColor"
)
CELL_STYLE = "padding:0 0.35em;border:0;text-align:right"


class Html(str):
    """A string that is HTML already: ``html_table`` puts it in a cell without escaping it.

    Example:
        >>> print(html_table([[Html("<b>E</b>"), "a < b"]], header=False).splitlines()[1])
        <tr><td><b>E</b></td><td>a &lt; b</td></tr>
    """

    def _repr_html_(self) -> str:
        return str(self)


def _cell(value: object) -> str:
    return value if isinstance(value, Html) else html.escape(str(value))


def html_table(
    rows: Sequence[Sequence[object]],
    header: bool = True,
    caption: str | None = None,
    css_class: str = "glassnet",
) -> str:
    """Rows of cells as an HTML table; the first row is the header unless ``header=False``.

    Cells are escaped unless they are ``Html``.

    Example:
        >>> html_table([["a"], ["1"]], caption="x < y").splitlines()[1]
        '<caption>x &lt; y</caption>'
    """
    lines = [f'<table class="{html.escape(css_class)}">']
    if caption:
        lines.append(f"<caption>{html.escape(caption)}</caption>")
    for number, row in enumerate(rows):
        tag = "th" if header and number == 0 else "td"
        lines.append("<tr>" + "".join(f"<{tag}>{_cell(c)}</{tag}>" for c in row) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def _kept(count: int, limit: int) -> list[int | None]:
    """The indices shown of ``count``: all, or the first ones and the last, None between."""
    if count <= limit:
        return list(range(count))
    return [*range(limit - 2), None, count - 1]


def html_number(
    value: ArrayLike,
    digits: int | None = None,
    decimals: int | None = None,
    max_rows: int = 8,
    max_columns: int = 8,
) -> Html:
    """A number as text, a vector or matrix as a small table between brackets.

    A matrix larger than ``max_rows`` x ``max_columns`` shows its first rows and columns and
    its last, with dots between; it is headed by its shape.

    Example:
        >>> html_number(0.5274723043445937, digits=4)
        '0.5275'
        >>> "<td" in html_number([[0.3, 0.5]]), html_number([[0.3, 0.5]]).count("<td")
        (True, 2)
    """
    array = np.asarray(value, dtype=float)
    if array.size == 1:
        return Html(html.escape(format_number(array.reshape(()), digits, decimals=decimals)))
    if array.ndim > 2 or array.size == 0:
        return Html(html.escape(f"<{' x '.join(map(str, array.shape))} array>"))
    matrix = array.reshape(1, -1) if array.ndim == 1 else array
    rows, columns = _kept(matrix.shape[0], max_rows), _kept(matrix.shape[1], max_columns)
    lines = [f'<table class="glassnet-matrix" style="{MATRIX_STYLE}">']
    for i in rows:
        cells = []
        for j in columns:
            if i is None or j is None:
                text = "&#8942;" if j is not None else ("&#8945;" if i is None else "&#8943;")
            else:
                text = html.escape(format_number(matrix[i, j], digits, decimals=decimals))
            cells.append(f'<td style="{CELL_STYLE}">{text}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    shape = ""
    if len(rows) < matrix.shape[0] or len(columns) < matrix.shape[1]:
        shape = f"<small>({matrix.shape[0]} &times; {matrix.shape[1]})</small> "
    return Html(shape + "".join(lines))


class TableText(str):
    """An aligned text table (``glassnet.text.table``) that a notebook shows as an HTML table.

    It is a ``str``: ``print`` it, split it, compare it. ``notes`` are lines printed under the
    table (and shown under it as paragraphs).

    Example:
        >>> summary = TableText([["layer", "units"], ["1", "4"]], notes=["total: 4"])
        >>> print(summary)
        layer  units
        1      4
        total: 4
        >>> "<th>units</th>" in summary._repr_html_()
        True
    """

    rows: list[list[str]]
    notes: list[str]
    caption: str | None

    def __new__(
        cls,
        rows: Sequence[Sequence[object]],
        align: str = "l",
        notes: Sequence[str] = (),
        caption: str | None = None,
    ) -> TableText:
        cells = [[str(cell) for cell in row] for row in rows]
        text = "\n".join([table(cells, align=align), *notes])
        self = super().__new__(cls, text)
        self.rows, self.notes, self.caption = cells, list(notes), caption
        return self

    def _repr_html_(self) -> str:
        parts = [html_table(self.rows, caption=self.caption)]
        parts += [f"<p>{html.escape(note)}</p>" for note in self.notes]
        return "\n".join(parts)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))  # the table as printed, not a quoted string with \n in it


# The objects shown here are named Any: their modules (callbacks.py, perceptron.py,
# perceptron_epochs.py) import this one for their displays, so it does not import them back.


def loss_chart(history: Any, width: float = 4.2, height: float = 2.4) -> str:
    """A small chart of a History's loss (and validation loss) per epoch, as an HTML image;
    "" without matplotlib or with fewer than two epochs.

    Drawn on a ``matplotlib.figure.Figure`` of its own (no pyplot), so nothing else shows.

    Example:
        >>> from glassnet.engine.callbacks import History
        >>> history = History()
        >>> for epoch in (1, 2, 3):
        ...     history.on_epoch_end(epoch, {"loss": 1.0 / epoch})
        >>> loss_chart(history).startswith('<img alt="loss per epoch"')
        True
    """
    if len(history.loss) < 2:
        return ""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return ""
    figure = Figure(figsize=(width, height), layout="constrained")
    ax = figure.add_subplot()
    for name, style in (("loss", "-"), ("val_loss", "--")):
        if name in history.history:
            ax.plot(history.epochs, history.history[name], style, label=name, color="#0072B2"
                    if name == "loss" else "#E69F00")  # fmt: skip
    if min(history.loss) > 0 and max(history.loss) / min(history.loss) > 100:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend(frameon=False, fontsize="small")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="loss per epoch" src="data:image/png;base64,{encoded}">'


def _elided_rows(count: int, head: int = 5, tail: int = 5) -> list[int | None]:
    if count <= head + tail + 2:
        return list(range(count))
    return [*range(head), None, *range(count - tail, count)]


def history_html(history: Any) -> str:
    """A History as a notebook shows it: the epochs' values (the first and last ones of a
    long run), how the run ended, and the loss chart.

    Example:
        >>> from glassnet.engine.callbacks import History
        >>> history = History(); history.on_epoch_end(1, {"loss": 0.5})
        >>> "<td>0.5</td>" in history_html(history)
        True
    """
    names = list(history.history)
    rows: list[list[object]] = [["epoch", *names]]
    if history.initial:
        rows.append(["0 (start)", *(_value(history.initial.get(n)) for n in names)])
    for index in _elided_rows(len(history.epochs)):
        if index is None:
            rows.append(["...", *([""] * len(names))])
            continue
        rows.append([history.epochs[index], *(_value(history.history[n][index]) for n in names)])
    epochs = len(history.epochs)
    parts = [f"<p><b>History</b>: {epochs} epoch{'' if epochs == 1 else 's'}</p>"]
    parts.append(html_table(rows))
    if history.stop is not None:
        parts.append(f"<p>{html.escape(str(history.stop))}</p>")
    parts.append(loss_chart(history))
    return "\n".join(part for part in parts if part)


def _value(value: float | None) -> str:
    return "" if value is None else format_number(value, digits=6)


def notes_html(title: str, notes: Sequence[object], empty: str) -> str:
    """A titled list of notes, each ``str(note)``; ``empty`` when there are none.

    Example:
        >>> notes_html("Diagnostics", ["the loss rose"], "nothing unusual")
        '<p><b>Diagnostics</b></p>\\n<ul>\\n<li>the loss rose</li>\\n</ul>'
    """
    if not notes:
        return f"<p><b>{html.escape(title)}</b>: {html.escape(empty)}</p>"
    items = "\n".join(f"<li>{html.escape(str(note))}</li>" for note in notes)
    return f"<p><b>{html.escape(title)}</b></p>\n<ul>\n{items}\n</ul>"


def perceptron_html(perceptron: Any, digits: int | None = None) -> str:
    """A Perceptron: its settings, then one row per epoch (weights and bias after it, the
    errors, the RMSE) and how the run ended; the textbook table (``table()``) folded below.

    Example:
        >>> from glassnet import Perceptron
        >>> p = Perceptron(2, 0.1, weights=[0.49671415, -0.1382643])
        >>> "<th>weights after</th>" in perceptron_html(p.fit([[0, 0], [0, 1]], [0, 1]))
        True
    """
    head = f"<p><code>{html.escape(repr(perceptron))}</code></p>"
    if not perceptron.epochs_:
        return head + "\n<p>not fitted yet: call fit(X, y)</p>"
    rows: list[list[object]] = [["epoch", "weights after", "bias after", "errors", "RMSE"]]
    for record in perceptron.epochs_:
        bias = "-" if record.bias is None else html_number(record.bias, digits)
        rows.append([record.epoch, html_number(record.weights, digits), bias, record.errors,
                     format_number(record.rmse, 4)])  # fmt: skip
    parts = [head, html_table(rows), f"<p>{html.escape(perceptron.message)}</p>"]
    parts.append(
        "<details><summary>the textbook table, row by row</summary><pre>"
        f"{html.escape(perceptron.table(digits))}</pre></details>"
    )
    return "\n".join(parts)


def epoch_summary(record: Any, digits: int | None = None) -> str:
    """One line for a PerceptronEpoch: its errors, RMSE and the weights after it.

    Example:
        >>> from glassnet import Perceptron
        >>> p = Perceptron(2, 0.1, weights=[0.49671415, -0.1382643])
        >>> epoch_summary(p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]).epochs_[0])
        'epoch 1: 1 error, RMSE 0.5; weights after it [0.49671415, -0.0382643]'
    """
    bias = "" if record.bias is None else f", bias {format_number(record.bias, digits)}"
    return (
        f"epoch {record.epoch}: {record.errors} error{'' if record.errors == 1 else 's'}, "
        f"RMSE {format_number(record.rmse, 4)}; weights after it "
        f"{format_number(np.asarray(record.weights, dtype=float), digits)}{bias}"
    )


def epoch_html(record: Any, digits: int | None = None) -> str:
    """One PerceptronEpoch: a row per sample in the order seen (the weights it met, z, the
    output, the target, the error and the correction), then the weights after the epoch.

    Example:
        >>> from glassnet import Perceptron
        >>> p = Perceptron(2, 0.1, weights=[0.49671415, -0.1382643])
        >>> first = p.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 1]).epochs_[0]
        >>> epoch_html(first).count("<tr><td>")  # a row per sample
        4
    """
    bias = "" if record.bias is None else f", bias {format_number(record.bias, digits)}"
    title = (
        f"<p><b>Epoch {record.epoch}</b>: {record.errors} error"
        f"{'' if record.errors == 1 else 's'}, RMSE {format_number(record.rmse, 4)}</p>"
    )
    after = Html(f"<p>weights after the epoch: {html_number(record.weights, digits)}"
                 f"{html.escape(bias)}</p>")  # fmt: skip
    if record.order.size == 0:  # a row budget dropped them: say so, not an empty table
        dropped = ("<p>its rows, sample by sample, were not kept: the perceptron's "
                   "row_budget keeps those of the latest epochs only</p>")  # fmt: skip
        return "\n".join([title, dropped, after])
    rows: list[list[object]] = [["sample", "w met", "z", "output", "target", "error", "correction"]]
    for k, sample in enumerate(record.order.tolist()):
        target = format_number(record.targets[k], digits)
        rows.append([
            sample, html_number(record.sample_weights[k], digits),
            format_number(record.z[k], digits), format_number(record.predictions[k], digits),
            target, format_number(record.sample_errors[k], digits),
            html_number(record.corrections[k], digits),
        ])  # fmt: skip
    return "\n".join([title, html_table(rows), after])
