"""The trace as a worked solution: text, Markdown with LaTeX, HTML, one sample, what changed."""

import numpy as np
import pytest

from glassnet import Dense, Network

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])


def neuron_trace(learning_rate=1.0):
    network = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)], "half_sse")
    return network.trace([[0.3, 0.5]], [[1.0]], learning_rate=learning_rate)


def xor_trace(learning_rate=0.5):
    network = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")], "binary_crossentropy", seed=0)
    return network.trace(XOR_X, XOR_Y, learning_rate=learning_rate)


def test_markdown_of_tutorial_000_contains_its_numbers():
    markdown = neuron_trace().to_markdown()
    for number in ("0.11", "0.5274723043445937", "-0.4725276956554063", "0.24924527249399803",
                   "-0.03533258827937781", "-0.058887647132296356", "0.2353325882793778",
                   "0.15888764713229636"):  # fmt: skip
        assert number in markdown
    # The chain rule written as LaTeX fractions, numbers substituted.
    assert r"\frac{\partial E}{\partial {w_{1}}}" in markdown
    assert r"(-0.4725276956554063) \cdot 0.24924527249399803 \cdot 0.3" in markdown
    assert markdown.count("$$") % 2 == 0


def test_markdown_rounds_to_digits_and_lists_the_names():
    markdown = neuron_trace().to_markdown(digits=4)
    assert "0.5275" in markdown and "0.5274723" not in markdown
    assert "`dE/dw1`" in markdown.split("### Names")[1]


def test_text_keeps_full_precision_unless_rounded():
    trace = neuron_trace()
    assert "0.2353325882793778" in trace.to_text()
    assert "0.2353\n" in trace.to_text(digits=4)
    assert trace.to_dict()["quantities"]["new w1"] == 0.2353325882793778
    assert (
        trace.to_text()
        .splitlines()[-1]
        .startswith("Names for trace[name] and trace.check: x, z, a, E, dE/da, da/dz, delta, dz/dW")
    )


def test_html_is_a_table_with_every_shown_quantity():
    page = neuron_trace()._repr_html_()
    assert page.startswith('<table class="glassnet-trace">')
    assert "<td><code>dE/dw1</code></td>" in page
    assert "<td>0.527472</td>" in page
    assert page.count("<table") == page.count("</table>") == 2


def test_one_sample_of_a_batch():
    trace = xor_trace()
    text = trace.to_text(digits=4, sample=2)
    assert "Sample 2 of 4" in text
    assert "x = the inputs\n  = [[1, 0]]" in text
    a2 = trace["a[2]"][2, 0]
    assert f"a[2] = 1 / (1 + exp(-z[2]))\n     = {a2:.4g}\n" in text
    markdown = trace.to_markdown(sample=3)
    assert r"{x} = \text{ the inputs } = \begin{bmatrix}1.0 & 1.0\end{bmatrix}" in markdown


def test_products_of_matrices_are_entry_by_entry_in_latex():
    markdown = xor_trace().to_markdown(digits=3)
    delta = next(line for line in markdown.splitlines() if line.startswith(r"$$ {\delta^{[1]}}"))
    assert r"\frac{\partial E}{\partial {a^{[1]}}} \odot \frac{\partial {a^{[1]}}}" in delta
    update = next(line for line in markdown.splitlines() if r"\text{new }{W^{[1]}}" in line)
    assert r"\eta \cdot" in update and r"\odot" not in update  # a number times a matrix
    assert "| `W[2][3,0]` |" in markdown  # one neuron on a batch: entries by index, like dE/dW


def test_sample_out_of_range_is_named():
    with pytest.raises(ValueError, match="sample 4 is out of range: the trace has 4 samples"):
        xor_trace().to_text(sample=4)


def test_large_matrices_are_elided_in_latex():
    network = Network([Dense(10, 8, "relu"), Dense(8, 1, "identity")], "mse", seed=0)
    X = np.random.default_rng(0).normal(size=(9, 10))
    markdown = network.trace(X, np.zeros(9), 0.01).to_markdown(digits=3)
    assert r"\cdots" in markdown and r"\vdots" in markdown and r"\ddots" in markdown


def test_what_changed_is_minus_learning_rate_times_gradient():
    trace = neuron_trace()
    w1 = trace.changes[0]
    np.testing.assert_array_equal(w1.change, w1.new - w1.old)
    np.testing.assert_allclose(w1.change, -1.0 * w1.gradient, rtol=1e-15)
    table = trace.what_changed(digits=4)
    assert table.splitlines()[2].split() == ["w1", "0.2", "-0.03533", "0.03533", "0.2353"]
    # A small step: the first-order prediction -lr * ||g||^2 is close to the actual change.
    gradient_norm_squared = 0.03533258827937781**2 + 0.058887647132296356**2
    assert trace.predicted_loss_change == pytest.approx(-gradient_norm_squared, rel=1e-12)
    assert "close to the prediction" in table


def test_what_changed_shows_an_overshooting_step():
    # E = 1/2 (w x - y)^2 with w = 2, x = y = 1: g = 1, and a rate of 3 jumps to w = -1.
    network = Network([Dense(1, 1, "identity", weights=[[2.0]], use_bias=False)], "half_sse")
    trace = network.trace([[1.0]], [[1.0]], learning_rate=3.0)
    assert (trace.loss_before, trace.loss_after) == (0.5, 2.0)
    assert trace.predicted_loss_change == -3.0
    assert "the loss went UP" in trace.what_changed()


