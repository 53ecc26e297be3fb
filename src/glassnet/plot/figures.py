"""What every picture shares: the matplotlib guard, the palette, new axes, a model's name, save.

matplotlib is an optional extra, and this module is where glassnet.plot first imports it:
``glassnet/plot/__init__.py`` imports this module before the others, so a missing
matplotlib is one ImportError that says how to install it, whichever picture is asked for.

Example:
    >>> PALETTE[:2]
    ('#0072B2', '#E69F00')
"""

from __future__ import annotations

import os

try:
    from matplotlib import pyplot
    from matplotlib.animation import Animation
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
except ImportError:
    raise ImportError(
        "glassnet.plot draws with matplotlib, which is not installed: pip install 'glassnet[plot]'"
    ) from None

from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.files import write_atomically

__all__ = [
    "PALETTE",
    "check_picture_path",
    "model_name",
    "new_axes",
    "new_figure",
    "new_panels",
    "save",
]

# What the pictures draw: a perceptron or a network.
Model = Perceptron | Network

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency. The
# first two differ strongly in lightness too (dark blue, light orange).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_FIGURE_FORMATS = ("png", "svg", "pdf")


def new_axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure | None, Axes]:
    """The axes to draw into: ``ax`` itself (and no figure), or a new figure's one axes.

    Example:
        >>> figure, ax = new_axes(None, (4.0, 3.0))
        >>> figure.get_size_inches().tolist(), new_axes(ax, (4.0, 3.0)) == (None, ax)
        ([4.0, 3.0], True)
    """
    if ax is not None:
        if not isinstance(ax, Axes):
            raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
        return None, ax
    figure, ax = new_figure(figsize)
    return figure, ax


def new_figure(figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    """A new figure with one axes, kept out of pyplot's list of open figures
    (``new_panels`` for several side by side).

    The figure is made by pyplot (so that in a notebook the inline backend is set up to show
    figures), then closed there and given an Agg canvas of its own, which draws it as
    before: pyplot no longer shows it at the end of a cell, and a notebook shows the figure
    a function returns once.

    Example:
        >>> figure, ax = new_figure((6.0, 3.0))
        >>> figure.axes == [ax], pyplot.get_fignums()
        (True, [])
    """
    figure, panels = new_panels(figsize, 1)
    return figure, panels[0]


def new_panels(figsize: tuple[float, float], columns: int) -> tuple[Figure, list[Axes]]:
    """A new figure with ``columns`` axes side by side, kept out of pyplot's list of open
    figures (as ``new_figure``).

    Example:
        >>> figure, axes = new_panels((6.0, 3.0), 2)
        >>> len(axes), pyplot.get_fignums()
        (2, [])
    """
    figure, axes = pyplot.subplots(1, columns, figsize=figsize, layout="constrained",
                                   squeeze=False)  # fmt: skip
    pyplot.close(figure)  # which leaves it a canvas that cannot draw: give it Agg's
    FigureCanvasAgg(figure)
    return figure, list(axes[0])


def model_name(model: Model) -> str:
    """How a title names the model: 'the perceptron' or 'the 2-4-1 network'.

    Example:
        >>> from glassnet import Dense, Network
        >>> model_name(Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")]))
        'the 2-4-1 network'
    """
    if isinstance(model, Perceptron):
        return "the perceptron"
    widths = [model.n_inputs] + [layer.n_outputs for layer in model.dense_layers]
    return f"the {'-'.join(map(str, widths))} network"


def check_picture_path(path: str | os.PathLike[str], animation: bool = False) -> str:
    """``path`` if a picture can be written there: not a folder, in a folder that exists,
    ending in .png, .svg or .pdf (.gif for an animation); else a ValueError naming it.

    Called before the work a picture takes (an animation trains its model first), so a
    bad name fails at once.

    Example:
        >>> check_picture_path("loss.png")
        'loss.png'
        >>> check_picture_path("/no/such/folder/loss.png")
        Traceback (most recent call last):
        ValueError: /no/such/folder/loss.png: the folder /no/such/folder does not exist
        >>> check_picture_path(".")
        Traceback (most recent call last):
        ValueError: .: is a folder; name the picture's file, such as ./picture.png
    """
    path = os.fspath(path)
    formats = ("gif",) if animation else _FIGURE_FORMATS
    if os.path.isdir(path):
        raise ValueError(
            f"{path}: is a folder; name the picture's file, such as "
            f"{os.path.join(path, 'picture.' + formats[0])}"
        )
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if animation and extension != "gif":
        raise ValueError(f"{path}: an animation is written as a GIF; end the name in .gif")
    if extension not in formats:
        raise ValueError(
            f"{path}: unknown picture format {extension!r}; end the name in "
            + ", ".join(f".{name}" for name in formats)
        )
    folder = os.path.dirname(path) or "."
    if not os.path.isdir(folder):
        raise ValueError(f"{path}: the folder {folder} does not exist")
    return path


def save(picture: Figure | Animation, path: str | os.PathLike[str], dpi: int = 100) -> str:
    """Write a figure (.png, .svg or .pdf) or an animation (.gif) to ``path``.

    The picture is written under a temporary name next to ``path`` and moved into place
    only when complete, so a failure never leaves a half-written file. Returns the path.

    Example:
        >>> save(figure, "loss.png")  # doctest: +SKIP
        'loss.png'
    """
    if not isinstance(picture, Animation | Figure):
        raise TypeError(f"can save a Figure or an Animation, got {type(picture).__name__}")
    path = check_picture_path(path, animation=isinstance(picture, Animation))

    def write(temporary: str) -> None:
        if isinstance(picture, Animation):
            # The "pillow" writer by name takes its frame rate from the animation's interval.
            picture.save(temporary, writer="pillow", dpi=dpi)
        else:
            picture.savefig(temporary, dpi=dpi)

    write_atomically(path, write)
    return path
