"""What changed (glassbox/changes.py): one row per entry, or past the limit one row per
array whose every column is the same entry's; the change signed, new - old."""

import re

import numpy as np
import pytest

from glassnet import Dense, Network
from glassnet.glassbox.changes import (
    ParameterChange,
    change_rows,
    changes_html,
    changes_markdown,
    changes_text,
)


def test_up_to_the_limit_each_entry_has_its_row_and_its_signed_change():
    network = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)], "half_sse")
    trace = network.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
    rows = list(change_rows(trace.changes))
    assert [row[0] for row in rows] == ["w1", "w2"]
    for _, old, gradient, change, new in rows:
        assert change == new - old
        assert change == pytest.approx(-1.0 * gradient, rel=1e-14)  # gradient < 0: change > 0
    assert rows[0][1:] == (0.2, -0.03533258827937781, 0.2353325882793778 - 0.2, 0.2353325882793778)


def big_trace(learning_rate=0.5):
    network = Network([Dense(3, 8, "tanh"), Dense(8, 2, "sigmoid")], "binary_crossentropy", seed=4)
    X = np.random.default_rng(1).normal(size=(5, 3))
    return network.trace(X, np.eye(2)[[0, 1, 1, 0, 1]], learning_rate=learning_rate)


def test_past_the_limit_every_column_of_a_row_is_one_and_the_same_entry():
    trace = big_trace()
    assert sum(change.old.size for change in trace.changes) > 24
    rows = list(change_rows(trace.changes))
    assert len(rows) == len(trace.changes) == 4  # W[1], b[1], W[2], b[2]
    for (name, old, gradient, change, new), parameter in zip(rows, trace.changes, strict=True):
        entry = re.match(r"^(\S+)\[([\d,]+)\] \(largest \|change\| of (\d+) in (\S+), ", name)
        assert entry and entry[1] == parameter.name == entry[4]
        index = tuple(int(i) for i in entry[2].split(","))
        assert old == parameter.old[index] and new == parameter.new[index]
        assert gradient == parameter.gradient[index]
        assert change == new - old
        np.testing.assert_allclose(change, -0.5 * gradient, rtol=1e-12)
        assert abs(change) == np.max(np.abs(parameter.change))
        assert int(entry[3]) == parameter.old.size


def test_the_row_of_an_array_is_not_each_columns_maximum():
    # The largest |old| is entry 0, the largest |gradient| entry 2, the largest |change|
    # entry 1: the row is entry 1's, every column.
    old = np.array([[5.0, 0.5, -1.0]])
    gradient = np.array([[0.1, -3.0, 2.0]])
    new = old - 0.5 * gradient * np.array([[1.0, 1.0, 0.1]])  # entry 1 moves most
    change = ParameterChange("W[1]", old, gradient, new, ["W[1][0,0]", "W[1][0,1]", "W[1][0,2]"])
    ((name, *numbers),) = change_rows([change], max_rows=2)
    assert name.startswith("W[1][0,1] ")
    assert numbers == [0.5, -3.0, 1.5, 2.0]


def test_the_tables_show_the_signed_change_past_the_limit_too():
    trace = big_trace()
    rows = list(change_rows(trace.changes))
    negative = [row for row in rows if row[3] < 0]
    assert negative  # some entry that moved most moved down
    text = changes_text(trace.changes, digits=4)
    markdown = "\n".join(changes_markdown(trace.changes, digits=4))
    html = "\n".join(changes_html(trace.changes, digits=4))
    for _, _, _, change, _ in negative:
        assert change < 0
        shown = f"{change:.4g}"
        assert shown.startswith("-")
        assert shown in text and shown in markdown and f"<td>{shown}</td>" in html
