"""Numbers as the trace prints them (glassnet/text.py): significant digits, or decimal
places as the tutorials and textbooks round."""

import numpy as np
import pytest

from glassnet.text import format_number, rounded


def test_decimals_round_to_places_and_drop_no_sign_of_zero():
    assert format_number(0.5274723043445937, decimals=4) == "0.5275"
    assert format_number(0.11, decimals=4) == "0.11"
    assert format_number(-0.00004, decimals=3) == "0.0"
    assert format_number(np.array([[0.2353325882793778, 1.5]]), decimals=2) == "[[0.24, 1.5]]"
    assert format_number(float("nan"), decimals=2) == "nan"


def test_rounded_matches_what_format_number_prints():
    values = np.array([0.125, -2.675, 1e-9, 123.456789])
    assert format_number(rounded(values, 2)) == format_number(values, decimals=2)
    assert rounded(values, None).tolist() == values.tolist()


@pytest.mark.parametrize("kwargs,message", [
    ({"digits": 3, "decimals": 2}, "give digits (significant digits) or decimals"),
    ({"decimals": -1}, "decimals must be a whole number >= 0 or None, got -1"),
    ({"decimals": 1.5}, "decimals must be a whole number >= 0 or None, got 1.5"),
])  # fmt: skip
def test_bad_rounding_is_one_clear_error(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        format_number(0.5, **kwargs)
