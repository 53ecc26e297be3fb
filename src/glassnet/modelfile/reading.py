"""Reading a model file: every field checked before it is used, nothing in it executed.

The model is rebuilt from names and numbers only. Only a regular file is read; each zip
member is read bounded by the size it declares (and by a limit for its kind); each .npy
header's shape is checked against the architecture before NumPy allocates anything; the
numbers in model.json are range-checked (no integer of more than 40 digits, no float that
overflows, no NaN or Infinity literal, no nesting deeper than the JSON reader allows). A
file that is truncated, tampered with, from a newer format or not a model at all is
refused with a one-line ``ModelFileError`` naming the file and the field.

Example:
    >>> read("model.glassnet").model  # doctest: +SKIP
"""

from __future__ import annotations

import io
import json
import math
import os
import stat
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any, NoReturn

import numpy as np

from glassnet.engine.activations import ACTIVATIONS, Activation, get_activation
from glassnet.engine.initializers import INITIALIZERS
from glassnet.engine.layers import Dense, Dropout, Layer, Standardize
from glassnet.engine.losses import LOSSES
from glassnet.engine.network import Network
from glassnet.engine.perceptron import Perceptron
from glassnet.engine.targets import Targets
from glassnet.engine.validation import check_number
from glassnet.modelfile.format import (
    FORMAT,
    FORMAT_VERSION,
    LABEL_TYPES,
    MAX_ARRAY_ENTRIES,
    MAX_JSON_BYTES,
    MODEL_JSON,
    NPY_HEADER_BYTES,
    ModelFile,
    ModelFileError,
    glassnet_version,
)
from glassnet.modelfile.metadata import check_metadata

__all__ = ["load", "read"]


