"""The built-in examples (OR, XOR, three spirals) and the demo's pictures drawn from them.

Example:
    >>> sorted(EXAMPLES)
    ['or', 'spirals', 'xor']
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from matplotlib import pyplot
from matplotlib.figure import Figure

from glassnet.datasets import logic_gate, make_spirals, tutorial_002_weights
from glassnet.engine.layers import Dense
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.plot.animation import training_animation
from glassnet.plot.curves import loss_curve
from glassnet.plot.diagram import network_diagram
from glassnet.plot.figures import save
from glassnet.plot.regions import decision_boundary

__all__ = ["EXAMPLES", "Example", "example", "save_demo_pictures"]


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
    fit_options: dict[str, Any] = field(default_factory=dict)

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
    perceptron = Perceptron(
        2, learning_rate=0.1, weights=tutorial_002_weights(), bias=None, mode="batch"
    )
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


def _new_figure(picture: object) -> Figure:
    """A picture drawn without ``ax``: the new Figure each drawing function returns then."""
    if not isinstance(picture, Figure):
        raise TypeError(f"expected a new Figure, got {type(picture).__name__}")
    return picture


def _demo_figures(gate_or: Example, gate_xor: Example) -> Iterator[tuple[Figure, str]]:
    """The demo's still pictures of the trained OR and XOR examples with their file names,
    each drawn only when the one before has been written."""
    yield (
        _new_figure(decision_boundary(gate_or.model, gate_or.X, gate_or.y, title=gate_or.title)),
        "or_boundary.png",
    )
    yield _new_figure(loss_curve(gate_or.model)), "or_loss.png"
    yield (
        _new_figure(
            decision_boundary(gate_xor.model, gate_xor.X, gate_xor.y, title=gate_xor.title)
        ),
        "xor_boundary.png",
    )
    title = "The 2-4-1 network learning XOR: loss and accuracy"
    curve = loss_curve(gate_xor.model, metric="accuracy", log=True, title=title)
    yield _new_figure(curve), "xor_loss.png"
    if not isinstance(gate_xor.model, Network):  # the XOR example is the 2-4-1 network
        raise TypeError(f"the XOR example's model is a {type(gate_xor.model).__name__}")
    yield _new_figure(network_diagram(gate_xor.model, x=[1.0, 0.0])), "xor_network.png"


def _save_or_animation(path: str) -> str:
    """The OR perceptron learning, as a GIF; closes the figure the animation drew on."""
    start = example("or", train=False)
    before = set(pyplot.get_fignums())
    animation = training_animation(
        start.model, start.X, start.y, title=start.title, epochs=start.epochs
    )
    save(animation, path)
    for number in set(pyplot.get_fignums()) - before:
        pyplot.close(number)
    return path


def save_demo_pictures(folder: str | os.PathLike[str], animation: bool = True) -> list[str]:
    """Write the demo's pictures into ``folder`` (made if missing); returns their paths.

    or_boundary.png, or_loss.png, xor_boundary.png, xor_loss.png, xor_network.png and,
    with ``animation``, or_training.gif.

    Example:
        >>> save_demo_pictures("glassnet-demo")  # doctest: +SKIP
        ['glassnet-demo/or_boundary.png', ...]
    """
    folder = os.fspath(folder)
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise ValueError(f"{folder} is a file, not a folder: give a folder for the pictures")
    os.makedirs(folder, exist_ok=True)
    paths = []
    for figure, name in _demo_figures(example("or"), example("xor")):
        paths.append(save(figure, os.path.join(folder, name)))
        pyplot.close(figure)
    if animation:
        paths.append(_save_or_animation(os.path.join(folder, "or_training.gif")))
    return paths
