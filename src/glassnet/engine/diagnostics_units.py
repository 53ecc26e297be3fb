"""What the hidden units' state says: saturated sigmoid or tanh units, dead ReLU units, and why.

``unit_state`` measures each hidden layer from one forward pass over the rows it is given:
for sigmoid and tanh units the share of samples with |z| > 5, where the slope f'(z) is
below 0.007 (sigmoid) or 0.0002 (tanh), so almost no gradient passes; for ReLU units
whether they fired (z > 0) on any sample. The output layer is left out: a confident output
layer is meant to saturate. ``unit_notes`` compares the state at the start of training
with the state at the end and names the cause the numbers point to: units dead or
saturated from the start point to the inputs and the starting weights and biases; units
that died or saturated while the loss rose or the weights grew, to the learning rate.

Example:
    >>> import numpy as np
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 3, "relu", bias=[-100, -100, 0.0]), Dense(3, 1, "identity")],
    ...               loss="mse", seed=0)
    >>> unit_state(net, np.eye(2))[1]["fired"]
    array([False, False,  True])
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.engine.activations import ReLU, Sigmoid, Tanh
from glassnet.engine.diagnostics_facts import Note, RunFacts, advice
from glassnet.engine.layers import Dense
from glassnet.engine.run import NetworkLike

__all__ = ["SATURATION_Z", "unit_notes", "unit_state"]

SATURATION_Z = 5.0  # |z| beyond which sigmoid'(z) < 0.0067 and tanh'(z) < 0.00018


def unit_state(network: NetworkLike, sample: np.ndarray | None) -> dict[int, dict[str, np.ndarray]]:
    """Per hidden layer: each unit's share of saturated samples, or whether it fired.

    Example:
        >>> import numpy as np
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 2, "tanh", weights=[[10.0, 0.1]]), Dense(2, 1)], loss="mse")
        >>> unit_state(net, np.array([[1.0], [2.0]]))[1]["saturated"]
        array([1., 0.])
    """
    if sample is None:
        return {}
    with np.errstate(all="ignore"):
        pre_activations = network.pre_activations(sample)
    state = {}
    dense = list(enumerate(network.dense_layers, start=1))
    for (index, layer), z in zip(dense[:-1], pre_activations, strict=False):
        # the output layer is left out: a confident output layer is meant to saturate
        if z.size == 0:
            continue
        if isinstance(layer.activation, Sigmoid | Tanh):
            state[index] = {"saturated": np.mean(np.abs(z) > SATURATION_Z, axis=0)}
        elif isinstance(layer.activation, ReLU):
            state[index] = {"fired": np.any(z > 0, axis=0)}
    return state


def _share(shares: np.ndarray) -> str:
    smallest = float(np.min(shares))
    return "every sample" if smallest == 1 else f"{smallest:.0%} or more of the samples"


def _unit_list(units: np.ndarray, limit: int = 10) -> str:
    shown = ", ".join(map(str, units[:limit].tolist()))
    return shown + (f", ... ({len(units) - limit} more)" if len(units) > limit else "")


def _glorot_limit(layer: Dense) -> float:
    return math.sqrt(6.0 / (layer.n_inputs + layer.n_outputs))


def unit_notes(facts: RunFacts, saturated_share: float, dead_share: float) -> list[Note]:
    """The notes on the hidden units, layer by layer: a layer gets a saturation note when a
    quarter of its units have at least ``saturated_share`` of the samples at |z| > 5, a
    dead-unit note when at least ``dead_share`` of its ReLU units never fire.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(2, 2, "relu"), Dense(2, 1)], loss="mse", seed=0)
        >>> facts = RunFacts(net, start={1: {"fired": np.array([True, False])}},
        ...                  start_weights={1: (net.layers[0].weights.copy(), None)})
        >>> print(unit_notes(facts, 0.9, 0.2)[0].text)  # doctest: +ELLIPSIS
        Layer 1 (relu): 1 of 2 units are dead (units 1): z <= 0 for every sample, ...
    """
    notes: list[Note | None] = []
    for index, layer in facts.dense():
        start, end = facts.start.get(index, {}), facts.end.get(index, {})
        if "saturated" in start:
            notes.append(_saturation_note(facts, index, layer, start["saturated"],
                                          end.get("saturated"), saturated_share))  # fmt: skip
        if "fired" in start:
            fired = end.get("fired", start["fired"])
            notes.append(_dead_note(facts, index, layer, fired, dead_share))
    return [note for note in notes if note is not None]


def _saturation_note(
    facts: RunFacts,
    index: int,
    layer: Dense,
    start: np.ndarray,
    end: np.ndarray | None,
    threshold: float,
) -> Note | None:
    width = layer.n_outputs
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
        return None
    cause, suggestion = _saturation_cause(facts, index, layer, len(at_start) >= enough)
    return Note(
        "saturation",
        f"Layer {index} ({layer.activation.name}): {len(units)} of {width} units are "
        f"saturated {when} (units {_unit_list(units)}): for {_share(share[units])} "
        f"|z| > {SATURATION_Z:g}, where the slope da/dz is "
        f"nearly 0, so almost no gradient reaches their weights. {cause}",
        suggestion,
        index,
        units.tolist(),
    )


def _saturation_cause(
    facts: RunFacts, index: int, layer: Dense, from_start: bool
) -> tuple[str, str]:
    """What the numbers say made |z| large, and the advice that follows from it."""
    weights = facts.start_weights[index][0]
    largest, limit = float(np.max(np.abs(weights))), _glorot_limit(layer)
    if from_start:
        causes = []
        if not facts.inputs_scaled() and facts.sample is not None:
            causes.append(f"the inputs are large (up to |x| = {np.max(np.abs(facts.sample)):.3g})")
        if largest > 1.5 * limit:
            causes.append(f"the starting weights are large (|W| up to {largest:.3g}, where "
                          f"glorot_uniform draws within +-{limit:.2g})")  # fmt: skip
        cause = " and ".join(causes) if causes else "|z| is large from the first pass"
        glorot = "" if layer.init == "glorot_uniform" else " (init='glorot_uniform')"
        return f"Cause: {cause}.", advice(
            facts.scale_inputs(),
            f"smaller starting weights{glorot}" if largest > 1.5 * limit or glorot else "",
            "relu hidden layers",
        )
    growth = facts.growth(index)
    grew = f"the weights grew during training (||W[{index}]|| x {growth:.3g})"
    if facts.rise or growth > 1.5:
        cause = " while ".join(filter(None, [grew if growth > 1.5 else "", facts.rise]))
        return f"Cause: {cause}: the learning rate is too large.", advice(
            f"a learning rate three to ten times smaller{facts.rate_now()}",
            "relu hidden layers",
        )
    return f"Cause: the weights grew to fit (||W[{index}]|| x {growth:.3g}).", advice(
        "l2 weight decay (Dense(..., l2=1e-3))", "relu hidden layers"
    )


def _dead_note(
    facts: RunFacts, index: int, layer: Dense, fired: np.ndarray, dead_share: float
) -> Note | None:
    width = layer.n_outputs
    dead = np.flatnonzero(~fired)
    if not len(dead) or len(dead) < dead_share * width:
        return None
    cause, suggestion = _dead_cause(facts, index, layer, dead)
    return Note(
        "dead_relu",
        f"Layer {index} ({layer.activation.name}): {len(dead)} of {width} units are "
        f"dead (units {_unit_list(dead)}): z <= 0 for every sample, so a = 0 and "
        f"da/dz = 0, and no gradient can revive them. {cause}",
        suggestion,
        index,
        dead.tolist(),
    )


def _dead_cause(facts: RunFacts, index: int, layer: Dense, dead: np.ndarray) -> tuple[str, str]:
    """Dead from the start (the starting biases and weights), killed while the loss
    rose or the weights grew (the learning rate), or otherwise (the biases drifted)."""
    fired_at_start = facts.start.get(index, {}).get("fired")
    start_bias = facts.start_weights[index][1]
    he = "" if layer.init == "he_normal" else "he_normal starting weights"
    if fired_at_start is not None and not np.any(fired_at_start[dead]):
        cause = "They were dead from the start: the starting weights and biases give z <= 0"
        negative = start_bias is not None and bool(np.any(start_bias[dead] < 0))
        if start_bias is not None and negative:
            cause += f" (their biases start as low as {np.min(start_bias[dead]):.3g})"
        bias = "start the biases at 0 or a small positive value" if negative else ""
        weights = "" if negative else he or "other starting weights (another seed)"
        return cause + ".", advice(bias, weights, "leaky_relu")
    growth = facts.growth(index)
    if facts.rise or growth > 1.5:
        what = facts.rise or f"the weights grew (||W[{index}]|| x {growth:.3g})"
        return (
            f"They died during training while {what}: a step this large can push z "
            "below 0 for every sample at once.",
            advice(
                f"a learning rate three to ten times smaller{facts.rate_now()}", "leaky_relu"
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
        advice("start the biases at a small positive value (0.01)", he, "leaky_relu"),
    )
