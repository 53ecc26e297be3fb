"""``glassnet playground``: watch a network learn in the browser, and see the maths of it.

A small JSON server on the standard library's ``http.server``, bound to 127.0.0.1, runs
glassnet's engine for one page of plain HTML, CSS and JavaScript (``playground/static/``).
Sessions live in memory; an uploaded CSV is written to the server's own temporary folder
only for as long as ``load_csv`` reads it. Every request that the server cannot honour is
answered with a 4xx status and a one-line ``{"error": ...}``; nothing a page sends can
stop the server.

The API (all JSON):

    GET  /api/options           the choices and limits the page offers
    POST /api/session           settings -> a new session: the data, the network, figures
    POST /api/step              {session, epochs} -> train that many epochs, new figures
    POST /api/inspect           {session, layer, neuron[, source], split, sample} -> the
                                formula of one neuron or weight with the numbers of the Trace
    POST /api/upload            {filename, text[, target]} -> an uploaded data set's id
    GET  /api/export?session=   the trained model as a glassnet model file

Example:
    >>> server = make_server(port=0)  # doctest: +SKIP
    >>> server.serve_forever()  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import copy
import csv
import json
import math
import os
import shutil
import signal
import tempfile
import threading
import uuid
import warnings
import webbrowser
from collections import OrderedDict
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

import numpy as np

from glassnet import datasets
from glassnet import modelfile as model_io
from glassnet.engine.layers import Dense
from glassnet.engine.network import Network, TrainingDiverged
from glassnet.engine.optimizers import OPTIMIZERS, Optimizer
from glassnet.engine.perceptron import Perceptron

__all__ = ["Playground", "BadRequest", "Settings", "make_server", "serve"]

GATES = ("and", "or", "nand", "nor", "xor")
DATASETS = (*GATES, "moons", "circles", "spirals", "blobs", "sine")
HIDDEN_ACTIVATIONS = ("tanh", "sigmoid", "relu", "leaky_relu", "identity")
LOSSES = ("auto", "binary_crossentropy", "crossentropy", "mse", "half_sse")
MAX_UPLOAD_BYTES = 2_000_000
MAX_POINTS = 2000
MAX_CLASSES = 10
MAX_LAYERS = 6
MAX_NEURONS = 16
MAX_LEARNING_RATE = 10.0
MAX_SESSIONS = 32
MAX_EPOCHS_PER_STEP = 100
PERCEPTRON_EPOCHS = 200
GRID = 40  # the decision regions and neuron maps are sampled on a GRID x GRID lattice
CURVE = 120  # a one-feature network is drawn as a curve through CURVE points
STATIC_FILES = {"/": "index.html", "/app.js": "app.js", "/style.css": "style.css"}
CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}

# warnings.catch_warnings changes process-wide state, so training runs one session at a time.
_TRAINING_LOCK = threading.Lock()


class BadRequest(ValueError):
    """A request the server will not honour: answered with a 4xx status and this message.

    Example:
        >>> error = BadRequest("no such page", HTTPStatus.NOT_FOUND)
        >>> str(error), error.status
        ('no such page', 404)
    """

    def __init__(self, message: str, status: int = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.status = int(status)


# ---------------------------------------------------------------------- settings
def _number(raw: dict, key: str, default: float, low: float, high: float, what: str) -> float:
    value = raw.get(key, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{what} must be a number, got {value!r}") from None
    if not (math.isfinite(number) and low <= number <= high):
        raise BadRequest(f"{what} must be between {low:g} and {high:g}, got {value!r}")
    return number


def _integer(raw: dict, key: str, default: int, low: int, high: int, what: str) -> int:
    number = _number(raw, key, default, low, high, what)
    if number != int(number):
        raise BadRequest(f"{what} must be a whole number, got {raw.get(key)!r}")
    return int(number)


def _choice(raw: dict, key: str, default: str, choices, what: str) -> str:
    value = str(raw.get(key, default)).strip().lower()
    if value not in choices:
        raise BadRequest(f"{what} must be one of {', '.join(choices)}; got {value!r}")
    return value


def _name_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value]
    text = str(value).strip()
    return [part.strip() for part in text.split(",")] if text else []


@dataclass(frozen=True)
class Settings:
    """Everything that defines a run; the page keeps the same keys in its URL.

    Example:
        >>> Settings.parse({"dataset": "xor", "layers": "8,8"}).layers
        (8, 8)
    """

    mode: str = "network"
    dataset: str = "xor"
    points: int = 200
    noise: float = 0.1
    split: float = 0.5
    layers: tuple[int, ...] = (4,)
    activations: tuple[str, ...] = ("tanh",)
    loss: str = "auto"
    optimizer: str = "adam"
    lr: float = 0.03
    batch: int = 10
    l2: float = 0.0
    seed: int = 1
    bias: bool = False
    upload: str = ""

    @classmethod
    def parse(cls, raw: dict) -> Settings:
        """Settings from the page's JSON (strings or numbers), or ``BadRequest``.

        Example:
            >>> Settings.parse({"lr": "1e6"})
            Traceback (most recent call last):
            ...
            glassnet.playground.server.BadRequest: learning rate '1e6' is out of range: ...
        """
        if not isinstance(raw, dict):
            raise BadRequest("settings must be a JSON object")
        default = cls()
        mode = _choice(raw, "mode", default.mode, ("network", "perceptron"), "mode")
        dataset = str(raw.get("dataset", default.dataset)).strip().lower()
        upload = str(raw.get("upload", "")).strip()
        if dataset == "csv":
            if not upload:
                raise BadRequest("the CSV data set needs a file: upload one first")
        elif dataset not in DATASETS:
            raise BadRequest(
                f"dataset must be one of {', '.join(DATASETS)} or csv; got {dataset!r}"
            )
        layers_raw = _name_list(raw.get("layers", ",".join(map(str, default.layers))))
        try:
            layers = tuple(int(part) for part in layers_raw)
        except ValueError:
            raise BadRequest(f"layers must be neuron counts like 8,8; got {layers_raw}") from None
        if len(layers) > MAX_LAYERS or any(not 1 <= n <= MAX_NEURONS for n in layers):
            raise BadRequest(
                f"layers: at most {MAX_LAYERS} hidden layers of 1 to {MAX_NEURONS} neurons; "
                f"got {list(layers)}"
            )
        activations = tuple(
            name.lower() for name in _name_list(raw.get("activations", "tanh")) if name
        ) or ("tanh",)
        if len(activations) == 1:
            activations = activations * len(layers)
        if len(activations) != len(layers):
            raise BadRequest(
                f"activations: give one per hidden layer ({len(layers)}), got {len(activations)}"
            )
        for name in activations:
            if name not in HIDDEN_ACTIVATIONS:
                raise BadRequest(
                    f"activation {name!r} is not offered; choose from "
                    + ", ".join(HIDDEN_ACTIVATIONS)
                )
        points = _integer(raw, "points", default.points, 4, MAX_POINTS, "points")
        return cls(
            mode=mode,
            dataset=dataset,
            points=points,
            noise=_number(raw, "noise", default.noise, 0.0, 2.0, "noise"),
            split=_number(raw, "split", default.split, 0.1, 1.0, "the training share (split)"),
            layers=layers,
            activations=activations,
            loss=_choice(raw, "loss", default.loss, LOSSES, "loss"),
            optimizer=_choice(raw, "optimizer", default.optimizer, tuple(OPTIMIZERS), "optimizer"),
            lr=_learning_rate(raw.get("lr", default.lr)),
            batch=_integer(raw, "batch", default.batch, 0, MAX_POINTS, "batch size (0 = all)"),
            l2=_number(raw, "l2", default.l2, 0.0, 1.0, "L2"),
            seed=_integer(raw, "seed", default.seed, 0, 2**32 - 1, "seed"),
            bias=str(raw.get("bias", default.bias)).lower() in ("true", "1", "yes", "on"),
            upload=upload if dataset == "csv" else "",
        )


def _learning_rate(value) -> float:
    try:
        rate = float(value)
    except (TypeError, ValueError):
        raise BadRequest(f"learning rate must be a number, got {value!r}") from None
    if not (math.isfinite(rate) and 0 < rate <= MAX_LEARNING_RATE):
        raise BadRequest(
            f"learning rate {value!r} is out of range: use a number above 0 and at most "
            f"{MAX_LEARNING_RATE:g} (0.001 to 1 usually works)"
        )
    return rate


# ---------------------------------------------------------------------- data
@dataclass
class Data:
    """A data set split for training and testing, with what the page needs to draw it.

    ``y`` holds class indices 0..k-1 for a classification task and values for regression.
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    task: str  # "classification" or "regression"
    classes: list[str]
    feature_names: list[str]
    target_name: str

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]

    def bounds(self) -> list[list[float]]:
        """[[low, high], ...] per feature (and the target for one feature), with a margin."""
        X = np.vstack([self.X_train, self.X_test])
        columns = [X[:, i] for i in range(self.n_features)]
        if self.n_features == 1:
            columns.append(np.concatenate([self.y_train, self.y_test]))
        result = []
        for column in columns:
            low, high = float(column.min()), float(column.max())
            margin = max(0.1 * (high - low), 0.25)
            result.append([low - margin, high + margin])
        return result

    def to_json(self) -> dict:
        return {
            "task": self.task,
            "classes": self.classes,
            "features": self.feature_names,
            "target": self.target_name,
            "bounds": self.bounds(),
            "grid": GRID if self.n_features == 2 else CURVE,
            "train": {"x": self.X_train.tolist(), "y": self.y_train.tolist()},
            "test": {"x": self.X_test.tolist(), "y": self.y_test.tolist()},
        }


