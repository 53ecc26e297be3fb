"""gradcheck: backpropagation against finite differences, as a lesson with a table."""

import numpy as np
import pytest

from glassnet import Dense, GradcheckResult, Network, gradcheck
from glassnet.engine.activations import Sigmoid
from glassnet.glassbox.gradcheck import GradcheckRow


class SigmoidWithTheSlip(Sigmoid):
    """The slip of tutorial 001: the sigmoid's derivative taken of a instead of z."""

    def derivative(self, z, a):
        twice = 1 / (1 + np.exp(-a))
        return twice * (1 - twice)


def test_gradcheck_report_prints_the_table_and_the_verdict(capsys):
    network = Network([Dense(2, 2, "tanh"), Dense(2, 1, "sigmoid")], "half_sse", seed=0)
    result = gradcheck(network, [[0.3, 0.5], [1.0, -1.0]], [[1.0], [0.0]], report=True)
    printed = capsys.readouterr().out
    assert result.passed
    assert "numerical = (8 [E(p + h) - E(p - h)] - [E(p + 2h) - E(p - 2h)]) / (12 h)" in printed
    assert printed.count("\nW[") == 2 * 2 + 2 * 1  # every weight entry has its row
    assert "above tolerance" not in printed
    assert printed.rstrip().splitlines()[-1].startswith("gradient check passed: 9 entries")


def test_gradcheck_flags_a_wrong_derivative(capsys):
    network = Network([Dense(2, 2, SigmoidWithTheSlip()), Dense(2, 1, "identity")], "half_sse",
                      seed=0)  # fmt: skip
    result = gradcheck(network, [[0.3, 0.5], [1.0, -1.0]], [[1.0], [0.0]], report=True)
    printed = capsys.readouterr().out
    assert not result.passed
    # Only the first layer's parameters sit behind the wrong derivative.
    assert {row.name[:4] for row in result.flagged} == {"W[1]", "b[1]"}
    assert printed.count("<-- above tolerance") == len(result.flagged) == 6
    assert "6 entries disagree, in W[1], b[1]" in printed
    assert printed.rstrip().splitlines()[-1].startswith("gradient check FAILED")


def test_gradcheck_table_keeps_its_columns():
    result = GradcheckResult(
        [GradcheckRow("W[1][0,0]", 0.5, 0.5, 0.0), GradcheckRow("b[1][0]", -0.2, 0.3, 0.2)]
    )
    lines = str(result).splitlines()
    assert lines[0] == "parameter              backprop      numerical rel. error"
    assert lines[1] == "-" * len(lines[0])
    assert lines[2] == "W[1][0,0]          5.000000e-01   5.000000e-01   0.00e+00"
    flagged = "b[1][0]           -2.000000e-01   3.000000e-01   2.00e-01  <-- above tolerance"
    assert lines[3] == flagged
    assert lines[4] == result.verdict()


def test_gradcheck_leaves_the_parameters_as_they_were():
    network = Network([Dense(2, 2, "tanh"), Dense(2, 1, "sigmoid")], "half_sse", seed=0)
    before = [parameter.copy() for parameter in network.parameters]
    gradcheck(network, [[0.3, 0.5], [1.0, -1.0]], [[1.0], [0.0]])
    for parameter, old in zip(network.parameters, before, strict=True):
        np.testing.assert_array_equal(parameter, old)


def kinked_network(activation):
    # Unit 0 of layer 1 sits exactly at the kink on the first sample: z = 1*1 + (-1)*1 = 0.
    return Network(
        [
            Dense(2, 2, activation, weights=[[1.0, -1.0], [1.0, 1.0]], bias=[0.0, 0.5]),
            Dense(2, 1, "identity", weights=[[1.0], [1.0]], bias=[0.0]),
        ],
        "mse",
    )


KINK_X = np.array([[1.0, -1.0], [0.5, 0.2]])


