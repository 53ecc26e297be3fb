"""What the MLP classifier and regressor share: parameters, the network and its starting
weights, ``coefs_``/``intercepts_`` as the network's arrays, and the run of a fit.

``BaseGlassMLP`` holds scikit-learn's ``MLPClassifier``/``MLPRegressor`` parameters and
trains a glassnet ``Network`` with them as scikit-learn trains its own: the starting
weights drawn as scikit-learn draws them (Glorot uniform, bound sqrt(6 / (fan_in +
fan_out)), sqrt(2 / ...) for logistic; biases too) from the generator of
``random_state``, its losses (``glassnet.sklearn.losses``), Adam with epsilon added to
sqrt(v), the L2 term alpha / (the batch's weight) for every batch, the short last one
included, and its stopping rules and learning-rate schedules
(``glassnet.sklearn.solvers``). ``GlassMLPClassifier`` and ``GlassMLPRegressor`` add
what differs: the targets, the output layer and the score.

scikit-learn's stopping rule ends this run after 3 epochs: the first sets the best loss,
and the next two do not beat it by more than tol=1.0, which is more than
n_iter_no_change=1 epoch without improvement.

Example:
    >>> from glassnet.sklearn import GlassMLPRegressor
    >>> model = GlassMLPRegressor((3,), max_iter=50, tol=1.0, n_iter_no_change=1)
    >>> model.fit([[0.0], [1.0]], [0.0, 1.0]).n_iter_, len(model.coefs_)
    (3, 2)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np
import scipy.sparse
from numpy.typing import ArrayLike, DTypeLike
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from glassnet.engine.callbacks import History
from glassnet.engine.layers import Dense
from glassnet.engine.network import Network
from glassnet.engine.recipes import Output, build_mlp
from glassnet.engine.run import Stop
from glassnet.glassbox.trace import Trace
from glassnet.sklearn.checks import (
    HIDDEN_ACTIVATIONS,
    check_hidden_sizes,
    check_mlp_parameters,
    check_sample_weight,
)
from glassnet.sklearn.display import estimator_html
from glassnet.sklearn.losses import loss_for
from glassnet.sklearn.solvers import Solvers

__all__ = ["BaseGlassMLP", "scikit_learn_weights"]

# What the estimators take as X: an array (or anything NumPy reads as one), or a SciPy
# sparse matrix (csr or csc).
MatrixLike: TypeAlias = ArrayLike | scipy.sparse.spmatrix | scipy.sparse.sparray

# scikit-learn's names of the output activations: glassnet's for the same function, and the
# glassnet loss of the same pair (the one a model file names).
OUTPUT_ACTIVATIONS = {
    "identity": ("identity", "mse"),
    "logistic": ("sigmoid", "binary_crossentropy"),
    "softmax": ("softmax", "crossentropy"),
}


def scikit_learn_weights(
    layer_units: Sequence[int],
    activation: str,
    random_state: int | np.random.RandomState | None,
    dtype: DTypeLike,
) -> list[np.ndarray]:
    """Starting weights as scikit-learn's MLPs draw them, [W1, b1, W2, b2, ...]: each W
    and b from U(-bound, bound), bound = sqrt(factor / (fan_in + fan_out)), factor 2 for
    the logistic activation and 6 otherwise, in that order from one generator.

    Example:
        >>> [w.shape for w in scikit_learn_weights([3, 2, 1], "relu", 0, np.float64)]
        [(3, 2), (2,), (2, 1), (1,)]
    """
    generator = check_random_state(random_state)
    factor = 2.0 if activation == "logistic" else 6.0
    weights = []
    for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:], strict=True):
        bound = np.sqrt(factor / (fan_in + fan_out))
        weights.append(generator.uniform(-bound, bound, (fan_in, fan_out)).astype(dtype))
        weights.append(generator.uniform(-bound, bound, fan_out).astype(dtype))
    return weights


class BaseGlassMLP(Solvers, BaseEstimator):
    """What the MLP classifier and regressor share: parameters, network and training.

    Not an estimator on its own: a subclass says how X and y are checked and y encoded
    (``_validate_input``), which output activation the targets take (``_out_activation``),
    how outputs become predictions (``_predict``) and the score early stopping watches
    (``_score``). The parameters are those of ``GlassMLPClassifier`` (see its docstring).

    Example:
        >>> from glassnet.sklearn import GlassMLPClassifier
        >>> issubclass(GlassMLPClassifier, BaseGlassMLP)
        True
    """

    def __init__(
        self,
        hidden_layer_sizes: int | Sequence[int] = (100,),
        activation: str = "relu",
        *,
        solver: str = "adam",
        alpha: float = 0.0001,
        batch_size: int | str = "auto",
        learning_rate: str = "constant",
        learning_rate_init: float = 0.001,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 1e-4,
        verbose: bool | int = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int | float = 10,
        max_fun: int = 15000,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    def __sklearn_tags__(self) -> Any:  # scikit-learn's Tags
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    # ------------------------------------------------------------------ what a subclass says
    # (and _score, _decode: Solvers)
    def _validate_input(
        self, X: MatrixLike, y: ArrayLike, incremental: bool, reset: bool
    ) -> tuple[Any, np.ndarray]:
        """(X, Y): X checked (dense or sparse), Y the targets as the output layer's columns."""
        raise NotImplementedError

    def _out_activation(self) -> str:
        """scikit-learn's name of the output activation: identity, logistic or softmax."""
        raise NotImplementedError

    def _predict(self, X: MatrixLike, check_input: bool = True) -> np.ndarray:
        """The predictions for X (labels or values)."""
        raise NotImplementedError

    # ------------------------------------------------------------------ coefs_ and the network
    def _build(self, layer_units: list[int], dtype: DTypeLike) -> None:
        """A new network for these layer sizes, with no weights drawn yet."""
        self.n_layers_: int = len(layer_units)
        self.out_activation_: str = self._out_activation()
        activation, loss = OUTPUT_ACTIVATIONS[self.out_activation_]
        output = Output(activation, layer_units[-1], loss)
        seed = self.random_state if isinstance(self.random_state, int | np.integer) else None
        network = build_mlp(
            layer_units[0], layer_units[1:-1], HIDDEN_ACTIVATIONS[self.activation], output,
            seed=None if seed is None or seed < 0 else int(seed), dtype=dtype,
        )  # fmt: skip
        network.loss = loss_for(self.out_activation_)
        self._learn_targets(network)
        self.network_ = network

    def _learn_targets(self, network: Network) -> None:
        """Tell the network what its outputs stand for (labels, or values)."""
        n_inputs, n_outputs = network.n_inputs, network.n_outputs
        network.encode_targets(np.zeros((1, n_inputs)), np.zeros((1, n_outputs)))

    def _point_at_network(self) -> None:
        dense = self.network_.dense_layers
        self.coefs_: list[np.ndarray] = [layer.weights for layer in dense]
        self.intercepts_: list[np.ndarray] = [_bias(layer) for layer in dense]

    def _initialize(self, Y: np.ndarray, layer_units: list[int], dtype: DTypeLike) -> None:
        """Everything a first fit starts from: scikit-learn's starting weights, counters,
        curves."""
        self.n_iter_: int = 0
        self.t_: int = 0
        self._build(layer_units, dtype)
        start = scikit_learn_weights(layer_units, self.activation, self._random_state, dtype)
        self.network_.set_weights(start)
        self._point_at_network()
        self._best_coefs = [c.copy() for c in self.coefs_]
        self._best_intercepts = [b.copy() for b in self.intercepts_]
        if self.solver != "lbfgs":
            self.loss_curve_: list[float] = []
            self._no_improvement_count = 0
            if self.early_stopping:
                self.validation_scores_, self.best_validation_score_ = [], -np.inf
                self.best_loss_ = None
            else:
                self.best_loss_ = np.inf
                self.validation_scores_ = self.best_validation_score_ = None

    def _sync_network(self) -> None:
        """Make the network hold ``coefs_`` and ``intercepts_`` when they were assigned
        (arrays of the user's own, as before a warm-started ``partial_fit``), then make
        them the network's arrays again. A network is built when there is none yet."""
        coefs, intercepts = list(self.coefs_), list(self.intercepts_)
        shapes = [np.shape(c) for c in coefs]
        if (
            not hasattr(self, "network_")
            or [layer.weights.shape for layer in self.network_.dense_layers] != shapes
        ):
            units = [shapes[0][0], *(shape[1] for shape in shapes)]
            self._build(units, np.result_type(np.asarray(coefs[0]).dtype, np.float32))
        dense = self.network_.dense_layers
        if all(c is layer.weights for c, layer in zip(coefs, dense, strict=True)) and all(
            b is layer.bias for b, layer in zip(intercepts, dense, strict=True)
        ):
            return
        self.network_.set_weights([p for pair in zip(coefs, intercepts, strict=True)
                                   for p in pair])  # fmt: skip
        self._point_at_network()

    def _fill_state(self) -> None:
        """The counters and curves a fit goes on from, where coefs_ were set by hand."""
        defaults = {"n_iter_": 0, "t_": 0, "loss_curve_": [], "_no_improvement_count": 0,
                    "best_loss_": None if self.early_stopping else np.inf,
                    "validation_scores_": [] if self.early_stopping else None,
                    "best_validation_score_": -np.inf if self.early_stopping else None,
                    "_best_coefs": [c.copy() for c in self.coefs_],
                    "_best_intercepts": [b.copy() for b in self.intercepts_]}  # fmt: skip
        for name, value in defaults.items():
            if not hasattr(self, name):
                setattr(self, name, value)

    # ------------------------------------------------------------------ fit
    def _fit(
        self,
        X: MatrixLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        incremental: bool = False,
    ) -> Any:  # the estimator itself (each subclass's fit names its own class)
        """Check, build on the first pass (else take ``coefs_`` as they are), run the
        solver, refuse weights that are not finite."""
        check_mlp_parameters(self)
        hidden = check_hidden_sizes(self.hidden_layer_sizes)
        first_pass = not hasattr(self, "coefs_") or (not self.warm_start and not incremental)
        rows, Y = self._validate_input(X, y, incremental, reset=first_pass)
        weights = check_sample_weight(sample_weight, rows.shape[0], rows.dtype)
        self.n_outputs_: int = Y.shape[1]
        layer_units = [rows.shape[1], *hidden, self.n_outputs_]
        self._random_state = check_random_state(self.random_state)
        if first_pass:
            self._initialize(Y, layer_units, rows.dtype)
        else:
            self._sync_network()
            self._fill_state()
            expected = [layer.weights.shape[1] for layer in self.network_.dense_layers]
            if expected[-1] != self.n_outputs_:
                raise ValueError(
                    f"y has {self.n_outputs_} output columns but the network was fitted "
                    f"with {expected[-1]}"
                )
        rows = rows.astype(self.network_.dtype, copy=False)
        Y = np.ascontiguousarray(Y, dtype=self.network_.dtype)
        if self.solver == "lbfgs":
            converged = self._fit_lbfgs(rows, Y, weights)
        else:
            converged = self._fit_stochastic(rows, Y, weights, incremental)
        self._record_run(converged and not incremental)
        if not all(np.isfinite(w).all() for w in [*self.coefs_, *self.intercepts_]):
            raise ValueError(
                "Solver produced non-finite parameter weights. The input data may contain "
                "large values and need to be preprocessed."
            )
        return self

    def _record_run(self, converged: bool) -> None:
        """The run as glassnet records one: ``network_.history`` (the loss of every epoch
        so far, and the validation score with early stopping) and ``network_.stop``."""
        history = History()
        curve: list[float] = getattr(self, "loss_curve_", None) or [self.loss_]
        scores: list[float] = getattr(self, "validation_scores_", None) or []
        for epoch, loss in enumerate(curve, start=1):
            logs = {"loss": loss}
            if len(scores) == len(curve):
                logs["val_score"] = scores[epoch - 1]
            history.on_epoch_end(epoch, logs)
        if converged and self.solver != "lbfgs":
            monitored = "val_score" if scores and len(scores) == len(curve) else "loss"
            values = history.history[monitored]
            best = int(np.nanargmax(values) if monitored == "val_score" else np.argmin(values))
            detail = {"monitor": monitored, "patience": self.n_iter_no_change,
                      "min_delta": self.tol, "best_epoch": best + 1}  # fmt: skip
            stop = Stop("early_stopping", len(curve), detail)
        elif converged:
            stop = Stop(
                "converged",
                len(curve),
                {"reason": f"L-BFGS converged after {self.n_iter_} iterations"},
            )
        else:
            stop = Stop("completed", len(curve))
        history.stop = self.network_.stop = stop
        self.network_.history = history

    def _check_solver(self) -> bool:
        if self.solver == "lbfgs":
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. lbfgs is not stochastic."
            )
        return True

    # ------------------------------------------------------------------ the forward pass
    def _outputs(self, X: MatrixLike, check_input: bool = True) -> np.ndarray:
        """The output layer's values for X (the network's forward pass, sparse X too)."""
        check_is_fitted(self, "coefs_")
        self._sync_network()
        # an array or a SciPy sparse matrix, as validate_data leaves it
        rows: Any = validate_data(self, X, accept_sparse=["csr", "csc"], reset=False) if (
            check_input) else X  # fmt: skip
        dtype = self.network_.dtype
        if scipy.sparse.issparse(rows):
            rows = rows.astype(dtype)
        else:
            rows = np.asarray(rows, dtype=dtype)
        return self.network_.propagate(rows)

    def _score_with_function(
        self,
        X: MatrixLike,
        y: ArrayLike,
        sample_weight: np.ndarray | None,
        score_function: Callable[..., float],
    ) -> float:
        predicted = self._predict(X, check_input=False)
        if np.issubdtype(predicted.dtype, np.floating) and not np.isfinite(predicted).all():
            return np.nan
        return float(score_function(y, predicted, sample_weight=sample_weight))

    # ------------------------------------------------------------------ the glass box
    def _trace_targets(self, X: MatrixLike, y: ArrayLike) -> tuple[Any, np.ndarray]:
        """X and the targets as the network's ``trace`` takes them."""
        return self._validate_input(X, y, incremental=True, reset=False)

    def trace(self, X: MatrixLike, y: ArrayLike, learning_rate: float | None = None) -> Trace:
        """One gradient-descent step of the fitted network on (X, y), every number named.

        The step is taken on a copy (``network_.copy()``): the estimator is not changed.
        ``learning_rate`` defaults to ``learning_rate_init``; the L2 term is the one a
        batch of len(X) rows has in training (l2 = alpha / len(X)).

        Example:
            >>> import numpy as np
            >>> from glassnet.sklearn import GlassMLPRegressor
            >>> X, y = np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0.5, -0.5])
            >>> model = GlassMLPRegressor((2,), max_iter=3, tol=1.0, n_iter_no_change=1).fit(X, y)
            >>> model.trace(X, y)["z[1]"].shape
            (2, 2)
        """
        check_is_fitted(self, "coefs_")
        self._sync_network()
        rows, targets = self._trace_targets(X, y)
        network = self.network_.copy()
        for layer in network.dense_layers:
            layer.l2 = self.alpha / rows.shape[0]
        rate = self.learning_rate_init if learning_rate is None else learning_rate
        return network.trace(np.asarray(rows), targets, rate)

    def _html_repr(self) -> str:
        # What a notebook shows: scikit-learn's diagram of the estimator, then, once
        # fitted, the network it trained as a table (Network's own display).
        if getattr(self, "network_", None) is None:
            return estimator_html(self)
        self._sync_network()
        return estimator_html(self, [self.network_._repr_html_()])


def _bias(layer: Dense) -> np.ndarray:
    """A layer's bias: scikit-learn's MLPs have one in every layer, as build_mlp makes them."""
    if layer.bias is None:
        raise ValueError(f"{layer!r} has no bias, but every layer of the estimator's needs one")
    return layer.bias
