"""Training animations: a model's decision regions, frame by frame as it learns.

A perceptron's epochs are all kept by the perceptron itself (``epochs_``); a network's
weights are copied every few epochs by a callback. Each frame is a copy of the model as
it was then, drawn by ``regions.draw_regions`` with the count of misclassified samples.

Example:
    >>> import os, tempfile
    >>> import glassnet as gn
    >>> from glassnet.datasets import logic_gate
    >>> X, y = logic_gate("AND")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "and.gif")
    ...     animation = training_animation(gn.Perceptron(2), X, y, path, resolution=20)
    ...     os.listdir(folder)
    ['and.gif']
"""

from __future__ import annotations

import copy
import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.animation import Animation, FuncAnimation
from matplotlib.axes import Axes
from numpy.typing import ArrayLike

from glassnet.engine.arrays import as_features
from glassnet.engine.callbacks import Callback
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.engine.validation import check_integer
from glassnet.plot.figures import Model, check_picture_path, model_name, new_figure, save
from glassnet.plot.regions import (
    check_model,
    class_positions,
    draw_regions,
    drawn_features,
    predicted_positions,
)

__all__ = ["training_animation"]


class _Snapshots(Callback):
    """Copies of the weights after every ``every``-th epoch and after the last."""

    def __init__(self, every: int) -> None:
        self.every = every
        self.frames: list[tuple[int, list[np.ndarray]]] = []
        self.last_epoch = 0

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self.last_epoch = epoch
        if epoch % self.every == 0:
            self.frames.append((epoch, self.network.get_weights()))

    def on_train_end(self, logs: dict[str, float] | None = None) -> None:
        if self.last_epoch and (not self.frames or self.frames[-1][0] != self.last_epoch):
            self.frames.append((self.last_epoch, self.network.get_weights()))


# Each frame: the epoch, and a copy of the model as it was after it (epoch 0: untrained).
Frames = list[tuple[int, Model]]


def _perceptron_frames(
    perceptron: Perceptron, X: np.ndarray, y: ArrayLike, epochs: int, fit_options: dict[str, Any]
) -> Frames:
    """Train the perceptron; every epoch it recorded is a frame."""
    if fit_options:
        raise ValueError(
            f"a perceptron's fit takes no {sorted(fit_options)}; set them on the Perceptron"
        )
    start = copy.copy(perceptron)
    start.weights = perceptron.weights.copy()
    perceptron.fit(X, y, max_epochs=epochs)
    frames: Frames = [(0, start)]
    for record in perceptron.epochs_:
        state = copy.copy(perceptron)
        state.weights, state.bias = record.weights.copy(), record.bias
        frames.append((record.epoch, state))
    return frames


def _network_frames(
    network: Network,
    X: np.ndarray,
    y: ArrayLike,
    epochs: int,
    every: int,
    fit_options: dict[str, Any],
) -> Frames:
    """Train the network with a snapshot every ``every`` epochs; each snapshot is a frame."""
    snapshots = _Snapshots(every)
    start = network.get_weights()
    callbacks = [snapshots, *fit_options.pop("callbacks", ())]
    network.fit(X, y, epochs=epochs, callbacks=callbacks, **fit_options)
    frames: Frames = []
    for epoch, weights in [(0, start), *snapshots.frames]:
        state = network.copy()
        state.set_weights(weights)
        frames.append((epoch, state))
    return frames


def _frames(
    model: Model,
    X: np.ndarray,
    y: ArrayLike,
    epochs: int,
    every: int | None,
    max_frames: int,
    fit_options: dict[str, Any],
) -> Frames:
    """Train ``model``; return [(epoch, a copy of the model as it was then)], epoch 0 first."""
    if isinstance(model, Perceptron):
        return _perceptron_frames(model, X, y, epochs, fit_options)
    every = every or max(1, math.ceil(epochs / max_frames))
    return _network_frames(model, X, y, epochs, every, fit_options)


class _RegionFrames:
    """Draws frame ``position`` into ``ax``; called by FuncAnimation with each position."""

    def __init__(self, ax: Axes, frames: Frames, X: np.ndarray, y: ArrayLike,
                 features: tuple[int, int], names: tuple[str, str], resolution: int,
                 heading: str) -> None:  # fmt: skip
        self.ax = ax
        self.frames = frames
        self.X = X
        self.y = y
        self.features = features
        self.names = names
        self.resolution = resolution
        self.heading = heading
        # The labels' positions among the trained model's classes: an untrained perceptron
        # does not know the labels yet.
        self.truth = class_positions(frames[-1][1], y, X.shape[0])
        self.shown = -1  # the frame on the canvas: a held frame is not drawn again

    def __call__(self, position: int) -> tuple[()]:
        if position == self.shown:
            return ()
        self.shown = position
        epoch, state = self.frames[position]
        self.ax.clear()
        draw_regions(
            self.ax, state, self.X, self.y, self.features, self.names, self.resolution, legend=True
        )
        wrong = int(np.count_nonzero(predicted_positions(state, self.X) != self.truth))
        when = "before training" if epoch == 0 else f"after epoch {epoch}"
        self.ax.set_title(
            f"{self.heading}\n{when}: {wrong} of {self.X.shape[0]} misclassified",
            fontsize="medium",
        )
        return ()


def _check_settings(
    epochs: object, every: object, path: str | os.PathLike[str] | None
) -> tuple[int, int | None]:
    """Epochs and ``every`` as whole numbers of at least 1; a path a GIF can be written to."""
    checked = check_integer("epochs", epochs, low=1)
    frame_every = None if every is None else check_integer("every", every, low=1)
    if path is not None:  # checked before the model trains: a bad name loses no work
        check_picture_path(path, animation=True)
    return checked, frame_every


def training_animation(
    model: Model,
    X: ArrayLike,
    y: ArrayLike,
    path: str | os.PathLike[str] | None = None,
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
    check_model(model)
    inputs = as_features(X, model.n_inputs)
    epochs, every = _check_settings(epochs, every, path)
    chosen, names = drawn_features(inputs.shape[1], features, feature_names)
    frames = _frames(model, inputs, y, epochs, every, max_frames, dict(fit_options))
    fps = fps or (1.5 if len(frames) <= 10 else 10.0)
    hold = max(1, round(1.5 * fps))  # the last frame stays about a second and a half
    sequence = list(range(len(frames))) + [len(frames) - 1] * hold
    heading = title or f"{model_name(model).capitalize()} learning"

    figure, ax = new_figure((6.0, 4.2))
    draw = _RegionFrames(ax, frames, inputs, y, chosen, names, resolution, heading)
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
