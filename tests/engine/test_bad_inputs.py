"""What the API refuses in one line, and what it accepts that it used to refuse (issue 16,
item 14): targets with None or of mixed types, numbers past float64, complex inputs, NumPy
integers as settings, one-hot targets for a network that learned labels."""

import numpy as np
import pytest

from glassnet import Dense, Network


def classifier() -> Network:
    return Network([Dense(1, 3, "tanh"), Dense(3, 2, "softmax")], "crossentropy", seed=0)


def regressor() -> Network:
    return Network([Dense(1, 1, "identity")], "mse", seed=0)


X = [[0.0], [1.0], [2.0]]


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([None, None, None], "no label or value at row 0 (None)"),
        (["a", None, "b"], "no label or value at row 1 (None)"),
        (["a", 1, 1], "mixes numbers and text: row 0 holds 'a', row 1 holds 1"),
        (np.array(["a", 1, 2.5], dtype=object), "mixes numbers and text"),
        ([b"a", "b", "a"], "mixes bytes and text"),
        ([np.nan, 1.0, 0.0], "NaN at row 0; a label cannot be NaN"),
    ],
)
def test_labels_that_cannot_all_be_read_alike_are_refused(y, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        classifier().fit(X, y)


@pytest.mark.parametrize(
    ("y", "message"),
    [
        ([1.0, None, 2.0], "no label or value at row 1"),
        ([1j, 1, 2], "complex numbers"),
        ([10**400, 1, 2], "too large for float64"),
    ],
)
def test_values_that_are_not_real_float64_numbers_are_refused(y, message):
    with pytest.raises(ValueError, match=message):
        regressor().fit(X, y)


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ([[10**400], [1], [2]], "too large for float64"),
        (np.array([[1 + 2j], [1], [2]]), "complex numbers"),
        ([[np.complex128(1 + 1j)], [1.0], [2.0]], "complex numbers"),
    ],
)
def test_inputs_past_float64_or_complex_are_refused_not_cut_to_their_real_part(inputs, message):
    with pytest.raises(ValueError, match=message):
        classifier().fit(inputs, ["a", "b", "a"])
    fitted = classifier()
    fitted.fit(X, ["a", "b", "a"])
    with pytest.raises(ValueError, match=message):
        fitted.predict(inputs)


def test_an_l2_too_large_for_a_float_is_a_value_error():
    with pytest.raises(ValueError, match=r"l2 must be a number in \[0, inf\)"):
        Dense(1, 1, l2=10**400)


def test_numpy_integers_are_accepted_as_counts():
    history = classifier().fit(X, ["a", "b", "a"], epochs=np.int64(2), batch_size=np.int32(2))
    assert len(history) == 2


def test_one_hot_targets_after_labels_were_learned_mean_those_labels():
    net = classifier()
    net.fit(X, ["a", "b", "a"], epochs=1)
    labels = net.evaluate(X, ["a", "b", "b"])
    one_hot = net.evaluate(X, np.array([[1, 0], [0, 1], [0, 1]]))
    assert one_hot == labels
    assert net.evaluate(X, np.array([["a"], ["b"], ["b"]])) == labels
    with pytest.raises(ValueError, match=r"shape \(3, 2\).*one-hot rows of 2 columns"):
        net.evaluate(X, np.array([[1, 1], [0, 1], [0, 1]]))
