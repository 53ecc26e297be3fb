"""Pictures: decision regions, loss curves, network diagrams and training animations.

Drawn with matplotlib, an optional extra (``pip install 'glassnet[plot]'``); the rest of
glassnet never imports it. Each function draws into the ``ax`` it is given and returns
it, or makes a new figure and returns the ``Figure``; ``save`` writes either to a file.

Colours come from the Okabe-Ito palette, which colour-blind readers can tell apart, and
every class or sign also differs in shape or line style, so the pictures still read in
greyscale.

Example:
    >>> import glassnet as gn
    >>> from glassnet import plot
    >>> from glassnet.datasets import logic_gate
    >>> X, y = logic_gate("OR")
    >>> perceptron = gn.Perceptron(2, weights=[0.49671415, -0.1382643]).fit(X, y)
    >>> figure = plot.decision_boundary(perceptron, X, y)
    >>> plot.save(figure, "or.png")  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

try:
    import matplotlib
    from matplotlib import pyplot
    from matplotlib.animation import Animation, FuncAnimation
    from matplotlib.axes import Axes
    from matplotlib.colors import ListedColormap, to_rgb
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle
except ImportError:
    raise ImportError(
        "glassnet.plot draws with matplotlib, which is not installed: pip install 'glassnet[plot]'"
    ) from None

from glassnet.datasets import logic_gate, make_spirals
from glassnet.engine.arrays import as_features
from glassnet.engine.callbacks import Callback, History
from glassnet.engine.layers import Dense, Dropout
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.files import write_atomically

__all__ = [
    "PALETTE",
    "Example",
    "EXAMPLES",
    "decision_boundary",
    "example",
    "loss_curve",
    "network_diagram",
    "save",
    "save_demo_pictures",
    "training_animation",
]

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency. The
# first two differ strongly in lightness too (dark blue, light orange).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_POSITIVE, _NEGATIVE = "#0072B2", "#D55E00"
_TINT = 0.35  # share of the class colour in a region's shade; the rest is white
_FIGURE_FORMATS = ("png", "svg", "pdf")
_MAX_LABELLED_NEURONS = 12


def _tint(colour: str) -> tuple[float, float, float]:
    """The class colour mixed with white: tint = 0.35 * colour + 0.65 * white."""
    rgb = np.asarray(to_rgb(colour))
    return tuple(_TINT * rgb + (1 - _TINT))


def _class_colours(k: int) -> list:
    if k <= len(PALETTE):
        return list(PALETTE[:k])
    # More classes than the palette holds: viridis, which stays ordered in greyscale.
    return [tuple(c[:3]) for c in matplotlib.colormaps["viridis"](np.linspace(0, 0.95, k))]


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure | None, Axes]:
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
        return None, ax
    figure, ax = pyplot.subplots(figsize=figsize, layout="constrained")
    return figure, ax


# ---------------------------------------------------------------------- decision regions
def _model_classes(model) -> np.ndarray:
    """The labels the model predicts, sorted."""
    if isinstance(model, Perceptron):
        if model.classes_ is not None:
            return np.asarray(model.classes_)
        return np.array([-1.0, 1.0]) if model.activation.name == "sign" else np.array([0.0, 1.0])
    if model.classes is not None:
        return np.asarray(model.classes)
    return np.arange(max(2, model.n_outputs))


def _scores(model, points: np.ndarray) -> np.ndarray:
    """A score per class (n, k) whose row-wise argmax is the predicted class.

    Perceptron: (-z, z), so a tie at z = 0 goes to the first class as step(0) = 0 does.
    Network with labels: predict_proba. Network without labels (say, mse on 0/1
    targets): one output reads out > 0.5 as class 1; several outputs, the largest.
    """
    if isinstance(model, Perceptron):
        z = model.decision_function(points)
        return np.column_stack([-z, z])
    if model.classes is not None:
        return model.predict_proba(points)
    output = model.forward(points)
    return np.hstack([0.5 - output, output - 0.5]) if output.shape[1] == 1 else output


def _label_text(label) -> str:
    """A class label as a reader writes it: 1 rather than 1.0."""
    if isinstance(label, float | np.floating) and float(label).is_integer():
        return str(int(label))
    return str(label)


def _check_model(model) -> None:
    if not isinstance(model, Perceptron | Network):
        raise TypeError(
            f"model must be a glassnet Perceptron or Network, got {type(model).__name__}"
        )


def _class_index(y, classes: np.ndarray, n: int) -> np.ndarray:
    y = np.asarray(y).reshape(-1)
    if y.shape[0] != n:
        raise ValueError(f"y has {y.shape[0]} labels but X has {n} rows; they must match")
    try:
        positions = np.clip(np.searchsorted(classes, y), 0, len(classes) - 1)
        known = classes[positions] == y
    except TypeError:
        known = np.zeros(n, dtype=bool)
        positions = np.zeros(n, dtype=int)
    if not np.all(known):
        raise ValueError(
            f"y has the label {y[~known][0].tolist()!r}, which the model does not predict; "
            f"its classes are {', '.join(map(_label_text, classes))}"
        )
    return positions


def _choose_features(n_features: int, features) -> tuple[int, int]:
    if features is None:
        if n_features == 2:
            return 0, 1
        if n_features < 2:
            raise ValueError(
                f"X has {n_features} feature; a decision-region picture needs two axes"
            )
        raise ValueError(
            f"X has {n_features} features; choose the two to draw with features=(i, j), "
            f"for example features=(0, 1) (the others are held at their mean)"
        )
    if (
        not isinstance(features, Sequence)
        or len(features) != 2
        or not all(isinstance(f, int | np.integer) and 0 <= f < n_features for f in features)
        or features[0] == features[1]
    ):
        raise ValueError(
            f"features must be two different column numbers from 0 to {n_features - 1}, "
            f"got {features!r}"
        )
    return int(features[0]), int(features[1])


def _span(values: np.ndarray) -> tuple[float, float]:
    low, high = float(values.min()), float(values.max())
    pad = 0.15 * (high - low) if high > low else 0.5
    return low - pad, high + pad


def _linear_boundary_label(w_i, w_j, c, names) -> str:
    """The line w_i x_i + w_j x_j + c = 0 written out with its numbers."""
    terms = f"{w_i:.3g} {names[0]}"
    for value, text in ((w_j, f" {names[1]}"), (c, "")):
        if value != 0 or text:
            sign = "-" if value < 0 else "+"
            terms += f" {sign} {abs(value):.3g}{text}"
    return f"{terms} = 0"


def _draw_regions(ax, model, X, y, features, feature_names, resolution, legend) -> None:
    """Shade each class's region, draw the boundary and the points; the frame of every
    decision-region picture and of every animation frame."""
    i, j = features
    classes = _model_classes(model)
    colours = _class_colours(len(classes))
    index = _class_index(y, classes, X.shape[0])
    (x_low, x_high), (y_low, y_high) = _span(X[:, i]), _span(X[:, j])
    grid_x, grid_y = np.meshgrid(
        np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution)
    )
    # Every point of the grid: the two drawn features vary, the others sit at their mean.
    points = np.tile(X.mean(axis=0), (grid_x.size, 1))  # (resolution^2, n_features)
    points[:, i], points[:, j] = grid_x.ravel(), grid_y.ravel()
    scores = _scores(model, points)  # (resolution^2, k)
    predicted = np.argmax(scores, axis=1).reshape(grid_x.shape)
    ax.imshow(
        predicted,
        origin="lower",
        extent=(x_low, x_high, y_low, y_high),
        aspect="auto",
        cmap=ListedColormap([_tint(c) for c in colours]),
        vmin=-0.5,
        vmax=len(classes) - 0.5,
        interpolation="nearest",
        zorder=0,
    )

    handles = []
    if isinstance(model, Perceptron):
        # The exact boundary z = w . x + b = 0 in the drawn plane, the other features at
        # their mean: w_i x_i + w_j x_j + c = 0 with c = b + sum over the others of w_k m_k.
        means = X.mean(axis=0)
        others = [k for k in range(X.shape[1]) if k not in features]
        c = (model.bias or 0.0) + float(model.weights[others] @ means[others])
        w_i, w_j = float(model.weights[i]), float(model.weights[j])
        if w_i or w_j:
            norm = w_i * w_i + w_j * w_j
            nearest = (-c * w_i / norm, -c * w_j / norm)  # the line's point nearest 0
            label = "boundary " + _linear_boundary_label(w_i, w_j, c, feature_names)
            handles.append(
                ax.axline(
                    nearest,
                    (nearest[0] - w_j, nearest[1] + w_i),
                    color="black",
                    linewidth=2,
                    label=label,
                    zorder=2,
                )
            )
        else:
            handles.append(Line2D([], [], color="none", label="w = 0: no boundary"))
    else:
        flat = scores.reshape(*grid_x.shape, -1)
        pairs = [1] if flat.shape[-1] == 2 else range(flat.shape[-1])
        drawn = False
        for k in pairs:
            # The margin of class k over the best other class is 0 on k's boundary.
            rest = np.delete(flat, k, axis=-1).max(axis=-1)
            margin = flat[..., k] - rest
            if margin.min() < 0 < margin.max():
                ax.contour(
                    grid_x, grid_y, margin, levels=[0.0], colors="black", linewidths=2, zorder=2
                )
                drawn = True
        if drawn:
            handles.append(Line2D([], [], color="black", linewidth=2, label="boundary"))

    for k, label in enumerate(classes):
        rows = index == k
        marker = _MARKERS[k % len(_MARKERS)]
        handles.append(
            ax.scatter(
                X[rows, i],
                X[rows, j],
                s=70 if X.shape[0] <= 50 else 22,
                color=colours[k],
                marker=marker,
                edgecolors="black",
                linewidths=0.8,
                label=f"class {_label_text(label)}",
                zorder=3,
            )
        )
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    if 1 / 3 <= (x_high - x_low) / (y_high - y_low) <= 3:
        ax.set_aspect("equal", adjustable="box")
    if legend:
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.13),
            ncols=min(len(handles), 4),
            fontsize="small",
            frameon=False,
        )


def _model_name(model) -> str:
    """'the perceptron' or 'the 2-4-1 network'."""
    if isinstance(model, Perceptron):
        return "the perceptron"
    widths = [model.n_inputs] + [layer.n_outputs for layer in model.dense_layers]
    return f"the {'-'.join(map(str, widths))} network"


def _default_title(model) -> str:
    return f"Decision regions of {_model_name(model)}"


def _feature_names(n_features: int, features, names) -> tuple[str, str]:
    if names is None:
        return f"x{features[0] + 1}", f"x{features[1] + 1}"
    names = list(names)
    if len(names) != n_features:
        raise ValueError(f"feature_names has {len(names)} names but X has {n_features} columns")
    return str(names[features[0]]), str(names[features[1]])


def decision_boundary(
    model: Perceptron | Network,
    X,
    y,
    *,
    features: tuple[int, int] | None = None,
    feature_names: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    resolution: int = 250,
) -> Figure | Axes:
    """The region each class gets, shaded, the boundary between them, and the data on top.

    Every point of a resolution x resolution grid over the data is classified by the model
    and shaded in a light tint of its class's colour. For a perceptron the boundary is the
    exact line w . x + b = 0 (with its numbers in the legend); for a network, the curve
    where the two most likely classes are equally likely. With more than two features,
    ``features=(i, j)`` chooses the two drawn; the others are held at their mean.

    Returns the new Figure, or ``ax`` when one is given.

    Example:
        >>> import glassnet as gn
        >>> p = gn.Perceptron(2, weights=[1.0, -1.0])
        >>> fig = decision_boundary(p, [[0, 1], [1, 0]], [0, 1])
        >>> fig.axes[0].get_xlabel()
        'x1'
    """
    _check_model(model)
    X = as_features(X, model.n_inputs)
    if not isinstance(resolution, int) or resolution < 2:
        raise ValueError(f"resolution must be an integer of at least 2, got {resolution!r}")
    chosen = _choose_features(X.shape[1], features)
    names = _feature_names(X.shape[1], chosen, feature_names)
    figure, ax = _new_axes(ax, (5.6, 5.0))
    _draw_regions(ax, model, X, y, chosen, names, resolution, legend=True)
    ax.set_title(title or _default_title(model))
    return figure or ax


# ---------------------------------------------------------------------- loss curves
def _draw_series(ax, x, values, label, style: int) -> None:
    marker = ("o", "s")[style] if len(x) <= 60 else None
    # Unclipped, so that a marker at 0 on the bottom edge shows whole.
    ax.plot(
        x,
        values,
        color=PALETTE[style],
        linestyle=("-", "--")[style],
        marker=marker,
        markersize=4,
        linewidth=1.8,
        label=label,
        clip_on=False,
    )


def _axes_pair(ax, what: str) -> tuple[Figure | None, tuple[Axes, Axes]]:
    if ax is None:
        figure, axes = pyplot.subplots(1, 2, figsize=(9.0, 3.6), layout="constrained")
        return figure, tuple(axes)
    if isinstance(ax, Axes) or len(ax) != 2 or not all(isinstance(a, Axes) for a in ax):
        raise ValueError(f"{what} has two panels: pass ax=(left_axes, right_axes)")
    return None, tuple(ax)


def _perceptron_curve(perceptron: Perceptron, ax, title: str | None):
    if not perceptron.epochs_:
        raise ValueError("the perceptron has no epochs to draw: call fit first")
    figure, (left, right) = _axes_pair(ax, "a perceptron's curve (errors and RMSE)")
    epochs = [record.epoch for record in perceptron.epochs_]
    _draw_series(
        left, epochs, [record.errors for record in perceptron.epochs_], "misclassified samples", 0
    )
    _draw_series(right, epochs, [record.rmse for record in perceptron.epochs_], "RMSE", 0)
    left.set_ylabel("errors in the epoch")
    left.yaxis.get_major_locator().set_params(integer=True)
    right.set_ylabel("RMSE = sqrt(mean(e^2))")
    for panel in (left, right):
        panel.set_xlabel("epoch")
        panel.xaxis.get_major_locator().set_params(integer=True)
        panel.set_ylim(bottom=0)
        panel.grid(alpha=0.3)
        panel.legend(fontsize="small")
    heading = title or f"Perceptron training: {perceptron.message}"
    if figure is not None:
        figure.suptitle(heading, fontsize="medium")
        return figure
    left.set_title(heading, fontsize="medium")
    return left, right


def loss_curve(
    history: History | Network | Perceptron,
    *,
    metric: str | None = None,
    log: bool = False,
    ax: Axes | Sequence[Axes] | None = None,
    title: str | None = None,
) -> Figure | Axes | tuple[Axes, Axes]:
    """The loss per epoch, training and validation, and optionally a metric beside it.

    ``history`` is what ``Network.fit`` returns (or the network, which keeps it). The
    curve starts at epoch 0, the loss before any update (``history.initial``), then one
    point per epoch. ``log=True`` draws the loss on a log scale. For a ``Perceptron``:
    the number of misclassified samples and the RMSE of each epoch, in two panels.

    Returns the new Figure, or the axes given (a pair when there are two panels).

    Example:
        >>> from glassnet import History
        >>> h = History(); h.initial = {"loss": 0.7}
        >>> for epoch, loss in enumerate([0.5, 0.3], start=1): h.on_epoch_end(epoch, {"loss": loss})
        >>> fig = loss_curve(h)
        >>> fig.axes[0].lines[0].get_ydata().tolist()
        [0.7, 0.5, 0.3]
    """
    if isinstance(history, Perceptron):
        if log:
            raise ValueError("log scale: a perceptron's errors reach 0, which has no logarithm")
        if metric is not None:
            raise ValueError("a perceptron records errors and RMSE only; leave metric=None")
        return _perceptron_curve(history, ax, title)
    loss_name = ""
    if isinstance(history, Network):
        loss_name = f" ({history.loss.name})"
        if history.history is None:
            raise ValueError("the network has no training history: call fit first")
        history = history.history
    if not isinstance(history, History):
        raise TypeError(
            f"history must be a glassnet History, Network or Perceptron, got "
            f"{type(history).__name__}"
        )
    if len(history) == 0:
        raise ValueError("the history has no epochs to draw: train for at least one epoch")
    if metric is not None and metric not in history.history:
        available = sorted(name for name in history.history if not name.startswith("val_"))
        raise ValueError(f"the history has no metric {metric!r}; it has {available}")

    if metric is None:
        figure, loss_ax = _new_axes(ax, (6.0, 3.8))
        panels = [(loss_ax, "loss")]
    else:
        figure, pair = _axes_pair(ax, f"a loss curve with {metric!r}")
        panels = list(zip(pair, ("loss", metric), strict=True))
    for panel, name in panels:
        for style, key in enumerate((name, f"val_{name}")):
            if key not in history.history:
                continue
            values = list(history.history[key])
            epochs = list(history.epochs)
            if key in history.initial:
                values, epochs = [history.initial[key], *values], [0, *epochs]
            label = ("training ", "validation ")[style] + name
            _draw_series(panel, epochs, values, label, style)
        panel.set_xlabel("epoch")
        panel.set_ylabel(name + (loss_name if name == "loss" else ""))
        panel.xaxis.get_major_locator().set_params(integer=True)
        panel.grid(alpha=0.3)
        panel.legend(fontsize="small")
    if log:
        panels[0][0].set_yscale("log")
    heading = title or f"Training over {len(history)} epochs"
    if figure is not None:
        figure.suptitle(heading, fontsize="medium")
        return figure
    panels[0][0].set_title(heading, fontsize="medium")
    return panels[0][0] if metric is None else (panels[0][0], panels[1][0])


# ---------------------------------------------------------------------- network diagram
def network_diagram(
    network: Network,
    x=None,
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
    caches = None
    if x is not None:
        sample = as_features(x, network.n_inputs, network.dtype, what="x")
        if sample.shape[0] != 1:
            raise ValueError(
                f"x must be one sample of {network.n_inputs} numbers, got {sample.shape[0]} rows"
            )
        network.forward(sample)
        caches = [layer.cache for layer in dense]  # (X, z, a) of this one sample
    widths = [network.n_inputs] + [layer.n_outputs for layer in dense]
    tallest = max(widths)
    spacing = 2.0  # between columns, in units of the vertical distance between neurons
    figure, ax = _new_axes(ax, (2.2 * len(widths) + 1.0, max(3.4, 0.95 * tallest + 2.0)))

    def heights(n: int) -> np.ndarray:
        return (n - 1) / 2 - np.arange(n, dtype=float)  # centred, top to bottom

    largest = max(float(np.max(np.abs(layer.weights))) for layer in dense) or 1.0
    for column, layer in enumerate(dense):
        top, bottom = heights(layer.n_inputs), heights(layer.n_outputs)
        for i in range(layer.n_inputs):
            for j in range(layer.n_outputs):
                w = float(layer.weights[i, j])
                ax.plot(
                    [spacing * column, spacing * (column + 1)],
                    [top[i], bottom[j]],
                    color=_POSITIVE if w >= 0 else _NEGATIVE,
                    linestyle="-" if w >= 0 else "--",
                    linewidth=0.4 + 4.0 * abs(w) / largest,
                    zorder=1,
                    gid=f"W[{column + 1}][{i + 1},{j + 1}]",
                )

    radius = 0.3
    labelled = tallest <= _MAX_LABELLED_NEURONS
    text_box = {
        "boxstyle": "round,pad=0.15",
        "facecolor": "white",
        "edgecolor": "none",
        "alpha": 0.85,
    }
    for column, n in enumerate(widths):
        for row, height in enumerate(heights(n)):
            ax.add_patch(
                Circle(
                    (spacing * column, height),
                    radius,
                    facecolor="white",
                    edgecolor="black",
                    linewidth=1.2,
                    zorder=2,
                )
            )
            if not labelled:
                continue
            if column == 0:
                inside, below = f"x{row + 1}", []
                if caches is not None:
                    below = [f"value {sample[0, row]:.3g}"]
            else:
                layer = dense[column - 1]
                inside = layer.activation.name
                below = [f"b = {layer.bias[row]:.3g}"] if layer.use_bias else []
                if caches is not None:
                    _, z, a = caches[column - 1]
                    below += [f"z = {z[0, row]:.3g}", f"a = {a[0, row]:.3g}"]
            ax.text(
                spacing * column,
                height,
                inside,
                ha="center",
                va="center",
                fontsize=7 if len(inside) > 4 else 9,
                zorder=3,
            )
            if below:
                ax.text(
                    spacing * column,
                    height - radius - 0.04,
                    "\n".join(below),
                    ha="center",
                    va="top",
                    fontsize=7,
                    bbox=text_box,
                    zorder=3,
                )

    headings = [f"input\n{widths[0]} features"]
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
    for column, heading in enumerate(headings):
        ax.text(spacing * column, tallest / 2 + 0.1, heading, ha="center", va="bottom", fontsize=9)

    ax.set_xlim(-0.7, spacing * (len(widths) - 1) + 0.7)
    ax.set_ylim(-tallest / 2 - (0.8 if labelled else 0.3), tallest / 2 + 0.9)
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
    architecture = "-".join(map(str, widths))
    sample_text = "" if caches is None else f", for x = {np.round(sample[0], 3).tolist()}"
    ax.set_title(
        title or f"The {architecture} network, one line per weight{sample_text}", fontsize="medium"
    )
    return figure or ax


# ---------------------------------------------------------------------- animation
class _Snapshots(Callback):
    """Copies of the weights after every ``every``-th epoch and after the last."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.frames: list[tuple[int, list[np.ndarray]]] = []

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if epoch % self.every == 0:
            self.frames.append((epoch, self.network.get_weights()))

    def on_train_end(self, logs: dict[str, float] | None = None) -> None:
        epochs = self.network.history.epochs
        if epochs and (not self.frames or self.frames[-1][0] != epochs[-1]):
            self.frames.append((epochs[-1], self.network.get_weights()))