def test_what_changed_summarises_many_parameters():
    network = Network([Dense(6, 5, "tanh"), Dense(5, 1, "identity")], "mse", seed=0)
    trace = network.trace(np.ones((3, 6)), np.zeros(3), 0.1)
    lines = trace.what_changed().splitlines()
    assert lines[2].startswith("W[1] (6 x 5), largest |entry|")


def test_replay_reproduces_every_traced_quantity():
    # check() replays the step with slips; without one it must agree with the network.
    traces = [neuron_trace(), xor_trace()]
    network = Network([Dense(3, 4, "sigmoid", l2=0.1), Dense(4, 2, "identity")], "mse", seed=2)
    traces.append(network.trace(np.eye(3), np.ones((3, 2)), 0.3))
    for trace in traces:
        replayed = trace._replay(None)
        for name in trace.names():
            if name in replayed:
                np.testing.assert_allclose(replayed[name], trace[name], rtol=1e-12, atol=1e-15)
        assert set(trace.names()) - set(replayed) <= {"x", "z", "a", "z[1]", "a[1]", "z[2]",
                                                      "a[2]"}  # fmt: skip


# ---------------------------------------------------------------------- the perceptron's table
def test_perceptron_table_is_tutorial_002_worked_by_hand():
    from glassnet import Perceptron
    from glassnet.datasets import logic_gate

    X, y = logic_gate("OR")
    perceptron = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
    table = perceptron.fit(X, y).table(digits=4).splitlines()
    # Epoch 1, sample 1: x = (0, 1), z = w2 = -0.1383, step(z) = 0, y = 1, e = 1, 0.1 * e * x.
    assert table[4].split() == ["1", "1", "[0,", "1]", "[0.4967,", "-0.1383]", "-0.1383", "0",
                                "1", "1", "[0,", "0.1]"]  # fmt: skip
    assert table[7] == "  epoch 1: 1 error, RMSE 0.5; after it w = [0.4967, -0.03826]"
    rmse_lines = [line for line in table if line.startswith("  epoch")]
    assert [line.split("RMSE ")[1].split(";")[0] for line in rmse_lines] == ["0.5", "0.5", "0"]
    assert table[-1] == "converged at epoch 3: every sample is classified right"


def test_perceptron_on_xor_ends_with_the_evidence():
    from glassnet import Perceptron
    from glassnet.datasets import logic_gate

    X, y = logic_gate("XOR")
    perceptron = Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643], bias=0.0)
    table = perceptron.fit(X, y).table()
    assert not perceptron.converged
    assert "not linearly separable: no line separates these classes" in table
    assert table.splitlines()[-1].startswith(
        "Evidence: [0, 1] and [1, 0] are class 1, [0, 0] and [1, 1] are class 0, and both "
        "pairs have the midpoint [0.5, 0.5]."
    )


def test_separability_evidence_is_empty_for_separable_classes():
    from glassnet.engine.perceptron import separability_evidence

    X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert separability_evidence(X, [False, True, True, True]) == ""  # OR
    assert "labelled both" in separability_evidence([[1, 2], [1, 2]], [True, False])


def test_perceptron_table_shows_the_bias_correction():
    from glassnet import Perceptron
    from glassnet.datasets import logic_gate

    X, y = logic_gate("AND")
    perceptron = Perceptron(2, learning_rate=0.1, weights=[0.5, 0.5], bias=0.0).fit(X, y)
    lines = perceptron.table().splitlines()
    assert lines[1].split()[-2:] == ["b", "correction"]
    # Epoch 1, sample 0: z = b = 0, step(0) = 0, y = 0: no error, no correction.
    # Sample 1, x = (0, 1): z = 0.5, step = 1, y = 0, e = -1: b moves by 0.1 * -1.
    assert lines[4].split()[-1] == "-0.1"
    assert perceptron.epochs_[0].bias == pytest.approx(-0.2)  # samples 1 and 2 were wrong


def test_perceptron_table_before_fit_is_a_clear_error():
    from glassnet import Perceptron

    with pytest.raises(ValueError, match="has not been fitted"):
        Perceptron(2).table()


def test_large_matrices_are_elided_in_text():
    network = Network([Dense(10, 8, "relu"), Dense(8, 1, "identity")], "mse", seed=0)
    X = np.random.default_rng(0).normal(size=(9, 10))
    trace = network.trace(X, np.zeros(9), 0.01)
    line = trace.step("x").text(digits=3).splitlines()[1]
    first, last = X[0], X[-1]
    assert line == (
        f"  = <9 x 10 matrix> [[{first[0]:.3g}, {first[1]:.3g}, ..., {first[-1]:.3g}], "
        f"[{X[1, 0]:.3g}, {X[1, 1]:.3g}, ..., {X[1, -1]:.3g}], ..., "
        f"[{last[0]:.3g}, {last[1]:.3g}, ..., {last[-1]:.3g}]]"
    )


def test_the_trace_starts_after_a_standardize_layer():
    from glassnet import Standardize

    X = np.array([[10.0, 200.0], [14.0, 100.0], [12.0, 300.0]])
    scaler = Standardize.fit(X)
    network = Network([scaler, Dense(2, 1, "sigmoid", weights=[0.2, 0.1])], "half_sse")
    trace = network.trace(X, [[1.0], [0.0], [1.0]], learning_rate=0.5)
    assert trace.step("x").formula == "the inputs after Standardize"
    standardized = (X - X.mean(axis=0)) / X.std(axis=0)
    np.testing.assert_allclose(trace["x"], standardized, rtol=1e-12)
    np.testing.assert_allclose(trace["dE/dW"], trace["x"].T @ trace["delta"], rtol=1e-12)
