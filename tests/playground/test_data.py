"""The playground's data: drawn with the settings' seed, split into training and test points,
and sent to the page with the lattice its maps are drawn on."""

import doctest

import numpy as np
import pytest

import glassnet.playground.data as data_module
from glassnet.playground.data import CURVE, GRID, encode_classes, generate
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