def _labels(y: np.ndarray, what: str) -> tuple[np.ndarray, list[str]]:
    """Class indices 0..k-1 and the class names, or ``BadRequest`` for one class only."""
    classes, indices = np.unique(y, return_inverse=True)
    names = [str(c) for c in classes.tolist()]
    if len(classes) < 2:
        raise BadRequest(
            f"{what} holds a single class ({names[0]}); a classifier needs at least two"
        )
    if len(classes) > MAX_CLASSES:
        raise BadRequest(
            f"{what} has {len(classes)} classes; the playground draws at most {MAX_CLASSES}"
        )
    return indices.astype(np.int64), names


def generate(settings: Settings, uploads: dict) -> Data:
    """The data set the settings name, drawn with the settings' seed and split by it.

    Example:
        >>> generate(Settings(dataset="xor", points=8, split=0.5), {}).X_train.shape
        (4, 2)
    """
    name, n, noise, seed = settings.dataset, settings.points, settings.noise, settings.seed
    rng = np.random.default_rng(seed)
    features, target = ["x1", "x2"], "class"
    if name in GATES:
        corners, truth = datasets.logic_gate(name)
        rows = np.arange(n) % 4
        X = corners[rows] + rng.normal(scale=noise, size=(n, 2))
        y, classes = _labels(truth[rows].astype(np.int64), f"the {name.upper()} gate")
    elif name == "sine":
        X, y = datasets.make_sine(n, noise, seed=seed)
        features, target, classes = ["x"], "y", []
    elif name == "csv":
        if settings.upload not in uploads:
            raise BadRequest(
                "the uploaded CSV is no longer on the server (it restarted or the link is "
                "from another machine): upload the file again",
                HTTPStatus.NOT_FOUND,
            )
        upload = uploads[settings.upload]
        X, y, classes = upload["X"], upload["y"], upload["classes"]
        features, target = upload["features"], upload["target"]
    else:
        maker = {
            "moons": lambda: datasets.make_moons(n, noise, seed=seed),
            "circles": lambda: datasets.make_circles(n, noise, seed=seed),
            "spirals": lambda: datasets.make_spirals(n, noise, seed=seed),
            "blobs": lambda: datasets.make_blobs(n, centers=3, spread=noise, seed=seed),
        }[name]
        X, y = maker()
        y, classes = _labels(y, f"the {name} data set")
    order = rng.permutation(len(X))
    n_train = len(X) if settings.split >= 1 else int(round(len(X) * settings.split))
    if not 1 <= n_train <= len(X) or (settings.split < 1 and n_train == len(X)):
        raise BadRequest(
            f"a training share of {settings.split:g} of {len(X)} points leaves one side empty"
        )
    train, test = order[:n_train], order[n_train:]
    task = "classification" if classes else "regression"
    return Data(X[train], y[train], X[test], y[test], task, classes, features, target)


