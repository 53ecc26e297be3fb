"""GlassPerceptron's record of what ran: each engine perceptron's ``epochs_`` holds every
epoch it ran, numbered 1 to its count (n_iter_ the most), with the weights of each epoch as
they were; partial_fit numbers on; fit starts again, warm or not; the rows kept are bounded."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from glassnet.sklearn import GlassPerceptron  # noqa: E402

XOR = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([0, 1, 1, 0])


def numbers(model):
    return [[record.epoch for record in p.epochs_] for p in model.perceptrons_]


def after(perceptron, j):
    """The record of epoch j, or the last one of a perceptron that stopped before: an epoch
    without an error (and no penalty) changes nothing after it."""
    return perceptron.epochs_[min(j, len(perceptron.epochs_)) - 1]


@pytest.mark.parametrize("classes", [2, 3])
def test_each_perceptron_records_every_epoch_numbered_from_1(iris, classes):
    X, y = iris
    y = y if classes == 3 else np.where(y == 1, 1, -1)
    model = GlassPerceptron(random_state=0).fit(X, y)
    counts = [len(p.epochs_) for p in model.perceptrons_]
    assert numbers(model) == [list(range(1, count + 1)) for count in counts]
    assert max(counts) == model.n_iter_ > 1
    for k, p in enumerate(model.perceptrons_):  # the last epoch's weights are the model's
        assert p.epochs_[-1].weights.tolist() == model.coef_[k].tolist()
        assert p.epochs_[-1].bias == model.intercept_[k]


def test_every_epoch_s_weights_are_those_the_run_had_then(iris):
    # With tol=None the run of max_iter=j is the first j epochs of the longer run: the record
    # of 6 epochs holds, at each j, the weights that a run of j epochs ends with.
    X, y = iris
    long = GlassPerceptron(max_iter=6, tol=None).fit(X, y)
    assert [len(p.epochs_) for p in long.perceptrons_] == [2, 6, 6]
    for j in range(1, 7):
        short = GlassPerceptron(max_iter=j, tol=None).fit(X, y)
        for k, p in enumerate(long.perceptrons_):
            record = after(p, j)
            assert record.weights.tolist() == short.coef_[k].tolist()
            assert record.bias == short.intercept_[k]
            assert record.errors == short.perceptrons_[k].epochs_[-1].errors


def test_each_epoch_s_weights_equal_scikit_learn_s_after_as_many_epochs(iris):
    from sklearn.linear_model import Perceptron

    X, y = iris
    model = GlassPerceptron(max_iter=5, tol=None, shuffle=False).fit(X, y)
    assert [len(p.epochs_) for p in model.perceptrons_] == [4, 5, 5]
    for j in range(1, 6):
        theirs = Perceptron(max_iter=j, tol=None, shuffle=False).fit(X, y)
        weights = np.vstack([after(p, j).weights for p in model.perceptrons_])
        np.testing.assert_allclose(weights, theirs.coef_, rtol=1e-12, atol=1e-12)


def test_partial_fit_numbers_the_epochs_on(iris):
    X, y = iris
    model = GlassPerceptron(random_state=0)
    after = []
    for rows in np.array_split(np.arange(150), 4):
        model.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
        after.append(model.coef_.copy())
    assert numbers(model) == [[1, 2, 3, 4]] * 3 and model.n_iter_ == 4
    for j, coef in enumerate(after):
        assert np.vstack([p.epochs_[j].weights for p in model.perceptrons_]).tolist() == (
            coef.tolist()
        )
    # each epoch's rows are those of its own batch
    assert [p.epochs_[1].inputs.tolist() for p in model.perceptrons_] == [X[38:76].tolist()] * 3


def test_partial_fit_after_fit_goes_on_from_each_perceptron_s_count():
    X, y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]]), np.array([0, 1, 2, 2, 1])
    model = GlassPerceptron(random_state=0).fit(X, y)
    counts = [len(p.epochs_) for p in model.perceptrons_]
    model.partial_fit(X, y)
    assert numbers(model) == [list(range(1, count + 2)) for count in counts]
    assert model.n_iter_ == max(counts) + 1


def test_fit_starts_the_record_again_even_from_a_warm_start():
    X, y = XOR
    model = GlassPerceptron(warm_start=True, max_iter=4, tol=None, shuffle=False)
    first = model.fit(X, y).coef_.copy()
    model.fit(X, y)
    assert numbers(model) == [[1, 2, 3, 4]] and model.n_iter_ == 4
    assert model.perceptrons_[0].epochs_[0].sample_weights[0].tolist() == first[0].tolist()
    model.partial_fit(X, y)
    model.set_params(warm_start=False).fit(X, y)  # after partial_fit too
    assert numbers(model) == [[1, 2, 3, 4]]
    assert model.perceptrons_[0].epochs_[0].sample_weights[0].tolist() == [0.0, 0.0]


def test_early_stopping_records_each_epoch_on_the_rows_it_trained_on(iris):
    X, y = iris
    model = GlassPerceptron(early_stopping=True, validation_fraction=0.2, n_iter_no_change=3)
    model.fit(X, y)
    assert max(len(p.epochs_) for p in model.perceptrons_) == model.n_iter_
    assert all(r.z.shape == (120,) for p in model.perceptrons_ for r in p.epochs_)


def test_the_rows_kept_are_bounded_and_every_summary_is_kept():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 120))
    y = np.where(X[:, 0] + 0.3 * rng.normal(size=300) > 0, 1, -1)  # nearly separable
    model = GlassPerceptron(max_iter=30, tol=None).fit(X, y)
    p = model.perceptrons_[0]
    size = p.epochs_[-1].row_values  # 300 rows of 120 inputs: about 110,000 numbers
    assert [r.epoch for r in p.epochs_] == list(range(1, 31)) and model.n_iter_ == 30
    kept = [r for r in p.epochs_ if r.rows_kept]
    assert 1 <= len(kept) < 30 and sum(r.row_values for r in kept) <= max(p.row_budget, size)
    assert kept == p.epochs_[-len(kept) :]  # the latest epochs keep their rows
    assert all(r.weights.shape == (120,) for r in p.epochs_)
    assert p.epochs_[-1].weights.tolist() == model.coef_[0].tolist()


def test_one_copy_of_x_for_every_perceptron_and_the_caller_may_change_theirs(iris):
    X, y = iris
    X = X.copy()
    model = GlassPerceptron(random_state=0).fit(X, y)
    copies = {id(r.inputs) for p in model.perceptrons_ for r in p.epochs_ if r.rows_kept}
    assert len(copies) == 1
    shown = model.perceptrons_[0].table()
    X[:] = 0.0
    assert model.perceptrons_[0].table() == shown