def _frames(model, X, y, epochs: int, every: int | None, max_frames: int, fit_options):
    """Train ``model``; return [(epoch, a copy of the model as it was then)], epoch 0 first."""
    if isinstance(model, Perceptron):
        if fit_options:
            raise ValueError(
                f"a perceptron's fit takes no {sorted(fit_options)}; set them on the Perceptron"
            )
        start = copy.copy(model)
        start.weights = model.weights.copy()
        model.fit(X, y, max_epochs=epochs)
        frames = [(0, start)]
        for record in model.epochs_:
            state = copy.copy(model)
            state.weights, state.bias = record.weights.copy(), record.bias
            frames.append((record.epoch, state))
        return frames
    every = every or max(1, math.ceil(epochs / max_frames))
    snapshots = _Snapshots(every)
    start = model.get_weights()
    callbacks = [snapshots, *fit_options.pop("callbacks", ())]
    model.fit(X, y, epochs=epochs, callbacks=callbacks, **fit_options)
    frames = []
    for epoch, weights in [(0, start), *snapshots.frames]:
        state = model.copy()
        state.set_weights(weights)
        frames.append((epoch, state))
    return frames


def training_animation(
    model: Perceptron | Network,
    X,
    y,
    path: str | os.PathLike | None = None,
    *,
    epochs: int = 100,
    every: int | None = None,
    fps: float | None = None,
    features: tuple[int, int] | None = None,
    feature_names: Sequence[str] | None = None,
    title: str | None = None,
    max_frames: int = 40,
    resolution: int = 120,
    dpi: int = 72,
    **fit_options: Any,
) -> Animation:
    """Train ``model`` on (X, y) and animate its decision regions epoch by epoch.

    A perceptron trains with ``fit(X, y, max_epochs=epochs)`` and every epoch is a frame;
    a network with ``fit(X, y, epochs=epochs, **fit_options)`` (learning_rate, optimizer,
    batch_size, ...) and a frame every ``every`` epochs (by default at most
    ``max_frames``). The first frame is the untrained model; the last frame is held
    for about two seconds. With ``path`` (ending in .gif) the GIF is written with
    matplotlib's Pillow writer.

    Returns the matplotlib animation (``.to_jshtml()`` shows it in a notebook).

    Example:
        >>> import glassnet as gn
        >>> from glassnet.datasets import logic_gate
        >>> X, y = logic_gate("OR")
        >>> p = gn.Perceptron(2, weights=[0.49671415, -0.1382643])
        >>> animation = training_animation(p, X, y, "or.gif")  # doctest: +SKIP
    """
    _check_model(model)
    X = as_features(X, model.n_inputs)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if every is not None and (not isinstance(every, int) or every < 1):
        raise ValueError(f"every must be a positive integer or None, got {every!r}")
    if path is not None and not os.fspath(path).lower().endswith(".gif"):
        raise ValueError(
            f"{os.fspath(path)}: an animation is written as a GIF; end the name in .gif"
        )
    chosen = _choose_features(X.shape[1], features)
    names = _feature_names(X.shape[1], chosen, feature_names)
    frames = _frames(model, X, y, epochs, every, max_frames, dict(fit_options))
    fps = fps or (1.5 if len(frames) <= 10 else 10.0)
    hold = max(1, round(1.5 * fps))  # the last frame stays about a second and a half
    sequence = list(range(len(frames))) + [len(frames) - 1] * hold
    heading = title or f"{_model_name(model).capitalize()} learning"

    figure, ax = pyplot.subplots(figsize=(6.0, 4.2), layout="constrained")

    truth = _class_index(y, _model_classes(frames[-1][1]), X.shape[0])
    shown = -1  # the frame on the canvas: a held frame is not drawn again

    def draw(position: int):
        nonlocal shown
        if position == shown:
            return ()
        shown = position
        epoch, state = frames[position]
        ax.clear()
        _draw_regions(ax, state, X, y, chosen, names, resolution, legend=True)
        wrong = int(np.count_nonzero(np.argmax(_scores(state, X), axis=1) != truth))
        when = "before training" if epoch == 0 else f"after epoch {epoch}"
        ax.set_title(f"{heading}\n{when}: {wrong} of {X.shape[0]} misclassified", fontsize="medium")
        return ()

    draw(0)
    # Lay the figure out once, around the first frame, and keep that layout: the axes stay
    # in place from frame to frame, and no frame pays for the layout again.
    figure.canvas.draw()
    figure.set_layout_engine("none")
    animation = FuncAnimation(
        figure, draw, frames=sequence, interval=1000 / fps, blit=False, repeat=True
    )
    if path is not None:
        save(animation, path, dpi=dpi)
    return animation


