"""scikit-learn's MLP losses, as glassnet losses: the same values, the same output delta.

Three pairs, each with the output delta (a - y) * w / sum(w) (w: the sample weights, 1
each when none are given), as scikit-learn's ``_backprop`` computes it:

- ``LogLoss``: softmax with cross-entropy, E = -1/n * sum(y * log(a)) (several classes);
- ``BinaryLogLoss``: sigmoid outputs with binary cross-entropy summed over the outputs and
  averaged over the samples (two classes, or several labels per sample);
- ``SquaredLoss``: identity outputs, E = 1/(2 n k) * sum((y - a)^2) over n samples and k
  outputs. scikit-learn's step follows the gradient of 1/(2n) * sum((y - a)^2), k times
  the gradient of its figure when there are k outputs; glassnet follows both as they are,
  so ``loss_curve_`` and the steps match.

Each is a subclass of glassnet's own loss of the same pair (``Crossentropy``,
``BinaryCrossentropy``, ``MSE``), so a model file stores it under that name and the trace
reads its formulas. ``weights`` holds the sample weights of the rows the next pass sees
(None: every row counts once); the estimators set it before each batch.

Example:
    >>> import numpy as np
    >>> from glassnet.engine.activations import Identity
    >>> loss, a, y = SquaredLoss(), np.array([[1.0], [3.0]]), np.array([[0.0], [1.0]])
    >>> loss.value_at(Identity(), a, a, y), loss.output_delta(Identity(), a, a, y).tolist()
    (1.25, [[0.5], [1.0]])
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy

from glassnet.engine.activations import Activation
from glassnet.engine.losses import MSE, BinaryCrossentropy, Crossentropy, Loss

__all__ = ["BinaryLogLoss", "LogLoss", "SampleWeighted", "SquaredLoss", "loss_for"]


class SampleWeighted:
    """What the three share: the sample weights of the batch, and the delta they give.

    Example:
        >>> from glassnet.engine.activations import Identity
        >>> loss = SquaredLoss(); loss.weights = np.array([3.0, 1.0])
        >>> isinstance(loss, SampleWeighted), loss.output_delta(  # (a - y) * w / sum(w)
        ...     Identity(), np.ones((2, 1)), np.ones((2, 1)), np.zeros((2, 1))).tolist()
        (True, [[0.75], [0.25]])
    """

    weights: np.ndarray | None = None

    def _average(self, terms: np.ndarray) -> np.ndarray:
        """The weighted mean over the rows of each column, as scikit-learn takes it."""
        return np.average(terms, weights=self.weights, axis=0)

    def _delta(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        # delta[last] = a - y for each canonical pair, weighted and divided by sum(w)
        if self.weights is None:
            return (a - y) / a.shape[0]
        return (a - y) * (self.weights / self.weights.sum()).reshape(-1, 1)

    def divisor(self, a: np.ndarray) -> tuple[str, int, str] | None:
        """The loss's divisor, as the trace names it: the n samples.

        Example:
            >>> LogLoss().divisor(np.zeros((4, 3)))
            ('n', 4, 'samples')
        """
        return "n", a.shape[0], "samples"


def _clipped(a: np.ndarray) -> np.ndarray:
    eps = np.finfo(a.dtype).eps
    return np.clip(a, eps, 1 - eps)


class LogLoss(SampleWeighted, Crossentropy):
    """scikit-learn's ``log_loss`` after a softmax: E = -1/n * sum(y * log(a)), the
    probabilities clipped to [eps, 1 - eps]; dE/dz = (a - y) / n.

    Example:
        >>> from glassnet.engine.activations import Softmax
        >>> a, y = np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])
        >>> round(LogLoss().value_at(Softmax(), a, a, y), 4)
        0.6931
    """

    def value(self, a: np.ndarray, y: np.ndarray) -> float:
        return float(-self._average(xlogy(y, _clipped(a))).sum())

    def value_at(
        self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray
    ) -> float:
        return self.value(a, y)

    def output_delta(
        self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray
    ) -> np.ndarray:
        return (
            self._delta(a, y)
            if self.pairs_with(activation)
            else super().output_delta(activation, z, a, y)
        )


class BinaryLogLoss(SampleWeighted, BinaryCrossentropy):
    """scikit-learn's ``binary_log_loss`` after sigmoids: the binary cross-entropy summed
    over the outputs and averaged over the n samples; dE/dz = (a - y) / n.

    Example:
        >>> from glassnet.engine.activations import Sigmoid
        >>> a, y = np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])
        >>> round(BinaryLogLoss().value_at(Sigmoid(), a, a, y), 4)  # two labels: 2 log 2
        1.3863
    """

    formula = "-1/n * sum(y * log(a) + (1 - y) * log(1 - a))"
    gradient_formula = "(a - y) / (a * (1 - a) * n)"

    def value(self, a: np.ndarray, y: np.ndarray) -> float:
        p = _clipped(a)
        return float(-self._average(xlogy(y, p) + xlogy(1 - y, 1 - p)).sum())

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        p = _clipped(a)
        return (p - y) / (p * (1 - p)) / a.shape[0]

    def value_at(
        self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray
    ) -> float:
        return self.value(a, y)

    def output_delta(
        self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray
    ) -> np.ndarray:
        return (
            self._delta(a, y)
            if self.pairs_with(activation)
            else super().output_delta(activation, z, a, y)
        )


class SquaredLoss(SampleWeighted, MSE):
    """scikit-learn's ``squared_loss``: E = 1/(2 n k) * sum((y - a)^2); its step takes
    dE/da = (a - y) / n (the gradient of 1/(2n) * sum((y - a)^2), which is E's for one
    output, k times E's for k).

    Example:
        >>> a, y = np.array([[1.0, 2.0]]), np.array([[0.0, 0.0]])
        >>> SquaredLoss().value(a, y), SquaredLoss().gradient(a, y).tolist()
        (1.25, [[1.0, 2.0]])
    """

    formula = "1/(2*N) * sum((y - a)^2)"
    gradient_formula = "(a - y) / n"

    def divisor(self, a: np.ndarray) -> tuple[str, int, str] | None:
        n, k = a.shape[0], a.size // max(a.shape[0], 1)
        return "N", a.size, f"samples * outputs = {n} * {k}"

    def value(self, a: np.ndarray, y: np.ndarray) -> float:
        return float(0.5 * self._average((y - a) ** 2).mean())

    def gradient(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        return self._delta(a, y)

    def output_delta(
        self, activation: Activation, z: np.ndarray, a: np.ndarray, y: np.ndarray
    ) -> np.ndarray:
        return activation.backward(self.gradient(a, y), z, a)


def loss_for(out_activation: str) -> Loss:
    """The loss scikit-learn pairs with an output activation (its ``out_activation_``).

    Example:
        >>> type(loss_for("softmax")).__name__, loss_for("identity").name
        ('LogLoss', 'mse')
    """
    losses: dict[str, type[Loss]] = {
        "softmax": LogLoss,
        "logistic": BinaryLogLoss,
        "identity": SquaredLoss,
    }
    return losses[out_activation]()
