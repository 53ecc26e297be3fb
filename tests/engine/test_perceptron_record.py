"""The perceptron's record across fits: ``fit(resume=True)`` numbers the epochs on and keeps
the earlier ones, a ``row_budget`` bounds the per-sample rows kept (never the summaries),
and each record keeps the X it ran on."""

import numpy as np
import pytest

from glassnet import Perceptron
from glassnet.engine.perceptron_epochs import RowBudget

AND_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
AND_Y = [0, 0, 0, 1]
XOR_Y = [0, 1, 1, 0]


def negnevitsky(**options):
    """Negnevitsky's AND (tests/engine/test_perceptron_textbook.py): 5 epochs, exact."""
    return Perceptron(2, 0.1, weights=[0.3, -0.1], mode="online", threshold=0.2,
                      step_at_zero=1, **options)  # fmt: skip


def facts(record):
    """What an epoch did, as plain lists (the per-sample arrays and the summary)."""
    return (record.epoch, record.weights.tolist(), record.bias, record.errors, record.rmse,
            record.order.tolist(), record.sample_weights.tolist(), record.z.tolist(),
            record.corrections.tolist(), record.weights_after.tolist())  # fmt: skip


def test_a_resumed_run_epoch_by_epoch_is_the_run_in_one_fit():
    whole = negnevitsky().fit(AND_X, AND_Y)
    stepped = negnevitsky()
    calls = 0
    while not stepped.converged:
        stepped.fit(AND_X, AND_Y, max_epochs=1, resume=calls > 0)
        calls += 1
    assert calls == len(whole.epochs_) == 5
    assert [facts(r) for r in stepped.epochs_] == [facts(r) for r in whole.epochs_]
    assert stepped.arithmetic_ == whole.arithmetic_ == "exact"
    assert stepped.table() == whole.table()  # the book's table, row for row
    assert stepped.message == "converged at epoch 5: every sample is classified right"


def test_without_resume_the_record_starts_again_at_epoch_1():
    p = negnevitsky()
    p.fit(AND_X, AND_Y, max_epochs=2)
    p.fit(AND_X, AND_Y, max_epochs=1)
    assert [r.epoch for r in p.epochs_] == [1]
    assert p.epochs_[0].sample_weights[0].tolist() == [0.2, 0.0]  # where the last fit left off


def test_resume_on_a_fresh_perceptron_is_an_ordinary_fit():
    resumed = negnevitsky().fit(AND_X, AND_Y, resume=True)
    ordinary = negnevitsky().fit(AND_X, AND_Y)
    assert [facts(r) for r in resumed.epochs_] == [facts(r) for r in ordinary.epochs_]


def test_a_resumed_run_that_runs_out_of_epochs_says_which():
    p = negnevitsky().fit(AND_X, AND_Y, max_epochs=1)
    assert p.message.startswith("did not converge within 1 epoch:")  # one epoch, not "1 epochs"
    p.fit(AND_X, AND_Y, max_epochs=1, resume=True)
    assert p.message.startswith("did not converge by epoch 2 (epoch 2 in this fit): the last "
                                "epoch made 1 error.")  # fmt: skip
    p.fit(AND_X, AND_Y, max_epochs=2, resume=True)
    assert p.message.startswith("did not converge by epoch 4 (epochs 3 to 4 in this fit):")
    assert [r.epoch for r in p.epochs_] == [1, 2, 3, 4]


def test_the_cycle_check_of_a_resumed_fit_looks_at_its_own_epochs():
    one = Perceptron(2, 0.1, weights=[0.5, 0.5], bias=0.0).fit(AND_X, XOR_Y, max_epochs=50)
    assert len(one.epochs_) == 12 and "At the start of epoch 13" in one.message
    stepped = Perceptron(2, 0.1, weights=[0.5, 0.5], bias=0.0)
    for _ in range(20):  # a one-epoch fit holds no cycle: the rule goes on
        stepped.fit(AND_X, XOR_Y, max_epochs=1, resume=True)
    assert [r.epoch for r in stepped.epochs_] == list(range(1, 21))
    assert [r.weights.tolist() for r in stepped.epochs_[:12]] == [
        r.weights.tolist() for r in one.epochs_
    ]
    stepped.fit(AND_X, XOR_Y, max_epochs=50, resume=True)  # the cycle, named by run epochs
    assert len(stepped.epochs_) == 22
    assert "At the start of epoch 23 the weights are back to those of epoch 21" in stepped.message


def test_each_record_keeps_the_data_it_ran_on():
    X = np.array(AND_X, dtype=float)
    p = negnevitsky()
    p.fit(X, AND_Y, max_epochs=1)
    other = X[::-1].copy()
    p.fit(other, AND_Y[::-1], max_epochs=1, resume=True)
    first, second = p.epochs_
    assert first.inputs.tolist() == AND_X and second.inputs.tolist() == other.tolist()
    X[:] = 9.0  # the caller's array changes; the record does not
    assert first.inputs.tolist() == AND_X
    rows = p.table().splitlines()
    assert rows[5].split()[:3] == ["1", "0", "0"] and rows[10].split()[:3] == ["2", "1", "1"]


def test_a_resumed_run_on_the_same_data_shares_one_copy_of_it():
    p = negnevitsky()
    for call in range(3):
        p.fit(np.array(AND_X, dtype=float), AND_Y, max_epochs=1, resume=call > 0)
    assert p.epochs_[0].inputs is p.epochs_[1].inputs is p.epochs_[2].inputs