# ---------------------------------------------------------------------- models
def _output(settings: Settings, data: Data) -> tuple[str, int, str]:
    """(loss, output neurons, output activation) for the task and the chosen loss."""
    k = len(data.classes)
    loss = settings.loss
    if data.task == "regression":
        if loss == "auto":
            loss = "mse"
        if loss not in ("mse", "half_sse"):
            raise BadRequest(f"{loss} is a classification loss; a regression target takes mse")
        return loss, 1, "identity"
    if loss == "auto":
        loss = "binary_crossentropy" if k == 2 else "crossentropy"
    if loss == "crossentropy":
        return loss, k, "softmax"
    if k > 2:
        raise BadRequest(f"{k} classes need the crossentropy loss (softmax output), not {loss}")
    return loss, 1, "sigmoid"


def build_network(settings: Settings, data: Data) -> Network:
    """The network the settings describe, for the data's inputs and task.

    Example:
        >>> data = generate(Settings(), {})
        >>> [layer.n_outputs for layer in build_network(Settings(), data).layers]
        [4, 1]
    """
    loss, n_outputs, output_activation = _output(settings, data)
    widths = [data.n_features, *settings.layers]
    layers = [
        Dense(n_in, n_out, activation, l2=settings.l2)
        for n_in, n_out, activation in zip(widths, widths[1:], settings.activations, strict=False)
    ]
    layers.append(Dense(widths[-1], n_outputs, output_activation, l2=settings.l2))
    return Network(layers, loss=loss, seed=settings.seed)


def _encode(unit: np.ndarray) -> str:
    """Values in [0, 1] as base64 bytes 0..255: a 40 x 40 map travels in 2 kB."""
    scaled = np.nan_to_num(np.round(unit * 255), nan=0.0, posinf=255.0, neginf=0.0)
    return _bytes(np.clip(scaled, 0, 255))


def _bytes(values: np.ndarray) -> str:
    """Small non-negative integers (below 256) as base64 bytes."""
    return base64.b64encode(values.astype(np.uint8).tobytes()).decode()


def _grid(bounds: list[list[float]], n_features: int) -> np.ndarray:
    if n_features == 1:
        return np.linspace(*bounds[0], CURVE).reshape(-1, 1)
    xs = np.linspace(*bounds[0], GRID)
    ys = np.linspace(*bounds[1], GRID)[::-1]  # row 0 of an image is the top
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def _class_map(output: np.ndarray) -> dict:
    """Each grid point's predicted class and its confidence scaled to [0, 1]."""
    if output.shape[1] == 1:
        p = output[:, 0]
        label, confidence = (p > 0.5).astype(int), np.abs(p - 0.5) * 2
    else:
        k = output.shape[1]
        label = np.argmax(output, axis=1)
        confidence = (output.max(axis=1) - 1 / k) / (1 - 1 / k)
    return {"label": _bytes(label), "confidence": _encode(confidence)}


def _unit_range(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    low, high = float(values.min()), float(values.max())
    spread = high - low if high - low > 1e-12 else 1.0
    return (values - low) / spread, low, high


# Bounded activations keep their own scale on the maps, so a saturated neuron looks
# saturated; the others are stretched from their lowest to their highest value.
ACTIVATION_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0)}


def _neuron_maps(layer: Dense, outputs: np.ndarray) -> list[dict]:
    """Each neuron's output over the grid as a map of values in [0, 1], and its range."""
    maps = []
    for column in np.nan_to_num(outputs.T, nan=0.0, posinf=1e300, neginf=-1e300):
        low, high = ACTIVATION_RANGES.get(
            layer.activation.name, (float(column.min()), float(column.max()))
        )
        spread = high - low if high - low > 1e-12 else 1.0
        maps.append({"map": _encode((column - low) / spread), "low": low, "high": high})
    return maps


