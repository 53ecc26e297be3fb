"""One playground run: its model, and what the page draws of it after each step.

``build_network`` builds the network the settings describe through
``glassnet.engine.recipes``; a ``Session`` holds the run's data (``playground.data``),
trains its network a few epochs at a time (or replays a perceptron's epochs) and renders
its state: metric values, decision regions, each neuron's map over a grid, the weights.

Example:
    >>> session = Session.create(Settings(dataset="xor", points=40), {})
    >>> session.step(3)
    >>> session.epoch, sorted(session.state())[:3]
    (3, ['biases', 'epoch', 'message'])
"""

from __future__ import annotations

import base64
import copy
import math
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet import datasets
from glassnet.engine.layers import Dense
from glassnet.engine.network import Network
from glassnet.engine.optimizers import OPTIMIZERS, Optimizer
from glassnet.engine.perceptron import Perceptron
from glassnet.engine.recipes import build_mlp, output_for
from glassnet.engine.run import TrainingDiverged
from glassnet.engine.validation import check_choice, check_integer
from glassnet.playground.data import Data, Upload, generate
from glassnet.playground.formula import formula_panel, perceptron_panel
from glassnet.playground.settings import PERCEPTRON_EPOCHS, BadRequest, Settings, as_bad_request

__all__ = ["Session", "build_network"]

# Bounded activations keep their own scale on the maps, so a saturated neuron looks
# saturated; the others are stretched from their lowest to their highest value.
ACTIVATION_RANGES = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "softmax": (0.0, 1.0)}

# warnings.catch_warnings changes process-wide state, so training runs one session at a time.
_TRAINING_LOCK = threading.Lock()


# ---------------------------------------------------------------------- models
def build_network(settings: Settings, data: Data) -> Network:
    """The network the settings describe, for the data's inputs and task.

    The output layer and loss come from ``glassnet.engine.recipes.output_for``; a loss that
    does not fit the task is a ``BadRequest``.

    Example:
        >>> data = generate(Settings(), {})
        >>> [layer.n_outputs for layer in build_network(Settings(), data).layers]
        [4, 1]
    """
    with as_bad_request():
        output = output_for(data.task, n_classes=len(data.classes), loss=settings.loss)
        return build_mlp(data.n_features, settings.layers, list(settings.activations), output,
                         l2=settings.l2, seed=settings.seed)  # fmt: skip


def _stop_message(network: Network) -> str:
    """Why the last fit ended before its last epoch, as the message shown; "" if it did not."""
    stop = network.stop
    return str(stop) if stop.kind != "completed" else ""


# ---------------------------------------------------------------------- grids and maps
def _encode_unit(unit: np.ndarray) -> str:
    """Values in [0, 1] as base64 bytes 0..255: a 40 x 40 map travels in 2 kB."""
    scaled = np.nan_to_num(np.round(unit * 255), nan=0.0, posinf=255.0, neginf=0.0)
    return _encode_bytes(np.clip(scaled, 0, 255))


def _encode_bytes(values: np.ndarray) -> str:
    """Small non-negative integers (below 256) as base64 bytes."""
    return base64.b64encode(values.astype(np.uint8).tobytes()).decode()


def _class_map(output: np.ndarray) -> dict:
    """Each grid point's predicted class and its confidence scaled to [0, 1]."""
    if output.shape[1] == 1:
        probability = output[:, 0]
        label, confidence = (probability > 0.5).astype(int), np.abs(probability - 0.5) * 2
    else:
        k = output.shape[1]
        label = np.argmax(output, axis=1)
        confidence = (output.max(axis=1) - 1 / k) / (1 - 1 / k)
    return {"label": _encode_bytes(label), "confidence": _encode_unit(confidence)}


def _value_map(values: np.ndarray) -> dict:
    """A regression output over the grid, stretched from its lowest to its highest value."""
    low, high = float(values.min()), float(values.max())
    spread = high - low if high - low > 1e-12 else 1.0
    return {"value": _encode_unit((values - low) / spread), "low": low, "high": high}


def _neuron_maps(layer: Dense, outputs: np.ndarray) -> list[dict]:
    """Each neuron's output over the grid as a map of values in [0, 1], and its range."""
    maps = []
    for column in np.nan_to_num(outputs.T, nan=0.0, posinf=1e300, neginf=-1e300):
        low, high = ACTIVATION_RANGES.get(
            layer.activation.name, (float(column.min()), float(column.max()))
        )
        spread = high - low if high - low > 1e-12 else 1.0
        maps.append({"map": _encode_unit((column - low) / spread), "low": low, "high": high})
    return maps