# ---------------------------------------------------------------------- saving
def save(picture: Figure | Animation, path: str | os.PathLike, dpi: int = 100) -> str:
    """Write a figure (.png, .svg or .pdf) or an animation (.gif) to ``path``.

    The picture is written under a temporary name next to ``path`` and moved into place
    only when complete, so a failure never leaves a half-written file. Returns the path.

    Example:
        >>> save(figure, "loss.png")  # doctest: +SKIP
        'loss.png'
    """
    path = os.fspath(path)
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if isinstance(picture, Animation):
        if extension != "gif":
            raise ValueError(f"{path}: an animation is written as a GIF; end the name in .gif")
    elif isinstance(picture, Figure):
        if extension not in _FIGURE_FORMATS:
            raise ValueError(
                f"{path}: unknown picture format {extension!r}; end the name in "
                + ", ".join(f".{name}" for name in _FIGURE_FORMATS)
            )
    else:
        raise TypeError(f"can save a Figure or an Animation, got {type(picture).__name__}")
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise ValueError(f"{path}: the folder {folder} does not exist")

    def write(temporary: str) -> None:
        if isinstance(picture, Animation):
            # The "pillow" writer by name takes its frame rate from the animation's interval.
            picture.save(temporary, writer="pillow", dpi=dpi)
        else:
            picture.savefig(temporary, dpi=dpi)

    write_atomically(path, write)
    return path


