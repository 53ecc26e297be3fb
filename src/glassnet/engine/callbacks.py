"""Callbacks: small objects that watch training through hooks instead of flags on ``fit``.

Hooks, as in Keras: ``set_run(run)`` once with the run to watch (``glassnet.engine.run.Run``:
the network, the training rows, the history), then ``on_train_begin(logs)``,
``on_epoch_end(epoch, logs)`` and ``on_train_end(logs)``. ``logs`` maps "loss", each metric
and their "val_" twins to the epoch's values. A callback stops training by setting
``network.stop_training = True``, after recording why in ``network.stop`` (a ``Stop``) if it
can say.

Example:
    >>> stopper = EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)
"""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import sys
from typing import Any

from numpy.typing import NDArray

from glassnet.engine.display import history_html
from glassnet.engine.run import NetworkLike, Run, Stop
from glassnet.files import write_atomically

__all__ = ["Callback", "History", "Monitor", "EarlyStopping", "ProgressBar", "CSVLogger"]


class Callback:
    """Base class with empty hooks; ``run`` and ``network`` are set before training begins.

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

    run: Run | None = None
    network: NetworkLike = None

    def set_run(self, run: Run) -> None:
        """Called by ``fit`` before ``on_train_begin``: the run to watch.

        Example:
            >>> from glassnet import Dense, Network
            >>> from glassnet.engine.run import Run
            >>> net = Network([Dense(1, 1)])
            >>> callback = Callback(); callback.set_run(Run(net))
            >>> callback.network is net
            True
        """
        self.run = run
        self.network = run.network

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        """Called once before the first epoch; resets what a previous run left.

        Example:
            >>> stopper = EarlyStopping(monitor="loss")
            >>> stopper.on_train_begin(); stopper.best_epoch
            0
        """

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        """Called after each epoch (1, 2, ...) with its values, e.g. {"loss": 0.5}.

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
    """What ``fit`` returns: ``history`` maps each metric to its list of per-epoch values.

    ``initial`` holds the values before the first update (epoch 0), kept apart so that
    ``history[name][k]`` is the value of epoch k + 1. ``epochs`` lists the epoch numbers.
    ``stop`` records how training ended (a ``Stop``: ``stop.early``, ``stop.kind``,
    ``str(stop)``), None before it ends.

    Example:
        >>> h = History(); h.on_epoch_end(1, {"loss": 0.5}); h.history
        {'loss': [0.5]}
    """

    def __init__(self) -> None:
        self.history: dict[str, list[float]] = {}
        self.initial: dict[str, float] = {}
        self.epochs: list[int] = []
        self.stop: Stop | None = None

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        self.epochs.append(epoch)
        history = self.history
        for name, value in logs.items():
            if name in history:
                history[name].append(value)
            else:
                history[name] = [value]

    @property
    def loss(self) -> list[float]:
        """The training loss of each epoch."""
        return self.history.get("loss", [])

    def __len__(self) -> int:
        return len(self.epochs)

    def __repr__(self) -> str:
        names = ", ".join(self.history)
        return f"History({len(self)} epochs: {names})"

    def _repr_html_(self) -> str:
        return history_html(self)


