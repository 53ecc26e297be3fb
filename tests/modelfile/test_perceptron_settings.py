"""A perceptron's textbook settings in its model file: threshold, step_at_zero, rule, band,
arithmetic and the penalties survive a round trip; a file written before them loads as the
perceptron it was (Rosenblatt's rule in float64); a bad value is a one-line error."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest

import glassnet as gn
from glassnet.modelfile import ModelFileError

AND = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([0, 0, 0, 1])
SETTINGS = {"threshold": 0.2, "step_at_zero": 1, "rule": "rosenblatt", "band": 0.0,
            "arithmetic": "exact", "l2": 0.0, "l1": 0.0}  # fmt: skip


def _edited(source, target, change) -> None:
    """Copy a model file with its model.json passed through ``change(document)``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = old.read(name)
            if name == "model.json":
                document = json.loads(data)
                change(document)
                data = json.dumps(document).encode()
            new.writestr(name, data)


@pytest.mark.parametrize(
    "settings",
    [
        SETTINGS,  # Negnevitsky's
        {**SETTINGS, "threshold": 0.0, "step_at_zero": 0, "rule": "fausett", "band": 0.2},
        {**SETTINGS, "arithmetic": "float64", "l2": 0.01, "l1": 0.001},
    ],
    ids=["negnevitsky", "fausett", "penalties"],
)
def test_the_textbook_settings_round_trip(tmp_path, settings):
    X, y = AND
    targets = np.where(y == 1, 1, -1) if settings["rule"] == "fausett" else y
    perceptron = gn.Perceptron(2, 0.1, weights=[0.3, -0.1], mode="online", **settings)
    perceptron.fit(X, targets, max_epochs=20)
    gn.save(perceptron, tmp_path / "p.glassnet")
    again = gn.load(tmp_path / "p.glassnet")
    assert {name: getattr(again, name) for name in settings} == settings
    assert again.activation == perceptron.activation
    assert again.weights.tobytes() == perceptron.weights.tobytes()
    assert again.predict(X).tolist() == perceptron.predict(X).tolist()
    np.testing.assert_array_equal(again.decision_function(X), perceptron.decision_function(X))


def test_a_file_without_the_settings_loads_with_the_old_behaviour(tmp_path):
    X, y = AND
    perceptron = gn.Perceptron(2, 0.1, weights=[0.5, 0.5], bias=0.0).fit(X, y)
    gn.save(perceptron, tmp_path / "new.glassnet")

    def forget(document):  # as glassnet wrote it before the textbook settings
        for key in SETTINGS:
            del document[key]

    _edited(tmp_path / "new.glassnet", tmp_path / "old.glassnet", forget)
    old = gn.load(tmp_path / "old.glassnet")
    assert (old.threshold, old.step_at_zero, old.rule, old.band) == (0.0, 0, "rosenblatt", 0.0)
    assert old.arithmetic == "float64" and (old.l2, old.l1) == (0.0, 0.0)
    assert old.predict(X).tolist() == [0, 0, 0, 1]


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("rule", "widrow", "rule must be one of 'rosenblatt', 'fausett', got 'widrow'"),
        ("band", -0.5, "band must be a number in [0, inf), got -0.5"),
        ("step_at_zero", 2, "step_at_zero must be a whole number in [0, 1], got 2"),
        ("threshold", "0.2", "'threshold' has the wrong type (str)"),
        ("arithmetic", "decimal", "arithmetic must be one of 'auto', 'float64', 'exact'"),
    ],
)
def test_bad_settings_in_a_file_are_one_line(tmp_path, key, value, message):
    gn.save(gn.Perceptron(2, weights=[1.0, -1.0]), tmp_path / "good.glassnet")
    _edited(tmp_path / "good.glassnet", tmp_path / "bad.glassnet",
            lambda document: document.__setitem__(key, value))  # fmt: skip
    with pytest.raises(ModelFileError) as error:
        gn.load(tmp_path / "bad.glassnet")
    assert str(error.value).startswith(str(tmp_path / "bad.glassnet"))
    assert message in str(error.value) and "\n" not in str(error.value)
