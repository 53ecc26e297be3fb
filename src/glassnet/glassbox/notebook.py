"""A worked step as a Jupyter notebook: the trace's formulas and numbers, recomputed in NumPy.

``Trace.to_notebook(path)`` writes it. The notebook runs top to bottom in a fresh kernel
with NumPy alone (glassnet is not imported): a code cell rebuilds the network (every
weight written out as a literal), then for each stage (forward pass, loss, backward pass,
update) a Markdown cell gives the stage's formulas with their numbers, as LaTeX that
Jupyter's MathJax renders, and a code cell recomputes it in plain NumPy, one line per
quantity; the last cell checks every recomputed quantity against the trace's own numbers
(kept at full precision in the notebook) and prints the largest difference.

The recomputation covers what the trace covers: Dense layers of every activation, every
loss (the paired output deltas (a - y) / N included), L2 and L1 terms, dropout (its mask
as drawn, written out), and the update of plain gradient descent, momentum, Nesterov or
Adam from a fresh optimizer. The file is nbformat 4.5 JSON, written without nbformat.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> cells = notebook(net.trace([[0.3, 0.5]], [[1.0]], 1.0))["cells"]
    >>> [cell["cell_type"] for cell in cells][:4]
    ['markdown', 'code', 'markdown', 'code']
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np

from glassnet.glassbox.notation import layer_tag

__all__ = ["notebook", "notebook_json", "write_notebook"]

# Each activation as NumPy code: (a from z, da/dz from z and a); None where the layer's
# delta is the softmax Jacobian's product instead of an entry-by-entry derivative.
ACTIVATION_CODE: dict[str, tuple[str, str | None]] = {
    "identity": ("{z}", "np.ones_like({z})"),
    "sigmoid": ("1 / (1 + np.exp(-{z}))", "{a} * (1 - {a})"),
    "tanh": ("np.tanh({z})", "1 - {a} ** 2"),
    "relu": ("np.maximum(0.0, {z})", "np.where({z} > 0, 1.0, 0.0)"),
    "leaky_relu": ("np.where({z} > 0, {z}, {slope} * {z})", "np.where({z} > 0, 1.0, {slope})"),
    "step": ("np.where({z} > 0, 1.0, 0.0)", "np.zeros_like({z})"),
    "sign": ("np.sign({z} - {theta})", "np.zeros_like({z})"),
    "softmax": (
        "np.exp({z} - {z}.max(axis=1, keepdims=True)) / "
        "np.exp({z} - {z}.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)",
        None,
    ),
}

# Each loss: E from a and y, then dE/da; "N" is a.size, "n" the number of samples.
LOSS_CODE = {
    "half_sse": ("0.5 * np.sum((y - {a}) ** 2)", "{a} - y"),
    "mse": ("np.sum((y - {a}) ** 2) / {a}.size", "2 * ({a} - y) / {a}.size"),
    "binary_crossentropy": (
        "-np.sum(y * np.log({a}) + (1 - y) * np.log(1 - {a})) / {a}.size",
        "({a} - y) / ({a} * (1 - {a}) * {a}.size)",
    ),
    "crossentropy": ("-np.sum(y * np.log({a})) / {a}.shape[0]", "-y / ({a} * {a}.shape[0])"),
}
# The pairs whose output delta simplifies: dE/dz = (a - y) / divisor.
PAIRED = {
    ("binary_crossentropy", "sigmoid"): "{a}.size",
    ("crossentropy", "softmax"): "{a}.shape[0]",
}

OPTIMIZERS = ("sgd", "momentum", "nesterov", "adam")


def _literal(value) -> str:
    """An array as a NumPy literal that gives back the same float64 numbers."""

    def number(x: float) -> str:
        if math.isnan(x):
            return "np.nan"
        if math.isinf(x):
            return "np.inf" if x > 0 else "-np.inf"
        return repr(float(x))

    def nested(part) -> str:
        if np.ndim(part) == 0:
            return number(float(part))
        return "[" + ", ".join(nested(p) for p in part) + "]"

    array = np.asarray(value, dtype=float)
    return nested(array) if array.ndim == 0 else f"np.array({nested(array)})"


def _cell(kind: str, source: str, number: int) -> dict[str, Any]:
    cell: dict[str, Any] = {
        "cell_type": kind,
        "id": f"step-{number}",
        "metadata": {},
        "source": source,
    }
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


class _Writer:
    """The notebook's cells, and the recomputed quantities the last cell checks by name."""

    def __init__(self, trace, digits: int | None, decimals: int | None, note: str) -> None:
        self.trace, self.digits, self.decimals, self.note = trace, digits, decimals, note
        self.depth = len(trace.layers)
        self.tag = layer_tag(self.depth)
        self.cells: list[dict] = []
        self.checked: dict[str, str] = {}  # trace name -> the expression recomputing it

    def add(self, kind: str, source: str) -> None:
        self.cells.append(_cell(kind, source, len(self.cells)))

    def compare(self, name: str, expression: str) -> None:
        if name in self.trace:
            self.checked[name] = expression

    def stage_markdown(self, stage: str) -> None:
        """The stage's title and each of its steps as a LaTeX equation with its numbers."""
        for title, steps in self.trace.stages():
            if steps[0].stage == stage:
                equations = [f"$$ {s.latex(self.digits, decimals=self.decimals)} $$"
                             for s in steps]  # fmt: skip
                self.add("markdown", f"### {title}\n\n" + "\n\n".join(equations))


