"""The maps the page paints: values scaled to bytes, with the ends they stand for."""

import base64
import doctest

import numpy as np

import glassnet.playground.maps as maps_module
from glassnet.playground.maps import class_map, encode_unit, unit_map, value_map


def decoded(text):
    return np.frombuffer(base64.b64decode(text), dtype=np.uint8).tolist()


def test_values_become_bytes_from_their_lowest_to_their_highest():
    regions = value_map(np.array([2.0, 4.0, 3.0]))
    assert decoded(regions["value"]) == [0, 255, 128] and (regions["low"], regions["high"]) == (
        2.0,
        4.0,
    )
    assert decoded(value_map(np.array([5.0, 5.0]))["value"]) == [0, 0]  # flat: no spread


def test_a_bounded_activation_keeps_its_own_scale():
    tanh = unit_map(np.array([-0.5, 0.0, 0.5]), "tanh")
    assert (tanh["low"], tanh["high"]) == (-1.0, 1.0) and decoded(tanh["map"]) == [64, 128, 191]
    relu = unit_map(np.array([0.0, 3.0]), "relu")
    assert (relu["low"], relu["high"]) == (0.0, 3.0)


def test_non_finite_values_do_not_break_the_maps():
    assert decoded(encode_unit(np.array([np.nan, np.inf, -np.inf, 2.0]))) == [0, 255, 0, 255]
    assert value_map(np.array([np.inf, 0.0]))["high"] == 1e300


def test_classes_and_their_confidence():
    regions = class_map(np.array([[0.2, 0.7, 0.1], [1 / 3, 1 / 3, 1 / 3]]))
    assert decoded(regions["label"]) == [1, 0]
    assert decoded(regions["confidence"]) == [140, 0]


def test_docstring_examples():
    result = doctest.testmod(maps_module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 7
