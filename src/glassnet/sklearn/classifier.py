"""GlassMLPClassifier: glassnet's Network as a scikit-learn classifier.

Example:
    >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
    >>> model.fit([[0.0], [1.0]], ["off", "on"]).classes_.tolist()
    ['off', 'on']
"""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets, unique_labels
from sklearn.utils.validation import validate_data

from glassnet.engine.network import Network
from glassnet.engine.recipes import Output, output_for
from glassnet.sklearn.checks import check_labels
from glassnet.sklearn.mlp import BaseGlassMLP

__all__ = ["GlassMLPClassifier"]


class GlassMLPClassifier(ClassifierMixin, BaseGlassMLP):
    """A multi-layer perceptron classifier: glassnet's Network behind scikit-learn's API.

    Hidden layers use ``activation``; the output is one sigmoid neuron with binary
    cross-entropy for two classes, and a softmax over k neurons with cross-entropy for k
    classes, so the output delta is (a - y) / n. Parameters are those of scikit-learn's
    ``MLPClassifier`` (see the module docstring for how they map), without
    ``learning_rate``, ``power_t``, ``max_fun`` and the ``lbfgs`` solver. With
    ``early_stopping`` the validation loss (not the accuracy) decides when to stop.

    Fitted attributes: ``classes_``, ``n_features_in_``, ``feature_names_in_`` (when X
    has column names), ``network_`` (a glassnet ``Network``), ``loss_curve_`` (mean
    training loss of each epoch, L2 term included), ``validation_loss_curve_`` (with
    early stopping, else None), ``n_iter_`` (epochs run, summed over warm starts).

    Example:
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
        >>> model = GlassMLPClassifier((8,), "tanh", learning_rate_init=0.05, max_iter=5000,
        ...                            random_state=0)
        >>> model.fit(X, ["no", "yes", "yes", "no"]).predict(X).tolist()
        ['no', 'yes', 'yes', 'no']
    """

    def _output_layer(self, Y: np.ndarray) -> Output:
        return output_for("classification", n_classes=len(self.classes_))

    def _new_network(self, n_features: int, Y: np.ndarray, seed: int) -> Network:
        network = super()._new_network(n_features, Y, seed)
        # A network learns its labels from the first targets it encodes; partial_fit may
        # see only some classes in a batch, so it is shown every class first.
        network.encode_targets(np.zeros((len(self.classes_), n_features)), self.classes_)
        return network

    def _validate(self, X, y, reset: bool) -> tuple[np.ndarray, np.ndarray]:
        X, y = validate_data(self, X, y, reset=reset, dtype=np.float64)
        check_classification_targets(y)
        return X, y

    def _targets(self, y: np.ndarray, first_pass: bool, classes=None, warm=False) -> np.ndarray:
        if first_pass:
            self.classes_ = unique_labels(y) if classes is None else unique_labels(classes)
            if len(self.classes_) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs at least two classes; y has one class: "
                    f"{self.classes_.tolist()}"
                )
        elif warm and not np.array_equal(unique_labels(y), self.classes_):
            raise ValueError(
                "warm_start needs y to have the same classes as the previous fit: "
                f"{self.classes_.tolist()}, got {unique_labels(y).tolist()}"
            )
        check_labels(y, self.classes_)
        return y

    def fit(self, X, y) -> GlassMLPClassifier:
        """Train for up to ``max_iter`` epochs and return self.

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0, 1]).n_iter_
            3
        """
        return self._fit(X, y, incremental=False)

    def partial_fit(self, X, y, classes=None) -> GlassMLPClassifier:
        """One epoch over (X, y), continuing from the current weights and optimizer state.

        ``classes`` (every label that will ever occur) is needed on the first call.

        Example:
            >>> model = GlassMLPClassifier((4,), random_state=0)
            >>> model.partial_fit([[0.0], [1.0]], [0, 0], classes=[0, 1]).classes_.tolist()
            [0, 1]
        """
        if not hasattr(self, "network_") and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit")
        if classes is not None and hasattr(self, "classes_"):
            if not np.array_equal(self.classes_, unique_labels(classes)):
                raise ValueError(
                    f"classes={unique_labels(classes).tolist()} differs from the classes of "
                    f"the first call to partial_fit: {self.classes_.tolist()}"
                )
        return self._fit(X, y, incremental=True, classes=classes)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape (n_samples, n_classes), columns in ``classes_`` order.

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], [0, 1]).predict_proba([[0.5]]).shape
            (1, 2)
        """
        X = self._checked(X)
        return self.network_.predict_proba(X)

    def predict(self, X) -> np.ndarray:
        """The most probable class of each row.

        Example:
            >>> model = GlassMLPClassifier((4,), max_iter=3, tol=1.0, n_iter_no_change=1)
            >>> model.fit([[0.0], [1.0]], ["a", "b"]).predict([[0.0]]).shape
            (1,)
        """
        X = self._checked(X)
        return self.network_.predict(X)