def _check_supported(trace) -> None:
    if not trace.layers or trace.loss is None:
        raise ValueError("this trace keeps no layer records: record it with Network.trace")
    name = getattr(trace.optimizer, "name", "sgd")
    if name not in OPTIMIZERS:
        raise ValueError(
            f"to_notebook recomputes the update of {', '.join(OPTIMIZERS)}; this step used {name!r}"
        )
    if name != "sgd" and "zero" not in trace.optimizer_note:
        raise ValueError(
            f"to_notebook recomputes {name} from a fresh optimizer (state at zero); this "
            "step's optimizer had taken steps before: trace with optimizer='" + name + "'"
        )
    if trace.loss.name not in LOSS_CODE:
        raise ValueError(f"to_notebook does not know the loss {trace.loss.name!r}")
    for record in trace.layers:
        if record.activation.name not in ACTIVATION_CODE:
            raise ValueError(f"to_notebook does not know the activation {record.activation.name!r}")


def _introduction(writer: _Writer) -> None:
    trace = writer.trace
    widths = [trace.layers[0].weights.shape[0]] + [r.weights.shape[1] for r in trace.layers]
    layers = ", ".join(
        f"layer {index}: {r.weights.shape[1]} {r.activation.name}"
        + ("" if r.bias is not None else " (no bias)")
        for index, r in enumerate(trace.layers, start=1)
    )
    samples = f"{trace.n_samples} sample" + ("" if trace.n_samples == 1 else "s")
    text = [
        "# One gradient-descent step, every number",
        "",
        f"A {'-'.join(map(str, widths))} network ({layers}), loss `{trace.loss.name}`, "
        f"{samples}, update: {trace.optimizer_note or 'sgd'}.",
        *(["", writer.note[0].upper() + writer.note[1:] + "."] if writer.note else []),
        "",
        "Each stage below gives its formulas with the numbers put in, then recomputes them "
        "in plain NumPy from the network written out in the next cell. The last cell checks "
        "every recomputed quantity against glassnet's trace. Run all cells (no glassnet "
        "needed).",
        "",
        "Indices: layers count from 1 (the input is layer 0); samples, rows and matrix "
        "entries count from 0.",
    ]
    writer.add("markdown", "\n".join(text))


