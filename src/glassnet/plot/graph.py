"""The computation graph of one sample through a small network: every product x_i * w_ij,
every sum with its bias, every activation and the loss, each node with its value and its
gradient dE/d(node), as micrograd's ``draw_dot`` draws it, without graphviz.

Read from left to right, it is the forward pass (values); read from right to left, the
backward pass (gradients): the loss's gradient is 1, an activation's is dE/da, a sum's is
delta = dE/dz, and so is each product's (dz/d(x_i w_ij) = 1), whose box also gives its
weight and dE/dw_ij = x_i * delta_j. The numbers are the trace's, for the one sample
shown (with several samples, the gradients are that sample's share of the batch's).

Names are the trace's, so a learner can check any node with ``trace.check``: x1 and w1
for one neuron on one sample (as tutorial 000 writes them), else entries counted from 0,
``z[1][0,2]`` (sample 0, neuron 2 of layer 1) and ``W[2][1,0]`` (from input 1 of layer 2
to its neuron 0); layers count from 1.

``computation_graph`` returns a ``ComputationGraph``: a notebook shows it inline as SVG
(``_repr_svg_``), ``svg`` is the drawing's text, ``figure()`` the same drawing in
matplotlib, and ``save(path)`` writes .svg as it is or .png/.pdf through matplotlib. Up to
``MAX_NODES`` nodes stay readable; a bigger network is refused in one line.

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
    ...               loss="half_sse")
    >>> graph = computation_graph(net.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0))
    >>> [node.name for node in graph.nodes]
    ['x1', 'x2', 'x1 * w1', 'x2 * w2', 'z', 'a', 'E']
    >>> graph.node("x1 * w1").gradient == graph.node("z").gradient
    True
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from glassnet.files import write_atomically
from glassnet.plot.figures import PALETTE, new_figure, save
from glassnet.text import format_number

__all__ = ["MAX_NODES", "ComputationGraph", "GraphNode", "computation_graph"]

MAX_NODES = 20
# The drawing, in pixels: a node's box, the gaps between columns and between rows.
BOX_WIDTH, BOX_HEIGHT, COLUMN_GAP, ROW_GAP, MARGIN = 186, 58, 32, 14, 16
# Each kind of node in a light tint of the palette, its edge in the full colour.
COLOURS = {"input": PALETTE[4], "product": PALETTE[1], "sum": PALETTE[2],
           "activation": PALETTE[0], "loss": PALETTE[5]}  # fmt: skip


@dataclass
class GraphNode:
    """One node: its name, what it computes, its value and gradient dE/d(node), where it
    is drawn (column, row) and any further line (a product's weight and its gradient).

    Example:
        >>> GraphNode("z", "sum", "x1*w1 + x2*w2", 0.11, -0.1178, 2, 0.5).kind
        'sum'
    """

    name: str
    kind: str  # "input", "product", "sum", "activation" or "loss"
    formula: str
    value: float
    gradient: float
    column: int
    row: float
    extra: str = ""
    inputs: list[str] = field(default_factory=list)  # the names of the nodes feeding it


# The trace drawn is named Any: the glass box, where Trace lives, is a room this one does
# not import (ARCHITECTURE.md). A number formatter turns a value into the text drawn.
TraceLike = Any
Formatter = Callable[[float], str]


def _tag(depth: int) -> Callable[[str, int], str]:
    """The trace's names: z[2], or plain z in a network of one layer (as the trace's
    ``layer_tag`` in the glass box, which this room does not import)."""
    return lambda symbol, layer: symbol if depth == 1 else f"{symbol}[{layer}]"


class _Reader:
    """The numbers of one sample, read from the trace by name."""

    def __init__(self, trace: TraceLike, sample: int, number: Formatter) -> None:
        self.trace, self.sample, self.number = trace, sample, number
        self.depth = len(trace.layers)
        self.tag = _tag(self.depth)
        # One neuron on one sample: the trace writes x1, w1 as tutorial 000 does.
        self.by_weight = self.depth == 1 and trace.n_samples == 1 and (
            trace.layers[0].weights.shape[1] == 1)  # fmt: skip
        # The tallest column (the most products of one layer) sets the rows; the others
        # are centred on it.
        self.rows = max(r.weights.shape[0] * r.weights.shape[1] for r in trace.layers)

    def row(self, name: str) -> np.ndarray:
        return np.asarray(self.trace[name], dtype=float)[self.sample]

    def input_name(self, layer: int, i: int) -> str:
        if layer == 1:
            return f"x{i + 1}" if self.by_weight else f"x[{self.sample},{i}]"
        return f"{self.tag('a', layer - 1)}[{self.sample},{i}]"

    def weight_name(self, layer: int, i: int, j: int) -> str:
        return f"w{i + 1}" if self.by_weight else f"{self.tag('W', layer)}[{i},{j}]"

    def neuron_name(self, symbol: str, layer: int, j: int) -> str:
        return self.tag(symbol, layer) if self.by_weight else (
            f"{self.tag(symbol, layer)}[{self.sample},{j}]")  # fmt: skip

    def weight_gradient(self, layer: int, i: int, j: int, delta: np.ndarray) -> float:
        if self.trace.n_samples == 1:  # the trace's own, penalties included
            return float(np.asarray(self.trace[self.tag("dE/dW", layer)])[i, j])
        return float(self.trace.layers[layer - 1].inputs[self.sample, i] * delta[j])


def _check(trace: TraceLike, sample: int) -> None:
    if not getattr(trace, "layers", None):
        raise ValueError("computation_graph draws a Trace of a network: net.trace(X, y)")
    if isinstance(sample, bool) or not isinstance(sample, int | np.integer) or not (
            0 <= sample < trace.n_samples):  # fmt: skip
        raise ValueError(
            f"sample must be a whole number from 0 to {trace.n_samples - 1} (samples count "
            f"from 0), got {sample!r}"
        )
    if any(name.startswith("mask") for name in trace.names()):
        raise ValueError("computation_graph draws Dense layers only; this trace has dropout")
    widths = [trace.layers[0].weights.shape[0]] + [r.weights.shape[1] for r in trace.layers]
    count = (
        widths[0]
        + 1
        + sum(n_out * (n_in + 2) for n_in, n_out in zip(widths, widths[1:], strict=False))
    )
    if count > MAX_NODES:
        raise ValueError(
            f"the {'-'.join(map(str, widths))} network's graph has {count} nodes; it stays "
            f"readable up to {MAX_NODES} (e.g. 2-1, 3-1, 2-2-1, 2-3-1): draw a smaller "
            "network, or use glassnet.plot.network_diagram"
        )


def _output_gradient(reader: _Reader) -> np.ndarray:
    """dE/da of the output layer for the sample: the trace's, or the loss's own gradient
    where the trace goes straight to delta (a paired output and loss)."""
    name = reader.tag("dE/da", reader.depth)
    if name in reader.trace:
        return reader.row(name)
    record = reader.trace.layers[-1]
    return np.asarray(reader.trace.loss.gradient(record.a, reader.trace.targets))[reader.sample]


def _layer_nodes(
    reader: _Reader, layer: int, first_column: int, rows: list[float]
) -> list[GraphNode]:
    """A layer's products, sums and activations; returns them, and leaves the activations'
    rows in ``rows`` (where the next layer's inputs are drawn)."""
    record, n = reader.trace.layers[layer - 1], reader.number
    n_in, n_out = record.weights.shape
    delta = reader.row(reader.tag("delta", layer))
    below = reader.row(reader.tag("dE/da", layer)) if layer < reader.depth else (
        _output_gradient(reader))  # fmt: skip
    nodes: list[GraphNode] = []
    out_rows: list[float] = []
    for j in range(n_out):
        offset = (reader.rows - n_in * n_out) / 2
        product_rows = [offset + j * n_in + i for i in range(n_in)]
        names = []
        for i in range(n_in):
            w, source = reader.weight_name(layer, i, j), reader.input_name(layer, i)
            gradient = reader.weight_gradient(layer, i, j, delta)
            name = f"{source} * {w}"
            names.append(name)
            symbol = w if reader.by_weight else "W"  # the entry is named in the title
            weight = f"{symbol} = {n(record.weights[i, j])}, dE/d{symbol} = {n(gradient)}"
            value = float(record.inputs[reader.sample, i] * record.weights[i, j])
            nodes.append(GraphNode(name, "product", "", value, float(delta[j]), first_column,
                                   product_rows[i], weight, [source]))  # fmt: skip
        centre = float(np.mean(product_rows))
        z, a = reader.neuron_name("z", layer, j), reader.neuron_name("a", layer, j)
        bias = "" if record.bias is None else f" + {n(record.bias[j])}"
        nodes.append(GraphNode(z, "sum", "sum" + bias, float(record.z[reader.sample, j]),
                               float(delta[j]), first_column + 1, centre, "", names))  # fmt: skip
        nodes.append(GraphNode(a, "activation", record.activation.name,
                               float(record.a[reader.sample, j]), float(below[j]),
                               first_column + 2, centre, "", [z]))  # fmt: skip
        out_rows.append(centre)
    rows[:] = out_rows
    return nodes


def _graph_nodes(trace: TraceLike, sample: int, number: Formatter) -> list[GraphNode]:
    reader = _Reader(trace, sample, number)
    first = trace.layers[0]
    n_inputs = first.weights.shape[0]
    dx = np.asarray(trace[reader.tag("delta", 1)], dtype=float)[sample] @ first.weights.T
    tallest = reader.rows
    spread = (tallest - 1) / max(n_inputs - 1, 1)
    nodes = [
        GraphNode(
            reader.input_name(1, i),
            "input",
            "input",
            float(first.inputs[sample, i]),
            float(dx[i]),
            0,
            i * spread if n_inputs > 1 else (tallest - 1) / 2,
        )  # fmt: skip
        for i in range(n_inputs)
    ]
    rows: list[float] = []
    for layer in range(1, reader.depth + 1):
        nodes += _layer_nodes(reader, layer, 3 * layer - 2, rows)
    outputs = [node.name for node in nodes if node.kind == "activation"][-len(rows) :]
    nodes.append(GraphNode("E", "loss", trace.loss.name, float(trace["E"]), 1.0,
                           3 * reader.depth + 1, float(np.mean(rows)), "", outputs))  # fmt: skip
    _spread_rows(nodes)
    return nodes


def _spread_rows(nodes: list[GraphNode]) -> None:
    """A later layer's products sit below their inputs' rows; keep each column's boxes
    apart (one row at least between two) without moving their order."""
    for column in {node.column for node in nodes}:
        placed = sorted((n for n in nodes if n.column == column), key=lambda n: n.row)
        for before, node in zip(placed, placed[1:], strict=False):
            node.row = max(node.row, before.row + 1)


class ComputationGraph:
    """The graph of one sample (see the module docstring): ``nodes``, ``svg``, ``figure()``,
    ``save(path)``; a notebook shows it inline.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
        ...               loss="half_sse")
        >>> graph = computation_graph(net.trace([[0.3, 0.5]], [[1.0]], 1.0))
        >>> graph.svg.startswith("<svg"), graph.node("a").value
        (True, 0.5274723043445937)
    """

    def __init__(self, nodes: list[GraphNode], caption: str, number: Formatter) -> None:
        self.nodes: list[GraphNode] = nodes
        self.caption: str = caption
        self._number = number
        rows = max(node.row for node in nodes) + 1
        columns = max(node.column for node in nodes) + 1
        self.width: int = 2 * MARGIN + columns * BOX_WIDTH + (columns - 1) * COLUMN_GAP
        self.height: int = int(2 * MARGIN + 24 + rows * BOX_HEIGHT + (rows - 1) * ROW_GAP)

    def node(self, name: str) -> GraphNode:
        """The node called ``name``.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], bias=[0.5])], "mse")
            >>> computation_graph(net.trace([[1.0]], [[3.0]], 0.1)).node("z").value
            2.5
        """
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(f"no node {name!r}; the nodes: {', '.join(n.name for n in self.nodes)}")

    def box(self, node: GraphNode) -> tuple[float, float]:
        """The top-left corner of a node's box, in pixels from the drawing's top left.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], bias=[0.5])], "mse")
            >>> graph = computation_graph(net.trace([[1.0]], [[3.0]], 0.1))
            >>> graph.box(graph.nodes[0])
            (16, 40.0)
        """
        x = MARGIN + node.column * (BOX_WIDTH + COLUMN_GAP)
        return x, MARGIN + 24 + node.row * (BOX_HEIGHT + ROW_GAP)

    def lines(self, node: GraphNode) -> list[str]:
        """The lines in a node's box: its name and formula, its value and gradient, and a
        product's weight.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], bias=[0.5])], "mse")
            >>> computation_graph(net.trace([[1.0]], [[3.0]], 0.1)).lines(
            ...     computation_graph(net.trace([[1.0]], [[3.0]], 0.1)).node("z"))
            ['z = sum + 0.5', 'value 2.5   grad -1']
        """
        title = node.name if not node.formula or node.kind == "input" else (
            f"{node.name} = {node.formula}")  # fmt: skip
        numbers = f"value {self._number(node.value)}   grad {self._number(node.gradient)}"
        return [title, numbers] + ([node.extra] if node.extra else [])

    def edges(self) -> list[tuple[GraphNode, GraphNode]]:
        """(from, to) for every edge, in the order drawn.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], bias=[0.5])], "mse")
            >>> [(a.name, b.name) for a, b in computation_graph(
            ...     net.trace([[1.0]], [[3.0]], 0.1)).edges()][:2]
            [('x1', 'x1 * w1'), ('x1 * w1', 'z')]
        """
        return [(self.node(source), node) for node in self.nodes for source in node.inputs]

    @property
    def svg(self) -> str:
        """The drawing as SVG text."""
        return _svg(self)

    def _repr_svg_(self) -> str:
        return self.svg

    def figure(self) -> Figure:
        """The same drawing as a matplotlib Figure (for PNG or PDF).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2.0]], bias=[0.5])], "mse")
            >>> computation_graph(net.trace([[1.0]], [[3.0]], 0.1)).figure().get_size_inches()
            array([10.9 ,  1.14])
        """
        return _figure(self)

    def save(self, path: str | os.PathLike[str], dpi: int = 100) -> str:
        """Write .svg as drawn, or .png/.pdf through matplotlib; returns the path.

        Example:
            >>> graph.save("graph.svg")  # doctest: +SKIP
            'graph.svg'
        """
        path = os.fspath(path)
        if not path.lower().endswith(".svg"):
            return save(self.figure(), path, dpi=dpi)
        folder = os.path.dirname(path) or "."
        if not os.path.isdir(folder):
            raise ValueError(f"{path}: the folder {folder} does not exist")

        def write(temporary: str) -> None:
            with open(temporary, "w", encoding="utf-8") as handle:
                handle.write(self.svg)

        write_atomically(path, write)
        return path

    def __repr__(self) -> str:
        return f"ComputationGraph({len(self.nodes)} nodes: {self.caption})"


def _edge_points(
    graph: ComputationGraph, source: GraphNode, target: GraphNode
) -> tuple[tuple[float, float], ...]:
    sx, sy = graph.box(source)
    tx, ty = graph.box(target)
    start = (sx + BOX_WIDTH, sy + BOX_HEIGHT / 2)
    end = (tx, ty + BOX_HEIGHT / 2)
    middle = (start[0] + end[0]) / 2
    return start, (middle, start[1]), (middle, end[1]), end


def _svg(graph: ComputationGraph) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{graph.width}" '
        f'height="{graph.height}" viewBox="0 0 {graph.width} {graph.height}" '
        'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>'
        "</defs>",
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 10}" font-size="12" font-weight="bold">'
        f"{html.escape(graph.caption)}</text>",
    ]
    for source, target in graph.edges():
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = _edge_points(graph, source, target)
        parts.append(f'<path d="M{x0},{y0} C{x1},{y1} {x2},{y2} {x3},{y3}" fill="none" '
                     'stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>')  # fmt: skip
    for node in graph.nodes:
        x, y = graph.box(node)
        colour = COLOURS[node.kind]
        parts.append(f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" '
                     f'fill="{colour}" fill-opacity="0.16" stroke="{colour}" '
                     'stroke-width="1.5"/>')  # fmt: skip
        for number, line in enumerate(graph.lines(node)):
            weight = ' font-weight="bold"' if number == 0 else ""
            fill = "#333" if number == 0 else ("#005a8c" if number == 1 else "#8a4b00")
            parts.append(f'<text x="{x + 7}" y="{y + 16 + 16 * number}" fill="{fill}"{weight}>'
                         f"{html.escape(line)}</text>")  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts)


