"""glassnet export: a model file as ONNX that onnxruntime runs to the model's numbers."""

import numpy as np
import pytest

from glassnet import load
from glassnet.cli.main import main


def test_export_writes_an_onnx_model_with_the_models_predictions(inside, capsys):
    onnxruntime = pytest.importorskip("onnxruntime")
    assert main(["export", "blobs.glassnet", "--format", "onnx", "--out", "blobs.onnx",
                 "--dtype", "float64"]) == 0  # fmt: skip
    assert "wrote blobs.onnx: ONNX (float64), input X of 3 columns" in capsys.readouterr().out
    model = load("blobs.glassnet")
    X = np.random.default_rng(0).normal(size=(20, model.n_inputs))
    session = onnxruntime.InferenceSession("blobs.onnx", providers=["CPUExecutionProvider"])
    label, probabilities = session.run(["label", "probabilities"], {"X": X})
    assert label.tolist() == model.predict(X).tolist()
    np.testing.assert_allclose(probabilities, model.predict_proba(X), rtol=1e-12)


def test_export_refuses_a_perceptron_and_an_unknown_format(inside, capsys):
    pytest.importorskip("onnx")
    assert main(["export", "or.glassnet", "--out", "or.onnx"]) == 1
    assert "holds a Perceptron; only networks export to ONNX" in capsys.readouterr().err
    assert main(["export", "blobs.glassnet", "--format", "tflite", "--out", "x"]) == 2


def test_export_refuses_to_write_over_the_model_it_reads(refused, inside):
    before = (inside / "blobs.glassnet").read_bytes()
    message = "--out ./blobs.glassnet is the model file blobs.glassnet: writing it would destroy"
    refused(["export", "blobs.glassnet", "--out", "./blobs.glassnet"], 2, message)
    assert (inside / "blobs.glassnet").read_bytes() == before
