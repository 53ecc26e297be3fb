"""The playground's data: drawn with the settings' seed, split into training and test points,
and sent to the page with the lattice its maps are drawn on."""

import base64
import doctest

import numpy as np
import pytest

import glassnet.playground.data as data_module
from glassnet.playground.data import CURVE, GRID, Upload, encode_classes, generate
from glassnet.playground.settings import BadRequest, Settings


def test_every_row_lands_on_one_side_of_the_split():
    whole = generate(Settings(dataset="moons", points=50, split=1.0), {})
    assert len(whole.X_train) == 50 and len(whole.X_test) == 0
    split = generate(Settings(dataset="moons", points=50, split=0.7), {})
    assert len(split.X_train) == 35 and len(split.X_test) == 15
    rows = np.vstack([split.X_train, split.X_test])
    assert sorted(map(tuple, rows)) == sorted(map(tuple, whole.X_train))


def test_a_split_that_leaves_one_side_empty_is_refused():
    with pytest.raises(BadRequest, match="a training share of 0.1 of 4 points leaves one side"):
        generate(Settings(dataset="xor", points=4, split=0.1), {})


def test_the_same_seed_draws_and_splits_the_same_points():
    first, second = (generate(Settings(dataset="xor", points=30, seed=4), {}) for _ in range(2))
    np.testing.assert_array_equal(first.X_train, second.X_train)
    np.testing.assert_array_equal(first.y_test, second.y_test)
    other = generate(Settings(dataset="xor", points=30, seed=5), {})
    assert not np.array_equal(first.X_train, other.X_train)


def test_the_grid_covers_the_bounds_from_the_top_row_down():
    data = generate(Settings(dataset="moons", points=40), {})
    (x_low, x_high), (y_low, y_high) = data.bounds()
    points = data.grid_points()
    assert points.shape == (GRID * GRID, 2)
    assert points[0].tolist() == [x_low, y_high] and points[-1].tolist() == [x_high, y_low]
    sine = generate(Settings(dataset="sine", points=40), {})
    assert sine.grid_points().shape == (CURVE, 1) and sine.to_json()["grid"] == CURVE


def test_a_target_of_one_class_or_too_many_is_refused():
    with pytest.raises(BadRequest, match="the column holds a single class"):
        encode_classes(np.array([1, 1, 1]), "the column")
    with pytest.raises(BadRequest, match="has 11 classes; the playground draws at most 10"):
        encode_classes(np.arange(11), "the column")


def test_docstring_examples():
    result = doctest.testmod(data_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 6


def test_feature_crosses_are_computed_from_the_two_features():
    data = generate(Settings(dataset="moons", points=30, features=("x1", "x2sq", "x1x2",
                                                                   "sinx1")), {})  # fmt: skip
    X = data.X_train
    expected = np.column_stack([X[:, 0], X[:, 1] ** 2, X[:, 0] * X[:, 1], np.sin(X[:, 0])])
    np.testing.assert_array_equal(data.network_inputs(X), expected)
    assert data.input_names == ["x1", "x2^2", "x1*x2", "sin(x1)"] and data.n_inputs == 4
    page = data.to_json()
    assert [item["name"] for item in page["inputs"]] == data.input_names
    assert all(len(base64.b64decode(item["map"])) == GRID * GRID for item in page["inputs"])


def test_crosses_take_a_csvs_column_names():
    upload = Upload(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]),
                    np.array([0, 1, 0, 1]), ["a", "b"], ["width", "height"], "fits")  # fmt: skip
    data = generate(Settings(dataset="csv", upload="u", split=0.5,
                             features=("x1sq", "x1x2", "sinx2")), {"u": upload})  # fmt: skip
    assert data.input_names == ["width^2", "width*height", "sin(height)"]


def test_crosses_are_refused_where_there_are_not_two_features_to_cross():
    with pytest.raises(BadRequest, match="the sine data set has one feature"):
        generate(Settings(dataset="sine", features=("x1", "x1sq")), {})
    with pytest.raises(BadRequest, match="the perceptron takes the two features as they are"):
        generate(Settings(mode="perceptron", dataset="or", features=("x1x2",)), {})
    assert generate(Settings(dataset="sine"), {}).input_names == ["x"]


@pytest.mark.parametrize("name", ["plane", "gauss"])
def test_the_regression_planes(name):
    data = generate(Settings(dataset=name, points=400, noise=0.0, seed=3), {})
    assert data.task == "regression" and data.classes == [] and data.n_features == 2
    X, y = data.X_train, data.y_train
    assert np.all(np.abs(X) <= 1.0)
    if name == "plane":
        np.testing.assert_allclose(y, 0.6 * X[:, 0] - 0.4 * X[:, 1])
    else:
        np.testing.assert_allclose(y, np.exp(-(X[:, 0] ** 2 + X[:, 1] ** 2) / (2 * 0.45**2)))
    again = generate(Settings(dataset=name, points=400, noise=0.0, seed=3), {})
    np.testing.assert_array_equal(again.X_test, data.X_test)
    noisy = generate(Settings(dataset=name, points=400, noise=0.2, seed=3), {})
    np.testing.assert_array_equal(noisy.X_train, X)  # noise moves the targets, not the points
    assert 0.1 < np.std(noisy.y_train - y) < 0.3
