"""Each textbook option of the Perceptron through the API: threshold, step_at_zero, Fausett's
rule and band, the arithmetic, row weights and penalties; the errors for settings that do not
fit; the table's layouts (glassnet.engine.perceptron, perceptron_rules, perceptron_table)."""

import numpy as np
import pytest

from glassnet import Perceptron
from glassnet.datasets import logic_gate, tutorial_002_weights
from glassnet.engine.perceptron_epochs import Penalties
from glassnet.engine.perceptron_rules import MAX_EXACT_ROWS, Rule, choose_arithmetic, exact


# ---------------------------------------------------------------------- the options
def test_threshold_is_subtracted_from_the_net_input_and_never_learned():
    p = Perceptron(2, 0.1, weights=[0.5, 0.5], bias=0.25, threshold=0.2)
    assert p.decision_function([[1, 0], [0, 0]]).tolist() == [0.55, 0.05]  # 0.5 + 0.25 - 0.2
    p.fit(*logic_gate("AND"))
    assert p.threshold == 0.2 and p.converged


def test_step_at_zero_is_the_output_at_zero():
    X = [[0.0], [1.0], [-1.0]]
    assert Perceptron(1, weights=[1.0]).predict(X).tolist() == [0.0, 1.0, 0.0]
    assert Perceptron(1, weights=[1.0], step_at_zero=1).predict(X).tolist() == [1.0, 1.0, 0.0]
    sign = Perceptron(1, weights=[1.0], activation="sign")
    assert sign.predict(X).tolist() == [0.0, 1.0, -1.0]  # three-valued
    assert Perceptron(1, weights=[1.0], activation="sign", step_at_zero=1).predict(
        X).tolist() == [1.0, 1.0, -1.0]  # fmt: skip


def test_fausetts_band_is_undecided_and_only_wrong_outputs_move():
    p = Perceptron(1, 1.0, weights=[1.0], bias=0.0, rule="fausett", band=0.5)
    assert p.activation.name == "sign"
    assert p.predict([[0.4], [0.5], [0.6], [-0.6]]).tolist() == [0.0, 0.0, 1.0, -1.0]
    # Online: x = 0.3 (t = 1) meets z = 0.3, inside the band: y = 0, so w, b += 1 * 1 * (0.3, 1).
    # x = 2 (t = 1) then meets z = 1.3 * 2 + 1 = 3.6 > 0.5: right, no move at all.
    p = Perceptron(1, 1.0, weights=[1.0], bias=0.0, rule="fausett", band=0.5, mode="online")
    record = p.fit([[0.3], [2.0]], [1, 1], max_epochs=1).epochs_[0]
    assert record.corrections.tolist() == [[0.3], [0.0]] and record.bias_corrections.tolist() == [
        1.0, 0.0]  # fmt: skip


def test_fausetts_rule_moves_half_as_far_as_sign_with_e_equal_t_minus_y():
    # A wrong output y = -t: Fausett moves alpha * t * x, Rosenblatt's sign alpha * (t - y) * x.
    X, t = [[1.0]], [1]
    fausett = Perceptron(1, 0.5, weights=[-1.0], rule="fausett", mode="online").fit(X, t, 1)
    sign = Perceptron(1, 0.5, weights=[-1.0], activation="sign", mode="online").fit(X, t, 1)
    assert fausett.epochs_[0].corrections.tolist() == [[0.5]]
    assert sign.epochs_[0].corrections.tolist() == [[1.0]]  # e = 1 - (-1) = 2: twice as far


def test_sample_weights_scale_each_rows_move():
    p = Perceptron(1, 0.1, weights=[0.0], bias=0.0, mode="batch")
    record = p.fit([[1.0], [-1.0]], [1, 1], max_epochs=1, sample_weight=[2.0, 0.5]).epochs_[0]
    # Both rows meet z = 0, step(0) = 0, e = 1: corrections 0.1 * e * s * x.
    assert record.corrections.tolist() == [[0.2], [-0.05]]
    assert record.weights.tolist() == [0.15] and record.bias == 0.25
    with pytest.raises(ValueError, match="sample_weight must be 2 finite numbers >= 0"):
        p.fit([[1.0], [-1.0]], [1, 1], sample_weight=[1.0, -1.0])


