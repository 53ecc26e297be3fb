"""One playground run: its model, and what the page draws of it after each step.

``build_network`` builds the network the settings describe through
``glassnet.engine.recipes``; a ``Session`` holds the run's data (``playground.data``),
trains its network a few epochs at a time (or replays a perceptron's epochs) and renders
its state: metric values, decision regions, each neuron's map over a grid, the weights.

A run changes while it trains in two ways, and keeps a journal of both so that it can be
rebuilt to the last digit (``playground.journal``): a live setting (``settings.LIVE``: the
network keeps its weights; a new optimizer starts with fresh moments) and a weight or bias
edited by hand.

Example:
    >>> session = Session.create(Settings(dataset="xor", points=40), {})
    >>> session.step(3)
    >>> session.epoch, sorted(session.state())[:3]
    (3, ['biases', 'epoch', 'message'])
"""

from __future__ import annotations

import copy
import dataclasses
import math
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet import datasets
from glassnet.engine.network import Network
from glassnet.engine.optimizers import OPTIMIZERS, Constant, Optimizer
from glassnet.engine.perceptron import Perceptron
from glassnet.engine.recipes import build_mlp, output_for
from glassnet.engine.run import TrainingDiverged
from glassnet.engine.validation import check_choice, check_integer, check_number
from glassnet.playground.data import Data, Upload, generate
from glassnet.playground.formula import formula_panel, perceptron_panel
from glassnet.playground.maps import class_map, unit_map, value_map
from glassnet.playground.settings import (
    LIVE,
    PERCEPTRON_EPOCHS,
    BadRequest,
    Settings,
    as_bad_request,
)
from glassnet.text import format_number

__all__ = ["MAX_EDIT", "Session", "build_network"]

MAX_EDIT = 1e6  # a weight or bias typed by hand: any finite number of at most this size

# warnings.catch_warnings changes process-wide state, so training runs one session at a time.
_TRAINING_LOCK = threading.Lock()


# ---------------------------------------------------------------------- models
def build_network(settings: Settings, data: Data) -> Network:
    """The network the settings describe, for the data's inputs and task.

    The output layer and loss come from ``glassnet.engine.recipes.output_for``; a loss that
    does not fit the task is a ``BadRequest``. Every layer takes the settings' L1 or L2.

    Example:
        >>> data = generate(Settings(), {})
        >>> [layer.n_outputs for layer in build_network(Settings(), data).layers]
        [4, 1]
    """
    with as_bad_request():
        output = output_for(data.task, n_classes=len(data.classes), loss=settings.loss)
        network = build_mlp(data.n_inputs, settings.layers, list(settings.activations), output,
                            l2=settings.l2, seed=settings.seed)  # fmt: skip
    for layer in network.dense_layers:
        layer.l1 = settings.l1
    return network