@dataclass
class Session:
    """One run: its settings, data and model, and what the page has been shown."""

    settings: Settings
    data: Data
    network: Network | None = None
    optimizer: Optimizer | None = None
    perceptron: Perceptron | None = None
    epoch: int = 0
    previous: list[np.ndarray] = field(default_factory=list)
    message: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    grid: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))

    @classmethod
    def create(cls, settings: Settings, uploads: dict) -> Session:
        data = generate(settings, uploads)
        session = cls(settings, data, grid=_grid(data.bounds(), data.n_features))
        if settings.mode == "perceptron":
            if data.task != "classification" or len(data.classes) != 2 or data.n_features != 2:
                raise BadRequest("the perceptron separates two classes of two-feature points")
            # numpy's legacy randn with the seed: seed 42 gives tutorial 002's start.
            start = np.random.RandomState(settings.seed).randn(2)
            session.perceptron = Perceptron(
                2, learning_rate=settings.lr, weights=start, bias=0.0 if settings.bias else None
            )
            session.perceptron.fit(data.X_train, data.y_train, max_epochs=PERCEPTRON_EPOCHS)
        else:
            session.network = build_network(settings, data)
            session.optimizer = OPTIMIZERS[settings.optimizer](settings.lr)
            session.previous = session.network.get_weights()
        return session

    # ------------------------------------------------------------------ training
    def step(self, epochs: int) -> None:
        if self.perceptron is not None:
            self.epoch = min(self.epoch + epochs, len(self.perceptron.epochs_))
            return
        if self.message:
            return
        network, data = self.network, self.data
        batch = self.settings.batch or None
        self.previous = network.get_weights()
        with _TRAINING_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore", TrainingDiverged)
            # One fit per frame: diagnostics of a single epoch would say nothing.
            network.fit(data.X_train, data.y_train, epochs=epochs, batch_size=batch,
                        optimizer=self.optimizer, metrics=[], diagnostics=False)  # fmt: skip
        if network.stop_reason:
            self.message = network.stop_reason
        else:
            self.epoch += epochs

    # ------------------------------------------------------------------ figures
    def figures(self, X: np.ndarray, y: np.ndarray) -> dict:
        """Loss and accuracy (classification) on one side of the split."""
        if len(X) == 0:
            return {"loss": None, "accuracy": None}
        if self.perceptron is not None:
            weights, bias = self._perceptron_now()
            errors = y - ((X @ weights + bias) > 0)
            # The perceptron's loss is the RMSE of the errors, as tutorial 002 prints it.
            return {"loss": float(np.sqrt(np.mean(errors**2))),
                    "accuracy": float(np.mean(errors == 0))}  # fmt: skip
        classification = self.data.task == "classification"
        with np.errstate(all="ignore"):
            figures = self.network.evaluate(X, y, metrics=["accuracy"] if classification else [])
        loss = figures["loss"]
        return {"loss": float(loss) if math.isfinite(loss) else None,
                "accuracy": figures.get("accuracy")}  # fmt: skip

    def state(self) -> dict:
        """What the page draws after each step: figures, regions, weights, neuron maps."""
        data = self.data
        result: dict[str, Any] = {
            "epoch": self.epoch,
            "message": self.message,
            "train": self.figures(data.X_train, data.y_train),
            "test": self.figures(data.X_test, data.y_test),
        }
        grid = self.grid
        if self.perceptron is not None:
            weights, bias = self._perceptron_now()
            result["regions"] = _class_map((grid @ weights + bias > 0).reshape(-1, 1) * 1.0)
            result["perceptron"] = self._perceptron_table()
            return result
        network = self.network
        outputs, neurons = grid, []
        with np.errstate(all="ignore"):  # a run on its way to diverging may overflow here
            for layer in network.dense_layers:
                outputs = layer.forward(outputs)
                neurons.append(_neuron_maps(layer, outputs))
        # Huge but finite weights can still send a grid point to infinity; JSON has no inf.
        outputs = np.nan_to_num(outputs, nan=0.0, posinf=1e300, neginf=-1e300)
        if data.task == "classification" and data.n_features == 2:
            result["regions"] = _class_map(outputs)
        elif data.n_features == 2:
            unit, low, high = _unit_range(outputs[:, 0])
            result["regions"] = {"value": _encode(unit), "low": low, "high": high}
        else:
            result["curve"] = outputs[:, 0].tolist()
        result["neurons"] = neurons
        result["weights"] = [layer.weights.tolist() for layer in network.dense_layers]
        result["biases"] = [layer.bias.tolist() for layer in network.dense_layers]
        return result

    def _perceptron_now(self) -> tuple[np.ndarray, float]:
        """The weights and bias after the last epoch shown (the replay's current frame)."""
        if self.epoch == 0:
            start = np.random.RandomState(self.settings.seed).randn(2)
            return start, 0.0
        record = self.perceptron.epochs_[self.epoch - 1]
        return record.weights, record.bias or 0.0

    def model_on_screen(self) -> Network | Perceptron:
        """The network, or a perceptron holding the weights of the epoch on screen."""
        if self.perceptron is None:
            return self.network
        model = copy.deepcopy(self.perceptron)
        weights, bias = self._perceptron_now()
        model.weights = np.array(weights)
        model.bias = bias if self.settings.bias else None
        return model

    def _perceptron_table(self) -> dict:
        perceptron = self.perceptron
        weights, bias = self._perceptron_now()
        done = self.epoch == len(perceptron.epochs_)
        table = [
            {
                "epoch": r.epoch,
                "weights": r.weights.tolist(),
                "bias": r.bias,
                "errors": r.errors,
                "rmse": r.rmse,
            }
            for r in perceptron.epochs_[: self.epoch]
        ]
        return {
            "weights": weights.tolist(),
            "bias": bias if self.settings.bias else None,
            "table": table,
            "done": done,
            "message": perceptron.message if done else "",
        }

    # ------------------------------------------------------------------ inspection
    def sample(self, split: str, index) -> tuple[np.ndarray, np.ndarray]:
        """Row ``index`` of the training or test set, as a batch of one."""
        if split not in ("train", "test"):
            raise BadRequest(f"split must be train or test, got {split!r}")
        data = self.data
        X, y = (data.X_train, data.y_train) if split == "train" else (data.X_test, data.y_test)
        if len(X) == 0:
            raise BadRequest(
                f"the {split} set is empty: with a training share of 1 every point trains"
            )
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(X):
            raise BadRequest(f"sample must be a row of the {split} set: 0 to {len(X) - 1}")
        return X[index : index + 1], y[index : index + 1]

    def inspect(self, layer: int, neuron: int, source: int | None, x, y) -> dict:
        """The formula of neuron ``neuron`` of layer ``layer`` (or of its weight from
        ``source``) for one sample, with the numbers of ``Network.trace``."""
        if self.perceptron is not None:
            return self._inspect_perceptron(x, y)
        network = self.network
        depth = len(network.dense_layers)
        if isinstance(layer, bool) or not isinstance(layer, int) or not 1 <= layer <= depth:
            raise BadRequest(f"layer must be 1 to {depth}, got {layer!r}")
        dense = network.dense_layers[layer - 1]
        if not isinstance(neuron, int) or not 0 <= neuron < dense.n_outputs:
            raise BadRequest(f"layer {layer} has neurons 0 to {dense.n_outputs - 1}")
        if source is not None and (not isinstance(source, int) or not 0 <= source < dense.n_inputs):
            raise BadRequest(f"layer {layer} has inputs 0 to {dense.n_inputs - 1}")
        with np.errstate(all="ignore"):
            trace = network.copy().trace(x, y, learning_rate=self.settings.lr)
        return _formula(trace, network, layer, neuron, source, self.previous, self.settings)

    def _inspect_perceptron(self, x, y) -> dict:
        w, bias = self._perceptron_now()
        b = bias if self.settings.bias else None
        z = float(x[0] @ w + bias)
        prediction = 1 if z > 0 else 0
        error = int(y[0]) - prediction
        alpha = self.settings.lr
        bias_text = f" + {b:.8g}" if b is not None else ""
        lines = [
            f"z = w1*x1 + w2*x2{' + b' if b is not None else ''}",
            f"  = {w[0]:.8g}*{x[0, 0]:.8g} + {w[1]:.8g}*{x[0, 1]:.8g}{bias_text} = {z:.6g}",
            f"prediction = step(z) = {prediction}   (step(z) = 1 if z > 0, else 0)",
            f"e = y - prediction = {int(y[0])} - {prediction} = {error}",
            f"correction = alpha * e * x = {alpha:g} * {error} * [{x[0, 0]:.8g}, {x[0, 1]:.8g}]"
            f" = [{alpha * error * x[0, 0]:.8g}, {alpha * error * x[0, 1]:.8g}]",
            "batch rule: w <- w + alpha * X^T e (the corrections of all samples, summed)",
        ]
        return {"title": "the perceptron", "lines": lines}


