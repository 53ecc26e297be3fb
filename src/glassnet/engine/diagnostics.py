"""Diagnostics in plain language: what went wrong in training, where, and what to try.

``Diagnostics`` is a callback; ``Network.fit`` attaches one by default (pass your own to
tune its thresholds). Read it afterwards as ``network.diagnostics``; ``str()`` gives the
notes, and ``fit(verbose=1)`` prints them when there are any. It watches:

- saturated sigmoid/tanh units: the share of samples with |z| > 5, where the slope
  f'(z) is below 0.007 (sigmoid) or 0.0002 (tanh), so almost no gradient passes;
- dead ReLU units: z <= 0 for every sample, so a = 0, da/dz = 0 and the unit never learns;
- a rising loss (the learning rate is too high) and divergence to NaN or infinity;
- a flat loss (the learning rate is too low, or the gradients vanish), with the gradient
  norm ||dE/dW[l]|| of each layer;
- vanishing gradients: ||dE/dW[1]|| a thousand times smaller than the output layer's.

Each note names the cause its numbers point to (units dead from the start point to the
starting biases and weights; units that died while the loss rose or the weights grew, to
the learning rate), and its advice is checked against the network's own settings: it never
suggests what the network already uses (relu for a relu network, an initialiser that is
already the layer's, scaling inputs that are already in [-1, 1] or standardised, adam to an
adam run).

``Network.fit`` attaches one unless told ``diagnostics=False``. It reads each layer's
gradient norm at about 8 epochs per doubling of the epoch count (epochs 1 to 10, then
every 2nd up to 16, every 4th up to 32, ...), and the units' state at the start and at the
end, from a forward pass of its own over at most 1,024 rows spread evenly over the training
rows that ``set_run`` hands it (``sample``).

This module is the callback: it measures, gathers the run's facts
(``diagnostics_facts.RunFacts``) and collects the notes, which ``diagnostics_units`` (the
hidden units) and ``diagnostics_training`` (the loss and the gradients) write.

Example:
    >>> import numpy as np
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 3, "relu", bias=[-100, -100, 0.0]), Dense(3, 1, "identity")],
    ...               loss="mse", seed=0)
    >>> diagnostics = Diagnostics()
    >>> _ = net.fit(np.eye(2), [1.0, 2.0], epochs=20, callbacks=[diagnostics])
    >>> print(diagnostics.notes[0].text)  # doctest: +ELLIPSIS
    Layer 1 (relu): 2 of 3 units are dead (units 0, 1): ...
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

import numpy as np

from glassnet.engine.callbacks import Callback
from glassnet.engine.diagnostics_facts import Note, RunFacts
from glassnet.engine.diagnostics_training import (
    diverged_note,
    gradient_notes,
    how_the_loss_rose,
    loss_notes,
)
from glassnet.engine.diagnostics_units import unit_notes, unit_state
from glassnet.engine.display import notes_html
from glassnet.engine.layers import Dense
from glassnet.engine.run import Run

# Note is written in diagnostics_facts; it is named here too, where callers import it.
__all__ = ["Diagnostics", "Note"]

# Rows whose units' state stands for all, every k-th row of the set: a unit that fires on
# none of a thousand rows spread over the data is as good as dead. Each of the two forward
# passes costs a sixtieth of an epoch on 60,000 rows.
SAMPLE_ROWS = 1024


class Diagnostics(Callback):
    """Collects plain-language notes about a training run (see the module docstring).

    Args:
        rising_epochs: this many epochs in a row of a rising loss make a note.
        flat_epochs: a run at least this long whose loss changed by less than
            ``flat_change`` (relative) makes a note.
        flat_change: see ``flat_epochs``.
        saturated_share: a unit is saturated when at least this share of samples has
            |z| > 5; a layer gets a note when a quarter of its units are.
        dead_share: a ReLU layer gets a note when at least this share of its units is dead.
        stream: where to print the notes when training ends (None: print nothing).

    Example:
        >>> Diagnostics().notes
        []
    """

    def __init__(
        self,
        rising_epochs: int = 5,
        flat_epochs: int = 20,
        flat_change: float = 0.01,
        saturated_share: float = 0.9,
        dead_share: float = 0.2,
        stream: TextIO | None = None,
    ) -> None:
        self.rising_epochs: int = rising_epochs
        self.flat_epochs: int = flat_epochs
        self.flat_change: float = flat_change
        self.saturated_share: float = saturated_share
        self.dead_share: float = dead_share
        self.stream: TextIO | None = stream
        self.notes: list[Note] = []
        self.gradient_norms: dict[int, list[float]] = {}
        self._start: dict[int, dict[str, np.ndarray]] = {}
        self._start_weights: dict[int, tuple[np.ndarray, np.ndarray | None]] = {}
        self.sample: np.ndarray | None = None  # the rows the units are judged on

    # ------------------------------------------------------------------ hooks
    def set_run(self, run: Run) -> None:
        super().set_run(run)
        run.network.diagnostics = self

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        self.notes, self.gradient_norms = [], {}
        X = self.run.X if self.run is not None else None
        # Rows spread over the whole set: the end of it alone would hold one kind of row
        # for data stored in order (false "dead unit" notes on sorted data).
        self.sample = None if X is None else X[:: -(-X.shape[0] // SAMPLE_ROWS)]
        self._start = unit_state(self.network, self.sample)
        self._start_weights = {
            index: (layer.weights.copy(), None if layer.bias is None else layer.bias.copy())
            for index, layer in self._dense()
        }

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        stride = 1 if epoch <= 10 else max(1, (1 << (epoch.bit_length() - 1)) // 8)
        if epoch % stride:
            return
        for index, layer in self._dense():
            if layer.grad_weights is not None:
                norm = float(np.linalg.norm(layer.grad_weights))
                self.gradient_norms.setdefault(index, []).append(norm)

    def on_train_end(self, logs: dict[str, float] | None = None) -> None:
        network = self.network
        diverged = network.stop is not None and network.stop.kind == "diverged"
        end = unit_state(network, self.sample)
        losses = list(network.history.loss) if network.history is not None else []
        initial = network.history.initial.get("loss") if network.history is not None else None
        facts = RunFacts(
            network,
            optimizer=self.run.optimizer if self.run is not None else None,
            sample=self.sample,
            start=self._start,
            end=end,
            start_weights=self._start_weights,
            gradient_norms=self.gradient_norms,
            rise=how_the_loss_rose(losses, initial),
        )
        self.notes = [diverged_note(facts, network.stop)] if diverged else []
        self.notes += unit_notes(facts, self.saturated_share, self.dead_share)
        if not diverged:
            dead_units = "dead_relu" in self.kinds()
            self.notes += loss_notes(facts, losses, self.rising_epochs, self.flat_epochs,
                                     self.flat_change, dead_units)  # fmt: skip
        self.notes += gradient_notes(facts)
        if self.stream is not None and self.notes:
            print(self, file=self.stream)

    # ------------------------------------------------------------------ measuring
    def _dense(self) -> list[tuple[int, Dense]]:
        return list(enumerate(self.network.dense_layers, start=1))

    # ------------------------------------------------------------------ reading
    def kinds(self) -> list[str]:
        """The kind of each note, in order (e.g. ["saturation", "flat_loss"]).

        Example:
            >>> Diagnostics().kinds()
            []
        """
        return [note.kind for note in self.notes]

    def __str__(self) -> str:
        if not self.notes:
            return "Diagnostics: nothing unusual in this training run."
        lines = ["Diagnostics:"]
        lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines)

    def print(self, stream: TextIO | None = None) -> None:
        """Print the notes (to standard output by default).

        Example:
            >>> Diagnostics().print()
            Diagnostics: nothing unusual in this training run.
        """
        print(self, file=stream or sys.stdout)

    def _repr_html_(self) -> str:
        return notes_html("Diagnostics", self.notes, "nothing unusual in this training run.")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))