def test_an_entry_at_a_relu_kink_is_not_checkable_and_does_not_fail_the_check(capsys):
    result = gradcheck(kinked_network("relu"), KINK_X, [1.0, 0.0], report=True)
    printed = capsys.readouterr().out
    assert result.passed
    # Every parameter that moves z[1][0,0] (W[1][0,0], W[1][1,0], b[1][0]) straddles the
    # kink; its estimate averages the slopes 0 and 1, far from backprop's, and is left out.
    assert [row.name for row in result.not_checkable] == ["W[1][0,0]", "W[1][1,0]", "b[1][0]"]
    for row in result.not_checkable:
        assert row.reason == "z[1][0,0] = 0: a nudge of up to 2h moves it across relu's kink at 0"
        assert row.relative_error > 1e-2
    assert result.max_relative_error < 1e-8 and result.worst not in {"W[1][0,0]", "b[1][0]"}
    assert "FAILED" not in printed and "above tolerance" not in printed
    assert "3 entries are not checkable here" in printed
    assert printed.rstrip().endswith("; 3 not checkable at a kink")


@pytest.mark.parametrize("activation", ["leaky_relu", "step"])
def test_the_other_kinks_are_not_checkable_either(activation):
    result = gradcheck(kinked_network(activation), KINK_X, [1.0, 0.0])
    assert [row.name for row in result.not_checkable] == ["W[1][0,0]", "W[1][1,0]", "b[1][0]"]
    assert f"{activation}'s kink at 0" in result.not_checkable[0].reason
    assert result.passed


def test_a_pre_activation_just_beside_the_kink_is_not_checkable_either():
    # z = 5e-5 is within the nudge 2h = 2e-4 (the input is 1): the stencil crosses 0.
    network = Network([Dense(1, 1, "relu", weights=[[5e-5]], bias=[0.0])], "mse")
    result = gradcheck(network, [[1.0]], [1.0])
    assert [row.name for row in result.not_checkable] == ["W[0,0]", "b[0]"]
    assert result.not_checkable[0].reason.startswith("z[0,0] = 5e-05: a nudge")
    far = Network([Dense(1, 1, "relu", weights=[[5e-3]], bias=[0.0])], "mse")
    assert gradcheck(far, [[1.0]], [1.0]).not_checkable == []


def test_an_l1_weight_at_zero_is_not_checkable():
    network = Network([Dense(2, 1, "identity", weights=[[0.0], [1.0]], l1=0.1)], "mse")
    result = gradcheck(network, KINK_X, [1.0, 0.0])
    assert [row.name for row in result.not_checkable] == ["W[0,0]"]
    assert "the kink of l1 * |W|" in result.not_checkable[0].reason
    assert result.passed and len(result.checked) == 2


def test_a_wrong_derivative_still_fails_beside_a_kink():
    network = Network(
        [
            Dense(2, 2, "relu", weights=[[1.0, -1.0], [1.0, 1.0]], bias=[0.0, 0.5]),
            Dense(2, 1, SigmoidWithTheSlip(), weights=[[1.0], [1.0]], bias=[0.0]),
        ],
        "half_sse",
    )
    result = gradcheck(network, KINK_X, [[1.0], [0.0]])
    assert not result.passed
    assert result.verdict().startswith("gradient check FAILED")
    assert {row.name for row in result.not_checkable} == {"W[1][0,0]", "W[1][1,0]", "b[1][0]"}
    assert not {row.name for row in result.flagged} & {row.name for row in result.not_checkable}


def test_a_one_layer_network_drops_the_layer_from_its_labels():
    network = Network([Dense(2, 2, "sigmoid", weights=[[0.2, 0.1], [0.3, -0.4]])], "mse")
    result = gradcheck(network, KINK_X, [[1.0, 0.0], [0.0, 1.0]])
    assert [row.name for row in result.rows] == ["W[0,0]", "W[0,1]", "W[1,0]", "W[1,1]",
                                                 "b[0]", "b[1]"]  # fmt: skip
    assert result.passed
