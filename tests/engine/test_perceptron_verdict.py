"""The verdict when the rule cannot reach zero errors: "no line separates these classes"
(XOR), or "no line through the origin does: add a bias" (AND without a bias), each with its
evidence (glassnet.engine.separability)."""

import warnings

import numpy as np
import pytest

from glassnet import Perceptron
from glassnet.datasets import logic_gate, tutorial_002_weights
from glassnet.engine.perceptron_rules import Rule
from glassnet.engine.separability import (
    cone_evidence,
    line_evidence,
    origin_evidence,
    separability_evidence,
    verdict,
)

THROUGH_THE_ORIGIN = "no line through the origin separates these classes; a line with a bias does"
NO_LINE = "not linearly separable: no line separates these classes"


def fitted(gate: str, bias, **settings) -> Perceptron:
    X, y = logic_gate(gate)
    return Perceptron(2, 0.1, weights=tutorial_002_weights(), bias=bias, **settings).fit(X, y)


@pytest.mark.parametrize("bias", [None, 0.0])
def test_or_is_learned_with_and_without_a_bias(bias):
    perceptron = fitted("OR", bias)
    assert perceptron.converged and perceptron.evidence == ""


def test_and_with_a_bias_is_learned():
    perceptron = fitted("AND", 0.0)
    assert perceptron.converged and perceptron.predict(logic_gate("AND")[0]).tolist() == [
        0,
        0,
        0,
        1,
    ]


def test_and_without_a_bias_says_a_line_through_the_origin_cannot_but_a_bias_can():
    # The issue's case: tutorial 002's perceptron (legacy seed 42, no bias) on AND.
    perceptron = fitted("AND", None)
    assert not perceptron.converged
    assert perceptron.message.startswith(THROUGH_THE_ORIGIN + ": add a bias. At the start of")
    assert "no line separates" not in perceptron.message
    cone, line = perceptron.evidence.splitlines()
    # (1, 1) = (0, 1) + (1, 0): with no bias z(1, 1) = z(0, 1) + z(1, 0) <= 0 + 0.
    assert cone.startswith("Evidence: [1, 1] = [0, 1] + [1, 0]. Without a bias z = w . x is linear")
    assert "Class 0 needs z <= 0 at [0, 1] and [1, 0], so z([1, 1]) <= 0 too" in cone
    assert line.startswith("With a bias the line ")
    # The line it names does separate AND: check it from its (w, b).
    X, y = logic_gate("AND")
    weights = np.array([float(v) for v in line.split("(w = [")[1].split("]")[0].split(", ")])
    bias = float(line.split("b = ")[1].rstrip(")."))
    z = X @ weights + bias
    assert np.all((z > 0) == (y == 1)) and np.all(z != 0)
    assert perceptron.table().splitlines()[-2:] == [cone, line]


@pytest.mark.parametrize("bias, tail", [(None, ", with or without a bias. At the start"),
                                        (0.0, ". At the start")])  # fmt: skip
def test_xor_is_not_separable_with_or_without_a_bias(bias, tail):
    perceptron = fitted("XOR", bias)
    assert not perceptron.converged
    assert perceptron.message.startswith(NO_LINE + tail)
    assert perceptron.evidence.startswith(
        "Evidence: [0, 1] and [1, 0] are class 1, [0, 0] and [1, 1] are class 0, and both "
        "pairs have the midpoint [0.5, 0.5]."
    )


def test_the_origin_is_the_evidence_when_step_of_zero_is_on_its_wrong_side():
    # OR with step(0) = 1 and no bias: (0, 0) gives z = 0 for every w, so always 1.
    perceptron = fitted("OR", None, step_at_zero=1, mode="online")
    assert perceptron.message.startswith(THROUGH_THE_ORIGIN)
    assert perceptron.evidence.splitlines()[0] == (
        "Evidence: [0, 0] is the origin: without a bias z = w . x = 0 there whatever the "
        "weights, so its output is always 1, but it is class 0."
    )


