"""What the diagnostics know of a run when they write their notes, and the note they write.

A ``Note`` is one finding in plain words, with the advice that follows from it.
``RunFacts`` holds what the notes are judged on: the network, its optimizer, the rows its
units were measured on, their state at the start and at the end of training, the starting
weights, the gradient norms and how the loss rose. Its questions (are the inputs already
scaled? how far did the weights grow? what is the learning rate now?) keep every piece of
advice to what the network does not already use. ``advice`` joins the suggestions that
apply into one sentence.

The notes themselves are written by ``diagnostics_units`` (the hidden units) and
``diagnostics_training`` (the loss and the gradients); ``diagnostics`` is the callback that
gathers the facts and collects the notes.

Example:
    >>> advice("a smaller learning rate", "", "leaky_relu")
    'a smaller learning rate; or leaky_relu.'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.engine.layers import Dense, Standardize
from glassnet.engine.run import NetworkLike

__all__ = ["Note", "RunFacts", "advice"]


@dataclass
class Note:
    """One finding: its kind, the layer (1-based, as in the trace) and units, and the advice.

    ``kind`` is one of "saturation", "dead_relu", "rising_loss", "flat_loss",
    "vanishing_gradients", "diverged".

    Example:
        >>> note = Note("dead_relu", "Layer 1 (relu): 1 of 2 units are dead.",
        ...             "lower the learning rate or use leaky_relu.", layer=1, units=[0])
        >>> print(note)
        Layer 1 (relu): 1 of 2 units are dead. Try: lower the learning rate or use leaky_relu.
    """

    kind: str
    text: str
    suggestion: str
    layer: int | None = None
    units: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.text} Try: {self.suggestion}"


def advice(*options: str) -> str:
    """The suggestions that apply (the empty ones left out), in order, as one sentence.

    Example:
        >>> advice("", "relu hidden layers")
        'relu hidden layers.'
    """
    kept = [option for option in options if option]
    if len(kept) > 1:
        kept[-1] = "or " + kept[-1]
    return "; ".join(kept) + "."


@dataclass
class RunFacts:
    """A finished run as the notes read it (``Diagnostics`` gathers it as training ends).

    ``start`` and ``end`` hold, per hidden layer, each unit's share of saturated samples
    ("saturated") or whether it fired ("fired"); ``start_weights`` each Dense layer's
    weights and bias before training; ``rise`` how the loss rose, in words ("" if it never
    did).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 1, "sigmoid")], loss="mse", seed=0)
        >>> facts = RunFacts(net, sample=np.array([[0.5, -1.0]]))
        >>> facts.inputs_scaled(), facts.rate_now(), [index for index, _ in facts.dense()]
        (True, '', [1])
    """

    network: NetworkLike
    optimizer: Any = None
    sample: np.ndarray | None = None  # the rows the units are judged on
    start: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    end: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)
    start_weights: dict[int, tuple[np.ndarray, np.ndarray | None]] = field(default_factory=dict)
    gradient_norms: dict[int, list[float]] = field(default_factory=dict)
    rise: str = ""

    def dense(self) -> list[tuple[int, Dense]]:
        """The network's Dense layers, each with its number (from 1, as in the trace).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 3, "relu"), Dense(3, 1, "identity")], loss="mse")
            >>> [(index, layer.n_outputs) for index, layer in RunFacts(net).dense()]
            [(1, 3), (2, 1)]
        """
        return list(enumerate(self.network.dense_layers, start=1))

    def optimizer_name(self) -> str:
        """The optimizer's name ("" when there is none).

        Example:
            >>> from glassnet import Dense, Network
            >>> from glassnet.engine.optimizers import Adam
            >>> RunFacts(Network([Dense(1, 1)], loss="mse"), optimizer=Adam()).optimizer_name()
            'adam'
        """
        return getattr(self.optimizer, "name", "")

    def rate_now(self) -> str:
        """The learning rate in use, as advice mentions it (" (now 0.1)"; "" without one).

        Example:
            >>> from glassnet import Dense, Network
            >>> from glassnet.engine.optimizers import SGD
            >>> RunFacts(Network([Dense(1, 1)], loss="mse"), optimizer=SGD(0.1)).rate_now()
            ' (now 0.1)'
        """
        return "" if self.optimizer is None else f" (now {self.optimizer.learning_rate:g})"

    def inputs_scaled(self) -> bool:
        """Whether the inputs are already on a small scale: a Standardize layer in front,
        every value in [-1, 1], or each column about mean 0 and standard deviation 1.

        Example:
            >>> from glassnet import Dense, Network
            >>> RunFacts(Network([Dense(1, 1)], loss="mse"), sample=np.array([[50.0], [90.0]])
            ...          ).inputs_scaled()
            False
        """
        if any(isinstance(layer, Standardize) for layer in self.network.layers):
            return True
        X = self.sample
        if X is None or X.size == 0 or not np.all(np.isfinite(X)):
            return True
        if np.max(np.abs(X)) <= 1:
            return True
        return bool(np.all(np.abs(X.mean(axis=0)) <= 1) and np.all(X.std(axis=0) <= 3))

    def scale_inputs(self, text: str = "scale the inputs") -> str:
        """``text`` as advice, unless the inputs are already scaled ("" then).

        Example:
            >>> from glassnet import Dense, Network
            >>> RunFacts(Network([Dense(1, 1)], loss="mse"), sample=np.array([[50.0], [90.0]])
            ...          ).scale_inputs()
            'scale the inputs (glassnet.Standardize)'
        """
        return "" if self.inputs_scaled() else f"{text} (glassnet.Standardize)"

    def hidden_activations(self) -> set[str]:
        """The names of the hidden layers' activations.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid")], loss="mse")
            >>> RunFacts(net).hidden_activations()
            {'tanh'}
        """
        return {layer.activation.name for _, layer in self.dense()[:-1]}

    def growth(self, index: int) -> float:
        """||W|| at the end over ||W|| at the start of training (inf from all zeros).

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, weights=[[2.0]])], loss="mse")
            >>> RunFacts(net, start_weights={1: (np.array([[1.0]]), None)}).growth(1)
            2.0
        """
        start = float(np.linalg.norm(self.start_weights[index][0]))
        end = float(np.linalg.norm(self.network.dense_layers[index - 1].weights))
        return end / start if start > 0 else (math.inf if end > 0 else 1.0)
