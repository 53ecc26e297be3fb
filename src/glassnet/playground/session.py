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

import dataclasses
import math
import threading
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassnet.engine.layers import Dense
from glassnet.engine.network import Network
from glassnet.engine.optimizers import OPTIMIZERS, Constant, Optimizer
from glassnet.engine.perceptron import Perceptron
from glassnet.engine.recipes import build_mlp, output_for
from glassnet.engine.run import TrainingDiverged
from glassnet.engine.validation import check_choice, check_integer, check_number
from glassnet.playground.data import Data, Upload, generate
from glassnet.playground.formula import formula_panel, perceptron_panel
from glassnet.playground.maps import class_map, unit_map, value_map
from glassnet.playground.perceptron import PerceptronRun
from glassnet.playground.settings import LIVE, BadRequest, Settings, as_bad_request

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
    perceptron: PerceptronRun | None = None
    epoch: int = 0
    previous: list[np.ndarray] = field(default_factory=list)
    message: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    grid: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    journal: list[dict[str, Any]] = field(default_factory=list)
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
        if settings.mode == "perceptron":
            run = PerceptronRun.create(settings, uploads)
            return cls(settings, run.data, perceptron=run, grid=run.data.grid_points(),
                       start=settings)  # fmt: skip
        data = generate(settings, uploads)
        grid = data.network_inputs(data.grid_points())
        session = cls(settings, data, grid=grid, start=settings)
        session.network = build_network(settings, data)
        session.optimizer = OPTIMIZERS[settings.optimizer](settings.lr)
        session.previous = session.network.get_weights()
        return session

    @property
    def trained(self) -> tuple[Network, Optimizer]:
        """The network a network session trains and its optimizer (a ``BadRequest`` for a
        perceptron session, which has neither)."""
        if self.network is None or self.optimizer is None:
            raise BadRequest("a perceptron session has no network: it replays a finished run")
        return self.network, self.optimizer

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
            self.epoch = min(self.epoch + epochs, self.perceptron.epochs)
            return
        if self.message:
            return
        (network, optimizer), data = self.trained, self.data
        batch = self.settings.batch or None
        self.previous = network.get_weights()
        with _TRAINING_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore", TrainingDiverged)
            # One fit per frame: diagnostics of a single epoch would say nothing.
            network.fit(data.network_inputs(data.X_train), data.y_train, epochs=epochs,
                        batch_size=batch, optimizer=optimizer, metrics=[],
                        diagnostics=False)  # fmt: skip
        stop = network.stop
        if stop is None:  # every fit ends with its record
            raise RuntimeError("the network's fit ended without saying how")
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
        network, optimizer = self.trained
        self.version += 1
        old, self.settings = self.settings, settings
        for layer in network.dense_layers:
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
            optimizer.schedule = Constant(settings.lr)
            optimizer.learning_rate = settings.lr
        return ""

    def edit(self, layer: object, neuron: object, source: object, value: object) -> None:
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
        dense, number, unit, place = self._place(layer, neuron, source)
        if place is None:  # it set a whole row of W, taking the neuron for an input
            raise BadRequest("an edit names its source: an input's index, or 'bias'")
        with as_bad_request():
            typed = check_number("the value typed", value, -MAX_EDIT, MAX_EDIT)
        bias = dense.bias if place == "bias" else None
        if place == "bias" and bias is None:
            raise BadRequest(f"layer {number} has no bias to edit")
        self.version += 1
        # in place: the layer's arrays are views of the network's flat storage
        if bias is not None:
            bias[unit] = typed
        elif isinstance(place, int):
            dense.weights[place, unit] = typed
        self.previous = self.trained[0].get_weights()  # the next panel shows no old update
        self.journal.append(
            {
                "epoch": self.epoch,
                "edit": {"layer": number, "neuron": unit, "source": place, "value": typed},
            }
        )

    def _place(
        self, layer: object, neuron: object, source: object
    ) -> tuple[Dense, int, int, int | str | None]:
        """(the Dense layer, layer, neuron, source) checked against the network: source an
        input's index, "bias", or None (the neuron itself)."""
        layers = self.trained[0].dense_layers
        with as_bad_request():
            number = check_integer("layer", layer, 1, len(layers))
            dense = layers[number - 1]
            unit = check_integer(f"layer {number}'s neuron", neuron, 0, dense.n_outputs - 1)
            place: int | str | None = None
            if source == "bias":
                place = "bias"
            elif source is not None:
                place = check_integer(f"layer {number}'s input (source)", source, 0,
                                      dense.n_inputs - 1)  # fmt: skip
        return dense, number, unit, place

    # ------------------------------------------------------------------ what the page draws
    def metrics(self, side: str) -> dict[str, float | None]:
        """Loss and accuracy (classification) on one side of the split ("train" or "test");
        None for no rows. A perceptron's are those of its epoch table (``PerceptronRun``).

        Example:
            >>> session = Session.create(Settings(dataset="xor", split=1.0), {})
            >>> session.metrics("test")
            {'loss': None, 'accuracy': None}
        """
        if self.perceptron is not None:
            return self.perceptron.metrics(self.epoch, side)
        data = self.data
        X, y = (data.X_train, data.y_train) if side == "train" else (data.X_test, data.y_test)
        if len(X) == 0:
            return {"loss": None, "accuracy": None}
        classification = data.task == "classification"
        with np.errstate(all="ignore"):
            values = self.trained[0].evaluate(
                data.network_inputs(X), y, metrics=["accuracy"] if classification else []
            )
        loss = values["loss"]
        return {"loss": float(loss) if math.isfinite(loss) else None,
                "accuracy": values.get("accuracy")}  # fmt: skip

    def state(self) -> dict[str, Any]:
        """What the page draws after each step: metrics, regions, weights, neuron maps.

        Example:
            >>> state = Session.create(Settings(dataset="sine", layers=(3,)), {}).state()
            >>> len(state["curve"]), [len(layer) for layer in state["neurons"]]
            (120, [3, 1])
        """
        result: dict[str, Any] = {
            "epoch": self.epoch,
            "version": self.version,
            "message": self.message,
            "train": self.metrics("train"),
            "test": self.metrics("test"),
        }
        if self.perceptron is not None:
            result["regions"] = self.perceptron.regions(self.epoch, self.grid)
            result["perceptron"] = self.perceptron.table(self.epoch)
        else:
            result.update(self._network_drawing())
        return result

    def _network_drawing(self) -> dict[str, Any]:
        """The network's output and each neuron's map over the grid, and its parameters."""
        network, data = self.trained[0], self.data
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
        drawing["biases"] = [
            [] if layer.bias is None
            else np.nan_to_num(layer.bias, posinf=1e300, neginf=-1e300).tolist()
            for layer in network.dense_layers
        ]  # fmt: skip
        return drawing

    def model_on_screen(self) -> Network | Perceptron:
        """The network, or a perceptron holding the weights of the epoch on screen.

        Example:
            >>> session = Session.create(Settings(mode="perceptron", dataset="or", seed=42), {})
            >>> session.model_on_screen().weights.round(8).tolist()
            [0.49671415, -0.1382643]
        """
        return self.trained[0] if self.perceptron is None else self.perceptron.model(self.epoch)

    def model_metrics(self) -> dict[str, Any]:
        """The metrics of the model ``model_on_screen`` gives, on both sides of the split.

        Example:
            >>> session = Session.create(Settings(dataset="xor", split=1.0), {})
            >>> session.model_metrics()["test"]
            {'loss': None, 'accuracy': None}
        """
        if self.perceptron is not None:
            return self.perceptron.model_metrics(self.epoch)
        return {"train": self.metrics("train"), "test": self.metrics("test")}

    # ------------------------------------------------------------------ inspection
    def sample(self, split: str, index: object) -> tuple[np.ndarray, np.ndarray]:
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
            row = check_integer(f"sample of the {split} set", index, 0, len(X) - 1)
        return X[row : row + 1], y[row : row + 1]

    def inspect(
        self, layer: object, neuron: object, source: object, split: str = "train",
        index: object = 0,
    ) -> dict[str, Any]:  # fmt: skip
        """The formula of neuron ``neuron`` of layer ``layer`` (or of its weight from
        ``source``, or its bias for ``source="bias"``) for sample ``index`` of ``split``,
        with the numbers of ``Network.trace``; for a perceptron session (one neuron), the
        sample's step in the epoch on screen.

        Example:
            >>> session = Session.create(Settings(dataset="xor", layers=(2,)), {})
            >>> session.inspect(2, 0, 1, "train", 0)["title"]
            'weight W[2]_21 into neuron 1 of layer 2 (output)'
        """
        x, y = self.sample(split, index)
        settings = self.settings
        if self.perceptron is not None:
            run, epoch = self.perceptron, self.epoch
            step = run.sample(epoch, split, check_integer("sample", index, 0))
            weights, bias = run.weights(epoch) if epoch else (None, None)
            model = run.perceptron
            return perceptron_panel(step, model.decision_rule, model.learning_rate,
                                    threshold=model.threshold, batch=model.mode == "batch",
                                    after=weights, after_bias=bias)  # fmt: skip
        _, number, unit, place = self._place(layer, neuron, source)
        network = self.trained[0]
        with np.errstate(all="ignore"):
            trace = network.copy().trace(self.data.network_inputs(x), y, learning_rate=settings.lr)
        # The inputs are named when they are not simply x1, x2 (crosses, a CSV's columns).
        names = self.data.input_names
        inputs = None if names in (["x1", "x2"], ["x"]) else names
        return formula_panel(trace, network, number, unit, source=place, previous=self.previous,
                             optimizer=settings.optimizer, learning_rate=settings.lr,
                             inputs=inputs)  # fmt: skip
