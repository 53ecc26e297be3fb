"""Notebook displays of the engine's objects (engine/display.py and the thin _repr_html_ of
Network, History, Perceptron, PerceptronEpoch, Diagnostics), and ProgressBar outside a
kernel: terminals and logs as before."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest

import glassnet as gn
from glassnet import Dense, Network
from glassnet.datasets import logic_gate
from glassnet.engine.callbacks import History, ProgressBar, in_notebook
from glassnet.engine.display import TableText, history_html, html_number, html_table, loss_chart


def test_an_html_table_escapes_its_cells_and_heads_its_first_row():
    page = html_table([["a<b", "c"], ["1 & 2", "3"]], caption="x > y")
    assert "<th>a&lt;b</th>" in page and "<td>1 &amp; 2</td>" in page
    assert "<caption>x &gt; y</caption>" in page
    assert html_table([["1"]], header=False).count("<th>") == 0


def test_numbers_are_text_and_matrices_small_tables_with_their_corners():
    assert html_number(0.5274723043445937, digits=4) == "0.5275"
    assert html_number(0.5274723043445937, decimals=2) == "0.53"
    matrix = html_number(np.arange(6.0).reshape(2, 3))
    assert matrix.count("<tr>") == 2 and matrix.count("<td") == 6 and "[" not in matrix
    big = html_number(np.arange(100.0).reshape(10, 10))
    assert big.startswith("<small>(10 &times; 10)</small>") and "&#8942;" in big
    assert big.count("<tr>") == 8 and ">99.0<" in big
    assert ">75.0<" not in big and ">57.0<" not in big  # row 7 and column 7 are elided


def test_the_summary_is_still_a_string_that_prints_and_splits():
    summary = Network([Dense(2, 3), Dense(3, 1)]).summary()
    assert isinstance(summary, str) and isinstance(summary, TableText)
    lines = summary.splitlines()
    assert lines[0].split()[:2] == ["layer", "type"] and lines[-1].startswith("total parameters")
    assert str(summary) == summary and "<td>Dense</td>" in summary._repr_html_()


def test_the_network_shows_its_shape_and_summary():
    page = Network([Dense(2, 3), Dense(3, 1)])._repr_html_()
    assert page.startswith("<p><b>Network</b> 2-3-1</p>") and "<th>parameters</th>" in page


def test_a_long_history_shows_its_first_and_last_epochs():
    history = History()
    history.initial = {"loss": 1.0}
    for epoch in range(1, 101):
        history.on_epoch_end(epoch, {"loss": 1.0 / epoch, "accuracy": epoch / 100})
    page = history_html(history)
    assert "<td>0 (start)</td>" in page and "<td>5</td>" in page and "<td>100</td>" in page
    assert "<td>50</td>" not in page and "<td>...</td>" in page
    assert "<b>History</b>: 100 epochs" in page


def test_the_loss_chart_needs_matplotlib_and_two_epochs(monkeypatch):
    pytest.importorskip("matplotlib")
    history = History()
    history.on_epoch_end(1, {"loss": 0.5})
    assert loss_chart(history) == ""
    history.on_epoch_end(2, {"loss": 0.4})
    assert loss_chart(history).startswith('<img alt="loss per epoch"')
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    assert loss_chart(history) == "" and "<table" in history_html(history)


def test_the_perceptron_shows_its_epochs_and_one_epoch_its_samples():
    p = gn.Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
    assert "not fitted yet" in p._repr_html_()
    p.fit(*logic_gate("OR"))
    page = p._repr_html_()
    assert page.count("<tr><td>") == 3 and "converged at epoch 3" in page
    assert "<details>" in page  # the textbook table, folded
    epoch = p.epochs_[0]._repr_html_()
    assert "<b>Epoch 1</b>: 1 error, RMSE 0.5" in epoch and epoch.count("<tr><td>") == 4


def test_diagnostics_show_their_notes_as_a_list():
    net = Network([Dense(2, 3, "relu", bias=[-100, -100, 0.0]), Dense(3, 1, "identity")], seed=0)
    net.fit(np.eye(2), [1.0, 2.0], epochs=20)
    page = net.diagnostics._repr_html_()
    assert page.startswith("<p><b>Diagnostics</b></p>\n<ul>") and "dead" in page


def test_progress_outside_a_notebook_is_a_line_per_step_on_the_stream():
    assert not in_notebook()
    stream = io.StringIO()
    net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
    net.fit([[1.0], [2.0]], [2.0, 4.0], epochs=300, learning_rate=0.01,
            callbacks=[ProgressBar(300, stream=stream)], diagnostics=False)  # fmt: skip
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("epoch   1/300 - loss: ") and lines[-1].startswith("epoch 300/300")
    assert len(lines) == 101  # epoch 1, then every 3rd


def test_the_perceptrons_table_rounds_to_decimal_places():
    p = gn.Perceptron(2, learning_rate=0.1, weights=[0.49671415, -0.1382643])
    table = p.fit(*logic_gate("OR")).table(decimals=3)
    assert "[0.497, -0.138]" in table and "after it w = [0.497, -0.038]" in table
    assert "0.49671415" in p.table() and "0.4967" not in table