class _Reader:
    """Reads and checks one model file; every failure names the file and the field."""

    def __init__(self, path: str, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive

    def fail(self, message: str) -> NoReturn:
        raise ModelFileError(f"{self.path}: {message}")

    def member(self, name: str, limit: int) -> bytes:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            self.fail(f"{name} is missing from the archive")
        if info.file_size > limit:
            self.fail(f"{name} is {info.file_size} bytes, more than the {limit} it can be")
        try:
            # At most one byte more than declared is ever decompressed: a member whose
            # header lies about its size (a zip bomb) is caught after limit + 1 bytes.
            with self.archive.open(info) as member:
                data = member.read(min(info.file_size, limit) + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError) as error:  # fmt: skip
            # NotImplementedError: a flipped bit names an unknown compression method or
            # zip version; RuntimeError: it marks the member encrypted.
            self.fail(f"{name} is damaged ({error}); the file may be truncated or altered")
        if len(data) > info.file_size:
            self.fail(f"{name} holds more than the {info.file_size} bytes it declares; "
                      "the file may be altered")  # fmt: skip
        return data

    def get(
        self, mapping: dict[str, Any], key: str, kinds: type | tuple[type, ...], where: str
    ) -> Any:
        if key not in mapping:
            self.fail(f"{where} has no {key!r}")
        value = mapping[key]
        # JSON true/false are Python bools, which are ints too: keep them apart.
        if isinstance(value, bool) and bool not in (
            kinds if isinstance(kinds, tuple) else (kinds,)
        ):
            self.fail(f"{where}: {key!r} must not be true/false, got {value!r}")
        if not isinstance(value, kinds):
            self.fail(f"{where}: {key!r} has the wrong type ({type(value).__name__})")
        return value

    def count(self, mapping: dict[str, Any], key: str, where: str) -> int:
        value = self.get(mapping, key, int, where)
        if not 1 <= value <= MAX_ARRAY_ENTRIES:
            shown = value if abs(value) < 10**20 else "a number of more than 20 digits"
            self.fail(f"{where}: {key!r} must be a whole number in [1, {MAX_ARRAY_ENTRIES}], "
                      f"got {shown}")  # fmt: skip
        return value

    def number(self, mapping: dict[str, Any], key: str, where: str, low: float = 0.0) -> float:
        value = self.get(mapping, key, (int, float), where)
        try:
            return check_number(key, value, low)
        except ValueError as error:
            self.fail(f"{where}: {error}")

    def document(self) -> dict[str, Any]:
        names = self.archive.namelist()
        twice = sorted(name for name, count in Counter(names).items() if count > 1)
        if twice:  # zip readers differ on which copy they read: no copy is trusted
            self.fail(f"{twice[0]} is in the archive twice; the file may be altered")
        if MODEL_JSON not in names:  # a NumPy .npz, a .docx, any zip
            members = ", ".join(self.archive.namelist()[:3]) or "nothing"
            self.fail(f"not a glassnet model file (a zip archive without {MODEL_JSON}; it "
                      f"holds {members}); model files are written by 'glassnet train' or "
                      "glassnet.save")  # fmt: skip
        raw = self.member(MODEL_JSON, MAX_JSON_BYTES)

        def refuse_constant(name: str) -> NoReturn:
            self.fail(f"{MODEL_JSON} holds {name}, which is not a number a model can have")

        def finite(text: str) -> float:
            value = float(text)
            if not math.isfinite(value):
                self.fail(f"{MODEL_JSON} holds {text[:40]}, a number too large for a float")
            return value

        def bounded_integer(text: str) -> int:
            if len(text.lstrip("-")) > 40:  # past any count or label a model has
                self.fail(f"{MODEL_JSON} holds an integer of {len(text)} digits")
            return int(text)

        try:
            document = json.loads(raw.decode("utf-8"), parse_constant=refuse_constant,
                                  parse_float=finite, parse_int=bounded_integer)  # fmt: skip
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            self.fail(f"{MODEL_JSON} is not valid JSON ({error})")
        except RecursionError:
            self.fail(f"{MODEL_JSON} nests its values too deeply to be a model")
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            self.fail(f"not a glassnet model: {MODEL_JSON} does not say format {FORMAT!r}")
        version = self.get(document, "format_version", int, MODEL_JSON)
        if version > FORMAT_VERSION:
            self.fail(
                f"written in model format {version} by glassnet "
                f"{document.get('glassnet_version', '?')}; this glassnet "
                f"({glassnet_version()}) reads format {FORMAT_VERSION} and older: upgrade it"
            )
        if version < 1:
            self.fail(f"format_version must be 1 or more, got {version}")
        self.get(document, "glassnet_version", str, MODEL_JSON)
        self.get(document, "metadata", dict, MODEL_JSON)
        kind = self.get(document, "kind", str, MODEL_JSON)
        if kind not in ("Network", "Perceptron"):
            self.fail(f"unknown model kind {kind!r}; expected 'Network' or 'Perceptron'")
        return document

    def arrays(self, document: dict[str, Any], expected: list[tuple[str, tuple[int, ...]]],
               dtype: np.dtype) -> list[np.ndarray]:  # fmt: skip
        """The arrays model.json lists, checked against the shapes the architecture needs."""
        listing = self.get(document, "arrays", list, MODEL_JSON)
        if len(listing) != len(expected):
            self.fail(f"the architecture needs {len(expected)} arrays, model.json lists "
                      f"{len(listing)}")  # fmt: skip
        total = sum(math.prod(shape) for _, shape in expected)
        if total > MAX_ARRAY_ENTRIES:
            self.fail(f"the architecture declares {total} parameters, more than the "
                      f"{MAX_ARRAY_ENTRIES} a model file may hold")  # fmt: skip
        arrays = []
        for entry, (name, shape) in zip(listing, expected, strict=True):
            if not isinstance(entry, dict):
                self.fail(f"arrays: each entry must be an object, got {entry!r}")
            where = f"array {name}"
            if self.get(entry, "name", str, where) != name:
                self.fail(f"{where}: model.json names it {entry['name']!r}")
            member = self.get(entry, "file", str, where)
            raw = self.member(member, math.prod(shape) * dtype.itemsize + NPY_HEADER_BYTES)
            array = self.npy(raw, member, name, shape)
            if not isinstance(array, np.ndarray) or array.dtype != dtype:
                self.fail(f"{member} ({name}) holds {getattr(array, 'dtype', '?')}, "
                          f"expected {dtype.name}")  # fmt: skip
            if array.shape != shape:
                self.fail(f"{member} ({name}) has shape {array.shape}; the architecture "
                          f"needs {shape}")  # fmt: skip
            if not np.all(np.isfinite(array)):
                self.fail(f"{member} ({name}) holds NaN or infinite values")
            self.listed_as(entry, where, shape, dtype)
            arrays.append(array)
        return arrays

    def listed_as(
        self, entry: dict[str, Any], where: str, shape: tuple[int, ...], dtype: np.dtype
    ) -> None:
        """An entry's "shape" and "dtype" (glassnet writes both) agree with the architecture:
        a file whose model.json says one thing and whose arrays hold another is altered."""
        if "shape" in entry:
            listed = self.get(entry, "shape", list, where)
            if listed != list(shape):
                self.fail(f"{where}: model.json lists shape {listed[:10]}; the architecture "
                          f"needs {list(shape)}")  # fmt: skip
        if "dtype" in entry and self.get(entry, "dtype", str, where) != dtype.name:
            self.fail(f"{where}: model.json lists dtype {entry['dtype']!r}; the model's is "
                      f"{dtype.name!r}")  # fmt: skip

    def npy(self, raw: bytes, member: str, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """The array of a .npy member, its header's shape checked before any data is read."""
        buffer = io.BytesIO(raw)
        try:
            version = np.lib.format.read_magic(buffer)
            read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                           (2, 0): np.lib.format.read_array_header_2_0}.get(version)  # fmt: skip
            if read_header is None:
                raise ValueError(f"unknown .npy version {version}")
            declared, _, _ = read_header(buffer)
            if declared != shape:  # checked before NumPy allocates what the header claims
                self.fail(f"{member} ({name}) declares shape {declared}; the architecture "
                          f"needs {shape}")  # fmt: skip
            buffer.seek(0)
            return np.load(buffer, allow_pickle=False)
        except (ValueError, OSError, EOFError, SyntaxError) as error:
            if isinstance(error, ModelFileError):
                raise
            self.fail(f"{member} ({name}) is not a readable .npy array ({error})")

    def labels(self, mapping: dict[str, Any], where: str) -> np.ndarray | None:
        classes = self.get(mapping, "classes", (list, type(None)), where)
        if classes is None:
            return None
        label_type = self.get(mapping, "label_type", str, where)
        if label_type not in LABEL_TYPES:
            self.fail(f"{where}: unknown label_type {label_type!r}")
        numpy_type, python_types = LABEL_TYPES[label_type]
        for label in classes:
            is_bool = isinstance(label, bool)
            if not isinstance(label, python_types) or (is_bool and label_type != "bool"):
                self.fail(f"{where}: class label {label!r} is not of type {label_type}")
        try:
            labels: np.ndarray = np.array(classes, dtype=numpy_type)
        except OverflowError:
            self.fail(f"{where}: a class label is too large for {label_type} labels")
        if len(labels) < 2 or not np.array_equal(np.unique(labels), labels):
            self.fail(f"{where}: classes must be at least two distinct labels in sorted "
                      f"order, got {classes[:10]}")  # fmt: skip
        return labels

    def activation(self, layer: dict[str, Any], where: str) -> Activation:
        config = self.get(layer, "activation", dict, where)
        if config.get("name") not in ACTIVATIONS:
            self.fail(f"{where}: unknown activation {config.get('name')!r}; expected one of "
                      f"{sorted(ACTIVATIONS)}")  # fmt: skip
        try:
            return get_activation(config)
        except (TypeError, ValueError) as error:
            self.fail(f"{where}: bad activation settings {config} ({error})")

    def network(self, document: dict[str, Any]) -> Network:
        dtype_name = self.get(document, "dtype", str, MODEL_JSON)
        if dtype_name not in ("float32", "float64"):
            self.fail(f"dtype must be 'float32' or 'float64', got {dtype_name!r}")
        loss = self.get(document, "loss", str, MODEL_JSON)
        if loss not in LOSSES:
            self.fail(f"unknown loss {loss!r}; expected one of {sorted(LOSSES)}")
        seed = self.get(document, "seed", (int, type(None)), MODEL_JSON)
        specs = self.get(document, "layers", list, MODEL_JSON)
        if not specs:
            self.fail("the network has no layers")
        arrays = self.arrays(document, self.array_shapes(specs), np.dtype(dtype_name))
        layers = self.layers(specs, iter(arrays))
        try:
            # A file may pair softmax with another loss; that warned when it was built.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                network = Network(layers, loss=loss, seed=seed, dtype=np.dtype(dtype_name))
        except (TypeError, ValueError) as error:
            self.fail(f"the layers do not fit together: {error}")
        targets = self.get(document, "targets", (dict, type(None)), MODEL_JSON)
        if targets is not None:
            network.targets = self.targets(targets, network)
        return network

    def array_shapes(self, specs: list[Any]) -> list[tuple[str, tuple[int, ...]]]:
        """The arrays the layers need, named and shaped, in the order they are stored."""
        expected: list[tuple[str, tuple[int, ...]]] = []
        for index, spec in enumerate(specs, start=1):
            where = f"layer {index}"
            if not isinstance(spec, dict):
                self.fail(f"{where} must be an object, got {spec!r}")
            kind = self.get(spec, "type", str, where)
            if kind == "Dense":
                n_in, n_out = (
                    self.count(spec, "n_inputs", where),
                    self.count(spec, "n_outputs", where),
                )
                expected.append((f"W[{index}]", (n_in, n_out)))
                if self.get(spec, "use_bias", bool, where):
                    expected.append((f"b[{index}]", (n_out,)))
            elif kind == "Standardize":
                width = self.count(spec, "n_inputs", where)
                expected += [(f"mean[{index}]", (width,)), (f"scale[{index}]", (width,))]
            elif kind != "Dropout":
                self.fail(f"{where}: unknown layer type {kind!r}; expected Dense, Dropout "
                          "or Standardize")  # fmt: skip
        return expected

    def layers(self, specs: list[Any], arrays: Iterator[np.ndarray]) -> list[Layer]:
        """The layers the specs describe, taking their arrays in order."""
        layers: list[Layer] = []
        for index, spec in enumerate(specs, start=1):
            where = f"layer {index}"
            try:
                if spec["type"] == "Dense":
                    init = self.get(spec, "init", str, where)
                    if init not in INITIALIZERS:
                        self.fail(f"{where}: unknown init {init!r}")
                    weights = next(arrays)
                    bias = next(arrays) if spec["use_bias"] else None
                    layers.append(Dense(
                        spec["n_inputs"], spec["n_outputs"], self.activation(spec, where),
                        weights=weights, bias=bias, use_bias=spec["use_bias"], init=init,
                        l2=self.number(spec, "l2", where),
                        # files written before L1 existed have no "l1": none then
                        l1=self.number(spec, "l1", where) if "l1" in spec else 0.0,
                    ))  # fmt: skip
                elif spec["type"] == "Standardize":
                    layers.append(Standardize(next(arrays), next(arrays)))
                else:
                    layers.append(Dropout(self.number(spec, "rate", where)))
            except ValueError as error:
                if isinstance(error, ModelFileError):
                    raise
                self.fail(f"{where}: {error}")
        return layers

    def targets(self, spec: dict[str, Any], network: Network) -> Targets:
        where = "targets"
        kind = self.get(spec, "kind", str, where)
        n_outputs = self.count(spec, "n_outputs", where)
        if n_outputs != network.n_outputs:
            self.fail(f"targets: n_outputs is {n_outputs} but the output layer has "
                      f"{network.n_outputs} neurons")  # fmt: skip
        config = {"kind": kind, "classes": self.labels(spec, where), "n_outputs": n_outputs}
        try:
            return Targets.from_config(config, network.loss)
        except ValueError as error:
            self.fail(f"targets: {error}")

    def perceptron(self, document: dict[str, Any]) -> Perceptron:
        where = MODEL_JSON
        n_inputs = self.count(document, "n_inputs", where)
        learning_rate = self.number(document, "learning_rate", where)
        mode = self.get(document, "mode", str, where)
        use_bias = self.get(document, "use_bias", bool, where)
        activation = self.activation(document, where)
        expected: list[tuple[str, tuple[int, ...]]] = [("w", (n_inputs,))]
        expected += [("b", (1,))] if use_bias else []
        arrays = self.arrays(document, expected, np.dtype(np.float64))
        # Files written before the textbook settings lack them: they ran as the defaults
        # below say, in float64.
        settings: dict[str, Any] = {
            key: self.get(document, key, kinds, where) if key in document else default
            for key, kinds, default in (
                ("threshold", (int, float), 0.0), ("step_at_zero", int, 0),
                ("rule", str, "rosenblatt"), ("band", (int, float), 0.0),
                ("arithmetic", str, "float64"), ("l2", (int, float), 0.0),
                ("l1", (int, float), 0.0),
            )
        }  # fmt: skip
        try:
            perceptron = Perceptron(
                n_inputs, learning_rate, weights=arrays[0],
                bias=float(arrays[1][0]) if use_bias else None, mode=mode,
                shuffle=self.get(document, "shuffle", bool, where), activation=activation.config(),
                **settings,
            )  # fmt: skip
        except ValueError as error:
            self.fail(f"bad perceptron settings: {error}")
        perceptron.classes_ = self.labels(document, where)
        if perceptron.classes_ is not None and len(perceptron.classes_) != 2:
            self.fail(f"a perceptron has two classes, the file lists {len(perceptron.classes_)}")
        perceptron.converged = self.get(document, "converged", bool, where)
        perceptron.message = self.get(document, "message", str, where)
        return perceptron

    def metadata(self, metadata: dict[str, Any], n_inputs: int) -> dict[str, Any]:
        """The metadata, its fields that glassnet reads back checked; others are free JSON."""
        try:
            return check_metadata(metadata, n_inputs)
        except ValueError as error:
            self.fail(f"metadata: {error}")


def read(path: str | os.PathLike[str]) -> ModelFile:
    """Load a model file and its metadata, checking everything it reads.

    Example:
        >>> read("model.glassnet").metadata["training"]["epochs"]  # doctest: +SKIP
        200
    """
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode  # through links: a link to /dev/zero is not a file
    except FileNotFoundError:
        if path == "-":  # a zip is read by seeking back and forth: a stream cannot be
            raise ModelFileError(
                "-: a model file is read from a file on disk, not from standard input; "
                "give its path"
            ) from None
        raise ModelFileError(f"{path}: no such file") from None
    except OSError as error:
        raise ModelFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    if stat.S_ISDIR(mode):
        raise ModelFileError(f"{path}: is a folder, not a model file")
    if not stat.S_ISREG(mode):
        raise ModelFileError(f"{path}: not a regular file; a model file is a file on disk")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        with open(path, "rb") as handle:
            zipped = handle.read(4) == b"PK\x03\x04"
        reason = "a damaged or truncated zip archive" if zipped else "not a zip archive"
        raise ModelFileError(
            f"{path}: not a glassnet model file ({reason}); model files are written by "
            "'glassnet train' or glassnet.save"
        ) from None
    with archive:
        reader = _Reader(path, archive)
        document = reader.document()
        if document["kind"] == "Network":
            model: Network | Perceptron = reader.network(document)
        else:
            model = reader.perceptron(document)
        metadata = reader.metadata(document["metadata"], model.n_inputs)
        if isinstance(model, Network) and metadata.get("features"):
            model.feature_names = list(metadata["features"])  # a DataFrame is matched by name
        return ModelFile(model, metadata, document["format_version"],
                         document["glassnet_version"])  # fmt: skip


def load(path: str | os.PathLike[str]) -> Network | Perceptron:
    """The model saved at ``path`` (a ``Network`` or a ``Perceptron``).

    Example:
        >>> net = load("model.glassnet")  # doctest: +SKIP
    """
    return read(path).model
