"""GlassMLPRegressor: glassnet's Network as a scikit-learn regressor.

Example:
    >>> model = GlassMLPRegressor((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
    >>> model.fit([[0.0], [1.0]], [[0.0, 1.0], [1.0, 0.0]]).predict([[0.5]]).shape
    (1, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import column_or_1d, validate_data

from glassnet.engine.validation import check_choice
from glassnet.sklearn.mlp import BaseGlassMLP, MatrixLike

__all__ = ["GlassMLPRegressor"]


class GlassMLPRegressor(RegressorMixin, BaseGlassMLP):
    """A multi-layer perceptron regressor: glassnet's Network behind scikit-learn's API,
    trained as scikit-learn's ``MLPRegressor`` trains.

    Hidden layers use ``activation``, the output layer is linear (identity) with one
    neuron per target, and the loss is scikit-learn's squared error, 1/(2 n k) *
    sum((y - a)^2) (``glassnet.sklearn.losses.SquaredLoss``). Parameters and fitted
    attributes as in ``GlassMLPClassifier`` (without ``classes_``); y may have several
    columns. ``loss`` takes scikit-learn's "squared_error" (glassnet has no Poisson loss).

    Example:
        >>> import numpy as np
        >>> X = np.linspace(-1, 1, 40).reshape(-1, 1)
        >>> model = GlassMLPRegressor((16,), learning_rate_init=0.01, max_iter=2000,
        ...                           n_iter_no_change=100, random_state=0)
        >>> model.fit(X, np.abs(X.ravel())).score(X, np.abs(X.ravel())) > 0.99
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
        loss: str = "squared_error",
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
        super().__init__(
            hidden_layer_sizes, activation, solver=solver, alpha=alpha, batch_size=batch_size,
            learning_rate=learning_rate, learning_rate_init=learning_rate_init,
            power_t=power_t, max_iter=max_iter, shuffle=shuffle, random_state=random_state,
            tol=tol, verbose=verbose, warm_start=warm_start, momentum=momentum,
            nesterovs_momentum=nesterovs_momentum, early_stopping=early_stopping,
            validation_fraction=validation_fraction, beta_1=beta_1, beta_2=beta_2,
            epsilon=epsilon, n_iter_no_change=n_iter_no_change, max_fun=max_fun,
        )  # fmt: skip
        self.loss = loss

    def __sklearn_tags__(self) -> Any:  # scikit-learn's Tags
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _out_activation(self) -> str:
        return "identity"

    def _validate_input(
        self, X: MatrixLike, y: ArrayLike, incremental: bool, reset: bool
    ) -> tuple[Any, np.ndarray]:
        try:
            check_choice("loss", self.loss, ("squared_error",))
        except ValueError as error:
            raise ValueError(f"{error} (glassnet has no Poisson loss)") from None
        rows, values = validate_data(
            self, X, y, accept_sparse=["csr", "csc"], multi_output=True, y_numeric=True,
            dtype=(np.float64, np.float32), reset=reset,
        )  # fmt: skip
        if values.ndim == 2 and values.shape[1] == 1:
            values = column_or_1d(values, warn=True)
        return rows, values.reshape(-1, 1) if values.ndim == 1 else values

    def _decode(self, Y: np.ndarray) -> np.ndarray:
        return Y.ravel() if Y.shape[1] == 1 else Y

    def fit(
        self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> GlassMLPRegressor:
        """Train for up to ``max_iter`` epochs (iterations for lbfgs) and return self.

        Example:
            >>> model = GlassMLPRegressor((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0.0, 1.0]).n_iter_
            3
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=False)

    @available_if(lambda self: self._check_solver())
    def partial_fit(
        self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ) -> GlassMLPRegressor:
        """One epoch over (X, y), continuing from the current weights and optimizer state.
        Not available with ``solver="lbfgs"``.

        Example:
            >>> model = GlassMLPRegressor((4,), random_state=0)
            >>> model.partial_fit([[0.0], [1.0]], [0.0, 1.0]).n_iter_
            1
        """
        return self._fit(X, y, sample_weight=sample_weight, incremental=True)

    def _predict(self, X: MatrixLike, check_input: bool = True) -> np.ndarray:
        outputs = self._outputs(X, check_input)
        return outputs.ravel() if outputs.shape[1] == 1 else outputs

    def _score(self, X: Any, y: Any, sample_weight: np.ndarray | None = None) -> float:
        return self._score_with_function(X, y, sample_weight, r2_score)

    def predict(self, X: MatrixLike) -> np.ndarray:
        """The network's outputs: shape (n_samples,) for one target, else (n_samples, k).

        Example:
            >>> model = GlassMLPRegressor((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0.0, 1.0]).predict([[0.5]]).shape
            (1,)
        """
        return self._predict(X)
