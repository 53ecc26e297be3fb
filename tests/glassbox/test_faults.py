"""The faults the glass box had off the tutorials' path, each with the case that showed it
(issue 14's list: 1 L2, 2 several outputs, 3 softmax without cross-entropy, 4 dropout, 5 the
optimizer, 6 a trace that changed the network, 7 numbers not put in, 8 LaTeX, 9 indices)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from glassnet import Dense, Dropout, Network
from glassnet.glassbox.steps import INDICES


def tutorial_neuron(**options) -> Network:
    return Network(
        [Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False, **options)], loss="half_sse"
    )


def lines(trace, name: str, digits: int | None = None) -> list[str]:
    return trace.step(name).text(digits).splitlines()


def test_1_the_l2_term_is_in_every_gradient_line_and_in_e():
    trace = tutorial_neuron(l2=0.1).trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    formula, numbers, value = lines(trace, "dE/dw1")
    assert formula == "dE/dw1 = dE/da * da/dz * dz/dw1 + 0.1 * w1"
    # -0.47253 * 0.24925 * 0.3 + 0.1 * 0.2 is -0.015333: the product and the term, shown
    assert numbers.strip() == "= -0.4725276956554063 * 0.24924527249399803 * 0.3 + 0.1 * 0.2"
    assert float(value.strip("= ")) == pytest.approx(-0.03533258827937781 + 0.02, rel=1e-15)
    e_formula, e_numbers, e_value = lines(trace, "E")
    assert e_formula == "E = 1/2 * sum((y - a)^2) + 0.1/2 * sum(W^2)"
    assert float(e_value.strip("= ")) == pytest.approx(0.11164121158070414 + 0.05 * 0.05)


def test_1_a_multi_layer_e_shows_each_layers_penalty():
    net = Network([Dense(2, 3, "tanh", l2=0.2), Dense(3, 1, "sigmoid", l1=0.1)],
                  "binary_crossentropy", seed=0)  # fmt: skip
    formula = net.trace([[0.0, 1.0], [1.0, 0.0]], [0, 1], 0.1).step("E").formula
    assert "0.2/2 * sum(W[1]^2)" in formula and "0.1 * sum(abs(W[2]))" in formula


def test_2_several_outputs_divide_by_samples_times_outputs():
    net = Network([Dense(2, 2, "sigmoid")], "binary_crossentropy", seed=0)
    X, Y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0, 1], [1, 0], [1, 1]])
    trace = net.trace(X, Y, 0.1)
    step = trace.step("delta")
    assert (
        step.formula.startswith("(a - y) / N") and "N = samples * outputs = 3 * 2" in step.formula
    )
    assert step.substituted().endswith(" / 6.0")  # n * k = 6, not n = 3
    np.testing.assert_allclose(trace["delta"], (trace["a"] - Y) / 6, rtol=1e-15)
    mse = Network([Dense(2, 2, "identity")], "mse", seed=0).trace(X, Y * 1.0, 0.1)
    assert "(N = samples * outputs = 3 * 2)" in mse.step("E").formula
    assert "1/6.0 * sum(" in mse.step("E").substituted()


def test_3_a_softmax_with_mse_shows_the_jacobian_product_that_multiplies_out():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        net = Network([Dense(2, 3, "softmax")], "mse", seed=0)
    trace = net.trace([[0.5, -1.0], [1.0, 2.0]], np.eye(3)[[0, 2]], 0.1)
    assert "da/dz" not in trace  # no one factor per entry: a Jacobian
    assert trace.step("delta").formula.startswith("a * (dE/da - sum_k(dE/da * a))")
    a, g = trace["a"], trace["dE/da"]
    np.testing.assert_allclose(trace["delta"], a * (g - (g * a).sum(axis=1, keepdims=True)))


def test_4_a_dropout_trace_takes_the_step_fit_takes():
    def network() -> Network:
        return Network([Dense(3, 6, "relu"), Dropout(0.5), Dense(6, 1, "sigmoid")],
                       "binary_crossentropy", seed=7)  # fmt: skip

    X = np.random.default_rng(0).normal(size=(5, 3))
    y = np.array([0, 1, 1, 0, 1])
    by_fit, by_trace = network(), network()
    by_fit.fit(X, y, epochs=1, learning_rate=0.3, diagnostics=False)
    trace = by_trace.trace(X, y, learning_rate=0.3, apply=True)
    for fitted, traced in zip(by_fit.get_weights(), by_trace.get_weights(), strict=True):
        np.testing.assert_array_equal(fitted, traced)
    mask = trace["mask[1]"]
    assert set(np.unique(mask)) <= {0.0, 2.0} and 0 < (mask == 0).sum() < mask.size
    assert trace.step("z[2]").formula == "dropped a[1] @ W[2] + b[2]"


@pytest.mark.parametrize("optimizer", ["momentum", "nesterov", "adam"])
def test_5_the_optimizer_of_the_step_is_the_one_named(optimizer):
    def network() -> Network:
        return Network([Dense(2, 3, "tanh"), Dense(3, 1, "identity")], "mse", seed=3)

    X, y = np.array([[0.0, 1.0], [1.0, 1.0], [2.0, -1.0]]), np.array([1.0, 0.0, 2.0])
    by_fit, by_trace = network(), network()
    by_fit.fit(X, y, epochs=1, learning_rate=0.05, optimizer=optimizer, diagnostics=False)
    trace = by_trace.trace(X, y, learning_rate=0.05, optimizer=optimizer, apply=True)
    for fitted, traced in zip(by_fit.get_weights(), by_trace.get_weights(), strict=True):
        np.testing.assert_allclose(traced, fitted, rtol=1e-15)
    state = "m[W[1]]" if optimizer == "adam" else "v[W[1]]"
    assert state in trace and "start at zero" in trace.to_text()


def test_6_tracing_changes_nothing_and_twice_gives_the_same_numbers():
    net = tutorial_neuron()
    first = net.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0).to_dict()
    second = net.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0).to_dict()
    assert first == second and first["quantities"]["new w1"] == 0.2353325882793778
    np.testing.assert_array_equal(net.get_weights()[0], [[0.2], [0.1]])
    dropout = Network([Dense(2, 4), Dropout(0.5), Dense(4, 1)], seed=1)
    state = dropout.rng.bit_generator.state
    dropout.trace([[1.0, 2.0]], [[0.5]], 0.1)
    assert dropout.rng.bit_generator.state == state  # the next fit draws what it would have


def test_7_every_line_puts_its_numbers_in():
    trace = tutorial_neuron().trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    assert lines(trace, "a")[1].strip() == "= 1 / (1 + exp(-0.11))"
    assert lines(trace, "dE/da")[1].strip() == "= 0.5274723043445937 - 1.0"
    assert lines(trace, "da/dz")[1].strip() == "= 0.5274723043445937 * (1 - 0.5274723043445937)"
    assert lines(trace, "E")[1].strip() == "= 1/2 * sum((1.0 - 0.5274723043445937)^2)"
    batch = Network([Dense(2, 2, "tanh"), Dense(2, 1, "sigmoid")], "binary_crossentropy", seed=0)
    traced = batch.trace([[0.0, 1.0], [1.0, 0.0]], [0, 1], 0.1)
    for name in ("dE/dW[1]", "dE/db[1]", "dE/da[1]", "dE/dW[2]", "dE/db[2]"):
        assert traced.step(name).substituted(), name


def test_8_the_latex_says_only_true_things():
    net = Network([Dense(2, 3, "sigmoid"), Dense(3, 2, "softmax")], "crossentropy", seed=0)
    markdown = net.trace([[0.0, 1.0], [1.0, 0.0]], [0, 1], 0.1).to_markdown(digits=3)
    assert "a_k" not in markdown and "= a^{[2]} =" not in markdown
    derivative = next(line for line in markdown.splitlines()
                      if line.startswith(r"$$ \frac{\partial {a^{[1]}}}"))  # fmt: skip
    assert r"{a^{[1]}} \odot (1 - {a^{[1]}})" in derivative  # a of layer 1, not a bare a
    assert r"\quad (2 \times 3)" in markdown  # matrices say their shape
    assert "samples} {x}" not in markdown.replace(" ", "")  # "x" as times, never the input


def test_9_one_index_convention_stated_and_used():
    net = Network([Dense(2, 3), Dropout(0.1), Dense(3, 1)], seed=0)
    assert [row.split()[0] for row in net.summary().splitlines()[1:4]] == ["1", "-", "2"]
    trace = net.trace([[0.0, 1.0], [1.0, 1.0], [2.0, 0.0]], [[1.0], [0.0], [1.0]], 0.1)
    text = trace.to_text(sample=2)
    assert text.startswith("Sample 2 of samples 0 to 2 (counted from 0)")
    assert text.endswith(INDICES) and INDICES in trace.to_markdown()
    assert "W[1][0,2]" in [entry for change in trace.changes for entry in change.entries]


def test_5_adam_with_epsilon_beside_sqrt_v_shows_that_form_and_multiplies_out():
    from glassnet import Adam

    net = Network([Dense(2, 1, "identity", weights=[[0.5], [-0.5]], bias=[0.1])], "mse")
    adam = Adam(0.01, epsilon=1e-3, epsilon_on="v")  # a large epsilon: the two forms differ
    trace = net.trace([[1.0, 2.0], [0.5, -1.0]], [[1.0], [0.0]], 0.01, optimizer=adam)
    step = trace.step("new W")
    assert "sqrt(v[W])" in step.formula
    m_hat, v = trace["m_hat[W]"], trace["v[W]"]
    old = trace.layers[0].weights
    expected = old - 0.01 * m_hat * np.sqrt(1 - 0.999) / (np.sqrt(v) + 1e-3)
    np.testing.assert_allclose(step.value, expected, rtol=1e-12)
