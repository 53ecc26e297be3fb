"""The network diagram: columns of neurons, one line per weight, labels from the numbers.

Drawn in four steps, each its own function: the layout (where each column and neuron
sits), the edges (a line per weight, its colour and style the sign, its width the size),
the nodes (a circle per neuron), and the labels (activation and bias, with one sample
also z and a; a heading per column).

Example:
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid")], seed=0)
    >>> network_diagram(net).axes[0].get_title()
    'The 2-3-1 network, one line per weight'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle
from numpy.typing import ArrayLike

from glassnet.engine.arrays import as_features
from glassnet.engine.layers import Dense, Dropout
from glassnet.engine.network import Network
from glassnet.plot.figures import PALETTE, new_axes

__all__ = ["network_diagram"]

_POSITIVE, _NEGATIVE = PALETTE[0], PALETTE[5]  # blue and vermilion
_MAX_LABELLED_NEURONS = 12
_RADIUS = 0.3  # of a neuron, in units of the vertical distance between neurons
_TEXT_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}


@dataclass
class _Layout:
    """Where the neurons sit: column c at x = spacing * c, its n neurons centred on 0."""

    widths: list[int]  # neurons per column: the inputs, then each Dense layer
    spacing: float = 2.0  # between columns, in units of the vertical distance between neurons

    @property
    def tallest(self) -> int:
        return max(self.widths)

    @property
    def labelled(self) -> bool:
        return self.tallest <= _MAX_LABELLED_NEURONS

    def column_x(self, column: int) -> float:
        return self.spacing * column

    @staticmethod
    def heights(n: int) -> np.ndarray:
        return (n - 1) / 2 - np.arange(n, dtype=float)  # centred, top to bottom

    def figure_size(self) -> tuple[float, float]:
        return 2.2 * len(self.widths) + 1.0, max(3.4, 0.95 * self.tallest + 2.0)


# Each Dense layer's (X, z, a) for the one sample drawn.
Caches = list[tuple[Any, np.ndarray, np.ndarray]]


def _sample_caches(network: Network, x: ArrayLike) -> tuple[np.ndarray, Caches]:
    """The one sample ``x`` as a (1, n_inputs) row and each Dense layer's (X, z, a) for it."""
    sample = as_features(x, network.n_inputs, network.dtype, what="x")
    if sample.shape[0] != 1:
        raise ValueError(
            f"x must be one sample of {network.n_inputs} numbers, got {sample.shape[0]} rows"
        )
    network.forward(sample)
    return sample, [layer.cache for layer in network.dense_layers]


def _draw_edges(ax: Axes, dense: list[Dense], layout: _Layout) -> float:
    """One line per weight, sign by colour and style, size by width; returns the largest |w|."""
    largest = max(float(np.max(np.abs(layer.weights))) for layer in dense) or 1.0
    for column, layer in enumerate(dense):
        top, bottom = layout.heights(layer.n_inputs), layout.heights(layer.n_outputs)
        for i in range(layer.n_inputs):
            for j in range(layer.n_outputs):
                w = float(layer.weights[i, j])
                ax.plot(
                    [layout.column_x(column), layout.column_x(column + 1)],
                    [top[i], bottom[j]],
                    color=_POSITIVE if w >= 0 else _NEGATIVE,
                    linestyle="-" if w >= 0 else "--",
                    linewidth=0.4 + 4.0 * abs(w) / largest,
                    zorder=1,
                    gid=f"W[{column + 1}][{i + 1},{j + 1}]",
                )
    return largest


def _draw_nodes(ax: Axes, layout: _Layout) -> None:
    """A white circle per neuron, over the lines."""
    for column, n in enumerate(layout.widths):
        for height in layout.heights(n):
            ax.add_patch(
                Circle(
                    (layout.column_x(column), height),
                    _RADIUS,
                    facecolor="white",
                    edgecolor="black",
                    linewidth=1.2,
                    zorder=2,
                )
            )


def _neuron_text(
    dense: list[Dense], column: int, row: int, sample: np.ndarray | None, caches: Caches | None
) -> tuple[str, list[str]]:
    """What a neuron shows inside its circle and below it."""
    if column == 0:
        below = [] if sample is None else [f"value {sample[0, row]:.3g}"]
        return f"x{row + 1}", below
    layer = dense[column - 1]
    below = [] if layer.bias is None else [f"b = {layer.bias[row]:.3g}"]
    if caches is not None:
        _, z, a = caches[column - 1]
        below += [f"z = {z[0, row]:.3g}", f"a = {a[0, row]:.3g}"]
    return layer.activation.name, below


