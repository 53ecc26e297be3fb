"""GlassMLPRegressor: glassnet's Network as a scikit-learn regressor.

Example:
    >>> model = GlassMLPRegressor((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
    >>> model.fit([[0.0], [1.0]], [[0.0, 1.0], [1.0, 0.0]]).predict([[0.5]]).shape
    (1, 2)
"""

from __future__ import annotations

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import validate_data

from glassnet.engine.recipes import Output, output_for
from glassnet.sklearn.mlp import BaseGlassMLP

__all__ = ["GlassMLPRegressor"]


class GlassMLPRegressor(RegressorMixin, BaseGlassMLP):
    """A multi-layer perceptron regressor: glassnet's Network behind scikit-learn's API.

    Hidden layers use ``activation``, the output layer is linear (identity) with one
    neuron per target, and the loss is glassnet's ``mse``, mean (a - y)^2. That is twice
    scikit-learn's squared loss, so the L2 term doubles too (l2 = 2 * alpha / batch_size)
    and the minimum is the same; ``loss_curve_`` holds the mse. Parameters and fitted
    attributes as in ``GlassMLPClassifier`` (without ``classes_``); y may have several
    columns.

    Example:
        >>> import numpy as np
        >>> X = np.linspace(-1, 1, 40).reshape(-1, 1)
        >>> model = GlassMLPRegressor((16,), learning_rate_init=0.01, max_iter=2000,
        ...                           n_iter_no_change=100, random_state=0)
        >>> model.fit(X, np.abs(X.ravel())).score(X, np.abs(X.ravel())) > 0.99
        True
    """

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _output_layer(self, Y: np.ndarray) -> Output:
        return output_for("regression", n_outputs=Y.shape[1])

    def _l2(self, batch: int) -> float:
        # glassnet's mse is twice scikit-learn's squared loss: twice the penalty keeps the
        # same minimum.
        return 2.0 * self.alpha / batch

    def _validate(self, X, y, reset: bool) -> tuple[np.ndarray, np.ndarray]:
        return validate_data(
            self, X, y, reset=reset, dtype=np.float64, multi_output=True, y_numeric=True
        )

    def _targets(self, y: np.ndarray, first_pass: bool, classes=None, warm=False) -> np.ndarray:
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if not first_pass and Y.shape[1] != self.network_.n_outputs:
            raise ValueError(
                f"y has {Y.shape[1]} columns but the network was fitted with "
                f"{self.network_.n_outputs}: shape (n_samples, {self.network_.n_outputs})"
            )
        return Y

    def fit(self, X, y) -> GlassMLPRegressor:
        """Train for up to ``max_iter`` epochs and return self.

        Example:
            >>> model = GlassMLPRegressor((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0.0, 1.0]).n_iter_
            3
        """
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y) -> GlassMLPRegressor:
        """One epoch over (X, y), continuing from the current weights and optimizer state.

        Example:
            >>> model = GlassMLPRegressor((4,), random_state=0)
            >>> model.partial_fit([[0.0], [1.0]], [0.0, 1.0]).n_iter_
            1
        """
        return self._fit(X, y, incremental=True)

    def predict(self, X) -> np.ndarray:
        """The network's outputs: shape (n_samples,) for one target, else (n_samples, k).

        Example:
            >>> model = GlassMLPRegressor((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0.0, 1.0]).predict([[0.5]]).shape
            (1,)
        """
        X = self._checked(X)
        output = self.network_.forward(X)
        return output.ravel() if output.shape[1] == 1 else output
