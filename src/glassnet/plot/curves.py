"""Training curves: a network's loss (and a metric) per epoch, a perceptron's errors and RMSE.

Training is solid, validation dashed, each with its own marker while the points are few
enough to tell apart; a curve starts at epoch 0, the figures before any update.

Example:
    >>> from glassnet import History
    >>> h = History(); h.initial = {"loss": 0.7}
    >>> for epoch, loss in enumerate([0.5, 0.3], start=1): h.on_epoch_end(epoch, {"loss": loss})
    >>> loss_curve(h).axes[0].get_ylabel()
    'loss'
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import ArrayLike

from glassnet.engine.callbacks import History
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.plot.figures import PALETTE, new_axes, new_panels

__all__ = ["loss_curve"]


def _integer_ticks(axis: Axis) -> None:
    """Ticks at whole numbers only (epochs, error counts), where the locator takes the
    setting (matplotlib's default one does)."""
    locator = axis.get_major_locator()
    if isinstance(locator, MaxNLocator):
        locator.set_params(integer=True)


def _draw_series(ax: Axes, x: Sequence[int], values: ArrayLike, label: str, style: int) -> None:
    """One curve: style 0 is training (solid, circles), style 1 validation (dashed, squares)."""
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


def _axes_pair(
    ax: Axes | Sequence[Axes] | None, what: str
) -> tuple[Figure | None, tuple[Axes, Axes]]:
    """The two panels to draw into: the pair given, or a new figure's two."""
    if ax is None:
        figure, axes = new_panels((9.0, 3.6), 2)
        return figure, (axes[0], axes[1])
    if isinstance(ax, Axes) or len(ax) != 2 or not all(isinstance(a, Axes) for a in ax):
        raise ValueError(f"{what} has two panels: pass ax=(left_axes, right_axes)")
    return None, (ax[0], ax[1])


def _put_heading(figure: Figure | None, first_panel: Axes, heading: str) -> None:
    """A new figure's heading spans its panels; on axes given, it titles the first."""
    if figure is not None:
        figure.suptitle(heading, fontsize="medium")
    else:
        first_panel.set_title(heading, fontsize="medium")


def _perceptron_curve(
    perceptron: Perceptron, ax: Axes | Sequence[Axes] | None, title: str | None
) -> Figure | tuple[Axes, Axes]:
    """The misclassified samples and the RMSE of each epoch, side by side."""
    if not perceptron.epochs_:
        raise ValueError("the perceptron has no epochs to draw: call fit first")
    figure, (left, right) = _axes_pair(ax, "a perceptron's curve (errors and RMSE)")
    epochs = [record.epoch for record in perceptron.epochs_]
    _draw_series(
        left, epochs, [record.errors for record in perceptron.epochs_], "misclassified samples", 0
    )
    _draw_series(right, epochs, [record.rmse for record in perceptron.epochs_], "RMSE", 0)
    left.set_ylabel("errors in the epoch")
    _integer_ticks(left.yaxis)
    right.set_ylabel("RMSE = sqrt(mean(e^2))")
    for panel in (left, right):
        panel.set_xlabel("epoch")
        _integer_ticks(panel.xaxis)
        panel.set_ylim(bottom=0)
        panel.grid(alpha=0.3)
        panel.legend(fontsize="small")
    _put_heading(figure, left, title or f"Perceptron training: {perceptron.message}")
    return figure or (left, right)


def _training_history(history: History | Network) -> tuple[History, str]:
    """The History to draw, and the loss's name for the axis (known from a network)."""
    loss_name = ""
    if isinstance(history, Network):
        loss_name = f" ({history.loss.name})"
        if history.history is None:
            raise ValueError("the network has no training history: call fit first")
        recorded: object = history.history
    else:
        recorded = history
    if not isinstance(recorded, History):
        raise TypeError(
            f"history must be a glassnet History, Network or Perceptron, got "
            f"{type(recorded).__name__}"
        )
    if len(recorded) == 0:
        raise ValueError("the history has no epochs to draw: train for at least one epoch")
    return recorded, loss_name


def _draw_panel(panel: Axes, history: History, name: str, axis_name: str) -> None:
    """``name`` and its validation twin per epoch, from epoch 0 when it was recorded."""
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
    panel.set_ylabel(axis_name)
    _integer_ticks(panel.xaxis)
    panel.grid(alpha=0.3)
    panel.legend(fontsize="small")


def _check_positive(history: History) -> None:
    """A ValueError naming the first loss at or below 0, which a log scale cannot show."""
    for key in ("loss", "val_loss"):
        epochs = [0, *history.epochs] if key in history.initial else list(history.epochs)
        values = [history.initial[key]] if key in history.initial else []
        for epoch, value in zip(epochs, values + list(history.history.get(key, [])), strict=False):
            if not value > 0:
                raise ValueError(
                    f"log scale: the {key} of epoch {epoch} is {value:g}, which has no "
                    "logarithm; draw the loss on a linear scale"
                )


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
    history, loss_name = _training_history(history)
    if metric is not None and metric not in history.history:
        available = sorted(name for name in history.history if not name.startswith("val_"))
        raise ValueError(f"the history has no metric {metric!r}; it has {available}")

    if metric is None:
        if ax is not None and not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
        figure, loss_ax = new_axes(ax, (6.0, 3.8))
        panels = [loss_ax]
    else:
        figure, pair = _axes_pair(ax, f"a loss curve with {metric!r}")
        panels = list(pair)
    if log:
        _check_positive(history)
    _draw_panel(panels[0], history, "loss", "loss" + loss_name)
    if metric is not None:
        _draw_panel(panels[1], history, metric, metric)
    if log:
        panels[0].set_yscale("log")
    _put_heading(figure, panels[0], title or f"Training over {len(history)} epochs")
    return figure or (panels[0] if metric is None else (panels[0], panels[1]))