def _figure(graph: ComputationGraph) -> Figure:
    """The drawing in matplotlib, one pixel of the SVG to one point at 100 dpi."""
    figure, ax = new_figure((graph.width / 100, graph.height / 100))
    figure.set_layout_engine("none")
    ax.set_position((0, 0, 1, 1))
    ax.set_xlim(0, graph.width)
    ax.set_ylim(graph.height, 0)
    ax.axis("off")
    ax.text(MARGIN, MARGIN + 10, graph.caption, fontsize=8.5, fontweight="bold", va="baseline")
    for source, target in graph.edges():
        points = _edge_points(graph, source, target)
        path = Path(points, [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
        ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=9,
                                     color="#555", linewidth=1.0))  # fmt: skip
    for node in graph.nodes:
        x, y = graph.box(node)
        colour = COLOURS[node.kind]
        ax.add_patch(FancyBboxPatch((x, y), BOX_WIDTH, BOX_HEIGHT, boxstyle="round,pad=0,"
                                    "rounding_size=6", facecolor=colour, alpha=0.16,
                                    edgecolor="none"))  # fmt: skip
        ax.add_patch(FancyBboxPatch((x, y), BOX_WIDTH, BOX_HEIGHT, boxstyle="round,pad=0,"
                                    "rounding_size=6", facecolor="none", edgecolor=colour,
                                    linewidth=1.2))  # fmt: skip
        for number, line in enumerate(graph.lines(node)):
            fill = "#333" if number == 0 else ("#005a8c" if number == 1 else "#8a4b00")
            ax.text(x + 7, y + 16 + 16 * number, line, fontsize=7.8, color=fill,
                    fontweight="bold" if number == 0 else "normal", va="baseline")  # fmt: skip
    return figure


