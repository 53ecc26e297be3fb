"""GlassPerceptron: one neuron for two classes, one per class against the rest, the
records of one epoch of the rule, warm starts, scikit-learn's tools, and its plot."""

import numpy as np
import pytest

pytest.importorskip("sklearn")

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from glassnet import PerceptronEpoch  # noqa: E402
from glassnet.sklearn import GlassPerceptron  # noqa: E402


def test_perceptron_two_classes_is_one_neuron():
    X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    model = GlassPerceptron(mode="batch", random_state=0).fit(X, ["off", "on", "on", "on"])
    assert model.coef_.shape == (1, 2) and len(model.perceptrons_) == 1
    assert model.predict(X).tolist() == ["off", "on", "on", "on"]
    z = model.decision_function(X)
    assert z.shape == (4,) and (z > 0).tolist() == [False, True, True, True]


def test_perceptron_one_vs_rest_and_partial_fit(iris):
    X, y = iris
    X = StandardScaler().fit_transform(X)
    model = GlassPerceptron(random_state=0).fit(X, y)
    assert model.coef_.shape == (3, 4)
    z = model.decision_function(X)
    np.testing.assert_array_equal(model.classes_[np.argmax(z, axis=1)], model.predict(X))
    assert model.score(X, y) >= 0.75
    streamed = GlassPerceptron(random_state=0)
    for rows in np.array_split(np.random.default_rng(0).permutation(150), 5):
        streamed.partial_fit(X[rows], y[rows], classes=[0, 1, 2])
    assert streamed.n_iter_ == 5 and streamed.coef_.shape == (3, 4)


def test_cross_val_score_perceptron(iris):
    X, y = iris
    model = make_pipeline(StandardScaler(), GlassPerceptron(random_state=0))
    assert cross_val_score(model, X, y).mean() >= 0.75


# ---------------------------------------------------------------- the glass box
def test_perceptron_epoch_records_are_the_batch_rule(iris):
    X, y = iris
    model = GlassPerceptron(random_state=0).fit(X, y)
    records = model.epoch_records(X, y)
    assert len(records) == 3  # one perceptron per class
    assert all(isinstance(record, PerceptronEpoch) for record in records)
    for index, (record, label) in enumerate(zip(records, model.classes_, strict=True)):
        e = (y == label).astype(float) - (X @ model.coef_[index] + model.intercept_[index] > 0)
        # w <- w + eta0 * X^T e, with e = y - step(z)
        np.testing.assert_allclose(record.weights, model.coef_[index] + X.T @ e)
        assert record.errors == np.count_nonzero(e)


def test_epoch_records_leave_the_estimator_unchanged(iris):
    X, y = iris
    model = GlassPerceptron(mode="online", random_state=0).fit(X, y)
    coef, intercept = model.coef_.copy(), model.intercept_.copy()
    weights = [perceptron.weights.copy() for perceptron in model.perceptrons_]
    model.epoch_records(X, y)
    np.testing.assert_array_equal(model.coef_, coef)
    np.testing.assert_array_equal(model.intercept_, intercept)
    for perceptron, before in zip(model.perceptrons_, weights, strict=True):
        np.testing.assert_array_equal(perceptron.weights, before)
        assert perceptron.mode == "online"
    with pytest.raises(ValueError, match="y has a label 7 that is not one of the classes"):
        model.epoch_records(X[:2], [0, 7])


def test_perceptron_warm_start_starts_from_the_last_weights():
    X = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]])
    y = [0, 0, 0, 1]
    model = GlassPerceptron(mode="batch", max_iter=1, warm_start=True, random_state=0)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    first = model.coef_.copy()
    record = model.epoch_records(X, y)[0]
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    assert not np.array_equal(first, model.coef_) or record.errors == 0
    np.testing.assert_allclose(model.coef_[0], record.weights)  # the same batch epoch


def test_plots_draw_the_fitted_perceptron(iris):
    plot = pytest.importorskip("glassnet.plot")  # the plot extra (matplotlib)
    from matplotlib import pyplot

    X, y = iris
    X = StandardScaler().fit_transform(X[:, 2:])
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    perceptron = GlassPerceptron(random_state=0).fit(X, names == "setosa")
    figure = plot.decision_boundary(perceptron.perceptrons_[0], X, names == "setosa")
    assert figure.axes[0].get_xlabel() == "x1"
    pyplot.close("all")
