"""The glass box in a notebook (glassbox/display.py): the trace's HTML with every matrix a
small table, its Markdown math, decimals beside digits, and the HTML of a check report, a
gradient check and the three views."""

from __future__ import annotations

import re

import numpy as np

from glassnet import Dense, Network, gradcheck
from glassnet.glassbox.display import numbers_html
from glassnet.glassbox.views import views


def neuron_trace():
    network = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)], "half_sse")
    return network.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)


def xor_trace():
    network = Network([Dense(2, 3, "tanh"), Dense(3, 1, "sigmoid")], "binary_crossentropy", seed=0)
    return network.trace(np.array([[0, 0], [0, 1], [1, 0], [1, 1.0]]), [0, 1, 1, 0], 0.5)


def test_the_trace_html_has_no_list_strings_every_matrix_a_table():
    page = xor_trace().to_html()
    assert "[[" not in page and "], [" not in page
    # x, z[1], a[1], ... : the per-sample 4 x k matrices, each a small table with its shape.
    assert page.count('class="glassnet-matrix"') > 20 and "<small>(4 &times; 3)</small>" in page


def test_the_numbers_column_puts_each_matrix_in_as_a_table():
    step = xor_trace().step("z[1]")
    cell = numbers_html(step)
    assert cell.count('class="glassnet-matrix"') == 3 and " @ " in cell and " + " in cell


def test_decimals_round_every_rendering_to_places():
    trace = neuron_trace()
    text, markdown, page = (trace.to_text(decimals=4), trace.to_markdown(decimals=4),
                            trace.to_html(decimals=4))  # fmt: skip
    for rendering in (text, markdown, page):
        assert "0.5275" in rendering and "0.5274723" not in rendering
        assert "-0.0353" in rendering and "0.2353" in rendering
    assert "z = x1*w1 + x2*w2\n  = 0.3*0.2 + 0.5*0.1\n  = 0.11" in text
    row = trace.what_changed(decimals=4).splitlines()[2].split()
    assert row == ["w1", "0.2", "-0.0353", "0.0353", "0.2353"]


def test_the_markdown_display_is_the_worksheet_with_math():
    markdown = neuron_trace()._repr_markdown_()
    assert markdown.startswith("## One gradient-descent step, every number")
    assert re.search(r"\$\$ .*\\frac\{\\partial E\}\{\\partial \{a\}\}", markdown)


def test_a_check_report_shows_each_value_its_verdict_and_slip():
    report = neuron_trace().check({"a": 0.527, "dE/dw1": 0.0353})
    page = report._repr_html_()
    assert page.count("<tr><td>") == 2 and "<td>right</td>" in page and "<td>wrong</td>" in page
    assert "sign flipped" in page and "not all right yet" in page


def test_a_gradient_check_shows_a_row_per_entry_and_its_verdict():
    network = Network([Dense(2, 2, "tanh"), Dense(2, 1, "sigmoid")], "binary_crossentropy", seed=0)
    result = gradcheck(network, np.array([[0.1, 0.2], [0.3, -0.4]]), [0, 1])
    page = result._repr_html_()
    assert page.count("<tr><td>") == len(result.rows) == 9
    assert "gradient check passed" in page and "<code>W[1][0,0]</code>" in page


def test_the_three_views_show_each_quantity_three_times_and_fold_the_working():
    page = views()._repr_html_()
    assert page.count("<tr><td><code>") == 15 and "<details>" in page
    assert "Neuron by neuron (plain Python floats)" in page