def computation_graph(
    trace: TraceLike,
    path: str | os.PathLike[str] | None = None,
    sample: int = 0,
    digits: int | None = 4,
    decimals: int | None = None,
) -> ComputationGraph:
    """One sample's computation graph of a traced step (see the module docstring).

    Args:
        trace: ``net.trace(X, y)`` of a network of Dense layers, at most ``MAX_NODES`` nodes.
        path: also write the drawing here (.svg as drawn; .png or .pdf through matplotlib).
        sample: the sample drawn, counting from 0.
        digits, decimals: the numbers' significant digits, or decimal places.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 2, "sigmoid"), Dense(2, 1, "sigmoid")], seed=0)
        >>> len(computation_graph(net.trace([[0.3, 0.5]], [[1.0]], 1.0)).nodes)
        15
    """
    _check(trace, sample)

    def number(value: float) -> str:
        return format_number(value, None if decimals is not None else digits, decimals=decimals)

    nodes = _graph_nodes(trace, int(sample), number)
    widths = [trace.layers[0].weights.shape[0]] + [r.weights.shape[1] for r in trace.layers]
    caption = (
        f"Sample {sample} through the {'-'.join(map(str, widths))} network, "
        f"loss {trace.loss.name}: value left to right, grad = dE/d(node) right to left"
    )
    if trace.n_samples > 1:
        caption += f" (this sample's share of the {trace.n_samples} samples' gradients)"
    graph = ComputationGraph(nodes, caption, number)
    if path is not None:
        graph.save(path)
    return graph
