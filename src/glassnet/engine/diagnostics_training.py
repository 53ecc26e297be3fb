"""What the loss curve and the gradient norms say: divergence, a rising or flat loss, and
gradients that vanish on the way back.

- diverged: the loss became NaN or infinite;
- a rising loss: it rose for several epochs in a row, ended higher than it began, or
  jumped up and down (the learning rate is too high);
- a flat loss: it barely moved (the learning rate is too low, or the gradients vanish, or
  dead units pass none), with the gradient norm ||dE/dW[l]|| of each layer;
- vanishing gradients: ||dE/dW[1]|| a thousand times smaller than the output layer's.

Each note's advice leaves out what the network already uses (``RunFacts``).

Example:
    >>> how_the_loss_rose([0.9, 1.4, 1.2], initial=0.7)
    'the loss rose from 0.7 (before training) to 1.4 at epoch 2'
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.engine.diagnostics_facts import Note, RunFacts, advice
from glassnet.engine.run import Stop

__all__ = ["diverged_note", "gradient_notes", "how_the_loss_rose", "loss_notes"]


def how_the_loss_rose(losses: list[float], initial: float | None) -> str:
    """Where the loss went above where it started, in words ("" if it never did).

    Example:
        >>> how_the_loss_rose([0.5, 0.4], initial=0.6)
        ''
    """
    values = [initial] if initial is not None and math.isfinite(initial) else []
    values += [value for value in losses if math.isfinite(value)]
    if len(values) < 2:
        return ""
    peak = int(np.argmax(values))
    if values[peak] <= 1.05 * values[0] or peak == 0:
        return ""
    first = "before training" if initial is not None else "at epoch 1"
    epoch = peak if initial is not None else peak + 1
    return f"the loss rose from {values[0]:.4g} ({first}) to {values[peak]:.4g} at epoch {epoch}"


def diverged_note(facts: RunFacts, stop: Stop) -> Note:
    """The note of a run whose loss became NaN or infinite (``stop`` says where).

    Example:
        >>> from glassnet import Dense, Network
        >>> stop = Stop("diverged", 3, {"loss": float("nan"), "learning_rate": 5.0})
        >>> diverged_note(RunFacts(Network([Dense(1, 1)], loss="mse")), stop).kind
        'diverged'
    """
    return Note(
        "diverged",
        "The loss became NaN or infinite: " + stop.summary(),
        advice(
            f"a learning rate ten times smaller{facts.rate_now()}",
            facts.scale_inputs("scale the inputs to mean 0 and standard deviation 1"),
        ),
    )


def loss_notes(
    facts: RunFacts,
    losses: list[float],
    rising_epochs: int,
    flat_epochs: int,
    flat_change: float,
    dead_units: bool,
) -> list[Note]:
    """The note on the loss curve of a run that did not diverge, if it has one: rising
    (``rising_epochs`` in a row, by more than a tenth), higher at the end, jumping up and
    down, or flat (a run of at least ``flat_epochs`` that changed by less than
    ``flat_change``, relative). ``dead_units`` says whether dead units have a note.

    Example:
        >>> from glassnet import Dense, Network
        >>> facts = RunFacts(Network([Dense(1, 1)], loss="mse"))
        >>> [note.kind for note in loss_notes(facts, [1.0, 1.5, 2.0], 5, 20, 0.01, False)]
        ['rising_loss']
    """
    finite = [value for value in losses if math.isfinite(value)]
    if len(finite) < 2:
        return []
    rising = _rising_note(facts, finite, rising_epochs)
    if rising is not None:
        return [rising]
    if len(finite) >= flat_epochs and finite[0] > 1e-8:
        change = abs(finite[-1] - finite[0]) / abs(finite[0])
        if change < flat_change:
            cause, suggestion = _flat_cause(facts, dead_units)
            return [
                Note(
                    "flat_loss",
                    f"Training: the loss barely moved in {len(finite)} epochs "
                    f"({finite[0]:.6g} -> {finite[-1]:.6g}, {change:.2%}). "
                    f"Gradient norms per layer: {_norm_text(facts)}. {cause}",
                    suggestion,
                )
            ]
    return []


def _rising_note(facts: RunFacts, finite: list[float], rising_epochs: int) -> Note | None:
    """The rising-loss note: the longest rise, a worse end, or an oscillation."""
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
    rising = length >= rising_epochs and rise > 0.1 * abs(finite[begin])
    if not (rising or worse_at_end or oscillating):
        return None
    if rising:
        what = (f"the loss rose for {length} epochs in a row (epochs {begin + 1} to "
                f"{begin + length + 1}: {finite[begin]:.4g} -> "
                f"{finite[begin + length]:.4g})")  # fmt: skip
    elif worse_at_end:
        what = f"the loss ended higher than it began ({finite[0]:.4g} -> {finite[-1]:.4g})"
    else:
        what = (f"the loss jumped up and down: it rose in {ups:.0%} of the epochs, by "
                f"{jumps:.0%} per epoch (median)")  # fmt: skip
    return Note(
        "rising_loss",
        f"Training: {what}. Each step overshoots the valley it aims for: the "
        "learning rate is too high.",
        advice(
            f"a learning rate three to ten times smaller{facts.rate_now()}",
            "" if facts.optimizer_name() == "adam" else "optimizer='adam'",
        ),
    )


def _flat_cause(facts: RunFacts, dead_units: bool) -> tuple[str, str]:
    """No gradient at all (dead units pass none), vanishing gradients, or steps too
    small for the slope: the cause the gradient norms point to, and its advice."""
    norms = _median_norms(facts)
    if norms and max(norms.values()) == 0:
        if dead_units:
            return (
                "No gradient reaches the weights: the dead units above pass none.",
                "revive the dead units first (see their note); a larger learning rate "
                "cannot move weights whose gradient is 0.",
            )
        return "No gradient reaches the weights.", advice(*_vanishing_remedies(facts))
    first, last = (norms[min(norms)], norms[max(norms)]) if norms else (1.0, 1.0)
    if len(norms) > 1 and last > 0 and first < 1e-3 * last:
        return "The first layers' gradients vanish (see above).", advice(
            *_vanishing_remedies(facts)
        )
    return "The steps are small for the slope.", advice(
        f"a learning rate ten times larger{facts.rate_now()}",
        *(f"if the first layers' gradient norms are far smaller than the last's: {r}"
          for r in _vanishing_remedies(facts)[:1]),
    )  # fmt: skip


def _vanishing_remedies(facts: RunFacts) -> list[str]:
    """What helps gradients through the hidden layers, without what is in use."""
    hidden = facts.hidden_activations()
    layers = [layer for _, layer in facts.dense()[:-1]]
    he = "" if all(layer.init == "he_normal" for layer in layers) else "he_normal"
    if hidden & {"relu", "leaky_relu"}:
        activation = f"{he} starting weights" if he else ""
    else:
        activation = "relu hidden layers" if "tanh" in hidden else "relu or tanh hidden layers"
        activation += f" with {he} starting weights" if he else ""
    remedies = [activation, "fewer layers", facts.scale_inputs("scaled inputs")]
    return [remedy for remedy in remedies if remedy]


def _median_norms(facts: RunFacts) -> dict[int, float]:
    return {index: float(np.median(norms)) for index, norms in facts.gradient_norms.items()}


def _norm_text(facts: RunFacts) -> str:
    norms = _median_norms(facts)
    if not norms:
        return "not measured"
    return ", ".join(f"||dE/dW[{index}]|| = {value:.3g}" for index, value in norms.items())


def gradient_notes(facts: RunFacts) -> list[Note]:
    """The vanishing-gradients note, if the first layer's median gradient norm is under a
    thousandth of the output layer's.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 2, "sigmoid"), Dense(2, 1)], loss="mse")
        >>> notes = gradient_notes(RunFacts(net, gradient_norms={1: [1e-6], 2: [0.1]}))
        >>> notes[0].kind, notes[0].layer
        ('vanishing_gradients', 1)
    """
    norms = _median_norms(facts)
    if len(norms) < 2:
        return []
    first, last = norms[min(norms)], norms[max(norms)]
    if not (last > 0 and first < 1e-3 * last):
        return []
    return [
        Note(
            "vanishing_gradients",
            f"Gradients vanish on the way back: {_norm_text(facts)} (median over "
            f"training). Layer {min(norms)} gets {first / last:.1e} of the output "
            "layer's gradient, so it hardly learns: each sigmoid or tanh layer "
            "multiplies the gradient by its slope (at most 0.25 for sigmoid).",
            advice(*_vanishing_remedies(facts)),
            min(norms),
        )
    ]