def _formula(trace, network: Network, layer: int, neuron: int, source: int | None,
             previous: list[np.ndarray], settings: Settings) -> dict:  # fmt: skip
    """Lines of the formula panel, each quantity named as the trace names it.

    Neuron j of layer l is written with a subscript: z[l]_j is column j of the trace's
    z[l]; W[l]_ij is the weight from input i to neuron j (rows and columns from 1).
    """
    depth = len(network.dense_layers)
    dense = network.dense_layers[layer - 1]
    i, j = source, neuron

    def tag(symbol: str) -> str:
        return symbol if depth == 1 else f"{symbol}[{layer}]"

    def num(value) -> str:
        text = f"{float(value):.6g}"
        return f"({text})" if text.startswith("-") else text

    def plain(value) -> str:
        return f"{float(value):.6g}"

    inputs = trace["x"] if layer == 1 else trace[f"a[{layer - 1}]"]
    x_name = "x" if layer == 1 else f"a[{layer - 1}]"
    W, b = dense.weights, dense.bias
    # The playground's layers all have a bias, so W[l] and b[l] alternate in the parameters.
    W_before, b_before = previous[2 * (layer - 1)], previous[2 * (layer - 1) + 1]
    z_name, a_name, delta_name = tag("z") + f"_{j + 1}", tag("a") + f"_{j + 1}", tag("delta")
    delta = trace[tag("delta")][0, j]
    grad_W = trace[tag("dE/dW")][:, j]
    role = "output" if layer == depth else "hidden"
    name = f"neuron {j + 1} of layer {layer} ({role})"
    update = f"last update ({settings.optimizer}, over the last step)"
    if i is not None:
        w_name = tag("W") + f"_{i + 1}{j + 1}"
        g = grad_W[i]
        l2 = f" + l2 * {w_name}" if dense.l2 else ""
        l2_numbers = f" + {dense.l2:g} * {num(W[i, j])}" if dense.l2 else ""
        lines = [
            f"{w_name} = {plain(W[i, j])}   (from {x_name}_{i + 1} to {name})",
            f"dE/d{w_name} = {x_name}_{i + 1} * {delta_name}_{j + 1}{l2}",
            f"  = {num(inputs[0, i])} * {num(delta)}{l2_numbers} = {plain(g)}",
            f"gradient step: {w_name} - learning_rate * dE/d{w_name}",
            f"  = {num(W[i, j])} - {settings.lr:g} * {num(g)} = {plain(W[i, j] - settings.lr * g)}",
            f"{update}: {plain(W_before[i, j])} -> {plain(W[i, j])}"
            f"  (change {plain(W[i, j] - W_before[i, j])})",
        ]
        return {"title": f"weight {w_name} into {name}", "lines": lines}
    activation = dense.activation
    terms = " + ".join(f"{num(W[k, j])}*{num(inputs[0, k])}" for k in range(dense.n_inputs))
    lines = [
        f"{z_name} = sum over i of {tag('W')}_i{j + 1} * {x_name}_i + {tag('b')}_{j + 1}",
        f"  = {terms} + {num(b[j])}",
        f"  = {plain(trace[tag('z')][0, j])}",
        f"{a_name} = {activation.formula.removeprefix('a = ')} = {plain(trace[tag('a')][0, j])}"
        f"   ({activation.name})",
    ]
    if layer == depth and network.loss.pairs_with(activation):
        a = trace[tag("a")][0, j]
        y = round(float(a - delta), 12)  # the paired delta is a - y on one sample
        lines += [
            f"{delta_name}_{j + 1} = {a_name} - y  ({activation.name} with {network.loss.name})",
            f"  = {num(a)} - {num(y)} = {plain(delta)}",
        ]
    else:
        dE_da = trace[tag("dE/da")][0, j]
        da_dz = trace[tag("da/dz")][0, j]
        source_text = (
            network.loss.gradient_formula.removeprefix("dE/da = ")
            if layer == depth
            else f"(delta[{layer + 1}] @ W[{layer + 1}]^T)_{j + 1}"
        )
        lines += [
            f"dE/d{a_name} = {source_text} = {plain(dE_da)}",
            f"d{a_name}/d{z_name} = {activation.derivative_formula.removeprefix('da/dz = ')}"
            f" = {plain(da_dz)}",
            f"{delta_name}_{j + 1} = dE/d{a_name} * d{a_name}/d{z_name}"
            f" = {num(dE_da)} * {num(da_dz)} = {plain(delta)}",
        ]
    gradients = ", ".join(plain(g) for g in grad_W)
    l2 = f" + l2 * {tag('W')}_i{j + 1}" if dense.l2 else ""
    lines += [
        f"dE/d{tag('W')}_i{j + 1} = {x_name}_i * {delta_name}_{j + 1}{l2} = [{gradients}]",
        f"dE/d{tag('b')}_{j + 1} = {delta_name}_{j + 1} = {plain(trace[tag('dE/db')][j])}",
        f"{update}: {tag('W')}_i{j + 1} by "
        f"[{', '.join(plain(c) for c in W[:, j] - W_before[:, j])}], "
        f"{tag('b')}_{j + 1} by {plain(b[j] - b_before[j])}",
        f"E for this sample ({network.loss.name}) = {plain(trace.loss_before)}",
    ]
    return {"title": name, "lines": lines}