def _digits8(value) -> str:
    return format_number(float(value), digits=8)


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
    journal: list[dict] = field(default_factory=list)
    start: Settings = field(default_factory=Settings)
    # Counts the changes to the run (steps, live settings, edits): of two answers about one
    # run, the page shows the one of the later version, whichever came back first.
    version: int = 0

    @classmethod
    def create(cls, settings: Settings, uploads: dict[str, Upload]) -> Session:
        """A new session: the data drawn, the model built (a perceptron trained to its end).

        Example:
            >>> Session.create(Settings(dataset="blobs", layers=(3,)), {}).data.classes
            ['0', '1', '2']
        """
        data = generate(settings, uploads)
        grid = data.network_inputs(data.grid_points())
        session = cls(settings, data, grid=grid, start=settings)
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

        A run that diverges keeps the weights from before the epoch that diverged, counts
        the epochs before it, and trains no further until a live setting changes.

        Example:
            >>> session = Session.create(Settings(dataset="xor", points=20), {})
            >>> session.step(2); session.step(3); session.epoch
            5
        """
        self.version += 1
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
            network.fit(data.network_inputs(data.X_train), data.y_train, epochs=epochs,
                        batch_size=batch, optimizer=self.optimizer, metrics=[],
                        diagnostics=False)  # fmt: skip
        stop = network.stop
        if stop.kind == "completed":
            self.epoch += epochs
            return
        # The fit counts its own epochs from 1: the run's count is this session's. The
        # weights kept are those from before the epoch that stopped the fit.
        stop = dataclasses.replace(stop, epoch=self.epoch + stop.epoch)
        self.epoch = stop.epoch - 1
        self.message = (f"{stop.message()} A live change goes on from the weights kept; "
                        "Reset starts again.")  # fmt: skip

    def change(self, settings: Settings) -> str:
        """Take new live settings (``settings.LIVE``) without a new run: the network keeps its
        weights, the layers take the new regularisation, and the optimizer the new rate, or
        a new optimizer starts. Returns what the page should say about it ("" for nothing).

        Any other difference is a ``BadRequest``: it needs a new run.

        Example:
            >>> session = Session.create(Settings(dataset="xor"), {})
            >>> session.step(5)
            >>> session.change(Settings(dataset="xor", optimizer="sgd", lr=0.1))
            'optimizer sgd from epoch 5: a new optimizer starts with fresh moments'
        """
        changed = self.settings.changed(settings)
        fixed = [key for key in changed if key not in LIVE]
        if self.perceptron is not None and changed:
            raise BadRequest("the perceptron replays a finished run: a change starts a new one")
        if fixed:
            raise BadRequest(f"{', '.join(fixed)} cannot change while a run trains: "
                             "start a new run (Reset)")  # fmt: skip
        if not changed:
            return ""
        self.version += 1
        old, self.settings = self.settings, settings
        for layer in self.network.dense_layers:
            layer.l1, layer.l2 = settings.l1, settings.l2
        self.journal.append({"epoch": self.epoch, "settings": {key: getattr(settings, key)
                                                               for key in LIVE}})  # fmt: skip
        self.message = ""  # a diverged run may go on with the new settings
        if settings.optimizer != old.optimizer:
            self.optimizer = OPTIMIZERS[settings.optimizer](settings.lr)
            return (f"optimizer {settings.optimizer} from epoch {self.epoch}: a new optimizer "
                    "starts with fresh moments")  # fmt: skip
        if settings.lr != old.lr:
            # The same optimizer goes on (its moments kept) at the new rate.
            self.optimizer.schedule = Constant(settings.lr)
            self.optimizer.learning_rate = settings.lr
        return ""

    def edit(self, layer, neuron, source, value) -> None:
        """Set one weight (``source`` an input index) or bias (``source`` "bias") by hand;
        the run goes on from there.

        Example:
            >>> session = Session.create(Settings(dataset="xor", layers=(2,)), {})
            >>> session.edit(1, 0, "bias", 0.25)
            >>> float(session.network.dense_layers[0].bias[0]), session.journal[-1]["epoch"]
            (0.25, 0)
        """
        if self.perceptron is not None:
            raise BadRequest("the perceptron replays a finished run: its weights are not edited")
        dense, layer, neuron, source = self._place(layer, neuron, source)
        with as_bad_request():
            value = check_number("the value typed", value, -MAX_EDIT, MAX_EDIT)
        self.version += 1
        if source == "bias":
            dense.bias[neuron] = value  # in place: the layer's arrays are views of flat storage
        else:
            dense.weights[source, neuron] = value
        self.previous = self.network.get_weights()  # the next panel shows no old update
        self.journal.append(
            {
                "epoch": self.epoch,
                "edit": {"layer": layer, "neuron": neuron, "source": source, "value": value},
            }
        )

    def _place(self, layer, neuron, source):
        """(the Dense layer, layer, neuron, source) checked against the network."""
        layers = self.network.dense_layers
        with as_bad_request():
            layer = check_integer("layer", layer, 1, len(layers))
            dense = layers[layer - 1]
            neuron = check_integer(f"layer {layer}'s neuron", neuron, 0, dense.n_outputs - 1)
            if source is not None and source != "bias":
                source = check_integer(f"layer {layer}'s input (source)", source, 0,
                                       dense.n_inputs - 1)  # fmt: skip
        return dense, layer, neuron, source

    # ------------------------------------------------------------------ what the page draws
    def metrics(self, X: np.ndarray, y: np.ndarray) -> dict:
        """Loss and accuracy (classification) on one side of the split; None for no rows.

        A perceptron's are those of the weights the epoch on screen started from, as the
        epoch table counts its errors (tutorial 002's RMSE per epoch).

        Example:
            >>> session = Session.create(Settings(dataset="xor", split=1.0), {})
            >>> session.metrics(session.data.X_test, session.data.y_test)
            {'loss': None, 'accuracy': None}
        """
        if len(X) == 0:
            return {"loss": None, "accuracy": None}
        if self.perceptron is not None:
            weights, bias = self._perceptron_weights(max(self.epoch - 1, 0))
            return _perceptron_metrics(X, y, weights, bias)
        classification = self.data.task == "classification"
        with np.errstate(all="ignore"):
            values = self.network.evaluate(
                self.data.network_inputs(X), y, metrics=["accuracy"] if classification else []
            )
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
            "version": self.version,
            "message": self.message,
            "train": self.metrics(data.X_train, data.y_train),
            "test": self.metrics(data.X_test, data.y_test),
        }
        if self.perceptron is not None:
            weights, bias = self._perceptron_weights(self.epoch)
            result["regions"] = class_map((self.grid @ weights + bias > 0).reshape(-1, 1) * 1.0)
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
                neurons.append([unit_map(column, layer.activation.name) for column in outputs.T])
        # Huge but finite weights can still send a grid point to infinity; JSON has no inf.
        outputs = np.nan_to_num(outputs, nan=0.0, posinf=1e300, neginf=-1e300)
        drawing: dict[str, Any] = {}
        if data.task == "classification" and data.n_features == 2:
            drawing["regions"] = class_map(outputs)
        elif data.n_features == 2:
            drawing["regions"] = value_map(outputs[:, 0])
        else:
            drawing["curve"] = outputs[:, 0].tolist()
        drawing["neurons"] = neurons
        finite = [np.nan_to_num(layer.weights, posinf=1e300, neginf=-1e300).tolist()
                  for layer in network.dense_layers]  # fmt: skip
        drawing["weights"] = finite
        drawing["biases"] = [np.nan_to_num(layer.bias, posinf=1e300, neginf=-1e300).tolist()
                             for layer in network.dense_layers]  # fmt: skip
        return drawing

    def _perceptron_weights(self, epoch: int) -> tuple[np.ndarray, float]:
        """The perceptron's weights and bias after ``epoch`` epochs (0: its start)."""
        if epoch == 0:
            return datasets.tutorial_002_weights(self.settings.seed), 0.0
        record = self.perceptron.epochs_[epoch - 1]
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
        weights, bias = self._perceptron_weights(self.epoch)
        model.weights = np.array(weights)
        model.bias = bias if self.settings.bias else None
        return model

    def model_metrics(self) -> dict:
        """The metrics of the model ``model_on_screen`` gives, on both sides of the split.

        Example:
            >>> session = Session.create(Settings(dataset="xor", split=1.0), {})
            >>> session.model_metrics()["test"]
            {'loss': None, 'accuracy': None}
        """
        data = self.data
        if self.perceptron is None:
            return {"train": self.metrics(data.X_train, data.y_train),
                    "test": self.metrics(data.X_test, data.y_test)}  # fmt: skip
        weights, bias = self._perceptron_weights(self.epoch)
        return {side: _perceptron_metrics(X, y, weights, bias) if len(X) else
                {"loss": None, "accuracy": None}
                for side, X, y in (("train", data.X_train, data.y_train),
                                   ("test", data.X_test, data.y_test))}  # fmt: skip

    def _perceptron_table(self) -> dict:
        """The perceptron's weights on screen and its epochs so far, one row each, every
        number written with eight significant digits."""
        perceptron = self.perceptron
        weights, bias = self._perceptron_weights(self.epoch)
        done = self.epoch == len(perceptron.epochs_)
        table = []
        for record in perceptron.epochs_[: self.epoch]:
            started, started_bias = self._perceptron_weights(record.epoch - 1)
            table.append({
                "epoch": record.epoch,
                "started": [_digits8(w) for w in started],
                "started_bias": _digits8(started_bias) if record.bias is not None else None,
                "errors": record.errors,
                "rmse": _digits8(record.rmse),
                "weights": [_digits8(w) for w in record.weights],
                "bias": _digits8(record.bias) if record.bias is not None else None,
            })  # fmt: skip
        return {
            "weights": weights.tolist(),
            "bias": bias if self.settings.bias else None,
            "table": table,
            "done": done,
            "message": perceptron.message if done else "",
        }

    # ------------------------------------------------------------------ inspection
    def sample(self, split: str, index) -> tuple[np.ndarray, np.ndarray]:
        """Row ``index`` of the training or test set (its two features), as a batch of one.

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

    def inspect(self, layer, neuron, source, x, y) -> dict:
        """The formula of neuron ``neuron`` of layer ``layer`` (or of its weight from
        ``source``, or its bias for ``source="bias"``) for one sample ``x`` (its features),
        with the numbers of ``Network.trace``; the perceptron's rule for a perceptron
        session (which has one neuron): the epoch on screen, for this sample.

        Example:
            >>> session = Session.create(Settings(dataset="xor", layers=(2,)), {})
            >>> x, y = session.sample("train", 0)
            >>> session.inspect(2, 0, 1, x, y)["title"]
            'weight W[2]_21 into neuron 1 of layer 2 (output)'
        """
        settings = self.settings
        if self.perceptron is not None:
            started, bias = self._perceptron_weights(max(self.epoch - 1, 0))
            after = self._perceptron_weights(self.epoch)[0] if self.epoch else None
            return perceptron_panel(x, y, started, bias if settings.bias else None, settings.lr,
                                    epoch=max(self.epoch, 1), after=after)  # fmt: skip
        _, layer, neuron, source = self._place(layer, neuron, source)
        network = self.network
        with np.errstate(all="ignore"):
            trace = network.copy().trace(self.data.network_inputs(x), y, learning_rate=settings.lr)
        # The inputs are named when they are not simply x1, x2 (crosses, a CSV's columns).
        names = self.data.input_names
        inputs = None if names in (["x1", "x2"], ["x"]) else names
        return formula_panel(trace, network, layer, neuron, source=source, previous=self.previous,
                             optimizer=settings.optimizer, learning_rate=settings.lr,
                             inputs=inputs)  # fmt: skip


def _perceptron_metrics(X: np.ndarray, y: np.ndarray, weights: np.ndarray, bias: float) -> dict:
    """The perceptron's loss (the RMSE of its errors, as tutorial 002 prints it) and accuracy."""
    errors = y - ((X @ weights + bias) > 0)
    return {"loss": float(np.sqrt(np.mean(errors**2))), "accuracy": float(np.mean(errors == 0))}
