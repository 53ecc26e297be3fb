"""Callbacks: small objects that watch training through hooks instead of flags on ``fit``.

Hooks, as in Keras: ``on_train_begin(logs)``, ``on_epoch_end(epoch, logs)`` and
``on_train_end(logs)``. ``logs`` maps "loss", each metric and their "val_" twins to the
epoch's figures. A callback stops training by setting ``network.stop_training = True``.

Example:
    >>> stopper = EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
"""

from __future__ import annotations

import csv
import math
import os
import sys
from typing import TYPE_CHECKING, Any

from glassnet.files import write_atomically

if TYPE_CHECKING:
    from glassnet.engine.network import Network

__all__ = ["Callback", "History", "EarlyStopping", "ProgressBar", "CSVLogger"]


class Callback:
    """Base class with empty hooks; ``network`` is set before training begins.

    Example:
        >>> from glassnet import Dense, Network
        >>> class Printer(Callback):
        ...     def on_epoch_end(self, epoch, logs):
        ...         print(epoch, round(logs["loss"], 3))
        >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
        >>> _ = net.fit([[1.0], [2.0]], [2.0, 4.0], epochs=2, learning_rate=0.1,
        ...             callbacks=[Printer()], diagnostics=False)
        1 10.0
        2 1.06
    """

    network: Network | None = None

    def set_network(self, network: Network) -> None:
        """Called by ``fit`` before ``on_train_begin``: the network being trained.

        Example:
            >>> from glassnet import Dense, Network
            >>> net = Network([Dense(1, 1)])
            >>> callback = Callback(); callback.set_network(net)
            >>> callback.network is net
            True
        """
        self.network = network

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        """Called once before the first epoch; resets what a previous run left.

        Example:
            >>> stopper = EarlyStopping(monitor="loss")
            >>> stopper.on_train_begin(); stopper.best_epoch
            0
        """

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        """Called after each epoch (1, 2, ...) with its figures, e.g. {"loss": 0.5}.

        Example:
            >>> history = History()
            >>> history.on_epoch_end(1, {"loss": 0.5}); history.on_epoch_end(2, {"loss": 0.4})
            >>> history.history, history.epochs
            ({'loss': [0.5, 0.4]}, [1, 2])
        """

    def on_train_end(self, logs: dict[str, float] | None = None) -> None:
        """Called once after the last epoch, also when training stopped early.

        Example:
            >>> Callback().on_train_end() is None
            True
        """