# ---------------------------------------------------------------------- sessions
@dataclass
class Session:
    """One run: its settings, data and model, and what the page has been shown.

    A network session trains ``step(epochs)`` epochs at a time; a perceptron session is
    trained to the end when it is made and ``step`` replays its epochs one frame at a time.

    Example:
        >>> session = Session.create(Settings(mode="perceptron", dataset="or", seed=42), {})
        >>> session.step(1)
        >>> session.state()["perceptron"]["table"][0]["epoch"]
        1
    """

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
    def create(cls, settings: Settings, uploads: dict[str, Upload]) -> Session:
        """A new session: the data drawn, the model built (a perceptron trained to its end).

        Example:
            >>> Session.create(Settings(dataset="blobs", layers=(3,)), {}).data.classes
            ['0', '1', '2']
        """
        data = generate(settings, uploads)
        session = cls(settings, data, grid=data.grid_points())
        if settings.mode == "perceptron":
            if data.task != "classification" or len(data.classes) != 2 or data.n_features != 2:
                raise BadRequest("the perceptron separates two classes of two-feature points")
            session.perceptron = Perceptron(
                2,
                learning_rate=settings.lr,
                weights=datasets.tutorial_002_weights(settings.seed),
                bias=0.0 if settings.bias else None,
            )
            session.perceptron.fit(data.X_train, data.y_train, max_epochs=PERCEPTRON_EPOCHS)
        else:
            session.network = build_network(settings, data)
            session.optimizer = OPTIMIZERS[settings.optimizer](settings.lr)
            session.previous = session.network.get_weights()
        return session

    # ------------------------------------------------------------------ training
    def step(self, epochs: int) -> None:
        """Train ``epochs`` more epochs (a perceptron: show that many more of its epochs).

        A run that diverges keeps its message and trains no further.

        Example:
            >>> session = Session.create(Settings(dataset="xor", points=20), {})
            >>> session.step(2); session.step(3); session.epoch
            5
        """
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
        self.message = _stop_message(network)
        if not self.message:
            self.epoch += epochs

    # ------------------------------------------------------------------ what the page draws
    def metrics(self, X: np.ndarray, y: np.ndarray) -> dict:
        """Loss and accuracy (classification) on one side of the split; None for no rows.

        Example:
            >>> session = Session.create(Settings(dataset="xor", split=1.0), {})
            >>> session.metrics(session.data.X_test, session.data.y_test)
            {'loss': None, 'accuracy': None}
        """
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
            values = self.network.evaluate(X, y, metrics=["accuracy"] if classification else [])
        loss = values["loss"]
        return {"loss": float(loss) if math.isfinite(loss) else None,
                "accuracy": values.get("accuracy")}  # fmt: skip

    def state(self) -> dict:
        """What the page draws after each step: metrics, regions, weights, neuron maps.

        Example:
            >>> state = Session.create(Settings(dataset="sine", layers=(3,)), {}).state()
            >>> len(state["curve"]), [len(layer) for layer in state["neurons"]]
            (120, [3, 1])
        """
        data = self.data
        result: dict[str, Any] = {
            "epoch": self.epoch,
            "message": self.message,
            "train": self.metrics(data.X_train, data.y_train),
            "test": self.metrics(data.X_test, data.y_test),
        }
        if self.perceptron is not None:
            weights, bias = self._perceptron_now()
            result["regions"] = _class_map((self.grid @ weights + bias > 0).reshape(-1, 1) * 1.0)
            result["perceptron"] = self._perceptron_table()
        else:
            result.update(self._network_drawing())
        return result

    def _network_drawing(self) -> dict:
        """The network's output and each neuron's map over the grid, and its parameters."""
        network, data = self.network, self.data
        outputs, neurons = self.grid, []
        with np.errstate(all="ignore"):  # a run on its way to diverging may overflow here
            for layer in network.dense_layers:
                outputs = layer.forward(outputs)
                neurons.append(_neuron_maps(layer, outputs))
        # Huge but finite weights can still send a grid point to infinity; JSON has no inf.
        outputs = np.nan_to_num(outputs, nan=0.0, posinf=1e300, neginf=-1e300)
        drawing: dict[str, Any] = {}
        if data.task == "classification" and data.n_features == 2:
            drawing["regions"] = _class_map(outputs)
        elif data.n_features == 2:
            drawing["regions"] = _value_map(outputs[:, 0])
        else:
            drawing["curve"] = outputs[:, 0].tolist()
        drawing["neurons"] = neurons
        drawing["weights"] = [layer.weights.tolist() for layer in network.dense_layers]
        drawing["biases"] = [layer.bias.tolist() for layer in network.dense_layers]
        return drawing

    def _perceptron_now(self) -> tuple[np.ndarray, float]:
        """The weights and bias after the last epoch shown (the replay's current frame)."""
        if self.epoch == 0:
            return datasets.tutorial_002_weights(self.settings.seed), 0.0
        record = self.perceptron.epochs_[self.epoch - 1]
        return record.weights, record.bias or 0.0

    def model_on_screen(self) -> Network | Perceptron:
        """The network, or a perceptron holding the weights of the epoch on screen.

        Example:
            >>> session = Session.create(Settings(mode="perceptron", dataset="or", seed=42), {})
            >>> session.model_on_screen().weights.round(8).tolist()
            [0.49671415, -0.1382643]
        """
        if self.perceptron is None:
            return self.network
        model = copy.deepcopy(self.perceptron)
        weights, bias = self._perceptron_now()
        model.weights = np.array(weights)
        model.bias = bias if self.settings.bias else None
        return model

    def _perceptron_table(self) -> dict:
        """The perceptron's weights on screen and its epochs so far, one row each."""
        perceptron = self.perceptron
        weights, bias = self._perceptron_now()
        done = self.epoch == len(perceptron.epochs_)
        table = [
            {
                "epoch": record.epoch,
                "weights": record.weights.tolist(),
                "bias": record.bias,
                "errors": record.errors,
                "rmse": record.rmse,
            }
            for record in perceptron.epochs_[: self.epoch]
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
        """Row ``index`` of the training or test set, as a batch of one.

        Example:
            >>> session = Session.create(Settings(dataset="xor", points=8), {})
            >>> x, y = session.sample("test", 0); x.shape, y.shape
            ((1, 2), (1,))
        """
        with as_bad_request():
            check_choice("split", split, ("train", "test"))
        data = self.data
        X, y = (data.X_train, data.y_train) if split == "train" else (data.X_test, data.y_test)
        if len(X) == 0:
            raise BadRequest(
                f"the {split} set is empty: with a training share of 1 every point trains"
            )
        with as_bad_request():
            index = check_integer(f"sample of the {split} set", index, 0, len(X) - 1)
        return X[index : index + 1], y[index : index + 1]

    def inspect(self, layer: int, neuron: int, source: int | None, x, y) -> dict:
        """The formula of neuron ``neuron`` of layer ``layer`` (or of its weight from
        ``source``) for one sample, with the numbers of ``Network.trace``; the perceptron's
        rule for a perceptron session (which has one neuron).

        Example:
            >>> session = Session.create(Settings(dataset="xor", layers=(2,)), {})
            >>> x, y = session.sample("train", 0)
            >>> session.inspect(2, 0, 1, x, y)["title"]
            'weight W[2]_21 into neuron 1 of layer 2 (output)'
        """
        settings = self.settings
        if self.perceptron is not None:
            weights, bias = self._perceptron_now()
            return perceptron_panel(x, y, weights, bias if settings.bias else None, settings.lr)
        network = self.network
        layers = network.dense_layers
        with as_bad_request():
            layer = check_integer("layer", layer, 1, len(layers))
            dense = layers[layer - 1]
            neuron = check_integer(f"layer {layer}'s neuron", neuron, 0, dense.n_outputs - 1)
            if source is not None:
                source = check_integer(f"layer {layer}'s input (source)", source, 0,
                                       dense.n_inputs - 1)  # fmt: skip
        with np.errstate(all="ignore"):
            trace = network.copy().trace(x, y, learning_rate=settings.lr)
        return formula_panel(trace, network, layer, neuron, source=source, previous=self.previous,
                             optimizer=settings.optimizer, learning_rate=settings.lr)  # fmt: skip
