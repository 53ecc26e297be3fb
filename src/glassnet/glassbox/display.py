"""The glass box as a notebook shows it: the trace, a check report, a gradient check and the
three views as HTML tables, every number or matrix a small table of its own.

Built on ``glassnet.engine.display`` (HTML tables from rows, numbers as small tables); each
class keeps a thin ``_repr_html_`` that calls a function here. The trace's Markdown, with
the math for MathJax, is ``Trace.to_markdown``.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> page = trace_html(net.trace([[0.3, 0.5]], [[1.0]], 1.0), digits=4)
    >>> "<td>0.5275</td>" in page, "[[" in page
    (True, False)
"""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from glassnet.engine.display import Html, html_number, html_table
from glassnet.glassbox.changes import changes_html, loss_lines
from glassnet.glassbox.notation import PLACEHOLDER

__all__ = ["numbers_html", "trace_html", "report_html", "gradcheck_html", "views_html"]

_PLACEHOLDERS = re.compile("\x00(\\d+)\x00")


# The objects shown are named Any here: their modules (trace.py, check.py, gradcheck.py,
# views.py) import this one for their displays.


def numbers_html(
    step: Any, digits: int | None = None, sample: int | None = None, decimals: int | None = None
) -> Html:
    """A step's formula with its numbers put in, each matrix a small table.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "identity", weights=[[2.0], [1.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> step = net.trace([[1.0, 3.0], [2.0, 1.0]], [[1.0], [0.0]], 0.1).step("dE/dW")
        >>> numbers_html(step).count('class="glassnet-matrix"')
        2
    """
    numbers: list[Any] = []

    def placeholder(value: ArrayLike) -> str:
        numbers.append(value)
        return PLACEHOLDER.format(len(numbers) - 1)

    skeleton = step.substituted(sample=sample, fmt=placeholder)
    parts, last = [], 0
    for match in _PLACEHOLDERS.finditer(skeleton):
        parts.append(html.escape(skeleton[last : match.start()]))
        parts.append(html_number(numbers[int(match.group(1))], digits, decimals))
        last = match.end()
    parts.append(html.escape(skeleton[last:]))
    return Html("".join(parts))


def _value_html(step: Any, digits: int | None, sample: int | None, decimals: int | None) -> Html:
    shown = step.value_for(sample)
    value: str = html_number(shown, digits, decimals)
    if shown.size > 1 and shown.ndim <= 2:
        value += f" <small>({' &times; '.join(map(str, shown.shape))})</small>"
    return Html(value)


def trace_html(
    trace: Any, digits: int | None = 6, sample: int | None = None, decimals: int | None = None
) -> str:
    """One step as HTML: a row per shown quantity (name, formula, numbers, value), each stage
    headed, then what changed and the loss before and after.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> ">Forward pass</th>" in trace_html(net.trace([[1.0]], [[1.0]], 0.1))
        True
    """
    rows = []
    for title, steps in trace.stages():
        head = f'<th colspan="4" style="text-align:left">{html.escape(title)}</th>'
        rows.append(f"<tr>{head}</tr>")
        for step in steps:
            cells = [
                f"<code>{html.escape(step.name)}</code>",
                html.escape(step.formula),
                numbers_html(step, digits, sample, decimals),
                _value_html(step, digits, sample, decimals),
            ]
            rows.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    caption = f"One gradient-descent step: {trace.n_samples} sample(s), learning rate "
    caption += f"{trace.learning_rate:g}"
    if sample is not None:
        caption += f"; sample {sample} shown"
    parts = [
        '<table class="glassnet-trace">',
        f"<caption>{html.escape(caption)}</caption>",
        "<tr><th>quantity</th><th>formula</th><th>numbers</th><th>value</th></tr>",
        *rows,
        "</table>",
    ]
    if trace.changes:
        parts += changes_html(trace.changes, digits, decimals)
        lines = loss_lines(trace.loss_before, trace.loss_after, trace.predicted_loss_change,
                           digits, decimals)  # fmt: skip
        parts += [f"<p>{html.escape(line)}</p>" for line in lines]
    return "\n".join(parts)


