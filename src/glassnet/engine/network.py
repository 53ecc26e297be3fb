"""The network: layers in sequence, a loss, one seeded random generator, and training.

``Network`` is the documented door: it is built here, and here it is trained (``fit``),
asked (``predict``, ``predict_proba``, ``evaluate``, with the targets encoded and decoded
by ``targets.Targets``), traced, summarised and described (``config``, ``copy``). What it
stands on is in two modules below it: ``network_layers`` (the layers in order and the flat
storage of their parameters) and ``network_passes`` (forward and backward, the
backpropagation formulas written out).

Example:
    >>> import numpy as np
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(2, 4, "tanh"), Dense(4, 1, "sigmoid")],
    ...               loss="binary_crossentropy", seed=0)
    >>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]]); y = np.array([0, 1, 1, 0])
    >>> history = net.fit(X, y, epochs=2000, learning_rate=0.5)
    >>> net.predict(X).tolist()
    [0, 1, 1, 0]
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from glassnet.engine import evaluation, lbfgs, training
from glassnet.engine.activations import Softmax
from glassnet.engine.arrays import as_features, as_targets, ordered_features, seeded_generator
from glassnet.engine.callbacks import Callback, History
from glassnet.engine.diagnostics import Diagnostics
from glassnet.engine.display import TableText
from glassnet.engine.layers import Dense, Dropout, Layer, connect
from glassnet.engine.losses import Crossentropy, Loss, get_loss
from glassnet.engine.network_passes import NetworkPasses
from glassnet.engine.optimizers import Optimizer, Schedule
from glassnet.engine.run import Stop
from glassnet.engine.targets import Targets

if TYPE_CHECKING:
    from glassnet.glassbox.trace import Trace  # the one door up: Network.trace

__all__ = ["Network"]

# A metric: a name (``"accuracy"``, ``"mae"``, ...) or a function of (y_true, y_pred).
MetricLike = str | Callable[[NDArray[Any], NDArray[Any]], float]


class Network(NetworkPasses):
    """A feed-forward network: ``Dense`` (and ``Dropout``) layers in sequence and a loss.

    A ``Standardize`` layer may come first to scale the raw inputs.

    Args:
        layers: the layers, input side first; each Dense layer's n_inputs must equal the
            previous layer's n_outputs.
        loss: a name (``"half_sse"``, ``"mse"``, ``"binary_crossentropy"``,
            ``"crossentropy"``) or a ``Loss``.
        seed: seeds the network's one ``numpy.random.Generator``, which draws the starting
            weights, the mini-batch order, the validation split and the dropout masks.
        dtype: ``np.float64`` (default, for exact reproductions) or ``np.float32`` (speed).

    Targets: with ``crossentropy`` (softmax output) ``y`` may be class labels of any kind
    (one-hot is done for you; ``predict`` returns labels, ``predict_proba`` the
    probabilities); with ``binary_crossentropy`` and one sigmoid output, two labels; with
    any other loss ``y`` holds the values of the outputs.

    Example:
        >>> from glassnet import Dense
        >>> net = Network([Dense(2, 1, "sigmoid")], loss="binary_crossentropy", seed=0)
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> _ = net.fit(X, ["no", "yes", "yes", "yes"], epochs=200, learning_rate=1.0)
        >>> net.predict(X).tolist()
        ['no', 'yes', 'yes', 'yes']
    """

    def __init__(
        self,
        layers: Sequence[Layer],
        loss: str | Loss = "mse",
        seed: int | None = None,
        dtype: DTypeLike = np.float64,
    ) -> None:
        if isinstance(layers, Layer):
            raise TypeError(
                f"layers must be a list of layers, e.g. Network([{layers!r}]); got one layer"
            )
        self.layers: list[Layer] = list(layers)
        if not self.layers:
            raise ValueError("a network needs at least one layer")
        self.dtype: np.dtype[Any] = np.dtype(dtype)
        if self.dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}")
        self.loss: Loss = get_loss(loss)
        self.rng: np.random.Generator = seeded_generator(seed)
        self.seed: int | None = seed
        connect(self.layers)
        for layer in self.layers:
            layer.build(self.rng, self.dtype)
        if isinstance(self.output_layer.activation, Softmax) and not isinstance(
            self.loss, Crossentropy
        ):
            warnings.warn(
                "softmax output without crossentropy: the delta will not simplify to a - y",
                stacklevel=2,
            )
        self._storage: tuple[np.ndarray, np.ndarray] | None = None
        self.flat_storage()
        self.targets: Targets | None = None
        self.diagnostics: Diagnostics | None = None  # set by the last fit that watched
        self.stop_training: bool = False
        self.stop: Stop | None = None  # how the last fit ended
        # the column names of the DataFrame the network was first trained on: a DataFrame
        # given later is put in that order, by name
        self.feature_names: list[str] | None = None
        self.history: History | None = None

    @property
    def classes(self) -> np.ndarray | None:
        """The class labels learned by ``fit`` (None for regression)."""
        return None if self.targets is None else self.targets.classes

    # ------------------------------------------------------------------ targets and answers
    def encode_targets(self, X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """(X, Y): inputs checked and targets in the output layer's columns.

        The first call learns the class labels (if the loss is a classification loss).

        Example:
            >>> from glassnet import Dense
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[[1.0], [-1.0]], bias=[0.0])],
            ...               loss="binary_crossentropy")
            >>> X, Y = net.encode_targets([[2.0, 0.0], [0.0, 2.0]], ["no", "yes"])
            >>> Y
            array([[0.],
                   [1.]])
        """
        ordered, columns = ordered_features(X, self.feature_names)
        inputs = as_features(ordered, self.n_inputs, self.dtype)
        labels = as_targets(y)
        if labels.ndim == 0:
            labels = labels.reshape(1)
        if self.targets is None:
            self.targets = Targets.infer(labels, self.loss, self.output_layer)
            if columns is not None and self.feature_names is None:
                self.feature_names = columns  # a DataFrame's columns, matched by name later
        return inputs, self.targets.encode(labels, inputs.shape[0], self.dtype)

    def predict_proba(self, X: ArrayLike) -> NDArray[np.floating[Any]]:
        """The output layer's values: class probabilities for a classifier.

        For one sigmoid output, two columns: P(class 0) and P(class 1).

        Example:
            >>> from glassnet import Dense
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[[1.0], [-1.0]], bias=[0.0])],
            ...               loss="binary_crossentropy")
            >>> _ = net.encode_targets([[2.0, 0.0], [0.0, 2.0]], ["no", "yes"])  # as fit does
            >>> net.predict_proba([[2.0, 0.0], [0.0, 2.0]]).round(3)
            array([[0.119, 0.881],
                   [0.881, 0.119]])
        """
        output = self.forward(X)
        if self.targets is not None and self.targets.kind == "binary":
            return np.hstack([1 - output, output])
        return output

    def predict(self, X: ArrayLike) -> NDArray[Any]:
        """Labels for a classifier (as given to ``fit``); the output values otherwise.

        Example:
            >>> from glassnet import Dense
            >>> Network([Dense(2, 1, "identity", weights=[[1.0], [2.0]])]).predict([[1.0, 1.0]])
            array([[3.]])
        """
        output = self.forward(X)
        return output if self.targets is None else self.targets.decode(output)

    @property
    def default_metrics(self) -> list[str]:
        """The metrics fit reports unless told otherwise: accuracy for classes, none else."""
        return ["accuracy"] if self.targets and self.targets.kind != "values" else []

    def evaluate(
        self, X: ArrayLike, y: ArrayLike, metrics: Sequence[MetricLike] | None = None
    ) -> dict[str, float]:
        """The loss and metrics on (X, y): accuracy for classes, mse/mae/r2 for values.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1, "identity", weights=[[2]], bias=[0])], loss="mse")
            >>> net.evaluate([[1], [2]], [2, 4])["loss"]
            0.0
        """
        inputs, Y = self.encode_targets(X, y)
        if metrics is None:
            metrics = self.default_metrics or ["mse", "mae", "r2"]
        return evaluation.measure(self, inputs, Y, metrics)

    # ------------------------------------------------------------------ training
    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        epochs: int = 1,
        learning_rate: float | Schedule | None = 0.01,
        batch_size: int | None = None,
        optimizer: str | Optimizer = "sgd",
        validation_split: float = 0.0,
        validation_data: tuple[ArrayLike, ArrayLike] | None = None,
        callbacks: Sequence[Callback] = (),
        verbose: int = 0,
        shuffle: bool = True,
        metrics: Sequence[MetricLike] | None = None,
        diagnostics: bool = True,
    ) -> History:
        """Train by (mini-batch) gradient descent and return the ``History``.

        Args:
            X, y: inputs (n, n_inputs) and targets (see the class docstring).
            epochs: passes over the training data.
            learning_rate: a number or a ``Schedule``; used when ``optimizer`` is a name.
            batch_size: rows per update; None trains on the full batch (the tutorials' way).
            optimizer: ``"sgd"``, ``"momentum"``, ``"nesterov"``, ``"adam"`` or an Optimizer;
                ``"lbfgs"`` (with SciPy) minimises over every row at once, one iteration
                per epoch (``engine/lbfgs.py``).
            validation_split: share of rows (drawn with the network's generator) held out.
            validation_data: (X_val, y_val) instead of a split.
            callbacks: e.g. ``EarlyStopping``, ``CSVLogger``.
            verbose: 0 silent, 1 a progress bar (one line per epoch when not a terminal).
            shuffle: reshuffle the rows every epoch (mini-batches only).
            metrics: names such as ``"accuracy"``, ``"mae"``; default accuracy for classes.
            diagnostics: watch the run (saturated or dead units, a rising or flat loss,
                vanishing gradients) and leave plain-language notes in
                ``network.diagnostics``, printed after training when ``verbose``.

        ``history["loss"][k]`` is the mean loss of the batches of epoch k + 1 (with full
        batches, the loss before that epoch's update, as tutorial 001 prints it);
        ``history.initial`` holds the values before any update. A NaN or infinite loss
        stops training at once, keeps the last weights known to give finite outputs and a
        finite loss on every training row, and warns with ``TrainingDiverged``.

        Example:
            >>> from glassnet import Dense
            >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
            >>> history = net.fit([[1.0], [2.0]], [2.0, 4.0], epochs=2, learning_rate=0.1)
            >>> history.initial["loss"], [round(loss, 4) for loss in history.loss]
            (10.0, [10.0, 1.06])
        """
        if isinstance(optimizer, str) and optimizer.lower() == "lbfgs":  # engine/lbfgs.py
            return lbfgs.fit(self, X, y, epochs=epochs, validation_split=validation_split,
                             validation_data=validation_data, callbacks=callbacks,
                             verbose=verbose, metrics=metrics, diagnostics=diagnostics)  # fmt: skip
        return training.fit(
            self,
            X,
            y,
            epochs=epochs,
            learning_rate=learning_rate,
            batch_size=batch_size,
            optimizer=optimizer,
            validation_split=validation_split,
            validation_data=validation_data,
            callbacks=callbacks,
            verbose=verbose,
            shuffle=shuffle,
            metrics=metrics,
            diagnostics=diagnostics,
        )

    def trace(
        self,
        X: ArrayLike,
        y: ArrayLike,
        learning_rate: float = 0.1,
        optimizer: str | Optimizer = "sgd",
        apply: bool = False,
    ) -> Trace:
        """One training step on (X, y) with every number of it, as ``fit`` would take it.

        The step runs on a copy: the network is not changed (``apply=True`` takes the step
        on it). ``optimizer`` is plain gradient descent by default, as the tutorials;
        any other rule shows its velocities or moments. A Dropout layer drops what fit's
        next step would drop.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(2, 1, "sigmoid", weights=[0.2, 0.1], use_bias=False)],
            ...               loss="half_sse")
            >>> t = net.trace([[0.3, 0.5]], [[1.0]], learning_rate=1.0)
            >>> t["z"].item(), net.get_weights()[0].ravel().tolist()
            (0.11, [0.2, 0.1])
        """
        from glassnet.glassbox.record import trace_step

        return trace_step(self, X, y, learning_rate, optimizer=optimizer, apply=apply)

    # ------------------------------------------------------------------ inspection
    def summary(self) -> TableText:
        """A text table of the layers: shapes, activations and parameter counts.

        The layer column numbers the Dense layers as the trace does (W[1] is layer 1's
        weights); Standardize and Dropout hold no weights and are marked "-". It is a
        ``str`` (print it, split it) that a notebook shows as an HTML table.

        Example:
            >>> from glassnet import Dense, Network
            >>> print(Network([Dense(2, 3), Dense(3, 1)]).summary().splitlines()[0])
            layer  type     inputs  outputs  activation  weights  bias  parameters
        """
        rows = [("layer", "type", "inputs", "outputs", "activation", "weights", "bias",
                 "parameters")]  # fmt: skip
        dense_index = {id(layer): i for i, layer in enumerate(self.dense_layers, start=1)}
        for layer in self.layers:
            if isinstance(layer, Dense):
                rows.append((
                    str(dense_index[id(layer)]), "Dense", str(layer.n_inputs), str(layer.n_outputs),
                    layer.activation.name, f"{layer.n_inputs}x{layer.n_outputs}",
                    str(layer.n_outputs) if layer.use_bias else "-",
                    str(sum(p.size for p in layer.parameters)),
                ))  # fmt: skip
            else:
                detail = f"rate {layer.rate}" if isinstance(layer, Dropout) else "(x-mean)/scale"
                rows.append((
                    "-", type(layer).__name__, str(layer.n_inputs),
                    str(layer.n_outputs), detail, "-", "-", "0",
                ))  # fmt: skip
        totals = (
            f"total parameters: {self.count_parameters()}  loss: {self.loss.name}  "
            f"dtype: {self.dtype.name}"
        )
        return TableText(rows, notes=[totals])

    def config(self) -> dict[str, Any]:
        """Architecture, loss and target encoding (what a model file stores besides arrays).

        Example:
            >>> from glassnet import Dense
            >>> config = Network([Dense(2, 1, "sigmoid")], loss="binary_crossentropy").config()
            >>> config["loss"], config["dtype"], config["layers"][0]["activation"]
            ('binary_crossentropy', 'float64', {'name': 'sigmoid'})
        """
        return {
            "layers": [layer.config() for layer in self.layers],
            "loss": self.loss.name,
            "dtype": self.dtype.name,
            "seed": self.seed,
            "targets": None if self.targets is None else self.targets.config(),
        }

    def copy(self) -> Network:
        """An independent deep copy (weights, generator state and targets).

        Example:
            >>> from glassnet import Dense
            >>> net = Network([Dense(1, 1, weights=[[1.0]])])
            >>> twin = net.copy(); twin.layers[0].weights[0, 0] = 5.0
            >>> net.get_weights()[0], twin.get_weights()[0]
            (array([[1.]]), array([[5.]]))
        """
        return copy.deepcopy(self)

    def __repr__(self) -> str:
        inner = ", ".join(map(repr, self.layers))
        return f"Network([{inner}], loss={self.loss.name!r})"

    def _repr_html_(self) -> str:
        widths = "-".join(map(str, [self.n_inputs, *(d.n_outputs for d in self.dense_layers)]))
        return f"<p><b>Network</b> {widths}</p>\n" + self.summary()._repr_html_()