# ---------------------------------------------------------------------- examples
@dataclass
class Example:
    """A built-in example: a model, its data, and how ``fit`` trains it.

    Example:
        >>> example = EXAMPLES["or"]()
        >>> example.title, type(example.model).__name__, example.epochs
        ('The perceptron learns OR (tutorial 002, no bias)', 'Perceptron', 100)
    """

    name: str
    title: str
    model: Perceptron | Network
    X: np.ndarray
    y: np.ndarray
    epochs: int
    fit_options: dict = field(default_factory=dict)

    def train(self) -> Example:
        """Fit the model with the example's settings; returns self.

        Example:
            >>> example = EXAMPLES["or"]().train()
            >>> example.model.predict(example.X).tolist(), example.y.tolist()
            ([0.0, 1.0, 1.0, 1.0], [0.0, 1.0, 1.0, 1.0])
        """
        if isinstance(self.model, Perceptron):
            self.model.fit(self.X, self.y, max_epochs=self.epochs)
        else:
            self.model.fit(self.X, self.y, epochs=self.epochs, **self.fit_options)
        return self


def _or_example() -> Example:
    X, y = logic_gate("OR")
    # Tutorial 002's start: NumPy's legacy seed 42 randn(2), drawn from a private generator.
    weights = np.random.RandomState(42).randn(2)
    perceptron = Perceptron(2, learning_rate=0.1, weights=weights, bias=None, mode="batch")
    return Example(
        "or", "The perceptron learns OR (tutorial 002, no bias)", perceptron, X, y, epochs=100
    )


