"""The trace (glassbox/trace.py; its steps, glassbox/steps.py; written out by
glassbox/worksheet.py) as a worked solution: text, Markdown with LaTeX, HTML, one sample,
what changed."""

import numpy as np
import pytest

from glassnet import Dense, Network, Trace, TraceStep
from glassnet.glassbox.changes import ParameterChange

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
    last_two = trace.to_text().splitlines()[-2:]
    assert last_two[0].startswith(
        "Names for trace[name] and trace.check: x, z, a, E, dE/da, da/dz, delta, dz/dW"
    )
    assert last_two[1].startswith("Indices: layers count from 1 (the input is layer 0)")


def test_html_is_a_table_with_every_shown_quantity():
    page = neuron_trace()._repr_html_()
    assert page.startswith('<table class="glassnet-trace">')
    assert "<td><code>dE/dw1</code></td>" in page
    assert "<td>0.527472</td>" in page
    assert page.count("<table") == page.count("</table>")
    # The trace and what changed, and each matrix (here x, 1 x 2) as a small table, not a
    # nested-list string.
    assert page.count('<table class="glassnet-matrix"') == 1
    assert page.count("<table") == 3 and "[[" not in page


def test_one_sample_of_a_batch():
    trace = xor_trace()
    text = trace.to_text(digits=4, sample=2)
    assert "Sample 2 of samples 0 to 3 (counted from 0)" in text
    assert "x = the inputs\n  = [[1, 0]]" in text
    a2, z2 = trace["a[2]"][2, 0], trace["z[2]"][2, 0]
    # the numbers are put in: z[2] of that sample, then a[2]
    z_text = f"{z2:.4g}" if z2 >= 0 else f"({z2:.4g})"
    expected = f"a[2] = 1 / (1 + exp(-z[2]))\n     = 1 / (1 + exp(-{z_text}))\n     = {a2:.4g}\n"
    assert expected in text
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
    with pytest.raises(ValueError, match=r"sample must be a whole number in \[0, 3\], got 4"):
        xor_trace().to_text(sample=4)
    with pytest.raises(ValueError, match="sample must be a whole number"):
        xor_trace().to_markdown(sample=True)


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
    assert lines[2].startswith("W[1][")  # the entry that changed most, every column its own
    assert "(largest |change| of 30 in W[1], 6 x 5)" in lines[2]


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


def test_what_changed_columns_line_up():
    lines = xor_trace().what_changed(digits=4).splitlines()
    header, rule, rows = lines[0], lines[1], lines[2:19]
    assert rule == "-" * len(header)
    # The name column on the left, every number column ending where its header ends.
    for name in ("old", "gradient", "change", "new"):
        end = header.index(name) + len(name)
        assert all(row[end - 1] != " " and (len(row) == end or row[end] == " ") for row in rows)


def test_a_trace_is_built_from_public_parts():
    trace = Trace(learning_rate=0.5, n_samples=1)
    trace.add("z", "x1*w1", [[2.0]], "forward", per_sample=True)
    trace.add("new w1", "w1 - learning_rate * dE/dw1", 0.75, "update")
    trace.changes.append(ParameterChange("W", np.array([[1.0]]), np.array([[0.5]]),
                                         np.array([[0.75]]), ["w1"]))  # fmt: skip
    trace.loss_before, trace.loss_after = 0.5, 0.25
    assert (trace.loss, trace.targets, trace.layers) == (None, None, [])
    assert trace.names() == ["z", "new w1"]
    assert isinstance(trace.step("z"), TraceStep)
    assert trace.what_changed().splitlines()[2].split() == ["w1", "1.0", "0.5", "-0.25", "0.75"]
    assert "Update (learning rate 0.5)" in trace.to_text()
    assert r"learning rate $\eta = 0.5$." in trace.to_markdown()


def test_a_step_in_latex_puts_negative_numbers_in_parentheses():
    step = neuron_trace().step("dE/dw1")
    assert step.latex(digits=3) == (
        r"\frac{\partial E}{\partial {w_{1}}} = \frac{\partial E}{\partial {a}} \cdot "
        r"\frac{\partial {a}}{\partial {z}} \cdot \frac{\partial {z}}{\partial {w_{1}}} = "
        r"(-0.473) \cdot 0.249 \cdot 0.3 = -0.0353"
    )