def _plain(value) -> str:
    return html_number(value, digits=6) if value is not None else ""


def report_html(report: Any) -> str:
    """A CheckReport: a row per value checked, the verdict, and the slip named when wrong.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
        ...               loss="half_sse")
        >>> page = report_html(net.trace([[0.3, 0.5]], [[1.0]], 1.0).check({"E": 0.2233}))
        >>> "<td>wrong</td>" in page, "missing 1/2" in page
        (True, True)
    """
    rows: list[list[Any]] = [
        ["quantity", "yours", "the trace's", "verdict", "likely slip", "message"]
    ]
    for item in report.items:
        slips = ", ".join(item.slips) if item.slips else (item.slip or "")
        rows.append([Html(f"<code>{html.escape(item.name)}</code>"), _plain(item.given),
                     _plain(item.expected), "right" if item.right else "wrong", slips,
                     item.message])  # fmt: skip
    verdict = "all right" if report.all_right else "not all right yet"
    caption = f"Your values: {verdict} (relative tolerance {report.tolerance:g})"
    return html_table(rows, caption=caption, css_class="glassnet-check")


def gradcheck_html(result: Any) -> str:
    """A GradcheckResult: a row per parameter entry (backprop, numerical, relative error,
    checkable or why not), then the verdict.

    Example:
        >>> from glassnet.glassbox.gradcheck import GradcheckResult, GradcheckRow
        >>> result = GradcheckResult([GradcheckRow("b[1][0]", 0.2, 0.3, 0.2)])
        >>> "FAILED" in gradcheck_html(result)
        True
    """
    rows: list[list[Any]] = [["parameter", "backprop", "numerical", "relative error", "note"]]
    for row in result.rows:
        checkable = getattr(row, "checkable", True)
        if not checkable:
            error, note = "-", f"not checkable: {getattr(row, 'reason', '')}"
        else:
            error = f"{row.relative_error:.2e}"
            note = "above tolerance" if row.relative_error > result.tolerance else ""
        rows.append([Html(f"<code>{html.escape(row.name)}</code>"), f"{row.backprop:.6e}",
                     f"{row.numerical:.6e}", error, note])  # fmt: skip
    table = html_table(rows, caption="Backpropagation against finite differences",
                       css_class="glassnet-gradcheck")  # fmt: skip
    return f"{table}\n<p>{html.escape(result.verdict())}</p>"


def views_html(three: Any) -> str:
    """ThreeViews: each quantity as the neuron-by-neuron working, the matrix form and
    glassnet computed it, with their largest difference; the working of each view folded
    below, stage by stage, side by side.

    Example:
        >>> from glassnet.glassbox.views import views
        >>> page = views_html(views())
        >>> page.count("<details>"), "<th>difference</th>" in page
        (1, True)
    """
    rows: list[list[Any]] = [["quantity", "neuron by neuron", "matrix form", "glassnet",
                         "difference"]]  # fmt: skip
    shown = (three.neurons, three.matrices, three.library)
    for name, difference in three.differences.items():
        numbers = [html_number(np.asarray(view.values[name], dtype=float), 6) for view in shown]
        rows.append([Html(f"<code>{html.escape(name)}</code>"), *numbers, f"{difference:.1e}"])
    caption = (
        f"Three views of one step agree to {three.max_difference:.1e}: the matrix form is "
        "the neuron-by-neuron sums, all done at once"
    )
    working: list[list[Any]] = [["stage", *(view.title for view in shown)]]
    for number, (title, _) in enumerate(three.neurons.sections):
        cells = ["\n".join(view.sections[number][1]) for view in shown]
        pre = "<pre style='margin:0;white-space:pre-wrap;text-align:left'>{}</pre>"
        working.append([title, *(Html(pre.format(html.escape(cell))) for cell in cells)])
    return (
        html_table(rows, caption=caption, css_class="glassnet-views")
        + "\n<details><summary>the working of each view, stage by stage</summary>\n"
        + html_table(working, css_class="glassnet-working")
        + "\n</details>"
    )