def test_a_fixed_threshold_without_a_bias_is_named_as_such():
    # NOT: x = 0 must give 1, but z = 0 * w - 0.2 = -0.2 there for every w.
    perceptron = Perceptron(1, 0.1, weights=[0.5], threshold=0.2, mode="online")
    perceptron.fit([[0.0], [1.0]], [1, 0])
    assert perceptron.message.startswith(
        "no line w . x = 0.2 (theta fixed, no bias) separates these classes; a line with a bias "
        "does: add a bias"
    )
    assert perceptron.evidence.splitlines()[0] == (
        "Evidence: [0] is the origin: without a bias z = w . x - theta = -0.2 there whatever "
        "the weights, so its output is always 0, but it is class 1."
    )


def test_fausetts_band_never_decides_the_origin_without_a_bias():
    perceptron = Perceptron(2, 1.0, weights=[0.0, 0.0], rule="fausett", band=0.2, mode="online")
    perceptron.fit([[0, 0], [1, 1]], [-1, 1])
    assert perceptron.message.startswith(THROUGH_THE_ORIGIN)
    assert "so its output is always 0, but it is class -1" in perceptron.evidence


def test_running_out_of_epochs_gives_the_evidence_when_asked():
    X, y = logic_gate("AND")
    perceptron = Perceptron(2, 0.1, weights=[0.5, 0.5]).fit(X, y, max_epochs=2)
    assert perceptron.message == (
        "did not converge within 2 epochs: the last epoch made 2 errors. The classes may not "
        "be linearly separable (or not by a line through the origin), or need more epochs."
    )
    assert perceptron.evidence.startswith("Evidence: [1, 1] = [0, 1] + [1, 0].")


def test_cone_evidence_the_other_way_and_with_a_scaled_point():
    rule = Rule("rosenblatt", "step")
    # A class-0 point that is a sum of class-1 points: z there is > 0 whatever w.
    text = cone_evidence([[1, 0], [0, 1], [1, 1]], [True, True, False], rule)
    assert text.startswith("Evidence: [1, 1] = [1, 0] + [0, 1].")
    assert "Class 1 needs z > 0 at [1, 0] and [0, 1], so z([1, 1]) > 0 too" in text
    scaled = cone_evidence(
        [[2, 4], [1, 2]], [True, False], Rule("rosenblatt", "step", step_at_zero=1)
    )
    assert scaled.startswith("Evidence: [2, 4] = 2 [1, 2].") and "z([2, 4]) < 0 too" in scaled
    assert cone_evidence([[1, 0], [0, 1]], [True, False], rule) == ""  # separable by x1 - x2
    assert origin_evidence([[1, 0], [0, 1]], [True, False], rule) == ""


def test_line_evidence_and_the_verdict_without_evidence():
    assert line_evidence([1.0, -0.5], 0.25, classes=["no", "yes"]) == (
        "With a bias the line 1 x1 - 0.5 x2 + 0.25 = 0 separates them: z = w . x + b > 0 at "
        "every class-yes point and < 0 at every class-no point (w = [1, -0.5], b = 0.25)."
    )
    # Nothing to show and no line found: the verdict says what it does not know.
    headline, evidence = verdict([[1, 0], [0, 1]], [True, False], Rule("rosenblatt", "step"),
                                 learned_bias=False, line=None)  # fmt: skip
    assert headline == (
        "the rule finds no line through the origin that separates these classes; a bias may "
        "help: try one"
    )
    assert evidence == ""


def test_the_midpoint_evidence_holds_for_points_near_the_float_range():
    # XOR at the scale of 1e300 and 1.7e308: the sum of two points would overflow, and
    # rounding to 12 decimals scales by 1e12; the evidence is found, with no warning.
    for scale in (1e300, 1.7e308):
        X = [[scale, 0], [0, scale], [0, 0], [scale, scale]]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            evidence = separability_evidence(X, [True, True, False, False])
        half = f"{scale / 2:g}"
        assert f"both pairs have the midpoint [{half}, {half}]" in evidence