def test_penalties_restated_in_plain_numpy():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(12, 3)), rng.integers(0, 2, 12)
    w0, alpha, l2, l1 = rng.normal(size=3), 0.3, 0.2, 0.05
    p = Perceptron(3, alpha, weights=w0, bias=0.0, mode="online", l2=l2, l1=l1)
    p.fit(X, y, max_epochs=2)
    w, b, u, q = w0.copy(), 0.0, 0.0, np.zeros(3)
    for _ in range(2):
        for x, t in zip(X, y, strict=True):
            e = t - float(x @ w + b > 0)
            w = w * max(0.0, 1 - alpha * l2) + alpha * e * x  # shrink, then the rule's move
            b += alpha * e
            u += alpha * l1  # the cumulative l1 step (Tsuruoka et al. 2009)
            before = w.copy()
            w = np.where(
                w > 0, np.maximum(0, w - (u + q)), np.where(w < 0, np.minimum(0, w + (u - q)), w)
            )
            q += w - before
    np.testing.assert_allclose(p.weights, w, rtol=1e-12)
    assert p.bias == pytest.approx(b) and p.arithmetic_ == "float64"
    assert Penalties(l2=0.5).before(np.array([2.0]), alpha=4.0).tolist() == [0.0]  # never below 0


# ---------------------------------------------------------------------- the arithmetic
def test_auto_works_exactly_for_small_tables_of_short_decimals_only():
    assert choose_arithmetic("auto", [[[0, 1]], 0.3, -0.1, 0.2], rows=4, penalty=False) == "exact"
    assert choose_arithmetic("auto", [tutorial_002_weights()], rows=4, penalty=False) == "float64"
    assert choose_arithmetic("auto", [[0.5]], rows=MAX_EXACT_ROWS + 1, penalty=False) == "float64"
    assert choose_arithmetic("auto", [[0.5]], rows=4, penalty=True) == "float64"
    assert choose_arithmetic("float64", [[0.5]], rows=4, penalty=False) == "float64"
    # Tutorial 002 keeps its float64 numbers: its weights are randn's full doubles.
    X, y = logic_gate("OR")
    assert Perceptron(2, 0.1, weights=tutorial_002_weights()).fit(X, y).arithmetic_ == "float64"


def test_exact_arithmetic_reads_each_number_as_the_decimal_written():
    assert exact([0.1]).tolist()[0] == exact([1]).tolist()[0] / 10
    # 0.1 + 0.2 - 0.3 is 0 on paper: step(0) = 0 decides, not float64's 5.6e-17 > 0.
    X = [[1.0, 1.0]]
    on_paper = Perceptron(2, weights=[0.1, 0.2], threshold=0.3, arithmetic="exact")
    in_float = Perceptron(2, weights=[0.1, 0.2], threshold=0.3, arithmetic="float64")
    assert on_paper.decision_function(X).tolist() == [0.0] and on_paper.predict(X).tolist() == [0.0]
    assert in_float.decision_function(X)[0] > 0 and in_float.predict(X).tolist() == [1.0]
    rule = Rule("fausett", "sign", band=0.3).exact()
    assert rule.outputs(exact([0.3, 0.3000001])).tolist() == [0.0, 1.0]  # the band's edge, exactly


def test_an_exact_run_goes_on_from_its_exact_values():
    X, y = logic_gate("AND")
    settings = dict(learning_rate=0.1, weights=[0.3, -0.1], mode="online", threshold=0.2,
                    step_at_zero=1)  # fmt: skip
    whole = Perceptron(2, **settings).fit(X, y, max_epochs=3)
    parts = Perceptron(2, **settings)
    for _ in range(3):
        parts.fit(X, y, max_epochs=1)
    assert parts.weights.tolist() == whole.weights.tolist() == [0.2, 0.1]


