"""The one chooser of output layer and loss for a task, and the one builder of an MLP.

The output activation and the loss come in pairs whose output delta simplifies to
(a - y) / n: sigmoid with binary cross-entropy for two classes, softmax with cross-entropy
for more, identity with a squared error for values. The command line, the playground and
the scikit-learn estimators all choose through ``output_for`` and build through
``build_mlp``, so the three cannot drift apart.

Example:
    >>> output_for("classification", n_classes=3)
    Output(activation='softmax', n_outputs=3, loss='crossentropy')
    >>> net = build_mlp(2, [4], "tanh", output_for("classification", n_classes=2), seed=0)
    >>> [layer.activation.name for layer in net.layers], net.loss.name
    (['tanh', 'sigmoid'], 'binary_crossentropy')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import DTypeLike

from glassnet.engine.layers import Dense, Dropout, Layer, Standardize
from glassnet.engine.network import Network

__all__ = [
    "CLASSIFICATION_LOSSES",
    "REGRESSION_LOSSES",
    "TASKS",
    "Output",
    "build_mlp",
    "output_for",
]

TASKS = ("classification", "regression")
CLASSIFICATION_LOSSES = ("binary_crossentropy", "crossentropy")
REGRESSION_LOSSES = ("mse", "half_sse")


@dataclass(frozen=True)
class Output:
    """An output layer and its loss: the activation, the number of neurons, the loss name.

    Example:
        >>> Output("identity", 1, "mse").loss
        'mse'
    """

    activation: str
    n_outputs: int
    loss: str


def output_for(task: str, n_classes: int = 0, n_outputs: int = 1, loss: str = "auto") -> Output:
    """The output layer and loss for a task; ``loss="auto"`` takes the simplifying pair.

    Args:
        task: "classification" or "regression".
        n_classes: how many class labels the targets hold (classification).
        n_outputs: how many values each target has (regression).
        loss: "auto" or a loss name; a loss that does not fit the task is a ValueError
            naming both.

    Example:
        >>> output_for("regression", n_outputs=2)
        Output(activation='identity', n_outputs=2, loss='mse')
        >>> output_for("classification", n_classes=3, loss="binary_crossentropy")
        Traceback (most recent call last):
        ValueError: loss binary_crossentropy separates two classes; the target has 3: ...
    """
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}, got {task!r}")
    if loss not in ("auto", *CLASSIFICATION_LOSSES, *REGRESSION_LOSSES):
        known = ", ".join(("auto", *CLASSIFICATION_LOSSES, *REGRESSION_LOSSES))
        raise ValueError(f"loss must be one of {known}, got {loss!r}")
    if task == "regression":
        if loss in CLASSIFICATION_LOSSES:
            raise ValueError(f"loss {loss} needs class labels; this is regression")
        return Output("identity", n_outputs, "mse" if loss == "auto" else loss)
    if loss in REGRESSION_LOSSES:
        raise ValueError(f"loss {loss} is for regression; this is classification")
    if n_classes < 2:
        raise ValueError(f"a classifier needs at least two classes, got {n_classes}")
    if loss == "binary_crossentropy" and n_classes > 2:
        raise ValueError(
            f"loss binary_crossentropy separates two classes; the target has {n_classes}: "
            "use crossentropy"
        )
    if n_classes == 2 and loss in ("auto", "binary_crossentropy"):
        return Output("sigmoid", 1, "binary_crossentropy")
    return Output("softmax", n_classes, "crossentropy")


def build_mlp(
    n_inputs: int,
    hidden: Sequence[int],
    activation: str | Sequence[str],
    output: Output,
    *,
    l2: float = 0.0,
    dropout: float = 0.0,
    standardize: Standardize | None = None,
    seed: int | None = None,
    dtype: DTypeLike = np.float64,
) -> Network:
    """A multi-layer perceptron: hidden Dense layers, then the output layer and its loss.

    Args:
        n_inputs: input features.
        hidden: neurons per hidden layer (empty for none).
        activation: the hidden layers' activation, one name or one per layer.
        output: the output layer and loss, from ``output_for``.
        l2: the L2 strength of every Dense layer.
        dropout: a Dropout layer of this rate after each hidden layer (0: none).
        standardize: a ``Standardize`` layer to put first, or None.
        seed, dtype: the network's (see ``Network``).

    Example:
        >>> net = build_mlp(3, [8, 4], ["relu", "tanh"], output_for("regression"), dropout=0.1)
        >>> [type(layer).__name__ for layer in net.layers]
        ['Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']
    """
    activations = [activation] * len(hidden) if isinstance(activation, str) else list(activation)
    if len(activations) != len(hidden):
        raise ValueError(
            f"{len(activations)} hidden activations for {len(hidden)} hidden layers; "
            "give one name, or one per layer"
        )
    layers: list[Layer] = [] if standardize is None else [standardize]
    width = n_inputs
    for size, name in zip(hidden, activations, strict=True):
        layers.append(Dense(width, size, name, l2=l2))
        if dropout:
            layers.append(Dropout(dropout))
        width = size
    layers.append(Dense(width, output.n_outputs, output.activation, l2=l2))
    return Network(layers, loss=output.loss, seed=seed, dtype=dtype)
