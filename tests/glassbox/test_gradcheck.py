"""gradcheck: backpropagation against finite differences, as a lesson with a table."""

import numpy as np

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