# ---------------------------------------------------------------------- the application
def _read_static() -> dict[str, tuple[str, bytes]]:
    """The page's three files, read once from the package: requests never name a path."""
    folder = resources.files("glassnet.playground") / "static"
    pages = {}
    for route, name in STATIC_FILES.items():
        content_type = CONTENT_TYPES[os.path.splitext(name)[1]] + "; charset=utf-8"
        pages[route] = (content_type, (folder / name).read_bytes())
    return pages


def _target_of(header_line: str, target: str | None) -> str:
    names = next(csv.reader([header_line]), [])
    names = [name.strip() for name in names]
    if target:
        return target
    if not names or not names[-1]:
        raise BadRequest("the CSV's first row must name its columns, the target last")
    return names[-1]


class Playground:
    """The application without HTTP: sessions, uploads and a private temporary folder.

    ``handle(method, path, body)`` returns (status, content type, bytes, extra headers);
    ``close()`` deletes the temporary folder.

    Example:
        >>> app = Playground()
        >>> app.handle("GET", "/api/options", b"")[0]
        200
        >>> app.close()
    """

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="glassnet-playground-")
        self.static = _read_static()
        self.sessions: OrderedDict[str, Session] = OrderedDict()
        self.uploads: OrderedDict[str, dict] = OrderedDict()
        self.lock = threading.Lock()

    def close(self) -> None:
        """Delete the temporary folder (uploads are held in memory, not there).

        Example:
            >>> app = Playground(); app.close()
            >>> os.path.exists(app.folder)
            False
        """
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ dispatch
    def handle(self, method: str, target: str, body: bytes) -> tuple[int, str, bytes, dict]:
        """Answer one request; every failure becomes a 4xx (or 500) JSON message.

        Example:
            >>> app = Playground()
            >>> app.handle("GET", "/api/nothing", b"")
            (404, 'application/json', b'{"error": "no such page or endpoint: /api/nothing"}', {})
            >>> app.close()
        """
        url = urlsplit(target)
        routes = {
            ("GET", "/api/options"): lambda: self.options(),
            ("POST", "/api/session"): lambda: self.create(self._json(body)),
            ("POST", "/api/step"): lambda: self.step(self._json(body)),
            ("POST", "/api/inspect"): lambda: self.inspect(self._json(body)),
            ("POST", "/api/upload"): lambda: self.upload(self._json(body)),
        }
        try:
            if method == "GET" and url.path in self.static:
                content_type, content = self.static[url.path]
                return 200, content_type, content, {}
            if method == "GET" and url.path == "/favicon.ico":
                return 204, "image/x-icon", b"", {}
            if method == "GET" and url.path == "/api/export":
                return self.export(parse_qs(url.query).get("session", [""])[0])
            if (method, url.path) not in routes:
                known = any(path == url.path for _, path in routes)
                if known or url.path == "/api/export" or url.path in self.static:
                    raise BadRequest(f"{method} is not allowed on {url.path}",
                                     HTTPStatus.METHOD_NOT_ALLOWED)  # fmt: skip
                raise BadRequest(f"no such page or endpoint: {url.path}", HTTPStatus.NOT_FOUND)
            return self._reply(200, routes[method, url.path]())
        except BadRequest as error:
            return self._reply(error.status, {"error": str(error)})
        except ValueError as error:
            # The engine's own messages are written for people: pass them on as they are.
            return self._reply(400, {"error": str(error)})
        except Exception as error:  # the server answers and keeps serving, whatever happened
            return self._reply(500, {"error": f"internal error: {type(error).__name__}: {error}"})

    @staticmethod
    def _reply(status: int, payload: dict) -> tuple[int, str, bytes, dict]:
        content = json.dumps(payload, allow_nan=False).encode()
        return status, "application/json", content, {}

    @staticmethod
    def _json(body: bytes) -> dict:
        try:
            payload = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BadRequest(f"the request body is not JSON ({error})") from None
        if not isinstance(payload, dict):
            raise BadRequest("the request body must be a JSON object")
        return payload

    def _session(self, payload: dict) -> Session:
        key = str(payload.get("session", ""))
        with self.lock:
            if key not in self.sessions:
                raise BadRequest(
                    "unknown or expired session: press Reset to start a new one",
                    HTTPStatus.NOT_FOUND,
                )
            self.sessions.move_to_end(key)
            return self.sessions[key]

    @staticmethod
    def _keep(store: OrderedDict, key: str, value) -> None:
        store[key] = value
        while len(store) > MAX_SESSIONS:  # the oldest go first: memory stays bounded
            store.popitem(last=False)

    # ------------------------------------------------------------------ endpoints
    def options(self) -> dict:
        """The choices and limits the page offers (``GET /api/options``).

        Example:
            >>> app = Playground()
            >>> app.options()["datasets"][:5], app.options()["limits"]["epochs_per_step"]
            (['and', 'or', 'nand', 'nor', 'xor'], 100)
            >>> app.close()
        """
        return {
            "datasets": list(DATASETS),
            "activations": list(HIDDEN_ACTIVATIONS),
            "losses": list(LOSSES),
            "optimizers": list(OPTIMIZERS),
            "defaults": {
                **Settings().__dict__,
                "layers": ",".join(map(str, Settings().layers)),
                "activations": ",".join(Settings().activations),
            },
            "limits": {
                "points": MAX_POINTS,
                "layers": MAX_LAYERS,
                "neurons": MAX_NEURONS,
                "learning_rate": MAX_LEARNING_RATE,
                "upload_bytes": MAX_UPLOAD_BYTES,
                "epochs_per_step": MAX_EPOCHS_PER_STEP,
            },
        }

    def create(self, payload: dict) -> dict:
        """A new session from the page's settings (``POST /api/session``).

        Example:
            >>> app = Playground()
            >>> state = app.create({"dataset": "xor", "seed": 0})
            >>> state["epoch"], sorted(state)[:4]
            (0, ['biases', 'data', 'epoch', 'message'])
            >>> app.close()
        """
        settings = Settings.parse(payload)
        with self.lock:
            session = Session.create(settings, self.uploads)
            key = uuid.uuid4().hex
            self._keep(self.sessions, key, session)
        with session.lock:
            return {"session": key, "data": session.data.to_json(), **session.state()}

    def step(self, payload: dict) -> dict:
        """Train the session ``epochs`` more epochs and return its new state (``POST /api/step``).

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> app.step({"session": key, "epochs": 5})["epoch"]
            5
            >>> app.close()
        """
        session = self._session(payload)
        epochs = payload.get("epochs", 1)
        if (
            isinstance(epochs, bool)
            or not isinstance(epochs, int)
            or not 1 <= epochs <= MAX_EPOCHS_PER_STEP
        ):
            raise BadRequest(f"epochs must be a whole number from 1 to {MAX_EPOCHS_PER_STEP}")
        with session.lock:
            session.step(epochs)
            return session.state()

    def inspect(self, payload: dict) -> dict:
        """One neuron's or weight's formulas with the numbers of a sample's trace
        (``POST /api/inspect``).

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> app.inspect({"session": key, "layer": 1, "neuron": 0})["title"]
            'neuron 1 of layer 1 (hidden)'
            >>> app.close()
        """
        session = self._session(payload)
        with session.lock:
            x, y = session.sample(str(payload.get("split", "train")), payload.get("sample", 0))
            return session.inspect(
                payload.get("layer", 1), payload.get("neuron", 0), payload.get("source"), x, y
            )

    def upload(self, payload: dict) -> dict:
        """Read an uploaded CSV (two features and a target) and keep it (``POST /api/upload``).

        Example:
            >>> app = Playground()
            >>> text = "x1,x2,label\\n0,0,a\\n0,1,b\\n1,0,b\\n1,1,a\\n"
            >>> answer = app.upload({"filename": "gate.csv", "text": text})
            >>> answer["rows"], answer["task"], answer["classes"]
            (4, 'classification', ['a', 'b'])
            >>> app.close()
        """
        filename = os.path.basename(str(payload.get("filename") or "upload.csv"))
        text = payload.get("text")
        if not isinstance(text, str):
            raise BadRequest("upload: 'text' must hold the CSV file's content")
        size = len(text.encode("utf-8"))
        if size > MAX_UPLOAD_BYTES:
            raise BadRequest(
                f"{filename} is {size / 1e6:.1f} MB; the playground takes CSV files up to "
                f"{MAX_UPLOAD_BYTES / 1e6:.0f} MB (two features and a target need far less)",
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            )
        lines = text.lstrip("\ufeff").splitlines()
        if not lines or not lines[0].strip():
            raise BadRequest(f"{filename}: the file is empty; expected a header row and data rows")
        target = _target_of(lines[0], str(payload.get("target") or "").strip() or None)
        path = os.path.join(self.folder, f"{uuid.uuid4().hex}.csv")
        try:
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            loaded = datasets.load_csv(path, target=target)
        except datasets.DataError as error:
            raise BadRequest(str(error).replace(path, filename)) from None
        finally:
            if os.path.exists(path):
                os.remove(path)
        X, y = loaded.X, loaded.y
        if X.shape[1] != 2:
            raise BadRequest(
                f"{filename}: the playground needs exactly two feature columns besides the "
                f"target {target!r}; found {X.shape[1]}: {loaded.feature_names}"
            )
        if len(X) > MAX_POINTS * 5:
            raise BadRequest(f"{filename}: {len(X)} rows; the playground takes up to "
                             f"{MAX_POINTS * 5}")  # fmt: skip
        whole = y.dtype.kind in "iU" or (y.dtype.kind == "f" and np.all(y == np.round(y)))
        if y.dtype.kind == "U" or (whole and len(np.unique(y)) <= MAX_CLASSES):
            y, classes = _labels(y, f"{filename}: the target column {target!r}")
        else:
            y, classes = y.astype(np.float64), []
        key = uuid.uuid4().hex
        with self.lock:
            self._keep(
                self.uploads,
                key,
                {
                    "X": X,
                    "y": y,
                    "classes": classes,
                    "features": loaded.feature_names,
                    "target": target,
                },  # fmt: skip
            )
        return {
            "upload": key,
            "filename": filename,
            "rows": len(X),
            "features": loaded.feature_names,
            "target": target,
            "task": "classification" if classes else "regression",
            "classes": classes,
        }

    def export(self, key: str) -> tuple[int, str, bytes, dict]:
        """The session's model as a glassnet model file (``glassnet.load`` reads it back).

        Example:
            >>> app = Playground()
            >>> key = app.create({"dataset": "xor", "seed": 0})["session"]
            >>> status, content_type, content, headers = app.export(key)
            >>> status, headers["Content-Disposition"]
            (200, 'attachment; filename="playground-xor-epoch0.glassnet"')
            >>> app.close()
        """
        session = self._session({"session": key})
        path = os.path.join(self.folder, f"{uuid.uuid4().hex}.glassnet")
        with session.lock:
            model = session.model_on_screen()
            metadata = {
                "source": "glassnet playground",
                "settings": {**session.settings.__dict__},
                "features": session.data.feature_names,
                "target": session.data.target_name,
                "classes": session.data.classes,
                "epoch": session.epoch,
                "figures": {"train": session.figures(session.data.X_train, session.data.y_train),
                            "test": session.figures(session.data.X_test, session.data.y_test)},
            }  # fmt: skip
            try:
                model_io.save(model, path, metadata=metadata)
                with open(path, "rb") as handle:
                    content = handle.read()
            finally:
                if os.path.exists(path):
                    os.remove(path)
        name = f"playground-{session.settings.dataset}-epoch{session.epoch}.glassnet"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return 200, "application/octet-stream", content, headers


