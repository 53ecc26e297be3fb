"""Decision regions: the class the model gives each point of the plane, the boundary, the data.

Every point of a grid over the data is classified by the model and shaded in a light tint
of its class's colour; the boundary is drawn on top in black, then the data, each class in
its colour and its own marker shape. ``draw_regions`` draws one such frame into an axes;
``decision_boundary`` is the picture, and ``training_animation`` draws one frame per epoch.

Example:
    >>> import glassnet as gn
    >>> p = gn.Perceptron(2, weights=[1.0, -1.0])
    >>> figure = decision_boundary(p, [[0, 1], [1, 0]], [0, 1])
    >>> [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    ['boundary 1 x1 - 1 x2 = 0', 'class 0', 'class 1']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

from glassnet.engine.arrays import as_features
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.engine.validation import check_integer
from glassnet.plot.figures import PALETTE, Model, model_name, new_axes

# A colour as matplotlib takes it: a name or "#rrggbb", or (r, g, b) in [0, 1].
Colour = str | tuple[float, float, float]

__all__ = [
    "check_model",
    "class_positions",
    "decision_boundary",
    "draw_regions",
    "drawn_features",
    "predicted_positions",
]

_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
_TINT = 0.35  # share of the class colour in a region's shade; the rest is white


def _tint(colour: Colour) -> tuple[float, float, float]:
    """The class colour mixed with white: tint = 0.35 * colour + 0.65 * white."""
    red, green, blue = (_TINT * part + (1 - _TINT) for part in to_rgb(colour))
    return red, green, blue


def _class_colours(k: int) -> list[Colour]:
    if k <= len(PALETTE):
        return list(PALETTE[:k])
    # More classes than the palette holds: viridis, which stays ordered in greyscale.
    return [(float(c[0]), float(c[1]), float(c[2]))
            for c in matplotlib.colormaps["viridis"](np.linspace(0, 0.95, k))]  # fmt: skip


def check_model(model: object) -> None:
    """TypeError unless ``model`` is a glassnet Perceptron or Network.

    Example:
        >>> check_model("a model")
        Traceback (most recent call last):
        TypeError: model must be a glassnet Perceptron or Network, got str
    """
    if not isinstance(model, Perceptron | Network):
        raise TypeError(
            f"model must be a glassnet Perceptron or Network, got {type(model).__name__}"
        )


def _model_classes(model: Model) -> np.ndarray:
    """The labels the model predicts, sorted."""
    if isinstance(model, Perceptron):
        if model.classes_ is not None:
            return np.asarray(model.classes_)
        return np.array([-1.0, 1.0]) if model.activation.name == "sign" else np.array([0.0, 1.0])
    if model.classes is not None:
        return np.asarray(model.classes)
    return np.arange(max(2, model.n_outputs))


def _scores(model: Model, points: np.ndarray) -> np.ndarray:
    """A score per class (n, k) whose row-wise argmax is the predicted class.

    Perceptron: its own prediction, one-hot, so a threshold, step(0) and an undecided
    band (which counts as the first class) decide each point as they decide a sample.
    Network with labels: predict_proba. Network without labels (say, mse on 0/1
    targets): one output reads out > 0.5 as class 1; several outputs, the largest.
    """
    if isinstance(model, Perceptron):
        predicted = np.asarray(model.predict(points))
        # without labels the outputs are the rule's levels: the high one is the second class
        second = predicted == model.classes_[1] if model.classes_ is not None else predicted > 0
        return np.column_stack([~second, second]).astype(float)
    if model.classes is not None:
        return model.predict_proba(points)
    output = model.forward(points)
    return np.hstack([0.5 - output, output - 0.5]) if output.shape[1] == 1 else output


def predicted_positions(model: Model, points: np.ndarray) -> np.ndarray:
    """The position, among the model's classes, of the class it predicts for each point.

    Example:
        >>> import glassnet as gn
        >>> p = gn.Perceptron(2, weights=[1.0, -1.0])
        >>> predicted_positions(p, np.array([[0.0, 1.0], [1.0, 0.0]])).tolist()
        [0, 1]
    """
    return np.argmax(_scores(model, points), axis=1)


def _label_text(label: object) -> str:
    """A class label as a reader writes it: 1 rather than 1.0."""
    if isinstance(label, float | np.floating) and float(label).is_integer():
        return str(int(label))
    return str(label)


def _class_index(y: ArrayLike, classes: np.ndarray, n: int) -> np.ndarray:
    labels = np.asarray(y).reshape(-1)
    if labels.shape[0] != n:
        raise ValueError(f"y has {labels.shape[0]} labels but X has {n} rows; they must match")
    try:
        positions = np.clip(np.searchsorted(classes, labels), 0, len(classes) - 1)
        known = classes[positions] == labels
    except TypeError:
        known = np.zeros(n, dtype=bool)
        positions = np.zeros(n, dtype=int)
    if not np.all(known):
        raise ValueError(
            f"y has the label {labels[~known][0].tolist()!r}, which the model does not predict; "
            f"its classes are {', '.join(map(_label_text, classes))}"
        )
    return positions


def class_positions(model: Model, y: ArrayLike, n_rows: int) -> np.ndarray:
    """Each label's position among the model's classes; ValueError for a label it lacks.

    Example:
        >>> import glassnet as gn
        >>> class_positions(gn.Perceptron(2), [1, 0, 1], 3).tolist()
        [1, 0, 1]
        >>> class_positions(gn.Perceptron(2), [1, 7, 1], 3)
        Traceback (most recent call last):
        ValueError: y has the label 7, which the model does not predict; its classes are 0, 1
    """
    return _class_index(y, _model_classes(model), n_rows)


def _choose_features(n_features: int, features: object) -> tuple[int, int]:
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


def _feature_names(
    n_features: int, features: tuple[int, int], names: Sequence[str] | None
) -> tuple[str, str]:
    if names is None:
        return f"x{features[0] + 1}", f"x{features[1] + 1}"
    listed = list(names)
    if len(listed) != n_features:
        raise ValueError(f"feature_names has {len(listed)} names but X has {n_features} columns")
    return str(listed[features[0]]), str(listed[features[1]])


def drawn_features(
    n_features: int,
    features: Sequence[int] | None = None,
    feature_names: Sequence[str] | None = None,
) -> tuple[tuple[int, int], tuple[str, str]]:
    """The two columns to draw, (i, j), and their axis names; ValueError for a bad choice.

    Two features are drawn as they are; of more, ``features=(i, j)`` chooses two.

    Example:
        >>> drawn_features(3, (0, 2), ["width", "height", "depth"])
        ((0, 2), ('width', 'depth'))
        >>> drawn_features(2)
        ((0, 1), ('x1', 'x2'))
    """
    chosen = _choose_features(n_features, features)
    return chosen, _feature_names(n_features, chosen, feature_names)


@dataclass
class _Grid:
    """The points whose class is shaded: the two drawn features vary, the others sit at
    their mean."""

    x: np.ndarray  # (resolution, resolution), the drawn feature i
    y: np.ndarray  # (resolution, resolution), the drawn feature j
    points: np.ndarray  # (resolution^2, n_features)
    extent: tuple[float, float, float, float]  # x_low, x_high, y_low, y_high


def _span(values: np.ndarray, column: int) -> tuple[float, float]:
    low, high = float(values.min()), float(values.max())
    with np.errstate(over="ignore"):
        pad = 0.15 * (high - low) if high > low else 0.5
        span = (low - pad, high + pad)
    if not np.all(np.isfinite([pad, *span])):
        raise ValueError(
            f"X's column {column} runs from {low:g} to {high:g}, too wide to draw: the picture's "
            "range overflows float64; scale the column (standardize it) first"
        )
    return span


def _grid(X: np.ndarray, features: tuple[int, int], resolution: int) -> _Grid:
    i, j = features
    (x_low, x_high), (y_low, y_high) = _span(X[:, i], i), _span(X[:, j], j)
    grid_x, grid_y = np.meshgrid(
        np.linspace(x_low, x_high, resolution), np.linspace(y_low, y_high, resolution)
    )
    # The columns not drawn are held at their mean (of values near 1e308, whose sum
    # overflows, the mean of the values divided by the rows, times the rows).
    with np.errstate(over="ignore"):
        mean = X.mean(axis=0)
    if not np.all(np.isfinite(mean)):
        mean = np.mean(X / X.shape[0], axis=0) * X.shape[0]
    points = np.tile(mean, (grid_x.size, 1))  # (resolution^2, n_features)
    points[:, i], points[:, j] = grid_x.ravel(), grid_y.ravel()
    return _Grid(grid_x, grid_y, points, (x_low, x_high, y_low, y_high))


def _shade(ax: Axes, grid: _Grid, scores: np.ndarray, colours: list[Colour]) -> None:
    """Each grid point in the tint of its predicted class."""
    predicted = np.argmax(scores, axis=1).reshape(grid.x.shape)
    ax.imshow(
        predicted,
        origin="lower",
        extent=grid.extent,
        aspect="auto",
        cmap=ListedColormap([_tint(c) for c in colours]),
        vmin=-0.5,
        vmax=len(colours) - 0.5,
        interpolation="nearest",
        zorder=0,
    )


def _linear_boundary_label(w_i: float, w_j: float, c: float, names: tuple[str, str]) -> str:
    """The line w_i x_i + w_j x_j + c = 0 written out with its numbers."""
    terms = f"{w_i:.3g} {names[0]}"
    for value, text in ((w_j, f" {names[1]}"), (c, "")):
        if value != 0 or text:
            sign = "-" if value < 0 else "+"
            terms += f" {sign} {abs(value):.3g}{text}"
    return f"{terms} = 0"


def _perceptron_boundary(
    ax: Axes,
    perceptron: Perceptron,
    X: np.ndarray,
    features: tuple[int, int],
    feature_names: tuple[str, str],
) -> list[Artist]:
    """The exact line z = w . x + b - theta = 0, labelled with its numbers; its legend handle."""
    i, j = features
    # In the drawn plane, the other features at their mean:
    # w_i x_i + w_j x_j + c = 0 with c = b + sum over the others of w_k m_k.
    means = X.mean(axis=0)
    others = [k for k in range(X.shape[1]) if k not in features]
    # theta is subtracted from the net input: the line is w . x + b - theta = 0
    c = (perceptron.bias or 0.0) - perceptron.threshold
    c += float(perceptron.weights[others] @ means[others])
    w_i, w_j = float(perceptron.weights[i]), float(perceptron.weights[j])
    if not (w_i or w_j):
        return [Line2D([], [], color="none", label="w = 0: no boundary")]
    norm = w_i * w_i + w_j * w_j
    nearest = (-c * w_i / norm, -c * w_j / norm)  # the line's point nearest 0
    label = "boundary " + _linear_boundary_label(w_i, w_j, c, feature_names)
    line = ax.axline(
        nearest,
        (nearest[0] - w_j, nearest[1] + w_i),
        color="black",
        linewidth=2,
        label=label,
        zorder=2,
    )
    return [line]


def _network_boundary(ax: Axes, grid: _Grid, scores: np.ndarray) -> list[Artist]:
    """The curves where the two most likely classes tie; a legend handle if any shows."""
    flat = scores.reshape(*grid.x.shape, -1)
    pairs = [1] if flat.shape[-1] == 2 else range(flat.shape[-1])
    drawn = False
    for k in pairs:
        # The margin of class k over the best other class is 0 on k's boundary.
        rest = np.delete(flat, k, axis=-1).max(axis=-1)
        margin = flat[..., k] - rest
        if margin.min() < 0 < margin.max():
            ax.contour(grid.x, grid.y, margin, levels=[0.0], colors="black", linewidths=2, zorder=2)
            drawn = True
    return [Line2D([], [], color="black", linewidth=2, label="boundary")] if drawn else []


def _draw_points(
    ax: Axes,
    X: np.ndarray,
    features: tuple[int, int],
    index: np.ndarray,
    classes: np.ndarray,
    colours: list[Colour],
) -> list[Artist]:
    """The data, each class in its colour and marker shape; a legend handle per class."""
    i, j = features
    handles: list[Artist] = []
    for k, label in enumerate(classes):
        rows = index == k
        handles.append(
            ax.scatter(
                X[rows, i],
                X[rows, j],
                s=70 if X.shape[0] <= 50 else 22,
                color=colours[k],
                marker=_MARKERS[k % len(_MARKERS)],
                edgecolors="black",
                linewidths=0.8,
                label=f"class {_label_text(label)}",
                zorder=3,
            )
        )
    return handles


def _frame(
    ax: Axes, grid: _Grid, feature_names: tuple[str, str], handles: list[Artist], legend: bool
) -> None:
    """Limits, axis names, equal scales when the sides are alike, the legend below."""
    x_low, x_high, y_low, y_high = grid.extent
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


def draw_regions(
    ax: Axes,
    model: Model,
    X: np.ndarray,
    y: ArrayLike,
    features: tuple[int, int],
    feature_names: tuple[str, str],
    resolution: int,
    legend: bool = True,
) -> None:
    """Shade each class's region, draw the boundary and the points into ``ax``: the frame
    of every decision-region picture and of every animation frame.

    Example:
        >>> import glassnet as gn
        >>> figure, ax = new_axes(None, (4.0, 4.0))
        >>> p = gn.Perceptron(2, weights=[1.0, -1.0])
        >>> draw_regions(ax, p, np.array([[0.0, 1.0], [1.0, 0.0]]), [0, 1], (0, 1), ("a", "b"), 20)
        >>> ax.images[0].get_array().shape, ax.get_xlabel()
        ((20, 20), 'a')
    """
    classes = _model_classes(model)
    colours = _class_colours(len(classes))
    index = _class_index(y, classes, X.shape[0])
    grid = _grid(X, features, resolution)
    scores = _scores(model, grid.points)  # (resolution^2, k)
    _shade(ax, grid, scores, colours)
    if isinstance(model, Perceptron):
        handles = _perceptron_boundary(ax, model, X, features, feature_names)
    else:
        handles = _network_boundary(ax, grid, scores)
    handles += _draw_points(ax, X, features, index, classes, colours)
    _frame(ax, grid, feature_names, handles, legend)


def decision_boundary(
    model: Model,
    X: ArrayLike,
    y: ArrayLike,
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
    check_model(model)
    inputs = as_features(X, model.n_inputs)
    resolution = check_integer("resolution", resolution, low=2)
    chosen, names = drawn_features(inputs.shape[1], features, feature_names)
    figure, ax = new_axes(ax, (5.6, 5.0))
    draw_regions(ax, model, inputs, y, chosen, names, resolution, legend=True)
    ax.set_title(title or f"Decision regions of {model_name(model)}")
    return figure or ax