class History(Callback):
    """What ``fit`` returns: ``history`` maps each figure to its list of per-epoch values.

    ``initial`` holds the figures before the first update (epoch 0), kept apart so that
    ``history[name][k]`` is the value of epoch k + 1. ``epochs`` lists the epoch numbers.
    ``stopped_reason`` says why training ended early ("" when it ran every epoch).

    Example:
        >>> h = History(); h.on_epoch_end(1, {"loss": 0.5}); h.history
        {'loss': [0.5]}
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.initial: dict[str, float] = {}
        self.epochs: list[int] = []
        self.stopped_reason = ""

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self.epochs.append(epoch)
        for name, value in logs.items():
            self.history.setdefault(name, []).append(value)

    @property
    def loss(self) -> list[float]:
        """The training loss of each epoch."""
        return self.history.get("loss", [])

    def __len__(self) -> int:
        return len(self.epochs)

    def __repr__(self) -> str:
        names = ", ".join(self.history)
        return f"History({len(self)} epochs: {names})"


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience``
    epochs; with ``restore_best_weights`` the network ends with the best epoch's weights.

    ``mode`` is "min" for losses and errors, "max" for accuracy and r2; "auto" chooses
    from the name.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1)])
        >>> stopper = EarlyStopping(monitor="val_loss", patience=1)
        >>> stopper.set_network(net); stopper.on_train_begin()
        >>> for epoch, val_loss in enumerate([0.5, 0.6, 0.7], start=1):
        ...     stopper.on_epoch_end(epoch, {"val_loss": val_loss})
        >>> net.stop_training, stopper.best_epoch, stopper.stopped_epoch
        (True, 1, 3)
        >>> EarlyStopping(monitor="val_accuracy").mode
        'max'
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 10,
        min_delta: float = 0.0,
        restore_best_weights: bool = False,
        mode: str = "auto",
    ) -> None:
        if not isinstance(patience, int) or patience < 0:
            raise ValueError(f"patience must be a non-negative integer, got {patience!r}")
        if not (isinstance(min_delta, int | float) and min_delta >= 0):
            raise ValueError(f"min_delta must be a non-negative number, got {min_delta!r}")
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
        self.monitor = monitor
        self.patience = patience
        self.min_delta = float(min_delta)
        self.restore_best_weights = restore_best_weights
        if mode == "auto":
            mode = "max" if monitor.removeprefix("val_") in ("accuracy", "r2") else "min"
        self.mode = mode
        self.best = math.inf
        self.best_epoch = 0
        self.best_weights: list | None = None
        self.stopped_epoch = 0
        self._wait = 0

    def _score(self, value: float) -> float:
        return value if self.mode == "min" else -value

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        self.best, self.best_epoch, self.best_weights = math.inf, 0, None
        self.stopped_epoch, self._wait = 0, 0

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if self.monitor not in logs:
            raise ValueError(
                f"EarlyStopping monitors {self.monitor!r}, which training does not report; "
                f"available: {sorted(logs)}"
            )
        score = self._score(logs[self.monitor])
        if score < self.best - self.min_delta:
            self.best, self.best_epoch, self._wait = score, epoch, 0
            if self.restore_best_weights:
                self.best_weights = self.network.get_weights()
            return
        self._wait += 1
        if self._wait > self.patience:
            self.stopped_epoch = epoch
            self.network.stop_training = True
            self.network.stop_reason = (
                f"early stopping: {self.monitor} has not improved for {self.patience} epochs "
                f"(best at epoch {self.best_epoch})"
            )

    def on_train_end(self, logs: dict[str, float] | None = None) -> None:
        if self.restore_best_weights and self.best_weights is not None:
            self.network.set_weights(self.best_weights)


def _format_logs(logs: dict[str, float]) -> str:
    return " - ".join(f"{name}: {value:.4g}" for name, value in logs.items())


class ProgressBar(Callback):
    """A tqdm bar over the epochs showing the latest figures; when the output is not a
    terminal, one plain line per epoch instead (so logs and CI stay readable).

    Example:
        >>> import io
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
        >>> stream = io.StringIO()
        >>> _ = net.fit([[1.0], [2.0]], [2.0, 4.0], epochs=2, learning_rate=0.1,
        ...             callbacks=[ProgressBar(2, stream=stream)], diagnostics=False)
        >>> print(stream.getvalue(), end="")
        epoch 1/2 - loss: 10
        epoch 2/2 - loss: 1.06
    """

    def __init__(self, epochs: int, stream: Any = None, every: int | None = None) -> None:
        self.epochs = epochs
        self.stream = stream
        self.every = every
        self._bar = None

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        stream = self.stream or sys.stderr
        self._stream = stream
        self._bar = None
        if stream.isatty():
            from tqdm.auto import tqdm

            self._bar = tqdm(total=self.epochs, unit="epoch", file=stream, leave=True)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        if self._bar is not None:
            self._bar.set_postfix_str(_format_logs(logs), refresh=False)
            self._bar.update(1)
            return
        every = self.every or max(1, self.epochs // 100)
        if epoch % every == 0 or epoch == self.epochs or epoch == 1:
            width = len(str(self.epochs))
            print(f"epoch {epoch:>{width}}/{self.epochs} - {_format_logs(logs)}", file=self._stream)

    def on_train_end(self, logs: dict[str, float] | None = None) -> None:
        if self._bar is not None:
            self._bar.close()


class CSVLogger(Callback):
    """Write one row per epoch (epoch, then each figure) to a CSV file.

    The file is written under a temporary name and moved into place when training ends,
    so an interrupted run never leaves a half-written log where the real one should be.

    Example:
        >>> import os, pathlib, tempfile
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = os.path.join(folder, "log.csv")
        ...     _ = net.fit([[1.0], [2.0]], [2.0, 4.0], epochs=2, learning_rate=0.1,
        ...                 callbacks=[CSVLogger(path)], diagnostics=False)
        ...     print(pathlib.Path(path).read_text(), end="")
        epoch,loss
        1,10.0
        2,1.0599999999999998
    """

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = os.fspath(path)
        self._rows: list[dict[str, float]] = []

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        self._rows = []

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self._rows.append({"epoch": epoch, **logs})

    def on_train_end(self, logs: dict[str, float] | None = None) -> None:
        names = ["epoch"] + [n for n in (self._rows[0] if self._rows else {}) if n != "epoch"]

        def write(temporary: str) -> None:
            with open(temporary, "x", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=names)
                writer.writeheader()
                writer.writerows(self._rows)

        write_atomically(self.path, write)
