"""A data file read for a saved model: columns matched by name, unknown columns and labels
refused (glassnet.cli.rows)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

import glassnet as gn
from glassnet.cli.main import main


def test_a_model_saved_from_python_needs_the_target_named(inside, capsys, predictions):
    data = np.loadtxt("or.csv", delimiter=",", skiprows=1)
    net = gn.Network([gn.Dense(2, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
    net.fit(data[:, :2], data[:, 2].astype(int), epochs=300, learning_rate=1.0)
    gn.save(net, "bare.glassnet")
    assert main(["evaluate", "bare.glassnet", "or.csv"]) == 2
    assert "does not name its target column; give --target" in capsys.readouterr().err
    assert main(["evaluate", "bare.glassnet", "or.csv", "--target", "y", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["accuracy"] == 1.0
    # Without column names, every column but the target is a feature, in file order.
    assert main(["predict", "bare.glassnet", "or.csv", "--target", "y"]) == 0
    assert predictions(capsys.readouterr().out) == [["prediction"], ["0"], ["1"], ["1"], ["1"]]
    os.remove("bare.glassnet")


def test_text_labels_for_a_model_of_values_are_refused(inside, capsys, refused, write_csv):
    assert main(["train", "values.csv", "--target", "y", "--hidden", "0", "--epochs", "1",
                 "--quiet", "--out", "values_once.glassnet"]) == 0  # fmt: skip
    capsys.readouterr()
    write_csv(inside / "worded.csv", ["u", "v", "y"], [[0.5, 0.25, "high"]])
    try:
        message = "worded.csv: column 'y' holds text such as 'high'; this model predicts numbers"
        refused(["evaluate", "values_once.glassnet", "worded.csv"], 1, message)
    finally:
        os.remove("values_once.glassnet")
        os.remove("worded.csv")


def test_a_model_of_text_labels_reads_labels_that_look_like_numbers(inside, capsys, write_csv):
    rows = [[0, 0, "0"], [0, 1, "1"], [1, 0, "cat"], [1, 1, "cat"]] * 3
    write_csv(inside / "worded_numbers.csv", ["a", "b", "y"], rows)
    write_csv(inside / "numbers_only.csv", ["a", "b", "y"], rows[:2])
    try:
        assert main(["train", "worded_numbers.csv", "--target", "y", "--epochs", "2",
                     "--quiet", "--out", "worded.glassnet"]) == 0  # fmt: skip
        capsys.readouterr()
        # The model's labels are '0', '1' and 'cat': the 0 and 1 of this file are two of them.
        assert main(["evaluate", "worded.glassnet", "numbers_only.csv", "--format", "json"]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["rows"] == 2
        assert result["confusion_matrix"]["labels"] == ["0", "1", "cat"]
        assert np.asarray(result["confusion_matrix"]["counts"]).sum(axis=1).tolist() == [1, 1, 0]
        assert main(["trace", "worded.glassnet", "numbers_only.csv", "--quiet"]) == 0
    finally:
        for name in ("worded_numbers.csv", "numbers_only.csv", "worded.glassnet"):
            if os.path.exists(name):
                os.remove(name)


def test_a_word_among_number_labels_is_the_cell_named(refused, inside, write_csv):
    write_csv(inside / "a_word.csv", ["a", "b", "y"], [[0, 0, 0], [1, 1, "cat"]])
    try:
        message = "a_word.csv: row 3, column 'y': label 'cat' was not seen in training"
        refused(["evaluate", "or.glassnet", "a_word.csv"], 1, message)
    finally:
        os.remove(inside / "a_word.csv")


def test_a_target_that_is_one_of_the_models_features_is_a_usage_error(refused):
    refused(["evaluate", "blobs.glassnet", "blobs.csv", "--target", "x2"], 2,
            "--target x2 is one of the model's features, ['x1', 'x2', 'x3']; the model was "
            "trained to predict 'label'")  # fmt: skip


BAD_INPUT = [
    (
        "missing column",
        ["predict", "blobs.glassnet", "missing_column.csv", "--out", "p.csv"],
        1,
        "missing_column.csv: no column named 'x2'",
    ),
    (
        "extra column",
        ["predict", "blobs.glassnet", "extra_column.csv", "--out", "p.csv"],
        1,
        "column 'id' is not one of the model's features",
    ),
    (
        "unseen label",
        ["evaluate", "blobs.glassnet", "unseen_label.csv"],
        1,
        "row 2, column 'label': label 'purple' was not seen in training",
    ),
    (
        "unseen label after a blank line",
        ["evaluate", "blobs.glassnet", "unseen_after_blank.csv"],
        1,
        "row 4, column 'label': label 'purple' was not seen in training",
    ),
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


def test_a_loss_that_overflows_where_the_outputs_do_not_is_refused(refused, inside, write_csv):
    # z = 1e308 + 1e308 is inf: the sigmoid gives a finite 1, the cross-entropy from z NaN.
    net = gn.Network([gn.Dense(2, 1, "sigmoid", weights=[[1.0], [1.0]], bias=[0.0])],
                     loss="binary_crossentropy")  # fmt: skip
    net.fit([[0, 0], [1, 1]], [0, 1], epochs=0)
    gn.save(net, "overflows.glassnet", metadata={"features": ["a", "b"], "target": "y"})
    write_csv(
        inside / "huge_inputs.csv", ["a", "b", "y"], [[0, 0, 0], [1, 1, 1], [1e308, 1e308, 1]]
    )
    try:
        refused(["evaluate", "overflows.glassnet", "huge_inputs.csv"], 1,
                "huge_inputs.csv: row 4: the loss is nan there, not a finite number")  # fmt: skip
        assert main(["evaluate", "overflows.glassnet", "huge_inputs.csv", "--allow-nonfinite",
                     "--format", "json"]) == 0  # fmt: skip
    finally:
        os.remove(inside / "huge_inputs.csv")
        os.remove(inside / "overflows.glassnet")
