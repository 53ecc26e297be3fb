"""The option types: text in, a checked value out, a one-line usage error otherwise
(glassnet.cli.options)."""

from __future__ import annotations

import argparse

import pytest

from glassnet.cli.options import (
    check_value,
    column_pair,
    count,
    fraction,
    hidden_sizes,
    non_negative_count,
    numbers,
    positive_number,
)

TRAIN = ["train", "--target", "label", "--out", "never.glassnet"]


@pytest.mark.parametrize(
    ("option_type", "text", "value"),
    [
        (positive_number, "1e-3", 0.001),
        (fraction, "0", 0.0),
        (fraction, "0.99", 0.99),
        (count, "1", 1),
        (non_negative_count, "0", 0),
        (hidden_sizes, "16,8", (16, 8)),
        (hidden_sizes, "0", ()),
        (hidden_sizes, "", ()),
        (hidden_sizes, "none", ()),
        (check_value, "a[2][0,0]=0.5", ("a[2][0,0]", 0.5)),
        (check_value, " E = 1e-2", ("E", 0.01)),
        (column_pair, "0,2", (0, 2)),
        (numbers, "1,-0.5", [1.0, -0.5]),
    ],
)
def test_good_text_gives_the_value(option_type, text, value):
    assert option_type(text) == value


@pytest.mark.parametrize(
    ("option_type", "text", "message"),
    [
        (positive_number, "0", "must be a number in (0, inf), got 0.0"),
        (positive_number, "fast", "expected a number, got 'fast'"),
        (positive_number, "inf", "expected a finite number, got 'inf'"),
        (positive_number, "nan", "expected a finite number, got 'nan'"),
        (fraction, "1", "must be a number in [0, 1), got 1.0"),
        (fraction, "-0.1", "must be a number in [0, 1), got -0.1"),
        (count, "0", "must be a whole number in [1, inf), got 0"),
        (count, "2.5", "expected a whole number, got '2.5'"),
        (non_negative_count, "-3", "must be a whole number in [0, inf), got -3"),
        (hidden_sizes, "8,x", "expected neurons per layer such as 16,8, got '8,x'"),
        (hidden_sizes, "8,0", "neurons per layer must be a whole number in [1, inf), got 0"),
        (check_value, "0.5", "expected NAME=VALUE such as a=0.53, got '0.5'"),
        (check_value, "a=big", "expected a number, got 'big'"),
        (column_pair, "0", "expected two column numbers such as 0,2, got '0'"),
        (numbers, "0.3,a", "expected numbers separated by commas such as 0.3,0.5, got '0.3,a'"),
        (numbers, "0.3,nan", "expected numbers separated by commas"),
    ],
)
def test_bad_text_is_one_line_naming_the_range_and_the_value(option_type, text, message):
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        option_type(text)
    assert message in str(caught.value) and "\n" not in str(caught.value)


BAD_INPUT = [
    (
        "negative learning rate",
        [*TRAIN, "blobs.csv", "--learning-rate", "-0.1"],
        2,
        "argument --learning-rate: must be a number in (0, inf), got -0.1",
    ),
    ("zero epochs", [*TRAIN, "blobs.csv", "--epochs", "0"], 2, "argument --epochs: must be"),
    ("bad hidden", [*TRAIN, "blobs.csv", "--hidden", "8,x"], 2, "neurons per layer"),
]


@pytest.mark.parametrize(
    "args,code,message", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_in_process(refused, args, code, message):
    refused(args, code, message)


@pytest.mark.parametrize(
    "args,code,message", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_through_the_console_script(refused_by_script, args, code, message):
    refused_by_script(args, code, message)
