"""L-BFGS: the loss minimised over the network's flat parameter array with SciPy.

Where gradient descent takes one step per mini-batch, L-BFGS (Liu and Nocedal, 1989)
works on the whole training set: from the last few gradients it builds an estimate of
the curvature and searches along the direction it gives, each iteration evaluating
E and dE/dW (the network's own ``loss_and_gradients``) as often as its line search needs.
``minimize`` runs SciPy's ``L-BFGS-B`` on ``Network.flat_storage()``; ``fit`` is
``Network.fit(optimizer="lbfgs")``: one epoch per iteration in the History, callbacks
called after each, and a ``Stop`` record. SciPy is needed (it comes with scikit-learn).

Example:
    >>> import numpy as np
    >>> from glassnet import Dense, Network
    >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
    >>> X, Y = np.array([[0.0], [1.0], [2.0]]), np.array([[1.0], [3.0], [5.0]])
    >>> result = minimize(net, X, Y, max_iter=50, tol=1e-10)
    >>> [round(float(w.item()), 6) for w in net.get_weights()]  # y = 2x + 1
    [2.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from glassnet.engine.callbacks import History
from glassnet.engine.evaluation import measure
from glassnet.engine.layers import Dropout
from glassnet.engine.optimizers import Optimizer
from glassnet.engine.run import NetworkLike, Stop
from glassnet.engine.training import begin, finish, prepare
from glassnet.engine.validation import check_integer, check_number

if TYPE_CHECKING:
    from scipy.optimize import OptimizeResult  # SciPy is optional: needed only to run

__all__ = ["LBFGS", "fit", "minimize"]


class LBFGS(Optimizer):
    """The record of an L-BFGS run for ``Run`` and the trace: its name, ``max_fun`` and
    ``tol``. It takes no step of its own (``minimize`` moves the weights).

    Example:
        >>> LBFGS(max_fun=100).config()
        {'name': 'lbfgs', 'max_fun': 100, 'tol': 0.0001}
    """

    name = "lbfgs"

    def __init__(self, max_fun: int = 15000, tol: float = 1e-4) -> None:
        super().__init__(1.0)
        self.max_fun: int = check_integer("max_fun", max_fun, low=1)
        self.tol: float = check_number("tol", tol, 0)

    def update(self, index: int, param: np.ndarray, grad: np.ndarray) -> None:
        raise TypeError("L-BFGS takes no step per batch: train with optimizer='lbfgs'")

    def config(self) -> dict[str, Any]:
        return {"name": self.name, "max_fun": self.max_fun, "tol": self.tol}


def _scipy_optimize() -> ModuleType:
    try:
        import scipy.optimize
    except ImportError as error:  # an optional dependency, as in the estimators
        raise ImportError(
            "optimizer='lbfgs' needs SciPy: pip install scipy (it comes with scikit-learn)"
        ) from error
    return scipy.optimize


def minimize(
    network: NetworkLike,
    X: np.ndarray,
    Y: np.ndarray,
    max_iter: int,
    max_fun: int = 15000,
    tol: float = 1e-4,
    report: Callable[[int, float], bool | None] | None = None,
) -> OptimizeResult:
    """Minimise E over every weight and bias at once; returns SciPy's ``OptimizeResult``.

    ``X`` and ``Y`` are as ``loss_and_gradients`` takes them (checked inputs, encoded
    targets). At most ``max_iter`` iterations and ``max_fun`` evaluations of E; it stops
    early when the largest |dE/dw| is at most ``tol``. ``report(iteration, E)`` is called
    after each iteration; returning True ends the run there. The network ends with the
    best weights found.

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
        >>> result = minimize(net, np.array([[1.0], [2.0]]), np.array([[2.0], [4.0]]), 20)
        >>> bool(result.success), round(result.fun, 9)
        (True, 0.0)
    """
    optimize = _scipy_optimize()
    flat, flat_gradients = network.flat_storage()

    def loss_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        flat[...] = theta
        value = network.loss_and_gradients(X, Y, training=True)
        return value, flat_gradients.astype(np.float64)

    iteration = 0

    def callback(intermediate_result: OptimizeResult) -> None:
        nonlocal iteration
        iteration += 1
        flat[...] = intermediate_result.x  # the accepted point, not a line search's trial
        if report is not None and report(iteration, float(intermediate_result.fun)):
            raise StopIteration

    result = optimize.minimize(
        loss_and_gradient, flat.astype(np.float64), method="L-BFGS-B", jac=True,
        callback=callback, options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
    )  # fmt: skip
    flat[...] = result.x
    return result


def fit(network: NetworkLike, X: ArrayLike, y: ArrayLike, epochs: int = 1,
        max_fun: int = 15000, tol: float = 1e-4, **options: Any) -> History:  # fmt: skip
    """``Network.fit(X, y, optimizer="lbfgs", epochs=...)``: up to ``epochs`` L-BFGS
    iterations on every training row; returns the ``History`` (one entry per iteration).

    The options are fit's (validation_split, validation_data, callbacks, verbose,
    metrics, diagnostics); learning_rate, batch_size and shuffle mean nothing here.
    A callback that stops training ends the run after that iteration. A network with
    dropout is refused (the loss would change between the evaluations of a line search).

    Example:
        >>> from glassnet import Dense, Network
        >>> net = Network([Dense(1, 1, "identity", weights=[[0.0]], bias=[0.0])], loss="mse")
        >>> history = fit(net, [[1.0], [2.0]], [2.0, 4.0], epochs=20)
        >>> round(history.loss[-1], 9), history.stop.kind
        (0.0, 'converged')
    """
    if any(isinstance(layer, Dropout) and layer.rate > 0 for layer in network.layers):
        raise ValueError("optimizer='lbfgs' cannot train a network with dropout")
    for ignored in ("learning_rate", "batch_size", "shuffle", "optimizer"):
        options.pop(ignored, None)
    setup = prepare(network, X, y, epochs=epochs, optimizer=LBFGS(max_fun, tol), **options)
    begin(network, setup)
    last = 0

    def report(iteration: int, loss: float) -> bool:
        nonlocal last
        last = iteration
        logs = measure(network, setup.X, setup.Y, setup.metrics)
        if setup.X_val is not None and setup.Y_val is not None:
            logs.update(measure(network, setup.X_val, setup.Y_val, setup.metrics, "val_"))
        for callback in setup.callbacks:
            callback.on_epoch_end(iteration, logs)
        return network.stop_training

    result = minimize(network, setup.X, setup.Y, epochs, max_fun, tol, report) if epochs else None
    if network.stop_training:
        stop = network.stop or Stop("callback", last)
    elif result is None or last >= epochs:
        stop = Stop("completed", last)
    else:
        stop = Stop("converged", last, {"reason": f"L-BFGS stopped after {last} iterations: "
                                                  f"{result.message}"})  # fmt: skip
    finish(network, setup, stop)
    return setup.history