def _xor_example() -> Example:
    X, y = logic_gate("XOR")
    network = Network(
        [Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], loss="binary_crossentropy", seed=0
    )
    return Example(
        "xor",
        "A 2-4-1 network learns XOR",
        network,
        X,
        y,
        epochs=2000,
        fit_options={"learning_rate": 0.5},
    )


def _spirals_example() -> Example:
    X, y = make_spirals(300, n_classes=3, seed=0)
    network = Network(
        [Dense(2, 32, "tanh"), Dense(32, 32, "tanh"), Dense(32, 3, "softmax")],
        loss="crossentropy",
        seed=0,
    )
    return Example(
        "spirals",
        "A 2-32-32-3 network learns three spirals",
        network,
        X,
        y,
        epochs=600,
        fit_options={"optimizer": "adam", "learning_rate": 0.02},
    )


EXAMPLES = {"or": _or_example, "xor": _xor_example, "spirals": _spirals_example}


def example(name: str, train: bool = True) -> Example:
    """A built-in example by name (``"or"``, ``"xor"``, ``"spirals"``), trained unless
    ``train=False``.

    Example:
        >>> xor = example("xor")
        >>> xor.model.predict(xor.X).tolist()
        [0.0, 1.0, 1.0, 0.0]
    """
    if name not in EXAMPLES:
        raise ValueError(f"unknown example {name!r}; expected one of {', '.join(EXAMPLES)}")
    built = EXAMPLES[name]()
    return built.train() if train else built