# ---------------------------------------------------------------------- bad settings
@pytest.mark.parametrize(
    "settings, message",
    [
        ({"rule": "widrow"}, "rule must be one of 'rosenblatt', 'fausett', got 'widrow'"),
        ({"rule": "fausett", "band": -0.2}, "band must be a number in [0, inf), got -0.2"),
        ({"step_at_zero": 2}, "step_at_zero must be a whole number in [0, 1], got 2"),
        ({"step_at_zero": True}, "step_at_zero must be a whole number in [0, 1], got True"),
        ({"threshold": float("nan")}, "threshold must be a number in (-inf, inf), got nan"),
        ({"arithmetic": "decimal"}, "arithmetic must be one of 'auto', 'float64', 'exact'"),
        ({"rule": "fausett", "activation": "step"}, "rule='fausett' has bipolar outputs -1/0/1"),
        ({"rule": "fausett", "step_at_zero": 1}, "step_at_zero applies to rule='rosenblatt'"),
        ({"band": 0.2}, "band=0.2 is the undecided zone of rule='fausett'"),
        ({"arithmetic": "exact", "l2": 0.1}, "arithmetic='exact' cannot take a penalty"),
        ({"weights": [float("inf"), 0.0]}, "weights must be finite numbers, got [inf, 0.0]"),
    ],
)
def test_bad_settings_are_one_line_errors(settings, message):
    with pytest.raises(ValueError) as error:
        Perceptron(2, **settings)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_zero_one_targets_under_fausetts_rule_say_what_it_wants():
    with pytest.raises(ValueError) as error:
        Perceptron(2, rule="fausett").fit(*logic_gate("AND"))
    assert str(error.value) == (
        "rule='fausett' wants bipolar targets -1/1, y has 0/1: map them with t = 2 * y - 1 "
        "(0 -> -1, 1 -> 1)"
    )
    # Labels that are names, not 0/1, are mapped as always: the first to -1.
    p = Perceptron(1, 1.0, weights=[0.0], bias=0.0, rule="fausett").fit(
        [[-1.0], [1.0]], ["no", "yes"]
    )
    assert p.predict([[-2.0], [2.0]]).tolist() == ["no", "yes"]


# ---------------------------------------------------------------------- the table
def test_the_batch_table_names_its_output_and_writes_the_bias_rule_as_a_sum():
    X, y = [[0, 0], [1, 1]], [-1, 1]
    sign = Perceptron(2, 0.5, weights=[0.0, 0.0], bias=0.0, activation="sign").fit(X, y)
    lines = sign.table().splitlines()
    assert lines[0] == (
        "Rosenblatt's rule, batch (once per epoch), alpha = 0.5: w <- w + alpha * sum(e * x) "
        "= w + alpha * X^T e, b <- b + alpha * sum(e)"
    )
    assert lines[3].split()[:7] == ["epoch", "sample", "x", "w", "b", "z", "sign(z)"]
    fausett = Perceptron(2, 0.5, weights=[0.0, 0.0], bias=0.0, rule="fausett").fit(X, y)
    assert fausett.table().splitlines()[3].split()[6] == "y"
    assert "w <- w + alpha * sum(t * x over the wrong rows)" in fausett.table().splitlines()[0]


def test_the_online_table_for_many_inputs_and_shuffled_rows():
    rng = np.random.default_rng(0)
    X = rng.integers(0, 2, size=(6, 5)).astype(float)
    y = (X.sum(axis=1) > 2).astype(int)
    p = Perceptron(5, 0.5, weights=np.zeros(5), bias=0.0, mode="online", shuffle=True, seed=1)
    header = p.fit(X, y).table().splitlines()[3].split()
    # Five inputs: x, w and the corrections as vectors; shuffled: which sample each row is.
    assert header == ["epoch", "sample", "x", "t", "w", "b", "z", "y", "e", "dw", "db", "new",
                      "w", "new", "b"]  # fmt: skip


def test_repr_shows_the_settings_that_are_not_the_defaults():
    text = repr(Perceptron(2, weights=[0.3, -0.1], threshold=0.2, step_at_zero=1))
    assert text == ("Perceptron(2, learning_rate=0.1, weights=[0.3, -0.1], mode='batch', "
                    "threshold=0.2, step_at_zero=1)")  # fmt: skip
