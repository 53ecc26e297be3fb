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

import math
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np

from glassnet.engine.activations import ReLU, Sigmoid, Tanh
from glassnet.engine.callbacks import Callback
from glassnet.engine.display import notes_html
from glassnet.engine.layers import Dense, Standardize
from glassnet.engine.run import Run

__all__ = ["Diagnostics", "Note"]

# Rows whose units' state stands for all, every k-th row of the set: a unit that fires on
# none of a thousand rows spread over the data is as good as dead. Each of the two forward
# passes costs a sixtieth of an epoch on 60,000 rows.
SAMPLE_ROWS = 1024
SATURATION_Z = 5.0  # |z| beyond which sigmoid'(z) < 0.0067 and tanh'(z) < 0.00018


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


def _share(shares: np.ndarray) -> str:
    smallest = float(np.min(shares))
    return "every sample" if smallest == 1 else f"{smallest:.0%} or more of the samples"


def _unit_list(units: np.ndarray, limit: int = 10) -> str:
    shown = ", ".join(map(str, units[:limit].tolist()))
    return shown + (f", ... ({len(units) - limit} more)" if len(units) > limit else "")


def _advice(*options: str) -> str:
    """The suggestions that apply, in order, as one sentence."""
    kept = [option for option in options if option]
    if len(kept) > 1:
        kept[-1] = "or " + kept[-1]
    return "; ".join(kept) + "."