class Monitor(Callback):
    """A callback that watches one value: which, in which direction, and when it improved.

    ``mode`` is "min" for losses and errors, "max" for accuracy and r2; "auto" chooses
    from the name. The one test of improvement, shared by ``EarlyStopping`` and the
    scikit-learn estimators' stopping rule, is ``is_improvement`` (as Keras's
    ``MonitorCallback``).

    Example:
        >>> monitor = Monitor("val_accuracy", min_delta=0.01)
        >>> monitor.mode, monitor.is_improvement(0.95, 0.90), monitor.is_improvement(0.905, 0.90)
        ('max', True, False)
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", min_delta: float = 0.0):
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
        if not (isinstance(min_delta, int | float) and min_delta >= 0):
            raise ValueError(f"min_delta must be a non-negative number, got {min_delta!r}")
        self.monitor = monitor
        self.min_delta: float = float(min_delta)
        if mode == "auto":
            mode = "max" if monitor.removeprefix("val_") in ("accuracy", "r2") else "min"
        self.mode = mode

    @property
    def worst(self) -> float:
        """The starting best: +inf for "min", -inf for "max"."""
        return math.inf if self.mode == "min" else -math.inf

    def is_improvement(
        self, value: float, reference: float, min_delta: float | None = None
    ) -> bool:
        """Whether ``value`` beats ``reference`` by more than ``min_delta`` (the monitor's own
        when None) in the monitor's direction.

        Example:
            >>> Monitor("loss").is_improvement(0.4, 0.5), Monitor("loss").is_improvement(0.5, 0.5)
            (True, False)
        """
        delta = self.min_delta if min_delta is None else min_delta
        if self.mode == "min":
            return value < reference - delta
        return value > reference + delta

    def value(self, logs: dict[str, float]) -> float:
        """The watched value of this epoch's logs, or a ValueError naming those there are.

        Example:
            >>> Monitor("val_loss").value({"loss": 0.3, "val_loss": 0.4})
            0.4
        """
        if self.monitor not in logs:
            raise ValueError(
                f"{type(self).__name__} monitors {self.monitor!r}, which training does not "
                f"report; available: {sorted(logs)}"
            )
        return logs[self.monitor]


class EarlyStopping(Monitor):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience``
    epochs; with ``restore_best_weights`` the network ends with the best epoch's weights.

    Example:
        >>> from glassnet import Dense, Network
        >>> from glassnet.engine.run import Run
        >>> net = Network([Dense(1, 1)])
        >>> stopper = EarlyStopping(monitor="val_loss", patience=1)
        >>> stopper.set_run(Run(net)); stopper.on_train_begin()
        >>> for epoch, val_loss in enumerate([0.5, 0.6, 0.7], start=1):
        ...     stopper.on_epoch_end(epoch, {"val_loss": val_loss})
        >>> net.stop_training, stopper.best_epoch, stopper.stopped_epoch
        (True, 1, 3)
        >>> print(net.stop)
        early stopping: val_loss has not improved for 1 epochs (best at epoch 1)
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
        super().__init__(monitor, mode, min_delta)
        self.patience = patience
        self.restore_best_weights = restore_best_weights
        self.on_train_begin()

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        self.best: float = self.worst
        self.best_epoch: int = 0
        self.best_weights: list[NDArray[Any]] | None = None
        self.stopped_epoch: int = 0
        self.wait: int = 0

    def moves_best(self, value: float) -> bool:
        """Whether ``value`` becomes the best so far. Here: the same test that resets the
        patience (better by more than ``min_delta``); a rule of another library may differ.

        Example:
            >>> stopper = EarlyStopping("loss", min_delta=0.1); stopper.best = 1.0
            >>> stopper.moves_best(0.95), stopper.moves_best(0.85)
            (False, True)
        """
        return self.is_improvement(value, self.best)

    def on_epoch_end(self, epoch: int, logs: dict[str, float]) -> None:
        value = self.value(logs)
        resets_patience = self.is_improvement(value, self.best)  # against the previous best
        if self.moves_best(value):
            self.best, self.best_epoch = value, epoch
            if self.restore_best_weights:
                self.best_weights = self.network.get_weights()
        self.wait = 0 if resets_patience else self.wait + 1
        if self.wait > self.patience:
            self.stopped_epoch = epoch
            self.network.stop = Stop(
                "early_stopping",
                epoch,
                {
                    "monitor": self.monitor,
                    "patience": self.patience,
                    "min_delta": self.min_delta,
                    "best_epoch": self.best_epoch,
                },
            )
            self.network.stop_training = True

    def on_train_end(self, logs: dict[str, float] | None = None) -> None:
        if self.restore_best_weights and self.best_weights is not None:
            self.network.set_weights(self.best_weights)


def _format_logs(logs: dict[str, float]) -> str:
    return " - ".join(f"{name}: {value:.4g}" for name, value in logs.items())


def in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (whose standard error is no terminal, and
    shows on a red background). Looked up without importing IPython.

    Example:
        >>> in_notebook()
        False
    """
    get_ipython = getattr(sys.modules.get("IPython"), "get_ipython", None)
    shell = get_ipython() if get_ipython is not None else None
    return getattr(shell, "kernel", None) is not None


class _LineDisplay:
    """One line of text in a notebook, shown once and rewritten in place (no ipywidgets)."""

    def __init__(self) -> None:
        from IPython.display import display

        self._handle = display({"text/plain": ""}, raw=True, display_id=True)

    def show(self, line: str) -> None:
        self._handle.update({"text/plain": line}, raw=True)


class ProgressBar(Callback):
    """A tqdm bar over the epochs showing the latest figures. In a notebook, one display
    that updates in place: tqdm's notebook bar when ipywidgets is installed, else one line
    of text rewritten. When the output is no terminal (a log, CI), one plain line per epoch
    (every ``every`` epochs: by default about a hundred lines in all).

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
        self._line: _LineDisplay | None = None

    def on_train_begin(self, logs: dict[str, float] | None = None) -> None:
        stream = self.stream or sys.stderr
        self._stream = stream
        self._bar, self._line = None, None
        if self.stream is None and in_notebook():
            if importlib.util.find_spec("ipywidgets") is not None:
                from tqdm.notebook import tqdm as notebook_tqdm

                self._bar = notebook_tqdm(total=self.epochs, unit="epoch", leave=True)
            else:
                self._line = _LineDisplay()
        elif stream.isatty():
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
            line = f"epoch {epoch:>{width}}/{self.epochs} - {_format_logs(logs)}"
            if self._line is not None:
                self._line.show(line)
            else:
                print(line, file=self._stream)

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

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path: str = os.fspath(path)
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