# ---------------------------------------------------------------------- HTTP
class _Handler(BaseHTTPRequestHandler):
    """Reads one request, lets the ``Playground`` answer it, writes the answer."""

    server: _Server
    protocol_version = "HTTP/1.1"
    # One buffered write per answer, sent at once: a body sent after the headers in a second
    # small write would wait for a delayed ACK (Nagle's algorithm), 40 ms per frame.
    disable_nagle_algorithm = True
    wbufsize = -1

    def _answer(self, method: str) -> None:
        address = self.headers.get("Host") or ""
        host = address.rsplit(":", 1)[0]
        origin = self.headers.get("Origin")
        length = self.headers.get("Content-Length") or "0"
        if host not in ("127.0.0.1", "localhost"):
            # A page on another site cannot reach the playground through a renamed host...
            self.close_connection = True
            result = Playground._reply(403, {"error": f"host {host!r} is not served"})
        elif origin is not None and origin != f"http://{address}":
            # ...nor post to it from its own address.
            self.close_connection = True
            result = Playground._reply(403, {"error": f"requests from {origin} are refused"})
        elif not length.isdigit() or int(length) > MAX_UPLOAD_BYTES * 2:
            self.close_connection = True
            result = Playground._reply(
                413, {"error": f"the request is larger than {MAX_UPLOAD_BYTES * 2 / 1e6:.0f} MB"}
            )
        else:
            body = self.rfile.read(int(length))
            result = self.server.app.handle(method, self.path, body)
        status, content_type, content, headers = result
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self._answer("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._answer("POST")

    def log_message(self, format: str, *args) -> None:
        """Quiet: the terminal shows the address and errors, not every frame's request."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, app: Playground) -> None:
        self.app = app
        super().__init__(("127.0.0.1", port), _Handler)

    def server_close(self) -> None:
        super().server_close()
        self.app.close()


def make_server(port: int = 0) -> ThreadingHTTPServer:
    """A playground server on 127.0.0.1 (port 0 picks a free one); ``serve_forever`` runs it.

    ``server_close()`` also deletes the playground's temporary folder.

    Example:
        >>> server = make_server(); server.server_address[0]
        '127.0.0.1'
        >>> server.server_close()
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"port must be 0 (any free port) to 65535, got {port!r}")
    return _Server(port, Playground())


def _interrupt(signal_number: int, frame) -> None:
    raise KeyboardInterrupt


def serve(port: int = 0, open_browser: bool = False) -> None:
    """Run the playground until Ctrl-C, printing its address (and opening it if asked).

    Example:
        >>> serve(8000, open_browser=True)  # doctest: +SKIP
        glassnet playground at http://127.0.0.1:8000/  (Ctrl-C stops it)
    """
    server = make_server(port)
    if threading.current_thread() is threading.main_thread():
        # A plain kill (SIGTERM) leaves like Ctrl-C, through the clean-up below.
        signal.signal(signal.SIGTERM, _interrupt)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"glassnet playground at {url}  (Ctrl-C stops it)", flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
