"""Saving a model: ``model.json`` and the arrays as ``.npy`` in one zip, written atomically.

Example:
    >>> import glassnet as gn
    >>> gn.save(gn.Network([gn.Dense(2, 1)], seed=0), "tiny.glassnet")  # doctest: +SKIP
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from typing import Any

import numpy as np

from glassnet.engine.activations import ACTIVATIONS
from glassnet.engine.layers import Dense, Layer, Standardize
from glassnet.engine.losses import LOSSES
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.files import write_atomically
from glassnet.modelfile.format import FORMAT, MODEL_JSON, glassnet_version
from glassnet.modelfile.metadata import check_metadata, plain

__all__ = ["save"]

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same bytes for the same model, run after run


def _label_type(classes: np.ndarray) -> str:
    kinds = {"U": "str", "i": "int", "u": "int", "f": "float", "b": "bool"}
    if classes.dtype.kind not in kinds:
        raise ValueError(
            f"class labels must be text, integers, floats or booleans, got {classes.dtype}"
        )
    return kinds[classes.dtype.kind]


def _labels(classes: np.ndarray | None) -> dict[str, Any]:
    if classes is None:
        return {"classes": None, "label_type": None}
    return {"classes": classes.tolist(), "label_type": _label_type(classes)}


def _layer_arrays(layer: Layer, index: int) -> list[tuple[str, np.ndarray]]:
    if isinstance(layer, Standardize):
        return [(f"mean[{index}]", layer.mean), (f"scale[{index}]", layer.scale)]
    if isinstance(layer, Dense):
        names = layer.parameter_names
        return [(f"{name}[{index}]", p) for name, p in zip(names, layer.parameters, strict=True)]
    return []


def _describe(model: Network | Perceptron) -> tuple[dict[str, Any], list[tuple[str, np.ndarray]]]:
    """(spec, arrays): the model as JSON-ready values and named arrays."""
    if isinstance(model, Network):
        # Only registered names can be rebuilt on loading: refuse now rather than write a
        # file that cannot be read back.
        if type(model.loss) is not LOSSES.get(model.loss.name):
            raise ValueError(f"cannot save a custom loss {model.loss!r}: only {sorted(LOSSES)}")
        for index, layer in enumerate(model.dense_layers, start=1):
            activation = layer.activation
            if type(activation) is not ACTIVATIONS.get(activation.name):
                raise ValueError(
                    f"cannot save Dense layer {index}'s custom activation {activation!r}: "
                    f"only {sorted(ACTIVATIONS)}"
                )
        spec = {"kind": "Network", **model.config()}
        targets = model.targets
        spec["targets"] = None
        if targets is not None:
            spec["targets"] = {"kind": targets.kind, "n_outputs": targets.n_outputs,
                               **_labels(targets.classes)}  # fmt: skip
        arrays = [
            pair
            for index, layer in enumerate(model.layers, start=1)
            for pair in _layer_arrays(layer, index)
        ]
        return spec, arrays
    if isinstance(model, Perceptron):
        spec = {
            "kind": "Perceptron",
            "n_inputs": model.n_inputs,
            "learning_rate": model.learning_rate,
            "mode": model.mode,
            "shuffle": model.shuffle,
            "activation": model.activation.config(),
            "use_bias": model.bias is not None,
            "threshold": model.threshold,
            "step_at_zero": model.step_at_zero,
            "rule": model.rule,
            "band": model.band,
            "arithmetic": model.arithmetic,
            "l2": model.l2,
            "l1": model.l1,
            "converged": model.converged,
            "message": model.message,
            **_labels(model.classes_),
        }
        arrays = [("w", np.asarray(model.weights, dtype=np.float64))]
        if model.bias is not None:
            arrays.append(("b", np.array([model.bias], dtype=np.float64)))
        return spec, arrays
    raise TypeError(f"save expects a Network or a Perceptron, got {type(model).__name__}")


def _version_needed(model) -> int:
    """The oldest format that holds the model whole: 1 unless it uses what came in 2."""
    if isinstance(model, Network):
        return 2 if any(layer.l1 for layer in model.dense_layers) else 1
    textbook = (
        model.threshold != 0 or model.step_at_zero != 0 or model.rule != "rosenblatt"
        or model.band != 0 or model.arithmetic != "auto" or model.l2 or model.l1
    )  # fmt: skip
    return 2 if textbook else 1


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def save(model: Network | Perceptron, path: str | os.PathLike[str],
         metadata: dict[str, Any] | None = None) -> None:  # fmt: skip
    """Write ``model`` to one file at ``path``, atomically.

    ``metadata`` is any JSON-able dict kept in model.json (the command line stores the
    training settings, the feature names and the final figures there).

    Example:
        >>> import glassnet as gn
        >>> gn.save(gn.Network([gn.Dense(2, 1)], seed=0), "tiny.glassnet")  # doctest: +SKIP
    """
    path = os.fspath(path)
    spec, arrays = _describe(model)
    # What read will check, checked now: no file is written that cannot be loaded again.
    metadata = dict(metadata or {})
    if isinstance(model, Network) and model.feature_names and "features" not in metadata:
        metadata["features"] = list(model.feature_names)  # the DataFrame's column names
    kept = check_metadata(plain(metadata), model.n_inputs)
    for name, array in arrays:
        if not np.all(np.isfinite(array)):
            raise ValueError(f"cannot save the model: {name} holds NaN or infinite values")
    listing = [
        {"name": name, "file": f"arrays/{number}.npy", "shape": list(array.shape),
         "dtype": array.dtype.name}
        for number, (name, array) in enumerate(arrays)
    ]  # fmt: skip
    document = {
        "format": FORMAT,
        "format_version": _version_needed(model),
        "glassnet_version": glassnet_version(),
        **spec,
        "arrays": listing,
        "metadata": kept,
    }
    text = json.dumps(plain(document), indent=2, allow_nan=False)

    def write(temporary: str) -> None:
        with open(temporary, "xb") as handle:
            archive = zipfile.ZipFile(handle, "w")
            try:
                archive.writestr(_member(MODEL_JSON), text)
                for entry, (_, array) in zip(listing, arrays, strict=True):
                    buffer = io.BytesIO()
                    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
                    archive.writestr(_member(entry["file"]), buffer.getvalue())
            except BaseException:
                # A member cut short (a signal inside writestr) leaves the archive unable
                # to close, and closing it would raise in place of the interruption: drop
                # it instead (write_atomically removes the temporary file).
                archive.fp = None
                raise
            archive.close()
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename makes it the model file

    write_atomically(path, write)