def _glorot_limit(layer: Dense) -> float:
    return math.sqrt(6.0 / (layer.n_inputs + layer.n_outputs))


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
        self._end: dict[int, dict[str, np.ndarray]] = {}
        self._start_weights: dict[int, tuple[np.ndarray, np.ndarray | None]] = {}
        self._rise = ""  # how the loss rose, if it did ("" if it never did)
        self.sample: np.ndarray | None = None  # the rows the units are judged on

    # ------------------------------------------------------------------ hooks
    def set_run(self, run: Run) -> None:
        super().set_run(run)
        run.network.diagnostics = self

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        self.notes, self.gradient_norms, self._end = [], {}, {}
        X = self.run.X if self.run is not None else None
        # Rows spread over the whole set: the end of it alone would hold one kind of row
        # for data stored in order (false "dead unit" notes on sorted data).
        self.sample = None if X is None else X[:: -(-X.shape[0] // SAMPLE_ROWS)]
        self._start = self._unit_state()
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
        self._end = self._unit_state()
        losses = list(network.history.loss) if network.history is not None else []
        initial = network.history.initial.get("loss") if network.history is not None else None
        self._rise = self._how_the_loss_rose(losses, initial)
        self.notes = []
        if diverged:
            self.notes.append(
                Note(
                    "diverged",
                    "The loss became NaN or infinite: " + network.stop.summary(),
                    _advice(
                        f"a learning rate ten times smaller{self._rate_now()}",
                        self._scale_inputs("scale the inputs to mean 0 and standard deviation 1"),
                    ),
                )
            )
        self._unit_notes()
        self._loss_notes(losses, diverged)
        self._gradient_notes(losses)
        if self.stream is not None and self.notes:
            print(self, file=self.stream)

    # ------------------------------------------------------------------ measuring
    def _dense(self) -> list[tuple[int, Dense]]:
        return list(enumerate(self.network.dense_layers, start=1))

    def _unit_state(self) -> dict[int, dict[str, np.ndarray]]:
        """Per hidden layer: each unit's share of saturated samples, or whether it fired."""
        if self.sample is None:
            return {}
        with np.errstate(all="ignore"):
            pre_activations = self.network.pre_activations(self.sample)
        state = {}
        dense = self._dense()
        for (index, layer), z in zip(dense[:-1], pre_activations, strict=False):
            # the output layer is left out: a confident output layer is meant to saturate
            if z.size == 0:
                continue
            if isinstance(layer.activation, Sigmoid | Tanh):
                state[index] = {"saturated": np.mean(np.abs(z) > SATURATION_Z, axis=0)}
            elif isinstance(layer.activation, ReLU):
                state[index] = {"fired": np.any(z > 0, axis=0)}
        return state

    # ------------------------------------------------------------------ the settings
    def _optimizer_name(self) -> str:
        optimizer = self.run.optimizer if self.run is not None else None
        return getattr(optimizer, "name", "")

    def _rate_now(self) -> str:
        optimizer = self.run.optimizer if self.run is not None else None
        return "" if optimizer is None else f" (now {optimizer.learning_rate:g})"

    def _inputs_scaled(self) -> bool:
        """Whether the inputs are already on a small scale: a Standardize layer in front,
        every value in [-1, 1], or each column about mean 0 and standard deviation 1."""
        if any(isinstance(layer, Standardize) for layer in self.network.layers):
            return True
        X = self.sample
        if X is None or X.size == 0 or not np.all(np.isfinite(X)):
            return True
        if np.max(np.abs(X)) <= 1:
            return True
        return bool(np.all(np.abs(X.mean(axis=0)) <= 1) and np.all(X.std(axis=0) <= 3))

    def _scale_inputs(self, text: str = "scale the inputs") -> str:
        return "" if self._inputs_scaled() else f"{text} (glassnet.Standardize)"

    def _hidden_activations(self) -> set[str]:
        return {layer.activation.name for _, layer in self._dense()[:-1]}

    def _growth(self, index: int) -> float:
        """||W|| at the end over ||W|| at the start of training (inf from all zeros)."""
        start = float(np.linalg.norm(self._start_weights[index][0]))
        end = float(np.linalg.norm(self.network.dense_layers[index - 1].weights))
        return end / start if start > 0 else (math.inf if end > 0 else 1.0)

    def _how_the_loss_rose(self, losses: list[float], initial: float | None) -> str:
        """Where the loss went above where it started, in words ("" if it never did)."""
        values = [initial] if initial is not None and math.isfinite(initial) else []
        values += [value for value in losses if math.isfinite(value)]
        if len(values) < 2:
            return ""
        peak = int(np.argmax(values))
        if values[peak] <= 1.05 * values[0] or peak == 0:
            return ""
        first = "before training" if initial is not None else "at epoch 1"
        epoch = peak if initial is not None else peak + 1
        return (
            f"the loss rose from {values[0]:.4g} ({first}) to {values[peak]:.4g} at epoch {epoch}"
        )

    # ------------------------------------------------------------------ notes
    def _unit_notes(self) -> None:
        for index, layer in self._dense():
            start, end = self._start.get(index, {}), self._end.get(index, {})
            if "saturated" in start:
                self._saturation_note(index, layer, start["saturated"], end.get("saturated"))
            if "fired" in start:
                fired = end.get("fired", start["fired"])
                self._dead_note(index, layer, fired)

    def _saturation_note(
        self, index: int, layer: Dense, start: np.ndarray, end: np.ndarray | None
    ) -> None:
        width, threshold = layer.n_outputs, self.saturated_share
        end = start if end is None else end  # no state at the end: judged by the start's
        at_start = np.flatnonzero(start >= threshold)
        at_end = np.flatnonzero(end >= threshold)
        enough = max(1.0, width / 4)
        if len(at_start) >= enough and len(at_end) >= enough:
            share, units, when = end, at_end, "from the start to the end of training"
        elif len(at_start) >= enough:
            share, units, when = start, at_start, "at the start"
        elif len(at_end) >= enough:
            share, units, when = end, at_end, "at the end of training"
        else:
            return
        cause, advice = self._saturation_cause(index, layer, from_start=len(at_start) >= enough)
        self.notes.append(
            Note(
                "saturation",
                f"Layer {index} ({layer.activation.name}): {len(units)} of {width} units are "
                f"saturated {when} (units {_unit_list(units)}): for {_share(share[units])} "
                f"|z| > {SATURATION_Z:g}, where the slope da/dz is "
                f"nearly 0, so almost no gradient reaches their weights. {cause}",
                advice,
                index,
                units.tolist(),
            )
        )

    def _saturation_cause(self, index: int, layer: Dense, from_start: bool) -> tuple[str, str]:
        """What the numbers say made |z| large, and the advice that follows from it."""
        weights = self._start_weights[index][0]
        largest, limit = float(np.max(np.abs(weights))), _glorot_limit(layer)
        if from_start:
            causes = []
            if not self._inputs_scaled() and self.sample is not None:
                causes.append(
                    f"the inputs are large (up to |x| = {np.max(np.abs(self.sample)):.3g})"
                )
            if largest > 1.5 * limit:
                causes.append(f"the starting weights are large (|W| up to {largest:.3g}, where "
                              f"glorot_uniform draws within +-{limit:.2g})")  # fmt: skip
            cause = " and ".join(causes) if causes else "|z| is large from the first pass"
            glorot = "" if layer.init == "glorot_uniform" else " (init='glorot_uniform')"
            return f"Cause: {cause}.", _advice(
                self._scale_inputs(),
                f"smaller starting weights{glorot}" if largest > 1.5 * limit or glorot else "",
                "relu hidden layers",
            )
        growth = self._growth(index)
        grew = f"the weights grew during training (||W[{index}]|| x {growth:.3g})"
        if self._rise or growth > 1.5:
            cause = " while ".join(filter(None, [grew if growth > 1.5 else "", self._rise]))
            return f"Cause: {cause}: the learning rate is too large.", _advice(
                f"a learning rate three to ten times smaller{self._rate_now()}",
                "relu hidden layers",
            )
        return f"Cause: the weights grew to fit (||W[{index}]|| x {growth:.3g}).", _advice(
            "l2 weight decay (Dense(..., l2=1e-3))", "relu hidden layers"
        )

    def _dead_note(self, index: int, layer: Dense, fired: np.ndarray) -> None:
        width = layer.n_outputs
        dead = np.flatnonzero(~fired)
        if not len(dead) or len(dead) < self.dead_share * width:
            return
        cause, advice = self._dead_cause(index, layer, dead)
        self.notes.append(
            Note(
                "dead_relu",
                f"Layer {index} ({layer.activation.name}): {len(dead)} of {width} units are "
                f"dead (units {_unit_list(dead)}): z <= 0 for every sample, so a = 0 and "
                f"da/dz = 0, and no gradient can revive them. {cause}",
                advice,
                index,
                dead.tolist(),
            )
        )

    def _dead_cause(self, index: int, layer: Dense, dead: np.ndarray) -> tuple[str, str]:
        """Dead from the start (the starting biases and weights), killed while the loss
        rose or the weights grew (the learning rate), or otherwise (the biases drifted)."""
        fired_at_start = self._start.get(index, {}).get("fired")
        start_bias = self._start_weights[index][1]
        he = "" if layer.init == "he_normal" else "he_normal starting weights"
        if fired_at_start is not None and not np.any(fired_at_start[dead]):
            cause = "They were dead from the start: the starting weights and biases give z <= 0"
            negative = start_bias is not None and bool(np.any(start_bias[dead] < 0))
            if start_bias is not None and negative:
                cause += f" (their biases start as low as {np.min(start_bias[dead]):.3g})"
            bias = "start the biases at 0 or a small positive value" if negative else ""
            weights = "" if negative else he or "other starting weights (another seed)"
            return cause + ".", _advice(bias, weights, "leaky_relu")
        growth = self._growth(index)
        if self._rise or growth > 1.5:
            what = self._rise or f"the weights grew (||W[{index}]|| x {growth:.3g})"
            return (
                f"They died during training while {what}: a step this large can push z "
                "below 0 for every sample at once.",
                _advice(
                    f"a learning rate three to ten times smaller{self._rate_now()}", "leaky_relu"
                ),  # fmt: skip
            )
        dead_bias = layer.bias[dead] if layer.bias is not None else None
        drift = (
            f"their biases went negative (down to {np.min(dead_bias):.3g})"
            if dead_bias is not None and np.any(dead_bias < 0)
            else "the starting weights left them little room"
        )
        return (
            f"They died during training while the loss fell and the weights did not grow: {drift}.",
            _advice("start the biases at a small positive value (0.01)", he, "leaky_relu"),
        )

    def _loss_notes(self, losses: list[float], diverged: bool) -> None:
        finite = [value for value in losses if math.isfinite(value)]
        if len(finite) < 2 or diverged:
            return
        run, longest, rise_start = 0, (0, 0), 0
        for epoch in range(1, len(finite)):
            if finite[epoch] > finite[epoch - 1]:
                if run == 0:
                    rise_start = epoch - 1
                run += 1
                if run > longest[0]:
                    longest = (run, rise_start)
            else:
                run = 0
        length, begin = longest
        rise = finite[begin + length] - finite[begin] if length else 0.0
        worse_at_end = finite[-1] > 1.1 * finite[0]
        ups = sum(b > a for a, b in zip(finite, finite[1:], strict=False)) / (len(finite) - 1)
        jumps = np.median(np.abs(np.diff(finite)) / np.maximum(np.abs(finite[:-1]), 1e-12))
        oscillating = len(finite) >= 10 and ups >= 0.4 and jumps > 0.05
        rising = length >= self.rising_epochs and rise > 0.1 * abs(finite[begin])
        if rising or worse_at_end or oscillating:
            if rising:
                what = (f"the loss rose for {length} epochs in a row (epochs {begin + 1} to "
                        f"{begin + length + 1}: {finite[begin]:.4g} -> "
                        f"{finite[begin + length]:.4g})")  # fmt: skip
            elif worse_at_end:
                what = f"the loss ended higher than it began ({finite[0]:.4g} -> {finite[-1]:.4g})"
            else:
                what = (f"the loss jumped up and down: it rose in {ups:.0%} of the epochs, by "
                        f"{jumps:.0%} per epoch (median)")  # fmt: skip
            self.notes.append(
                Note(
                    "rising_loss",
                    f"Training: {what}. Each step overshoots the valley it aims for: the "
                    "learning rate is too high.",
                    _advice(
                        f"a learning rate three to ten times smaller{self._rate_now()}",
                        "" if self._optimizer_name() == "adam" else "optimizer='adam'",
                    ),
                )
            )
            return
        if len(finite) >= self.flat_epochs and finite[0] > 1e-8:
            change = abs(finite[-1] - finite[0]) / abs(finite[0])
            if change < self.flat_change:
                cause, advice = self._flat_cause()
                self.notes.append(
                    Note(
                        "flat_loss",
                        f"Training: the loss barely moved in {len(finite)} epochs "
                        f"({finite[0]:.6g} -> {finite[-1]:.6g}, {change:.2%}). "
                        f"Gradient norms per layer: {self._norm_text()}. {cause}",
                        advice,
                    )
                )

    def _flat_cause(self) -> tuple[str, str]:
        """No gradient at all (dead units pass none), vanishing gradients, or steps too
        small for the slope: the cause the gradient norms point to, and its advice."""
        norms = self._median_norms()
        if norms and max(norms.values()) == 0:
            if "dead_relu" in self.kinds():
                return (
                    "No gradient reaches the weights: the dead units above pass none.",
                    "revive the dead units first (see their note); a larger learning rate "
                    "cannot move weights whose gradient is 0.",
                )
            return "No gradient reaches the weights.", _advice(*self._vanishing_remedies())
        first, last = (norms[min(norms)], norms[max(norms)]) if norms else (1.0, 1.0)
        if len(norms) > 1 and last > 0 and first < 1e-3 * last:
            return "The first layers' gradients vanish (see above).", _advice(
                *self._vanishing_remedies()
            )
        return "The steps are small for the slope.", _advice(
            f"a learning rate ten times larger{self._rate_now()}",
            *(f"if the first layers' gradient norms are far smaller than the last's: {r}"
              for r in self._vanishing_remedies()[:1]),
        )  # fmt: skip

    def _vanishing_remedies(self) -> list[str]:
        """What helps gradients through the hidden layers, without what is in use."""
        hidden = self._hidden_activations()
        layers = [layer for _, layer in self._dense()[:-1]]
        he = "" if all(layer.init == "he_normal" for layer in layers) else "he_normal"
        if hidden & {"relu", "leaky_relu"}:
            activation = f"{he} starting weights" if he else ""
        else:
            activation = "relu hidden layers" if "tanh" in hidden else "relu or tanh hidden layers"
            activation += f" with {he} starting weights" if he else ""
        remedies = [activation, "fewer layers", self._scale_inputs("scaled inputs")]
        return [remedy for remedy in remedies if remedy]

    def _median_norms(self) -> dict[int, float]:
        return {index: float(np.median(norms)) for index, norms in self.gradient_norms.items()}

    def _norm_text(self) -> str:
        norms = self._median_norms()
        if not norms:
            return "not measured"
        return ", ".join(f"||dE/dW[{index}]|| = {value:.3g}" for index, value in norms.items())

    def _gradient_notes(self, losses: list[float]) -> None:
        norms = self._median_norms()
        if len(norms) < 2:
            return
        first, last = norms[min(norms)], norms[max(norms)]
        if last > 0 and first < 1e-3 * last:
            self.notes.append(
                Note(
                    "vanishing_gradients",
                    f"Gradients vanish on the way back: {self._norm_text()} (median over "
                    f"training). Layer {min(norms)} gets {first / last:.1e} of the output "
                    "layer's gradient, so it hardly learns: each sigmoid or tanh layer "
                    "multiplies the gradient by its slope (at most 0.25 for sigmoid).",
                    _advice(*self._vanishing_remedies()),
                    min(norms),
                )
            )

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
