"""A training run as data: what callbacks may read of it (``Run``) and how it ended (``Stop``).

``fit`` hands every callback one ``Run`` before training begins (``Callback.set_run``, in
the manner of Keras's ``set_model``/``set_params``), and ends with a ``Stop`` record that
``History``, ``Diagnostics``, the command line and the estimators read. The message a
person sees is rendered from the record; nothing parses it back.

Example:
    >>> stop = Stop("diverged", 86, {"loss": float("inf"), "learning_rate": 10.0})
    >>> stop.early, stop.kind
    (True, 'diverged')
    >>> print(stop)  # doctest: +NORMALIZE_WHITESPACE
    training diverged at epoch 86: the loss became inf; the weights from before epoch 86 are
    kept. Try a smaller learning rate (now 10).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from glassnet.engine.optimizers import Optimizer

# The network a run trains, as the modules below network.py name it. They do not import
# network.py, not even for type checkers: network.py imports them, and the engine's
# imports run one way only (ARCHITECTURE.md).
NetworkLike = Any

__all__ = ["STOP_KINDS", "Run", "Stop", "TrainingDiverged"]

# completed: every epoch ran; early_stopping: a Monitor's rule ended it (detail: monitor,
# patience, min_delta, best_epoch); diverged: the loss or the weights stopped being finite
# (detail: loss, learning_rate); callback: a callback set network.stop_training without a
# record of its own (detail: reason, if it gave one); converged: a solver's own test of
# convergence ended it before its last iteration (L-BFGS; detail: reason).
STOP_KINDS = ("completed", "early_stopping", "diverged", "callback", "converged")


@dataclass(frozen=True)
class Stop:
    """How a training run ended: ``kind`` (one of ``STOP_KINDS``), the last ``epoch`` that
    ran (for "diverged", the epoch whose update was undone) and the ``detail`` its message
    is rendered from.

    Example:
        >>> Stop("completed", 200).early
        False
        >>> str(Stop("early_stopping", 14,
        ...          {"monitor": "val_loss", "patience": 3, "min_delta": 0.0, "best_epoch": 10}))
        'early stopping: val_loss has not improved for 3 epochs (best at epoch 10)'
    """

    kind: str
    epoch: int
    detail: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in STOP_KINDS:
            raise ValueError(f"stop kind must be one of {', '.join(STOP_KINDS)}, got {self.kind!r}")

    @property
    def early(self) -> bool:
        """True when training ended before its last epoch."""
        return self.kind != "completed"

    def summary(self) -> str:
        """What happened, without advice.

        Example:
            >>> print(Stop("diverged", 3, {"loss": float("nan"), "learning_rate": 5.0}).summary())
            ... # doctest: +NORMALIZE_WHITESPACE
            training diverged at epoch 3: the loss became nan; the weights from before epoch 3
            are kept.
        """
        detail = self.detail
        if self.kind == "completed":
            return f"trained all {self.epoch} epochs"
        if self.kind == "diverged":
            return (
                f"training diverged at epoch {self.epoch}: the loss became {detail['loss']}; "
                f"the weights from before epoch {self.epoch} are kept."
            )
        if self.kind == "early_stopping":
            by = f" by more than {detail['min_delta']:g}" if detail.get("min_delta") else ""
            return (
                f"early stopping: {detail['monitor']} has not improved{by} for "
                f"{detail['patience']} epochs (best at epoch {detail['best_epoch']})"
            )
        if self.kind == "converged":
            return detail.get("reason") or f"converged after {self.epoch} iterations"
        return detail.get("reason") or f"a callback stopped training after epoch {self.epoch}"

    def message(self) -> str:
        """The summary with what to try, where there is advice.

        Example:
            >>> Stop("completed", 5).message()
            'trained all 5 epochs'
        """
        if self.kind == "diverged":
            return (
                f"{self.summary()} Try a smaller learning rate "
                f"(now {self.detail['learning_rate']:g})."
            )
        return self.summary()

    def __str__(self) -> str:
        return self.message()


@dataclass
class Run:
    """What a callback may read of the run it watches, handed over by ``set_run``.

    ``X`` and ``Y`` are the training rows as the network trains on them (inputs checked,
    targets encoded, validation rows already held out); ``history`` fills as epochs end.

    Example:
        >>> from glassnet import Dense, Network
        >>> run = Run(Network([Dense(1, 1)]))
        >>> run.epochs, run.X is None
        (0, True)
    """

    network: NetworkLike
    X: NDArray[Any] | None = None
    Y: NDArray[Any] | None = None
    history: Any = None  # the run's History (callbacks.py, which imports this module)
    epochs: int = 0
    batch_size: int = 0
    optimizer: Optimizer | None = None


class TrainingDiverged(RuntimeWarning):
    """The loss became NaN or infinite; training stopped with the weights from before.

    Example:
        >>> import warnings
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[1.0]], bias=[0.0])], loss="mse")
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     _ = net.fit([[1.0], [2.0]], [2.0, 4.0], epochs=1000, learning_rate=10.0,
        ...                 diagnostics=False)
        >>> caught[0].category is TrainingDiverged
        True
        >>> print(net.stop)  # doctest: +ELLIPSIS
        training diverged at epoch 85: the loss became inf; ... (now 10).
    """