def _draw_neuron_labels(
    ax: Axes,
    layout: _Layout,
    dense: list[Dense],
    sample: np.ndarray | None,
    caches: Caches | None,
) -> None:
    """The activation (or input name) inside each neuron; bias, and z and a, below it."""
    for column, n in enumerate(layout.widths):
        for row, height in enumerate(layout.heights(n)):
            inside, below = _neuron_text(dense, column, row, sample, caches)
            ax.text(
                layout.column_x(column),
                height,
                inside,
                ha="center",
                va="center",
                fontsize=7 if len(inside) > 4 else 9,
                zorder=3,
            )
            if below:
                ax.text(
                    layout.column_x(column),
                    height - _RADIUS - 0.04,
                    "\n".join(below),
                    ha="center",
                    va="top",
                    fontsize=7,
                    bbox=_TEXT_BOX,
                    zorder=3,
                )


def _column_headings(network: Network) -> list[str]:
    """'input / 2 features', then each Dense layer's role, width and activation."""
    headings = [f"input\n{network.n_inputs} features"]
    # Layers without weights (Dropout, Standardize) have no column: the next one names them.
    passed_through = []
    for layer in network.layers:
        if not isinstance(layer, Dense):
            rate = f" {layer.rate:g}" if isinstance(layer, Dropout) else ""
            passed_through.append(f"{type(layer).__name__.lower()}{rate}")
            continue
        role = "output" if layer is network.output_layer else f"layer {len(headings)}"
        heading = f"{role}\n{layer.n_outputs} {layer.activation.name}"
        if passed_through:
            heading += f"\n(after {', '.join(passed_through)})"
            passed_through = []
        headings.append(heading)
    return headings


def _draw_frame(ax: Axes, layout: _Layout, largest: float) -> None:
    """Limits that fit the columns and labels, no axes, and the legend of line styles."""
    ax.set_xlim(-0.7, layout.column_x(len(layout.widths) - 1) + 0.7)
    ax.set_ylim(-layout.tallest / 2 - (0.8 if layout.labelled else 0.3), layout.tallest / 2 + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    legend = [
        Line2D([], [], color=_POSITIVE, linewidth=2.5, label="positive weight"),
        Line2D([], [], color=_NEGATIVE, linewidth=2.5, linestyle="--", label="negative weight"),
        Line2D([], [], color="none", label=f"width: |w| (largest {largest:.3g})"),
    ]
    ax.legend(
        handles=legend,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=3,
        fontsize="small",
        frameon=False,
    )


def network_diagram(
    network: Network,
    x: ArrayLike | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure | Axes:
    """The network as columns of neurons with one line per weight.

    A line's colour and style give the sign of its weight (solid blue positive, dashed
    orange negative) and its width the weight's size relative to the largest. Each
    neuron is labelled with its activation and bias; given one sample ``x``, also with
    its z = sum_i w_i a_i + b and a = f(z) for that sample (and the inputs with x).
    Columns of more than 12 neurons are drawn without labels.

    Returns the new Figure, or ``ax`` when one is given.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid")], seed=0)
        >>> fig = network_diagram(net, x=[0.3, 0.5])
        >>> sum(1 for line in fig.axes[0].lines if line.get_gid().startswith("W"))
        9
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a glassnet Network, got {type(network).__name__}")
    dense = network.dense_layers
    sample, caches = (None, None) if x is None else _sample_caches(network, x)
    layout = _Layout([network.n_inputs] + [layer.n_outputs for layer in dense])
    figure, ax = new_axes(ax, layout.figure_size())
    largest = _draw_edges(ax, dense, layout)
    _draw_nodes(ax, layout)
    if layout.labelled:
        _draw_neuron_labels(ax, layout, dense, sample, caches)
    for column, heading in enumerate(_column_headings(network)):
        top = layout.tallest / 2 + 0.1
        ax.text(layout.column_x(column), top, heading, ha="center", va="bottom", fontsize=9)
    _draw_frame(ax, layout, largest)
    architecture = "-".join(map(str, layout.widths))
    sample_text = "" if sample is None else f", for x = {np.round(sample[0], 3).tolist()}"
    ax.set_title(
        title or f"The {architecture} network, one line per weight{sample_text}", fontsize="medium"
    )
    return figure or ax