def _network_cell(writer: _Writer) -> None:
    trace = writer.trace
    lines = [
        "import numpy as np",
        "",
        f"learning_rate = {trace.learning_rate!r}",
        f"x = {_literal(trace.layers[0].inputs)}  # the inputs, one row per sample",
        f"y = {_literal(trace.targets)}  # the targets, one column per output",
    ]
    for index, record in enumerate(trace.layers, start=1):
        n_in, n_out = record.weights.shape
        lines.append(f"# layer {index}: {n_in} inputs -> {n_out} {record.activation.name}")
        lines.append(f"W{index} = {_literal(record.weights)}")
        bias = "np.zeros(" + str(n_out) + ")  # no bias" if record.bias is None else None
        lines.append(f"b{index} = {bias or _literal(record.bias)}")
        mask = writer.tag("mask", index)
        if mask in trace:
            lines.append(f"mask{index} = {_literal(trace[mask])}  # the dropout mask drawn")
    writer.add("code", "\n".join(lines))


def _forward_cell(writer: _Writer) -> None:
    lines = []
    source = "x"
    for index, record in enumerate(writer.trace.layers, start=1):
        forward, _ = ACTIVATION_CODE[record.activation.name]
        constants = {"slope": getattr(record.activation, "slope", 0.0),
                     "theta": getattr(record.activation, "threshold", 0.0)}  # fmt: skip
        lines.append(f"z{index} = {source} @ W{index} + b{index}")
        lines.append(f"a{index} = " + forward.format(z=f"z{index}", **constants))
        writer.compare(writer.tag("z", index), f"z{index}")
        writer.compare(writer.tag("a", index), f"a{index}")
        source = f"a{index}"
        if writer.tag("mask", index) in writer.trace:
            lines.append(f"a{index}_dropped = a{index} * mask{index}")
            writer.compare(f"dropped {writer.tag('a', index)}", f"a{index}_dropped")
            source = f"a{index}_dropped"
    lines.append(", ".join(f"a{i}" for i in range(1, writer.depth + 1)))
    writer.add("code", "\n".join(lines))


def _loss_cell(writer: _Writer) -> None:
    trace, depth = writer.trace, writer.depth
    value, _ = LOSS_CODE[trace.loss.name]
    terms = [value.format(a=f"a{depth}")]
    for index, record in enumerate(trace.layers, start=1):
        if record.l2:
            terms.append(f"{record.l2!r} / 2 * np.sum(W{index} ** 2)")
        if getattr(record, "l1", 0.0):
            terms.append(f"{record.l1!r} * np.sum(np.abs(W{index}))")
    writer.add("code", "E = " + " + ".join(terms) + "\nE")
    writer.compare("E", "E")


def _output_delta(writer: _Writer, lines: list[str]) -> None:
    trace, L = writer.trace, writer.depth
    activation = trace.layers[-1].activation.name
    divisor = PAIRED.get((trace.loss.name, activation))
    if divisor is not None:
        lines.append(f"delta{L} = (a{L} - y) / {divisor.format(a=f'a{L}')}  # the paired shortcut")
    else:
        lines.append(f"dE_da{L} = " + LOSS_CODE[trace.loss.name][1].format(a=f"a{L}"))
        writer.compare(writer.tag("dE/da", L), f"dE_da{L}")
        _layer_delta(writer, L, lines)
    writer.compare(writer.tag("delta", L), f"delta{L}")


def _layer_delta(writer: _Writer, index: int, lines: list[str]) -> None:
    record = writer.trace.layers[index - 1]
    _, derivative = ACTIVATION_CODE[record.activation.name]
    if derivative is None:  # softmax: the Jacobian's product
        lines.append(f"delta{index} = a{index} * (dE_da{index} - np.sum(dE_da{index} * "
                     f"a{index}, axis=1, keepdims=True))")  # fmt: skip
        return
    constants = {"slope": getattr(record.activation, "slope", 0.0)}
    lines.append(f"da_dz{index} = " + derivative.format(z=f"z{index}", a=f"a{index}", **constants))
    lines.append(f"delta{index} = dE_da{index} * da_dz{index}")
    writer.compare(writer.tag("da/dz", index), f"da_dz{index}")


