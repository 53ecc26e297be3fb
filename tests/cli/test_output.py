"""What the commands print: strict JSON and aligned tables of metric values
(glassnet.cli.output)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from glassnet.cli.output import finite_values, metrics_table, print_json


def test_metrics_table_aligns_names_left_and_numbers_right():
    text = metrics_table({"training": {"loss": 0.123456789, "accuracy": 1.0},
                          "validation": {"loss": 2.5}})  # fmt: skip
    assert text.splitlines() == [
        "                loss  accuracy",
        "training    0.123457         1",
        "validation       2.5       nan",
    ]


def test_finite_values_keep_json_strict(capsys):
    values = finite_values({"loss": math.inf, "r2": -math.nan, "mae": 0.5})
    assert values == {"loss": None, "r2": None, "mae": 0.5}
    print_json({"metrics": values, "counts": np.arange(2)})
    assert '"loss": null' in capsys.readouterr().out
    with pytest.raises(ValueError):
        print_json({"loss": math.nan})  # a NaN not made None first is a bug, not output