def save_demo_pictures(folder: str | os.PathLike, animation: bool = True) -> list[str]:
    """Write the demo's pictures into ``folder`` (made if missing); returns their paths.

    or_boundary.png, or_loss.png, xor_boundary.png, xor_loss.png, xor_network.png and,
    with ``animation``, or_training.gif.

    Example:
        >>> save_demo_pictures("glassnet-demo")  # doctest: +SKIP
        ['glassnet-demo/or_boundary.png', ...]
    """
    folder = os.fspath(folder)
    os.makedirs(folder, exist_ok=True)
    paths = []

    def write(picture, name: str) -> None:
        paths.append(save(picture, os.path.join(folder, name)))
        if isinstance(picture, Figure):
            pyplot.close(picture)

    gate_or, gate_xor = example("or"), example("xor")
    write(
        decision_boundary(gate_or.model, gate_or.X, gate_or.y, title=gate_or.title),
        "or_boundary.png",
    )
    write(loss_curve(gate_or.model), "or_loss.png")
    write(
        decision_boundary(gate_xor.model, gate_xor.X, gate_xor.y, title=gate_xor.title),
        "xor_boundary.png",
    )
    write(
        loss_curve(
            gate_xor.model,
            metric="accuracy",
            log=True,
            title="The 2-4-1 network learning XOR: loss and accuracy",
        ),
        "xor_loss.png",
    )
    write(network_diagram(gate_xor.model, x=[1.0, 0.0]), "xor_network.png")
    if animation:
        start = example("or", train=False)
        before = set(pyplot.get_fignums())
        write(
            training_animation(
                start.model, start.X, start.y, title=start.title, epochs=start.epochs
            ),
            "or_training.gif",
        )
        for number in set(pyplot.get_fignums()) - before:
            pyplot.close(number)
    return paths