def _backward_cell(writer: _Writer) -> None:
    trace, L = writer.trace, writer.depth
    lines: list[str] = []
    _output_delta(writer, lines)
    for index in range(L, 0, -1):
        record = trace.layers[index - 1]
        if index < L:
            mask = f" * mask{index}" if writer.tag("mask", index) in trace else ""
            lines.append(f"dE_da{index} = (delta{index + 1} @ W{index + 1}.T){mask}")
            writer.compare(writer.tag("dE/da", index), f"dE_da{index}")
            _layer_delta(writer, index, lines)
            writer.compare(writer.tag("delta", index), f"delta{index}")
        below = "x" if index == 1 else f"a{index - 1}"
        if index > 1 and writer.tag("mask", index - 1) in trace:
            below = f"a{index - 1}_dropped"
        gradient = f"{below}.T @ delta{index}"
        if record.l2:
            gradient += f" + {record.l2!r} * W{index}"
        if getattr(record, "l1", 0.0):
            gradient += f" + {record.l1!r} * np.sign(W{index})"
        lines.append(f"dE_dW{index} = {gradient}")
        lines.append(f"dE_db{index} = delta{index}.sum(axis=0)")
        writer.compare(writer.tag("dE/dW", index), f"dE_dW{index}")
        if record.bias is not None:
            writer.compare(writer.tag("dE/db", index), f"dE_db{index}")
    _weight_by_weight(writer)
    writer.add("code", "\n".join(lines))


def _weight_by_weight(writer: _Writer) -> None:
    """A one-neuron, one-sample trace also names each weight: dE/dw1 is dE/dW[0, 0], ..."""
    for i in range(writer.trace.layers[0].weights.shape[0]):
        writer.compare(f"dE/dw{i + 1}", f"dE_dW1[{i}, 0]")


def _update_lines(optimizer, parameter: str, gradient: str) -> list[str]:
    """The optimizer's rule for one array, from a fresh state (velocities and moments 0)."""
    name = getattr(optimizer, "name", "sgd")
    if name == "sgd":
        return [f"{parameter}_new = {parameter} - learning_rate * {gradient}"]
    if name in ("momentum", "nesterov"):
        mu = repr(optimizer.momentum)
        lines = [f"v_{parameter} = {mu} * 0 - learning_rate * {gradient}"]
        if name == "momentum":
            return [*lines, f"{parameter}_new = {parameter} + v_{parameter}"]
        return [*lines, f"{parameter}_new = {parameter} + {mu} * v_{parameter} - "
                        f"learning_rate * {gradient}"]  # fmt: skip
    beta1, beta2, t = repr(optimizer.beta1), repr(optimizer.beta2), optimizer.iterations
    lines = [
        f"m_{parameter} = {beta1} * 0 + (1 - {beta1}) * {gradient}",
        f"v_{parameter} = {beta2} * 0 + (1 - {beta2}) * {gradient} ** 2",
        f"m_hat_{parameter} = m_{parameter} / (1 - {beta1} ** {t})",
        f"v_hat_{parameter} = v_{parameter} / (1 - {beta2} ** {t})",
    ]
    if getattr(optimizer, "epsilon_on", "v_hat") == "v":
        step = (f"m_hat_{parameter} * np.sqrt(1 - {beta2} ** {t}) / (np.sqrt(v_{parameter}) + "
                f"{optimizer.epsilon!r})")  # fmt: skip
    else:
        step = f"m_hat_{parameter} / (np.sqrt(v_hat_{parameter}) + {optimizer.epsilon!r})"
    return [*lines, f"{parameter}_new = {parameter} - learning_rate * {step}"]