def test_a_read_only_array_of_its_own_is_kept_without_a_copy():
    X = np.array(AND_X, dtype=float)
    X.setflags(write=False)
    assert negnevitsky().fit(X, AND_Y).epochs_[0].inputs is X
    view = np.array(AND_X, dtype=float)[:]  # read-only, but its base could still change
    view.setflags(write=False)
    assert negnevitsky().fit(view, AND_Y).epochs_[0].inputs is not view


def test_a_row_budget_drops_the_oldest_rows_and_keeps_every_summary():
    whole = negnevitsky().fit(AND_X, AND_Y)
    size = whole.epochs_[0].row_values  # every epoch here sees 4 samples of 2 inputs
    assert size == 5 * 4 + 3 * 4 * 2  # order, z, y, e, t: 4 each; w met, dw, new w: 4 x 2 each
    bounded = negnevitsky(row_budget=2 * size).fit(AND_X, AND_Y)
    assert [r.rows_kept for r in bounded.epochs_] == [False, False, False, True, True]
    assert [(r.epoch, r.weights.tolist(), r.errors, r.rmse) for r in bounded.epochs_] == [
        (r.epoch, r.weights.tolist(), r.errors, r.rmse) for r in whole.epochs_
    ]
    assert [facts(r) for r in bounded.epochs_[3:]] == [facts(r) for r in whole.epochs_[3:]]
    dropped = bounded.epochs_[0]
    assert dropped.inputs is None and dropped.z.shape == (0,)
    assert dropped.weights_after is not None and dropped.weights_after.shape == (0, 2)
    assert dropped.sample_bias is None  # None stays None: the record still says "no bias"


def test_the_table_of_a_bounded_record_shows_the_summaries_of_the_dropped_epochs():
    whole = negnevitsky().fit(AND_X, AND_Y).table().splitlines()
    size = negnevitsky().fit(AND_X, AND_Y).epochs_[0].row_values
    lines = negnevitsky(row_budget=2 * size).fit(AND_X, AND_Y).table().splitlines()
    note = f"epochs 1 to 3: the rows are not kept (row_budget={2 * size} numbers), only the "
    assert note + "summary after each" in lines
    summaries = [line for line in whole if line.startswith("  epoch ")]
    assert [line for line in lines if line.startswith("  epoch ")] == summaries

    def cells(table):  # the rows of epochs 4 and 5, cell by cell (the widths may differ)
        return [line.split() for line in table if line.split()[:1] in (["4"], ["5"])]

    assert cells(lines) == cells(whole) and len(cells(lines)) == 8
    assert lines[-1] == whole[-1] == "converged at epoch 5: every sample is classified right"


def test_the_newest_epoch_keeps_its_rows_whatever_the_budget():
    p = negnevitsky(row_budget=1).fit(AND_X, AND_Y)
    assert [r.rows_kept for r in p.epochs_] == [False] * 4 + [True]
    assert "epochs 1 to 4: the rows are not kept" in p.table()


def test_the_budget_goes_on_across_resumed_fits():
    size = negnevitsky().fit(AND_X, AND_Y).epochs_[0].row_values
    p = negnevitsky(row_budget=3 * size)
    for call in range(5):
        p.fit(AND_X, AND_Y, max_epochs=1, resume=call > 0)
    assert [r.rows_kept for r in p.epochs_] == [False, False, True, True, True]


def test_a_budget_counts_a_list_it_has_not_seen_afresh():
    records = negnevitsky().fit(AND_X, AND_Y).epochs_
    budget = RowBudget(2 * records[0].row_values)
    budget.keep(records[:2])
    budget.keep(records)  # another list: all five counted, the oldest three lose their rows
    assert [r.rows_kept for r in records] == [False, False, False, True, True]


@pytest.mark.parametrize("budget", [0, -5, 2.5, True])
def test_a_row_budget_is_a_positive_whole_number(budget):
    with pytest.raises(ValueError, match="row_budget must be a whole number in"):
        Perceptron(2, row_budget=budget)


def test_the_repr_names_a_row_budget():
    assert repr(negnevitsky(row_budget=100)).endswith(
        ", threshold=0.2, step_at_zero=1, row_budget=100)"
    )
    assert "row_budget" not in repr(negnevitsky())


def test_exact_arithmetic_beyond_the_float_range_is_one_clear_error():
    # 1e300 inputs: after the first move z = x . w is about 1e600, exact as a fraction but
    # beyond the float64 the record keeps: a ValueError that says so, not OverflowError.
    X = [[0, 0], [0, 1e300], [1e300, 0], [1e300, 1e300]]
    perceptron = Perceptron(2, weights=[0.0, 0.0], bias=0.0, arithmetic="exact")
    with pytest.raises(ValueError, match="exact arithmetic: a value grew beyond float64's range"):
        perceptron.fit(X, [0, 0, 0, 1], max_epochs=50)


def test_the_notebook_display_of_an_epoch_whose_rows_were_dropped_says_so():
    size = negnevitsky().fit(AND_X, AND_Y).epochs_[0].row_values
    bounded = negnevitsky(row_budget=2 * size).fit(AND_X, AND_Y)
    dropped, kept = bounded.epochs_[0]._repr_html_(), bounded.epochs_[-1]._repr_html_()
    assert "were not kept" in dropped and "<th>sample</th>" not in dropped  # no empty table
    assert "Epoch 1</b>: " in dropped and "weights after the epoch" in dropped
    assert "were not kept" not in kept and kept.count("<tr><td>") == 4  # a row per sample