def _update_cell(writer: _Writer) -> None:
    trace = writer.trace
    lines: list[str] = []
    for index, record in enumerate(trace.layers, start=1):
        lines += _update_lines(trace.optimizer, f"W{index}", f"dE_dW{index}")
        writer.compare(writer.tag("new W", index), f"W{index}_new")
        if record.bias is not None:
            lines += _update_lines(trace.optimizer, f"b{index}", f"dE_db{index}")
            writer.compare(writer.tag("new b", index), f"b{index}_new")
    for i in range(trace.layers[0].weights.shape[0]):
        writer.compare(f"new w{i + 1}", f"W1_new[{i}, 0]")
    writer.add("code", "\n".join(lines))


def _check_cell(writer: _Writer) -> None:
    trace = writer.trace
    names = list(writer.checked)
    numbers = "\n".join(f"    {name!r}: {_literal(trace[name])}," for name in names)
    mine = "\n".join(f"    {name!r}: {expression}," for name, expression in writer.checked.items())
    writer.add("markdown", "### Check\n\nEvery quantity recomputed above, against the numbers "
               "glassnet's trace computed (kept here at full precision).")  # fmt: skip
    writer.add("code", "\n".join([
        "trace_numbers = {", numbers, "}",
        "recomputed = {", mine, "}",
        "differences = {name: float(np.max(np.abs(np.asarray(recomputed[name]) - value)))",
        "               for name, value in trace_numbers.items()}",
        "for name, value in trace_numbers.items():",
        "    assert np.allclose(recomputed[name], value, rtol=1e-9, atol=1e-12), name",
        'print(f"all {len(differences)} quantities agree with the trace; largest difference "',
        '      f"{max(differences.values()):.1e}")',
    ]))  # fmt: skip


# The trace is named Any here: trace.py imports this module for Trace.to_notebook.


def notebook(
    trace: Any, digits: int | None = 6, decimals: int | None = None, note: str = ""
) -> dict[str, Any]:
    """The notebook of one traced step, as nbformat 4 JSON data (see the module docstring).

    ``digits`` (or ``decimals``) rounds the numbers of the Markdown cells; the code cells and
    the check keep full precision. ``note`` says where the step comes from (a data row).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> book = notebook(net.trace([[1.0]], [[1.0]], 0.1))
        >>> book["nbformat"], "W1 = np.array([[2.0]])" in book["cells"][1]["source"]
        (4, True)
    """
    _check_supported(trace)
    writer = _Writer(trace, None if decimals is not None else digits, decimals, note)
    _introduction(writer)
    _network_cell(writer)
    for stage, cell in (("forward", _forward_cell), ("loss", _loss_cell),
                        ("backward", _backward_cell), ("update", _update_cell)):  # fmt: skip
        writer.stage_markdown(stage)
        cell(writer)
    _check_cell(writer)
    return {
        "cells": writer.cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_json(
    trace: Any, digits: int | None = 6, decimals: int | None = None, note: str = ""
) -> str:
    """The notebook as the text of an .ipynb file.

    Example:
        >>> import json
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> json.loads(notebook_json(net.trace([[1.0]], [[1.0]], 0.1)))["nbformat_minor"]
        5
    """
    book = notebook(trace, digits, decimals, note)
    return json.dumps(book, indent=1, ensure_ascii=False) + "\n"


def write_notebook(
    trace: Any, path: str | os.PathLike[str], digits: int | None = 6, decimals: int | None = None
) -> str:
    """Write the step's notebook to ``path`` (an .ipynb file); returns the path.

    Example:
        >>> import os, tempfile
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)],
        ...               loss="half_sse")
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = write_notebook(net.trace([[1.0]], [[1.0]], 0.1), f"{folder}/step.ipynb")
        ...     os.path.basename(path)
        'step.ipynb'
    """
    path = os.fspath(path)
    if not path.endswith(".ipynb"):
        raise ValueError(f"{path}: a notebook's name ends in .ipynb")
    text = notebook_json(trace, digits, decimals)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path
